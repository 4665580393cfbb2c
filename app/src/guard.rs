//! The request behind every server function (server only): its state and session, who is
//! signed in and what they may do, the HTTP status of an error answer, and the form drafts
//! that keep what was typed when a plain form post fails.
use crate::db::{now, Pool};
use crate::error::{internal, is_form_post, set_status, AppError, DONE_PARAM};
use crate::session_store::USER_KEY;
use crate::state::AppState;
use domain::roles::{Actor, ChamberId, Role, UserId};
use leptos::prelude::*;
use serde::Serialize;
use tower_sessions::Session;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("the application state is missing from the request");
        AppError::Internal
    })
}

pub fn pool() -> Result<Pool, AppError> {
    state().map(|s| s.pool)
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(internal("the session layer is missing"))
}

/// Sets the HTTP status for an error answer (API callers and tests see 401/403/422…). A
/// plain form post that succeeded goes back to its page marked done (see [`mark_done`]).
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    match &result {
        Err(error) => set_status(error.status()),
        Ok(_) if is_form_post() => mark_done(),
        Ok(_) => {}
    }
    result
}

/// After a plain form post succeeded (JavaScript off, or a page whose forms are server
/// HTML), sends the reader back to the page the form was on with `done=<server function>`
/// in its address, so that the page, drawn again on the server, says that it worked
/// (`components::form::succeeded`). A server function that sends the reader elsewhere keeps
/// its own address.
fn mark_done() {
    use http::header::{LOCATION, REFERER};
    let (Some(parts), Some(answer)) = (
        use_context::<http::request::Parts>(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    // Only the post itself: a page drawn on the server calls server functions too, under
    // the page's own request.
    if parts.method != http::Method::POST || !parts.uri.path().starts_with("/api/") {
        return;
    }
    let elsewhere = answer
        .0
        .read()
        .map(|a| a.headers.contains_key(LOCATION))
        .unwrap_or(true);
    let referer = parts.headers.get(REFERER).and_then(|v| v.to_str().ok());
    let Some(back) = referer.and_then(|r| r.parse::<http::Uri>().ok()) else {
        return;
    };
    if elsewhere {
        return;
    }
    let Some(location) = done_location(&back, parts.uri.path()) else {
        return;
    };
    match http::HeaderValue::from_str(&location) {
        Ok(value) => {
            answer.insert_header(LOCATION, value);
            answer.set_status(http::StatusCode::FOUND);
        }
        Err(error) => tracing::warn!(%error, "a form's page could not be marked done"),
    }
}

/// The parameters that carry the error of an earlier plain form post (server_fn's
/// `ServerFnUrlError`): a success that follows clears them.
const ERROR_PARAMS: [&str; 2] = ["__path", "__err"];

/// `back` (the form's page) with its `done` parameter naming `server_fn`, its own parameters
/// kept and an earlier error's dropped; `None` for an address without a path.
pub fn done_location(back: &http::Uri, server_fn: &str) -> Option<String> {
    let path = back.path();
    if !path.starts_with('/') {
        return None;
    }
    let mut query: Vec<&str> = back
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && name != DONE_PARAM && !ERROR_PARAMS.contains(&name)
        })
        .collect();
    let done = format!("{DONE_PARAM}={server_fn}");
    query.push(&done);
    Some(format!("{path}?{}", query.join("&")))
}

/// What a person typed into a form that failed, kept for the page shown after the redirect
/// when JavaScript is off (passwords are never kept).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct FormDraft {
    pub path: String,
    pub values: Vec<(String, String)>,
}

const DRAFT_KEY: &str = "form_draft";
/// The longest value kept of one field.
const DRAFT_VALUE_MAX: usize = 1000;
/// A visitor who is not signed in keeps her draft in this cookie, in her own browser: a
/// failed sign-in or registration then writes nothing on the server (otherwise every such
/// post from a script would leave a session row behind).
pub const DRAFT_COOKIE: &str = "riyada_form";
/// Long enough to read the error and fix the form.
const DRAFT_COOKIE_SECS: u32 = 600;
/// Browsers keep cookies up to about 4 KB; a draft larger than this is not kept.
const DRAFT_COOKIE_MAX: usize = 3500;

impl FormDraft {
    fn to_cookie(&self) -> Option<String> {
        use base64::Engine;
        let json = serde_json::to_vec(self).ok()?;
        let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        (value.len() <= DRAFT_COOKIE_MAX)
            .then(|| format!("{DRAFT_COOKIE}={value}; Path=/; Max-Age={DRAFT_COOKIE_SECS}; HttpOnly; SameSite=Lax"))
    }

    fn from_cookie(value: &str) -> Option<FormDraft> {
        use base64::Engine;
        if value.len() > DRAFT_COOKIE_MAX {
            return None;
        }
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(value).ok()?;
        serde_json::from_slice(&json).ok()
    }
}

/// The draft cookie this request carries, if any.
fn draft_in_cookie() -> Option<FormDraft> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(DRAFT_COOKIE)?.strip_prefix('='))
        .and_then(FormDraft::from_cookie)
}

fn set_draft_cookie(cookie: &str) {
    let secure = use_context::<AppState>().is_some_and(|state| state.secure_cookies);
    let cookie = if secure {
        format!("{cookie}; Secure")
    } else {
        cookie.to_string()
    };
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The text fields of a server function's input, named as its form names them
/// (`input[full_name]` when the argument is called `input`), passwords left out.
pub fn kept_fields<T: Serialize>(argument: &str, input: &T) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(input) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .filter(|(name, _)| !name.contains("password"))
        .filter_map(|(name, value)| match value {
            serde_json::Value::String(text) => Some((format!("{argument}[{name}]"), text)),
            _ => None,
        })
        .collect()
}

/// Fields to keep, named as the form names them.
pub fn kept(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// Like [`respond`], and for a plain form post also keeps (on error) or forgets (on
/// success) what was typed, so nothing is lost when the page comes back with the error.
pub async fn respond_form<T>(
    path: &str,
    values: Vec<(String, String)>,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    if is_form_post() {
        if let Ok(session) = session().await {
            let signed_in = matches!(session.get::<i64>(USER_KEY).await, Ok(Some(_)));
            let stored = match &result {
                Err(_) => {
                    let values = values
                        .into_iter()
                        .map(|(name, value)| (name, value.chars().take(DRAFT_VALUE_MAX).collect()))
                        .collect();
                    let draft = FormDraft {
                        path: path.to_string(),
                        values,
                    };
                    if signed_in {
                        session.insert(DRAFT_KEY, draft).await
                    } else {
                        match draft.to_cookie() {
                            Some(cookie) => set_draft_cookie(&cookie),
                            None => tracing::info!(path, "a form draft too large for its cookie was not kept"),
                        }
                        Ok(())
                    }
                }
                Ok(_) => {
                    if draft_in_cookie().is_some() {
                        set_draft_cookie(&format!("{DRAFT_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"));
                    }
                    if signed_in {
                        session.remove::<FormDraft>(DRAFT_KEY).await.map(|_| ())
                    } else {
                        Ok(())
                    }
                }
            };
            // The answer itself still goes out; only the convenience of a refilled form is lost.
            if let Err(error) = stored {
                tracing::warn!(%error, "keeping the form draft failed");
            }
        }
    }
    respond(result)
}

/// The kept values of the last failed plain form post to `path`, if any.
pub async fn form_draft(path: &str) -> Result<Vec<(String, String)>, AppError> {
    if let Some(draft) = draft_in_cookie().filter(|d| d.path == path) {
        return Ok(draft.values);
    }
    let session = session().await?;
    let draft = session
        .get::<FormDraft>(DRAFT_KEY)
        .await
        .map_err(internal("reading the form draft failed"))?;
    Ok(draft.filter(|d| d.path == path).map(|d| d.values).unwrap_or_default())
}

/// The signed-in, active account, if any. A session whose account was deactivated is ended.
pub async fn current_actor() -> Result<Option<Actor>, AppError> {
    actor_of(&pool()?, &session().await?).await
}

/// An account as the guard reads it.
#[derive(sqlx::FromRow)]
struct AccountRow {
    #[sqlx(try_from = "String")]
    role: Role,
    chamber_id: Option<i64>,
    is_active: i64,
}

/// The active account behind `session`, if any (also for routes outside server functions).
pub async fn actor_of(pool: &Pool, session: &Session) -> Result<Option<Actor>, AppError> {
    let Some(user_id) = session
        .get::<i64>(USER_KEY)
        .await
        .map_err(internal("reading the session failed"))?
    else {
        return Ok(None);
    };
    let row: Option<AccountRow> = sqlx::query_as("SELECT role, chamber_id, is_active FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await?;
    match row {
        Some(account) if account.is_active == 1 => {
            if !keep_alive(session).await? {
                return Ok(None);
            }
            Ok(Some(Actor {
                id: UserId(user_id),
                role: account.role,
                chamber: account.chamber_id.map(ChamberId),
            }))
        }
        _ => {
            if let Err(error) = session.flush().await {
                tracing::warn!(%error, "ending the session of an inactive account failed");
            }
            Ok(None)
        }
    }
}

/// The session's two clocks. Past its absolute limit it ends (`false`). Otherwise, when it
/// was last renewed a while ago, it is renewed: writing to it makes the session layer store
/// it again with a fresh idle timeout, so the timeout counts from the last use, not from
/// signing in.
async fn keep_alive(session: &Session) -> Result<bool, AppError> {
    use crate::session_store::{RENEWED_KEY, RENEW_EVERY_SECS, SESSION_MAX_SECS, SIGNED_IN_KEY};
    let at = now();
    let read = |key: &'static str| async move {
        session
            .get::<i64>(key)
            .await
            .map_err(internal("reading the session failed"))
    };
    let signed_in_at = match read(SIGNED_IN_KEY).await? {
        Some(at) => at,
        // Sessions from before the limit existed start counting now.
        None => {
            session
                .insert(SIGNED_IN_KEY, at)
                .await
                .map_err(internal("storing the sign-in time failed"))?;
            at
        }
    };
    if at - signed_in_at > SESSION_MAX_SECS {
        if let Err(error) = session.flush().await {
            tracing::warn!(%error, "ending a session past its limit failed");
        }
        return Ok(false);
    }
    if read(RENEWED_KEY)
        .await?
        .is_none_or(|renewed| at - renewed >= RENEW_EVERY_SECS)
    {
        session
            .insert(RENEWED_KEY, at)
            .await
            .map_err(internal("renewing the session failed"))?;
    }
    Ok(true)
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

/// The signed-in account behind a session, for the file routes outside server functions.
pub async fn actor_of_session(pool: &Pool, session: &Session) -> Result<Actor, AppError> {
    actor_of(pool, session).await?.ok_or(AppError::Unauthenticated)
}
