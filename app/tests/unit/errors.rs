//! Internal errors: logged once, with their cause and the request they happened in.
use app::error::{internal, AppError};
use std::sync::{Arc, Mutex};

/// A log writer that keeps what it is given.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut log) = self.0.lock() {
            log.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn an_internal_error_is_logged_once_with_its_cause_and_request() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let error = tracing::subscriber::with_default(subscriber, || {
        let span = tracing::info_span!("request", id = %"5eed");
        let _inside = span.enter();
        Err::<(), _>("disk full").map_err(internal("saving the plan failed"))
    });
    assert_eq!(error, Err(AppError::Internal));
    let text = String::from_utf8(log.0.lock().map(|l| l.clone()).unwrap_or_default()).unwrap_or_default();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("ERROR"), "{text}");
    assert!(text.contains("saving the plan failed"), "{text}");
    assert!(text.contains("cause=disk full"), "{text}");
    assert!(text.contains("id=5eed"), "{text}");
}
