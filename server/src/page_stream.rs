//! Each page is made on a thread of its own, and read to its end there.
//!
//! **One thread per page.** Leptos's reactive values are shared between threads behind locks,
//! but a memo read for the first time from two threads at once can be seen empty by one of
//! them, which then panics (seen once in CI: two worker threads, one page, a section's
//! parameters read by the page and by one of its loads). The loads a page starts
//! (`Executor::spawn`) used to go to any worker thread of the runtime. Here a page runs on a
//! thread of the blocking pool, inside a `LocalSet`, and [`PageThreads`] sends what the page
//! spawns to that same set: everything reactive of one page happens on one thread, as in
//! the browser. The database, timers and sockets stay with the runtime's workers.
//!
//! **Read to its end.** When the reader cancels, the server drops the answer, and with it
//! the page's reactive values; but suspended parts already started would still run and read
//! values that are gone, and panic. So the page's stream is read to its end on its thread,
//! and handed to the reader through an unbounded channel: a slow reader never holds a
//! thread, and a page is at most as large as its HTML. A page that takes longer than
//! `FINISH_WITHIN` to make is dropped anyway.
use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use tokio::task::LocalSet;
use tracing::Instrument;

/// How long a page may take to be made before it is dropped anyway.
const FINISH_WITHIN: Duration = Duration::from_secs(60);

thread_local! {
    /// The set of the page this thread is making, while it makes one.
    static PAGE_TASKS: RefCell<Option<Rc<LocalSet>>> = const { RefCell::new(None) };
}

/// This thread's page tasks, from its start to its end, even when the page panics (the
/// blocking pool's thread then serves other work, which must not spawn into a set gone by).
struct PageTasks(Rc<LocalSet>);

impl PageTasks {
    fn start() -> Self {
        let tasks = Rc::new(LocalSet::new());
        PAGE_TASKS.with(|page| *page.borrow_mut() = Some(Rc::clone(&tasks)));
        PageTasks(tasks)
    }
}

impl Drop for PageTasks {
    fn drop(&mut self) {
        // What the page started and did not need is dropped with the set, after the page.
        PAGE_TASKS.with(|page| page.borrow_mut().take());
    }
}

/// The tasks of the page this thread is making, if it is making one.
fn this_threads_page() -> Option<Rc<LocalSet>> {
    PAGE_TASKS.with(|tasks| tasks.borrow().clone())
}

/// Leptos's executor on the server: what a page spawns stays on the page's thread; anything
/// spawned elsewhere goes to the runtime, as with Leptos's own Tokio executor.
pub struct PageThreads;

impl PageThreads {
    /// Installs it, before Leptos installs its own on the first request. Idempotent.
    pub fn install() {
        // Already set (a second router in the same process, as in tests): nothing to do.
        let _ = Executor::init_custom_executor(PageThreads);
    }
}

impl CustomExecutor for PageThreads {
    fn spawn(&self, task: PinnedFuture<()>) {
        match this_threads_page() {
            Some(tasks) => {
                tasks.spawn_local(task);
            }
            None => {
                tokio::spawn(task);
            }
        }
    }

    fn spawn_local(&self, task: PinnedLocalFuture<()>) {
        match this_threads_page() {
            Some(tasks) => {
                tasks.spawn_local(task);
            }
            None => {
                tokio::task::spawn_local(task);
            }
        }
    }

    fn poll_local(&self) {}
}

pub async fn finish_pages(request: Request, next: Next) -> Response {
    // Pages are read with GET (HEAD answers the same way); everything else is left as is.
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let (answer, answered) = tokio::sync::oneshot::channel();
    let runtime = tokio::runtime::Handle::current();
    let span = tracing::Span::current();
    let made = tokio::task::spawn_blocking(move || {
        let tasks = PageTasks::start();
        let page = async move { make_page(next.run(request).await, answer).await }.instrument(span);
        runtime.block_on(tasks.0.run_until(page));
    });
    match answered.await {
        Ok(response) => response,
        Err(_) => {
            // The thread ended without an answer: it panicked, and says why.
            match made.await {
                Err(error) => tracing::error!(%error, "a page's thread ended without an answer"),
                Ok(()) => tracing::error!("a page's thread ended without an answer"),
            }
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Answers with `response`; a page is then read to its end here, on its own thread.
async fn make_page(response: Response, answer: tokio::sync::oneshot::Sender<Response>) {
    let is_page = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if !is_page {
        // The reader may be gone already; then there is nothing to do.
        let _ = answer.send(response);
        return;
    }
    let (parts, body) = response.into_parts();
    let (to_reader, mut for_reader) = tokio::sync::mpsc::unbounded_channel::<Result<bytes::Bytes, axum::Error>>();
    // `poll_recv` keeps answering "ended" once the page is done, however often it is asked.
    let stream = futures_util::stream::poll_fn(move |cx| for_reader.poll_recv(cx));
    let _ = answer.send(Response::from_parts(parts, Body::from_stream(stream)));
    let mut page = body.into_data_stream();
    let whole_page = async {
        while let Some(chunk) = page.next().await {
            // A reader who left still lets the page finish; the chunk is then dropped.
            let _ = to_reader.send(chunk);
        }
    };
    if tokio::time::timeout(FINISH_WITHIN, whole_page).await.is_err() {
        tracing::warn!("a page took over {} s to make; dropped", FINISH_WITHIN.as_secs());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt;

    /// What a page spawns runs on the thread that makes the page, even when it waits
    /// (timers and sockets stay with the runtime), and the page can be read to its end.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_page_and_what_it_spawns_run_on_one_thread() {
        PageThreads::install();
        let threads = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&threads);
        let handler = move || {
            let seen = Arc::clone(&seen);
            async move {
                let page_thread = std::thread::current().id();
                let (done, finished) = tokio::sync::mpsc::unbounded_channel();
                for _ in 0..32 {
                    let seen = Arc::clone(&seen);
                    let done = done.clone();
                    Executor::spawn(async move {
                        tokio::time::sleep(Duration::from_millis(1)).await;
                        seen.lock().map(|mut s| s.push(std::thread::current().id())).ok();
                        let _ = done.send(());
                    });
                }
                drop(done);
                let mut finished = finished;
                let mut count = 0;
                while finished.recv().await.is_some() {
                    count += 1;
                }
                seen.lock().map(|mut s| s.push(page_thread)).ok();
                (
                    [(CONTENT_TYPE, "text/html; charset=utf-8")],
                    format!("{count} tasks done"),
                )
            }
        };
        let app = axum::Router::new()
            .route("/", get(handler))
            .layer(axum::middleware::from_fn(finish_pages));
        for _ in 0..8 {
            threads.lock().map(|mut s| s.clear()).ok();
            assert_eq!(read(&app, "/").await, "32 tasks done");
            let threads = threads.lock().expect("threads").clone();
            assert_eq!(threads.len(), 33, "every task ran and the page answered");
            assert!(
                threads.iter().all(|thread| *thread == threads[32]),
                "a page's tasks ran on other threads than the page: {threads:?}"
            );
        }
    }

    /// Anything else than a page (a file, a redirect) is answered as it is.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn what_is_not_a_page_is_answered_as_it_is() {
        PageThreads::install();
        let app = axum::Router::new()
            .route("/file", get(|| async { ([(CONTENT_TYPE, "text/csv")], "a,b\n") }))
            .layer(axum::middleware::from_fn(finish_pages));
        assert_eq!(read(&app, "/file").await, "a,b\n");
    }

    /// The whole answer to `GET path`, which must be 200 OK.
    async fn read(app: &axum::Router, path: &str) -> String {
        let response = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).expect("request"))
            .await
            .expect("answer");
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
        String::from_utf8(body.to_vec()).expect("text")
    }
}
