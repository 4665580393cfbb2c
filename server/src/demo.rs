//! `riyada seed-demo`: a lived-in portal for demonstrations, newcomers and benchmarks.
//! Synthetic people across the chambers (both genders, every age group), plans in every
//! state with their revisions, events and stays over the last two years, advisors' scores,
//! documents' metadata (no files) and service requests in every state, plus demo staff for
//! each role whose passwords are printed once. The same seed on an empty database gives the
//! same data (times count back from the day it runs). Rows go in by multi-row INSERTs with
//! their ids chosen here, in one transaction per few thousand people.
use app::db::{Backend, Pool};
use app::error::AppError;
use app::services::ServiceInfo;
use app::staff::StaffInput;
use domain::plan::financials::{
    Currency, Funding, IdeaFacts, Loan, PlanFinancials, Position, Product, StartupCategory, StartupItem, LEGAL_FORMS,
};
use domain::plan::status::PlanStatus;
use domain::review::rubric::Recommendation;
use domain::roles::Role;
use domain::stats::{FunnelStage, PlanFacts};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;
/// People written per transaction.
const CHUNK: u32 = 5_000;

#[derive(Deserialize)]
struct Names {
    women: Vec<String>,
    men: Vec<String>,
    fathers: Vec<String>,
    families: Vec<String>,
    sectors: BTreeMap<String, SectorNames>,
}

#[derive(Deserialize)]
struct SectorNames {
    titles: Vec<String>,
    jobs: Vec<String>,
}

/// What was written, for the closing lines.
#[derive(Debug, Default)]
pub struct DemoReport {
    pub entrepreneurs: u64,
    pub plans: u64,
    pub events: u64,
    pub documents: u64,
    pub requests: u64,
    pub establishments: u64,
    pub visits: u64,
    /// (role, e-mail, chamber code, password) of the accounts made now.
    pub staff: Vec<(Role, String, String, String)>,
}

pub struct DemoSettings {
    pub entrepreneurs: u32,
    pub seed: u64,
    /// Chamber codes to fill (empty: all).
    pub chambers: Vec<String>,
    /// Also make demo staff accounts (their passwords are printed).
    pub staff: bool,
}

/// A value of a multi-row INSERT.
#[derive(Clone, Debug)]
enum V {
    I(Option<i64>),
    T(Option<String>),
}

fn i(v: i64) -> V {
    V::I(Some(v))
}
fn t(v: impl Into<String>) -> V {
    V::T(Some(v.into()))
}
fn oi(v: Option<i64>) -> V {
    V::I(v)
}

/// Rows of one table waiting to be written in one statement.
struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<V>>,
}

impl Batch {
    fn new(table: &'static str, columns: &'static [&'static str]) -> Batch {
        Batch {
            table,
            columns,
            rows: Vec::new(),
        }
    }

    /// Rows per statement, under both databases' limit on bound values.
    fn capacity(&self) -> usize {
        (30_000 / self.columns.len()).min(1_000)
    }

    /// Adds a row; `Batches::flush_full` writes it (parents first, for the foreign keys).
    fn push(&mut self, row: Vec<V>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    fn full(&self) -> bool {
        self.rows.len() >= self.capacity()
    }

    async fn flush(&mut self, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let width = self.columns.len();
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", self.table, self.columns.join(", "));
        for (r, _) in self.rows.iter().enumerate() {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..width {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", r * width + c + 1));
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for row in self.rows.drain(..) {
            for value in row {
                query = match value {
                    V::I(v) => query.bind(v),
                    V::T(v) => query.bind(v),
                };
            }
        }
        query.execute(&mut **tx).await?;
        Ok(())
    }
}

/// Every table the demo writes, with its columns.
struct Batches {
    users: Batch,
    plans: Batch,
    sections: Batch,
    positions: Batch,
    revisions: Batch,
    events: Batch,
    stints: Batch,
    scores: Batch,
    documents: Batch,
    requests: Batch,
}

impl Batches {
    fn new() -> Batches {
        Batches {
            users: Batch::new(
                "users",
                &[
                    "id",
                    "role",
                    "full_name",
                    "phone",
                    "password_hash",
                    "gender",
                    "birth_date",
                    "governorate_code",
                    "chamber_id",
                    "locale",
                    "created_at",
                    "updated_at",
                    "search_name",
                ],
            ),
            plans: Batch::new(
                "plans",
                &[
                    "id",
                    "owner_id",
                    "title",
                    "currency",
                    "status",
                    "revision",
                    "created_at",
                    "updated_at",
                    "data",
                    "assigned_to",
                    "status_since",
                    "first_submitted_at",
                    "sector",
                    "search_title",
                    "review_score",
                    "legal_form",
                    "jobs_fte_tenths",
                    "jobs_women",
                    "jobs_youth",
                    "startup_capital",
                    "fund_own",
                    "fund_family",
                    "fund_grant",
                    "fund_loan",
                    "facts_version",
                    "funnel_stage",
                    "approved_at",
                    "decided_at",
                    "owner_chamber_id",
                    "owner_governorate",
                    "owner_gender",
                    "owner_birth_date",
                    "start_month",
                ],
            ),
            sections: Batch::new("plan_sections", &["plan_id", "section", "body", "updated_at"]),
            positions: Batch::new(
                "plan_positions",
                &[
                    "plan_id",
                    "position",
                    "title",
                    "folded_title",
                    "count",
                    "full_time",
                    "women",
                    "youth",
                    "monthly_wage",
                ],
            ),
            revisions: Batch::new(
                "plan_revisions",
                &["plan_id", "number", "data", "sections", "submitted_at"],
            ),
            events: Batch::new(
                "plan_events",
                &[
                    "id",
                    "plan_id",
                    "actor_id",
                    "action",
                    "from_status",
                    "to_status",
                    "message",
                    "revision",
                    "at",
                ],
            ),
            stints: Batch::new(
                "plan_stints",
                &["id", "plan_id", "status", "started_at", "ended_at", "days"],
            ),
            scores: Batch::new(
                "plan_scores",
                &[
                    "id",
                    "plan_id",
                    "revision",
                    "advisor_id",
                    "rubric_version",
                    "recommendation",
                    "total",
                    "scored_at",
                ],
            ),
            documents: Batch::new(
                "documents",
                &[
                    "id",
                    "owner_id",
                    "doc_type",
                    "display_name",
                    "kind",
                    "size_bytes",
                    "sha256",
                    "storage_key",
                    "status",
                    "reviewed_at",
                    "created_at",
                    "owner_chamber_id",
                ],
            ),
            requests: Batch::new(
                "service_requests",
                &[
                    "id",
                    "user_id",
                    "service_id",
                    "plan_id",
                    "chamber_id",
                    "status",
                    "step",
                    "steps_json",
                    "created_at",
                    "updated_at",
                    "step_started_at",
                    "completed_at",
                    "working_days",
                ],
            ),
        }
    }

    /// Writes everything once any table has a full statement's worth.
    async fn flush_full(&mut self, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
        let full = [
            &self.users,
            &self.plans,
            &self.sections,
            &self.positions,
            &self.revisions,
            &self.events,
            &self.stints,
            &self.scores,
            &self.documents,
            &self.requests,
        ]
        .iter()
        .any(|b| b.full());
        if full {
            self.flush(tx).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
        // Parents before children.
        for batch in [
            &mut self.users,
            &mut self.plans,
            &mut self.sections,
            &mut self.positions,
            &mut self.revisions,
            &mut self.events,
            &mut self.stints,
            &mut self.scores,
            &mut self.documents,
            &mut self.requests,
        ] {
            batch.flush(tx).await?;
        }
        Ok(())
    }
}

/// The next free id of each table the demo gives ids to.
#[derive(Default)]
struct Ids {
    user: i64,
    plan: i64,
    event: i64,
    stint: i64,
    score: i64,
    document: i64,
    request: i64,
}

async fn next_id(pool: &Pool, table: &str) -> Result<i64, sqlx::Error> {
    let (max,): (Option<i64>,) = sqlx::query_as(&format!("SELECT CAST(MAX(id) AS BIGINT) FROM {table}"))
        .fetch_one(pool)
        .await?;
    Ok(max.unwrap_or(0) + 1)
}

struct Chamber {
    id: i64,
    code: String,
    governorate: String,
    gaza: bool,
}

/// The path a plan took to its state: the states it passed through, in order.
fn path_to(status: PlanStatus, rng: &mut StdRng) -> Vec<PlanStatus> {
    use PlanStatus as S;
    let mut path = vec![S::Draft];
    if status == S::Draft {
        return path;
    }
    if status == S::Withdrawn {
        path.extend([S::Submitted, S::Withdrawn]);
        return path;
    }
    path.push(S::Submitted);
    if status == S::Submitted {
        return path;
    }
    path.push(S::InReview);
    // A third of the plans that went further had one round of changes.
    let further = !matches!(status, S::InReview | S::ChangesRequested);
    if further && rng.gen_ratio(1, 3) {
        path.extend([S::ChangesRequested, S::InReview]);
    }
    match status {
        S::InReview => {}
        S::ChangesRequested => path.push(S::ChangesRequested),
        S::Rejected => path.push(S::Rejected),
        _ => {
            path.push(S::Approved);
            for next in [S::Referred, S::Funded, S::Operating] {
                if path.last() == Some(&status) {
                    break;
                }
                path.push(next);
            }
        }
    }
    path
}

fn action_into(from: PlanStatus, to: PlanStatus) -> &'static str {
    use PlanStatus as S;
    match (from, to) {
        (_, S::Submitted) => "submit",
        (S::ChangesRequested, S::InReview) => "submit",
        (_, S::InReview) => "assign",
        (_, S::ChangesRequested) => "request_changes",
        (_, S::Approved) => "approve",
        (_, S::Rejected) => "reject",
        (_, S::Referred) => "refer",
        (_, S::Funded) => "mark_funded",
        (_, S::Operating) => "mark_operating",
        (_, S::Withdrawn) => "withdraw",
        _ => "submit",
    }
}

/// A plan's tables: a few start-up items, funding that covers them, one or two products and
/// the positions of its sector.
fn plan_document(
    rng: &mut StdRng,
    currency: Currency,
    sector: &str,
    names: &SectorNames,
    start_month: String,
) -> PlanFinancials {
    let unit = currency.minor_per_major();
    let mut plan = PlanFinancials::empty(currency);
    let equipment = rng.gen_range(2_000..40_000) * unit;
    let stock = rng.gen_range(500..8_000) * unit;
    let working = rng.gen_range(1_000..10_000) * unit;
    plan.startup_items = vec![
        StartupItem {
            name: "equipment".into(),
            category: StartupCategory::Equipment,
            quantity: 1,
            unit_price: equipment,
            useful_life_years: 5,
        },
        StartupItem {
            name: "stock".into(),
            category: StartupCategory::Stock,
            quantity: 1,
            unit_price: stock,
            useful_life_years: 1,
        },
        StartupItem {
            name: "working capital".into(),
            category: StartupCategory::WorkingCapital,
            quantity: 1,
            unit_price: working,
            useful_life_years: 1,
        },
    ];
    let total = equipment + stock + working;
    let own = total * rng.gen_range(10..40) / 100;
    let family = if rng.gen_bool(0.4) {
        total * rng.gen_range(5..15) / 100
    } else {
        0
    };
    let loan = if rng.gen_bool(0.35) {
        total * rng.gen_range(10..30) / 100
    } else {
        0
    };
    plan.funding = Funding {
        own,
        family,
        grant: (total - own - family - loan).max(0),
        loan: (loan > 0).then_some(Loan {
            amount: loan,
            annual_rate_bp: 600,
            term_months: 36,
            grace_months: 3,
        }),
    };
    let price = rng.gen_range(5..200) * unit;
    plan.products = vec![Product {
        name: "product".into(),
        unit: String::new(),
        price,
        unit_cost: price * rng.gen_range(30..70) / 100,
        monthly_qty: (0..12).map(|m| rng.gen_range(20..60) + m * 3).collect(),
    }];
    let kinds = rng.gen_range(1..=3usize).min(names.jobs.len());
    plan.positions = names
        .jobs
        .choose_multiple(rng, kinds)
        .map(|title| {
            let count = rng.gen_range(1..=4);
            let women = rng.gen_range(0..=count);
            Position {
                title: title.clone(),
                count,
                monthly_wage: rng.gen_range(1_200..3_500) * unit,
                full_time: rng.gen_bool(0.75),
                women,
                men: count - women,
                youth: rng.gen_range(0..=count),
            }
        })
        .collect();
    plan.idea = Some(IdeaFacts {
        legal_form: LEGAL_FORMS[rng.gen_range(0..LEGAL_FORMS.len())].to_string(),
        sector: sector.to_string(),
        location: String::new(),
        start_month,
        registered: rng.gen_bool(0.3),
    });
    plan
}

/// A state for a new plan, weighted like a programme in its second year.
fn pick_status(rng: &mut StdRng) -> PlanStatus {
    use PlanStatus as S;
    let weighted = [
        (S::Draft, 24),
        (S::Submitted, 8),
        (S::InReview, 12),
        (S::ChangesRequested, 7),
        (S::Approved, 10),
        (S::Rejected, 8),
        (S::Referred, 8),
        (S::Funded, 10),
        (S::Operating, 11),
        (S::Withdrawn, 2),
    ];
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total);
    for (status, weight) in weighted {
        if roll < weight {
            return status;
        }
        roll -= weight;
    }
    S::Draft
}

pub async fn seed_demo(pool: &Pool, backend: Backend, settings: &DemoSettings) -> Result<DemoReport, String> {
    let fail = |what: &'static str| move |e: sqlx::Error| format!("{what}: {e}");
    let names: Names = serde_json::from_str(include_str!("../demo/people.json")).map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(settings.seed);
    let today = app::db::today().unix_midnight();
    let mut report = DemoReport::default();

    let chamber_rows: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
        "SELECT c.id, c.code, c.governorate_code, COALESCE(g.region, '') FROM chambers c \
         LEFT JOIN governorates g ON g.code = c.governorate_code ORDER BY c.sort_order, c.id",
    )
    .fetch_all(pool)
    .await
    .map_err(fail("reading the chambers"))?;
    let chambers: Vec<Chamber> = chamber_rows
        .into_iter()
        .filter(|(_, code, _, _)| settings.chambers.is_empty() || settings.chambers.contains(code))
        .filter_map(|(id, code, governorate, region)| {
            governorate.map(|governorate| Chamber {
                id,
                code,
                governorate,
                gaza: region == "gaza",
            })
        })
        .collect();
    if chambers.is_empty() {
        return Err("no chamber matches --chambers".into());
    }

    if settings.staff {
        report.staff = demo_staff(pool, &chambers, &mut rng).await?;
    }
    // Advisors of each chamber (the demo's and any others), to assign and score plans.
    let advisors: Vec<(i64, Option<i64>)> = sqlx::query_as("SELECT id, chamber_id FROM users WHERE role = $1")
        .bind(Role::Advisor.key())
        .fetch_all(pool)
        .await
        .map_err(fail("reading the advisors"))?;
    let services = app::services::store::services(pool, false)
        .await
        .map_err(|e| format!("reading the services: {e}"))?;
    let service_steps: Vec<(i64, String, usize)> = services
        .iter()
        .filter_map(|s: &ServiceInfo| {
            app::services::store::steps_json(&s.steps)
                .ok()
                .map(|json| (s.id, json, s.steps.len()))
        })
        .collect();
    let rubric_version: Option<(i64,)> = sqlx::query_as("SELECT CAST(MAX(version) AS BIGINT) FROM rubric_versions")
        .fetch_optional(pool)
        .await
        .map_err(fail("reading the rubric"))?;
    let rubric_version = rubric_version.map(|(v,)| v);
    // Nobody signs in as a demo entrepreneur: one hash of a random password for all.
    let unknown: String = (0..24)
        .map(|_| rng.sample(rand::distributions::Alphanumeric) as char)
        .collect();
    let password_hash = app::auth::password::hash(unknown)
        .await
        .map_err(|e| format!("hashing: {e}"))?;

    let mut ids = Ids {
        user: next_id(pool, "users").await.map_err(fail("reading ids"))?,
        plan: next_id(pool, "plans").await.map_err(fail("reading ids"))?,
        event: next_id(pool, "plan_events").await.map_err(fail("reading ids"))?,
        stint: next_id(pool, "plan_stints").await.map_err(fail("reading ids"))?,
        score: next_id(pool, "plan_scores").await.map_err(fail("reading ids"))?,
        document: next_id(pool, "documents").await.map_err(fail("reading ids"))?,
        request: next_id(pool, "service_requests").await.map_err(fail("reading ids"))?,
    };
    let sectors: Vec<(&String, &SectorNames)> = names.sectors.iter().collect();
    let mut done = 0u32;
    while done < settings.entrepreneurs {
        let chunk = CHUNK.min(settings.entrepreneurs - done);
        let mut tx = app::db::begin(pool).await.map_err(fail("starting a transaction"))?;
        let mut b = Batches::new();
        for _ in 0..chunk {
            let person = Person::draw(&mut rng, &names, &chambers, today);
            let user_id = ids.user;
            ids.user += 1;
            b.users.push(vec![
                i(user_id),
                t(Role::Entrepreneur.key()),
                t(person.name.clone()),
                t(format!("056{:07}", user_id % 10_000_000)),
                t(password_hash.clone()),
                t(if person.woman { "female" } else { "male" }),
                t(person.born.clone()),
                t(person.chamber.governorate.clone()),
                i(person.chamber.id),
                t("ar"),
                i(person.registered),
                i(person.registered),
                t(domain::search::fold(&person.name)),
            ]);
            report.entrepreneurs += 1;
            let chamber_advisors: Vec<i64> = advisors
                .iter()
                .filter(|(_, c)| *c == Some(person.chamber.id))
                .map(|(id, _)| *id)
                .collect();
            // Most people write one plan, some two, some none yet.
            let plans = match rng.gen_range(0..100) {
                0..=14 => 0,
                15..=84 => 1,
                _ => 2,
            };
            let mut first_plan = None;
            for _ in 0..plans {
                let (sector, sector_names) = sectors[rng.gen_range(0..sectors.len())];
                let plan_id = write_plan(
                    &mut b,
                    &mut ids,
                    &mut rng,
                    PlanDraw {
                        owner: user_id,
                        person: &person,
                        registered: person.registered,
                        today,
                        sector,
                        names: sector_names,
                        advisors: &chamber_advisors,
                        rubric_version,
                        gaza: person.chamber.gaza,
                    },
                    &mut report,
                );
                first_plan.get_or_insert(plan_id);
            }
            // Documents of people with a plan: an identity card and one or two more.
            if first_plan.is_some() {
                for (n, doc_type) in ["id_copy", "personal_photo", "lease_contract"]
                    .into_iter()
                    .take(rng.gen_range(1..=3))
                    .enumerate()
                {
                    let status = match rng.gen_range(0..10) {
                        0..=3 => "uploaded",
                        4..=8 => "verified",
                        _ => "rejected",
                    };
                    let at = person.registered + rng.gen_range(1..60) * DAY;
                    let id = ids.document;
                    ids.document += 1;
                    b.documents.push(vec![
                        i(id),
                        i(user_id),
                        t(doc_type),
                        t(format!("{doc_type}-{n}.pdf")),
                        t("pdf"),
                        i(rng.gen_range(80_000..2_000_000)),
                        t(format!("{:064x}", id)),
                        t(format!("demo/{id}")),
                        t(status),
                        oi((status != "uploaded").then_some(at + DAY)),
                        i(at),
                        i(person.chamber.id),
                    ]);
                    report.documents += 1;
                }
            }
            // A third ask for a service.
            if !service_steps.is_empty() && rng.gen_ratio(1, 3) {
                let (service, steps_json, steps) = &service_steps[rng.gen_range(0..service_steps.len())];
                let created = (person.registered + rng.gen_range(1..200) * DAY).min(today - DAY);
                let status = [
                    "requested",
                    "documents_pending",
                    "in_progress",
                    "completed",
                    "completed",
                    "cancelled",
                ][rng.gen_range(0..6)];
                let completed = (status == "completed").then(|| created + rng.gen_range(3..40) * DAY);
                let step = match status {
                    "in_progress" => rng.gen_range(1..=(*steps).max(1)) as i64,
                    "completed" => *steps as i64,
                    _ => 0,
                };
                let id = ids.request;
                ids.request += 1;
                b.requests.push(vec![
                    i(id),
                    i(user_id),
                    i(*service),
                    oi(first_plan),
                    i(person.chamber.id),
                    t(status),
                    i(step),
                    t(steps_json.clone()),
                    i(created),
                    i(completed.unwrap_or(created)),
                    oi((step > 0).then_some(created)),
                    oi(completed),
                    // Roughly five working days a week.
                    oi(completed.map(|c| (c - created) / DAY * 5 / 7)),
                ]);
                report.requests += 1;
            }
            b.flush_full(&mut tx).await.map_err(fail("writing"))?;
        }
        b.flush(&mut tx).await.map_err(fail("writing"))?;
        tx.commit().await.map_err(fail("committing"))?;
        done += chunk;
    }
    (report.establishments, report.visits) = demo_establishments(pool, &advisors, &mut rng, today).await?;
    // The planner's statistics, so the first queries over the new rows take the indexes; on
    // PostgreSQL also the visibility map, without which a covering index still reads the
    // table (autovacuum would do both later, after the first slow dashboards).
    let analyse = match backend {
        Backend::Sqlite => "ANALYZE",
        Backend::Postgres => "VACUUM ANALYZE",
    };
    sqlx::query(analyse).execute(pool).await.map_err(fail("analysing"))?;
    if backend == Backend::Postgres {
        // Ids were chosen here: move each identity past them.
        for table in [
            "users",
            "plans",
            "plan_events",
            "plan_stints",
            "plan_scores",
            "documents",
            "service_requests",
        ] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
            );
            sqlx::query(&sql)
                .execute(pool)
                .await
                .map_err(fail("moving the id sequences"))?;
        }
    }
    Ok(report)
}

/// The establishments register over what was just written (as the steps would have made
/// it), and follow-up visits for most of them: one to three, the latest one telling the
/// jobs filled (near what was planned) and, for about one in eight, that it closed.
/// Returns (establishments made, visits written).
async fn demo_establishments(
    pool: &Pool,
    advisors: &[(i64, Option<i64>)],
    rng: &mut StdRng,
    today: i64,
) -> Result<(u64, u64), String> {
    let fail = |what: &'static str| move |e: AppError| format!("{what}: {e:?}");
    let mut tx = app::db::begin(pool)
        .await
        .map_err(|e| format!("starting a transaction: {e}"))?;
    let made = app::establishments::store::register_qualifying(&mut tx)
        .await
        .map_err(fail("registering establishments"))?;
    let unvisited = app::establishments::store::unvisited(&mut tx)
        .await
        .map_err(fail("reading establishments"))?;
    let mut visits = Batch::new(
        "establishment_visits",
        &[
            "establishment_id",
            "visited_on",
            "jobs_women",
            "jobs_men",
            "operating",
            "note",
            "recorded_by",
            "recorded_at",
        ],
    );
    // Visits are recorded by the chamber's advisors, or by the Fund where a chamber has none
    // (demo data seeded without staff).
    let fund: Vec<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE role = $1 ORDER BY id")
        .bind(Role::FundAdmin.key())
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| format!("reading the Fund's accounts: {e}"))?;
    let fund: Vec<i64> = fund.into_iter().map(|(id,)| id).collect();
    let mut written = 0;
    for (id, chamber, registered, fte_tenths, planned_women) in unvisited {
        let mut staff: Vec<i64> = advisors
            .iter()
            .filter(|(_, c)| *c == chamber)
            .map(|(a, _)| *a)
            .collect();
        if staff.is_empty() {
            staff.clone_from(&fund);
        }
        if staff.is_empty() || rng.gen_ratio(3, 10) {
            continue;
        }
        let mut day = registered;
        let planned = (fte_tenths / 10).max(1);
        for n in 0..rng.gen_range(1..=3) {
            day += rng.gen_range(30..150) * DAY;
            if day >= today {
                break;
            }
            let closed = n > 0 && rng.gen_ratio(1, 8);
            let filled = if closed {
                0
            } else {
                (planned * rng.gen_range(5..=13) / 10).max(1)
            };
            let women = if closed || planned == 0 {
                0
            } else {
                (filled * planned_women / planned).min(filled)
            };
            visits.push(vec![
                i(id),
                t(domain::validation::Date::from_unix(day).iso()),
                i(women),
                i(filled - women),
                i(i64::from(!closed)),
                V::T(None),
                i(staff[rng.gen_range(0..staff.len())]),
                i(day + 3_600),
            ]);
            written += 1;
            if visits.full() {
                visits
                    .flush(&mut tx)
                    .await
                    .map_err(|e| format!("writing visits: {e}"))?;
            }
            if closed {
                break;
            }
        }
    }
    visits
        .flush(&mut tx)
        .await
        .map_err(|e| format!("writing visits: {e}"))?;
    app::establishments::store::refresh_visit_summaries(&mut tx)
        .await
        .map_err(fail("summing up visits"))?;
    tx.commit().await.map_err(|e| format!("committing: {e}"))?;
    Ok((made, written))
}

struct Person<'a> {
    name: String,
    woman: bool,
    born: String,
    chamber: &'a Chamber,
    registered: i64,
}

impl<'a> Person<'a> {
    fn draw(rng: &mut StdRng, names: &Names, chambers: &'a [Chamber], today: i64) -> Person<'a> {
        let woman = rng.gen_bool(0.45);
        let first = if woman { &names.women } else { &names.men };
        let name = format!(
            "{} {} {}",
            first[rng.gen_range(0..first.len())],
            names.fathers[rng.gen_range(0..names.fathers.len())],
            names.families[rng.gen_range(0..names.families.len())]
        );
        // Ages 18 to 60, younger people more often.
        let age = 18 + (rng.gen_range(0..43) * rng.gen_range(0..43)) / 42;
        let born = domain::validation::Date::from_unix(today - age * 365 * DAY - rng.gen_range(0..365) * DAY).iso();
        Person {
            name,
            woman,
            born,
            chamber: &chambers[rng.gen_range(0..chambers.len())],
            registered: today - rng.gen_range(30..730) * DAY,
        }
    }
}

struct PlanDraw<'a> {
    owner: i64,
    person: &'a Person<'a>,
    registered: i64,
    today: i64,
    sector: &'a str,
    names: &'a SectorNames,
    advisors: &'a [i64],
    rubric_version: Option<i64>,
    gaza: bool,
}

fn write_plan(b: &mut Batches, ids: &mut Ids, rng: &mut StdRng, draw: PlanDraw<'_>, report: &mut DemoReport) -> i64 {
    let status = pick_status(rng);
    let path = path_to(status, rng);
    let currency = if draw.gaza || rng.gen_bool(0.7) {
        Currency::ILS
    } else if rng.gen_bool(0.5) {
        Currency::USD
    } else {
        Currency::JOD
    };
    // Times: created after registration, each step some days after the one before, never
    // later than yesterday.
    let created = draw.registered + rng.gen_range(0..20) * DAY + rng.gen_range(0..DAY);
    let mut times = vec![created];
    for _ in 1..path.len() {
        let last = *times.last().unwrap_or(&created);
        times.push(last + rng.gen_range(1..25) * DAY + rng.gen_range(0..DAY));
    }
    let overshoot = times.last().copied().unwrap_or(created) - (draw.today - DAY);
    if overshoot > 0 {
        for time in times.iter_mut() {
            *time = (*time - overshoot).max(created - overshoot);
        }
    }
    let start_month = domain::validation::Date::from_unix(times[0] + 90 * DAY);
    let document = plan_document(
        rng,
        currency,
        draw.sector,
        draw.names,
        format!("{:04}-{:02}", start_month.year, start_month.month),
    );
    let facts = PlanFacts::of(&document);
    let json = serde_json::to_string(&document).unwrap_or_default();
    let title = draw.names.titles[rng.gen_range(0..draw.names.titles.len())].clone();
    let plan_id = ids.plan;
    ids.plan += 1;
    let reached = |s: PlanStatus| path.iter().position(|p| *p == s).map(|n| times[n]);
    let first_submitted = reached(PlanStatus::Submitted);
    let approved = reached(PlanStatus::Approved);
    let decided = approved.or(reached(PlanStatus::Rejected));
    let stage = path
        .iter()
        .filter_map(|s| FunnelStage::entered_by(*s))
        .map(FunnelStage::rank)
        .max()
        .unwrap_or(0);
    let advisor = (!draw.advisors.is_empty() && path.contains(&PlanStatus::InReview))
        .then(|| draw.advisors[rng.gen_range(0..draw.advisors.len())]);
    let score = (advisor.is_some() && draw.rubric_version.is_some() && decided.is_some())
        .then(|| rng.gen_range(3_000..9_500i64));
    let submissions = path.iter().filter(|s| **s == PlanStatus::Submitted).count()
        + path
            .windows(2)
            .filter(|w| w[0] == PlanStatus::ChangesRequested && w[1] == PlanStatus::InReview)
            .count();
    let last = *times.last().unwrap_or(&created);
    b.plans.push(vec![
        i(plan_id),
        i(draw.owner),
        t(title.clone()),
        t(currency.key()),
        t(status.key()),
        i(path.len() as i64),
        i(created),
        i(last),
        t(json.clone()),
        oi(advisor.filter(|_| status == PlanStatus::InReview)),
        i(last),
        oi(first_submitted),
        V::T(facts.sector.clone()),
        t(domain::search::fold(&title)),
        oi(score),
        V::T(facts.legal_form.clone()),
        i(facts.jobs_fte_tenths),
        i(facts.jobs_women),
        i(facts.jobs_youth),
        i(facts.startup_capital),
        i(facts.fund_own),
        i(facts.fund_family),
        i(facts.fund_grant),
        i(facts.fund_loan),
        i(app::plan::store::FACTS_VERSION),
        i(stage),
        oi(approved),
        oi(decided),
        i(draw.person.chamber.id),
        t(draw.person.chamber.governorate.clone()),
        t(if draw.person.woman { "female" } else { "male" }),
        t(draw.person.born.clone()),
        V::T(facts.start_month.clone()),
    ]);
    report.plans += 1;
    b.sections
        .push(vec![i(plan_id), t("summary"), t(title.clone()), i(created)]);
    for (n, p) in document.positions.iter().enumerate() {
        b.positions.push(vec![
            i(plan_id),
            i(n as i64),
            t(p.title.clone()),
            t(domain::search::fold(&p.title)),
            i(p.count),
            i(i64::from(p.full_time)),
            i(p.women),
            i(p.youth),
            i(p.monthly_wage),
        ]);
    }
    for number in 1..=submissions as i64 {
        b.revisions.push(vec![
            i(plan_id),
            i(number),
            t(json.clone()),
            t(format!(
                "[[\"summary\",{}]]",
                serde_json::to_string(&title).unwrap_or_default()
            )),
            i(first_submitted.unwrap_or(created)),
        ]);
    }
    let mut revision = 0i64;
    for (n, pair) in path.windows(2).enumerate() {
        let (from, to) = (pair[0], pair[1]);
        if to == PlanStatus::Submitted || (from == PlanStatus::ChangesRequested && to == PlanStatus::InReview) {
            revision += 1;
        }
        let id = ids.event;
        ids.event += 1;
        b.events.push(vec![
            i(id),
            i(plan_id),
            oi(if to == PlanStatus::Submitted || to == PlanStatus::Withdrawn {
                Some(draw.owner)
            } else {
                advisor
            }),
            t(action_into(from, to)),
            t(from.key()),
            t(to.key()),
            V::T(None),
            oi((revision > 0).then_some(revision)),
            i(times[n + 1]),
        ]);
        report.events += 1;
    }
    for (n, state) in path.iter().enumerate() {
        let id = ids.stint;
        ids.stint += 1;
        b.stints.push(vec![
            i(id),
            i(plan_id),
            t(state.key()),
            i(times[n]),
            oi(times.get(n + 1).copied()),
            oi(times.get(n + 1).map(|end| (end - times[n]) / DAY)),
        ]);
    }
    if let (Some(total), Some(advisor), Some(version)) = (score, advisor, draw.rubric_version) {
        let id = ids.score;
        ids.score += 1;
        let recommendation = if total >= 7_000 {
            Recommendation::Yes
        } else if total >= 5_000 {
            Recommendation::Maybe
        } else {
            Recommendation::No
        };
        b.scores.push(vec![
            i(id),
            i(plan_id),
            i(revision.max(1)),
            i(advisor),
            i(version),
            t(recommendation.key()),
            i(total),
            i(decided.unwrap_or(last) - DAY),
        ]);
    }
    plan_id
}

/// A manager and two advisors per chamber filled, and one Fund admin, each with a password
/// made now; accounts that exist already are left as they are.
async fn demo_staff(
    pool: &Pool,
    chambers: &[Chamber],
    rng: &mut StdRng,
) -> Result<Vec<(Role, String, String, String)>, String> {
    let mut wanted = vec![(Role::FundAdmin, "fund@demo.riyada.ps".to_string(), String::new())];
    for chamber in chambers {
        wanted.push((
            Role::ChamberManager,
            format!("manager.{}@demo.riyada.ps", chamber.code),
            chamber.code.clone(),
        ));
        for n in 1..=2 {
            wanted.push((
                Role::Advisor,
                format!("advisor{n}.{}@demo.riyada.ps", chamber.code),
                chamber.code.clone(),
            ));
        }
    }
    let mut made = Vec::new();
    for (role, email, chamber) in wanted {
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(pool)
            .await
            .map_err(|e| e.to_string())?;
        if exists.is_some() {
            continue;
        }
        let password: String = (0..14)
            .map(|_| rng.sample(rand::distributions::Alphanumeric) as char)
            .collect();
        let input = StaffInput {
            full_name: format!(
                "{} ({})",
                role.key(),
                if chamber.is_empty() { "fund" } else { &chamber }
            ),
            email: email.clone(),
            phone: String::new(),
            role: Some(role),
            chamber: chamber.clone(),
            password: password.clone(),
        };
        app::staff::server::create_staff(pool, None, input)
            .await
            .map_err(|e| format!("creating {email}: {e:?}"))?;
        made.push((role, email, chamber, password));
    }
    Ok(made)
}
