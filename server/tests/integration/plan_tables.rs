//! Plan tables, import and export through the real server functions and file routes, on
//! SQLite and PostgreSQL: typed cells in any digit system, per-cell problems that change
//! nothing, revision conflicts, the 1 MB import limit, and who may read a plan.
use crate::support;

use app::db::Backend;
use axum::http::{header, StatusCode};
use domain::plan::financials::parse_plan;
use serde_json::{json, Value};
use support::*;

on_both_databases!(
    tables_save_typed_cells_and_name_bad_ones,
    imported_plans_export_back_the_same,
    bad_imports_are_refused_with_their_json_path,
    only_the_owner_and_after_submission_the_chamber_read_a_plan,
    a_burst_of_pdf_exports_waits_its_turn_or_is_told_to_come_back,
);

const FULL_PLAN: &str = include_str!("../fixtures/full-plan.json");

async fn new_plan(t: &TestApp, cookie: &str, currency: &str) -> i64 {
    let reply = t
        .call(
            "plans/create",
            &form(&[("title", "مشغل خياطة"), ("currency", currency)]),
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json().as_i64().expect("plan id")
}

async fn save_table(t: &TestApp, cookie: &str, plan: i64, table: &str, rows: Value, revision: i64) -> Reply {
    t.call_json(
        "plans/table/save",
        &json!({"plan_id": plan, "table": table, "rows": rows, "revision": revision}),
        Some(cookie),
    )
    .await
}

async fn detail(t: &TestApp, cookie: &str, plan: i64) -> Reply {
    t.call("plans/get", &form(&[("plan_id", &plan.to_string())]), Some(cookie))
        .await
}

async fn tables_save_typed_cells_and_name_bad_ones(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let plan = new_plan(&t, &sara, "ILS").await;
    let rows = json!([
        ["ماكينة خياطة", "equipment", "٢", "١٬٨٠٠", ""],
        ["", "", "", "", ""],
        ["رسوم ترخيص", "fees", "1", "300.5", ""]
    ]);
    let saved = save_table(&t, &sara, plan, "startup_items", rows, 1).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json(), 2);
    let data = detail(&t, &sara, plan).await.json()["data"].clone();
    assert_eq!(data["startup_items"][0]["quantity"], 2);
    assert_eq!(data["startup_items"][0]["unit_price"], 180_000);
    assert_eq!(
        data["startup_items"][1]["unit_price"], 30_050,
        "the blank row is dropped"
    );

    // A cell that does not read: named, and nothing changes (revision included).
    let bad = save_table(
        &t,
        &sara,
        plan,
        "startup_items",
        json!([["ماكينة", "equipment", "اثنان", "100", ""]]),
        2,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.json(),
        json!({"InvalidCells": [{"row": 0, "col": "quantity", "problem": {"kind": "invalid_number"}}]})
    );
    assert_eq!(detail(&t, &sara, plan).await.json()["revision"], 2);
    assert_eq!(detail(&t, &sara, plan).await.json()["data"], data);

    // Funding in the same plan; then a stale save from another device gets the saved rows.
    let funding = save_table(
        &t,
        &sara,
        plan,
        "funding",
        json!([["3000", "", "5000", "4000", "6", "36", "3"]]),
        2,
    )
    .await;
    assert_eq!(funding.json(), 3);
    let stale = save_table(&t, &sara, plan, "funding", json!([["1", "", "", "", "", "", ""]]), 2).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let conflict = &stale.json()["Conflict"];
    assert_eq!(conflict["revision"], 3);
    let saved_rows: Value = serde_json::from_str(conflict["saved"].as_str().unwrap()).unwrap();
    assert_eq!(saved_rows, json!([["3000", "0", "5000", "4000", "6", "36", "3"]]));

    // Limits: 200 rows, a known table only, only the owner.
    let many: Vec<Value> = (0..201).map(|_| json!(["إيجار", "100"])).collect();
    let too_many = save_table(&t, &sara, plan, "fixed_costs", json!(many), 3).await;
    assert_eq!(
        too_many.json()["InvalidCells"][0]["problem"],
        json!({"kind": "too_many_rows", "max": 200})
    );
    // An unknown table does not even decode; nothing changes.
    assert_ne!(
        save_table(&t, &sara, plan, "salaries", json!([]), 3).await.status,
        StatusCode::OK
    );
    assert_eq!(detail(&t, &sara, plan).await.json()["revision"], 3);
    let laila = t.register("ليلى خالد", "0569123456", "", "gaza").await;
    assert_eq!(
        save_table(&t, &laila, plan, "fixed_costs", json!([["إيجار", "100"]]), 3)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        save_table(&t, "", plan, "fixed_costs", json!([["إيجار", "100"]]), 3)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn imported_plans_export_back_the_same(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let imported = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&sara))
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    let id = imported.json().as_i64().expect("new plan id");
    let got = detail(&t, &sara, id).await.json();
    assert_eq!(got["summary"]["title"], "مشغل خياطة أم أحمد");
    assert_eq!(got["data"]["products"][0]["monthly_qty"][11], 60);
    assert_eq!(got["editable"], true);

    let export = t.get(&format!("/plans/{id}/export/plan.json"), Some(&sara)).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    assert_eq!(export.headers[header::CONTENT_TYPE], "application/json");
    assert!(export.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(export.headers[header::CACHE_CONTROL], "private, no-store");
    // The same plan comes back (defaults spelled out, nothing lost).
    let original = parse_plan(FULL_PLAN).expect("fixture");
    let exported = parse_plan(&export.body).expect("the export is a valid plan");
    assert_eq!(exported, original);
    // The export imports again as another plan.
    let again = t
        .call_json("plans/import", &json!({"document": export.body}), Some(&sara))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(t.count("SELECT COUNT(*) FROM plans").await, 2);

    let pdf = t.get(&format!("/plans/{id}/export/plan.pdf"), Some(&sara)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.body.starts_with("%PDF"));
}

async fn bad_imports_are_refused_with_their_json_path(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let eleven = FULL_PLAN.replace("50, 60]", "50]");
    let reply = t
        .call_json("plans/import", &json!({"document": eleven}), Some(&sara))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.json(),
        json!({"InvalidPlan": [{"path": "products[0].monthly_qty", "kind": "month_count", "got": 11}]})
    );
    let unknown = FULL_PLAN.replace("\"cost_inflation_bp\"", "\"inflation\"");
    let reply = t
        .call_json("plans/import", &json!({"document": unknown}), Some(&sara))
        .await;
    assert_eq!(reply.json()["InvalidPlan"][0]["kind"], "structure");
    let untitled = FULL_PLAN.replace("\"title\": \"مشغل خياطة أم أحمد\",", "");
    let reply = t
        .call_json("plans/import", &json!({"document": untitled}), Some(&sara))
        .await;
    assert_eq!(reply.json()["InvalidPlan"][0]["path"], "title");
    // Over 1 MB: refused before parsing.
    let huge = format!("{}{}", " ".repeat(1024 * 1024), FULL_PLAN);
    let reply = t
        .call_json("plans/import", &json!({"document": huge}), Some(&sara))
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(t.count("SELECT COUNT(*) FROM plans").await, 0, "nothing was imported");
    let anonymous = t.call_json("plans/import", &json!({"document": FULL_PLAN}), None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

async fn only_the_owner_and_after_submission_the_chamber_read_a_plan(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let id = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&sara))
        .await
        .json()
        .as_i64()
        .unwrap();
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("advisor", "advisor@hebron.ps", "hebron").await;
    let gaza_advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let hebron_advisor = t.login("advisor@hebron.ps", PASSWORD).await;
    let laila = t.register("ليلى خالد", "0569123456", "", "gaza").await;
    let export = format!("/plans/{id}/export/plan.json");
    // A draft is private.
    for cookie in [&gaza_advisor, &hebron_advisor, &laila] {
        assert_eq!(detail(&t, cookie, id).await.status, StatusCode::NOT_FOUND);
        assert_eq!(t.get(&export, Some(cookie)).await.status, StatusCode::NOT_FOUND);
    }
    let anonymous = t.get(&export, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers[header::LOCATION], "/sign-in");
    // Once submitted, its chamber's staff read it, read only.
    let submitted = t
        .call(
            "case/transition",
            &form(&[("plan_id", &id.to_string()), ("action", "submit")]),
            Some(&sara),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let seen = detail(&t, &gaza_advisor, id).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(seen.json()["editable"], false);
    assert_eq!(t.get(&export, Some(&gaza_advisor)).await.status, StatusCode::OK);
    assert_eq!(detail(&t, &hebron_advisor, id).await.status, StatusCode::NOT_FOUND);
    assert_eq!(detail(&t, &laila, id).await.status, StatusCode::NOT_FOUND);
    // And the owner can no longer change it.
    assert_eq!(
        save_table(&t, &sara, id, "risks", json!([["خطر", ""]]), 1).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Twelve PDF exports of one plan at once: two are laid out at a time and eight may wait,
/// the rest are told at once, in Arabic, that the server is busy (with when to come back),
/// instead of piling up CPU and memory.
async fn a_burst_of_pdf_exports_waits_its_turn_or_is_told_to_come_back(backend: Backend) {
    let t = std::sync::Arc::new(app(backend).await);
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let imported = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&sara))
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    let id = imported.json().as_i64().expect("plan id");
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (t, sara) = (t.clone(), sara.clone());
        tasks.push(tokio::spawn(async move {
            t.get(&format!("/plans/{id}/export/plan.pdf"), Some(&sara)).await
        }));
    }
    let (mut laid_out, mut busy) = (0, 0);
    for task in tasks {
        let reply = task.await.expect("task");
        match reply.status {
            StatusCode::OK => {
                assert!(reply.body.starts_with("%PDF"));
                laid_out += 1;
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(reply.headers[header::RETRY_AFTER], "60");
                assert_eq!(reply.body, "الخادم مشغول بطلبات مماثلة الآن. حاول مرة أخرى بعد دقيقة.");
                busy += 1;
            }
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    assert!(laid_out >= 2, "{laid_out} laid out");
    assert!(busy >= 1, "twelve at once, and none was told to come back");
    // The burst over, the next one is laid out.
    let after = t.get(&format!("/plans/{id}/export/plan.pdf"), Some(&sara)).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
}
