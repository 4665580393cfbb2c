//! The HTTP side of documents (see `docs/api.md`):
//! - `POST /uploads` announces a file (JSON `UploadStart`) and answers where it stands;
//!   announcing the same file again (same SHA-256 and size) resumes its upload;
//! - `GET /uploads/{id}` says how many bytes are stored;
//! - `PUT /uploads/{id}?offset=N` stores the next chunk (1 MiB, the last one shorter); the
//!   last chunk turns the upload into a document or refuses it;
//! - `DELETE /uploads/{id}` cancels;
//! - `POST /uploads/form` takes a whole file as a plain HTML form (JavaScript off);
//! - `GET /documents/{id}/file` and `/documents/{id}/thumb` serve a document or its
//!   thumbnail to the owner, the staff of the owner's chamber and the Fund (404 for others).
use super::{chunk_key, new_upload_id, Uploads};
use crate::exports::{locale_of, refuse};
use app::documents::server::{document_from_upload, own_upload, readable_file, start_upload};
use app::documents::store::{advance_upload, UploadRow};
use app::documents::{DocumentView, UploadProgress, UploadStart};
use app::error::{internal, AppError};
use app::guard::actor_of_session;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::documents::{attachment_disposition, check_chunk, FileProblem, CHUNK_SIZE};
use domain::roles::Actor;
use futures_util::StreamExt;
use leptos::prelude::LeptosOptions;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tower_sessions::Session;

#[derive(Clone)]
pub struct DocumentRoutes {
    pub state: AppState,
    pub uploads: Arc<Uploads>,
}

pub fn routes(ctx: DocumentRoutes) -> Router<LeptosOptions> {
    Router::new()
        .route("/uploads", post(start))
        // The form carries a whole file: the request-level limit (set per path in
        // `security`) applies instead of the small default for extractors.
        .route("/uploads/form", post(form_upload).layer(DefaultBodyLimit::disable()))
        .route("/uploads/{id}", get(status).put(chunk).delete(cancel))
        .route("/documents/{id}/file", get(download))
        .route("/documents/{id}/thumb", get(thumbnail))
        .with_state(ctx)
}

fn json_error(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CACHE_CONTROL, "no-store")], Json(error)).into_response()
}

/// The answer for an upload that already became a document.
fn finished(id: &str, document: DocumentView) -> UploadProgress {
    UploadProgress {
        id: id.to_string(),
        size: document.size,
        received: document.size,
        chunk_size: CHUNK_SIZE,
        document: Some(document),
    }
}

/// When an upload is not (or no longer) there, it may have finished meanwhile (a retry whose
/// first attempt's answer was lost, or two requests finishing it at once): answer with its
/// document then, and pass the error on otherwise.
async fn or_finished(
    ctx: &DocumentRoutes,
    actor: &Actor,
    id: &str,
    error: AppError,
) -> Result<UploadProgress, AppError> {
    if error != AppError::NotFound {
        return Err(error);
    }
    match document_from_upload(&ctx.state.pool, actor, id).await? {
        Some(document) => Ok(finished(id, document)),
        None => Err(error),
    }
}

/// An upload's progress; once every byte is there, the file is checked and the answer
/// carries the document (or the refusal).
async fn where_it_stands(ctx: &DocumentRoutes, actor: &Actor, upload: UploadRow) -> Result<UploadProgress, AppError> {
    let mut answer = progress(&upload);
    if upload.received == upload.size {
        match ctx.uploads.finish_chunked(&ctx.state, &upload).await {
            Ok(document) => answer.document = Some(document),
            Err(error) => return or_finished(ctx, actor, &upload.id, error).await,
        }
    }
    Ok(answer)
}

fn json_answer(status: StatusCode, result: Result<UploadProgress, AppError>) -> Response {
    match result {
        Ok(answer) => (status, [(header::CACHE_CONTROL, "no-store")], Json(answer)).into_response(),
        Err(error) => json_error(error),
    }
}

fn progress(upload: &UploadRow) -> UploadProgress {
    UploadProgress {
        id: upload.id.clone(),
        size: upload.size,
        received: upload.received,
        chunk_size: CHUNK_SIZE,
        document: None,
    }
}

async fn start(State(ctx): State<DocumentRoutes>, session: Session, body: Body) -> Response {
    let result = async {
        let actor = actor_of_session(&ctx.state.pool, &session).await?;
        ctx.uploads.space.check()?;
        let bytes = axum::body::to_bytes(body, 16 * 1024)
            .await
            .map_err(|_| AppError::TooLarge)?;
        let announced: UploadStart =
            serde_json::from_slice(&bytes).map_err(|_| AppError::File(FileProblem::UnknownType))?;
        start_upload(
            &ctx.state.pool,
            &actor,
            &announced,
            ctx.state.documents,
            new_upload_id(),
        )
        .await
    }
    .await;
    json_answer(StatusCode::CREATED, result.map(|upload| progress(&upload)))
}

/// Where an upload stands. An upload whose bytes all arrived but whose check was cut short
/// (the server stopped) is finished now.
async fn status(State(ctx): State<DocumentRoutes>, session: Session, Path(id): Path<String>) -> Response {
    let result = async {
        let actor = actor_of_session(&ctx.state.pool, &session).await?;
        let upload = match own_upload(&ctx.state.pool, &actor, &id).await {
            Ok(upload) => upload,
            Err(error) => return or_finished(&ctx, &actor, &id, error).await,
        };
        where_it_stands(&ctx, &actor, upload).await
    }
    .await;
    json_answer(StatusCode::OK, result)
}

#[derive(Deserialize)]
struct ChunkAt {
    offset: u64,
}

async fn chunk(
    State(ctx): State<DocumentRoutes>,
    session: Session,
    Path(id): Path<String>,
    Query(at): Query<ChunkAt>,
    body: Body,
) -> Response {
    let result = async {
        let actor = actor_of_session(&ctx.state.pool, &session).await?;
        let upload = match own_upload(&ctx.state.pool, &actor, &id).await {
            Ok(upload) => upload,
            Err(error) => return or_finished(&ctx, &actor, &id, error).await,
        };
        let bytes = axum::body::to_bytes(body, CHUNK_SIZE as usize).await.map_err(|_| {
            AppError::File(FileProblem::OutOfOrder {
                received: upload.received,
            })
        })?;
        let len = bytes.len() as u64;
        check_chunk(upload.received, upload.size, at.offset, len).map_err(AppError::File)?;
        ctx.uploads.space.check()?;
        ctx.uploads
            .storage
            .put_bytes(&chunk_key(&upload.id, at.offset / CHUNK_SIZE), bytes)
            .await
            .map_err(|error| {
                tracing::error!(%error, "storing a chunk failed");
                AppError::Internal
            })?;
        let to = at.offset + len;
        if !advance_upload(&ctx.state.pool, &upload.id, at.offset, to).await? {
            // Another request stored this chunk first (a retry): say where things stand.
            let now = own_upload(&ctx.state.pool, &actor, &id).await?;
            return Ok(progress(&now));
        }
        where_it_stands(&ctx, &actor, UploadRow { received: to, ..upload }).await
    }
    .await;
    json_answer(StatusCode::OK, result)
}

async fn cancel(State(ctx): State<DocumentRoutes>, session: Session, Path(id): Path<String>) -> Response {
    let result = async {
        let actor = actor_of_session(&ctx.state.pool, &session).await?;
        let upload = own_upload(&ctx.state.pool, &actor, &id).await?;
        ctx.uploads.cancel(&ctx.state, &upload.id).await
    }
    .await;
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => json_error(error),
    }
}

/// Back to "my documents" after a plain form upload, saying how it went.
fn back_to_documents(outcome: Result<i64, AppError>) -> Response {
    let location = match outcome {
        Ok(id) => format!("/documents?uploaded={id}"),
        Err(AppError::File(problem)) => {
            let kind = serde_json::to_value(problem)
                .ok()
                .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
                .unwrap_or_default();
            format!("/documents?problem={kind}")
        }
        Err(AppError::TooLarge) => "/documents?problem=too_large".to_string(),
        Err(AppError::Unauthenticated) => "/sign-in".to_string(),
        Err(_) => "/documents?problem=failed".to_string(),
    };
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// A whole file in a plain multipart form (`doc_type`, optional `replaces`, then `file`):
/// streamed to scratch space, counted and hashed on the way, cut off at the per-file limit.
async fn form_upload(State(ctx): State<DocumentRoutes>, session: Session, mut form: Multipart) -> Response {
    let scratch = ctx.uploads.work_dir.join(format!("{}.form", new_upload_id()));
    let result = async {
        let actor = actor_of_session(&ctx.state.pool, &session).await?;
        ctx.uploads.space.check()?;
        let mut doc_type = String::new();
        let mut replaces: Option<i64> = None;
        while let Some(mut field) = form.next_field().await.map_err(|_| AppError::TooLarge)? {
            match field.name().unwrap_or("") {
                "doc_type" => {
                    doc_type = field
                        .text()
                        .await
                        .map_err(|_| AppError::TooLarge)?
                        .chars()
                        .take(64)
                        .collect()
                }
                "replaces" => replaces = field.text().await.ok().and_then(|t| t.trim().parse().ok()),
                "file" => {
                    let name = field.file_name().unwrap_or("").chars().take(1024).collect::<String>();
                    let limit = ctx.state.documents.file_max;
                    let mut file = tokio::fs::File::create(&scratch)
                        .await
                        .map_err(internal("creating an upload's scratch file failed"))?;
                    let mut hasher = Sha256::new();
                    let mut size: u64 = 0;
                    while let Some(piece) = field.chunk().await.map_err(|_| {
                        AppError::File(FileProblem::TooLarge {
                            max_mb: domain::documents::whole_mb(limit),
                        })
                    })? {
                        size += piece.len() as u64;
                        if size > limit {
                            return Err(AppError::File(FileProblem::TooLarge {
                                max_mb: domain::documents::whole_mb(limit),
                            }));
                        }
                        hasher.update(&piece);
                        file.write_all(&piece)
                            .await
                            .map_err(internal("writing an upload's scratch file failed"))?;
                    }
                    file.flush()
                        .await
                        .map_err(internal("writing an upload's scratch file failed"))?;
                    let sha256 = hex::encode(hasher.finalize());
                    let announced = UploadStart {
                        doc_type: doc_type.clone(),
                        name,
                        size,
                        sha256: sha256.clone(),
                        replaces,
                    };
                    let upload = start_upload(
                        &ctx.state.pool,
                        &actor,
                        &announced,
                        ctx.state.documents,
                        new_upload_id(),
                    )
                    .await?;
                    let document = ctx
                        .uploads
                        .finish_from_file(&ctx.state, &upload, &scratch, &sha256)
                        .await?;
                    return Ok(document.id);
                }
                _ => {}
            }
        }
        Err(AppError::File(FileProblem::Empty))
    }
    .await;
    let _ = tokio::fs::remove_file(&scratch).await;
    back_to_documents(result)
}

fn private_file_headers(headers: &mut HeaderMap, content_type: &'static str) {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Even opened directly, the file runs no script and reaches nothing of the site.
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
}

async fn download(
    State(ctx): State<DocumentRoutes>,
    session: Session,
    Path(id): Path<i64>,
    request_headers: HeaderMap,
) -> Response {
    let locale = locale_of(&request_headers);
    let result = async {
        let actor = actor_of_session(&ctx.state.pool, &session).await?;
        let (key, name, kind) = readable_file(&ctx.state.pool, &actor, id).await?;
        let (size, stream) = ctx.uploads.storage.get_stream(&key).await.map_err(|error| {
            tracing::error!(%error, document = id, "reading a document failed");
            AppError::Internal
        })?;
        Ok::<_, AppError>((size, stream, name, kind))
    }
    .await;
    match result {
        Ok((size, stream, name, kind)) => {
            let body = Body::from_stream(stream.map(|piece| piece.map_err(std::io::Error::other)));
            let mut response = (StatusCode::OK, body).into_response();
            let headers = response.headers_mut();
            private_file_headers(headers, kind.mime());
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
            if let Ok(value) = HeaderValue::from_str(&attachment_disposition(&name)) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => refuse(error, locale),
    }
}

async fn thumbnail(
    State(ctx): State<DocumentRoutes>,
    session: Session,
    Path(id): Path<i64>,
    request_headers: HeaderMap,
) -> Response {
    let locale = locale_of(&request_headers);
    let result = async {
        let actor = actor_of_session(&ctx.state.pool, &session).await?;
        let (key, _, kind) = readable_file(&ctx.state.pool, &actor, id).await?;
        if !kind.is_image() {
            return Err(AppError::NotFound);
        }
        super::thumbs::thumbnail(&ctx.uploads, id, &key).await
    }
    .await;
    match result {
        Ok(jpeg) => {
            let mut response = (StatusCode::OK, jpeg).into_response();
            private_file_headers(response.headers_mut(), "image/jpeg");
            response
        }
        Err(error) => refuse(error, locale),
    }
}
