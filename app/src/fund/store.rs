//! The audit log in the database (server only): one statement for every combination of
//! filters (`(value IS NULL OR condition)`), paged by row id, newest first.
use crate::db::Pool;
use crate::error::AppError;
use crate::review::store::TrailRow;

/// The audit log's search, read and checked (`fund::server`).
#[derive(Clone, Debug, Default)]
pub struct AuditFilters {
    /// A `LIKE` pattern over the actor's folded name.
    pub actor: Option<String>,
    pub action: Option<&'static str>,
    pub object: Option<&'static str>,
    pub object_id: Option<i64>,
    /// At or after (Unix seconds)…
    pub from: Option<i64>,
    /// …and before.
    pub until: Option<i64>,
    /// Rows with a smaller id only.
    pub before: Option<i64>,
}

const FROM_AND_FILTERS: &str = "FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id \
     WHERE ($1 IS NULL OR u.search_name LIKE $1 ESCAPE '\\') \
     AND ($2 IS NULL OR l.action = $2) \
     AND ($3 IS NULL OR l.object_type = $3) \
     AND ($4 IS NULL OR l.object_id = $4) \
     AND ($5 IS NULL OR l.at >= $5) \
     AND ($6 IS NULL OR l.at < $6)";

fn bind_filters<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    f: &'q AuditFilters,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    query
        .bind(f.actor.as_deref())
        .bind(f.action)
        .bind(f.object)
        .bind(f.object_id)
        .bind(f.from)
        .bind(f.until)
}

/// Up to `limit` rows older than the cursor, newest first, and how many match in all.
pub async fn audit_log(pool: &Pool, filters: &AuditFilters, limit: u32) -> Result<(Vec<TrailRow>, i64), AppError> {
    let sql = format!(
        "SELECT l.id, l.at, u.full_name AS actor_name, l.action, l.object_type, l.object_id, l.detail \
         {FROM_AND_FILTERS} AND ($7 IS NULL OR l.id < $7) ORDER BY l.id DESC LIMIT $8"
    );
    let rows = bind_filters(sqlx::query_as(&sql), filters)
        .bind(filters.before)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
    let count_sql = format!("SELECT CAST(COUNT(*) AS BIGINT) {FROM_AND_FILTERS}");
    let (total,): (i64,) = bind_filters(sqlx::query_as(&count_sql), filters)
        .fetch_one(pool)
        .await?;
    Ok((rows, total))
}
