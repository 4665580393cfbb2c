//! The Fund's dashboard on SQLite and PostgreSQL: every figure's arithmetic on a small
//! hand-made set of people, plans, stays, documents and service requests (times chosen so
//! each median and 90th percentile is known), the filters, a manager held to their chamber,
//! 403 for advisors and entrepreneurs; and the plan's own steps keeping the figures current.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use serde_json::{json, Value};

on_both_databases!(
    every_figure_adds_up_on_a_hand_made_set,
    plan_steps_keep_the_dashboard_current,
    demo_data_is_deterministic_and_the_dashboard_agrees_with_it,
    plans_saved_before_the_figures_existed_get_them_at_start,
);

const DAY: i64 = 86_400;
const FULL_PLAN: &str = include_str!("../fixtures/full-plan.json");

fn now() -> i64 {
    app::db::now()
}

async fn exec(t: &TestApp, sql: &str, binds: &[Option<i64>]) {
    let mut query = sqlx::query(sql);
    for value in binds {
        query = query.bind(*value);
    }
    query.execute(&t.state.pool).await.expect(sql);
}

async fn id_of(t: &TestApp, sql: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(sql).fetch_one(&t.state.pool).await.expect(sql);
    id
}

/// The figures a hand-made plan carries.
struct Plan {
    owner: i64,
    status: &'static str,
    stage: i64,
    currency: &'static str,
    sector: Option<&'static str>,
    fte: i64,
    women: i64,
    youth: i64,
    money: [i64; 5],
    created: i64,
    submitted: Option<i64>,
    approved: Option<i64>,
    decided: Option<i64>,
    deleted: bool,
    /// (state, start, end or None: still there).
    stays: Vec<(&'static str, i64, Option<i64>)>,
}

async fn insert_plan(t: &TestApp, p: Plan) -> i64 {
    let sector = p.sector.map(|s| format!("'{s}'")).unwrap_or_else(|| "NULL".into());
    let sql = format!(
        "INSERT INTO plans (owner_id, title, currency, status, created_at, updated_at, status_since, sector, \
         legal_form, jobs_fte_tenths, jobs_women, jobs_youth, startup_capital, fund_own, fund_family, fund_grant, \
         fund_loan, facts_version, funnel_stage, first_submitted_at, approved_at, decided_at, deleted_at) \
         VALUES ($1, 'خطة', '{}', '{}', $2, $2, $2, {sector}, 'sole_trader', $3, $4, $5, $6, $7, $8, $9, $10, 1, \
         $11, $12, $13, $14, $15) RETURNING id",
        p.currency, p.status
    );
    let [startup, own, family, grant, loan] = p.money;
    let (id,): (i64,) = sqlx::query_as(&sql)
        .bind(p.owner)
        .bind(p.created)
        .bind(p.fte)
        .bind(p.women)
        .bind(p.youth)
        .bind(startup)
        .bind(own)
        .bind(family)
        .bind(grant)
        .bind(loan)
        .bind(p.stage)
        .bind(p.submitted)
        .bind(p.approved)
        .bind(p.decided)
        .bind(p.deleted.then_some(p.created))
        .fetch_one(&t.state.pool)
        .await
        .expect("insert plan");
    let copy = "UPDATE plans SET owner_chamber_id = (SELECT chamber_id FROM users WHERE id = $1), \
                owner_governorate = (SELECT governorate_code FROM users WHERE id = $1), \
                owner_gender = (SELECT gender FROM users WHERE id = $1), \
                owner_birth_date = (SELECT birth_date FROM users WHERE id = $1) WHERE owner_id = $1";
    exec(t, copy, &[Some(p.owner)]).await;
    for (status, start, end) in p.stays {
        let sql =
            // As the plan store writes them: whole days once ended, not live once deleted.
            format!(
                "INSERT INTO plan_stints (plan_id, status, started_at, ended_at, days, live) \
                 VALUES ($1, '{status}', $2, $3, $4, $5)"
            );
        let days = end.map(|end| (end - start) / DAY);
        exec(
            t,
            &sql,
            &[Some(id), Some(start), end, days, Some(i64::from(!p.deleted))],
        )
        .await;
    }
    id
}

async fn person(t: &TestApp, name: &str, phone: &str, governorate: &str, gender: &str, born: &str) -> i64 {
    t.register(name, phone, "", governorate).await;
    let sql = format!("UPDATE users SET gender = '{gender}', birth_date = '{born}' WHERE phone = '{phone}'");
    exec(t, &sql, &[]).await;
    id_of(t, &format!("SELECT id FROM users WHERE phone = '{phone}'")).await
}

async fn dashboard(t: &TestApp, cookie: &str, filters: &[(&str, &str)]) -> Value {
    let reply = dashboard_reply(t, cookie, filters).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn dashboard_reply(t: &TestApp, cookie: &str, filters: &[(&str, &str)]) -> Reply {
    let fields: Vec<(String, &str)> = filters.iter().map(|(k, v)| (format!("params[{k}]"), *v)).collect();
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    t.call("fund/dashboard", &form(&pairs), Some(cookie)).await
}

fn funnel(d: &Value) -> Vec<(i64, Option<i64>)> {
    d["funnel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["plans"].as_i64().unwrap(), s["conversion_tenths"].as_i64()))
        .collect()
}

fn state_days(d: &Value, status: &str) -> (i64, Option<i64>, Option<i64>) {
    let row = d["days_in_state"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == status)
        .unwrap_or_else(|| panic!("no {status} in {d}"));
    let days = &row["days"];
    (
        days["count"].as_i64().unwrap(),
        days["median"].as_i64(),
        days["p90"].as_i64(),
    )
}

fn money(d: &Value) -> Vec<(String, String, i64, [i64; 5])> {
    d["money"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().unwrap();
            (
                r["scope"].as_str().unwrap().to_string(),
                r["currency"].as_str().unwrap().to_string(),
                n("plans"),
                [n("startup"), n("own"), n("family"), n("grant"), n("loan")],
            )
        })
        .collect()
}

fn chamber<'a>(d: &'a Value, name_en: &str) -> &'a Value {
    d["chambers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"]["en"].as_str().is_some_and(|n| n.starts_with(name_en)))
        .unwrap_or_else(|| panic!("no chamber {name_en}"))
}

async fn every_figure_adds_up_on_a_hand_made_set(backend: Backend) {
    let t = app(backend).await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    let amal = person(&t, "أمل خالد", "0599100001", "gaza", "female", "2000-01-01").await;
    let basel = person(&t, "باسل سمير", "0599100002", "gaza", "male", "1980-06-01").await;
    let czar = person(&t, "سلمى ياسر", "0599100003", "hebron", "female", "1995-03-01").await;
    let _dana = person(&t, "داود ناصر", "0599100004", "hebron", "male", "1990-03-01").await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;

    // Times: a base 400 days ago; stays still under way started x.5 days ago, so whole days
    // are known whatever second the dashboard is read.
    let now = now();
    let base = now - 400 * DAY;
    let d = |days: i64| base + days * DAY;
    let ago = |half_days: i64| now - half_days * DAY / 2;
    // P1: Gaza, ILS, operating: draft 2, submitted 3, in review 10, approved 4, referred 6, funded 5.
    insert_plan(
        &t,
        Plan {
            owner: amal,
            status: "operating",
            stage: 6,
            currency: "ILS",
            sector: Some("manufacturing_crafts"),
            fte: 35,
            women: 3,
            youth: 2,
            money: [1_000_000, 200_000, 0, 500_000, 300_000],
            created: d(0),
            submitted: Some(d(2)),
            approved: Some(d(15)),
            decided: Some(d(15)),
            deleted: false,
            stays: vec![
                ("draft", d(0), Some(d(2))),
                ("submitted", d(2), Some(d(5))),
                ("in_review", d(5), Some(d(15))),
                ("approved", d(15), Some(d(19))),
                ("referred", d(19), Some(d(25))),
                ("funded", d(25), Some(d(30))),
                ("operating", d(30), None),
            ],
        },
    )
    .await;
    // P2: Gaza, USD, funded (3.5 days so far): draft 1, submitted 1, in review 19, approved 9, referred 1.
    insert_plan(
        &t,
        Plan {
            owner: basel,
            status: "funded",
            stage: 5,
            currency: "USD",
            sector: Some("agriculture_food"),
            fte: 20,
            women: 0,
            youth: 1,
            money: [50_000, 50_000, 0, 0, 0],
            created: d(10),
            submitted: Some(d(11)),
            approved: Some(d(31)),
            decided: Some(d(31)),
            deleted: false,
            stays: vec![
                ("draft", d(10), Some(d(11))),
                ("submitted", d(11), Some(d(12))),
                ("in_review", d(12), Some(d(31))),
                ("approved", d(31), Some(d(40))),
                ("referred", d(40), Some(d(41))),
                ("funded", ago(7), None),
            ],
        },
    )
    .await;
    // P3: Hebron, ILS, rejected 15 days after submission: draft 5, submitted 1, in review 14.
    insert_plan(
        &t,
        Plan {
            owner: czar,
            status: "rejected",
            stage: 2,
            currency: "ILS",
            sector: Some("manufacturing_crafts"),
            fte: 10,
            women: 1,
            youth: 1,
            money: [400_000, 100_000, 50_000, 250_000, 0],
            created: d(0),
            submitted: Some(d(5)),
            approved: None,
            decided: Some(d(20)),
            deleted: false,
            stays: vec![
                ("draft", d(0), Some(d(5))),
                ("submitted", d(5), Some(d(6))),
                ("in_review", d(6), Some(d(20))),
                ("rejected", d(20), None),
            ],
        },
    )
    .await;
    // P4: Hebron, ILS, in review for 5.5 days: draft 2, submitted 3.
    insert_plan(
        &t,
        Plan {
            owner: czar,
            status: "in_review",
            stage: 2,
            currency: "ILS",
            sector: Some("trade"),
            fte: 5,
            women: 1,
            youth: 0,
            money: [100_000, 100_000, 0, 0, 0],
            created: d(100),
            submitted: Some(d(102)),
            approved: None,
            decided: None,
            deleted: false,
            stays: vec![
                ("draft", d(100), Some(d(102))),
                ("submitted", d(102), Some(d(105))),
                ("in_review", ago(11), None),
            ],
        },
    )
    .await;
    // P5: Gaza, JOD, a draft for 1.5 days; its money was never asked for.
    insert_plan(
        &t,
        Plan {
            owner: amal,
            status: "draft",
            stage: 0,
            currency: "JOD",
            sector: None,
            fte: 10,
            women: 1,
            youth: 1,
            money: [9_000, 9_000, 0, 0, 0],
            created: ago(3),
            submitted: None,
            approved: None,
            decided: None,
            deleted: false,
            stays: vec![("draft", ago(3), None)],
        },
    )
    .await;
    // P6: a deleted draft counts nowhere.
    insert_plan(
        &t,
        Plan {
            owner: basel,
            status: "draft",
            stage: 0,
            currency: "ILS",
            sector: Some("trade"),
            fte: 90,
            women: 9,
            youth: 9,
            money: [7, 7, 7, 7, 7],
            created: d(50),
            submitted: None,
            approved: None,
            decided: None,
            deleted: true,
            stays: vec![("draft", d(50), None)],
        },
    )
    .await;
    // Documents: one waiting in Gaza, one verified in Hebron, one deleted in Hebron.
    for (owner, status, deleted, key) in [
        (amal, "uploaded", None, "k1"),
        (czar, "verified", None, "k2"),
        (czar, "uploaded", Some(now), "k3"),
    ] {
        let sql = format!(
            "INSERT INTO documents (owner_id, doc_type, display_name, kind, size_bytes, sha256, storage_key, status, \
             deleted_at, created_at, owner_chamber_id) VALUES ($1, 'id_copy', 'هوية', 'pdf', 10, 'x', '{key}', \
             '{status}', $2, $3, (SELECT chamber_id FROM users WHERE id = $1))"
        );
        exec(&t, &sql, &[Some(owner), deleted, Some(now)]).await;
    }
    // Service requests: the first service three times (two completed in 4 and 6 working
    // days), the second once.
    let first = id_of(&t, "SELECT id FROM services ORDER BY sort_order, id LIMIT 1").await;
    let second = id_of(&t, "SELECT id FROM services WHERE sort_order > (SELECT MIN(sort_order) FROM services) ORDER BY sort_order, id LIMIT 1").await;
    for (owner, service, status, days) in [
        (amal, first, "completed", Some(4)),
        (basel, first, "completed", Some(6)),
        (czar, first, "in_progress", None),
        (czar, second, "requested", None),
    ] {
        let sql = format!(
            "INSERT INTO service_requests (user_id, service_id, status, steps_json, created_at, updated_at, \
             completed_at, working_days) VALUES ($1, $2, '{status}', '[]', $3, $3, $4, $5)"
        );
        exec(
            &t,
            &sql,
            &[Some(owner), Some(service), Some(d(200)), days.map(|_| d(208)), days],
        )
        .await;
    }

    let all = dashboard(&t, &fund, &[]).await;
    // Without filters the stays are read from their own index (ended, open); a filter that
    // keeps everything goes through the plans: both readings agree.
    let through_plans = dashboard(&t, &fund, &[("from", "2000-01-01")]).await;
    assert_eq!(all["days_in_state"], through_plans["days_in_state"]);
    assert_eq!(all["every_chamber"], true);
    assert_eq!(all["entrepreneurs"], 4);
    // Drafted 5 → submitted 4 → in review 4 → approved 2 → referred 2 → funded 2 → operating 1.
    assert_eq!(
        funnel(&all),
        vec![
            (5, None),
            (4, Some(800)),
            (4, Some(1000)),
            (2, Some(500)),
            (2, Some(1000)),
            (2, Some(1000)),
            (1, Some(500)),
        ]
    );
    assert_eq!((all["decided"].as_i64(), all["approved"].as_i64()), (Some(3), Some(2)));
    assert_eq!(all["approval_tenths"], 667);
    // Nearest rank: draft stays 1,1,2,2,5; submitted 1,1,3,3; in review 5,10,14,19; …
    assert_eq!(state_days(&all, "draft"), (5, Some(2), Some(5)));
    assert_eq!(state_days(&all, "submitted"), (4, Some(1), Some(3)));
    assert_eq!(state_days(&all, "in_review"), (4, Some(10), Some(19)));
    assert_eq!(state_days(&all, "changes_requested"), (0, None, None));
    assert_eq!(state_days(&all, "approved"), (2, Some(4), Some(9)));
    assert_eq!(state_days(&all, "referred"), (2, Some(1), Some(6)));
    assert_eq!(state_days(&all, "funded"), (2, Some(3), Some(5)));
    // First submission to decision: 13, 15, 20 days.
    assert_eq!(all["days_to_decision"], json!({"count": 3, "median": 15, "p90": 20}));
    assert_eq!(
        all["jobs"],
        json!({"plans": 2, "fte_tenths": 55, "women": 3, "youth": 3})
    );
    // Shekels and dollars apart, never added together; the unsubmitted dinar draft nowhere.
    assert_eq!(
        money(&all),
        vec![
            (
                "submitted".into(),
                "ILS".into(),
                3,
                [1_500_000, 400_000, 50_000, 750_000, 300_000]
            ),
            ("submitted".into(), "USD".into(), 1, [50_000, 50_000, 0, 0, 0]),
            (
                "approved".into(),
                "ILS".into(),
                1,
                [1_000_000, 200_000, 0, 500_000, 300_000]
            ),
            ("approved".into(), "USD".into(), 1, [50_000, 50_000, 0, 0, 0]),
        ]
    );
    let services = all["services"].as_array().unwrap();
    assert_eq!(services.len(), 2, "{services:?}");
    assert_eq!(
        (
            &services[0]["requested"],
            &services[0]["completed"],
            &services[0]["median_working_days"]
        ),
        (&json!(3), &json!(2), &json!(4))
    );
    assert_eq!(
        (
            &services[1]["requested"],
            &services[1]["completed"],
            &services[1]["median_working_days"]
        ),
        (&json!(1), &json!(0), &Value::Null)
    );
    assert_eq!(all["chambers"].as_array().unwrap().len(), 16);
    let gaza = chamber(&all, "Gaza Chamber");
    assert_eq!(
        (
            &gaza["entrepreneurs"],
            &gaza["submitted"],
            &gaza["approved"],
            &gaza["approval_tenths"]
        ),
        (&json!(2), &json!(2), &json!(2), &json!(1000))
    );
    assert_eq!(
        (&gaza["jobs_fte_tenths"], &gaza["documents_waiting"]),
        (&json!(55), &json!(1))
    );
    let hebron = chamber(&all, "Hebron");
    assert_eq!(
        (
            &hebron["entrepreneurs"],
            &hebron["submitted"],
            &hebron["approved"],
            &hebron["approval_tenths"]
        ),
        (&json!(2), &json!(2), &json!(0), &json!(0))
    );
    assert_eq!(hebron["documents_waiting"], 0);
    let trend = all["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 24);
    let total = |key: &str| trend.iter().map(|m| m[key].as_i64().unwrap()).sum::<i64>();
    assert_eq!(
        (total("submissions"), total("approvals"), total("jobs_fte_tenths")),
        (4, 2, 55)
    );
    let p1_month = domain::stats::month_of_day(d(15) / DAY);
    let month = trend
        .iter()
        .find(|m| m["month"] == p1_month.as_str())
        .expect("P1's month");
    assert!(month["approvals"].as_i64() >= Some(1), "{month}");

    // Gaza, women, manufacturing: P1 alone.
    let gaza_id = gaza["id"].as_i64().unwrap().to_string();
    let narrow = dashboard(
        &t,
        &fund,
        &[
            ("chamber", &gaza_id),
            ("gender", "female"),
            ("sector", "manufacturing_crafts"),
        ],
    )
    .await;
    assert_eq!(narrow["entrepreneurs"], 1);
    assert_eq!(
        funnel(&narrow).iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        vec![1, 1, 1, 1, 1, 1, 1]
    );
    assert_eq!(
        narrow["jobs"],
        json!({"plans": 1, "fte_tenths": 35, "women": 3, "youth": 2})
    );
    assert_eq!(money(&narrow).len(), 2, "ILS submitted and approved only");
    assert_eq!(narrow["chambers"].as_array().unwrap().len(), 1);
    assert_eq!(state_days(&narrow, "in_review"), (1, Some(10), Some(10)));
    // The West Bank: Hebron's two plans; nobody approved.
    let west = dashboard(&t, &fund, &[("region", "west_bank")]).await;
    assert_eq!(funnel(&west)[0].0, 2);
    assert_eq!(west["approval_tenths"], 0);
    assert_eq!(west["jobs"]["plans"], 0);
    assert_eq!(west["entrepreneurs"], 2);
    // The 25–29 age group: Amal (born 2000) only, her two plans.
    let young = dashboard(&t, &fund, &[("age", "25-29")]).await;
    assert_eq!(funnel(&young)[0].0, 2);
    // A period: plans that entered between the two dates (P4 only, first submitted on day 102).
    let day = |n: i64| domain::validation::Date::from_unix(d(n)).iso();
    let period = dashboard(&t, &fund, &[("from", &day(101)), ("to", &day(103))]).await;
    assert_eq!(funnel(&period)[1].0, 1);
    let bad = dashboard_reply(&t, &fund, &[("from", "2026-13-45")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("submitted_from"), "{}", bad.body);

    // Gaza's manager: Gaza only, whatever chamber the URL names.
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let hebron_id = hebron["id"].as_i64().unwrap().to_string();
    let own = dashboard(&t, &manager, &[("chamber", &hebron_id)]).await;
    assert_eq!(own["every_chamber"], false);
    assert_eq!(funnel(&own)[0].0, 3);
    assert_eq!(own["chambers"].as_array().unwrap().len(), 1);
    assert_eq!(own["chambers"][0]["id"].as_i64(), gaza["id"].as_i64());
    // The downloads: the same figures, UTF-8 with a byte-order mark, Arabic headings.
    let csv = t.get("/fund/export/money.csv", Some(&fund)).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(csv.bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM first");
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("الخطط,العملة,عدد الخطط,رأس مال التأسيس"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 5, "{}", csv.body);
    assert!(
        lines[1].ends_with(",3,15000.00,4000.00,500.00,7500.00,3000.00"),
        "{}",
        lines[1]
    );
    // The same table as a workbook: right to left, amounts as numbers of their currency.
    let xlsx = t.get("/fund/export/money.xlsx", Some(&fund)).await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    assert_eq!(
        xlsx.headers[axum::http::header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let book = read_xlsx(&xlsx.bytes);
    assert!(book.right_to_left);
    assert_eq!(book.rows.len(), lines.len(), "as many rows as the CSV");
    assert_eq!(book.rows[0][3], XlsxCell::Text("رأس مال التأسيس".into()));
    assert_eq!(
        book.rows[1][2..],
        [3.0, 15000.0, 4000.0, 500.0, 7500.0, 3000.0].map(XlsxCell::Number)
    );
    let english = t
        .get(
            "/fund/export/trend.xlsx",
            Some(&format!("{fund}; {}=en", app::LANG_COOKIE)),
        )
        .await;
    let trend = read_xlsx(&english.bytes);
    assert!(!trend.right_to_left, "English reads left to right");
    assert_eq!(trend.rows[0][0], XlsxCell::Text("Month".into()));
    assert!(
        matches!(&trend.rows[1][0], XlsxCell::Date(d) if d.ends_with("-01")),
        "months are dates: {:?}",
        trend.rows[1]
    );
    let funnel_csv = t.get("/fund/export/funnel.csv?region=west_bank", Some(&fund)).await;
    let rows: Vec<&str> = funnel_csv.body.lines().collect();
    assert!(rows[1].ends_with(",2,"), "{}", funnel_csv.body);
    let own_csv = t
        .get(
            &format!("/fund/export/chambers.csv?chamber={hebron_id}"),
            Some(&manager),
        )
        .await;
    assert_eq!(own_csv.body.lines().count(), 2, "{}", own_csv.body);
    assert!(own_csv.body.contains("غزة"), "{}", own_csv.body);
    assert_eq!(
        t.get("/fund/export/nothing.csv", Some(&fund)).await.status,
        StatusCode::NOT_FOUND
    );

    // Advisors and entrepreneurs: 403; nobody signed in: 401.
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    assert_eq!(dashboard_reply(&t, &advisor, &[]).await.status, StatusCode::FORBIDDEN);
    let entrepreneur = t.login("0599100001", PASSWORD).await;
    assert_eq!(
        dashboard_reply(&t, &entrepreneur, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let anonymous = t.call("fund/dashboard", "", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        t.get("/fund/export/money.csv", Some(&advisor)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/fund/export/money.csv", Some(&entrepreneur)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/fund/export/money.xlsx", Some(&advisor)).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn plan_steps_keep_the_dashboard_current(backend: Backend) {
    let t = app(backend).await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    t.staff("chamber-manager", "manager@khan.ps", "khan_younis").await;
    let advisor_id = t.staff("advisor", "advisor@khan.ps", "khan_younis").await;
    let owner = t.register("هالة منصور", "0599100011", "", "khan_younis").await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let reply = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&owner))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let plan = reply.json().as_i64().expect("plan id");
    // Imported: a draft with its figures and its one position.
    let before = dashboard(&t, &fund, &[]).await;
    assert_eq!(funnel(&before)[0].0, 1);
    assert_eq!(funnel(&before)[1].0, 0);
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM plan_positions WHERE plan_id = {plan} AND count = 2 AND women = 2"
        ))
        .await,
        1
    );
    let plan_id = plan.to_string();
    let step = |action: &'static str, advisor: &str| {
        let mut fields = vec![("plan_id", plan_id.clone()), ("action", action.to_string())];
        fields.push((
            "message",
            if action == "approve" {
                "خطة مكتملة".into()
            } else {
                String::new()
            },
        ));
        if !advisor.is_empty() {
            fields.push(("advisor_id", advisor.to_string()));
        }
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form(&pairs)
    };
    let submitted = t.call("case/transition", &step("submit", ""), Some(&owner)).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let manager = t.login("manager@khan.ps", PASSWORD).await;
    for (action, advisor) in [("assign", advisor_id.to_string()), ("approve", String::new())] {
        let reply = t.call("case/transition", &step(action, &advisor), Some(&manager)).await;
        assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
    }
    let after = dashboard(&t, &fund, &[]).await;
    // Submitted, reviewed and approved.
    assert_eq!(funnel(&after)[1].0, 1);
    assert_eq!(funnel(&after)[2].0, 1);
    assert_eq!(funnel(&after)[3].0, 1);
    assert_eq!(after["approval_tenths"], 1000);
    // The fixture: two full-time seamstresses, 12,000 shekels of start-up costs.
    assert_eq!(
        after["jobs"],
        json!({"plans": 1, "fte_tenths": 20, "women": 2, "youth": 0})
    );
    assert_eq!(
        money(&after)[1],
        (
            "approved".into(),
            "ILS".into(),
            1,
            [1_200_000, 300_000, 0, 500_000, 400_000]
        )
    );
    assert_eq!(state_days(&after, "draft").0, 1);
    assert_eq!(state_days(&after, "submitted").0, 1);
    assert_eq!(state_days(&after, "in_review").0, 1);
    assert_eq!(state_days(&after, "approved").0, 1);
    assert_eq!(after["days_to_decision"]["count"], 1);
    let trend = after["trend"].as_array().unwrap();
    assert_eq!(trend.last().unwrap()["approvals"], 1);

    // Her identity card waits for verification in her chamber (uploaded for real).
    let mut card = b"%PDF-1.4\n".to_vec();
    card.resize(2_000, b'x');
    card.extend_from_slice(b"\n%%EOF\n");
    let uploaded = t.upload(&owner, "id_copy", "هوية.pdf", &card, None).await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
    let waiting_in = |figures: &Value, name: &str| chamber(figures, name)["documents_waiting"].clone();
    let before_move = dashboard(&t, &fund, &[]).await;
    assert_eq!(waiting_in(&before_move, "Khan Younis"), 1);

    // She says she is a woman born in 1999, and the Fund moves her case to Rafah (her case
    // is with Khan Younis, so she cannot move it herself): her plan follows her.
    let profile = |governorate: &str| {
        form(&[
            ("input[full_name]", "هالة منصور"),
            ("input[phone]", "0599100011"),
            ("input[email]", ""),
            ("input[gender]", "female"),
            ("input[birth_date]", "1999-05-01"),
            ("input[governorate]", governorate),
            ("input[chamber]", ""),
        ])
    };
    let herself = t.call("profile/update", &profile("rafah"), Some(&owner)).await;
    assert_eq!(herself.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", herself.body);
    assert_eq!(herself.json()["Invalid"][0]["field"], "chamber");
    let updated = t.call("profile/update", &profile("khan_younis"), Some(&owner)).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let owner_id = id_of(&t, "SELECT id FROM users WHERE phone = '0599100011'")
        .await
        .to_string();
    let moved = t
        .call(
            "case/move-chamber",
            &form(&[("user_id", &owner_id), ("chamber", "rafah")]),
            Some(&fund),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let rafah = chamber(&after, "Rafah")["id"].as_i64().unwrap().to_string();
    let khan = chamber(&after, "Khan Younis")["id"].as_i64().unwrap().to_string();
    let in_rafah = dashboard(
        &t,
        &fund,
        &[("chamber", &rafah), ("gender", "female"), ("age", "25-29")],
    )
    .await;
    assert_eq!(funnel(&in_rafah)[3].0, 1);
    let in_khan = dashboard(&t, &fund, &[("chamber", &khan)]).await;
    assert_eq!(funnel(&in_khan)[0].0, 0);
    // Her waiting document follows her too, with and without a filter on her.
    let everywhere = dashboard(&t, &fund, &[]).await;
    assert_eq!(
        (waiting_in(&everywhere, "Khan Younis"), waiting_in(&everywhere, "Rafah")),
        (json!(0), json!(1))
    );
    assert_eq!(waiting_in(&in_rafah, "Rafah"), 1);
}

/// What identifies the demo's people and plans, in id order.
async fn demo_fingerprint(t: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT u.full_name, p.title, p.status FROM plans p JOIN users u ON u.id = p.owner_id ORDER BY p.id")
        .fetch_all(&t.state.pool)
        .await
        .expect("demo rows")
}

async fn demo_data_is_deterministic_and_the_dashboard_agrees_with_it(backend: Backend) {
    let settings = server::demo::DemoSettings {
        entrepreneurs: 300,
        seed: 11,
        chambers: Vec::new(),
        staff: true,
    };
    let t = app(backend).await;
    let report = server::demo::seed_demo(&t.state.pool, backend, &settings)
        .await
        .expect("seed");
    assert_eq!(report.entrepreneurs, 300);
    // A Fund admin, and a manager and two advisors for each of the sixteen chambers.
    assert_eq!(report.staff.len(), 1 + 16 * 3);
    let again = app(backend).await;
    server::demo::seed_demo(&again.state.pool, backend, &settings)
        .await
        .expect("seed again");
    let rows = demo_fingerprint(&t).await;
    assert!(rows.len() > 200, "{} plans", rows.len());
    assert_eq!(rows, demo_fingerprint(&again).await, "the same seed, the same data");
    // Every state and every chamber is there.
    assert_eq!(t.count("SELECT COUNT(DISTINCT status) FROM plans").await, 10);
    assert_eq!(
        t.count("SELECT COUNT(DISTINCT chamber_id) FROM users WHERE role = 'entrepreneur'")
            .await,
        16
    );
    // The demo Fund admin signs in with the printed password, and the dashboard's figures are
    // those of the rows, counted here on their own.
    let (_, email, _, password) = report
        .staff
        .iter()
        .find(|s| s.0 == domain::roles::Role::FundAdmin)
        .unwrap();
    let fund = t.login(email, password).await;
    let figures = dashboard(&t, &fund, &[]).await;
    assert_eq!(figures["entrepreneurs"], 300);
    let stages = funnel(&figures);
    assert_eq!(stages[0].0, t.count("SELECT COUNT(*) FROM plans").await);
    assert_eq!(
        stages[1].0,
        t.count("SELECT COUNT(*) FROM plans WHERE first_submitted_at IS NOT NULL")
            .await
    );
    assert_eq!(
        stages[3].0,
        t.count("SELECT COUNT(*) FROM plans WHERE status IN ('approved', 'referred', 'funded', 'operating')")
            .await
    );
    assert_eq!(
        figures["jobs"]["fte_tenths"].as_i64().unwrap(),
        t.count(
            "SELECT CAST(COALESCE(SUM(count * CASE full_time WHEN 1 THEN 10 ELSE 5 END), 0) AS BIGINT) FROM plan_positions pp \
             JOIN plans p ON p.id = pp.plan_id WHERE p.status IN ('approved', 'referred', 'funded', 'operating')"
        )
        .await
    );
    let waiting: i64 = figures["chambers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["documents_waiting"].as_i64().unwrap())
        .sum();
    assert_eq!(
        waiting,
        t.count("SELECT COUNT(*) FROM documents WHERE status = 'uploaded'")
            .await
    );
    // The register is what the steps would have made: every operating plan, and the
    // completed membership and registration requests' projects; most were visited.
    let register = &figures["establishments_total"];
    assert_eq!(report.establishments as i64, register["registered"].as_i64().unwrap());
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM plans p WHERE p.status = 'operating' \
             AND NOT EXISTS (SELECT 1 FROM establishments e WHERE e.plan_id = p.id)"
        )
        .await,
        0
    );
    assert!(register["visited"].as_i64().unwrap() > 0, "{register}");
    assert_eq!(
        register["filled_women"].as_i64().unwrap() + register["filled_men"].as_i64().unwrap(),
        t.count("SELECT CAST(COALESCE(SUM(filled_women + filled_men), 0) AS BIGINT) FROM establishments")
            .await
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM establishment_visits").await,
        report.visits as i64
    );
    let visits = |t: &TestApp| {
        let pool = t.state.pool.clone();
        async move {
            sqlx::query_as::<_, (i64, String, i64, i64, i64)>(
                "SELECT establishment_id, visited_on, jobs_women, jobs_men, operating FROM establishment_visits ORDER BY id",
            )
            .fetch_all(&pool)
            .await
            .expect("visits")
        }
    };
    assert_eq!(visits(&t).await, visits(&again).await, "the same visits");

    // The Fund's unfiltered view reads other indexes than any filter does: a filter that
    // keeps everyone and everything gives the same figures.
    use app::fund::store::{self as figures_store, DashboardFilters};
    let pool = &t.state.pool;
    let everything = DashboardFilters::default();
    let any_period = DashboardFilters {
        from: Some(0),
        ..DashboardFilters::default()
    };
    let anyone = DashboardFilters {
        born_on_or_before: Some("9999-12-31".into()),
        ..DashboardFilters::default()
    };
    let since = 0;
    let sorted = |mut rows: Vec<(Option<i64>, i64)>| {
        rows.sort();
        rows
    };
    assert_eq!(
        figures_store::submissions_by_day(pool, &everything, since)
            .await
            .unwrap(),
        figures_store::submissions_by_day(pool, &any_period, since)
            .await
            .unwrap()
    );
    assert_eq!(
        figures_store::approvals_by_day(pool, &everything, since).await.unwrap(),
        figures_store::approvals_by_day(pool, &any_period, since).await.unwrap()
    );
    assert_eq!(
        figures_store::days_to_decision(pool, &everything).await.unwrap(),
        figures_store::days_to_decision(pool, &any_period).await.unwrap()
    );
    assert_eq!(
        figures_store::service_counts(pool, &everything).await.unwrap(),
        figures_store::service_counts(pool, &any_period).await.unwrap()
    );
    assert_eq!(
        figures_store::service_days(pool, &everything).await.unwrap(),
        figures_store::service_days(pool, &any_period).await.unwrap()
    );
    assert_eq!(
        sorted(figures_store::documents_waiting(pool, &everything).await.unwrap()),
        sorted(figures_store::documents_waiting(pool, &anyone).await.unwrap())
    );
}

/// An upgrade over plans saved by an older version: their figures are filled a page at a
/// time (more plans than one page here), each from its own document.
async fn plans_saved_before_the_figures_existed_get_them_at_start(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599100077", "", "gaza").await;
    let imported = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&owner))
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    let plan = imported.json().as_i64().unwrap();
    let facts = |t: &TestApp, id: i64| {
        let pool = t.state.pool.clone();
        async move {
            sqlx::query_as::<_, (i64, i64, Option<String>, i64)>(
                "SELECT jobs_fte_tenths, startup_capital, start_month, facts_version FROM plans WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let expected = facts(&t, plan).await;
    assert!(expected.0 > 0 && expected.1 > 0, "{expected:?}");
    // 1,100 copies written by an older version: no figures, version 0.
    let mut tx = app::db::begin(&t.state.pool).await.unwrap();
    for _ in 0..1_100 {
        sqlx::query(
            "INSERT INTO plans (owner_id, title, currency, status, revision, created_at, updated_at, data, status_since) \
             SELECT owner_id, title, currency, status, revision, created_at, updated_at, data, status_since \
             FROM plans WHERE id = $1",
        )
        .bind(plan)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::query("UPDATE plans SET facts_version = 0, jobs_fte_tenths = 0, startup_capital = 0, start_month = NULL")
        .execute(&t.state.pool)
        .await
        .unwrap();
    let refreshed = app::plan::store::refresh_stale_facts(&t.state.pool).await.unwrap();
    assert_eq!(refreshed, 1_101);
    let newest = t.count("SELECT MAX(id) FROM plans").await;
    for id in [plan, plan + 1, newest] {
        let got = facts(&t, id).await;
        assert_eq!(
            got,
            (
                expected.0,
                expected.1,
                expected.2.clone(),
                app::plan::store::FACTS_VERSION
            )
        );
    }
    assert_eq!(app::plan::store::refresh_stale_facts(&t.state.pool).await.unwrap(), 0);
}
