//! The financial model of `riyada.plan.v1` (see `docs/plan-format.md`), split along its
//! seams: the document's types and limits, its validation, and the calculation of three
//! years of figures. Pure: no I/O.
mod compute;
mod types;
mod validate;

pub use compute::*;
pub use types::*;
pub use validate::*;
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;

    /// The worked example of `docs/plan-format.md`.
    pub const EXAMPLE: &str = r#"{
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

    pub fn example() -> PlanFinancials {
        parse_plan(EXAMPLE).expect("example parses")
    }
}
