//! The plan in the reader's words, for the builder's pages and the PDF alike: section,
//! table and column names, categories and choices, the problems of a plan document, the
//! indicator lines and the P&L lines. Text only (no views, no I/O), all from the i18n
//! catalogue, so the page and the PDF always say the same thing.
use crate::i18n::*;
use crate::lang::{digits, money};
use domain::plan::financials::{
    Currency, Financials, MonthFigures, PlanProblem, PlanProblemKind, StartupCategory, YearFigures,
};
use domain::plan::indicators::{hundredths, tenths, Indicators};
use domain::plan::sections::SectionKey;
use domain::plan::tables::{Col, Table};

pub fn table_title(locale: Locale, table: Table) -> &'static str {
    match table {
        Table::Positions => td_string!(locale, tables.positions),
        Table::StartupItems => td_string!(locale, tables.startup_items),
        Table::Funding => td_string!(locale, tables.funding),
        Table::Products => td_string!(locale, tables.products),
        Table::Growth => td_string!(locale, tables.growth),
        Table::FixedCosts => td_string!(locale, tables.fixed_costs),
        Table::Inflation => td_string!(locale, tables.inflation),
        Table::Competitors => td_string!(locale, tables.competitors),
        Table::Risks => td_string!(locale, tables.risks),
        Table::Idea => td_string!(locale, tables.idea),
    }
}

pub fn col_label(locale: Locale, col: Col) -> String {
    match col {
        Col::Title => td_string!(locale, cols.title).to_string(),
        Col::Count => td_string!(locale, cols.count).to_string(),
        Col::MonthlyWage => td_string!(locale, cols.monthly_wage).to_string(),
        Col::FullTime => td_string!(locale, cols.full_time).to_string(),
        Col::Women => td_string!(locale, cols.women).to_string(),
        Col::Men => td_string!(locale, cols.men).to_string(),
        Col::Youth => td_string!(locale, cols.youth).to_string(),
        Col::Name => td_string!(locale, cols.name).to_string(),
        Col::Category => td_string!(locale, cols.category).to_string(),
        Col::Quantity => td_string!(locale, cols.quantity).to_string(),
        Col::UnitPrice => td_string!(locale, cols.unit_price).to_string(),
        Col::LifeYears => td_string!(locale, cols.life_years).to_string(),
        Col::Own => td_string!(locale, cols.own).to_string(),
        Col::Family => td_string!(locale, cols.family).to_string(),
        Col::Grant => td_string!(locale, cols.grant).to_string(),
        Col::LoanAmount => td_string!(locale, cols.loan_amount).to_string(),
        Col::LoanRate => td_string!(locale, cols.loan_rate).to_string(),
        Col::LoanTerm => td_string!(locale, cols.loan_term).to_string(),
        Col::LoanGrace => td_string!(locale, cols.loan_grace).to_string(),
        Col::Unit => td_string!(locale, cols.unit).to_string(),
        Col::Price => td_string!(locale, cols.price).to_string(),
        Col::UnitCost => td_string!(locale, cols.unit_cost).to_string(),
        Col::Month(n) => td_string!(locale, cols.month, n = n).to_string(),
        Col::GrowthYear2 => td_string!(locale, cols.growth_year2).to_string(),
        Col::GrowthYear3 => td_string!(locale, cols.growth_year3).to_string(),
        Col::Monthly => td_string!(locale, cols.monthly).to_string(),
        Col::CostInflation => td_string!(locale, cols.cost_inflation).to_string(),
        Col::Strength => td_string!(locale, cols.strength).to_string(),
        Col::Weakness => td_string!(locale, cols.weakness).to_string(),
        Col::Risk => td_string!(locale, cols.risk).to_string(),
        Col::Mitigation => td_string!(locale, cols.mitigation).to_string(),
        Col::LegalForm => td_string!(locale, cols.legal_form).to_string(),
        Col::Sector => td_string!(locale, cols.sector).to_string(),
        Col::Location => td_string!(locale, cols.location).to_string(),
        Col::StartMonth => td_string!(locale, cols.start_month).to_string(),
        Col::Registered => td_string!(locale, cols.registered).to_string(),
    }
}

pub fn category_label(locale: Locale, category: StartupCategory) -> &'static str {
    match category {
        StartupCategory::Equipment => td_string!(locale, categories.equipment),
        StartupCategory::Furniture => td_string!(locale, categories.furniture),
        StartupCategory::Renovation => td_string!(locale, categories.renovation),
        StartupCategory::Fees => td_string!(locale, categories.fees),
        StartupCategory::Stock => td_string!(locale, categories.stock),
        StartupCategory::Preopening => td_string!(locale, categories.preopening),
        StartupCategory::WorkingCapital => td_string!(locale, categories.working_capital),
    }
}

// Moved down to `lang` (the register and the Fund's pages name sectors too); kept here
// under its old path for the plan's pages.
pub use crate::lang::choice_label;

/// One problem of an imported plan: where (the JSON path, as `riyada calc` names it) and
/// what, in the reader's language.
pub fn plan_problem_text(locale: Locale, problem: &PlanProblem) -> String {
    use PlanProblemKind as K;
    let what = match &problem.kind {
        K::Structure { detail } => td_string!(locale, plan_problems.structure, detail = detail).to_string(),
        K::Format => td_string!(locale, plan_problems.format).to_string(),
        K::Money => td_string!(locale, plan_problems.money).to_string(),
        K::Quantity => td_string!(locale, plan_problems.quantity).to_string(),
        K::UsefulLife => td_string!(locale, plan_problems.useful_life).to_string(),
        K::Rate => td_string!(locale, plan_problems.rate).to_string(),
        K::Term => td_string!(locale, plan_problems.term).to_string(),
        K::Grace => td_string!(locale, plan_problems.grace).to_string(),
        K::TooManyRows { max } => td_string!(locale, plan_problems.too_many_rows, max = max).to_string(),
        K::MonthCount { got } => td_string!(locale, plan_problems.month_count, got = got).to_string(),
        K::Growth => td_string!(locale, plan_problems.growth).to_string(),
        K::Count => td_string!(locale, plan_problems.count).to_string(),
        K::Negative => td_string!(locale, plan_problems.negative).to_string(),
        K::WomenMenOverCount => td_string!(locale, plan_problems.women_men).to_string(),
        K::YouthOverCount => td_string!(locale, plan_problems.youth).to_string(),
        K::TextTooLong { max } => td_string!(locale, plan_problems.text_too_long, max = max).to_string(),
        K::UnknownSection => td_string!(locale, plan_problems.unknown_section).to_string(),
        K::UnknownChoice => td_string!(locale, plan_problems.unknown_choice).to_string(),
        K::InvalidMonth => td_string!(locale, plan_problems.invalid_month).to_string(),
        K::LineTooLarge => td_string!(locale, plan_problems.line_too_large).to_string(),
    };
    format!("{}: {what}", problem.path)
}

pub fn section_title(locale: Locale, key: SectionKey) -> &'static str {
    match key {
        SectionKey::Summary => td_string!(locale, sections.summary.title),
        SectionKey::Entrepreneur => td_string!(locale, sections.entrepreneur.title),
        SectionKey::Idea => td_string!(locale, sections.idea.title),
        SectionKey::Market => td_string!(locale, sections.market.title),
        SectionKey::Marketing => td_string!(locale, sections.marketing.title),
        SectionKey::Operations => td_string!(locale, sections.operations.title),
        SectionKey::Team => td_string!(locale, sections.team.title),
        SectionKey::Startup => td_string!(locale, sections.startup.title),
        SectionKey::Funding => td_string!(locale, sections.funding.title),
        SectionKey::Sales => td_string!(locale, sections.sales.title),
        SectionKey::Costs => td_string!(locale, sections.costs.title),
        SectionKey::Financials => td_string!(locale, sections.financials.title),
        SectionKey::Risks => td_string!(locale, sections.risks.title),
    }
}

pub fn section_help(locale: Locale, key: SectionKey) -> (&'static str, &'static str) {
    match key {
        SectionKey::Summary => (
            td_string!(locale, sections.summary.help),
            td_string!(locale, sections.summary.example),
        ),
        SectionKey::Entrepreneur => (
            td_string!(locale, sections.entrepreneur.help),
            td_string!(locale, sections.entrepreneur.example),
        ),
        SectionKey::Idea => (
            td_string!(locale, sections.idea.help),
            td_string!(locale, sections.idea.example),
        ),
        SectionKey::Market => (
            td_string!(locale, sections.market.help),
            td_string!(locale, sections.market.example),
        ),
        SectionKey::Marketing => (
            td_string!(locale, sections.marketing.help),
            td_string!(locale, sections.marketing.example),
        ),
        SectionKey::Operations => (
            td_string!(locale, sections.operations.help),
            td_string!(locale, sections.operations.example),
        ),
        SectionKey::Team => (
            td_string!(locale, sections.team.help),
            td_string!(locale, sections.team.example),
        ),
        SectionKey::Startup => (
            td_string!(locale, sections.startup.help),
            td_string!(locale, sections.startup.example),
        ),
        SectionKey::Funding => (
            td_string!(locale, sections.funding.help),
            td_string!(locale, sections.funding.example),
        ),
        SectionKey::Sales => (
            td_string!(locale, sections.sales.help),
            td_string!(locale, sections.sales.example),
        ),
        SectionKey::Costs => (
            td_string!(locale, sections.costs.help),
            td_string!(locale, sections.costs.example),
        ),
        SectionKey::Financials => (
            td_string!(locale, sections.financials.help),
            td_string!(locale, sections.financials.example),
        ),
        SectionKey::Risks => (
            td_string!(locale, sections.risks.help),
            td_string!(locale, sections.risks.example),
        ),
    }
}

/// One indicator as shown: name, value, a plain-words explanation, and whether it is a
/// good or a bad sign ("ok", "bad" or "").
pub struct IndicatorLine {
    pub label: &'static str,
    pub value: String,
    pub help: &'static str,
    pub tone: &'static str,
}

/// The indicators of `docs/business-plan.md` in the reader's language (the page and the PDF).
pub fn indicator_lines(locale: Locale, fin: &Financials, ind: &Indicators, currency: Currency) -> Vec<IndicatorLine> {
    let na = td_string!(locale, figures.not_applicable).to_string();
    let percent = |v: Option<i64>| {
        v.map(|v| digits(locale, format!("{}%", tenths(v))))
            .unwrap_or(na.clone())
    };
    let negative = if ind.negative_cash_months.is_empty() {
        td_string!(locale, figures.none).to_string()
    } else {
        ind.negative_cash_months
            .iter()
            .map(|m| td_string!(locale, figures.month_long, n = digits(locale, m.to_string())).to_string())
            .collect::<Vec<_>>()
            .join(td_string!(locale, figures.list_separator))
    };
    let break_even = match (fin.break_even.monthly_revenue, fin.break_even.month) {
        (Some(revenue), month) => td_string!(
            locale,
            figures.break_even_value,
            amount = money(locale, revenue, currency),
            month = month
                .map(|m| digits(locale, m.to_string()))
                .unwrap_or_else(|| td_string!(locale, figures.none).to_string())
        )
        .to_string(),
        (None, _) => na.clone(),
    };
    let payback = fin
        .payback_months
        .map(|m| {
            td_string!(
                locale,
                figures.payback_value,
                months = digits(locale, format!("{m:.1}"))
            )
            .to_string()
        })
        .unwrap_or(na.clone());
    let dscr = ind
        .debt_coverage_hundredths
        .map(|v| digits(locale, hundredths(v)))
        .unwrap_or(na.clone());
    let jobs = td_string!(
        locale,
        figures.jobs_value,
        fte = digits(locale, format!("{:.1}", fin.jobs.fte)),
        women = digits(locale, fin.jobs.women.to_string()),
        men = digits(locale, fin.jobs.men.to_string())
    )
    .to_string();
    let line = |label, value, help, tone| IndicatorLine {
        label,
        value,
        help,
        tone,
    };
    vec![
        line(
            td_string!(locale, figures.funding_gap),
            money(locale, ind.funding_gap, currency),
            td_string!(locale, figures.funding_gap_help),
            if ind.funding_gap < 0 { "bad" } else { "ok" },
        ),
        line(
            td_string!(locale, figures.negative_months),
            negative,
            td_string!(locale, figures.negative_months_help),
            if ind.negative_cash_months.is_empty() {
                "ok"
            } else {
                "bad"
            },
        ),
        line(
            td_string!(locale, figures.gross_margin),
            percent(ind.gross_margin_permille),
            td_string!(locale, figures.gross_margin_help),
            "",
        ),
        line(
            td_string!(locale, figures.net_margin),
            percent(ind.net_margin_permille),
            td_string!(locale, figures.net_margin_help),
            "",
        ),
        line(
            td_string!(locale, figures.break_even),
            break_even,
            td_string!(locale, figures.break_even_help),
            "",
        ),
        line(
            td_string!(locale, figures.payback),
            payback,
            td_string!(locale, figures.payback_help),
            "",
        ),
        line(
            td_string!(locale, figures.own_share),
            percent(ind.own_share_permille),
            td_string!(locale, figures.own_share_help),
            "",
        ),
        line(
            td_string!(locale, figures.dscr),
            dscr,
            td_string!(locale, figures.dscr_help),
            "",
        ),
        line(td_string!(locale, figures.jobs), jobs, "", ""),
    ]
}

/// Everything a month costs in the P&L (what the revenue is compared with).
pub fn total_costs(m: &MonthFigures) -> i64 {
    m.cogs + m.wages + m.fixed + m.depreciation + m.interest
}

/// A line of the P&L: its label key and how to read it from a month or a year.
pub type Line = (
    fn(Locale) -> &'static str,
    fn(&MonthFigures) -> i64,
    fn(&YearFigures) -> i64,
);

pub fn pnl_lines() -> Vec<Line> {
    vec![
        (|l| td_string!(l, figures.revenue), |m| m.revenue, |y| y.revenue),
        (|l| td_string!(l, figures.cogs), |m| m.cogs, |y| y.cogs),
        (
            |l| td_string!(l, figures.gross_profit),
            |m| m.gross_profit,
            |y| y.gross_profit,
        ),
        (|l| td_string!(l, figures.wages), |m| m.wages, |y| y.wages),
        (|l| td_string!(l, figures.fixed), |m| m.fixed, |y| y.fixed),
        (
            |l| td_string!(l, figures.depreciation),
            |m| m.depreciation,
            |y| y.depreciation,
        ),
        (
            |l| td_string!(l, figures.operating_profit),
            |m| m.operating_profit,
            |y| y.operating_profit,
        ),
        (|l| td_string!(l, figures.interest), |m| m.interest, |y| y.interest),
        (
            |l| td_string!(l, figures.net_profit),
            |m| m.net_profit,
            |y| y.net_profit,
        ),
        (|l| td_string!(l, figures.principal), |m| m.principal, |y| y.principal),
    ]
}
