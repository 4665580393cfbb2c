//! Plan rules that need no I/O: lifecycle states, titles, ownership.
use crate::roles::{Actor, ChamberId, Role, UserId};

crate::keyed! {
    /// Where a plan stands in its lifecycle (`docs/workflow.md`); `plan::lifecycle` says
    /// which step moves it where.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum PlanStatus {
        Draft = "draft",
        Submitted = "submitted",
        InReview = "in_review",
        ChangesRequested = "changes_requested",
        Approved = "approved",
        Rejected = "rejected",
        Referred = "referred",
        Funded = "funded",
        Operating = "operating",
        Withdrawn = "withdrawn",
    }
}

impl PlanStatus {
    /// Only drafts may be deleted by their owner (anything submitted is part of a case).
    pub fn owner_may_delete(self) -> bool {
        self == PlanStatus::Draft
    }

    /// The owner writes while drafting and when the chamber asked for changes.
    pub fn owner_may_edit(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::ChangesRequested)
    }
}

/// Who may read a plan: its owner always; once submitted, the staff of the owner's chamber
/// and the Fund. A draft is private.
pub fn can_read_plan(actor: &Actor, owner: UserId, owner_chamber: Option<ChamberId>, status: PlanStatus) -> bool {
    if actor.id == owner {
        return true;
    }
    if status == PlanStatus::Draft {
        return false;
    }
    match actor.role {
        Role::FundAdmin => true,
        Role::Advisor | Role::ChamberManager => actor.chamber.is_some() && actor.chamber == owner_chamber,
        Role::Entrepreneur => false,
    }
}

pub const TITLE_MIN: u32 = 3;
pub const TITLE_MAX: u32 = 120;
/// Plans one entrepreneur may keep at once (deleted ones do not count).
pub const PLANS_MAX: i64 = 20;

/// Who may bring back a draft its owner deleted: the Fund, and the manager of the owner's
/// chamber (advisors review; they do not manage accounts' data).
pub fn can_restore_plan(actor: &Actor, owner_chamber: Option<ChamberId>) -> bool {
    match actor.role {
        Role::FundAdmin => true,
        Role::ChamberManager => actor.chamber.is_some() && actor.chamber == owner_chamber,
        Role::Advisor | Role::Entrepreneur => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys_round_trip() {
        for status in PlanStatus::ALL {
            assert_eq!(PlanStatus::from_key(status.key()), Some(status));
        }
        assert_eq!(PlanStatus::from_key("deleted"), None);
    }

    #[test]
    fn drafts_are_private_and_submitted_plans_stay_in_their_chamber() {
        let owner = UserId(1);
        let gaza = Some(ChamberId(1));
        let actor = |id, role, chamber| Actor {
            id: UserId(id),
            role,
            chamber,
        };
        let me = actor(1, Role::Entrepreneur, gaza);
        let advisor = actor(2, Role::Advisor, gaza);
        let other_advisor = actor(3, Role::Advisor, Some(ChamberId(2)));
        let fund = actor(4, Role::FundAdmin, None);
        let stranger = actor(5, Role::Entrepreneur, gaza);
        for status in PlanStatus::ALL {
            assert!(can_read_plan(&me, owner, gaza, status));
            assert!(!can_read_plan(&stranger, owner, gaza, status));
            assert!(!can_read_plan(&other_advisor, owner, gaza, status));
        }
        assert!(!can_read_plan(&advisor, owner, gaza, PlanStatus::Draft));
        assert!(!can_read_plan(&fund, owner, gaza, PlanStatus::Draft));
        assert!(can_read_plan(&advisor, owner, gaza, PlanStatus::Submitted));
        assert!(can_read_plan(&fund, owner, gaza, PlanStatus::Approved));
        // Staff without a chamber see no chamber's plans.
        let loose = actor(6, Role::Advisor, None);
        assert!(!can_read_plan(&loose, owner, None, PlanStatus::Submitted));
    }

    #[test]
    fn deleted_drafts_come_back_through_the_fund_or_the_chamber_manager() {
        let gaza = Some(ChamberId(1));
        let actor = |role, chamber| Actor {
            id: UserId(9),
            role,
            chamber,
        };
        assert!(can_restore_plan(&actor(Role::FundAdmin, None), gaza));
        assert!(can_restore_plan(&actor(Role::ChamberManager, gaza), gaza));
        assert!(!can_restore_plan(
            &actor(Role::ChamberManager, Some(ChamberId(2))),
            gaza
        ));
        assert!(!can_restore_plan(&actor(Role::ChamberManager, None), None));
        assert!(!can_restore_plan(&actor(Role::Advisor, gaza), gaza));
        assert!(!can_restore_plan(&actor(Role::Entrepreneur, gaza), gaza));
    }

    #[test]
    fn only_drafts_can_be_deleted_by_their_owner() {
        let deletable: Vec<_> = PlanStatus::ALL.into_iter().filter(|s| s.owner_may_delete()).collect();
        assert_eq!(deletable, [PlanStatus::Draft]);
    }
}
