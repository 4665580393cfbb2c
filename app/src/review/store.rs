//! The review queue, the rubric and the verdicts in the database (server only). One statement for every combination
//! of filters: each filter is `(value IS NULL OR condition)`, so an unused filter costs
//! nothing and no SQL is assembled from text. Reads plans and their owners; writes nothing.
use crate::db::Pool;
use crate::error::AppError;
use domain::plan::status::PlanStatus;
use domain::review::queue::{Cursor, QueueSort};
use domain::review::rubric::{CheckedVerdict, Criterion, Rubric};
use domain::roles::Role;
use domain::validation::Gender;
use domain::Bilingual;

/// The queue's filters, read and checked (`review::server`).
#[derive(Clone, Debug, Default)]
pub struct QueueFilters {
    pub chamber: Option<i64>,
    pub status: Option<PlanStatus>,
    /// Held by this advisor.
    pub advisor: Option<i64>,
    /// Held by nobody.
    pub unassigned: bool,
    pub sector: Option<String>,
    pub governorate: Option<String>,
    pub gender: Option<Gender>,
    /// Owners born after this ISO date (exclusive)…
    pub born_after: Option<String>,
    /// …and on or before this one.
    pub born_on_or_before: Option<String>,
    /// First submitted at or after (Unix seconds)…
    pub submitted_from: Option<i64>,
    /// …and before.
    pub submitted_before: Option<i64>,
    /// A `LIKE` pattern of folded text (`domain::search::like_pattern`).
    pub search: Option<String>,
    pub sort: QueueSort,
    pub after: Option<Cursor>,
}

const FROM_AND_FILTERS: &str = "FROM plans p JOIN users o ON o.id = p.owner_id \
     LEFT JOIN users a ON a.id = p.assigned_to LEFT JOIN chambers c ON c.id = o.chamber_id \
     WHERE p.deleted_at IS NULL AND p.first_submitted_at IS NOT NULL \
     AND ($1 IS NULL OR o.chamber_id = $1) \
     AND ($2 IS NULL OR p.status = $2) \
     AND ($3 IS NULL OR p.assigned_to = $3) \
     AND ($4 = 0 OR p.assigned_to IS NULL) \
     AND ($5 IS NULL OR p.sector = $5) \
     AND ($6 IS NULL OR o.governorate_code = $6) \
     AND ($7 IS NULL OR o.gender = $7) \
     AND ($8 IS NULL OR o.birth_date > $8) \
     AND ($9 IS NULL OR o.birth_date <= $9) \
     AND ($10 IS NULL OR p.first_submitted_at >= $10) \
     AND ($11 IS NULL OR p.first_submitted_at < $11) \
     AND ($12 IS NULL OR p.search_title LIKE $12 ESCAPE '\\' OR o.search_name LIKE $12 ESCAPE '\\')";

const COLUMNS: &str = "SELECT p.id, p.title, o.full_name AS owner_name, c.name_ar AS chamber_ar, \
     c.name_en AS chamber_en, p.status, p.status_since, a.full_name AS assigned_to, p.first_submitted_at ";

/// One plan of the queue.
#[derive(sqlx::FromRow)]
pub struct QueueRowData {
    pub id: i64,
    pub title: String,
    pub owner_name: String,
    pub chamber_ar: Option<String>,
    pub chamber_en: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: PlanStatus,
    pub status_since: i64,
    pub assigned_to: Option<String>,
    pub first_submitted_at: i64,
}

impl QueueRowData {
    /// Where a page that ends with this row lets the next one start.
    pub fn cursor(&self, sort: QueueSort) -> Cursor {
        let value = match sort {
            QueueSort::Waiting => self.status_since,
            QueueSort::Submitted => self.first_submitted_at,
        };
        Cursor { value, id: self.id }
    }
}

fn bind_filters<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    f: &'q QueueFilters,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    query
        .bind(f.chamber)
        .bind(f.status.map(PlanStatus::key))
        .bind(f.advisor)
        .bind(i64::from(f.unassigned))
        .bind(f.sector.as_deref())
        .bind(f.governorate.as_deref())
        .bind(f.gender.map(Gender::key))
        .bind(f.born_after.as_deref())
        .bind(f.born_on_or_before.as_deref())
        .bind(f.submitted_from)
        .bind(f.submitted_before)
        .bind(f.search.as_deref())
}

/// Up to `limit` plans from the cursor on, and how many match in all.
pub async fn queue(pool: &Pool, filters: &QueueFilters, limit: u32) -> Result<(Vec<QueueRowData>, i64), AppError> {
    // Keyset: the row after the cursor in the sort's order; the id breaks ties.
    let (seek, order) = match filters.sort {
        QueueSort::Waiting => (
            "AND ($13 IS NULL OR p.status_since > $13 OR (p.status_since = $13 AND p.id > $14))",
            "ORDER BY p.status_since, p.id",
        ),
        QueueSort::Submitted => (
            "AND ($13 IS NULL OR p.first_submitted_at < $13 OR (p.first_submitted_at = $13 AND p.id < $14))",
            "ORDER BY p.first_submitted_at DESC, p.id DESC",
        ),
    };
    let sql = format!("{COLUMNS}{FROM_AND_FILTERS} {seek} {order} LIMIT $15");
    let rows = bind_filters(sqlx::query_as(&sql), filters)
        .bind(filters.after.map(|c| c.value))
        .bind(filters.after.map(|c| c.id))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
    let count_sql = format!("SELECT CAST(COUNT(*) AS BIGINT) {FROM_AND_FILTERS}");
    let (total,): (i64,) = bind_filters(sqlx::query_as(&count_sql), filters)
        .fetch_one(pool)
        .await?;
    Ok((rows, total))
}

/// An advisor of a chamber, for the queue's filter.
#[derive(sqlx::FromRow)]
pub struct AdvisorRow {
    pub id: i64,
    pub full_name: String,
}

/// The active advisors and managers of a chamber (managers review too), by name.
pub async fn advisors(pool: &Pool, chamber: i64) -> Result<Vec<AdvisorRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, full_name FROM users WHERE chamber_id = $1 AND role IN ($2, $3) AND is_active = 1 \
         ORDER BY full_name, id",
    )
    .bind(chamber)
    .bind(Role::Advisor.key())
    .bind(Role::ChamberManager.key())
    .fetch_all(pool)
    .await?)
}

/// A criterion of a stored rubric version.
#[derive(sqlx::FromRow)]
struct CriterionRow {
    version: i64,
    name_ar: String,
    name_en: String,
    weight: i64,
}

fn criterion(row: &CriterionRow) -> Criterion {
    Criterion {
        name: Bilingual::new(row.name_ar.clone(), row.name_en.clone()),
        weight: row.weight.clamp(0, 100) as u32,
    }
}

/// The rubric in force: the highest version.
pub async fn current_rubric(pool: &Pool) -> Result<Rubric, AppError> {
    let rows: Vec<CriterionRow> = sqlx::query_as(
        "SELECT version, name_ar, name_en, weight FROM rubric_criteria \
         WHERE version = (SELECT MAX(version) FROM rubric_versions) ORDER BY position",
    )
    .fetch_all(pool)
    .await?;
    let version = rows.first().map_or(0, |r| r.version);
    Ok(Rubric {
        version,
        criteria: rows.iter().map(criterion).collect(),
    })
}

/// Every version's criteria, by version (a panel may hold verdicts on several).
pub async fn rubric_versions(pool: &Pool, versions: &[i64]) -> Result<Vec<Rubric>, AppError> {
    let mut rubrics = Vec::new();
    for version in versions {
        let rows: Vec<CriterionRow> = sqlx::query_as(
            "SELECT version, name_ar, name_en, weight FROM rubric_criteria WHERE version = $1 ORDER BY position",
        )
        .bind(version)
        .fetch_all(pool)
        .await?;
        rubrics.push(Rubric {
            version: *version,
            criteria: rows.iter().map(criterion).collect(),
        });
    }
    Ok(rubrics)
}

/// Stores a new rubric version made of `criteria`; returns its number.
pub async fn insert_rubric(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    criteria: &[Criterion],
    by: i64,
    at: i64,
) -> Result<i64, AppError> {
    let (version,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM rubric_versions")
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query("INSERT INTO rubric_versions (version, created_by, created_at) VALUES ($1, $2, $3)")
        .bind(version)
        .bind(by)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    for (position, c) in criteria.iter().enumerate() {
        sqlx::query(
            "INSERT INTO rubric_criteria (version, position, name_ar, name_en, weight) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(version)
        .bind(position as i64)
        .bind(&c.name.ar)
        .bind(&c.name.en)
        .bind(i64::from(c.weight))
        .execute(&mut **tx)
        .await?;
    }
    Ok(version)
}

/// A verdict as stored.
#[derive(sqlx::FromRow)]
pub struct ScoreRow {
    pub id: i64,
    pub advisor_id: i64,
    pub advisor_name: String,
    pub rubric_version: i64,
    pub recommendation: Option<String>,
    pub abstain_reason: Option<String>,
    pub total: Option<i64>,
    pub note: String,
    pub scored_at: i64,
}

/// One criterion's score of a stored verdict.
#[derive(sqlx::FromRow)]
pub struct ScoreItemRow {
    pub score_id: i64,
    pub position: i64,
    pub score: i64,
    pub comment: String,
}

/// The verdicts on one revision of a plan, oldest first, with their items.
pub async fn verdicts(
    pool: &Pool,
    plan_id: i64,
    revision: i64,
) -> Result<(Vec<ScoreRow>, Vec<ScoreItemRow>), AppError> {
    let rows: Vec<ScoreRow> = sqlx::query_as(
        "SELECT s.id, s.advisor_id, u.full_name AS advisor_name, s.rubric_version, s.recommendation, \
         s.abstain_reason, s.total, s.note, s.scored_at FROM plan_scores s JOIN users u ON u.id = s.advisor_id \
         WHERE s.plan_id = $1 AND s.revision = $2 ORDER BY s.scored_at, s.id",
    )
    .bind(plan_id)
    .bind(revision)
    .fetch_all(pool)
    .await?;
    let items: Vec<ScoreItemRow> = sqlx::query_as(
        "SELECT i.score_id, i.position, i.score, i.comment FROM plan_score_items i \
         JOIN plan_scores s ON s.id = i.score_id WHERE s.plan_id = $1 AND s.revision = $2 ORDER BY i.score_id, i.position",
    )
    .bind(plan_id)
    .bind(revision)
    .fetch_all(pool)
    .await?;
    Ok((rows, items))
}

/// A verdict to store (replacing the advisor's earlier one on the same revision).
pub struct NewVerdict<'a> {
    pub plan_id: i64,
    pub revision: i64,
    pub advisor: i64,
    pub rubric_version: i64,
    pub verdict: &'a CheckedVerdict,
    pub at: i64,
}

pub async fn save_verdict(tx: &mut sqlx::Transaction<'_, sqlx::Any>, v: NewVerdict<'_>) -> Result<(), AppError> {
    sqlx::query("DELETE FROM plan_score_items WHERE score_id IN (SELECT id FROM plan_scores WHERE plan_id = $1 AND revision = $2 AND advisor_id = $3)")
        .bind(v.plan_id)
        .bind(v.revision)
        .bind(v.advisor)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM plan_scores WHERE plan_id = $1 AND revision = $2 AND advisor_id = $3")
        .bind(v.plan_id)
        .bind(v.revision)
        .bind(v.advisor)
        .execute(&mut **tx)
        .await?;
    let (recommendation, reason, total, note) = match v.verdict {
        CheckedVerdict::Scored {
            recommendation,
            total,
            note,
            ..
        } => (
            Some(recommendation.key()),
            None,
            Some(i64::from(total.hundredths())),
            note.as_str(),
        ),
        CheckedVerdict::Abstained { reason } => (None, Some(reason.as_str()), None, ""),
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plan_scores (plan_id, revision, advisor_id, rubric_version, recommendation, abstain_reason, \
         total, note, scored_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(v.plan_id)
    .bind(v.revision)
    .bind(v.advisor)
    .bind(v.rubric_version)
    .bind(recommendation)
    .bind(reason)
    .bind(total)
    .bind(note)
    .bind(v.at)
    .fetch_one(&mut **tx)
    .await?;
    if let CheckedVerdict::Scored { scores, comments, .. } = v.verdict {
        for (position, (score, comment)) in scores.iter().zip(comments).enumerate() {
            sqlx::query("INSERT INTO plan_score_items (score_id, position, score, comment) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(position as i64)
                .bind(i64::from(*score))
                .bind(comment)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
