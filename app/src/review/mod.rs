//! The chamber's review workspace. So far: the review queue, the list of submitted plans
//! that advisors and managers work from (their chamber) and the Fund reads (every chamber),
//! filtered and sorted on the server and paged by keyset. The rules it reads its filters
//! with are in `domain::review::queue`; `docs/review.md` describes them.
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use domain::plan::status::PlanStatus;
use domain::Bilingual;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The queue's filters as the URL carries them (text, as typed or linked). The server
/// reads them into typed filters and answers a bad one with a message for its field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueParams {
    #[serde(default)]
    pub status: String,
    /// `me`, `none` or an advisor's id.
    #[serde(default)]
    pub assigned: String,
    /// A chamber's id; the Fund's filter (chamber staff always see their own chamber).
    #[serde(default)]
    pub chamber: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub governorate: String,
    #[serde(default)]
    pub gender: String,
    /// An age group key (`16-24`, `25-29`, `30-39`, `40+`).
    #[serde(default)]
    pub age: String,
    /// First submitted on or after this date (`YYYY-MM-DD`).
    #[serde(default)]
    pub from: String,
    /// First submitted on or before this date.
    #[serde(default)]
    pub to: String,
    /// Words of the title or of the owner's name.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sort: String,
    /// Where the page starts (the cursor of the previous page's last row).
    #[serde(default)]
    pub after: String,
}

impl QueueParams {
    /// The URL names and values, in a fixed order, without the empty ones.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("q", &self.q),
            ("status", &self.status),
            ("assigned", &self.assigned),
            ("chamber", &self.chamber),
            ("sector", &self.sector),
            ("governorate", &self.governorate),
            ("gender", &self.gender),
            ("age", &self.age),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", &self.sort),
            ("after", &self.after),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| (name, value.as_str()))
        .collect()
    }
}

/// One plan in the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub plan_id: i64,
    pub title: String,
    pub owner_name: String,
    /// The owner's chamber (shown to the Fund, which sees every chamber).
    pub chamber: Option<Bilingual>,
    pub status: PlanStatus,
    /// Whole days the plan has been in its state.
    pub waiting_days: i64,
    pub assigned_to: Option<String>,
    /// When revision 1 was submitted (Unix seconds).
    pub submitted_at: i64,
}

/// An advisor the queue can be filtered by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorChoice {
    pub id: i64,
    pub name: String,
}

/// One page of the queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Plans matching the filters, on every page.
    pub total: i64,
    /// The `after` value of the next page; `None` on the last page.
    pub next: Option<String>,
    /// The advisors of the caller's chamber (none for the Fund).
    pub advisors: Vec<AdvisorChoice>,
    /// The caller sees every chamber (the Fund): the rows name their chamber.
    pub every_chamber: bool,
}

/// The review queue: plans submitted at least once, of the caller's chamber (advisors,
/// managers) or of every chamber (the Fund, read-only), filtered and sorted as asked.
#[server(endpoint = "review/queue")]
pub async fn review_queue(#[server(default)] params: QueueParams) -> Result<QueuePage, AppError> {
    crate::guard::respond(server::queue(params).await)
}

/// One criterion as an advisor scored it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoredCriterion {
    pub name: Bilingual,
    pub weight: u32,
    pub score: u8,
    pub comment: String,
}

/// One advisor's verdict on the revision under review, with the rubric version it was
/// given on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelEntry {
    pub advisor_id: i64,
    pub advisor_name: String,
    pub verdict: domain::review::rubric::Verdict,
    pub rubric_version: i64,
    pub criteria: Vec<ScoredCriterion>,
    pub note: String,
    /// Why the advisor abstained.
    pub reason: Option<String>,
    pub scored_at: i64,
}

/// The review sheet of a plan's latest revision: the rubric to score with and the
/// verdicts given. Staff only; what the entrepreneur never sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSheet {
    pub plan_id: i64,
    pub title: String,
    pub status: PlanStatus,
    pub revision: i64,
    /// The rubric in force (new verdicts are given on it).
    pub rubric: domain::review::rubric::Rubric,
    /// The caller may give or change a verdict now (chamber staff, plan in review).
    pub can_score: bool,
    /// The caller's own verdict on this revision.
    pub mine: Option<PanelEntry>,
    /// Every verdict on this revision, for the manager and the Fund (advisors see only
    /// their own, so that one advisor's score does not lead another's).
    pub panel: Vec<PanelEntry>,
    pub summary: Option<domain::review::rubric::PanelSummary>,
}

/// The review sheet of a plan. Staff of the plan's chamber and the Fund, once the plan was
/// submitted; everyone else 404.
#[server(endpoint = "review/sheet")]
pub async fn get_review_sheet(plan_id: i64) -> Result<ReviewSheet, AppError> {
    crate::guard::respond(server::sheet(plan_id).await)
}

/// What the score form sends. Scores and comments are keyed by criterion position
/// (`scores[3]`), read by key so a missing field cannot shift the others; an empty score is
/// "not chosen". `mode` is `score` or `abstain`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreInput {
    pub plan_id: i64,
    /// The rubric version the form was drawn with: a verdict is refused if the Fund
    /// changed the rubric meanwhile, rather than stored against the wrong criteria.
    pub rubric_version: i64,
    #[serde(default)]
    pub scores: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub comments: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub recommendation: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub reason: String,
}

/// Gives (or replaces) the caller's verdict on the plan's latest revision. Advisors and
/// managers of the plan's chamber, while the plan is in review; the Fund reads but does not
/// score (403); other chambers 404.
#[server(endpoint = "review/score")]
pub async fn score_plan(input: ScoreInput) -> Result<(), AppError> {
    let mut kept = vec![
        ("input[recommendation]".to_string(), input.recommendation.clone()),
        ("input[note]".to_string(), input.note.clone()),
        ("input[mode]".to_string(), input.mode.clone()),
        ("input[reason]".to_string(), input.reason.clone()),
    ];
    kept.extend(
        input
            .scores
            .iter()
            .map(|(i, s)| (format!("input[scores][{i}]"), s.clone())),
    );
    kept.extend(
        input
            .comments
            .iter()
            .map(|(i, c)| (format!("input[comments][{i}]"), c.clone())),
    );
    let path = <ScorePlan as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::score(input).await).await
}

/// One criterion as the Fund's rubric form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionInput {
    #[serde(default)]
    pub name_ar: String,
    #[serde(default)]
    pub name_en: String,
    /// Typed, in any digit system.
    #[serde(default)]
    pub weight: String,
}

/// The rubric in force, for the Fund's editor.
#[server(endpoint = "review/rubric")]
pub async fn get_rubric() -> Result<domain::review::rubric::Rubric, AppError> {
    crate::guard::respond(server::rubric().await)
}

/// Replaces the rubric with a new version (the Fund only). Rows left wholly empty are
/// dropped; every problem of the rest is answered at once (`RubricInvalid`), nothing kept.
#[server(endpoint = "review/rubric/save")]
pub async fn save_rubric(#[server(default)] criteria: Vec<CriterionInput>) -> Result<i64, AppError> {
    crate::guard::respond(server::save_rubric_input(criteria).await)
}
