//! Autosave for the builder: every change is first kept on the device (localStorage), then
//! saved to the server after a short pause. A save that fails for want of a connection is
//! retried every few seconds and as soon as the browser is back online; only a confirmed
//! save clears the device copy, so no keystroke is lost to a dropped connection.
//!
//! The device copy remembers the server's version it was typed over (`base`) and the plan's
//! revision then. The revision belongs to the whole plan, so a save that finds it moved on
//! is only a real conflict when *this part* changed on the server meanwhile; when another
//! part did (another section saved offline, another tab), the save simply goes again at
//! the new revision. A real conflict is shown with both versions; nothing is dropped.
use crate::error::AppError;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
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

/// A part of a plan as it travels: a section's text or a table's cells.
pub trait PlanPart: Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The server's version from a conflict answer.
    fn from_saved(saved: &str) -> Option<Self>;
}

impl PlanPart for String {
    fn from_saved(saved: &str) -> Option<Self> {
        Some(saved.to_string())
    }
}

impl PlanPart for Vec<Vec<String>> {
    fn from_saved(saved: &str) -> Option<Self> {
        serde_json::from_str(saved).ok()
    }
}

/// What the device keeps of a part that has not reached the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceCopy<T> {
    pub value: T,
    /// The server's version the value was typed over (unknown for copies kept before this
    /// was recorded). A missing field reads as `None`.
    pub base: Option<T>,
    /// The plan's revision the value was typed at.
    pub revision: Option<i64>,
}

impl<T: PlanPart> DeviceCopy<T> {
    /// Reads a stored copy; older copies were the bare value.
    pub fn parse(json: &str) -> Option<Self> {
        serde_json::from_str::<DeviceCopy<T>>(json).ok().or_else(|| {
            serde_json::from_str::<T>(json).ok().map(|value| DeviceCopy {
                value,
                base: None,
                revision: None,
            })
        })
    }
}

/// What to do with a device copy found when the page opens with the server's `current`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Restore {
    /// Nothing to restore: no copy, or the server already has it.
    Nothing,
    /// The server's part is still what the copy was typed over: show the copy and save it.
    Resume,
    /// The part changed on the server too: show the copy and both versions to choose from.
    Conflict,
}

pub fn decide_restore<T: PartialEq>(copy: Option<&DeviceCopy<T>>, current: &T) -> Restore {
    match copy {
        None => Restore::Nothing,
        Some(copy) if copy.value == *current => Restore::Nothing,
        Some(DeviceCopy { base: Some(base), .. }) if base != current => Restore::Conflict,
        Some(_) => Restore::Resume,
    }
}

/// The end of one save of a part.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveOutcome<T> {
    /// On the server at this revision.
    Saved {
        revision: i64,
    },
    /// The part changed on the server: `theirs`, at the plan's `revision`.
    Conflict {
        revision: i64,
        theirs: T,
    },
    Failed(AppError),
}

/// A save may find the plan moved on this many times in a row before it waits for a retry.
const MOVED_ON_TRIES: usize = 4;

/// Saves `value`, typed over `base` at `revision`, through `save` (which returns the new
/// revision). When the plan has moved on but this part on the server is still `base`, or
/// already `value`, it is no conflict.
pub async fn save_part<T, F, Fut>(value: &T, base: Option<&T>, mut revision: i64, save: F) -> SaveOutcome<T>
where
    T: PlanPart,
    F: Fn(T, i64) -> Fut,
    Fut: Future<Output = Result<i64, AppError>>,
{
    for _ in 0..MOVED_ON_TRIES {
        match save(value.clone(), revision).await {
            Ok(next) => return SaveOutcome::Saved { revision: next },
            Err(AppError::Conflict {
                revision: current,
                saved,
            }) => match T::from_saved(&saved) {
                Some(theirs) if theirs == *value => return SaveOutcome::Saved { revision: current },
                Some(theirs) if Some(&theirs) == base => revision = current,
                Some(theirs) => {
                    return SaveOutcome::Conflict {
                        revision: current,
                        theirs,
                    }
                }
                None => {
                    return SaveOutcome::Failed(AppError::Conflict {
                        revision: current,
                        saved,
                    })
                }
            },
            Err(other) => return SaveOutcome::Failed(other),
        }
    }
    SaveOutcome::Failed(AppError::Transport("the plan kept changing".into()))
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

/// The save itself: the value at a revision, answering the next revision. Thread-safe
/// because the same component also renders on the server, whose workers may drop it on
/// another thread (the future it returns need not be).
type SaveFn<T> = Arc<dyn Fn(T, i64) -> Pin<Box<dyn Future<Output = Result<i64, AppError>>>> + Send + Sync>;
type ConflictFn<T> = Arc<dyn Fn(T) + Send + Sync>;

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Inner<T> {
    key: String,
    save: SaveFn<T>,
    on_conflict: ConflictFn<T>,
    latest: Option<T>,
    /// The server's version of the part, as last seen.
    base: Option<T>,
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
    /// The plan's revision the page is at, shared by every part of the page.
    revision: RwSignal<i64>,
    inner: StoredValue<Inner<T>>,
}

impl<T: Send + Sync + 'static> Clone for Autosave<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Autosave<T> {}

/// Starts autosaving the part shown as `base` under `key` (unique per plan and part) with
/// `save`; `on_conflict` receives the server's version when it changed elsewhere.
pub fn use_autosave<T, F, Fut>(
    key: String,
    revision: RwSignal<i64>,
    base: T,
    save: F,
    on_conflict: impl Fn(T) + Send + Sync + 'static,
) -> Autosave<T>
where
    T: PlanPart,
    F: Fn(T, i64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<i64, AppError>> + 'static,
{
    let save: SaveFn<T> = Arc::new(move |value, at| Box::pin(save(value, at)));
    #[cfg(feature = "hydrate")]
    active::claim(&key);
    let autosave = Autosave {
        state: RwSignal::new(SaveState::Idle),
        revision,
        inner: StoredValue::new(Inner {
            key,
            save,
            on_conflict: Arc::new(on_conflict),
            latest: None,
            base: Some(base),
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
        let key = autosave.key();
        on_cleanup(move || {
            online.remove();
            active::release(&key);
        });
    }
    autosave
}

impl<T: PlanPart> Autosave<T> {
    /// A change: kept on the device at once; saved after a pause when `valid`.
    pub fn changed(self, value: T, valid: bool) {
        self.inner.update_value(|inner| {
            inner.latest = Some(value);
            inner.generation += 1;
        });
        self.keep_on_device();
        if valid {
            self.state.set(SaveState::Pending);
            self.schedule(pause_ms());
        } else {
            self.cancel_timer();
            self.state.set(SaveState::Invalid);
        }
    }

    /// The version this device kept from an earlier visit, and what to do with it given the
    /// server's `current` one. On a conflict the server's version goes to `on_conflict`.
    pub fn restore(self, current: &T) -> Option<(T, Restore)> {
        let copy = load_local::<T>(&self.key())?;
        match decide_restore(Some(&copy), current) {
            Restore::Nothing => {
                remove_local(&self.key());
                None
            }
            Restore::Resume => {
                // Saved as typed over what the server has now, at the page's revision.
                Some((copy.value, Restore::Resume))
            }
            Restore::Conflict => {
                self.inner.update_value(|inner| {
                    inner.latest = Some(copy.value.clone());
                    inner.base = copy.base.clone();
                });
                self.state.set(SaveState::Conflict);
                let on_conflict = self.inner.with_value(|inner| inner.on_conflict.clone());
                on_conflict(current.clone());
                Some((copy.value, Restore::Conflict))
            }
        }
    }

    /// After a conflict: this device's version wins over `theirs`, which the person saw.
    pub fn keep_mine(self, value: T, theirs: T) {
        self.inner.update_value(|inner| inner.base = Some(theirs));
        self.changed(value, true);
        self.retry_now();
    }

    /// After a conflict: the server's version `theirs` wins; the device copy goes.
    pub fn take_theirs(self, theirs: T) {
        remove_local(&self.key());
        self.inner.update_value(|inner| {
            inner.latest = None;
            inner.base = Some(theirs);
        });
        self.state.set(SaveState::Idle);
    }

    /// Saves the latest version now (when the connection returns).
    pub fn retry_now(self) {
        let has_latest = self.inner.with_value(|inner| inner.latest.is_some());
        if has_latest && !matches!(self.state.get_untracked(), SaveState::Invalid | SaveState::Conflict) {
            self.schedule(0);
        }
    }

    fn key(self) -> String {
        self.inner.with_value(|inner| inner.key.clone())
    }

    fn keep_on_device(self) {
        let revision = self.revision.get_untracked();
        self.inner.with_value(|inner| {
            if let Some(value) = &inner.latest {
                store_local(
                    &inner.key,
                    &DeviceCopy {
                        value: value.clone(),
                        base: inner.base.clone(),
                        revision: Some(revision),
                    },
                );
            }
        });
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
        let Some((value, base, generation, save, busy, gate)) = self
            .inner
            .try_with_value(|inner| {
                inner.latest.clone().map(|v| {
                    (
                        v,
                        inner.base.clone(),
                        inner.generation,
                        inner.save.clone(),
                        inner.in_flight,
                        inner.gate,
                    )
                })
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
            let Some(revision) = self.revision.try_get_untracked() else {
                return;
            };
            let outcome = save_part(&value, base.as_ref(), revision, |v, at| save(v, at)).await;
            let _ = gate.0.try_update_value(|busy| *busy = false);
            let Some(newest) = self.inner.try_update_value(|inner| {
                inner.in_flight = false;
                inner.generation == generation
            }) else {
                return; // the page is gone
            };
            match outcome {
                SaveOutcome::Saved { revision } => {
                    self.revision.set(revision);
                    self.inner.update_value(|inner| inner.base = Some(value));
                    if newest {
                        remove_local(&self.key());
                        self.state.set(SaveState::Saved(local_time()));
                    } else {
                        // The newer version is now typed over what was just saved.
                        self.keep_on_device();
                        self.schedule(pause_ms());
                    }
                }
                SaveOutcome::Conflict { revision, theirs } => {
                    self.revision.set(revision);
                    self.state.set(SaveState::Conflict);
                    let on_conflict = self.inner.with_value(|inner| inner.on_conflict.clone());
                    on_conflict(theirs);
                }
                SaveOutcome::Failed(AppError::Invalid(_) | AppError::InvalidCells(_) | AppError::InvalidPlan(_)) => {
                    self.state.set(SaveState::Invalid)
                }
                SaveOutcome::Failed(AppError::Transport(_)) => {
                    self.state.set(if online() {
                        SaveState::Failed
                    } else {
                        SaveState::Offline
                    });
                    self.schedule(RETRY_MS);
                }
                SaveOutcome::Failed(_) => {
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

/// The keys edited by the page on screen, which saves them itself; the background sync of
/// other parts leaves them alone.
#[cfg(feature = "hydrate")]
pub mod active {
    use std::cell::RefCell;
    use std::collections::HashMap;

    thread_local! {
        static ACTIVE: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
    }

    pub fn claim(key: &str) {
        ACTIVE.with(|a| *a.borrow_mut().entry(key.to_string()).or_default() += 1);
    }

    pub fn release(key: &str) {
        ACTIVE.with(|a| {
            let mut a = a.borrow_mut();
            if let Some(n) = a.get_mut(key) {
                *n -= 1;
                if *n == 0 {
                    a.remove(key);
                }
            }
        });
    }

    pub fn is_active(key: &str) -> bool {
        ACTIVE.with(|a| a.borrow().contains_key(key))
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn store_local<T: Serialize>(key: &str, value: &T) {
    // A full storage only loses the device copy; the save itself still goes out.
    #[cfg(feature = "hydrate")]
    let _ = <gloo_storage::LocalStorage as gloo_storage::Storage>::set(key, value);
}

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub(crate) fn load_local<T: PlanPart>(key: &str) -> Option<DeviceCopy<T>> {
    #[cfg(feature = "hydrate")]
    {
        // Read as text and parsed straight into the copy: going through a JSON value would
        // bring its whole parser into the WASM.
        let json = <gloo_storage::LocalStorage as gloo_storage::Storage>::raw()
            .get_item(key)
            .ok()??;
        DeviceCopy::parse(&json)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub(crate) fn remove_local(key: &str) {
    #[cfg(feature = "hydrate")]
    <gloo_storage::LocalStorage as gloo_storage::Storage>::delete(key);
}

/// The keys of everything kept on this device.
#[cfg(feature = "hydrate")]
pub(crate) fn local_keys() -> Vec<String> {
    let storage = <gloo_storage::LocalStorage as gloo_storage::Storage>::raw();
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect()
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

/// The prefix of every plan part kept on the device.
pub const DEVICE_PREFIX: &str = "riyada:plan:";

/// The key under which a plan part is kept on the device.
pub fn device_key(plan_id: i64, part: &str) -> String {
    format!("{DEVICE_PREFIX}{plan_id}:{part}")
}

/// The plan and part of a device key.
pub fn parse_device_key(key: &str) -> Option<(i64, &str)> {
    let (plan, part) = key.strip_prefix(DEVICE_PREFIX)?.split_once(':')?;
    Some((plan.parse().ok()?, part))
}
