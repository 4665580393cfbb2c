//! Services in the database (server only): the catalogue, the working-day calendar, the
//! requests with their copy of the steps, and their history.
use super::{Holiday, ServiceInfo, StepInfo};
use crate::db::Pool;
use crate::error::{internal, AppError};
use domain::documents::DocumentType;
use domain::services::{Position, RequestAction, RequestStatus, Weekday, WorkCalendar, STEPS_MAX, STEP_DAYS_MAX};
use domain::validation::Date;
use domain::Bilingual;
use serde::{Deserialize, Serialize};

type Tx<'a, 'b> = &'a mut sqlx::Transaction<'b, sqlx::Any>;

/// The settings row that holds the weekend days.
const WEEKEND: &str = "weekend";

fn documents_of(keys: &str) -> Vec<DocumentType> {
    keys.split(',').filter_map(DocumentType::from_key).collect()
}

fn documents_key(documents: &[DocumentType]) -> String {
    documents.iter().map(|d| d.key()).collect::<Vec<_>>().join(",")
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    code: String,
    name_ar: String,
    name_en: String,
    summary_ar: String,
    summary_en: String,
    active: i64,
}

#[derive(sqlx::FromRow)]
struct StepRow {
    service_id: i64,
    name_ar: String,
    name_en: String,
    office_ar: String,
    office_en: String,
    fee_minor: Option<i64>,
    working_days: i64,
    documents: String,
}

impl StepRow {
    fn info(&self) -> StepInfo {
        StepInfo {
            name: Bilingual::new(&self.name_ar, &self.name_en),
            office: Bilingual::new(&self.office_ar, &self.office_en),
            fee_minor: self.fee_minor,
            working_days: self.working_days.clamp(0, i64::from(STEP_DAYS_MAX)) as u32,
            documents: documents_of(&self.documents),
        }
    }
}

/// The catalogue: offered services, or all of them (`with_hidden`), with their steps.
pub async fn services(pool: &Pool, with_hidden: bool) -> Result<Vec<ServiceInfo>, AppError> {
    let services: Vec<ServiceRow> = sqlx::query_as(
        "SELECT id, code, name_ar, name_en, summary_ar, summary_en, active FROM services \
         WHERE active = 1 OR $1 = 1 ORDER BY sort_order, id",
    )
    .bind(i64::from(with_hidden))
    .fetch_all(pool)
    .await?;
    let steps: Vec<StepRow> = sqlx::query_as(
        "SELECT service_id, name_ar, name_en, office_ar, office_en, fee_minor, working_days, documents \
         FROM service_steps ORDER BY service_id, position",
    )
    .fetch_all(pool)
    .await?;
    Ok(services
        .into_iter()
        .map(|s| ServiceInfo {
            id: s.id,
            code: s.code,
            name: Bilingual::new(s.name_ar, s.name_en),
            summary: Bilingual::new(s.summary_ar, s.summary_en),
            active: s.active == 1,
            steps: steps
                .iter()
                .filter(|step| step.service_id == s.id)
                .map(StepRow::info)
                .collect(),
        })
        .collect())
}

/// A service as the Fund's editor saves it.
pub struct ServiceText<'a> {
    pub name: &'a Bilingual,
    pub summary: &'a Bilingual,
    pub active: bool,
}

/// Saves a service and replaces its steps; false when there is no such service.
pub async fn save_service(
    tx: Tx<'_, '_>,
    service_id: i64,
    text: ServiceText<'_>,
    steps: &[StepInfo],
    at: i64,
) -> Result<bool, AppError> {
    let updated = sqlx::query(
        "UPDATE services SET name_ar = $1, name_en = $2, summary_ar = $3, summary_en = $4, active = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&text.name.ar)
    .bind(&text.name.en)
    .bind(&text.summary.ar)
    .bind(&text.summary.en)
    .bind(i64::from(text.active))
    .bind(at)
    .bind(service_id)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM service_steps WHERE service_id = $1")
        .bind(service_id)
        .execute(&mut **tx)
        .await?;
    for (i, step) in steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, fee_minor, working_days, documents) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(service_id)
        .bind(i as i64 + 1)
        .bind(&step.name.ar)
        .bind(&step.name.en)
        .bind(&step.office.ar)
        .bind(&step.office.en)
        .bind(step.fee_minor)
        .bind(i64::from(step.working_days))
        .bind(documents_key(&step.documents))
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

// ---- The working-day calendar ----

/// Counts the working days of completed requests that do not have them yet (completed just
/// now, or before the column existed): from the request to its completion, with the
/// calendar as it is today. Run after a completion and when the server starts.
pub async fn fill_working_days(pool: &Pool) -> Result<u64, AppError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, created_at, completed_at FROM service_requests \
         WHERE completed_at IS NOT NULL AND working_days IS NULL",
    )
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let calendar = work_calendar(pool).await?;
    for (id, created_at, completed_at) in &rows {
        let days = calendar.working_days_between(Date::from_unix(*created_at), Date::from_unix(*completed_at));
        sqlx::query("UPDATE service_requests SET working_days = $1 WHERE id = $2 AND working_days IS NULL")
            .bind(i64::from(days))
            .bind(id)
            .execute(pool)
            .await?;
    }
    Ok(rows.len() as u64)
}

pub async fn work_calendar(pool: &Pool) -> Result<WorkCalendar, AppError> {
    let weekend: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = $1")
        .bind(WEEKEND)
        .fetch_optional(pool)
        .await?;
    let holidays: Vec<(String,)> = sqlx::query_as("SELECT day FROM holidays ORDER BY day")
        .fetch_all(pool)
        .await?;
    Ok(WorkCalendar {
        weekend: match weekend {
            Some((days,)) => days.split(',').filter_map(Weekday::from_key).collect(),
            None => WorkCalendar::default().weekend,
        },
        holidays: holidays.into_iter().map(|(d,)| d).collect(),
    })
}

#[derive(sqlx::FromRow)]
struct HolidayRow {
    day: String,
    name_ar: String,
    name_en: String,
}

pub async fn holidays(pool: &Pool) -> Result<Vec<Holiday>, AppError> {
    let rows: Vec<HolidayRow> = sqlx::query_as("SELECT day, name_ar, name_en FROM holidays ORDER BY day")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|h| Holiday {
            day: h.day,
            name: Bilingual::new(h.name_ar, h.name_en),
        })
        .collect())
}

pub async fn set_weekend(tx: Tx<'_, '_>, days: &[Weekday]) -> Result<String, AppError> {
    let value = days.iter().map(|d| d.key()).collect::<Vec<_>>().join(",");
    sqlx::query("UPDATE settings SET value = $1 WHERE key = $2")
        .bind(&value)
        .bind(WEEKEND)
        .execute(&mut **tx)
        .await?;
    Ok(value)
}

pub async fn holiday_count(pool: &Pool) -> Result<i64, AppError> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM holidays").fetch_one(pool).await?;
    Ok(count)
}

pub async fn save_holiday(tx: Tx<'_, '_>, day: &str, name: &Bilingual) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO holidays (day, name_ar, name_en) VALUES ($1, $2, $3) \
         ON CONFLICT (day) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en",
    )
    .bind(day)
    .bind(&name.ar)
    .bind(&name.en)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a holiday; false when there was none that day.
pub async fn remove_holiday(tx: Tx<'_, '_>, day: &str) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM holidays WHERE day = $1")
        .bind(day)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---- Requests ----

/// A step as a request keeps it (in `steps_json`): its own copy, so editing the catalogue
/// never moves a request already under way. The layout is stored data: keep it stable.
#[derive(Serialize, Deserialize)]
struct StoredStep {
    name_ar: String,
    name_en: String,
    office_ar: String,
    office_en: String,
    fee_minor: Option<i64>,
    working_days: u32,
    documents: Vec<DocumentType>,
}

impl From<&StepInfo> for StoredStep {
    fn from(step: &StepInfo) -> StoredStep {
        StoredStep {
            name_ar: step.name.ar.clone(),
            name_en: step.name.en.clone(),
            office_ar: step.office.ar.clone(),
            office_en: step.office.en.clone(),
            fee_minor: step.fee_minor,
            working_days: step.working_days,
            documents: step.documents.clone(),
        }
    }
}

impl From<StoredStep> for StepInfo {
    fn from(step: StoredStep) -> StepInfo {
        StepInfo {
            name: Bilingual::new(step.name_ar, step.name_en),
            office: Bilingual::new(step.office_ar, step.office_en),
            fee_minor: step.fee_minor,
            working_days: step.working_days,
            documents: step.documents,
        }
    }
}

/// A request as stored, with its owner, service and linked plan.
pub struct StoredRequest {
    pub id: i64,
    pub owner: i64,
    pub owner_name: String,
    pub chamber: Option<i64>,
    pub service_name: Bilingual,
    pub plan: Option<(i64, String)>,
    pub status: RequestStatus,
    pub step: u32,
    pub steps: Vec<StepInfo>,
    pub note: String,
    pub updated_at: i64,
    pub step_started_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    user_id: i64,
    owner_name: String,
    chamber_id: Option<i64>,
    service_ar: String,
    service_en: String,
    plan_id: Option<i64>,
    plan_title: Option<String>,
    #[sqlx(try_from = "String")]
    status: RequestStatus,
    step: i64,
    steps_json: String,
    note: String,
    updated_at: i64,
    step_started_at: Option<i64>,
}

impl RequestRow {
    fn stored(self) -> Result<StoredRequest, AppError> {
        let steps: Vec<StoredStep> =
            serde_json::from_str(&self.steps_json).map_err(internal("a request's steps do not read"))?;
        Ok(StoredRequest {
            id: self.id,
            owner: self.user_id,
            owner_name: self.owner_name,
            chamber: self.chamber_id,
            service_name: Bilingual::new(self.service_ar, self.service_en),
            plan: self.plan_id.zip(self.plan_title),
            status: self.status,
            step: self.step.clamp(0, STEPS_MAX as i64) as u32,
            steps: steps.into_iter().map(StepInfo::from).collect(),
            note: self.note,
            updated_at: self.updated_at,
            step_started_at: self.step_started_at,
        })
    }
}

const REQUEST_SELECT: &str =
    "SELECT r.id, r.user_id, u.full_name AS owner_name, r.chamber_id, s.name_ar AS service_ar, s.name_en AS service_en, \
     r.plan_id, p.title AS plan_title, r.status, r.step, r.steps_json, r.note, r.updated_at, r.step_started_at \
     FROM service_requests r JOIN users u ON u.id = r.user_id JOIN services s ON s.id = r.service_id \
     LEFT JOIN plans p ON p.id = r.plan_id";

pub async fn request(pool: &Pool, id: i64) -> Result<Option<StoredRequest>, AppError> {
    let row: Option<RequestRow> = sqlx::query_as(&format!("{REQUEST_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(RequestRow::stored).transpose()
}

/// A person's requests, newest first (at most 200).
pub async fn requests_of(pool: &Pool, user: i64) -> Result<Vec<StoredRequest>, AppError> {
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "{REQUEST_SELECT} WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 200"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(RequestRow::stored).collect()
}

/// Requests of one chamber or (`None`) of all, open ones first, then the most recently
/// moved (at most 500).
pub async fn requests_of_chamber(pool: &Pool, chamber: Option<i64>) -> Result<Vec<StoredRequest>, AppError> {
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "{REQUEST_SELECT} WHERE ($1 IS NULL OR r.chamber_id = $1) \
         ORDER BY CASE WHEN r.status IN ($2, $3) THEN 1 ELSE 0 END, r.updated_at DESC LIMIT 500"
    ))
    .bind(chamber)
    .bind(RequestStatus::Completed.key())
    .bind(RequestStatus::Cancelled.key())
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(RequestRow::stored).collect()
}

/// How many requests of one chamber (or, `None`, of all) are neither completed nor cancelled.
pub async fn open_count_of_chamber(pool: &Pool, chamber: Option<i64>) -> Result<i64, AppError> {
    let (open,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM service_requests WHERE ($1 IS NULL OR chamber_id = $1) AND status NOT IN ($2, $3)",
    )
    .bind(chamber)
    .bind(RequestStatus::Completed.key())
    .bind(RequestStatus::Cancelled.key())
    .fetch_one(pool)
    .await?;
    Ok(open)
}

/// A person's requests that are neither completed nor cancelled.
pub async fn open_request_count(pool: &Pool, user: i64) -> Result<i64, AppError> {
    let (open,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM service_requests WHERE user_id = $1 AND status NOT IN ($2, $3)")
            .bind(user)
            .bind(RequestStatus::Completed.key())
            .bind(RequestStatus::Cancelled.key())
            .fetch_one(pool)
            .await?;
    Ok(open)
}

/// A new request, as `insert_request` stores it.
pub struct NewRequest<'a> {
    pub user: i64,
    pub service: i64,
    pub plan: Option<i64>,
    pub chamber: Option<i64>,
    pub steps: &'a [StepInfo],
    pub note: &'a str,
}

/// A request's own copy of its service's steps, as `steps_json` keeps it.
pub fn steps_json(steps: &[StepInfo]) -> Result<String, AppError> {
    let steps: Vec<StoredStep> = steps.iter().map(StoredStep::from).collect();
    serde_json::to_string(&steps).map_err(internal("writing a request's steps failed"))
}

pub async fn insert_request(tx: Tx<'_, '_>, request: NewRequest<'_>, at: i64) -> Result<i64, AppError> {
    let steps = steps_json(request.steps)?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO service_requests (user_id, service_id, plan_id, chamber_id, status, step, steps_json, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $8) RETURNING id",
    )
    .bind(request.user)
    .bind(request.service)
    .bind(request.plan)
    .bind(request.chamber)
    .bind(RequestStatus::Requested.key())
    .bind(steps)
    .bind(request.note)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Moves a request from exactly `from` to `to`; false when a step taken meanwhile by
/// someone else moved it first (then this one is refused, never doubled).
pub async fn move_request(
    tx: Tx<'_, '_>,
    request_id: i64,
    from: Position,
    to: Position,
    step_started_at: Option<i64>,
    at: i64,
) -> Result<bool, AppError> {
    let moved = sqlx::query(
        "UPDATE service_requests SET status = $1, step = $2, step_started_at = $3, updated_at = $4, \
         completed_at = $8 WHERE id = $5 AND status = $6 AND step = $7",
    )
    .bind(to.status.key())
    .bind(i64::from(to.step))
    .bind(step_started_at)
    .bind(at)
    .bind(request_id)
    .bind(from.status.key())
    .bind(i64::from(from.step))
    .bind((to.status == RequestStatus::Completed).then_some(at))
    .execute(&mut **tx)
    .await?;
    Ok(moved.rows_affected() == 1)
}

/// One entry of a request's history, as `insert_event` writes it.
pub struct NewEvent<'a> {
    pub request_id: i64,
    pub actor: i64,
    /// `None` for the request itself being made.
    pub action: Option<RequestAction>,
    pub from: Option<RequestStatus>,
    pub to: Position,
    pub message: Option<&'a str>,
    pub at: i64,
}

pub async fn insert_event(tx: Tx<'_, '_>, event: NewEvent<'_>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO service_request_events (request_id, actor_id, action, from_status, to_status, step, message, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(event.request_id)
    .bind(event.actor)
    .bind(event.action.map(RequestAction::key))
    .bind(event.from.map(RequestStatus::key))
    .bind(event.to.status.key())
    .bind(i64::from(event.to.step))
    .bind(event.message)
    .bind(event.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn action_of(key: Option<String>) -> Option<RequestAction> {
    key.as_deref().and_then(RequestAction::from_key)
}

/// One entry of a request's history, with who took the step.
#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub at: i64,
    pub actor_name: Option<String>,
    action: Option<String>,
    #[sqlx(try_from = "String")]
    pub to_status: RequestStatus,
    pub step: i64,
    pub message: Option<String>,
}

impl EventRow {
    pub fn action(&self) -> Option<RequestAction> {
        action_of(self.action.clone())
    }
}

/// A request's history, oldest first.
pub async fn events_of_request(pool: &Pool, request_id: i64) -> Result<Vec<EventRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.at, u.full_name AS actor_name, e.action, e.to_status, e.step, e.message FROM service_request_events e \
         LEFT JOIN users u ON u.id = e.actor_id WHERE e.request_id = $1 ORDER BY e.at, e.id",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await?)
}

/// A step of one of a person's requests, for the case file's timeline.
#[derive(sqlx::FromRow)]
pub struct OwnerEventRow {
    pub at: i64,
    pub request_id: i64,
    service_ar: String,
    service_en: String,
    action: Option<String>,
    #[sqlx(try_from = "String")]
    pub to_status: RequestStatus,
    pub step: i64,
    pub message: Option<String>,
}

impl OwnerEventRow {
    pub fn service_name(&self) -> Bilingual {
        Bilingual::new(&self.service_ar, &self.service_en)
    }

    /// `None`: the request was made.
    pub fn action(&self) -> Option<RequestAction> {
        action_of(self.action.clone())
    }
}

pub async fn events_of_owner(pool: &Pool, owner: i64) -> Result<Vec<OwnerEventRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.at, e.request_id, s.name_ar AS service_ar, s.name_en AS service_en, e.action, e.to_status, e.step, e.message \
         FROM service_request_events e JOIN service_requests r ON r.id = e.request_id \
         JOIN services s ON s.id = r.service_id WHERE r.user_id = $1 ORDER BY e.at, e.id",
    )
    .bind(owner)
    .fetch_all(pool)
    .await?)
}

/// A person's requests as (id, service code, state), oldest first: for the formalisation guide.
#[derive(sqlx::FromRow)]
pub struct RequestOfService {
    pub id: i64,
    pub code: String,
    #[sqlx(try_from = "String")]
    pub status: RequestStatus,
}

pub async fn requests_by_service(pool: &Pool, user: i64) -> Result<Vec<RequestOfService>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.id, s.code, r.status FROM service_requests r JOIN services s ON s.id = r.service_id \
         WHERE r.user_id = $1 ORDER BY r.created_at, r.id",
    )
    .bind(user)
    .fetch_all(pool)
    .await?)
}
