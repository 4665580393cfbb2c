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

/// A size people read: kilobytes below one megabyte, megabytes with one decimal above.
pub fn size_text(locale: Locale, bytes: u64) -> String {
    let text = if bytes < 1024 * 1024 {
        let n = bytes.div_ceil(1024).to_string();
        td_string!(locale, documents.size_kb, n = n).to_string()
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        let n = format!("{}.{}", tenths / 10, tenths % 10);
        td_string!(locale, documents.size_mb, n = n).to_string()
    };
    super::digits(locale, text)
}

/// A whole count in the reader's digits.
pub fn count(locale: Locale, n: i64) -> String {
    digits(locale, n.to_string())
}

/// Tenths (an FTE count, a share) as a number with one decimal: 35 → "3.5", in the reader's
/// digits.
pub fn tenths(locale: Locale, n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    let text = if n.is_multiple_of(10) {
        format!("{sign}{}", n / 10)
    } else {
        format!("{sign}{}.{}", n / 10, n % 10)
    };
    digits(locale, text)
}

/// A share in tenths of a percent as "62.5%" ("٦٢٫٥٪" in Arabic); "—" when there is none.
pub fn percent_tenths(locale: Locale, share: Option<i64>) -> String {
    match share {
        None => "—".to_string(),
        Some(share) => td_string!(locale, dashboard.percent, n = tenths(locale, share)).to_string(),
    }
}
