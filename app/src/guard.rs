//! Server-side identity and authorisation helpers used by every server function.
use super::session_store::USER_KEY;
use crate::db::Pool;
use crate::domain::roles::{Actor, ChamberId, Role, UserId};
use crate::error::AppError;
use crate::state::AppState;
use leptos::prelude::*;
use tower_sessions::Session;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or(AppError::Internal)
}

pub fn pool() -> Result<Pool, AppError> {
    state().map(|s| s.pool)
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|_| AppError::Internal)
}

/// Was this request a plain HTML form post (JavaScript off)? Then the framework answers with
/// a redirect back to the form carrying the error, and the status must stay 302.
fn is_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Sets the HTTP status for an error answer (API callers and tests see 401/403/422…).
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        if !is_form_post() {
            if let (Some(options), Ok(status)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::StatusCode::from_u16(error.status()),
            ) {
                options.set_status(status);
            }
        }
    }
    result
}

/// What a person typed into a form that failed, kept for the page shown after the redirect
/// when JavaScript is off (passwords are never kept).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct FormDraft {
    pub path: String,
    pub values: Vec<(String, String)>,
}

const DRAFT_KEY: &str = "form_draft";

/// Like [`respond`], and for a plain form post also keeps (on error) or forgets (on
/// success) what was typed, so nothing is lost when the page comes back with the error.
pub async fn respond_form<T>(
    path: &str,
    values: Vec<(&'static str, String)>,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    if is_form_post() {
        if let Ok(session) = session().await {
            let _ = match &result {
                Err(_) => {
                    let values = values
                        .into_iter()
                        .map(|(name, value)| (name.to_string(), value.chars().take(1000).collect()))
                        .collect();
                    session
                        .insert(
                            DRAFT_KEY,
                            FormDraft {
                                path: path.to_string(),
                                values,
                            },
                        )
                        .await
                }
                Ok(_) => session.remove::<FormDraft>(DRAFT_KEY).await.map(|_| ()),
            };
        }
    }
    respond(result)
}

/// The kept values of the last failed plain form post to `path`, if any.
pub async fn form_draft(path: &str) -> Result<Vec<(String, String)>, AppError> {
    let session = session().await?;
    let draft = session
        .get::<FormDraft>(DRAFT_KEY)
        .await
        .map_err(|_| AppError::Internal)?;
    Ok(draft.filter(|d| d.path == path).map(|d| d.values).unwrap_or_default())
}

/// The signed-in, active account, if any. A session whose account was deactivated is ended.
pub async fn current_actor() -> Result<Option<Actor>, AppError> {
    actor_of(&pool()?, &session().await?).await
}

/// The active account behind `session`, if any (also for routes outside server functions).
pub async fn actor_of(pool: &Pool, session: &Session) -> Result<Option<Actor>, AppError> {
    let Some(user_id) = session.get::<i64>(USER_KEY).await.map_err(|_| AppError::Internal)? else {
        return Ok(None);
    };
    let row: Option<(String, Option<i64>, i64)> =
        sqlx::query_as("SELECT role, chamber_id, is_active FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    match row {
        Some((role, chamber, 1)) => match Role::from_key(&role) {
            Some(role) => Ok(Some(Actor {
                id: UserId(user_id),
                role,
                chamber: chamber.map(ChamberId),
            })),
            None => Err(AppError::Internal),
        },
        _ => {
            let _ = session.flush().await;
            Ok(None)
        }
    }
}

pub async fn require_actor() -> Result<Actor, AppError> {
    current_actor().await?.ok_or(AppError::Unauthenticated)
}

/// Requires one of `roles`; anyone else gets 403 (or 401 when not signed in).
pub async fn require_role(roles: &[Role]) -> Result<Actor, AppError> {
    let actor = require_actor().await?;
    if roles.contains(&actor.role) {
        Ok(actor)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Writes one audit row: who did what to which object.
pub async fn audit(
    pool: &Pool,
    actor: Option<UserId>,
    action: &str,
    object_type: &str,
    object_id: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, object_type, object_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor.map(|a| a.0))
    .bind(action)
    .bind(object_type)
    .bind(object_id)
    .bind(detail)
    .bind(crate::db::now())
    .execute(pool)
    .await?;
    Ok(())
}
