//! The review queue, the rubric and the verdicts in the database (server only). One statement for every combination
//! of filters: each filter is `(value IS NULL OR condition)`, so an unused filter costs
//! nothing and no SQL is assembled from text. Reads plans and their owners; writes nothing.
use crate::db::Pool;
use crate::error::AppError;
use domain::audit::AuditObject;
use domain::plan::sections::SectionKey;
use domain::plan::status::PlanStatus;
use domain::review::comments::{Audience, CommentStatus, Pin};
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
     AND CHAMBER \
     AND STATUS \
     AND ($3 IS NULL OR p.assigned_to = $3) \
     AND ($4 = 0 OR p.assigned_to IS NULL) \
     AND ($5 IS NULL OR p.sector = $5) \
     AND ($6 IS NULL OR p.owner_governorate = $6) \
     AND ($7 IS NULL OR p.owner_gender = $7) \
     AND ($8 IS NULL OR p.owner_birth_date > $8) \
     AND ($9 IS NULL OR p.owner_birth_date <= $9) \
     AND ($10 IS NULL OR p.first_submitted_at >= $10) \
     AND ($11 IS NULL OR p.first_submitted_at < $11) \
     AND ($12 IS NULL OR p.search_title LIKE $12 ESCAPE '\\' OR o.search_name LIKE $12 ESCAPE '\\')";

/// The filters with the chamber's and the state's written as plain equalities when chosen:
/// SQLite's planner cannot take an index through `($1 IS NULL OR …)`, and the chamber and
/// the state are what narrow a queue most (`plans_figures` starts with both). The owner's
/// facts are read from their copy on the plan (`auth::store::copy_owner_facts`).
fn from_and_filters(filters: &QueueFilters) -> String {
    let chamber = if filters.chamber.is_some() {
        "p.owner_chamber_id = $1"
    } else {
        "$1 IS NULL"
    };
    let status = if filters.status.is_some() {
        "p.status = $2"
    } else {
        "$2 IS NULL"
    };
    FROM_AND_FILTERS.replace("CHAMBER", chamber).replace("STATUS", status)
}

const COLUMNS: &str = "SELECT p.id, p.title, o.full_name AS owner_name, c.name_ar AS chamber_ar, \
     c.name_en AS chamber_en, p.status, p.status_since, a.full_name AS assigned_to, p.first_submitted_at, \
     p.review_score, p.open_comments ";

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
    pub review_score: Option<i64>,
    pub open_comments: i64,
}

impl QueueRowData {
    /// Where a page that ends with this row lets the next one start.
    pub fn cursor(&self, sort: QueueSort) -> Cursor {
        let value = match sort {
            QueueSort::Waiting => self.status_since,
            QueueSort::Submitted => self.first_submitted_at,
            QueueSort::Score => self.review_score.unwrap_or(-1),
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
    let rows = queue_page(pool, filters, limit).await?;
    let count_sql = format!("SELECT CAST(COUNT(*) AS BIGINT) {}", from_and_filters(filters));
    let (total,): (i64,) = bind_filters(sqlx::query_as(&count_sql), filters)
        .fetch_one(pool)
        .await?;
    Ok((rows, total))
}

/// Up to `limit` plans from the cursor on.
pub async fn queue_page(pool: &Pool, filters: &QueueFilters, limit: u32) -> Result<Vec<QueueRowData>, AppError> {
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
        // Highest score first; plans not scored yet (-1) last.
        QueueSort::Score => (
            "AND ($13 IS NULL OR COALESCE(p.review_score, -1) < $13 \
             OR (COALESCE(p.review_score, -1) = $13 AND p.id < $14))",
            "ORDER BY COALESCE(p.review_score, -1) DESC, p.id DESC",
        ),
    };
    let from = from_and_filters(filters);
    let sql = format!("{COLUMNS}{from} {seek} {order} LIMIT $15");
    let rows = bind_filters(sqlx::query_as(&sql), filters)
        .bind(filters.after.map(|c| c.value))
        .bind(filters.after.map(|c| c.id))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
    Ok(rows)
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

/// Recomputes the plan's queue score: the average weighted total of the verdicts on
/// `revision` that were not abstentions (NULL when there are none).
pub async fn refresh_review_score(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    plan_id: i64,
    revision: i64,
) -> Result<(), AppError> {
    let totals: Vec<(i64,)> =
        sqlx::query_as("SELECT total FROM plan_scores WHERE plan_id = $1 AND revision = $2 AND total IS NOT NULL")
            .bind(plan_id)
            .bind(revision)
            .fetch_all(&mut **tx)
            .await?;
    let average = domain::review::rubric::average(
        totals
            .into_iter()
            .filter_map(|(t,)| domain::review::rubric::WeightedScore::from_hundredths(t)),
    );
    sqlx::query("UPDATE plans SET review_score = $1 WHERE id = $2")
        .bind(average.map(|a| i64::from(a.hundredths())))
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One comment as stored, with its author's name.
#[derive(sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub plan_id: i64,
    pub revision: i64,
    #[sqlx(try_from = "String")]
    pub section: SectionKey,
    pub table_key: Option<String>,
    pub row_label: Option<String>,
    #[sqlx(try_from = "String")]
    pub audience: Audience,
    #[sqlx(try_from = "String")]
    pub status: CommentStatus,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
    pub answered_at: Option<i64>,
    pub answer: Option<String>,
}

const COMMENT_COLUMNS: &str = "SELECT c.id, c.plan_id, c.revision, c.section, c.table_key, c.row_label, c.audience, \
     c.status, u.full_name AS author_name, c.body, c.created_at, c.answered_at, c.answer \
     FROM plan_comments c JOIN users u ON u.id = c.author_id ";

/// The comments on a plan, oldest first; only those written to the entrepreneur when
/// `entrepreneur_only` (the filter is in the query, so an internal comment never leaves
/// the database for her).
pub async fn comments(pool: &Pool, plan_id: i64, entrepreneur_only: bool) -> Result<Vec<CommentRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{COMMENT_COLUMNS} WHERE c.plan_id = $1 AND ($2 = 0 OR c.audience = $3) ORDER BY c.id"
    ))
    .bind(plan_id)
    .bind(i64::from(entrepreneur_only))
    .bind(Audience::Entrepreneur.key())
    .fetch_all(pool)
    .await?)
}

/// One comment by its id.
pub async fn comment(pool: &Pool, id: i64) -> Result<Option<CommentRow>, AppError> {
    Ok(sqlx::query_as(&format!("{COMMENT_COLUMNS} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

/// A staff reply in a thread.
#[derive(sqlx::FromRow)]
pub struct ReplyRow {
    pub comment_id: i64,
    pub author_name: String,
    pub body: String,
    pub at: i64,
}

/// The replies on a plan's comments, oldest first.
pub async fn replies(pool: &Pool, plan_id: i64) -> Result<Vec<ReplyRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.comment_id, u.full_name AS author_name, r.body, r.at FROM plan_comment_replies r \
         JOIN plan_comments c ON c.id = r.comment_id JOIN users u ON u.id = r.author_id \
         WHERE c.plan_id = $1 ORDER BY r.id",
    )
    .bind(plan_id)
    .fetch_all(pool)
    .await?)
}

/// How many comments the plan has (every revision), and how many replies the thread has.
pub async fn comment_count(pool: &Pool, plan_id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM plan_comments WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_one(pool)
        .await?;
    Ok(n)
}

pub async fn reply_count(pool: &Pool, comment_id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM plan_comment_replies WHERE comment_id = $1")
            .bind(comment_id)
            .fetch_one(pool)
            .await?;
    Ok(n)
}

/// A new comment.
pub struct NewComment<'a> {
    pub plan_id: i64,
    pub revision: i64,
    pub pin: &'a Pin,
    pub audience: Audience,
    pub author: i64,
    pub body: &'a str,
    pub at: i64,
}

pub async fn insert_comment(tx: &mut sqlx::Transaction<'_, sqlx::Any>, c: NewComment<'_>) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plan_comments (plan_id, revision, section, table_key, row_label, audience, status, \
         author_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(c.plan_id)
    .bind(c.revision)
    .bind(c.pin.section.key())
    .bind(c.pin.row.as_ref().map(|(table, _)| table.key()))
    .bind(c.pin.row.as_ref().map(|(_, label)| label.as_str()))
    .bind(c.audience.key())
    .bind(CommentStatus::Open.key())
    .bind(c.author)
    .bind(c.body)
    .bind(c.at)
    .fetch_one(&mut **tx)
    .await?;
    refresh_open_comments(tx, c.plan_id).await?;
    Ok(id)
}

pub async fn insert_reply(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    comment_id: i64,
    author: i64,
    body: &str,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO plan_comment_replies (comment_id, author_id, body, at) VALUES ($1, $2, $3, $4)")
        .bind(comment_id)
        .bind(author)
        .bind(body)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves a comment from `from` to `to`; false when someone moved it meanwhile.
pub async fn set_comment_status(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    comment: &CommentRow,
    to: CommentStatus,
    by: i64,
    at: i64,
) -> Result<bool, AppError> {
    let resolved = (to == CommentStatus::Resolved).then_some((by, at));
    let done = sqlx::query(
        "UPDATE plan_comments SET status = $1, resolved_by = $2, resolved_at = $3 WHERE id = $4 AND status = $5",
    )
    .bind(to.key())
    .bind(resolved.map(|(by, _)| by))
    .bind(resolved.map(|(_, at)| at))
    .bind(comment.id)
    .bind(comment.status.key())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    refresh_open_comments(tx, comment.plan_id).await?;
    Ok(done > 0)
}

/// The entrepreneur marks a comment answered (again: the note is replaced).
pub async fn answer_comment(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    answer: Option<&str>,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE plan_comments SET answered_at = $1, answer = $2 WHERE id = $3")
        .bind(at)
        .bind(answer)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn refresh_open_comments(tx: &mut sqlx::Transaction<'_, sqlx::Any>, plan_id: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE plans SET open_comments = (SELECT CAST(COUNT(*) AS BIGINT) FROM plan_comments \
         WHERE plan_id = $1 AND status = $2) WHERE id = $1",
    )
    .bind(plan_id)
    .bind(CommentStatus::Open.key())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One audit row with its actor's name (a case's trail here, the Fund's log in `fund`).
#[derive(sqlx::FromRow)]
pub struct TrailRow {
    pub id: i64,
    pub at: i64,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub detail: String,
}

/// A case's audit trail, newest first (at most `limit` rows): every step recorded on the
/// plan (lifecycle, assignments, comments, verdicts) and the decisions on its owner's
/// documents.
pub async fn case_trail(pool: &Pool, plan_id: i64, owner_id: i64, limit: i64) -> Result<Vec<TrailRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.at, u.full_name AS actor_name, l.action, l.object_type, l.object_id, l.detail \
         FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id \
         WHERE (l.object_type = $1 AND l.object_id = $2) \
         OR (l.object_type = $3 AND l.object_id IN (SELECT id FROM documents WHERE owner_id = $4)) \
         ORDER BY l.id DESC LIMIT $5",
    )
    .bind(AuditObject::Plan.key())
    .bind(plan_id)
    .bind(AuditObject::Document.key())
    .bind(owner_id)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
