//! The plan quality indicators of `docs/business-plan.md`, from the plan and its computed
//! financials. Ratios are kept in tenths of a percent (or hundredths, for coverage) as
//! integers, rounded half away from zero, so the UI and the PDF show the same figures. Pure.
use super::financials::{round_div, Financials, PlanFinancials};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indicators {
    /// Funding minus start-up costs.
    pub funding_gap: i64,
    pub negative_cash_months: Vec<u32>,
    /// Year-1 gross profit / revenue, in tenths of a percent; None without revenue.
    pub gross_margin_permille: Option<i64>,
    /// Year-1 net profit / revenue, in tenths of a percent; None without revenue.
    pub net_margin_permille: Option<i64>,
    /// Own and family money / all funding, in tenths of a percent; None without funding.
    pub own_share_permille: Option<i64>,
    /// Year-1 monthly cash before debt service / monthly debt service, in hundredths;
    /// None without a loan to serve in year 1.
    pub debt_coverage_hundredths: Option<i64>,
}

pub fn indicators(plan: &PlanFinancials, fin: &Financials) -> Indicators {
    let y1 = &fin.yearly[0];
    let ratio =
        |part: i64, whole: i64, scale: i128| (whole > 0).then(|| round_div(part as i128 * scale, whole as i128) as i64);
    let own = plan.funding.own + plan.funding.family;
    // Cash the business makes before paying the loan: net profit + depreciation (not cash)
    // + interest (part of the debt service).
    let before_debt: i64 = fin
        .monthly
        .iter()
        .map(|m| m.net_profit + m.depreciation + m.interest)
        .sum();
    let debt_service: i64 = fin.monthly.iter().map(|m| m.interest + m.principal).sum();
    Indicators {
        funding_gap: fin.funding_gap,
        negative_cash_months: fin.negative_cash_months.clone(),
        gross_margin_permille: ratio(y1.gross_profit, y1.revenue, 1000),
        net_margin_permille: ratio(y1.net_profit, y1.revenue, 1000),
        own_share_permille: ratio(own, fin.funding_total, 1000),
        debt_coverage_hundredths: ratio(before_debt, debt_service, 100),
    }
}

/// Tenths as text with one decimal: 325 → "32.5", -5 → "-0.5".
pub fn tenths(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}.{}", value.unsigned_abs() / 10, value.unsigned_abs() % 10)
}

/// Hundredths as text with two decimals: 125 → "1.25".
pub fn hundredths(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", value.unsigned_abs() / 100, value.unsigned_abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::financials::{compute, parse_plan};

    #[test]
    fn indicators_of_the_reference_example() {
        let plan = parse_plan(
            r#"{"format": "riyada.plan.v1",
            "startup_items": [{"name": "m", "category": "equipment", "quantity": 2, "unit_price": 180000}],
            "funding": {"own": 300000, "grant": 500000,
                "loan": {"amount": 400000, "annual_rate_bp": 600, "term_months": 36, "grace_months": 3}},
            "products": [{"name": "p", "price": 12000, "unit_cost": 5500,
                "monthly_qty": [20, 25, 30, 30, 35, 40, 40, 40, 45, 45, 50, 60]}],
            "positions": [{"title": "t", "count": 2, "monthly_wage": 150000}],
            "fixed_costs": [{"name": "rent", "monthly": 60000}]}"#,
        )
        .expect("valid");
        let fin = compute(&plan);
        let ind = indicators(&plan, &fin);
        assert_eq!(ind.funding_gap, 1_200_000 - 360_000);
        // Gross margin: (12000 − 5500) / 12000 = 54.17 % → 541.7 ‰ → 542.
        assert_eq!(ind.gross_margin_permille, Some(542));
        // Own share: 300000 / 1200000 = 25 %.
        assert_eq!(ind.own_share_permille, Some(250));
        let y1 = &fin.yearly[0];
        assert_eq!(
            ind.net_margin_permille,
            Some(round_div(y1.net_profit as i128 * 1000, y1.revenue as i128) as i64)
        );
        assert!(ind.debt_coverage_hundredths.is_some());
        assert_eq!(tenths(542), "54.2");
        assert_eq!(tenths(-5), "-0.5");
        assert_eq!(hundredths(125), "1.25");
    }

    #[test]
    fn no_revenue_no_funding_no_loan_means_no_ratio() {
        let plan = parse_plan(r#"{"format": "riyada.plan.v1"}"#).expect("valid");
        let ind = indicators(&plan, &compute(&plan));
        assert_eq!(ind.gross_margin_permille, None);
        assert_eq!(ind.net_margin_permille, None);
        assert_eq!(ind.own_share_permille, None);
        assert_eq!(ind.debt_coverage_hundredths, None);
        assert_eq!(ind.negative_cash_months, Vec::<u32>::new());
    }
}
