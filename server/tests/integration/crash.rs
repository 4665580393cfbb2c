//! Crash safety on the embedded SQLite database: the real `riyada` binary is killed with
//! SIGKILL fifty times while an entrepreneur saves her plan and uploads documents, and
//! started again each time. Afterwards the database passes SQLite's integrity check, every
//! save and every upload whose answer reached the client is there (the plan at least at the
//! last acknowledged revision, each document byte for byte), no half-received upload shows
//! as a document, and the server came up cleanly every time. `bench/crash-postgres.sh` runs
//! the same on PostgreSQL (there without SQLite's integrity check).
use crate::support::*;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KILLS: usize = 50;
/// Two chunks and a bit: an upload is cut between its chunks as often as not.
const FILE_SIZE: usize = 2 * CHUNK + 1000;
/// The uploader stops here, well under the 100 documents one person keeps.
const DOCUMENTS: usize = 40;

/// The database of the run: SQLite in the data directory, or with `RIYADA_CRASH_BACKEND=postgres`
/// (bench/crash-postgres.sh) a new PostgreSQL database.
async fn database_of_run() -> Option<String> {
    match std::env::var("RIYADA_CRASH_BACKEND").as_deref() {
        Ok("postgres") => Some(database(app::db::Backend::Postgres).await.0),
        _ => None,
    }
}

async fn start(data: &std::path::Path, database_url: Option<&str>, client: &reqwest::Client) -> ServerProcess {
    ServerProcess::start(
        client,
        |command| {
            if let Some(url) = database_url {
                command.args(["--database-url", url]);
            }
            command
                .arg("--data-dir")
                .arg(data)
                .args(["--min-free-mb", "0", "--site-root"])
                .arg(data.join("site"))
                .env("RIYADA_LOG", "error");
        },
        Stdio::null(),
    )
    .await
}

fn post(client: &reqwest::Client, url: String, cookie: &str) -> reqwest::RequestBuilder {
    client
        .post(url)
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
}

/// What the client sent, and what it saw acknowledged.
#[derive(Default)]
struct Acknowledged {
    /// The highest revision a save was answered with.
    revision: i64,
    /// The body each acknowledged revision was saved with.
    saved: HashMap<i64, String>,
    /// Every body sent, answered or not.
    sent: std::collections::HashSet<String>,
    /// Document id → the SHA-256 of the file sent.
    documents: HashMap<i64, String>,
    /// The file the uploader was sending when the server was killed.
    pending: Option<Pending>,
    /// How many of the uploader's requests were answered, in all rounds.
    upload_answers: usize,
}

async fn saver(
    client: reqwest::Client,
    base: String,
    cookie: String,
    plan: i64,
    seen: Arc<Mutex<Acknowledged>>,
    stop: Arc<AtomicBool>,
) {
    while !stop.load(Ordering::Relaxed) {
        let revision = seen.lock().expect("lock").revision;
        let body = format!("ملخص {}", rand::thread_rng().gen::<u64>());
        seen.lock().expect("lock").sent.insert(body.clone());
        let form = format!(
            "plan_id={plan}&section=summary&revision={revision}&body={}",
            form(&[("b", &body)]).trim_start_matches("b=")
        );
        let sent = post(&client, format!("{base}/api/plans/section/save"), &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await;
        let Ok(reply) = sent else { return };
        let status = reply.status();
        let Ok(text) = reply.text().await else { return };
        if status.is_success() {
            let saved: i64 = text.parse().expect("the new revision");
            let mut seen = seen.lock().expect("lock");
            seen.revision = seen.revision.max(saved);
            seen.saved.insert(saved, body);
        } else if status.as_u16() == 409 {
            // A save the client never heard of landed before a kill: go on from the server's.
            let now: serde_json::Value = serde_json::from_str(&text).expect("conflict");
            let revision = now["Conflict"]["revision"].as_i64().expect("revision");
            let mut seen = seen.lock().expect("lock");
            seen.revision = seen.revision.max(revision);
        } else {
            panic!("save answered {status}: {text}");
        }
    }
}

/// A file on its way: kept across kills, as the browser's upload queue keeps it.
struct Pending {
    file: Vec<u8>,
    sha256: String,
    /// The upload's id once an announcement was answered.
    id: Option<String>,
}

fn new_file() -> Pending {
    let mut file = b"%PDF-1.4\n".to_vec();
    let fill: u8 = rand::thread_rng().gen_range(b'a'..=b'z');
    file.resize(FILE_SIZE - 7, fill);
    let tag = rand::thread_rng().gen::<u64>().to_string();
    file[9..9 + tag.len()].copy_from_slice(tag.as_bytes());
    file.extend_from_slice(b"\n%%EOF\n");
    let sha256 = sha256_hex(&file);
    Pending { file, sha256, id: None }
}

/// Where an upload stands, from an answer of `POST /uploads`, `GET` or `PUT /uploads/{id}`.
/// None when the server went away before it answered. Any refusal fails the test with the
/// server's own words: a client that keeps its file across kills is never refused.
async fn progress_of(sent: reqwest::Result<reqwest::Response>) -> Option<serde_json::Value> {
    let reply = sent.ok()?;
    let status = reply.status();
    let text = reply.text().await.ok()?;
    if status.as_u16() == 404 {
        // Announced, but the kill came before the announcement was stored.
        return Some(serde_json::Value::Null);
    }
    assert!(status.is_success(), "upload answered {status}: {text}");
    Some(serde_json::from_str(&text).unwrap_or_else(|_| panic!("not an upload's progress: {text}")))
}

async fn uploader(
    client: reqwest::Client,
    base: String,
    cookie: String,
    seen: Arc<Mutex<Acknowledged>>,
    stop: Arc<AtomicBool>,
) {
    let put = |url: String| {
        client
            .put(url)
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .header("cookie", &cookie)
    };
    // Where an upload stands (one whose bytes all arrived is finished by asking).
    let ask = |id: &str| {
        let asking = client
            .get(format!("{base}/uploads/{id}"))
            .header("accept", "application/json")
            .header("cookie", &cookie);
        async move { progress_of(asking.send().await).await }
    };
    while !stop.load(Ordering::Relaxed) && seen.lock().expect("lock").documents.len() < DOCUMENTS {
        let mut pending = seen.lock().expect("lock").pending.take().unwrap_or_else(new_file);
        // After a restart, ask where the upload stands; announcing the same file again finds
        // its upload (or starts it when the first announcement was lost).
        let mut progress = match &pending.id {
            Some(id) => ask(id).await,
            None => Some(serde_json::Value::Null),
        };
        if progress == Some(serde_json::Value::Null) {
            let announced = serde_json::json!({
                "doc_type": "quotation", "name": "offer.pdf", "size": pending.file.len(),
                "sha256": pending.sha256, "replaces": null,
            });
            let sent = post(&client, format!("{base}/uploads"), &cookie)
                .header("content-type", "application/json")
                .body(announced.to_string())
                .send()
                .await;
            progress = progress_of(sent).await;
        }
        loop {
            if progress.is_some() {
                seen.lock().expect("lock").upload_answers += 1;
            }
            let Some(now) = progress.take() else {
                // The server went away: keep the file for the next round.
                seen.lock().expect("lock").pending = Some(pending);
                return;
            };
            if now.is_null() {
                // Unknown to the server: announce it afresh in the next round.
                pending.id = None;
                seen.lock().expect("lock").pending = Some(pending);
                return;
            }
            let id = now["id"].as_str().expect("upload id").to_string();
            pending.id = Some(id.clone());
            if let Some(document) = now["document"]["id"].as_i64() {
                seen.lock()
                    .expect("lock")
                    .documents
                    .insert(document, pending.sha256.clone());
                break;
            }
            let offset = now["received"].as_u64().expect("received") as usize;
            let end = (offset + CHUNK).min(pending.file.len());
            progress = if offset == pending.file.len() {
                // Every byte arrived but the check was cut short.
                ask(&id).await
            } else {
                let sent = put(format!("{base}/uploads/{id}?offset={offset}"))
                    .header("content-type", "application/octet-stream")
                    .body(pending.file[offset..end].to_vec())
                    .send()
                    .await;
                progress_of(sent).await
            };
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_saves_and_uploads_survive_fifty_kills() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let data = TempDir(std::env::temp_dir().join(unique_name()));
    std::fs::create_dir_all(data.0.join("site")).expect("site dir");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let database_url = database_of_run().await;
    let mut server = start(&data.0, database_url.as_deref(), &client).await;
    let cookie = server.register(&client, "سارة أحمد", "0599123456", "").await;
    let created = post(&client, format!("{}/api/plans/create", server.base), &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("title=%D9%85%D8%AE%D8%A8%D8%B2&currency=ILS")
        .send()
        .await
        .expect("create");
    let plan: i64 = created.text().await.expect("plan").parse().expect("plan id");
    let seen = Arc::new(Mutex::new(Acknowledged::default()));
    let mut rng = rand::rngs::StdRng::seed_from_u64(16);
    let began = Instant::now();

    // Fifty kills at least, and on until the clients saw enough acknowledged to check (a
    // loaded machine answers fewer uploads per round), within three times as many.
    let mut kills = 0;
    let enough = |seen: &Mutex<Acknowledged>| {
        let seen = seen.lock().expect("lock");
        seen.revision >= 10 && seen.documents.len() >= 3
    };
    // A round runs for a random time before its kill. Finishing a file (joining, hashing,
    // checking and storing it) can take longer on a loaded machine than the shortest rounds,
    // and each kill starts that step over: after a round in which the uploader, with files
    // still to send, heard nothing back, the next ones run longer, so the run cannot stall
    // on one file.
    let mut stretch = 1u64;
    let (mut longest, mut stalled_rounds) = (1u64, 0);
    while kills < KILLS || (kills < 3 * KILLS && !enough(&seen)) {
        kills += 1;
        let answers_before = seen.lock().expect("lock").upload_answers;
        let stop = Arc::new(AtomicBool::new(false));
        let workers = vec![
            tokio::spawn(saver(
                client.clone(),
                server.base.clone(),
                cookie.clone(),
                plan,
                seen.clone(),
                stop.clone(),
            )),
            tokio::spawn(saver(
                client.clone(),
                server.base.clone(),
                cookie.clone(),
                plan,
                seen.clone(),
                stop.clone(),
            )),
            tokio::spawn(uploader(
                client.clone(),
                server.base.clone(),
                cookie.clone(),
                seen.clone(),
                stop.clone(),
            )),
        ];
        tokio::time::sleep(Duration::from_millis(rng.gen_range(100..700) * stretch)).await;
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.await.expect("a client task");
        }
        let stalled = {
            let seen = seen.lock().expect("lock");
            seen.upload_answers == answers_before && seen.documents.len() < DOCUMENTS
        };
        stalled_rounds += usize::from(stalled);
        stretch = if stalled {
            (stretch * 2).min(8)
        } else {
            (stretch / 2).max(1)
        };
        longest = longest.max(stretch);
        server = start(&data.0, database_url.as_deref(), &client).await;
    }
    // Once more, to read what the last start recovered, then stopped for good.
    server.kill();

    let url = database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/riyada.db", data.0.display()));
    let pool = app::db::connect(&url, 1).await.expect("the database opens").0;
    if database_url.is_none() {
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .expect("check");
        assert_eq!(check, "ok");
    }
    let seen = std::mem::take(&mut *seen.lock().expect("lock"));
    assert!(seen.revision >= 10, "only {} saves acknowledged", seen.revision);
    assert!(
        seen.documents.len() >= 3,
        "only {} uploads acknowledged",
        seen.documents.len()
    );
    // Kept across kills, the one file on its way holds the only open upload: nothing the
    // kills cut off waits for the daily sweep, taking up the owner's quota.
    let (open,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM uploads")
        .fetch_one(&pool)
        .await
        .expect("uploads");
    assert!(open <= 1, "{open} uploads left open");
    let (revision, body): (i64, String) = sqlx::query_as(&format!(
        "SELECT p.revision, s.body FROM plans p JOIN plan_sections s ON s.plan_id = p.id \
         WHERE p.id = {plan} AND s.section = 'summary'"
    ))
    .fetch_one(&pool)
    .await
    .expect("the plan");
    assert!(
        revision >= seen.revision,
        "revision {revision}, acknowledged {}",
        seen.revision
    );
    assert!(seen.sent.contains(&body), "the summary is one she sent");
    if revision == seen.revision {
        assert_eq!(
            seen.saved.get(&revision),
            Some(&body),
            "the last acknowledged save, whole"
        );
    }
    // Every acknowledged document, byte for byte; no document without all its bytes.
    let storage = server::uploads::storage::Storage::local(&data.0.join("documents")).expect("storage");
    let rows: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, storage_key, sha256, size_bytes FROM documents")
            .fetch_all(&pool)
            .await
            .expect("documents");
    let stored: HashMap<i64, (String, String, i64)> = rows
        .into_iter()
        .map(|(id, key, sha, size)| (id, (key, sha, size)))
        .collect();
    for (id, sha256) in &seen.documents {
        let (key, stored_sha, _) = stored
            .get(id)
            .unwrap_or_else(|| panic!("acknowledged document {id} lost"));
        assert_eq!(stored_sha, sha256);
        let bytes = storage.get_bytes(key).await.expect("its file");
        assert_eq!(&sha256_hex(&bytes), sha256, "document {id}");
    }
    println!(
        "{kills} kills in {:.1} s ({stalled_rounds} rounds without an upload's answer, rounds up \
         to {longest}× as long): {} saves and {} uploads acknowledged, all present; {} documents, \
         all whole",
        began.elapsed().as_secs_f64(),
        seen.saved.len(),
        seen.documents.len(),
        stored.len()
    );
    for (id, (key, sha256, size)) in &stored {
        let bytes = storage
            .get_bytes(key)
            .await
            .unwrap_or_else(|_| panic!("document {id} without its file"));
        assert_eq!(bytes.len() as i64, *size, "document {id} is whole");
        assert_eq!(&sha256_hex(&bytes), sha256, "document {id}");
    }
}
