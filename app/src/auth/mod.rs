//! Accounts: registration, sign-in and -out, who is signed in, a forgotten password. Server
//! functions here are the only way in; each one checks its caller on the server.
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

use crate::components::current_user::Me;
use crate::error::AppError;
use domain::reference::{ChamberChoice, Choice};
use domain::validation::RegistrationInput;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Governorates and chambers for choice lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceData {
    pub governorates: Vec<Choice>,
    pub chambers: Vec<ChamberChoice>,
}

/// Creates an entrepreneur account and signs it in. Anyone may call it.
#[server(endpoint = "auth/register")]
pub async fn register(input: RegistrationInput) -> Result<(), AppError> {
    use crate::guard::{kept_fields, respond_form};
    let kept = kept_fields("input", &input);
    respond_form(
        <Register as server_fn::ServerFn>::PATH,
        kept,
        server::register(input).await,
    )
    .await
}

/// Signs in with a mobile number or e-mail and a password.
#[server(endpoint = "auth/login")]
pub async fn login(identifier: String, password: String) -> Result<(), AppError> {
    use crate::guard::{kept, respond_form};
    let kept = kept(&[("identifier", &identifier)]);
    respond_form(
        <Login as server_fn::ServerFn>::PATH,
        kept,
        server::login(identifier, password).await,
    )
    .await
}

/// Sends a password-reset link to the account with this e-mail, if any (same answer either
/// way). Anyone may call it; throttled per address.
#[server(endpoint = "auth/forgot-password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::guard::{kept, respond_form};
    let kept = kept(&[("email", &email)]);
    let result = server::request_reset(email, server::client_address().await).await;
    if result.is_ok() {
        leptos_axum::redirect("/forgot-password?sent=1");
    }
    respond_form(<ForgotPassword as server_fn::ServerFn>::PATH, kept, result).await
}

/// Sets a new password with the token of a reset link.
#[server(endpoint = "auth/reset-password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    crate::guard::respond_form(
        <ResetPassword as server_fn::ServerFn>::PATH,
        Vec::new(),
        server::reset_password(token, password).await,
    )
    .await
}

/// Ends the caller's session.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::guard::respond(server::logout().await)
}

/// Who is signed in, if anyone.
#[server(endpoint = "auth/me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    crate::guard::respond(server::me().await)
}

/// Governorates and chambers (public reference data).
#[server(endpoint = "reference/choices")]
pub async fn get_reference_data() -> Result<ReferenceData, AppError> {
    crate::guard::respond(server::reference_data().await)
}
