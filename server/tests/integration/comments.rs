//! Review comments, the round of changes they lead to, the revision diff and the audit log,
//! through the server functions on SQLite and PostgreSQL: comments pin to sections and
//! rows, internal ones never reach the entrepreneur, she answers hers, her resubmission
//! goes straight back to the advisor, the diff shows exactly her changes, and every step is
//! in the audit log the Fund searches. Other chambers get 404; the Fund reads only.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use serde_json::{json, Value};

on_both_databases!(
    a_round_of_review_comments_from_pin_to_resubmission,
    comments_are_refused_to_outsiders_and_bad_input_is_named,
    the_fund_searches_the_audit_log,
);

const FULL_PLAN: &str = include_str!("../fixtures/full-plan.json");

struct Cast {
    owner: String,
    advisor: String,
    advisor_id: i64,
    manager: String,
    other_chamber: String,
    fund: String,
    plan: i64,
}

/// A submitted plan of a Gaza entrepreneur, assigned to an advisor, and everyone around it.
async fn cast(t: &TestApp) -> Cast {
    let owner = t.register("سارة أحمد", "0599000041", "", "gaza").await;
    let advisor_id = t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@rafah.ps", "rafah").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let reply = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&owner))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let plan = reply.json().as_i64().expect("plan id");
    let submitted = step(t, &owner, plan, "submit", "", None).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let assigned = step(t, &manager, plan, "assign", "", Some(advisor_id)).await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    Cast {
        owner,
        advisor: t.login("advisor@gaza.ps", PASSWORD).await,
        advisor_id,
        manager,
        other_chamber: t.login("manager@rafah.ps", PASSWORD).await,
        fund: t.login("fund@pfesp.ps", PASSWORD).await,
        plan,
    }
}

async fn step(t: &TestApp, cookie: &str, plan: i64, action: &str, message: &str, advisor: Option<i64>) -> Reply {
    let plan = plan.to_string();
    let advisor = advisor.map(|a| a.to_string()).unwrap_or_default();
    let mut fields = vec![("plan_id", plan.as_str()), ("action", action), ("message", message)];
    if !advisor.is_empty() {
        fields.push(("advisor_id", advisor.as_str()));
    }
    t.call("case/transition", &form(&fields), Some(cookie)).await
}

async fn comment(t: &TestApp, cookie: &str, plan: i64, pin: &str, audience: &str, body: &str) -> Reply {
    t.call(
        "review/comment/add",
        &form(&[
            ("input[plan_id]", &plan.to_string()),
            ("input[pin]", pin),
            ("input[audience]", audience),
            ("input[body]", body),
        ]),
        Some(cookie),
    )
    .await
}

async fn board(t: &TestApp, cookie: &str, plan: i64) -> Reply {
    t.call(
        "review/comments",
        &form(&[("plan_id", &plan.to_string())]),
        Some(cookie),
    )
    .await
}

fn bodies(board: &Value) -> Vec<String> {
    board["comments"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| c["body"].as_str().unwrap_or_default().to_string())
        .collect()
}

const INTERNAL: &str = "صاحبة المشروع قريبة مدير الفرع";
const ON_MARKET: &str = "أضيفي أسعار المنافسين في السوق";
const ON_PRODUCT: &str = "سعر الفستان أعلى من السوق";

async fn a_round_of_review_comments_from_pin_to_resubmission(backend: Backend) {
    let t = app(backend).await;
    let c = cast(&t).await;
    let plan = c.plan;

    // The advisor sees where a comment can go: every section and each row of their tables.
    let staff_board = board(&t, &c.advisor, plan).await.json();
    assert_eq!(staff_board["can_comment"], json!(true));
    let pins: Vec<String> = staff_board["pins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_str().unwrap().to_string())
        .collect();
    assert!(pins.contains(&"market".to_string()), "{pins:?}");
    assert!(pins.contains(&"sales/products/0".to_string()), "{pins:?}");
    assert!(pins.contains(&"startup/startup_items/3".to_string()), "{pins:?}");

    let market = comment(&t, &c.advisor, plan, "market", "entrepreneur", ON_MARKET).await;
    assert_eq!(market.status, StatusCode::OK, "{}", market.body);
    let market = market.json().as_i64().unwrap();
    let product = comment(&t, &c.advisor, plan, "sales/products/0", "entrepreneur", ON_PRODUCT).await;
    assert_eq!(product.status, StatusCode::OK, "{}", product.body);
    let internal = comment(&t, &c.advisor, plan, "financials", "internal", INTERNAL).await;
    let internal = internal.json().as_i64().unwrap();
    let reply = t
        .call(
            "review/comment/reply",
            &form(&[("comment_id", &internal.to_string()), ("body", "نحيلها لمستشار آخر")]),
            Some(&c.manager),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // Staff read the three threads, pinned where they were put.
    let staff_board = board(&t, &c.manager, plan).await.json();
    assert_eq!(bodies(&staff_board), vec![ON_MARKET, ON_PRODUCT, INTERNAL]);
    assert_eq!(staff_board["comments"][1]["row"], json!(["products", "فستان"]));
    assert_eq!(
        staff_board["comments"][2]["replies"][0]["body"],
        json!("نحيلها لمستشار آخر")
    );
    // The queue counts them.
    let row = t.call("review/queue", "", Some(&c.manager)).await.json()["rows"][0].clone();
    assert_eq!(row["open_comments"], json!(3));

    // The owner sees the two written to her, never the internal one nor the chamber's replies.
    let hers = board(&t, &c.owner, plan).await;
    assert_eq!(hers.status, StatusCode::OK, "{}", hers.body);
    assert_eq!(bodies(&hers.json()), vec![ON_MARKET, ON_PRODUCT]);
    assert!(!hers.body.contains(INTERNAL) && !hers.body.contains("نحيلها"));
    assert_eq!(
        hers.json()["can_answer"],
        json!(false),
        "not before changes are requested"
    );

    let requested = step(
        &t,
        &c.advisor,
        plan,
        "request_changes",
        "نرجو تعديل الخطة كما يلي:\n\nالسوق:\n- أضيفي أسعار المنافسين",
        None,
    )
    .await;
    assert_eq!(requested.status, StatusCode::OK, "{}", requested.body);
    // The message keeps its lines.
    let case = t
        .call("case/plan", &form(&[("plan_id", &plan.to_string())]), Some(&c.owner))
        .await
        .json();
    let last = case["events"].as_array().unwrap().last().cloned().unwrap();
    assert_eq!(
        last["message"],
        json!("نرجو تعديل الخطة كما يلي:\n\nالسوق:\n- أضيفي أسعار المنافسين")
    );

    // She answers the comment on the market; the internal one is not hers to touch.
    let answer = |id: i64, cookie: String, text: &'static str| {
        let t = &t;
        async move {
            t.call(
                "review/comment/answer",
                &form(&[("comment_id", &id.to_string()), ("answer", text)]),
                Some(&cookie),
            )
            .await
        }
    };
    let answered = answer(market, c.owner.clone(), "أضفت جدول الأسعار").await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(
        answer(internal, c.owner.clone(), "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        answer(market, c.advisor.clone(), "").await.status,
        StatusCode::FORBIDDEN
    );
    // She edits the market section and one start-up row, then sends the plan again.
    let revision = t
        .call("plans/get", &form(&[("plan_id", &plan.to_string())]), Some(&c.owner))
        .await
        .json()["revision"]
        .as_i64()
        .unwrap();
    let saved = t
        .call(
            "plans/section/save",
            &form(&[
                ("plan_id", &plan.to_string()),
                ("section", "market"),
                (
                    "body",
                    "الزبائن نساء من خان يونس ورفح بين 20 و50 سنة. أسعار المنافسين بين 90 و150 شيكلًا.",
                ),
                ("revision", &revision.to_string()),
            ]),
            Some(&c.owner),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let rows = json!([[
        "فستان",
        "قطعة",
        "130",
        "55",
        "20",
        "25",
        "30",
        "30",
        "35",
        "40",
        "40",
        "40",
        "45",
        "45",
        "50",
        "60"
    ]]);
    let table = t
        .call_json(
            "plans/table/save",
            &json!({"plan_id": plan, "table": "products", "rows": rows, "revision": saved.json()}),
            Some(&c.owner),
        )
        .await;
    assert_eq!(table.status, StatusCode::OK, "{}", table.body);
    let resubmitted = step(&t, &c.owner, plan, "submit", "", None).await;
    assert_eq!(resubmitted.status, StatusCode::OK, "{}", resubmitted.body);
    // Straight back to the advisor who asked, who is told.
    assert_eq!(resubmitted.json(), json!("in_review"));
    let mine = t
        .call("review/queue", &form(&[("params[assigned]", "me")]), Some(&c.advisor))
        .await
        .json();
    assert_eq!(mine["rows"][0]["plan_id"], json!(plan));
    assert_eq!(mine["rows"][0]["status"], json!("in_review"));
    let told = t.call("notifications/list", "", Some(&c.advisor)).await;
    assert!(
        told.body.contains("\"submit\""),
        "the advisor is told of the resubmission: {}",
        told.body
    );

    // The advisor sees which comments she answered, carried to revision 2.
    let staff_board = board(&t, &c.advisor, plan).await.json();
    assert_eq!(staff_board["revision"], json!(2));
    assert_eq!(staff_board["comments"][0]["revision"], json!(1));
    assert_eq!(staff_board["comments"][0]["answer"], json!("أضفت جدول الأسعار"));
    assert!(staff_board["comments"][0]["answered_at"].is_i64());
    assert_eq!(staff_board["comments"][1]["answered_at"], Value::Null);

    // The diff: exactly her two changes and what they did to the figures.
    let diff = t
        .call(
            "review/diff",
            &form(&[("plan_id", &plan.to_string())]),
            Some(&c.advisor),
        )
        .await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    let diff = diff.json();
    assert_eq!((diff["from"].clone(), diff["to"].clone()), (json!(1), json!(2)));
    assert_eq!(diff["sections"].as_array().map(Vec::len), Some(1));
    assert_eq!(diff["sections"][0]["section"], json!("market"));
    let added: Vec<String> = diff["sections"][0]["pieces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["change"] == json!("added"))
        .map(|p| p["text"].as_str().unwrap().to_string())
        .collect();
    assert!(added.concat().contains("أسعار المنافسين بين 90 و150"), "{added:?}");
    assert_eq!(diff["tables"].as_array().map(Vec::len), Some(1));
    assert_eq!(diff["tables"][0]["table"], json!("products"));
    assert_eq!(
        diff["tables"][0]["rows"],
        json!([{"kind": "changed", "label": "فستان", "cells": [{"col": "price", "old": "120", "new": "130"}]}])
    );
    assert_eq!(
        diff["after"]["revenue_year1"].as_i64().unwrap() - diff["before"]["revenue_year1"].as_i64().unwrap(),
        460_000,
        "460 dresses in year 1, 10 shekels dearer each"
    );
    assert_eq!(diff["after"]["startup_total"], diff["before"]["startup_total"]);
    // Nothing to compare with a revision that does not exist.
    let missing = t
        .call(
            "review/diff",
            &form(&[("plan_id", &plan.to_string()), ("from", "1"), ("to", "7")]),
            Some(&c.advisor),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // Resolved comments leave the open count.
    let resolved = t
        .call(
            "review/comment/status",
            &form(&[("comment_id", &market.to_string()), ("status", "resolved")]),
            Some(&c.advisor),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    let row = t.call("review/queue", "", Some(&c.manager)).await.json()["rows"][0].clone();
    assert_eq!(row["open_comments"], json!(2));

    // The case's trail on the review sheet holds every step, with who took it.
    let sheet = t
        .call(
            "review/sheet",
            &form(&[("plan_id", &plan.to_string())]),
            Some(&c.manager),
        )
        .await
        .json();
    let actions: Vec<String> = sheet["trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    for expected in [
        "submit_plan",
        "assign_plan",
        "comment_on_plan",
        "reply_to_comment",
        "request_plan_changes",
        "answer_comment",
        "resolve_comment",
    ] {
        assert!(actions.contains(&expected.to_string()), "{expected} in {actions:?}");
    }
    assert_eq!(sheet["trail"][0]["action"], json!("resolve_comment"), "newest first");
    assert_eq!(sheet["actions"], json!(["request_changes", "approve", "reject"]));

    // Nothing the owner can read carries the internal comment, the chamber's replies or
    // the case's trail.
    for (endpoint, body) in [
        ("review/comments", form(&[("plan_id", &plan.to_string())])),
        ("review/diff", form(&[("plan_id", &plan.to_string())])),
        ("case/plan", form(&[("plan_id", &plan.to_string())])),
        ("plans/get", form(&[("plan_id", &plan.to_string())])),
        ("case/file", String::new()),
        ("notifications/list", String::new()),
    ] {
        let reply = t.call(endpoint, &body, Some(&c.owner)).await;
        assert_eq!(reply.status, StatusCode::OK, "{endpoint}: {}", reply.body);
        for secret in [INTERNAL, "نحيلها", "comment_on_plan", "internal"] {
            assert!(!reply.body.contains(secret), "{endpoint} shows the owner {secret:?}");
        }
    }
}

async fn comments_are_refused_to_outsiders_and_bad_input_is_named(backend: Backend) {
    let t = app(backend).await;
    let c = cast(&t).await;
    let plan = c.plan;
    // Bad input: named by field, nothing stored.
    let nowhere = comment(&t, &c.advisor, plan, "market/products/0", "entrepreneur", ON_MARKET).await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        nowhere.json()["Invalid"],
        json!([{"field": "comment_pin", "problem": {"kind": "unknown_choice"}}])
    );
    let empty = comment(&t, &c.advisor, plan, "market", "entrepreneur", "  \n ").await;
    assert_eq!(
        empty.json()["Invalid"],
        json!([{"field": "comment", "problem": {"kind": "required"}}])
    );
    let long = comment(&t, &c.advisor, plan, "market", "entrepreneur", &"ب".repeat(2001)).await;
    assert_eq!(
        long.json()["Invalid"],
        json!([{"field": "comment", "problem": {"kind": "too_long", "max": 2000}}])
    );
    let row_gone = comment(&t, &c.advisor, plan, "sales/products/9", "entrepreneur", ON_PRODUCT).await;
    assert_eq!(row_gone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(board(&t, &c.manager, plan).await.json()["comments"], json!([]));

    // The Fund reads but does not comment; the owner does not comment on her own plan;
    // another chamber does not even learn the plan exists.
    assert_eq!(
        comment(&t, &c.fund, plan, "market", "internal", ON_MARKET).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        comment(&t, &c.owner, plan, "market", "entrepreneur", ON_MARKET)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        comment(&t, &c.other_chamber, plan, "market", "internal", ON_MARKET)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let id = comment(&t, &c.advisor, plan, "market", "internal", INTERNAL)
        .await
        .json()
        .as_i64()
        .unwrap();
    assert_eq!(
        board(&t, &c.fund, plan).await.json()["comments"][0]["body"],
        json!(INTERNAL)
    );
    for (endpoint, fields) in [
        ("review/comments", vec![("plan_id", plan.to_string())]),
        ("review/diff", vec![("plan_id", plan.to_string())]),
        (
            "review/comment/reply",
            vec![("comment_id", id.to_string()), ("body", "رد".to_string())],
        ),
        (
            "review/comment/status",
            vec![("comment_id", id.to_string()), ("status", "resolved".to_string())],
        ),
        (
            "review/comment/answer",
            vec![("comment_id", id.to_string()), ("answer", String::new())],
        ),
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = t.call(endpoint, &form(&fields), Some(&c.other_chamber)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{endpoint}: {}", reply.body);
    }
    // The Fund may not reply or resolve either.
    let fund_reply = t
        .call(
            "review/comment/reply",
            &form(&[("comment_id", &id.to_string()), ("body", "رد")]),
            Some(&c.fund),
        )
        .await;
    assert_eq!(fund_reply.status, StatusCode::FORBIDDEN);
    // The manager hands the review to another advisor: still in review, held by the other.
    let other_id = t.staff("advisor", "second@gaza.ps", "gaza").await;
    let reassigned = step(&t, &c.manager, plan, "assign", "", Some(other_id)).await;
    assert_eq!(reassigned.json(), json!("in_review"), "{}", reassigned.body);
    let held = t
        .call("review/queue", &form(&[("params[assigned]", "me")]), Some(&c.advisor))
        .await
        .json();
    assert_eq!(held["total"], json!(0), "the first advisor no longer holds it");
    let other = t.login("second@gaza.ps", PASSWORD).await;
    let held = t
        .call("review/queue", &form(&[("params[assigned]", "me")]), Some(&other))
        .await
        .json();
    assert_eq!(held["rows"][0]["plan_id"], json!(plan));
    // An advisor cannot reassign.
    let grab = step(&t, &c.advisor, plan, "assign", "", Some(c.advisor_id)).await;
    assert_eq!(grab.status, StatusCode::FORBIDDEN, "{}", grab.body);
    // Once decided, the plan takes no more comments.
    assert_eq!(
        step(&t, &c.manager, plan, "approve", "", None).await.status,
        StatusCode::OK
    );
    let late = comment(&t, &c.advisor, plan, "market", "internal", ON_MARKET).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    // A plan that does not exist: 404.
    assert_eq!(board(&t, &c.advisor, 999_999).await.status, StatusCode::NOT_FOUND);
}

async fn the_fund_searches_the_audit_log(backend: Backend) {
    let t = app(backend).await;
    let c = cast(&t).await;
    comment(&t, &c.advisor, c.plan, "market", "internal", INTERNAL).await;
    let search = |cookie: String, fields: Vec<(&'static str, String)>| {
        let t = &t;
        async move {
            let fields: Vec<(String, String)> = fields.into_iter().map(|(k, v)| (format!("params[{k}]"), v)).collect();
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            t.call("fund/audit", &form(&fields), Some(&cookie)).await
        }
    };
    // Only the Fund reads the log.
    for cookie in [&c.manager, &c.advisor, &c.owner] {
        assert_eq!(search(cookie.clone(), vec![]).await.status, StatusCode::FORBIDDEN);
    }
    let all = search(c.fund.clone(), vec![]).await.json();
    assert!(all["total"].as_i64().unwrap() >= 4, "{all}");
    // By action, by object, by actor's name (any spelling), by date.
    let comments = search(c.fund.clone(), vec![("action", "comment_on_plan".into())])
        .await
        .json();
    assert_eq!(comments["total"], json!(1));
    assert_eq!(comments["rows"][0]["object_id"], json!(c.plan));
    let on_plan = search(
        c.fund.clone(),
        vec![("object", "plan".into()), ("object_id", c.plan.to_string())],
    )
    .await
    .json();
    let actions: Vec<&str> = on_plan["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec!["comment_on_plan", "assign_plan", "submit_plan", "import_plan"]
    );
    let by_owner = search(c.fund.clone(), vec![("actor", "ساره احمد".into())]).await.json();
    assert!(by_owner["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["actor_name"] == json!("سارة أحمد")));
    assert!(by_owner["total"].as_i64().unwrap() >= 2);
    let future = search(c.fund.clone(), vec![("from", "2099-01-01".into())]).await.json();
    assert_eq!(future["total"], json!(0));
    // Mistakes are named.
    let bad = search(
        c.fund.clone(),
        vec![("from", "2026-02-30".into()), ("object_id", "x".into())],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.json()["Invalid"],
        json!([
            {"field": "identifier", "problem": {"kind": "invalid_number"}},
            {"field": "submitted_from", "problem": {"kind": "invalid_date"}}
        ])
    );
}
