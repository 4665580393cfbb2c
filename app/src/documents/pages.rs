//! Document pages: "my documents" (library, uploads, replace, delete), a plan's checklist,
//! the chamber's verification queue and one person's documents, and the Fund's checklist
//! settings. Everything but the chunked uploader works as plain forms with JavaScript off;
//! without JavaScript a file goes up whole through a plain form.
use super::upload::{DocTypeOptions, UploaderPart, UPLOADED_EVENT};
use super::{
    documents_of, my_documents, required_documents, review_queue, DeleteDocument, DocumentView, ReviewDocument,
    SetDocumentRequired,
};
use crate::components::current_user::use_current_user;
use crate::components::form::{
    field_error_signal, succeeded, successes, ErrorSignal, ErrorSummary, FieldError, Notice,
};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::i18n::*;
use crate::lang::{doc_type_text, document_status_text, file_problem_text, size_text};
use domain::documents::{
    whole_mb, ChecklistState, DocumentLimits, DocumentStatus, DocumentType, FileProblem, DOCUMENTS_MAX,
};
use domain::roles::Role;
use domain::validation::{Date, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn checklist_text(locale: Locale, state: ChecklistState) -> String {
    match state {
        ChecklistState::Missing => td_string!(locale, documents.state_missing),
        ChecklistState::Uploaded => td_string!(locale, documents.status_uploaded),
        ChecklistState::Verified => td_string!(locale, documents.status_verified),
        ChecklistState::Rejected => td_string!(locale, documents.status_rejected),
    }
    .to_string()
}

fn checklist_class(state: ChecklistState) -> &'static str {
    match state {
        ChecklistState::Missing => "badge badge-missing",
        ChecklistState::Uploaded => "badge badge-uploaded",
        ChecklistState::Verified => "badge badge-verified",
        ChecklistState::Rejected => "badge badge-rejected",
    }
}

fn status_class(status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::Uploaded => "badge badge-uploaded",
        DocumentStatus::Verified => "badge badge-verified",
        DocumentStatus::Rejected => "badge badge-rejected",
    }
}

/// The problem named in the address after a plain-form upload (`?problem=too_large`).
fn problem_from_query(key: &str, limits: DocumentLimits) -> Option<FileProblem> {
    Some(match key {
        "empty" => FileProblem::Empty,
        "too_large" => FileProblem::TooLarge {
            max_mb: whole_mb(limits.file_max),
        },
        "quota_full" => FileProblem::QuotaFull {
            quota_mb: whole_mb(limits.quota),
        },
        "unsupported_type" => FileProblem::UnsupportedType,
        "extension_mismatch" => FileProblem::ExtensionMismatch,
        "damaged" => FileProblem::Damaged,
        "infected" => FileProblem::Infected,
        "scan_unavailable" => FileProblem::ScanUnavailable,
        "server_full" => FileProblem::ServerFull,
        "unknown_type" => FileProblem::UnknownType,
        "too_many" => FileProblem::TooMany {
            max: DOCUMENTS_MAX as u32,
        },
        _ => return None,
    })
}

#[component]
fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p>{td!(i18n, common.loading)}</p> }
}

/// "My documents": the library with its uploader.
#[component]
pub fn MyDocumentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let delete = ServerAction::<DeleteDocument>::new();
    let uploads_done = RwSignal::new(0u32);
    let library = Resource::new(move || (delete.version().get(), uploads_done.get()), |_| my_documents());
    // Each file the uploader accepts refreshes the library in place.
    let upload_listener = window_event_listener_untyped(UPLOADED_EVENT, move |_| uploads_done.update(|n| *n += 1));
    on_cleanup(move || upload_listener.remove());
    let preselected = query
        .read_untracked()
        .get("type")
        .and_then(|t| DocumentType::from_key(&t));
    let delete_error: ErrorSignal = Signal::derive(move || delete.value().get().and_then(Result::err));
    let deleted = succeeded(delete);
    view! {
        <Title text=move || td_string!(i18n, documents.title) />
        <section class="card">
            <h1>{td!(i18n, documents.title)}</h1>
            <p>{td!(i18n, documents.intro)}</p>
            // `data-refresh`: where the uploader is an island in server HTML, the page's
            // start-up script fetches these parts again after each accepted file.
            <div id="document-room" data-refresh="">
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match library.await {
                            Ok(lib) => {
                                let limits = lib.limits;
                                let locale = i18n;
                                let room = td_string!(
                                    locale, documents.room,
                                used = size_text(locale, lib.used), quota = size_text(locale, limits.quota)
                                )
                                    .to_string();
                                let problem = query
                                    .read_untracked()
                                    .get("problem")
                                    .map(|key| {
                                        problem_from_query(&key, limits)
                                            .map(|p| file_problem_text(locale, p))
                                            .unwrap_or_else(|| td_string!(locale, file_problems.failed).to_string())
                                    });
                                let uploaded = query.read_untracked().get("uploaded").is_some();
                                view! {
                                    <p class="hint">{room}</p>
                                    {problem
                                        .map(|p| {
                                            view! {
                                                <p class="form-error" role="alert">
                                                    {p}
                                                </p>
                                            }
                                        })}
                                    {uploaded
                                        .then(|| {
                                            view! {
                                                <p class="form-notice" role="status">
                                                    {td!(i18n, documents.uploaded_notice)}
                                                </p>
                                            }
                                        })}
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <LoadError error /> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </section>
        <section class="card">
            <h2>{td!(i18n, documents.upload_title)}</h2>
            <UploaderPart id_prefix="new" preselected />
            <PlainUploadForm id_prefix="new" preselected />
        </section>
        <div id="document-library" data-refresh="">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match library.await {
                        Ok(lib) => {
                            view! {
                                <OpenUploads uploads=lib.open_uploads />
                                <section class="card">
                                    <ErrorSummary error=delete_error />
                                    <Notice show=deleted>{td!(i18n, documents.deleted)}</Notice>
                                    {lib.documents.is_empty().then(|| view! { <p>{td!(i18n, documents.empty)}</p> })}
                                    <ul class="doc-list">
                                        {lib
                                            .documents
                                            .into_iter()
                                            .map(|document| {
                                                view! { <DocumentCard document owner=Some(delete) review=None /> }
                                            })
                                            .collect_view()}
                                    </ul>
                                </section>
                            }
                                .into_any()
                        }
                        Err(_) => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn OpenUploads(uploads: Vec<super::OpenUpload>) -> impl IntoView {
    let i18n = use_i18n();
    (!uploads.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>{td!(i18n, documents.open_uploads_title)}</h2>
                <p class="hint">{td!(i18n, documents.open_upload_hint)}</p>
                <ul class="open-uploads">
                    {uploads
                        .into_iter()
                        .map(|u| {
                            let percent = (u.received * 100).checked_div(u.size).unwrap_or(0);
                            view! {
                                <li>
                                    <bdi>{u.name}</bdi>
                                    " · "
                                    {move || doc_type_text(i18n, u.doc_type)}
                                    " · "
                                    <progress max="100" value=percent.to_string()></progress>
                                    " "
                                    {move || crate::lang::digits(i18n, format!("{percent}%"))}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

/// The whole-file form for browsers without JavaScript (hidden when it runs).
#[component]
fn PlainUploadForm(
    #[prop(into)] id_prefix: String,
    #[prop(default = None)] preselected: Option<DocumentType>,
    #[prop(default = None)] replaces: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let type_id = format!("{id_prefix}-plain-type");
    let file_id = format!("{id_prefix}-plain-file");
    view! {
        <form class="no-js-only" method="post" action="/uploads/form" enctype="multipart/form-data">
            {match replaces {
                Some(id) => {
                    view! {
                        <input type="hidden" name="doc_type" value=preselected.unwrap_or(DocumentType::Other).key() />
                        <input type="hidden" name="replaces" value=id.to_string() />
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <div class="field">
                            <label for=type_id.clone()>{td!(i18n, documents.doc_type)}</label>
                            <select id=type_id name="doc_type">
                                <DocTypeOptions selected=preselected />
                            </select>
                        </div>
                    }
                        .into_any()
                }
            }}
            <div class="field">
                <label for=file_id.clone()>{td!(i18n, documents.file_label)}</label>
                <input
                    id=file_id
                    type="file"
                    name="file"
                    required=true
                    accept="application/pdf,image/jpeg,image/png,image/webp,.pdf,.jpg,.jpeg,.png,.webp"
                />
            </div>
            <button type="submit" class="button primary">
                {td!(i18n, documents.upload_button)}
            </button>
        </form>
    }
}

/// One document: what it is, where it stands, and what the reader may do with it.
#[component]
fn DocumentCard(
    document: DocumentView,
    /// The owner's delete action (a replacement is reported by the uploader's event).
    owner: Option<ServerAction<DeleteDocument>>,
    /// The chamber's review action, for those who may verify.
    review: Option<ServerAction<ReviewDocument>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = document.id;
    let doc_type = document.doc_type;
    let status = document.status;
    let date = Date::from_unix(document.created_at).iso();
    let size = document.size;
    let earlier = document.earlier.clone();
    let changeable = status.owner_may_change();
    view! {
        <li class="doc-card" data-document=id.to_string()>
            {document
                .kind
                .is_image()
                .then(|| {
                    view! {
                        <img
                            class="doc-thumb"
                            src=format!("/documents/{id}/thumb")
                            alt=""
                            loading="lazy"
                            width="96"
                            height="96"
                        />
                    }
                })}
            <div class="doc-body">
                <h3>{move || doc_type_text(i18n, doc_type)}</h3>
                <p class="doc-meta">
                    <bdi>{document.name.clone()}</bdi>
                    " · "
                    {move || size_text(i18n, size)}
                    " · "
                    {td!(i18n, documents.uploaded_at)}
                    " "
                    <bdi>{date}</bdi>
                </p>
                <p>
                    <span class=status_class(status)>{move || document_status_text(i18n, status)}</span>
                </p>
                {document
                    .reason
                    .clone()
                    .map(|reason| {
                        view! {
                            <p class="reject-reason">
                                <strong>{td!(i18n, documents.reason)}": "</strong>
                                <bdi>{reason}</bdi>
                            </p>
                        }
                    })}
                <p>
                    <a href=format!("/documents/{id}/file") rel="external" class="button">
                        {td!(i18n, documents.download)}
                    </a>
                </p>
                {owner
                    .map(|delete| {
                        if changeable {
                            view! {
                                <ServerForm action=delete attr:class="row-form">
                                    <input type="hidden" name="document_id" value=id.to_string() />
                                    <button type="submit" class="button danger">
                                        {td!(i18n, documents.delete)}
                                    </button>
                                </ServerForm>
                                <details class="replace">
                                    <summary>{td!(i18n, documents.replace)}</summary>
                                    <UploaderPart
                                        id_prefix=format!("replace-{id}")
                                        preselected=Some(doc_type)
                                        replaces=Some(id)
                                    />
                                    <PlainUploadForm
                                        id_prefix=format!("replace-{id}")
                                        preselected=Some(doc_type)
                                        replaces=Some(id)
                                    />
                                </details>
                            }
                                .into_any()
                        } else {
                            view! { <p class="hint">{td!(i18n, documents.locked)}</p> }.into_any()
                        }
                    })}
                {review.map(|action| view! { <ReviewForms document_id=id action /> })}
                {(!earlier.is_empty())
                    .then(|| {
                        view! {
                            <details class="earlier">
                                <summary>{td!(i18n, documents.earlier)}</summary>
                                <ul>
                                    {earlier
                                        .into_iter()
                                        .map(|e| {
                                            view! {
                                                <li>
                                                    <a href=format!("/documents/{}/file", e.id) rel="external">
                                                        <bdi>{e.name}</bdi>
                                                    </a>
                                                    " · "
                                                    {move || document_status_text(i18n, e.status)}
                                                    {e
                                                        .reason
                                                        .map(|r| {
                                                            view! {
                                                                " · "
                                                                <bdi>{r}</bdi>
                                                            }
                                                        })}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </details>
                        }
                    })}
            </div>
        </li>
    }
}

/// Verify, or reject with a reason the owner will read.
#[component]
fn ReviewForms(document_id: i64, action: ServerAction<ReviewDocument>) -> impl IntoView {
    let i18n = use_i18n();
    let reason_id = format!("reason-{document_id}");
    view! {
        <div class="review-forms">
            <ServerForm action attr:class="row-form">
                <input type="hidden" name="document_id" value=document_id.to_string() />
                <input type="hidden" name="decision" value="verify" />
                <input type="hidden" name="reason" value="" />
                <button type="submit" class="button primary">
                    {td!(i18n, documents.verify)}
                </button>
            </ServerForm>
            <ServerForm action>
                <input type="hidden" name="document_id" value=document_id.to_string() />
                <input type="hidden" name="decision" value="reject" />
                <div class="field">
                    <label for=reason_id.clone()>{td!(i18n, documents.reject_reason)}</label>
                    <textarea id=reason_id name="reason" maxlength="500" rows="2"></textarea>
                </div>
                <button type="submit" class="button danger">
                    {td!(i18n, documents.reject)}
                </button>
            </ServerForm>
        </div>
    }
}

/// The review action's outcome, above a list of documents.
#[component]
fn ReviewOutcome(action: ServerAction<ReviewDocument>) -> impl IntoView {
    let i18n = use_i18n();
    let error: ErrorSignal = Signal::derive(move || action.value().get().and_then(Result::err));
    let reason_message = field_error_signal(error, Field::RejectReason);
    let saved = succeeded(action);
    view! {
        <ErrorSummary error />
        <FieldError id="reject-reason-error".to_string() message=reason_message />
        <Notice show=saved>{td!(i18n, documents.reviewed)}</Notice>
    }
}

/// A plan's checklist: each document the plan needs and where it stands.
#[component]
pub fn PlanChecklistView(
    checklist: Resource<Result<super::DocumentChecklist, crate::error::AppError>>,
    review: ServerAction<ReviewDocument>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" id="documents">
            <h2>{td!(i18n, documents.checklist_title)}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match checklist.await {
                        Ok(list) => {
                            let can_review = list.can_review;
                            let is_owner = list.is_owner;
                            let owner_id = list.owner_id;
                            view! {
                                {is_owner.then(|| view! { <p class="hint">{td!(i18n, documents.checklist_intro)}</p> })}
                                {can_review.then(|| view! { <ReviewOutcome action=review /> })}
                                <ul class="checklist">
                                    {list
                                        .items
                                        .into_iter()
                                        .map(|item| {
                                            let doc_type = item.doc_type;
                                            let state = item.state;
                                            view! {
                                                <li class="checklist-item">
                                                    <h3>
                                                        {move || doc_type_text(i18n, doc_type)}" "
                                                        <span class=checklist_class(
                                                            state,
                                                        )>{move || checklist_text(i18n, state)}</span>
                                                    </h3>
                                                    {(is_owner && state != ChecklistState::Verified)
                                                        .then(|| {
                                                            view! {
                                                                <A
                                                                    href=format!("/documents?type={}", doc_type.key())
                                                                    attr:class="button"
                                                                >
                                                                    {td!(i18n, documents.checklist_upload)}
                                                                </A>
                                                            }
                                                        })}
                                                    <ul class="doc-list">
                                                        {item
                                                            .documents
                                                            .into_iter()
                                                            .map(|document| {
                                                                view! {
                                                                    <DocumentCard
                                                                        document
                                                                        owner=None
                                                                        review=can_review.then_some(review)
                                                                    />
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </ul>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                {(!is_owner)
                                    .then(|| {
                                        view! {
                                            <p>
                                                <A href=format!(
                                                    "/staff/documents/{owner_id}",
                                                )>{td!(i18n, documents.all_of_owner)}</A>
                                            </p>
                                        }
                                    })}
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The chamber's queue: documents waiting for a decision.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let review = ServerAction::<ReviewDocument>::new();
    let queue = Resource::new(move || review.version().get(), |_| review_queue());
    let me = use_current_user();
    view! {
        <Title text=move || td_string!(i18n, documents.review_title) />
        <section class="card">
            <h1>{td!(i18n, documents.review_title)}</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let reviewer = me.await.is_some_and(|m| matches!(m.role, Role::Advisor | Role::ChamberManager));
                    let fund = me.await.is_some_and(|m| m.role == Role::FundAdmin);
                    match queue.await {
                        Ok(items) => {
                            view! {
                                {fund
                                    .then(|| {
                                        view! {
                                            <p>
                                                <A href="/staff/document-checklist">
                                                    {td!(i18n, documents.config_link)}
                                                </A>
                                            </p>
                                        }
                                    })}
                                {reviewer.then(|| view! { <ReviewOutcome action=review /> })}
                                {items.is_empty().then(|| view! { <p>{td!(i18n, documents.review_empty)}</p> })}
                                <ul class="doc-list">
                                    {items
                                        .into_iter()
                                        .map(|item| {
                                            view! {
                                                <li class="queue-owner">
                                                    <p>
                                                        {td!(i18n, documents.owner)}": "
                                                        <A href=format!("/staff/documents/{}", item.owner_id)>
                                                            <bdi>{item.owner_name}</bdi>
                                                        </A>
                                                    </p>
                                                    <ul class="doc-list">
                                                        <DocumentCard
                                                            document=item.document
                                                            owner=None
                                                            review=reviewer.then_some(review)
                                                        />
                                                    </ul>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One entrepreneur's documents, for the chamber and the Fund.
#[component]
pub fn OwnerDocumentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let review = ServerAction::<ReviewDocument>::new();
    let owner_id = move || {
        params
            .read()
            .get("owner")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let documents = Resource::new(move || (owner_id(), review.version().get()), |(id, _)| documents_of(id));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match documents.await {
                    Ok(owner) => {
                        let title = td_string!(i18n, documents.owner_title, name = owner.owner_name.clone())
                            .to_string();
                        let can_review = owner.can_review;
                        view! {
                            <Title text=title.clone() />
                            <section class="card">
                                <h1>
                                    <bdi>{title}</bdi>
                                </h1>
                                {can_review.then(|| view! { <ReviewOutcome action=review /> })}
                                {owner.documents.is_empty().then(|| view! { <p>{td!(i18n, documents.empty)}</p> })}
                                <ul class="doc-list">
                                    {owner
                                        .documents
                                        .into_iter()
                                        .map(|document| {
                                            view! {
                                                <DocumentCard document owner=None review=can_review.then_some(review) />
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The Fund chooses which documents every plan asks for.
#[component]
pub fn ChecklistSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetDocumentRequired>::new();
    let changed = successes(set);
    let required = Resource::new(move || changed.get(), |_| required_documents());
    let error: ErrorSignal = Signal::derive(move || set.value().get().and_then(Result::err));
    let saved = succeeded(set);
    view! {
        <Title text=move || td_string!(i18n, documents.config_title) />
        <section class="card">
            <h1>{td!(i18n, documents.config_title)}</h1>
            <p>{td!(i18n, documents.config_intro)}</p>
            <ErrorSummary error />
            <Notice show=saved>{td!(i18n, documents.config_saved)}</Notice>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match required.await {
                        Ok(list) => {
                            view! {
                                <ul class="checklist">
                                    {DocumentType::ALL
                                        .into_iter()
                                        .map(|t| {
                                            let on = list.contains(&t);
                                            view! {
                                                <li class="checklist-item">
                                                    <span>{move || doc_type_text(i18n, t)}</span>
                                                    " "
                                                    <span class=if on {
                                                        "badge badge-verified"
                                                    } else {
                                                        "badge badge-missing"
                                                    }>
                                                        {move || {
                                                            if on {
                                                                td_string!(i18n, documents.required)
                                                            } else {
                                                                td_string!(i18n, documents.not_required)
                                                            }
                                                        }}
                                                    </span>
                                                    <ServerForm action=set attr:class="row-form">
                                                        <input type="hidden" name="doc_type" value=t.key() />
                                                        <input
                                                            type="hidden"
                                                            name="required"
                                                            value=if on { "false" } else { "true" }
                                                        />
                                                        <button type="submit" class="button">
                                                            {move || {
                                                                if on {
                                                                    td_string!(i18n, documents.make_optional)
                                                                } else {
                                                                    td_string!(i18n, documents.make_required)
                                                                }
                                                            }}
                                                        </button>
                                                    </ServerForm>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
