//! The Fund's oversight across chambers: the dashboard (live statistics of every chamber,
//! or of one for its manager, `docs/dashboard.md`) and the audit log (every recorded step,
//! searchable by who, what, which object and when, paged newest first) and the labour
//! demand of approved plans, with the Fund's canonical job titles.
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use crate::review::AuditEntry;
use domain::plan::financials::Currency;
use domain::plan::status::PlanStatus;
use domain::stats::{FunnelStage, MoneyScope};
use domain::Bilingual;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Rows on one page of the audit log.
pub const AUDIT_PAGE_SIZE: u32 = 50;

/// The audit log's search as the URL carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditParams {
    /// Words of the actor's name.
    #[serde(default)]
    pub actor: String,
    /// An action key.
    #[serde(default)]
    pub action: String,
    /// An object kind key.
    #[serde(default)]
    pub object: String,
    /// The object's number (a plan's, a document's…).
    #[serde(default)]
    pub object_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Rows older than this row id (the next page).
    #[serde(default)]
    pub before: String,
}

impl AuditParams {
    /// The URL names and values, without the empty ones.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("actor", &self.actor),
            ("action", &self.action),
            ("object", &self.object),
            ("object_id", &self.object_id),
            ("from", &self.from),
            ("to", &self.to),
            ("before", &self.before),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| (name, value.as_str()))
        .collect()
    }
}

/// One page of the audit log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditEntry>,
    /// Steps matching the search, on every page.
    pub total: i64,
    /// The `before` value of the next (older) page.
    pub next: Option<i64>,
}

/// The audit log across chambers. The Fund only (403 for everyone else).
#[server(endpoint = "fund/audit")]
pub async fn audit_log(#[server(default)] params: AuditParams) -> Result<AuditPage, AppError> {
    crate::guard::respond(server::audit_log(params).await)
}

domain::keyed! {
    /// The dashboard's tables, each downloadable (`/fund/export/<key>.csv`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum DashboardTable {
        Funnel = "funnel",
        Days = "days",
        Money = "money",
        Services = "services",
        Chambers = "chambers",
        Trend = "trend",
        Establishments = "establishments",
    }
}

/// The dashboard's filters as the URL carries them; every one optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardParams {
    /// A chamber's id (the Fund only; a manager always sees their own).
    #[serde(default)]
    pub chamber: String,
    /// `gaza` or `west_bank`.
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub governorate: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub legal_form: String,
    #[serde(default)]
    pub gender: String,
    /// An age group key (`16-24`, `25-29`, `30-39`, `40+`).
    #[serde(default)]
    pub age: String,
    /// First submitted on or after (`YYYY-MM-DD`).
    #[serde(default)]
    pub from: String,
    /// … and on or before.
    #[serde(default)]
    pub to: String,
}

impl DashboardParams {
    /// The URL names and values, without the empty ones (links and exports keep them).
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("chamber", &self.chamber),
            ("region", &self.region),
            ("governorate", &self.governorate),
            ("sector", &self.sector),
            ("legal_form", &self.legal_form),
            ("gender", &self.gender),
            ("age", &self.age),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| (name, value.as_str()))
        .collect()
    }
}

/// One stage of the funnel: plans that reached it (or went further), and the share of the
/// stage before that did (tenths of a percent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    pub stage: FunnelStage,
    pub plans: i64,
    pub conversion_tenths: Option<i64>,
}

/// Days spent in a state (or from first submission to decision), whole days, nearest rank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaysFigure {
    /// Stays counted (plans, for the time to decision).
    pub count: i64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateDays {
    pub status: PlanStatus,
    pub days: DaysFigure,
}

/// Jobs planned by approved-and-later plans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobsFigure {
    pub plans: i64,
    /// Full-time equivalents in tenths.
    pub fte_tenths: i64,
    pub women: i64,
    pub youth: i64,
}

/// Start-up capital and funding by source of one currency: never summed across currencies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyRow {
    pub currency: Currency,
    pub scope: MoneyScope,
    pub plans: i64,
    pub startup: i64,
    pub own: i64,
    pub family: i64,
    pub grant: i64,
    pub loan: i64,
}

/// Requests of one service type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFigure {
    pub name: Bilingual,
    pub requested: i64,
    pub completed: i64,
    /// Median working days from request to completion.
    pub median_working_days: Option<i64>,
}

/// One chamber side by side with the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChamberFigure {
    pub id: i64,
    pub name: Bilingual,
    pub entrepreneurs: i64,
    pub submitted: i64,
    pub approved: i64,
    /// Approved of decided, tenths of a percent.
    pub approval_tenths: Option<i64>,
    pub jobs_fte_tenths: i64,
    pub documents_waiting: i64,
}

/// One month of the trend.
/// The establishments register of one chamber (or, `name` empty, of all those shown):
/// records, where they stand after their latest visit, and jobs planned against filled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstablishmentsFigure {
    pub name: Bilingual,
    pub registered: i64,
    /// Visited at least once.
    pub visited: i64,
    /// Operating, closed: at the latest visit.
    pub operating: i64,
    pub closed: i64,
    /// Full-time equivalents planned (tenths), of every record and of the visited ones.
    pub planned_fte_tenths: i64,
    pub visited_planned_fte_tenths: i64,
    /// Jobs filled at the latest visits.
    pub filled_women: i64,
    pub filled_men: i64,
}

impl EstablishmentsFigure {
    pub fn filled(&self) -> i64 {
        self.filled_women + self.filled_men
    }

    /// Jobs filled as a share of the jobs planned at the visited establishments (tenths of
    /// a percent; a full-time equivalent planned counts as one job).
    pub fn filled_share_tenths(&self) -> Option<i64> {
        domain::stats::share_tenths(self.filled() * 10, self.visited_planned_fte_tenths)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigure {
    /// `YYYY-MM`.
    pub month: String,
    pub submissions: i64,
    pub approvals: i64,
    /// Jobs (FTE tenths) of the plans approved that month.
    pub jobs_fte_tenths: i64,
}

/// Everything the dashboard shows, for the filters given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The Fund's view (every chamber, the chamber filter); false: one manager's chamber.
    pub every_chamber: bool,
    pub entrepreneurs: i64,
    pub funnel: Vec<FunnelStep>,
    pub decided: i64,
    pub approved: i64,
    pub approval_tenths: Option<i64>,
    pub days_in_state: Vec<StateDays>,
    pub days_to_decision: Option<DaysFigure>,
    pub jobs: JobsFigure,
    pub money: Vec<MoneyRow>,
    pub services: Vec<ServiceFigure>,
    pub chambers: Vec<ChamberFigure>,
    pub trend: Vec<MonthFigure>,
    /// The establishments register per chamber shown, and all of them together.
    pub establishments: Vec<EstablishmentsFigure>,
    pub establishments_total: EstablishmentsFigure,
}

/// The dashboard. Fund admins: every chamber; chamber managers: their own; others 403.
#[server(endpoint = "fund/dashboard")]
pub async fn get_dashboard(#[server(default)] params: DashboardParams) -> Result<Dashboard, AppError> {
    crate::guard::respond(server::dashboard(params).await)
}

/// One group of the labour-demand table: positions planned by approved-and-later plans with
/// the same (canonical) job title, sector, governorate, month of hiring and currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourRow {
    /// The canonical title, or the group's first spelling when none is set.
    pub title: String,
    pub sector: Option<String>,
    pub governorate: Option<Bilingual>,
    /// `YYYY-MM`, when the plan says when it starts.
    pub month: Option<String>,
    pub currency: Currency,
    pub plans: i64,
    pub positions: i64,
    pub women: i64,
    pub youth: i64,
    /// Full-time equivalents in tenths.
    pub fte_tenths: i64,
    /// Monthly wages of all the group's positions (minor units of `currency`).
    pub wage_bill: i64,
}

impl LabourRow {
    /// The average monthly wage of one position (minor units), rounded down.
    pub fn average_wage(&self) -> Option<i64> {
        (self.positions > 0).then(|| self.wage_bill / self.positions)
    }

    /// Women's share of the positions, tenths of a percent.
    pub fn women_tenths(&self) -> Option<i64> {
        domain::stats::share_tenths(self.women, self.positions)
    }
}

/// A job title as entrepreneurs spelled it (folded), with what the Fund counts it as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleVariant {
    /// The folded spelling (`domain::search::fold`): the key the mapping is stored under.
    pub folded: String,
    /// One spelling as typed.
    pub example: String,
    pub positions: i64,
    pub canonical: Option<String>,
}

/// Rows of the labour table on the page (the downloads hold every row).
pub const LABOUR_ROWS_SHOWN: usize = 200;
/// Title variants listed for mapping at once (a search narrows them).
pub const TITLE_VARIANTS_SHOWN: u32 = 50;
/// A canonical title's length limit (characters).
pub const JOB_TITLE_MAX: u32 = 80;

/// The labour-demand page: its table and the title variants to map.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labour {
    pub every_chamber: bool,
    /// The Fund maps titles; managers read.
    pub can_map: bool,
    pub rows: Vec<LabourRow>,
    /// Groups in all (the page shows the first `LABOUR_ROWS_SHOWN`).
    pub total_rows: i64,
    pub positions: i64,
    pub variants: Vec<TitleVariant>,
}

/// Labour demand for the dashboard's filters; `title` narrows the variants listed for
/// mapping (words of a spelling). The Fund: every chamber; a manager: their own; others 403.
#[server(endpoint = "fund/labour")]
pub async fn get_labour(
    #[server(default)] params: DashboardParams,
    #[server(default)] title: String,
) -> Result<Labour, AppError> {
    crate::guard::respond(server::labour(params, title).await)
}

/// The Fund counts the folded spelling `folded` as `canonical` (empty: as itself again).
#[server(endpoint = "fund/job-title")]
pub async fn map_job_title(folded: String, canonical: String) -> Result<(), AppError> {
    crate::guard::respond(server::map_job_title(folded, canonical).await)
}

/// One chamber's text messages this month (or the messages of nobody's chamber: staff of
/// the Fund, people without a chamber).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsRow {
    pub chamber: Option<Bilingual>,
    pub sent: i64,
    pub segments: i64,
    pub failed: i64,
    /// Queued, not yet sent (or being retried).
    pub waiting: i64,
    /// Not queued: a daily cap was reached.
    pub held_back: i64,
    /// Sent segments times the cost of one, in agorot.
    pub cost_agorot: i64,
}

/// The Fund's view of text messages in the current calendar month (UTC).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsUse {
    /// Whether this server sends SMS at all.
    pub available: bool,
    /// `YYYY-MM`.
    pub month: String,
    pub rows: Vec<SmsRow>,
    pub total: SmsRow,
    pub segment_cost_agorot: i64,
    /// The caps, for the page to say what "held back" means.
    pub person_daily_cap: i64,
    pub global_daily_cap: i64,
}

/// Text messages sent, failed, waiting and held back this month, per chamber, with their
/// estimated cost. The Fund only.
#[server(endpoint = "fund/sms")]
pub async fn get_sms_use() -> Result<SmsUse, AppError> {
    crate::guard::respond(server::sms_use().await)
}
