//! The audit log (server only): who did what to which object, written inside the
//! transaction of the step it records, so that both are kept or neither is.
use crate::db::now;
use crate::error::AppError;
use domain::audit::{AuditAction, AuditObject};
use domain::roles::UserId;

/// Records one step: `actor` did `action` to the `object` with this id; `detail` says what
/// changed (a state moved, a type chosen), never personal data beyond what the row names.
pub async fn record<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    actor: Option<UserId>,
    action: AuditAction,
    object: AuditObject,
    object_id: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, object_type, object_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor.map(|a| a.0))
    .bind(action.key())
    .bind(object.key())
    .bind(object_id)
    .bind(detail)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}
