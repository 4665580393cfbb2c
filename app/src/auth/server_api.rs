//! Server-side bodies of the auth server functions.
use super::guard::{audit, current_actor, pool, session, state};
use super::password;
use super::session_store::USER_KEY;
use super::{Me, ReferenceData};
use crate::db::{is_unique_violation, now, today, Pool};
use crate::domain::reference::{default_chamber_for, ChamberChoice, Choice};
use crate::domain::roles::{Role, UserId};
use crate::domain::validation::{self, Field, FieldError, Problem, RegistrationInput};
use crate::error::AppError;

pub async fn reference_data() -> Result<ReferenceData, AppError> {
    load_reference(&pool()?).await
}

pub async fn load_reference(pool: &Pool) -> Result<ReferenceData, AppError> {
    let governorates: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, name_ar, name_en FROM governorates ORDER BY sort_order")
            .fetch_all(pool)
            .await?;
    let chambers: Vec<(i64, String, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, code, name_ar, name_en, governorate_code FROM chambers ORDER BY sort_order, id")
            .fetch_all(pool)
            .await?;
    Ok(ReferenceData {
        governorates: governorates
            .into_iter()
            .map(|(code, name_ar, name_en)| Choice { code, name_ar, name_en })
            .collect(),
        chambers: chambers
            .into_iter()
            .map(|(id, code, name_ar, name_en, governorate)| ChamberChoice {
                id,
                code,
                name_ar,
                name_en,
                governorate: governorate.unwrap_or_default(),
            })
            .collect(),
    })
}

/// Resolves a governorate code and an optional chamber code to the chamber id, defaulting
/// the chamber from the governorate.
pub async fn resolve_place(
    pool: &Pool,
    governorate: &str,
    chamber: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<i64>, AppError> {
    let reference = load_reference(pool).await?;
    if !reference.governorates.iter().any(|g| g.code == governorate) {
        errors.push(FieldError::new(Field::Governorate, Problem::UnknownChoice));
        return Ok(None);
    }
    let found: Option<&ChamberChoice> = match chamber {
        Some(code) => reference.chambers.iter().find(|c| c.code == code),
        None => default_chamber_for(&reference.chambers, governorate),
    };
    match found {
        Some(c) => Ok(Some(c.id)),
        None => {
            errors.push(FieldError::new(Field::Chamber, Problem::UnknownChoice));
            Ok(None)
        }
    }
}

/// Adds `Taken` errors for a phone or e-mail that belongs to another account.
pub async fn check_unique(
    pool: &Pool,
    phone: Option<&str>,
    email: Option<&str>,
    except: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> Result<(), AppError> {
    let except = except.unwrap_or(-1);
    if let Some(phone) = phone {
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE phone = $1 AND id <> $2")
            .bind(phone)
            .bind(except)
            .fetch_optional(pool)
            .await?;
        if taken.is_some() {
            errors.push(FieldError::new(Field::Phone, Problem::Taken));
        }
    }
    if let Some(email) = email {
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1 AND id <> $2")
            .bind(email)
            .bind(except)
            .fetch_optional(pool)
            .await?;
        if taken.is_some() {
            errors.push(FieldError::new(Field::Email, Problem::Taken));
        }
    }
    Ok(())
}

/// A unique violation that slipped past `check_unique` (two sign-ups at once).
pub fn taken_error(error: sqlx::Error, field: Field) -> AppError {
    if is_unique_violation(&error) {
        AppError::Invalid(vec![FieldError::new(field, Problem::Taken)])
    } else {
        AppError::from(error)
    }
}

/// The language chosen with the language switch (its cookie), if any.
fn chosen_language() -> Option<String> {
    use leptos::prelude::use_context;
    let parts = use_context::<http::request::Parts>()?;
    let cookies = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
    cookies.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == crate::LANG_COOKIE).then(|| value.to_string())
    })
}

async fn sign_in_session(user: i64) -> Result<(), AppError> {
    let session = session().await?;
    // A new id at sign-in defeats session fixation.
    session.cycle_id().await.map_err(|_| AppError::Internal)?;
    session.insert(USER_KEY, user).await.map_err(|_| AppError::Internal)?;
    Ok(())
}

pub async fn register(input: RegistrationInput) -> Result<(), AppError> {
    let pool = pool()?;
    let (registration, mut errors) = match validation::registration(&input, today()) {
        Ok(r) => (Some(r), Vec::new()),
        Err(errors) => (None, errors),
    };
    let Some(reg) = registration else {
        return Err(AppError::Invalid(errors));
    };
    let chamber = resolve_place(&pool, &reg.governorate, reg.chamber.as_deref(), &mut errors).await?;
    check_unique(&pool, Some(&reg.phone), reg.email.as_deref(), None, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hash = password::hash(input.password).await?;
    let at = now();
    // The language the person registered in is the one their e-mail is written in.
    let locale = if chosen_language().as_deref() == Some("en") {
        "en"
    } else {
        "ar"
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (role, full_name, phone, email, password_hash, gender, birth_date, governorate_code, chamber_id, created_at, updated_at, locale) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
    )
    .bind(Role::Entrepreneur.key())
    .bind(&reg.full_name)
    .bind(&reg.phone)
    .bind(&reg.email)
    .bind(hash)
    .bind(reg.gender.key())
    .bind(reg.birth_date.iso())
    .bind(&reg.governorate)
    .bind(chamber)
    .bind(at)
    .bind(locale)
    .fetch_one(&pool)
    .await
    .map_err(|e| taken_error(e, Field::Phone))?;
    audit(&pool, Some(UserId(id)), "register", "user", Some(id), "").await?;
    sign_in_session(id).await?;
    leptos_axum::redirect("/home");
    Ok(())
}

/// Where a failed sign-in is counted: the account tried and the address it came from.
fn throttle_keys(identifier: &str, address: &str) -> (String, String) {
    (format!("account:{identifier}"), format!("address:{address}"))
}

pub async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    match leptos_axum::extract::<ConnectInfo<SocketAddr>>().await {
        Ok(ConnectInfo(addr)) => addr.ip().to_string(),
        Err(_) => "local".to_string(),
    }
}

async fn failures_since(pool: &Pool, key: &str, since: i64) -> Result<i64, AppError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND failed_at > $2")
            .bind(key)
            .bind(since)
            .fetch_one(pool)
            .await?;
    Ok(count)
}

pub async fn login(identifier: String, password_typed: String) -> Result<(), AppError> {
    let state = state()?;
    let pool = state.pool.clone();
    let limits = state.throttle;
    // Bound what we hash and store, whatever arrives.
    if identifier.chars().count() > 254 || password_typed.chars().count() > validation::PASSWORD_MAX as usize {
        return Err(AppError::BadCredentials);
    }
    let normal = if identifier.contains('@') {
        validation::email(&identifier).ok()
    } else {
        validation::phone(&identifier).ok()
    };
    let tried = normal.clone().unwrap_or_else(|| identifier.trim().to_lowercase());
    let (account_key, address_key) = throttle_keys(&tried, &client_address().await);
    let at = now();
    let since = at - limits.window_secs;
    if failures_since(&pool, &account_key, since).await? >= limits.per_account
        || failures_since(&pool, &address_key, since).await? >= limits.per_address
    {
        return Err(AppError::Throttled {
            minutes: (limits.window_secs / 60).max(1) as u32,
        });
    }
    let row: Option<(i64, String, i64)> = match &normal {
        Some(n) => {
            sqlx::query_as("SELECT id, password_hash, is_active FROM users WHERE phone = $1 OR email = $1")
                .bind(n)
                .fetch_optional(&pool)
                .await?
        }
        None => None,
    };
    let ok = password::verify(password_typed, row.as_ref().map(|(_, h, _)| h.clone())).await?;
    match row {
        Some((id, _, 1)) if ok => {
            sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
                .bind(&account_key)
                .execute(&pool)
                .await?;
            sign_in_session(id).await?;
            audit(&pool, Some(UserId(id)), "login", "user", Some(id), "").await?;
            leptos_axum::redirect("/home");
            Ok(())
        }
        _ => {
            for key in [&account_key, &address_key] {
                sqlx::query("INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2)")
                    .bind(key)
                    .bind(at)
                    .execute(&pool)
                    .await?;
            }
            sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
                .bind(at - 24 * 3600)
                .execute(&pool)
                .await?;
            Err(AppError::BadCredentials)
        }
    }
}

pub async fn logout() -> Result<(), AppError> {
    let session = session().await?;
    session.flush().await.map_err(|_| AppError::Internal)?;
    leptos_axum::redirect("/");
    Ok(())
}

pub async fn me() -> Result<Option<Me>, AppError> {
    let Some(actor) = current_actor().await? else {
        return Ok(None);
    };
    let (full_name, unread): (String, i64) = sqlx::query_as(
        "SELECT full_name, (SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL) \
         FROM users WHERE id = $1",
    )
    .bind(actor.id.0)
    .fetch_one(&pool()?)
    .await?;
    Ok(Some(Me {
        id: actor.id.0,
        full_name,
        role: actor.role,
        chamber: actor.chamber.map(|c| c.0),
        unread,
    }))
}
