//! The establishments register in the database (server only). Records are made inside the
//! transaction of the step that qualifies them (a plan moved to `operating`, a request
//! completed), so a project is registered exactly when that step is kept.
use crate::db::Pool;
use crate::error::AppError;
use domain::establishments::{EstablishmentSource, Visit};

type Tx<'a, 'b> = &'a mut sqlx::Transaction<'b, sqlx::Any>;

fn plan_key(plan_id: i64) -> String {
    format!("plan:{plan_id}")
}

fn owner_key(owner_id: i64) -> String {
    format!("owner:{owner_id}")
}

/// What a plan gives its establishment record.
#[derive(sqlx::FromRow)]
struct PlanFacts {
    owner_id: i64,
    title: String,
    search_title: Option<String>,
    sector: Option<String>,
    legal_form: Option<String>,
    owner_governorate: Option<String>,
    owner_chamber_id: Option<i64>,
    owner_gender: Option<String>,
    owner_birth_date: Option<String>,
    jobs_fte_tenths: i64,
    jobs_women: i64,
    jobs_youth: i64,
}

/// Registers the project of `plan_id` (once; a later qualifying step only refreshes its
/// planned jobs). A record its owner got without a plan becomes this plan's.
pub async fn register_plan(tx: Tx<'_, '_>, plan_id: i64, source: EstablishmentSource, at: i64) -> Result<(), AppError> {
    let facts: Option<PlanFacts> = sqlx::query_as(
        "SELECT owner_id, title, search_title, sector, legal_form, owner_governorate, owner_chamber_id, \
         owner_gender, owner_birth_date, jobs_fte_tenths, jobs_women, jobs_youth \
         FROM plans WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(plan_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(facts) = facts else {
        return Ok(());
    };
    let key = plan_key(plan_id);
    let search_name = facts.search_title.unwrap_or_else(|| domain::search::fold(&facts.title));
    sqlx::query(
        "UPDATE establishments SET register_key = $1, plan_id = $2, name = $3, search_name = $4, updated_at = $5 \
         WHERE register_key = $6 AND NOT EXISTS (SELECT 1 FROM establishments x WHERE x.register_key = $1)",
    )
    .bind(&key)
    .bind(plan_id)
    .bind(&facts.title)
    .bind(&search_name)
    .bind(at)
    .bind(owner_key(facts.owner_id))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO establishments (register_key, owner_id, plan_id, source, name, search_name, sector, legal_form, \
         governorate, chamber_id, owner_gender, owner_birth_date, jobs_fte_tenths, jobs_women, jobs_youth, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
         ON CONFLICT (register_key) DO UPDATE SET sector = excluded.sector, legal_form = excluded.legal_form, \
         jobs_fte_tenths = excluded.jobs_fte_tenths, jobs_women = excluded.jobs_women, \
         jobs_youth = excluded.jobs_youth, updated_at = excluded.updated_at",
    )
    .bind(&key)
    .bind(facts.owner_id)
    .bind(plan_id)
    .bind(source.key())
    .bind(&facts.title)
    .bind(&search_name)
    .bind(facts.sector)
    .bind(facts.legal_form)
    .bind(facts.owner_governorate)
    .bind(facts.owner_chamber_id)
    .bind(facts.owner_gender)
    .bind(facts.owner_birth_date)
    .bind(facts.jobs_fte_tenths)
    .bind(facts.jobs_women)
    .bind(facts.jobs_youth)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Registers the project behind a completed request, when its service is one that makes an
/// establishment: the request's plan, or (no plan named) its owner, unless the owner
/// already has a record.
pub async fn register_request(tx: Tx<'_, '_>, request_id: i64, at: i64) -> Result<(), AppError> {
    let request: Option<(i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT r.user_id, r.plan_id, s.code FROM service_requests r JOIN services s ON s.id = r.service_id \
         WHERE r.id = $1",
    )
    .bind(request_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((owner_id, plan_id, code)) = request else {
        return Ok(());
    };
    let Some(source) = EstablishmentSource::of_service(&code) else {
        return Ok(());
    };
    if let Some(plan_id) = plan_id {
        return register_plan(tx, plan_id, source, at).await;
    }
    sqlx::query(
        "INSERT INTO establishments (register_key, owner_id, plan_id, source, name, search_name, governorate, \
         chamber_id, owner_gender, owner_birth_date, created_at, updated_at) \
         SELECT $1, u.id, NULL, $2, u.full_name, COALESCE(u.search_name, ''), u.governorate_code, u.chamber_id, \
         u.gender, u.birth_date, $3, $3 FROM users u \
         WHERE u.id = $4 AND NOT EXISTS (SELECT 1 FROM establishments e WHERE e.owner_id = $4)",
    )
    .bind(owner_key(owner_id))
    .bind(source.key())
    .bind(at)
    .bind(owner_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The register's filters, read and checked (`establishments::server`).
#[derive(Clone, Debug, Default)]
pub struct RegisterFilters {
    pub chamber: Option<i64>,
    /// A `LIKE` pattern of folded words (establishment's or owner's name).
    pub pattern: Option<String>,
    /// `Some(None)`: never visited; `Some(Some(true))`: operating at the latest visit.
    pub standing: Option<Option<bool>>,
    pub source: Option<&'static str>,
    /// Rows with a smaller id only (newest first).
    pub before: Option<i64>,
}

/// An establishment as lists show it.
#[derive(sqlx::FromRow)]
pub struct ListedRow {
    pub id: i64,
    pub name: String,
    pub owner_name: String,
    pub chamber_ar: Option<String>,
    pub chamber_en: Option<String>,
    pub sector: Option<String>,
    pub governorate_ar: Option<String>,
    pub governorate_en: Option<String>,
    pub source: String,
    pub created_at: i64,
    pub jobs_fte_tenths: i64,
    pub filled_women: Option<i64>,
    pub filled_men: Option<i64>,
    pub last_visited_on: Option<String>,
    pub operating: Option<i64>,
    pub owner_id: i64,
    pub plan_id: Option<i64>,
    pub legal_form: Option<String>,
    pub jobs_women: i64,
    pub jobs_youth: i64,
    pub chamber_number: Option<String>,
    pub company_number: Option<String>,
    pub tax_number: Option<String>,
    pub visits: i64,
}

const LISTED: &str = "SELECT e.id, e.name, u.full_name AS owner_name, c.name_ar AS chamber_ar, \
     c.name_en AS chamber_en, e.sector, g.name_ar AS governorate_ar, g.name_en AS governorate_en, e.source, \
     e.created_at, e.jobs_fte_tenths, e.filled_women, e.filled_men, e.last_visited_on, e.operating, \
     e.owner_id, e.plan_id, e.legal_form, e.jobs_women, e.jobs_youth, e.chamber_number, e.company_number, \
     e.tax_number, e.visits \
     FROM establishments e JOIN users u ON u.id = e.owner_id LEFT JOIN chambers c ON c.id = e.chamber_id \
     LEFT JOIN governorates g ON g.code = e.governorate";

/// The filters ($1–$5) over `e` and its owner `u`.
const FILTERS: &str = "($1 IS NULL OR e.chamber_id = $1) \
     AND ($2 IS NULL OR e.search_name LIKE $2 ESCAPE '\\' OR u.search_name LIKE $2 ESCAPE '\\') \
     AND ($3 = 0 OR ($3 = 1 AND e.operating IS NULL) OR ($3 = 2 AND e.operating = 1) OR ($3 = 3 AND e.operating = 0)) \
     AND ($4 IS NULL OR e.source = $4)";

type Query<'q, O> = sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>;

fn bind_filters<'q, O>(query: Query<'q, O>, f: &'q RegisterFilters) -> Query<'q, O> {
    let standing: i64 = match f.standing {
        None => 0,
        Some(None) => 1,
        Some(Some(true)) => 2,
        Some(Some(false)) => 3,
    };
    query
        .bind(f.chamber)
        .bind(f.pattern.as_deref())
        .bind(standing)
        .bind(f.source)
}

/// Up to `limit` establishments older than the cursor, newest first.
pub async fn list(pool: &Pool, f: &RegisterFilters, limit: u32) -> Result<Vec<ListedRow>, AppError> {
    let sql = format!("{LISTED} WHERE {FILTERS} AND ($5 IS NULL OR e.id < $5) ORDER BY e.id DESC LIMIT $6");
    Ok(bind_filters(sqlx::query_as(&sql), f)
        .bind(f.before)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?)
}

/// How many establishments match the filters (the cursor aside).
pub async fn count(pool: &Pool, f: &RegisterFilters) -> Result<i64, AppError> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM establishments e JOIN users u ON u.id = e.owner_id WHERE {FILTERS}"
    );
    let (total,): (i64,) = bind_filters(sqlx::query_as(&sql), f).fetch_one(pool).await?;
    Ok(total)
}

/// The chamber an establishment belongs to: `None` when there is no such establishment.
pub async fn chamber_of(pool: &Pool, id: i64) -> Result<Option<Option<i64>>, AppError> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT chamber_id FROM establishments WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(chamber,)| chamber))
}

/// One establishment, with the title of its plan (unless the plan was deleted).
pub async fn one(pool: &Pool, id: i64) -> Result<Option<(ListedRow, Option<String>)>, AppError> {
    let listed: Option<ListedRow> = sqlx::query_as(&format!("{LISTED} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let Some(listed) = listed else {
        return Ok(None);
    };
    let title: Option<(String,)> = sqlx::query_as("SELECT title FROM plans WHERE id = $1 AND deleted_at IS NULL")
        .bind(listed.plan_id)
        .fetch_optional(pool)
        .await?;
    Ok(Some((listed, title.map(|(t,)| t))))
}

/// A visit as the detail page lists it.
#[derive(sqlx::FromRow)]
pub struct VisitRow {
    pub visited_on: String,
    pub jobs_women: i64,
    pub jobs_men: i64,
    pub operating: i64,
    pub note: Option<String>,
    pub recorded_by: String,
}

/// Visits listed on the detail page (the latest ones).
pub const VISITS_SHOWN: i64 = 100;

pub async fn visits(pool: &Pool, id: i64) -> Result<Vec<VisitRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT v.visited_on, v.jobs_women, v.jobs_men, v.operating, v.note, u.full_name AS recorded_by \
         FROM establishment_visits v JOIN users u ON u.id = v.recorded_by \
         WHERE v.establishment_id = $1 ORDER BY v.visited_on DESC, v.id DESC LIMIT $2",
    )
    .bind(id)
    .bind(VISITS_SHOWN)
    .fetch_all(pool)
    .await?)
}

/// The name and numbers as staff typed them (already checked).
pub struct Details<'a> {
    pub name: &'a str,
    pub chamber_number: Option<&'a str>,
    pub company_number: Option<&'a str>,
    pub tax_number: Option<&'a str>,
}

pub async fn save_details(tx: Tx<'_, '_>, id: i64, details: Details<'_>, at: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE establishments SET name = $1, search_name = $2, chamber_number = $3, company_number = $4, \
         tax_number = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(details.name)
    .bind(domain::search::fold(details.name))
    .bind(details.chamber_number)
    .bind(details.company_number)
    .bind(details.tax_number)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds a visit and keeps the latest one's answers on the establishment (a visit typed
/// late, dated before the latest, leaves them as they are).
pub async fn insert_visit(tx: Tx<'_, '_>, id: i64, visit: &Visit, by: i64, at: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO establishment_visits (establishment_id, visited_on, jobs_women, jobs_men, operating, note, \
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(visit.visited_on.iso())
    .bind(visit.jobs_women)
    .bind(visit.jobs_men)
    .bind(i64::from(visit.operating))
    .bind(visit.note.as_deref())
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    latest_visit(tx, id, at).await
}

/// Copies the latest visit's answers onto the establishment.
async fn latest_visit(tx: Tx<'_, '_>, id: i64, at: i64) -> Result<(), AppError> {
    let latest: Option<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT visited_on, jobs_women, jobs_men, operating FROM establishment_visits \
         WHERE establishment_id = $1 ORDER BY visited_on DESC, id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let (count,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM establishment_visits WHERE establishment_id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let (day, women, men, operating) = match latest {
        Some((day, women, men, operating)) => (Some(day), Some(women), Some(men), Some(operating)),
        None => (None, None, None, None),
    };
    sqlx::query(
        "UPDATE establishments SET visits = $1, last_visited_on = $2, filled_women = $3, filled_men = $4, \
         operating = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(count)
    .bind(day)
    .bind(women)
    .bind(men)
    .bind(operating)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Registers, in a few statements, every project that qualifies and has no record yet:
/// plans operating, then plans and people with a completed chamber-membership or
/// company-registration request (what the steps above do one at a time), in id order so
/// the same data gets the same record ids on either database. For data written in bulk
/// (the demo).
pub async fn register_qualifying(tx: Tx<'_, '_>) -> Result<u64, AppError> {
    let from_plan = "INSERT INTO establishments (register_key, owner_id, plan_id, source, name, search_name, sector, \
         legal_form, governorate, chamber_id, owner_gender, owner_birth_date, jobs_fte_tenths, jobs_women, jobs_youth, \
         created_at, updated_at) \
         SELECT 'plan:' || CAST(p.id AS TEXT), p.owner_id, p.id, SOURCE, p.title, COALESCE(p.search_title, ''), p.sector, \
         p.legal_form, p.owner_governorate, p.owner_chamber_id, p.owner_gender, p.owner_birth_date, p.jobs_fte_tenths, \
         p.jobs_women, p.jobs_youth, AT, AT FROM plans p JOIN_DONE \
         WHERE p.deleted_at IS NULL CONDITION \
         AND NOT EXISTS (SELECT 1 FROM establishments x WHERE x.register_key = 'plan:' || CAST(p.id AS TEXT)) \
         ORDER BY p.id";
    let done = "(SELECT r.plan_id, MIN(s.code) AS code, MIN(r.completed_at) AS at FROM service_requests r \
         JOIN services s ON s.id = r.service_id WHERE r.status = 'completed' AND r.plan_id IS NOT NULL \
         AND s.code IN ('chamber_membership', 'company_registration') GROUP BY r.plan_id) done";
    let operating = from_plan
        .replace("SOURCE", "'operating'")
        .replace("AT, AT", "p.status_since, p.status_since")
        .replace("JOIN_DONE", "")
        .replace("CONDITION", "AND p.status = 'operating'");
    let requested = from_plan
        .replace("SOURCE", "done.code")
        .replace("AT, AT", "done.at, done.at")
        .replace("JOIN_DONE", &format!("JOIN {done} ON done.plan_id = p.id"))
        .replace("CONDITION", "");
    let people =
        "INSERT INTO establishments (register_key, owner_id, plan_id, source, name, search_name, governorate, \
         chamber_id, owner_gender, owner_birth_date, created_at, updated_at) \
         SELECT 'owner:' || CAST(u.id AS TEXT), u.id, NULL, done.code, u.full_name, COALESCE(u.search_name, ''), \
         u.governorate_code, u.chamber_id, u.gender, u.birth_date, done.at, done.at FROM users u \
         JOIN (SELECT r.user_id, MIN(s.code) AS code, MIN(r.completed_at) AS at FROM service_requests r \
         JOIN services s ON s.id = r.service_id WHERE r.status = 'completed' AND r.plan_id IS NULL \
         AND s.code IN ('chamber_membership', 'company_registration') GROUP BY r.user_id) done ON done.user_id = u.id \
         WHERE NOT EXISTS (SELECT 1 FROM establishments e WHERE e.owner_id = u.id) ORDER BY u.id";
    let mut made = 0;
    for sql in [operating.as_str(), requested.as_str(), people] {
        made += sqlx::query(sql).execute(&mut **tx).await?.rows_affected();
    }
    Ok(made)
}

/// Copies every establishment's latest visit onto it in one statement (after visits were
/// written in bulk).
pub async fn refresh_visit_summaries(tx: Tx<'_, '_>) -> Result<(), AppError> {
    let latest = |column: &str| {
        format!(
            "(SELECT v.{column} FROM establishment_visits v WHERE v.establishment_id = establishments.id \
             ORDER BY v.visited_on DESC, v.id DESC LIMIT 1)"
        )
    };
    let sql = format!(
        "UPDATE establishments SET \
         visits = (SELECT COUNT(*) FROM establishment_visits v WHERE v.establishment_id = establishments.id), \
         last_visited_on = {}, filled_women = {}, filled_men = {}, operating = {} \
         WHERE EXISTS (SELECT 1 FROM establishment_visits v WHERE v.establishment_id = establishments.id)",
        latest("visited_on"),
        latest("jobs_women"),
        latest("jobs_men"),
        latest("operating")
    );
    sqlx::query(&sql).execute(&mut **tx).await?;
    Ok(())
}

/// Establishments without a visit, oldest first: (id, chamber, registered at, planned FTE
/// tenths, planned women). For the demo's visits.
pub async fn unvisited(tx: Tx<'_, '_>) -> Result<Vec<(i64, Option<i64>, i64, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, chamber_id, created_at, jobs_fte_tenths, jobs_women FROM establishments WHERE visits = 0 ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await?)
}
