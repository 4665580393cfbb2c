//! Labour demand on SQLite and PostgreSQL: positions of approved-and-later plans grouped by
//! title (spellings folded, then as the Fund maps them), sector, governorate, month and
//! currency; wages never added across currencies; the Fund's title mapping with its errors;
//! a manager held to their chamber; the downloads.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use serde_json::Value;

on_both_databases!(labour_demand_groups_titles_and_keeps_currencies_apart,);

/// A plan of `owner` in `status`, with its positions (title, count, women, youth, full
/// time, monthly wage in minor units).
async fn plan_with_positions(
    t: &TestApp,
    owner: i64,
    status: &str,
    currency: &str,
    sector: &str,
    month: Option<&str>,
    positions: &[(&str, i64, i64, i64, bool, i64)],
) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plans (owner_id, title, currency, status, created_at, updated_at, status_since, sector, \
         start_month, facts_version, owner_chamber_id, owner_governorate, owner_gender, owner_birth_date) \
         SELECT $1, 'خطة', $2, $3, 1, 1, 1, $4, $5, 2, chamber_id, governorate_code, gender, birth_date \
         FROM users WHERE id = $1 RETURNING id",
    )
    .bind(owner)
    .bind(currency)
    .bind(status)
    .bind(sector)
    .bind(month)
    .fetch_one(&t.state.pool)
    .await
    .expect("plan");
    for (n, (title, count, women, youth, full_time, wage)) in positions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_positions (plan_id, position, title, folded_title, count, full_time, women, youth, \
             monthly_wage) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(n as i64)
        .bind(*title)
        .bind(domain::search::fold(title))
        .bind(*count)
        .bind(i64::from(*full_time))
        .bind(*women)
        .bind(*youth)
        .bind(*wage)
        .execute(&t.state.pool)
        .await
        .expect("position");
    }
    id
}

async fn labour(t: &TestApp, cookie: &str, filters: &[(&str, &str)], title: &str) -> Reply {
    let mut fields: Vec<(String, &str)> = filters.iter().map(|(k, v)| (format!("params[{k}]"), *v)).collect();
    fields.push(("title".into(), title));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    t.call("fund/labour", &form(&pairs), Some(cookie)).await
}

async fn labour_ok(t: &TestApp, cookie: &str, filters: &[(&str, &str)]) -> Value {
    let reply = labour(t, cookie, filters, "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// (title, currency, positions, women, youth, FTE tenths, wage bill, plans) of a row.
type Group = (String, String, i64, i64, i64, i64, i64, i64);

fn rows(labour: &Value) -> Vec<Group> {
    labour["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().unwrap();
            (
                r["title"].as_str().unwrap().to_string(),
                r["currency"].as_str().unwrap().to_string(),
                n("positions"),
                n("women"),
                n("youth"),
                n("fte_tenths"),
                n("wage_bill"),
                n("plans"),
            )
        })
        .collect()
}

async fn map(t: &TestApp, cookie: &str, folded: &str, canonical: &str) -> Reply {
    t.call(
        "fund/job-title",
        &form(&[("folded", folded), ("canonical", canonical)]),
        Some(cookie),
    )
    .await
}

async fn labour_demand_groups_titles_and_keeps_currencies_apart(backend: Backend) {
    let t = app(backend).await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.register("سارة أحمد", "0599200001", "", "gaza").await;
    t.register("خالد يوسف", "0599200002", "", "hebron").await;
    let id = |phone: &'static str| {
        let pool = t.state.pool.clone();
        async move {
            let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE phone = $1")
                .bind(phone)
                .fetch_one(&pool)
                .await
                .unwrap();
            id
        }
    };
    let gaza = id("0599200001").await;
    let hebron = id("0599200002").await;
    sqlx::query("UPDATE users SET gender = 'male' WHERE id = $1")
        .bind(hebron)
        .execute(&t.state.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET gender = 'female' WHERE id = $1")
        .bind(gaza)
        .execute(&t.state.pool)
        .await
        .unwrap();
    let month = Some("2027-01");
    // Two spellings of "seamstress" (taa marbuta and haa) fold together.
    let tailor = ("خياطة", 3, 2, 1, true, 150_000);
    let accountant = ("محاسب", 1, 0, 0, false, 200_000);
    plan_with_positions(&t, gaza, "approved", "ILS", "trade", month, &[tailor, accountant]).await;
    plan_with_positions(
        &t,
        gaza,
        "funded",
        "ILS",
        "trade",
        month,
        &[("خياطه", 2, 2, 0, true, 120_000)],
    )
    .await;
    // The same title paid in dollars: its own row, never added to the shekels.
    plan_with_positions(
        &t,
        gaza,
        "operating",
        "USD",
        "trade",
        month,
        &[("خياطة", 1, 1, 0, true, 50_000)],
    )
    .await;
    // Not approved, or deleted: not labour demand.
    plan_with_positions(
        &t,
        gaza,
        "submitted",
        "ILS",
        "trade",
        month,
        &[("خياطة", 10, 0, 0, true, 1)],
    )
    .await;
    let deleted = plan_with_positions(
        &t,
        gaza,
        "approved",
        "ILS",
        "trade",
        month,
        &[("خياطة", 7, 0, 0, true, 1)],
    )
    .await;
    sqlx::query("UPDATE plans SET deleted_at = 5 WHERE id = $1")
        .bind(deleted)
        .execute(&t.state.pool)
        .await
        .unwrap();
    // Case does not split a title either.
    plan_with_positions(
        &t,
        hebron,
        "approved",
        "JOD",
        "services",
        None,
        &[("Accountant", 2, 0, 2, true, 30_000)],
    )
    .await;
    plan_with_positions(
        &t,
        hebron,
        "referred",
        "JOD",
        "services",
        None,
        &[("ACCOUNTANT", 1, 0, 0, true, 36_000)],
    )
    .await;
    // A male "tailor": another word until the Fund maps it.
    plan_with_positions(
        &t,
        gaza,
        "approved",
        "ILS",
        "trade",
        month,
        &[("خياط", 1, 0, 1, false, 100_000)],
    )
    .await;

    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let all = labour_ok(&t, &fund, &[]).await;
    let s = |v: &str| v.to_string();
    assert_eq!(
        rows(&all),
        vec![
            (s("خياطة"), s("ILS"), 5, 4, 1, 50, 690_000, 2),
            (s("ACCOUNTANT"), s("JOD"), 3, 0, 2, 30, 96_000, 2),
            (s("خياط"), s("ILS"), 1, 0, 1, 5, 100_000, 1),
            (s("خياطة"), s("USD"), 1, 1, 0, 10, 50_000, 1),
            (s("محاسب"), s("ILS"), 1, 0, 0, 5, 200_000, 1),
        ]
    );
    assert_eq!(all["positions"], 11);
    assert_eq!(all["total_rows"], 5);
    assert_eq!(all["can_map"], true);
    let first = &all["rows"][0];
    assert_eq!(first["month"], "2027-01");
    assert_eq!(first["sector"], "trade");
    assert_eq!(first["governorate"]["en"], "Gaza");
    assert_eq!(all["rows"][1]["month"], Value::Null);
    // The spellings to map, most positions first; a search narrows them.
    let variants: Vec<(String, i64)> = all["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["example"].as_str().unwrap().to_string(),
                v["positions"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(variants[0], (s("خياطة"), 6));
    assert_eq!(variants.len(), 4);
    let found = labour(&t, &fund, &[], "خياط").await.json();
    assert_eq!(found["variants"].as_array().unwrap().len(), 2, "{found}");

    // The Fund counts "خياط" as "خياطة": one row of six.
    let folded_tailor = domain::search::fold("خياط");
    let reply = map(&t, &fund, &folded_tailor, "  خياطة  ").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let mapped = labour_ok(&t, &fund, &[]).await;
    assert_eq!(rows(&mapped)[0], (s("خياطة"), s("ILS"), 6, 4, 2, 55, 790_000, 3));
    assert_eq!(mapped["total_rows"], 4);
    // Mistakes are told; unknown spellings and other people are refused.
    let short = map(&t, &fund, &folded_tailor, "خ").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", short.body);
    assert!(short.body.contains("job_title"), "{}", short.body);
    let long = map(&t, &fund, &folded_tailor, &"خ".repeat(81)).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", long.body);
    assert_eq!(map(&t, &fund, "نجار", "نجار").await.status, StatusCode::NOT_FOUND);
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    assert_eq!(
        map(&t, &manager, &folded_tailor, "").await.status,
        StatusCode::FORBIDDEN
    );
    // Still mapped after the refusals; an empty title counts the spelling alone again.
    assert_eq!(labour_ok(&t, &fund, &[]).await["total_rows"], 4);
    assert_eq!(map(&t, &fund, &folded_tailor, "").await.status, StatusCode::OK);
    assert_eq!(labour_ok(&t, &fund, &[]).await["total_rows"], 5);

    // The dashboard's filters apply; a manager sees their chamber whatever the URL says.
    let men = labour_ok(&t, &fund, &[("gender", "male")]).await;
    assert_eq!(rows(&men).len(), 1);
    let hebron_chamber = sqlx::query_as::<_, (i64,)>("SELECT id FROM chambers WHERE code = 'hebron'")
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
        .0
        .to_string();
    let own = labour_ok(&t, &manager, &[("chamber", &hebron_chamber)]).await;
    assert_eq!(own["can_map"], false);
    assert_eq!(own["positions"], 8, "Gaza's positions only");
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    assert_eq!(labour(&t, &advisor, &[], "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.call("fund/labour", "", None).await.status, StatusCode::UNAUTHORIZED);

    // The downloads hold every row, wages in their currency as numbers.
    let csv = t.get("/fund/export/labour.csv", Some(&fund)).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    let lines: Vec<&str> = csv
        .body
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split("\r\n")
        .collect();
    assert_eq!(lines.len(), 6, "{}", csv.body);
    assert!(
        lines[0].starts_with("المسمى الوظيفي,القطاع,المحافظة,شهر التوظيف,العملة"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("خياطة,"), "{}", lines[1]);
    assert!(lines[1].contains(",2027-01,"), "{}", lines[1]);
    assert!(lines[1].ends_with(",2,5,4,0.800,1,5.0,1380.00,6900.00"), "{}", lines[1]);
    assert!(lines[2].ends_with(",2,3,0,0.000,2,3.0,32.000,96.000"), "{}", lines[2]);
    let book = read_xlsx(&t.get("/fund/export/labour.xlsx", Some(&fund)).await.bytes);
    assert!(book.right_to_left);
    assert_eq!(book.rows.len(), 6);
    assert_eq!(book.rows[1][12], XlsxCell::Number(6900.0));
    assert_eq!(book.rows[4][12], XlsxCell::Number(500.0), "dollars stay dollars");
    assert_eq!(book.rows[1][3], XlsxCell::Date("2027-01-01".into()));
    assert_eq!(
        t.get("/fund/export/labour.csv", Some(&advisor)).await.status,
        StatusCode::FORBIDDEN
    );
    let manager_csv = t.get("/fund/export/labour.csv", Some(&manager)).await;
    assert_eq!(
        manager_csv.body.trim_end().split("\r\n").count(),
        5,
        "{}",
        manager_csv.body
    );
}
