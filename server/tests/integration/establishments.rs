//! The establishments register on SQLite and PostgreSQL: records made by the real steps (a
//! plan operating, a membership or registration request completed) once per project; the
//! register and its detail held to the chamber; visits and registration numbers with their
//! Arabic errors; the dashboard's planned-against-filled figures; the downloads.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use serde_json::{json, Value};

on_both_databases!(the_register_follows_the_steps_and_keeps_its_visits,);

const FULL_PLAN: &str = include_str!("../fixtures/full-plan.json");

async fn transition(t: &TestApp, cookie: &str, plan: i64, action: &str, advisor: Option<i64>) {
    let plan = plan.to_string();
    let advisor = advisor.map(|a| a.to_string()).unwrap_or_default();
    let mut fields = vec![("plan_id", plan.as_str()), ("action", action), ("message", "")];
    if !advisor.is_empty() {
        fields.push(("advisor_id", advisor.as_str()));
    }
    let reply = t.call("case/transition", &form(&fields), Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
}

/// Requests the service `code` for `owner` (no plan named) and has `staff` complete it.
async fn complete_service(t: &TestApp, owner: &str, staff: &str, code: &str) -> i64 {
    let catalogue = t.call("services/catalogue", "", Some(owner)).await.json();
    let service = catalogue
        .as_array()
        .and_then(|all| all.iter().find(|s| s["code"] == json!(code)))
        .and_then(|s| s["id"].as_i64())
        .expect("service");
    let made = t
        .call(
            "services/request",
            &form(&[("service_id", &service.to_string()), ("note", "")]),
            Some(owner),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let id = made.json().as_i64().expect("request id");
    let mut action = "start";
    for _ in 0..10 {
        let step = t
            .call(
                "services/act",
                &form(&[("request_id", &id.to_string()), ("action", action), ("message", "")]),
                Some(staff),
            )
            .await;
        assert_eq!(step.status, StatusCode::OK, "{}", step.body);
        if step.json() == json!("completed") {
            return id;
        }
        action = "advance";
    }
    panic!("the request did not complete");
}

async fn register(t: &TestApp, cookie: &str, filters: &[(&str, &str)]) -> Reply {
    let fields: Vec<(String, &str)> = filters.iter().map(|(k, v)| (format!("params[{k}]"), *v)).collect();
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    t.call("establishments/list", &form(&pairs), Some(cookie)).await
}

async fn register_ok(t: &TestApp, cookie: &str, filters: &[(&str, &str)]) -> Value {
    let reply = register(t, cookie, filters).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn detail(t: &TestApp, cookie: &str, id: i64) -> Reply {
    t.call("establishments/one", &form(&[("id", &id.to_string())]), Some(cookie))
        .await
}

async fn visit(t: &TestApp, cookie: &str, id: i64, day: &str, women: &str, men: &str, operating: &str) -> Reply {
    t.call(
        "establishments/visit",
        &form(&[
            ("id", &id.to_string()),
            ("input[visited_on]", day),
            ("input[jobs_women]", women),
            ("input[jobs_men]", men),
            ("input[operating]", operating),
            ("input[note]", "زيارة ميدانية"),
        ]),
        Some(cookie),
    )
    .await
}

/// The (field, problem kind) pairs of a 422 answer.
fn problems(reply: &Reply) -> Vec<(String, String)> {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let body = reply.json();
    let errors = body["Invalid"].as_array().cloned().unwrap_or_default();
    errors
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_string(),
                e["problem"]["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

async fn the_register_follows_the_steps_and_keeps_its_visits(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599300001", "", "gaza").await;
    let khaled = t.register("خالد يوسف", "0599300002", "", "gaza").await;
    let hebron_owner = t.register("منى علي", "0599300003", "", "hebron").await;
    let advisor_id = t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@hebron.ps", "hebron").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let other_manager = t.login("manager@hebron.ps", PASSWORD).await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;

    // Sara's plan goes all the way to operating: it enters the register in that step.
    let imported = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&sara))
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    let plan = imported.json().as_i64().expect("plan id");
    transition(&t, &sara, plan, "submit", None).await;
    transition(&t, &manager, plan, "assign", Some(advisor_id)).await;
    transition(&t, &manager, plan, "approve", None).await;
    transition(&t, &manager, plan, "refer", None).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM establishments").await,
        0,
        "not yet operating"
    );
    transition(&t, &manager, plan, "mark_operating", None).await;
    let planned = t
        .count(&format!("SELECT jobs_fte_tenths FROM plans WHERE id = {plan}"))
        .await;
    assert!(planned > 0);

    // Khaled has no plan: completing chamber membership registers him by name; completing
    // company registration after it adds nothing. A training course registers nobody.
    complete_service(&t, &khaled, &advisor, "chamber_membership").await;
    complete_service(&t, &khaled, &advisor, "company_registration").await;
    t.staff("advisor", "advisor@hebron.ps", "hebron").await;
    let hebron_advisor = t.login("advisor@hebron.ps", PASSWORD).await;
    complete_service(&t, &hebron_owner, &hebron_advisor, "training").await;
    assert_eq!(t.count("SELECT COUNT(*) FROM establishments").await, 2);

    let all = register_ok(&t, &advisor, &[]).await;
    assert_eq!(all["total"], 2);
    assert_eq!(all["every_chamber"], false);
    let rows = all["rows"].as_array().expect("rows");
    // Newest first: Khaled's, then Sara's project.
    assert_eq!(rows[0]["name"], "خالد يوسف");
    assert_eq!(rows[0]["source"], "chamber_membership");
    assert_eq!(rows[1]["name"], "مشغل خياطة أم أحمد");
    assert_eq!(rows[1]["source"], "operating");
    assert_eq!(rows[1]["planned_fte_tenths"], planned);
    assert_eq!(rows[1]["standing"], "not_visited");
    assert_eq!(rows[1]["chamber"]["en"], "Gaza Chamber of Commerce and Industry");
    let shop = rows[1]["id"].as_i64().expect("id");
    // Search by the owner's name (folded), and by standing.
    let found = register_ok(&t, &advisor, &[("q", "خالد")]).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["rows"][0]["owner_name"], "خالد يوسف");
    let too_long = register(&t, &advisor, &[("q", &"خ".repeat(101))]).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Another chamber sees none of it, whatever it asks; entrepreneurs are refused.
    let gaza_id = t.count("SELECT id FROM chambers WHERE code = 'gaza'").await.to_string();
    assert_eq!(
        register_ok(&t, &other_manager, &[("chamber", &gaza_id)]).await["total"],
        0
    );
    assert_eq!(detail(&t, &other_manager, shop).await.status, StatusCode::NOT_FOUND);
    assert_eq!(register(&t, &sara, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(detail(&t, &sara, shop).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.call("establishments/list", "", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let fund_view = register_ok(&t, &fund, &[("chamber", &gaza_id)]).await;
    assert_eq!(
        (fund_view["total"].clone(), fund_view["every_chamber"].clone()),
        (json!(2), json!(true))
    );

    // Visits: every mistake told at once, nothing kept; then a real one.
    assert_eq!(
        problems(&visit(&t, &advisor, shop, "2999-01-01", "-1", "x", "").await),
        vec![
            ("visit_date".to_string(), "future_date".to_string()),
            ("jobs_women".to_string(), "negative".to_string()),
            ("jobs_men".to_string(), "invalid_number".to_string()),
            ("still_operating".to_string(), "required".to_string()),
        ]
    );
    assert_eq!(
        problems(&visit(&t, &advisor, shop, "2026-01-10", "1", "0", "no").await),
        vec![("jobs_women".to_string(), "jobs_at_closed".to_string())]
    );
    assert_eq!(
        visit(&t, &other_manager, shop, "2026-01-10", "1", "0", "yes")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM establishment_visits").await, 0);
    let saved = visit(&t, &advisor, shop, "٢٠٢٦-٠٣-٠١", "٢", "1", "yes").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    // A visit typed late, dated earlier, is listed but does not replace the latest.
    let late = visit(&t, &manager, shop, "2026-01-15", "0", "0", "no").await;
    assert_eq!(late.status, StatusCode::OK, "{}", late.body);
    let one = detail(&t, &advisor, shop).await.json();
    assert_eq!(one["row"]["filled"], 3);
    assert_eq!(one["row"]["last_visited_on"], "2026-03-01");
    assert_eq!(one["row"]["standing"], "operating");
    assert_eq!(one["plan"][0], plan);
    let visits = one["visits"].as_array().expect("visits");
    assert_eq!(visits.len(), 2);
    assert_eq!(
        (
            visits[0]["visited_on"].clone(),
            visits[0]["jobs_women"].clone(),
            visits[0]["recorded_by"].clone()
        ),
        (json!("2026-03-01"), json!(2), json!("Staff advisor@gaza.ps"))
    );
    assert_eq!(
        register_ok(&t, &advisor, &[("standing", "not_visited")]).await["total"],
        1
    );

    // The name and registration numbers: Arabic digits kept as digits, mistakes told.
    let details = |name: &str, chamber: &str, tax: &str| {
        form(&[
            ("id", &shop.to_string()),
            ("input[name]", name),
            ("input[chamber_number]", chamber),
            ("input[company_number]", ""),
            ("input[tax_number]", tax),
        ])
    };
    let bad = t
        .call("establishments/details", &details("م", "رقم", "12"), Some(&advisor))
        .await;
    assert_eq!(
        problems(&bad),
        vec![
            ("establishment_name".to_string(), "too_short".to_string()),
            ("chamber_number".to_string(), "invalid_registration_number".to_string()),
        ]
    );
    let good = t
        .call(
            "establishments/details",
            &details("مشغل أم أحمد للخياطة", "٤٥٦٧٨", "gz-77/1"),
            Some(&advisor),
        )
        .await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);
    let one = detail(&t, &fund, shop).await.json();
    assert_eq!(one["row"]["name"], "مشغل أم أحمد للخياطة");
    assert_eq!(one["chamber_number"], "45678");
    assert_eq!(one["company_number"], Value::Null);
    assert_eq!(one["tax_number"], "GZ-77/1");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE object_type = 'establishment'")
            .await,
        3
    );

    // The dashboard: registered, visited, operating, jobs planned at the visited ones
    // against jobs filled at their latest visit.
    let dashboard = t.call("fund/dashboard", "", Some(&fund)).await.json();
    let total = &dashboard["establishments_total"];
    assert_eq!(
        (
            total["registered"].clone(),
            total["visited"].clone(),
            total["operating"].clone()
        ),
        (json!(2), json!(1), json!(1))
    );
    assert_eq!(total["visited_planned_fte_tenths"], planned);
    assert_eq!(
        (total["filled_women"].clone(), total["filled_men"].clone()),
        (json!(2), json!(1))
    );
    let hebron_view = t.call("fund/dashboard", "", Some(&other_manager)).await.json();
    assert_eq!(hebron_view["establishments_total"]["registered"], 0);
    // The dashboard's filters apply to the register (everyone here is a woman).
    let by_gender = |gender: &'static str| {
        let fund = fund.clone();
        let t = &t;
        async move {
            t.call("fund/dashboard", &form(&[("params[gender]", gender)]), Some(&fund))
                .await
                .json()["establishments_total"]["registered"]
                .clone()
        }
    };
    assert_eq!(by_gender("male").await, 0);
    assert_eq!(by_gender("female").await, 2);

    // Downloads: every record the person sees, in their language, numbers as numbers.
    let csv = t
        .get("/staff/establishments/export/establishments.csv", Some(&advisor))
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    let lines: Vec<&str> = csv
        .body
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split("\r\n")
        .collect();
    assert_eq!(lines.len(), 3, "{}", csv.body);
    assert!(
        lines[0].starts_with("اسم المنشأة,صاحب المشروع,المحافظة"),
        "{}",
        lines[0]
    );
    assert!(
        lines[2].starts_with("مشغل أم أحمد للخياطة,سارة أحمد,غزة"),
        "{}",
        lines[2]
    );
    assert!(
        lines[2].ends_with(",2,1,2026-03-01,تعمل,2,45678,,GZ-77/1"),
        "{}",
        lines[2]
    );
    let book = read_xlsx(
        &t.get("/staff/establishments/export/establishments.xlsx", Some(&fund))
            .await
            .bytes,
    );
    assert!(book.right_to_left);
    assert_eq!(book.rows.len(), 3);
    assert_eq!(book.rows[2][2], XlsxCell::Text("غرفة تجارة وصناعة غزة".into()));
    assert_eq!(book.rows[2][9], XlsxCell::Number(2.0), "women filled");
    assert_eq!(book.rows[2][11], XlsxCell::Date("2026-03-01".into()));
    assert_eq!(
        t.get("/staff/establishments/export/establishments.csv", Some(&sara))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let elsewhere = t
        .get("/staff/establishments/export/establishments.csv", Some(&other_manager))
        .await;
    assert_eq!(
        elsewhere.body.trim_start_matches('\u{feff}').trim_end().lines().count(),
        1
    );
    let dashboard_csv = t.get("/fund/export/establishments.csv", Some(&fund)).await;
    assert_eq!(dashboard_csv.status, StatusCode::OK);
    let total_line = dashboard_csv
        .body
        .split("\r\n")
        .find(|line| line.starts_with("المجموع,"))
        .unwrap_or_default();
    assert!(total_line.starts_with("المجموع,2,1,1,0,"), "{}", dashboard_csv.body);
    assert!(total_line.contains(",2,1,3,"), "{total_line}");
}
