//! The browser entry points: one crate, two builds (docs/performance.md, "Two browser
//! builds"). Without the `islands` feature it hydrates the whole app (staff and Fund pages);
//! with it, it only prepares the islands of an entrepreneur's page, and the page's start-up
//! script then hydrates each `<leptos-island>` with the function of the same name that this
//! build exports. That build never names `App`, so the linker leaves out every page.
use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use wasm_bindgen::prelude::{wasm_bindgen, Closure};
use wasm_bindgen::JsCast;

// Links the app's crate although this build names nothing in it: its islands' hydration
// functions are exported from there, and an unnamed crate would be left out.
#[cfg(feature = "islands")]
extern crate app;

#[cfg(feature = "islands")]
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if let Err(err) = Executor::init_custom_executor(OwnTasks) {
        leptos::logging::error!("the islands' tasks run in the default executor: {err:?}");
    }
    leptos::mount::hydrate_islands();
}

#[cfg(not(feature = "islands"))]
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if let Err(err) = Executor::init_custom_executor(OwnTasks) {
        leptos::logging::error!("the app's tasks run in the default executor: {err:?}");
    }
    let document = web_sys::window().and_then(|window| window.document());
    let title = document.as_ref().map(web_sys::Document::title);
    leptos::mount::hydrate_body(app::App);
    // leptos_meta's `<Title>` empties the title while it hydrates and sets it again only when
    // its effect runs, which with the tasks below is a later task: the tab would show no
    // title meanwhile (and an accessibility check finds none). The server's title is right.
    if let (Some(document), Some(title)) = (document, title) {
        if document.title().is_empty() {
            document.set_title(&title);
        }
    }
}

/// Starts each of the app's tasks (effects, resources, actions) in a browser task of its
/// own, not in the microtasks of the task that spawned it. Hydrating a page spawns dozens
/// at once; run in one go with the hydration they made one long task that kept the page
/// from answering a tap (V8 compiles each WASM function on its first call, so the first run
/// of each is slow; see docs/performance.md). After its first step a task goes on as
/// wasm-bindgen-futures drives it.
struct OwnTasks;

impl CustomExecutor for OwnTasks {
    fn spawn(&self, fut: PinnedFuture<()>) {
        self.spawn_local(fut);
    }

    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        wasm_bindgen_futures::spawn_local(async move {
            next_task().await;
            fut.await;
        });
    }

    fn poll_local(&self) {}
}

/// Resolves in a new browser task: a message to ourselves, which, unlike `setTimeout`, is
/// not slowed down when tasks start tasks.
async fn next_task() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let port = channel.port1();
        let on_message = Closure::once_into_js(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        });
        port.set_onmessage(Some(on_message.unchecked_ref()));
        let _ = channel.port2().post_message(&wasm_bindgen::JsValue::UNDEFINED);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
