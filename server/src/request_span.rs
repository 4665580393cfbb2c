//! Every request gets an id, carried by a tracing span around its handling: each log line
//! written for it (an internal error's cause above all) names the request, and the answer
//! carries the id in `X-Request-Id`, so a "something went wrong" a person reports can be
//! found in the log. A well-formed id set by a proxy in front is kept, so its log and ours
//! agree.
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// An id a proxy may hand us: short, and nothing a log line could be forged with.
fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn new_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn with_request_span(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| acceptable(id))
        .map(str::to_string)
        .unwrap_or_else(new_id);
    let span = tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path());
    let mut response = next.run(request).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_ids_are_taken_from_a_proxy() {
        assert!(acceptable("7f3a-22"));
        assert!(!acceptable(""));
        assert!(!acceptable("a b"));
        assert!(!acceptable("x\ninjected log line"));
        assert!(!acceptable(&"a".repeat(65)));
        assert_eq!(new_id().len(), 16);
        assert_ne!(new_id(), new_id());
    }
}
