//! Notifications in the database (server only).
use super::{Inbox, Notification, Topic};
use crate::auth::guard::{current_actor, pool, require_actor};
use crate::db::now;
use crate::documents::domain::DocumentType;
use crate::error::AppError;

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

/// Writes one notification inside the transaction of the step it tells about, so the two
/// are stored together or not at all.
pub async fn notify(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    topic: Topic,
    about: About,
    message: Option<&str>,
    at: i64,
) -> Result<(), AppError> {
    let About {
        plan: plan_id,
        document: document_id,
        request: request_id,
    } = about;
    let (topic, action) = topic.keys();
    sqlx::query(
        "INSERT INTO notifications (user_id, topic, action, plan_id, document_id, service_request_id, message, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(user_id)
    .bind(topic)
    .bind(action)
    .bind(plan_id)
    .bind(document_id)
    .bind(request_id)
    .bind(message)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    let Some(mail) = crate::auth::guard::state().ok().and_then(|s| s.mail) else {
        return Ok(());
    };
    // The e-mail copy goes into the outbox in the same transaction, in the reader's language,
    // unless the person turned e-mail off or has no address.
    let person: Option<(String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT full_name, email, locale, email_notifications FROM users WHERE id = $1 AND is_active = 1",
    )
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((name, Some(address), locale, 1)) = person else {
        return Ok(());
    };
    let plan_title: Option<(String,)> = match plan_id {
        Some(plan) => {
            sqlx::query_as("SELECT title FROM plans WHERE id = $1")
                .bind(plan)
                .fetch_optional(&mut **tx)
                .await?
        }
        None => None,
    };
    let doc_type: Option<(String,)> = match document_id {
        Some(document) => {
            sqlx::query_as("SELECT doc_type FROM documents WHERE id = $1")
                .bind(document)
                .fetch_optional(&mut **tx)
                .await?
        }
        None => None,
    };
    let service_name: Option<(String, String)> = match request_id {
        Some(request) => sqlx::query_as(
            "SELECT s.name_ar, s.name_en FROM service_requests r JOIN services s ON s.id = r.service_id WHERE r.id = $1",
        )
        .bind(request)
        .fetch_optional(&mut **tx)
        .await?,
        None => None,
    };
    let notification = Notification {
        id: 0,
        topic: Topic::from_keys(topic, action).ok_or(AppError::Internal)?,
        plan_id,
        plan_title: plan_title.map(|(t,)| t),
        document_type: doc_type.and_then(|(d,)| DocumentType::from_key(&d)),
        request_id,
        service_name,
        message: message.map(str::to_string),
        created_at: at,
        read: false,
    };
    let email = super::email::notification_email(locale_of(&locale), &name, &notification, &mail.public_url);
    super::outbox::enqueue(
        tx,
        Some(user_id),
        &address,
        super::outbox::MailKind::Notification,
        &email,
        at,
    )
    .await
}

/// A stored language key as a locale; Arabic unless English was chosen.
pub fn locale_of(key: &str) -> crate::i18n::Locale {
    if key == "en" {
        crate::i18n::Locale::en
    } else {
        crate::i18n::Locale::ar
    }
}

pub async fn list() -> Result<Inbox, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    type Row = (
        i64,
        String,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        Option<i64>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT n.id, n.topic, n.action, n.plan_id, p.title, d.doc_type, n.service_request_id, s.name_ar, s.name_en, \
                n.message, n.created_at, n.read_at \
         FROM notifications n LEFT JOIN plans p ON p.id = n.plan_id LEFT JOIN documents d ON d.id = n.document_id \
         LEFT JOIN service_requests r ON r.id = n.service_request_id LEFT JOIN services s ON s.id = r.service_id \
         WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT 100",
    )
    .bind(actor.id.0)
    .fetch_all(&pool)
    .await?;
    let items = rows
        .into_iter()
        .filter_map(
            |(
                id,
                topic,
                action,
                plan_id,
                plan_title,
                doc_type,
                request_id,
                name_ar,
                name_en,
                message,
                created_at,
                read_at,
            )| {
                Some(Notification {
                    id,
                    topic: Topic::from_keys(&topic, &action)?,
                    plan_id,
                    plan_title,
                    document_type: doc_type.as_deref().and_then(DocumentType::from_key),
                    request_id,
                    service_name: name_ar.zip(name_en),
                    message,
                    created_at,
                    read: read_at.is_some(),
                })
            },
        )
        .collect();
    Ok(Inbox {
        items,
        unread: count_unread(&pool, actor.id.0).await?,
    })
}

async fn count_unread(pool: &crate::db::Pool, user_id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(pool)
        .await?;
    Ok(n)
}

pub async fn unread() -> Result<i64, AppError> {
    match current_actor().await? {
        Some(actor) => count_unread(&pool()?, actor.id.0).await,
        None => Ok(0),
    }
}

pub async fn mark_read(notification_id: i64) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    if notification_id == 0 {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now())
            .bind(actor.id.0)
            .execute(&pool)
            .await?;
        return Ok(());
    }
    // Someone else's notification is not found, as if it did not exist.
    let done = sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3")
        .bind(now())
        .bind(notification_id)
        .bind(actor.id.0)
        .execute(&pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
