//! The review queue in the database (server only). One statement for every combination
//! of filters: each filter is `(value IS NULL OR condition)`, so an unused filter costs
//! nothing and no SQL is assembled from text. Reads plans and their owners; writes nothing.
use crate::db::Pool;
use crate::error::AppError;
use domain::plan::status::PlanStatus;
use domain::review::queue::{Cursor, QueueSort};
use domain::roles::Role;
use domain::validation::Gender;

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
