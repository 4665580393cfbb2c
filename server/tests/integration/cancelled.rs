//! Readers who leave: a page cut off while the server renders it ends quietly. Four thousand
//! requests of eight pages (the landing page, the forms of signing in, registering and
//! resetting, a plan list, the profile, the home, the notifications), half signed in, are
//! each dropped 0 to 20 ms after they were sent, as a phone that loses its signal or a
//! reader who taps elsewhere does; the server's log then holds no panic. Before pages were
//! rendered to their end (`page_stream`), their suspended parts read values the cut-off
//! page had dropped: about seven panics in twenty thousand such requests.
use crate::support::*;
use rand::Rng;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

async fn cut_off(port: u16, path: &str, cookie: &str) {
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
        return;
    };
    let cookie = if cookie.is_empty() {
        String::new()
    } else {
        format!("Cookie: {cookie}\r\n")
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: br\r\n{cookie}\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return;
    }
    let wait = rand::thread_rng().gen_range(0..20);
    tokio::time::sleep(Duration::from_millis(wait)).await;
    // Dropped with the answer half read or not started: the connection is reset.
    let _ = stream.set_zero_linger();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_cut_off_by_their_readers_end_quietly() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let data = TempDir(std::env::temp_dir().join(unique_name()));
    std::fs::create_dir_all(data.0.join("site")).expect("site dir");
    let log = data.0.join("server.log");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let server = ServerProcess::start(
        &client,
        |command| {
            command
                .arg("--data-dir")
                .arg(&data.0)
                .args(["--min-free-mb", "0", "--site-root"])
                .arg(data.0.join("site"))
                .env("RIYADA_LOG", "warn")
                .stderr(std::fs::File::create(&log).map(Stdio::from).expect("log file"));
        },
        Stdio::null(),
    )
    .await;
    let cookie = server.register(&client, "سارة أحمد", "0599123456", "").await;
    let port: u16 = server
        .base
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    let paths = [
        "/",
        "/sign-in",
        "/register",
        "/plans",
        "/profile",
        "/home",
        "/forgot-password",
        "/notifications",
    ];
    for round in 0..80 {
        let batch: Vec<_> = (0..50)
            .map(|n| {
                let cookie = if n % 2 == 0 { cookie.clone() } else { String::new() };
                let path = paths[(round + n) % paths.len()];
                tokio::spawn(async move { cut_off(port, path, &cookie).await })
            })
            .collect();
        for task in batch {
            task.await.expect("a reader");
        }
    }
    // The server still answers, and whatever it was rendering has ended.
    // It may queue behind the thousands of pages still being finished: a slow machine takes
    // its time, and only a server that no longer answers fails here.
    let landing = client
        .get(format!("{}/", server.base))
        .timeout(Duration::from_secs(120))
        .send()
        .await
        .expect("landing");
    assert_eq!(landing.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let text = std::fs::read_to_string(&log).expect("the log");
    let lines: Vec<&str> = text.lines().collect();
    let panics: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.contains("panicked"))
        .map(|(at, _)| lines[at..(at + 2).min(lines.len())].join(" / "))
        .collect();
    assert!(panics.is_empty(), "{} panics: {panics:#?}", panics.len());
}
