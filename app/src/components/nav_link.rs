//! A link of the site menu. The menu waits for "who is signed in", so when a reader cancels
//! a page it can be made after the page is gone; the router's `<A>` then panics, because it
//! looks for the router's context when it is made. This is a plain `<a>` (the router still
//! handles its clicks in the browser) marked as the current page from the path the page
//! started with, read without panicking when that is gone.
use leptos::prelude::*;

/// The page's path, taken when the page starts (`use_location().pathname`).
pub type PagePath = Memo<String>;

/// Whether `href` is the page at `path` or one of its own pages (`/plans` for `/plans/7`).
pub fn is_current(href: &str, path: &str) -> bool {
    path == href || (href != "/" && path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/')))
}

#[component]
pub fn NavLink(href: &'static str, path: PagePath, children: Children) -> impl IntoView {
    let current = move || path.try_get().filter(|path| is_current(href, path)).map(|_| "page");
    view! {
        <a href=href aria-current=current>
            {children()}
        </a>
    }
}
