//! Numbers and money for reading, in the reader's digits (Arabic-Indic in Arabic).
use crate::i18n::*;
use domain::plan::financials::Currency;
use domain::plan::tables::{display_money, to_arabic_digits};

/// Money of a plan for reading, in the reader's digits, with the currency code.
pub fn money(locale: Locale, minor: i64, currency: Currency) -> String {
    format!(
        "{} {}",
        display_money(minor, currency, locale == Locale::ar),
        currency_name(locale, currency)
    )
}

pub fn currency_name(locale: Locale, currency: Currency) -> &'static str {
    match currency {
        Currency::ILS => td_string!(locale, currency.ILS),
        Currency::USD => td_string!(locale, currency.USD),
        Currency::JOD => td_string!(locale, currency.JOD),
    }
}

/// Numbers in the reader's digits (Arabic-Indic in Arabic).
pub fn digits(locale: Locale, text: String) -> String {
    if locale == Locale::ar {
        to_arabic_digits(&text)
    } else {
        text
    }
}
