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
