//! Case tracking: a plan's lifecycle (submission, review, decisions) with its frozen
//! revisions and its timeline, the plan's page that runs it, the chamber's list of
//! submitted plans, an entrepreneur's case file and home ("what to do next"). The rules
//! are pure, in `domain::plan::lifecycle` and `domain::next`.
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
mod store;

use crate::error::AppError;
use domain::documents::{DocumentStatus, DocumentType};
use domain::next::NextStep;
use domain::plan::lifecycle::PlanAction;
use domain::plan::status::PlanStatus;
use domain::services::{RequestAction, RequestStatus};
use domain::Bilingual;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One step in a plan's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEvent {
    pub at: i64,
    pub actor_name: Option<String>,
    pub action: PlanAction,
    pub from: PlanStatus,
    pub to: PlanStatus,
    /// The message to the entrepreneur (changes requested, a decision's reason).
    pub message: Option<String>,
    /// The revision a submission froze.
    pub revision: Option<i64>,
}

/// A plan's case as the reader may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCase {
    pub plan_id: i64,
    pub status: PlanStatus,
    /// Staff also see the internal state and who holds the review.
    pub staff_view: bool,
    pub assigned_to: Option<String>,
    /// The steps the reader may take now.
    pub actions: Vec<PlanAction>,
    /// Advisors of the plan's chamber (for the manager's "assign").
    pub advisors: Vec<(i64, String)>,
    /// Revisions submitted so far: (number, time).
    pub revisions: Vec<(i64, i64)>,
    /// Oldest first.
    pub events: Vec<PlanEvent>,
}

/// The entrepreneur's home: what to do next, and how far the latest plan has come.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeSteps {
    pub steps: Vec<NextStep>,
    /// (plan id, title, state, stage, of how many) of the most recently changed plan.
    pub journey: Option<(i64, String, PlanStatus, u32, u32)>,
}

/// One entry of an entrepreneur's single timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineEntry {
    Plan {
        at: i64,
        plan_id: i64,
        title: String,
        action: PlanAction,
        to: PlanStatus,
        message: Option<String>,
        revision: Option<i64>,
    },
    Service {
        at: i64,
        request_id: i64,
        service_name: Bilingual,
        /// `None`: the request was made.
        action: Option<RequestAction>,
        to: RequestStatus,
        step: u32,
        message: Option<String>,
    },
    Document {
        at: i64,
        doc_type: DocumentType,
        status: DocumentStatus,
        /// The reason of a rejection.
        reason: Option<String>,
    },
}

impl TimelineEntry {
    pub fn at(&self) -> i64 {
        match self {
            TimelineEntry::Plan { at, .. } | TimelineEntry::Service { at, .. } | TimelineEntry::Document { at, .. } => {
                *at
            }
        }
    }
}

/// An entrepreneur's whole case: plans, service requests, documents and every event of them
/// in one chronological timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    pub owner_name: String,
    /// (id, title, state, revisions submitted).
    pub plans: Vec<(i64, String, PlanStatus, i64)>,
    pub requests: Vec<crate::services::RequestSummary>,
    pub documents: Vec<(DocumentType, DocumentStatus)>,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The code of the chamber the person is with.
    pub chamber_code: Option<String>,
    /// May the reader (staff) move the person to another chamber ([`move_chamber`])?
    pub can_move: bool,
}

/// The case file of an entrepreneur: the caller's own (`user_id` empty), or, for staff of
/// the entrepreneur's chamber and the Fund, someone's; anyone else 404.
#[server(endpoint = "case/file")]
pub async fn get_case_file(#[server(default)] user_id: Option<i64>) -> Result<CaseFile, AppError> {
    crate::guard::respond(server::case_file(user_id).await)
}

/// Moves an entrepreneur, with her plans and documents, to another chamber (`chamber`: its
/// code). Her chamber's manager or the Fund; she herself only while nothing of hers is with
/// a chamber (the profile form does that). Staff who may not read her get 404, others who
/// may read her 403; an unknown chamber 422 on the chamber field.
#[server(endpoint = "case/move-chamber")]
pub async fn move_chamber(user_id: i64, chamber: String) -> Result<(), AppError> {
    let kept = crate::guard::kept(&[("chamber", &chamber)]);
    let path = <MoveChamber as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::move_chamber(user_id, chamber).await).await
}

/// What the caller should do next. Entrepreneurs only.
#[server(endpoint = "case/next-steps")]
pub async fn get_home_steps() -> Result<HomeSteps, AppError> {
    crate::guard::respond(server::home_steps().await)
}

/// What waits for a chamber's staff, for their home page; links lead into the filtered
/// lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    /// Plans in review held by the caller (advisors and managers; 0 for the Fund).
    pub my_reviews: i64,
    /// Submitted plans no advisor has taken yet.
    pub unassigned: i64,
    /// Days the longest-waiting of those has waited.
    pub longest_wait_days: Option<i64>,
    pub documents_waiting: i64,
    /// Service requests neither completed nor cancelled.
    pub requests_open: i64,
}

/// The caller's chamber's work waiting (every chamber for the Fund); `None` for
/// entrepreneurs, whose home shows their own next steps instead.
#[server(endpoint = "case/workload")]
pub async fn get_workload() -> Result<Option<Workload>, AppError> {
    crate::guard::respond(server::workload().await)
}

/// A plan's state, its steps and history. The owner and whoever may read the plan.
#[server(endpoint = "case/plan")]
pub async fn get_plan_case(plan_id: i64) -> Result<PlanCase, AppError> {
    crate::guard::respond(server::plan_case(plan_id).await)
}

/// Takes one step of the lifecycle (`action`: `submit`, `withdraw`, `assign`, `pick_up`,
/// `request_changes`, `approve`, `reject`, `refer`, `mark_funded`, `mark_operating`), with a
/// message to the entrepreneur and, for `assign`, the advisor. Refused unless the lifecycle
/// allows that person that step from the plan's state; any other action does not read (400).
#[server(endpoint = "case/transition")]
pub async fn transition_plan(
    plan_id: i64,
    action: PlanAction,
    #[server(default)] message: String,
    #[server(default)] advisor_id: Option<i64>,
) -> Result<PlanStatus, AppError> {
    let kept = crate::guard::kept(&[("message", &message)]);
    let path = <TransitionPlan as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(
        path,
        kept,
        server::transition(plan_id, action, message, advisor_id).await,
    )
    .await
}
