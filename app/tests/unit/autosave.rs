//! Saving a part of the plan: what a device copy holds, when it is restored, and when a
//! save that finds the plan moved on is a real conflict.
use app::error::AppError;
use app::plan::autosave::*;
use std::cell::RefCell;
use std::future::Future;

fn copy(value: &str, base: Option<&str>) -> DeviceCopy<String> {
    DeviceCopy {
        value: value.into(),
        base: base.map(Into::into),
        revision: Some(3),
    }
}

#[test]
fn device_keys_round_trip() {
    let key = device_key(42, "table-startup_items");
    assert_eq!(parse_device_key(&key), Some((42, "table-startup_items")));
    assert_eq!(parse_device_key("riyada:plan:x:idea"), None);
    assert_eq!(parse_device_key("other:42:idea"), None);
}

#[test]
fn older_bare_copies_still_read() {
    let old = DeviceCopy::<String>::parse("\"نص قديم\"").unwrap();
    assert_eq!(old.value, "نص قديم");
    assert_eq!(old.base, None);
    let new = DeviceCopy::<String>::parse(&serde_json::to_string(&copy("a", Some("b"))).unwrap()).unwrap();
    assert_eq!(new, copy("a", Some("b")));
    let cells = DeviceCopy::<Vec<Vec<String>>>::parse("[[\"1\",\"2\"]]").unwrap();
    assert_eq!(cells.value, vec![vec!["1".to_string(), "2".to_string()]]);
    assert!(DeviceCopy::<String>::parse("{broken").is_none());
}

#[test]
fn restoring_resumes_only_over_an_unchanged_server_version() {
    assert_eq!(decide_restore::<String>(None, &"x".into()), Restore::Nothing);
    // Already on the server.
    assert_eq!(
        decide_restore(Some(&copy("new", Some("old"))), &"new".into()),
        Restore::Nothing
    );
    assert_eq!(
        decide_restore(Some(&copy("new", Some("old"))), &"old".into()),
        Restore::Resume
    );
    // Someone else changed it meanwhile: both versions are shown.
    assert_eq!(
        decide_restore(Some(&copy("new", Some("old"))), &"theirs".into()),
        Restore::Conflict
    );
    // An older copy without a base resumes, as before.
    assert_eq!(
        decide_restore(Some(&copy("new", None)), &"theirs".into()),
        Restore::Resume
    );
}

/// A server holding one part at a plan revision that may move on by itself.
struct FakePlan {
    revision: RefCell<i64>,
    part: RefCell<String>,
    calls: RefCell<usize>,
}

impl FakePlan {
    fn new(revision: i64, part: &str) -> Self {
        FakePlan {
            revision: RefCell::new(revision),
            part: RefCell::new(part.into()),
            calls: RefCell::new(0),
        }
    }

    async fn save(&self, value: String, at: i64) -> Result<i64, AppError> {
        *self.calls.borrow_mut() += 1;
        let current = *self.revision.borrow();
        if at != current {
            return Err(AppError::Conflict {
                revision: current,
                saved: self.part.borrow().clone(),
            });
        }
        *self.part.borrow_mut() = value;
        *self.revision.borrow_mut() += 1;
        Ok(current + 1)
    }
}

fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// "mine", typed offline over "old" at revision 5, saved to `server`.
fn save_mine_typed_over_old(server: &FakePlan) -> SaveOutcome<String> {
    run(save_part(&"mine".to_string(), Some(&"old".to_string()), 5, |v, at| {
        server.save(v, at)
    }))
}

#[test]
fn another_part_saved_meanwhile_is_no_conflict() {
    // Two sections edited offline at revision 5; the other one reached the server first.
    let server = FakePlan::new(6, "old");
    let outcome = save_mine_typed_over_old(&server);
    assert_eq!(outcome, SaveOutcome::Saved { revision: 7 });
    assert_eq!(*server.part.borrow(), "mine");
    assert_eq!(*server.calls.borrow(), 2);
}

#[test]
fn the_same_part_changed_elsewhere_is_a_conflict_with_both_versions() {
    let server = FakePlan::new(6, "theirs");
    let outcome = save_mine_typed_over_old(&server);
    assert_eq!(
        outcome,
        SaveOutcome::Conflict {
            revision: 6,
            theirs: "theirs".into()
        }
    );
    assert_eq!(*server.part.borrow(), "theirs", "nothing overwritten");
}

#[test]
fn a_version_already_on_the_server_counts_as_saved() {
    let server = FakePlan::new(9, "mine");
    let outcome = save_mine_typed_over_old(&server);
    assert_eq!(outcome, SaveOutcome::Saved { revision: 9 });
    assert_eq!(*server.calls.borrow(), 1);
}

#[test]
fn without_a_known_base_any_change_elsewhere_is_a_conflict() {
    let server = FakePlan::new(6, "old");
    let outcome = run(save_part(&"mine".to_string(), None, 5, |v, at| server.save(v, at)));
    assert!(matches!(outcome, SaveOutcome::Conflict { .. }));
}

#[test]
fn other_failures_are_passed_on() {
    let outcome = run(save_part(&"mine".to_string(), None, 5, |_, _| async {
        Err::<i64, _>(AppError::Transport("offline".into()))
    }));
    assert_eq!(outcome, SaveOutcome::Failed(AppError::Transport("offline".into())));
}
