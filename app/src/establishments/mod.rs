//! The establishments register: every project that reached `operating`, or whose owner
//! completed the chamber-membership or company-registration service, kept as an
//! establishment with the registration numbers staff type and their follow-up visits (jobs
//! actually filled, still operating). Chamber staff keep their chamber's register; the Fund
//! reads and keeps every chamber's. The pure rules are in `domain::establishments`;
//! `docs/establishments.md` describes the register.
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use domain::establishments::{EstablishmentSource, EstablishmentStanding, VisitInput};
use domain::Bilingual;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The register's filters as the URL carries them (text, as typed or linked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterParams {
    /// Words of the establishment's or its owner's name.
    pub q: String,
    /// A chamber's id; the Fund's filter (chamber staff always see their own chamber).
    pub chamber: String,
    /// An `EstablishmentStanding` key.
    pub standing: String,
    /// An `EstablishmentSource` key.
    pub source: String,
    /// Where the page starts: the id of the previous page's last row.
    pub after: String,
}

impl RegisterParams {
    /// The URL names and values, in a fixed order, without the empty ones.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("q", self.q.as_str()),
            ("chamber", self.chamber.as_str()),
            ("standing", self.standing.as_str()),
            ("source", self.source.as_str()),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .collect()
    }
}

/// One establishment in the register's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstablishmentRow {
    pub id: i64,
    pub name: String,
    pub owner_name: String,
    pub chamber: Option<Bilingual>,
    pub sector: Option<String>,
    pub governorate: Option<Bilingual>,
    pub source: EstablishmentSource,
    /// The day it entered the register (`YYYY-MM-DD`).
    pub registered_on: String,
    /// Full-time equivalents planned, in tenths.
    pub planned_fte_tenths: i64,
    /// Jobs filled at the latest visit (women and men), if any.
    pub filled: Option<i64>,
    pub last_visited_on: Option<String>,
    pub standing: EstablishmentStanding,
}

/// Rows of the register shown at once (the downloads hold every row).
pub const REGISTER_PAGE_SIZE: u32 = 50;

/// One page of the register.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterPage {
    /// The Fund's view (every chamber, the chamber filter).
    pub every_chamber: bool,
    pub rows: Vec<EstablishmentRow>,
    /// Establishments matching the filters in all.
    pub total: i64,
    /// The `after` of the next page, when there is one.
    pub next: Option<i64>,
}

/// A follow-up visit as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRecord {
    pub visited_on: String,
    pub jobs_women: i64,
    pub jobs_men: i64,
    pub operating: bool,
    pub note: Option<String>,
    pub recorded_by: String,
}

/// One establishment with its registration numbers and visits, newest visit first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Establishment {
    pub row: EstablishmentRow,
    pub owner_id: i64,
    pub plan: Option<(i64, String)>,
    pub legal_form: Option<String>,
    pub planned_women: i64,
    pub planned_youth: i64,
    pub chamber_number: Option<String>,
    pub company_number: Option<String>,
    pub tax_number: Option<String>,
    pub visits: Vec<VisitRecord>,
    /// Today on the server (`YYYY-MM-DD`): the visit form's first value.
    pub today: String,
}

/// The name and registration numbers as staff type them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DetailsInput {
    pub name: String,
    pub chamber_number: String,
    pub company_number: String,
    pub tax_number: String,
}

/// The register, a page at a time. Advisors and managers: their chamber; the Fund: every
/// chamber; entrepreneurs 403.
#[server(endpoint = "establishments/list")]
pub async fn get_register(#[server(default)] params: RegisterParams) -> Result<RegisterPage, AppError> {
    crate::guard::respond(server::register(params).await)
}

/// One establishment (404 for another chamber's).
#[server(endpoint = "establishments/one")]
pub async fn get_establishment(id: i64) -> Result<Establishment, AppError> {
    crate::guard::respond(server::establishment(id).await)
}

/// Corrects the name and types the registration numbers (blank: not known yet).
#[server(endpoint = "establishments/details")]
pub async fn save_details(id: i64, input: DetailsInput) -> Result<(), AppError> {
    use crate::guard::{kept_fields, respond_form};
    let kept = kept_fields("input", &input);
    respond_form(
        <SaveDetails as server_fn::ServerFn>::PATH,
        kept,
        server::save_details(id, input).await,
    )
    .await
}

/// Records a follow-up visit: jobs filled by gender, still operating, a note.
#[server(endpoint = "establishments/visit")]
pub async fn record_visit(id: i64, input: VisitInput) -> Result<(), AppError> {
    use crate::guard::{kept_fields, respond_form};
    let kept = kept_fields("input", &input);
    respond_form(
        <RecordVisit as server_fn::ServerFn>::PATH,
        kept,
        server::record_visit(id, input).await,
    )
    .await
}
