//! Names of choices and the plan's problems, as the report and the builder show them.
use app::i18n::Locale;
use app::lang::choice_label;
use app::plan::report::plan_problem_text;
use domain::plan::financials::{PlanProblem, PlanProblemKind};

#[test]
fn every_choice_has_its_own_name() {
    use domain::plan::financials::{LEGAL_FORMS, SECTORS};
    use domain::plan::tables::Choices;
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
