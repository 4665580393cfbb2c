//! The chamber's review workspace: the review queue (advisors and managers: their chamber;
//! the Fund: every chamber, read-only), the review sheet with the rubric and the verdicts,
//! comments pinned to sections and table rows, the differences between revisions, and the
//! case's audit trail. The pure rules are in `domain::review`; `docs/review.md` describes
//! the workflow.
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use domain::plan::sections::SectionKey;
use domain::plan::status::PlanStatus;
use domain::plan::tables::Table;
use domain::review::comments::{Audience, CommentStatus};
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
    /// The average weighted score of the latest verdicts.
    pub score: Option<domain::review::rubric::WeightedScore>,
    /// Comments not resolved yet (internal ones included: the queue is for staff).
    pub open_comments: i64,
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
    /// The decisions the caller may take from here (request changes; the manager's
    /// approve or reject), beside the scores they are taken on.
    pub actions: Vec<domain::plan::lifecycle::PlanAction>,
    /// Revisions submitted so far (for the diff's choices).
    pub revisions: i64,
    /// The case's audit trail, newest first.
    pub trail: Vec<AuditEntry>,
    /// The revision under review: its key figures (in its currency) and written sections.
    pub figures: domain::review::diff::KeyFigures,
    pub currency: domain::plan::financials::Currency,
    pub sections: Vec<(SectionKey, String)>,
}

/// One row of an audit trail or of the Fund's audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    /// `None`: the system (or an account since removed).
    pub actor_name: Option<String>,
    pub action: domain::audit::AuditAction,
    pub object: domain::audit::AuditObject,
    pub object_id: Option<i64>,
    pub detail: String,
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

/// A staff reply in a comment's thread (staff only: the entrepreneur sees the comment and
/// her own answer, never the chamber's discussion of it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentReply {
    pub author_name: String,
    pub body: String,
    pub at: i64,
}

/// A comment with its thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentThread {
    pub id: i64,
    /// The revision it was made on.
    pub revision: i64,
    pub section: SectionKey,
    /// The table row it is pinned to, by the row's name.
    pub row: Option<(Table, String)>,
    pub audience: Audience,
    pub status: CommentStatus,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
    /// When the entrepreneur marked it answered, and what she added.
    pub answered_at: Option<i64>,
    pub answer: Option<String>,
    pub replies: Vec<CommentReply>,
}

/// Somewhere a comment can be pinned on the revision under review: a section, or one row
/// of one of its tables (`value` is what the form sends back).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinChoice {
    pub value: String,
    pub section: SectionKey,
    pub row: Option<(Table, String)>,
}

/// A plan's comments as the caller may see them: staff see every comment and thread; the
/// owner sees the comments written to her, nothing internal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentBoard {
    pub plan_id: i64,
    pub status: PlanStatus,
    /// The latest revision submitted (0: never submitted).
    pub revision: i64,
    pub staff_view: bool,
    /// The caller may comment, reply and resolve now (chamber staff, plan in review).
    pub can_comment: bool,
    /// The owner may mark comments answered now (changes requested).
    pub can_answer: bool,
    pub comments: Vec<CommentThread>,
    /// Where a new comment can be pinned (empty unless `can_comment`).
    pub pins: Vec<PinChoice>,
}

/// The comments of a plan the caller may read: its owner (only those written to her) and
/// staff of its chamber and the Fund (all, once submitted); anyone else 404.
#[server(endpoint = "review/comments")]
pub async fn get_comments(plan_id: i64) -> Result<CommentBoard, AppError> {
    crate::guard::respond(server::comments(plan_id).await)
}

/// What the comment form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentInput {
    pub plan_id: i64,
    /// A [`PinChoice`] value.
    #[serde(default)]
    pub pin: String,
    /// `internal` or `entrepreneur`.
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub body: String,
}

/// Pins a comment on the plan's latest revision. Advisors and managers of the plan's
/// chamber while it is in review; the Fund reads but does not comment (403); others 404.
#[server(endpoint = "review/comment/add")]
pub async fn add_comment(input: CommentInput) -> Result<i64, AppError> {
    let kept = vec![
        ("input[pin]".to_string(), input.pin.clone()),
        ("input[audience]".to_string(), input.audience.clone()),
        ("input[body]".to_string(), input.body.clone()),
    ];
    let path = <AddComment as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::add_comment(input).await).await
}

/// Replies in a comment's thread (staff of the plan's chamber, plan in review).
#[server(endpoint = "review/comment/reply")]
pub async fn reply_to_comment(comment_id: i64, #[server(default)] body: String) -> Result<(), AppError> {
    let kept = crate::guard::kept(&[("body", &body)]);
    let path = <ReplyToComment as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::reply(comment_id, body).await).await
}

/// Resolves a comment or opens it again (staff of the plan's chamber, plan in review).
#[server(endpoint = "review/comment/status")]
pub async fn set_comment_status(comment_id: i64, status: CommentStatus) -> Result<(), AppError> {
    crate::guard::respond_form(
        <SetCommentStatus as server_fn::ServerFn>::PATH,
        Vec::new(),
        server::set_status(comment_id, status).await,
    )
    .await
}

/// The owner marks a comment written to her answered, with an optional note, while the
/// chamber waits for her changes.
#[server(endpoint = "review/comment/answer")]
pub async fn answer_comment(comment_id: i64, #[server(default)] answer: String) -> Result<(), AppError> {
    let kept = crate::guard::kept(&[("answer", &answer)]);
    let path = <AnswerComment as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::answer(comment_id, answer).await).await
}

/// What changed between two revisions of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionDiff {
    pub plan_id: i64,
    pub title: String,
    pub from: i64,
    pub to: i64,
    /// Revisions submitted so far.
    pub revisions: i64,
    pub currency: domain::plan::financials::Currency,
    pub sections: Vec<domain::review::diff::SectionDiff>,
    pub tables: Vec<domain::review::diff::TableDiff>,
    pub before: domain::review::diff::KeyFigures,
    pub after: domain::review::diff::KeyFigures,
}

/// The differences between revisions `from` and `to` (default: the last two). Staff of the
/// plan's chamber, the Fund and the owner; anyone else 404.
#[server(endpoint = "review/diff")]
pub async fn get_revision_diff(
    plan_id: i64,
    #[server(default)] from: Option<i64>,
    #[server(default)] to: Option<i64>,
) -> Result<RevisionDiff, AppError> {
    crate::guard::respond(server::diff(plan_id, from, to).await)
}
