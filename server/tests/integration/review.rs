//! The chamber's review queue through its server function, on SQLite and PostgreSQL: each
//! filter narrows what a person would see, Arabic search forgives spelling, pages follow
//! one another without gaps or repeats, bad filters get messages, and nobody sees another
//! chamber's plans.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use serde_json::{json, Value};

on_both_databases!(
    the_queue_filters_and_searches_the_chambers_plans,
    the_queue_pages_without_gaps_or_repeats,
    the_queue_is_the_chambers_own_and_refuses_bad_filters,
    the_whole_queue_downloads_page_by_page,
    the_staff_home_counts_the_work_waiting,
    advisors_score_with_the_rubric_and_the_manager_reads_the_panel,
);

const FULL_PLAN: &str = include_str!("../fixtures/full-plan.json");

/// Imports the full plan for `cookie`'s owner and submits it; returns its id.
async fn submitted_plan(t: &TestApp, cookie: &str, title: &str) -> i64 {
    let reply = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let plan = reply.json().as_i64().expect("plan id");
    let id = plan.to_string();
    let renamed = t
        .call(
            "plans/rename",
            &form(&[("plan_id", &id), ("title", title)]),
            Some(cookie),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let submitted = t
        .call(
            "case/transition",
            &form(&[("plan_id", &id), ("action", "submit"), ("message", "")]),
            Some(cookie),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    plan
}

/// The manager hands the plan to an advisor.
async fn assign(t: &TestApp, manager: &str, plan: i64, advisor: i64) {
    let reply = t
        .call(
            "case/transition",
            &form(&[
                ("plan_id", &plan.to_string()),
                ("action", "assign"),
                ("message", ""),
                ("advisor_id", &advisor.to_string()),
            ]),
            Some(manager),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn queue(t: &TestApp, cookie: &str, filters: &[(&str, &str)]) -> Reply {
    let fields: Vec<(String, &str)> = filters.iter().map(|(k, v)| (format!("params[{k}]"), *v)).collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    t.call("review/queue", &form(&fields), Some(cookie)).await
}

/// The titles of the rows of a queue answer, in order.
async fn titles(t: &TestApp, cookie: &str, filters: &[(&str, &str)]) -> Vec<String> {
    let reply = queue(t, cookie, filters).await;
    assert_eq!(reply.status, StatusCode::OK, "{filters:?}: {}", reply.body);
    let page = reply.json();
    let rows = page["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(page["total"], json!(rows.len()), "one page holds them all: {filters:?}");
    rows.iter()
        .map(|r| r["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn the_queue_filters_and_searches_the_chambers_plans(backend: Backend) {
    let t = app(backend).await;
    let fatima = t.register("فاطمة الزهراء", "0599000001", "", "gaza").await;
    let ahmad = t.register("أحمد سعيد", "0599000002", "", "gaza").await;
    let huda = t.register("هدى محمود", "0599000003", "", "gaza").await;
    let advisor_id = t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let bakery = submitted_plan(&t, &fatima, "مخبز العائلة").await;
    submitted_plan(&t, &ahmad, "ورشة نجارة").await;
    submitted_plan(&t, &huda, "مشغل خياطة").await;
    // A draft is nobody's business but its owner's.
    t.call(
        "plans/create",
        &form(&[("title", "مسودة"), ("currency", "ILS")]),
        Some(&huda),
    )
    .await;

    let all = titles(&t, &manager, &[]).await;
    assert_eq!(all.len(), 3, "{all:?}");
    // The plan waiting longest comes first.
    assert_eq!(all[0], "مخبز العائلة");
    assert_eq!(
        titles(&t, &manager, &[("sort", "submitted")]).await[0],
        "مشغل خياطة",
        "newest submission first"
    );

    // Search: the owner's name or the title, however it is spelled.
    for spelling in ["فاطمه", "فَاطِمَة", "الزهراء", "مخبز", "  مخبـــز  "] {
        assert_eq!(
            titles(&t, &manager, &[("q", spelling)]).await,
            vec!["مخبز العائلة"],
            "{spelling}"
        );
    }
    assert_eq!(
        titles(&t, &manager, &[("q", "احمد")]).await,
        vec!["ورشة نجارة"],
        "أحمد without hamza"
    );
    assert!(
        titles(&t, &manager, &[("q", "100%")]).await.is_empty(),
        "wildcards are literal"
    );

    // Assignment.
    assign(&t, &manager, bakery, advisor_id).await;
    assert_eq!(titles(&t, &advisor, &[("assigned", "me")]).await, vec!["مخبز العائلة"]);
    assert_eq!(titles(&t, &manager, &[("assigned", "me")]).await, Vec::<String>::new());
    assert_eq!(
        titles(&t, &manager, &[("assigned", &advisor_id.to_string())]).await,
        vec!["مخبز العائلة"]
    );
    assert_eq!(titles(&t, &manager, &[("assigned", "none")]).await.len(), 2);
    assert_eq!(
        titles(&t, &manager, &[("status", "in_review")]).await,
        vec!["مخبز العائلة"]
    );
    assert_eq!(titles(&t, &manager, &[("status", "submitted")]).await.len(), 2);
    let page = queue(&t, &manager, &[("status", "in_review")]).await.json();
    assert_eq!(page["rows"][0]["assigned_to"], json!("Staff advisor@gaza.ps"));
    assert_eq!(page["rows"][0]["waiting_days"], json!(0));
    assert_eq!(
        page["advisors"].as_array().map(Vec::len),
        Some(2),
        "the advisor and the manager"
    );

    // The owner's gender, age and governorate, the plan's sector.
    sqlx::query("UPDATE users SET gender = 'male', birth_date = '1980-01-15' WHERE full_name = 'أحمد سعيد'")
        .execute(&t.state.pool)
        .await
        .unwrap();
    // As the profile's own update does: the plans carry a copy of their owner's facts.
    sqlx::query(
        "UPDATE plans SET owner_gender = (SELECT gender FROM users u WHERE u.id = plans.owner_id), \
         owner_birth_date = (SELECT birth_date FROM users u WHERE u.id = plans.owner_id)",
    )
    .execute(&t.state.pool)
    .await
    .unwrap();
    assert_eq!(titles(&t, &manager, &[("gender", "male")]).await, vec!["ورشة نجارة"]);
    assert_eq!(titles(&t, &manager, &[("gender", "female")]).await.len(), 2);
    assert_eq!(titles(&t, &manager, &[("age", "40+")]).await, vec!["ورشة نجارة"]);
    assert_eq!(titles(&t, &manager, &[("age", "30-39")]).await.len(), 2, "born 1995");
    assert!(titles(&t, &manager, &[("age", "16-24")]).await.is_empty());
    assert_eq!(titles(&t, &manager, &[("governorate", "gaza")]).await.len(), 3);
    assert!(titles(&t, &manager, &[("governorate", "rafah")]).await.is_empty());
    assert_eq!(
        titles(&t, &manager, &[("sector", "manufacturing_crafts")]).await.len(),
        3
    );
    assert!(titles(&t, &manager, &[("sector", "trade")]).await.is_empty());

    // Submitted between two dates: the submissions' own days are in (a run that crosses
    // midnight submits on two days); a past range is not.
    let (first, last): (i64, i64) = sqlx::query_as(
        "SELECT MIN(first_submitted_at), MAX(first_submitted_at) FROM plans WHERE first_submitted_at IS NOT NULL",
    )
    .fetch_one(&t.state.pool)
    .await
    .unwrap();
    let day = |at| domain::validation::Date::from_unix(at).iso();
    assert_eq!(
        titles(&t, &manager, &[("from", &day(first)), ("to", &day(last))])
            .await
            .len(),
        3
    );
    assert!(titles(&t, &manager, &[("from", "2020-01-01"), ("to", "2020-12-31")])
        .await
        .is_empty());
    // Filters combine.
    assert_eq!(
        titles(
            &t,
            &manager,
            &[("gender", "female"), ("assigned", "none"), ("q", "خياطه")]
        )
        .await,
        vec!["مشغل خياطة"]
    );
}

async fn the_queue_pages_without_gaps_or_repeats(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599000009", "", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    submitted_plan(&t, &owner, "الخطة الأولى").await;
    // Thirty more submitted plans, some entering their state at the same second, so the
    // id has to break ties.
    let owner_id = t
        .count("SELECT CAST(MAX(id) AS BIGINT) FROM users WHERE role = 'entrepreneur'")
        .await;
    for n in 0..30_i64 {
        sqlx::query(
            "INSERT INTO plans (owner_id, title, currency, status, created_at, updated_at, status_since, \
             first_submitted_at, search_title, owner_chamber_id) VALUES ($1, $2, 'ILS', 'submitted', 1, 1, $3, $3, $2, \
             (SELECT chamber_id FROM users WHERE id = $1))",
        )
        .bind(owner_id)
        .bind(format!("plan {n}"))
        .bind(1_700_000_000 + n / 3)
        .execute(&t.state.pool)
        .await
        .unwrap();
    }
    for sort in ["waiting", "submitted"] {
        let first = queue(&t, &manager, &[("sort", sort)]).await.json();
        assert_eq!(first["total"], json!(31));
        assert_eq!(first["rows"].as_array().map(Vec::len), Some(25));
        let after = first["next"].as_str().expect("a next page").to_string();
        let second = queue(&t, &manager, &[("sort", sort), ("after", &after)]).await.json();
        assert_eq!(second["total"], json!(31), "the count does not depend on the page");
        assert_eq!(second["rows"].as_array().map(Vec::len), Some(6));
        assert_eq!(second["next"], Value::Null, "the last page");
        let ids: Vec<i64> = [&first, &second]
            .iter()
            .flat_map(|p| p["rows"].as_array().cloned().unwrap_or_default())
            .map(|r| r["plan_id"].as_i64().unwrap())
            .collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 31, "{sort}: every plan once");
        let order: Vec<i64> = [&first, &second]
            .iter()
            .flat_map(|p| p["rows"].as_array().cloned().unwrap_or_default())
            .map(|r| r["submitted_at"].as_i64().unwrap())
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        if sort == "submitted" {
            sorted.reverse();
        }
        assert_eq!(order, sorted, "{sort}: in order across the pages");
    }
}

async fn the_queue_is_the_chambers_own_and_refuses_bad_filters(backend: Backend) {
    let t = app(backend).await;
    let gaza_owner = t.register("سارة أحمد", "0599000011", "", "gaza").await;
    let rafah_owner = t.register("ليلى خالد", "0599000012", "", "rafah").await;
    submitted_plan(&t, &gaza_owner, "مخبز غزة").await;
    submitted_plan(&t, &rafah_owner, "مخبز رفح").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("advisor", "advisor@rafah.ps", "rafah").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let gaza = t.login("manager@gaza.ps", PASSWORD).await;
    let rafah = t.login("advisor@rafah.ps", PASSWORD).await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;

    assert_eq!(titles(&t, &gaza, &[]).await, vec!["مخبز غزة"]);
    assert_eq!(titles(&t, &rafah, &[]).await, vec!["مخبز رفح"]);
    // A chamber filter in the URL does not open another chamber to its staff.
    let rafah_chamber = t
        .count("SELECT CAST(id AS BIGINT) FROM chambers WHERE code = 'rafah'")
        .await
        .to_string();
    assert_eq!(
        titles(&t, &gaza, &[("chamber", &rafah_chamber)]).await,
        vec!["مخبز غزة"]
    );
    // The Fund reads every chamber, and can narrow to one; rows name their chamber.
    assert_eq!(titles(&t, &fund, &[]).await.len(), 2);
    let rafah_only = queue(&t, &fund, &[("chamber", &rafah_chamber)]).await.json();
    assert_eq!(rafah_only["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        rafah_only["rows"][0]["chamber"]["en"],
        json!("Rafah Chamber of Commerce and Industry")
    );
    assert_eq!(rafah_only["every_chamber"], json!(true));
    // Entrepreneurs and strangers have no queue.
    assert_eq!(queue(&t, &gaza_owner, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.call("review/queue", "", None).await.status, StatusCode::UNAUTHORIZED);

    // Mistakes a person can type are told, field by field, all at once.
    let bad = queue(&t, &gaza, &[("from", "2026-13-01"), ("q", &"ب".repeat(101))]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<Value> = bad.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(fields, vec![json!("submitted_from"), json!("search")]);
    let backwards = queue(&t, &gaza, &[("from", "2026-05-01"), ("to", "2026-04-01")]).await;
    assert_eq!(backwards.json()["Invalid"][0]["field"], json!("submitted_to"));
    // Closed lists from an old or altered link are not applied rather than refused.
    assert_eq!(
        titles(&t, &gaza, &[("status", "bogus"), ("age", "99"), ("sort", "x")])
            .await
            .len(),
        1
    );
    assert_eq!(titles(&t, &gaza, &[("after", "not-a-cursor")]).await.len(), 1);
}

/// More plans than one page of the download (`EXPORT_PAGE` is 1,000): every one comes
/// once, in the queue's order, in both files, with the filters and the chamber rule of the
/// queue itself.
async fn the_whole_queue_downloads_page_by_page(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599000021", "", "gaza").await;
    let rafah_owner = t.register("ليلى خالد", "0599000022", "", "rafah").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    submitted_plan(&t, &owner, "=HYPERLINK(\"http://x\")").await;
    submitted_plan(&t, &rafah_owner, "مخبز رفح").await;
    let owner_id = t
        .count("SELECT CAST(MIN(id) AS BIGINT) FROM users WHERE role = 'entrepreneur'")
        .await;
    // 2,100 more, in review, entering their state three to a second (ties broken by id).
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2100) \
         INSERT INTO plans (owner_id, title, currency, status, created_at, updated_at, status_since, \
         first_submitted_at, search_title, owner_chamber_id) \
         SELECT $1, 'plan ' || i, 'ILS', 'in_review', 1, 1, 1700000000 + i / 3, 1700000000 + i / 3, 'plan', \
         (SELECT chamber_id FROM users WHERE id = $1) FROM n",
    )
    .bind(owner_id)
    .execute(&t.state.pool)
    .await
    .unwrap();

    let csv = t.get("/review/export/queue.csv", Some(&manager)).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(csv.bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM first");
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(lines[0], "رقم الخطة,عنوان الخطة,صاحب الخطة,الحالة,الأيام في هذه الحالة,المستشار/ة,أول تقديم,الدرجة (من 100),الملاحظات المفتوحة");
    assert_eq!(lines.last(), Some(&""), "ends with a line break");
    let rows = &lines[1..lines.len() - 1];
    assert_eq!(rows.len(), 2_101, "Gaza's plans only, every page");
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.split(',').next().unwrap().parse().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 2_101, "each plan once");
    // The formula-looking title is neutralised in the CSV, plain text in the workbook.
    assert!(
        csv.body.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","),
        "{}",
        &lines[1..3].join("\n")
    );
    let xlsx = t.get("/review/export/queue.xlsx", Some(&manager)).await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    let book = read_xlsx(&xlsx.bytes);
    assert_eq!(book.name, "قائمة المراجعة");
    assert!(book.right_to_left);
    assert_eq!(book.rows.len(), 2_102);
    let book_ids: Vec<i64> = book.rows[1..]
        .iter()
        .map(|r| match r[0] {
            XlsxCell::Number(n) => n as i64,
            ref other => panic!("a plan number, not {other:?}"),
        })
        .collect();
    assert_eq!(book_ids, ids, "the same plans in the same order");
    let formula = book
        .rows
        .iter()
        .find(|r| r[1] == XlsxCell::Text("=HYPERLINK(\"http://x\")".into()));
    let formula = formula.expect("the title kept as text");
    assert!(matches!(&formula[6], XlsxCell::Date(d) if d.len() == 10), "{formula:?}");

    // The queue's filters apply; the Fund reads every chamber, with the chamber named.
    let submitted = t.get("/review/export/queue.csv?status=submitted", Some(&manager)).await;
    assert_eq!(submitted.body.trim_end().lines().count(), 2, "{}", submitted.body);
    let every = t
        .get("/review/export/queue.csv?status=submitted&sort=submitted", Some(&fund))
        .await;
    let every: Vec<&str> = every.body.trim_end().lines().collect();
    assert_eq!(every.len(), 3, "{every:?}");
    assert_eq!(every[0].split(',').nth(3), Some("الغرفة"), "{}", every[0]);
    assert!(every.iter().any(|l| l.contains("مخبز رفح")), "{every:?}");
    let bad = t.get("/review/export/queue.csv?from=2026-13-01", Some(&manager)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(
        t.get("/review/export/plans.csv", Some(&manager)).await.status,
        StatusCode::NOT_FOUND
    );
    // Entrepreneurs have no queue to download; nobody signed in is sent to sign in.
    assert_eq!(
        t.get("/review/export/queue.csv", Some(&owner)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/review/export/queue.xlsx", None).await.status,
        StatusCode::SEE_OTHER
    );
}

async fn the_staff_home_counts_the_work_waiting(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599000021", "", "gaza").await;
    let laila = t.register("ليلى خالد", "0599000022", "", "gaza").await;
    let rafah_owner = t.register("هدى محمود", "0599000023", "", "rafah").await;
    let first = submitted_plan(&t, &sara, "مخبز").await;
    submitted_plan(&t, &laila, "مشغل").await;
    submitted_plan(&t, &rafah_owner, "ورشة").await;
    let advisor_id = t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    assign(&t, &manager, first, advisor_id).await;
    // A service request of a Gaza entrepreneur is open work for the Gaza chamber.
    let catalogue = t.call("services/catalogue", "", Some(&sara)).await.json();
    let service = catalogue[0]["id"].as_i64().expect("a service");
    let requested = t
        .call(
            "services/request",
            &form(&[("service_id", &service.to_string()), ("note", "")]),
            Some(&sara),
        )
        .await;
    assert_eq!(requested.status, StatusCode::OK, "{}", requested.body);

    let work = |cookie: String| {
        let t = &t;
        async move {
            let reply = t.call("case/workload", "", Some(&cookie)).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            reply.json()
        }
    };
    assert_eq!(
        work(advisor.clone()).await,
        json!({"my_reviews": 1, "unassigned": 1, "longest_wait_days": 0, "documents_waiting": 0, "requests_open": 1})
    );
    assert_eq!(
        work(manager.clone()).await["my_reviews"],
        json!(0),
        "the manager holds none"
    );
    // The Fund: every chamber, and no reviews of its own.
    assert_eq!(
        work(fund.clone()).await,
        json!({"my_reviews": 0, "unassigned": 2, "longest_wait_days": 0, "documents_waiting": 0, "requests_open": 1})
    );
    assert_eq!(
        work(sara.clone()).await,
        Value::Null,
        "an entrepreneur's home shows her own steps"
    );
    assert_eq!(t.call("case/workload", "", None).await.status, StatusCode::UNAUTHORIZED);
    // Every number is the length of the list its link opens.
    let mine = queue(&t, &advisor, &[("assigned", "me"), ("status", "in_review")])
        .await
        .json();
    assert_eq!(mine["total"], json!(1));
    let waiting = queue(&t, &manager, &[("assigned", "none"), ("status", "submitted")])
        .await
        .json();
    assert_eq!(waiting["total"], json!(1));
}

async fn score(t: &TestApp, cookie: &str, plan: i64, version: i64, fields: &[(&str, &str)]) -> Reply {
    let plan = plan.to_string();
    let version = version.to_string();
    let mut all = vec![
        ("input[plan_id]", plan.as_str()),
        ("input[rubric_version]", version.as_str()),
    ];
    all.extend_from_slice(fields);
    t.call("review/score", &form(&all), Some(cookie)).await
}

async fn sheet(t: &TestApp, cookie: &str, plan: i64) -> Reply {
    t.call("review/sheet", &form(&[("plan_id", &plan.to_string())]), Some(cookie))
        .await
}

async fn advisors_score_with_the_rubric_and_the_manager_reads_the_panel(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599000031", "", "gaza").await;
    let plan = submitted_plan(&t, &owner, "مخبز").await;
    let first_id = t.staff("advisor", "first@gaza.ps", "gaza").await;
    t.staff("advisor", "second@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@rafah.ps", "rafah").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let first = t.login("first@gaza.ps", PASSWORD).await;
    let second = t.login("second@gaza.ps", PASSWORD).await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let rafah = t.login("manager@rafah.ps", PASSWORD).await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let scores = [
        ("input[scores][0]", "4"),
        ("input[scores][1]", "3"),
        ("input[scores][2]", "5"),
        ("input[scores][3]", "2"),
        ("input[scores][4]", "٤"),
        ("input[scores][5]", "1"),
        ("input[scores][6]", "0"),
        ("input[comments][4]", "التدفق النقدي واقعي"),
        ("input[recommendation]", "maybe"),
        ("input[mode]", "score"),
    ];

    let rubric = t.call("review/rubric", "", Some(&first)).await.json();
    assert_eq!(rubric["version"], json!(1));
    assert_eq!(rubric["criteria"].as_array().map(Vec::len), Some(7));
    assert_eq!(rubric["criteria"][4]["weight"], json!(25));
    // Only a plan in review is scored.
    let early = score(&t, &first, plan, 1, &scores).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assign(&t, &manager, plan, first_id).await;

    // A missing score and no recommendation: told by field, nothing stored.
    let incomplete = score(&t, &first, plan, 1, &scores[..5]).await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<Value> = incomplete.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(fields, vec![json!("score"), json!("recommendation")]);
    let scored = score(&t, &first, plan, 1, &scores).await;
    assert_eq!(scored.status, StatusCode::OK, "{}", scored.body);
    let mine = sheet(&t, &first, plan).await.json();
    assert_eq!(mine["can_score"], json!(true));
    assert_eq!(
        mine["mine"]["verdict"],
        json!({"kind": "scored", "score": 6200, "recommendation": "maybe"})
    );
    assert_eq!(mine["mine"]["criteria"][4]["comment"], json!("التدفق النقدي واقعي"));
    assert_eq!(mine["panel"], json!([]), "an advisor sees only their own verdict");
    assert_eq!(mine["summary"], Value::Null);
    // The second advisor abstains; a reason is required.
    let bare = score(
        &t,
        &second,
        plan,
        1,
        &[("input[mode]", "abstain"), ("input[reason]", "")],
    )
    .await;
    assert_eq!(bare.json()["Invalid"][0]["field"], json!("abstain_reason"));
    let abstained = score(
        &t,
        &second,
        plan,
        1,
        &[("input[mode]", "abstain"), ("input[reason]", "صاحبة المشروع من أقاربي")],
    )
    .await;
    assert_eq!(abstained.status, StatusCode::OK, "{}", abstained.body);

    // The manager and the Fund read the panel: both verdicts, the average of those who scored.
    for reader in [&manager, &fund] {
        let panel = sheet(&t, reader, plan).await.json();
        assert_eq!(panel["panel"].as_array().map(Vec::len), Some(2));
        assert_eq!(panel["panel"][1]["verdict"], json!({"kind": "abstained"}));
        assert_eq!(panel["panel"][1]["reason"], json!("صاحبة المشروع من أقاربي"));
        assert_eq!(
            panel["summary"],
            json!({"average": 6200, "yes": 0, "maybe": 1, "no": 0, "abstained": 1})
        );
    }
    // The Fund reads but does not score; another chamber sees nothing; the owner has no sheet.
    assert_eq!(score(&t, &fund, plan, 1, &scores).await.status, StatusCode::FORBIDDEN);
    assert_eq!(sheet(&t, &rafah, plan).await.status, StatusCode::NOT_FOUND);
    assert_eq!(score(&t, &rafah, plan, 1, &scores).await.status, StatusCode::NOT_FOUND);
    assert_eq!(sheet(&t, &owner, plan).await.status, StatusCode::FORBIDDEN);
    // Nothing the owner can read of her plan carries a score, a recommendation or a reason.
    for (endpoint, body) in [
        ("case/plan", form(&[("plan_id", &plan.to_string())])),
        ("plans/get", form(&[("plan_id", &plan.to_string())])),
        ("case/file", String::new()),
        ("case/next-steps", String::new()),
    ] {
        let reply = t.call(endpoint, &body, Some(&owner)).await;
        assert_eq!(reply.status, StatusCode::OK, "{endpoint}: {}", reply.body);
        for secret in ["6200", "maybe", "أقاربي", "التدفق النقدي واقعي", "recommendation"] {
            assert!(!reply.body.contains(secret), "{endpoint} shows the owner {secret:?}");
        }
    }

    // The Fund edits the rubric: a new version; the score already given keeps its own.
    let advisor_edit = t
        .call(
            "review/rubric/save",
            &form(&[("criteria[0][name_ar]", "أ")]),
            Some(&first),
        )
        .await;
    assert_eq!(advisor_edit.status, StatusCode::FORBIDDEN);
    let unbalanced = t
        .call(
            "review/rubric/save",
            &form(&[
                ("criteria[0][name_ar]", "جدوى الفكرة"),
                ("criteria[0][name_en]", "Viability"),
                ("criteria[0][weight]", "50"),
                ("criteria[1][name_ar]", "السلامة المالية"),
                ("criteria[1][name_en]", "Finance"),
                ("criteria[1][weight]", "40"),
            ]),
            Some(&fund),
        )
        .await;
    assert_eq!(unbalanced.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unbalanced.json()["RubricInvalid"],
        json!([{"kind": "weights_total", "total": 90}])
    );
    let saved = t
        .call(
            "review/rubric/save",
            &form(&[
                ("criteria[0][name_ar]", "جدوى الفكرة"),
                ("criteria[0][name_en]", "Viability"),
                ("criteria[0][weight]", "٦٠"),
                ("criteria[1][name_ar]", "السلامة المالية"),
                ("criteria[1][name_en]", "Finance"),
                ("criteria[1][weight]", "40"),
                ("criteria[2][name_ar]", ""),
                ("criteria[2][name_en]", ""),
                ("criteria[2][weight]", ""),
            ]),
            Some(&fund),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json(), json!(2));
    let after = sheet(&t, &first, plan).await.json();
    assert_eq!(after["rubric"]["version"], json!(2));
    assert_eq!(after["mine"]["rubric_version"], json!(1));
    assert_eq!(
        after["mine"]["criteria"].as_array().map(Vec::len),
        Some(7),
        "scored on the old criteria"
    );
    assert_eq!(after["mine"]["verdict"]["score"], json!(6200), "unchanged by the edit");
    // A form drawn with the old rubric is refused rather than stored against new criteria.
    let stale = score(&t, &first, plan, 1, &scores).await;
    assert_eq!(
        stale.json()["Invalid"][0],
        json!({"field": "rubric", "problem": {"kind": "rubric_changed"}})
    );
    let rescored = score(
        &t,
        &first,
        plan,
        2,
        &[
            ("input[scores][0]", "5"),
            ("input[scores][1]", "0"),
            ("input[recommendation]", "yes"),
            ("input[mode]", "score"),
        ],
    )
    .await;
    assert_eq!(rescored.status, StatusCode::OK, "{}", rescored.body);
    let panel = sheet(&t, &manager, plan).await.json();
    assert_eq!(panel["summary"]["average"], json!(6000), "5/5 × 60");
    assert_eq!(panel["summary"]["yes"], json!(1));
    // Every score, abstention and rubric edit left an audit row.
    for (action, count) in [("score_plan", 2), ("abstain_from_plan", 1), ("edit_rubric", 1)] {
        assert_eq!(
            t.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"))
                .await,
            count,
            "{action}"
        );
    }
}
