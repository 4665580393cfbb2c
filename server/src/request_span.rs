//! Every request gets an id, carried by a tracing span around its handling, and one access
//! log line when it is answered (status and time): each log line
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

/// A random prefix per process (so that several instances never hand out the same id)
/// and a counter: unique, and no system call on the hot path.
fn new_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static PROCESS: OnceLock<u32> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let process = *PROCESS.get_or_init(|| {
        use rand::RngCore;
        rand::rngs::OsRng.next_u32()
    });
    format!("{process:08x}{:08x}", NEXT.fetch_add(1, Ordering::Relaxed) as u32)
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
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    // The access log: one line per answer, with the path but never the query string (a
    // reset link's token travels there) nor anything of the body.
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "answered"
        )
    });
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
