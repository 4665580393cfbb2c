//! tower-sessions store on the application's own pool (SQLite or PostgreSQL). It keeps the
//! signed-in user's id in its own column so that deactivating an account or changing a
//! password can end that person's sessions on the server.
use crate::db::{now, Pool};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

pub const USER_KEY: &str = "user_id";
/// When the person signed in (seconds): a session ends [`SESSION_MAX_SECS`] after it,
/// however busy.
pub const SIGNED_IN_KEY: &str = "signed_in_at";
/// When the session was last renewed: its idle timeout starts again from each renewal.
pub const RENEWED_KEY: &str = "renewed_at";
/// The longest a sign-in lasts, in use or not: a shared office computer left signed in
/// asks again the next day.
pub const SESSION_MAX_SECS: i64 = 12 * 3600;
/// A session in use is renewed at most this often (each renewal is a write).
pub const RENEW_EVERY_SECS: i64 = 5 * 60;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    pool: Pool,
}

impl DbSessionStore {
    pub fn new(pool: Pool) -> Self {
        DbSessionStore { pool }
    }

    /// Removes expired sessions; called periodically by the server.
    pub async fn delete_expired(&self) -> std::result::Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

fn backend(error: sqlx::Error) -> Error {
    Error::Backend(error.to_string())
}

fn parts(record: &Record) -> Result<(String, Option<i64>, String, i64)> {
    let data = serde_json::to_string(record).map_err(|e| Error::Encode(e.to_string()))?;
    let user = record.data.get(USER_KEY).and_then(|v| v.as_i64());
    Ok((record.id.to_string(), user, data, record.expiry_date.unix_timestamp()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let (id, user, data, expires) = parts(record)?;
            let done = sqlx::query(
                "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(user)
            .bind(data)
            .bind(expires)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
            if done.rows_affected() == 1 {
                return Ok(());
            }
            // An id collision is astronomically unlikely, but never hand out someone's session.
            record.id = Id::default();
        }
    }

    /// Writes back a session that was loaded from the store (new ones go through `create`).
    /// An update only, never an insert: a session ended while a request held it (a password
    /// change, a deactivation, signing out elsewhere) stays ended, whatever that request
    /// writes at its end.
    async fn save(&self, record: &Record) -> Result<()> {
        let (id, user, data, expires) = parts(record)?;
        sqlx::query("UPDATE sessions SET user_id = $1, data = $2, expires_at = $3 WHERE id = $4")
            .bind(user)
            .bind(data)
            .bind(expires)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id.to_string())
            .bind(now())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        match row {
            Some((data,)) => serde_json::from_str(&data)
                .map(Some)
                .map_err(|e| Error::Decode(e.to_string())),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Ends every session of a user, e.g. on deactivation or a password change.
pub async fn end_sessions_of(pool: &Pool, user: i64) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(pool)
        .await?;
    Ok(())
}
