//! The Content-Security-Policy of every response (server only).

/// The policy: same-origin everything; scripts only with this response's nonce (the
/// hydration bootstrap) when there is one, none inline otherwise. `dev` allows the
/// live-reload websocket of `cargo leptos watch`.
pub fn content_security_policy(nonce: Option<&str>, dev: bool) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_string(),
    };
    let connect = if dev {
        "'self' ws://127.0.0.1:3001 ws://localhost:3001"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         font-src 'self'; connect-src {connect}; manifest-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )
}

/// Gives this HTML response a fresh nonce and the policy that allows exactly it.
pub fn provide_page_policy(dev: bool) {
    use leptos::prelude::use_context;
    leptos::nonce::provide_nonce();
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = http::HeaderValue::from_str(&content_security_policy(Some(&nonce), dev)) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}
