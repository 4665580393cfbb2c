//! Documents in the database (server only): the library, uploads under way, reviews and the
//! plan checklist. The bytes themselves live in the document storage of `server/`.
use super::domain::{
    can_read_documents, can_review_documents, check_room, checklist_state, is_sha256_hex, DocumentStatus, DocumentType,
    FileKind, FileProblem, DOCUMENTS_MAX, REASON_MAX, REASON_MIN,
};
use super::{
    ChecklistItem, DocumentChecklist, DocumentLimits, DocumentView, EarlierVersion, Library, OpenUpload,
    OwnerDocuments, QueueItem, UploadStart,
};
use crate::auth::guard::{audit, pool, require_actor, require_role, state};
use crate::db::{now, Pool};
use crate::domain::roles::{AccountRef, Actor, ChamberId, Role, UserId};
use crate::domain::validation::{bounded_text, Field, FieldError};
use crate::error::AppError;

type DocRow = (
    i64,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    i64,
    Option<i64>,
);
const DOC_COLUMNS: &str =
    "id, doc_type, display_name, kind, size_bytes, status, reject_reason, created_at, replaces_id";

fn view_of(row: DocRow) -> Result<(DocumentView, Option<i64>), AppError> {
    let (id, doc_type, name, kind, size, status, reason, created_at, replaces) = row;
    Ok((
        DocumentView {
            id,
            doc_type: DocumentType::from_key(&doc_type).ok_or(AppError::Internal)?,
            name,
            kind: FileKind::from_key(&kind).ok_or(AppError::Internal)?,
            size: size.max(0) as u64,
            status: DocumentStatus::from_key(&status).ok_or(AppError::Internal)?,
            reason,
            created_at,
            earlier: Vec::new(),
        },
        replaces,
    ))
}

/// The account behind an owner id, for the read and review rules.
pub async fn owner_ref(pool: &Pool, owner_id: i64) -> Result<Option<(AccountRef, String)>, AppError> {
    let row: Option<(String, Option<i64>, String)> =
        sqlx::query_as("SELECT role, chamber_id, full_name FROM users WHERE id = $1")
            .bind(owner_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(role, chamber, name)| {
        Role::from_key(&role).map(|role| {
            (
                AccountRef {
                    id: UserId(owner_id),
                    role,
                    chamber: chamber.map(ChamberId),
                },
                name,
            )
        })
    }))
}

/// An owner's current documents (not deleted, not replaced), newest first, each with the
/// versions it replaced.
pub async fn current_documents(pool: &Pool, owner_id: i64) -> Result<Vec<DocumentView>, AppError> {
    let rows: Vec<DocRow> = sqlx::query_as(&format!(
        "SELECT {DOC_COLUMNS} FROM documents WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY id DESC"
    ))
    .bind(owner_id)
    .fetch_all(pool)
    .await?;
    let all: Vec<(DocumentView, Option<i64>)> = rows.into_iter().map(view_of).collect::<Result<_, _>>()?;
    let replaced: std::collections::HashSet<i64> = all.iter().filter_map(|(_, r)| *r).collect();
    let by_id: std::collections::HashMap<i64, &(DocumentView, Option<i64>)> =
        all.iter().map(|entry| (entry.0.id, entry)).collect();
    let mut current = Vec::new();
    for (document, replaces) in all.iter().filter(|(d, _)| !replaced.contains(&d.id)) {
        let mut view = document.clone();
        let mut next = *replaces;
        // Follows the chain of versions (bounded, in case of a cycle in bad data).
        for _ in 0..50 {
            let Some(id) = next else { break };
            let Some((earlier, before)) = by_id.get(&id).copied() else {
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

/// Bytes an owner occupies: documents kept (all versions) and uploads under way.
pub async fn used_bytes(pool: &Pool, owner_id: i64) -> Result<u64, AppError> {
    // PostgreSQL sums BIGINT as NUMERIC: cast back so both databases answer an integer.
    let (kept, open): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE((SELECT SUM(size_bytes) FROM documents WHERE owner_id = $1 AND deleted_at IS NULL), 0) AS BIGINT), \
                CAST(COALESCE((SELECT SUM(declared_size) FROM uploads WHERE owner_id = $1), 0) AS BIGINT)",
    )
    .bind(owner_id)
    .fetch_one(pool)
    .await?;
    Ok((kept + open).max(0) as u64)
}

fn limits() -> Result<DocumentLimits, AppError> {
    Ok(state()?.documents)
}

pub async fn my_documents() -> Result<Library, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let documents = current_documents(&pool, actor.id.0).await?;
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, doc_type, display_name, declared_size, received FROM uploads WHERE owner_id = $1 ORDER BY created_at",
    )
    .bind(actor.id.0)
    .fetch_all(&pool)
    .await?;
    let open_uploads = rows
        .into_iter()
        .filter_map(|(id, doc_type, name, size, received)| {
            Some(OpenUpload {
                id,
                doc_type: DocumentType::from_key(&doc_type)?,
                name,
                size: size.max(0) as u64,
                received: received.max(0) as u64,
            })
        })
        .collect();
    Ok(Library {
        documents,
        open_uploads,
        used: used_bytes(&pool, actor.id.0).await?,
        limits: limits()?,
    })
}

pub async fn documents_of(owner_id: i64) -> Result<OwnerDocuments, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (owner, owner_name) = owner_ref(&pool, owner_id).await?.ok_or(AppError::NotFound)?;
    if !can_read_documents(&actor, &owner) {
        return Err(AppError::NotFound);
    }
    Ok(OwnerDocuments {
        owner_id,
        owner_name,
        documents: current_documents(&pool, owner_id).await?,
        can_review: can_review_documents(&actor, &owner),
    })
}

/// A current document with its owner, for the rules (404 when gone).
async fn document_row(pool: &Pool, document_id: i64) -> Result<(i64, DocumentStatus, bool), AppError> {
    let row: Option<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT owner_id, status, replaced_at FROM documents WHERE id = $1 AND deleted_at IS NULL")
            .bind(document_id)
            .fetch_optional(pool)
            .await?;
    let (owner, status, replaced_at) = row.ok_or(AppError::NotFound)?;
    Ok((
        owner,
        DocumentStatus::from_key(&status).ok_or(AppError::Internal)?,
        replaced_at.is_none(),
    ))
}

pub async fn delete_document(document_id: i64) -> Result<(), AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let (owner, status, current) = document_row(&pool, document_id).await?;
    if owner != actor.id.0 || !current {
        return Err(AppError::NotFound);
    }
    if !status.owner_may_change() {
        return Err(AppError::Forbidden);
    }
    sqlx::query("UPDATE documents SET deleted_at = $1 WHERE id = $2")
        .bind(now())
        .bind(document_id)
        .execute(&pool)
        .await?;
    audit(
        &pool,
        Some(actor.id),
        "delete_document",
        "document",
        Some(document_id),
        status.key(),
    )
    .await
}

/// A verified or rejected document, as the advisor decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decision {
    Verify,
    Reject,
}

pub async fn review_document(document_id: i64, decision: String, reason: String) -> Result<(), AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let pool = pool()?;
    let (owner_id, from, current) = document_row(&pool, document_id).await?;
    let (owner, _) = owner_ref(&pool, owner_id).await?.ok_or(AppError::NotFound)?;
    if !current || !can_read_documents(&actor, &owner) {
        return Err(AppError::NotFound);
    }
    if !can_review_documents(&actor, &owner) {
        return Err(AppError::Forbidden);
    }
    let decision = match decision.as_str() {
        "verify" => Decision::Verify,
        "reject" => Decision::Reject,
        _ => return Err(AppError::NotFound),
    };
    let (to, reason) = match decision {
        Decision::Verify => (DocumentStatus::Verified, None),
        Decision::Reject => {
            let reason = bounded_text(&reason, REASON_MIN as u32, REASON_MAX as u32)
                .map_err(|problem| AppError::Invalid(vec![FieldError::new(Field::RejectReason, problem)]))?;
            (DocumentStatus::Rejected, Some(reason))
        }
    };
    let at = now();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE documents SET status = $1, reject_reason = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $5",
    )
    .bind(to.key())
    .bind(reason.clone())
    .bind(actor.id.0)
    .bind(at)
    .bind(document_id)
    .execute(&mut *tx)
    .await?;
    crate::notify::server::notify(
        &mut tx,
        owner_id,
        crate::notify::Topic::DocumentReviewed(to),
        crate::notify::server::About::document(document_id),
        reason.as_deref(),
        at,
    )
    .await?;
    let detail = format!(
        "{} -> {}{}",
        from.key(),
        to.key(),
        reason.map(|r| format!(": {r}")).unwrap_or_default()
    );
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, object_type, object_id, detail, at) VALUES ($1, $2, 'document', $3, $4, $5)",
    )
    .bind(actor.id.0)
    .bind(match decision {
        Decision::Verify => "verify_document",
        Decision::Reject => "reject_document",
    })
    .bind(document_id)
    .bind(detail)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
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

pub async fn required_documents() -> Result<Vec<DocumentType>, AppError> {
    require_actor().await?;
    required_types(&pool()?).await
}

pub async fn set_document_required(doc_type: String, required: bool) -> Result<(), AppError> {
    let actor = require_role(&[Role::FundAdmin]).await?;
    let pool = pool()?;
    let doc_type = DocumentType::from_key(&doc_type).ok_or(AppError::File(FileProblem::UnknownType))?;
    if required {
        let position = DocumentType::ALL.iter().position(|t| *t == doc_type).unwrap_or(0) as i64;
        sqlx::query("INSERT INTO plan_required_documents (doc_type, sort_order) VALUES ($1, $2) ON CONFLICT (doc_type) DO NOTHING")
            .bind(doc_type.key())
            .bind(position + 1)
            .execute(&pool)
            .await?;
    } else {
        sqlx::query("DELETE FROM plan_required_documents WHERE doc_type = $1")
            .bind(doc_type.key())
            .execute(&pool)
            .await?;
    }
    let detail = format!("{}={required}", doc_type.key());
    audit(
        &pool,
        Some(actor.id),
        "set_plan_checklist",
        "plan_required_documents",
        None,
        &detail,
    )
    .await
}

/// Each document type plans ask for, with the owner's current documents of that type and
/// where the type stands (the plan page and the home's "what to do next" both use it).
pub async fn checklist_of(pool: &Pool, owner_id: i64) -> Result<Vec<ChecklistItem>, AppError> {
    let documents = current_documents(pool, owner_id).await?;
    Ok(required_types(pool)
        .await?
        .into_iter()
        .map(|doc_type| {
            let of_type: Vec<DocumentView> = documents.iter().filter(|d| d.doc_type == doc_type).cloned().collect();
            ChecklistItem {
                doc_type,
                state: checklist_state(of_type.iter().map(|d| d.status)),
                documents: of_type,
            }
        })
        .collect())
}

pub async fn plan_checklist(plan_id: i64) -> Result<DocumentChecklist, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let owner_id = crate::plan::server::owner_of_readable_plan(&pool, &actor, plan_id).await?;
    let (owner, _) = owner_ref(&pool, owner_id.0).await?.ok_or(AppError::NotFound)?;
    let items = checklist_of(&pool, owner_id.0).await?;
    Ok(DocumentChecklist {
        owner_id: owner_id.0,
        items,
        can_review: can_review_documents(&actor, &owner),
        is_owner: actor.id == owner_id,
    })
}

pub async fn review_queue() -> Result<Vec<QueueItem>, AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let pool = pool()?;
    type Row = (
        i64,
        String,
        i64,
        String,
        String,
        String,
        i64,
        String,
        Option<String>,
        i64,
        Option<i64>,
    );
    let base = "SELECT u.id, u.full_name, d.id, d.doc_type, d.display_name, d.kind, d.size_bytes, d.status, \
                d.reject_reason, d.created_at, d.replaces_id FROM documents d JOIN users u ON u.id = d.owner_id \
                WHERE d.status = 'uploaded' AND d.deleted_at IS NULL AND d.replaced_at IS NULL \
                AND u.role = 'entrepreneur'";
    let rows: Vec<Row> = if actor.role == Role::FundAdmin {
        sqlx::query_as(&format!("{base} ORDER BY d.created_at LIMIT 200"))
            .fetch_all(&pool)
            .await?
    } else {
        let chamber = actor.chamber.ok_or(AppError::Forbidden)?;
        sqlx::query_as(&format!("{base} AND u.chamber_id = $1 ORDER BY d.created_at LIMIT 200"))
            .bind(chamber.0)
            .fetch_all(&pool)
            .await?
    };
    rows.into_iter()
        .map(
            |(owner_id, owner_name, id, t, name, kind, size, status, reason, at, replaces)| {
                let (document, _) = view_of((id, t, name, kind, size, status, reason, at, replaces))?;
                Ok(QueueItem {
                    owner_id,
                    owner_name,
                    document,
                })
            },
        )
        .collect()
}

// ---- Uploads (called by the upload routes of `server/`) ----

/// An upload under way, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRow {
    pub id: String,
    pub owner_id: i64,
    pub doc_type: DocumentType,
    pub name: String,
    pub size: u64,
    pub sha256: String,
    pub received: u64,
    pub replaces: Option<i64>,
}

type UploadTuple = (String, i64, String, String, i64, String, i64, Option<i64>);
const UPLOAD_COLUMNS: &str = "id, owner_id, doc_type, display_name, declared_size, sha256, received, replaces_id";

fn upload_of(row: UploadTuple) -> Result<UploadRow, AppError> {
    let (id, owner_id, doc_type, name, size, sha256, received, replaces) = row;
    Ok(UploadRow {
        id,
        owner_id,
        doc_type: DocumentType::from_key(&doc_type).ok_or(AppError::Internal)?,
        name,
        size: size.max(0) as u64,
        sha256,
        received: received.max(0) as u64,
        replaces,
    })
}

/// Checks a new upload and records it, or finds the same file's unfinished upload (same
/// owner, content hash and size) so that picking the file again resumes it.
pub async fn start_upload(
    pool: &Pool,
    actor: &Actor,
    start: &UploadStart,
    limits: DocumentLimits,
    new_id: String,
) -> Result<UploadRow, AppError> {
    if actor.role != Role::Entrepreneur {
        return Err(AppError::Forbidden);
    }
    let doc_type = DocumentType::from_key(&start.doc_type).ok_or(AppError::File(FileProblem::UnknownType))?;
    let sha256 = start.sha256.to_ascii_lowercase();
    if !is_sha256_hex(&sha256) {
        return Err(AppError::File(FileProblem::Damaged));
    }
    let existing: Option<UploadTuple> = sqlx::query_as(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE owner_id = $1 AND sha256 = $2 AND declared_size = $3"
    ))
    .bind(actor.id.0)
    .bind(&sha256)
    .bind(start.size as i64)
    .fetch_optional(pool)
    .await?;
    if let Some(row) = existing {
        return upload_of(row);
    }
    if let Some(replaced) = start.replaces {
        let (owner, status, current) = document_row(pool, replaced).await?;
        if owner != actor.id.0 || !current {
            return Err(AppError::NotFound);
        }
        if !status.owner_may_change() {
            return Err(AppError::Forbidden);
        }
    }
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM documents WHERE owner_id = $1 AND deleted_at IS NULL AND replaced_at IS NULL",
    )
    .bind(actor.id.0)
    .fetch_one(pool)
    .await?;
    if count >= DOCUMENTS_MAX && start.replaces.is_none() {
        return Err(AppError::File(FileProblem::TooMany {
            max: DOCUMENTS_MAX as u32,
        }));
    }
    let size = i64::try_from(start.size).map_err(|_| {
        AppError::File(FileProblem::TooLarge {
            max_mb: super::domain::whole_mb(limits.file_max),
        })
    })?;
    check_room(
        start.size,
        used_bytes(pool, actor.id.0).await?,
        limits.file_max,
        limits.quota,
    )
    .map_err(AppError::File)?;
    let name = super::domain::clean_display_name(&start.name, None);
    let at = now();
    sqlx::query(
        "INSERT INTO uploads (id, owner_id, doc_type, display_name, declared_size, sha256, received, replaces_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $8)",
    )
    .bind(&new_id)
    .bind(actor.id.0)
    .bind(doc_type.key())
    .bind(&name)
    .bind(size)
    .bind(&sha256)
    .bind(start.replaces)
    .bind(at)
    .execute(pool)
    .await?;
    Ok(UploadRow {
        id: new_id,
        owner_id: actor.id.0,
        doc_type,
        name,
        size: start.size,
        sha256,
        received: 0,
        replaces: start.replaces,
    })
}

/// The caller's own upload (404 for anyone else's or an unknown id).
pub async fn own_upload(pool: &Pool, actor: &Actor, upload_id: &str) -> Result<UploadRow, AppError> {
    let row: Option<UploadTuple> = sqlx::query_as(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = $1 AND owner_id = $2"
    ))
    .bind(upload_id)
    .bind(actor.id.0)
    .fetch_optional(pool)
    .await?;
    upload_of(row.ok_or(AppError::NotFound)?)
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
pub async fn idle_uploads(pool: &Pool, before: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id FROM uploads WHERE updated_at < $1")
        .bind(before)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
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

/// Turns a finished upload into a document in one transaction: the upload claimed, the new
/// row, the replaced version marked, an audit row.
pub async fn finish_upload(pool: &Pool, upload: &UploadRow, file: StoredFile) -> Result<DocumentView, AppError> {
    let at = now();
    let mut tx = pool.begin().await?;
    // Claims the upload: of two requests finishing the same upload, one makes the document.
    let claimed = sqlx::query("DELETE FROM uploads WHERE id = $1")
        .bind(&upload.id)
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO documents (owner_id, doc_type, display_name, kind, size_bytes, sha256, storage_key, status, replaces_id, created_at, source_upload) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'uploaded', $8, $9, $10) RETURNING id",
    )
    .bind(upload.owner_id)
    .bind(upload.doc_type.key())
    .bind(&file.name)
    .bind(file.kind.key())
    .bind(file.size as i64)
    .bind(&file.sha256)
    .bind(&file.storage_key)
    .bind(upload.replaces)
    .bind(at)
    .bind(&upload.id)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(replaced) = upload.replaces {
        sqlx::query("UPDATE documents SET replaced_at = $1 WHERE id = $2 AND owner_id = $3 AND replaced_at IS NULL")
            .bind(at)
            .bind(replaced)
            .bind(upload.owner_id)
            .execute(&mut *tx)
            .await?;
    }
    let detail = match upload.replaces {
        Some(replaced) => format!("{} replaces {replaced}", upload.doc_type.key()),
        None => upload.doc_type.key().to_string(),
    };
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, object_type, object_id, detail, at) VALUES ($1, $2, 'document', $3, $4, $5)",
    )
    .bind(upload.owner_id)
    .bind(if upload.replaces.is_some() { "replace_document" } else { "upload_document" })
    .bind(id)
    .bind(detail)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(DocumentView {
        id,
        doc_type: upload.doc_type,
        name: file.name,
        kind: file.kind,
        size: file.size,
        status: DocumentStatus::Uploaded,
        reason: None,
        created_at: at,
        earlier: Vec::new(),
    })
}

/// The document an upload of `owner` became, if it finished (its row is gone by then): a
/// browser whose last answer was lost learns the outcome by asking for the upload.
pub async fn document_from_upload(
    pool: &Pool,
    owner: &Actor,
    upload_id: &str,
) -> Result<Option<DocumentView>, AppError> {
    let row: Option<DocRow> = sqlx::query_as(&format!(
        "SELECT {DOC_COLUMNS} FROM documents WHERE source_upload = $1 AND owner_id = $2 AND deleted_at IS NULL"
    ))
    .bind(upload_id)
    .bind(owner.id.0)
    .fetch_optional(pool)
    .await?;
    row.map(|r| view_of(r).map(|(view, _)| view)).transpose()
}

/// A stored document someone may download (404 for everyone else): its storage key, display
/// name and kind. Earlier versions stay readable for whoever may read the current one.
pub async fn readable_file(
    pool: &Pool,
    actor: &Actor,
    document_id: i64,
) -> Result<(String, String, FileKind), AppError> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT owner_id, storage_key, display_name, kind FROM documents WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(document_id)
    .fetch_optional(pool)
    .await?;
    let (owner_id, key, name, kind) = row.ok_or(AppError::NotFound)?;
    let (owner, _) = owner_ref(pool, owner_id).await?.ok_or(AppError::NotFound)?;
    if !can_read_documents(actor, &owner) {
        return Err(AppError::NotFound);
    }
    Ok((key, name, FileKind::from_key(&kind).ok_or(AppError::Internal)?))
}
