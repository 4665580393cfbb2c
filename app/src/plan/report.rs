//! Plan words for the reader: table and column names, categories, problems of a plan
//! document. All from the i18n catalogue.
use super::financials::{PlanProblem, PlanProblemKind, StartupCategory};
use super::tables::{to_arabic_digits, Choices, Col, Table};
use crate::i18n::*;

/// Numbers in the reader's digits (Arabic-Indic in Arabic).
pub fn digits(locale: Locale, text: String) -> String {
    if locale == Locale::ar {
        to_arabic_digits(&text)
    } else {
        text
    }
}

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

/// The name of one value of a closed list (legal form, sector) in the reader's language.
pub fn choice_label(locale: Locale, choices: Choices, key: &str) -> &'static str {
    match (choices, key) {
        (Choices::LegalForm, "sole_trader") => td_string!(locale, legal_forms.sole_trader),
        (Choices::LegalForm, "partnership") => td_string!(locale, legal_forms.partnership),
        (Choices::LegalForm, "company") => td_string!(locale, legal_forms.company),
        (Choices::LegalForm, "cooperative") => td_string!(locale, legal_forms.cooperative),
        (Choices::LegalForm, "not_registered") => td_string!(locale, legal_forms.not_registered),
        (Choices::Sector, "agriculture_food") => td_string!(locale, sectors_list.agriculture_food),
        (Choices::Sector, "manufacturing_crafts") => td_string!(locale, sectors_list.manufacturing_crafts),
        (Choices::Sector, "trade") => td_string!(locale, sectors_list.trade),
        (Choices::Sector, "services") => td_string!(locale, sectors_list.services),
        (Choices::Sector, "ict_digital") => td_string!(locale, sectors_list.ict_digital),
        (Choices::Sector, "tourism_hospitality") => td_string!(locale, sectors_list.tourism_hospitality),
        (Choices::Sector, "construction") => td_string!(locale, sectors_list.construction),
        (Choices::Sector, "education_training") => td_string!(locale, sectors_list.education_training),
        (Choices::Sector, "health_care") => td_string!(locale, sectors_list.health_care),
        (Choices::Sector, "creative") => td_string!(locale, sectors_list.creative),
        (Choices::Sector, _) => td_string!(locale, sectors_list.other),
        (Choices::LegalForm, _) => td_string!(locale, tables.choose),
    }
}

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
        K::TextTooLong { max } => td_string!(locale, plan_problems.text_too_long, max = max).to_string(),
        K::UnknownSection => td_string!(locale, plan_problems.unknown_section).to_string(),
        K::UnknownChoice => td_string!(locale, plan_problems.unknown_choice).to_string(),
        K::InvalidMonth => td_string!(locale, plan_problems.invalid_month).to_string(),
    };
    format!("{}: {what}", problem.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_has_its_own_name() {
        use crate::plan::financials::{LEGAL_FORMS, SECTORS};
        for (choices, keys) in [(Choices::LegalForm, &LEGAL_FORMS[..]), (Choices::Sector, &SECTORS[..])] {
            let mut names: Vec<&str> = keys.iter().map(|k| choice_label(Locale::ar, choices, k)).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), keys.len(), "{choices:?}");
        }
    }

    #[test]
    fn plan_problems_keep_the_json_path_and_speak_arabic() {
        let problem = PlanProblem {
            path: "products[0].monthly_qty".into(),
            kind: PlanProblemKind::MonthCount { got: 11 },
        };
        let text = plan_problem_text(Locale::ar, &problem);
        assert!(text.starts_with("products[0].monthly_qty: "), "{text}");
        assert!(text.contains("12 كمية شهرية"), "{text}");
        assert_eq!(
            problem.to_string(),
            "products[0].monthly_qty: expected 12 numbers, got 11"
        );
    }
}
