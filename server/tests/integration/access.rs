//! The access matrix (`tests/fixtures/access-matrix.tsv`): every server function and plain
//! route, called by ten kinds of caller, must answer as the table says, on SQLite and on
//! PostgreSQL. An endpoint the server has and the table lacks fails the test, and so does a
//! row whose body does not even read (a 400 tests nothing about who asks). The same table
//! drives the CSRF sweep: every state-changing endpoint, called cross-site by a caller it
//! lets through, is refused.
use crate::support::*;
use app::db::Backend;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use std::collections::HashMap;

on_both_databases!(
    every_endpoint_answers_each_caller_as_the_matrix_says,
    cross_site_requests_to_every_state_changing_endpoint_are_refused,
);

const MATRIX: &str = include_str!("../fixtures/access-matrix.tsv");
const CALLERS: [&str; 10] = [
    "anon", "gone", "stale", "other", "adv2", "mgr2", "adv", "mgr", "fund", "owner",
];
/// The upload the `@announce` / `@chunk` rows work on: two chunks of a PDF.
const UPLOAD_SIZE: usize = 2 * CHUNK;

struct Row {
    line: usize,
    method: String,
    path: String,
    body: String,
    cells: Vec<String>,
}

fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for (at, line) in MATRIX.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("method\t") {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 3 + CALLERS.len(), "line {}: {line}", at + 1);
        rows.push(Row {
            line: at + 1,
            method: fields[0].into(),
            path: fields[1].into(),
            body: fields[2].into(),
            cells: fields[3..].iter().map(|c| c.to_string()).collect(),
        });
    }
    rows
}

/// The people and things the rows talk about.
struct World {
    sessions: HashMap<&'static str, Option<String>>,
    ids: HashMap<&'static str, i64>,
    upload: String,
    /// A job title of her plans, folded and form-encoded.
    title: String,
}

impl World {
    fn fill(&self, text: &str) -> String {
        let mut text = text.replace("{upload}", &self.upload).replace("{title}", &self.title);
        for (name, id) in &self.ids {
            text = text.replace(&format!("{{{name}}}"), &id.to_string());
        }
        assert!(
            !text.contains('{') || text.starts_with('{'),
            "unknown placeholder in {text}"
        );
        text
    }
}

fn upload_file() -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(UPLOAD_SIZE - 7, b'u');
    pdf.extend_from_slice(b"\n%%EOF\n");
    pdf
}

async fn ok(reply: Reply, what: &str) -> serde_json::Value {
    assert!(reply.status.is_success(), "{what}: {} {}", reply.status, reply.body);
    if reply.body.is_empty() {
        serde_json::Value::Null
    } else {
        reply.json()
    }
}

async fn transition(t: &TestApp, cookie: &str, plan: i64, action: &str, advisor: Option<i64>) {
    let mut fields = vec![
        ("plan_id", plan.to_string()),
        ("action", action.to_string()),
        ("message", String::new()),
    ];
    if let Some(advisor) = advisor {
        fields.push(("advisor_id", advisor.to_string()));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ok(t.call("case/transition", &form(&fields), Some(cookie)).await, action).await;
}

async fn imported(t: &TestApp, cookie: &str) -> i64 {
    let document = include_str!("../fixtures/full-plan.json");
    ok(
        t.call_json("plans/import", &json!({ "document": document }), Some(cookie))
            .await,
        "import",
    )
    .await
    .as_i64()
    .expect("plan id")
}

async fn world(t: &TestApp) -> World {
    let adv_id = t.staff("advisor", "adv@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "mgr@gaza.ps", "gaza").await;
    t.staff("advisor", "adv@rafah.ps", "rafah").await;
    t.staff("chamber-manager", "mgr@rafah.ps", "rafah").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let adv = t.login("adv@gaza.ps", PASSWORD).await;
    let mgr = t.login("mgr@gaza.ps", PASSWORD).await;
    let adv2 = t.login("adv@rafah.ps", PASSWORD).await;
    let mgr2 = t.login("mgr@rafah.ps", PASSWORD).await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let mut owner = t
        .register("مالكة الملف", "0599100001", "owner@example.ps", "gaza")
        .await;
    let other = t.register("رائدة أخرى", "0599100002", "", "gaza").await;
    let gone = t.register("حساب موقوف", "0599100003", "", "gaza").await;
    t.register("حساب للإيقاف", "0599100004", "", "gaza").await;
    let id_of =
        |phone: &'static str| async move { t.count(&format!("SELECT id FROM users WHERE phone = '{phone}'")).await };
    let owner_id = id_of("0599100001").await;
    let gone_id = id_of("0599100003").await;
    let victim = id_of("0599100004").await;

    // Her plan in review with the Gaza advisor, a draft, one to delete, one deleted, and one
    // that went all the way to an operating establishment.
    let plan = imported(t, &owner).await;
    transition(t, &owner, plan, "submit", None).await;
    transition(t, &mgr, plan, "assign", Some(adv_id)).await;
    let draft = imported(t, &owner).await;
    let doomed = imported(t, &owner).await;
    let deleted = imported(t, &owner).await;
    ok(
        t.call(
            "plans/delete",
            &form(&[("plan_id", &deleted.to_string())]),
            Some(&owner),
        )
        .await,
        "delete",
    )
    .await;
    let operating = imported(t, &owner).await;
    transition(t, &owner, operating, "submit", None).await;
    transition(t, &mgr, operating, "assign", Some(adv_id)).await;
    for action in ["approve", "refer", "mark_operating"] {
        transition(t, &mgr, operating, action, None).await;
    }
    let establishment = t.count("SELECT id FROM establishments").await;
    // A comment she can answer.
    let comment = ok(
        t.call(
            "review/comment/add",
            &form(&[
                ("input[plan_id]", &plan.to_string()),
                ("input[pin]", "market"),
                ("input[audience]", "entrepreneur"),
                ("input[body]", "وضّحي مصدر التمويل."),
            ]),
            Some(&adv),
        )
        .await,
        "comment",
    )
    .await
    .as_i64()
    .expect("comment id");
    // Documents: a PDF, a photo, one to delete; an upload under way.
    let pdf = |fill: u8| {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.resize(4000, fill);
        bytes.extend_from_slice(b"\n%%EOF\n");
        bytes
    };
    let doc = ok(
        t.upload(&owner, "quotation", "offer.pdf", &pdf(b'a'), None).await,
        "doc",
    )
    .await["document"]["id"]
        .as_i64()
        .expect("doc");
    let doomed_doc = ok(t.upload(&owner, "quotation", "old.pdf", &pdf(b'b'), None).await, "doc").await["document"]
        ["id"]
        .as_i64()
        .expect("doc");
    let photo = {
        let picture = image::RgbImage::from_fn(32, 24, |x, y| image::Rgb([(x * 7) as u8, (y * 9) as u8, 120]));
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
            .encode_image(&picture)
            .expect("jpeg");
        ok(
            t.upload(&owner, "personal_photo", "me.jpg", &bytes, None).await,
            "photo",
        )
        .await["document"]["id"]
            .as_i64()
            .expect("photo")
    };
    let file = upload_file();
    let announced = json!({
        "doc_type": "quotation", "name": "big.pdf", "size": file.len(),
        "sha256": sha256_hex(&file), "replaces": null,
    });
    let upload = ok(
        t.raw(
            "POST",
            "/uploads",
            announced.to_string().into_bytes(),
            "application/json",
            Some(&owner),
        )
        .await,
        "announce",
    )
    .await["id"]
        .as_str()
        .expect("upload id")
        .to_string();
    // A service request.
    let catalogue = ok(t.call("services/catalogue", "", Some(&owner)).await, "catalogue").await;
    let service = catalogue[0]["id"].as_i64().expect("a service");
    let request = ok(
        t.call(
            "services/request",
            &form(&[("service_id", &service.to_string()), ("note", "")]),
            Some(&owner),
        )
        .await,
        "request",
    )
    .await
    .as_i64()
    .expect("request id");
    // A holiday the Fund can take out of the calendar again.
    ok(
        t.call(
            "services/add-holiday",
            &form(&[("day", "2099-01-01"), ("name_ar", "عطلة"), ("name_en", "Holiday")]),
            Some(&fund),
        )
        .await,
        "holiday",
    )
    .await;
    let (title,): (String,) = sqlx::query_as("SELECT folded_title FROM plan_positions LIMIT 1")
        .fetch_one(&t.state.pool)
        .await
        .expect("a job title");
    let title = form(&[("t", &title)]).trim_start_matches("t=").to_string();
    let notification = t
        .count(&format!("SELECT MIN(id) FROM notifications WHERE user_id = {owner_id}"))
        .await;

    // A session of hers from before her password change, and a deactivated account's.
    let stale = t.login("0599100001", PASSWORD).await;
    let changed = t
        .call(
            "profile/password",
            &form(&[("current_password", PASSWORD), ("new_password", "a-changed-password-9")]),
            Some(&owner),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    owner = changed.session_cookie().unwrap_or(owner);
    ok(
        t.call(
            "admin/users/deactivate",
            &form(&[("user_id", &gone_id.to_string())]),
            Some(&fund),
        )
        .await,
        "deactivate",
    )
    .await;

    let sessions = HashMap::from([
        ("anon", None),
        ("gone", Some(gone)),
        ("stale", Some(stale)),
        ("other", Some(other)),
        ("adv2", Some(adv2)),
        ("mgr2", Some(mgr2)),
        ("adv", Some(adv)),
        ("mgr", Some(mgr)),
        ("fund", Some(fund)),
        ("owner", Some(owner)),
    ]);
    let ids = HashMap::from([
        ("owner", owner_id),
        ("victim", victim),
        ("plan", plan),
        ("draft", draft),
        ("doomed", doomed),
        ("deleted", deleted),
        ("establishment", establishment),
        ("comment", comment),
        ("doc", doc),
        ("doomed_doc", doomed_doc),
        ("photo", photo),
        ("service", service),
        ("request", request),
        ("notification", notification),
    ]);
    World {
        sessions,
        ids,
        upload,
        title,
    }
}

/// The request a row makes for one caller; `site` is the `Sec-Fetch-Site` the browser sends.
/// Each caller comes from an address of its own, so per-address limits meet one caller.
fn request(world: &World, row: &Row, caller: usize, site: &str) -> Request<Body> {
    let cookie = world.sessions[CALLERS[caller]].as_deref();
    let path = world.fill(&row.path);
    let (method, uri) = match row.method.as_str() {
        "POST" | "JSON" if !path.starts_with('/') => ("POST", format!("/api/{path}")),
        method => (method, path),
    };
    let (content_type, body): (String, Vec<u8>) = match row.body.as_str() {
        "-" => ("application/x-www-form-urlencoded".into(), Vec::new()),
        "@announce" => {
            let file = b"%PDF-1.4\nsmall\n%%EOF\n";
            let announced = json!({
                "doc_type": "quotation", "name": "small.pdf", "size": file.len(),
                "sha256": sha256_hex(file), "replaces": null,
            });
            ("application/json".into(), announced.to_string().into_bytes())
        }
        "@chunk" => ("application/octet-stream".into(), upload_file()[..CHUNK].to_vec()),
        "@form" => upload_form("quotation", "form.pdf", b"%PDF-1.4\nform\n%%EOF\n"),
        text if row.method == "JSON" => ("application/json".into(), world.fill(text).into_bytes()),
        text => (
            "application/x-www-form-urlencoded".into(),
            world.fill(&text.replace("{caller}", CALLERS[caller])).into_bytes(),
        ),
    };
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::HOST, "riyada.test")
        .header("sec-fetch-site", site);
    if site == "cross-site" {
        builder = builder.header(header::ORIGIN, "https://evil.example");
    }
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    let mut request = builder.body(Body::from(body)).expect("request");
    let peer: std::net::SocketAddr = format!("192.0.2.{}:40000", caller + 1).parse().expect("peer");
    request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
    request
}

/// What an answer says about the caller: redirects to the sign-in page are "sign in first"
/// (401); the plain upload form names its outcome in the address it goes back to.
fn status_of(reply: &Reply) -> u16 {
    let location = reply
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if reply.status.is_redirection() {
        if location.starts_with("/sign-in") {
            return 401;
        }
        if location == "/documents?problem=failed" {
            return 403;
        }
        if location.starts_with("/documents?uploaded=") {
            return 200;
        }
    }
    reply.status.as_u16()
}

fn matches(expected: &str, status: u16) -> bool {
    match expected {
        "ok" => (200..400).contains(&status) || status == 409 || status == 422,
        code => code.parse::<u16>().is_ok_and(|code| code == status),
    }
}

fn cell_of(status: u16) -> String {
    match status {
        401 | 403 | 404 => status.to_string(),
        s if (200..400).contains(&s) || s == 409 || s == 422 => "ok".into(),
        s => s.to_string(),
    }
}

/// Every registered server function and plain route has a row.
fn every_endpoint_has_a_row(rows: &[Row]) {
    let mut missing = Vec::new();
    for (path, _method) in leptos::server_fn::axum::server_fn_paths() {
        let name = path.trim_start_matches("/api/");
        if !rows.iter().any(|r| !r.path.starts_with('/') && r.path == name) {
            missing.push(path.to_string());
        }
    }
    let sources = [
        include_str!("../../src/lib.rs"),
        include_str!("../../src/uploads/routes.rs"),
    ];
    for source in sources {
        for route in source.split(".route(\"").skip(1) {
            let pattern = route.split('"').next().unwrap_or("");
            let segments: Vec<&str> = pattern.split('/').collect();
            let covered = rows.iter().any(|r| {
                let path = r.path.split('?').next().unwrap_or("");
                let row_segments: Vec<&str> = path.split('/').collect();
                row_segments.len() == segments.len()
                    && segments
                        .iter()
                        .zip(&row_segments)
                        .all(|(s, r)| s.starts_with('{') || s == r)
            });
            if !covered {
                missing.push(pattern.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "endpoints without a row in the access matrix: {missing:?}"
    );
}

async fn every_endpoint_answers_each_caller_as_the_matrix_says(backend: Backend) {
    let rows = rows();
    every_endpoint_has_a_row(&rows);
    let t = app_with_mail(backend).await;
    let world = world(&t).await;
    let mut wrong = Vec::new();
    let mut actual = Vec::new();
    for row in &rows {
        let mut cells = Vec::new();
        for (index, (caller, expected)) in CALLERS.iter().zip(&row.cells).enumerate() {
            let reply = t.send(request(&world, row, index, "same-origin")).await;
            let status = status_of(&reply);
            if status == 400 || status >= 500 || !matches(expected, status) {
                wrong.push(format!(
                    "line {} {} {} as {caller}: expected {expected}, got {status} {}",
                    row.line,
                    row.method,
                    row.path,
                    reply.body.chars().take(160).collect::<String>()
                ));
            }
            cells.push(cell_of(status));
        }
        actual.push(format!(
            "{}\t{}\t{}\t{}",
            row.method,
            row.path,
            row.body,
            cells.join("\t")
        ));
    }
    assert!(
        wrong.is_empty(),
        "{} cells differ from the matrix:\n{}\n\nwhat the server answered:\n{}",
        wrong.len(),
        wrong.join("\n"),
        actual.join("\n")
    );
}

async fn cross_site_requests_to_every_state_changing_endpoint_are_refused(backend: Backend) {
    let rows = rows();
    let t = app_with_mail(backend).await;
    let world = world(&t).await;
    let mut forged = 0;
    for row in rows.iter().filter(|r| r.method != "GET") {
        // A caller the row lets through, so that a 403 can only be the forgery's.
        let index = row
            .cells
            .iter()
            .rposition(|cell| cell == "ok")
            .unwrap_or(CALLERS.len() - 1);
        let caller = CALLERS[index];
        let reply = t.send(request(&world, row, index, "cross-site")).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "line {}: {} {} as {caller}, cross-site: {}",
            row.line,
            row.method,
            row.path,
            reply.body
        );
        forged += 1;
    }
    assert!(forged >= 80, "only {forged} state-changing rows");
    // Nothing a forgery reached changed: the owner still has her plans, documents and session.
    let owner = world.sessions["owner"].as_deref();
    let plans = t.call("plans/list", "", owner).await;
    assert_eq!(plans.status, StatusCode::OK);
    assert_eq!(plans.json().as_array().map(Vec::len), Some(4), "{}", plans.body);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM documents WHERE deleted_at IS NULL").await,
        3
    );
}
