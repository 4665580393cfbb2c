//! Services of the One-Stop Shop: the catalogue the Fund maintains, entrepreneurs' requests
//! with their steps and expected dates, the chamber moving them, and the informal → formal
//! guide. Rules are pure in `domain::services`; every server function checks its caller.
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use domain::documents::DocumentType;
use domain::services::{LegalForm, RequestAction, RequestStatus, Weekday};
use domain::Bilingual;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One step of a service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInfo {
    pub name: Bilingual,
    /// The office that does the step.
    pub office: Bilingual,
    /// Agorot; `None` while the Fund has not entered it.
    pub fee_minor: Option<i64>,
    pub working_days: u32,
    pub documents: Vec<DocumentType>,
}

/// A service of the catalogue with its ordered steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInfo {
    pub id: i64,
    pub code: String,
    pub name: Bilingual,
    pub summary: Bilingual,
    pub active: bool,
    pub steps: Vec<StepInfo>,
}

impl ServiceInfo {
    /// Every document type the steps need, once each, in step order.
    pub fn documents(&self) -> Vec<DocumentType> {
        let mut all: Vec<DocumentType> = Vec::new();
        for t in self.steps.iter().flat_map(|s| s.documents.iter()) {
            if !all.contains(t) {
                all.push(*t);
            }
        }
        all
    }

    pub fn total_days(&self) -> u32 {
        self.steps.iter().map(|s| s.working_days).sum()
    }
}

/// A request as its lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: i64,
    pub service_name: Bilingual,
    pub owner_name: String,
    pub status: RequestStatus,
    pub step: u32,
    pub steps: u32,
    /// The current step's name, in progress.
    pub step_name: Option<Bilingual>,
    /// ISO date the current step is expected to end.
    pub step_expected_end: Option<String>,
    /// ISO date the whole request is expected to be done.
    pub expected_done: Option<String>,
    pub updated_at: i64,
}

/// One entry of a request's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    pub at: i64,
    pub actor_name: Option<String>,
    /// `None` for the request itself being made.
    pub action: Option<RequestAction>,
    pub to: RequestStatus,
    pub step: u32,
    pub message: Option<String>,
}

/// A request with everything its page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub id: i64,
    pub service_name: Bilingual,
    pub owner_id: i64,
    pub owner_name: String,
    pub plan: Option<(i64, String)>,
    pub note: String,
    pub status: RequestStatus,
    pub step: u32,
    pub steps: Vec<StepInfo>,
    /// Expected end of each step (ISO), for steps not yet done.
    pub expected_ends: Vec<Option<String>>,
    /// Required document types, ticked when the owner's library has one.
    pub documents: Vec<(DocumentType, bool)>,
    pub actions: Vec<RequestAction>,
    pub staff_view: bool,
    /// Oldest first.
    pub events: Vec<RequestEvent>,
}

/// One service of the informal → formal path with the person's progress through it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathStep {
    pub service: ServiceInfo,
    pub optional: bool,
    /// The person's latest request for it.
    pub request: Option<(i64, RequestStatus)>,
}

/// The guide for one legal form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormalisationPath {
    pub form: LegalForm,
    /// The form of the person's latest plan, when its idea facts name one.
    pub plan_form: Option<LegalForm>,
    pub steps: Vec<PathStep>,
    /// (done, of how many required).
    pub progress: (u32, u32),
}

/// The weekend and holidays expected dates skip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarSettings {
    pub weekend: Vec<Weekday>,
    /// In date order.
    pub holidays: Vec<Holiday>,
}

/// A public holiday: no working day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// ISO date.
    pub day: String,
    pub name: Bilingual,
}

/// A step as the Fund's editor sends it (every field as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepInput {
    /// Order among the steps (a number); empty keeps the listed order.
    pub position: String,
    pub name_ar: String,
    pub name_en: String,
    pub office_ar: String,
    pub office_en: String,
    /// Shekels as typed; empty when not known.
    pub fee: String,
    pub working_days: String,
    pub documents: Vec<DocumentType>,
    /// Ticked: the step goes.
    pub remove: bool,
}

/// A service as the Fund's editor sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceInput {
    pub name_ar: String,
    pub name_en: String,
    pub summary_ar: String,
    pub summary_en: String,
    /// Offered to entrepreneurs (else hidden); offered unless the form says otherwise.
    #[serde(default = "offered")]
    pub active: bool,
    pub steps: Vec<StepInput>,
}

fn offered() -> bool {
    true
}

/// The catalogue: active services (all of them for the Fund). Anyone signed in.
#[server(endpoint = "services/catalogue")]
pub async fn get_catalogue() -> Result<Vec<ServiceInfo>, AppError> {
    crate::guard::respond(server::catalogue().await)
}

/// Requests a service, linked to one of the caller's plans or standalone. Entrepreneurs only.
#[server(endpoint = "services/request")]
pub async fn request_service(
    service_id: i64,
    #[server(default)] plan_id: Option<i64>,
    #[server(default)] note: String,
) -> Result<i64, AppError> {
    let kept = crate::guard::kept(&[("note", &note)]);
    let path = <RequestService as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::request(service_id, plan_id, note).await).await
}

/// The caller's requests, newest first.
#[server(endpoint = "services/mine")]
pub async fn my_requests() -> Result<Vec<RequestSummary>, AppError> {
    crate::guard::respond(server::mine().await)
}

/// Requests of the caller's chamber (the Fund: every chamber), open ones first.
#[server(endpoint = "services/chamber-requests")]
pub async fn chamber_requests() -> Result<Vec<RequestSummary>, AppError> {
    crate::guard::respond(server::chamber_requests().await)
}

/// One request: its owner, staff of the owner's chamber and the Fund; anyone else 404.
#[server(endpoint = "services/get-request")]
pub async fn get_request(request_id: i64) -> Result<RequestDetail, AppError> {
    crate::guard::respond(server::detail(request_id).await)
}

/// Moves a request (`action`: `mark_documents_missing`, `documents_provided`, `start`,
/// `advance`, `cancel`) with a note to the other side. Refused unless the rules allow it.
#[server(endpoint = "services/act")]
pub async fn act_on_request(
    request_id: i64,
    action: RequestAction,
    #[server(default)] message: String,
) -> Result<RequestStatus, AppError> {
    let kept = crate::guard::kept(&[("message", &message)]);
    let path = <ActOnRequest as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::act(request_id, action, message).await).await
}

/// The informal → formal guide for a legal form (empty: the form of the caller's latest
/// plan, else sole trader), with the caller's progress.
#[server(endpoint = "services/formalise")]
pub async fn get_formalisation(#[server(default)] form: Option<LegalForm>) -> Result<FormalisationPath, AppError> {
    crate::guard::respond(server::formalisation(form).await)
}

/// Saves a service of the catalogue. The Fund only.
#[server(endpoint = "services/save")]
pub async fn save_service(service_id: i64, input: ServiceInput) -> Result<(), AppError> {
    let path = <SaveService as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, Vec::new(), server::save_service(service_id, input).await).await
}

/// The weekend and holidays. Anyone signed in.
#[server(endpoint = "services/calendar")]
pub async fn get_calendar() -> Result<CalendarSettings, AppError> {
    crate::guard::respond(server::calendar().await)
}

/// Sets the weekend (`days`: weekday keys). The Fund only.
#[server(endpoint = "services/weekend")]
pub async fn set_weekend(#[server(default)] days: Vec<Weekday>) -> Result<(), AppError> {
    crate::guard::respond(server::set_weekend(days).await)
}

/// Adds a holiday (`day` as YYYY-MM-DD) or renames it. The Fund only.
#[server(endpoint = "services/add-holiday")]
pub async fn add_holiday(day: String, name_ar: String, name_en: String) -> Result<(), AppError> {
    let kept = crate::guard::kept(&[("day", &day), ("name_ar", &name_ar), ("name_en", &name_en)]);
    let path = <AddHoliday as server_fn::ServerFn>::PATH;
    crate::guard::respond_form(path, kept, server::add_holiday(day, name_ar, name_en).await).await
}

/// Removes a holiday. The Fund only.
#[server(endpoint = "services/remove-holiday")]
pub async fn remove_holiday(day: String) -> Result<(), AppError> {
    crate::guard::respond(server::remove_holiday(day).await)
}
