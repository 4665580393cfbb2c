//! Riyada: the One-Stop Shop portal. This crate holds the web application: one folder per
//! area (pages, server functions, server logic, SQL), the shared pieces below them (`lang`,
//! `components`, the request guard) and the routes. The pure rules are in the `domain`
//! crate; `server/` wires this into axum and `frontend/` hydrates it in the browser.
//! `docs/architecture.md` says which part may use which.
#![recursion_limit = "256"]

pub mod i18n;

// The areas; which may use which is in docs/architecture.md (and checked by a test).
pub mod auth;
pub mod case;
pub mod documents;
pub mod establishments;
pub mod fund;
pub mod notify;
pub mod plan;
pub mod profile;
pub mod review;
pub mod services;
pub mod staff;

// What every area may use.
#[cfg(feature = "ssr")]
pub mod audit;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod error;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod lang;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod session_store;
#[cfg(feature = "ssr")]
pub mod state;

// The frame of every page and the public landing page, above the areas.
pub mod landing;
pub mod layout;
// How the pages that need the app start it.
pub mod start_app;

use crate::i18n::*;
use components::current_user::AuthRefresh;
use layout::Layout;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Html, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::SsrMode;
use start_app::StartApp;

pub use lang::LANG_COOKIE;

/// Registers the service worker and wires the update and offline notices of the layout;
/// inlined in every page without its comments.
fn pwa_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| start_app::inline_script(include_str!("pwa.js")))
}

/// Pages that are complete as server-rendered HTML and hold nothing that needs the app: the
/// public pages (their forms post without JavaScript) and, signed in, the home page and the
/// menu (links, and the sign-out and language forms, which post). They ship no WebAssembly,
/// so a first visit on a slow, metered line costs the page, its stylesheet and font, and
/// signing in to see where one stands costs nothing more (see docs/performance.md); the
/// app's WASM comes with the first page that needs it.
pub const PLAIN_PAGES: &[&str] = &[
    "/",
    "/sign-in",
    "/register",
    "/forgot-password",
    "/reset-password",
    "/offline",
    "/home",
    "/menu",
];

/// The plain pages a signed-in person lands on (after signing in, or opening the portal
/// again). Edits made offline wait on the device until the app sends them
/// (`plan::device_sync`), so these pages start the app when the device holds any; without
/// them they stay plain.
pub const SENDS_UNSENT_EDITS: &[&str] = &["/home", "/menu"];

/// The path of the page being rendered.
#[cfg(feature = "ssr")]
fn page_path() -> Option<String> {
    use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_string())
}

/// The browser build the server chose for this page (`server`, from who reads it: the
/// whole app for staff, the islands build for everyone else), if the islands build's files
/// are there; the whole app otherwise.
#[cfg(feature = "ssr")]
fn page_build() -> components::page_start::BrowserBuild {
    use components::page_start::BrowserBuild;
    let chosen =
        use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<BrowserBuild>().copied());
    match chosen {
        Some(BrowserBuild::Islands) if use_context::<start_app::IslandsBundle>().is_some() => BrowserBuild::Islands,
        _ => BrowserBuild::WholeApp,
    }
}

/// The HTML document around the app, rendered on the server only. `lang` and `dir` on
/// `<html>` come from the page's language (`App`), so Arabic pages are RTL from the first byte.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::provide_page_policy(options.env == leptos::config::Env::DEV);
    #[cfg(feature = "ssr")]
    provide_context(page_build());
    #[cfg(feature = "ssr")]
    let path = page_path().unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let path = String::new();
    let plain = PLAIN_PAGES.contains(&path.as_str());
    // Compiles the WASM off the main thread and hydrates when it is idle (see start_app.rs).
    let hydration = if !plain {
        Some(view! { <StartApp options=options.clone() /> }.into_any())
    } else if SENDS_UNSENT_EDITS.contains(&path.as_str()) {
        let unsent = plan::autosave::DEVICE_PREFIX;
        Some(view! { <StartApp options=options.clone() only_when_unsent=unsent /> }.into_any())
    } else {
        None
    };
    view! {
        <!DOCTYPE html>
        <html data-plain=plain.then_some("")>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet id="leptos" options=options.clone() />
                <link
                    rel="preload"
                    href="/fonts/NotoSansArabic.woff2"
                    r#as="font"
                    r#type="font/woff2"
                    crossorigin="anonymous"
                />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon-192.png" r#type="image/png" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                {hydration}
                // Says "JavaScript runs" before the body is drawn, so notes meant only for
                // readers without it (`.needs-js`) never flash while the WASM loads.
                <script
                    nonce=leptos::nonce::use_nonce()
                    inner_html="document.documentElement.setAttribute('data-js', '')"
                ></script>
                // Installs the service worker, offers a new version, keeps pages for offline
                // reading (see pwa.js).
                <script nonce=leptos::nonce::use_nonce() inner_html=pwa_script()></script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    // One head for the whole page: the titles of the pages and the `<html>` attributes below.
    leptos_meta::provide_meta_context();
    // Arabic unless the reader chose English: the browser's Accept-Language is ignored.
    let locale = i18n::provide_page_language();
    let dir = match locale {
        Locale::ar => "rtl",
        Locale::en => "ltr",
    };
    view! {
        <AppBody />
        <Html attr:lang=locale.as_str() attr:dir=dir />
    }
}

#[component]
fn AppBody() -> impl IntoView {
    let i18n = use_i18n();
    provide_context(AuthRefresh(RwSignal::new(0)));
    // Marks the page as interactive once hydrated (effects run only in the browser); the
    // browser tests wait for it before typing.
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Meta name="description" content=move || td_string!(i18n, app_tagline) />
        <Meta name="theme-color" content="#0f5e4d" />
        <Title formatter=move |page: String| {
            let app = td_string!(i18n, app_name).to_string();
            if page.is_empty() { app } else { format!("{page} · {app}") }
        } />
        <Router>
            <Layout>
                // In-order streaming: every page arrives complete, so forms and data work
                // with JavaScript off (out-of-order streaming needs a script to place them).
                <Routes fallback=components::not_found::NotFound>
                    <Route path=path!("/") view=landing::LandingPage ssr=SsrMode::InOrder />
                    <Route path=path!("/offline") view=components::offline::OfflinePage ssr=SsrMode::InOrder />
                    <Route path=path!("/menu") view=layout::MenuPage ssr=SsrMode::InOrder />
                    <Route path=path!("/register") view=auth::pages::RegisterPage ssr=SsrMode::InOrder />
                    <Route path=path!("/sign-in") view=auth::pages::SignInPage ssr=SsrMode::InOrder />
                    <Route path=path!("/forgot-password") view=auth::pages::ForgotPasswordPage ssr=SsrMode::InOrder />
                    <Route path=path!("/reset-password") view=auth::pages::ResetPasswordPage ssr=SsrMode::InOrder />
                    <Route path=path!("/home") view=case::pages::home::HomePage ssr=SsrMode::InOrder />
                    <Route path=path!("/profile") view=profile::pages::ProfilePage ssr=SsrMode::InOrder />
                    <Route path=path!("/verify-phone") view=profile::pages::VerifyPhonePage ssr=SsrMode::InOrder />
                    <Route path=path!("/plans") view=plan::pages::list::PlansPage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/plans/:id")
                        view=review::pages::comments::PlanWithComments
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/plans/:id/review")
                        view=review::pages::sheet::ReviewSheetPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=path!("/staff/rubric") view=review::pages::rubric::RubricPage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/plans/:id/changes")
                        view=review::pages::diff::RevisionDiffPage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/plans/:id/:section")
                        view=review::pages::comments::SectionWithComments
                        ssr=SsrMode::InOrder
                    />
                    <Route path=path!("/fund") view=fund::pages::DashboardPage ssr=SsrMode::InOrder />
                    <Route path=path!("/fund/audit") view=fund::pages::AuditLogPage ssr=SsrMode::InOrder />
                    <Route path=path!("/fund/labour") view=fund::pages::LabourPage ssr=SsrMode::InOrder />
                    <Route path=path!("/fund/sms") view=fund::pages::SmsPage ssr=SsrMode::InOrder />
                    <Route path=path!("/staff/users") view=staff::pages::UsersPage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/staff/establishments")
                        view=establishments::pages::RegisterPage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/staff/establishments/:id")
                        view=establishments::pages::EstablishmentPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=path!("/documents") view=documents::pages::MyDocumentsPage ssr=SsrMode::InOrder />
                    <Route path=path!("/notifications") view=notify::pages::NotificationsPage ssr=SsrMode::InOrder />
                    <Route path=path!("/staff/plans") view=review::pages::queue::QueuePage ssr=SsrMode::InOrder />
                    <Route path=path!("/staff/documents") view=documents::pages::ReviewQueuePage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/staff/documents/:owner")
                        view=documents::pages::OwnerDocumentsPage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/staff/document-checklist")
                        view=documents::pages::ChecklistSettingsPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=path!("/case") view=case::pages::case_file::CaseFilePage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/staff/case/:user")
                        view=case::pages::case_file::CaseFilePage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=path!("/services") view=services::pages::ServicesPage ssr=SsrMode::InOrder />
                    <Route path=path!("/services/formalise") view=services::pages::FormalisePage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/services/requests/:id")
                        view=services::pages::RequestPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=path!("/staff/services") view=services::pages::StaffRequestsPage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/staff/catalogue")
                        view=services::pages::CatalogueEditorPage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/staff/deleted-plans")
                        view=plan::pages::restore::DeletedPlansPage
                        ssr=SsrMode::InOrder
                    />
                </Routes>
            </Layout>
        </Router>
    }
}
