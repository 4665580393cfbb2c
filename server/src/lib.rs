//! Wires the Riyada application into axum: configuration, database, sessions, security
//! middleware, static files. `main.rs` adds the command line on top.
pub mod assets;
pub mod backup;
pub mod config;
pub mod demo;
pub mod exports;
pub mod jobs;
pub mod lifecycle;
pub mod mailer;
pub mod page_stream;
pub mod pdf;
pub mod request_span;
pub mod security;
pub mod sheets;
pub mod texter;
pub mod uploads;

use app::session_store::DbSessionStore;
use app::state::{AppState, ThrottleLimits};
use app::{shell, App, LANG_COOKIE};
use axum::extract::{Form, Path, Query};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde::Deserialize;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Everything the router needs, decided once at start-up.
#[derive(Clone, Debug)]
pub struct WebSettings {
    /// Serve cookies with `Secure` and the `__Host-` prefix (set when behind HTTPS).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Largest body of the routes that carry a whole plan (import, table saves).
    pub plan_body_limit: usize,
    /// Largest body of a whole-file form upload (JavaScript off): the per-file limit plus room
    /// for the form around it.
    pub upload_form_limit: usize,
    /// Sessions end after this long without a request.
    pub idle_timeout_minutes: i64,
    /// Development mode: allow the live-reload websocket in the CSP.
    pub dev: bool,
    /// Pages compressed with brotli as well as gzip.
    pub brotli_pages: bool,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            secure_cookies: false,
            body_limit: 64 * 1024,
            // A 1 MB plan document, JSON-escaped inside the request.
            plan_body_limit: 2 * 1024 * 1024,
            upload_form_limit: domain::documents::FILE_MAX_DEFAULT as usize + 64 * 1024,
            idle_timeout_minutes: 8 * 60,
            dev: false,
            brotli_pages: false,
        }
    }
}

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-riyada_session"
    } else {
        "riyada_session"
    }
}

/// The app's page routes, listed once per process. Listing them runs the app with resource
/// loading paused for the whole process (a global switch in Leptos), so a page rendering at
/// that moment would wait forever; every router after the first (the tests build one each,
/// side by side) reuses the first list instead of pausing the others again.
fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the whole web application.
pub fn build_router(
    state: AppState,
    options: LeptosOptions,
    web: &WebSettings,
    uploads: std::sync::Arc<uploads::Uploads>,
) -> Router {
    page_stream::PageThreads::install();
    let routes = page_routes();
    // The application's own cookies (a visitor's form draft) follow the session cookie.
    let state = AppState {
        secure_cookies: web.secure_cookies,
        ..state
    };
    let context_state = state.clone();
    let fallback_state = state.clone();
    let store = DbSessionStore::new(state.pool.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(session_cookie_name(web.secure_cookies))
        .with_secure(web.secure_cookies)
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(web.idle_timeout_minutes)));
    let secure = web.secure_cookies;
    let site_assets = assets::SiteAssets::load(&options);
    let bundle = site_assets.bundle();
    let islands = site_assets.islands.clone();
    let app = Router::new()
        .merge(assets::routes(&options, &site_assets))
        .route("/lang/{code}", {
            let pool = state.pool.clone();
            get(move |Path(code): Path<String>, Query(q): Query<NextPage>| async move {
                language_switched(&code, q.next, secure)
            })
            .post(move |session, Path(code): Path<String>, Form(q): Form<NextPage>| {
                set_language(pool.clone(), session, code, q.next, secure)
            })
        })
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", {
            let pool = state.pool.clone();
            let uploads = uploads.clone();
            get(move || readiness(pool.clone(), uploads.clone()))
        })
        .route("/plans/{id}/export/plan.json", {
            let state = state.clone();
            get(move |session, path, headers| exports::plan_json(state.clone(), session, path, headers))
        })
        .route("/plans/{id}/export/plan.pdf", {
            let state = state.clone();
            let slots = std::sync::Arc::new(exports::PdfSlots::default());
            get(move |session, path, headers| exports::plan_pdf(state.clone(), slots.clone(), session, path, headers))
        })
        .route("/fund/export/{file}", {
            let state = state.clone();
            get(move |session, path, query, headers| {
                exports::dashboard_table(state.clone(), session, path, query, headers)
            })
        })
        .route("/review/export/{file}", {
            let state = state.clone();
            get(move |session, path, query, headers| exports::queue_table(state.clone(), session, path, query, headers))
        })
        .route("/staff/establishments/export/{file}", {
            let state = state.clone();
            get(move |session, path, query, headers| {
                exports::register_table(state.clone(), session, path, query, headers)
            })
        })
        .merge(uploads::routes::routes(uploads::routes::DocumentRoutes {
            state: state.clone(),
            uploads,
        }))
        .leptos_routes_with_context(
            &options,
            routes,
            {
                let bundle = bundle.clone();
                let islands = islands.clone();
                move || {
                    provide_context(context_state.clone());
                    provide_context(bundle.clone());
                    if let Some(islands) = &islands {
                        provide_context(islands.clone());
                    }
                }
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        // Unknown pages render the 404 page with the same context as every page, so the
        // menu there knows who is signed in.
        .fallback(leptos_axum::file_and_error_handler_with_context(
            {
                let state = fallback_state;
                move || {
                    provide_context(state.clone());
                    provide_context(bundle.clone());
                    if let Some(islands) = &islands {
                        provide_context(islands.clone());
                    }
                }
            },
            shell,
        ))
        .with_state(options)
        .layer(axum::middleware::from_fn(page_stream::finish_pages))
        .layer(axum::middleware::from_fn({
            let pool = state.pool.clone();
            move |request, next| name_the_reader(pool.clone(), request, next)
        }));
    security::wrap(app, sessions, web)
        .layer(compression(web.brotli_pages))
        .layer(axum::middleware::from_fn(request_span::with_request_span))
}

/// `GET /readyz`: `ready` when the database answers and the document store is reachable, so
/// a load balancer sends people to this instance only then; otherwise 503 naming what is
/// not (each cause logged). `/healthz` only says the process is alive.
async fn readiness(pool: app::db::Pool, uploads: std::sync::Arc<uploads::Uploads>) -> Response {
    let missing: Vec<&str> = [
        not_answering("database", sqlx::query("SELECT 1").execute(&pool)).await,
        not_answering("documents", uploads.storage.exists("readiness-probe")).await,
    ]
    .into_iter()
    .flatten()
    .collect();
    if missing.is_empty() {
        (StatusCode::OK, "ready").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {}", missing.join(", ")),
        )
            .into_response()
    }
}

/// `Some(what)` when `check` fails or takes over 3 seconds (the cause logged).
async fn not_answering<T, E: std::fmt::Display>(
    what: &'static str,
    check: impl std::future::Future<Output = Result<T, E>>,
) -> Option<&'static str> {
    match tokio::time::timeout(std::time::Duration::from_secs(3), check).await {
        Ok(Ok(_)) => None,
        Ok(Err(error)) => {
            tracing::error!(%error, "not ready: the {what} store does not answer");
            Some(what)
        }
        Err(_) => {
            tracing::error!("not ready: the {what} store did not answer within 3 s");
            Some(what)
        }
    }
}

/// Tells the service worker whose page this is (`X-Riyada-Reader`: `entrepreneur`, `staff`
/// or `none`), which decides what it keeps for offline reading: an entrepreneur's own
/// pages; nothing on a staff member's device (their pages hold other people's data); and
/// signed out (also when the session ended or expired on the server), the public pages only.
///
/// For a page asked for, the reader also decides the browser build that starts it
/// (`BrowserBuild` in the request's extensions, read by `app::shell`): the whole app for staff,
/// whose pages are interactive throughout; the islands build for everyone else.
async fn name_the_reader(
    pool: app::db::Pool,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use app::components::page_start::BrowserBuild;
    let session = request.extensions().get::<tower_sessions::Session>().cloned();
    let reader_of = |session: Option<tower_sessions::Session>| {
        let pool = pool.clone();
        async move {
            match session {
                // A failure here was logged where it happened; the page then counts as signed out.
                Some(session) => app::guard::actor_of(&pool, &session).await.ok().flatten(),
                None => None,
            }
        }
    };
    let page_asked = request.method() == axum::http::Method::GET
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    let known = if page_asked {
        let reader = reader_of(session.clone()).await;
        let build = match reader.as_ref().map(|actor| actor.role) {
            Some(domain::roles::Role::Entrepreneur) | None => BrowserBuild::Islands,
            Some(_) => BrowserBuild::WholeApp,
        };
        request.extensions_mut().insert(build);
        Some(reader)
    } else {
        None
    };
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !html {
        return response;
    }
    // Asked again after the page when it was not a page load: the page may have signed the
    // reader in or out.
    let reader = match known {
        Some(reader) => reader,
        None => reader_of(session).await,
    };
    let value = match reader.map(|actor| actor.role) {
        Some(domain::roles::Role::Entrepreneur) => "entrepreneur",
        Some(_) => "staff",
        None => "none",
    };
    response.headers_mut().insert(
        HeaderName::from_static("x-riyada-reader"),
        HeaderValue::from_static(value),
    );
    response
}

/// Pages and server-function answers are compressed as they stream out: gzip, and brotli
/// only when asked (`--brotli-pages`: a landing page costs 2.4 KB instead of 2.6 KB but the
/// server answers half as many per second). Static files arrive already compressed from
/// disk (brotli), and formats that are compressed already (WASM, fonts, images, PDFs) are
/// left alone. Quality 4: most of the gain for little CPU on a 2-core server.
fn compression(brotli: bool) -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    use tower_http::compression::{CompressionLayer, CompressionLevel};
    let predicate = DefaultPredicate::new()
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::const_new("font/"))
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/zip"));
    CompressionLayer::new()
        .br(brotli)
        .gzip(true)
        .quality(CompressionLevel::Fastest)
        .compress_when(predicate)
}

#[derive(Deserialize)]
struct NextPage {
    next: Option<String>,
}

/// `POST /lang/en` with `next=/profile` (the menu's button; same-site only, like every
/// POST): switches the language and a signed-in person's e-mail follows it.
async fn set_language(
    pool: app::db::Pool,
    session: tower_sessions::Session,
    code: String,
    next: Option<String>,
    secure: bool,
) -> Response {
    if matches!(code.as_str(), "ar" | "en") {
        if let Ok(Some(user)) = session.get::<i64>(app::session_store::USER_KEY).await {
            // The language is switched either way; a failure (logged where it happens) only
            // leaves the person's e-mail in the language they had.
            let _ = app::auth::store::set_locale(&pool, user, &code).await;
        }
    }
    language_switched(&code, next, secure)
}

/// `GET /lang/en?next=/profile`: remembers the language in a cookie and returns to the page.
/// A plain link anyone may follow, so it writes nothing but the cookie.
fn language_switched(code: &str, next: Option<String>, secure: bool) -> Response {
    let lang = match code {
        "ar" | "en" => code,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    // Only same-site paths: never an open redirect.
    let next = next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() < 512)
        .filter(|n| !n.chars().any(|c| c.is_control()))
        .unwrap_or_else(|| "/".to_string());
    let cookie = format!(
        "{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    );
    let mut response = (StatusCode::SEE_OTHER, [(header::CACHE_CONTROL, "no-store")]).into_response();
    if let (Ok(cookie), Ok(location)) = (HeaderValue::from_str(&cookie), HeaderValue::from_str(&next)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Application state over a freshly opened database.
pub async fn open_state(url: &str, max_connections: u32) -> Result<AppState, app::db::DbError> {
    let (pool, backend) = app::db::connect(url, max_connections).await?;
    // Columns added after rows were written, which SQL alone cannot fill.
    app::plan::store::refresh_stale_facts(&pool)
        .await
        .map_err(|e| app::db::DbError::Backfill(e.to_string()))?;
    app::services::store::fill_working_days(&pool)
        .await
        .map_err(|e| app::db::DbError::Backfill(e.to_string()))?;
    Ok(AppState {
        pool,
        backend,
        throttle: ThrottleLimits::default(),
        documents: domain::documents::DocumentLimits::default(),
        mail: None,
        sms: None,
        trusted_proxies: domain::network::TrustedProxies::default(),
        secure_cookies: false,
    })
}
