//! Load generator for `bench/web.py`: N connections for a fixed time against a running
//! Riyada, reporting requests per second and latency percentiles as one JSON line.
//!
//! `loadgen <base-url> <connections> <seconds> landing`: `GET /` (the SSR landing page).
//! `loadgen <base-url> <connections> <seconds> save-section`: each connection writes its own
//! plan's "idea" section again and again through the save-section server function, carrying
//! the revision each save answers, so every request is a real write (no conflicts). Setting
//! up registers one entrepreneur per 16 connections and starts one plan per connection.
//!
//! `loadgen <base-url> <connections> <seconds> soak`: a day's mix for `bench/soak.py`. One
//! entrepreneur per two connections, a plan per connection; each connection goes round
//! the landing page, its plans, its plan, its home page, three saves of its plan, and
//! every two seconds a small PDF uploaded (announced, sent, then deleted again, so the
//! person's document cap is never reached). Each request counts on its own.
//!
//! wrk measures the landing page too; this one exists because a save needs the revision the
//! previous save answered, which wrk cannot carry per connection.
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// `application/x-www-form-urlencoded`, as a browser sends a form.
fn form<V: AsRef<str>>(pairs: &[(&str, V)]) -> String {
    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Clone)]
struct Target {
    base: String,
    cookie: Option<String>,
    plan: i64,
}

fn client() -> Result<reqwest::Client, Error> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

async fn register(client: &reqwest::Client, base: &str, n: usize) -> Result<String, Error> {
    let phone = format!("0599{:06}", (std::process::id() as usize * 100 + n) % 1_000_000);
    let response = client
        .post(format!("{base}/api/auth/register"))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("input[full_name]", format!("رائدة {n}")),
            ("input[phone]", phone),
            ("input[email]", String::new()),
            ("input[password]", "bench-password-42".to_string()),
            ("input[gender]", "female".to_string()),
            ("input[birth_date]", "1994-04-04".to_string()),
            ("input[governorate]", "gaza".to_string()),
            ("input[chamber]", String::new()),
        ]))
        .send()
        .await?;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("riyada_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .ok_or("registration gave no session")?;
    if !response.status().is_success() {
        return Err(format!("registration answered {}", response.status()).into());
    }
    Ok(cookie)
}

async fn create_plan(client: &reqwest::Client, base: &str, cookie: &str, n: usize) -> Result<i64, Error> {
    let response = client
        .post(format!("{base}/api/plans/create"))
        .header("accept", "application/json")
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("title", format!("خطة {n}")), ("currency", "ILS".to_string())]))
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("creating a plan answered {}", response.status()).into());
    }
    Ok(response.text().await?.trim().parse()?)
}

/// Saves once; answers the next revision. A conflict (only at the first save, whose
/// revision is a guess) answers the server's revision instead.
async fn save(client: &reqwest::Client, target: &Target, revision: i64, text: &str) -> Result<(bool, i64), Error> {
    let response = client
        .post(format!("{}/api/plans/section/save", target.base))
        .header("accept", "application/json")
        .header("cookie", target.cookie.as_deref().unwrap_or(""))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("plan_id", target.plan.to_string()),
            ("section", "idea".to_string()),
            ("body", text.to_string()),
            ("revision", revision.to_string()),
        ]))
        .send()
        .await?;
    let ok = response.status().is_success();
    let body = response.text().await?;
    if ok {
        return Ok((true, body.trim().parse()?));
    }
    let value: serde_json::Value = serde_json::from_str(&body)?;
    let current = value
        .pointer("/Conflict/revision")
        .and_then(|v| v.as_i64())
        .ok_or_else(|| format!("save failed: {body}"))?;
    Ok((false, current))
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: usize,
}

async fn run_landing(target: Target, until: Instant) -> Tally {
    let mut tally = Tally::default();
    let Ok(client) = client() else {
        tally.errors += 1;
        return tally;
    };
    while Instant::now() < until {
        let start = Instant::now();
        let ok = match client.get(format!("{}/", target.base)).send().await {
            Ok(response) => response.status().is_success() && response.bytes().await.is_ok(),
            Err(_) => false,
        };
        if ok {
            tally.latencies.push(start.elapsed());
        } else {
            tally.errors += 1;
        }
    }
    tally
}

async fn run_saves(target: Target, until: Instant) -> Tally {
    let mut tally = Tally::default();
    let Ok(client) = client() else {
        tally.errors += 1;
        return tally;
    };
    // The first save finds the plan's revision.
    let mut revision = match save(&client, &target, 0, "بداية").await {
        Ok((_, revision)) => revision,
        Err(_) => {
            tally.errors += 1;
            return tally;
        }
    };
    let mut n = 0u64;
    while Instant::now() < until {
        n += 1;
        let text = format!("مشروع تجريبي رقم {n}: مخبز يبيع الخبز الطازج لأهل الحي كل صباح.");
        let start = Instant::now();
        match save(&client, &target, revision, &text).await {
            Ok((true, next)) => {
                tally.latencies.push(start.elapsed());
                revision = next;
            }
            _ => tally.errors += 1,
        }
    }
    tally
}

/// A small PDF, different for each connection and each time: the server takes an
/// announcement of a file it is already receiving from the same person as that upload.
fn small_pdf(plan: i64, n: u64) -> Vec<u8> {
    let mut file = format!("%PDF-1.4\n% soak {plan} {n}\n").into_bytes();
    file.resize(4 * 1024 - 7, b'x');
    file.extend_from_slice(b"\n%%EOF\n");
    file
}

/// Sends one request and records it: its latency when it succeeded, an error otherwise.
async fn timed(tally: &mut Tally, request: reqwest::RequestBuilder) -> Option<String> {
    let start = Instant::now();
    let answer = match request.send().await {
        Ok(response) if response.status().is_success() => response.text().await.ok(),
        Ok(response) => {
            eprintln!("soak: {} answered {}", response.url().path(), response.status());
            None
        }
        Err(error) => {
            eprintln!("soak: {error}");
            None
        }
    };
    match answer {
        Some(body) => {
            tally.latencies.push(start.elapsed());
            Some(body)
        }
        None => {
            tally.errors += 1;
            None
        }
    }
}

/// Announces, sends and deletes one small document: three requests.
async fn upload_and_delete(client: &reqwest::Client, target: &Target, n: u64, tally: &mut Tally) {
    use sha2::Digest;
    let cookie = target.cookie.as_deref().unwrap_or("");
    let file = small_pdf(target.plan, n);
    let sha256: String = sha2::Sha256::digest(&file).iter().map(|b| format!("{b:02x}")).collect();
    let announced = serde_json::json!({
        "doc_type": "quotation", "name": "offer.pdf", "size": file.len(), "sha256": sha256, "replaces": null,
    });
    let post = |path: &str| {
        client
            .post(format!("{}{path}", target.base))
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .header("cookie", cookie)
    };
    let Some(started) = timed(tally, post("/uploads").header("content-type", "application/json").body(announced.to_string())).await else {
        return;
    };
    let Some(id) = serde_json::from_str::<serde_json::Value>(&started).ok().and_then(|v| v["id"].as_str().map(str::to_string)) else {
        tally.errors += 1;
        return;
    };
    let chunk = client
        .put(format!("{}/uploads/{id}?offset=0", target.base))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .header("content-type", "application/octet-stream")
        .body(file);
    let Some(finished) = timed(tally, chunk).await else { return };
    let Some(document) = serde_json::from_str::<serde_json::Value>(&finished).ok().and_then(|v| v["document"]["id"].as_i64()) else {
        tally.errors += 1;
        return;
    };
    timed(
        tally,
        post("/api/documents/delete")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("document_id={document}")),
    )
    .await;
}

async fn run_soak(target: Target, until: Instant) -> Tally {
    let mut tally = Tally::default();
    let Ok(client) = client() else {
        tally.errors += 1;
        return tally;
    };
    let cookie = target.cookie.clone().unwrap_or_default();
    let mut revision = match save(&client, &target, 0, "بداية").await {
        Ok((_, revision)) => revision,
        Err(_) => {
            tally.errors += 1;
            return tally;
        }
    };
    let mut last_upload = Instant::now();
    let mut n = 0u64;
    while Instant::now() < until {
        n += 1;
        let page = |path: String| client.get(format!("{}{path}", target.base)).header("cookie", cookie.as_str());
        match n % 8 {
            0 => {
                timed(&mut tally, client.get(format!("{}/", target.base))).await;
            }
            1 => {
                timed(&mut tally, page("/plans".into())).await;
            }
            2 => {
                timed(&mut tally, page(format!("/plans/{}", target.plan))).await;
            }
            3 => {
                timed(&mut tally, page("/home".into())).await;
            }
            7 if last_upload.elapsed() >= Duration::from_secs(2) => {
                last_upload = Instant::now();
                upload_and_delete(&client, &target, n, &mut tally).await;
            }
            7 => {
                timed(&mut tally, page("/documents".into())).await;
            }
            _ => {
                let text = format!("مشروع تجريبي رقم {n}: مخبز يبيع الخبز الطازج لأهل الحي كل صباح.");
                let start = Instant::now();
                match save(&client, &target, revision, &text).await {
                    Ok((true, next)) => {
                        tally.latencies.push(start.elapsed());
                        revision = next;
                    }
                    _ => tally.errors += 1,
                }
            }
        }
    }
    tally
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        return Err("usage: loadgen <base-url> <connections> <seconds> landing|save-section|soak".into());
    }
    let base = args[1].trim_end_matches('/').to_string();
    let connections: usize = args[2].parse()?;
    let seconds: u64 = args[3].parse()?;
    let mode = args[4].as_str();
    let mut targets = Vec::with_capacity(connections);
    if mode == "save-section" || mode == "soak" {
        let setup = client()?;
        let mut cookie = String::new();
        // At most 20 plans per person: 16 connections share one; in the soak two, whose
        // uploads then stay far under one person's document cap.
        let per_person = if mode == "soak" { 2 } else { 16 };
        for n in 0..connections {
            if n % per_person == 0 {
                cookie = register(&setup, &base, n).await?;
            }
            let plan = create_plan(&setup, &base, &cookie, n).await?;
            targets.push(Target {
                base: base.clone(),
                cookie: Some(cookie.clone()),
                plan,
            });
        }
    } else if mode == "landing" {
        targets = (0..connections)
            .map(|_| Target {
                base: base.clone(),
                cookie: None,
                plan: 0,
            })
            .collect();
    } else {
        return Err(format!("unknown mode {mode}").into());
    }
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = targets
        .into_iter()
        .map(|target| {
            if mode == "landing" {
                tokio::spawn(run_landing(target, until))
            } else if mode == "soak" {
                tokio::spawn(run_soak(target, until))
            } else {
                tokio::spawn(run_saves(target, until))
            }
        })
        .collect();
    let mut all = Tally::default();
    for task in tasks {
        let tally = task.await?;
        all.latencies.extend(tally.latencies);
        all.errors += tally.errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies.sort();
    println!(
        "{}",
        serde_json::json!({
            "mode": mode,
            "connections": connections,
            "seconds": elapsed,
            "requests": all.latencies.len(),
            "errors": all.errors,
            "requests_per_second": all.latencies.len() as f64 / elapsed,
            "p50_ms": percentile(&all.latencies, 0.50),
            "p99_ms": percentile(&all.latencies, 0.99),
            "max_ms": all.latencies.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0),
        })
    );
    Ok(())
}
