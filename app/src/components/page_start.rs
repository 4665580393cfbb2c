//! Which browser build starts the page being drawn (docs/performance.md, "Two browser
//! builds"). Staff and Fund pages are hydrated whole by the app's build. An entrepreneur's
//! pages, and pages seen signed out, stay server HTML in the browser except for their
//! interactive parts, drawn as islands that a much smaller build hydrates one by one.
use leptos::prelude::*;

/// The browser build a page is started with; provided by the server for each page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrowserBuild {
    /// The whole app hydrates the page, with client-side navigation.
    WholeApp,
    /// Only the page's islands are hydrated; everything else works as plain HTML.
    Islands,
}

/// Whether the interactive parts of this page are drawn as islands. Only the server
/// provides [`BrowserBuild::Islands`]; the whole app in the browser never does, so it draws
/// the parts as plain components, as the server drew them for it.
pub fn draws_islands() -> bool {
    use_context::<BrowserBuild>() == Some(BrowserBuild::Islands)
}
