//! The tables of the builder (start-up items, funding, products, positions, costs,
//! competitors, risks). What a person types into the cells is parsed here, by the same code
//! in the browser (live totals, messages next to the cell) and on the server (what is
//! stored), so both always agree. Pure: no I/O.
use super::financials::{
    valid_month, Competitor, Currency, FixedCost, IdeaFacts, Loan, PlanFinancials, Position, Product, Risk,
    StartupCategory, StartupItem, CELL_TEXT_MAX, COUNT_MAX, GRACE_MONTHS, GROWTH_BP, ITEMS_MAX, LEGAL_FORMS,
    LIFE_YEARS, MONEY_MAX, QTY_MAX, RATE_BP, SECTORS, TERM_MONTHS,
};
use crate::digits::normalize_digits;
use crate::validation::Problem;
use serde::{Deserialize, Serialize};

crate::keyed! {
    /// One editable table (or, for `single_row` ones, one group of fields).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Table {
        Positions = "positions",
        StartupItems = "startup_items",
        Funding = "funding",
        Products = "products",
        Growth = "growth",
        FixedCosts = "fixed_costs",
        Inflation = "inflation",
        Competitors = "competitors",
        Risks = "risks",
        /// The facts of the idea section.
        Idea = "idea",
    }
}

/// One column of a table; its label comes from the i18n catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Col {
    Title,
    Count,
    MonthlyWage,
    FullTime,
    Women,
    Men,
    /// Of the position's holders, how many are under 30 (the Fund reports youth jobs).
    Youth,
    Name,
    Category,
    Quantity,
    UnitPrice,
    LifeYears,
    Own,
    Family,
    Grant,
    LoanAmount,
    LoanRate,
    LoanTerm,
    LoanGrace,
    Unit,
    Price,
    UnitCost,
    /// Quantity sold in month 1..=12.
    Month(u8),
    GrowthYear2,
    GrowthYear3,
    Monthly,
    CostInflation,
    Strength,
    Weakness,
    Risk,
    Mitigation,
    LegalForm,
    Sector,
    Location,
    StartMonth,
    Registered,
}

/// A closed list of values chosen from a select.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choices {
    LegalForm,
    Sector,
}

impl Choices {
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Choices::LegalForm => &LEGAL_FORMS,
            Choices::Sector => &SECTORS,
        }
    }
}

/// How a cell is typed and read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Text {
        required: bool,
    },
    /// Money in major units with up to the currency's decimals; blank is 0.
    Money,
    /// A whole number; blank is `blank`.
    Whole {
        min: i64,
        max: i64,
        blank: Option<i64>,
    },
    /// A percentage with up to two decimals, stored in basis points; blank is 0.
    Percent {
        min_bp: i64,
        max_bp: i64,
    },
    /// "yes"/"no" (a checkbox).
    YesNo,
    /// One of the start-up categories.
    Category,
    /// One of a closed list, or blank (not chosen yet).
    Choice(Choices),
    /// A month `YYYY-MM` (any digit system), or blank.
    Month,
}

/// A problem with one cell (row numbers from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    pub row: u32,
    pub col: Col,
    pub problem: Problem,
}

/// What a cell means once read.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Text(String),
    Int(i64),
    Bool(bool),
    Category(StartupCategory),
}

impl Value {
    fn int(&self) -> i64 {
        match self {
            Value::Int(v) => *v,
            _ => 0,
        }
    }
    fn text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            _ => String::new(),
        }
    }
    fn yes(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
    fn category(&self) -> StartupCategory {
        match self {
            Value::Category(c) => *c,
            _ => StartupCategory::Equipment,
        }
    }
}

const MONTHS: [Col; 12] = [
    Col::Month(1),
    Col::Month(2),
    Col::Month(3),
    Col::Month(4),
    Col::Month(5),
    Col::Month(6),
    Col::Month(7),
    Col::Month(8),
    Col::Month(9),
    Col::Month(10),
    Col::Month(11),
    Col::Month(12),
];

impl Table {
    /// Shown as a group of fields rather than rows.
    pub fn single_row(self) -> bool {
        matches!(self, Table::Funding | Table::Growth | Table::Inflation | Table::Idea)
    }

    pub fn columns(self) -> Vec<Col> {
        match self {
            Table::Positions => vec![
                Col::Title,
                Col::Count,
                Col::MonthlyWage,
                Col::FullTime,
                Col::Women,
                Col::Men,
                Col::Youth,
            ],
            Table::StartupItems => vec![Col::Name, Col::Category, Col::Quantity, Col::UnitPrice, Col::LifeYears],
            Table::Funding => vec![
                Col::Own,
                Col::Family,
                Col::Grant,
                Col::LoanAmount,
                Col::LoanRate,
                Col::LoanTerm,
                Col::LoanGrace,
            ],
            Table::Products => {
                let mut cols = vec![Col::Name, Col::Unit, Col::Price, Col::UnitCost];
                cols.extend(MONTHS);
                cols
            }
            Table::Growth => vec![Col::GrowthYear2, Col::GrowthYear3],
            Table::FixedCosts => vec![Col::Name, Col::Monthly],
            Table::Inflation => vec![Col::CostInflation],
            Table::Competitors => vec![Col::Name, Col::Price, Col::Strength, Col::Weakness],
            Table::Risks => vec![Col::Risk, Col::Mitigation],
            Table::Idea => vec![
                Col::LegalForm,
                Col::Sector,
                Col::Location,
                Col::StartMonth,
                Col::Registered,
            ],
        }
    }

    /// The rows as cells, from the stored plan (what the editor starts with).
    pub fn rows(self, plan: &PlanFinancials) -> Vec<Vec<String>> {
        let c = plan.currency;
        match self {
            Table::Positions => plan
                .positions
                .iter()
                .map(|p| {
                    vec![
                        p.title.clone(),
                        p.count.to_string(),
                        format_money(p.monthly_wage, c),
                        yes_no(p.full_time),
                        p.women.to_string(),
                        p.men.to_string(),
                        p.youth.to_string(),
                    ]
                })
                .collect(),
            Table::StartupItems => plan
                .startup_items
                .iter()
                .map(|i| {
                    vec![
                        i.name.clone(),
                        i.category.key().to_string(),
                        i.quantity.to_string(),
                        format_money(i.unit_price, c),
                        if i.category.is_depreciated() {
                            i.useful_life_years.to_string()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect(),
            Table::Funding => {
                let f = &plan.funding;
                let loan = f.loan.as_ref();
                vec![vec![
                    format_money(f.own, c),
                    format_money(f.family, c),
                    format_money(f.grant, c),
                    loan.map(|l| format_money(l.amount, c)).unwrap_or_default(),
                    loan.map(|l| format_percent(l.annual_rate_bp)).unwrap_or_default(),
                    loan.map(|l| l.term_months.to_string()).unwrap_or_default(),
                    loan.map(|l| l.grace_months.to_string()).unwrap_or_default(),
                ]]
            }
            Table::Products => plan
                .products
                .iter()
                .map(|p| {
                    let mut row = vec![
                        p.name.clone(),
                        p.unit.clone(),
                        format_money(p.price, c),
                        format_money(p.unit_cost, c),
                    ];
                    row.extend(p.monthly_qty.iter().map(|q| q.to_string()));
                    row
                })
                .collect(),
            Table::Growth => vec![vec![
                format_percent(plan.growth_bp.year2),
                format_percent(plan.growth_bp.year3),
            ]],
            Table::FixedCosts => plan
                .fixed_costs
                .iter()
                .map(|f| vec![f.name.clone(), format_money(f.monthly, c)])
                .collect(),
            Table::Inflation => vec![vec![format_percent(plan.cost_inflation_bp)]],
            Table::Competitors => plan
                .competitors
                .iter()
                .map(|k| {
                    vec![
                        k.name.clone(),
                        if k.price == 0 {
                            String::new()
                        } else {
                            format_money(k.price, c)
                        },
                        k.strength.clone(),
                        k.weakness.clone(),
                    ]
                })
                .collect(),
            Table::Risks => plan
                .risks
                .iter()
                .map(|r| vec![r.risk.clone(), r.mitigation.clone()])
                .collect(),
            Table::Idea => plan
                .idea
                .iter()
                .map(|i| {
                    vec![
                        i.legal_form.clone(),
                        i.sector.clone(),
                        i.location.clone(),
                        i.start_month.clone(),
                        yes_no(i.registered),
                    ]
                })
                .collect(),
        }
    }

    /// Reads typed rows and, when every cell is right, writes them into `plan`. Rows left
    /// wholly blank are dropped. On any problem `plan` is left as it was.
    pub fn apply(self, plan: &mut PlanFinancials, rows: &[Vec<String>]) -> Result<(), Vec<CellError>> {
        let columns = self.columns();
        if rows.len() > ITEMS_MAX {
            return Err(vec![CellError {
                row: ITEMS_MAX as u32,
                col: columns[0],
                problem: Problem::TooManyRows { max: ITEMS_MAX as u32 },
            }]);
        }
        let mut errors = Vec::new();
        let mut parsed: Vec<(u32, Vec<Value>)> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            if !self.single_row() && row.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let mut values = Vec::with_capacity(columns.len());
            for (i, col) in columns.iter().enumerate() {
                let typed = row.get(i).map(String::as_str).unwrap_or("");
                match parse_cell(col.cell(), typed, plan.currency) {
                    Ok(v) => values.push(v),
                    Err(problem) => {
                        errors.push(CellError {
                            row: r as u32,
                            col: *col,
                            problem,
                        });
                        values.push(Value::Int(0));
                    }
                }
            }
            parsed.push((r as u32, values));
        }
        // Rules across cells of one row.
        for (r, v) in &parsed {
            match self {
                Table::Positions if v[4].int().saturating_add(v[5].int()) > v[1].int() => errors.push(CellError {
                    row: *r,
                    col: Col::Women,
                    problem: Problem::OverCount,
                }),
                Table::Positions if v[6].int() > v[1].int() => errors.push(CellError {
                    row: *r,
                    col: Col::Youth,
                    problem: Problem::YouthOverCount,
                }),
                Table::Funding if v[3].int() > 0 && row_text(rows, *r, 5).is_empty() => errors.push(CellError {
                    row: *r,
                    col: Col::LoanTerm,
                    problem: Problem::Required,
                }),
                _ => {}
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.row);
            return Err(errors);
        }
        let values = parsed.into_iter().map(|(_, v)| v);
        match self {
            Table::Positions => {
                plan.positions = values
                    .map(|v| Position {
                        title: v[0].text(),
                        count: v[1].int(),
                        monthly_wage: v[2].int(),
                        full_time: v[3].yes(),
                        women: v[4].int(),
                        men: v[5].int(),
                        youth: v[6].int(),
                    })
                    .collect()
            }
            Table::StartupItems => {
                plan.startup_items = values
                    .map(|v| StartupItem {
                        name: v[0].text(),
                        category: v[1].category(),
                        quantity: v[2].int(),
                        unit_price: v[3].int(),
                        useful_life_years: v[4].int(),
                    })
                    .collect()
            }
            Table::Funding => {
                if let Some(v) = values.into_iter().next() {
                    plan.funding.own = v[0].int();
                    plan.funding.family = v[1].int();
                    plan.funding.grant = v[2].int();
                    plan.funding.loan = (v[3].int() > 0).then(|| Loan {
                        amount: v[3].int(),
                        annual_rate_bp: v[4].int(),
                        term_months: v[5].int(),
                        grace_months: v[6].int(),
                    });
                }
            }
            Table::Products => {
                plan.products = values
                    .map(|v| Product {
                        name: v[0].text(),
                        unit: v[1].text(),
                        price: v[2].int(),
                        unit_cost: v[3].int(),
                        monthly_qty: v[4..16].iter().map(Value::int).collect(),
                    })
                    .collect()
            }
            Table::Growth => {
                if let Some(v) = values.into_iter().next() {
                    plan.growth_bp.year2 = v[0].int();
                    plan.growth_bp.year3 = v[1].int();
                }
            }
            Table::FixedCosts => {
                plan.fixed_costs = values
                    .map(|v| FixedCost {
                        name: v[0].text(),
                        monthly: v[1].int(),
                    })
                    .collect()
            }
            Table::Inflation => {
                if let Some(v) = values.into_iter().next() {
                    plan.cost_inflation_bp = v[0].int();
                }
            }
            Table::Competitors => {
                plan.competitors = values
                    .map(|v| Competitor {
                        name: v[0].text(),
                        price: v[1].int(),
                        strength: v[2].text(),
                        weakness: v[3].text(),
                    })
                    .collect()
            }
            Table::Risks => {
                plan.risks = values
                    .map(|v| Risk {
                        risk: v[0].text(),
                        mitigation: v[1].text(),
                    })
                    .collect()
            }
            Table::Idea => {
                plan.idea = values.into_iter().next().map(|v| IdeaFacts {
                    legal_form: v[0].text(),
                    sector: v[1].text(),
                    location: v[2].text(),
                    start_month: v[3].text(),
                    registered: v[4].yes(),
                })
            }
        }
        Ok(())
    }
}

fn row_text(rows: &[Vec<String>], row: u32, col: usize) -> &str {
    rows.get(row as usize)
        .and_then(|r| r.get(col))
        .map(|s| s.trim())
        .unwrap_or("")
}

impl Col {
    pub fn cell(self) -> Cell {
        match self {
            Col::Title | Col::Name | Col::Risk => Cell::Text { required: true },
            Col::Unit | Col::Strength | Col::Weakness | Col::Mitigation | Col::Location => {
                Cell::Text { required: false }
            }
            Col::LegalForm => Cell::Choice(Choices::LegalForm),
            Col::Sector => Cell::Choice(Choices::Sector),
            Col::StartMonth => Cell::Month,
            Col::Registered => Cell::YesNo,
            Col::MonthlyWage
            | Col::UnitPrice
            | Col::Own
            | Col::Family
            | Col::Grant
            | Col::LoanAmount
            | Col::Price
            | Col::UnitCost
            | Col::Monthly => Cell::Money,
            Col::Count => Cell::Whole {
                min: 0,
                max: COUNT_MAX,
                blank: Some(1),
            },
            Col::Women | Col::Men | Col::Youth => Cell::Whole {
                min: 0,
                max: COUNT_MAX,
                blank: Some(0),
            },
            Col::Quantity => Cell::Whole {
                min: 0,
                max: QTY_MAX,
                blank: Some(1),
            },
            Col::Month(_) => Cell::Whole {
                min: 0,
                max: QTY_MAX,
                blank: Some(0),
            },
            Col::LifeYears => Cell::Whole {
                min: *LIFE_YEARS.start(),
                max: *LIFE_YEARS.end(),
                blank: Some(5),
            },
            Col::LoanTerm => Cell::Whole {
                min: *TERM_MONTHS.start(),
                max: *TERM_MONTHS.end(),
                blank: Some(0),
            },
            Col::LoanGrace => Cell::Whole {
                min: *GRACE_MONTHS.start(),
                max: *GRACE_MONTHS.end(),
                blank: Some(0),
            },
            Col::LoanRate => Cell::Percent {
                min_bp: *RATE_BP.start(),
                max_bp: *RATE_BP.end(),
            },
            Col::GrowthYear2 | Col::GrowthYear3 | Col::CostInflation => Cell::Percent {
                min_bp: *GROWTH_BP.start(),
                max_bp: *GROWTH_BP.end(),
            },
            Col::FullTime => Cell::YesNo,
            Col::Category => Cell::Category,
        }
    }

    /// Numbers are typed on a numeric keyboard (`inputmode="decimal"`).
    pub fn numeric(self) -> bool {
        matches!(self.cell(), Cell::Money | Cell::Whole { .. } | Cell::Percent { .. })
    }
}

fn yes_no(yes: bool) -> String {
    if yes { "yes" } else { "no" }.to_string()
}

fn parse_cell(cell: Cell, typed: &str, currency: Currency) -> Result<Value, Problem> {
    let typed = typed.trim();
    match cell {
        Cell::Text { required } => {
            if required && typed.is_empty() {
                Err(Problem::Required)
            } else if typed.chars().count() > CELL_TEXT_MAX {
                Err(Problem::TooLong {
                    max: CELL_TEXT_MAX as u32,
                })
            } else if typed.chars().any(char::is_control) {
                Err(Problem::ControlCharacters)
            } else {
                Ok(Value::Text(typed.to_string()))
            }
        }
        Cell::Money => parse_money(typed, currency).map(Value::Int),
        Cell::Whole { min, max, blank } => {
            if typed.is_empty() {
                return blank.map(Value::Int).ok_or(Problem::Required);
            }
            let value = parse_decimal(typed, 0)?;
            if value < min || value > max {
                return Err(Problem::OutOfRange { min, max });
            }
            Ok(Value::Int(value))
        }
        Cell::Percent { min_bp, max_bp } => {
            let bp = if typed.is_empty() { 0 } else { parse_decimal(typed, 2)? };
            if bp < min_bp || bp > max_bp {
                return Err(Problem::OutOfRange {
                    min: min_bp / 100,
                    max: max_bp / 100,
                });
            }
            Ok(Value::Int(bp))
        }
        Cell::YesNo => match typed {
            "yes" | "on" | "true" => Ok(Value::Bool(true)),
            "" | "no" | "off" | "false" => Ok(Value::Bool(false)),
            _ => Err(Problem::UnknownChoice),
        },
        Cell::Category => StartupCategory::ALL
            .into_iter()
            .find(|c| c.key() == typed)
            .map(Value::Category)
            .ok_or(Problem::UnknownChoice),
        Cell::Choice(choices) => {
            if typed.is_empty() || choices.keys().contains(&typed) {
                Ok(Value::Text(typed.to_string()))
            } else {
                Err(Problem::UnknownChoice)
            }
        }
        Cell::Month => {
            let month: String = normalize_digits(typed).chars().filter(|c| !c.is_whitespace()).collect();
            if month.is_empty() || valid_month(&month) {
                Ok(Value::Text(month))
            } else {
                Err(Problem::InvalidMonth)
            }
        }
    }
}

/// An amount typed in major units (any digit system, `,`/`٬` as thousands separators, `.`/`٫`
/// before the decimals) in minor units of `currency`. Blank is 0.
pub fn parse_money(typed: &str, currency: Currency) -> Result<i64, Problem> {
    if typed.trim().is_empty() {
        return Ok(0);
    }
    let decimals = if currency.minor_per_major() == 1000 { 3 } else { 2 };
    let minor = parse_decimal(typed, decimals)?;
    if minor < 0 {
        return Err(Problem::Negative);
    }
    if minor > MONEY_MAX {
        return Err(Problem::AmountTooLarge);
    }
    Ok(minor)
}

/// A decimal number scaled by 10^decimals, exactly (no floating point).
fn parse_decimal(typed: &str, decimals: u32) -> Result<i64, Problem> {
    let normal: String = normalize_digits(typed.trim())
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{00A0}' | '\u{202F}'))
        .map(|c| if c == '\u{2212}' { '-' } else { c })
        .collect();
    let (negative, body) = match normal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, normal.as_str()),
    };
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return Err(Problem::InvalidNumber);
    }
    if fraction.len() > decimals as usize {
        return Err(if decimals == 0 {
            Problem::WholeNumber
        } else {
            Problem::TooManyDecimals { max: decimals }
        });
    }
    if whole.len() > 15 {
        return Err(Problem::AmountTooLarge);
    }
    let scale = 10i64.pow(decimals);
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| Problem::InvalidNumber)?
    };
    let padded = format!("{fraction:0<width$}", width = decimals as usize);
    let fraction: i64 = if padded.is_empty() {
        0
    } else {
        padded.parse().map_err(|_| Problem::InvalidNumber)?
    };
    let value = whole * scale + fraction;
    Ok(if negative { -value } else { value })
}

/// Minor units as typed major units: `1500`, `1500.5` → `"1500.50"`, JOD `"12.345"`.
pub fn format_money(minor: i64, currency: Currency) -> String {
    let per = currency.minor_per_major();
    let decimals = if per == 1000 { 3 } else { 2 };
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let (whole, fraction) = (abs / per as u64, abs % per as u64);
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0width$}", width = decimals)
    }
}

/// Basis points as a typed percentage: 600 → "6", 650 → "6.5", 1225 → "12.25".
pub fn format_percent(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let abs = bp.unsigned_abs();
    let (whole, fraction) = (abs / 100, abs % 100);
    match fraction {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// Money for reading: thousands grouped, the currency's decimals only when needed, and in
/// Arabic with Arabic-Indic digits and separators (١٬٥٠٠٫٥٠).
pub fn display_money(minor: i64, currency: Currency, arabic: bool) -> String {
    let plain = format_money(minor, currency);
    let (int_part, fraction) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int_part),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let text = if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    };
    if arabic {
        to_arabic_digits(&text)
    } else {
        text
    }
}

/// Latin digits and separators as Arabic-Indic ones, for Arabic text.
pub fn to_arabic_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
            ',' => '\u{066C}',
            '.' => '\u{066B}',
            '-' => '\u{2212}',
            other => other,
        })
        .collect()
}

/// Running totals shown under the tables as a person types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub startup: i64,
    pub funding: i64,
    pub monthly_wages: i64,
    pub monthly_fixed: i64,
    pub revenue_year1: i64,
    pub cogs_year1: i64,
    pub people: i64,
}

pub fn totals(plan: &PlanFinancials) -> Totals {
    // The tables as typed may not have passed the plan's limits yet: sum without overflow.
    let sum = |values: &mut dyn Iterator<Item = i64>| values.fold(0i64, i64::saturating_add);
    let times = |a: i64, b: i64| a.saturating_mul(b);
    let f = &plan.funding;
    let loan = f.loan.as_ref().map_or(0, |l| l.amount);
    let sold = |p: &Product| sum(&mut p.monthly_qty.iter().copied());
    Totals {
        startup: sum(&mut plan.startup_items.iter().map(|i| times(i.quantity, i.unit_price))),
        funding: sum(&mut [f.own, f.family, f.grant, loan].into_iter()),
        monthly_wages: sum(&mut plan.positions.iter().map(|p| times(p.count, p.monthly_wage))),
        monthly_fixed: sum(&mut plan.fixed_costs.iter().map(|c| c.monthly)),
        revenue_year1: sum(&mut plan.products.iter().map(|p| times(p.price, sold(p)))),
        cogs_year1: sum(&mut plan.products.iter().map(|p| times(p.unit_cost, sold(p)))),
        people: sum(&mut plan.positions.iter().map(|p| p.count)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn money_accepts_every_digit_system_and_keeps_minor_units_exact() {
        assert_eq!(parse_money("1500", Currency::ILS), Ok(150_000));
        assert_eq!(parse_money("١٬٥٠٠٫٥", Currency::ILS), Ok(150_050));
        assert_eq!(parse_money("۱۲۰", Currency::USD), Ok(12_000));
        assert_eq!(parse_money("1,234.56", Currency::ILS), Ok(123_456));
        assert_eq!(parse_money("12.345", Currency::JOD), Ok(12_345));
        assert_eq!(parse_money("", Currency::ILS), Ok(0));
        assert_eq!(
            parse_money("12.345", Currency::ILS),
            Err(Problem::TooManyDecimals { max: 2 })
        );
        assert_eq!(parse_money("-5", Currency::ILS), Err(Problem::Negative));
        assert_eq!(parse_money("12a", Currency::ILS), Err(Problem::InvalidNumber));
        assert_eq!(parse_money(".", Currency::ILS), Err(Problem::InvalidNumber));
        assert_eq!(
            parse_money("999999999999999999", Currency::ILS),
            Err(Problem::AmountTooLarge)
        );
        assert_eq!(parse_money("100000000001", Currency::ILS), Err(Problem::AmountTooLarge));
    }

    #[test]
    fn money_and_percent_format_back_to_what_parses() {
        for (minor, currency) in [
            (150_050, Currency::ILS),
            (150_000, Currency::USD),
            (12_345, Currency::JOD),
            (5, Currency::ILS),
        ] {
            assert_eq!(parse_money(&format_money(minor, currency), currency), Ok(minor));
        }
        assert_eq!(format_money(150_050, Currency::ILS), "1500.50");
        assert_eq!(format_money(12_005, Currency::JOD), "12.005");
        assert_eq!(format_percent(600), "6");
        assert_eq!(format_percent(650), "6.5");
        assert_eq!(format_percent(1225), "12.25");
        assert_eq!(format_percent(-300), "-3");
        assert_eq!(display_money(123_456_789, Currency::ILS, false), "1,234,567.89");
        assert_eq!(display_money(-150_000, Currency::ILS, true), "−١٬٥٠٠");
    }

    #[test]
    fn startup_rows_read_arabic_digits_and_skip_blank_rows() {
        let mut plan = PlanFinancials::empty(Currency::ILS);
        let rows = vec![
            s(&["ماكينة خياطة", "equipment", "٢", "١٨٠٠", ""]),
            s(&["", "", "", "", ""]),
            s(&["رسوم ترخيص", "fees", "", "٣٠٠", ""]),
        ];
        Table::StartupItems.apply(&mut plan, &rows).expect("valid rows");
        assert_eq!(plan.startup_items.len(), 2);
        assert_eq!(plan.startup_items[0].quantity, 2);
        assert_eq!(plan.startup_items[0].unit_price, 180_000);
        assert_eq!(plan.startup_items[0].useful_life_years, 5);
        assert_eq!(plan.startup_items[1].quantity, 1);
        assert_eq!(totals(&plan).startup, 390_000);
        // Back to cells and in again gives the same plan.
        let again = Table::StartupItems.rows(&plan);
        let mut copy = PlanFinancials::empty(Currency::ILS);
        Table::StartupItems.apply(&mut copy, &again).expect("round trip");
        assert_eq!(copy.startup_items, plan.startup_items);
    }

    #[test]
    fn bad_cells_are_named_and_nothing_is_changed() {
        let mut plan = PlanFinancials::empty(Currency::ILS);
        plan.fixed_costs.push(FixedCost {
            name: "إيجار".into(),
            monthly: 60_000,
        });
        let before = plan.clone();
        let rows = vec![s(&["", "100"]), s(&["كهرباء", "مئة"])];
        let errors = Table::FixedCosts.apply(&mut plan, &rows).unwrap_err();
        assert_eq!(
            errors,
            vec![
                CellError {
                    row: 0,
                    col: Col::Name,
                    problem: Problem::Required
                },
                CellError {
                    row: 1,
                    col: Col::Monthly,
                    problem: Problem::InvalidNumber
                },
            ]
        );
        assert_eq!(plan, before);
        let too_many = vec![s(&["x", "1"]); ITEMS_MAX + 1];
        assert_eq!(
            Table::FixedCosts.apply(&mut plan, &too_many).unwrap_err()[0].problem,
            Problem::TooManyRows { max: 200 }
        );
    }

    #[test]
    fn positions_check_women_and_men_against_the_count() {
        let mut plan = PlanFinancials::empty(Currency::ILS);
        let rows = vec![s(&["خياطة", "2", "1500", "yes", "2", "1"])];
        let errors = Table::Positions.apply(&mut plan, &rows).unwrap_err();
        assert_eq!(errors[0].col, Col::Women);
        assert_eq!(errors[0].problem, Problem::OverCount);
        let rows = vec![
            s(&["خياطة", "٢", "١٥٠٠", "yes", "٢", "0"]),
            s(&["محاسب", "1", "900", "no", "", "1"]),
        ];
        Table::Positions.apply(&mut plan, &rows).expect("valid");
        assert_eq!(totals(&plan).monthly_wages, 390_000);
        assert!(!plan.positions[1].full_time);
    }

    #[test]
    fn funding_needs_a_term_for_a_loan_and_reads_rates_as_basis_points() {
        let mut plan = PlanFinancials::empty(Currency::ILS);
        let errors = Table::Funding
            .apply(&mut plan, &[s(&["3000", "", "5000", "4000", "6", "", "3"])])
            .unwrap_err();
        assert_eq!((errors[0].col, errors[0].problem), (Col::LoanTerm, Problem::Required));
        Table::Funding
            .apply(&mut plan, &[s(&["3000", "", "5000", "4000", "٦٫٥", "36", "3"])])
            .expect("valid");
        let loan = plan.funding.loan.clone().expect("a loan");
        assert_eq!((loan.amount, loan.annual_rate_bp, loan.term_months), (400_000, 650, 36));
        assert_eq!(totals(&plan).funding, 1_200_000);
        // No amount: no loan, whatever else is typed.
        Table::Funding
            .apply(&mut plan, &[s(&["3000", "", "", "", "", "", ""])])
            .expect("valid");
        assert_eq!(plan.funding.loan, None);
        let errors = Table::Funding
            .apply(&mut plan, &[s(&["", "", "", "100", "150", "12", ""])])
            .unwrap_err();
        assert_eq!(errors[0].problem, Problem::OutOfRange { min: 0, max: 100 });
    }

    #[test]
    fn idea_facts_take_known_choices_and_a_month() {
        let mut plan = PlanFinancials::empty(Currency::ILS);
        Table::Idea
            .apply(
                &mut plan,
                &[s(&["sole_trader", "manufacturing_crafts", "خان يونس", "٢٠٢٧-٠٣", "no"])],
            )
            .expect("valid");
        let idea = plan.idea.clone().expect("facts");
        assert_eq!(
            (idea.sector.as_str(), idea.start_month.as_str()),
            ("manufacturing_crafts", "2027-03")
        );
        assert!(!idea.registered);
        assert!(plan.problems().is_empty());
        let errors = Table::Idea
            .apply(&mut plan, &[s(&["llc", "", "", "March", ""])])
            .unwrap_err();
        let problems: Vec<_> = errors.iter().map(|e| (e.col, e.problem)).collect();
        assert_eq!(
            problems,
            [
                (Col::LegalForm, Problem::UnknownChoice),
                (Col::StartMonth, Problem::InvalidMonth)
            ]
        );
        // Nothing chosen yet is fine while drafting.
        Table::Idea
            .apply(&mut plan, &[s(&["", "", "", "", ""])])
            .expect("blank");
    }

    #[test]
    fn products_take_twelve_months_and_growth_may_be_negative() {
        let mut plan = PlanFinancials::empty(Currency::JOD);
        let mut row = s(&["فستان", "قطعة", "12.5", "5.250"]);
        row.extend((1..=12).map(|m| m.to_string()));
        Table::Products.apply(&mut plan, &[row.clone()]).expect("valid");
        assert_eq!(plan.products[0].price, 12_500);
        assert_eq!(plan.products[0].monthly_qty.iter().sum::<i64>(), 78);
        assert_eq!(totals(&plan).revenue_year1, 975_000);
        row[5] = "1.5".into();
        let errors = Table::Products.apply(&mut plan, &[row]).unwrap_err();
        assert_eq!(
            (errors[0].col, errors[0].problem),
            (Col::Month(2), Problem::WholeNumber)
        );
        Table::Growth.apply(&mut plan, &[s(&["10", "-5"])]).expect("valid");
        assert_eq!((plan.growth_bp.year2, plan.growth_bp.year3), (1000, -500));
        assert!(plan.problems().is_empty());
    }
}
