//! The plan lifecycle and the case file (server only): each step in one transaction with
//! its event, the frozen revision a submission makes, its notifications and its audit row.
use super::store::{self, NewEvent};
use super::{CaseFile, HomeSteps, PlanCase, PlanEvent, TimelineEntry, Workload};
use crate::audit;
use crate::auth::store::{
    account, case_with_chamber, chamber_by_code, chamber_staff, move_to_chamber, name_of, reference_data,
};
use crate::db::{now, Pool};
use crate::error::AppError;
use crate::guard::{pool, require_actor};
use crate::notify::server::notify;
use crate::notify::store::About;
use crate::notify::Topic;
use crate::plan::store::{self as plans, StoredPlan};
use domain::audit::{AuditAction, AuditObject};
use domain::documents::{can_read_documents, DocumentStatus};
use domain::next::{journey_stage, next_steps, with_services, PlanState, ServiceState};
use domain::plan::lifecycle::{available_actions, next_state, submission_lands_in, PlanAction, MESSAGE_MAX};
use domain::plan::sections::missing_before_submit;
use domain::plan::status::PlanStatus;
use domain::roles::{can_move_chamber, can_view_profile, Actor, Role};
use domain::standing::{Refusal, Standing};
use domain::validation::{self, bounded_text, multiline_text, Field, FieldError, Problem};

/// Who the actor is to the plan; outsiders, and staff before the first submission, get 404
/// (a draft is private).
async fn standing_on(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<(StoredPlan, Standing), AppError> {
    let plan = plans::plan(pool, plan_id).await?.ok_or(AppError::NotFound)?;
    let who = Standing::of(actor, plan.owner(), plan.owner_chamber());
    if who == Standing::Outsider || (who != Standing::Owner && !plans::was_submitted(pool, plan_id).await?) {
        return Err(AppError::NotFound);
    }
    Ok((plan, who))
}

/// Does the plan pass the "ready to submit" rule?
async fn ready(pool: &Pool, plan: &StoredPlan) -> Result<bool, AppError> {
    Ok(missing_before_submit(&plans::written_sections(pool, plan.id).await?, &plan.document()?).is_empty())
}

pub async fn plan_case(plan_id: i64) -> Result<PlanCase, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (plan, who) = standing_on(&pool, &actor, plan_id).await?;
    let ready = who == Standing::Owner && ready(&pool, &plan).await?;
    let staff_view = who != Standing::Owner;
    let assigned_to = match plan.assigned_to.filter(|_| staff_view) {
        Some(id) => name_of(&pool, id).await?,
        None => None,
    };
    let advisors = if who == Standing::ChamberManager {
        chamber_staff(&pool, plan.owner_chamber(), Role::Advisor)
            .await?
            .into_iter()
            .map(|advisor| (advisor.id, advisor.full_name))
            .collect()
    } else {
        Vec::new()
    };
    let events = store::events_of_plan(&pool, plan_id)
        .await?
        .into_iter()
        .map(|e| PlanEvent {
            at: e.at,
            // Staff names are shown; the entrepreneur sees "the chamber" for staff steps.
            actor_name: e.actor_name,
            action: e.action,
            from: e.from_status,
            to: e.to_status,
            message: e.message,
            revision: e.revision,
        })
        .collect();
    Ok(PlanCase {
        plan_id,
        status: plan.status,
        staff_view,
        assigned_to,
        actions: available_actions(plan.status, who, ready),
        advisors,
        revisions: plans::revisions(&pool, plan_id)
            .await?
            .into_iter()
            .map(|r| (r.number, r.submitted_at))
            .collect(),
        events,
    })
}

pub async fn transition(
    plan_id: i64,
    action: PlanAction,
    message: String,
    advisor_id: Option<i64>,
) -> Result<PlanStatus, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (plan, who) = standing_on(&pool, &actor, plan_id).await?;
    // Only a submission reads the whole plan: to check it is ready and to freeze it.
    let submission = match action {
        PlanAction::Submit => Some((plans::written_sections(&pool, plan_id).await?, plan.document()?)),
        _ => None,
    };
    let ready = submission
        .as_ref()
        .is_none_or(|(sections, document)| missing_before_submit(sections, document).is_empty());
    let mut to = next_state(plan.status, action, who, ready).map_err(AppError::Refused)?;
    if action == PlanAction::Submit {
        // A resubmission goes back to the advisor who asked for the changes, if they still
        // review for the plan's chamber.
        let holder_active = match plan.assigned_to {
            Some(holder) => {
                let mut staff = chamber_staff(&pool, plan.owner_chamber(), Role::Advisor).await?;
                staff.extend(chamber_staff(&pool, plan.owner_chamber(), Role::ChamberManager).await?);
                staff.iter().any(|s| s.id == holder)
            }
            None => false,
        };
        to = submission_lands_in(plan.status, holder_active);
    }
    // A request for changes or a rejection tells the entrepreneur why; other messages are optional.
    let message = match action {
        // Kept in paragraphs: a request for changes lists its points section by section.
        PlanAction::RequestChanges | PlanAction::Reject => {
            Some(multiline_text(&message, 3, MESSAGE_MAX).map_err(|p| AppError::invalid(Field::Message, p))?)
        }
        _ if message.trim().is_empty() => None,
        _ => Some(bounded_text(&message, 1, MESSAGE_MAX).map_err(|p| AppError::invalid(Field::Message, p))?),
    };
    let assigned_to = match action {
        PlanAction::Assign => {
            let advisor = advisor_id.ok_or_else(|| AppError::invalid(Field::Advisor, Problem::Required))?;
            let advisors = chamber_staff(&pool, plan.owner_chamber(), Role::Advisor).await?;
            if !advisors.iter().any(|a| a.id == advisor) {
                return Err(AppError::invalid(Field::Advisor, Problem::UnknownChoice));
            }
            Some(advisor)
        }
        PlanAction::PickUp => Some(actor.id.0),
        _ => plan.assigned_to,
    };
    let recipients = recipients(&pool, &plan, action, assigned_to, actor.id.0).await?;
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    if !plans::move_status(&mut tx, plan_id, plan.status, to, assigned_to, at).await? {
        return Err(AppError::Refused(Refusal::WrongState));
    }
    let revision = match &submission {
        Some((sections, document)) => Some(plans::freeze_revision(&mut tx, plan_id, document, sections, at).await?),
        None => None,
    };
    store::insert_event(
        &mut tx,
        NewEvent {
            plan_id,
            actor: actor.id.0,
            action,
            from: plan.status,
            to,
            message: message.as_deref(),
            revision,
            at,
        },
    )
    .await?;
    for user in recipients {
        notify(
            &mut tx,
            user,
            Topic::PlanStep(action),
            About::plan(plan_id),
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
    audit::record(
        &mut *tx,
        Some(actor.id),
        action.into(),
        AuditObject::Plan,
        Some(plan_id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(to)
}

/// Who is told about a step: the owner about the chamber's steps; the chamber's managers
/// and the advisor in charge about submissions and withdrawals; an advisor about being
/// assigned. Never the one who took the step.
async fn recipients(
    pool: &Pool,
    plan: &StoredPlan,
    action: PlanAction,
    assigned_to: Option<i64>,
    actor: i64,
) -> Result<Vec<i64>, AppError> {
    let mut users = match action {
        PlanAction::Withdraw if plan.status == PlanStatus::Draft => Vec::new(),
        PlanAction::Submit | PlanAction::Withdraw => chamber_staff(pool, plan.owner_chamber(), Role::ChamberManager)
            .await?
            .into_iter()
            .map(|manager| manager.id)
            .chain(plan.assigned_to)
            .collect(),
        PlanAction::Assign => assigned_to.into_iter().collect(),
        PlanAction::PickUp => Vec::new(),
        PlanAction::RequestChanges
        | PlanAction::Approve
        | PlanAction::Reject
        | PlanAction::Refer
        | PlanAction::MarkFunded
        | PlanAction::MarkOperating => vec![plan.owner_id],
    };
    users.retain(|u| *u != actor);
    users.sort_unstable();
    users.dedup();
    Ok(users)
}

pub async fn workload() -> Result<Option<Workload>, AppError> {
    let actor = require_actor().await?;
    let chamber = match (actor.role, actor.chamber) {
        (Role::Entrepreneur, _) => return Ok(None),
        (Role::FundAdmin, _) => None,
        (_, Some(chamber)) => Some(chamber.0),
        // Chamber staff always have a chamber; without one nothing waits for them.
        (_, None) => return Ok(Some(Workload::default())),
    };
    let pool = pool()?;
    let plans = store::review_counts(&pool, chamber, actor.id.0).await?;
    Ok(Some(Workload {
        my_reviews: if actor.role == Role::FundAdmin { 0 } else { plans.mine },
        unassigned: plans.unassigned,
        longest_wait_days: plans.unassigned_since.map(|since| (now() - since).max(0) / 86_400),
        documents_waiting: crate::documents::store::waiting_count(&pool, chamber).await?,
        requests_open: crate::services::store::open_count_of_chamber(&pool, chamber).await?,
    }))
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
    let mut states = Vec::new();
    for summary in plans::plans_of(&pool, actor.id.0).await? {
        let ready = match summary.status {
            PlanStatus::Draft => match plans::plan(&pool, summary.id).await? {
                Some(plan) => ready(&pool, &plan).await?,
                None => false,
            },
            _ => false,
        };
        states.push(PlanState {
            plan_id: summary.id,
            title: summary.title,
            status: summary.status,
            ready,
        });
    }
    let checklist: Vec<_> = crate::documents::server::checklist_of(&pool, actor.id.0)
        .await?
        .into_iter()
        .map(|item| (item.doc_type, item.state))
        .collect();
    let journey = states
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
        steps: with_services(next_steps(&states, &checklist), &requests),
        journey,
    })
}

pub async fn case_file(user_id: Option<i64>) -> Result<CaseFile, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let owner = user_id.unwrap_or(actor.id.0);
    let (account, owner_name) = account(&pool, owner).await?.ok_or(AppError::NotFound)?;
    // The same people who may read someone's documents may read their case.
    if !can_read_documents(&actor, &account) {
        return Err(AppError::NotFound);
    }
    let own = actor.id.0 == owner;
    // Staff see plans once submitted, never drafts.
    let plans: Vec<(i64, String, PlanStatus, i64)> = plans::plans_with_revisions(&pool, owner)
        .await?
        .into_iter()
        .filter(|p| own || p.revisions > 0)
        .map(|p| (p.id, p.title, p.status, p.revisions))
        .collect();
    let mut timeline = Vec::new();
    for e in store::events_of_owner(&pool, owner).await? {
        if plans.iter().any(|(id, ..)| *id == e.plan_id) {
            timeline.push(TimelineEntry::Plan {
                at: e.at,
                plan_id: e.plan_id,
                title: e.title,
                action: e.action,
                to: e.to_status,
                message: e.message,
                revision: e.revision,
            });
        }
    }
    for e in crate::services::store::events_of_owner(&pool, owner).await? {
        timeline.push(TimelineEntry::Service {
            at: e.at,
            request_id: e.request_id,
            service_name: e.service_name(),
            action: e.action(),
            to: e.to_status,
            step: e.step.clamp(0, 100) as u32,
            message: e.message,
        });
    }
    let mut documents = Vec::new();
    for d in crate::documents::store::history_of(&pool, owner).await? {
        timeline.push(TimelineEntry::Document {
            at: d.created_at,
            doc_type: d.doc_type,
            status: DocumentStatus::Uploaded,
            reason: None,
        });
        if let (Some(reviewed), true) = (d.reviewed_at, d.status != DocumentStatus::Uploaded) {
            timeline.push(TimelineEntry::Document {
                at: reviewed,
                doc_type: d.doc_type,
                status: d.status,
                reason: d.reject_reason,
            });
        }
        if d.replaced_at.is_none() {
            documents.push((d.doc_type, d.status));
        }
    }
    // One order for all: by time, and a step's events in the order they were written.
    timeline.sort_by_key(|e| e.at());
    let chamber_code = match account.chamber {
        Some(id) => reference_data(&pool)
            .await?
            .chambers
            .into_iter()
            .find(|c| c.id == id.0)
            .map(|c| c.code),
        None => None,
    };
    // She moves herself from her profile; the case file offers the move to staff only.
    let can_move = !own && can_move_chamber(&actor, &account, case_with_chamber(&pool, owner).await?);
    Ok(CaseFile {
        owner_name,
        plans,
        requests: crate::services::server::requests_of(&pool, owner).await?,
        documents,
        timeline,
        chamber_code,
        can_move,
    })
}

pub async fn move_chamber(user_id: i64, chamber: String) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (person, _) = account(&pool, user_id).await?.ok_or(AppError::NotFound)?;
    if !can_view_profile(&actor, &person) {
        return Err(AppError::NotFound);
    }
    if !can_move_chamber(&actor, &person, case_with_chamber(&pool, user_id).await?) {
        return Err(AppError::Forbidden);
    }
    let unknown = || AppError::Invalid(vec![FieldError::new(Field::Chamber, Problem::UnknownChoice)]);
    let code = validation::choice(&chamber)
        .map_err(|problem| AppError::Invalid(vec![FieldError::new(Field::Chamber, problem)]))?;
    let target = chamber_by_code(&pool, &code).await?.ok_or_else(unknown)?;
    if person.chamber.map(|c| c.0) == Some(target) {
        return Ok(());
    }
    let mut tx = crate::db::begin(&pool).await?;
    move_to_chamber(&mut tx, user_id, target, now()).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::MoveChamber,
        AuditObject::User,
        Some(user_id),
        &code,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
