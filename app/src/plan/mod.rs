//! Business plans: an entrepreneur's plans (list, create, rename, delete a draft, import),
//! the builder's sections and tables with autosave, the financials page and the report
//! texts the PDF shares. The format and the financial model are pure, in the domain crate.
pub mod autosave;
pub mod device_sync;
pub mod pages;
pub mod report;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use domain::plan::financials::{Currency, PlanFinancials};
use domain::plan::sections::SectionKey;
use domain::plan::status::PlanStatus;
use domain::plan::tables::Table;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One plan in its owner's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub id: i64,
    pub title: String,
    pub currency: Currency,
    pub status: PlanStatus,
    pub updated_at: i64,
}

/// The caller's own plans, newest first (deleted ones left out). Entrepreneurs only.
#[server(endpoint = "plans/list")]
pub async fn list_plans() -> Result<Vec<PlanSummary>, AppError> {
    crate::guard::respond(server::list_plans().await)
}

/// Starts a new plan; returns its id. Entrepreneurs only, at most 20 plans each.
#[server(endpoint = "plans/create")]
pub async fn create_plan(title: String, #[server(default)] currency: Currency) -> Result<i64, AppError> {
    let kept = crate::guard::kept(&[("title", &title), ("currency", currency.key())]);
    let path = <CreatePlan as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::create_plan(title, currency).await).await
}

/// Renames one of the caller's plans while she may edit it (draft, changes requested;
/// otherwise 403: the title is part of what the chamber decides on). Anyone else's plan 404.
#[server(endpoint = "plans/rename")]
pub async fn rename_plan(plan_id: i64, title: String) -> Result<(), AppError> {
    crate::guard::respond(server::rename_plan(plan_id, title).await)
}

/// Deletes one of the caller's draft plans (kept in the database; staff can restore it).
#[server(endpoint = "plans/delete")]
pub async fn delete_plan(plan_id: i64) -> Result<(), AppError> {
    crate::guard::respond(server::delete_plan(plan_id).await)
}

/// A plan with its written sections and its tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanDetail {
    pub summary: PlanSummary,
    /// Bumped by every save; a save must name the revision it started from.
    pub revision: i64,
    pub sections: Vec<(SectionKey, String)>,
    /// The tables and figures (a `riyada.plan.v1` document without title and sections).
    pub data: PlanFinancials,
    /// May the caller change it (the owner, while drafting or asked for changes)?
    pub editable: bool,
}

impl PlanDetail {
    pub fn body(&self, key: SectionKey) -> Option<&str> {
        self.sections.iter().find(|(k, _)| *k == key).map(|(_, b)| b.as_str())
    }
}

/// A plan with its sections and tables: the owner's always, a submitted one also for its
/// chamber's staff and the Fund; anyone else gets 404.
#[server(endpoint = "plans/get")]
pub async fn get_plan(plan_id: i64) -> Result<PlanDetail, AppError> {
    crate::guard::respond(server::get_plan(plan_id).await)
}

/// Saves one written section of the caller's editable plan and returns the new revision.
/// A save starting from an older revision is refused with `Conflict` and the saved text.
#[server(endpoint = "plans/section/save")]
pub async fn save_section(plan_id: i64, section: SectionKey, body: String, revision: i64) -> Result<i64, AppError> {
    let kept = crate::guard::kept(&[("body", &body)]);
    let path = <SaveSection as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::save_section(plan_id, section, body, revision).await).await
}

/// Saves one table of the caller's editable plan from the cells as typed (any digit
/// system) and returns the new revision. Cells that do not read are named in
/// `InvalidCells` and nothing is saved; an older revision gets `Conflict`.
#[server(endpoint = "plans/table/save", input = server_fn::codec::Json)]
pub async fn save_table(plan_id: i64, table: Table, rows: Vec<Vec<String>>, revision: i64) -> Result<i64, AppError> {
    crate::guard::respond(server::save_table(plan_id, table, rows, revision).await)
}

/// Largest plan document accepted for import (the same as `riyada calc`).
pub const IMPORT_MAX_BYTES: usize = 1024 * 1024;

/// Imports a `riyada.plan.v1` document (at most 1 MB) as a new draft plan and returns its
/// id. Problems are reported with their JSON path, as `riyada calc` does.
#[server(endpoint = "plans/import", input = server_fn::codec::Json)]
pub async fn import_plan(document: String) -> Result<i64, AppError> {
    crate::guard::respond(server::import_plan(document).await)
}

/// A draft its owner deleted, as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedPlan {
    pub id: i64,
    pub title: String,
    pub owner_name: String,
    pub deleted_at: i64,
}

/// Deleted drafts the caller may restore, newest first: all for the Fund, the chamber's for
/// a chamber manager. Anyone else gets 403.
#[server(endpoint = "plans/deleted")]
pub async fn list_deleted_plans() -> Result<Vec<DeletedPlan>, AppError> {
    crate::guard::respond(server::list_deleted_plans().await)
}

/// Brings back a deleted draft (audited). Refused when its owner already has 20 plans.
#[server(endpoint = "plans/restore")]
pub async fn restore_plan(plan_id: i64) -> Result<(), AppError> {
    crate::guard::respond(server::restore_plan(plan_id).await)
}
