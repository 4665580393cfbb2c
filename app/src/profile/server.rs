//! What the profile server functions do (server only).
use super::store::{self, Contact, Personal};
use super::{Profile, ProfileInput};
use crate::audit;
use crate::auth::server::{check_own_password, replace_password, resolve_place};
use crate::auth::store::{case_with_chamber, check_unique, taken_error, void_resets};
use crate::db::{now, today};
use crate::error::{internal, AppError};
use crate::guard::{pool, require_actor, session};
use domain::audit::{AuditAction, AuditObject};
use domain::roles::{can_move_chamber, can_view_profile, AccountRef, ChamberId, Role, UserId};
use domain::validation::{self, collect, Field, FieldError, Problem};

pub async fn get_profile(user_id: Option<i64>) -> Result<Profile, AppError> {
    let actor = require_actor().await?;
    let target = user_id.unwrap_or(actor.id.0);
    let (mut profile, chamber) = store::profile(&pool()?, target).await?.ok_or(AppError::NotFound)?;
    let sms = crate::guard::state()?.sms;
    profile.sms_available = sms.is_some();
    profile.verify_phones = sms.is_some_and(|s| s.verify_phones);
    let account = AccountRef {
        id: UserId(profile.id),
        role: profile.role,
        chamber: chamber.map(ChamberId),
    };
    if !can_view_profile(&actor, &account) {
        return Err(AppError::NotFound);
    }
    Ok(profile)
}

pub async fn set_sms_notifications(enabled: bool) -> Result<(), AppError> {
    set_channel(store::Channel::Sms, enabled).await
}

pub async fn set_email_notifications(enabled: bool) -> Result<(), AppError> {
    set_channel(store::Channel::Email, enabled).await
}

/// Turns one way notifications leave the app on or off for the caller, audited.
async fn set_channel(channel: store::Channel, enabled: bool) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let mut tx = crate::db::begin(&pool).await?;
    store::set_notifications(&mut tx, actor.id.0, channel, enabled, now()).await?;
    let action = match channel {
        store::Channel::Email => AuditAction::SetEmailNotifications,
        store::Channel::Sms => AuditAction::SetSmsNotifications,
    };
    audit::record(
        &mut *tx,
        Some(actor.id),
        action,
        AuditObject::User,
        Some(actor.id.0),
        if enabled { "on" } else { "off" },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn update_profile(input: ProfileInput) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let mut errors = Vec::new();
    let full_name = collect(&mut errors, Field::FullName, validation::full_name(&input.full_name));
    let entrepreneur = actor.role == Role::Entrepreneur;
    // Entrepreneurs sign in with their phone; staff with their e-mail.
    let phone = if entrepreneur || !input.phone.trim().is_empty() {
        collect(&mut errors, Field::Phone, validation::phone(&input.phone).map(Some))
    } else {
        Some(None)
    };
    let email = if entrepreneur {
        collect(&mut errors, Field::Email, validation::optional_email(&input.email))
    } else {
        collect(&mut errors, Field::Email, validation::email(&input.email).map(Some))
    };
    let mut personal = None;
    if entrepreneur {
        let gender = collect(&mut errors, Field::Gender, input.gender.ok_or(Problem::Required));
        let birth = collect(
            &mut errors,
            Field::BirthDate,
            validation::birth_date(&input.birth_date, today()),
        );
        let governorate = collect(&mut errors, Field::Governorate, validation::choice(&input.governorate));
        let chamber_code = if input.chamber.trim().is_empty() {
            Some(None)
        } else {
            collect(
                &mut errors,
                Field::Chamber,
                validation::choice(&input.chamber).map(Some),
            )
        };
        if let (Some(gender), Some(birth), Some(governorate), Some(chamber_code)) =
            (gender, birth, governorate, chamber_code)
        {
            let chamber = resolve_place(&pool, &governorate, chamber_code.as_deref(), &mut errors).await?;
            // A case stays with the chamber it was submitted to (a governorate whose default
            // chamber differs counts as a move too).
            if chamber.is_some() && chamber != actor.chamber.map(|c| c.0) {
                let case_open = case_with_chamber(&pool, actor.id.0).await?;
                let herself = AccountRef {
                    id: actor.id,
                    role: actor.role,
                    chamber: actor.chamber,
                };
                if !can_move_chamber(&actor, &herself, case_open) {
                    errors.push(FieldError::new(Field::Chamber, Problem::CaseWithChamber));
                }
            }
            personal = Some((gender, birth, governorate, chamber));
        }
    }
    let mut email_changed = false;
    let mut phone_changed = false;
    if let (Some(phone), Some(email)) = (&phone, &email) {
        check_unique(&pool, phone.as_deref(), email.as_deref(), Some(actor.id.0), &mut errors).await?;
        // The mobile number and the e-mail are how one signs in and gets a reset link: a
        // session left open on a shared phone must not be enough to take the account.
        let (stored, _) = store::profile(&pool, actor.id.0).await?.ok_or(AppError::NotFound)?;
        email_changed = stored.email != *email;
        phone_changed = stored.phone != *phone;
        if email_changed || stored.phone != *phone {
            if let Some(problem) = contact_password_problem(actor.id.0, input.contact_password).await? {
                errors.push(FieldError::new(Field::ContactPassword, problem));
            }
        }
    }
    let (Some(full_name), Some(phone), Some(email)) = (full_name, phone, email) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let contact = Contact {
        full_name: &full_name,
        phone: phone.as_deref(),
        email: email.as_deref(),
    };
    let personal = personal
        .as_ref()
        .map(|(gender, birth_date, governorate, chamber)| Personal {
            gender: *gender,
            birth_date: *birth_date,
            governorate,
            chamber: *chamber,
        });
    let mut tx = crate::db::begin(&pool).await?;
    let at = now();
    store::update(&mut tx, actor.id.0, contact, personal, at)
        .await
        .map_err(|e| taken_error(e, Field::Phone))?;
    if email_changed || phone_changed {
        // A reset link or code sent to the old address or number must not outlive it.
        void_resets(&mut tx, actor.id.0, at).await?;
    }
    if phone_changed {
        store::forget_phone_confirmation(&mut tx, actor.id.0).await?;
    }
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::UpdateProfile,
        AuditObject::User,
        Some(actor.id.0),
        "",
    )
    .await?;
    tx.commit().await?;
    let verify = crate::guard::state()?.sms.is_some_and(|s| s.verify_phones);
    if phone_changed && phone.is_some() && verify {
        // The profile says the new number waits for its code; one that could not go now is
        // asked for again from there.
        if let Err(error) = crate::auth::server::send_phone_code(&pool, actor.id.0).await {
            tracing::warn!(?error, "the confirmation code of a changed number was not queued");
        }
    }
    Ok(())
}

pub async fn send_phone_code() -> Result<(), AppError> {
    use crate::auth::server::CodeSent;
    let actor = require_actor().await?;
    match crate::auth::server::send_phone_code(&pool()?, actor.id.0).await? {
        CodeSent::Sent => Ok(()),
        CodeSent::TooSoon => Err(AppError::Throttled { minutes: 60 }),
        CodeSent::Capped => Err(AppError::Throttled { minutes: 24 * 60 }),
    }
}

pub async fn verify_phone(code: String) -> Result<(), AppError> {
    let actor = require_actor().await?;
    crate::auth::server::confirm_phone(&pool()?, actor.id.0, &code).await?;
    leptos_axum::redirect("/home");
    Ok(())
}

/// Why the password typed to change the contact details is not accepted, if it is not.
async fn contact_password_problem(user: i64, typed: String) -> Result<Option<Problem>, AppError> {
    if typed.is_empty() {
        return Ok(Some(Problem::PasswordForContact));
    }
    Ok((!check_own_password(user, typed).await?).then_some(Problem::Mismatch))
}

pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    if let Err(problem) = validation::new_password(&new) {
        return Err(AppError::Invalid(vec![FieldError::new(Field::Password, problem)]));
    }
    if !check_own_password(actor.id.0, current).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            Field::CurrentPassword,
            Problem::Mismatch,
        )]));
    }
    // Every session of this account ends; the current one gets a fresh id, which the
    // middleware stores again after this request, so only this device stays signed in.
    replace_password(&pool, Some(actor.id), actor.id.0, new, AuditAction::ChangePassword).await?;
    session()
        .await?
        .cycle_id()
        .await
        .map_err(internal("renewing the session id failed"))?;
    Ok(())
}
