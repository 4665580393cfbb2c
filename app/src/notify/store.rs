//! The e-mail outbox (server only). Messages are written in the transaction of the step they
//! tell about; the server's mail worker claims due ones for a short lease, sends them and
//! marks them sent, or schedules a retry with back-off. A lease, claimed with
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL, means two server instances never send one message
//! at the same time; SQLite serialises writers, so its claim is atomic as it stands.
use super::email::Email;
use crate::db::{Backend, Pool};
use crate::error::AppError;

/// What a queued message is for (kept for the record and for tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    Notification,
    PasswordReset,
}

impl MailKind {
    pub fn key(self) -> &'static str {
        match self {
            MailKind::Notification => "notification",
            MailKind::PasswordReset => "password_reset",
        }
    }
}

/// Queues one message inside the caller's transaction, due at once.
pub async fn enqueue(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: Option<i64>,
    to_address: &str,
    kind: MailKind,
    email: &Email,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO email_outbox (user_id, kind, to_address, subject, text_body, html_body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(user_id)
    .bind(kind.key())
    .bind(to_address)
    .bind(&email.subject)
    .bind(&email.text)
    .bind(&email.html)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A claimed message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queued {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Attempts before this one.
    pub attempts: i64,
}

/// Claims up to `limit` due messages until `now + lease_secs`. A message whose lease ran out
/// (its worker died mid-send) is due again.
pub async fn claim(
    pool: &Pool,
    backend: Backend,
    now: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<Queued>, sqlx::Error> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE email_outbox SET claimed_until = $1 WHERE id IN (\
           SELECT id FROM email_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 \
           AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3{lock}) \
         RETURNING id, to_address, subject, text_body, html_body, attempts"
    );
    let rows: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(&sql)
        .bind(now + lease_secs)
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    let mut queued: Vec<Queued> = rows
        .into_iter()
        .map(|(id, to_address, subject, text, html, attempts)| Queued {
            id,
            to_address,
            subject,
            text,
            html,
            attempts,
        })
        .collect();
    // RETURNING gives no order; oldest first.
    queued.sort_by_key(|q| q.id);
    Ok(queued)
}

pub async fn mark_sent(pool: &Pool, id: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE email_outbox SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// A failed attempt that may succeed later (server down, busy, greylisting).
pub async fn retry_later(pool: &Pool, id: i64, error: &str, next_attempt_at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3",
    )
    .bind(next_attempt_at)
    .bind(bounded(error))
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// A message the SMTP server refused for good (e.g. the mailbox does not exist).
pub async fn give_up(pool: &Pool, id: i64, error: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE email_outbox SET attempts = attempts + 1, failed_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3")
        .bind(at)
        .bind(bounded(error))
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

fn bounded(error: &str) -> String {
    error.chars().take(500).collect()
}

/// Seconds to wait after the `attempts`-th failure: doubling from `base`, at most `max`.
pub fn backoff(attempts: i64, base: i64, max: i64) -> i64 {
    let exponent = attempts.clamp(0, 30) as u32;
    base.max(1).saturating_mul(1i64 << exponent).min(max.max(1))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn retries_back_off_doubling_up_to_the_cap() {
        let waits: Vec<i64> = (0..8).map(|a| backoff(a, 30, 3600)).collect();
        assert_eq!(waits, vec![30, 60, 120, 240, 480, 960, 1920, 3600]);
        assert_eq!(backoff(1000, 30, 3600), 3600, "no overflow after many failures");
        assert_eq!(backoff(0, 0, 0), 1, "never a busy loop");
    }
}
