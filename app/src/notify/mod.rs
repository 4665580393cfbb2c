//! In-app notifications: what happened to a person's plan or documents, or what waits for a
//! member of staff. Each one is written in the same transaction as the step it tells about.
pub mod email;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod sms;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use domain::documents::{DocumentStatus, DocumentType};
use domain::plan::lifecycle::PlanAction;
use domain::services::RequestAction;
use domain::Bilingual;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "topic", content = "action")]
pub enum Topic {
    PlanStep(PlanAction),
    DocumentReviewed(DocumentStatus),
    /// An entrepreneur requested a service (told to the chamber).
    ServiceRequested,
    ServiceStep(RequestAction),
}

impl Topic {
    /// The stored pair (topic, action).
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            Topic::PlanStep(action) => ("plan_step", action.key()),
            Topic::DocumentReviewed(status) => ("document_reviewed", status.key()),
            Topic::ServiceRequested => ("service_step", "requested"),
            Topic::ServiceStep(action) => ("service_step", action.key()),
        }
    }

    pub fn from_keys(topic: &str, action: &str) -> Option<Topic> {
        match topic {
            "plan_step" => PlanAction::from_key(action).map(Topic::PlanStep),
            "document_reviewed" => DocumentStatus::from_key(action).map(Topic::DocumentReviewed),
            "service_step" if action == "requested" => Some(Topic::ServiceRequested),
            "service_step" => RequestAction::from_key(action).map(Topic::ServiceStep),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub topic: Topic,
    pub plan_id: Option<i64>,
    pub plan_title: Option<String>,
    pub document_type: Option<DocumentType>,
    pub request_id: Option<i64>,
    /// The requested service's name.
    pub service_name: Option<Bilingual>,
    pub message: Option<String>,
    pub created_at: i64,
    pub read: bool,
}

impl Notification {
    /// Where the notification leads.
    pub fn link(&self) -> String {
        match (self.topic, self.plan_id) {
            (Topic::PlanStep(_), Some(plan)) => format!("/plans/{plan}#case"),
            (Topic::DocumentReviewed(_), _) => "/documents".to_string(),
            (Topic::ServiceRequested | Topic::ServiceStep(_), _) => match self.request_id {
                Some(id) => format!("/services/requests/{id}"),
                None => "/services".to_string(),
            },
            _ => "/home".to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    /// Newest first (at most 100).
    pub items: Vec<Notification>,
    pub unread: i64,
}

/// The caller's notifications.
#[server(endpoint = "notifications/list")]
pub async fn list_notifications() -> Result<Inbox, AppError> {
    crate::guard::respond(server::list().await)
}

/// How many of the caller's notifications are unread (0 when signed out).
#[server(endpoint = "notifications/unread")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    crate::guard::respond(server::unread().await)
}

/// Marks one of the caller's notifications read, or all of them when `notification_id` is 0.
#[server(endpoint = "notifications/read")]
pub async fn mark_read(notification_id: i64) -> Result<(), AppError> {
    crate::guard::respond(server::mark_read(notification_id).await)
}
