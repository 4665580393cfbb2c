//! "What to do next" for an entrepreneur, from where their plans and documents stand (pure).
use crate::documents::domain::{ChecklistState, DocumentType};
use crate::plan::domain::PlanStatus;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NextStep {
    /// The chamber asked for changes: the most urgent.
    AnswerChanges {
        plan_id: i64,
        title: String,
    },
    ReplaceDocument {
        doc_type: DocumentType,
    },
    SubmitPlan {
        plan_id: i64,
        title: String,
    },
    CompletePlan {
        plan_id: i64,
        title: String,
    },
    UploadDocument {
        doc_type: DocumentType,
    },
    /// Nothing to do but wait (or follow): the plan is with the chamber or beyond.
    Follow {
        plan_id: i64,
        title: String,
        status: PlanStatus,
    },
}

/// One plan as "what to do next" needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanState {
    pub plan_id: i64,
    pub title: String,
    pub status: PlanStatus,
    /// The "ready to submit" rule passes.
    pub ready: bool,
}

/// The steps in the order to take them; documents only while some plan is still going.
pub fn next_steps(plans: &[PlanState], checklist: &[(DocumentType, ChecklistState)]) -> Vec<NextStep> {
    let mut steps = Vec::new();
    let by_status = |status: PlanStatus| plans.iter().filter(move |p| p.status == status);
    for p in by_status(PlanStatus::ChangesRequested) {
        steps.push(NextStep::AnswerChanges {
            plan_id: p.plan_id,
            title: p.title.clone(),
        });
    }
    let going = plans
        .iter()
        .any(|p| !matches!(p.status, PlanStatus::Rejected | PlanStatus::Withdrawn));
    if going {
        for (doc_type, _) in checklist.iter().filter(|(_, s)| *s == ChecklistState::Rejected) {
            steps.push(NextStep::ReplaceDocument { doc_type: *doc_type });
        }
    }
    for p in by_status(PlanStatus::Draft) {
        let (plan_id, title) = (p.plan_id, p.title.clone());
        steps.push(if p.ready {
            NextStep::SubmitPlan { plan_id, title }
        } else {
            NextStep::CompletePlan { plan_id, title }
        });
    }
    if going {
        for (doc_type, _) in checklist.iter().filter(|(_, s)| *s == ChecklistState::Missing) {
            steps.push(NextStep::UploadDocument { doc_type: *doc_type });
        }
    }
    for p in plans.iter().filter(|p| {
        !matches!(
            p.status,
            PlanStatus::Draft | PlanStatus::ChangesRequested | PlanStatus::Withdrawn
        )
    }) {
        steps.push(NextStep::Follow {
            plan_id: p.plan_id,
            title: p.title.clone(),
            status: p.status,
        });
    }
    steps
}

/// Where a plan is on the way from draft to a running business: (stage, of how many).
/// Plans that left the way (rejected, withdrawn) have none.
pub fn journey_stage(status: PlanStatus) -> Option<(u32, u32)> {
    let stage = match status {
        PlanStatus::Draft => 1,
        PlanStatus::Submitted => 2,
        PlanStatus::InReview | PlanStatus::ChangesRequested => 3,
        PlanStatus::Approved => 4,
        PlanStatus::Referred => 5,
        PlanStatus::Funded => 6,
        PlanStatus::Operating => 7,
        PlanStatus::Rejected | PlanStatus::Withdrawn => return None,
    };
    Some((stage, 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(id: i64, status: PlanStatus, ready: bool) -> PlanState {
        PlanState {
            plan_id: id,
            title: format!("plan {id}"),
            status,
            ready,
        }
    }

    #[test]
    fn urgent_things_come_first_and_waiting_last() {
        let plans = [
            plan(1, PlanStatus::Draft, false),
            plan(2, PlanStatus::InReview, true),
            plan(3, PlanStatus::ChangesRequested, true),
            plan(4, PlanStatus::Draft, true),
        ];
        let checklist = [
            (DocumentType::IdCopy, ChecklistState::Verified),
            (DocumentType::LeaseContract, ChecklistState::Rejected),
            (DocumentType::Quotation, ChecklistState::Missing),
            (DocumentType::PersonalPhoto, ChecklistState::Uploaded),
        ];
        let title = |id: i64| format!("plan {id}");
        assert_eq!(
            next_steps(&plans, &checklist),
            vec![
                NextStep::AnswerChanges {
                    plan_id: 3,
                    title: title(3)
                },
                NextStep::ReplaceDocument {
                    doc_type: DocumentType::LeaseContract
                },
                NextStep::CompletePlan {
                    plan_id: 1,
                    title: title(1)
                },
                NextStep::SubmitPlan {
                    plan_id: 4,
                    title: title(4)
                },
                NextStep::UploadDocument {
                    doc_type: DocumentType::Quotation
                },
                NextStep::Follow {
                    plan_id: 2,
                    title: title(2),
                    status: PlanStatus::InReview
                },
            ]
        );
    }

    #[test]
    fn documents_are_not_asked_for_when_no_plan_is_going() {
        let plans = [plan(1, PlanStatus::Rejected, true)];
        let checklist = [(DocumentType::IdCopy, ChecklistState::Missing)];
        assert_eq!(
            next_steps(&plans, &checklist),
            vec![NextStep::Follow {
                plan_id: 1,
                title: "plan 1".into(),
                status: PlanStatus::Rejected
            }]
        );
        assert!(next_steps(&[], &checklist).is_empty());
    }

    #[test]
    fn the_journey_has_seven_stages() {
        assert_eq!(journey_stage(PlanStatus::Draft), Some((1, 7)));
        assert_eq!(journey_stage(PlanStatus::ChangesRequested), Some((3, 7)));
        assert_eq!(journey_stage(PlanStatus::Operating), Some((7, 7)));
        assert_eq!(journey_stage(PlanStatus::Withdrawn), None);
    }
}
