//! Request-level defences: CSRF (Origin / Sec-Fetch-Site), body limits, security headers.
use crate::WebSettings;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::{SessionManagerLayer, SessionStore};

/// Is a state-changing request coming from our own pages? Browsers tell us with
/// `Sec-Fetch-Site` (all current ones) or `Origin`; a request with neither is not from a
/// browser page and so cannot be a cross-site forgery.
pub fn same_origin(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        return !host.is_empty() && origin_host.eq_ignore_ascii_case(host);
    }
    true
}

/// Refuses a body announced as larger than the limit before reading it, with the
/// application's JSON error so the page can say so in the reader's language. Bodies without
/// a length are cut off by `RequestBodyLimitLayer` while they are read.
async fn announced_size_guard(limits: BodyLimits, request: Request, next: Next) -> Response {
    let limit = limits.for_path(request.uri().path());
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        if request.uri().path() == "/uploads/form" {
            // A plain form (JavaScript off): back to the page, which says why.
            return (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, "/documents?problem=too_large")],
            )
                .into_response();
        }
        let body = serde_json::to_string(&app::error::AppError::TooLarge).unwrap_or_default();
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    // Bodies without a length are cut off while they are read.
    let request = request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// The body limit of each route: small everywhere, larger where whole plans travel, one
/// chunk for resumable uploads, one file for the plain-form upload.
#[derive(Clone, Copy, Debug)]
struct BodyLimits {
    default: usize,
    plan_documents: usize,
    upload_form: usize,
}

/// A chunk and a little slack.
const UPLOAD_CHUNK_LIMIT: usize = domain::documents::CHUNK_SIZE as usize + 4096;

/// Routes that carry a whole plan document or a large table.
const PLAN_DOCUMENT_ROUTES: [&str; 2] = ["/api/plans/import", "/api/plans/table/save"];

impl BodyLimits {
    fn for_path(self, path: &str) -> usize {
        if PLAN_DOCUMENT_ROUTES.contains(&path) {
            self.plan_documents
        } else if path == "/uploads/form" {
            self.upload_form
        } else if path.starts_with("/uploads/") {
            UPLOAD_CHUNK_LIMIT
        } else {
            self.default
        }
    }
}

async fn csrf_guard(request: Request, next: Next) -> Response {
    if same_origin(request.method(), request.headers()) {
        next.run(request).await
    } else {
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

fn header_layer(name: &'static str, value: &str) -> Option<SetResponseHeaderLayer<HeaderValue>> {
    HeaderValue::from_str(value)
        .ok()
        .map(|v| SetResponseHeaderLayer::if_not_present(HeaderName::from_static(name), v))
}

/// Wraps the router in the security layers, outermost first: headers, body limit, CSRF,
/// sessions.
pub fn wrap<S: SessionStore + Clone>(app: Router, sessions: SessionManagerLayer<S>, web: &WebSettings) -> Router {
    let mut app = app
        .layer(sessions)
        .layer(middleware::from_fn(csrf_guard))
        .layer(middleware::from_fn({
            let limits = BodyLimits {
                default: web.body_limit,
                plan_documents: web.plan_body_limit,
                upload_form: web.upload_form_limit,
            };
            move |request, next| announced_size_guard(limits, request, next)
        }))
        .layer(axum::extract::DefaultBodyLimit::max(web.plan_body_limit));
    // Pages set their own policy with a per-response nonce; this one covers the rest.
    let csp = app::security::content_security_policy(None, web.dev);
    let mut headers = vec![
        ("content-security-policy", csp.as_str()),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("permissions-policy", "camera=(self), microphone=(), geolocation=()"),
        ("cross-origin-opener-policy", "same-origin"),
        // Pages and answers carry people's names, ID numbers and plans: no browser or proxy
        // cache keeps them. Static files set their own (long) caching and keep it.
        ("cache-control", "no-store"),
    ];
    // Behind HTTPS (the only case secure cookies are for), browsers are told to stay there.
    if web.secure_cookies {
        headers.push(("strict-transport-security", "max-age=31536000"));
    }
    for (name, value) in headers {
        if let Some(layer) = header_layer(name, value) {
            app = app.layer(layer);
        }
    }
    app
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(HeaderName::from_static(name), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn reads_are_always_allowed() {
        assert!(same_origin(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")])));
    }

    #[test]
    fn cross_site_posts_are_refused() {
        assert!(!same_origin(
            &Method::POST,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(!same_origin(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(!same_origin(
            &Method::POST,
            &headers(&[("origin", "https://evil.example"), ("host", "riyada.ps")])
        ));
        assert!(!same_origin(
            &Method::POST,
            &headers(&[("origin", "null"), ("host", "riyada.ps")])
        ));
    }

    #[test]
    fn same_origin_posts_pass() {
        assert!(same_origin(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(same_origin(
            &Method::POST,
            &headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])
        ));
        assert!(same_origin(&Method::POST, &HeaderMap::new()));
    }
}
