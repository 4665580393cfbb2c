//! Accounts: registration, sign-in and -out, who is signed in. Server functions here are the
//! only way in; each one checks its caller on the server.
pub mod pages;

#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod reset;
#[cfg(feature = "ssr")]
pub mod server_api;
#[cfg(feature = "ssr")]
pub mod session_store;

use crate::domain::reference::{ChamberChoice, Choice};
use crate::domain::roles::Role;
use crate::domain::validation::RegistrationInput;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in account, as the UI needs it on every page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub full_name: String,
    pub role: Role,
    pub chamber: Option<i64>,
    /// Unread notifications, for the menu.
    #[serde(default)]
    pub unread: i64,
}

/// Governorates and chambers for choice lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceData {
    pub governorates: Vec<Choice>,
    pub chambers: Vec<ChamberChoice>,
}

/// Creates an entrepreneur account and signs it in. Anyone may call it.
#[server(endpoint = "auth/register")]
pub async fn register(input: RegistrationInput) -> Result<(), AppError> {
    let kept = vec![
        ("input[full_name]", input.full_name.clone()),
        ("input[phone]", input.phone.clone()),
        ("input[email]", input.email.clone()),
        ("input[gender]", input.gender.clone()),
        ("input[birth_date]", input.birth_date.clone()),
        ("input[governorate]", input.governorate.clone()),
        ("input[chamber]", input.chamber.clone()),
    ];
    guard::respond_form(
        <Register as server_fn::ServerFn>::PATH,
        kept,
        server_api::register(input).await,
    )
    .await
}

/// Signs in with a mobile number or e-mail and a password.
#[server(endpoint = "auth/login")]
pub async fn login(identifier: String, password: String) -> Result<(), AppError> {
    let kept = vec![("identifier", identifier.clone())];
    guard::respond_form(
        <Login as server_fn::ServerFn>::PATH,
        kept,
        server_api::login(identifier, password).await,
    )
    .await
}

/// Sends a password-reset link to the account with this e-mail, if any (same answer either
/// way). Anyone may call it; throttled per address.
#[server(endpoint = "auth/forgot-password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let kept = vec![("email", email.clone())];
    let result = reset::request_reset(email, server_api::client_address().await).await;
    if result.is_ok() {
        leptos_axum::redirect("/forgot-password?sent=1");
    }
    guard::respond_form(<ForgotPassword as server_fn::ServerFn>::PATH, kept, result).await
}

/// Sets a new password with the token of a reset link.
#[server(endpoint = "auth/reset-password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    guard::respond_form(
        <ResetPassword as server_fn::ServerFn>::PATH,
        Vec::new(),
        reset::reset_password(token, password).await,
    )
    .await
}

/// Ends the caller's session.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    guard::respond(server_api::logout().await)
}

/// Who is signed in, if anyone.
#[server(endpoint = "auth/me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    guard::respond(server_api::me().await)
}

/// Governorates and chambers (public reference data).
#[server(endpoint = "reference/choices")]
pub async fn get_reference_data() -> Result<ReferenceData, AppError> {
    guard::respond(server_api::reference_data().await)
}

/// What was typed into the form posting to `path` before its last error, when it was sent
/// without JavaScript (see `guard::respond_form`). Only the caller's own session is read.
#[server(endpoint = "form/draft")]
pub async fn get_form_draft(path: String) -> Result<Vec<(String, String)>, AppError> {
    guard::respond(guard::form_draft(&path).await)
}
