//! Plans in the database (server only): the plans table, their written sections and the
//! revisions frozen at each submission. This is the one home of those rows: the case,
//! documents and services areas call it rather than reading the tables themselves.
use super::{DeletedPlan, PlanSummary};
use crate::db::Pool;
use crate::error::{internal, AppError};
use domain::plan::financials::{Currency, PlanFinancials};
use domain::plan::sections::SectionKey;
use domain::plan::status::PlanStatus;
use domain::roles::{ChamberId, UserId};
use domain::stats::{FunnelStage, PlanFacts};

type Tx<'a, 'b> = &'a mut sqlx::Transaction<'b, sqlx::Any>;

/// A plan row as stored, with its owner's chamber (for the read rules).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredPlan {
    pub id: i64,
    pub owner_id: i64,
    pub owner_chamber: Option<i64>,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub currency: Currency,
    #[sqlx(try_from = "String")]
    pub status: PlanStatus,
    pub updated_at: i64,
    pub revision: i64,
    pub data: Option<String>,
    pub assigned_to: Option<i64>,
}

impl StoredPlan {
    pub fn owner(&self) -> UserId {
        UserId(self.owner_id)
    }

    pub fn owner_chamber(&self) -> Option<ChamberId> {
        self.owner_chamber.map(ChamberId)
    }

    pub fn summary(&self) -> PlanSummary {
        PlanSummary {
            id: self.id,
            title: self.title.clone(),
            currency: self.currency,
            status: self.status,
            updated_at: self.updated_at,
        }
    }

    /// The stored tables, or an empty plan in its currency.
    pub fn document(&self) -> Result<PlanFinancials, AppError> {
        match &self.data {
            None => Ok(PlanFinancials::empty(self.currency)),
            Some(json) => serde_json::from_str(json).map_err(internal("a stored plan document does not read")),
        }
    }
}

/// A plan that is not deleted.
pub async fn plan(pool: &Pool, plan_id: i64) -> Result<Option<StoredPlan>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.owner_id, u.chamber_id AS owner_chamber, p.title, p.currency, p.status, p.updated_at, \
                p.revision, p.data, p.assigned_to \
         FROM plans p JOIN users u ON u.id = p.owner_id WHERE p.id = $1 AND p.deleted_at IS NULL",
    )
    .bind(plan_id)
    .fetch_optional(pool)
    .await?)
}

/// How many plans `owner` keeps (deleted ones not counted).
pub async fn plan_count<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, owner: i64) -> Result<i64, AppError> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plans WHERE owner_id = $1 AND deleted_at IS NULL")
        .bind(owner)
        .fetch_one(db)
        .await?;
    Ok(count)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    #[sqlx(try_from = "String")]
    currency: Currency,
    #[sqlx(try_from = "String")]
    status: PlanStatus,
    updated_at: i64,
}

impl From<SummaryRow> for PlanSummary {
    fn from(row: SummaryRow) -> PlanSummary {
        PlanSummary {
            id: row.id,
            title: row.title,
            currency: row.currency,
            status: row.status,
            updated_at: row.updated_at,
        }
    }
}

/// An owner's plans, most recently changed first (deleted ones left out).
pub async fn plans_of(pool: &Pool, owner: i64) -> Result<Vec<PlanSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT id, title, currency, status, updated_at FROM plans \
         WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC",
    )
    .bind(owner)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(PlanSummary::from).collect())
}

/// An owner's plans with the number of revisions each has submitted, most recent first.
#[derive(sqlx::FromRow)]
pub struct PlanWithRevisions {
    pub id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: PlanStatus,
    pub revisions: i64,
}

pub async fn plans_with_revisions(pool: &Pool, owner: i64) -> Result<Vec<PlanWithRevisions>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.title, p.status, (SELECT COUNT(*) FROM plan_revisions r WHERE r.plan_id = p.id) AS revisions \
         FROM plans p WHERE p.owner_id = $1 AND p.deleted_at IS NULL ORDER BY p.updated_at DESC, p.id DESC",
    )
    .bind(owner)
    .fetch_all(pool)
    .await?)
}

/// The tables of an owner's most recently changed plan, if it has any that read.
pub async fn latest_plan_document(pool: &Pool, owner: i64) -> Result<Option<PlanFinancials>, AppError> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT data FROM plans WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1",
    )
    .bind(owner)
    .fetch_optional(pool)
    .await?;
    Ok(row
        .and_then(|(data,)| data)
        .and_then(|json| serde_json::from_str(&json).ok()))
}

pub async fn insert_plan(
    tx: Tx<'_, '_>,
    owner: i64,
    title: &str,
    currency: Currency,
    data: Option<&str>,
    at: i64,
) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plans (owner_id, title, currency, status, created_at, updated_at, status_since, \
         search_title) VALUES ($1, $2, $3, $4, $5, $5, $5, $6) RETURNING id",
    )
    .bind(owner)
    .bind(title)
    .bind(currency.key())
    .bind(PlanStatus::Draft.key())
    .bind(at)
    .bind(domain::search::fold(title))
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO plan_stints (plan_id, status, started_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(PlanStatus::Draft.key())
        .bind(at)
        .execute(&mut **tx)
        .await?;
    crate::auth::store::copy_owner_facts(tx, owner).await?;
    if let Some(json) = data {
        set_document(tx, id, json).await?;
    }
    Ok(id)
}

/// A plan's written sections as they stand now.
pub async fn written_sections(pool: &Pool, plan_id: i64) -> Result<Vec<(SectionKey, String)>, AppError> {
    #[derive(sqlx::FromRow)]
    struct SectionRow {
        #[sqlx(try_from = "String")]
        section: SectionKey,
        body: String,
    }
    let rows: Vec<SectionRow> = sqlx::query_as("SELECT section, body FROM plan_sections WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| (r.section, r.body)).collect())
}

pub async fn section_body(pool: &Pool, plan_id: i64, key: SectionKey) -> Result<Option<String>, AppError> {
    let saved: Option<(String,)> = sqlx::query_as("SELECT body FROM plan_sections WHERE plan_id = $1 AND section = $2")
        .bind(plan_id)
        .bind(key.key())
        .fetch_optional(pool)
        .await?;
    Ok(saved.map(|(body,)| body))
}

pub async fn save_section_body(tx: Tx<'_, '_>, plan_id: i64, key: &str, body: &str, at: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO plan_sections (plan_id, section, body, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (plan_id, section) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(plan_id)
    .bind(key)
    .bind(body)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Bumps the revision if it is still `revision`; false when the plan changed meanwhile.
pub async fn bump_revision(tx: Tx<'_, '_>, plan_id: i64, revision: i64, at: i64) -> Result<bool, AppError> {
    let bumped =
        sqlx::query("UPDATE plans SET revision = revision + 1, updated_at = $1 WHERE id = $2 AND revision = $3")
            .bind(at)
            .bind(plan_id)
            .bind(revision)
            .execute(&mut **tx)
            .await?;
    Ok(bumped.rows_affected() == 1)
}

pub async fn current_revision(pool: &Pool, plan_id: i64) -> Result<i64, AppError> {
    let (current,): (i64,) = sqlx::query_as("SELECT revision FROM plans WHERE id = $1")
        .bind(plan_id)
        .fetch_one(pool)
        .await?;
    Ok(current)
}

/// Stores the plan's tables and what they add to the dashboard (`domain::stats::PlanFacts`
/// and one row per position). A document that does not read adds nothing.
pub async fn set_document(tx: Tx<'_, '_>, plan_id: i64, json: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE plans SET data = $1 WHERE id = $2")
        .bind(json)
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
    let document = serde_json::from_str::<PlanFinancials>(json).ok();
    write_facts(tx, plan_id, document.as_ref()).await
}

/// The version of `write_facts` rows carry; older rows are refreshed when the server starts.
pub const FACTS_VERSION: i64 = 2;

/// Writes the dashboard's columns and position rows of one plan.
pub async fn write_facts(tx: Tx<'_, '_>, plan_id: i64, document: Option<&PlanFinancials>) -> Result<(), AppError> {
    let facts = document.map(PlanFacts::of).unwrap_or_default();
    sqlx::query(
        "UPDATE plans SET sector = $1, legal_form = $2, jobs_fte_tenths = $3, jobs_women = $4, jobs_youth = $5, \
         startup_capital = $6, fund_own = $7, fund_family = $8, fund_grant = $9, fund_loan = $10, \
         facts_version = $11, start_month = $12 WHERE id = $13",
    )
    .bind(facts.sector)
    .bind(facts.legal_form)
    .bind(facts.jobs_fte_tenths)
    .bind(facts.jobs_women)
    .bind(facts.jobs_youth)
    .bind(facts.startup_capital)
    .bind(facts.fund_own)
    .bind(facts.fund_family)
    .bind(facts.fund_grant)
    .bind(facts.fund_loan)
    .bind(FACTS_VERSION)
    .bind(facts.start_month)
    .bind(plan_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM plan_positions WHERE plan_id = $1")
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
    for (index, position) in document.iter().flat_map(|d| d.positions.iter()).enumerate() {
        sqlx::query(
            "INSERT INTO plan_positions (plan_id, position, title, folded_title, count, full_time, women, youth, \
             monthly_wage) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(plan_id)
        .bind(index as i64)
        .bind(position.title.as_str())
        .bind(domain::search::fold(&position.title))
        .bind(position.count)
        .bind(i64::from(position.full_time))
        .bind(position.women)
        .bind(position.youth)
        .bind(position.monthly_wage)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Fills the dashboard's columns of plans saved before they existed (or by an older
/// `write_facts`). A no-op once every plan is current; run when the server starts.
pub async fn refresh_stale_facts(pool: &Pool) -> Result<u64, AppError> {
    // A page of plans at a time, each page in one transaction: memory holds one page of plan
    // documents, and an upgrade over 100,000 plans commits 200 times, not 100,000.
    const PAGE: i64 = 500;
    let mut refreshed = 0;
    loop {
        let stale: Vec<(i64, Option<String>)> = sqlx::query_as(
            "SELECT id, data FROM plans WHERE facts_version < $1 AND data IS NOT NULL ORDER BY id LIMIT $2",
        )
        .bind(FACTS_VERSION)
        .bind(PAGE)
        .fetch_all(pool)
        .await?;
        if stale.is_empty() {
            return Ok(refreshed);
        }
        let mut tx = crate::db::begin(pool).await?;
        for (plan_id, data) in &stale {
            let document = data
                .as_deref()
                .and_then(|json| serde_json::from_str::<PlanFinancials>(json).ok());
            write_facts(&mut tx, *plan_id, document.as_ref()).await?;
        }
        tx.commit().await?;
        refreshed += stale.len() as u64;
    }
}

pub async fn rename(tx: Tx<'_, '_>, plan_id: i64, title: &str, at: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE plans SET title = $1, search_title = $2, revision = revision + 1, updated_at = $3 WHERE id = $4",
    )
    .bind(title)
    .bind(domain::search::fold(title))
    .bind(at)
    .bind(plan_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_deleted(tx: Tx<'_, '_>, plan_id: i64, deleted_at: Option<i64>, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE plans SET deleted_at = $1, updated_at = $2 WHERE id = $3")
        .bind(deleted_at)
        .bind(at)
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
    // A deleted plan's stays leave the dashboard's unfiltered histogram too.
    sqlx::query("UPDATE plan_stints SET live = $1 WHERE plan_id = $2")
        .bind(i64::from(deleted_at.is_none()))
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct DeletedPlanRow {
    pub id: i64,
    pub title: String,
    pub owner_name: String,
    pub owner_chamber: Option<i64>,
    pub deleted_at: i64,
}

impl From<DeletedPlanRow> for DeletedPlan {
    fn from(row: DeletedPlanRow) -> DeletedPlan {
        DeletedPlan {
            id: row.id,
            title: row.title,
            owner_name: row.owner_name,
            deleted_at: row.deleted_at,
        }
    }
}

/// Deleted drafts, newest first: every chamber's, or one chamber's.
pub async fn deleted_plans(pool: &Pool, chamber: Option<ChamberId>) -> Result<Vec<DeletedPlanRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.title, u.full_name AS owner_name, u.chamber_id AS owner_chamber, p.deleted_at FROM plans p \
         JOIN users u ON u.id = p.owner_id WHERE p.deleted_at IS NOT NULL \
         AND ($1 IS NULL OR u.chamber_id = $1) ORDER BY p.deleted_at DESC, p.id DESC LIMIT 500",
    )
    .bind(chamber.map(|c| c.0))
    .fetch_all(pool)
    .await?)
}

/// The owner of a deleted plan and their chamber.
#[derive(sqlx::FromRow)]
pub struct DeletedPlanOwner {
    pub owner_id: i64,
    pub owner_chamber: Option<i64>,
}

pub async fn deleted_plan_owner(pool: &Pool, plan_id: i64) -> Result<Option<DeletedPlanOwner>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.owner_id, u.chamber_id AS owner_chamber FROM plans p JOIN users u ON u.id = p.owner_id \
         WHERE p.id = $1 AND p.deleted_at IS NOT NULL",
    )
    .bind(plan_id)
    .fetch_optional(pool)
    .await?)
}

// ---- Submitted revisions and the lifecycle's moves ----

/// Has the plan been submitted at least once?
pub async fn was_submitted(pool: &Pool, plan_id: i64) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plan_revisions WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// A submitted revision.
#[derive(sqlx::FromRow)]
pub struct Revision {
    pub number: i64,
    pub submitted_at: i64,
}

/// Revisions submitted so far, oldest first.
pub async fn revisions(pool: &Pool, plan_id: i64) -> Result<Vec<Revision>, AppError> {
    Ok(
        sqlx::query_as("SELECT number, submitted_at FROM plan_revisions WHERE plan_id = $1 ORDER BY number")
            .bind(plan_id)
            .fetch_all(pool)
            .await?,
    )
}

/// The revision reviewers read: the last one submitted (its tables and written sections).
pub async fn latest_revision(
    pool: &Pool,
    plan_id: i64,
) -> Result<Option<(PlanFinancials, Vec<(SectionKey, String)>)>, AppError> {
    frozen(pool, plan_id, None).await
}

/// Revision `number` of a plan (its tables and written sections).
pub async fn revision(
    pool: &Pool,
    plan_id: i64,
    number: i64,
) -> Result<Option<(PlanFinancials, Vec<(SectionKey, String)>)>, AppError> {
    frozen(pool, plan_id, Some(number)).await
}

async fn frozen(
    pool: &Pool,
    plan_id: i64,
    number: Option<i64>,
) -> Result<Option<(PlanFinancials, Vec<(SectionKey, String)>)>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Frozen {
        data: String,
        sections: String,
    }
    let row: Option<Frozen> = sqlx::query_as(
        "SELECT data, sections FROM plan_revisions WHERE plan_id = $1 AND ($2 IS NULL OR number = $2) \
         ORDER BY number DESC LIMIT 1",
    )
    .bind(plan_id)
    .bind(number)
    .fetch_optional(pool)
    .await?;
    let Some(frozen) = row else {
        return Ok(None);
    };
    let data: PlanFinancials =
        serde_json::from_str(&frozen.data).map_err(internal("a frozen plan revision does not read"))?;
    let sections: Vec<(String, String)> =
        serde_json::from_str(&frozen.sections).map_err(internal("the sections of a frozen revision do not read"))?;
    Ok(Some((
        data,
        sections
            .into_iter()
            .filter_map(|(k, body)| SectionKey::from_key(&k).map(|k| (k, body)))
            .collect(),
    )))
}

/// Freezes what the owner submits as the next revision; returns its number.
pub async fn freeze_revision(
    tx: Tx<'_, '_>,
    plan_id: i64,
    document: &PlanFinancials,
    sections: &[(SectionKey, String)],
    at: i64,
) -> Result<i64, AppError> {
    let (number,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) FROM plan_revisions WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_one(&mut **tx)
            .await?;
    let data = serde_json::to_string(document).map_err(internal("writing a plan revision failed"))?;
    let sections: Vec<(&str, &str)> = sections.iter().map(|(k, body)| (k.key(), body.as_str())).collect();
    let sections = serde_json::to_string(&sections).map_err(internal("writing a revision's sections failed"))?;
    sqlx::query(
        "INSERT INTO plan_revisions (plan_id, number, data, sections, submitted_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(plan_id)
    .bind(number)
    .bind(data)
    .bind(sections)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE plans SET first_submitted_at = COALESCE(first_submitted_at, $1) WHERE id = $2")
        .bind(at)
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
    Ok(number)
}

/// Moves a plan from exactly `from` to `to`; false when a step taken meanwhile by someone
/// else moved it first (then this one is refused, never doubled).
pub async fn move_status(
    tx: Tx<'_, '_>,
    plan_id: i64,
    from: PlanStatus,
    to: PlanStatus,
    assigned_to: Option<i64>,
    at: i64,
) -> Result<bool, AppError> {
    // The dashboard's columns move with the state: the furthest funnel stage, the first
    // approval, the first decision.
    let stage = FunnelStage::entered_by(to).map_or(0, FunnelStage::rank);
    let approval = (to == PlanStatus::Approved).then_some(at);
    let decision = matches!(to, PlanStatus::Approved | PlanStatus::Rejected).then_some(at);
    let moved = sqlx::query(
        "UPDATE plans SET status = $1, assigned_to = $2, updated_at = $3, status_since = $3, \
         revision = revision + 1, \
         funnel_stage = CASE WHEN funnel_stage < $6 THEN $6 ELSE funnel_stage END, \
         approved_at = COALESCE(approved_at, $7), decided_at = COALESCE(decided_at, $8) \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.key())
    .bind(assigned_to)
    .bind(at)
    .bind(plan_id)
    .bind(from.key())
    .bind(stage)
    .bind(approval)
    .bind(decision)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    if from != to {
        sqlx::query(
            "UPDATE plan_stints SET ended_at = $1, days = ($1 - started_at) / 86400 \
             WHERE plan_id = $2 AND ended_at IS NULL",
        )
        .bind(at)
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
        sqlx::query("INSERT INTO plan_stints (plan_id, status, started_at) VALUES ($1, $2, $3)")
            .bind(plan_id)
            .bind(to.key())
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    if to == PlanStatus::Operating {
        // An operating project enters the establishments register in the same step.
        crate::establishments::store::register_plan(
            &mut *tx,
            plan_id,
            domain::establishments::EstablishmentSource::Operating,
            at,
        )
        .await?;
    }
    Ok(true)
}
