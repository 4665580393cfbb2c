//! What the plan server functions do (server only): who may read or change a plan, and the
//! revision-checked saves. Plan rows are read and written through `store`.
use super::store::{self, StoredPlan};
use super::{DeletedPlan, PlanDetail, PlanSummary, IMPORT_MAX_BYTES};
use crate::audit;
use crate::db::{now, Pool};
use crate::error::{internal, AppError};
use crate::guard::{pool, require_actor, require_role};
use domain::audit::{AuditAction, AuditObject};
use domain::plan::financials::{parse_plan, Currency, PlanFinancials, PlanProblem, PlanProblemKind};
use domain::plan::sections::{SectionKey, SectionKind, BODY_MAX};
use domain::plan::status::{can_read_plan, can_restore_plan, PLANS_MAX, TITLE_MAX, TITLE_MIN};
use domain::plan::tables::Table;
use domain::roles::{Actor, ChamberId, Role, UserId};
use domain::validation::{bounded_text, Field, Problem};

fn title(input: &str) -> Result<String, Problem> {
    bounded_text(input, TITLE_MIN, TITLE_MAX)
}

/// Refuses one more plan (new, imported or restored) when `owner` already keeps the most
/// plans allowed.
async fn ensure_room_for_plan<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    owner: i64,
) -> Result<(), AppError> {
    if store::plan_count(db, owner).await? >= PLANS_MAX {
        return Err(AppError::invalid(
            Field::PlanTitle,
            Problem::TooMany { max: PLANS_MAX as u32 },
        ));
    }
    Ok(())
}

/// The caller's own, not deleted plan, or 404 (also for other people's plans).
async fn own_plan(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<StoredPlan, AppError> {
    match store::plan(pool, plan_id).await? {
        Some(plan) if plan.owner() == actor.id => Ok(plan),
        _ => Err(AppError::NotFound),
    }
}

/// A plan as a reader sees it: the owner the live draft, anyone else the last submitted
/// revision (never the draft in between).
pub struct ReadablePlan {
    pub plan: StoredPlan,
    /// For reviewers: the last submitted revision's tables and written sections.
    frozen: Option<(PlanFinancials, Vec<(SectionKey, String)>)>,
}

impl ReadablePlan {
    pub fn document(&self) -> Result<PlanFinancials, AppError> {
        match &self.frozen {
            Some((data, _)) => Ok(data.clone()),
            None => self.plan.document(),
        }
    }

    /// The written sections the reader sees: as submitted for reviewers, live for the owner.
    pub async fn sections(&self, pool: &Pool) -> Result<Vec<(SectionKey, String)>, AppError> {
        match &self.frozen {
            Some((_, sections)) => Ok(sections.clone()),
            None => store::written_sections(pool, self.plan.id).await,
        }
    }
}

/// The plan if `actor` may read it; 404 otherwise, so its existence is not revealed.
pub async fn readable_plan(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<ReadablePlan, AppError> {
    let plan = store::plan(pool, plan_id).await?.ok_or(AppError::NotFound)?;
    if !can_read_plan(actor, plan.owner(), plan.owner_chamber(), plan.status) {
        return Err(AppError::NotFound);
    }
    let frozen = if plan.owner() == actor.id {
        None
    } else {
        Some(store::latest_revision(pool, plan_id).await?.ok_or(AppError::NotFound)?)
    };
    Ok(ReadablePlan { plan, frozen })
}

/// The owner of a plan `actor` may read (404 otherwise): for the plan's document checklist.
pub async fn owner_of_readable_plan(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<UserId, AppError> {
    Ok(readable_plan(pool, actor, plan_id).await?.plan.owner())
}

pub async fn get_plan(plan_id: i64) -> Result<PlanDetail, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let readable = readable_plan(&pool, &actor, plan_id).await?;
    Ok(PlanDetail {
        data: readable.document()?,
        editable: readable.plan.owner() == actor.id && readable.plan.status.owner_may_edit(),
        sections: readable.sections(&pool).await?,
        revision: readable.plan.revision,
        summary: readable.plan.summary(),
    })
}

/// The whole plan as one `riyada.plan.v1` document (title and written sections included),
/// for whoever may read it: the JSON download and the PDF.
pub async fn export_document(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<PlanFinancials, AppError> {
    let readable = readable_plan(pool, actor, plan_id).await?;
    let mut document = readable.document()?;
    document.title = Some(readable.plan.title.clone());
    document.sections = readable
        .sections(pool)
        .await?
        .into_iter()
        .filter(|(_, body)| !body.is_empty())
        .map(|(k, body)| (k.key().to_string(), body))
        .collect();
    audit::record(
        pool,
        Some(actor.id),
        AuditAction::ExportPlan,
        AuditObject::Plan,
        Some(plan_id),
        "",
    )
    .await?;
    Ok(document)
}

/// The caller's plan, if they may change it now.
async fn editable_plan(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<StoredPlan, AppError> {
    let plan = own_plan(pool, actor, plan_id).await?;
    if !plan.status.owner_may_edit() {
        return Err(AppError::Forbidden);
    }
    Ok(plan)
}

pub async fn save_table(plan_id: i64, table: Table, rows: Vec<Vec<String>>, revision: i64) -> Result<i64, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let plan = editable_plan(&pool, &actor, plan_id).await?;
    let mut document = plan.document()?;
    table.apply(&mut document, &rows).map_err(AppError::InvalidCells)?;
    let problems = document.problems();
    if !problems.is_empty() {
        return Err(AppError::InvalidPlan(problems));
    }
    let json = serde_json::to_string(&document).map_err(internal("writing a plan document failed"))?;
    let mut tx = crate::db::begin(&pool).await?;
    if !store::bump_revision(&mut tx, plan_id, revision, now()).await? {
        tx.rollback().await?;
        // The saved version of this table, as cells, so the person can compare.
        let stored = store::plan(&pool, plan_id).await?.ok_or(AppError::NotFound)?;
        let saved = serde_json::to_string(&table.rows(&stored.document()?)).unwrap_or_default();
        return Err(AppError::Conflict {
            revision: stored.revision,
            saved,
        });
    }
    store::set_document(&mut tx, plan_id, &json).await?;
    tx.commit().await?;
    Ok(revision + 1)
}

pub async fn import_plan(document: String) -> Result<i64, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    if document.len() > IMPORT_MAX_BYTES {
        return Err(AppError::TooLarge);
    }
    let mut plan = parse_plan(&document).map_err(AppError::InvalidPlan)?;
    let title = match plan.title.take().map(|t| title(&t)) {
        Some(Ok(title)) => title,
        Some(Err(_)) | None => {
            return Err(AppError::InvalidPlan(vec![PlanProblem {
                path: "title".into(),
                kind: PlanProblemKind::Structure {
                    detail: format!("a title of {TITLE_MIN} to {TITLE_MAX} characters is needed"),
                },
            }]))
        }
    };
    let sections = std::mem::take(&mut plan.sections);
    let json = serde_json::to_string(&plan).map_err(internal("writing a plan document failed"))?;
    let pool = pool()?;
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    ensure_room_for_plan(&mut *tx, actor.id.0).await?;
    let id = store::insert_plan(&mut tx, actor.id.0, &title, plan.currency, Some(&json), at).await?;
    for (key, body) in sections {
        store::save_section_body(&mut tx, id, &key, &body.replace("\r\n", "\n"), at).await?;
    }
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::ImportPlan,
        AuditObject::Plan,
        Some(id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn save_section(plan_id: i64, key: SectionKey, body: String, revision: i64) -> Result<i64, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    editable_plan(&pool, &actor, plan_id).await?;
    if key.kind() != SectionKind::Text {
        return Err(AppError::NotFound);
    }
    if body.chars().count() > BODY_MAX {
        return Err(AppError::invalid(
            Field::SectionBody,
            Problem::TooLong { max: BODY_MAX as u32 },
        ));
    }
    if body.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(AppError::invalid(Field::SectionBody, Problem::ControlCharacters));
    }
    let body = body.replace("\r\n", "\n");
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    if !store::bump_revision(&mut tx, plan_id, revision, at).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict {
            revision: store::current_revision(&pool, plan_id).await?,
            saved: store::section_body(&pool, plan_id, key).await?.unwrap_or_default(),
        });
    }
    store::save_section_body(&mut tx, plan_id, key.key(), &body, at).await?;
    tx.commit().await?;
    Ok(revision + 1)
}

pub async fn list_plans() -> Result<Vec<PlanSummary>, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    store::plans_of(&pool()?, actor.id.0).await
}

pub async fn create_plan(title_typed: String, currency: Currency) -> Result<i64, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let title = title(&title_typed).map_err(|p| AppError::invalid(Field::PlanTitle, p))?;
    let mut tx = crate::db::begin(&pool).await?;
    ensure_room_for_plan(&mut *tx, actor.id.0).await?;
    let id = store::insert_plan(&mut tx, actor.id.0, &title, currency, None, now()).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::CreatePlan,
        AuditObject::Plan,
        Some(id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename_plan(plan_id: i64, title_typed: String) -> Result<(), AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    // The title is part of what the chamber reviews and decides on: it changes only while
    // the rest of the plan may.
    editable_plan(&pool, &actor, plan_id).await?;
    let title = title(&title_typed).map_err(|p| AppError::invalid(Field::PlanTitle, p))?;
    let mut tx = crate::db::begin(&pool).await?;
    store::rename(&mut tx, plan_id, &title, now()).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::RenamePlan,
        AuditObject::Plan,
        Some(plan_id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_plan(plan_id: i64) -> Result<(), AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    if !own_plan(&pool, &actor, plan_id).await?.status.owner_may_delete() {
        return Err(AppError::Forbidden);
    }
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    store::set_deleted(&mut tx, plan_id, Some(at), at).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::DeletePlan,
        AuditObject::Plan,
        Some(plan_id),
        "draft → deleted",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_deleted_plans() -> Result<Vec<DeletedPlan>, AppError> {
    let actor = require_role(&[Role::FundAdmin, Role::ChamberManager]).await?;
    // The Fund sees every chamber; a manager only theirs (filtered in SQL, checked again below).
    let scope = match (actor.role, actor.chamber) {
        (Role::FundAdmin, _) => None,
        (_, Some(chamber)) => Some(chamber),
        (_, None) => return Ok(Vec::new()),
    };
    Ok(store::deleted_plans(&pool()?, scope)
        .await?
        .into_iter()
        .filter(|row| can_restore_plan(&actor, row.owner_chamber.map(ChamberId)))
        .map(DeletedPlan::from)
        .collect())
}

pub async fn restore_plan(plan_id: i64) -> Result<(), AppError> {
    let actor = require_role(&[Role::FundAdmin, Role::ChamberManager]).await?;
    let pool = pool()?;
    let deleted = store::deleted_plan_owner(&pool, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !can_restore_plan(&actor, deleted.owner_chamber.map(ChamberId)) {
        return Err(AppError::NotFound);
    }
    let mut tx = crate::db::begin(&pool).await?;
    ensure_room_for_plan(&mut *tx, deleted.owner_id).await?;
    store::set_deleted(&mut tx, plan_id, None, now()).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::RestorePlan,
        AuditObject::Plan,
        Some(plan_id),
        "deleted → draft",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
