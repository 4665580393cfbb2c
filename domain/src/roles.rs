//! Roles and the authorisation rules that depend only on who asks and what they ask about.
use serde::{Deserialize, Serialize};

crate::keyed! {
    /// The four kinds of account (see `docs/workflow.md`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Role {
        Entrepreneur = "entrepreneur",
        Advisor = "advisor",
        ChamberManager = "chamber-manager",
        FundAdmin = "fund-admin",
    }
}

/// Newtype for user ids so they cannot be confused with other integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub i64);

/// Newtype for chamber ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChamberId(pub i64);

impl Role {
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Entrepreneur)
    }

    /// Everyone but the Fund belongs to exactly one chamber: advisors and managers work for
    /// it, entrepreneurs are served by it.
    pub fn needs_chamber(self) -> bool {
        matches!(self, Role::Advisor | Role::ChamberManager | Role::Entrepreneur)
    }
}

/// Who is asking: enough to decide every rule in this module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
    pub chamber: Option<ChamberId>,
}

/// What is being asked about: a person's account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountRef {
    pub id: UserId,
    pub role: Role,
    pub chamber: Option<ChamberId>,
}

/// May `actor` read the profile of `target`? Own profile always; staff of the target's
/// chamber for entrepreneurs of that chamber; the Fund for everyone.
pub fn can_view_profile(actor: &Actor, target: &AccountRef) -> bool {
    if actor.id == target.id {
        return true;
    }
    match actor.role {
        Role::FundAdmin => true,
        Role::Advisor | Role::ChamberManager => {
            target.role == Role::Entrepreneur && actor.chamber.is_some() && actor.chamber == target.chamber
        }
        Role::Entrepreneur => false,
    }
}

/// Only the account holder edits their own profile; the Fund never edits an entrepreneur's
/// content (`docs/workflow.md`).
pub fn can_edit_profile(actor: &Actor, target: UserId) -> bool {
    actor.id == target
}

/// Managing staff accounts (create, deactivate) is the Fund's job.
pub fn can_manage_users(actor: &Actor) -> bool {
    actor.role == Role::FundAdmin
}

/// A Fund admin may deactivate anyone but themself (so the Fund cannot lock itself out by
/// accident).
pub fn can_deactivate(actor: &Actor, target: UserId) -> bool {
    can_manage_users(actor) && actor.id != target
}

/// Who may move an entrepreneur to another chamber. A case stays with the chamber it was
/// submitted to: she moves herself only while nothing of hers is with a chamber (no plan
/// ever submitted, no service request open). Moving a case is a staff decision: the
/// manager of her chamber (handing the case over) or the Fund. Advisors do not move people.
pub fn can_move_chamber(actor: &Actor, person: &AccountRef, case_open: bool) -> bool {
    if person.role != Role::Entrepreneur {
        return false;
    }
    match actor.role {
        Role::Entrepreneur => actor.id == person.id && !case_open,
        Role::FundAdmin => true,
        Role::ChamberManager => actor.chamber.is_some() && actor.chamber == person.chamber,
        Role::Advisor => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: i64, role: Role, chamber: Option<i64>) -> Actor {
        Actor {
            id: UserId(id),
            role,
            chamber: chamber.map(ChamberId),
        }
    }

    fn account(id: i64, role: Role, chamber: Option<i64>) -> AccountRef {
        AccountRef {
            id: UserId(id),
            role,
            chamber: chamber.map(ChamberId),
        }
    }

    #[test]
    fn role_keys_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
        assert_eq!(Role::from_key("admin"), None);
    }

    #[test]
    fn entrepreneurs_see_only_themselves() {
        let me = actor(1, Role::Entrepreneur, Some(3));
        assert!(can_view_profile(&me, &account(1, Role::Entrepreneur, Some(3))));
        assert!(!can_view_profile(&me, &account(2, Role::Entrepreneur, Some(3))));
        assert!(!can_view_profile(&me, &account(5, Role::Advisor, Some(3))));
    }

    #[test]
    fn chamber_staff_see_entrepreneurs_of_their_chamber_only() {
        for role in [Role::Advisor, Role::ChamberManager] {
            let staff = actor(10, role, Some(3));
            assert!(can_view_profile(&staff, &account(2, Role::Entrepreneur, Some(3))));
            assert!(!can_view_profile(&staff, &account(2, Role::Entrepreneur, Some(4))));
            assert!(!can_view_profile(&staff, &account(11, Role::Advisor, Some(3))));
        }
        let unassigned = actor(12, Role::Advisor, None);
        assert!(!can_view_profile(&unassigned, &account(2, Role::Entrepreneur, None)));
    }

    #[test]
    fn fund_sees_everyone() {
        let fund = actor(100, Role::FundAdmin, None);
        assert!(can_view_profile(&fund, &account(2, Role::Entrepreneur, Some(9))));
        assert!(can_view_profile(&fund, &account(3, Role::ChamberManager, Some(1))));
    }

    #[test]
    fn only_the_owner_edits_a_profile() {
        let fund = actor(100, Role::FundAdmin, None);
        assert!(!can_edit_profile(&fund, UserId(2)));
        assert!(can_edit_profile(&actor(2, Role::Entrepreneur, Some(1)), UserId(2)));
    }

    #[test]
    fn only_the_fund_manages_users_and_not_itself() {
        let fund = actor(100, Role::FundAdmin, None);
        assert!(can_manage_users(&fund));
        assert!(can_deactivate(&fund, UserId(5)));
        assert!(!can_deactivate(&fund, UserId(100)));
        for role in [Role::Entrepreneur, Role::Advisor, Role::ChamberManager] {
            assert!(!can_manage_users(&actor(1, role, Some(1))));
            assert!(!can_deactivate(&actor(1, role, Some(1)), UserId(5)));
        }
    }

    #[test]
    fn a_case_stays_with_its_chamber_unless_staff_move_it() {
        let her = account(2, Role::Entrepreneur, Some(3));
        let herself = actor(2, Role::Entrepreneur, Some(3));
        assert!(can_move_chamber(&herself, &her, false), "nothing with a chamber yet");
        assert!(!can_move_chamber(&herself, &her, true), "her case is with chamber 3");
        assert!(!can_move_chamber(&actor(4, Role::Entrepreneur, Some(3)), &her, false));
        for case_open in [false, true] {
            assert!(can_move_chamber(
                &actor(10, Role::ChamberManager, Some(3)),
                &her,
                case_open
            ));
            assert!(!can_move_chamber(
                &actor(11, Role::ChamberManager, Some(4)),
                &her,
                case_open
            ));
            assert!(!can_move_chamber(&actor(12, Role::Advisor, Some(3)), &her, case_open));
            assert!(can_move_chamber(&actor(100, Role::FundAdmin, None), &her, case_open));
        }
        // A manager without a chamber holds nobody's case; staff accounts are not moved here.
        let unplaced = account(5, Role::Entrepreneur, None);
        assert!(!can_move_chamber(
            &actor(13, Role::ChamberManager, None),
            &unplaced,
            true
        ));
        let advisor = account(6, Role::Advisor, Some(3));
        assert!(!can_move_chamber(&actor(100, Role::FundAdmin, None), &advisor, false));
    }
}
