//! Autosave for the builder: every change is first kept on the device (localStorage), then
//! saved to the server after a short pause. A save that fails for want of a connection is
//! retried every few seconds and as soon as the browser is back online; only a confirmed
//! save clears the device copy, so no keystroke is lost to a dropped connection.
use crate::error::AppError;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing changed since the page was loaded.
    Idle,
    /// Changed; the save waits for a pause in typing.
    Pending,
    Saving,
    /// Saved at this local time ("14:05").
    Saved(String),
    /// No connection; kept on the device, retried.
    Offline,
    /// The server failed; kept on the device, retried.
    Failed,
    /// Some input does not read; not saved until fixed (kept on the device).
    Invalid,
    /// Changed on another device; the person chooses.
    Conflict,
}

/// One save at a time per page: every part of a plan carries the plan's revision, so two
/// parts saved at once from the same page would refuse each other. Parts wait their turn.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct SaveGate(StoredValue<bool>);

impl SaveGate {
    /// Shares one gate with every autosave created below this component.
    pub fn provide() {
        provide_context(SaveGate(StoredValue::new(false)));
    }
}

/// The save itself. Thread-safe because the same component also renders on the server,
/// whose workers may drop it on another thread (the future it returns need not be).
type SaveFn<T> = Arc<dyn Fn(T) -> Pin<Box<dyn Future<Output = Result<(), AppError>>>> + Send + Sync>;

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Inner<T> {
    key: String,
    save: SaveFn<T>,
    latest: Option<T>,
    /// Bumped by every change, so a save knows whether it saved the newest version.
    generation: u64,
    in_flight: bool,
    gate: SaveGate,
    #[cfg(feature = "hydrate")]
    timer: Option<leptos::prelude::TimeoutHandle>,
}

/// Debounce after the last keystroke, and the pause between retries.
#[cfg(feature = "hydrate")]
const PAUSE_MS: u64 = 1200;
#[cfg(feature = "hydrate")]
const RETRY_MS: u64 = 5000;
#[cfg(feature = "hydrate")]
const GATE_WAIT_MS: u64 = 250;

/// A handle on one autosaved value (a section's text, a table's cells).
pub struct Autosave<T: Send + Sync + 'static> {
    pub state: RwSignal<SaveState>,
    inner: StoredValue<Inner<T>>,
}

impl<T: Send + Sync + 'static> Clone for Autosave<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Autosave<T> {}

/// Starts autosaving under `key` (unique per plan and section or table) with `save`.
pub fn use_autosave<T, F, Fut>(key: String, save: F) -> Autosave<T>
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), AppError>> + 'static,
{
    let save: SaveFn<T> = Arc::new(move |value| Box::pin(save(value)));
    let autosave = Autosave {
        state: RwSignal::new(SaveState::Idle),
        inner: StoredValue::new(Inner {
            key,
            save,
            latest: None,
            generation: 0,
            in_flight: false,
            gate: use_context::<SaveGate>().unwrap_or_else(|| SaveGate(StoredValue::new(false))),
            #[cfg(feature = "hydrate")]
            timer: None,
        }),
    };
    #[cfg(feature = "hydrate")]
    {
        let online = window_event_listener(leptos::ev::online, move |_| autosave.retry_now());
        on_cleanup(move || online.remove());
    }
    autosave
}

impl<T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static> Autosave<T> {
    /// A change: kept on the device at once; saved after a pause when `valid`.
    pub fn changed(self, value: T, valid: bool) {
        store_local(&self.key(), &value);
        self.inner.update_value(|inner| {
            inner.latest = Some(value);
            inner.generation += 1;
        });
        if valid {
            self.state.set(SaveState::Pending);
            self.schedule(pause_ms());
        } else {
            self.cancel_timer();
            self.state.set(SaveState::Invalid);
        }
    }

    /// A version left on this device by an earlier visit that never reached the server.
    pub fn unsaved_on_device(self) -> Option<T> {
        load_local(&self.key())
    }

    /// Forgets the device copy (the person chose the server's version).
    pub fn discard_local(self) {
        remove_local(&self.key());
        self.inner.update_value(|inner| inner.latest = None);
        self.state.set(SaveState::Idle);
    }

    /// Saves the latest version now (after a conflict, "keep mine").
    pub fn retry_now(self) {
        let has_latest = self.inner.with_value(|inner| inner.latest.is_some());
        if has_latest && self.state.get_untracked() != SaveState::Invalid {
            self.schedule(0);
        }
    }

    fn key(self) -> String {
        self.inner.with_value(|inner| inner.key.clone())
    }

    fn cancel_timer(self) {
        #[cfg(feature = "hydrate")]
        self.inner.update_value(|inner| {
            if let Some(timer) = inner.timer.take() {
                timer.clear();
            }
        });
    }

    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    fn schedule(self, delay_ms: u64) {
        self.cancel_timer();
        #[cfg(feature = "hydrate")]
        {
            let handle = set_timeout_with_handle(move || self.run(), std::time::Duration::from_millis(delay_ms)).ok();
            self.inner.update_value(|inner| inner.timer = handle);
        }
    }

    #[cfg(feature = "hydrate")]
    fn run(self) {
        let Some((value, generation, save, busy, gate)) = self
            .inner
            .try_with_value(|inner| {
                inner
                    .latest
                    .clone()
                    .map(|v| (v, inner.generation, inner.save.clone(), inner.in_flight, inner.gate))
            })
            .flatten()
        else {
            return;
        };
        if busy || gate.0.try_get_value().unwrap_or(false) {
            // One save at a time; this version goes once the one under way is answered.
            self.schedule(GATE_WAIT_MS);
            return;
        }
        gate.0.set_value(true);
        self.inner.update_value(|inner| inner.in_flight = true);
        self.state.set(SaveState::Saving);
        leptos::task::spawn_local(async move {
            let result = save(value).await;
            let _ = gate.0.try_update_value(|busy| *busy = false);
            let Some(newest) = self.inner.try_update_value(|inner| {
                inner.in_flight = false;
                inner.generation == generation
            }) else {
                return; // the page is gone
            };
            match result {
                Ok(()) if newest => {
                    remove_local(&self.key());
                    self.state.set(SaveState::Saved(local_time()));
                }
                Ok(()) => self.schedule(pause_ms()),
                Err(AppError::Conflict { .. }) => self.state.set(SaveState::Conflict),
                Err(AppError::Invalid(_) | AppError::InvalidCells(_) | AppError::InvalidPlan(_)) => {
                    self.state.set(SaveState::Invalid)
                }
                Err(AppError::Transport(_)) => {
                    self.state.set(if online() {
                        SaveState::Failed
                    } else {
                        SaveState::Offline
                    });
                    self.schedule(RETRY_MS);
                }
                Err(_) => {
                    self.state.set(SaveState::Failed);
                    self.schedule(RETRY_MS);
                }
            }
        });
    }
}

fn pause_ms() -> u64 {
    #[cfg(feature = "hydrate")]
    {
        PAUSE_MS
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn store_local<T: Serialize>(key: &str, value: &T) {
    #[cfg(feature = "hydrate")]
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(value)) {
        // A full storage only loses the device copy; the save itself still goes out.
        let _ = storage.set_item(key, &json);
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn load_local<T: DeserializeOwned>(key: &str) -> Option<T> {
    #[cfg(feature = "hydrate")]
    {
        let json = storage()?.get_item(key).ok()??;
        serde_json::from_str(&json).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn remove_local(key: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

#[cfg(feature = "hydrate")]
fn online() -> bool {
    window().navigator().on_line()
}

#[cfg(feature = "hydrate")]
fn local_time() -> String {
    let now = js_sys::Date::new_0();
    format!("{:02}:{:02}", now.get_hours(), now.get_minutes())
}

/// Runs a save that names the revision it started from and keeps the page's revision in
/// step: the new one after a save; the server's after a conflict (so that "keep mine" can
/// save again), handing the server's version to `on_conflict`.
pub async fn save_at_revision<Fut>(
    revision: RwSignal<i64>,
    save: impl FnOnce(i64) -> Fut,
    on_conflict: impl FnOnce(&str),
) -> Result<(), AppError>
where
    Fut: Future<Output = Result<i64, AppError>>,
{
    match save(revision.get_untracked()).await {
        Ok(next) => {
            revision.set(next);
            Ok(())
        }
        Err(AppError::Conflict {
            revision: current,
            saved,
        }) => {
            revision.set(current);
            on_conflict(&saved);
            Err(AppError::Conflict {
                revision: current,
                saved,
            })
        }
        Err(other) => Err(other),
    }
}

/// The key under which a plan part is kept on the device.
pub fn device_key(plan_id: i64, part: &str) -> String {
    format!("riyada:plan:{plan_id}:{part}")
}
