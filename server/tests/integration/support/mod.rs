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

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    _dir: Option<TempDir>,
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique_name() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen();
    format!("riyada_t_{n:016x}")
}

async fn database(backend: Backend) -> (String, Option<TempDir>) {
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
    let (url, dir) = database(backend).await;
    let state = open_state(&url, 4).await.expect("open database");
    let options = LeptosOptions::builder()
        .output_name("riyada")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    let router = build_router(state.clone(), options, &WebSettings::default());
    TestApp {
        router,
        state,
        _dir: dir,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub body: String,
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
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        Reply {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
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

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).expect("request")).await
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
                role: role.into(),
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
