//! What the document server functions and upload routes do (server only): who may read,
//! review or change a document, and the steps of an upload. Rows go through `store`.
use super::store::{self, StoredFile, UploadRow};
use super::{ChecklistItem, DocumentChecklist, DocumentView, Library, OwnerDocuments, QueueItem, UploadStart};
use crate::audit;
use crate::auth::store::account;
use crate::db::{now, Pool};
use crate::error::AppError;
use crate::guard::{pool, require_actor, require_role, state};
use crate::notify::server::notify;
use crate::notify::store::About;
use crate::notify::Topic;
use domain::audit::{AuditAction, AuditObject};
use domain::documents::{
    can_read_documents, can_review_documents, check_room, checklist_state, clean_display_name, is_sha256_hex, whole_mb,
    Decision, DocumentLimits, DocumentStatus, DocumentType, FileKind, FileProblem, DOCUMENTS_MAX, REASON_MAX,
    REASON_MIN,
};
use domain::roles::{AccountRef, Actor, Role};
use domain::validation::{bounded_text, Field};

fn limits() -> Result<DocumentLimits, AppError> {
    Ok(state()?.documents)
}

/// The account behind an owner id, for the read and review rules (404 when there is none).
async fn owner(pool: &Pool, owner_id: i64) -> Result<(AccountRef, String), AppError> {
    account(pool, owner_id).await?.ok_or(AppError::NotFound)
}

pub async fn my_documents() -> Result<Library, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    Ok(Library {
        documents: store::current_documents(&pool, actor.id.0).await?,
        open_uploads: store::open_uploads(&pool, actor.id.0).await?,
        used: store::used_bytes(&pool, actor.id.0).await?,
        limits: limits()?,
    })
}

pub async fn documents_of(owner_id: i64) -> Result<OwnerDocuments, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (owner, owner_name) = owner(&pool, owner_id).await?;
    if !can_read_documents(&actor, &owner) {
        return Err(AppError::NotFound);
    }
    Ok(OwnerDocuments {
        owner_id,
        owner_name,
        documents: store::current_documents(&pool, owner_id).await?,
        can_review: can_review_documents(&actor, &owner),
    })
}

/// A current document of the caller's that they may still change (delete, replace).
async fn changeable_document(pool: &Pool, actor: &Actor, document_id: i64) -> Result<DocumentStatus, AppError> {
    let document = store::document_state(pool, document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if document.owner_id != actor.id.0 || !document.is_current() {
        return Err(AppError::NotFound);
    }
    if !document.status.owner_may_change() {
        return Err(AppError::Forbidden);
    }
    Ok(document.status)
}

pub async fn delete_document(document_id: i64) -> Result<(), AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let status = changeable_document(&pool, &actor, document_id).await?;
    let mut tx = crate::db::begin(&pool).await?;
    store::mark_deleted(&mut tx, document_id, now()).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::DeleteDocument,
        AuditObject::Document,
        Some(document_id),
        status.key(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn review_document(document_id: i64, decision: Decision, reason: String) -> Result<(), AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let pool = pool()?;
    let document = store::document_state(&pool, document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (owner, _) = owner(&pool, document.owner_id).await?;
    if !document.is_current() || !can_read_documents(&actor, &owner) {
        return Err(AppError::NotFound);
    }
    if !can_review_documents(&actor, &owner) {
        return Err(AppError::Forbidden);
    }
    let (to, reason, action) = match decision {
        Decision::Verify => (DocumentStatus::Verified, None, AuditAction::VerifyDocument),
        Decision::Reject => {
            let reason = bounded_text(&reason, REASON_MIN as u32, REASON_MAX as u32)
                .map_err(|problem| AppError::invalid(Field::RejectReason, problem))?;
            (DocumentStatus::Rejected, Some(reason), AuditAction::RejectDocument)
        }
    };
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    store::set_review(&mut tx, document_id, to, reason.as_deref(), actor.id.0, at).await?;
    notify(
        &mut tx,
        document.owner_id,
        Topic::DocumentReviewed(to),
        About::document(document_id),
        reason.as_deref(),
        at,
    )
    .await?;
    let detail = format!(
        "{} -> {}{}",
        document.status.key(),
        to.key(),
        reason.map(|r| format!(": {r}")).unwrap_or_default()
    );
    audit::record(
        &mut *tx,
        Some(actor.id),
        action,
        AuditObject::Document,
        Some(document_id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn required_documents() -> Result<Vec<DocumentType>, AppError> {
    require_actor().await?;
    store::required_types(&pool()?).await
}

pub async fn set_document_required(doc_type: DocumentType, required: bool) -> Result<(), AppError> {
    let actor = require_role(&[Role::FundAdmin]).await?;
    let pool = pool()?;
    let mut tx = crate::db::begin(&pool).await?;
    if required {
        let position = DocumentType::ALL.iter().position(|t| *t == doc_type).unwrap_or(0) as i64;
        store::require_type(&mut tx, doc_type, position + 1).await?;
    } else {
        store::unrequire_type(&mut tx, doc_type).await?;
    }
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::SetPlanChecklist,
        AuditObject::PlanChecklist,
        None,
        &format!("{}={required}", doc_type.key()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Each document type plans ask for, with the owner's current documents of that type and
/// where the type stands (the plan page and the home's "what to do next" both use it).
pub async fn checklist_of(pool: &Pool, owner_id: i64) -> Result<Vec<ChecklistItem>, AppError> {
    let documents = store::current_documents(pool, owner_id).await?;
    Ok(store::required_types(pool)
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
    let (owner, _) = owner(&pool, owner_id.0).await?;
    Ok(DocumentChecklist {
        owner_id: owner_id.0,
        items: checklist_of(&pool, owner_id.0).await?,
        can_review: can_review_documents(&actor, &owner),
        is_owner: actor.id == owner_id,
    })
}

pub async fn review_queue() -> Result<Vec<QueueItem>, AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let chamber = match actor.role {
        Role::FundAdmin => None,
        _ => Some(actor.chamber.ok_or(AppError::Forbidden)?.0),
    };
    Ok(store::waiting(&pool()?, chamber)
        .await?
        .into_iter()
        .map(|w| QueueItem {
            owner_id: w.owner_id,
            owner_name: w.owner_name,
            document: w.document,
        })
        .collect())
}

// ---- Uploads (called by the upload routes of `server/`) ----

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
    if let Some(existing) = store::same_upload(pool, actor.id.0, &sha256, start.size).await? {
        return Ok(existing);
    }
    if let Some(replaced) = start.replaces {
        changeable_document(pool, actor, replaced).await?;
    } else if store::current_count(pool, actor.id.0).await? >= DOCUMENTS_MAX {
        return Err(AppError::File(FileProblem::TooMany {
            max: DOCUMENTS_MAX as u32,
        }));
    }
    if i64::try_from(start.size).is_err() {
        return Err(AppError::File(FileProblem::TooLarge {
            max_mb: whole_mb(limits.file_max),
        }));
    }
    check_room(
        start.size,
        store::used_bytes(pool, actor.id.0).await?,
        limits.file_max,
        limits.quota,
    )
    .map_err(AppError::File)?;
    let upload = UploadRow {
        id: new_id,
        owner_id: actor.id.0,
        doc_type,
        name: clean_display_name(&start.name, None),
        size: start.size,
        sha256,
        received: 0,
        replaces: start.replaces,
    };
    // The check above answers most cases with its message; this one holds when several
    // announcements race for the last room.
    if !store::reserve_upload(pool, &upload, now(), limits.quota).await? {
        return Err(AppError::File(FileProblem::QuotaFull {
            quota_mb: whole_mb(limits.quota),
        }));
    }
    Ok(upload)
}

/// The caller's own upload (404 for anyone else's or an unknown id).
pub async fn own_upload(pool: &Pool, actor: &Actor, upload_id: &str) -> Result<UploadRow, AppError> {
    store::upload_of(pool, actor.id.0, upload_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The document an upload of `owner` became, if it finished: a browser whose last answer
/// was lost learns the outcome by asking for the upload.
pub async fn document_from_upload(
    pool: &Pool,
    owner: &Actor,
    upload_id: &str,
) -> Result<Option<DocumentView>, AppError> {
    store::document_from_upload(pool, owner.id.0, upload_id).await
}

/// Turns a finished upload into a document in one transaction: the upload claimed, the new
/// row, the replaced version marked, an audit row.
pub async fn finish_upload(pool: &Pool, upload: &UploadRow, file: StoredFile) -> Result<DocumentView, AppError> {
    let at = now();
    let mut tx = crate::db::begin(pool).await?;
    if !store::claim_upload(&mut tx, &upload.id).await? {
        return Err(AppError::NotFound);
    }
    let id = store::insert_document(&mut tx, upload, &file, at).await?;
    if let Some(replaced) = upload.replaces {
        store::mark_replaced(&mut tx, replaced, upload.owner_id, at).await?;
    }
    let (action, detail) = match upload.replaces {
        Some(replaced) => (
            AuditAction::ReplaceDocument,
            format!("{} replaces {replaced}", upload.doc_type.key()),
        ),
        None => (AuditAction::UploadDocument, upload.doc_type.key().to_string()),
    };
    audit::record(
        &mut *tx,
        Some(domain::roles::UserId(upload.owner_id)),
        action,
        AuditObject::Document,
        Some(id),
        &detail,
    )
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

/// A stored document someone may download (404 for everyone else): its storage key, display
/// name and kind. Earlier versions stay readable for whoever may read the current one.
pub async fn readable_file(
    pool: &Pool,
    actor: &Actor,
    document_id: i64,
) -> Result<(String, String, FileKind), AppError> {
    let file = store::file_of(pool, document_id).await?.ok_or(AppError::NotFound)?;
    let (owner, _) = owner(pool, file.owner_id).await?;
    if !can_read_documents(actor, &owner) {
        return Err(AppError::NotFound);
    }
    Ok((file.storage_key, file.display_name, file.kind))
}
