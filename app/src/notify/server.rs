//! What the notification server functions do (server only), and `notify`, which every area
//! calls inside the transaction of a step to tell someone about it.
use super::store::{self, About, MailKind};
use super::{Inbox, Notification, Topic};
use crate::db::now;
use crate::error::AppError;
use crate::guard::{current_actor, pool, require_actor, state};
use crate::lang::locale_of;

/// Writes one notification inside the transaction of the step it tells about, so the two
/// are stored together or not at all; its e-mail and SMS copies go into their outboxes in
/// the same transaction, in the reader's language, for the channels she chose and the
/// server has.
pub async fn notify(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    topic: Topic,
    about: About,
    message: Option<&str>,
    at: i64,
) -> Result<(), AppError> {
    store::insert_notification(tx, user_id, topic, about, message, at).await?;
    let Ok(state) = state() else {
        return Ok(());
    };
    if state.mail.is_none() && state.sms.is_none() {
        return Ok(());
    }
    let subject = store::subject(tx, about).await?;
    let notification = Notification {
        id: 0,
        topic,
        plan_id: about.plan,
        document_type: subject.document_type(),
        service_name: subject.service_name(),
        plan_title: subject.plan_title,
        request_id: about.request,
        message: message.map(str::to_string),
        created_at: at,
        read: false,
    };
    if let Some(mail) = &state.mail {
        email_copy(tx, user_id, &notification, &mail.public_url, at).await?;
    }
    if let Some(sms) = &state.sms {
        sms_copy(tx, state.backend, sms, user_id, &notification, at).await?;
    }
    Ok(())
}

async fn email_copy(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    notification: &Notification,
    public_url: &str,
    at: i64,
) -> Result<(), AppError> {
    let Some(person) = store::recipient(tx, user_id).await? else {
        return Ok(());
    };
    let (Some(address), 1) = (person.email.clone(), person.email_notifications) else {
        return Ok(());
    };
    let email =
        super::email::notification_email(locale_of(&person.locale), &person.full_name, notification, public_url);
    store::enqueue(tx, Some(user_id), &address, MailKind::Notification, &email, at).await
}

/// The SMS copy, unless SMS is off for her, she has no usable (or, where the server asks
/// for it, confirmed) number, or a daily cap is
/// reached (then the refusal is recorded and the step goes on: the in-app notification and
/// the e-mail still tell her).
async fn sms_copy(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: crate::db::Backend,
    settings: &crate::state::SmsSettings,
    user_id: i64,
    notification: &Notification,
    at: i64,
) -> Result<(), AppError> {
    let Some(person) = store::sms_recipient(tx, user_id).await? else {
        return Ok(());
    };
    let (Some(phone), 1) = (person.phone.as_deref(), person.sms_notifications) else {
        return Ok(());
    };
    if settings.verify_phones && person.phone_verified_at.is_none() {
        return Ok(());
    }
    let Ok(number) = domain::sms::international(phone) else {
        return Ok(());
    };
    let body = super::sms::notification_sms(locale_of(&person.locale), notification, &settings.public_url);
    let outgoing = store::OutgoingSms {
        user_id: Some(user_id),
        chamber_id: person.chamber_id,
        kind: store::SmsKind::Notification,
        to_number: &number,
        body: &body,
    };
    if let Err(reached) = store::queue_sms(tx, backend, settings.caps, &outgoing, at).await? {
        tracing::warn!(
            user_id,
            cap = reached.key(),
            "SMS notification held back by a daily cap"
        );
    }
    Ok(())
}

pub async fn list() -> Result<Inbox, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    Ok(Inbox {
        items: store::notifications_of(&pool, actor.id.0).await?,
        unread: store::count_unread(&pool, actor.id.0).await?,
    })
}

pub async fn unread() -> Result<i64, AppError> {
    match current_actor().await? {
        Some(actor) => store::count_unread(&pool()?, actor.id.0).await,
        None => Ok(0),
    }
}

pub async fn mark_read(notification_id: i64) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    if notification_id == 0 {
        return store::mark_all_read(&pool, actor.id.0, now()).await;
    }
    // Someone else's notification is not found, as if it did not exist.
    if !store::mark_read(&pool, actor.id.0, notification_id, now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
