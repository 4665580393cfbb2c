//! The Fund's dashboard rules that need no I/O: what one plan adds to the statistics, the
//! stages of the funnel, percentiles read from a histogram of whole days, shares, and
//! export cells made safe for spreadsheets. `docs/dashboard.md` explains each figure.
use crate::plan::financials::{PlanFinancials, Position};
use crate::plan::status::PlanStatus;
use std::borrow::Cow;

crate::keyed! {
    /// The two regions of the One-Stop Shops (a governorate belongs to one).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Region {
        Gaza = "gaza",
        WestBank = "west_bank",
    }
}

crate::keyed! {
    /// The funnel a plan moves down, in order. A plan counts at every stage up to the
    /// furthest it reached, so the funnel never widens.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum FunnelStage {
        Drafted = "drafted",
        Submitted = "submitted",
        InReview = "in_review",
        Approved = "approved",
        Referred = "referred",
        Funded = "funded",
        Operating = "operating",
    }
}

impl FunnelStage {
    /// Its place in the funnel, 0 for drafted; stored on the plan as the furthest reached.
    pub fn rank(self) -> i64 {
        FunnelStage::ALL.iter().position(|s| *s == self).unwrap_or(0) as i64
    }

    /// The stage a plan reaches by entering `status`; `None` for states off the path
    /// (changes requested, rejected, withdrawn keep the furthest stage reached before).
    pub fn entered_by(status: PlanStatus) -> Option<FunnelStage> {
        match status {
            PlanStatus::Draft => Some(FunnelStage::Drafted),
            PlanStatus::Submitted => Some(FunnelStage::Submitted),
            PlanStatus::InReview => Some(FunnelStage::InReview),
            PlanStatus::Approved => Some(FunnelStage::Approved),
            PlanStatus::Referred => Some(FunnelStage::Referred),
            PlanStatus::Funded => Some(FunnelStage::Funded),
            PlanStatus::Operating => Some(FunnelStage::Operating),
            PlanStatus::ChangesRequested | PlanStatus::Rejected | PlanStatus::Withdrawn => None,
        }
    }
}

crate::keyed! {
    /// Which plans a money row of the dashboard sums.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum MoneyScope {
        /// Every submitted plan: what was asked for.
        Submitted = "submitted",
        /// Approved and later: what the programme committed to.
        Approved = "approved",
    }
}

/// The states whose plans count as "approved and later": their jobs and money are what the
/// programme committed to.
pub const APPROVED_AND_LATER: [PlanStatus; 4] = [
    PlanStatus::Approved,
    PlanStatus::Referred,
    PlanStatus::Funded,
    PlanStatus::Operating,
];

/// The states a plan waits in, for the days-in-state figures (the end states are not
/// waited in).
pub const WAITING_STATES: [PlanStatus; 7] = [
    PlanStatus::Draft,
    PlanStatus::Submitted,
    PlanStatus::InReview,
    PlanStatus::ChangesRequested,
    PlanStatus::Approved,
    PlanStatus::Referred,
    PlanStatus::Funded,
];

/// What one plan adds to the statistics, kept on the plan row whenever its tables are saved
/// so the dashboard sums columns instead of reading documents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanFacts {
    pub sector: Option<String>,
    pub legal_form: Option<String>,
    /// Full-time equivalents in tenths: a full-time position is 10, a part-time one 5.
    pub jobs_fte_tenths: i64,
    pub jobs_women: i64,
    pub jobs_youth: i64,
    /// The start-up items' total (minor units of the plan's currency).
    pub startup_capital: i64,
    pub fund_own: i64,
    pub fund_family: i64,
    pub fund_grant: i64,
    pub fund_loan: i64,
    /// When the project starts (`YYYY-MM`): when its positions are hired.
    pub start_month: Option<String>,
}

impl PlanFacts {
    pub fn of(plan: &PlanFinancials) -> PlanFacts {
        let idea = plan.idea.as_ref();
        let said = |text: Option<&String>| text.filter(|t| !t.is_empty()).cloned();
        let sum = |values: &mut dyn Iterator<Item = i64>| values.fold(0i64, i64::saturating_add);
        PlanFacts {
            sector: said(idea.map(|i| &i.sector)),
            legal_form: said(idea.map(|i| &i.legal_form)),
            jobs_fte_tenths: fte_tenths(&plan.positions),
            jobs_women: sum(&mut plan.positions.iter().map(|p| p.women)),
            jobs_youth: sum(&mut plan.positions.iter().map(|p| p.youth)),
            startup_capital: sum(&mut plan
                .startup_items
                .iter()
                .map(|i| i.quantity.saturating_mul(i.unit_price))),
            fund_own: plan.funding.own,
            fund_family: plan.funding.family,
            fund_grant: plan.funding.grant,
            fund_loan: plan.funding.loan.as_ref().map_or(0, |l| l.amount),
            start_month: idea
                .map(|i| i.start_month.trim())
                .filter(|m| crate::plan::financials::valid_month(m))
                .map(str::to_string),
        }
    }
}

/// Full-time equivalents in tenths (one decimal, exact): full time counts 1, part time ½.
pub fn fte_tenths(positions: &[Position]) -> i64 {
    positions
        .iter()
        .map(|p| p.count.saturating_mul(if p.full_time { 10 } else { 5 }))
        .fold(0, i64::saturating_add)
}

/// The nearest-rank percentile of a histogram: `buckets` are (value, how many) sorted by
/// value; the answer is the smallest value with at least `percent`% of the counts at or
/// below it. `None` for an empty histogram.
pub fn percentile(buckets: &[(i64, i64)], percent: u32) -> Option<i64> {
    let total: i64 = buckets.iter().map(|(_, n)| (*n).max(0)).sum();
    if total == 0 {
        return None;
    }
    // ceil(total × percent / 100), at least the first.
    let rank = ((total * i64::from(percent) + 99) / 100).max(1);
    let mut seen = 0;
    for (value, n) in buckets {
        seen += (*n).max(0);
        if seen >= rank {
            return Some(*value);
        }
    }
    buckets.last().map(|(value, _)| *value)
}

/// `part` of `whole` in tenths of a percent, rounded half up; `None` when `whole` is 0.
pub fn share_tenths(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 2000 + whole) / (2 * whole))
}

/// A text cell as a spreadsheet should receive it: a cell that would start a formula
/// (=, +, -, @, or a tab or carriage return before one) gets a leading apostrophe, so an
/// entrepreneur's plan title cannot run a formula on the Fund's computer.
pub fn spreadsheet_text(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// The month `YYYY-MM` of a day counted from 1970-01-01 (UTC).
pub fn month_of_day(day: i64) -> String {
    let date = crate::validation::Date::from_unix(day * 86_400);
    format!("{:04}-{:02}", date.year, date.month)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::financials::{Funding, IdeaFacts, Loan, StartupCategory, StartupItem};

    fn position(count: i64, full_time: bool, women: i64, youth: i64) -> Position {
        Position {
            title: "خياط".into(),
            count,
            monthly_wage: 150_000,
            full_time,
            women,
            men: count - women,
            youth,
        }
    }

    #[test]
    fn a_plan_adds_its_jobs_capital_and_sources() {
        let mut plan = PlanFinancials::empty(crate::plan::financials::Currency::USD);
        plan.positions = vec![position(2, true, 1, 2), position(3, false, 3, 0)];
        plan.startup_items = vec![StartupItem {
            name: "ماكينة".into(),
            category: StartupCategory::Equipment,
            quantity: 2,
            unit_price: 180_000,
            useful_life_years: 5,
        }];
        plan.funding = Funding {
            own: 100_000,
            family: 20_000,
            grant: 200_000,
            loan: Some(Loan {
                amount: 50_000,
                annual_rate_bp: 500,
                term_months: 24,
                grace_months: 0,
            }),
        };
        plan.idea = Some(IdeaFacts {
            sector: "textiles".into(),
            start_month: "2027-03".into(),
            ..IdeaFacts::default()
        });
        let facts = PlanFacts::of(&plan);
        assert_eq!(facts.start_month.as_deref(), Some("2027-03"));
        // 2 full time + 3 part time = 3.5 FTE.
        assert_eq!(facts.jobs_fte_tenths, 35);
        assert_eq!((facts.jobs_women, facts.jobs_youth), (4, 2));
        assert_eq!(facts.startup_capital, 360_000);
        assert_eq!(
            (facts.fund_own, facts.fund_family, facts.fund_grant, facts.fund_loan),
            (100_000, 20_000, 200_000, 50_000)
        );
        assert_eq!(facts.sector.as_deref(), Some("textiles"));
        // An unsaid legal form is not an empty-string category.
        assert_eq!(facts.legal_form, None);
        // Nor is a month that is not one.
        if let Some(idea) = plan.idea.as_mut() {
            idea.start_month = "2027-13".into();
        }
        assert_eq!(PlanFacts::of(&plan).start_month, None);
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        // Days 1, 2, 2, 3, 10: median 2, 90th percentile 10.
        let days = [(1, 1), (2, 2), (3, 1), (10, 1)];
        assert_eq!(percentile(&days, 50), Some(2));
        assert_eq!(percentile(&days, 90), Some(10));
        assert_eq!(percentile(&days, 100), Some(10));
        // Four stays of 1, 2, 3, 4 days: the median is the second (no averaging).
        assert_eq!(percentile(&[(1, 1), (2, 1), (3, 1), (4, 1)], 50), Some(2));
        assert_eq!(percentile(&[(7, 1)], 90), Some(7));
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[(3, 0)], 50), None);
    }

    #[test]
    fn shares_round_half_up_in_tenths() {
        assert_eq!(share_tenths(1, 3), Some(333));
        assert_eq!(share_tenths(2, 3), Some(667));
        assert_eq!(share_tenths(1, 8), Some(125));
        assert_eq!(share_tenths(5, 5), Some(1000));
        assert_eq!(share_tenths(0, 0), None);
    }

    #[test]
    fn the_funnel_never_goes_back() {
        assert!(FunnelStage::ALL.windows(2).all(|w| w[0].rank() < w[1].rank()));
        assert_eq!(FunnelStage::entered_by(PlanStatus::Rejected), None);
        assert_eq!(FunnelStage::entered_by(PlanStatus::Funded), Some(FunnelStage::Funded));
        assert_eq!(FunnelStage::Operating.rank(), 6);
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for text in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(spreadsheet_text(text), format!("'{text}"), "{text:?}");
        }
        assert_eq!(spreadsheet_text("مشغل خياطة"), "مشغل خياطة");
        assert_eq!(spreadsheet_text("a=b"), "a=b");
        assert_eq!(spreadsheet_text(""), "");
    }

    #[test]
    fn days_fall_into_their_month() {
        assert_eq!(month_of_day(0), "1970-01");
        // 2026-11-28 is day 20,785.
        assert_eq!(month_of_day(20_785), "2026-11");
        assert_eq!(month_of_day(20_788), "2026-12");
    }
}
