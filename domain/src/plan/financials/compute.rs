//! The financial model: three years of figures from a validated plan, with the rounding
//! rules of `docs/plan-format.md` (integer minor units, halves away from zero).
use super::types::*;
use serde::{Deserialize, Serialize};

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
    use crate::plan::financials::fixture::{example, EXAMPLE};
    use crate::plan::financials::{parse_plan, PlanProblemKind};
    use proptest::prelude::*;

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
                    youth: 0,
                }],
                fixed_costs: vec![FixedCost {
                    name: "rent".into(),
                    monthly: rent,
                }],
                ..PlanFinancials::empty(Currency::ILS)
            })
    }

    /// The largest plan validation lets through: every line at the money limit, 200 rows of
    /// everything, the highest growth and inflation, a loan at 100%.
    fn largest_plan() -> PlanFinancials {
        let rows = ITEMS_MAX;
        PlanFinancials {
            startup_items: vec![
                StartupItem {
                    name: "x".into(),
                    category: StartupCategory::Equipment,
                    quantity: 1,
                    unit_price: MONEY_MAX,
                    useful_life_years: 1,
                };
                rows
            ],
            funding: Funding {
                own: MONEY_MAX,
                family: MONEY_MAX,
                grant: MONEY_MAX,
                loan: Some(Loan {
                    amount: MONEY_MAX,
                    annual_rate_bp: *RATE_BP.end(),
                    term_months: 1,
                    grace_months: *GRACE_MONTHS.end(),
                }),
            },
            products: vec![
                Product {
                    name: "x".into(),
                    unit: String::new(),
                    price: MONEY_MAX,
                    unit_cost: 0,
                    monthly_qty: vec![1; 12],
                };
                rows
            ],
            growth_bp: Growth {
                year2: *GROWTH_BP.end(),
                year3: *GROWTH_BP.end(),
            },
            cost_inflation_bp: *GROWTH_BP.end(),
            positions: vec![
                Position {
                    title: "x".into(),
                    count: 1,
                    monthly_wage: MONEY_MAX,
                    full_time: true,
                    women: 0,
                    men: 0,
                    youth: 0,
                };
                rows
            ],
            fixed_costs: vec![
                FixedCost {
                    name: "x".into(),
                    monthly: MONEY_MAX,
                };
                rows
            ],
            ..PlanFinancials::empty(Currency::ILS)
        }
    }

    #[test]
    fn the_largest_valid_plan_computes_without_overflow() {
        let mut plan = largest_plan();
        assert_eq!(plan.problems(), vec![]);
        let f = compute(&plan);
        assert_eq!(f.startup_total, ITEMS_MAX as i64 * MONEY_MAX);
        assert!(f.yearly[2].revenue > f.yearly[0].revenue);
        // The same plan with a cost that has no price to match is refused.
        plan.products[0].unit_cost = MONEY_MAX;
        plan.products[0].monthly_qty[0] = 2;
        let problems = plan.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].kind, PlanProblemKind::LineTooLarge);
        assert_eq!(problems[0].path, "products[0].monthly_qty[0]");
    }

    #[test]
    fn live_totals_never_overflow_whatever_is_typed() {
        let mut plan = largest_plan();
        plan.startup_items[0].quantity = QTY_MAX;
        plan.products[0].monthly_qty = vec![QTY_MAX; 12];
        let totals = crate::plan::tables::totals(&plan);
        assert_eq!(totals.startup, i64::MAX);
        assert_eq!(totals.revenue_year1, i64::MAX);
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
