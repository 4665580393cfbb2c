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

// ---- The dashboard ----
//
// Every figure is one grouped statement over the rows the filters keep; what comes back is
// small (a row per group), so nothing reads the plans themselves into memory.

/// The dashboard's filters, read and checked (`fund::server`).
#[derive(Clone, Debug, Default)]
pub struct DashboardFilters {
    pub chamber: Option<i64>,
    pub region: Option<&'static str>,
    pub governorate: Option<String>,
    pub sector: Option<&'static str>,
    pub legal_form: Option<&'static str>,
    pub gender: Option<&'static str>,
    /// Owners born after this ISO date (exclusive)…
    pub born_after: Option<String>,
    /// …and on or before this one.
    pub born_on_or_before: Option<String>,
    /// Plans that entered the pipeline (first submitted; never submitted: created) at or
    /// after this instant…
    pub from: Option<i64>,
    /// …and before this one.
    pub until: Option<i64>,
}

impl DashboardFilters {
    /// No filter at all: every chamber, person and plan.
    pub fn is_everything(&self) -> bool {
        self.chamber.is_none()
            && self.region.is_none()
            && self.governorate.is_none()
            && self.sector.is_none()
            && self.legal_form.is_none()
            && self.gender.is_none()
            && self.born_after.is_none()
            && self.born_on_or_before.is_none()
            && self.from.is_none()
            && self.until.is_none()
    }
}

/// The person filters over `u` ($1–$7) and, for the figures that start from people or
/// requests, the plan filters over `p` ($8–$11).
const PERSON: &str = "CHAMBER \
     AND ($2 IS NULL OR u.governorate_code IN (SELECT code FROM governorates WHERE region = $2)) \
     AND ($3 IS NULL OR u.governorate_code = $3) \
     AND ($4 IS NULL OR u.gender = $4) \
     AND ($5 IS NULL OR u.birth_date > $5) \
     AND ($6 IS NULL OR u.birth_date <= $6) \
     AND u.role = $7";

type Query<'q, O> = sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>;

/// `PERSON` with the chamber's condition a plain equality when one is chosen (see
/// `plan_only`).
fn person(f: &DashboardFilters) -> String {
    let chamber = if f.chamber.is_some() {
        "u.chamber_id = $1"
    } else {
        "$1 IS NULL"
    };
    PERSON.replace("CHAMBER", chamber)
}

/// Binds $1–$7 (`PERSON`).
fn bind_person<'q, O>(query: Query<'q, O>, f: &'q DashboardFilters) -> Query<'q, O> {
    query
        .bind(f.chamber)
        .bind(f.region)
        .bind(f.governorate.as_deref())
        .bind(f.gender)
        .bind(f.born_after.as_deref())
        .bind(f.born_on_or_before.as_deref())
        .bind(domain::roles::Role::Entrepreneur.key())
}

/// Binds $1–$7 (`PERSON`) and the plan filters as $8–$11.
fn bind_dashboard<'q, O>(query: Query<'q, O>, f: &'q DashboardFilters) -> Query<'q, O> {
    bind_person(query, f)
        .bind(f.sector)
        .bind(f.legal_form)
        .bind(f.from)
        .bind(f.until)
}

/// The filters over a plan alone ($1–$10): the owner's facts as copied onto the plan, then
/// the plan's own.
const PLAN_ONLY: &str = "p.deleted_at IS NULL \
     AND CHAMBER \
     AND ($2 IS NULL OR p.owner_governorate IN (SELECT code FROM governorates WHERE region = $2)) \
     AND ($3 IS NULL OR p.owner_governorate = $3) \
     AND ($4 IS NULL OR p.owner_gender = $4) \
     AND ($5 IS NULL OR p.owner_birth_date > $5) \
     AND ($6 IS NULL OR p.owner_birth_date <= $6) \
     AND ($7 IS NULL OR p.sector = $7) \
     AND ($8 IS NULL OR p.legal_form = $8) \
     AND ($9 IS NULL OR COALESCE(p.first_submitted_at, p.created_at) >= $9) \
     AND ($10 IS NULL OR COALESCE(p.first_submitted_at, p.created_at) < $10)";

/// Binds $1–$10 (`PLAN_ONLY`).
fn bind_plans<'q, O>(query: Query<'q, O>, f: &'q DashboardFilters) -> Query<'q, O> {
    query
        .bind(f.chamber)
        .bind(f.region)
        .bind(f.governorate.as_deref())
        .bind(f.gender)
        .bind(f.born_after.as_deref())
        .bind(f.born_on_or_before.as_deref())
        .bind(f.sector)
        .bind(f.legal_form)
        .bind(f.from)
        .bind(f.until)
}

/// `PLAN_ONLY` with the chamber's condition a plain equality when one is chosen, so the
/// planner takes the chamber's index (it cannot through `($1 IS NULL OR …)`).
fn plan_only(f: &DashboardFilters) -> String {
    let chamber = if f.chamber.is_some() {
        "p.owner_chamber_id = $1"
    } else {
        "$1 IS NULL"
    };
    PLAN_ONLY.replace("CHAMBER", chamber)
}

/// The plans the filters keep, read from `plans_figures` on SQLite whatever its planner
/// estimates: that index holds every column these statements read, yet newer SQLite versions
/// (3.46 here) prefer a scan of the plan rows or a narrow index for some of them, three to
/// five times slower at 100,000 plans. PostgreSQL plans them well and knows no such hint.
fn plans_where(pool: &Pool, f: &DashboardFilters) -> String {
    format!(
        "FROM plans p{} WHERE {}",
        indexed_by(pool, "plans_figures"),
        plan_only(f)
    )
}

/// ` INDEXED BY <index>` on SQLite, nothing on PostgreSQL.
fn indexed_by(pool: &Pool, index: &str) -> String {
    if crate::db::is_sqlite(pool) {
        format!(" INDEXED BY {index}")
    } else {
        String::new()
    }
}

/// Plans grouped by chamber, furthest stage, state and currency, with their sums.
#[derive(sqlx::FromRow)]
pub struct PlanGroup {
    pub chamber_id: Option<i64>,
    pub funnel_stage: i64,
    pub status: String,
    pub currency: String,
    pub plans: i64,
    pub submitted: i64,
    pub decided: i64,
    pub approved: i64,
    pub fte_tenths: i64,
    pub women: i64,
    pub youth: i64,
    pub startup: i64,
    pub own: i64,
    pub family: i64,
    pub grant: i64,
    pub loan: i64,
}

pub async fn plan_groups(pool: &Pool, f: &DashboardFilters) -> Result<Vec<PlanGroup>, AppError> {
    let sql = format!(
        "SELECT p.owner_chamber_id AS chamber_id, p.funnel_stage, p.status, p.currency, \
         CAST(COUNT(*) AS BIGINT) AS plans, \
         CAST(SUM(CASE WHEN p.first_submitted_at IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS submitted, \
         CAST(SUM(CASE WHEN p.decided_at IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS decided, \
         CAST(SUM(CASE WHEN p.approved_at IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS approved, \
         CAST(SUM(p.jobs_fte_tenths) AS BIGINT) AS fte_tenths, CAST(SUM(p.jobs_women) AS BIGINT) AS women, \
         CAST(SUM(p.jobs_youth) AS BIGINT) AS youth, CAST(SUM(p.startup_capital) AS BIGINT) AS startup, \
         CAST(SUM(p.fund_own) AS BIGINT) AS own, CAST(SUM(p.fund_family) AS BIGINT) AS family, \
         CAST(SUM(p.fund_grant) AS BIGINT) AS \"grant\", CAST(SUM(p.fund_loan) AS BIGINT) AS loan \
         {} GROUP BY p.owner_chamber_id, p.funnel_stage, p.status, p.currency",
        plans_where(pool, f)
    );
    Ok(bind_plans(sqlx::query_as(&sql), f).fetch_all(pool).await?)
}

/// Entrepreneurs per chamber: the person filters, registered in the period, and (when a
/// sector or legal form is chosen) holding such a plan.
pub async fn entrepreneurs(pool: &Pool, f: &DashboardFilters) -> Result<Vec<(Option<i64>, i64)>, AppError> {
    let person = person(f);
    let sql = format!(
        "SELECT u.chamber_id, CAST(COUNT(*) AS BIGINT) FROM users u WHERE {person} \
         AND ($10 IS NULL OR u.created_at >= $10) AND ($11 IS NULL OR u.created_at < $11) \
         AND (($8 IS NULL AND $9 IS NULL) OR EXISTS (SELECT 1 FROM plans p WHERE p.owner_id = u.id \
              AND p.deleted_at IS NULL AND ($8 IS NULL OR p.sector = $8) AND ($9 IS NULL OR p.legal_form = $9))) \
         GROUP BY u.chamber_id"
    );
    Ok(bind_dashboard(sqlx::query_as(&sql), f).fetch_all(pool).await?)
}

/// Whole days of each stay per state: (state, days, stays). A stay still under way counts
/// up to `now`.
pub async fn days_in_state(pool: &Pool, f: &DashboardFilters, now: i64) -> Result<Vec<(String, i64, i64)>, AppError> {
    if f.is_everything() {
        return every_stay(pool, now).await;
    }
    let sql = format!(
        "SELECT s.status, CAST((COALESCE(s.ended_at, $11) - s.started_at) / 86400 AS BIGINT) AS days, \
         CAST(COUNT(*) AS BIGINT) FROM plan_stints s JOIN plans p ON p.id = s.plan_id \
         WHERE {} GROUP BY 1, 2 ORDER BY 1, 2",
        plan_only(f)
    );
    Ok(bind_plans(sqlx::query_as(&sql), f).bind(now).fetch_all(pool).await?)
}

/// `days_in_state` without filters, the Fund's first view: ended stays read in the order of
/// their index (live, state, days), so nothing is sorted, and the stays under way (one per
/// plan) counted up to `now`. May name a (state, days) twice; the caller adds them up.
async fn every_stay(pool: &Pool, now: i64) -> Result<Vec<(String, i64, i64)>, AppError> {
    let ended = sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT status, days, CAST(COUNT(*) AS BIGINT) FROM plan_stints \
         WHERE live = 1 AND days IS NOT NULL GROUP BY status, days",
    )
    .fetch_all(pool);
    let open = sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT status, CAST(($1 - started_at) / 86400 AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM plan_stints \
         WHERE live = 1 AND ended_at IS NULL GROUP BY 1, 2",
    )
    .bind(now)
    .fetch_all(pool);
    // One after the other: the caller runs no more statements at once than there are cores.
    let mut ended = ended.await?;
    ended.extend(open.await?);
    Ok(ended)
}

/// Whole days from first submission to the first decision: (days, plans).
pub async fn days_to_decision(pool: &Pool, f: &DashboardFilters) -> Result<Vec<(i64, i64)>, AppError> {
    if f.is_everything() {
        // The Fund's first view: from the decisions' own index.
        let sql = format!(
            "SELECT CAST((decided_at - first_submitted_at) / 86400 AS BIGINT), CAST(COUNT(*) AS BIGINT) \
             FROM plans{} WHERE decided_at IS NOT NULL AND first_submitted_at IS NOT NULL \
             AND deleted_at IS NULL GROUP BY 1 ORDER BY 1",
            indexed_by(pool, "plans_decided")
        );
        return Ok(sqlx::query_as(&sql).fetch_all(pool).await?);
    }
    let sql = format!(
        "SELECT CAST((p.decided_at - p.first_submitted_at) / 86400 AS BIGINT) AS days, CAST(COUNT(*) AS BIGINT) \
         {} AND p.decided_at IS NOT NULL AND p.first_submitted_at IS NOT NULL GROUP BY 1 ORDER BY 1",
        plans_where(pool, f)
    );
    Ok(bind_plans(sqlx::query_as(&sql), f).fetch_all(pool).await?)
}

/// Submissions (first ones) per day since `since`: (day number, plans).
pub async fn submissions_by_day(pool: &Pool, f: &DashboardFilters, since: i64) -> Result<Vec<(i64, i64)>, AppError> {
    if f.is_everything() {
        let sql = format!(
            "SELECT CAST(first_submitted_at / 86400 AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM plans{} \
             WHERE first_submitted_at >= $1 AND deleted_at IS NULL GROUP BY 1 ORDER BY 1",
            indexed_by(pool, "plans_queue_submitted")
        );
        return Ok(sqlx::query_as(&sql).bind(since).fetch_all(pool).await?);
    }
    let sql = format!(
        "SELECT CAST(p.first_submitted_at / 86400 AS BIGINT), CAST(COUNT(*) AS BIGINT) {} \
         AND p.first_submitted_at >= $11 GROUP BY 1 ORDER BY 1",
        plans_where(pool, f)
    );
    Ok(bind_plans(sqlx::query_as(&sql), f).bind(since).fetch_all(pool).await?)
}

/// First approvals per day since `since` and the jobs of those plans: (day, plans, FTE tenths).
pub async fn approvals_by_day(pool: &Pool, f: &DashboardFilters, since: i64) -> Result<Vec<(i64, i64, i64)>, AppError> {
    if f.is_everything() {
        let sql = format!(
            "SELECT CAST(approved_at / 86400 AS BIGINT), CAST(COUNT(*) AS BIGINT), CAST(SUM(jobs_fte_tenths) AS BIGINT) \
             FROM plans{} WHERE approved_at >= $1 AND deleted_at IS NULL GROUP BY 1 ORDER BY 1",
            indexed_by(pool, "plans_approved")
        );
        return Ok(sqlx::query_as(&sql).bind(since).fetch_all(pool).await?);
    }
    let sql = format!(
        "SELECT CAST(p.approved_at / 86400 AS BIGINT), CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(p.jobs_fte_tenths) AS BIGINT) {} AND p.approved_at >= $11 GROUP BY 1 ORDER BY 1",
        plans_where(pool, f)
    );
    Ok(bind_plans(sqlx::query_as(&sql), f).bind(since).fetch_all(pool).await?)
}

/// The service requests' filter: the owner's person filters, the period on the request's
/// date, and the plan filters on the plan it was made for.
fn requests_where(f: &DashboardFilters) -> String {
    "FROM service_requests r JOIN users u ON u.id = r.user_id WHERE ".to_string()
        + &person(f)
        + " AND ($10 IS NULL OR r.created_at >= $10) AND ($11 IS NULL OR r.created_at < $11) \
         AND (($8 IS NULL AND $9 IS NULL) OR EXISTS (SELECT 1 FROM plans p WHERE p.id = r.plan_id \
              AND ($8 IS NULL OR p.sector = $8) AND ($9 IS NULL OR p.legal_form = $9)))"
}

/// Requests per service: (service id, name ar, name en, requested, completed), catalogue order.
pub async fn service_counts(
    pool: &Pool,
    f: &DashboardFilters,
) -> Result<Vec<(i64, String, String, i64, i64)>, AppError> {
    if f.is_everything() {
        // Every request (only entrepreneurs make them), read from the service's index.
        return Ok(sqlx::query_as(
            "SELECT s.id, s.name_ar, s.name_en, CAST(COUNT(r.id) AS BIGINT), \
             CAST(SUM(CASE WHEN r.status = 'completed' THEN 1 ELSE 0 END) AS BIGINT) \
             FROM services s JOIN service_requests r ON r.service_id = s.id \
             GROUP BY s.id, s.name_ar, s.name_en, s.sort_order ORDER BY s.sort_order, s.id",
        )
        .fetch_all(pool)
        .await?);
    }
    let sql = format!(
        "SELECT s.id, s.name_ar, s.name_en, CAST(COUNT(r.id) AS BIGINT), \
         CAST(SUM(CASE WHEN r.status = 'completed' THEN 1 ELSE 0 END) AS BIGINT) \
         FROM services s JOIN (SELECT r.id, r.service_id, r.status {}) r ON r.service_id = s.id \
         GROUP BY s.id, s.name_ar, s.name_en, s.sort_order ORDER BY s.sort_order, s.id",
        requests_where(f)
    );
    Ok(bind_dashboard(sqlx::query_as(&sql), f).fetch_all(pool).await?)
}

/// Completed requests' working days per service: (service id, days, requests).
pub async fn service_days(pool: &Pool, f: &DashboardFilters) -> Result<Vec<(i64, i64, i64)>, AppError> {
    if f.is_everything() {
        return Ok(sqlx::query_as(
            "SELECT service_id, working_days, CAST(COUNT(*) AS BIGINT) FROM service_requests \
             WHERE working_days IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
        )
        .fetch_all(pool)
        .await?);
    }
    let sql = format!(
        "SELECT r.service_id, r.working_days, CAST(COUNT(*) AS BIGINT) {} \
         AND r.working_days IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
        requests_where(f)
    );
    Ok(bind_dashboard(sqlx::query_as(&sql), f).fetch_all(pool).await?)
}

/// Documents waiting for verification per chamber (current versions, not deleted).
pub async fn documents_waiting(pool: &Pool, f: &DashboardFilters) -> Result<Vec<(Option<i64>, i64)>, AppError> {
    if f.region.is_none()
        && f.governorate.is_none()
        && f.gender.is_none()
        && f.born_after.is_none()
        && f.born_on_or_before.is_none()
    {
        // No filter on the owners themselves: their chamber, copied onto each document, is
        // all that is needed, and its index holds every column read (only entrepreneurs
        // upload, so no role to check).
        let chamber = if f.chamber.is_some() {
            "AND owner_chamber_id = $1"
        } else {
            "AND $1 IS NULL"
        };
        let sql = format!(
            "SELECT owner_chamber_id, CAST(COUNT(*) AS BIGINT) FROM documents \
             WHERE status = 'uploaded' AND deleted_at IS NULL AND replaced_at IS NULL {chamber} \
             GROUP BY owner_chamber_id"
        );
        return Ok(sqlx::query_as(&sql).bind(f.chamber).fetch_all(pool).await?);
    }
    let person = person(f);
    // Every chamber: from the waiting documents (their status index) to their owners, an
    // order CROSS JOIN fixes on SQLite; one chamber: from its people to their documents.
    let join = if f.chamber.is_some() {
        "users u CROSS JOIN documents d"
    } else {
        "documents d CROSS JOIN users u"
    };
    let sql = format!(
        "SELECT u.chamber_id, CAST(COUNT(*) AS BIGINT) FROM {join} \
         WHERE u.id = d.owner_id AND {person} AND d.status = 'uploaded' AND d.deleted_at IS NULL \
         AND d.replaced_at IS NULL GROUP BY u.chamber_id"
    );
    Ok(bind_person(sqlx::query_as(&sql), f).fetch_all(pool).await?)
}

/// The filters over an establishment record ($1–$10, bound as `bind_plans`): the owner's
/// facts and the project's as registered; the period is when it entered the register.
const ESTABLISHMENT_ONLY: &str = "CHAMBER \
     AND ($2 IS NULL OR e.governorate IN (SELECT code FROM governorates WHERE region = $2)) \
     AND ($3 IS NULL OR e.governorate = $3) \
     AND ($4 IS NULL OR e.owner_gender = $4) \
     AND ($5 IS NULL OR e.owner_birth_date > $5) \
     AND ($6 IS NULL OR e.owner_birth_date <= $6) \
     AND ($7 IS NULL OR e.sector = $7) \
     AND ($8 IS NULL OR e.legal_form = $8) \
     AND ($9 IS NULL OR e.created_at >= $9) \
     AND ($10 IS NULL OR e.created_at < $10)";

/// Establishments per chamber (`fund::EstablishmentsFigure` before naming).
#[derive(sqlx::FromRow)]
pub struct EstablishmentGroup {
    pub chamber_id: Option<i64>,
    pub registered: i64,
    pub visited: i64,
    pub operating: i64,
    pub closed: i64,
    pub planned: i64,
    pub visited_planned: i64,
    pub women: i64,
    pub men: i64,
}

pub async fn establishment_groups(pool: &Pool, f: &DashboardFilters) -> Result<Vec<EstablishmentGroup>, AppError> {
    let chamber = if f.chamber.is_some() {
        "e.chamber_id = $1"
    } else {
        "$1 IS NULL"
    };
    let sql = format!(
        "SELECT e.chamber_id, CAST(COUNT(*) AS BIGINT) AS registered, \
         CAST(SUM(CASE WHEN e.operating IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS visited, \
         CAST(SUM(CASE WHEN e.operating = 1 THEN 1 ELSE 0 END) AS BIGINT) AS operating, \
         CAST(SUM(CASE WHEN e.operating = 0 THEN 1 ELSE 0 END) AS BIGINT) AS closed, \
         CAST(SUM(e.jobs_fte_tenths) AS BIGINT) AS planned, \
         CAST(SUM(CASE WHEN e.operating IS NULL THEN 0 ELSE e.jobs_fte_tenths END) AS BIGINT) AS visited_planned, \
         CAST(SUM(COALESCE(e.filled_women, 0)) AS BIGINT) AS women, \
         CAST(SUM(COALESCE(e.filled_men, 0)) AS BIGINT) AS men \
         FROM establishments e WHERE {} GROUP BY e.chamber_id",
        ESTABLISHMENT_ONLY.replace("CHAMBER", chamber)
    );
    Ok(bind_plans(sqlx::query_as(&sql), f).fetch_all(pool).await?)
}

/// The chambers, in their order.
pub async fn chambers(pool: &Pool) -> Result<Vec<(i64, String, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name_ar, name_en FROM chambers ORDER BY sort_order, id")
            .fetch_all(pool)
            .await?,
    )
}

// ---- Labour demand ----

/// `p.status IN (…)` for the approved-and-later states (`domain::stats::APPROVED_AND_LATER`),
/// written from the enum's keys so the two cannot drift apart.
fn approved_and_later() -> String {
    let keys: Vec<String> = domain::stats::APPROVED_AND_LATER
        .iter()
        .map(|s| format!("'{}'", s.key()))
        .collect();
    format!("p.status IN ({})", keys.join(", "))
}

/// One group of positions (`fund::LabourRow` before naming).
#[derive(sqlx::FromRow)]
pub struct LabourGroup {
    pub title: String,
    pub sector: Option<String>,
    pub governorate_ar: Option<String>,
    pub governorate_en: Option<String>,
    pub month: Option<String>,
    pub currency: String,
    pub plans: i64,
    pub positions: i64,
    pub women: i64,
    pub youth: i64,
    pub fte_tenths: i64,
    pub wage_bill: i64,
}

/// Positions of approved-and-later plans grouped by title (the canonical one where the Fund
/// set it, else the folded spelling), sector, governorate, month of hiring and currency;
/// most positions first.
pub async fn labour_groups(pool: &Pool, f: &DashboardFilters) -> Result<Vec<LabourGroup>, AppError> {
    let sql = format!(
        "SELECT COALESCE(MAX(jt.canonical), MIN(pp.title)) AS title, p.sector, \
         g.name_ar AS governorate_ar, g.name_en AS governorate_en, p.start_month AS month, p.currency, \
         CAST(COUNT(DISTINCT p.id) AS BIGINT) AS plans, CAST(SUM(pp.count) AS BIGINT) AS positions, \
         CAST(SUM(pp.women) AS BIGINT) AS women, CAST(SUM(pp.youth) AS BIGINT) AS youth, \
         CAST(SUM(pp.count * CASE WHEN pp.full_time = 1 THEN 10 ELSE 5 END) AS BIGINT) AS fte_tenths, \
         CAST(SUM(pp.count * pp.monthly_wage) AS BIGINT) AS wage_bill \
         FROM plan_positions pp JOIN plans p ON p.id = pp.plan_id \
         LEFT JOIN job_titles jt ON jt.folded_title = pp.folded_title \
         LEFT JOIN governorates g ON g.code = p.owner_governorate \
         WHERE {} AND {} \
         GROUP BY COALESCE(jt.folded_canonical, pp.folded_title), p.sector, g.name_ar, g.name_en, \
         p.start_month, p.currency \
         ORDER BY 8 DESC, 1, 5, 2, 3",
        plan_only(f),
        approved_and_later()
    );
    Ok(bind_plans(sqlx::query_as(&sql), f).fetch_all(pool).await?)
}

/// Folded spellings of approved-and-later plans' titles (matching `pattern`, a `LIKE`
/// pattern of folded text, when given), most positions first, with the Fund's mapping.
pub async fn title_variants(
    pool: &Pool,
    f: &DashboardFilters,
    pattern: Option<&str>,
    limit: u32,
) -> Result<Vec<(String, String, i64, Option<String>)>, AppError> {
    let sql = format!(
        "SELECT pp.folded_title, MIN(pp.title), CAST(SUM(pp.count) AS BIGINT), MAX(jt.canonical) \
         FROM plan_positions pp JOIN plans p ON p.id = pp.plan_id \
         LEFT JOIN job_titles jt ON jt.folded_title = pp.folded_title \
         WHERE {} AND {} AND ($11 IS NULL OR pp.folded_title LIKE $11 ESCAPE '\\') \
         GROUP BY pp.folded_title ORDER BY 3 DESC, 1 LIMIT $12",
        plan_only(f),
        approved_and_later()
    );
    Ok(bind_plans(sqlx::query_as(&sql), f)
        .bind(pattern)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?)
}

/// Whether anyone's plan has a position spelled `folded`.
pub async fn title_exists(pool: &Pool, folded: &str) -> Result<bool, AppError> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT plan_id FROM plan_positions WHERE folded_title = $1 LIMIT 1")
        .bind(folded)
        .fetch_optional(pool)
        .await?;
    Ok(found.is_some())
}

/// Counts `folded` as `canonical` from now on, or as itself again (`None`).
pub async fn set_job_title(
    pool: &Pool,
    folded: &str,
    canonical: Option<&str>,
    by: i64,
    at: i64,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin(pool).await?;
    sqlx::query("DELETE FROM job_titles WHERE folded_title = $1")
        .bind(folded)
        .execute(&mut *tx)
        .await?;
    if let Some(canonical) = canonical {
        sqlx::query(
            "INSERT INTO job_titles (folded_title, canonical, folded_canonical, set_by, set_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(folded)
        .bind(canonical)
        .bind(domain::search::fold(canonical))
        .bind(by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One chamber's text messages since a time (`chamber_id` none: nobody's chamber).
#[derive(sqlx::FromRow)]
pub struct SmsCounts {
    pub chamber_id: Option<i64>,
    pub name_ar: Option<String>,
    pub name_en: Option<String>,
    pub sent: i64,
    pub segments: i64,
    pub failed: i64,
    pub waiting: i64,
    pub held_back: i64,
}

/// Messages queued since `since` and refusals by the caps since then, per chamber, in the
/// chambers' order (nobody's chamber last).
pub async fn sms_by_chamber(pool: &Pool, since: i64) -> Result<Vec<SmsCounts>, AppError> {
    Ok(sqlx::query_as(
        "WITH queued AS (\
           SELECT chamber_id, \
                  CAST(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS sent, \
                  CAST(SUM(CASE WHEN sent_at IS NOT NULL THEN segments ELSE 0 END) AS BIGINT) AS segments, \
                  CAST(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS failed, \
                  CAST(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS waiting \
           FROM sms_outbox WHERE created_at >= $1 GROUP BY chamber_id), \
         refused AS (SELECT chamber_id, COUNT(*) AS held_back FROM sms_refusals WHERE created_at >= $1 GROUP BY chamber_id), \
         seen AS (SELECT chamber_id FROM queued UNION SELECT chamber_id FROM refused) \
         SELECT s.chamber_id, c.name_ar, c.name_en, \
                COALESCE(q.sent, 0) AS sent, COALESCE(q.segments, 0) AS segments, COALESCE(q.failed, 0) AS failed, \
                COALESCE(q.waiting, 0) AS waiting, COALESCE(r.held_back, 0) AS held_back \
         FROM seen s LEFT JOIN chambers c ON c.id = s.chamber_id \
         LEFT JOIN queued q ON q.chamber_id = s.chamber_id OR (q.chamber_id IS NULL AND s.chamber_id IS NULL) \
         LEFT JOIN refused r ON r.chamber_id = s.chamber_id OR (r.chamber_id IS NULL AND s.chamber_id IS NULL) \
         ORDER BY s.chamber_id IS NULL, c.sort_order, s.chamber_id",
    )
    .bind(since)
    .fetch_all(pool)
    .await?)
}
