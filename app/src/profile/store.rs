//! Profiles in the database (server only).
use super::Profile;
use crate::db::Pool;
use crate::error::AppError;
use domain::roles::Role;
use domain::validation::{Date, Gender};
use domain::Bilingual;

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: i64,
    #[sqlx(try_from = "String")]
    role: Role,
    full_name: String,
    phone: Option<String>,
    email: Option<String>,
    gender: Option<String>,
    birth_date: Option<String>,
    governorate_code: Option<String>,
    governorate_ar: Option<String>,
    governorate_en: Option<String>,
    chamber_id: Option<i64>,
    chamber_code: Option<String>,
    chamber_ar: Option<String>,
    chamber_en: Option<String>,
    email_notifications: i64,
    sms_notifications: i64,
    phone_verified_at: Option<i64>,
}

/// A profile with the chamber it belongs to (for the read rule).
pub async fn profile(pool: &Pool, user: i64) -> Result<Option<(Profile, Option<i64>)>, AppError> {
    let row: Option<ProfileRow> = sqlx::query_as(
        "SELECT u.id, u.role, u.full_name, u.phone, u.email, u.gender, u.birth_date, u.governorate_code, \
                g.name_ar AS governorate_ar, g.name_en AS governorate_en, u.chamber_id, c.code AS chamber_code, \
                c.name_ar AS chamber_ar, c.name_en AS chamber_en, u.email_notifications, u.sms_notifications, u.phone_verified_at \
         FROM users u LEFT JOIN governorates g ON g.code = u.governorate_code \
                      LEFT JOIN chambers c ON c.id = u.chamber_id WHERE u.id = $1",
    )
    .bind(user)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        let profile = Profile {
            id: r.id,
            role: r.role,
            full_name: r.full_name,
            phone: r.phone,
            email: r.email,
            gender: r.gender.as_deref().and_then(Gender::from_key),
            birth_date: r.birth_date,
            governorate: r.governorate_code,
            governorate_name: r
                .governorate_ar
                .zip(r.governorate_en)
                .map(|(ar, en)| Bilingual::new(ar, en)),
            chamber_code: r.chamber_code,
            chamber_name: r.chamber_ar.zip(r.chamber_en).map(|(ar, en)| Bilingual::new(ar, en)),
            email_notifications: r.email_notifications == 1,
            sms_notifications: r.sms_notifications == 1,
            sms_available: false,
            phone_verified: r.phone_verified_at.is_some(),
            verify_phones: false,
        };
        (profile, r.chamber_id)
    }))
}

/// A way notifications leave the app besides the app itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

pub async fn set_notifications(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    channel: Channel,
    enabled: bool,
    at: i64,
) -> Result<(), AppError> {
    let sql = match channel {
        Channel::Email => "UPDATE users SET email_notifications = $1, updated_at = $2 WHERE id = $3",
        Channel::Sms => "UPDATE users SET sms_notifications = $1, updated_at = $2 WHERE id = $3",
    };
    sqlx::query(sql)
        .bind(i64::from(enabled))
        .bind(at)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A new number is not confirmed yet.
pub async fn forget_phone_confirmation(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET phone_verified_at = NULL WHERE id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What everyone may change of their account.
pub struct Contact<'a> {
    pub full_name: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// What only entrepreneurs have.
pub struct Personal<'a> {
    pub gender: Gender,
    pub birth_date: Date,
    pub governorate: &'a str,
    pub chamber: Option<i64>,
}

pub async fn update(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    contact: Contact<'_>,
    personal: Option<Personal<'_>>,
    at: i64,
) -> Result<(), sqlx::Error> {
    match personal {
        Some(personal) => {
            sqlx::query(
                "UPDATE users SET full_name = $1, phone = $2, email = $3, gender = $4, birth_date = $5, \
                 governorate_code = $6, chamber_id = $7, updated_at = $8, search_name = $10 WHERE id = $9",
            )
            .bind(contact.full_name)
            .bind(contact.phone)
            .bind(contact.email)
            .bind(personal.gender.key())
            .bind(personal.birth_date.iso())
            .bind(personal.governorate)
            .bind(personal.chamber)
            .bind(at)
            .bind(user)
            .bind(domain::search::fold(contact.full_name))
            .execute(&mut **tx)
            .await?;
            crate::auth::store::copy_owner_facts(tx, user).await?;
        }
        None => {
            sqlx::query(
                "UPDATE users SET full_name = $1, phone = $2, email = $3, updated_at = $4, search_name = $6 WHERE id = $5",
            )
            .bind(contact.full_name)
            .bind(contact.phone)
            .bind(contact.email)
            .bind(at)
            .bind(user)
            .bind(domain::search::fold(contact.full_name))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
