//! "What to do next" for an entrepreneur, from where their plans and documents stand (pure).
use crate::documents::{ChecklistState, DocumentType};
use crate::plan::status::PlanStatus;
use crate::Bilingual;
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
    /// A service request waits for documents the chamber asked for.
    ProvideDocuments {
        request_id: i64,
        service: Bilingual,
    },
    /// A service request under way: its current step and when that step should end.
    FollowService {
        request_id: i64,
        service: Bilingual,
        step: Bilingual,
        until: Option<String>,
    },
}

/// A service request as "what to do next" needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceState {
    pub request_id: i64,
    pub service: Bilingual,
    pub status: crate::services::RequestStatus,
    pub step: Option<Bilingual>,
    pub step_until: Option<String>,
}

/// Adds the service requests to the steps: missing documents right after the chamber's
/// requests for changes (both wait for the entrepreneur), requests under way at the end.
pub fn with_services(mut steps: Vec<NextStep>, requests: &[ServiceState]) -> Vec<NextStep> {
    use crate::services::RequestStatus;
    let urgent = steps
        .iter()
        .take_while(|s| matches!(s, NextStep::AnswerChanges { .. }))
        .count();
    let documents: Vec<NextStep> = requests
        .iter()
        .filter(|r| r.status == RequestStatus::DocumentsPending)
        .map(|r| NextStep::ProvideDocuments {
            request_id: r.request_id,
            service: r.service.clone(),
        })
        .collect();
    steps.splice(urgent..urgent, documents);
    for r in requests.iter().filter(|r| r.status == RequestStatus::InProgress) {
        if let Some(step) = &r.step {
            steps.push(NextStep::FollowService {
                request_id: r.request_id,
                service: r.service.clone(),
                step: step.clone(),
                until: r.step_until.clone(),
            });
        }
    }
    steps
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
    fn service_requests_join_the_steps_where_they_belong() {
        use crate::services::RequestStatus;
        let service = |s: &str| Bilingual::new(s, s);
        let requests = [
            ServiceState {
                request_id: 7,
                service: service("trademark"),
                status: RequestStatus::InProgress,
                step: Some(service("opposition")),
                step_until: Some("2027-03-04".into()),
            },
            ServiceState {
                request_id: 8,
                service: service("membership"),
                status: RequestStatus::DocumentsPending,
                step: None,
                step_until: None,
            },
            ServiceState {
                request_id: 9,
                service: service("training"),
                status: RequestStatus::Completed,
                step: None,
                step_until: None,
            },
        ];
        let plans = [
            plan(3, PlanStatus::ChangesRequested, true),
            plan(4, PlanStatus::Draft, true),
        ];
        let steps = with_services(next_steps(&plans, &[]), &requests);
        assert!(matches!(steps[0], NextStep::AnswerChanges { plan_id: 3, .. }));
        assert_eq!(
            steps[1],
            NextStep::ProvideDocuments {
                request_id: 8,
                service: service("membership")
            }
        );
        assert!(matches!(steps[2], NextStep::SubmitPlan { plan_id: 4, .. }));
        assert_eq!(
            steps.last(),
            Some(&NextStep::FollowService {
                request_id: 7,
                service: service("trademark"),
                step: service("opposition"),
                until: Some("2027-03-04".into())
            })
        );
        assert_eq!(steps.len(), 4, "a completed request asks nothing");
    }

    #[test]
    fn the_journey_has_seven_stages() {
        assert_eq!(journey_stage(PlanStatus::Draft), Some((1, 7)));
        assert_eq!(journey_stage(PlanStatus::ChangesRequested), Some((3, 7)));
        assert_eq!(journey_stage(PlanStatus::Operating), Some((7, 7)));
        assert_eq!(journey_stage(PlanStatus::Withdrawn), None);
    }
}
