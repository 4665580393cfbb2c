//! Staff accounts: the Fund lists chamber staff and Fund admins, creates and deactivates them.
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
mod store;

use crate::error::AppError;
use domain::roles::Role;
use domain::Bilingual;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One row of the users list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub full_name: String,
    pub role: Role,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub chamber_name: Option<Bilingual>,
    pub active: bool,
}

/// A new staff account as typed by the Fund admin.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
// Every field defaults to empty: an unchosen role or a missing field is a validation error
// for the person, not a malformed request.
#[serde(default)]
pub struct StaffInput {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    #[serde(deserialize_with = "domain::keys::optional_key")]
    pub role: Option<Role>,
    pub chamber: String,
    pub password: String,
}

/// Staff accounts, optionally of one chamber (by code). Fund admins only.
#[server(endpoint = "admin/users/list")]
pub async fn list_staff(chamber: Option<String>) -> Result<Vec<UserRow>, AppError> {
    crate::guard::respond(server::list_staff(chamber).await)
}

/// Creates an advisor, chamber manager or Fund admin. Fund admins only.
#[server(endpoint = "admin/users/create")]
pub async fn create_staff(input: StaffInput) -> Result<i64, AppError> {
    use crate::guard::{kept_fields, respond_form};
    let kept = kept_fields("input", &input);
    respond_form(
        <CreateStaff as server_fn::ServerFn>::PATH,
        kept,
        server::create_staff_from_ui(input).await,
    )
    .await
}

/// Deactivates an account and ends its sessions. Fund admins only.
#[server(endpoint = "admin/users/deactivate")]
pub async fn deactivate_user(user_id: i64) -> Result<(), AppError> {
    crate::guard::respond(server::deactivate_user(user_id).await)
}
