//! The uploader: several files at once from the file picker or the phone camera (drag and
//! drop on desktop), each with a progress bar, cancel and retry. Large photos are made
//! smaller in the browser before they travel (long side 2000 px, JPEG); files go in 1 MiB
//! chunks, and when the connection drops the upload waits, asks the server what it has, and
//! continues from there. Needs JavaScript; `pages::PlainUploadForm` serves browsers without.
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{doc_type_text, file_problem_text, size_text};
use domain::documents::{DocumentType, FILE_MAX_DEFAULT};
use leptos::prelude::*;

/// Where one file stands.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemState {
    Preparing,
    Uploading,
    /// The connection dropped; waiting to continue.
    Waiting,
    Done,
    Cancelled,
    Failed(Failure),
}

impl ItemState {
    /// The state's name in the page (`data-state`), which the browser tests follow a row by:
    /// a fixed word, not the error inside a failure. (A failed row's text is coloured by
    /// `field-error`.)
    pub fn key(&self) -> &'static str {
        match self {
            ItemState::Preparing => "preparing",
            ItemState::Uploading => "uploading",
            ItemState::Waiting => "waiting",
            ItemState::Done => "done",
            ItemState::Cancelled => "cancelled",
            ItemState::Failed(_) => "failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    Server(AppError),
    /// The browser could not read the file.
    Unreadable,
    /// No Web Crypto (an insecure page or a very old browser).
    NoCrypto,
}

/// One file in the queue. Signals only, so the item is `Copy` into every closure.
#[derive(Clone, Copy, Debug)]
pub struct UploadItem {
    pub key: u32,
    pub name: RwSignal<String>,
    pub state: RwSignal<ItemState>,
    pub sent: RwSignal<f64>,
    pub total: RwSignal<f64>,
    pub upload_id: RwSignal<Option<String>>,
}

/// Tells the page that a file was accepted: an event on the window rather than a callback,
/// because the uploader is to be hydrated on its own one day (docs/architecture.md, "Parts
/// that need the browser") and an island's props cannot carry a function.
pub const UPLOADED_EVENT: &str = "riyada-uploaded";

/// Island-ready: it decides the page's language itself and reports each accepted file with
/// [`UPLOADED_EVENT`].
/// The uploader as an island where the page is started by the islands build, a plain part
/// of the app elsewhere.
#[component]
pub fn UploaderPart(
    #[prop(into)] id_prefix: String,
    #[prop(optional_no_strip)] preselected: Option<DocumentType>,
    #[prop(optional_no_strip)] replaces: Option<i64>,
) -> impl IntoView {
    if crate::components::page_start::draws_islands() {
        view! { <UploaderIsland id_prefix preselected replaces /> }.into_any()
    } else {
        view! { <Uploader id_prefix preselected replaces /> }.into_any()
    }
}

#[island]
fn UploaderIsland(
    id_prefix: String,
    #[prop(optional_no_strip)] preselected: Option<DocumentType>,
    #[prop(optional_no_strip)] replaces: Option<i64>,
) -> impl IntoView {
    view! { <Uploader id_prefix preselected replaces /> }
}

#[component]
pub fn Uploader(
    /// Keeps element ids unique when several uploaders share a page.
    #[prop(into)]
    id_prefix: String,
    #[prop(optional_no_strip)] preselected: Option<DocumentType>,
    /// Uploading a new version of this document (its type is fixed).
    #[prop(optional_no_strip)]
    replaces: Option<i64>,
) -> impl IntoView {
    let i18n = provide_page_language();
    let doc_type = RwSignal::new(preselected.unwrap_or(DocumentType::IdCopy));
    let items = RwSignal::new(Vec::<UploadItem>::new());
    let next_key = StoredValue::new(0u32);
    let dragging = RwSignal::new(false);
    let type_id = format!("{id_prefix}-type");
    let pick_id = format!("{id_prefix}-pick");
    let camera_id = format!("{id_prefix}-camera");

    // Starts one upload per file (browser only).
    let add_files = move |files: Option<web_sys_files::FileList>| {
        #[cfg(feature = "hydrate")]
        if let Some(files) = files {
            for index in 0..files.length() {
                let Some(file) = files.get(index) else { continue };
                let key = next_key.get_value();
                next_key.set_value(key.wrapping_add(1));
                let item = UploadItem {
                    key,
                    name: RwSignal::new(file.name()),
                    state: RwSignal::new(ItemState::Preparing),
                    sent: RwSignal::new(0.0),
                    total: RwSignal::new(file.size()),
                    upload_id: RwSignal::new(None),
                };
                items.update(|list| list.push(item));
                client::remember(key, file);
                client::start(item, doc_type.get_untracked(), replaces);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (files, next_key, doc_type, items, replaces);
    };

    let on_pick = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
            add_files(input.as_ref().and_then(|i| i.files()));
            // The same file can be chosen again (to resume after a reload, or to retry).
            if let Some(input) = input {
                input.set_value("");
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, add_files);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        #[cfg(feature = "hydrate")]
        add_files(ev.data_transfer().and_then(|d| d.files()));
    };
    let on_dragover = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };

    view! {
        <div class="uploader js-only">
            {match replaces {
                Some(_) => ().into_any(),
                None => {
                    view! {
                        <div class="field">
                            <label for=type_id.clone()>{td!(i18n, documents.doc_type)}</label>
                            <select
                                id=type_id
                                on:change=move |ev| {
                                    if let Some(t) = DocumentType::from_key(&event_target_value(&ev)) {
                                        doc_type.set(t);
                                    }
                                }
                            >
                                <DocTypeOptions selected=preselected />
                            </select>
                        </div>
                    }
                        .into_any()
                }
            }}
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragover=on_dragover
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <input
                    id=pick_id.clone()
                    class="visually-hidden"
                    type="file"
                    multiple=replaces.is_none()
                    accept="application/pdf,image/jpeg,image/png,image/webp,.pdf,.jpg,.jpeg,.png,.webp"
                    on:change=on_pick
                />
                <label for=pick_id class="button primary">
                    {td!(i18n, documents.pick_files)}
                </label>
                <input
                    id=camera_id.clone()
                    class="visually-hidden"
                    type="file"
                    accept="image/*"
                    capture="environment"
                    on:change=on_pick
                />
                <label for=camera_id class="button">
                    {td!(i18n, documents.take_photo)}
                </label>
                <p class="hint drop-hint">{td!(i18n, documents.drop_here)}</p>
                <p class="hint">
                    {move || {
                        let locale = i18n;
                        td_string!(
                            locale, documents.accepted,
                        max = size_text(locale, FILE_MAX_DEFAULT)
                        )
                            .to_string()
                    }}
                </p>
            </div> <ul class="upload-queue" aria-live="polite">
                <For each=move || items.get() key=|item| item.key let:item>
                    <QueueRow item replaces />
                </For>
            </ul>
        </div>
    }
}

/// `FileList` on the browser; a stand-in on the server, where nothing is ever picked.
#[cfg(feature = "hydrate")]
mod web_sys_files {
    pub use web_sys::FileList;
}
#[cfg(not(feature = "hydrate"))]
mod web_sys_files {
    pub struct FileList;
}

#[component]
fn QueueRow(item: UploadItem, replaces: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let percent = move || {
        let total = item.total.get();
        if total > 0.0 {
            ((item.sent.get() / total) * 100.0).clamp(0.0, 100.0).round() as u32
        } else {
            0
        }
    };
    let state_text = move || {
        let locale = i18n;
        match item.state.get() {
            ItemState::Preparing => td_string!(locale, documents.state_preparing).to_string(),
            ItemState::Uploading => td_string!(locale, documents.state_uploading).to_string(),
            ItemState::Waiting => td_string!(locale, documents.state_waiting).to_string(),
            ItemState::Done => td_string!(locale, documents.state_done).to_string(),
            ItemState::Cancelled => td_string!(locale, documents.state_cancelled).to_string(),
            ItemState::Failed(Failure::Server(AppError::File(problem))) => file_problem_text(locale, problem),
            ItemState::Failed(Failure::Server(other)) => crate::lang::error_text(locale, &other),
            ItemState::Failed(Failure::Unreadable) => td_string!(locale, documents.unreadable).to_string(),
            ItemState::Failed(Failure::NoCrypto) => td_string!(locale, documents.unsupported_browser).to_string(),
        }
    };
    let active = move || {
        matches!(
            item.state.get(),
            ItemState::Preparing | ItemState::Uploading | ItemState::Waiting
        )
    };
    let failed = move || matches!(item.state.get(), ItemState::Failed(_));
    let cancel = move |_| {
        #[cfg(feature = "hydrate")]
        client::cancel(item);
    };
    let retry = move |_| {
        #[cfg(feature = "hydrate")]
        client::retry(item, replaces);
        #[cfg(not(feature = "hydrate"))]
        let _ = replaces;
    };
    view! {
        <li class="upload-item" data-state=move || item.state.with(ItemState::key)>
            <p class="upload-name">
                <bdi>{move || item.name.get()}</bdi>
                " · "
                {move || size_text(i18n, item.total.get() as u64)}
            </p>
            <progress max="100" value=move || percent().to_string() aria-label=move || item.name.get()></progress>
            <span class="upload-percent">{move || crate::lang::digits(i18n, format!("{}%", percent()))}</span>
            <p class="upload-state" class:field-error=failed role=move || failed().then_some("alert")>
                {state_text}
            </p>
            {move || {
                active()
                    .then(|| {
                        view! {
                            <button type="button" class="button" on:click=cancel>
                                {td!(i18n, documents.cancel)}
                            </button>
                        }
                    })
            }}
            {move || {
                failed()
                    .then(|| {
                        view! {
                            <button type="button" class="button" on:click=retry>
                                {td!(i18n, documents.retry)}
                            </button>
                        }
                    })
            }}
        </li>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    //! The browser side: preparing, hashing and sending a file.
    use super::{Failure, ItemState, UploadItem};
    use crate::documents::{UploadProgress, UploadStart};
    use crate::error::AppError;
    use domain::documents::{DocumentType, FileProblem};
    use js_sys::{Object, Promise, Uint8Array};
    use leptos::prelude::*;
    use std::cell::RefCell;
    use std::collections::HashMap;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Blob, File, XmlHttpRequest};

    /// Photos are sent with this long side at most.
    const LONG_SIDE: u32 = 2000;
    /// Photos smaller than this (and within the long side) travel as they are.
    const SMALL_PHOTO: f64 = 1.5 * 1024.0 * 1024.0;

    thread_local! {
        /// The picked files, for retries.
        static FILES: RefCell<HashMap<u32, File>> = RefCell::new(HashMap::new());
        /// The request in flight per item, so cancel can abort it.
        static ACTIVE: RefCell<HashMap<u32, XmlHttpRequest>> = RefCell::new(HashMap::new());
    }

    pub fn remember(key: u32, file: File) {
        FILES.with(|f| f.borrow_mut().insert(key, file));
    }

    pub fn start(item: UploadItem, doc_type: DocumentType, replaces: Option<i64>) {
        let Some(file) = FILES.with(|f| f.borrow().get(&item.key).cloned()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let outcome = run(item, &file, doc_type, replaces).await;
            match outcome {
                Ok(()) => {
                    item.state.set(ItemState::Done);
                    FILES.with(|f| f.borrow_mut().remove(&item.key));
                    announce_uploaded();
                }
                Err(None) => {}
                Err(Some(failure)) => {
                    if item.state.get_untracked() != ItemState::Cancelled {
                        item.state.set(ItemState::Failed(failure));
                    }
                }
            }
        });
    }

    pub fn retry(item: UploadItem, replaces: Option<i64>) {
        let doc_type = RETRY_TYPES
            .with(|t| t.borrow().get(&item.key).copied())
            .unwrap_or(DocumentType::Other);
        item.state.set(ItemState::Preparing);
        start(item, doc_type, replaces);
    }

    /// Sends [`super::UPLOADED_EVENT`] to whatever on the page listens for it: the page's
    /// own listener where the app runs the page, the start-up script's where the uploader
    /// is an island in server HTML (it then fetches the page's changed parts again).
    fn announce_uploaded() {
        let sent = web_sys::Event::new(super::UPLOADED_EVENT).and_then(|event| window().dispatch_event(&event));
        if let Err(err) = sent {
            leptos::logging::error!("the page could not be told of an accepted file: {err:?}");
        }
    }

    thread_local! {
        static RETRY_TYPES: RefCell<HashMap<u32, DocumentType>> = RefCell::new(HashMap::new());
    }

    pub fn cancel(item: UploadItem) {
        item.state.set(ItemState::Cancelled);
        if let Some(xhr) = ACTIVE.with(|a| a.borrow_mut().remove(&item.key)) {
            let _ = xhr.abort();
        }
        FILES.with(|f| f.borrow_mut().remove(&item.key));
        if let Some(id) = item.upload_id.get_untracked() {
            leptos::task::spawn_local(async move {
                let _ = send(u32::MAX, "DELETE", &format!("/uploads/{id}"), Body::Empty, None).await;
            });
        }
    }

    enum Body {
        Empty,
        Json(String),
        Blob(Blob),
    }

    enum SendError {
        /// No answer: offline, timed out, connection cut.
        Network,
        Aborted,
    }

    /// One request with XMLHttpRequest (fetch cannot report upload progress).
    async fn send(
        key: u32,
        method: &str,
        url: &str,
        body: Body,
        progress: Option<Box<dyn FnMut(f64)>>,
    ) -> Result<(u16, String), SendError> {
        let xhr = XmlHttpRequest::new().map_err(|_| SendError::Network)?;
        xhr.open_with_async(method, url, true).map_err(|_| SendError::Network)?;
        let _ = xhr.set_request_header("Accept", "application/json");
        xhr.set_timeout(120_000);
        let mut resolver = None;
        let promise = Promise::new(&mut |resolve, _| resolver = Some(resolve));
        let Some(resolve) = resolver else {
            return Err(SendError::Network);
        };
        let settle = |how: &'static str| {
            let resolve = resolve.clone();
            Closure::<dyn FnMut()>::new(move || {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(how));
            })
        };
        let (on_load, on_error, on_abort, on_timeout) =
            (settle("load"), settle("error"), settle("abort"), settle("error"));
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
        xhr.set_ontimeout(Some(on_timeout.as_ref().unchecked_ref()));
        let on_progress = progress.map(|mut report| {
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| report(ev.loaded()))
        });
        if let (Some(callback), Ok(upload)) = (&on_progress, xhr.upload()) {
            upload.set_onprogress(Some(callback.as_ref().unchecked_ref()));
        }
        ACTIVE.with(|a| a.borrow_mut().insert(key, xhr.clone()));
        let sent = match &body {
            Body::Empty => xhr.send(),
            Body::Json(text) => {
                let _ = xhr.set_request_header("Content-Type", "application/json");
                xhr.send_with_opt_str(Some(text))
            }
            Body::Blob(blob) => xhr.send_with_opt_blob(Some(blob)),
        };
        let outcome = if sent.is_ok() {
            JsFuture::from(promise).await.ok().and_then(|v| v.as_string())
        } else {
            None
        };
        ACTIVE.with(|a| a.borrow_mut().remove(&key));
        // The handlers live until here, so they were alive whenever the request settled.
        drop((on_load, on_error, on_abort, on_timeout, on_progress));
        match outcome.as_deref() {
            Some("load") => Ok((
                xhr.status().unwrap_or(0),
                xhr.response_text().ok().flatten().unwrap_or_default(),
            )),
            Some("abort") => Err(SendError::Aborted),
            _ => Err(SendError::Network),
        }
    }

    /// Waits `ms` milliseconds, or less if the browser comes back online. (A promise of the
    /// browser's own: gloo's timer and event futures cost more WASM than they save here.)
    async fn pause(ms: i32) {
        let promise = Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
                let options = web_sys::AddEventListenerOptions::new();
                options.set_once(true);
                let _ = window
                    .add_event_listener_with_callback_and_add_event_listener_options("online", &resolve, &options);
            }
        });
        let _ = JsFuture::from(promise).await;
    }

    fn server_error(status: u16, text: &str) -> AppError {
        serde_json::from_str::<AppError>(text).unwrap_or(match status {
            401 => AppError::Unauthenticated,
            413 => AppError::TooLarge,
            _ => AppError::Internal,
        })
    }

    /// A photo made smaller when it is large: returns what to send and its name.
    async fn prepare(file: &File) -> Result<(Blob, String), Failure> {
        let name = file.name();
        let photo = matches!(file.type_().as_str(), "image/jpeg" | "image/png" | "image/webp");
        if !photo {
            return Ok((file.clone().into(), name));
        }
        let window = web_sys::window().ok_or(Failure::Unreadable)?;
        // A file the browser cannot draw travels as it is; the server judges it.
        let Ok(bitmap_promise) = window.create_image_bitmap_with_blob(file) else {
            return Ok((file.clone().into(), name));
        };
        let Ok(bitmap) = JsFuture::from(bitmap_promise)
            .await
            .and_then(|b| b.dyn_into::<web_sys::ImageBitmap>())
        else {
            return Ok((file.clone().into(), name));
        };
        let (width, height) = (bitmap.width(), bitmap.height());
        let long = width.max(height);
        if long <= LONG_SIDE && file.size() <= SMALL_PHOTO {
            return Ok((file.clone().into(), name));
        }
        let scale = f64::from(LONG_SIDE.min(long)) / f64::from(long);
        let (w, h) = (
            (f64::from(width) * scale).round().max(1.0),
            (f64::from(height) * scale).round().max(1.0),
        );
        let document = window.document().ok_or(Failure::Unreadable)?;
        let canvas: web_sys::HtmlCanvasElement = document
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into().ok())
            .ok_or(Failure::Unreadable)?;
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
        let context: web_sys::CanvasRenderingContext2d = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into().ok())
            .ok_or(Failure::Unreadable)?;
        // A white page under transparent pictures (JPEG has no transparency).
        context.set_fill_style_str("#ffffff");
        context.fill_rect(0.0, 0.0, w, h);
        context
            .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)
            .map_err(|_| Failure::Unreadable)?;
        bitmap.close();
        let encoded = Promise::new(&mut |resolve, _| {
            let _ = canvas.to_blob_with_type_and_encoder_options(&resolve, "image/jpeg", &JsValue::from_f64(0.85));
        });
        let blob: Blob = JsFuture::from(encoded)
            .await
            .ok()
            .and_then(|b| b.dyn_into().ok())
            .ok_or(Failure::Unreadable)?;
        let stem = name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(&name);
        Ok((blob, format!("{stem}.jpg")))
    }

    async fn sha256_hex(blob: &Blob) -> Result<String, Failure> {
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|_| Failure::Unreadable)?;
        let crypto = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .ok_or(Failure::NoCrypto)?;
        let subtle = crypto.subtle();
        if subtle.is_undefined() {
            return Err(Failure::NoCrypto);
        }
        let digest = subtle
            .digest_with_str_and_buffer_source("SHA-256", &buffer.unchecked_into::<Object>())
            .map_err(|_| Failure::NoCrypto)?;
        let digest = JsFuture::from(digest).await.map_err(|_| Failure::NoCrypto)?;
        let bytes = Uint8Array::new(&digest).to_vec();
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Sends a file; `Err(None)` when cancelled.
    async fn run(
        item: UploadItem,
        file: &File,
        doc_type: DocumentType,
        replaces: Option<i64>,
    ) -> Result<(), Option<Failure>> {
        RETRY_TYPES.with(|t| t.borrow_mut().insert(item.key, doc_type));
        item.state.set(ItemState::Preparing);
        let (blob, name) = prepare(file).await.map_err(Some)?;
        let size = blob.size();
        item.name.set(name.clone());
        item.total.set(size);
        item.sent.set(0.0);
        let sha256 = sha256_hex(&blob).await.map_err(Some)?;
        let start = UploadStart {
            doc_type: doc_type.key().to_string(),
            name,
            size: size as u64,
            sha256,
            replaces,
        };
        let announce = serde_json::to_string(&start).map_err(|_| Some(Failure::Unreadable))?;
        let mut delay = 1000;
        let mut progress: UploadProgress = loop {
            if item.state.get_untracked() == ItemState::Cancelled {
                return Err(None);
            }
            match send(item.key, "POST", "/uploads", Body::Json(announce.clone()), None).await {
                Ok((200 | 201, text)) => {
                    break serde_json::from_str(&text).map_err(|_| Some(Failure::Server(AppError::Internal)))?
                }
                Ok((status, text)) => return Err(Some(Failure::Server(server_error(status, &text)))),
                Err(SendError::Aborted) => return Err(None),
                Err(SendError::Network) => {
                    item.state.set(ItemState::Waiting);
                    pause(delay).await;
                    delay = (delay * 2).min(30_000);
                }
            }
        };
        item.upload_id.set(Some(progress.id.clone()));
        item.state.set(ItemState::Uploading);
        loop {
            item.sent.set(progress.received as f64);
            if progress.document.is_some() {
                item.sent.set(size);
                return Ok(());
            }
            if item.state.get_untracked() == ItemState::Cancelled {
                return Err(None);
            }
            let id = progress.id.clone();
            let result = if progress.received >= progress.size {
                // Every byte is there but the check was not confirmed: ask again.
                send(item.key, "GET", &format!("/uploads/{id}"), Body::Empty, None).await
            } else {
                let from = progress.received;
                let to = (from + progress.chunk_size).min(progress.size);
                let piece = blob
                    .slice_with_f64_and_f64(from as f64, to as f64)
                    .map_err(|_| Some(Failure::Unreadable))?;
                let base = from as f64;
                let report: Box<dyn FnMut(f64)> = Box::new(move |loaded| item.sent.set(base + loaded));
                send(
                    item.key,
                    "PUT",
                    &format!("/uploads/{id}?offset={from}"),
                    Body::Blob(piece),
                    Some(report),
                )
                .await
            };
            match result {
                Ok((200, text)) => {
                    progress = serde_json::from_str(&text).map_err(|_| Some(Failure::Server(AppError::Internal)))?;
                    item.state.set(ItemState::Uploading);
                    delay = 1000;
                }
                Ok((409, text)) => match server_error(409, &text) {
                    // The server has a different amount than we thought: continue from there.
                    AppError::File(FileProblem::OutOfOrder { received }) => progress.received = received,
                    other => return Err(Some(Failure::Server(other))),
                },
                // A proxy or server hiccup: wait and ask where things stand.
                Ok((502..=504, _)) | Err(SendError::Network) => {
                    item.state.set(ItemState::Waiting);
                    item.sent.set(progress.received as f64);
                    pause(delay).await;
                    delay = (delay * 2).min(30_000);
                    if let Ok((200, text)) = send(item.key, "GET", &format!("/uploads/{id}"), Body::Empty, None).await {
                        if let Ok(now) = serde_json::from_str::<UploadProgress>(&text) {
                            progress = now;
                            item.state.set(ItemState::Uploading);
                        }
                    }
                }
                Ok((status, text)) => return Err(Some(Failure::Server(server_error(status, &text)))),
                Err(SendError::Aborted) => return Err(None),
            }
        }
    }
}

#[component]
pub fn DocTypeOptions(selected: Option<DocumentType>) -> impl IntoView {
    let i18n = use_i18n();
    DocumentType::ALL
        .into_iter()
        .map(|t| {
            view! {
                <option value=t.key() selected=selected == Some(t)>
                    {move || doc_type_text(i18n, t)}
                </option>
            }
        })
        .collect_view()
}
