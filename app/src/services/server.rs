//! What the service server functions do (server only): who may see and move a request, the
//! Fund's catalogue and calendar editor, and the informal → formal guide.
use super::store::{self, NewEvent, NewRequest, ServiceText, StoredRequest};
use super::{
    CalendarSettings, FormalisationPath, PathStep, RequestDetail, RequestEvent, RequestSummary, ServiceInfo,
    ServiceInput, StepInfo,
};
use crate::audit;
use crate::auth::store::chamber_staff;
use crate::db::{now, Pool};
use crate::error::AppError;
use crate::guard::{pool, require_actor, require_role};
use crate::notify::server::notify;
use crate::notify::store::About;
use crate::notify::Topic;
use domain::audit::{AuditAction, AuditObject};
use domain::digits::normalize_digits;
use domain::documents::DocumentType;
use domain::plan::financials::Currency;
use domain::plan::tables::parse_money;
use domain::roles::{Actor, ChamberId, Role, UserId};
use domain::services::{
    available_request_actions, documents_ticked, expected_ends, next_position, LegalForm, Position, RequestAction,
    RequestStatus, Weekday, WorkCalendar, FEE_MAX_MINOR, NAME_MAX, NOTE_MAX, REQUESTS_OPEN_MAX, STEPS_MAX,
    STEP_DAYS_MAX,
};
use domain::standing::{Refusal, Standing};
use domain::validation::{bounded_text, Date, Field, FieldError, Problem};
use domain::Bilingual;

/// Holidays the Fund may keep at once.
const HOLIDAYS_MAX: i64 = 500;

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
                .map(|s| s.name.clone()),
            step_expected_end: (self.step >= 1)
                .then(|| ends.get(self.step as usize - 1).copied().flatten())
                .flatten()
                .map(|d| d.iso()),
            expected_done: ends.last().copied().flatten().map(|d| d.iso()),
            updated_at: self.updated_at,
        }
    }
}

pub async fn catalogue() -> Result<Vec<ServiceInfo>, AppError> {
    let actor = require_actor().await?;
    store::services(&pool()?, actor.role == Role::FundAdmin).await
}

pub async fn calendar() -> Result<CalendarSettings, AppError> {
    require_actor().await?;
    let pool = pool()?;
    Ok(CalendarSettings {
        weekend: store::work_calendar(&pool).await?.weekend,
        holidays: store::holidays(&pool).await?,
    })
}

async fn require_fund() -> Result<Actor, AppError> {
    require_role(&[Role::FundAdmin]).await
}

pub async fn set_weekend(days: Vec<Weekday>) -> Result<(), AppError> {
    let actor = require_fund().await?;
    let mut weekend = Vec::new();
    for day in days.into_iter().take(7) {
        if !weekend.contains(&day) {
            weekend.push(day);
        }
    }
    if weekend.len() >= 7 {
        return Err(AppError::invalid(Field::Weekend, Problem::TooMany { max: 6 }));
    }
    weekend.sort_by_key(|d| Weekday::ALL.iter().position(|w| w == d));
    let pool = pool()?;
    let mut tx = crate::db::begin(&pool).await?;
    let value = store::set_weekend(&mut tx, &weekend).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::SetWeekend,
        AuditObject::Settings,
        None,
        &value,
    )
    .await?;
    tx.commit().await?;
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
    if store::holiday_count(&pool).await? >= HOLIDAYS_MAX {
        return Err(AppError::invalid(
            Field::Day,
            Problem::TooMany {
                max: HOLIDAYS_MAX as u32,
            },
        ));
    }
    let name = Bilingual::new(name_ar, name_en);
    let mut tx = crate::db::begin(&pool).await?;
    store::save_holiday(&mut tx, &date.iso(), &name).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::AddHoliday,
        AuditObject::Settings,
        None,
        &format!("{} {}", date.iso(), name.ar),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_holiday(day: String) -> Result<(), AppError> {
    let actor = require_fund().await?;
    let pool = pool()?;
    let date = Date::parse(&day).ok_or(AppError::NotFound)?;
    let mut tx = crate::db::begin(&pool).await?;
    if !store::remove_holiday(&mut tx, &date.iso()).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::RemoveHoliday,
        AuditObject::Settings,
        None,
        &date.iso(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Parses the Fund's editor input into steps, or every problem at once.
fn parse_steps(input: &ServiceInput) -> Result<Vec<StepInfo>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut steps: Vec<(i64, usize, StepInfo)> = Vec::new();
    for (index, step) in input.steps.iter().enumerate() {
        let blank =
            step.name_ar.trim().is_empty() && step.name_en.trim().is_empty() && step.office_ar.trim().is_empty();
        if step.remove || blank {
            continue;
        }
        let mut field = |field: Field, result: Result<String, Problem>| match result {
            Ok(v) => v,
            Err(p) => {
                errors.push(FieldError::new(field, p));
                String::new()
            }
        };
        let name = Bilingual::new(
            field(Field::StepName, bounded_text(&step.name_ar, 2, NAME_MAX)),
            field(Field::StepName, bounded_text(&step.name_en, 2, NAME_MAX)),
        );
        let office = Bilingual::new(
            field(Field::Office, bounded_text(&step.office_ar, 2, NAME_MAX)),
            field(Field::Office, bounded_text(&step.office_en, 2, NAME_MAX)),
        );
        let fee_minor = if step.fee.trim().is_empty() {
            None
        } else {
            match parse_money(&step.fee, Currency::ILS) {
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
        let working_days = match normalize_digits(step.working_days.trim()).parse::<u32>() {
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
        let mut documents: Vec<DocumentType> = Vec::new();
        for doc_type in step.documents.iter().take(DocumentType::ALL.len()) {
            if !documents.contains(doc_type) {
                documents.push(*doc_type);
            }
        }
        let position = normalize_digits(step.position.trim())
            .parse::<i64>()
            .unwrap_or(index as i64 + 1);
        steps.push((
            position,
            index,
            StepInfo {
                name,
                office,
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
    let name = Bilingual::new(
        text(Field::ServiceName, &input.name_ar, 2, NAME_MAX),
        text(Field::ServiceName, &input.name_en, 2, NAME_MAX),
    );
    let summary = Bilingual::new(
        text(Field::Note, &input.summary_ar, 1, 500),
        text(Field::Note, &input.summary_en, 1, 500),
    );
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
    let service = ServiceText {
        name: &name,
        summary: &summary,
        active: input.active,
    };
    let mut tx = crate::db::begin(&pool).await?;
    if !store::save_service(&mut tx, service_id, service, &steps, now()).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::SaveService,
        AuditObject::Service,
        Some(service_id),
        &format!("{}: {} steps", name.ar, steps.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A person's requests as their lists show them, newest first.
pub async fn requests_of(pool: &Pool, user: i64) -> Result<Vec<RequestSummary>, AppError> {
    let calendar = store::work_calendar(pool).await?;
    Ok(store::requests_of(pool, user)
        .await?
        .iter()
        .map(|r| r.summary(&calendar))
        .collect())
}

pub async fn mine() -> Result<Vec<RequestSummary>, AppError> {
    let actor = require_actor().await?;
    requests_of(&pool()?, actor.id.0).await
}

pub async fn chamber_requests() -> Result<Vec<RequestSummary>, AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let scope = match (actor.role, actor.chamber) {
        (Role::FundAdmin, _) => None,
        (_, Some(chamber)) => Some(chamber.0),
        // Chamber staff always have a chamber; without one there is nothing of theirs.
        (_, None) => return Ok(Vec::new()),
    };
    let pool = pool()?;
    let calendar = store::work_calendar(&pool).await?;
    Ok(store::requests_of_chamber(&pool, scope)
        .await?
        .iter()
        .map(|r| r.summary(&calendar))
        .collect())
}

/// The request and how the caller stands to it; outsiders get 404, as if it did not exist.
async fn visible_request(actor: &Actor, pool: &Pool, request_id: i64) -> Result<(StoredRequest, Standing), AppError> {
    let request = store::request(pool, request_id).await?.ok_or(AppError::NotFound)?;
    match Standing::of(actor, UserId(request.owner), request.chamber.map(ChamberId)) {
        Standing::Outsider => Err(AppError::NotFound),
        who => Ok((request, who)),
    }
}

pub async fn detail(request_id: i64) -> Result<RequestDetail, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (request, who) = visible_request(&actor, &pool, request_id).await?;
    let calendar = store::work_calendar(&pool).await?;
    let required: Vec<DocumentType> = request.steps.iter().flat_map(|s| s.documents.iter().copied()).collect();
    let held = crate::documents::store::held_types(&pool, request.owner).await?;
    let events = store::events_of_request(&pool, request_id)
        .await?
        .into_iter()
        .map(|e| RequestEvent {
            action: e.action(),
            at: e.at,
            actor_name: e.actor_name,
            to: e.to_status,
            step: e.step.clamp(0, STEPS_MAX as i64) as u32,
            message: e.message,
        })
        .collect();
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
        events,
        steps: request.steps,
    })
}

/// Managers of a chamber: told of new requests and of what owners do.
async fn chamber_managers(pool: &Pool, chamber: Option<i64>) -> Result<Vec<i64>, AppError> {
    Ok(chamber_staff(pool, chamber.map(ChamberId), Role::ChamberManager)
        .await?
        .into_iter()
        .map(|manager| manager.id)
        .collect())
}

pub async fn request(service_id: i64, plan_id: Option<i64>, note: String) -> Result<i64, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let service = store::services(&pool, false)
        .await?
        .into_iter()
        .find(|s| s.id == service_id)
        .ok_or_else(|| AppError::invalid(Field::Service, Problem::UnknownChoice))?;
    let note = if note.trim().is_empty() {
        String::new()
    } else {
        bounded_text(&note, 1, NOTE_MAX).map_err(|p| AppError::invalid(Field::Note, p))?
    };
    if let Some(plan) = plan_id {
        let owned = crate::plan::store::plan(&pool, plan)
            .await?
            .is_some_and(|p| p.owner() == actor.id);
        if !owned {
            return Err(AppError::invalid(Field::Plan, Problem::UnknownChoice));
        }
    }
    if store::open_request_count(&pool, actor.id.0).await? >= REQUESTS_OPEN_MAX {
        return Err(AppError::invalid(
            Field::Service,
            Problem::TooMany {
                max: REQUESTS_OPEN_MAX as u32,
            },
        ));
    }
    let chamber = actor.chamber.map(|c| c.0);
    let managers = chamber_managers(&pool, chamber).await?;
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    let new = NewRequest {
        user: actor.id.0,
        service: service_id,
        plan: plan_id,
        chamber,
        steps: &service.steps,
        note: &note,
    };
    let id = store::insert_request(&mut tx, new, at).await?;
    let requested = Position {
        status: RequestStatus::Requested,
        step: 0,
        steps: service.steps.len() as u32,
    };
    let event = NewEvent {
        request_id: id,
        actor: actor.id.0,
        action: None,
        from: None,
        to: requested,
        message: (!note.is_empty()).then_some(note.as_str()),
        at,
    };
    store::insert_event(&mut tx, event).await?;
    for user in managers {
        notify(&mut tx, user, Topic::ServiceRequested, About::request(id), None, at).await?;
    }
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::RequestService,
        AuditObject::ServiceRequest,
        Some(id),
        &service.code,
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/services/requests/{id}"));
    Ok(id)
}

pub async fn act(request_id: i64, action: RequestAction, message: String) -> Result<RequestStatus, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (request, who) = visible_request(&actor, &pool, request_id).await?;
    let from = request.position();
    let to = next_position(from, action, who).map_err(AppError::Refused)?;
    let message = if action.needs_message() {
        Some(bounded_text(&message, 3, NOTE_MAX).map_err(|p| AppError::invalid(Field::Message, p))?)
    } else if message.trim().is_empty() {
        None
    } else {
        Some(bounded_text(&message, 1, NOTE_MAX).map_err(|p| AppError::invalid(Field::Message, p))?)
    };
    let at = now();
    let step_started = if to.step != from.step || (to.status == RequestStatus::InProgress && from.status != to.status) {
        Some(at)
    } else {
        request.step_started_at
    };
    let recipients = if who == Standing::Owner {
        chamber_managers(&pool, request.chamber).await?
    } else {
        vec![request.owner]
    };
    let mut tx = crate::db::begin(&pool).await?;
    if !store::move_request(&mut tx, request_id, from, to, step_started, at).await? {
        return Err(AppError::Refused(Refusal::WrongState));
    }
    let event = NewEvent {
        request_id,
        actor: actor.id.0,
        action: Some(action),
        from: Some(from.status),
        to,
        message: message.as_deref(),
        at,
    };
    store::insert_event(&mut tx, event).await?;
    if to.status == RequestStatus::Completed {
        // Completed membership or registration: the project enters the establishments register.
        crate::establishments::store::register_request(&mut tx, request_id, at).await?;
    }
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
    audit::record(
        &mut *tx,
        Some(actor.id),
        action.into(),
        AuditObject::ServiceRequest,
        Some(request_id),
        &format!("{} {} -> {} {}", from.status.key(), from.step, to.status.key(), to.step),
    )
    .await?;
    tx.commit().await?;
    if to.status == RequestStatus::Completed {
        // The step is taken; a failure here only delays the dashboard's figure to the next
        // start of the server, which fills what is missing.
        if let Err(error) = store::fill_working_days(&pool).await {
            tracing::error!(%error, request_id, "counting a completed request's working days failed");
        }
    }
    Ok(to.status)
}

pub async fn formalisation(form: Option<LegalForm>) -> Result<FormalisationPath, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    // A plan's data that does not read names no form; the guide falls back to a default.
    let plan_form = crate::plan::store::latest_plan_document(&pool, actor.id.0)
        .await?
        .and_then(|d| d.idea)
        .and_then(|f| LegalForm::from_key(&f.legal_form));
    let form = form.or(plan_form).unwrap_or(LegalForm::SoleTrader);
    let services = store::services(&pool, false).await?;
    let requests = store::requests_by_service(&pool, actor.id.0).await?;
    let mut steps = Vec::new();
    for (code, optional) in form.path() {
        let Some(service) = services.iter().find(|s| s.code == *code) else {
            continue;
        };
        let request = requests
            .iter()
            .rev()
            .find(|r| r.code == *code)
            .map(|r| (r.id, r.status));
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
