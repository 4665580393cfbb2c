//! Test harness: the real router over a fresh database (SQLite file or a new PostgreSQL
//! database per test), driven in-process with HTTP requests.
#![allow(dead_code, unused_macros)]
use app::db::Backend;
use app::state::AppState;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use leptos::prelude::LeptosOptions;
use server::{build_router, open_state, WebSettings};
use tower::ServiceExt;

/// Runs each scenario once on SQLite and once on PostgreSQL.
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(app::db::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(app::db::Backend::Postgres).await })*
        }
    };
}

/// Runs each document scenario on SQLite with documents in a directory, and on PostgreSQL
/// with documents in S3-compatible storage: both databases and both storages see every test.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite_local {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(app::db::Backend::Sqlite, $crate::support::Store::Local).await })*
        }
        mod postgres_s3 {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(app::db::Backend::Postgres, $crate::support::Store::S3).await })*
        }
    };
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub uploads: std::sync::Arc<server::uploads::Uploads>,
    _dir: Option<TempDir>,
    _files: TempDir,
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn unique_name() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen();
    format!("riyada_t_{n:016x}")
}

pub async fn database(backend: Backend) -> (String, Option<TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(unique_name());
            std::fs::create_dir_all(&dir).expect("temp dir");
            (
                format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
                Some(TempDir(dir)),
            )
        }
        Backend::Postgres => {
            let admin_url = std::env::var("RIYADA_TEST_POSTGRES_URL").expect(
                "RIYADA_TEST_POSTGRES_URL is not set: run the README test command (scripts/test), \
                 which starts a throwaway PostgreSQL, or point it at a server you own",
            );
            sqlx::any::install_default_drivers();
            let name = unique_name();
            let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                .await
                .expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create test database");
            let (base, _) = admin_url.rsplit_once('/').expect("URL with a database name");
            let query = admin_url
                .split_once('?')
                .map(|(_, q)| format!("?{q}"))
                .unwrap_or_default();
            (format!("{base}/{name}{query}"), None)
        }
    }
}

pub async fn app(backend: Backend) -> TestApp {
    app_with_storage(backend, Store::Local).await
}

/// Where a test keeps documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    /// A directory of the test's own.
    Local,
    /// A fresh bucket on the S3-compatible server the test command starts (moto).
    S3,
}

/// A new, empty bucket on the test S3 server (moto takes unsigned bucket creation).
pub async fn s3_bucket() -> server::uploads::storage::S3Settings {
    let endpoint = std::env::var("RIYADA_TEST_S3_ENDPOINT").expect(
        "RIYADA_TEST_S3_ENDPOINT is not set: run the README test command (scripts/test), which \
         starts a local S3-compatible server (moto), or point it at one you own",
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let bucket = unique_name().replace('_', "-");
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("reach the test S3 server");
    assert!(created.status().is_success(), "create bucket: {}", created.status());
    server::uploads::storage::S3Settings {
        bucket,
        endpoint: Some(endpoint),
        region: Some("us-east-1".into()),
    }
}

pub async fn app_with_storage(backend: Backend, store: Store) -> TestApp {
    app_with_limits(backend, store, domain::documents::DocumentLimits::default()).await
}

pub async fn app_with_limits(backend: Backend, store: Store, limits: domain::documents::DocumentLimits) -> TestApp {
    build(backend, store, limits, None).await
}

/// The reverse proxies every test app trusts.
pub const TEST_PROXIES: &str = "10.0.0.0/8";

/// The portal's address in the links of test e-mail.
pub const PUBLIC_URL: &str = "http://riyada.test";

/// An app that writes e-mail and SMS to their outboxes (send them with a
/// [`server::mailer::Mailer`] and a [`server::texter::Texter`]).
/// SMS go to every number as typed (see [`app_with_sms`] for confirmed numbers only).
pub async fn app_with_mail(backend: Backend) -> TestApp {
    app_with_sms(backend, domain::sms::Caps::default(), false).await
}

/// Like [`app_with_mail`], with these daily SMS caps, and SMS only to confirmed numbers when
/// `verify_phones`.
pub async fn app_with_sms(backend: Backend, caps: domain::sms::Caps, verify_phones: bool) -> TestApp {
    let mail = app::state::MailSettings {
        public_url: PUBLIC_URL.into(),
    };
    let sms = app::state::SmsSettings {
        public_url: PUBLIC_URL.into(),
        caps,
        verify_phones,
        segment_cost_agorot: 8,
    };
    build(
        backend,
        Store::Local,
        domain::documents::DocumentLimits::default(),
        Some((mail, sms)),
    )
    .await
}

async fn build(
    backend: Backend,
    store: Store,
    limits: domain::documents::DocumentLimits,
    messages: Option<(app::state::MailSettings, app::state::SmsSettings)>,
) -> TestApp {
    let (url, dir) = database(backend).await;
    let mut state = open_state(&url, 4).await.expect("open database");
    state.documents = limits;
    (state.mail, state.sms) = messages.unzip();
    // The tests' reverse proxy (`call_from`); requests without a peer count as "local".
    state.trusted_proxies = domain::network::TrustedProxies::parse(TEST_PROXIES).expect("proxies");
    let web = WebSettings {
        upload_form_limit: limits.file_max as usize + 64 * 1024,
        ..WebSettings::default()
    };
    let options = leptos_options();
    let files = TempDir(std::env::temp_dir().join(unique_name()));
    std::fs::create_dir_all(&files.0).expect("temp dir");
    let storage = match store {
        Store::Local => server::uploads::storage::Storage::local(&files.0.join("documents")).expect("local storage"),
        Store::S3 => server::uploads::storage::Storage::s3(&s3_bucket().await).expect("S3 storage"),
    };
    let uploads = std::sync::Arc::new(
        server::uploads::Uploads::new(
            storage,
            std::sync::Arc::new(server::uploads::scan::TestSignatureScanner),
            files.0.join("work"),
        )
        .expect("upload scratch dir"),
    );
    let router = build_router(state.clone(), options, &web, uploads.clone());
    TestApp {
        router,
        state,
        uploads,
        _dir: dir,
        _files: files,
    }
}

fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("riyada")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build()
}

impl TestApp {
    /// The same app (same database and storage) with an islands build in its site (two
    /// empty files under the names the server looks for), as the test command's build has.
    pub fn with_islands_build(mut self) -> Self {
        let site = self._files.0.join("site");
        let pkg = site.join("pkg");
        std::fs::create_dir_all(&pkg).expect("site dir");
        for name in ["riyada-islands.js", "riyada-islands.wasm"] {
            std::fs::write(pkg.join(name), b"").expect("islands file");
        }
        let options = LeptosOptions::builder()
            .output_name("riyada")
            .site_root(site.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .build();
        self.router = build_router(
            self.state.clone(),
            options,
            &WebSettings::default(),
            self.uploads.clone(),
        );
        self
    }

    /// The same app (same database and storage) served as behind HTTPS: `--secure-cookies`.
    pub fn behind_https(mut self) -> Self {
        let web = WebSettings {
            secure_cookies: true,
            ..WebSettings::default()
        };
        self.router = build_router(self.state.clone(), leptos_options(), &web, self.uploads.clone());
        self
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    /// The body exactly as sent (downloads are binary).
    pub bytes: axum::body::Bytes,
    pub set_cookie: Vec<String>,
    pub headers: axum::http::HeaderMap,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The session cookie set by this reply, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.set_cookie
            .iter()
            .find(|c| c.starts_with("riyada_session="))
            .and_then(|c| c.split(';').next())
            .map(str::to_string)
    }
}

/// Percent-encodes a form value.
pub fn enc(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let set_cookie = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
            .await
            .expect("body");
        Reply {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
            set_cookie,
            headers,
        }
    }

    /// Calls a server function the way the hydrated app does (form-encoded POST, JSON back).
    pub async fn call(&self, endpoint: &str, body: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    /// Calls a server function that takes JSON (table saves, import).
    pub async fn call_json(&self, endpoint: &str, body: &serde_json::Value, cookie: Option<&str>) -> Reply {
        let body = body.to_string();
        let mut request = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).expect("request")).await
    }

    /// Like [`call`](Self::call), from a connection at `peer`, optionally forwarding
    /// `X-Forwarded-For` (believed only from [`TEST_PROXIES`]).
    pub async fn call_from(&self, endpoint: &str, body: &str, peer: &str, forwarded_for: Option<&str>) -> Reply {
        let mut request = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .header("sec-fetch-site", "same-origin");
        if let Some(list) = forwarded_for {
            request = request.header("x-forwarded-for", list);
        }
        let mut request = request.body(Body::from(body.to_string())).expect("request");
        let peer: std::net::SocketAddr = format!("{peer}:40000").parse().expect("peer address");
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        self.send(request).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).expect("request")).await
    }

    /// Any request with a raw body (upload routes), from our own pages.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        content_type: &str,
        cookie: Option<&str>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).expect("request")).await
    }

    /// Uploads a whole file the way the browser does: announce, then 1 MiB chunks. Returns
    /// the first reply that is not a plain "chunk stored" (the document, or the refusal).
    pub async fn upload(&self, cookie: &str, doc_type: &str, name: &str, bytes: &[u8], replaces: Option<i64>) -> Reply {
        let start = serde_json::json!({
            "doc_type": doc_type, "name": name, "size": bytes.len(),
            "sha256": sha256_hex(bytes), "replaces": replaces,
        });
        let reply = self
            .raw(
                "POST",
                "/uploads",
                start.to_string().into_bytes(),
                "application/json",
                Some(cookie),
            )
            .await;
        if reply.status != StatusCode::CREATED {
            return reply;
        }
        let id = reply.json()["id"].as_str().expect("upload id").to_string();
        let mut received = reply.json()["received"].as_u64().expect("received") as usize;
        loop {
            let end = (received + CHUNK).min(bytes.len());
            let reply = self
                .raw(
                    "PUT",
                    &format!("/uploads/{id}?offset={received}"),
                    bytes[received..end].to_vec(),
                    "application/octet-stream",
                    Some(cookie),
                )
                .await;
            if reply.status != StatusCode::OK || !reply.json()["document"].is_null() {
                return reply;
            }
            received = reply.json()["received"].as_u64().expect("received") as usize;
        }
    }

    /// Sends a whole file as the plain upload form does (JavaScript off).
    pub async fn form_upload(&self, cookie: &str, doc_type: &str, name: &str, bytes: &[u8]) -> Reply {
        let (content_type, body) = upload_form(doc_type, name, bytes);
        self.raw("POST", "/uploads/form", body, &content_type, Some(cookie))
            .await
    }

    /// Every key in document storage under `prefix`.
    pub async fn stored(&self, prefix: &str) -> Vec<String> {
        self.uploads.storage.keys(prefix).await.expect("list storage")
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&self.state.pool).await.expect("count");
        n
    }

    pub async fn users(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM users").await
    }

    /// Registers an entrepreneur and returns the session cookie.
    pub async fn register(&self, name: &str, phone: &str, email: &str, governorate: &str) -> String {
        let reply = self
            .call("auth/register", &registration(name, phone, email, governorate), None)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "register: {}", reply.body);
        reply.session_cookie().expect("session cookie after registration")
    }

    /// Signs in and returns the session cookie.
    pub async fn login(&self, identifier: &str, password: &str) -> String {
        let reply = self
            .call(
                "auth/login",
                &form(&[("identifier", identifier), ("password", password)]),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "login: {}", reply.body);
        reply.session_cookie().expect("session cookie after login")
    }

    /// Creates a staff account the way `riyada create-user` does.
    pub async fn staff(&self, role: &str, email: &str, chamber: &str) -> i64 {
        app::staff::server::create_staff(
            &self.state.pool,
            None,
            app::staff::StaffInput {
                full_name: format!("Staff {email}"),
                email: email.into(),
                phone: String::new(),
                role: domain::roles::Role::from_key(role),
                chamber: chamber.into(),
                password: PASSWORD.into(),
            },
        )
        .await
        .expect("create staff")
    }
}

pub const PASSWORD: &str = "sesame-street-42";

pub fn registration(name: &str, phone: &str, email: &str, governorate: &str) -> String {
    form(&[
        ("input[full_name]", name),
        ("input[phone]", phone),
        ("input[email]", email),
        ("input[password]", PASSWORD),
        ("input[gender]", "female"),
        ("input[birth_date]", "1995-05-01"),
        ("input[governorate]", governorate),
        ("input[chamber]", ""),
    ])
}

/// A real SMTP server (aiosmtpd, installed by the test command) that keeps what it receives
/// in a maildir of its own. Stopped on drop.
pub struct SmtpSink {
    pub port: u16,
    dir: TempDir,
    child: Option<std::process::Child>,
}

/// One received message, parsed.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl SmtpSink {
    pub fn port_free() -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        listener.local_addr().expect("port").port()
    }

    /// Starts one on a free port.
    pub async fn start() -> SmtpSink {
        Self::start_on(Self::port_free()).await
    }

    pub async fn start_on(port: u16) -> SmtpSink {
        let dir = TempDir(std::env::temp_dir().join(unique_name()));
        let mut sink = SmtpSink { port, dir, child: None };
        sink.restart().await;
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// (Re)starts the server on its port and waits until it accepts connections.
    pub async fn restart(&mut self) {
        let program = std::env::var("RIYADA_TEST_AIOSMTPD")
            .unwrap_or_else(|_| format!("{}/../.tools/py/bin/aiosmtpd", env!("CARGO_MANIFEST_DIR")));
        let child = std::process::Command::new(&program)
            .args([
                "-n",
                "-l",
                &format!("127.0.0.1:{}", self.port),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&self.dir.0)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {program} ({e}): run the README test command (scripts/test), which installs aiosmtpd"
                )
            });
        self.child = Some(child);
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the test SMTP server did not start on port {}", self.port);
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Everything received so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        let mut files: Vec<(std::time::SystemTime, std::path::PathBuf)> = ["new", "cur"]
            .iter()
            .filter_map(|sub| std::fs::read_dir(self.dir.0.join(sub)).ok())
            .flatten()
            .filter_map(|entry| entry.ok())
            .map(|entry| {
                let modified = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(std::time::UNIX_EPOCH);
                (modified, entry.path())
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|(_, path)| {
                let raw = std::fs::read(&path).expect("read message");
                let parsed = mail_parser::MessageParser::default()
                    .parse(&raw)
                    .expect("parse message");
                Received {
                    to: parsed
                        .to()
                        .and_then(|to| to.first())
                        .and_then(|a| a.address())
                        .unwrap_or_default()
                        .to_string(),
                    subject: parsed.subject().unwrap_or_default().to_string(),
                    text: parsed.body_text(0).map(|t| t.to_string()).unwrap_or_default(),
                    html: parsed.body_html(0).map(|t| t.to_string()).unwrap_or_default(),
                }
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A mail worker for tests: retries after two seconds instead of half a minute.
pub fn mailer(smtp_url: &str) -> server::mailer::Mailer {
    mailer_retrying_after(smtp_url, 2)
}

/// A mail worker that retries a failed message after `secs` seconds. A test of the back-off
/// takes a minute and moves the rows' times instead of waiting: a machine that stalls for
/// seconds cannot then make "not due yet" fail.
pub fn mailer_retrying_after(smtp_url: &str, secs: i64) -> server::mailer::Mailer {
    server::mailer::Mailer::new(
        smtp_url,
        "Riyada <no-reply@riyada.test>",
        server::mailer::MailerSettings {
            retry_base_secs: secs,
            retry_max_secs: secs,
            ..Default::default()
        },
    )
    .expect("mailer")
}

/// A local SMS gateway: an HTTP server in the test process that keeps every message it is
/// sent (JSON bodies, as `texter` writes them) and answers with `status`, 200 unless a test
/// sets another (a gateway down or refusing).
pub struct SmsSink {
    pub url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<Texted>>>,
    status: std::sync::Arc<std::sync::atomic::AtomicU16>,
    task: tokio::task::JoinHandle<()>,
}

/// One message the gateway received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Texted {
    pub to: String,
    pub text: String,
    pub sender: String,
    pub authorization: Option<String>,
}

pub const SMS_TOKEN: &str = "Bearer test-gateway-token";

impl SmsSink {
    pub async fn start() -> SmsSink {
        use std::sync::atomic::Ordering;
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let status = std::sync::Arc::new(std::sync::atomic::AtomicU16::new(200));
        let (kept, answer) = (received.clone(), status.clone());
        let handler = move |headers: axum::http::HeaderMap, body: String| {
            let kept = kept.clone();
            let answer = answer.clone();
            async move {
                let code = answer.load(Ordering::SeqCst);
                if code == 200 {
                    let json: serde_json::Value = serde_json::from_str(&body).expect("the gateway gets JSON");
                    let field = |name: &str| json[name].as_str().unwrap_or_default().to_string();
                    kept.lock().expect("sink").push(Texted {
                        to: field("to"),
                        text: field("text"),
                        sender: field("from"),
                        authorization: headers
                            .get(header::AUTHORIZATION)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string),
                    });
                }
                StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
            }
        };
        let router = Router::new().route("/send", axum::routing::post(handler));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/send", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        SmsSink {
            url,
            received,
            status,
            task,
        }
    }

    pub fn received(&self) -> Vec<Texted> {
        self.received.lock().expect("sink").clone()
    }

    /// Answer every request with this status from now on.
    pub fn answer(&self, status: u16) {
        self.status.store(status, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for SmsSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// An SMS worker for tests, sending to `url` as a JSON gateway with a bearer token; retries
/// after two seconds.
pub fn texter(url: &str) -> server::texter::Texter {
    texter_retrying_after(url, 2)
}

/// The SMS worker above, retrying after `secs` seconds (see `mailer_retrying_after`).
pub fn texter_retrying_after(url: &str, secs: i64) -> server::texter::Texter {
    server::texter::Texter::new(
        server::texter::Provider::Http(server::texter::HttpGateway {
            url: url.into(),
            method: axum::http::Method::POST,
            body: Some(r#"{"to":"{to}","text":"{text}","from":"{sender}"}"#.into()),
            format: server::texter::BodyFormat::Json,
            auth_header: Some(format!("Authorization: {SMS_TOKEN}")),
            sender: "Riyada".into(),
        }),
        server::texter::TexterSettings {
            retry_base_secs: secs,
            retry_max_secs: secs,
            ..Default::default()
        },
    )
    .expect("texter")
}

pub const CHUNK: usize = 1024 * 1024;

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A downloaded workbook read back as a spreadsheet program would: its one sheet's name,
/// whether it reads right to left, and each cell as text (numbers as written by Rust's
/// `f64` display, dates as `YYYY-MM-DD`), with the kind of each cell kept apart so a test
/// can tell a number from text that looks like one.
pub struct Workbook {
    pub name: String,
    pub right_to_left: bool,
    pub rows: Vec<Vec<XlsxCell>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum XlsxCell {
    Text(String),
    Number(f64),
    Date(String),
    Empty,
}

pub fn read_xlsx(bytes: &[u8]) -> Workbook {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX file");
    let name = workbook.sheet_names().first().cloned().expect("one sheet");
    let range = workbook.worksheet_range(&name).expect("the sheet reads");
    let rows = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(s) => XlsxCell::Text(s.clone()),
                    Data::Float(f) => XlsxCell::Number(*f),
                    Data::Int(i) => XlsxCell::Number(*i as f64),
                    // Excel's day 25,569 is 1970-01-01.
                    Data::DateTime(d) => {
                        XlsxCell::Date(domain::validation::Date::from_unix((d.as_f64() as i64 - 25_569) * 86_400).iso())
                    }
                    Data::Empty => XlsxCell::Empty,
                    other => XlsxCell::Text(other.to_string()),
                })
                .collect()
        })
        .collect();
    // calamine does not report the direction: read it from the sheet's own XML.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/worksheets/sheet1.xml").expect("the first sheet"),
        &mut xml,
    )
    .expect("UTF-8 XML");
    Workbook {
        name,
        right_to_left: xml.contains("rightToLeft=\"1\""),
        rows,
    }
}

/// The multipart body of the plain upload form (`doc_type`, then `file`) and its content
/// type. The name is written as a browser writes it: quotes and line breaks as %22, %0D,
/// %0A (and NUL, which no file system allows in a name, as %00).
pub fn upload_form(doc_type: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----riyada-test-boundary";
    let quoted = name
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace('\0', "%00");
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"doc_type\"\r\n\r\n{doc_type}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{quoted}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The real `riyada` binary serving on a free port of the loopback; killed on drop.
pub struct ServerProcess {
    pub child: std::process::Child,
    pub base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ServerProcess {
    /// Starts `riyada serve` with `configure`'s arguments (after `--addr`) and waits until
    /// `/readyz` answers; `stdout` receives its log.
    pub async fn start(
        client: &reqwest::Client,
        configure: impl FnOnce(&mut std::process::Command),
        stdout: std::process::Stdio,
    ) -> ServerProcess {
        let port = SmtpSink::port_free();
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_riyada"));
        command
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env_remove("RIYADA_DATABASE_URL")
            .stdout(stdout)
            .stderr(std::process::Stdio::inherit());
        configure(&mut command);
        let child = command.spawn().expect("the server starts");
        let server = ServerProcess {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = std::time::Instant::now();
        loop {
            if let Ok(reply) = client.get(format!("{}/readyz", server.base)).send().await {
                if reply.status().is_success() {
                    return server;
                }
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "the server did not come up"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// A same-origin POST with `cookie`, as the portal's pages send them.
    pub fn post(&self, client: &reqwest::Client, path: &str, cookie: &str) -> reqwest::RequestBuilder {
        client
            .post(format!("{}{path}", self.base))
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .header("cookie", cookie)
    }

    /// Registers an entrepreneur of Gaza through the real endpoint; answers her session
    /// cookie (`riyada_session=…`).
    pub async fn register(&self, client: &reqwest::Client, name: &str, phone: &str, email: &str) -> String {
        let registered = self
            .post(client, "/api/auth/register", "")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(registration(name, phone, email, "gaza"))
            .send()
            .await
            .expect("register");
        assert!(registered.status().is_success(), "register: {}", registered.status());
        session_of(&registered).expect("a session")
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

/// The `riyada_session=…` pair of a reply's cookies.
pub fn session_of(reply: &reqwest::Response) -> Option<String> {
    reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("riyada_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
}
