//! Plan rules that need no I/O: lifecycle states, titles, ownership.
use serde::{Deserialize, Serialize};

/// The plan lifecycle of `shared/reference/workflow.md`. Transitions come with case
/// tracking; today every plan is a draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Submitted,
    InReview,
    ChangesRequested,
    Approved,
    Rejected,
    Referred,
    Funded,
    Operating,
    Withdrawn,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 10] = [
        PlanStatus::Draft,
        PlanStatus::Submitted,
        PlanStatus::InReview,
        PlanStatus::ChangesRequested,
        PlanStatus::Approved,
        PlanStatus::Rejected,
        PlanStatus::Referred,
        PlanStatus::Funded,
        PlanStatus::Operating,
        PlanStatus::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::InReview => "in_review",
            PlanStatus::ChangesRequested => "changes_requested",
            PlanStatus::Approved => "approved",
            PlanStatus::Rejected => "rejected",
            PlanStatus::Referred => "referred",
            PlanStatus::Funded => "funded",
            PlanStatus::Operating => "operating",
            PlanStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_key(key: &str) -> Option<PlanStatus> {
        PlanStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Only drafts may be deleted by their owner (anything submitted is part of a case).
    pub fn owner_may_delete(self) -> bool {
        self == PlanStatus::Draft
    }
}

pub const TITLE_MIN: u32 = 3;
pub const TITLE_MAX: u32 = 120;
/// Plans one entrepreneur may keep at once (deleted ones do not count).
pub const PLANS_MAX: i64 = 20;

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
    fn only_drafts_can_be_deleted_by_their_owner() {
        let deletable: Vec<_> = PlanStatus::ALL.into_iter().filter(|s| s.owner_may_delete()).collect();
        assert_eq!(deletable, [PlanStatus::Draft]);
    }
}
