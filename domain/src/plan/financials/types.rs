//! The financial model of a business plan, exactly as `shared/reference/plan-json.md`
//! defines it: integer minor units, explicit rounding (halves away from zero), no binary
//! floating point except inside the annuity formula. Pure: no I/O.
use serde::{Deserialize, Serialize};

pub const PLAN_FORMAT: &str = "riyada.plan.v1";
pub const FINANCIALS_FORMAT: &str = "riyada.financials.v1";

/// A plan's currency; money is stored in its minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Currency {
    ILS,
    USD,
    JOD,
}

impl Currency {
    pub const ALL: [Currency; 3] = [Currency::ILS, Currency::USD, Currency::JOD];

    /// The ISO code, as stored and as sent by forms.
    pub fn key(self) -> &'static str {
        match self {
            Currency::ILS => "ILS",
            Currency::USD => "USD",
            Currency::JOD => "JOD",
        }
    }

    pub fn from_key(key: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Minor units per major unit (agorot, cents, fils).
    pub fn minor_per_major(self) -> i64 {
        match self {
            Currency::ILS | Currency::USD => 100,
            Currency::JOD => 1000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartupCategory {
    Equipment,
    Furniture,
    Renovation,
    Fees,
    Stock,
    Preopening,
    WorkingCapital,
}

impl StartupCategory {
    pub const ALL: [StartupCategory; 7] = [
        StartupCategory::Equipment,
        StartupCategory::Furniture,
        StartupCategory::Renovation,
        StartupCategory::Fees,
        StartupCategory::Stock,
        StartupCategory::Preopening,
        StartupCategory::WorkingCapital,
    ];

    pub fn is_depreciated(self) -> bool {
        matches!(
            self,
            StartupCategory::Equipment | StartupCategory::Furniture | StartupCategory::Renovation
        )
    }
}

fn default_life() -> i64 {
    5
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartupItem {
    pub name: String,
    pub category: StartupCategory,
    pub quantity: i64,
    pub unit_price: i64,
    #[serde(default = "default_life")]
    pub useful_life_years: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loan {
    pub amount: i64,
    pub annual_rate_bp: i64,
    pub term_months: i64,
    #[serde(default)]
    pub grace_months: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    #[serde(default)]
    pub own: i64,
    #[serde(default)]
    pub family: i64,
    #[serde(default)]
    pub grant: i64,
    #[serde(default)]
    pub loan: Option<Loan>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    #[serde(default)]
    pub unit: String,
    pub price: i64,
    pub unit_cost: i64,
    pub monthly_qty: Vec<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Growth {
    #[serde(default)]
    pub year2: i64,
    #[serde(default)]
    pub year3: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub title: String,
    pub count: i64,
    pub monthly_wage: i64,
    #[serde(default = "yes")]
    pub full_time: bool,
    #[serde(default)]
    pub women: i64,
    #[serde(default)]
    pub men: i64,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedCost {
    pub name: String,
    pub monthly: i64,
}

/// The financial part of a `riyada.plan.v1` document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFinancials {
    pub format: String,
    #[serde(default = "default_currency")]
    pub currency: Currency,
    #[serde(default)]
    pub startup_items: Vec<StartupItem>,
    #[serde(default)]
    pub funding: Funding,
    #[serde(default)]
    pub products: Vec<Product>,
    #[serde(default)]
    pub growth_bp: Growth,
    #[serde(default)]
    pub cost_inflation_bp: i64,
    #[serde(default)]
    pub positions: Vec<Position>,
    #[serde(default)]
    pub fixed_costs: Vec<FixedCost>,
    /// The parts that are not money: they travel with an exported plan and are ignored by
    /// the model (`riyada calc` accepts them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub competitors: Vec<Competitor>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Risk>,
    /// The facts of the idea section (legal form, sector…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea: Option<IdeaFacts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Written sections by key (`idea`, `market`…), in an exported plan.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub sections: std::collections::BTreeMap<String, String>,
}

impl PlanFinancials {
    /// A new, empty plan in `currency`.
    pub fn empty(currency: Currency) -> Self {
        PlanFinancials {
            format: PLAN_FORMAT.to_string(),
            currency,
            startup_items: Vec::new(),
            funding: Funding::default(),
            products: Vec::new(),
            growth_bp: Growth::default(),
            cost_inflation_bp: 0,
            positions: Vec::new(),
            fixed_costs: Vec::new(),
            competitors: Vec::new(),
            risks: Vec::new(),
            idea: None,
            title: None,
            sections: Default::default(),
        }
    }
}

/// A competitor in the market section (a small table, not part of the model).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competitor {
    pub name: String,
    #[serde(default)]
    pub price: i64,
    #[serde(default)]
    pub strength: String,
    #[serde(default)]
    pub weakness: String,
}

/// Legal forms a business can have (or will have) in Palestine.
pub const LEGAL_FORMS: [&str; 5] = ["sole_trader", "partnership", "company", "cooperative", "not_registered"];
/// Sector codes, as seeded in `migrations/seed.sql` (the Fund counts plans by them).
pub const SECTORS: [&str; 11] = [
    "agriculture_food",
    "manufacturing_crafts",
    "trade",
    "services",
    "ict_digital",
    "tourism_hospitality",
    "construction",
    "education_training",
    "health_care",
    "creative",
    "other",
];

/// The facts of the idea section; empty strings are "not said yet".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IdeaFacts {
    pub legal_form: String,
    pub sector: String,
    pub location: String,
    /// When the business starts, `YYYY-MM`.
    pub start_month: String,
    /// Registered today (otherwise informal).
    pub registered: bool,
}

/// Is `text` a month `YYYY-MM` between 2000 and 2100?
pub fn valid_month(text: &str) -> bool {
    let Some((year, month)) = text.split_once('-') else {
        return false;
    };
    year.len() == 4
        && month.len() == 2
        && year.parse::<u32>().is_ok_and(|y| (2000..=2100).contains(&y))
        && month.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
}

/// A risk and how it is mitigated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    pub risk: String,
    #[serde(default)]
    pub mitigation: String,
}

fn default_currency() -> Currency {
    Currency::ILS
}

/// What is wrong at one JSON path of a plan document. Typed, so that the UI can say it in
/// Arabic; `Display` gives the English line `riyada calc` prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PlanProblemKind {
    /// The document is not JSON of the expected shape (wrong type, unknown field…).
    Structure {
        detail: String,
    },
    Format,
    Money,
    Quantity,
    UsefulLife,
    Rate,
    Term,
    Grace,
    TooManyRows {
        max: u32,
    },
    MonthCount {
        got: u32,
    },
    Growth,
    Count,
    Negative,
    WomenMenOverCount,
    TextTooLong {
        max: u32,
    },
    UnknownSection,
    UnknownChoice,
    InvalidMonth,
}

impl std::fmt::Display for PlanProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanProblemKind::Structure { detail } => f.write_str(detail),
            PlanProblemKind::Format => f.write_str("expected \"riyada.plan.v1\""),
            PlanProblemKind::Money => f.write_str("must be a non-negative amount in minor units (at most 10^13)"),
            PlanProblemKind::Quantity => f.write_str("must be a whole number from 0 to 10000000"),
            PlanProblemKind::UsefulLife => f.write_str("must be from 1 to 50 years"),
            PlanProblemKind::Rate => f.write_str("must be from 0 to 10000 (100%)"),
            PlanProblemKind::Term => f.write_str("must be from 1 to 600 months"),
            PlanProblemKind::Grace => f.write_str("must be from 0 to 120 months"),
            PlanProblemKind::TooManyRows { max } => write!(f, "at most {max} rows"),
            PlanProblemKind::MonthCount { got } => write!(f, "expected 12 numbers, got {got}"),
            PlanProblemKind::Growth => f.write_str("must be from -10000 to 100000 basis points"),
            PlanProblemKind::Count => f.write_str("must be from 0 to 10000"),
            PlanProblemKind::Negative => f.write_str("must not be negative"),
            PlanProblemKind::WomenMenOverCount => f.write_str("women + men must not exceed count"),
            PlanProblemKind::TextTooLong { max } => write!(f, "at most {max} characters"),
            PlanProblemKind::UnknownSection => f.write_str("not a written section of the plan"),
            PlanProblemKind::UnknownChoice => f.write_str("not one of the allowed values"),
            PlanProblemKind::InvalidMonth => f.write_str("expected a month as YYYY-MM (2000-2100)"),
        }
    }
}

/// One problem in a plan document, with the JSON path it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanProblem {
    pub path: String,
    #[serde(flatten)]
    pub kind: PlanProblemKind,
}

impl std::fmt::Display for PlanProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

/// Largest amount of money accepted anywhere (10^13 minor units: ten billion shekels), so
/// that no sum or product of the model can overflow.
pub const MONEY_MAX: i64 = 10_000_000_000_000;
pub const QTY_MAX: i64 = 10_000_000;
pub const ITEMS_MAX: usize = 200;
/// Short texts of table rows (names, units, strengths…).
pub const CELL_TEXT_MAX: usize = 300;
pub const COUNT_MAX: i64 = 10_000;
pub const LIFE_YEARS: std::ops::RangeInclusive<i64> = 1..=50;
pub const RATE_BP: std::ops::RangeInclusive<i64> = 0..=10_000;
pub const TERM_MONTHS: std::ops::RangeInclusive<i64> = 1..=600;
pub const GRACE_MONTHS: std::ops::RangeInclusive<i64> = 0..=120;
pub const GROWTH_BP: std::ops::RangeInclusive<i64> = -10_000..=100_000;

impl PlanFinancials {
    /// Every semantic problem at once (the structure was already checked by parsing).
    pub fn problems(&self) -> Vec<PlanProblem> {
        use PlanProblemKind as K;
        let mut problems = Problems::default();
        problems.require(self.format == PLAN_FORMAT, "format", K::Format);
        let money = |v: i64| (0..=MONEY_MAX).contains(&v);
        let qty = |v: i64| (0..=QTY_MAX).contains(&v);
        let rows = |n: usize| n <= ITEMS_MAX;
        let rows_problem = K::TooManyRows { max: ITEMS_MAX as u32 };
        let text = |t: &str| t.chars().count() <= CELL_TEXT_MAX;
        let text_problem = K::TextTooLong {
            max: CELL_TEXT_MAX as u32,
        };
        if let Some(title) = &self.title {
            problems.require(
                title.chars().count() <= super::domain::TITLE_MAX as usize,
                "title",
                K::TextTooLong {
                    max: super::domain::TITLE_MAX,
                },
            );
        }
        for (key, body) in &self.sections {
            let written = super::sections::SectionKey::from_key(key)
                .is_some_and(|k| k.kind() == super::sections::SectionKind::Text);
            problems.require(written, format!("sections.{key}"), K::UnknownSection);
            problems.require(
                body.chars().count() <= super::sections::BODY_MAX,
                format!("sections.{key}"),
                K::TextTooLong {
                    max: super::sections::BODY_MAX as u32,
                },
            );
        }
        problems.require(rows(self.startup_items.len()), "startup_items", rows_problem.clone());
        for (i, item) in self.startup_items.iter().enumerate() {
            problems.require(
                text(&item.name),
                format!("startup_items[{i}].name"),
                text_problem.clone(),
            );
            problems.require(qty(item.quantity), format!("startup_items[{i}].quantity"), K::Quantity);
            problems.require(
                money(item.unit_price),
                format!("startup_items[{i}].unit_price"),
                K::Money,
            );
            if item.category.is_depreciated() {
                problems.require(
                    LIFE_YEARS.contains(&item.useful_life_years),
                    format!("startup_items[{i}].useful_life_years"),
                    K::UsefulLife,
                );
            }
        }
        for (name, v) in [
            ("own", self.funding.own),
            ("family", self.funding.family),
            ("grant", self.funding.grant),
        ] {
            problems.require(money(v), format!("funding.{name}"), K::Money);
        }
        if let Some(loan) = &self.funding.loan {
            problems.require(money(loan.amount), "funding.loan.amount", K::Money);
            problems.require(
                RATE_BP.contains(&loan.annual_rate_bp),
                "funding.loan.annual_rate_bp",
                K::Rate,
            );
            problems.require(
                TERM_MONTHS.contains(&loan.term_months),
                "funding.loan.term_months",
                K::Term,
            );
            problems.require(
                GRACE_MONTHS.contains(&loan.grace_months),
                "funding.loan.grace_months",
                K::Grace,
            );
        }
        problems.require(rows(self.products.len()), "products", rows_problem.clone());
        for (i, p) in self.products.iter().enumerate() {
            problems.require(text(&p.name), format!("products[{i}].name"), text_problem.clone());
            problems.require(text(&p.unit), format!("products[{i}].unit"), text_problem.clone());
            problems.require(money(p.price), format!("products[{i}].price"), K::Money);
            problems.require(money(p.unit_cost), format!("products[{i}].unit_cost"), K::Money);
            problems.require(
                p.monthly_qty.len() == 12,
                format!("products[{i}].monthly_qty"),
                K::MonthCount {
                    got: p.monthly_qty.len().min(u32::MAX as usize) as u32,
                },
            );
            for (m, q) in p.monthly_qty.iter().enumerate() {
                problems.require(qty(*q), format!("products[{i}].monthly_qty[{m}]"), K::Quantity);
            }
        }
        problems.require(GROWTH_BP.contains(&self.growth_bp.year2), "growth_bp.year2", K::Growth);
        problems.require(GROWTH_BP.contains(&self.growth_bp.year3), "growth_bp.year3", K::Growth);
        problems.require(
            GROWTH_BP.contains(&self.cost_inflation_bp),
            "cost_inflation_bp",
            K::Growth,
        );
        problems.require(rows(self.positions.len()), "positions", rows_problem.clone());
        for (i, p) in self.positions.iter().enumerate() {
            problems.require(text(&p.title), format!("positions[{i}].title"), text_problem.clone());
            problems.require(
                (0..=COUNT_MAX).contains(&p.count),
                format!("positions[{i}].count"),
                K::Count,
            );
            problems.require(money(p.monthly_wage), format!("positions[{i}].monthly_wage"), K::Money);
            problems.require(p.women >= 0, format!("positions[{i}].women"), K::Negative);
            problems.require(p.men >= 0, format!("positions[{i}].men"), K::Negative);
            problems.require(
                p.women.saturating_add(p.men) <= p.count,
                format!("positions[{i}]"),
                K::WomenMenOverCount,
            );
        }
        problems.require(rows(self.fixed_costs.len()), "fixed_costs", rows_problem.clone());
        for (i, c) in self.fixed_costs.iter().enumerate() {
            problems.require(text(&c.name), format!("fixed_costs[{i}].name"), text_problem.clone());
            problems.require(money(c.monthly), format!("fixed_costs[{i}].monthly"), K::Money);
        }
        problems.require(rows(self.competitors.len()), "competitors", rows_problem.clone());
        for (i, c) in self.competitors.iter().enumerate() {
            for (field, value) in [("name", &c.name), ("strength", &c.strength), ("weakness", &c.weakness)] {
                problems.require(text(value), format!("competitors[{i}].{field}"), text_problem.clone());
            }
            problems.require(money(c.price), format!("competitors[{i}].price"), K::Money);
        }
        if let Some(idea) = &self.idea {
            problems.require(
                idea.legal_form.is_empty() || LEGAL_FORMS.contains(&idea.legal_form.as_str()),
                "idea.legal_form",
                K::UnknownChoice,
            );
            problems.require(
                idea.sector.is_empty() || SECTORS.contains(&idea.sector.as_str()),
                "idea.sector",
                K::UnknownChoice,
            );
            problems.require(text(&idea.location), "idea.location", text_problem.clone());
            problems.require(
                idea.start_month.is_empty() || valid_month(&idea.start_month),
                "idea.start_month",
                K::InvalidMonth,
            );
        }
        problems.require(rows(self.risks.len()), "risks", rows_problem);
        for (i, r) in self.risks.iter().enumerate() {
            problems.require(text(&r.risk), format!("risks[{i}].risk"), text_problem.clone());
            problems.require(
                text(&r.mitigation),
                format!("risks[{i}].mitigation"),
                text_problem.clone(),
            );
        }
        problems.0
    }
}

/// Collects problems; `require` records one when its condition does not hold.
#[derive(Default)]
struct Problems(Vec<PlanProblem>);

impl Problems {
    fn require(&mut self, ok: bool, path: impl Into<String>, kind: PlanProblemKind) {
        if !ok {
            self.0.push(PlanProblem {
                path: path.into(),
                kind,
            });
        }
    }
}

/// Parses a `riyada.plan.v1` document and checks it; every problem names its JSON path.
pub fn parse_plan(json: &str) -> Result<PlanFinancials, Vec<PlanProblem>> {
    let deserializer = &mut serde_json::Deserializer::from_str(json);
    let plan: PlanFinancials = serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        vec![PlanProblem {
            path: if path.is_empty() || path == "." {
                "$".into()
            } else {
                path
            },
            kind: PlanProblemKind::Structure {
                detail: e.inner().to_string(),
            },
        }]
    })?;
    let problems = plan.problems();
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

/// `n / d` rounded to the nearest integer, halves away from zero (d > 0).
pub fn round_div(n: i128, d: i128) -> i128 {
    debug_assert!(d > 0);
    if n >= 0 {
        (2 * n + d) / (2 * d)
    } else {
        -((-2 * n + d) / (2 * d))
    }
}

fn to_i64(v: i128) -> i64 {
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// One month of the loan schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoanMonth {
    pub interest: i64,
    pub principal: i64,
}

/// The loan schedule for `months` months (zeros after the loan is repaid).
pub fn loan_schedule(loan: &Loan, months: usize) -> Vec<LoanMonth> {
    let mut schedule = vec![LoanMonth::default(); months];
    let p = loan.amount as i128;
    let rate_bp = loan.annual_rate_bp as i128;
    let grace = loan.grace_months.max(0) as usize;
    let n = loan.term_months.max(1);
    let instalment: i128 = if rate_bp == 0 {
        round_div(p, n as i128)
    } else {
        // Floats only here, as the reference allows; the result is rounded to a minor unit.
        let r = loan.annual_rate_bp as f64 / 10_000.0 / 12.0;
        let a = loan.amount as f64 * r / (1.0 - (1.0 + r).powi(-(n as i32)));
        a.round() as i128
    };
    let mut balance = p;
    let last = grace + n as usize; // months grace+1 ..= last are instalments
    for (index, month) in schedule.iter_mut().enumerate() {
        let m = index + 1;
        if balance <= 0 || m > last {
            break;
        }
        let interest = round_div(balance * rate_bp, 120_000);
        let principal = if m <= grace {
            0
        } else if m == last {
            balance
        } else {
            (instalment - interest).clamp(0, balance)
        };
        balance -= principal;
        *month = LoanMonth {
            interest: to_i64(interest),
            principal: to_i64(principal),
        };
    }
    schedule
}

/// Depreciation charged in each of `months` months.
pub fn depreciation_schedule(items: &[StartupItem], months: usize) -> Vec<i64> {
    let mut schedule = vec![0i64; months];
    for item in items.iter().filter(|i| i.category.is_depreciated()) {
        let life_months = (item.useful_life_years.max(1) * 12) as usize;
        let monthly = round_div(item.quantity as i128 * item.unit_price as i128, life_months as i128);
        for slot in schedule.iter_mut().take(life_months) {
            *slot += to_i64(monthly);
        }
    }
    schedule
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    pub month: u32,
    pub revenue: i64,
    pub cogs: i64,
    pub gross_profit: i64,
    pub wages: i64,
    pub fixed: i64,
    pub depreciation: i64,
    pub operating_profit: i64,
    pub interest: i64,
    pub net_profit: i64,
    pub principal: i64,
    pub cash_in: i64,
    pub cash_out: i64,
    pub closing_cash: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearFigures {
    pub year: u32,
    pub revenue: i64,
    pub cogs: i64,
    pub gross_profit: i64,
    pub wages: i64,
    pub fixed: i64,
    pub depreciation: i64,
    pub operating_profit: i64,
    pub interest: i64,
    pub net_profit: i64,
    pub principal: i64,
}

impl YearFigures {
    /// Fills the derived lines (gross, operating and net profit) from the others.
    fn with_profits(mut self) -> Self {
        self.gross_profit = self.revenue - self.cogs;
        self.operating_profit = self.gross_profit - self.wages - self.fixed - self.depreciation;
        self.net_profit = self.operating_profit - self.interest;
        self
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakEven {
    pub monthly_revenue: Option<i64>,
    pub month: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Jobs {
    pub fte: f64,
    pub women: i64,
    pub men: i64,
}

/// `riyada.financials.v1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Financials {
    pub format: String,
    pub currency: Currency,
    pub startup_total: i64,
    pub funding_total: i64,
    pub funding_gap: i64,
    pub opening_cash: i64,
    pub monthly: Vec<MonthFigures>,
    pub yearly: Vec<YearFigures>,
    pub break_even: BreakEven,
    pub payback_months: Option<f64>,
    pub negative_cash_months: Vec<u32>,
    pub jobs: Jobs,
}

fn grow(value: i64, bp: i64) -> i64 {
    to_i64(round_div(value as i128 * (10_000 + bp as i128), 10_000))
}

/// Computes the financials of a validated plan.
pub fn compute(plan: &PlanFinancials) -> Financials {
    let startup_total: i64 = plan.startup_items.iter().map(|i| i.quantity * i.unit_price).sum();
    let f = &plan.funding;
    let funding_total = f.own + f.family + f.grant + f.loan.as_ref().map_or(0, |l| l.amount);
    let opening_cash = funding_total - startup_total;
    let loan = plan
        .funding
        .loan
        .as_ref()
        .map(|l| loan_schedule(l, 36))
        .unwrap_or_else(|| vec![LoanMonth::default(); 36]);
    let depreciation = depreciation_schedule(&plan.startup_items, 36);
    let wages: i64 = plan.positions.iter().map(|p| p.count * p.monthly_wage).sum();
    let fixed: i64 = plan.fixed_costs.iter().map(|c| c.monthly).sum();

    let mut monthly = Vec::with_capacity(12);
    let mut cash = opening_cash;
    for m in 0..12 {
        let qty = |p: &Product| p.monthly_qty.get(m).copied().unwrap_or(0);
        let revenue: i64 = plan.products.iter().map(|p| qty(p) * p.price).sum();
        let cogs: i64 = plan.products.iter().map(|p| qty(p) * p.unit_cost).sum();
        let gross_profit = revenue - cogs;
        let operating_profit = gross_profit - wages - fixed - depreciation[m];
        let LoanMonth { interest, principal } = loan[m];
        let cash_out = cogs + wages + fixed + interest + principal;
        cash += revenue - cash_out;
        monthly.push(MonthFigures {
            month: m as u32 + 1,
            revenue,
            cogs,
            gross_profit,
            wages,
            fixed,
            depreciation: depreciation[m],
            operating_profit,
            interest,
            net_profit: operating_profit - interest,
            principal,
            cash_in: revenue,
            cash_out,
            closing_cash: cash,
        });
    }

    let sum = |field: fn(&MonthFigures) -> i64| monthly.iter().map(field).sum::<i64>();
    let year_slice = |from: usize, field: fn(&LoanMonth) -> i64| loan[from..from + 12].iter().map(field).sum::<i64>();
    let dep_slice = |from: usize| depreciation[from..from + 12].iter().sum::<i64>();
    let y1 = YearFigures {
        year: 1,
        revenue: sum(|m| m.revenue),
        cogs: sum(|m| m.cogs),
        wages: sum(|m| m.wages),
        fixed: sum(|m| m.fixed),
        depreciation: sum(|m| m.depreciation),
        interest: sum(|m| m.interest),
        principal: sum(|m| m.principal),
        ..Default::default()
    }
    .with_profits();
    let g = &plan.growth_bp;
    let infl = plan.cost_inflation_bp;
    let y2 = YearFigures {
        year: 2,
        revenue: grow(y1.revenue, g.year2),
        cogs: grow(y1.cogs, g.year2),
        wages: grow(y1.wages, infl),
        fixed: grow(y1.fixed, infl),
        depreciation: dep_slice(12),
        interest: year_slice(12, |l| l.interest),
        principal: year_slice(12, |l| l.principal),
        ..Default::default()
    }
    .with_profits();
    let y3 = YearFigures {
        year: 3,
        revenue: grow(y2.revenue, g.year3),
        cogs: grow(y2.cogs, g.year3),
        wages: grow(y2.wages, infl),
        fixed: grow(y2.fixed, infl),
        depreciation: dep_slice(24),
        interest: year_slice(24, |l| l.interest),
        principal: year_slice(24, |l| l.principal),
        ..Default::default()
    }
    .with_profits();

    let break_even = if y1.revenue == 0 || y1.revenue - y1.cogs <= 0 {
        BreakEven::default()
    } else {
        let costs = (y1.wages + y1.fixed + y1.depreciation + y1.interest) as i128;
        // costs / 12 / cmr with cmr = (revenue − cogs) / revenue, in exact integers.
        let revenue_needed = round_div(costs * y1.revenue as i128, 12 * (y1.revenue - y1.cogs) as i128);
        BreakEven {
            monthly_revenue: Some(to_i64(revenue_needed)),
            month: monthly.iter().find(|m| m.net_profit >= 0).map(|m| m.month),
        }
    };

    let cash_generated: i128 = monthly.iter().map(|m| (m.net_profit + m.depreciation) as i128).sum();
    let payback_months =
        (cash_generated > 0).then(|| round_div(120 * startup_total as i128, cash_generated) as f64 / 10.0);

    let full: i64 = plan.positions.iter().filter(|p| p.full_time).map(|p| p.count).sum();
    let part: i64 = plan.positions.iter().filter(|p| !p.full_time).map(|p| p.count).sum();
    let jobs = Jobs {
        fte: (full * 10 + part * 5) as f64 / 10.0,
        women: plan.positions.iter().map(|p| p.women).sum(),
        men: plan.positions.iter().map(|p| p.men).sum(),
    };

    Financials {
        format: FINANCIALS_FORMAT.to_string(),
        currency: plan.currency,
        startup_total,
        funding_total,
        funding_gap: funding_total - startup_total,
        opening_cash,
        negative_cash_months: monthly.iter().filter(|m| m.closing_cash < 0).map(|m| m.month).collect(),
        monthly,
        yearly: vec![y1, y2, y3],
        break_even,
        payback_months,
        jobs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The example of plan-json.md.
    const EXAMPLE: &str = r#"{
      "format": "riyada.plan.v1",
      "currency": "ILS",
      "startup_items": [
        {"name": "ماكينة خياطة", "category": "equipment", "quantity": 2, "unit_price": 180000, "useful_life_years": 5}
      ],
      "funding": {
        "own": 300000, "family": 0, "grant": 500000,
        "loan": {"amount": 400000, "annual_rate_bp": 600, "term_months": 36, "grace_months": 3}
      },
      "products": [
        {"name": "فستان", "unit": "قطعة", "price": 12000, "unit_cost": 5500,
         "monthly_qty": [20, 25, 30, 30, 35, 40, 40, 40, 45, 45, 50, 60]}
      ],
      "growth_bp": {"year2": 1000, "year3": 800},
      "cost_inflation_bp": 300,
      "positions": [
        {"title": "خياطة", "count": 2, "monthly_wage": 150000, "full_time": true, "women": 2, "men": 0}
      ],
      "fixed_costs": [{"name": "إيجار", "monthly": 60000}]
    }"#;

    fn example() -> PlanFinancials {
        parse_plan(EXAMPLE).expect("example parses")
    }

    #[test]
    fn sector_codes_are_the_seeded_ones() {
        let seed = include_str!("../../../migrations/seed.sql");
        let block = seed
            .split("INSERT INTO sectors")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .expect("sectors in the seed");
        let seeded: Vec<&str> = block
            .lines()
            .filter_map(|line| line.trim().strip_prefix("('"))
            .filter_map(|rest| rest.split('\'').next())
            .collect();
        assert_eq!(seeded, SECTORS);
    }

    #[test]
    fn months_are_year_dash_month() {
        assert!(valid_month("2027-03"));
        assert!(!valid_month("2027-3"));
        assert!(!valid_month("2027-13"));
        assert!(!valid_month("1999-12"));
        assert!(!valid_month("March"));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_div(5, 2), 3);
        assert_eq!(round_div(-5, 2), -3);
        assert_eq!(round_div(4, 3), 1);
        assert_eq!(round_div(-4, 3), -1);
        assert_eq!(round_div(0, 7), 0);
    }

    #[test]
    fn example_month_one_by_hand() {
        let f = compute(&example());
        assert_eq!(f.startup_total, 360_000);
        assert_eq!(f.funding_total, 1_200_000);
        assert_eq!(f.funding_gap, 840_000);
        assert_eq!(f.opening_cash, 840_000);
        let m1 = &f.monthly[0];
        assert_eq!((m1.revenue, m1.cogs, m1.gross_profit), (240_000, 110_000, 130_000));
        assert_eq!((m1.wages, m1.fixed), (300_000, 60_000));
        // 2 × 1800.00 over 60 months.
        assert_eq!(m1.depreciation, 6_000);
        // 4000.00 × 6% / 12, interest only during the grace months.
        assert_eq!((m1.interest, m1.principal), (2_000, 0));
        assert_eq!(m1.operating_profit, -236_000);
        assert_eq!(m1.net_profit, -238_000);
        assert_eq!(m1.cash_out, 472_000);
        assert_eq!(m1.closing_cash, 608_000);
    }

    #[test]
    fn annuity_starts_after_grace() {
        let loan = Loan {
            amount: 400_000,
            annual_rate_bp: 600,
            term_months: 36,
            grace_months: 3,
        };
        let s = loan_schedule(&loan, 48);
        assert!(s[..3].iter().all(|m| m.interest == 2_000 && m.principal == 0));
        // A = round(400000 × 0.005 / (1 − 1.005^−36)) = 12169
        assert_eq!(s[3].interest + s[3].principal, 12_169);
        assert_eq!(s[3].principal, 10_169);
        assert_eq!(s.iter().map(|m| m.principal).sum::<i64>(), 400_000);
        // Months 4..=39 are the 36 instalments; month 40 owes nothing.
        assert!(s[38].principal > 0);
        assert_eq!(s[39], LoanMonth::default(), "repaid after 3 + 36 months");
    }

    #[test]
    fn zero_rate_loan_repays_exactly() {
        let loan = Loan {
            amount: 100_000,
            annual_rate_bp: 0,
            term_months: 7,
            grace_months: 0,
        };
        let s = loan_schedule(&loan, 12);
        assert!(s.iter().all(|m| m.interest == 0));
        assert_eq!(s[0].principal, 14_286);
        assert_eq!(s[6].principal, 100_000 - 6 * 14_286);
        assert_eq!(s.iter().map(|m| m.principal).sum::<i64>(), 100_000);
    }

    #[test]
    fn grace_longer_than_a_year_pays_no_principal_in_year_one() {
        let mut plan = example();
        plan.funding.loan = Some(Loan {
            amount: 400_000,
            annual_rate_bp: 600,
            term_months: 12,
            grace_months: 14,
        });
        let f = compute(&plan);
        assert_eq!(f.yearly[0].principal, 0);
        assert_eq!(f.yearly[0].interest, 12 * 2_000);
        assert_eq!(f.yearly[1].principal + f.yearly[2].principal, 400_000);
    }

    #[test]
    fn zero_revenue_has_no_break_even_or_payback() {
        let mut plan = example();
        plan.products.clear();
        let f = compute(&plan);
        assert_eq!(
            f.break_even,
            BreakEven {
                monthly_revenue: None,
                month: None
            }
        );
        assert_eq!(f.payback_months, None);
        assert_eq!(
            f.negative_cash_months.len(),
            12 - f.monthly.iter().filter(|m| m.closing_cash >= 0).count()
        );
    }

    #[test]
    fn negative_growth_shrinks_years_two_and_three() {
        let mut plan = example();
        plan.growth_bp = Growth {
            year2: -1_000,
            year3: -500,
        };
        let f = compute(&plan);
        assert_eq!(f.yearly[1].revenue, grow(f.yearly[0].revenue, -1_000));
        assert_eq!(f.yearly[1].revenue * 10, f.yearly[0].revenue * 9);
        assert_eq!(
            f.yearly[2].revenue,
            round_div(f.yearly[1].revenue as i128 * 9_500, 10_000) as i64
        );
        // Costs inflate by 3% a year, whatever sales do.
        assert_eq!(f.yearly[1].wages, 3_600_000 * 103 / 100);
    }

    #[test]
    fn jod_has_three_decimals() {
        assert_eq!(Currency::JOD.minor_per_major(), 1_000);
        assert_eq!(Currency::ILS.minor_per_major(), 100);
        let plan = parse_plan(&EXAMPLE.replace("\"ILS\"", "\"JOD\"")).unwrap();
        assert_eq!(compute(&plan).currency, Currency::JOD);
    }

    #[test]
    fn example_indicators() {
        let f = compute(&example());
        let y1 = &f.yearly[0];
        assert_eq!(y1.revenue, 460 * 12_000);
        assert_eq!(y1.depreciation, 72_000);
        // Break-even: fixed-type costs × revenue / (12 × contribution).
        let costs = (y1.wages + y1.fixed + y1.depreciation + y1.interest) as i128;
        let expected = round_div(costs * y1.revenue as i128, 12 * (y1.revenue - y1.cogs) as i128) as i64;
        assert_eq!(f.break_even.monthly_revenue, Some(expected));
        assert_eq!(
            f.jobs,
            Jobs {
                fte: 2.0,
                women: 2,
                men: 0
            }
        );
    }

    #[test]
    fn problems_name_their_json_path() {
        let eleven = EXAMPLE.replace("50, 60]", "50]");
        assert_eq!(
            parse_plan(&eleven).unwrap_err(),
            vec![PlanProblem {
                path: "products[0].monthly_qty".into(),
                kind: PlanProblemKind::MonthCount { got: 11 }
            }]
        );
        let unknown = EXAMPLE.replace("\"cost_inflation_bp\"", "\"inflation\"");
        let err = parse_plan(&unknown).unwrap_err();
        assert!(err[0].to_string().contains("unknown field `inflation`"), "{err:?}");
        let negative = EXAMPLE
            .replace("\"own\": 300000", "\"own\": -1")
            .replace("\"annual_rate_bp\": 600", "\"annual_rate_bp\": 20000");
        let err = parse_plan(&negative).unwrap_err();
        let paths: Vec<&str> = err.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["funding.own", "funding.loan.annual_rate_bp"]);
        let wrong_type = EXAMPLE.replace("\"quantity\": 2", "\"quantity\": \"two\"");
        assert_eq!(
            parse_plan(&wrong_type).unwrap_err()[0].path,
            "startup_items[0].quantity"
        );
        let bad_currency = EXAMPLE.replace("\"ILS\"", "\"EUR\"");
        assert_eq!(parse_plan(&bad_currency).unwrap_err()[0].path, "currency");
    }

    fn arb_plan() -> impl Strategy<Value = PlanFinancials> {
        let item =
            (0i64..5, 0i64..1_000_000, 1i64..10, 0usize..7).prop_map(|(quantity, unit_price, life, cat)| StartupItem {
                name: "x".into(),
                category: StartupCategory::ALL[cat],
                quantity,
                unit_price,
                useful_life_years: life,
            });
        let product = (0i64..50_000, 0i64..50_000, proptest::collection::vec(0i64..500, 12)).prop_map(
            |(price, unit_cost, monthly_qty)| Product {
                name: "p".into(),
                unit: String::new(),
                price,
                unit_cost,
                monthly_qty,
            },
        );
        let loan = proptest::option::of((1i64..2_000_000, 0i64..3_000, 1i64..60, 0i64..24).prop_map(
            |(amount, annual_rate_bp, term_months, grace_months)| Loan {
                amount,
                annual_rate_bp,
                term_months,
                grace_months,
            },
        ));
        (
            proptest::collection::vec(item, 0..4),
            proptest::collection::vec(product, 0..3),
            loan,
            0i64..2_000_000,
            0i64..500_000,
        )
            .prop_map(|(startup_items, products, loan, own, rent)| PlanFinancials {
                format: PLAN_FORMAT.into(),
                currency: Currency::ILS,
                startup_items,
                funding: Funding {
                    own,
                    family: 0,
                    grant: 0,
                    loan,
                },
                products,
                growth_bp: Growth {
                    year2: 500,
                    year3: -300,
                },
                cost_inflation_bp: 200,
                positions: vec![Position {
                    title: "t".into(),
                    count: 1,
                    monthly_wage: 100_000,
                    full_time: false,
                    women: 1,
                    men: 0,
                }],
                fixed_costs: vec![FixedCost {
                    name: "rent".into(),
                    monthly: rent,
                }],
                ..PlanFinancials::empty(Currency::ILS)
            })
    }

    proptest! {
        #[test]
        fn closing_cash_is_opening_plus_flows(plan in arb_plan()) {
            let f = compute(&plan);
            let cash_in: i64 = f.monthly.iter().map(|m| m.cash_in).sum();
            let cash_out: i64 = f.monthly.iter().map(|m| m.cash_out).sum();
            prop_assert_eq!(f.monthly[11].closing_cash, f.opening_cash + cash_in - cash_out);
            prop_assert_eq!(f.yearly[0].net_profit, f.monthly.iter().map(|m| m.net_profit).sum::<i64>());
        }

        #[test]
        fn a_fully_repaid_loan_returns_its_principal(amount in 1i64..5_000_000, rate in 0i64..5_000, term in 1i64..120, grace in 0i64..24) {
            let loan = Loan { amount, annual_rate_bp: rate, term_months: term, grace_months: grace };
            let schedule = loan_schedule(&loan, (term + grace) as usize + 1);
            prop_assert_eq!(schedule.iter().map(|m| m.principal).sum::<i64>(), amount);
            prop_assert!(schedule.iter().all(|m| m.principal >= 0 && m.interest >= 0));
        }
    }
}
