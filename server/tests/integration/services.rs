//! Service requests, the catalogue and calendar, the informal → formal guide and the case
//! file, through the real server functions on SQLite and PostgreSQL.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use serde_json::{json, Value};

on_both_databases!(
    a_trademark_request_moves_step_by_step,
    only_the_right_people_move_a_request,
    the_fund_edits_the_catalogue_and_calendar,
    the_formal_path_follows_the_legal_form,
    the_case_file_tells_everything_in_order,
);

const FULL_PLAN: &str = include_str!("../fixtures/full-plan.json");

fn pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 2000));
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

async fn service_id(t: &TestApp, cookie: &str, code: &str) -> i64 {
    let catalogue = t.call("services/catalogue", "", Some(cookie)).await;
    assert_eq!(catalogue.status, StatusCode::OK, "{}", catalogue.body);
    catalogue
        .json()
        .as_array()
        .and_then(|all| all.iter().find(|s| s["code"] == json!(code)))
        .and_then(|s| s["id"].as_i64())
        .unwrap_or_else(|| panic!("service {code}"))
}

async fn request(t: &TestApp, cookie: &str, service: i64, note: &str) -> Reply {
    t.call(
        "services/request",
        &form(&[("service_id", &service.to_string()), ("note", note)]),
        Some(cookie),
    )
    .await
}

async fn act(t: &TestApp, cookie: &str, request: i64, action: &str, message: &str) -> Reply {
    t.call(
        "services/act",
        &form(&[
            ("request_id", &request.to_string()),
            ("action", action),
            ("message", message),
        ]),
        Some(cookie),
    )
    .await
}

async fn detail(t: &TestApp, cookie: &str, request: i64) -> Reply {
    t.call(
        "services/get-request",
        &form(&[("request_id", &request.to_string())]),
        Some(cookie),
    )
    .await
}

async fn a_trademark_request_moves_step_by_step(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let uploaded = t.upload(&owner, "id_copy", "هوية.pdf", &pdf(), None).await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
    let trademark = service_id(&t, &owner, "trademark_registration").await;

    let made = request(&t, &owner, trademark, "علامة «خيوط»").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let id = made.json().as_i64().expect("request id");
    let d = detail(&t, &owner, id).await.json();
    assert_eq!(d["status"], json!("requested"));
    assert_eq!(d["steps"].as_array().map(Vec::len), Some(5));
    assert_eq!(d["steps"][3]["working_days"], json!(66));
    assert!(d["expected_ends"]
        .as_array()
        .expect("ends")
        .iter()
        .all(Value::is_string));
    assert_eq!(d["documents"], json!([["id_copy", true], ["trademark_sample", false]]));
    assert_eq!(d["actions"], json!(["cancel"]));

    // Documents are missing: the advisor must say which.
    let silent = act(&t, &advisor, id, "mark_documents_missing", "").await;
    assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = act(&t, &advisor, id, "mark_documents_missing", "ينقص نموذجان من العلامة").await;
    assert_eq!(missing.status, StatusCode::OK, "{}", missing.body);
    let home = t.call("case/next-steps", "", Some(&owner)).await.json();
    assert_eq!(home["steps"][0]["kind"], json!("provide_documents"));
    let inbox = t.call("notifications/list", "", Some(&owner)).await.json();
    assert_eq!(
        inbox["items"][0]["topic"],
        json!({"topic": "service_step", "action": "mark_documents_missing"})
    );
    assert_eq!(inbox["items"][0]["message"], json!("ينقص نموذجان من العلامة"));
    assert_eq!(inbox["items"][0]["request_id"], json!(id));
    let sample = t.upload(&owner, "trademark_sample", "شعار.pdf", &pdf(), None).await;
    assert_eq!(sample.status, StatusCode::OK, "{}", sample.body);
    assert_eq!(
        act(&t, &owner, id, "documents_provided", "").await.status,
        StatusCode::OK
    );
    let d = detail(&t, &advisor, id).await.json();
    assert_eq!(d["documents"], json!([["id_copy", true], ["trademark_sample", true]]));
    assert_eq!(d["staff_view"], json!(true));

    assert_eq!(act(&t, &advisor, id, "start", "").await.status, StatusCode::OK);
    for _ in 0..3 {
        let step = act(&t, &advisor, id, "advance", "تم").await;
        assert_eq!(step.status, StatusCode::OK, "{}", step.body);
    }
    // In the opposition period: the home says so, with its expected end.
    let d = detail(&t, &owner, id).await.json();
    assert_eq!(
        (d["status"].clone(), d["step"].clone()),
        (json!("in_progress"), json!(4))
    );
    assert_eq!(
        d["expected_ends"][0],
        Value::Null,
        "finished steps have no expected date"
    );
    let opposition_end = d["expected_ends"][3].as_str().expect("opposition end").to_string();
    let home = t.call("case/next-steps", "", Some(&owner)).await.json();
    let follow = home["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["kind"] == json!("follow_service")))
        .cloned()
        .expect("follow the request");
    assert_eq!(follow["step"]["ar"], json!("فترة الاعتراض (ثلاثة أشهر)"));
    assert_eq!(follow["until"], json!(opposition_end));
    let mine = t.call("services/mine", "", Some(&owner)).await.json();
    assert_eq!(mine[0]["step_expected_end"], json!(opposition_end));

    for _ in 0..2 {
        assert_eq!(act(&t, &advisor, id, "advance", "").await.status, StatusCode::OK);
    }
    let d = detail(&t, &owner, id).await.json();
    assert_eq!(d["status"], json!("completed"));
    assert_eq!(d["actions"], json!([]));
    let history: Vec<(Value, Value)> = d["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["action"].clone(), e["to"].clone()))
        .collect();
    assert_eq!(history.len(), 9);
    assert_eq!(history[0], (Value::Null, json!("requested")));
    assert_eq!(
        history[1],
        (json!("mark_documents_missing"), json!("documents_pending"))
    );
    assert_eq!(history[3], (json!("start"), json!("in_progress")));
    assert_eq!(history[8], (json!("advance"), json!("completed")));
    // Finished: nothing moves it any more.
    let late = act(&t, &advisor, id, "advance", "").await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.json(), json!({"Refused": "wrong_state"}));
}

async fn only_the_right_people_move_a_request(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let stranger = t.register("منى علي", "0599123457", "", "gaza").await;
    t.staff("advisor", "advisor@hebron.ps", "hebron").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let hebron = t.login("advisor@hebron.ps", PASSWORD).await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let membership = service_id(&t, &owner, "chamber_membership").await;
    // Staff do not request services for themselves.
    assert_eq!(
        request(&t, &manager, membership, "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        request(&t, &owner, 999_999, "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let id = request(&t, &owner, membership, "").await.json().as_i64().expect("id");
    // The manager of the owner's chamber was told.
    let inbox = t.call("notifications/list", "", Some(&manager)).await.json();
    assert_eq!(inbox["items"][0]["topic"], json!({"topic": "service_requested"}));
    for cookie in [&stranger, &hebron] {
        assert_eq!(detail(&t, cookie, id).await.status, StatusCode::NOT_FOUND);
        assert_eq!(act(&t, cookie, id, "start", "").await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(detail(&t, &fund, id).await.json()["actions"], json!([]));
    assert_eq!(act(&t, &fund, id, "start", "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(act(&t, &owner, id, "start", "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(act(&t, &owner, id, "fly", "").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(act(&t, &manager, id, "advance", "").await.status, StatusCode::CONFLICT);
    assert_eq!(
        t.call("services/chamber-requests", "", Some(&owner)).await.status,
        StatusCode::FORBIDDEN
    );
    let hebron_list = t.call("services/chamber-requests", "", Some(&hebron)).await.json();
    assert_eq!(hebron_list, json!([]));
    let gaza_list = t.call("services/chamber-requests", "", Some(&manager)).await.json();
    assert_eq!(gaza_list[0]["id"], json!(id));
    // The owner may cancel, with a reason.
    assert_eq!(
        act(&t, &owner, id, "cancel", "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        act(&t, &owner, id, "cancel", "لم أعد أحتاجها").await.status,
        StatusCode::OK
    );
    assert_eq!(detail(&t, &owner, id).await.json()["status"], json!("cancelled"));
    // Signed out: nothing.
    assert_eq!(detail(&t, "", id).await.status, StatusCode::UNAUTHORIZED);
}

fn service_form(fields: &[(&str, &str)]) -> String {
    form(fields)
}

async fn the_fund_edits_the_catalogue_and_calendar(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let training = service_id(&t, &fund, "training").await;
    let before = request(&t, &owner, training, "").await.json().as_i64().expect("id");
    let expected_before = detail(&t, &owner, before).await.json()["expected_ends"].clone();

    let body = |name_ar: &'static str, days: &'static str| {
        service_form(&[
            ("service_id", &training.to_string()),
            ("input[name_ar]", name_ar),
            ("input[name_en]", "Training"),
            ("input[summary_ar]", "دورات قصيرة"),
            ("input[summary_en]", "Short courses"),
            ("input[active]", "true"),
            ("input[steps][0][position]", "2"),
            ("input[steps][0][name_ar]", "الدورة"),
            ("input[steps][0][name_en]", "The course"),
            ("input[steps][0][office_ar]", "الغرفة"),
            ("input[steps][0][office_en]", "Chamber"),
            ("input[steps][0][fee]", "١٥٠"),
            ("input[steps][0][working_days]", days),
            ("input[steps][0][documents][0]", "id_copy"),
            ("input[steps][0][documents][9]", "quotation"),
            ("input[steps][1][position]", "1"),
            ("input[steps][1][name_ar]", "التسجيل"),
            ("input[steps][1][name_en]", "Enrolment"),
            ("input[steps][1][office_ar]", "الغرفة"),
            ("input[steps][1][office_en]", "Chamber"),
            ("input[steps][1][fee]", ""),
            ("input[steps][1][working_days]", "2"),
            ("input[steps][2][name_ar]", "خطوة تُحذف"),
            ("input[steps][2][name_en]", "Removed"),
            ("input[steps][2][office_ar]", "x"),
            ("input[steps][2][remove]", "true"),
        ])
    };
    assert_eq!(
        t.call("services/save", &body("تدريب", "5"), Some(&owner)).await.status,
        StatusCode::FORBIDDEN
    );
    let bad = t.call("services/save", &body("", "خمسة"), Some(&fund)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<Value> = bad.json()["Invalid"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert!(
        fields.contains(&json!("service_name")) && fields.contains(&json!("working_days")),
        "{fields:?}"
    );
    let saved = t.call("services/save", &body("تدريب وتأهيل", "٥"), Some(&fund)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let catalogue = t.call("services/catalogue", "", Some(&owner)).await.json();
    let edited = catalogue
        .as_array()
        .and_then(|all| all.iter().find(|s| s["id"] == json!(training)))
        .cloned()
        .expect("training");
    assert_eq!(edited["name"]["ar"], json!("تدريب وتأهيل"));
    let steps = edited["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2);
    assert_eq!(
        steps[0]["name"]["ar"],
        json!("التسجيل"),
        "ordered by the position typed"
    );
    assert_eq!(steps[0]["fee_minor"], Value::Null, "empty fee is unknown");
    assert_eq!(
        steps[1]["fee_minor"],
        json!(15_000),
        "Arabic-Indic digits read as 150 shekels"
    );
    assert_eq!(steps[1]["working_days"], json!(5));
    assert_eq!(steps[1]["documents"], json!(["id_copy", "quotation"]));
    // A request made before keeps the steps it was made with.
    assert_eq!(
        detail(&t, &owner, before).await.json()["steps"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );

    // Hidden services are not offered.
    let mut hidden = body("تدريب وتأهيل", "5");
    hidden = hidden.replace("input%5Bactive%5D=true", "input%5Bactive%5D=false");
    assert!(hidden.contains("input%5Bactive%5D=false"));
    assert_eq!(
        t.call("services/save", &hidden, Some(&fund)).await.status,
        StatusCode::OK
    );
    let offered = t.call("services/catalogue", "", Some(&owner)).await.json();
    assert!(offered
        .as_array()
        .expect("list")
        .iter()
        .all(|s| s["id"] != json!(training)));
    assert_eq!(
        request(&t, &owner, training, "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The calendar: a holiday on the expected first day moves the dates.
    let first: String = expected_before[0].as_str().expect("first end").to_string();
    let added = t
        .call(
            "services/add-holiday",
            &form(&[
                ("day", &first),
                ("name_ar", "عطلة رسمية"),
                ("name_en", "Public holiday"),
            ]),
            Some(&fund),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let after = detail(&t, &owner, before).await.json()["expected_ends"].clone();
    assert_ne!(after[0], json!(first));
    assert!(after[0].as_str() > Some(first.as_str()));
    let bad_day = t
        .call(
            "services/add-holiday",
            &form(&[("day", "2026-02-30"), ("name_ar", "x"), ("name_en", "")]),
            Some(&fund),
        )
        .await;
    assert_eq!(bad_day.status, StatusCode::UNPROCESSABLE_ENTITY);
    let weekend = t
        .call("services/weekend", &form(&[("days[4]", "fri")]), Some(&fund))
        .await;
    assert_eq!(weekend.status, StatusCode::OK);
    let calendar = t.call("services/calendar", "", Some(&owner)).await.json();
    assert_eq!(calendar["weekend"], json!(["fri"]));
    assert_eq!(
        calendar["holidays"][0],
        json!({"day": first, "name": {"ar": "عطلة رسمية", "en": "Public holiday"}})
    );
    assert_eq!(
        t.call("services/weekend", &form(&[("days[0]", "fri")]), Some(&owner))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let removed = t
        .call("services/remove-holiday", &form(&[("day", &first)]), Some(&fund))
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('save_service', 'add_holiday', 'remove_holiday', 'set_weekend')")
            .await,
        5
    );
}

async fn the_formal_path_follows_the_legal_form(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    // No plan yet: sole trader by default.
    let path = t.call("services/formalise", "", Some(&owner)).await.json();
    assert_eq!(path["form"], json!("sole_trader"));
    assert_eq!(path["plan_form"], Value::Null);
    t.call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&owner))
        .await;
    let path = t
        .call("services/formalise", &form(&[("form", "company")]), Some(&owner))
        .await
        .json();
    assert_eq!(path["form"], json!("company"));
    assert_eq!(path["plan_form"], json!("sole_trader"));
    let codes: Vec<Value> = path["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["service"]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![
            json!("company_registration"),
            json!("chamber_membership"),
            json!("trademark_registration")
        ]
    );
    assert_eq!(path["progress"], json!([0, 2]));
    // Membership done: one of two required steps.
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let membership = service_id(&t, &owner, "chamber_membership").await;
    let id = request(&t, &owner, membership, "").await.json().as_i64().expect("id");
    act(&t, &advisor, id, "start", "").await;
    for _ in 0..3 {
        act(&t, &advisor, id, "advance", "").await;
    }
    let path = t
        .call("services/formalise", &form(&[("form", "company")]), Some(&owner))
        .await
        .json();
    assert_eq!(path["progress"], json!([1, 2]));
    assert_eq!(path["steps"][1]["request"], json!([id, "completed"]));
    let own_form = t.call("services/formalise", "", Some(&owner)).await.json();
    assert_eq!(own_form["form"], json!("sole_trader"), "the plan's form by default");
    assert_eq!(own_form["progress"], json!([1, 1]));
}

async fn the_case_file_tells_everything_in_order(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let owner_id = t.count("SELECT MAX(id) FROM users").await;
    let plan = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&owner))
        .await
        .json()
        .as_i64()
        .expect("plan");
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("advisor", "advisor@hebron.ps", "hebron").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let hebron = t.login("advisor@hebron.ps", PASSWORD).await;
    let plan_s = plan.to_string();
    let submit = t
        .call(
            "case/transition",
            &form(&[("plan_id", &plan_s), ("action", "submit")]),
            Some(&owner),
        )
        .await;
    assert_eq!(submit.status, StatusCode::OK, "{}", submit.body);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    t.upload(&owner, "id_copy", "هوية.pdf", &pdf(), None).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let membership = service_id(&t, &owner, "chamber_membership").await;
    let id = request(&t, &owner, membership, "").await.json().as_i64().expect("id");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    act(&t, &advisor, id, "start", "").await;

    let file = t.call("case/file", "", Some(&owner)).await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    let file = file.json();
    let kinds: Vec<Value> = file["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        vec![json!("plan"), json!("document"), json!("service"), json!("service")]
    );
    assert_eq!(file["timeline"][0]["revision"], json!(1));
    assert_eq!(file["timeline"][3]["to"], json!("in_progress"));
    assert_eq!(file["plans"][0][2], json!("submitted"));
    assert_eq!(file["requests"][0]["id"], json!(id));
    assert_eq!(file["documents"], json!([["id_copy", "uploaded"]]));
    let at: Vec<i64> = file["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["at"].as_i64().expect("at"))
        .collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]), "{at:?}");
    // The chamber's advisor reads it; another chamber's does not.
    let by_staff = t
        .call(
            "case/file",
            &form(&[("user_id", &owner_id.to_string())]),
            Some(&advisor),
        )
        .await;
    assert_eq!(by_staff.status, StatusCode::OK);
    assert_eq!(by_staff.json()["timeline"].as_array().map(Vec::len), Some(4));
    let other = t
        .call("case/file", &form(&[("user_id", &owner_id.to_string())]), Some(&hebron))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}
