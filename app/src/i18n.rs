//! The translation catalogue (generated from `locales/*.json` by `build.rs`) and the page's
//! language.
//!
//! The page's language is a plain value, not a signal. Riyada changes language with a full
//! page load (the language switch is a form post), so no text needs to follow a language
//! change. leptos_i18n's own context keeps the language in a signal owned by the page and
//! starts an effect on the server that reads it; when a reader cancels a page before that
//! effect ran (or text is rendered after the page ended), the signal is gone and the read
//! panics ("already been disposed"). A value, taken once when the page starts, cannot be
//! gone. Text comes from the catalogue's `td!` and `td_string!`, which take it directly.
#[allow(clippy::expect_used)] // generated: it parses its own constant locale names
#[allow(dead_code)] // its `use_i18n` (the reactive context) is replaced by the one below
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated::i18n::*;

use leptos::prelude::*;

/// The cookie that carries the reader's language (`ar` or `en`).
pub const LANG_COOKIE: &str = "i18n_pref_locale";

/// A stored language key as a locale; Arabic unless English was chosen.
pub fn locale_of(key: &str) -> Locale {
    if key == "en" {
        Locale::en
    } else {
        Locale::ar
    }
}

#[derive(Clone, Copy)]
struct PageLanguage(Locale);

/// Decides the page's language and provides it to every component under the caller: on
/// the server the reader's choice (the language cookie), Arabic without one; in the
/// browser the language the server rendered the page in (`<html lang>`).
pub fn provide_page_language() -> Locale {
    let locale = page_language();
    provide_context(PageLanguage(locale));
    locale
}

/// The page's language (Arabic outside a page).
pub fn use_i18n() -> Locale {
    use_context::<PageLanguage>().map(|page| page.0).unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn page_language() -> Locale {
    chosen_language().map(|key| locale_of(&key)).unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn page_language() -> Locale {
    document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .map(|key| locale_of(&key))
        .unwrap_or_default()
}

/// The language chosen with the language switch (its cookie), if any.
#[cfg(feature = "ssr")]
pub fn chosen_language() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let cookies = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
    cookies.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == LANG_COOKIE).then(|| value.to_string())
    })
}
