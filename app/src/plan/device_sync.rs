//! Sends plan edits kept on this device to the server as soon as there is a connection,
//! including those of sections and tables that are not on screen (edited offline on another
//! page). The part on screen is saved by its own autosave. A part that changed on the server
//! meanwhile stays on the device; its page shows both versions when opened.
use crate::i18n::*;
use leptos::prelude::*;

/// Drawn in the layout of every page: an island where the page is started by the islands
/// build, a plain part of the app elsewhere.
#[component]
pub fn DeviceSyncPart() -> impl IntoView {
    if crate::components::page_start::draws_islands() {
        view! { <DeviceSyncIsland /> }.into_any()
    } else {
        view! { <DeviceSync /> }.into_any()
    }
}

#[island]
fn DeviceSyncIsland() -> impl IntoView {
    view! { <DeviceSync /> }
}

/// Island-ready (docs/architecture.md, "Parts that need the browser"): it decides the page's
/// language itself.
#[component]
pub fn DeviceSync() -> impl IntoView {
    let i18n = provide_page_language();
    let synced = RwSignal::new(0usize);
    #[cfg(feature = "hydrate")]
    {
        let run = move || {
            leptos::task::spawn_local(async move {
                let n = browser::sync_all().await;
                if n > 0 {
                    synced.update(|count| *count += n);
                }
            })
        };
        // After the page's own editors have claimed their parts.
        Effect::new(move |_| {
            set_timeout(run, std::time::Duration::from_millis(1500));
        });
        let online = window_event_listener(leptos::ev::online, move |_| run());
        on_cleanup(move || online.remove());
    }
    view! {
        <Show when=move || { synced.get() > 0 }>
            <p class="notice synced-notice" role="status">
                {move || td_string!(i18n, offline.synced, count = synced.get()).to_string()}
            </p>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::error::AppError;
    use crate::plan::autosave::{
        active, load_local, local_keys, parse_device_key, remove_local, save_part, PlanPart, SaveOutcome, DEVICE_PREFIX,
    };
    use crate::plan::{save_section, save_table};
    use domain::plan::sections::{SectionKey, SectionKind};
    use domain::plan::tables::Table;
    use std::cell::Cell;

    thread_local! {
        static RUNNING: Cell<bool> = const { Cell::new(false) };
    }

    enum Step {
        Saved,
        Kept,
        Offline,
    }

    /// Saves every kept part not on screen, one after another; stops at the first sign that
    /// the connection is gone. Answers how many reached the server.
    pub async fn sync_all() -> usize {
        if RUNNING.with(|r| r.replace(true)) {
            return 0;
        }
        let keys: Vec<String> = local_keys()
            .into_iter()
            .filter(|k| k.starts_with(DEVICE_PREFIX))
            .collect();
        let mut synced = 0;
        for key in keys {
            if active::is_active(&key) {
                continue;
            }
            match sync_one(&key).await {
                Step::Saved => synced += 1,
                Step::Kept => {}
                Step::Offline => break,
            }
        }
        RUNNING.with(|r| r.set(false));
        synced
    }

    async fn sync_one(key: &str) -> Step {
        let Some((plan_id, part)) = parse_device_key(key) else {
            return Step::Kept;
        };
        if let Some(table) = part.strip_prefix("table-").and_then(Table::from_key) {
            send(key, |cells: Vec<Vec<String>>, at| save_table(plan_id, table, cells, at)).await
        } else if let Some(section) = SectionKey::from_key(part).filter(|s| s.kind() == SectionKind::Text) {
            send(key, |body: String, at| save_section(plan_id, section, body, at)).await
        } else {
            Step::Kept
        }
    }

    async fn send<T, F, Fut>(key: &str, save: F) -> Step
    where
        T: PlanPart,
        F: Fn(T, i64) -> Fut,
        Fut: std::future::Future<Output = Result<i64, AppError>>,
    {
        let Some(copy) = load_local::<T>(key) else {
            return Step::Kept;
        };
        // A copy from before revisions were kept waits for its page.
        let Some(revision) = copy.revision else {
            return Step::Kept;
        };
        match save_part(&copy.value, copy.base.as_ref(), revision, save).await {
            SaveOutcome::Saved { .. } => {
                // Typed again on another tab meanwhile? Then that newer copy stays.
                if load_local::<T>(key).is_some_and(|now| now.value == copy.value) {
                    remove_local(key);
                }
                Step::Saved
            }
            SaveOutcome::Failed(AppError::Transport(_)) => Step::Offline,
            // A conflict, invalid cells, a plan no longer editable: the page says so.
            SaveOutcome::Conflict { .. } | SaveOutcome::Failed(_) => Step::Kept,
        }
    }
}
