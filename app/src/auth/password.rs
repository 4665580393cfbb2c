//! argon2id password hashing, off the async runtime (it is deliberately slow).
use crate::error::{internal, AppError};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

/// Password hashes computed at once. Each takes about 19 MiB and a core for a moment; a
/// burst of sign-ins or registrations waits its turn instead of starving every request.
static HASHING_SLOTS: Semaphore = Semaphore::const_new(2);

async fn slot() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    HASHING_SLOTS
        .acquire()
        .await
        .map_err(internal("the password hashing slots are closed"))
}

pub async fn hash(password: String) -> Result<String, AppError> {
    let _slot = slot().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(internal("hashing a password failed"))
    })
    .await
    .map_err(internal("the password hashing task failed"))?
}

/// A valid hash of a random password, verified against when the account does not exist so
/// that an unknown account takes as long to refuse as a wrong password.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Lq0ujZyGgGx1zvQ8/mz+P9d+vMjy8s3CEzOaAmQb3Fo";

pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    let _slot = slot().await?;
    tokio::task::spawn_blocking(move || {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| DECOY_HASH.to_string());
        let parsed = PasswordHash::new(&stored).map_err(internal("a stored password hash does not read"))?;
        let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(exists && matches)
    })
    .await
    .map_err(internal("the password checking task failed"))?
}
