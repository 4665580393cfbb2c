use super::{Profile, ProfileInput};
use crate::auth::guard::{audit, pool, require_actor, session};
use crate::auth::password;
use crate::auth::session_store::end_sessions_of;
use crate::db::{now, today};
use crate::domain::roles::{can_view_profile, AccountRef, ChamberId, Role, UserId};
use crate::domain::validation::{self, collect, Field, FieldError, Gender, Problem};
use crate::error::AppError;

type ProfileRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

pub async fn get_profile(user_id: Option<i64>) -> Result<Profile, AppError> {
    let actor = require_actor().await?;
    let target = user_id.unwrap_or(actor.id.0);
    let row: Option<ProfileRow> = sqlx::query_as(
        "SELECT u.id, u.role, u.full_name, u.phone, u.email, u.gender, u.birth_date, u.governorate_code, \
                g.name_ar, g.name_en, u.chamber_id, c.code, c.name_ar, c.name_en, u.email_notifications \
         FROM users u LEFT JOIN governorates g ON g.code = u.governorate_code \
                      LEFT JOIN chambers c ON c.id = u.chamber_id WHERE u.id = $1",
    )
    .bind(target)
    .fetch_optional(&pool()?)
    .await?;
    let Some(r) = row else {
        return Err(AppError::NotFound);
    };
    let role = Role::from_key(&r.1).ok_or(AppError::Internal)?;
    let account = AccountRef {
        id: UserId(r.0),
        role,
        chamber: r.10.map(ChamberId),
    };
    if !can_view_profile(&actor, &account) {
        return Err(AppError::NotFound);
    }
    Ok(Profile {
        id: r.0,
        role,
        full_name: r.2,
        phone: r.3,
        email: r.4,
        gender: r.5,
        birth_date: r.6,
        governorate: r.7,
        governorate_name: r.8.zip(r.9),
        chamber_code: r.11,
        chamber_name: r.12.zip(r.13),
        email_notifications: r.14 == 1,
    })
}

pub async fn set_email_notifications(enabled: bool) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    sqlx::query("UPDATE users SET email_notifications = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(enabled))
        .bind(now())
        .bind(actor.id.0)
        .execute(&pool)
        .await?;
    let detail = if enabled { "on" } else { "off" };
    audit(
        &pool,
        Some(actor.id),
        "email_notifications",
        "user",
        Some(actor.id.0),
        detail,
    )
    .await?;
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
        let gender = collect(
            &mut errors,
            Field::Gender,
            Gender::from_key(input.gender.trim()).ok_or(if input.gender.trim().is_empty() {
                Problem::Required
            } else {
                Problem::UnknownChoice
            }),
        );
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
            let chamber =
                crate::auth::server_api::resolve_place(&pool, &governorate, chamber_code.as_deref(), &mut errors)
                    .await?;
            personal = Some((gender, birth, governorate, chamber));
        }
    }
    if let (Some(phone), Some(email)) = (&phone, &email) {
        crate::auth::server_api::check_unique(&pool, phone.as_deref(), email.as_deref(), Some(actor.id.0), &mut errors)
            .await?;
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (Some(full_name), Some(phone), Some(email)) = (full_name, phone, email) else {
        return Err(AppError::Internal);
    };
    let result = match personal {
        Some((gender, birth, governorate, chamber)) => {
            sqlx::query(
                "UPDATE users SET full_name = $1, phone = $2, email = $3, gender = $4, birth_date = $5, \
                 governorate_code = $6, chamber_id = $7, updated_at = $8 WHERE id = $9",
            )
            .bind(&full_name)
            .bind(&phone)
            .bind(&email)
            .bind(gender.key())
            .bind(birth.iso())
            .bind(governorate)
            .bind(chamber)
            .bind(now())
            .bind(actor.id.0)
            .execute(&pool)
            .await
        }
        None => {
            sqlx::query("UPDATE users SET full_name = $1, phone = $2, email = $3, updated_at = $4 WHERE id = $5")
                .bind(&full_name)
                .bind(&phone)
                .bind(&email)
                .bind(now())
                .bind(actor.id.0)
                .execute(&pool)
                .await
        }
    };
    result.map_err(|e| crate::auth::server_api::taken_error(e, Field::Phone))?;
    audit(&pool, Some(actor.id), "update_profile", "user", Some(actor.id.0), "").await?;
    Ok(())
}

pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    if let Err(problem) = validation::new_password(&new) {
        return Err(AppError::Invalid(vec![FieldError::new(Field::Password, problem)]));
    }
    let (stored,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(actor.id.0)
        .fetch_one(&pool)
        .await?;
    if current.chars().count() > validation::PASSWORD_MAX as usize || !password::verify(current, Some(stored)).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            Field::CurrentPassword,
            Problem::Mismatch,
        )]));
    }
    let hash = password::hash(new).await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now())
        .bind(actor.id.0)
        .execute(&pool)
        .await?;
    // End every session of this account, then give the current one a fresh id: the
    // middleware stores it again after this request, so only this device stays signed in.
    end_sessions_of(&pool, actor.id.0).await?;
    session().await?.cycle_id().await.map_err(|_| AppError::Internal)?;
    audit(&pool, Some(actor.id), "change_password", "user", Some(actor.id.0), "").await?;
    Ok(())
}
