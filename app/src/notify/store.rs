//! Notifications and the e-mail outbox in the database (server only).
//!
//! A notification and its e-mail are written in the transaction of the step they tell
//! about. The server's mail worker claims due messages for a short lease, sends them and
//! marks them sent, or schedules a retry with back-off. A lease, claimed with
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL, means two server instances never send one message
//! at the same time; SQLite serialises writers, so its claim is atomic as it stands.
//!
//! The notification list joins the title, document type or service name of what each
//! notification is about, read-only: notify sits below the areas it tells about and cannot
//! call their stores (see `docs/architecture.md`).
use super::email::Email;
use super::{Notification, Topic};
use crate::db::{Backend, Pool};
use crate::error::AppError;
use domain::documents::DocumentType;
use domain::Bilingual;

/// What a notification is about: a plan, a document or a service request.
#[derive(Clone, Copy, Debug, Default)]
pub struct About {
    pub plan: Option<i64>,
    pub document: Option<i64>,
    pub request: Option<i64>,
}

impl About {
    pub fn plan(id: i64) -> About {
        About {
            plan: Some(id),
            ..About::default()
        }
    }

    pub fn document(id: i64) -> About {
        About {
            document: Some(id),
            ..About::default()
        }
    }

    pub fn request(id: i64) -> About {
        About {
            request: Some(id),
            ..About::default()
        }
    }
}

pub async fn insert_notification(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    topic: Topic,
    about: About,
    message: Option<&str>,
    at: i64,
) -> Result<(), AppError> {
    let (topic, action) = topic.keys();
    sqlx::query(
        "INSERT INTO notifications (user_id, topic, action, plan_id, document_id, service_request_id, message, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(user_id)
    .bind(topic)
    .bind(action)
    .bind(about.plan)
    .bind(about.document)
    .bind(about.request)
    .bind(message)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Who receives the e-mail copy of a notification: an active account's name, address,
/// language and choice.
#[derive(sqlx::FromRow)]
pub struct Recipient {
    pub full_name: String,
    pub email: Option<String>,
    pub locale: String,
    pub email_notifications: i64,
}

pub async fn recipient(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user_id: i64) -> Result<Option<Recipient>, AppError> {
    Ok(sqlx::query_as(
        "SELECT full_name, email, locale, email_notifications FROM users WHERE id = $1 AND is_active = 1",
    )
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The names a notification shows of what it is about.
#[derive(sqlx::FromRow, Default)]
pub struct Subject {
    pub plan_title: Option<String>,
    pub doc_type: Option<String>,
    pub service_ar: Option<String>,
    pub service_en: Option<String>,
}

impl Subject {
    pub fn document_type(&self) -> Option<DocumentType> {
        self.doc_type.as_deref().and_then(DocumentType::from_key)
    }

    pub fn service_name(&self) -> Option<Bilingual> {
        self.service_ar
            .clone()
            .zip(self.service_en.clone())
            .map(|(ar, en)| Bilingual::new(ar, en))
    }
}

pub async fn subject(tx: &mut sqlx::Transaction<'_, sqlx::Any>, about: About) -> Result<Subject, AppError> {
    Ok(sqlx::query_as(
        "SELECT (SELECT title FROM plans WHERE id = $1) AS plan_title, \
                (SELECT doc_type FROM documents WHERE id = $2) AS doc_type, \
                (SELECT s.name_ar FROM service_requests r JOIN services s ON s.id = r.service_id WHERE r.id = $3) AS service_ar, \
                (SELECT s.name_en FROM service_requests r JOIN services s ON s.id = r.service_id WHERE r.id = $3) AS service_en",
    )
    .bind(about.plan)
    .bind(about.document)
    .bind(about.request)
    .fetch_one(&mut **tx)
    .await?)
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    topic: String,
    action: String,
    plan_id: Option<i64>,
    #[sqlx(flatten)]
    subject: Subject,
    service_request_id: Option<i64>,
    message: Option<String>,
    created_at: i64,
    read_at: Option<i64>,
}

/// A person's notifications, newest first (at most 100).
pub async fn notifications_of(pool: &Pool, user_id: i64) -> Result<Vec<Notification>, AppError> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT n.id, n.topic, n.action, n.plan_id, p.title AS plan_title, d.doc_type, n.service_request_id, \
                s.name_ar AS service_ar, s.name_en AS service_en, n.message, n.created_at, n.read_at \
         FROM notifications n LEFT JOIN plans p ON p.id = n.plan_id LEFT JOIN documents d ON d.id = n.document_id \
         LEFT JOIN service_requests r ON r.id = n.service_request_id LEFT JOIN services s ON s.id = r.service_id \
         WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT 100",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(Notification {
                id: row.id,
                topic: Topic::from_keys(&row.topic, &row.action)?,
                plan_id: row.plan_id,
                document_type: row.subject.document_type(),
                service_name: row.subject.service_name(),
                plan_title: row.subject.plan_title,
                request_id: row.service_request_id,
                message: row.message,
                created_at: row.created_at,
                read: row.read_at.is_some(),
            })
        })
        .collect())
}

pub async fn count_unread(pool: &Pool, user_id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(pool)
        .await?;
    Ok(n)
}

pub async fn mark_all_read(pool: &Pool, user_id: i64, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(at)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Marks one of `user_id`'s notifications read; false when it is not theirs or not there.
pub async fn mark_read(pool: &Pool, user_id: i64, notification_id: i64, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3")
        .bind(at)
        .bind(notification_id)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---- The e-mail outbox ----

domain::keyed! {
    /// What a queued message is for (kept for the record and for tests).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum MailKind {
        Notification = "notification",
        PasswordReset = "password_reset",
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
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Queued {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    #[sqlx(rename = "text_body")]
    pub text: String,
    #[sqlx(rename = "html_body")]
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
    let mut queued: Vec<Queued> = sqlx::query_as(&sql)
        .bind(now + lease_secs)
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    // RETURNING gives no order; oldest first.
    queued.sort_by_key(|q| q.id);
    Ok(queued)
}

/// A password reset's text holds a live link: once the message has left (or will never
/// leave), the outbox keeps only that it was sent, to whom and when. `$n` is the reset's
/// kind, bound by the caller.
fn clear_reset_bodies(n: u8) -> String {
    format!(
        "text_body = CASE WHEN kind = ${n} THEN '' ELSE text_body END, \
         html_body = CASE WHEN kind = ${n} THEN '' ELSE html_body END"
    )
}

pub async fn mark_sent(pool: &Pool, id: i64, at: i64) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE email_outbox SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL, last_error = NULL, {} \
         WHERE id = $2",
        clear_reset_bodies(3)
    );
    sqlx::query(&sql)
        .bind(at)
        .bind(id)
        .bind(MailKind::PasswordReset.key())
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
    let sql = format!(
        "UPDATE email_outbox SET attempts = attempts + 1, failed_at = $1, claimed_until = NULL, last_error = $2, {} \
         WHERE id = $3",
        clear_reset_bodies(4)
    );
    sqlx::query(&sql)
        .bind(at)
        .bind(bounded(error))
        .bind(id)
        .bind(MailKind::PasswordReset.key())
        .execute(pool)
        .await?;
    Ok(())
}

fn bounded(error: &str) -> String {
    error.chars().take(500).collect()
}

// ---- The SMS outbox ----

domain::keyed! {
    /// What a queued text message is for: the caps count them all; the bodies of codes are
    /// cleared once sent.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum SmsKind {
        Notification = "notification",
        ResetCode = "reset_code",
        VerifyCode = "verify_code",
    }
}

/// Who receives the SMS copy of a notification or a code.
#[derive(sqlx::FromRow)]
pub struct SmsRecipient {
    pub phone: Option<String>,
    pub phone_verified_at: Option<i64>,
    pub locale: String,
    pub sms_notifications: i64,
    pub chamber_id: Option<i64>,
}

pub async fn sms_recipient(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
) -> Result<Option<SmsRecipient>, AppError> {
    Ok(
        sqlx::query_as(
            "SELECT phone, phone_verified_at, locale, sms_notifications, chamber_id FROM users WHERE id = $1 AND is_active = 1",
        )
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?,
    )
}

/// One text message to queue.
pub struct OutgoingSms<'a> {
    pub user_id: Option<i64>,
    pub chamber_id: Option<i64>,
    pub kind: SmsKind,
    /// In international form (`domain::sms::international`).
    pub to_number: &'a str,
    pub body: &'a str,
}

/// Queues a text message inside the caller's transaction unless a daily cap is reached;
/// a refusal is recorded instead (for the Fund) and answered. The count and the insert are
/// one step for every caller: SQLite's write transactions run one at a time, and on
/// PostgreSQL a transaction-scoped advisory lock makes queuers of SMS take turns, so a
/// burst of parallel requests cannot pass a cap.
pub async fn queue_sms(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    caps: domain::sms::Caps,
    sms: &OutgoingSms<'_>,
    at: i64,
) -> Result<Result<(), domain::sms::CapReached>, AppError> {
    if backend == Backend::Postgres {
        // Any constant will do; it only has to be the same for every queuer.
        sqlx::query("SELECT pg_advisory_xact_lock(72017001)::TEXT")
            .execute(&mut **tx)
            .await?;
    }
    let since = at - 24 * 3600;
    let (to_person, from_portal): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM sms_outbox WHERE to_number = $1 AND created_at > $2), \
                (SELECT COUNT(*) FROM sms_outbox WHERE created_at > $2)",
    )
    .bind(sms.to_number)
    .bind(since)
    .fetch_one(&mut **tx)
    .await?;
    if let Err(reached) = domain::sms::within_caps(caps, to_person, from_portal) {
        sqlx::query(
            "INSERT INTO sms_refusals (user_id, chamber_id, kind, reason, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(sms.user_id)
        .bind(sms.chamber_id)
        .bind(sms.kind.key())
        .bind(reached.key())
        .bind(at)
        .execute(&mut **tx)
        .await?;
        return Ok(Err(reached));
    }
    let segments = domain::sms::segments(sms.body).count as i64;
    sqlx::query(
        "INSERT INTO sms_outbox (user_id, chamber_id, kind, to_number, body, segments, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(sms.user_id)
    .bind(sms.chamber_id)
    .bind(sms.kind.key())
    .bind(sms.to_number)
    .bind(sms.body)
    .bind(segments)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(Ok(()))
}

/// A claimed text message.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedSms {
    pub id: i64,
    /// An [`SmsKind`] key.
    pub kind: String,
    pub to_number: String,
    pub body: String,
    pub created_at: i64,
    /// Attempts before this one.
    pub attempts: i64,
}

/// Claims up to `limit` due text messages until `now + lease_secs` (as [`claim`] does for
/// e-mail).
pub async fn claim_sms(
    pool: &Pool,
    backend: Backend,
    now: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<QueuedSms>, sqlx::Error> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE sms_outbox SET claimed_until = $1 WHERE id IN (\
           SELECT id FROM sms_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 \
           AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3{lock}) \
         RETURNING id, kind, to_number, body, created_at, attempts"
    );
    let mut queued: Vec<QueuedSms> = sqlx::query_as(&sql)
        .bind(now + lease_secs)
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    queued.sort_by_key(|q| q.id);
    Ok(queued)
}

/// A code's text is a live secret: once it has left (or never will), only the fact that it
/// was sent is kept.
const CLEAR_CODE_BODY: &str = "body = CASE WHEN kind = 'notification' THEN body ELSE '' END";

pub async fn sms_sent(pool: &Pool, id: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE sms_outbox SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL, last_error = NULL, \
         {CLEAR_CODE_BODY} WHERE id = $2"
    ))
    .bind(at)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// A failed attempt that may succeed later (provider down or busy).
pub async fn sms_retry_later(pool: &Pool, id: i64, error: &str, next_attempt_at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sms_outbox SET attempts = attempts + 1, next_attempt_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3",
    )
    .bind(next_attempt_at)
    .bind(bounded(error))
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// A message the provider refused for good (a number it cannot reach, a rejected text), or
/// one that kept failing for `max_attempts`.
pub async fn sms_give_up(pool: &Pool, id: i64, error: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE sms_outbox SET attempts = attempts + 1, failed_at = $1, claimed_until = NULL, last_error = $2, \
         {CLEAR_CODE_BODY} WHERE id = $3"
    ))
    .bind(at)
    .bind(bounded(error))
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}
