//! The sections of a business plan (`docs/business-plan.md`), their order and
//! when a written section counts as complete. Pure.
use super::financials::PlanFinancials;
use super::tables::{totals, Table};
use serde::{Deserialize, Serialize};

crate::keyed! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum SectionKey {
        Summary = "summary",
        Entrepreneur = "entrepreneur",
        Idea = "idea",
        Market = "market",
        Marketing = "marketing",
        Operations = "operations",
        Team = "team",
        Startup = "startup",
        Funding = "funding",
        Sales = "sales",
        Costs = "costs",
        Financials = "financials",
        Risks = "risks",
    }
}

/// How a section is filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// Free text written by the entrepreneur.
    Text,
    /// Rows of a table (start-up items, products, positions…), edited in the builder.
    Table,
    /// Computed from the other sections; never typed.
    Computed,
}

/// Largest written section, in characters.
pub const BODY_MAX: usize = 10_000;
/// A written section counts as complete from this many characters (a few real sentences).
pub const COMPLETE_MIN: usize = 40;

impl SectionKey {
    /// The tables edited on this section's page, in order.
    pub fn tables(self) -> &'static [Table] {
        match self {
            SectionKey::Team => &[Table::Positions],
            SectionKey::Startup => &[Table::StartupItems],
            SectionKey::Funding => &[Table::Funding],
            SectionKey::Sales => &[Table::Products, Table::Growth],
            SectionKey::Costs => &[Table::FixedCosts, Table::Inflation],
            SectionKey::Market => &[Table::Competitors],
            SectionKey::Risks => &[Table::Risks],
            SectionKey::Idea => &[Table::Idea],
            _ => &[],
        }
    }

    /// The order of the outline and of the export.
    pub const OUTLINE: [SectionKey; 13] = [
        SectionKey::Summary,
        SectionKey::Entrepreneur,
        SectionKey::Idea,
        SectionKey::Market,
        SectionKey::Marketing,
        SectionKey::Operations,
        SectionKey::Team,
        SectionKey::Startup,
        SectionKey::Funding,
        SectionKey::Sales,
        SectionKey::Costs,
        SectionKey::Financials,
        SectionKey::Risks,
    ];

    /// The order recommended while writing: the summary comes last, once everything else is known.
    pub fn builder_order() -> impl Iterator<Item = SectionKey> {
        SectionKey::OUTLINE
            .into_iter()
            .skip(1)
            .chain(std::iter::once(SectionKey::Summary))
    }

    pub fn kind(self) -> SectionKind {
        match self {
            SectionKey::Summary
            | SectionKey::Entrepreneur
            | SectionKey::Idea
            | SectionKey::Market
            | SectionKey::Marketing
            | SectionKey::Operations => SectionKind::Text,
            SectionKey::Financials => SectionKind::Computed,
            _ => SectionKind::Table,
        }
    }
}

/// Is this written text enough to count the section as done?
pub fn text_complete(body: &str) -> bool {
    body.split_whitespace().collect::<String>().chars().count() >= COMPLETE_MIN
}

/// Is this section done? Written sections by their text, tables by their rows; the
/// computed financials never count (they follow from the others).
pub fn section_complete(key: SectionKey, bodies: &[(SectionKey, String)], plan: &PlanFinancials) -> bool {
    match key.kind() {
        SectionKind::Text => bodies.iter().any(|(k, body)| *k == key && text_complete(body)),
        SectionKind::Computed => false,
        SectionKind::Table => match key {
            SectionKey::Team => !plan.positions.is_empty(),
            SectionKey::Startup => !plan.startup_items.is_empty(),
            SectionKey::Funding => totals(plan).funding > 0,
            SectionKey::Sales => plan.products.iter().any(|p| p.monthly_qty.iter().any(|q| *q > 0)),
            SectionKey::Costs => !plan.fixed_costs.is_empty(),
            SectionKey::Risks => !plan.risks.is_empty(),
            _ => false,
        },
    }
}

/// The sections a person fills in (all but the computed financials).
pub fn fillable() -> impl Iterator<Item = SectionKey> {
    SectionKey::OUTLINE
        .into_iter()
        .filter(|s| s.kind() != SectionKind::Computed)
}

/// Share of the fillable sections that are complete, in whole percent.
pub fn completeness(bodies: &[(SectionKey, String)], plan: &PlanFinancials) -> u32 {
    let all = fillable().count();
    let done = fillable().filter(|k| section_complete(*k, bodies, plan)).count();
    (done * 100 / all) as u32
}

/// Something that stops a plan from being submitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Missing {
    /// A section is not complete yet.
    Section {
        section: SectionKey,
    },
    NoProduct,
    NoPosition,
    /// The sources of funding do not add up to the start-up costs.
    FundingMismatch {
        funding: i64,
        startup: i64,
    },
}

/// What is missing before the plan can be submitted, in the builder's order; empty when it
/// is ready. The one rule used by the builder and, later, by submission.
pub fn missing_before_submit(bodies: &[(SectionKey, String)], plan: &PlanFinancials) -> Vec<Missing> {
    let mut missing: Vec<Missing> = SectionKey::builder_order()
        .filter(|k| k.kind() != SectionKind::Computed && !section_complete(*k, bodies, plan))
        .map(|section| Missing::Section { section })
        .collect();
    if plan.products.is_empty() {
        missing.push(Missing::NoProduct);
    }
    if plan.positions.is_empty() {
        missing.push(Missing::NoPosition);
    }
    let t = totals(plan);
    if t.funding != t.startup {
        missing.push(Missing::FundingMismatch {
            funding: t.funding,
            startup: t.startup,
        });
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_summary_is_written_last() {
        for s in SectionKey::OUTLINE {
            assert_eq!(SectionKey::from_key(s.key()), Some(s));
        }
        let order: Vec<_> = SectionKey::builder_order().collect();
        assert_eq!(order.len(), 13);
        assert_eq!(order.first(), Some(&SectionKey::Entrepreneur));
        assert_eq!(order.last(), Some(&SectionKey::Summary));
        assert_eq!(SectionKey::OUTLINE[0], SectionKey::Summary);
    }

    #[test]
    fn completeness_counts_real_text_only() {
        assert!(!text_complete("   "));
        assert!(!text_complete("قصير"));
        assert!(text_complete(&"كلمة ".repeat(12)));
    }

    fn ready_plan() -> (Vec<(SectionKey, String)>, PlanFinancials) {
        use crate::plan::financials::*;
        let text = "نص كامل يشرح هذا القسم من الخطة بجمل واضحة ومحددة ".repeat(2);
        let bodies = fillable()
            .filter(|k| k.kind() == SectionKind::Text)
            .map(|k| (k, text.clone()))
            .collect();
        let mut plan = PlanFinancials::empty(Currency::ILS);
        plan.startup_items.push(StartupItem {
            name: "ماكينة".into(),
            category: StartupCategory::Equipment,
            quantity: 2,
            unit_price: 100_000,
            useful_life_years: 5,
        });
        plan.funding.own = 50_000;
        plan.funding.grant = 150_000;
        plan.products.push(Product {
            name: "فستان".into(),
            unit: String::new(),
            price: 12_000,
            unit_cost: 5_000,
            monthly_qty: vec![10; 12],
        });
        plan.positions.push(Position {
            title: "خياطة".into(),
            count: 1,
            monthly_wage: 150_000,
            full_time: true,
            women: 1,
            men: 0,
            youth: 0,
        });
        plan.fixed_costs.push(FixedCost {
            name: "إيجار".into(),
            monthly: 60_000,
        });
        plan.risks.push(Risk {
            risk: "انقطاع الكهرباء".into(),
            mitigation: "مولد".into(),
        });
        (bodies, plan)
    }

    #[test]
    fn a_complete_plan_misses_nothing_and_counts_one_hundred_percent() {
        let (bodies, plan) = ready_plan();
        assert_eq!(missing_before_submit(&bodies, &plan), vec![]);
        assert_eq!(completeness(&bodies, &plan), 100);
    }

    #[test]
    fn missing_names_sections_products_positions_and_the_funding_gap() {
        let (bodies, mut plan) = ready_plan();
        plan.funding.grant = 100_000;
        assert_eq!(
            missing_before_submit(&bodies, &plan),
            vec![Missing::FundingMismatch {
                funding: 150_000,
                startup: 200_000
            }]
        );
        plan.products.clear();
        plan.positions.clear();
        let without_market: Vec<_> = bodies
            .iter()
            .filter(|(k, _)| *k != SectionKey::Market)
            .cloned()
            .collect();
        let missing = missing_before_submit(&without_market, &plan);
        assert_eq!(
            &missing[..4],
            &[
                Missing::Section {
                    section: SectionKey::Market
                },
                Missing::Section {
                    section: SectionKey::Team
                },
                Missing::Section {
                    section: SectionKey::Sales
                },
                Missing::NoProduct,
            ]
        );
        assert!(missing.contains(&Missing::NoPosition));
        // 12 fillable sections, 3 missing: 9/12.
        assert_eq!(completeness(&without_market, &plan), 75);
        let empty = PlanFinancials::empty(crate::plan::financials::Currency::ILS);
        assert_eq!(completeness(&[], &empty), 0);
        // An empty plan is balanced (0 = 0) but misses every section.
        assert!(!missing_before_submit(&[], &empty)
            .iter()
            .any(|m| matches!(m, Missing::FundingMismatch { .. })));
    }
}
