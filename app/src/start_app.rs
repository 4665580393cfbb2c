//! How a page that needs the app starts it (rendered on the server, in `<head>`): the WebAssembly
//! is fetched and compiled by a worker thread while the page is read, then instantiated and
//! hydrated when the page is idle (see `start_app.js` and docs/performance.md).
use crate::components::page_start::BrowserBuild;
use leptos::prelude::*;

/// Where the server serves the worker that compiles the app.
pub const WASM_WORKER_PATH: &str = "/wasm-worker.js";

/// The worker's source, served at [`WASM_WORKER_PATH`].
#[cfg(feature = "ssr")]
pub const WASM_WORKER_SOURCE: &str = include_str!("wasm_worker.js");

/// The paths of the app's JavaScript and WebAssembly (with their content hashes in a release
/// build). The server provides them to every page it renders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppBundle {
    pub js: String,
    pub wasm: String,
}

/// The islands build's JavaScript and WebAssembly (docs/performance.md, "Two browser
/// builds"). Without it (a build that did not make it) every page starts the whole app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IslandsBundle(pub AppBundle);

/// The start-up script without its comments.
fn start_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| inline_script(include_str!("start_app.js")))
}

/// A script to inline in a page: without its comment lines and indentation.
pub fn inline_script(source: &str) -> String {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The call that starts the app with these files; with `unsent_prefix`, only when the
/// browser's storage holds a key that starts with it. `build` says whether the files are the
/// whole app or the islands build.
pub fn start_call(bundle: &AppBundle, unsent_prefix: Option<&str>, build: BrowserBuild) -> String {
    let quoted = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string());
    format!(
        "{}({},{},{},{},{});",
        start_script(),
        quoted(&bundle.js),
        quoted(&bundle.wasm),
        quoted(WASM_WORKER_PATH),
        unsent_prefix.map(quoted).unwrap_or_else(|| "null".to_string()),
        build == BrowserBuild::Islands
    )
}

/// The build that starts the page being drawn: the islands build where the server chose it
/// for this page and has its files, the whole app otherwise.
pub fn page_bundle() -> Option<(AppBundle, BrowserBuild)> {
    match use_context::<BrowserBuild>() {
        Some(BrowserBuild::Islands) => use_context::<IslandsBundle>().map(|b| (b.0, BrowserBuild::Islands)),
        _ => use_context::<AppBundle>().map(|b| (b, BrowserBuild::WholeApp)),
    }
}

/// The app's JavaScript is hinted at low priority (the page's stylesheet and font come first
/// on a slow line); the WebAssembly is not preloaded, because the worker fetches it and a
/// preload in the page would download it a second time. Without the bundle's names (a page
/// rendered outside the server) Leptos's own deferred hydration is used.
///
/// With `only_when_unsent`, the app starts only when the browser's storage holds a key
/// starting with that prefix (edits kept on the device), and nothing is hinted: without
/// them the page costs no part of the app.
#[component]
pub fn StartApp(options: LeptosOptions, #[prop(optional)] only_when_unsent: Option<&'static str>) -> impl IntoView {
    match page_bundle() {
        Some((bundle, build)) => {
            let call = start_call(&bundle, only_when_unsent, build);
            let hint = only_when_unsent.is_none().then(|| bundle.js.clone());
            view! {
                {hint.map(|js| view! { <link rel="modulepreload" href=js fetchpriority="low" /> })}
                // Classic, not a module: it runs as soon as it is parsed, so the worker starts
                // the download as early as a preload would.
                <script nonce=leptos::nonce::use_nonce() inner_html=call></script>
            }
            .into_any()
        }
        None if only_when_unsent.is_some() => ().into_any(),
        None => view! { <HydrationScripts options defer=true /> }.into_any(),
    }
}
