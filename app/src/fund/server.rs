//! The Fund's dashboard, labour demand and audit log (server only): reading the URL's filters into typed
//! ones, and folding the small grouped answers of `fund::store` into the figures shown.
use super::store::{self, AuditFilters, DashboardFilters, PlanGroup};
use super::{
    AuditPage, AuditParams, ChamberFigure, Dashboard, DashboardParams, DaysFigure, EstablishmentsFigure, FunnelStep,
    JobsFigure, Labour, LabourRow, MoneyRow, MonthFigure, ServiceFigure, StateDays, TitleVariant, AUDIT_PAGE_SIZE,
    JOB_TITLE_MAX, LABOUR_ROWS_SHOWN, TITLE_VARIANTS_SHOWN,
};
use crate::db::Pool;
use crate::db::{now, today};
use crate::error::AppError;
use crate::guard::{pool, require_actor, require_role};
use crate::review::server::audit_entry;
use domain::audit::{AuditAction, AuditObject};
use domain::digits::normalize_digits;
use domain::plan::financials::{Currency, LEGAL_FORMS, SECTORS};
use domain::plan::status::PlanStatus;
use domain::review::queue::AgeGroup;
use domain::roles::Actor;
use domain::roles::Role;
use domain::search;
use domain::stats::{
    month_of_day, percentile, share_tenths, FunnelStage, MoneyScope, Region, APPROVED_AND_LATER, WAITING_STATES,
};
use domain::validation::Gender;
use domain::validation::{self, Date, Field, FieldError, Problem};
use domain::Bilingual;
use std::collections::BTreeMap;

pub async fn audit_log(params: AuditParams) -> Result<AuditPage, AppError> {
    require_role(&[Role::FundAdmin]).await?;
    let filters = read_filters(&params)?;
    let pool = pool()?;
    let (mut rows, total) = store::audit_log(&pool, &filters, AUDIT_PAGE_SIZE + 1).await?;
    let next = (rows.len() > AUDIT_PAGE_SIZE as usize).then(|| {
        rows.truncate(AUDIT_PAGE_SIZE as usize);
        rows.last().map(|last| last.id)
    });
    Ok(AuditPage {
        rows: rows.into_iter().filter_map(audit_entry).collect(),
        total,
        next: next.flatten(),
    })
}

/// Reads the search; every typed mistake is reported together, closed lists that do not
/// read (an old link) are not applied.
fn read_filters(params: &AuditParams) -> Result<AuditFilters, AppError> {
    fn chosen(text: &str) -> Option<&str> {
        Some(text.trim()).filter(|t| !t.is_empty())
    }
    let mut problems = Vec::new();
    let actor = match search::query(&params.actor) {
        Ok(folded) => folded.map(|q| search::like_pattern(&q)),
        Err(_) => {
            problems.push(FieldError::new(
                Field::Search,
                Problem::TooLong {
                    max: search::QUERY_MAX_CHARS as u32,
                },
            ));
            None
        }
    };
    let object_id = match chosen(&params.object_id) {
        None => None,
        Some(text) => match normalize_digits(text).trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                problems.push(FieldError::new(Field::Identifier, Problem::InvalidNumber));
                None
            }
        },
    };
    let (from, to, period_problems) = validation::period(&params.from, &params.to);
    problems.extend(period_problems);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok(AuditFilters {
        actor,
        action: chosen(&params.action)
            .and_then(AuditAction::from_key)
            .map(AuditAction::key),
        object: chosen(&params.object)
            .and_then(AuditObject::from_key)
            .map(AuditObject::key),
        object_id,
        from: from.map(|d| d.unix_midnight()),
        until: to.map(|d| d.unix_midnight() + 86_400),
        before: chosen(&params.before).and_then(|b| b.parse().ok()),
    })
}

/// Months the trend shows when no period is chosen (and at most when one is).
const TREND_MONTHS: u32 = 24;

pub async fn dashboard(params: DashboardParams) -> Result<Dashboard, AppError> {
    let actor = require_actor().await?;
    dashboard_of(&pool()?, &actor, &params).await
}

/// The dashboard as `actor` may see it: the Fund every chamber, a chamber manager their
/// own (whatever the URL says), anyone else 403. Also what the downloads are made of.
pub async fn dashboard_of(pool: &Pool, actor: &Actor, params: &DashboardParams) -> Result<Dashboard, AppError> {
    let (filters, every_chamber) = filters_for(actor, params)?;
    let at = now();
    let (first_month, months) = trend_months(&filters, at);
    let since = first_month.unix_midnight();
    let f = &filters;
    // The statements are independent reads, run side by side on the pool's connections, but
    // no more at once than there are cores: more contend for the same CPU and all finish
    // later (measured). The costliest are listed first, and the lanes take them in order.
    let lanes = Lanes::new();
    let (
        groups,
        stays,
        submissions,
        approvals,
        to_decision,
        entrepreneurs,
        documents,
        service_counts,
        service_days,
        establishments,
        chambers,
    ) = tokio::try_join!(
        lanes.run(store::plan_groups(pool, f)),
        lanes.run(store::days_in_state(pool, f, at)),
        lanes.run(store::submissions_by_day(pool, f, since)),
        lanes.run(store::approvals_by_day(pool, f, since)),
        lanes.run(store::days_to_decision(pool, f)),
        lanes.run(store::entrepreneurs(pool, f)),
        lanes.run(store::documents_waiting(pool, f)),
        lanes.run(store::service_counts(pool, f)),
        lanes.run(store::service_days(pool, f)),
        lanes.run(store::establishment_groups(pool, f)),
        lanes.run(store::chambers(pool)),
    )?;
    let (establishments, establishments_total) = establishment_figures(&chambers, filters.chamber, &establishments);

    let decided = groups.iter().map(|g| g.decided).sum();
    let approved = groups.iter().map(|g| g.approved).sum();
    Ok(Dashboard {
        every_chamber,
        entrepreneurs: entrepreneurs.iter().map(|(_, n)| n).sum(),
        funnel: funnel(&groups),
        decided,
        approved,
        approval_tenths: share_tenths(approved, decided),
        days_in_state: days_in_state(&stays),
        days_to_decision: Some(days_figure(&to_decision)).filter(|d| d.count > 0),
        jobs: jobs(groups.iter()),
        money: money(&groups),
        services: services(&service_counts, &service_days),
        chambers: chamber_figures(&chambers, filters.chamber, &groups, &entrepreneurs, &documents),
        trend: trend(first_month, months, &submissions, &approvals),
        establishments,
        establishments_total,
    })
}

/// At most as many statements at once as the machine has cores.
struct Lanes(tokio::sync::Semaphore);

impl Lanes {
    fn new() -> Lanes {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Lanes(tokio::sync::Semaphore::new(cores))
    }

    /// Runs `statement` once a lane is free (lanes are handed out in the order asked).
    async fn run<T>(&self, statement: impl std::future::Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
        let _lane = self.0.acquire().await.map_err(|error| {
            tracing::error!(%error, "the dashboard's lanes were closed");
            AppError::Internal
        })?;
        statement.await
    }
}

/// The dashboard's filters as `actor` may use them: the Fund every chamber (true), a
/// chamber manager their own whatever the URL says (false), anyone else 403.
fn filters_for(actor: &Actor, params: &DashboardParams) -> Result<(DashboardFilters, bool), AppError> {
    if !matches!(actor.role, Role::FundAdmin | Role::ChamberManager) {
        return Err(AppError::Forbidden);
    }
    let mut filters = read_dashboard_filters(params)?;
    let every_chamber = actor.role == Role::FundAdmin;
    if !every_chamber {
        filters.chamber = Some(actor.chamber.ok_or(AppError::Forbidden)?.0);
    }
    Ok((filters, every_chamber))
}

pub async fn labour(params: DashboardParams, title: String) -> Result<Labour, AppError> {
    let actor = require_actor().await?;
    labour_of(&pool()?, &actor, &params, &title).await
}

/// Labour demand as `actor` may see it (the same rule as the dashboard): the page's first
/// rows, the totals and the title variants matching `title`.
pub async fn labour_of(pool: &Pool, actor: &Actor, params: &DashboardParams, title: &str) -> Result<Labour, AppError> {
    let (filters, every_chamber) = filters_for(actor, params)?;
    let pattern = match search::query(title) {
        Ok(folded) => folded.map(|q| search::like_pattern(&q)),
        Err(_) => {
            return Err(AppError::Invalid(vec![FieldError::new(
                Field::Search,
                Problem::TooLong {
                    max: search::QUERY_MAX_CHARS as u32,
                },
            )]))
        }
    };
    let (mut rows, variants) = tokio::try_join!(
        labour_rows(pool, &filters),
        store::title_variants(pool, &filters, pattern.as_deref(), TITLE_VARIANTS_SHOWN),
    )?;
    let total_rows = rows.len() as i64;
    let positions = rows.iter().map(|r| r.positions).sum();
    rows.truncate(LABOUR_ROWS_SHOWN);
    Ok(Labour {
        every_chamber,
        can_map: actor.role == Role::FundAdmin,
        rows,
        total_rows,
        positions,
        variants: variants
            .into_iter()
            .map(|(folded, example, positions, canonical)| TitleVariant {
                folded,
                example,
                positions,
                canonical,
            })
            .collect(),
    })
}

/// Every group of the labour table for `actor` (the downloads).
pub async fn labour_table(pool: &Pool, actor: &Actor, params: &DashboardParams) -> Result<Vec<LabourRow>, AppError> {
    let (filters, _) = filters_for(actor, params)?;
    labour_rows(pool, &filters).await
}

async fn labour_rows(pool: &Pool, filters: &DashboardFilters) -> Result<Vec<LabourRow>, AppError> {
    let groups = store::labour_groups(pool, filters).await?;
    Ok(groups
        .into_iter()
        .filter_map(|g| {
            Some(LabourRow {
                title: g.title,
                sector: g.sector,
                governorate: g
                    .governorate_ar
                    .zip(g.governorate_en)
                    .map(|(ar, en)| Bilingual::new(ar, en)),
                month: g.month,
                // A plan's currency is one of the closed list; another is a bad row, left out.
                currency: Currency::from_key(&g.currency)?,
                plans: g.plans,
                positions: g.positions,
                women: g.women,
                youth: g.youth,
                fte_tenths: g.fte_tenths,
                wage_bill: g.wage_bill,
            })
        })
        .collect())
}

/// The Fund maps a spelling to a canonical title (or clears it with an empty one).
pub async fn map_job_title(folded: String, canonical: String) -> Result<(), AppError> {
    let actor = require_role(&[Role::FundAdmin]).await?;
    let pool = pool()?;
    // Only spellings that exist can be mapped: the key is not free storage.
    let folded = folded.trim();
    if folded.is_empty() || folded.chars().count() > 200 || !store::title_exists(&pool, folded).await? {
        return Err(AppError::NotFound);
    }
    let canonical = canonical.split_whitespace().collect::<Vec<_>>().join(" ");
    let canonical = match canonical.chars().count() {
        0 => None,
        1 => {
            return Err(AppError::Invalid(vec![FieldError::new(
                Field::JobTitle,
                Problem::TooShort { min: 2 },
            )]))
        }
        n if n > JOB_TITLE_MAX as usize => {
            return Err(AppError::Invalid(vec![FieldError::new(
                Field::JobTitle,
                Problem::TooLong { max: JOB_TITLE_MAX },
            )]))
        }
        _ => Some(canonical),
    };
    store::set_job_title(&pool, folded, canonical.as_deref(), actor.id.0, now()).await
}

/// Reads the dashboard's URL. Closed lists that do not read (an old link) are not applied;
/// typed dates that do not read are told.
fn read_dashboard_filters(params: &DashboardParams) -> Result<DashboardFilters, AppError> {
    fn chosen(text: &str) -> Option<&str> {
        Some(text.trim()).filter(|t| !t.is_empty())
    }
    fn listed(text: &str, list: &[&'static str]) -> Option<&'static str> {
        chosen(text).and_then(|t| list.iter().copied().find(|item| *item == t))
    }
    let (from, to, problems) = validation::period(&params.from, &params.to);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (born_after, born_on_or_before) = match chosen(&params.age)
        .and_then(AgeGroup::from_key)
        .map(|group| group.birth_dates(today()))
    {
        Some((after, on_or_before)) => (after, Some(on_or_before)),
        None => (None, None),
    };
    Ok(DashboardFilters {
        chamber: chosen(&params.chamber).and_then(|c| c.parse::<i64>().ok()),
        region: chosen(&params.region).and_then(Region::from_key).map(Region::key),
        governorate: chosen(&params.governorate)
            .filter(|g| g.len() <= 32 && g.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
            .map(str::to_string),
        sector: listed(&params.sector, &SECTORS),
        legal_form: listed(&params.legal_form, &LEGAL_FORMS),
        gender: chosen(&params.gender).and_then(Gender::from_key).map(Gender::key),
        born_after,
        born_on_or_before,
        from: from.map(|d| d.unix_midnight()),
        until: to.map(|d| d.unix_midnight() + 86_400),
    })
}

/// Plans at each stage or further, and the share of the stage before.
fn funnel(groups: &[PlanGroup]) -> Vec<FunnelStep> {
    let mut previous: Option<i64> = None;
    FunnelStage::ALL
        .into_iter()
        .map(|stage| {
            let plans = groups
                .iter()
                .filter(|g| g.funnel_stage >= stage.rank())
                .map(|g| g.plans)
                .sum();
            let conversion_tenths = previous.and_then(|before| share_tenths(plans, before));
            previous = Some(plans);
            FunnelStep {
                stage,
                plans,
                conversion_tenths,
            }
        })
        .collect()
}

fn approved_and_later(group: &PlanGroup) -> bool {
    PlanStatus::from_key(&group.status).is_some_and(|s| APPROVED_AND_LATER.contains(&s))
}

fn jobs<'a>(groups: impl Iterator<Item = &'a PlanGroup>) -> JobsFigure {
    groups
        .filter(|g| approved_and_later(g))
        .fold(JobsFigure::default(), |sum, g| JobsFigure {
            plans: sum.plans + g.plans,
            fte_tenths: sum.fte_tenths + g.fte_tenths,
            women: sum.women + g.women,
            youth: sum.youth + g.youth,
        })
}

/// Money per currency and scope; a currency no plan uses is left out, and nothing is ever
/// added across currencies.
fn money(groups: &[PlanGroup]) -> Vec<MoneyRow> {
    let mut rows = Vec::new();
    for scope in MoneyScope::ALL {
        for currency in Currency::ALL {
            let within = groups.iter().filter(|g| {
                g.currency == currency.key()
                    && match scope {
                        MoneyScope::Submitted => g.funnel_stage >= FunnelStage::Submitted.rank(),
                        MoneyScope::Approved => approved_and_later(g),
                    }
            });
            let row = within.fold(
                MoneyRow {
                    currency,
                    scope,
                    plans: 0,
                    startup: 0,
                    own: 0,
                    family: 0,
                    grant: 0,
                    loan: 0,
                },
                |sum, g| MoneyRow {
                    plans: sum.plans + g.plans,
                    startup: sum.startup + g.startup,
                    own: sum.own + g.own,
                    family: sum.family + g.family,
                    grant: sum.grant + g.grant,
                    loan: sum.loan + g.loan,
                    ..sum
                },
            );
            if row.plans > 0 {
                rows.push(row);
            }
        }
    }
    rows
}

fn days_figure(buckets: &[(i64, i64)]) -> DaysFigure {
    DaysFigure {
        count: buckets.iter().map(|(_, n)| n).sum(),
        median: percentile(buckets, 50),
        p90: percentile(buckets, 90),
    }
}

fn days_in_state(stays: &[(String, i64, i64)]) -> Vec<StateDays> {
    WAITING_STATES
        .into_iter()
        .map(|status| {
            // Summed per day and in order of days (a day may come twice: ended and open).
            let mut by_day = BTreeMap::new();
            for (_, days, n) in stays.iter().filter(|(s, _, _)| s == status.key()) {
                *by_day.entry(*days).or_insert(0) += n;
            }
            let buckets: Vec<(i64, i64)> = by_day.into_iter().collect();
            StateDays {
                status,
                days: days_figure(&buckets),
            }
        })
        .collect()
}

fn services(counts: &[(i64, String, String, i64, i64)], days: &[(i64, i64, i64)]) -> Vec<ServiceFigure> {
    counts
        .iter()
        .map(|(id, name_ar, name_en, requested, completed)| {
            let buckets: Vec<(i64, i64)> = days
                .iter()
                .filter(|(service, _, _)| service == id)
                .map(|(_, d, n)| (*d, *n))
                .collect();
            ServiceFigure {
                name: Bilingual::new(name_ar.clone(), name_en.clone()),
                requested: *requested,
                completed: *completed,
                median_working_days: percentile(&buckets, 50),
            }
        })
        .collect()
}

/// Every chamber (or the one chosen) side by side.
fn chamber_figures(
    chambers: &[(i64, String, String)],
    chosen: Option<i64>,
    groups: &[PlanGroup],
    entrepreneurs: &[(Option<i64>, i64)],
    documents: &[(Option<i64>, i64)],
) -> Vec<ChamberFigure> {
    let count = |rows: &[(Option<i64>, i64)], id: i64| {
        rows.iter()
            .filter(|(chamber, _)| *chamber == Some(id))
            .map(|(_, n)| n)
            .sum()
    };
    chambers
        .iter()
        .filter(|(id, _, _)| chosen.is_none_or(|c| c == *id))
        .map(|(id, name_ar, name_en)| {
            let own: Vec<&PlanGroup> = groups.iter().filter(|g| g.chamber_id == Some(*id)).collect();
            let decided: i64 = own.iter().map(|g| g.decided).sum();
            let approved: i64 = own.iter().map(|g| g.approved).sum();
            ChamberFigure {
                id: *id,
                name: Bilingual::new(name_ar.clone(), name_en.clone()),
                entrepreneurs: count(entrepreneurs, *id),
                submitted: own.iter().map(|g| g.submitted).sum(),
                approved,
                approval_tenths: share_tenths(approved, decided),
                jobs_fte_tenths: jobs(own.iter().copied()).fte_tenths,
                documents_waiting: count(documents, *id),
            }
        })
        .collect()
}

/// The register per chamber shown (in the chambers' order) and all of it together.
fn establishment_figures(
    chambers: &[(i64, String, String)],
    chosen: Option<i64>,
    groups: &[store::EstablishmentGroup],
) -> (Vec<EstablishmentsFigure>, EstablishmentsFigure) {
    let add = |figure: &mut EstablishmentsFigure, g: &store::EstablishmentGroup| {
        figure.registered += g.registered;
        figure.visited += g.visited;
        figure.operating += g.operating;
        figure.closed += g.closed;
        figure.planned_fte_tenths += g.planned;
        figure.visited_planned_fte_tenths += g.visited_planned;
        figure.filled_women += g.women;
        figure.filled_men += g.men;
    };
    let mut total = EstablishmentsFigure::default();
    for group in groups {
        add(&mut total, group);
    }
    let per_chamber = chambers
        .iter()
        .filter(|(id, _, _)| chosen.is_none_or(|c| c == *id))
        .map(|(id, name_ar, name_en)| {
            let mut figure = EstablishmentsFigure {
                name: Bilingual::new(name_ar.clone(), name_en.clone()),
                ..EstablishmentsFigure::default()
            };
            for group in groups.iter().filter(|g| g.chamber_id == Some(*id)) {
                add(&mut figure, group);
            }
            figure
        })
        .collect();
    (per_chamber, total)
}

/// The first month of the trend and how many months it shows: the chosen period's (at most
/// `TREND_MONTHS`, the latest ones), or the last `TREND_MONTHS` up to this month.
fn trend_months(filters: &DashboardFilters, now: i64) -> (Date, u32) {
    let last = Date::from_unix(filters.until.map_or(now, |until| until - 1));
    let month_index = |d: Date| d.year * 12 + d.month as i32 - 1;
    let earliest = month_index(last) - (TREND_MONTHS as i32 - 1);
    let first = filters
        .from
        .map_or(earliest, |from| month_index(Date::from_unix(from)).max(earliest));
    let first_date = Date {
        year: first.div_euclid(12),
        month: first.rem_euclid(12) as u32 + 1,
        day: 1,
    };
    (first_date, (month_index(last) - first + 1).max(1) as u32)
}

fn trend(first: Date, months: u32, submissions: &[(i64, i64)], approvals: &[(i64, i64, i64)]) -> Vec<MonthFigure> {
    let mut by_month: BTreeMap<String, MonthFigure> = BTreeMap::new();
    let mut year = first.year;
    let mut month = first.month;
    for _ in 0..months {
        let key = format!("{year:04}-{month:02}");
        by_month.insert(
            key.clone(),
            MonthFigure {
                month: key,
                submissions: 0,
                approvals: 0,
                jobs_fte_tenths: 0,
            },
        );
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    for (day, plans) in submissions {
        if let Some(m) = by_month.get_mut(&month_of_day(*day)) {
            m.submissions += plans;
        }
    }
    for (day, plans, fte) in approvals {
        if let Some(m) = by_month.get_mut(&month_of_day(*day)) {
            m.approvals += plans;
            m.jobs_fte_tenths += fte;
        }
    }
    by_month.into_values().collect()
}

pub async fn sms_use() -> Result<super::SmsUse, AppError> {
    require_role(&[Role::FundAdmin]).await?;
    let settings = crate::guard::state()?.sms;
    let since = domain::sms::month_start(now());
    let per_segment = settings.as_ref().map_or(0, |s| s.segment_cost_agorot);
    let counts = store::sms_by_chamber(&pool()?, since).await?;
    let mut total = super::SmsRow::default();
    let rows: Vec<super::SmsRow> = counts
        .into_iter()
        .map(|c| {
            let row = super::SmsRow {
                chamber: c.name_ar.zip(c.name_en).map(|(ar, en)| Bilingual::new(ar, en)),
                sent: c.sent,
                segments: c.segments,
                failed: c.failed,
                waiting: c.waiting,
                held_back: c.held_back,
                cost_agorot: domain::sms::estimated_cost(c.segments, per_segment),
            };
            total.sent += row.sent;
            total.segments += row.segments;
            total.failed += row.failed;
            total.waiting += row.waiting;
            total.held_back += row.held_back;
            total.cost_agorot += row.cost_agorot;
            row
        })
        .collect();
    let caps = settings.as_ref().map(|s| s.caps).unwrap_or_default();
    Ok(super::SmsUse {
        available: settings.is_some(),
        month: domain::stats::month_of_day(since / 86_400),
        rows,
        total,
        segment_cost_agorot: per_segment,
        person_daily_cap: caps.per_person_daily,
        global_daily_cap: caps.global_daily,
    })
}
