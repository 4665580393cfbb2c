//! Moments and dates for reading.
use super::digits;
use crate::i18n::*;
use domain::validation::Date;

/// Date and time (UTC) of a moment, as ISO text the reader's digits turn into their own.
pub fn when(locale: Locale, at: i64) -> String {
    let date = Date::from_unix(at).iso();
    let minutes = at.rem_euclid(86_400) / 60;
    digits(locale, format!("{date} {:02}:{:02}", minutes / 60, minutes % 60))
}
