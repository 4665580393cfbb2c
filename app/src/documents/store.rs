//! Documents in the database (server only): the library, uploads under way, reviews and the
//! plan checklist. The bytes themselves live in the document storage of `server/`.
use super::{DocumentView, EarlierVersion, OpenUpload};
use crate::db::{now, Pool};
use crate::error::AppError;
use domain::documents::{DocumentStatus, DocumentType, FileKind};

type Tx<'a, 'b> = &'a mut sqlx::Transaction<'b, sqlx::Any>;

/// A document row as the library shows it.
#[derive(sqlx::FromRow)]
struct DocumentRow {
    id: i64,
    #[sqlx(try_from = "String")]
    doc_type: DocumentType,
    display_name: String,
    #[sqlx(try_from = "String")]
    kind: FileKind,
    size_bytes: i64,
    #[sqlx(try_from = "String")]
    status: DocumentStatus,
    reject_reason: Option<String>,
    created_at: i64,
    replaces_id: Option<i64>,
}

const DOCUMENT_COLUMNS: &str =
    "d.id, d.doc_type, d.display_name, d.kind, d.size_bytes, d.status, d.reject_reason, d.created_at, d.replaces_id";

impl DocumentRow {
    fn view(self) -> DocumentView {
        DocumentView {
            id: self.id,
            doc_type: self.doc_type,
            name: self.display_name,
            kind: self.kind,
            size: self.size_bytes.max(0) as u64,
            status: self.status,
            reason: self.reject_reason,
            created_at: self.created_at,
            earlier: Vec::new(),
        }
    }
}

/// An owner's current documents (not deleted, not replaced), newest first, each with the
/// versions it replaced.
pub async fn current_documents(pool: &Pool, owner_id: i64) -> Result<Vec<DocumentView>, AppError> {
    let rows: Vec<DocumentRow> = sqlx::query_as(&format!(
        "SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE d.owner_id = $1 AND d.deleted_at IS NULL ORDER BY d.id DESC"
    ))
    .bind(owner_id)
    .fetch_all(pool)
    .await?;
    let all: Vec<(Option<i64>, DocumentView)> = rows.into_iter().map(|r| (r.replaces_id, r.view())).collect();
    let replaced: std::collections::HashSet<i64> = all.iter().filter_map(|(r, _)| *r).collect();
    let by_id: std::collections::HashMap<i64, &(Option<i64>, DocumentView)> =
        all.iter().map(|entry| (entry.1.id, entry)).collect();
    let mut current = Vec::new();
    for (replaces, document) in all.iter().filter(|(_, d)| !replaced.contains(&d.id)) {
        let mut view = document.clone();
        let mut next = *replaces;
        // Follows the chain of versions (bounded, in case of a cycle in bad data).
        for _ in 0..50 {
            let Some(id) = next else { break };
            let Some((before, earlier)) = by_id.get(&id).copied() else {
                break;
            };
            view.earlier.push(EarlierVersion {
                id: earlier.id,
                name: earlier.name.clone(),
                status: earlier.status,
                reason: earlier.reason.clone(),
                created_at: earlier.created_at,
            });
            next = *before;
        }
        current.push(view);
    }
    Ok(current)
}

/// Bytes an owner occupies: documents kept (all versions), deleted ones whose file the sweep
/// has not removed yet, and uploads under way.
pub async fn used_bytes(pool: &Pool, owner_id: i64) -> Result<u64, AppError> {
    #[derive(sqlx::FromRow)]
    struct Usage {
        kept: i64,
        open: i64,
    }
    // PostgreSQL sums BIGINT as NUMERIC: cast back so both databases answer an integer.
    let usage: Usage = sqlx::query_as(
        "SELECT CAST(COALESCE((SELECT SUM(size_bytes) FROM documents WHERE owner_id = $1 AND purged_at IS NULL), 0) AS BIGINT) AS kept, \
                CAST(COALESCE((SELECT SUM(declared_size) FROM uploads WHERE owner_id = $1), 0) AS BIGINT) AS open",
    )
    .bind(owner_id)
    .fetch_one(pool)
    .await?;
    Ok((usage.kept + usage.open).max(0) as u64)
}

/// How many current documents an owner keeps (versions replaced by a newer one not counted).
pub async fn current_count(pool: &Pool, owner_id: i64) -> Result<i64, AppError> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM documents WHERE owner_id = $1 AND deleted_at IS NULL AND replaced_at IS NULL",
    )
    .bind(owner_id)
    .fetch_one(pool)
    .await?;
    Ok(count)
}

#[derive(sqlx::FromRow)]
struct OpenUploadRow {
    id: String,
    #[sqlx(try_from = "String")]
    doc_type: DocumentType,
    display_name: String,
    declared_size: i64,
    received: i64,
}

/// An owner's uploads under way, oldest first.
pub async fn open_uploads(pool: &Pool, owner_id: i64) -> Result<Vec<OpenUpload>, AppError> {
    let rows: Vec<OpenUploadRow> = sqlx::query_as(
        "SELECT id, doc_type, display_name, declared_size, received FROM uploads WHERE owner_id = $1 ORDER BY created_at",
    )
    .bind(owner_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OpenUpload {
            id: r.id,
            doc_type: r.doc_type,
            name: r.display_name,
            size: r.declared_size.max(0) as u64,
            received: r.received.max(0) as u64,
        })
        .collect())
}

/// A document that is not deleted, as the rules need it.
#[derive(sqlx::FromRow)]
pub struct DocumentState {
    pub owner_id: i64,
    #[sqlx(try_from = "String")]
    pub status: DocumentStatus,
    pub replaced_at: Option<i64>,
}

impl DocumentState {
    /// Not replaced by a newer version.
    pub fn is_current(&self) -> bool {
        self.replaced_at.is_none()
    }
}

pub async fn document_state(pool: &Pool, document_id: i64) -> Result<Option<DocumentState>, AppError> {
    Ok(
        sqlx::query_as("SELECT owner_id, status, replaced_at FROM documents WHERE id = $1 AND deleted_at IS NULL")
            .bind(document_id)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn mark_deleted(tx: Tx<'_, '_>, document_id: i64, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE documents SET deleted_at = $1 WHERE id = $2")
        .bind(at)
        .bind(document_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_review(
    tx: Tx<'_, '_>,
    document_id: i64,
    status: DocumentStatus,
    reason: Option<&str>,
    reviewer: i64,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE documents SET status = $1, reject_reason = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $5",
    )
    .bind(status.key())
    .bind(reason)
    .bind(reviewer)
    .bind(at)
    .bind(document_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The types every plan asks for, in the Fund's order.
pub async fn required_types(pool: &Pool) -> Result<Vec<DocumentType>, AppError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT doc_type FROM plan_required_documents ORDER BY sort_order, doc_type")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(key,)| DocumentType::from_key(&key))
        .collect())
}

pub async fn require_type(tx: Tx<'_, '_>, doc_type: DocumentType, position: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO plan_required_documents (doc_type, sort_order) VALUES ($1, $2) ON CONFLICT (doc_type) DO NOTHING",
    )
    .bind(doc_type.key())
    .bind(position)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn unrequire_type(tx: Tx<'_, '_>, doc_type: DocumentType) -> Result<(), AppError> {
    sqlx::query("DELETE FROM plan_required_documents WHERE doc_type = $1")
        .bind(doc_type.key())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many entrepreneurs' documents wait for the chamber (one chamber or, `None`, all).
pub async fn waiting_count(pool: &Pool, chamber: Option<i64>) -> Result<i64, AppError> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM documents d JOIN users u ON u.id = d.owner_id \
         WHERE d.status = $1 AND d.deleted_at IS NULL AND d.replaced_at IS NULL AND u.role = $2 \
         AND ($3 IS NULL OR u.chamber_id = $3)",
    )
    .bind(DocumentStatus::Uploaded.key())
    .bind(domain::roles::Role::Entrepreneur.key())
    .bind(chamber)
    .fetch_one(pool)
    .await?;
    Ok(count)
}

/// A document waiting for a decision, with its owner.
pub struct Waiting {
    pub owner_id: i64,
    pub owner_name: String,
    pub document: DocumentView,
}

#[derive(sqlx::FromRow)]
struct WaitingRow {
    owner_id: i64,
    owner_name: String,
    #[sqlx(flatten)]
    document: DocumentRow,
}

/// Entrepreneurs' documents waiting for the chamber, oldest first, of one chamber or
/// (`None`) of all; at most 200.
pub async fn waiting(pool: &Pool, chamber: Option<i64>) -> Result<Vec<Waiting>, AppError> {
    let rows: Vec<WaitingRow> = sqlx::query_as(&format!(
        "SELECT u.id AS owner_id, u.full_name AS owner_name, {DOCUMENT_COLUMNS} \
         FROM documents d JOIN users u ON u.id = d.owner_id \
         WHERE d.status = $1 AND d.deleted_at IS NULL AND d.replaced_at IS NULL AND u.role = $2 \
         AND ($3 IS NULL OR u.chamber_id = $3) ORDER BY d.created_at LIMIT 200"
    ))
    .bind(DocumentStatus::Uploaded.key())
    .bind(domain::roles::Role::Entrepreneur.key())
    .bind(chamber)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Waiting {
            owner_id: r.owner_id,
            owner_name: r.owner_name,
            document: r.document.view(),
        })
        .collect())
}

/// Document types an owner holds (uploaded or verified, not replaced or rejected).
pub async fn held_types(pool: &Pool, owner: i64) -> Result<Vec<DocumentType>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT doc_type FROM documents WHERE owner_id = $1 AND deleted_at IS NULL \
         AND replaced_at IS NULL AND status IN ($2, $3)",
    )
    .bind(owner)
    .bind(DocumentStatus::Uploaded.key())
    .bind(DocumentStatus::Verified.key())
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().filter_map(|(k,)| DocumentType::from_key(k)).collect())
}

/// Every document an owner uploaded (not deleted), oldest first, for the case timeline.
#[derive(sqlx::FromRow)]
pub struct DocumentHistory {
    #[sqlx(try_from = "String")]
    pub doc_type: DocumentType,
    #[sqlx(try_from = "String")]
    pub status: DocumentStatus,
    pub reject_reason: Option<String>,
    pub created_at: i64,
    pub reviewed_at: Option<i64>,
    pub replaced_at: Option<i64>,
}

pub async fn history_of(pool: &Pool, owner: i64) -> Result<Vec<DocumentHistory>, AppError> {
    Ok(sqlx::query_as(
        "SELECT doc_type, status, reject_reason, created_at, reviewed_at, replaced_at FROM documents \
         WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
    )
    .bind(owner)
    .fetch_all(pool)
    .await?)
}

// ---- Uploads ----

/// An upload under way, as stored.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UploadRow {
    pub id: String,
    pub owner_id: i64,
    #[sqlx(try_from = "String")]
    pub doc_type: DocumentType,
    #[sqlx(rename = "display_name")]
    pub name: String,
    #[sqlx(rename = "declared_size", try_from = "i64")]
    pub size: u64,
    pub sha256: String,
    #[sqlx(try_from = "i64")]
    pub received: u64,
    #[sqlx(rename = "replaces_id")]
    pub replaces: Option<i64>,
}

const UPLOAD_COLUMNS: &str = "id, owner_id, doc_type, display_name, declared_size, sha256, received, replaces_id";

/// The same file's unfinished upload by the same owner (same content hash and size).
pub async fn same_upload(pool: &Pool, owner: i64, sha256: &str, size: u64) -> Result<Option<UploadRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE owner_id = $1 AND sha256 = $2 AND declared_size = $3"
    ))
    .bind(owner)
    .bind(sha256)
    .bind(size as i64)
    .fetch_optional(pool)
    .await?)
}

/// Reserves room for an upload: in one transaction that holds the owner's row, checks that
/// what the owner occupies plus the upload stays within `quota`, and records the upload.
/// False (nothing recorded) when it would not fit. Parallel announcements queue on the
/// owner's row, so together they can never reserve more than the quota.
pub async fn reserve_upload(pool: &Pool, upload: &UploadRow, at: i64, quota: u64) -> Result<bool, AppError> {
    let mut tx = crate::db::begin(pool).await?;
    // A write to the owner's row: PostgreSQL locks that row, SQLite takes its write lock.
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(upload.owner_id)
        .execute(&mut *tx)
        .await?;
    let (used,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE((SELECT SUM(size_bytes) FROM documents WHERE owner_id = $1 AND purged_at IS NULL), 0) \
                + COALESCE((SELECT SUM(declared_size) FROM uploads WHERE owner_id = $1), 0) AS BIGINT)",
    )
    .bind(upload.owner_id)
    .fetch_one(&mut *tx)
    .await?;
    if (used.max(0) as u64).saturating_add(upload.size) > quota {
        return Ok(false);
    }
    insert_upload(&mut *tx, upload, at).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn insert_upload<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    upload: &UploadRow,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO uploads (id, owner_id, doc_type, display_name, declared_size, sha256, received, replaces_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&upload.id)
    .bind(upload.owner_id)
    .bind(upload.doc_type.key())
    .bind(&upload.name)
    .bind(upload.size as i64)
    .bind(&upload.sha256)
    .bind(upload.received as i64)
    .bind(upload.replaces)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// An owner's upload (none for anyone else's or an unknown id).
pub async fn upload_of(pool: &Pool, owner: i64, upload_id: &str) -> Result<Option<UploadRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = $1 AND owner_id = $2"
    ))
    .bind(upload_id)
    .bind(owner)
    .fetch_optional(pool)
    .await?)
}

/// Records that bytes up to `to` are stored; false when another request moved it first.
pub async fn advance_upload(pool: &Pool, upload_id: &str, from: u64, to: u64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE uploads SET received = $1, updated_at = $2 WHERE id = $3 AND received = $4")
        .bind(to as i64)
        .bind(now())
        .bind(upload_id)
        .bind(from as i64)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn drop_upload(pool: &Pool, upload_id: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM uploads WHERE id = $1")
        .bind(upload_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Uploads untouched since `before` (their chunks are removed by the caller).
/// A deleted document whose file is still in storage.
#[derive(sqlx::FromRow)]
pub struct DeletedFile {
    pub id: i64,
    pub storage_key: String,
}

/// Deleted documents whose files the sweep has not removed yet (at most `limit`).
pub async fn files_to_purge(pool: &Pool, limit: i64) -> Result<Vec<DeletedFile>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, storage_key FROM documents WHERE purged_at IS NULL AND deleted_at IS NOT NULL ORDER BY id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Records that a deleted document's file left storage (its room is free again).
pub async fn mark_purged(pool: &Pool, id: i64, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE documents SET purged_at = $1 WHERE id = $2 AND deleted_at IS NOT NULL")
        .bind(at)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn idle_uploads(pool: &Pool, before: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id FROM uploads WHERE updated_at < $1")
        .bind(before)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Claims a finished upload: of two requests finishing the same upload, one makes the
/// document (true), the other finds it gone.
pub async fn claim_upload(tx: Tx<'_, '_>, upload_id: &str) -> Result<bool, AppError> {
    let claimed = sqlx::query("DELETE FROM uploads WHERE id = $1")
        .bind(upload_id)
        .execute(&mut **tx)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

/// A checked, stored file ready to become a document.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub storage_key: String,
    pub kind: FileKind,
    pub size: u64,
    pub sha256: String,
    pub name: String,
}

/// The new document an upload becomes; returns its id.
pub async fn insert_document(tx: Tx<'_, '_>, upload: &UploadRow, file: &StoredFile, at: i64) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO documents (owner_id, doc_type, display_name, kind, size_bytes, sha256, storage_key, status, replaces_id, created_at, source_upload, owner_chamber_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, (SELECT u.chamber_id FROM users u WHERE u.id = $1)) RETURNING id",
    )
    .bind(upload.owner_id)
    .bind(upload.doc_type.key())
    .bind(&file.name)
    .bind(file.kind.key())
    .bind(file.size as i64)
    .bind(&file.sha256)
    .bind(&file.storage_key)
    .bind(DocumentStatus::Uploaded.key())
    .bind(upload.replaces)
    .bind(at)
    .bind(&upload.id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Marks the version a new one replaces.
pub async fn mark_replaced(tx: Tx<'_, '_>, document_id: i64, owner: i64, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE documents SET replaced_at = $1 WHERE id = $2 AND owner_id = $3 AND replaced_at IS NULL")
        .bind(at)
        .bind(document_id)
        .bind(owner)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The document an upload of `owner` became, if it finished (its row is gone by then).
pub async fn document_from_upload(pool: &Pool, owner: i64, upload_id: &str) -> Result<Option<DocumentView>, AppError> {
    let row: Option<DocumentRow> = sqlx::query_as(&format!(
        "SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE d.source_upload = $1 AND d.owner_id = $2 AND d.deleted_at IS NULL"
    ))
    .bind(upload_id)
    .bind(owner)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(DocumentRow::view))
}

/// Where a document's file is kept, and how it is named and read.
#[derive(sqlx::FromRow)]
pub struct FileRow {
    pub owner_id: i64,
    pub storage_key: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub kind: FileKind,
}

pub async fn file_of(pool: &Pool, document_id: i64) -> Result<Option<FileRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT owner_id, storage_key, display_name, kind FROM documents WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(document_id)
    .fetch_optional(pool)
    .await?)
}
