//! Several instances: two real `riyada serve` processes on one PostgreSQL database and one
//! S3-compatible bucket, as behind a load balancer. A session made on one works on the
//! other, an upload started on one is finished on the other, a password reset asked on one
//! is mailed once (both run the mail worker) and ends the sessions on both, and each sweep
//! runs on one instance per period.
use crate::support::*;
use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

const FILE_SIZE: usize = 2 * CHUNK + 1000;

struct Instance {
    server: ServerProcess,
    log: std::path::PathBuf,
}

async fn start(
    name: &str,
    dir: &std::path::Path,
    database_url: &str,
    s3: &server::uploads::storage::S3Settings,
    smtp_url: &str,
    client: &reqwest::Client,
) -> Instance {
    let data = dir.join(name);
    std::fs::create_dir_all(&data).expect("data dir");
    let log = dir.join(format!("{name}.log"));
    let stdout = std::fs::File::create(&log).expect("log file");
    let server = ServerProcess::start(
        client,
        |command| {
            command
                .arg("--data-dir")
                .arg(&data)
                .args(["--database-url", database_url, "--min-free-mb", "0", "--site-root"])
                .arg(dir.join("site"))
                .args(["--s3-bucket", &s3.bucket, "--s3-region", "us-east-1", "--s3-endpoint"])
                .arg(s3.endpoint.as_deref().expect("an endpoint"))
                .args(["--smtp-url", smtp_url, "--public-url", PUBLIC_URL])
                .args(["--mail-poll-secs", "1", "--sweep-period-secs", "1"])
                .env("RIYADA_LOG", "info");
        },
        Stdio::from(stdout),
    )
    .await;
    Instance { server, log }
}

async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < Duration::from_secs(30), "waited 30 s for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The turns of background jobs in an instance's log: job → the seconds each turn began.
fn turns(log: &std::path::Path) -> Vec<(String, i64)> {
    let text = std::fs::read_to_string(log).expect("the log");
    text.lines()
        .filter(|line| line.contains("background job"))
        .map(|line| {
            let job = line
                .split("job=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("a job name");
            let turn = line
                .split("turn=")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .expect("a turn");
            (job.to_string(), turn)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_uploads_mail_and_sweeps() {
    let (database_url, _) = database(app::db::Backend::Postgres).await;
    let s3 = s3_bucket().await;
    let sink = SmtpSink::start().await;
    let dir = TempDir(std::env::temp_dir().join(unique_name()));
    std::fs::create_dir_all(dir.0.join("site")).expect("site dir");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let a = start("a", &dir.0, &database_url, &s3, &sink.url(), &client).await;
    let b = start("b", &dir.0, &database_url, &s3, &sink.url(), &client).await;

    // A session made on one instance is the same session on the other.
    let cookie = a
        .server
        .register(&client, "سارة أحمد", "0599123456", "sara@example.ps")
        .await;
    let me = b
        .server
        .post(&client, "/api/auth/me", &cookie)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status().as_u16(), 200);
    assert!(me.text().await.expect("me").contains("سارة أحمد"), "B knows her");

    // An upload announced and half sent to A is finished on B: the chunks are in the
    // shared bucket, not on A's disk.
    let mut file = b"%PDF-1.4\n".to_vec();
    file.resize(FILE_SIZE - 7, b'r');
    file.extend_from_slice(b"\n%%EOF\n");
    let sha256 = sha256_hex(&file);
    let announced = serde_json::json!({
        "doc_type": "quotation", "name": "offer.pdf", "size": file.len(),
        "sha256": sha256, "replaces": null,
    });
    let started = a
        .server
        .post(&client, "/uploads", &cookie)
        .header("content-type", "application/json")
        .body(announced.to_string())
        .send()
        .await
        .expect("announce");
    let started: serde_json::Value = serde_json::from_str(&started.text().await.expect("body")).expect("an upload");
    let id = started["id"].as_str().expect("upload id").to_string();
    let mut document = None;
    for (offset, instance) in [(0, &a), (CHUNK, &b), (2 * CHUNK, &b)] {
        let reply = client
            .put(format!("{}/uploads/{id}?offset={offset}", instance.server.base))
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .header("cookie", &cookie)
            .header("content-type", "application/octet-stream")
            .body(file[offset..(offset + CHUNK).min(file.len())].to_vec())
            .send()
            .await
            .expect("a chunk");
        assert_eq!(reply.status().as_u16(), 200, "chunk at {offset}");
        let progress: serde_json::Value = serde_json::from_str(&reply.text().await.expect("body")).expect("progress");
        document = progress["document"]["id"].as_i64();
    }
    let document = document.expect("the last chunk, on B, makes the document");
    let served = client
        .get(format!("{}/documents/{document}/file", a.server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("the file");
    assert_eq!(served.status().as_u16(), 200);
    assert_eq!(
        sha256_hex(&served.bytes().await.expect("bytes")),
        sha256,
        "A serves what B stored"
    );

    // A reset asked on B is mailed once, though both instances run the mail worker.
    let asked = b
        .server
        .post(&client, "/api/auth/forgot-password", "")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=sara%40example.ps")
        .send()
        .await
        .expect("forgot");
    assert_eq!(asked.status().as_u16(), 200);
    until("the reset mail", || async { !sink.received().is_empty() }).await;
    // Both workers poll every second: three more rounds each would have sent a second copy.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let received = sink.received();
    assert_eq!(received.len(), 1, "one mail, not one per instance: {received:?}");
    let text = &received[0].text;
    let start = text.find("token=").expect("a reset link") + "token=".len();
    let token = &text[start..start + 64];
    let reset = a
        .server
        .post(&client, "/api/auth/reset-password", "")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={token}&password=a-new-password-7"))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status().as_u16(), 200);
    let after = client
        .get(format!("{}/documents/{document}/file", b.server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("the file");
    // The signed-out answer of a file link: to the sign-in page.
    assert_eq!(
        after.status().as_u16(),
        303,
        "the reset on A ended her session on B too"
    );
    assert_eq!(after.headers()["location"], "/sign-in");

    // A deleted document's file leaves the bucket in a sweep run by one instance.
    let login = b
        .server
        .post(&client, "/api/auth/login", "")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("identifier=0599123456&password=a-new-password-7")
        .send()
        .await
        .expect("login");
    let cookie = session_of(&login).expect("a new session");
    let deleted = a
        .server
        .post(&client, "/api/documents/delete", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("document_id={document}"))
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status().as_u16(), 200);
    let pool = app::db::connect(&database_url, 1).await.expect("the database").0;
    until("the deleted file's sweep", || async {
        let (purged,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM documents WHERE purged_at IS NOT NULL")
            .fetch_one(&pool)
            .await
            .expect("count");
        purged == 1
    })
    .await;
    let storage = server::uploads::storage::Storage::s3(&s3).expect("storage");
    assert!(storage.keys("").await.expect("keys").is_empty(), "the bucket is empty");

    // Each job ran at most once in any second (its period here), whichever instance ran it.
    let mut all: HashMap<String, Vec<i64>> = HashMap::new();
    for (job, turn) in turns(&a.log).into_iter().chain(turns(&b.log)) {
        all.entry(job).or_default().push(turn);
    }
    let deleted_files = all.get("deleted files").map(Vec::len).unwrap_or(0);
    assert!(deleted_files >= 2, "the sweep ran: {all:?}");
    for (job, turns) in &all {
        let mut unique = turns.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), turns.len(), "{job} ran twice in one turn: {turns:?}");
    }
}

on_both_databases!(a_job_turn_goes_to_one_instance);

/// The turn itself: of two instances asking at the same moment one gets it, nobody gets it
/// again before the period ends, and then the next asker does.
async fn a_job_turn_goes_to_one_instance(backend: app::db::Backend) {
    use server::jobs::take_turn;
    let t = app(backend).await;
    let pool = &t.state.pool;
    let now = 1_000_000;
    let (first, second) = tokio::join!(
        take_turn(pool, "deleted files", "a", now, 300),
        take_turn(pool, "deleted files", "b", now, 300)
    );
    let winners = [first.expect("a asks"), second.expect("b asks")];
    assert_eq!(winners.iter().filter(|won| **won).count(), 1, "{winners:?}");
    assert!(!take_turn(pool, "deleted files", "a", now + 299, 300)
        .await
        .expect("ask"));
    assert!(!take_turn(pool, "deleted files", "b", now + 299, 300)
        .await
        .expect("ask"));
    assert!(
        take_turn(pool, "expired sessions", "b", now, 300).await.expect("ask"),
        "jobs are separate"
    );
    assert!(take_turn(pool, "deleted files", "b", now + 300, 300)
        .await
        .expect("ask"));
}
