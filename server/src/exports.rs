//! Downloads of one plan: its `riyada.plan.v1` JSON and its PDF. Plain GET routes (links
//! work without JavaScript), authorised by the same read rule as the server functions.
use crate::pdf::render_plan;
use crate::sheets::{self, FileFormat, Head, Whole};
use app::error::{internal, AppError};
use app::guard::actor_of_session;
use app::i18n::Locale;
use app::plan::server::export_document;
use app::state::AppState;
use app::LANG_COOKIE;
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// The reader's language, from the language cookie (Arabic unless English was chosen).
pub(crate) fn locale_of(headers: &HeaderMap) -> Locale {
    let english = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim() == format!("{LANG_COOKIE}=en"));
    if english {
        Locale::en
    } else {
        Locale::ar
    }
}

pub(crate) fn refuse(error: AppError, locale: Locale) -> Response {
    if error == AppError::Unauthenticated {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/sign-in")]).into_response();
    }
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = app::lang::error_text(locale, &error);
    let mut response = (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response();
    if error == AppError::Busy {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    response
}

fn download(body: Vec<u8>, content_type: &'static str, file_name: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A plan is private: never kept by shared caches.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Ok(value) = HeaderValue::from_str(&domain::documents::attachment_disposition(&file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

pub async fn plan_json(state: AppState, session: Session, Path(plan_id): Path<i64>, headers: HeaderMap) -> Response {
    let locale = locale_of(&headers);
    let result = async {
        let actor = actor_of_session(&state.pool, &session).await?;
        let document = export_document(&state.pool, &actor, plan_id).await?;
        serde_json::to_vec_pretty(&document).map_err(internal("writing a plan document failed"))
    }
    .await;
    match result {
        Ok(json) => download(json, "application/json", format!("riyada-plan-{plan_id}.json")),
        Err(error) => refuse(error, locale),
    }
}

/// How many plan PDFs are laid out at once, and how many requests may wait for that.
#[derive(Debug)]
pub struct PdfSlots {
    /// Each layout takes a core and tens of megabytes for a second or two.
    rendering: tokio::sync::Semaphore,
    /// Past these the answer is "busy" at once, so a burst (or one person pressing the button
    /// fifty times) cannot pile up work and memory.
    waiting: tokio::sync::Semaphore,
}

impl Default for PdfSlots {
    fn default() -> Self {
        PdfSlots {
            rendering: tokio::sync::Semaphore::new(2),
            waiting: tokio::sync::Semaphore::new(8),
        }
    }
}

/// How long a request waits for a slot before it is told to come back.
const PDF_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

impl PdfSlots {
    async fn take(&self) -> Result<tokio::sync::SemaphorePermit<'_>, AppError> {
        let Ok(_waiting) = self.waiting.try_acquire() else {
            tracing::warn!("plan PDF refused: every slot and every place in the queue is taken");
            return Err(AppError::Busy);
        };
        match tokio::time::timeout(PDF_WAIT, self.rendering.acquire()).await {
            Ok(slot) => slot.map_err(internal("the PDF slots are closed")),
            Err(_) => {
                tracing::warn!("plan PDF refused: no slot came free in time");
                Err(AppError::Busy)
            }
        }
    }
}

pub async fn plan_pdf(
    state: AppState,
    slots: std::sync::Arc<PdfSlots>,
    session: Session,
    Path(plan_id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let locale = locale_of(&headers);
    let result = async {
        let actor = actor_of_session(&state.pool, &session).await?;
        let document = export_document(&state.pool, &actor, plan_id).await?;
        let _slot = slots.take().await?;
        // Layout takes CPU for a while: off the async workers.
        let started = std::time::Instant::now();
        let pdf = tokio::task::spawn_blocking(move || render_plan(&document, locale))
            .await
            .map_err(internal("the PDF rendering task failed"))?
            .map_err(internal("PDF rendering failed"))?;
        tracing::info!(
            plan_id,
            ms = started.elapsed().as_millis() as u64,
            bytes = pdf.len(),
            "plan PDF rendered"
        );
        Ok::<_, AppError>(pdf)
    }
    .await;
    match result {
        Ok(pdf) => download(pdf, "application/pdf", format!("riyada-plan-{plan_id}.pdf")),
        Err(error) => refuse(error, locale),
    }
}

/// `GET /fund/export/<table>.csv|xlsx?<filters>`: one table of the dashboard, as the page
/// shows it for the same filters and the same person (the Fund, or a manager's own chamber).
pub async fn dashboard_table(
    state: AppState,
    session: Session,
    Path(file): Path<String>,
    Query(params): Query<app::fund::DashboardParams>,
    headers: HeaderMap,
) -> Response {
    use app::fund::DashboardTable;
    let locale = locale_of(&headers);
    // The dashboard's tables, and the labour-demand table under the same filters.
    let Some((table, format)) = FileFormat::split(&file).and_then(|(stem, format)| {
        let table = match stem {
            "labour" => None,
            other => Some(DashboardTable::from_key(other)?),
        };
        Some((table, format))
    }) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let result = async {
        let actor = actor_of_session(&state.pool, &session).await?;
        let sheet = match table {
            Some(table) => {
                let figures = app::fund::server::dashboard_of(&state.pool, &actor, &params).await?;
                app::fund::export::dashboard_sheet(&figures, table, locale)
            }
            None => {
                let rows = app::fund::server::labour_table(&state.pool, &actor, &params).await?;
                app::fund::export::labour_sheet(rows, locale)
            }
        };
        let head = Head {
            name: sheet.name,
            header: sheet.header,
            right_to_left: locale == Locale::ar,
        };
        let key = table.map_or("labour", DashboardTable::key);
        let file_name = format!("riyada-{key}-{}", app::db::today().iso());
        sheets::download(head, Whole(Some(sheet.rows)), format, &file_name).await
    }
    .await;
    result.unwrap_or_else(|error| refuse(error, locale))
}

/// `GET /review/export/queue.csv|xlsx?<filters>`: every plan of the review queue the person
/// sees with these filters (advisors and managers: their chamber; the Fund: every chamber),
/// read and written a page at a time.
pub async fn queue_table(
    state: AppState,
    session: Session,
    Path(file): Path<String>,
    Query(params): Query<app::review::QueueParams>,
    headers: HeaderMap,
) -> Response {
    let locale = locale_of(&headers);
    let Some(format) = FileFormat::split(&file).and_then(|(stem, format)| (stem == "queue").then_some(format)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let result = async {
        let actor = actor_of_session(&state.pool, &session).await?;
        let rows = app::review::server::QueueExport::new(state.pool.clone(), &actor, &params, locale)?;
        let (name, header) = rows.head();
        let head = Head {
            name,
            header,
            right_to_left: locale == Locale::ar,
        };
        let file_name = format!("riyada-queue-{}", app::db::today().iso());
        sheets::download(head, rows, format, &file_name).await
    }
    .await;
    result.unwrap_or_else(|error| refuse(error, locale))
}

/// `GET /staff/establishments/export/establishments.csv|xlsx?<filters>`: every establishment
/// of the register the person sees with these filters (chamber staff: their chamber; the
/// Fund: every chamber), read and written a page at a time.
pub async fn register_table(
    state: AppState,
    session: Session,
    Path(file): Path<String>,
    Query(params): Query<app::establishments::RegisterParams>,
    headers: HeaderMap,
) -> Response {
    let locale = locale_of(&headers);
    let Some(format) = FileFormat::split(&file).and_then(|(stem, format)| (stem == "establishments").then_some(format))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let result = async {
        let actor = actor_of_session(&state.pool, &session).await?;
        let rows = app::establishments::server::RegisterExport::new(state.pool.clone(), &actor, &params, locale)?;
        let (name, header) = rows.head();
        let head = Head {
            name,
            header,
            right_to_left: locale == Locale::ar,
        };
        let file_name = format!("riyada-establishments-{}", app::db::today().iso());
        sheets::download(head, rows, format, &file_name).await
    }
    .await;
    result.unwrap_or_else(|error| refuse(error, locale))
}
