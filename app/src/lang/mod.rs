//! Turning typed values into text in the reader's language: names of states and roles,
//! errors, dates, numbers and money. Every area uses it; it uses no area (see
//! `docs/architecture.md`).
mod dates;
mod errors;
mod names;
mod numbers;

pub use dates::*;
pub use errors::*;
pub use names::*;
pub use numbers::*;

use crate::i18n::Locale;
use domain::Bilingual;

pub use crate::i18n::{locale_of, LANG_COOKIE};

/// The reader's form of a name kept in both languages.
pub fn pick(locale: Locale, name: &Bilingual) -> &str {
    name.pick(locale == Locale::ar)
}

/// Items of a list joined in the reader's language (the Arabic comma in Arabic).
pub fn join_list(locale: Locale, items: impl IntoIterator<Item = String>) -> String {
    let separator = crate::i18n::td_string!(locale, figures.list_separator);
    items.into_iter().collect::<Vec<_>>().join(separator)
}
