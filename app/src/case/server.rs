//! The plan lifecycle in the database (server only): each step in one transaction with its
//! event, the frozen revision a submission makes, and an audit row.
use super::lifecycle::{available_actions, next_state, PlanAction, Refusal, Standing, MESSAGE_MAX};
use super::next::{journey_stage, next_steps, with_services, PlanState, ServiceState};
use super::{ChamberPlan, HomeSteps, PlanCase, PlanEvent};
use crate::auth::guard::{pool, require_actor, require_role};
use crate::db::{now, Pool};
use crate::domain::roles::Role;
use crate::domain::roles::{ChamberId, UserId};
use crate::domain::validation::{bounded_text, Field, FieldError, Problem};
use crate::error::AppError;
use crate::plan::domain::PlanStatus;
use crate::plan::financials::PlanFinancials;
use crate::plan::sections::{missing_before_submit, SectionKey};

/// A plan as the lifecycle needs it.
struct CasePlan {
    owner: UserId,
    owner_chamber: Option<ChamberId>,
    status: PlanStatus,
    currency: String,
    data: Option<String>,
    assigned_to: Option<i64>,
}

async fn case_plan(pool: &Pool, plan_id: i64) -> Result<CasePlan, AppError> {
    type Row = (i64, Option<i64>, String, String, Option<String>, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT p.owner_id, u.chamber_id, p.status, p.currency, p.data, p.assigned_to \
         FROM plans p JOIN users u ON u.id = p.owner_id WHERE p.id = $1 AND p.deleted_at IS NULL",
    )
    .bind(plan_id)
    .fetch_optional(pool)
    .await?;
    let (owner, chamber, status, currency, data, assigned_to) = row.ok_or(AppError::NotFound)?;
    Ok(CasePlan {
        owner: UserId(owner),
        owner_chamber: chamber.map(ChamberId),
        status: PlanStatus::from_key(&status).ok_or(AppError::Internal)?,
        currency,
        data,
        assigned_to,
    })
}

impl CasePlan {
    fn document(&self) -> Result<PlanFinancials, AppError> {
        match &self.data {
            Some(json) => serde_json::from_str(json).map_err(|_| AppError::Internal),
            None => crate::plan::financials::Currency::from_key(&self.currency)
                .map(PlanFinancials::empty)
                .ok_or(AppError::Internal),
        }
    }
}

/// Who the actor is to the plan; outsiders, and staff before the first submission, get 404
/// (a draft is private).
async fn standing_on(
    pool: &Pool,
    actor: &crate::domain::roles::Actor,
    plan_id: i64,
) -> Result<(CasePlan, Standing), AppError> {
    let plan = case_plan(pool, plan_id).await?;
    let who = Standing::of(actor, plan.owner, plan.owner_chamber);
    if who == Standing::Outsider || (who != Standing::Owner && !was_submitted(pool, plan_id).await?) {
        return Err(AppError::NotFound);
    }
    Ok((plan, who))
}

async fn was_submitted(pool: &Pool, plan_id: i64) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plan_revisions WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

async fn ready(pool: &Pool, plan: &CasePlan, plan_id: i64) -> Result<bool, AppError> {
    Ok(missing_before_submit(
        &crate::plan::server::written_sections(pool, plan_id).await?,
        &plan.document()?,
    )
    .is_empty())
}

pub async fn plan_case(plan_id: i64) -> Result<PlanCase, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (plan, who) = standing_on(&pool, &actor, plan_id).await?;
    let ready = who == Standing::Owner && ready(&pool, &plan, plan_id).await?;
    let staff_view = who != Standing::Owner;
    let assigned_to = match plan.assigned_to.filter(|_| staff_view) {
        Some(id) => sqlx::query_as::<_, (String,)>("SELECT full_name FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&pool)
            .await?
            .map(|(name,)| name),
        None => None,
    };
    let advisors = if who == Standing::ChamberManager {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT id, full_name FROM users WHERE role = 'advisor' AND is_active = 1 AND chamber_id = $1 ORDER BY full_name",
        )
        .bind(plan.owner_chamber.map(|c| c.0))
        .fetch_all(&pool)
        .await?
    } else {
        Vec::new()
    };
    let revisions: Vec<(i64, i64)> =
        sqlx::query_as("SELECT number, submitted_at FROM plan_revisions WHERE plan_id = $1 ORDER BY number")
            .bind(plan_id)
            .fetch_all(&pool)
            .await?;
    type EventRow = (i64, Option<String>, String, String, String, Option<String>, Option<i64>);
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.at, u.full_name, e.action, e.from_status, e.to_status, e.message, e.revision \
         FROM plan_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.plan_id = $1 ORDER BY e.at, e.id",
    )
    .bind(plan_id)
    .fetch_all(&pool)
    .await?;
    let events = rows
        .into_iter()
        .filter_map(|(at, actor_name, action, from, to, message, revision)| {
            Some(PlanEvent {
                at,
                // Staff names are shown; the entrepreneur sees "the chamber" for staff steps.
                actor_name,
                action: PlanAction::from_key(&action)?,
                from: PlanStatus::from_key(&from)?,
                to: PlanStatus::from_key(&to)?,
                message,
                revision,
            })
        })
        .collect();
    Ok(PlanCase {
        plan_id,
        status: plan.status,
        staff_view,
        assigned_to,
        actions: available_actions(plan.status, who, ready),
        advisors,
        revisions,
        events,
    })
}

fn invalid(field: Field, problem: Problem) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, problem)])
}

pub async fn transition(
    plan_id: i64,
    action: String,
    message: String,
    advisor_id: Option<i64>,
) -> Result<PlanStatus, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let action = PlanAction::from_key(&action).ok_or(AppError::NotFound)?;
    let (plan, who) = standing_on(&pool, &actor, plan_id).await?;
    // Only a submission reads the whole plan: to check it is ready and to freeze it.
    let submission = match action {
        PlanAction::Submit => Some((
            crate::plan::server::written_sections(&pool, plan_id).await?,
            plan.document()?,
        )),
        _ => None,
    };
    let ready = submission
        .as_ref()
        .is_none_or(|(sections, document)| missing_before_submit(sections, document).is_empty());
    let to = next_state(plan.status, action, who, ready).map_err(AppError::Refused)?;
    // A request for changes or a rejection tells the entrepreneur why; other messages are optional.
    let message = match action {
        PlanAction::RequestChanges | PlanAction::Reject => {
            Some(bounded_text(&message, 3, MESSAGE_MAX).map_err(|p| invalid(Field::Message, p))?)
        }
        _ if message.trim().is_empty() => None,
        _ => Some(bounded_text(&message, 1, MESSAGE_MAX).map_err(|p| invalid(Field::Message, p))?),
    };
    let assigned_to = match action {
        PlanAction::Assign => {
            let advisor = advisor_id.ok_or_else(|| invalid(Field::Advisor, Problem::Required))?;
            let found: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM users WHERE id = $1 AND role = 'advisor' AND is_active = 1 AND chamber_id = $2",
            )
            .bind(advisor)
            .bind(plan.owner_chamber.map(|c| c.0))
            .fetch_optional(&pool)
            .await?;
            Some(found.ok_or_else(|| invalid(Field::Advisor, Problem::UnknownChoice))?.0)
        }
        PlanAction::PickUp => Some(actor.id.0),
        _ => plan.assigned_to,
    };
    let recipients = recipients(&pool, &plan, action, assigned_to, actor.id.0).await?;
    let at = now();
    let mut tx = pool.begin().await?;
    // Moves only from the state the rule was checked against: a step taken meanwhile by
    // someone else makes this one refused, never doubled.
    let moved = sqlx::query(
        "UPDATE plans SET status = $1, assigned_to = $2, updated_at = $3, revision = revision + 1 \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.key())
    .bind(assigned_to)
    .bind(at)
    .bind(plan_id)
    .bind(plan.status.key())
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(AppError::Refused(Refusal::WrongState));
    }
    let revision = if let Some((sections, document)) = &submission {
        let (number,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) FROM plan_revisions WHERE plan_id = $1",
        )
        .bind(plan_id)
        .fetch_one(&mut *tx)
        .await?;
        let data = serde_json::to_string(document).map_err(|_| AppError::Internal)?;
        let sections: Vec<(&str, &str)> = sections.iter().map(|(k, body)| (k.key(), body.as_str())).collect();
        let sections = serde_json::to_string(&sections).map_err(|_| AppError::Internal)?;
        sqlx::query(
            "INSERT INTO plan_revisions (plan_id, number, data, sections, submitted_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(plan_id)
        .bind(number)
        .bind(data)
        .bind(sections)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        Some(number)
    } else {
        None
    };
    sqlx::query(
        "INSERT INTO plan_events (plan_id, actor_id, action, from_status, to_status, message, revision, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(plan_id)
    .bind(actor.id.0)
    .bind(action.key())
    .bind(plan.status.key())
    .bind(to.key())
    .bind(message.clone())
    .bind(revision)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    for user in recipients {
        crate::notify::server::notify(
            &mut tx,
            user,
            crate::notify::Topic::PlanStep(action),
            crate::notify::server::About::plan(plan_id),
            message.as_deref(),
            at,
        )
        .await?;
    }
    let detail = format!(
        "{} -> {}{}",
        plan.status.key(),
        to.key(),
        message.map(|m| format!(": {m}")).unwrap_or_default()
    );
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, object_type, object_id, detail, at) VALUES ($1, $2, 'plan', $3, $4, $5)",
    )
    .bind(actor.id.0)
    .bind(format!("plan_{}", action.key()))
    .bind(plan_id)
    .bind(detail)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(to)
}

/// Who is told about a step: the owner about the chamber's steps; the chamber's managers
/// and the advisor in charge about submissions and withdrawals; an advisor about being
/// assigned. Never the one who took the step.
async fn recipients(
    pool: &Pool,
    plan: &CasePlan,
    action: PlanAction,
    assigned_to: Option<i64>,
    actor: i64,
) -> Result<Vec<i64>, AppError> {
    let mut users = match action {
        PlanAction::Withdraw if plan.status == PlanStatus::Draft => Vec::new(),
        PlanAction::Submit | PlanAction::Withdraw => {
            let managers: Vec<(i64,)> = sqlx::query_as(
                "SELECT id FROM users WHERE role = 'chamber-manager' AND is_active = 1 AND chamber_id = $1",
            )
            .bind(plan.owner_chamber.map(|c| c.0))
            .fetch_all(pool)
            .await?;
            managers.into_iter().map(|(id,)| id).chain(plan.assigned_to).collect()
        }
        PlanAction::Assign => assigned_to.into_iter().collect(),
        PlanAction::PickUp => Vec::new(),
        PlanAction::RequestChanges
        | PlanAction::Approve
        | PlanAction::Reject
        | PlanAction::Refer
        | PlanAction::MarkFunded
        | PlanAction::MarkOperating => vec![plan.owner.0],
    };
    users.retain(|u| *u != actor);
    users.sort_unstable();
    users.dedup();
    Ok(users)
}

/// The revision reviewers read: the last one submitted (its tables and written sections).
pub async fn latest_revision(
    pool: &Pool,
    plan_id: i64,
) -> Result<Option<(PlanFinancials, Vec<(SectionKey, String)>)>, AppError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT data, sections FROM plan_revisions WHERE plan_id = $1 ORDER BY number DESC LIMIT 1")
            .bind(plan_id)
            .fetch_optional(pool)
            .await?;
    let Some((data, sections)) = row else {
        return Ok(None);
    };
    let data: PlanFinancials = serde_json::from_str(&data).map_err(|_| AppError::Internal)?;
    let sections: Vec<(String, String)> = serde_json::from_str(&sections).map_err(|_| AppError::Internal)?;
    Ok(Some((
        data,
        sections
            .into_iter()
            .filter_map(|(k, body)| SectionKey::from_key(&k).map(|k| (k, body)))
            .collect(),
    )))
}

pub async fn chamber_plans() -> Result<Vec<ChamberPlan>, AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let pool = pool()?;
    type Row = (i64, String, String, String, Option<String>, i64);
    // Waiting for the chamber (submitted, in review) first, then the rest; newest first within.
    let base = "SELECT p.id, p.title, o.full_name, p.status, a.full_name, p.updated_at \
                FROM plans p JOIN users o ON o.id = p.owner_id LEFT JOIN users a ON a.id = p.assigned_to \
                WHERE p.deleted_at IS NULL AND EXISTS (SELECT 1 FROM plan_revisions r WHERE r.plan_id = p.id)";
    let order = "ORDER BY CASE p.status WHEN 'submitted' THEN 0 WHEN 'in_review' THEN 1 ELSE 2 END, p.updated_at DESC LIMIT 500";
    let rows: Vec<Row> = if actor.role == Role::FundAdmin {
        sqlx::query_as(&format!("{base} {order}")).fetch_all(&pool).await?
    } else {
        sqlx::query_as(&format!("{base} AND o.chamber_id = $1 {order}"))
            .bind(actor.chamber.map(|c| c.0))
            .fetch_all(&pool)
            .await?
    };
    Ok(rows
        .into_iter()
        .filter_map(|(plan_id, title, owner_name, status, assigned_to, updated_at)| {
            Some(ChamberPlan {
                plan_id,
                title,
                owner_name,
                status: PlanStatus::from_key(&status)?,
                assigned_to,
                updated_at,
            })
        })
        .collect())
}

pub async fn home_steps() -> Result<HomeSteps, AppError> {
    let actor = require_actor().await?;
    // Staff homes ask too (the home page loads it for everyone): nothing to do here for them.
    if actor.role != Role::Entrepreneur {
        return Ok(HomeSteps {
            steps: Vec::new(),
            journey: None,
        });
    }
    let pool = pool()?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, title FROM plans WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC",
    )
    .bind(actor.id.0)
    .fetch_all(&pool)
    .await?;
    let mut plans = Vec::with_capacity(rows.len());
    for (plan_id, title) in rows {
        let plan = case_plan(&pool, plan_id).await?;
        let ready = plan.status == PlanStatus::Draft && ready(&pool, &plan, plan_id).await?;
        plans.push(PlanState {
            plan_id,
            title,
            status: plan.status,
            ready,
        });
    }
    let checklist: Vec<_> = crate::documents::server::checklist_of(&pool, actor.id.0)
        .await?
        .into_iter()
        .map(|item| (item.doc_type, item.state))
        .collect();
    let journey = plans
        .iter()
        .find_map(|p| journey_stage(p.status).map(|(stage, of)| (p.plan_id, p.title.clone(), p.status, stage, of)));
    let requests: Vec<ServiceState> = crate::services::server::requests_of(&pool, actor.id.0)
        .await?
        .into_iter()
        .map(|r| ServiceState {
            request_id: r.id,
            service: r.service_name,
            status: r.status,
            step: r.step_name,
            step_until: r.step_expected_end,
        })
        .collect();
    Ok(HomeSteps {
        steps: with_services(next_steps(&plans, &checklist), &requests),
        journey,
    })
}

pub async fn case_file(user_id: Option<i64>) -> Result<super::CaseFile, AppError> {
    use super::TimelineEntry;
    use crate::documents::domain::{DocumentStatus, DocumentType};
    use crate::domain::roles::AccountRef;
    use crate::services::domain::{RequestAction, RequestStatus};
    let actor = require_actor().await?;
    let pool = pool()?;
    let owner = user_id.unwrap_or(actor.id.0);
    let account: Option<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT full_name, role, chamber_id FROM users WHERE id = $1")
            .bind(owner)
            .fetch_optional(&pool)
            .await?;
    let Some((owner_name, role, chamber)) = account else {
        return Err(AppError::NotFound);
    };
    let account = AccountRef {
        id: UserId(owner),
        role: Role::from_key(&role).ok_or(AppError::Internal)?,
        chamber: chamber.map(ChamberId),
    };
    // The same people who may read someone's documents may read their case.
    if !crate::documents::domain::can_read_documents(&actor, &account) {
        return Err(AppError::NotFound);
    }
    let own = actor.id.0 == owner;
    // Staff see plans once submitted, never drafts.
    let plans: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.title, p.status, (SELECT COUNT(*) FROM plan_revisions r WHERE r.plan_id = p.id) \
         FROM plans p WHERE p.owner_id = $1 AND p.deleted_at IS NULL ORDER BY p.updated_at DESC, p.id DESC",
    )
    .bind(owner)
    .fetch_all(&pool)
    .await?;
    let plans: Vec<(i64, String, PlanStatus, i64)> = plans
        .into_iter()
        .filter(|(_, _, _, revisions)| own || *revisions > 0)
        .filter_map(|(id, title, status, revisions)| Some((id, title, PlanStatus::from_key(&status)?, revisions)))
        .collect();
    let mut timeline = Vec::new();
    type PlanEventRow = (i64, i64, String, String, String, Option<String>, Option<i64>);
    let plan_events: Vec<PlanEventRow> = sqlx::query_as(
        "SELECT e.at, e.plan_id, p.title, e.action, e.to_status, e.message, e.revision FROM plan_events e \
         JOIN plans p ON p.id = e.plan_id WHERE p.owner_id = $1 AND p.deleted_at IS NULL ORDER BY e.at, e.id",
    )
    .bind(owner)
    .fetch_all(&pool)
    .await?;
    for (at, plan_id, title, action, to, message, revision) in plan_events {
        if !plans.iter().any(|(id, ..)| *id == plan_id) {
            continue;
        }
        if let (Some(action), Some(to)) = (PlanAction::from_key(&action), PlanStatus::from_key(&to)) {
            timeline.push(TimelineEntry::Plan {
                at,
                plan_id,
                title,
                action,
                to,
                message,
                revision,
            });
        }
    }
    type ServiceEventRow = (i64, i64, String, String, Option<String>, String, i64, Option<String>);
    let service_events: Vec<ServiceEventRow> = sqlx::query_as(
        "SELECT e.at, e.request_id, s.name_ar, s.name_en, e.action, e.to_status, e.step, e.message \
         FROM service_request_events e JOIN service_requests r ON r.id = e.request_id \
         JOIN services s ON s.id = r.service_id WHERE r.user_id = $1 ORDER BY e.at, e.id",
    )
    .bind(owner)
    .fetch_all(&pool)
    .await?;
    for (at, request_id, name_ar, name_en, action, to, step, message) in service_events {
        let Some(to) = RequestStatus::from_key(&to) else {
            continue;
        };
        timeline.push(TimelineEntry::Service {
            at,
            request_id,
            service_name: (name_ar, name_en),
            action: action.as_deref().and_then(RequestAction::from_key),
            to,
            step: step.clamp(0, 100) as u32,
            message,
        });
    }
    type DocRow = (String, String, Option<String>, i64, Option<i64>, Option<i64>);
    let docs: Vec<DocRow> = sqlx::query_as(
        "SELECT doc_type, status, reject_reason, created_at, reviewed_at, replaced_at FROM documents \
         WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
    )
    .bind(owner)
    .fetch_all(&pool)
    .await?;
    let mut documents = Vec::new();
    for (doc_type, status, reason, created_at, reviewed_at, replaced_at) in docs {
        let (Some(doc_type), Some(status)) = (DocumentType::from_key(&doc_type), DocumentStatus::from_key(&status))
        else {
            continue;
        };
        timeline.push(TimelineEntry::Document {
            at: created_at,
            doc_type,
            status: DocumentStatus::Uploaded,
            reason: None,
        });
        if let (Some(reviewed), true) = (reviewed_at, status != DocumentStatus::Uploaded) {
            timeline.push(TimelineEntry::Document {
                at: reviewed,
                doc_type,
                status,
                reason,
            });
        }
        if replaced_at.is_none() {
            documents.push((doc_type, status));
        }
    }
    // One order for all: by time, and a step's events in the order they were written.
    timeline.sort_by_key(|e| e.at());
    Ok(super::CaseFile {
        owner_name,
        plans,
        requests: crate::services::server::requests_of(&pool, owner).await?,
        documents,
        timeline,
    })
}
