//! Pages are rendered to the end even when their reader leaves.
//!
//! A page streams while its suspended parts (what waits for the database) resolve. When the
//! reader cancels, the server drops the answer, and with it the page's reactive values;
//! but leptos still finishes the suspended parts it has started, and those then read values
//! that are gone and panic (a few in ten thousand cut-off requests, on any page with a form).
//! Here a page is made by a task of its own, and its stream is read to its end there, the
//! reader being fed while there is one, so nothing a page made is dropped before the page is
//! done: neither while the page waits for its first bytes (leptos renders the shell inside
//! the handler) nor while it streams. The cost
//! is the rest of a page nobody reads, bounded by `FINISH_WITHIN`; a reader still there is
//! never cut off, however slow their connection.
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::time::Duration;
use tracing::Instrument;

/// How long a page nobody reads any more may take to finish before it is dropped anyway.
const FINISH_WITHIN: Duration = Duration::from_secs(60);

/// Chunks held for a slow reader before the page waits for them.
const BUFFERED_CHUNKS: usize = 16;

pub async fn finish_pages(request: Request, next: Next) -> Response {
    // Pages are read with GET (HEAD answers the same way); everything else is left as is.
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let made = tokio::spawn(
        async move { read_pages_to_the_end(next.run(request).await) }.instrument(tracing::Span::current()),
    );
    match made.await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "a page's task ended without an answer");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn read_pages_to_the_end(response: Response) -> Response {
    let is_page = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if !is_page {
        return response;
    }
    let (parts, body) = response.into_parts();
    let (to_reader, mut for_reader) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, axum::Error>>(BUFFERED_CHUNKS);
    tokio::spawn(async move {
        let mut page = body.into_data_stream();
        // While the reader is there, the page goes at the reader's pace, however slow the
        // connection: only a page nobody reads any more is given a deadline.
        while let Some(chunk) = page.next().await {
            if to_reader.send(chunk).await.is_err() {
                let rest = async { while page.next().await.is_some() {} };
                if tokio::time::timeout(FINISH_WITHIN, rest).await.is_err() {
                    tracing::warn!(
                        "a page its reader left took over {} s to finish; dropped",
                        FINISH_WITHIN.as_secs()
                    );
                }
                return;
            }
        }
    });
    // `poll_recv` keeps answering "ended" once the page is done, however often it is asked.
    let stream = futures_util::stream::poll_fn(move |cx| for_reader.poll_recv(cx));
    Response::from_parts(parts, Body::from_stream(stream))
}
