//! The Fund's oversight across chambers. So far: the audit log, every recorded step of
//! every chamber, searchable by who, what, which object and when, paged newest first.
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use crate::review::AuditEntry;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Rows on one page of the audit log.
pub const AUDIT_PAGE_SIZE: u32 = 50;

/// The audit log's search as the URL carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditParams {
    /// Words of the actor's name.
    #[serde(default)]
    pub actor: String,
    /// An action key.
    #[serde(default)]
    pub action: String,
    /// An object kind key.
    #[serde(default)]
    pub object: String,
    /// The object's number (a plan's, a document's…).
    #[serde(default)]
    pub object_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Rows older than this row id (the next page).
    #[serde(default)]
    pub before: String,
}

impl AuditParams {
    /// The URL names and values, without the empty ones.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("actor", &self.actor),
            ("action", &self.action),
            ("object", &self.object),
            ("object_id", &self.object_id),
            ("from", &self.from),
            ("to", &self.to),
            ("before", &self.before),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| (name, value.as_str()))
        .collect()
    }
}

/// One page of the audit log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditEntry>,
    /// Steps matching the search, on every page.
    pub total: i64,
    /// The `before` value of the next (older) page.
    pub next: Option<i64>,
}

/// The audit log across chambers. The Fund only (403 for everyone else).
#[server(endpoint = "fund/audit")]
pub async fn audit_log(#[server(default)] params: AuditParams) -> Result<AuditPage, AppError> {
    crate::guard::respond(server::audit_log(params).await)
}
