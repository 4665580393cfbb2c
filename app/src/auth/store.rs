//! Accounts in the database (server only): reference data for the forms, the users table,
//! sign-in throttling and password-reset links. Profile and staff call it for accounts.
use super::ReferenceData;
use crate::db::{is_unique_violation, Pool};
use crate::error::AppError;
use domain::reference::{ChamberChoice, Choice};
use domain::roles::{AccountRef, ChamberId, Role, UserId};
use domain::validation::{Field, FieldError, Problem, Registration};
use domain::Bilingual;

#[derive(sqlx::FromRow)]
struct GovernorateRow {
    code: String,
    name_ar: String,
    name_en: String,
}

#[derive(sqlx::FromRow)]
struct ChamberRow {
    id: i64,
    code: String,
    name_ar: String,
    name_en: String,
    governorate_code: Option<String>,
}

pub async fn reference_data(pool: &Pool) -> Result<ReferenceData, AppError> {
    let governorates: Vec<GovernorateRow> =
        sqlx::query_as("SELECT code, name_ar, name_en FROM governorates ORDER BY sort_order")
            .fetch_all(pool)
            .await?;
    let chambers: Vec<ChamberRow> =
        sqlx::query_as("SELECT id, code, name_ar, name_en, governorate_code FROM chambers ORDER BY sort_order, id")
            .fetch_all(pool)
            .await?;
    Ok(ReferenceData {
        governorates: governorates
            .into_iter()
            .map(|g| Choice {
                code: g.code,
                name: Bilingual::new(g.name_ar, g.name_en),
            })
            .collect(),
        chambers: chambers
            .into_iter()
            .map(|c| ChamberChoice {
                id: c.id,
                code: c.code,
                name: Bilingual::new(c.name_ar, c.name_en),
                governorate: c.governorate_code.unwrap_or_default(),
            })
            .collect(),
    })
}

/// The id of the chamber with this code, if there is one.
pub async fn chamber_by_code(pool: &Pool, code: &str) -> Result<Option<i64>, AppError> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM chambers WHERE code = $1")
        .bind(code)
        .fetch_optional(pool)
        .await?;
    Ok(found.map(|(id,)| id))
}

/// Is this value of `column` (phone or e-mail) used by an account other than `except`?
async fn used_by_another(pool: &Pool, column: Field, value: &str, except: Option<i64>) -> Result<bool, AppError> {
    let sql = match column {
        Field::Email => "SELECT id FROM users WHERE email = $1 AND id <> $2",
        _ => "SELECT id FROM users WHERE phone = $1 AND id <> $2",
    };
    let taken: Option<(i64,)> = sqlx::query_as(sql)
        .bind(value)
        .bind(except.unwrap_or(-1))
        .fetch_optional(pool)
        .await?;
    Ok(taken.is_some())
}

/// Adds `Taken` errors for a phone or e-mail that belongs to another account.
pub async fn check_unique(
    pool: &Pool,
    phone: Option<&str>,
    email: Option<&str>,
    except: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> Result<(), AppError> {
    for (field, value) in [(Field::Phone, phone), (Field::Email, email)] {
        if let Some(value) = value {
            if used_by_another(pool, field, value, except).await? {
                errors.push(FieldError::new(field, Problem::Taken));
            }
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

/// Stores a new entrepreneur's account; returns its id.
pub async fn insert_entrepreneur(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    reg: &Registration,
    password_hash: &str,
    chamber: Option<i64>,
    locale: &str,
    at: i64,
) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (role, full_name, phone, email, password_hash, gender, birth_date, governorate_code, chamber_id, created_at, updated_at, locale, search_name, sms_notifications) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13) RETURNING id",
    )
    .bind(Role::Entrepreneur.key())
    .bind(&reg.full_name)
    .bind(&reg.phone)
    .bind(&reg.email)
    .bind(password_hash)
    .bind(reg.gender.key())
    .bind(reg.birth_date.iso())
    .bind(&reg.governorate)
    .bind(chamber)
    .bind(at)
    .bind(locale)
    .bind(domain::search::fold(&reg.full_name))
    // Without an e-mail address, SMS is how the portal reaches her.
    .bind(i64::from(reg.email.is_none()))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| taken_error(e, Field::Phone))?;
    Ok(id)
}

/// A new staff account as `insert_staff` stores it.
pub struct NewStaff<'a> {
    pub role: Role,
    pub full_name: &'a str,
    pub phone: Option<&'a str>,
    pub email: &'a str,
    pub chamber: Option<i64>,
}

/// Stores a staff account; returns its id.
pub async fn insert_staff(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    staff: &NewStaff<'_>,
    password_hash: &str,
    at: i64,
) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (role, full_name, phone, email, password_hash, chamber_id, created_at, updated_at, search_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
    )
    .bind(staff.role.key())
    .bind(staff.full_name)
    .bind(staff.phone)
    .bind(staff.email)
    .bind(password_hash)
    .bind(staff.chamber)
    .bind(at)
    .bind(domain::search::fold(staff.full_name))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| taken_error(e, Field::Email))?;
    Ok(id)
}

/// What sign-in needs of an account.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub is_active: i64,
}

/// The account whose phone or e-mail is `identifier` (already in its stored form).
pub async fn credentials_by_identifier(pool: &Pool, identifier: &str) -> Result<Option<Credentials>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, password_hash, is_active FROM users WHERE phone = $1 OR email = $1")
            .bind(identifier)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn password_hash_of(pool: &Pool, user: i64) -> Result<String, AppError> {
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(pool)
        .await?;
    Ok(hash)
}

pub async fn set_password(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    password_hash: &str,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(at)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The signed-in person's name and unread notifications, for the menu.
#[derive(sqlx::FromRow)]
pub struct MenuRow {
    pub full_name: String,
    pub unread: i64,
}

pub async fn menu_of(pool: &Pool, user: i64) -> Result<MenuRow, AppError> {
    Ok(sqlx::query_as(
        "SELECT full_name, (SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL) AS unread \
         FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_one(pool)
    .await?)
}

/// Remembers the language a signed-in person chose, for the e-mail they get.
pub async fn set_locale(pool: &Pool, user: i64, locale: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(user)
        .execute(pool)
        .await?;
    Ok(())
}

// ---- Throttling: failures (and reset requests) counted per key within a window ----

pub async fn attempts_since(pool: &Pool, key: &str, since: i64) -> Result<i64, AppError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND failed_at > $2")
            .bind(key)
            .bind(since)
            .fetch_one(pool)
            .await?;
    Ok(count)
}

/// Attempts under `key` since `since` other than `except` (the one being decided): how many,
/// and when the latest was.
pub async fn other_attempts_since(
    pool: &Pool,
    key: &str,
    since: i64,
    except: i64,
) -> Result<(i64, Option<i64>), AppError> {
    let (count, latest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), MAX(failed_at) FROM login_failures \
         WHERE throttle_key = $1 AND failed_at > $2 AND id <> $3",
    )
    .bind(key)
    .bind(since)
    .bind(except)
    .fetch_one(pool)
    .await?;
    Ok((count, latest))
}

pub async fn record_attempt(pool: &Pool, key: &str, at: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2)")
        .bind(key)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

/// Records an attempt before its work is done and returns its row, so that attempts in
/// flight count too: a burst sent at once cannot all pass a check made before any of them
/// was recorded.
pub async fn record_pending_attempt(pool: &Pool, key: &str, at: i64) -> Result<i64, AppError> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2) RETURNING id")
            .bind(key)
            .bind(at)
            .fetch_one(pool)
            .await?;
    Ok(id)
}

/// Withdraws one recorded attempt (it succeeded, or it was refused before any work).
pub async fn forget_attempt(pool: &Pool, id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn forget_attempts(pool: &Pool, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Attempts older than `before` no longer count anywhere.
pub async fn prune_attempts(pool: &Pool, before: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
        .bind(before)
        .execute(pool)
        .await?;
    Ok(())
}

// ---- Password-reset links ----

/// An active account that may receive a reset link.
#[derive(sqlx::FromRow)]
pub struct ResetAccount {
    pub id: i64,
    pub full_name: String,
    pub locale: String,
}

pub async fn active_account_by_email(pool: &Pool, email: &str) -> Result<Option<ResetAccount>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, full_name, locale FROM users WHERE email = $1 AND is_active = 1")
            .bind(email)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn resets_since(pool: &Pool, user: i64, since: i64) -> Result<i64, AppError> {
    let (sent,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2")
        .bind(user)
        .bind(since)
        .fetch_one(pool)
        .await?;
    Ok(sent)
}

pub async fn insert_reset(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    token_hash: &str,
    at: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(user)
        .bind(token_hash)
        .bind(at)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A reset link that still works.
#[derive(sqlx::FromRow)]
pub struct LiveReset {
    pub id: i64,
    pub user_id: i64,
}

pub async fn live_reset(pool: &Pool, token_hash: &str, at: i64) -> Result<Option<LiveReset>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(at)
    .fetch_optional(pool)
    .await?)
}

/// Marks the link used; false when another request used it first.
pub async fn claim_reset(tx: &mut sqlx::Transaction<'_, sqlx::Any>, reset: i64, at: i64) -> Result<bool, AppError> {
    let claimed = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(at)
        .bind(reset)
        .execute(&mut **tx)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Every other reset link and reset code of the account stops working.
pub async fn void_resets(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user: i64, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(at)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    void_codes(tx, user, CodePurpose::Reset, at).await
}

// ---- One-time codes by SMS ----

domain::keyed! {
    /// What a code sent by SMS is for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum CodePurpose {
        Reset = "reset",
        Verify = "verify",
    }
}

/// An active account found by its mobile number, with what a code message needs.
#[derive(sqlx::FromRow)]
pub struct PhoneAccount {
    pub id: i64,
    pub locale: String,
    pub chamber_id: Option<i64>,
    pub phone_verified_at: Option<i64>,
}

pub async fn active_account_by_phone(pool: &Pool, phone: &str) -> Result<Option<PhoneAccount>, AppError> {
    Ok(
        sqlx::query_as(
            "SELECT id, locale, chamber_id, phone_verified_at FROM users WHERE phone = $1 AND is_active = 1",
        )
        .bind(phone)
        .fetch_optional(pool)
        .await?,
    )
}

/// Codes for `purpose` the account was sent since `since` (read in a queuing transaction,
/// after the SMS lock, the count is exact however many requests run at once).
pub async fn codes_since<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user: i64,
    purpose: CodePurpose,
    since: i64,
) -> Result<i64, AppError> {
    let (sent,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sms_codes WHERE user_id = $1 AND purpose = $2 AND created_at > $3")
            .bind(user)
            .bind(purpose.key())
            .bind(since)
            .fetch_one(db)
            .await?;
    Ok(sent)
}

/// Voids the account's earlier codes for `purpose` (only the newest works) and stores the
/// new one's hash.
pub async fn insert_code(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    purpose: CodePurpose,
    code_hash: &str,
    at: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    void_codes(tx, user, purpose, at).await?;
    sqlx::query(
        "INSERT INTO sms_codes (user_id, purpose, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user)
    .bind(purpose.key())
    .bind(code_hash)
    .bind(at)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn void_codes(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    purpose: CodePurpose,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE sms_codes SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(at)
        .bind(user)
        .bind(purpose.key())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The account's newest code for `purpose` that still works.
#[derive(sqlx::FromRow)]
pub struct LiveCode {
    pub id: i64,
    pub code_hash: String,
}

pub async fn live_code(
    pool: &Pool,
    user: i64,
    purpose: CodePurpose,
    at: i64,
    max_tries: i64,
) -> Result<Option<LiveCode>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, code_hash FROM sms_codes WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL \
         AND expires_at > $3 AND tries < $4 ORDER BY id DESC LIMIT 1",
    )
    .bind(user)
    .bind(purpose.key())
    .bind(at)
    .bind(max_tries)
    .fetch_optional(pool)
    .await?)
}

/// Counts a wrong try against the code.
pub async fn count_wrong_code(pool: &Pool, code: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE sms_codes SET tries = tries + 1 WHERE id = $1")
        .bind(code)
        .execute(pool)
        .await?;
    Ok(())
}

/// Uses the code; false when another request used it (or spent its tries) first.
pub async fn claim_code(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: i64,
    at: i64,
    max_tries: i64,
) -> Result<bool, AppError> {
    let claimed = sqlx::query("UPDATE sms_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND tries < $3")
        .bind(at)
        .bind(code)
        .bind(max_tries)
        .execute(&mut **tx)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

/// The account's mobile number, language and chamber, and whether the number is confirmed.
#[derive(sqlx::FromRow)]
pub struct OwnPhone {
    pub phone: Option<String>,
    pub locale: String,
    pub chamber_id: Option<i64>,
    pub phone_verified_at: Option<i64>,
}

pub async fn own_phone(pool: &Pool, user: i64) -> Result<Option<OwnPhone>, AppError> {
    Ok(
        sqlx::query_as(
            "SELECT phone, locale, chamber_id, phone_verified_at FROM users WHERE id = $1 AND is_active = 1",
        )
        .bind(user)
        .fetch_optional(pool)
        .await?,
    )
}

/// Confirms the account's number, unless it changed since the code was sent.
pub async fn mark_phone_verified(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    phone: &str,
    at: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE users SET phone_verified_at = $1 WHERE id = $2 AND phone = $3")
        .bind(at)
        .bind(user)
        .bind(phone)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// An account as the read rules need it, with its name.
#[derive(sqlx::FromRow)]
struct AccountRow {
    full_name: String,
    #[sqlx(try_from = "String")]
    role: Role,
    chamber_id: Option<i64>,
}

pub async fn account(pool: &Pool, user: i64) -> Result<Option<(AccountRef, String)>, AppError> {
    let row: Option<AccountRow> = sqlx::query_as("SELECT full_name, role, chamber_id FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| {
        (
            AccountRef {
                id: UserId(user),
                role: r.role,
                chamber: r.chamber_id.map(ChamberId),
            },
            r.full_name,
        )
    }))
}

pub async fn name_of(pool: &Pool, user: i64) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT full_name FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(name,)| name))
}

/// A member of a chamber's staff.
#[derive(sqlx::FromRow)]
pub struct StaffMember {
    pub id: i64,
    pub full_name: String,
}

/// The active staff of one chamber in one role (its advisors, its managers), by name.
pub async fn chamber_staff(pool: &Pool, chamber: Option<ChamberId>, role: Role) -> Result<Vec<StaffMember>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, full_name FROM users WHERE role = $1 AND is_active = 1 AND chamber_id = $2 ORDER BY full_name",
    )
    .bind(role.key())
    .bind(chamber.map(|c| c.0))
    .fetch_all(pool)
    .await?)
}

/// Is something of this person's with her chamber: a plan ever submitted (not deleted) or a
/// service request neither completed nor cancelled? Then only staff move her elsewhere
/// (`domain::roles::can_move_chamber`).
pub async fn case_with_chamber(pool: &Pool, user: i64) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM plans p WHERE p.owner_id = $1 AND p.deleted_at IS NULL \
         AND EXISTS (SELECT 1 FROM plan_revisions r WHERE r.plan_id = p.id)",
    )
    .bind(user)
    .fetch_one(pool)
    .await?;
    if n > 0 {
        return Ok(true);
    }
    let (open,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM service_requests WHERE user_id = $1 AND status NOT IN ($2, $3)",
    )
    .bind(user)
    .bind(domain::services::RequestStatus::Completed.key())
    .bind(domain::services::RequestStatus::Cancelled.key())
    .fetch_one(pool)
    .await?;
    Ok(open > 0)
}

/// Moves an entrepreneur to another chamber, with her plans and documents (their copies of
/// her chamber follow). Service requests keep the chamber they were made to.
pub async fn move_to_chamber(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    chamber: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET chamber_id = $1, updated_at = $2 WHERE id = $3")
        .bind(chamber)
        .bind(at)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    copy_owner_facts(tx, user).await
}

/// Copies the owner's chamber, governorate, gender and birth date onto each of their plans,
/// and the chamber onto their documents (the dashboard filters plans and counts documents
/// by them without joining the owner); called when a plan is
/// made (`plan::store`) and when the owner's profile changes (`profile::store`). It lives
/// with the accounts, below both, because it is the account's facts that travel.
pub async fn copy_owner_facts(tx: &mut sqlx::Transaction<'_, sqlx::Any>, owner: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE plans SET \
         owner_chamber_id = (SELECT u.chamber_id FROM users u WHERE u.id = $1), \
         owner_governorate = (SELECT u.governorate_code FROM users u WHERE u.id = $1), \
         owner_gender = (SELECT u.gender FROM users u WHERE u.id = $1), \
         owner_birth_date = (SELECT u.birth_date FROM users u WHERE u.id = $1) \
         WHERE owner_id = $1",
    )
    .bind(owner)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE documents SET owner_chamber_id = (SELECT u.chamber_id FROM users u WHERE u.id = $1) WHERE owner_id = $1")
        .bind(owner)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
