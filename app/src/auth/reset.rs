//! Password reset by e-mail (server only): a single-use link, valid for 30 minutes, whose
//! token is stored only as a hash; using it ends every session of the account.
use super::guard::{audit, state};
use super::password;
use super::session_store::end_sessions_of;
use crate::db::now;
use crate::domain::roles::UserId;
use crate::domain::validation::{self, Field, FieldError};
use crate::error::AppError;
use crate::notify::outbox::{enqueue, MailKind};
use crate::notify::server::locale_of;
use sha2::{Digest, Sha256};

/// How long a link works.
pub const RESET_VALID_SECS: i64 = 30 * 60;
/// Links sent to one account per hour; more are silently not sent, so a stranger cannot
/// flood someone's inbox.
const PER_ACCOUNT_PER_HOUR: i64 = 3;
/// Requests from one address per 15 minutes before it is told to wait.
const PER_ADDRESS: i64 = 20;

fn token_hash(token: &str) -> String {
    hex_of(&Sha256::digest(token.as_bytes()))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sends a reset link to the account with this e-mail, if there is one. The answer is the
/// same whether or not there is, so it does not reveal who has an account.
pub async fn request_reset(email: String, client: String) -> Result<(), AppError> {
    let state = state()?;
    let Some(mail) = state.mail.clone() else {
        return Err(AppError::MailOff);
    };
    let address = validation::email(&email).map_err(|p| AppError::Invalid(vec![FieldError::new(Field::Email, p)]))?;
    let pool = state.pool.clone();
    let at = now();
    let key = format!("reset:{client}");
    let (recent,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND failed_at > $2")
            .bind(&key)
            .bind(at - 15 * 60)
            .fetch_one(&pool)
            .await?;
    if recent >= PER_ADDRESS {
        return Err(AppError::Throttled { minutes: 15 });
    }
    sqlx::query("INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2)")
        .bind(&key)
        .bind(at)
        .execute(&pool)
        .await?;
    let account: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, full_name, locale FROM users WHERE email = $1 AND is_active = 1")
            .bind(&address)
            .fetch_optional(&pool)
            .await?;
    let Some((user, name, locale)) = account else {
        return Ok(());
    };
    let (sent,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2")
        .bind(user)
        .bind(at - 3600)
        .fetch_one(&pool)
        .await?;
    if sent >= PER_ACCOUNT_PER_HOUR {
        return Ok(());
    }
    let token = {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex_of(&bytes)
    };
    let link = format!("{}/reset-password?token={token}", mail.public_url);
    let email = crate::notify::email::reset_email(locale_of(&locale), &name, &link);
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(user)
        .bind(token_hash(&token))
        .bind(at)
        .bind(at + RESET_VALID_SECS)
        .execute(&mut *tx)
        .await?;
    enqueue(&mut tx, Some(user), &address, MailKind::PasswordReset, &email, at).await?;
    tx.commit().await?;
    audit(
        &pool,
        Some(UserId(user)),
        "password_reset_requested",
        "user",
        Some(user),
        "",
    )
    .await?;
    Ok(())
}

/// Sets a new password with a reset link's token: once, within its time, then every session
/// of the account ends and every other link of it stops working.
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    let pool = state()?.pool;
    if let Err(problem) = validation::new_password(&new_password) {
        return Err(AppError::Invalid(vec![FieldError::new(Field::Password, problem)]));
    }
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::ResetLinkInvalid);
    }
    let at = now();
    let found: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(at)
    .fetch_optional(&pool)
    .await?;
    let Some((reset, user)) = found else {
        return Err(AppError::ResetLinkInvalid);
    };
    let hash = password::hash(new_password).await?;
    let mut tx = pool.begin().await?;
    // Claim the link first: of two tabs using it at once, only one changes the password.
    let claimed = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(at)
        .bind(reset)
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::ResetLinkInvalid);
    }
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(at)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(at)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    end_sessions_of(&pool, user).await?;
    audit(&pool, Some(UserId(user)), "password_reset", "user", Some(user), "").await?;
    leptos_axum::redirect("/sign-in?reset=1");
    Ok(())
}
