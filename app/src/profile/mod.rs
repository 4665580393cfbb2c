//! A person's own details: view, edit, change password, e-mail and SMS on or off.
pub mod pages;
#[cfg(feature = "ssr")]
mod server;
#[cfg(feature = "ssr")]
mod store;

use crate::error::AppError;
use domain::roles::Role;
use domain::validation::Gender;
use domain::Bilingual;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A profile as shown to its owner or to staff allowed to see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: i64,
    pub role: Role,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub gender: Option<Gender>,
    pub birth_date: Option<String>,
    pub governorate: Option<String>,
    pub governorate_name: Option<Bilingual>,
    pub chamber_code: Option<String>,
    pub chamber_name: Option<Bilingual>,
    /// Whether notifications also go out by e-mail (the person's choice).
    pub email_notifications: bool,
    /// Whether notifications also go out by SMS to the mobile number (the person's choice).
    pub sms_notifications: bool,
    /// Whether this server sends SMS at all (no choice to show otherwise).
    pub sms_available: bool,
    /// Whether the mobile number was confirmed with a code.
    pub phone_verified: bool,
    /// Whether this server sends SMS only to confirmed numbers.
    pub verify_phones: bool,
}

/// Editable profile fields as typed. Staff have no gender, birth date or governorate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
// Every field defaults to empty: an unchecked radio or a missing field is a
// validation error for the person, not a malformed request.
#[serde(default)]
pub struct ProfileInput {
    pub full_name: String,
    pub phone: String,
    pub email: String,
    #[serde(deserialize_with = "domain::keys::optional_key")]
    pub gender: Option<Gender>,
    pub birth_date: String,
    pub governorate: String,
    pub chamber: String,
    /// The current password: needed only when the phone or the e-mail changes. Never kept
    /// in a form draft (no field whose name holds "password" is).
    pub contact_password: String,
}

/// A profile: the caller's own (`user_id` empty) or, for staff allowed to, someone else's.
/// Anyone else gets 404, so the answer does not reveal whether the account exists.
#[server(endpoint = "profile/get")]
pub async fn get_profile(user_id: Option<i64>) -> Result<Profile, AppError> {
    crate::guard::respond(server::get_profile(user_id).await)
}

/// Saves the caller's own profile.
#[server(endpoint = "profile/update")]
pub async fn update_profile(input: ProfileInput) -> Result<(), AppError> {
    use crate::guard::{kept_fields, respond_form};
    let kept = kept_fields("input", &input);
    respond_form(
        <UpdateProfile as server_fn::ServerFn>::PATH,
        kept,
        server::update_profile(input).await,
    )
    .await
}

/// Turns the caller's e-mail notifications on or off. In-app notifications stay either way.
#[server(endpoint = "profile/email-notifications")]
pub async fn set_email_notifications(enabled: bool) -> Result<(), AppError> {
    crate::guard::respond(server::set_email_notifications(enabled).await)
}

/// Turns the caller's SMS notifications on or off. In-app notifications stay either way.
#[server(endpoint = "profile/sms-notifications")]
pub async fn set_sms_notifications(enabled: bool) -> Result<(), AppError> {
    crate::guard::respond(server::set_sms_notifications(enabled).await)
}

/// Texts a new confirmation code to the caller's own mobile number.
#[server(endpoint = "profile/send-phone-code")]
pub async fn send_phone_code() -> Result<(), AppError> {
    crate::guard::respond(server::send_phone_code().await)
}

/// Confirms the caller's mobile number with the code texted to it, then leads home.
#[server(endpoint = "profile/verify-phone")]
pub async fn verify_phone(code: String) -> Result<(), AppError> {
    use crate::guard::respond_form;
    respond_form(
        <VerifyPhone as server_fn::ServerFn>::PATH,
        Vec::new(),
        server::verify_phone(code).await,
    )
    .await
}

/// Changes the caller's password and ends their other sessions.
#[server(endpoint = "profile/password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    crate::guard::respond(server::change_password(current_password, new_password).await)
}
