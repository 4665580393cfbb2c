//! A plan's case in the database (server only): the events of its lifecycle. The plan
//! rows themselves live in `plan::store`.
use crate::db::Pool;
use crate::error::AppError;
use domain::plan::lifecycle::PlanAction;
use domain::plan::status::PlanStatus;

/// One step as `insert_event` writes it.
pub struct NewEvent<'a> {
    pub plan_id: i64,
    pub actor: i64,
    pub action: PlanAction,
    pub from: PlanStatus,
    pub to: PlanStatus,
    pub message: Option<&'a str>,
    pub revision: Option<i64>,
    pub at: i64,
}

pub async fn insert_event(tx: &mut sqlx::Transaction<'_, sqlx::Any>, event: NewEvent<'_>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO plan_events (plan_id, actor_id, action, from_status, to_status, message, revision, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(event.plan_id)
    .bind(event.actor)
    .bind(event.action.key())
    .bind(event.from.key())
    .bind(event.to.key())
    .bind(event.message)
    .bind(event.revision)
    .bind(event.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One step of a plan's history, with who took it.
#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub at: i64,
    pub actor_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub action: PlanAction,
    #[sqlx(try_from = "String")]
    pub from_status: PlanStatus,
    #[sqlx(try_from = "String")]
    pub to_status: PlanStatus,
    pub message: Option<String>,
    pub revision: Option<i64>,
}

/// A plan's events, oldest first.
pub async fn events_of_plan(pool: &Pool, plan_id: i64) -> Result<Vec<EventRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.at, u.full_name AS actor_name, e.action, e.from_status, e.to_status, e.message, e.revision \
         FROM plan_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.plan_id = $1 ORDER BY e.at, e.id",
    )
    .bind(plan_id)
    .fetch_all(pool)
    .await?)
}

/// A step of one of an owner's plans, for the case file's timeline.
#[derive(sqlx::FromRow)]
pub struct OwnerEventRow {
    pub at: i64,
    pub plan_id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub action: PlanAction,
    #[sqlx(try_from = "String")]
    pub to_status: PlanStatus,
    pub message: Option<String>,
    pub revision: Option<i64>,
}

/// The events of every plan of an owner (not deleted), oldest first.
pub async fn events_of_owner(pool: &Pool, owner: i64) -> Result<Vec<OwnerEventRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.at, e.plan_id, p.title, e.action, e.to_status, e.message, e.revision FROM plan_events e \
         JOIN plans p ON p.id = e.plan_id WHERE p.owner_id = $1 AND p.deleted_at IS NULL ORDER BY e.at, e.id",
    )
    .bind(owner)
    .fetch_all(pool)
    .await?)
}

/// What waits for a chamber's staff among its plans.
#[derive(sqlx::FromRow)]
pub struct ReviewCounts {
    /// In review and held by the person asking.
    pub mine: i64,
    /// Submitted and held by nobody.
    pub unassigned: i64,
    /// Since when the longest-waiting of those has waited (Unix seconds).
    pub unassigned_since: Option<i64>,
}

/// The plans of one chamber (or, `None`, of all) that wait for someone: `me`'s open reviews
/// and the submitted plans nobody has taken.
pub async fn review_counts(pool: &Pool, chamber: Option<i64>, me: i64) -> Result<ReviewCounts, AppError> {
    Ok(sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN p.status = $2 AND p.assigned_to = $3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS mine, \
         CAST(COALESCE(SUM(CASE WHEN p.status = $4 AND p.assigned_to IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS unassigned, \
         MIN(CASE WHEN p.status = $4 AND p.assigned_to IS NULL THEN p.status_since END) AS unassigned_since \
         FROM plans p JOIN users o ON o.id = p.owner_id \
         WHERE p.deleted_at IS NULL AND p.first_submitted_at IS NOT NULL AND ($1 IS NULL OR o.chamber_id = $1)",
    )
    .bind(chamber)
    .bind(PlanStatus::InReview.key())
    .bind(me)
    .bind(PlanStatus::Submitted.key())
    .fetch_one(pool)
    .await?)
}
