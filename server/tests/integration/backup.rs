//! `riyada backup` and `riyada restore` on the embedded SQLite database: a backup taken while
//! an entrepreneur keeps saving her plan restores into a fresh data directory with every row
//! as it was at the snapshot and every document byte for byte; a damaged backup, a used
//! target or a data directory that holds a portal are refused.
use crate::support::*;
use app::db::Backend;
use server::backup::{backup, restore, verify, BackupError};
use server::uploads::storage::Storage;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Every row of every table, as text (`quote()` of each column), by table.
async fn rows_of(pool: &app::db::Pool) -> Vec<(String, BTreeSet<String>)> {
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut all = Vec::new();
    for (table,) in tables {
        let columns: Vec<(String,)> = sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .fetch_all(pool)
            .await
            .expect("columns");
        let row = columns
            .iter()
            .map(|(c,)| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<(String,)> = sqlx::query_as(&format!("SELECT {row} FROM \"{table}\""))
            .fetch_all(pool)
            .await
            .expect("rows");
        all.push((table, rows.into_iter().map(|(r,)| r).collect()));
    }
    all
}

fn pdf(fill: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(200_000, fill);
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_a_live_portal_restores_every_row_and_file() {
    let t = Arc::new(app_with_storage(Backend::Sqlite, Store::Local).await);
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    for fill in [b'a', b'b', b'c'] {
        let stored = t.upload(&owner, "quotation", "offer.pdf", &pdf(fill), None).await;
        assert!(stored.status.is_success(), "{}", stored.body);
    }
    let created = t
        .call(
            "plans/create",
            &form(&[("title", "مخبز"), ("currency", "ILS")]),
            Some(&owner),
        )
        .await;
    let plan = created.json().as_i64().expect("plan id");

    // She keeps saving while the backup is taken.
    let stop = Arc::new(AtomicBool::new(false));
    let counted = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let writer = {
        let (t, owner, stop, counted) = (t.clone(), owner.clone(), stop.clone(), counted.clone());
        tokio::spawn(async move {
            // A new plan is at revision 1.
            let mut revision = 1i64;
            let mut saves = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let body = format!("ملخص رقم {saves}");
                let reply = t
                    .call(
                        "plans/section/save",
                        &form(&[
                            ("plan_id", &plan.to_string()),
                            ("section", "summary"),
                            ("body", &body),
                            ("revision", &revision.to_string()),
                        ]),
                        Some(&owner),
                    )
                    .await;
                assert!(reply.status.is_success(), "{}", reply.body);
                revision = reply.json().as_i64().expect("revision");
                saves += 1;
                counted.store(saves, Ordering::Relaxed);
            }
            saves
        })
    };
    // Saves under way before the backup starts, and more after it is taken: waited for by
    // count, not by time, so a stalled machine cannot make the check miss them.
    let saves_reach = |count: u32| {
        let counted = counted.clone();
        async move {
            let waiting = std::time::Instant::now();
            while counted.load(Ordering::Relaxed) < count {
                assert!(waiting.elapsed().as_secs() < 60, "no save within a minute");
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }
    };
    saves_reach(1).await;
    let dir = TempDir(std::env::temp_dir().join(unique_name()));
    let manifest = backup(&t.state.pool, t.state.backend, &t.uploads.storage, &dir.0)
        .await
        .expect("backup");
    saves_reach(counted.load(Ordering::Relaxed) + 1).await;
    stop.store(true, Ordering::Relaxed);
    let saves = writer.await.expect("writer");
    assert!(saves >= 2, "the plan was saved during the backup ({saves} saves)");
    assert_eq!(manifest.documents.len(), 3);
    assert!(matches!(
        backup(&t.state.pool, t.state.backend, &t.uploads.storage, &dir.0).await,
        Err(BackupError::TargetNotEmpty(_))
    ));

    // Restored into a fresh data directory and storage.
    let data = TempDir(std::env::temp_dir().join(unique_name()));
    let storage = Storage::local(&data.0.join("documents")).expect("storage");
    restore(&dir.0, &data.0, &storage, false).await.expect("restore");
    assert!(matches!(
        restore(&dir.0, &data.0, &storage, false).await,
        Err(BackupError::DataNotEmpty(_))
    ));
    let url = format!("sqlite://{}/riyada.db", data.0.display());
    let restored = server::open_state(&url, 2).await.expect("the restored portal opens");
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&restored.pool)
        .await
        .expect("check");
    assert_eq!(check, "ok");

    // Every row is as the live portal has it, but for her plan: its saves after the snapshot
    // moved its revision and rewrote its summary (and sessions live on).
    let live = rows_of(&t.state.pool).await;
    let back = rows_of(&restored.pool).await;
    assert_eq!(
        live.iter().map(|(t, _)| t).collect::<Vec<_>>(),
        back.iter().map(|(t, _)| t).collect::<Vec<_>>()
    );
    let mut compared = 0;
    for ((table, live_rows), (_, back_rows)) in live.iter().zip(&back) {
        if ["plans", "plan_sections", "sessions"].contains(&table.as_str()) {
            continue;
        }
        assert_eq!(back_rows, live_rows, "{table}");
        compared += back_rows.len();
    }
    assert!(compared > 50, "only {compared} rows compared");
    let revision_and_summary = |pool: &app::db::Pool| {
        let pool = pool.clone();
        async move {
            let row: (i64, String) = sqlx::query_as(&format!(
                "SELECT p.revision, s.body FROM plans p JOIN plan_sections s ON s.plan_id = p.id \
                 WHERE p.id = {plan} AND s.section = 'summary'"
            ))
            .fetch_one(&pool)
            .await
            .expect("plan");
            row
        }
    };
    let (at_snapshot, summary) = revision_and_summary(&restored.pool).await;
    let (now, _) = revision_and_summary(&t.state.pool).await;
    assert!(at_snapshot >= 2 && at_snapshot < now, "revision {at_snapshot} of {now}");
    // The summary is the one saved as that revision (save n made revision n + 2), whole.
    assert_eq!(summary, format!("ملخص رقم {}", at_snapshot - 2));

    // Every document's file, byte for byte.
    let keys: Vec<(String, String)> = sqlx::query_as("SELECT storage_key, sha256 FROM documents")
        .fetch_all(&restored.pool)
        .await
        .expect("documents");
    assert_eq!(keys.len(), 3);
    for (key, sha256) in keys {
        let original = t.uploads.storage.get_bytes(&key).await.expect("original");
        let copy = storage.get_bytes(&key).await.expect("restored file");
        assert_eq!(copy, original, "{key}");
        assert_eq!(sha256_hex(&copy), sha256, "{key}");
    }

    // A damaged backup is refused before anything is touched.
    let (_, first) = &manifest.documents[0];
    std::fs::write(dir.0.join(&first.path), b"not the file").expect("damage");
    assert!(matches!(verify(&dir.0).await, Err(BackupError::Damaged(_))));
    assert!(matches!(
        restore(&dir.0, &data.0, &storage, true).await,
        Err(BackupError::Damaged(_))
    ));
    std::fs::remove_file(dir.0.join("manifest.json")).expect("remove");
    assert!(matches!(verify(&dir.0).await, Err(BackupError::NoManifest(_))));
}
