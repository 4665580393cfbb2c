//! `riyada backup DIR` and `riyada restore DIR`, for the embedded SQLite database: a
//! consistent snapshot of the database taken while the portal runs (`VACUUM INTO`), every
//! document file the snapshot names, and a manifest of their SHA-256 sums written last, so a
//! backup without its manifest is an unfinished one. Restoring checks every sum before it
//! touches anything and refuses a data directory that already holds a portal unless told to
//! overwrite it. PostgreSQL and S3 have their own tools (`docs/deployment.md`).
use crate::uploads::storage::Storage;
use app::db::{Backend, Pool};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

pub const MANIFEST: &str = "manifest.json";
const FORMAT: &str = "riyada.backup.v1";
const DATABASE: &str = "riyada.db";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("backups are for the embedded SQLite database; for PostgreSQL use pg_dump (docs/deployment.md)")]
    NotSqlite,
    #[error("{0} is not empty: choose a new directory for the backup")]
    TargetNotEmpty(String),
    #[error("{0} already holds a portal (its database or documents); add --force to replace it")]
    DataNotEmpty(String),
    #[error("{0} has no manifest: not a backup, or one that did not finish")]
    NoManifest(String),
    #[error("{0} differs from the manifest (damaged or changed since the backup)")]
    Damaged(String),
    #[error("the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("document storage: {0}")]
    Storage(#[from] crate::uploads::storage::StorageError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the manifest does not read: {0}")]
    Manifest(#[from] serde_json::Error),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSum {
    /// Where the file is, relative to the backup directory.
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// Seconds since 1970 when the snapshot was taken.
    pub taken_at: i64,
    pub database: FileSum,
    /// Each document file, by its storage key (`path` is under `documents/`).
    pub documents: Vec<(String, FileSum)>,
}

fn is_empty_dir(dir: &Path) -> std::io::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

async fn sum_of(path: &Path) -> std::io::Result<(u64, String)> {
    use tokio::io::AsyncReadExt;
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// A storage key as a path under `documents/` of the backup. Keys are the portal's own
/// (`documents/<owner>/<random>`); anything that could climb out of the directory is refused.
fn document_path(key: &str) -> Option<String> {
    let safe = !key.is_empty()
        && key
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'));
    safe.then(|| format!("documents/{key}"))
}

/// Takes a backup of the running portal into `dir` (new or empty).
pub async fn backup(pool: &Pool, backend: Backend, storage: &Storage, dir: &Path) -> Result<Manifest, BackupError> {
    if backend != Backend::Sqlite {
        return Err(BackupError::NotSqlite);
    }
    if !is_empty_dir(dir)? {
        return Err(BackupError::TargetNotEmpty(dir.display().to_string()));
    }
    std::fs::create_dir_all(dir.join("documents"))?;
    let snapshot = dir.join(DATABASE);
    let taken_at = app::db::now();
    // One statement, one read transaction: the copy is the database as of one moment,
    // whatever the portal writes meanwhile.
    sqlx::query("VACUUM INTO $1")
        .bind(snapshot.display().to_string())
        .execute(pool)
        .await?;
    // The documents the snapshot names, read from the snapshot itself.
    let keys: Vec<(String,)> = {
        let url = format!("sqlite://{}?mode=ro", snapshot.display());
        let copy = sqlx::AnyPool::connect(&url).await?;
        let keys = sqlx::query_as("SELECT storage_key FROM documents ORDER BY id")
            .fetch_all(&copy)
            .await?;
        copy.close().await;
        keys
    };
    let mut documents = Vec::with_capacity(keys.len());
    for (key,) in keys {
        let relative = document_path(&key).ok_or_else(|| BackupError::Damaged(format!("storage key {key}")))?;
        let target = dir.join(&relative);
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let (_, mut stream) = storage.get_stream(&key).await?;
        let mut file = tokio::fs::File::create(&target).await?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(crate::uploads::storage::StorageError::from)?;
            size += chunk.len() as u64;
            hasher.update(&chunk);
            file.write_all(&chunk).await?;
        }
        file.sync_all().await?;
        documents.push((
            key,
            FileSum {
                path: relative,
                size,
                sha256: hex::encode(hasher.finalize()),
            },
        ));
    }
    let (size, sha256) = sum_of(&snapshot).await?;
    let manifest = Manifest {
        format: FORMAT.into(),
        taken_at,
        database: FileSum {
            path: DATABASE.into(),
            size,
            sha256,
        },
        documents,
    };
    // Written last and renamed into place: a manifest means a finished backup.
    let unfinished = dir.join(format!("{MANIFEST}.part"));
    tokio::fs::write(&unfinished, serde_json::to_vec_pretty(&manifest)?).await?;
    tokio::fs::rename(&unfinished, dir.join(MANIFEST)).await?;
    Ok(manifest)
}

/// Reads `dir`'s manifest and checks every file against it.
pub async fn verify(dir: &Path) -> Result<Manifest, BackupError> {
    let text = match tokio::fs::read(dir.join(MANIFEST)).await {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackupError::NoManifest(dir.display().to_string()))
        }
        Err(e) => return Err(e.into()),
    };
    let manifest: Manifest = serde_json::from_slice(&text)?;
    if manifest.format != FORMAT {
        return Err(BackupError::NoManifest(dir.display().to_string()));
    }
    let files = std::iter::once(&manifest.database).chain(manifest.documents.iter().map(|(_, sum)| sum));
    for sum in files {
        let safe = sum.path == DATABASE || sum.path.strip_prefix("documents/").and_then(document_path).is_some();
        if !safe {
            return Err(BackupError::Damaged(sum.path.clone()));
        }
        match sum_of(&dir.join(&sum.path)).await {
            Ok((size, sha256)) if size == sum.size && sha256 == sum.sha256 => {}
            _ => return Err(BackupError::Damaged(sum.path.clone())),
        }
    }
    Ok(manifest)
}

/// Puts a backup back: the database into `data_dir`, the documents into `storage`.
pub async fn restore(dir: &Path, data_dir: &Path, storage: &Storage, force: bool) -> Result<Manifest, BackupError> {
    let manifest = verify(dir).await?;
    let database = data_dir.join(DATABASE);
    let holds_portal = database.exists() || !storage.keys("documents").await?.is_empty();
    if holds_portal && !force {
        return Err(BackupError::DataNotEmpty(data_dir.display().to_string()));
    }
    std::fs::create_dir_all(data_dir)?;
    // The old database's journal must not be replayed over the restored one.
    for stale in [DATABASE, "riyada.db-wal", "riyada.db-shm"] {
        match std::fs::remove_file(data_dir.join(stale)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    if force {
        storage.delete_prefix("documents").await?;
        storage.delete_prefix("thumbs").await?;
    }
    let part: PathBuf = data_dir.join(format!("{DATABASE}.restoring"));
    tokio::fs::copy(dir.join(DATABASE), &part).await?;
    tokio::fs::File::open(&part).await?.sync_all().await?;
    for (key, sum) in &manifest.documents {
        storage.put_file(key, &dir.join(&sum.path)).await?;
    }
    // The database comes last: a portal started on a half-restored directory finds none.
    tokio::fs::rename(&part, &database).await?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::document_path;

    #[test]
    fn storage_keys_stay_inside_the_backup() {
        assert_eq!(
            document_path("documents/12/abc").as_deref(),
            Some("documents/documents/12/abc")
        );
        for bad in ["", "../etc/passwd", "documents/../../x", "a//b", "a\\..\\b", "./a"] {
            assert_eq!(document_path(bad), None, "{bad}");
        }
    }
}
