//! The plan lifecycle (see `docs/workflow.md`) as one pure function: which step may
//! be taken from which state, by whom. Every server function that moves a plan asks it.
use super::status::PlanStatus;
use crate::standing::{Refusal, Standing};

/// The longest message to the entrepreneur with a step, in characters.
pub const MESSAGE_MAX: u32 = 2000;

crate::keyed! {
    /// The steps a plan can take.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum PlanAction {
        /// The owner sends the plan (first time, or again after changes were requested).
        Submit = "submit",
        Withdraw = "withdraw",
        /// The chamber manager gives the plan to an advisor.
        Assign = "assign",
        /// An advisor takes the plan up themself.
        PickUp = "pick_up",
        RequestChanges = "request_changes",
        Approve = "approve",
        Reject = "reject",
        /// Referred for funding and services.
        Refer = "refer",
        MarkFunded = "mark_funded",
        MarkOperating = "mark_operating",
    }
}

/// The state a plan moves to when `who` takes `action` from `state`; `ready` says whether
/// the plan passes the "ready to submit" rule (only submission asks).
pub fn next_state(state: PlanStatus, action: PlanAction, who: Standing, ready: bool) -> Result<PlanStatus, Refusal> {
    use PlanAction as A;
    use PlanStatus as S;
    use Standing as W;
    let (to, takers): (PlanStatus, &[Standing]) = match (action, state) {
        (A::Submit, S::Draft | S::ChangesRequested) => (S::Submitted, &[W::Owner]),
        (A::Withdraw, S::Draft | S::Submitted | S::ChangesRequested) => (S::Withdrawn, &[W::Owner]),
        // The manager may also hand a plan in review to another advisor.
        (A::Assign, S::Submitted | S::InReview) => (S::InReview, &[W::ChamberManager]),
        (A::PickUp, S::Submitted) => (S::InReview, &[W::ChamberAdvisor]),
        // A manager has every right of an advisor.
        (A::RequestChanges, S::InReview) => (S::ChangesRequested, &[W::ChamberAdvisor, W::ChamberManager]),
        (A::Approve, S::InReview) => (S::Approved, &[W::ChamberManager]),
        (A::Reject, S::InReview) => (S::Rejected, &[W::ChamberManager]),
        (A::Refer, S::Approved) => (S::Referred, &[W::ChamberManager]),
        (A::MarkFunded, S::Referred) => (S::Funded, &[W::ChamberManager, W::Fund]),
        (A::MarkOperating, S::Referred | S::Funded) => (S::Operating, &[W::ChamberManager, W::Fund]),
        _ => return Err(Refusal::WrongState),
    };
    if !takers.contains(&who) {
        return Err(Refusal::NotTheirs);
    }
    if action == A::Submit && !ready {
        return Err(Refusal::NotReady);
    }
    Ok(to)
}

/// Where a submission lands. A plan sent back after changes were requested goes straight
/// back to the advisor who asked for them (in review), rather than waiting in the queue for
/// someone to pick it up again; a first submission, or one nobody holds, waits in the queue.
pub fn submission_lands_in(from: PlanStatus, held_by_advisor: bool) -> PlanStatus {
    if from == PlanStatus::ChangesRequested && held_by_advisor {
        PlanStatus::InReview
    } else {
        PlanStatus::Submitted
    }
}

/// The steps `who` may take now (for the buttons a page shows; the server asks again).
pub fn available_actions(state: PlanStatus, who: Standing, ready: bool) -> Vec<PlanAction> {
    PlanAction::ALL
        .into_iter()
        .filter(|a| next_state(state, *a, who, ready).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use PlanAction as A;
    use PlanStatus as S;
    use Standing as W;

    /// Every legal step of `docs/workflow.md`: (from, action, who) → to. Nothing else is legal.
    const LEGAL: &[(PlanStatus, PlanAction, Standing, PlanStatus)] = &[
        (S::Draft, A::Submit, W::Owner, S::Submitted),
        (S::Draft, A::Withdraw, W::Owner, S::Withdrawn),
        (S::Submitted, A::Assign, W::ChamberManager, S::InReview),
        (S::InReview, A::Assign, W::ChamberManager, S::InReview),
        (S::Submitted, A::PickUp, W::ChamberAdvisor, S::InReview),
        (S::Submitted, A::Withdraw, W::Owner, S::Withdrawn),
        (S::InReview, A::RequestChanges, W::ChamberAdvisor, S::ChangesRequested),
        (S::InReview, A::RequestChanges, W::ChamberManager, S::ChangesRequested),
        (S::InReview, A::Approve, W::ChamberManager, S::Approved),
        (S::InReview, A::Reject, W::ChamberManager, S::Rejected),
        (S::ChangesRequested, A::Submit, W::Owner, S::Submitted),
        (S::ChangesRequested, A::Withdraw, W::Owner, S::Withdrawn),
        (S::Approved, A::Refer, W::ChamberManager, S::Referred),
        (S::Referred, A::MarkFunded, W::ChamberManager, S::Funded),
        (S::Referred, A::MarkFunded, W::Fund, S::Funded),
        (S::Referred, A::MarkOperating, W::ChamberManager, S::Operating),
        (S::Referred, A::MarkOperating, W::Fund, S::Operating),
        (S::Funded, A::MarkOperating, W::ChamberManager, S::Operating),
        (S::Funded, A::MarkOperating, W::Fund, S::Operating),
    ];

    #[test]
    fn every_state_action_and_standing_has_its_expected_answer() {
        let mut checked = 0;
        for state in PlanStatus::ALL {
            for action in PlanAction::ALL {
                let starts_here = LEGAL.iter().any(|(from, a, _, _)| *from == state && *a == action);
                for who in Standing::ALL {
                    let legal = LEGAL
                        .iter()
                        .find(|(from, a, w, _)| *from == state && *a == action && *w == who)
                        .map(|(_, _, _, to)| *to);
                    let answer = next_state(state, action, who, true);
                    match legal {
                        Some(to) => assert_eq!(answer, Ok(to), "{state:?} {action:?} {who:?}"),
                        None if starts_here => {
                            assert_eq!(answer, Err(Refusal::NotTheirs), "{state:?} {action:?} {who:?}")
                        }
                        None => assert_eq!(answer, Err(Refusal::WrongState), "{state:?} {action:?} {who:?}"),
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 10 * 10 * 5);
    }

    #[test]
    fn an_incomplete_plan_cannot_be_submitted_or_resubmitted() {
        assert_eq!(next_state(S::Draft, A::Submit, W::Owner, false), Err(Refusal::NotReady));
        assert_eq!(
            next_state(S::ChangesRequested, A::Submit, W::Owner, false),
            Err(Refusal::NotReady)
        );
        // Readiness is asked of submission only.
        assert_eq!(next_state(S::Draft, A::Withdraw, W::Owner, false), Ok(S::Withdrawn));
        // The state and the person are checked first: a stranger learns nothing about readiness.
        assert_eq!(
            next_state(S::Draft, A::Submit, W::Outsider, false),
            Err(Refusal::NotTheirs)
        );
    }

    #[test]
    fn a_resubmission_returns_to_its_advisor() {
        assert_eq!(submission_lands_in(S::ChangesRequested, true), S::InReview);
        assert_eq!(submission_lands_in(S::ChangesRequested, false), S::Submitted);
        assert_eq!(submission_lands_in(S::Draft, true), S::Submitted);
        assert_eq!(submission_lands_in(S::Draft, false), S::Submitted);
    }

    #[test]
    fn final_states_go_nowhere() {
        for state in [S::Rejected, S::Operating, S::Withdrawn] {
            for who in Standing::ALL {
                assert!(available_actions(state, who, true).is_empty(), "{state:?} {who:?}");
            }
        }
    }

    #[test]
    fn action_keys_round_trip() {
        for action in PlanAction::ALL {
            assert_eq!(PlanAction::from_key(action.key()), Some(action));
        }
        assert_eq!(PlanAction::from_key("delete"), None);
    }
}
