//! Checking a `riyada.plan.v1` document: its structure while parsing, then every limit
//! at once, each problem with the JSON path it is about.
use super::types::*;
use crate::plan::sections::{SectionKey, SectionKind, BODY_MAX};
use crate::plan::status::TITLE_MAX;
use serde::{Deserialize, Serialize};

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
    YouthOverCount,
    TextTooLong {
        max: u32,
    },
    UnknownSection,
    UnknownChoice,
    InvalidMonth,
    /// A line's total (quantity × price, count × wage) over the money limit.
    LineTooLarge,
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
            PlanProblemKind::YouthOverCount => f.write_str("youth must be from 0 to count"),
            PlanProblemKind::TextTooLong { max } => write!(f, "at most {max} characters"),
            PlanProblemKind::UnknownSection => f.write_str("not a written section of the plan"),
            PlanProblemKind::UnknownChoice => f.write_str("not one of the allowed values"),
            PlanProblemKind::InvalidMonth => f.write_str("expected a month as YYYY-MM (2000-2100)"),
            PlanProblemKind::LineTooLarge => f.write_str("quantity × amount must not exceed 10^13 minor units"),
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

impl PlanFinancials {
    /// Every semantic problem at once (the structure was already checked by parsing).
    pub fn problems(&self) -> Vec<PlanProblem> {
        use PlanProblemKind as K;
        let mut problems = Problems::default();
        problems.require(self.format == PLAN_FORMAT, "format", K::Format);
        let money = |v: i64| (0..=MONEY_MAX).contains(&v);
        let qty = |v: i64| (0..=QTY_MAX).contains(&v);
        // A line's total stays within the money limit too, so that no sum of the model can
        // overflow (a quantity of 10^7 at a price of 10^13 would be 10^20).
        let line = |a: i64, b: i64| i128::from(a) * i128::from(b) <= i128::from(MONEY_MAX);
        let rows = |n: usize| n <= ITEMS_MAX;
        let rows_problem = K::TooManyRows { max: ITEMS_MAX as u32 };
        let text = |t: &str| t.chars().count() <= CELL_TEXT_MAX;
        let text_problem = K::TextTooLong {
            max: CELL_TEXT_MAX as u32,
        };
        if let Some(title) = &self.title {
            problems.require(
                title.chars().count() <= TITLE_MAX as usize,
                "title",
                K::TextTooLong { max: TITLE_MAX },
            );
        }
        for (key, body) in &self.sections {
            let written = SectionKey::from_key(key).is_some_and(|k| k.kind() == SectionKind::Text);
            problems.require(written, format!("sections.{key}"), K::UnknownSection);
            problems.require(
                body.chars().count() <= BODY_MAX,
                format!("sections.{key}"),
                K::TextTooLong { max: BODY_MAX as u32 },
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
            problems.require(
                line(item.quantity, item.unit_price),
                format!("startup_items[{i}]"),
                K::LineTooLarge,
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
                problems.require(
                    line(*q, p.price.max(p.unit_cost)),
                    format!("products[{i}].monthly_qty[{m}]"),
                    K::LineTooLarge,
                );
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
            problems.require(
                line(p.count, p.monthly_wage),
                format!("positions[{i}]"),
                K::LineTooLarge,
            );
            problems.require(p.women >= 0, format!("positions[{i}].women"), K::Negative);
            problems.require(p.men >= 0, format!("positions[{i}].men"), K::Negative);
            problems.require(
                p.women.saturating_add(p.men) <= p.count,
                format!("positions[{i}]"),
                K::WomenMenOverCount,
            );
            problems.require(
                (0..=p.count).contains(&p.youth),
                format!("positions[{i}].youth"),
                K::YouthOverCount,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::financials::fixture::EXAMPLE;

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
}
