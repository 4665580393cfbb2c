use super::domain::{can_read_plan, can_restore_plan, PlanStatus, PLANS_MAX, TITLE_MAX, TITLE_MIN};
use super::financials::{parse_plan, Currency, PlanFinancials, PlanProblem, PlanProblemKind};
use super::sections::{SectionKey, SectionKind, BODY_MAX};
use super::tables::Table;
use super::{DeletedPlan, PlanDetail, PlanSummary, IMPORT_MAX_BYTES};
use crate::auth::guard::{audit, pool, require_actor, require_role};
use crate::db::{now, Pool};
use crate::domain::roles::{Actor, ChamberId, Role, UserId};
use crate::domain::validation::{bounded_text, collect, Field, FieldError, Problem};
use crate::error::AppError;

fn invalid(field: Field, problem: Problem) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, problem)])
}

fn title(input: &str) -> Result<String, Problem> {
    bounded_text(input, TITLE_MIN, TITLE_MAX)
}

/// A currency typed in a form; empty means the default, the shekel.
fn currency(input: &str) -> Result<Currency, Problem> {
    match input.trim() {
        "" => Ok(Currency::ILS),
        key => Currency::from_key(key).ok_or(Problem::UnknownChoice),
    }
}

/// Refuses one more plan (new, imported or restored) when `owner` already keeps the most
/// plans allowed.
async fn ensure_room_for_plan<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    owner: i64,
) -> Result<(), AppError> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plans WHERE owner_id = $1 AND deleted_at IS NULL")
        .bind(owner)
        .fetch_one(db)
        .await?;
    if count >= PLANS_MAX {
        return Err(invalid(Field::PlanTitle, Problem::TooMany { max: PLANS_MAX as u32 }));
    }
    Ok(())
}

/// The caller's own, not deleted plan, or 404 (also for other people's plans).
async fn own_plan(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<PlanStatus, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT status FROM plans WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL")
            .bind(plan_id)
            .bind(actor.id.0)
            .fetch_optional(pool)
            .await?;
    let (status,) = row.ok_or(AppError::NotFound)?;
    PlanStatus::from_key(&status).ok_or(AppError::Internal)
}

fn summary_from_row(
    (id, title, cur, status, updated_at): (i64, String, String, String, i64),
) -> Result<PlanSummary, AppError> {
    Ok(PlanSummary {
        id,
        title,
        currency: Currency::from_key(&cur).ok_or(AppError::Internal)?,
        status: PlanStatus::from_key(&status).ok_or(AppError::Internal)?,
        updated_at,
    })
}

/// A plan row as stored, with its owner's chamber (for the read rule).
struct StoredPlan {
    owner: UserId,
    owner_chamber: Option<ChamberId>,
    summary: PlanSummary,
    revision: i64,
    data: Option<String>,
    /// For reviewers: the last submitted revision, read instead of the live draft.
    frozen: Option<(PlanFinancials, Vec<(SectionKey, String)>)>,
}

async fn stored_plan(pool: &Pool, plan_id: i64) -> Result<Option<StoredPlan>, AppError> {
    type Row = (i64, Option<i64>, i64, String, String, String, i64, i64, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT p.owner_id, u.chamber_id, p.id, p.title, p.currency, p.status, p.updated_at, p.revision, p.data \
         FROM plans p JOIN users u ON u.id = p.owner_id WHERE p.id = $1 AND p.deleted_at IS NULL",
    )
    .bind(plan_id)
    .fetch_optional(pool)
    .await?;
    let Some((owner, chamber, id, title, cur, status, updated_at, revision, data)) = row else {
        return Ok(None);
    };
    Ok(Some(StoredPlan {
        owner: UserId(owner),
        owner_chamber: chamber.map(ChamberId),
        summary: summary_from_row((id, title, cur, status, updated_at))?,
        revision,
        data,
        frozen: None,
    }))
}

impl StoredPlan {
    /// The stored tables (as submitted, for reviewers), or an empty plan in its currency.
    fn document(&self) -> Result<PlanFinancials, AppError> {
        if let Some((data, _)) = &self.frozen {
            return Ok(data.clone());
        }
        match &self.data {
            None => Ok(PlanFinancials::empty(self.summary.currency)),
            Some(json) => serde_json::from_str(json).map_err(|error| {
                tracing::error!(%error, plan = self.summary.id, "stored plan document does not read");
                AppError::Internal
            }),
        }
    }
}

/// The plan if `actor` may read it; 404 otherwise, so its existence is not revealed.
/// Anyone but the owner reads the last submitted revision, never the draft in between.
async fn readable_plan(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<StoredPlan, AppError> {
    let mut plan = stored_plan(pool, plan_id).await?.ok_or(AppError::NotFound)?;
    if !can_read_plan(actor, plan.owner, plan.owner_chamber, plan.summary.status) {
        return Err(AppError::NotFound);
    }
    if plan.owner != actor.id {
        plan.frozen = Some(
            crate::case::server::latest_revision(pool, plan_id)
                .await?
                .ok_or(AppError::NotFound)?,
        );
    }
    Ok(plan)
}

impl StoredPlan {
    /// The written sections the reader sees: as submitted for reviewers, live for the owner.
    async fn sections(&self, pool: &Pool) -> Result<Vec<(SectionKey, String)>, AppError> {
        match &self.frozen {
            Some((_, sections)) => Ok(sections.clone()),
            None => written_sections(pool, self.summary.id).await,
        }
    }
}

/// The owner of a plan `actor` may read (404 otherwise): for the plan's document checklist.
pub async fn owner_of_readable_plan(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<UserId, AppError> {
    Ok(readable_plan(pool, actor, plan_id).await?.owner)
}

/// A plan's written sections as they stand now.
pub async fn written_sections(pool: &Pool, plan_id: i64) -> Result<Vec<(SectionKey, String)>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT section, body FROM plan_sections WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(key, body)| SectionKey::from_key(&key).map(|k| (k, body)))
        .collect())
}

pub async fn get_plan(plan_id: i64) -> Result<PlanDetail, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let plan = readable_plan(&pool, &actor, plan_id).await?;
    Ok(PlanDetail {
        data: plan.document()?,
        editable: plan.owner == actor.id && plan.summary.status.owner_may_edit(),
        sections: plan.sections(&pool).await?,
        revision: plan.revision,
        summary: plan.summary,
    })
}

/// The whole plan as one `riyada.plan.v1` document (title and written sections included),
/// for whoever may read it: the JSON download and the PDF.
pub async fn export_document(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<PlanFinancials, AppError> {
    let plan = readable_plan(pool, actor, plan_id).await?;
    let mut document = plan.document()?;
    document.title = Some(plan.summary.title.clone());
    document.sections = plan
        .sections(pool)
        .await?
        .into_iter()
        .filter(|(_, body)| !body.is_empty())
        .map(|(k, body)| (k.key().to_string(), body))
        .collect();
    audit(pool, Some(actor.id), "export_plan", "plan", Some(plan_id), "").await?;
    Ok(document)
}

/// The signed-in account behind a session (for the file routes outside server functions).
pub async fn actor_of_session(pool: &Pool, session: &tower_sessions::Session) -> Result<Actor, AppError> {
    crate::auth::guard::actor_of(pool, session)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// Bumps the revision if it is still `revision`; false when the plan changed meanwhile.
async fn bump_revision(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    plan_id: i64,
    revision: i64,
    at: i64,
) -> Result<bool, AppError> {
    let bumped =
        sqlx::query("UPDATE plans SET revision = revision + 1, updated_at = $1 WHERE id = $2 AND revision = $3")
            .bind(at)
            .bind(plan_id)
            .bind(revision)
            .execute(&mut **tx)
            .await?;
    Ok(bumped.rows_affected() == 1)
}

async fn current_revision(pool: &Pool, plan_id: i64) -> Result<i64, AppError> {
    let (current,): (i64,) = sqlx::query_as("SELECT revision FROM plans WHERE id = $1")
        .bind(plan_id)
        .fetch_one(pool)
        .await?;
    Ok(current)
}

/// The caller's plan, if they may change it now.
async fn editable_plan(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<StoredPlan, AppError> {
    let plan = stored_plan(pool, plan_id).await?.ok_or(AppError::NotFound)?;
    if plan.owner != actor.id {
        return Err(AppError::NotFound);
    }
    if !plan.summary.status.owner_may_edit() {
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
    let json = serde_json::to_string(&document).map_err(|_| AppError::Internal)?;
    let mut tx = pool.begin().await?;
    if !bump_revision(&mut tx, plan_id, revision, now()).await? {
        tx.rollback().await?;
        // The saved version of this table, as cells, so the person can compare.
        let saved = serde_json::to_string(&table.rows(&document_of(&pool, plan_id).await?)).unwrap_or_default();
        return Err(AppError::Conflict {
            revision: current_revision(&pool, plan_id).await?,
            saved,
        });
    }
    sqlx::query("UPDATE plans SET data = $1 WHERE id = $2")
        .bind(&json)
        .bind(plan_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(revision + 1)
}

async fn document_of(pool: &Pool, plan_id: i64) -> Result<PlanFinancials, AppError> {
    stored_plan(pool, plan_id).await?.ok_or(AppError::NotFound)?.document()
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
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    ensure_room_for_plan(&mut *tx, actor.id.0).await?;
    let json = serde_json::to_string(&plan).map_err(|_| AppError::Internal)?;
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plans (owner_id, title, currency, status, created_at, updated_at, data) \
         VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
    )
    .bind(actor.id.0)
    .bind(&title)
    .bind(plan.currency.key())
    .bind(PlanStatus::Draft.key())
    .bind(at)
    .bind(&json)
    .fetch_one(&mut *tx)
    .await?;
    for (key, body) in sections {
        sqlx::query("INSERT INTO plan_sections (plan_id, section, body, updated_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&key)
            .bind(body.replace("\r\n", "\n"))
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    audit(&pool, Some(actor.id), "import_plan", "plan", Some(id), "").await?;
    Ok(id)
}

pub async fn save_section(plan_id: i64, section: String, body: String, revision: i64) -> Result<i64, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    editable_plan(&pool, &actor, plan_id).await?;
    let key = SectionKey::from_key(&section)
        .filter(|k| k.kind() == SectionKind::Text)
        .ok_or(AppError::NotFound)?;
    if body.chars().count() > BODY_MAX {
        return Err(invalid(Field::SectionBody, Problem::TooLong { max: BODY_MAX as u32 }));
    }
    if body.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(invalid(Field::SectionBody, Problem::ControlCharacters));
    }
    let body = body.replace("\r\n", "\n");
    let at = now();
    let mut tx = pool.begin().await?;
    if !bump_revision(&mut tx, plan_id, revision, at).await? {
        tx.rollback().await?;
        let saved: Option<(String,)> =
            sqlx::query_as("SELECT body FROM plan_sections WHERE plan_id = $1 AND section = $2")
                .bind(plan_id)
                .bind(key.key())
                .fetch_optional(&pool)
                .await?;
        return Err(AppError::Conflict {
            revision: current_revision(&pool, plan_id).await?,
            saved: saved.map(|(b,)| b).unwrap_or_default(),
        });
    }
    sqlx::query(
        "INSERT INTO plan_sections (plan_id, section, body, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (plan_id, section) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(plan_id)
    .bind(key.key())
    .bind(&body)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(revision + 1)
}

pub async fn list_plans() -> Result<Vec<PlanSummary>, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, title, currency, status, updated_at FROM plans \
         WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC",
    )
    .bind(actor.id.0)
    .fetch_all(&pool()?)
    .await?;
    rows.into_iter().map(summary_from_row).collect()
}

pub async fn create_plan(title_typed: String, currency_typed: String) -> Result<i64, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let mut errors = Vec::new();
    let title = collect(&mut errors, Field::PlanTitle, title(&title_typed));
    let currency = collect(&mut errors, Field::Currency, currency(&currency_typed));
    let (Some(title), Some(currency)) = (title, currency) else {
        return Err(AppError::Invalid(errors));
    };
    ensure_room_for_plan(&pool, actor.id.0).await?;
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plans (owner_id, title, currency, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(actor.id.0)
    .bind(&title)
    .bind(currency.key())
    .bind(PlanStatus::Draft.key())
    .bind(at)
    .fetch_one(&pool)
    .await?;
    audit(&pool, Some(actor.id), "create_plan", "plan", Some(id), "").await?;
    Ok(id)
}

pub async fn rename_plan(plan_id: i64, title_typed: String) -> Result<(), AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    own_plan(&pool, &actor, plan_id).await?;
    let title = title(&title_typed).map_err(|p| invalid(Field::PlanTitle, p))?;
    sqlx::query("UPDATE plans SET title = $1, revision = revision + 1, updated_at = $2 WHERE id = $3")
        .bind(&title)
        .bind(now())
        .bind(plan_id)
        .execute(&pool)
        .await?;
    audit(&pool, Some(actor.id), "rename_plan", "plan", Some(plan_id), "").await?;
    Ok(())
}

pub async fn delete_plan(plan_id: i64) -> Result<(), AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    if !own_plan(&pool, &actor, plan_id).await?.owner_may_delete() {
        return Err(AppError::Forbidden);
    }
    sqlx::query("UPDATE plans SET deleted_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(plan_id)
        .execute(&pool)
        .await?;
    audit(
        &pool,
        Some(actor.id),
        "delete_plan",
        "plan",
        Some(plan_id),
        "draft → deleted",
    )
    .await?;
    Ok(())
}

pub async fn list_deleted_plans() -> Result<Vec<DeletedPlan>, AppError> {
    let actor = require_role(&[Role::FundAdmin, Role::ChamberManager]).await?;
    // The Fund sees every chamber; a manager only theirs (filtered in SQL, checked again below).
    let every_chamber = i64::from(actor.role == Role::FundAdmin);
    let rows: Vec<(i64, String, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT p.id, p.title, u.full_name, u.chamber_id, p.deleted_at FROM plans p \
         JOIN users u ON u.id = p.owner_id WHERE p.deleted_at IS NOT NULL \
         AND ($1 = 1 OR u.chamber_id = $2) ORDER BY p.deleted_at DESC, p.id DESC LIMIT 500",
    )
    .bind(every_chamber)
    .bind(actor.chamber.map_or(-1, |c| c.0))
    .fetch_all(&pool()?)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, chamber, _)| can_restore_plan(&actor, chamber.map(ChamberId)))
        .map(|(id, title, owner_name, _, deleted_at)| DeletedPlan {
            id,
            title,
            owner_name,
            deleted_at,
        })
        .collect())
}

pub async fn restore_plan(plan_id: i64) -> Result<(), AppError> {
    let actor = require_role(&[Role::FundAdmin, Role::ChamberManager]).await?;
    let pool = pool()?;
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT p.owner_id, u.chamber_id FROM plans p JOIN users u ON u.id = p.owner_id \
         WHERE p.id = $1 AND p.deleted_at IS NOT NULL",
    )
    .bind(plan_id)
    .fetch_optional(&pool)
    .await?;
    let (owner, chamber) = row.ok_or(AppError::NotFound)?;
    if !can_restore_plan(&actor, chamber.map(ChamberId)) {
        return Err(AppError::NotFound);
    }
    ensure_room_for_plan(&pool, owner).await?;
    sqlx::query("UPDATE plans SET deleted_at = NULL, updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(plan_id)
        .execute(&pool)
        .await?;
    audit(
        &pool,
        Some(actor.id),
        "restore_plan",
        "plan",
        Some(plan_id),
        "deleted → draft",
    )
    .await?;
    Ok(())
}
