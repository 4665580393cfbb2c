//! The types of a `riyada.plan.v1` document and the limits on its values (see
//! `docs/plan-format.md`). Money is always an integer count of the currency's minor unit.
use serde::{Deserialize, Serialize};

pub const PLAN_FORMAT: &str = "riyada.plan.v1";
pub const FINANCIALS_FORMAT: &str = "riyada.financials.v1";

crate::keyed! {
    /// A plan's currency; money is stored in its minor unit.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Currency {
        ILS = "ILS",
        USD = "USD",
        JOD = "JOD",
    }
}

/// The shekel, unless the person chooses another.
impl Default for Currency {
    fn default() -> Self {
        Currency::ILS
    }
}

impl Currency {
    /// Minor units per major unit (agorot, cents, fils).
    pub fn minor_per_major(self) -> i64 {
        match self {
            Currency::ILS | Currency::USD => 100,
            Currency::JOD => 1000,
        }
    }
}

crate::keyed! {
    /// What a start-up item is; the first three are depreciated over their useful life.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum StartupCategory {
        Equipment = "equipment",
        Furniture = "furniture",
        Renovation = "renovation",
        Fees = "fees",
        Stock = "stock",
        Preopening = "preopening",
        WorkingCapital = "working_capital",
    }
}

impl StartupCategory {
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
    /// Holders under 30 (of `count`); plans written before this column read as 0.
    #[serde(default)]
    pub youth: i64,
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
    #[serde(default)]
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

/// Largest amount of money accepted anywhere (10^13 minor units: a hundred billion shekels), and
/// the largest total of one line (quantity × price, count × wage): with at most 200 lines,
/// 12 months and the growth limits, no sum of the model can overflow.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_codes_are_the_seeded_ones() {
        let seed = include_str!("../../../../migrations/seed.sql");
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
}
