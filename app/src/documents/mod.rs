//! Documents: each entrepreneur's library of papers (upload once, use for every plan and
//! service), the checklist a plan needs, and the chamber's verification. Files travel through
//! the resumable upload routes of `server/` (see `docs/api.md`); this module holds the
//! pages, the uploader and the server functions. The rules are in `domain::documents`.
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;
pub mod upload;

use crate::error::AppError;
use domain::documents::{ChecklistState, Decision, DocumentLimits, DocumentStatus, DocumentType, FileKind};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An earlier version of a document, kept when it was replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierVersion {
    pub id: i64,
    pub name: String,
    pub status: DocumentStatus,
    pub reason: Option<String>,
    pub created_at: i64,
}

/// One document as its owner and the chamber see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: i64,
    pub doc_type: DocumentType,
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
    pub status: DocumentStatus,
    /// The advisor's reason, when rejected.
    pub reason: Option<String>,
    pub created_at: i64,
    /// Versions this one replaced, newest first.
    pub earlier: Vec<EarlierVersion>,
}

/// An upload that has not finished (the connection dropped, the page was closed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenUpload {
    pub id: String,
    pub doc_type: DocumentType,
    pub name: String,
    pub size: u64,
    pub received: u64,
}

/// The owner's library: current documents, room used, uploads under way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub documents: Vec<DocumentView>,
    pub open_uploads: Vec<OpenUpload>,
    pub used: u64,
    pub limits: DocumentLimits,
}

/// One line of a plan's checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub doc_type: DocumentType,
    pub state: ChecklistState,
    pub documents: Vec<DocumentView>,
}

/// A plan's checklist with what the reader may do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentChecklist {
    pub owner_id: i64,
    pub items: Vec<ChecklistItem>,
    pub can_review: bool,
    pub is_owner: bool,
}

/// An entrepreneur's documents as the chamber sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerDocuments {
    pub owner_id: i64,
    pub owner_name: String,
    pub documents: Vec<DocumentView>,
    pub can_review: bool,
}

/// A document waiting for the chamber's decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub owner_id: i64,
    pub owner_name: String,
    pub document: DocumentView,
}

/// What the upload routes answer while an upload travels (JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadProgress {
    pub id: String,
    pub size: u64,
    pub received: u64,
    pub chunk_size: u64,
    /// Set once the last chunk arrived and the file was accepted.
    pub document: Option<DocumentView>,
}

/// What a new upload announces before its first byte (JSON body of `POST /uploads`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadStart {
    pub doc_type: String,
    pub name: String,
    pub size: u64,
    /// SHA-256 of the whole file, lower-case hex: checked when the last chunk arrives.
    pub sha256: String,
    /// The document this one replaces (a new version of a rejected one).
    #[serde(default)]
    pub replaces: Option<i64>,
}

/// The caller's library. Entrepreneurs only.
#[server(endpoint = "documents/mine")]
pub async fn my_documents() -> Result<Library, AppError> {
    crate::guard::respond(server::my_documents().await)
}

/// An entrepreneur's documents for the chamber: staff of their chamber and the Fund; anyone
/// else gets 404.
#[server(endpoint = "documents/of")]
pub async fn documents_of(owner_id: i64) -> Result<OwnerDocuments, AppError> {
    crate::guard::respond(server::documents_of(owner_id).await)
}

/// Deletes one of the caller's documents that is not verified.
#[server(endpoint = "documents/delete")]
pub async fn delete_document(document_id: i64) -> Result<(), AppError> {
    crate::guard::respond(server::delete_document(document_id).await)
}

/// Verifies (`decision = verify`) or rejects (`reject`, with a reason) a document.
/// Advisors and managers of the owner's chamber.
#[server(endpoint = "documents/review")]
pub async fn review_document(
    document_id: i64,
    decision: Decision,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let kept = crate::guard::kept(&[("reason", &reason)]);
    let path = <ReviewDocument as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::review_document(document_id, decision, reason).await).await
}

/// The documents a plan needs and where each stands. The owner and whoever may read the plan.
#[server(endpoint = "documents/checklist")]
pub async fn plan_checklist(plan_id: i64) -> Result<DocumentChecklist, AppError> {
    crate::guard::respond(server::plan_checklist(plan_id).await)
}

/// Documents waiting for a decision: of the caller's chamber (advisors, managers) or of
/// every chamber (the Fund, read only).
#[server(endpoint = "documents/queue")]
pub async fn review_queue() -> Result<Vec<QueueItem>, AppError> {
    crate::guard::respond(server::review_queue().await)
}

/// The document types every plan asks for, in order.
#[server(endpoint = "documents/required")]
pub async fn required_documents() -> Result<Vec<DocumentType>, AppError> {
    crate::guard::respond(server::required_documents().await)
}

/// Adds a document type to what every plan asks for, or takes it off. The Fund only.
#[server(endpoint = "documents/required/set")]
pub async fn set_document_required(doc_type: DocumentType, required: bool) -> Result<(), AppError> {
    crate::guard::respond(server::set_document_required(doc_type, required).await)
}
