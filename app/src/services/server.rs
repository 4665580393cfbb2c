//! Services in the database (server only): catalogue, calendar, requests and their history.
use super::domain::{
    available_request_actions, documents_ticked, expected_ends, next_position, LegalForm, Position, RequestAction,
    RequestStatus, Weekday, WorkCalendar, FEE_MAX_MINOR, NAME_MAX, NOTE_MAX, REQUESTS_OPEN_MAX, STEPS_MAX,
    STEP_DAYS_MAX,
};
use super::{
    CalendarSettings, FormalisationPath, PathStep, RequestDetail, RequestEvent, RequestSummary, ServiceInfo,
    ServiceInput, StepInfo,
};
use crate::auth::guard::{audit, pool, require_actor};
use crate::case::lifecycle::{Refusal, Standing};
use crate::db::{now, Pool};
use crate::documents::domain::DocumentType;
use crate::domain::roles::{Actor, ChamberId, Role, UserId};
use crate::domain::validation::{bounded_text, Date, Field, FieldError, Problem};
use crate::error::AppError;
use crate::notify::server::{notify, About};
use crate::notify::Topic;

fn invalid(field: Field, problem: Problem) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, problem)])
}

fn documents_of(keys: &str) -> Vec<DocumentType> {
    keys.split(',').filter_map(DocumentType::from_key).collect()
}

fn documents_key(documents: &[DocumentType]) -> String {
    documents.iter().map(|d| d.key()).collect::<Vec<_>>().join(",")
}

type ServiceRow = (i64, String, String, String, String, String, i64);
type StepRow = (i64, String, String, String, String, Option<i64>, i64, String);

pub async fn load_services(pool: &Pool, with_hidden: bool) -> Result<Vec<ServiceInfo>, AppError> {
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
        .map(
            |(id, code, name_ar, name_en, summary_ar, summary_en, active)| ServiceInfo {
                id,
                code,
                name_ar,
                name_en,
                summary_ar,
                summary_en,
                active: active == 1,
                steps: steps
                    .iter()
                    .filter(|s| s.0 == id)
                    .map(
                        |(_, name_ar, name_en, office_ar, office_en, fee, days, docs)| StepInfo {
                            name_ar: name_ar.clone(),
                            name_en: name_en.clone(),
                            office_ar: office_ar.clone(),
                            office_en: office_en.clone(),
                            fee_minor: *fee,
                            working_days: (*days).clamp(0, i64::from(STEP_DAYS_MAX)) as u32,
                            documents: documents_of(docs),
                        },
                    )
                    .collect(),
            },
        )
        .collect())
}

pub async fn catalogue() -> Result<Vec<ServiceInfo>, AppError> {
    let actor = require_actor().await?;
    load_services(&pool()?, actor.role == Role::FundAdmin).await
}

pub async fn work_calendar(pool: &Pool) -> Result<WorkCalendar, AppError> {
    let weekend: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = 'weekend'")
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

pub async fn calendar() -> Result<CalendarSettings, AppError> {
    require_actor().await?;
    let pool = pool()?;
    let week = work_calendar(&pool).await?;
    let holidays: Vec<(String, String, String)> =
        sqlx::query_as("SELECT day, name_ar, name_en FROM holidays ORDER BY day")
            .fetch_all(&pool)
            .await?;
    Ok(CalendarSettings {
        weekend: week.weekend,
        holidays,
    })
}

async fn require_fund() -> Result<Actor, AppError> {
    let actor = require_actor().await?;
    if actor.role != Role::FundAdmin {
        return Err(AppError::Forbidden);
    }
    Ok(actor)
}

pub async fn set_weekend(days: Vec<String>) -> Result<(), AppError> {
    let actor = require_fund().await?;
    let mut weekend = Vec::new();
    for key in days.iter().take(7) {
        let day = Weekday::from_key(key).ok_or_else(|| invalid(Field::Weekend, Problem::UnknownChoice))?;
        if !weekend.contains(&day) {
            weekend.push(day);
        }
    }
    if weekend.len() >= 7 {
        return Err(invalid(Field::Weekend, Problem::TooMany { max: 6 }));
    }
    weekend.sort_by_key(|d| Weekday::ALL.iter().position(|w| w == d));
    let value = weekend.iter().map(|d| d.key()).collect::<Vec<_>>().join(",");
    let pool = pool()?;
    sqlx::query("UPDATE settings SET value = $1 WHERE key = 'weekend'")
        .bind(&value)
        .execute(&pool)
        .await?;
    audit(&pool, Some(actor.id), "weekend_set", "settings", None, &value).await?;
    Ok(())
}

pub async fn add_holiday(day: String, name_ar: String, name_en: String) -> Result<(), AppError> {
    let actor = require_fund().await?;
    let mut errors = Vec::new();
    let date = Date::parse(&day);
    if date.is_none() {
        errors.push(FieldError::new(Field::Day, Problem::InvalidDate));
    }
    let name_ar = bounded_text(&name_ar, 2, NAME_MAX).map_err(|p| errors.push(FieldError::new(Field::HolidayName, p)));
    let name_en = if name_en.trim().is_empty() {
        Ok(String::new())
    } else {
        bounded_text(&name_en, 2, NAME_MAX).map_err(|p| errors.push(FieldError::new(Field::HolidayName, p)))
    };
    let (Some(date), Ok(name_ar), Ok(name_en), true) = (date, name_ar, name_en, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let pool = pool()?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM holidays").fetch_one(&pool).await?;
    if count >= 500 {
        return Err(invalid(Field::Day, Problem::TooMany { max: 500 }));
    }
    sqlx::query(
        "INSERT INTO holidays (day, name_ar, name_en) VALUES ($1, $2, $3) \
         ON CONFLICT (day) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en",
    )
    .bind(date.iso())
    .bind(&name_ar)
    .bind(&name_en)
    .execute(&pool)
    .await?;
    audit(
        &pool,
        Some(actor.id),
        "holiday_added",
        "settings",
        None,
        &format!("{} {name_ar}", date.iso()),
    )
    .await?;
    Ok(())
}

pub async fn remove_holiday(day: String) -> Result<(), AppError> {
    let actor = require_fund().await?;
    let pool = pool()?;
    let date = Date::parse(&day).ok_or(AppError::NotFound)?;
    let done = sqlx::query("DELETE FROM holidays WHERE day = $1")
        .bind(date.iso())
        .execute(&pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit(&pool, Some(actor.id), "holiday_removed", "settings", None, &date.iso()).await?;
    Ok(())
}

/// Parses the Fund's editor input into steps, or every problem at once.
fn parse_steps(input: &ServiceInput) -> Result<Vec<StepInfo>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut steps: Vec<(i64, usize, StepInfo)> = Vec::new();
    for (index, step) in input.steps.iter().enumerate() {
        let blank =
            step.name_ar.trim().is_empty() && step.name_en.trim().is_empty() && step.office_ar.trim().is_empty();
        if !step.remove.is_empty() || blank {
            continue;
        }
        let mut field = |field: Field, result: Result<String, Problem>| match result {
            Ok(v) => v,
            Err(p) => {
                errors.push(FieldError::new(field, p));
                String::new()
            }
        };
        let name_ar = field(Field::StepName, bounded_text(&step.name_ar, 2, NAME_MAX));
        let name_en = field(Field::StepName, bounded_text(&step.name_en, 2, NAME_MAX));
        let office_ar = field(Field::Office, bounded_text(&step.office_ar, 2, NAME_MAX));
        let office_en = field(Field::Office, bounded_text(&step.office_en, 2, NAME_MAX));
        let fee_minor = if step.fee.trim().is_empty() {
            None
        } else {
            match crate::plan::tables::parse_money(&step.fee, crate::plan::financials::Currency::ILS) {
                Ok(v) if (0..=FEE_MAX_MINOR).contains(&v) => Some(v),
                Ok(_) => {
                    errors.push(FieldError::new(Field::Fee, Problem::AmountTooLarge));
                    None
                }
                Err(p) => {
                    errors.push(FieldError::new(Field::Fee, p));
                    None
                }
            }
        };
        let days = crate::domain::digits::normalize_digits(step.working_days.trim());
        let working_days = match days.parse::<u32>() {
            Ok(d) if d <= STEP_DAYS_MAX => d,
            Ok(_) => {
                errors.push(FieldError::new(
                    Field::WorkingDays,
                    Problem::OutOfRange {
                        min: 0,
                        max: i64::from(STEP_DAYS_MAX),
                    },
                ));
                0
            }
            Err(_) => {
                errors.push(FieldError::new(Field::WorkingDays, Problem::WholeNumber));
                0
            }
        };
        let mut documents = Vec::new();
        for key in step.documents.iter().take(DocumentType::ALL.len()) {
            match DocumentType::from_key(key) {
                Some(t) if !documents.contains(&t) => documents.push(t),
                Some(_) => {}
                None => errors.push(FieldError::new(Field::StepName, Problem::UnknownChoice)),
            }
        }
        let position = crate::domain::digits::normalize_digits(step.position.trim())
            .parse::<i64>()
            .unwrap_or(index as i64 + 1);
        steps.push((
            position,
            index,
            StepInfo {
                name_ar,
                name_en,
                office_ar,
                office_en,
                fee_minor,
                working_days,
                documents,
            },
        ));
    }
    if steps.is_empty() {
        errors.push(FieldError::new(Field::StepName, Problem::Required));
    }
    if steps.len() > STEPS_MAX {
        errors.push(FieldError::new(
            Field::StepName,
            Problem::TooManyRows { max: STEPS_MAX as u32 },
        ));
    }
    if !errors.is_empty() {
        errors.dedup();
        return Err(errors);
    }
    steps.sort_by_key(|(position, index, _)| (*position, *index));
    Ok(steps.into_iter().map(|(_, _, s)| s).collect())
}

pub async fn save_service(service_id: i64, input: ServiceInput) -> Result<(), AppError> {
    let actor = require_fund().await?;
    let pool = pool()?;
    let mut errors = Vec::new();
    let mut text = |field: Field, value: &str, min: u32, max: u32| match bounded_text(value, min, max) {
        Ok(v) => v,
        Err(p) => {
            errors.push(FieldError::new(field, p));
            String::new()
        }
    };
    let name_ar = text(Field::ServiceName, &input.name_ar, 2, NAME_MAX);
    let name_en = text(Field::ServiceName, &input.name_en, 2, NAME_MAX);
    let summary_ar = text(Field::Note, &input.summary_ar, 1, 500);
    let summary_en = text(Field::Note, &input.summary_en, 1, 500);
    let steps = match parse_steps(&input) {
        Ok(steps) => steps,
        Err(mut e) => {
            errors.append(&mut e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let at = now();
    let mut tx = pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE services SET name_ar = $1, name_en = $2, summary_ar = $3, summary_en = $4, active = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&name_ar)
    .bind(&name_en)
    .bind(&summary_ar)
    .bind(&summary_en)
    .bind(i64::from(input.active != "0"))
    .bind(at)
    .bind(service_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    sqlx::query("DELETE FROM service_steps WHERE service_id = $1")
        .bind(service_id)
        .execute(&mut *tx)
        .await?;
    for (i, step) in steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, fee_minor, working_days, documents) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(service_id)
        .bind(i as i64 + 1)
        .bind(&step.name_ar)
        .bind(&step.name_en)
        .bind(&step.office_ar)
        .bind(&step.office_en)
        .bind(step.fee_minor)
        .bind(i64::from(step.working_days))
        .bind(documents_key(&step.documents))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    audit(
        &pool,
        Some(actor.id),
        "service_saved",
        "service",
        Some(service_id),
        &format!("{name_ar}: {} steps", steps.len()),
    )
    .await?;
    Ok(())
}

/// A request as stored.
struct StoredRequest {
    id: i64,
    owner: i64,
    owner_name: String,
    chamber: Option<i64>,
    service_name: (String, String),
    plan: Option<(i64, String)>,
    status: RequestStatus,
    step: u32,
    steps: Vec<StepInfo>,
    note: String,
    updated_at: i64,
    step_started_at: Option<i64>,
}

impl StoredRequest {
    fn position(&self) -> Position {
        Position {
            status: self.status,
            step: self.step,
            steps: self.steps.len() as u32,
        }
    }

    fn ends(&self, calendar: &WorkCalendar) -> Vec<Option<Date>> {
        let days: Vec<u32> = self.steps.iter().map(|s| s.working_days).collect();
        let started = Date::from_unix(self.step_started_at.unwrap_or(self.updated_at));
        expected_ends(calendar, self.position(), &days, started, Date::from_unix(now()))
    }

    fn summary(&self, calendar: &WorkCalendar) -> RequestSummary {
        let ends = self.ends(calendar);
        RequestSummary {
            id: self.id,
            service_name: self.service_name.clone(),
            owner_name: self.owner_name.clone(),
            status: self.status,
            step: self.step,
            steps: self.steps.len() as u32,
            step_name: (self.status == RequestStatus::InProgress && self.step >= 1)
                .then(|| self.steps.get(self.step as usize - 1))
                .flatten()
                .map(|s| (s.name_ar.clone(), s.name_en.clone())),
            step_expected_end: (self.step >= 1)
                .then(|| ends.get(self.step as usize - 1).copied().flatten())
                .flatten()
                .map(|d| d.iso()),
            expected_done: ends.last().copied().flatten().map(|d| d.iso()),
            updated_at: self.updated_at,
        }
    }
}

type RequestRow = (
    i64,
    i64,
    String,
    Option<i64>,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    i64,
    String,
    String,
    i64,
    i64,
    Option<i64>,
);

const REQUEST_SELECT: &str =
    "SELECT r.id, r.user_id, u.full_name, r.chamber_id, s.name_ar, s.name_en, r.plan_id, p.title, \
     r.status, r.step, r.steps_json, r.note, r.created_at, r.updated_at, r.step_started_at \
     FROM service_requests r JOIN users u ON u.id = r.user_id JOIN services s ON s.id = r.service_id \
     LEFT JOIN plans p ON p.id = r.plan_id";

fn stored(row: RequestRow) -> Result<StoredRequest, AppError> {
    let (
        id,
        owner,
        owner_name,
        chamber,
        name_ar,
        name_en,
        plan_id,
        plan_title,
        status,
        step,
        steps,
        note,
        _created_at,
        updated_at,
        started,
    ) = row;
    Ok(StoredRequest {
        id,
        owner,
        owner_name,
        chamber,
        service_name: (name_ar, name_en),
        plan: plan_id.zip(plan_title),
        status: RequestStatus::from_key(&status).ok_or(AppError::Internal)?,
        step: step.clamp(0, STEPS_MAX as i64) as u32,
        steps: serde_json::from_str(&steps).map_err(|_| AppError::Internal)?,
        note,
        updated_at,
        step_started_at: started,
    })
}

async fn load_request(pool: &Pool, id: i64) -> Result<Option<StoredRequest>, AppError> {
    let row: Option<RequestRow> = sqlx::query_as(&format!("{REQUEST_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(stored).transpose()
}

pub async fn requests_of(pool: &Pool, user: i64) -> Result<Vec<RequestSummary>, AppError> {
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "{REQUEST_SELECT} WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 200"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let calendar = work_calendar(pool).await?;
    rows.into_iter()
        .map(|r| stored(r).map(|s| s.summary(&calendar)))
        .collect()
}

pub async fn mine() -> Result<Vec<RequestSummary>, AppError> {
    let actor = require_actor().await?;
    requests_of(&pool()?, actor.id.0).await
}

pub async fn chamber_requests() -> Result<Vec<RequestSummary>, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let order =
        "ORDER BY CASE WHEN r.status IN ('completed', 'cancelled') THEN 1 ELSE 0 END, r.updated_at DESC LIMIT 500";
    let rows: Vec<RequestRow> = match actor.role {
        Role::FundAdmin => {
            sqlx::query_as(&format!("{REQUEST_SELECT} {order}"))
                .fetch_all(&pool)
                .await?
        }
        Role::Advisor | Role::ChamberManager => {
            sqlx::query_as(&format!("{REQUEST_SELECT} WHERE r.chamber_id = $1 {order}"))
                .bind(actor.chamber.map(|c| c.0))
                .fetch_all(&pool)
                .await?
        }
        Role::Entrepreneur => return Err(AppError::Forbidden),
    };
    let calendar = work_calendar(&pool).await?;
    rows.into_iter()
        .map(|r| stored(r).map(|s| s.summary(&calendar)))
        .collect()
}

/// Document types the owner holds (uploaded or verified, not replaced or rejected).
async fn held_documents(pool: &Pool, owner: i64) -> Result<Vec<DocumentType>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT doc_type FROM documents WHERE owner_id = $1 AND deleted_at IS NULL \
         AND replaced_at IS NULL AND status IN ('uploaded', 'verified')",
    )
    .bind(owner)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().filter_map(|(k,)| DocumentType::from_key(k)).collect())
}

/// The request and how the caller stands to it; outsiders get 404, as if it did not exist.
async fn visible_request(actor: &Actor, pool: &Pool, request_id: i64) -> Result<(StoredRequest, Standing), AppError> {
    let request = load_request(pool, request_id).await?.ok_or(AppError::NotFound)?;
    match Standing::of(actor, UserId(request.owner), request.chamber.map(ChamberId)) {
        Standing::Outsider => Err(AppError::NotFound),
        who => Ok((request, who)),
    }
}

/// One entry of a request's history, in the transaction of the step.
#[allow(clippy::too_many_arguments)]
async fn record_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    request_id: i64,
    actor: UserId,
    action: Option<RequestAction>,
    from: Option<RequestStatus>,
    to: Position,
    message: Option<&str>,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO service_request_events (request_id, actor_id, action, from_status, to_status, step, message, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(request_id)
    .bind(actor.0)
    .bind(action.map(RequestAction::key))
    .bind(from.map(RequestStatus::key))
    .bind(to.status.key())
    .bind(i64::from(to.step))
    .bind(message)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn detail(request_id: i64) -> Result<RequestDetail, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (request, who) = visible_request(&actor, &pool, request_id).await?;
    let calendar = work_calendar(&pool).await?;
    let required: Vec<DocumentType> = request.steps.iter().flat_map(|s| s.documents.iter().copied()).collect();
    let held = held_documents(&pool, request.owner).await?;
    type EventRow = (i64, Option<String>, Option<String>, String, i64, Option<String>);
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT e.at, u.full_name, e.action, e.to_status, e.step, e.message FROM service_request_events e \
         LEFT JOIN users u ON u.id = e.actor_id WHERE e.request_id = $1 ORDER BY e.at, e.id",
    )
    .bind(request_id)
    .fetch_all(&pool)
    .await?;
    Ok(RequestDetail {
        id: request.id,
        service_name: request.service_name.clone(),
        owner_id: request.owner,
        owner_name: request.owner_name.clone(),
        plan: request.plan.clone(),
        note: request.note.clone(),
        status: request.status,
        step: request.step,
        expected_ends: request
            .ends(&calendar)
            .into_iter()
            .map(|d| d.map(|d| d.iso()))
            .collect(),
        documents: documents_ticked(&required, &held),
        actions: available_request_actions(request.position(), who),
        staff_view: who != Standing::Owner,
        events: events
            .into_iter()
            .filter_map(|(at, actor_name, action, to, step, message)| {
                Some(RequestEvent {
                    at,
                    actor_name,
                    action: action.as_deref().and_then(RequestAction::from_key),
                    to: RequestStatus::from_key(&to)?,
                    step: step.clamp(0, STEPS_MAX as i64) as u32,
                    message,
                })
            })
            .collect(),
        steps: request.steps,
    })
}

/// Managers of a chamber: told of new requests and of what owners do.
async fn chamber_managers(pool: &Pool, chamber: Option<i64>) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE role = 'chamber-manager' AND is_active = 1 AND chamber_id = $1")
            .bind(chamber)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn request(service_id: i64, plan_id: Option<i64>, note: String) -> Result<i64, AppError> {
    let actor = require_actor().await?;
    if actor.role != Role::Entrepreneur {
        return Err(AppError::Forbidden);
    }
    let pool = pool()?;
    let service = load_services(&pool, false)
        .await?
        .into_iter()
        .find(|s| s.id == service_id)
        .ok_or_else(|| invalid(Field::Service, Problem::UnknownChoice))?;
    let note = if note.trim().is_empty() {
        String::new()
    } else {
        bounded_text(&note, 1, NOTE_MAX).map_err(|p| invalid(Field::Note, p))?
    };
    if let Some(plan) = plan_id {
        let owned: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM plans WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL")
                .bind(plan)
                .bind(actor.id.0)
                .fetch_optional(&pool)
                .await?;
        if owned.is_none() {
            return Err(invalid(Field::Plan, Problem::UnknownChoice));
        }
    }
    let (open,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM service_requests WHERE user_id = $1 AND status NOT IN ('completed', 'cancelled')",
    )
    .bind(actor.id.0)
    .fetch_one(&pool)
    .await?;
    if open >= REQUESTS_OPEN_MAX {
        return Err(invalid(
            Field::Service,
            Problem::TooMany {
                max: REQUESTS_OPEN_MAX as u32,
            },
        ));
    }
    let steps = serde_json::to_string(&service.steps).map_err(|_| AppError::Internal)?;
    let chamber = actor.chamber.map(|c| c.0);
    let at = now();
    let mut tx = pool.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO service_requests (user_id, service_id, plan_id, chamber_id, status, step, steps_json, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'requested', 0, $5, $6, $7, $7) RETURNING id",
    )
    .bind(actor.id.0)
    .bind(service_id)
    .bind(plan_id)
    .bind(chamber)
    .bind(steps)
    .bind(&note)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let requested = Position {
        status: RequestStatus::Requested,
        step: 0,
        steps: service.steps.len() as u32,
    };
    let note_text = (!note.is_empty()).then_some(note.as_str());
    record_event(&mut tx, id, actor.id, None, None, requested, note_text, at).await?;
    for user in chamber_managers(&pool, chamber).await? {
        notify(&mut tx, user, Topic::ServiceRequested, About::request(id), None, at).await?;
    }
    tx.commit().await?;
    audit(
        &pool,
        Some(actor.id),
        "service_requested",
        "service_request",
        Some(id),
        &service.code,
    )
    .await?;
    leptos_axum::redirect(&format!("/services/requests/{id}"));
    Ok(id)
}

pub async fn act(request_id: i64, action: String, message: String) -> Result<RequestStatus, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (request, who) = visible_request(&actor, &pool, request_id).await?;
    let action = RequestAction::from_key(&action).ok_or(AppError::Refused(Refusal::WrongState))?;
    let from = request.position();
    let to = next_position(from, action, who).map_err(AppError::Refused)?;
    let message = if action.needs_message() {
        Some(bounded_text(&message, 3, NOTE_MAX).map_err(|p| invalid(Field::Message, p))?)
    } else if message.trim().is_empty() {
        None
    } else {
        Some(bounded_text(&message, 1, NOTE_MAX).map_err(|p| invalid(Field::Message, p))?)
    };
    let at = now();
    let step_started = if to.step != from.step || (to.status == RequestStatus::InProgress && from.status != to.status) {
        Some(at)
    } else {
        request.step_started_at
    };
    let mut tx = pool.begin().await?;
    // Only from the position the rule was checked against: a step taken meanwhile by someone
    // else makes this one refused, never doubled.
    let moved = sqlx::query(
        "UPDATE service_requests SET status = $1, step = $2, step_started_at = $3, updated_at = $4 \
         WHERE id = $5 AND status = $6 AND step = $7",
    )
    .bind(to.status.key())
    .bind(i64::from(to.step))
    .bind(step_started)
    .bind(at)
    .bind(request_id)
    .bind(from.status.key())
    .bind(i64::from(from.step))
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(AppError::Refused(Refusal::WrongState));
    }
    record_event(
        &mut tx,
        request_id,
        actor.id,
        Some(action),
        Some(from.status),
        to,
        message.as_deref(),
        at,
    )
    .await?;
    let recipients = if who == Standing::Owner {
        chamber_managers(&pool, request.chamber).await?
    } else {
        vec![request.owner]
    };
    for user in recipients.into_iter().filter(|u| *u != actor.id.0) {
        notify(
            &mut tx,
            user,
            Topic::ServiceStep(action),
            About::request(request_id),
            message.as_deref(),
            at,
        )
        .await?;
    }
    tx.commit().await?;
    audit(
        &pool,
        Some(actor.id),
        &format!("service_{}", action.key()),
        "service_request",
        Some(request_id),
        &format!("{} {} -> {} {}", from.status.key(), from.step, to.status.key(), to.step),
    )
    .await?;
    Ok(to.status)
}

pub async fn formalisation(form: String) -> Result<FormalisationPath, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let plan_form = latest_plan_form(&pool, actor.id.0).await?;
    let form = LegalForm::from_key(form.trim())
        .or(plan_form)
        .unwrap_or(LegalForm::SoleTrader);
    let services = load_services(&pool, false).await?;
    let requests: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT r.id, s.code, r.status FROM service_requests r JOIN services s ON s.id = r.service_id \
         WHERE r.user_id = $1 ORDER BY r.created_at, r.id",
    )
    .bind(actor.id.0)
    .fetch_all(&pool)
    .await?;
    let mut steps = Vec::new();
    for (code, optional) in form.path() {
        let Some(service) = services.iter().find(|s| s.code == *code) else {
            continue;
        };
        let request = requests
            .iter()
            .rev()
            .find(|(_, c, _)| c == code)
            .and_then(|(id, _, status)| RequestStatus::from_key(status).map(|s| (*id, s)));
        steps.push(PathStep {
            service: service.clone(),
            optional: *optional,
            request,
        });
    }
    let required = steps.iter().filter(|s| !s.optional);
    let done = required
        .clone()
        .filter(|s| matches!(s.request, Some((_, RequestStatus::Completed))))
        .count() as u32;
    let of = required.count() as u32;
    Ok(FormalisationPath {
        form,
        plan_form,
        steps,
        progress: (done, of),
    })
}

/// The legal form named in the idea facts of the person's most recently changed plan.
async fn latest_plan_form(pool: &Pool, owner: i64) -> Result<Option<LegalForm>, AppError> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT data FROM plans WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1",
    )
    .bind(owner)
    .fetch_optional(pool)
    .await?;
    let Some((Some(data),)) = row else {
        return Ok(None);
    };
    // A plan's data that does not read names no form; the guide falls back to a default.
    let document: Option<crate::plan::financials::PlanFinancials> = serde_json::from_str(&data).ok();
    Ok(document
        .and_then(|d| d.idea)
        .and_then(|f| LegalForm::from_key(&f.legal_form)))
}
