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

/// How this server can send a reset: by e-mail, by SMS, both or neither.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetWays {
    pub email: bool,
    pub sms: bool,
}

/// Which reset channels the forgot-password page offers. Anyone may call it.
#[server(endpoint = "auth/reset-channels")]
pub async fn reset_channels() -> Result<ResetWays, AppError> {
    let state = crate::guard::state()?;
    Ok(ResetWays {
        email: state.mail.is_some(),
        sms: state.sms.is_some(),
    })
}

/// Texts a reset code to the account with this mobile number, if any (same answer either
/// way), then leads to the form that takes the code. Anyone may call it; throttled per
/// address and capped per number.
#[server(endpoint = "auth/send-reset-code")]
pub async fn send_reset_code(phone: String) -> Result<(), AppError> {
    use crate::guard::{kept, respond_form};
    let kept = kept(&[("phone", &phone)]);
    let result = server::request_reset_code(phone, server::client_address().await).await;
    let result = result.map(|phone| leptos_axum::redirect(&format!("/reset-password?phone={phone}")));
    respond_form(<SendResetCode as server_fn::ServerFn>::PATH, kept, result).await
}

/// Sets a new password with a code sent by SMS to the account's mobile number.
#[server(endpoint = "auth/reset-password-code")]
pub async fn reset_password_with_code(phone: String, code: String, password: String) -> Result<(), AppError> {
    use crate::guard::{kept, respond_form};
    let kept = kept(&[("phone", &phone)]);
    respond_form(
        <ResetPasswordWithCode as server_fn::ServerFn>::PATH,
        kept,
        server::reset_password_with_code(phone, code, password).await,
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
