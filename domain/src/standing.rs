//! Who someone is to a person's plan or request, and why a step is refused: shared by the
//! plan lifecycle and the service requests.
use crate::roles::{Actor, ChamberId, Role, UserId};
use serde::{Deserialize, Serialize};

/// How the person acting stands to what they act on (a plan, a service request): the
/// owner, staff of the owner's chamber, the Fund, or an outsider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Standing {
    Owner,
    /// An advisor of the owner's chamber.
    ChamberAdvisor,
    /// The manager of the owner's chamber.
    ChamberManager,
    Fund,
    /// Anyone else (another entrepreneur, staff of another chamber).
    Outsider,
}

impl Standing {
    pub const ALL: [Standing; 5] = [
        Standing::Owner,
        Standing::ChamberAdvisor,
        Standing::ChamberManager,
        Standing::Fund,
        Standing::Outsider,
    ];

    pub fn of(actor: &Actor, owner: UserId, owner_chamber: Option<ChamberId>) -> Standing {
        if actor.id == owner {
            return Standing::Owner;
        }
        let same_chamber = actor.chamber.is_some() && actor.chamber == owner_chamber;
        match actor.role {
            Role::FundAdmin => Standing::Fund,
            Role::Advisor if same_chamber => Standing::ChamberAdvisor,
            Role::ChamberManager if same_chamber => Standing::ChamberManager,
            _ => Standing::Outsider,
        }
    }
}

crate::keyed! {
    /// Why a step is refused.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Refusal {
        /// The plan is not in a state this step starts from.
        WrongState = "wrong_state",
        /// Someone else takes this step.
        NotTheirs = "not_theirs",
        /// Submission needs the plan complete ("what's missing" is not empty).
        NotReady = "not_ready",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_follows_the_chamber() {
        let actor = |id, role, chamber: Option<i64>| Actor {
            id: UserId(id),
            role,
            chamber: chamber.map(ChamberId),
        };
        let owner = UserId(1);
        let chamber = Some(ChamberId(3));
        assert_eq!(
            Standing::of(&actor(1, Role::Entrepreneur, Some(3)), owner, chamber),
            Standing::Owner
        );
        assert_eq!(
            Standing::of(&actor(2, Role::Entrepreneur, Some(3)), owner, chamber),
            Standing::Outsider
        );
        assert_eq!(
            Standing::of(&actor(5, Role::Advisor, Some(3)), owner, chamber),
            Standing::ChamberAdvisor
        );
        assert_eq!(
            Standing::of(&actor(6, Role::Advisor, Some(4)), owner, chamber),
            Standing::Outsider
        );
        assert_eq!(
            Standing::of(&actor(7, Role::ChamberManager, Some(3)), owner, chamber),
            Standing::ChamberManager
        );
        assert_eq!(
            Standing::of(&actor(8, Role::ChamberManager, Some(4)), owner, chamber),
            Standing::Outsider
        );
        assert_eq!(
            Standing::of(&actor(9, Role::FundAdmin, None), owner, chamber),
            Standing::Fund
        );
    }
}
