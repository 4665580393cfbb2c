//! Plans of an entrepreneur: create, list, rename, soft-delete; nobody else may touch them.
use crate::support;

use app::db::Backend;
use axum::http::StatusCode;
use support::*;

on_both_databases!(
    an_entrepreneur_keeps_several_plans,
    bad_titles_and_currencies_change_nothing,
    other_people_cannot_touch_a_plan,
    deleted_drafts_are_kept_for_staff,
    staff_restore_deleted_drafts_of_their_chamber_only,
    sections_save_with_a_revision_check,
);

async fn create(t: &TestApp, cookie: &str, title: &str, currency: &str) -> Reply {
    t.call(
        "plans/create",
        &form(&[("title", title), ("currency", currency)]),
        Some(cookie),
    )
    .await
}

async fn an_entrepreneur_keeps_several_plans(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    assert_eq!(
        t.call("plans/list", "", Some(&sara)).await.json(),
        serde_json::json!([])
    );
    let first = create(&t, &sara, "  مشغل   خياطة ", "ILS").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let second = create(&t, &sara, "مخبز العائلة", "JOD").await.json().as_i64().unwrap();
    let list = t.call("plans/list", "", Some(&sara)).await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["title"], "مشغل خياطة", "spaces folded");
    assert_eq!(list[1]["currency"], "ILS");
    assert_eq!(list[1]["status"], "draft");
    let renamed = t
        .call(
            "plans/rename",
            &form(&[("plan_id", &second.to_string()), ("title", "مخبز الحي")]),
            Some(&sara),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let list = t.call("plans/list", "", Some(&sara)).await.json();
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"مخبز الحي") && !titles.contains(&"مخبز العائلة"));
    // The limit: 20 plans at a time.
    for n in 0..18 {
        assert_eq!(
            create(&t, &sara, &format!("خطة {n}"), "USD").await.status,
            StatusCode::OK
        );
    }
    let over = create(&t, &sara, "خطة زائدة", "USD").await;
    assert_eq!(
        over.json()["Invalid"][0]["problem"],
        serde_json::json!({"kind": "too_many", "max": 20})
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM plans").await, 20);
}

async fn bad_titles_and_currencies_change_nothing(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let empty = create(&t, &sara, "   ", "ILS").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        empty.json()["Invalid"],
        serde_json::json!([{"field": "plan_title", "problem": {"kind": "required"}}])
    );
    // A currency outside the list does not even read: the same 400 in every area.
    let euro = create(&t, &sara, "خطة باليورو", "EUR").await;
    assert_eq!(euro.status, StatusCode::BAD_REQUEST);
    assert_eq!(euro.json(), serde_json::json!("BadRequest"));
    let long = create(&t, &sara, &"خ".repeat(121), "ILS").await;
    assert_eq!(
        long.json()["Invalid"][0]["problem"],
        serde_json::json!({"kind": "too_long", "max": 120})
    );
    let spoofed = create(&t, &sara, "خطة\u{202E}مقلوبة", "ILS").await;
    assert_eq!(spoofed.json()["Invalid"][0]["problem"]["kind"], "control_characters");
    assert_eq!(t.count("SELECT COUNT(*) FROM plans").await, 0);
}

async fn other_people_cannot_touch_a_plan(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let laila = t.register("ليلى خالد", "0569123456", "", "gaza").await;
    let plan = create(&t, &sara, "مشغل خياطة", "ILS")
        .await
        .json()
        .as_i64()
        .unwrap()
        .to_string();
    let rename = t
        .call(
            "plans/rename",
            &form(&[("plan_id", &plan), ("title", "سرقة")]),
            Some(&laila),
        )
        .await;
    assert_eq!(rename.status, StatusCode::NOT_FOUND);
    let delete = t.call("plans/delete", &form(&[("plan_id", &plan)]), Some(&laila)).await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.call("plans/list", "", Some(&laila)).await.json(),
        serde_json::json!([])
    );
    // Staff do not create or list entrepreneurs' own plans through these functions.
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    assert_eq!(create(&t, &advisor, "خطة", "ILS").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.call("plans/list", "", Some(&advisor)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(t.call("plans/list", "", None).await.status, StatusCode::UNAUTHORIZED);
    let (title,): (String,) = sqlx::query_as("SELECT title FROM plans")
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(title, "مشغل خياطة");
}

async fn deleted_drafts_are_kept_for_staff(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let plan = create(&t, &sara, "مشغل خياطة", "ILS")
        .await
        .json()
        .as_i64()
        .unwrap()
        .to_string();
    let deleted = t.call("plans/delete", &form(&[("plan_id", &plan)]), Some(&sara)).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(
        t.call("plans/list", "", Some(&sara)).await.json(),
        serde_json::json!([])
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM plans WHERE deleted_at IS NOT NULL").await,
        1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'delete_plan'")
            .await,
        1
    );
    // Deleting again, or renaming a deleted plan, finds nothing.
    assert_eq!(
        t.call("plans/delete", &form(&[("plan_id", &plan)]), Some(&sara))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Only drafts may be deleted by their owner.
    let other = create(&t, &sara, "مخبز", "ILS").await.json().as_i64().unwrap();
    sqlx::query("UPDATE plans SET status = 'submitted' WHERE id = $1")
        .bind(other)
        .execute(&t.state.pool)
        .await
        .unwrap();
    let refused = t
        .call("plans/delete", &form(&[("plan_id", &other.to_string())]), Some(&sara))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn save(t: &TestApp, cookie: &str, plan: &str, section: &str, body: &str, revision: i64) -> Reply {
    let form = form(&[
        ("plan_id", plan),
        ("section", section),
        ("body", body),
        ("revision", &revision.to_string()),
    ]);
    t.call("plans/section/save", &form, Some(cookie)).await
}

async fn sections_save_with_a_revision_check(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let plan = create(&t, &sara, "مشغل خياطة", "ILS")
        .await
        .json()
        .as_i64()
        .unwrap()
        .to_string();
    let detail = t
        .call("plans/get", &form(&[("plan_id", &plan)]), Some(&sara))
        .await
        .json();
    assert_eq!(detail["revision"], 1);
    assert_eq!(detail["sections"], serde_json::json!([]));

    let idea = "فساتين جاهزة بأسعار مناسبة بدل الاستيراد،\r\nفي محل صغير وسط خان يونس.";
    let first = save(&t, &sara, &plan, "idea", idea, 1).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json(), 2);
    // Another device still at revision 1: refused, with what the server has.
    let stale = save(&t, &sara, &plan, "idea", "نص من جهاز آخر", 1).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(
        stale.json(),
        serde_json::json!({"Conflict": {"revision": 2, "saved": idea.replace("\r\n", "\n")}})
    );
    // Saving again from the server's revision keeps the newer text.
    assert_eq!(save(&t, &sara, &plan, "idea", "نص من جهاز آخر", 2).await.json(), 3);
    let detail = t
        .call("plans/get", &form(&[("plan_id", &plan)]), Some(&sara))
        .await
        .json();
    assert_eq!(detail["sections"], serde_json::json!([["idea", "نص من جهاز آخر"]]));

    let long = save(&t, &sara, &plan, "market", &"س".repeat(10_001), 3).await;
    assert_eq!(
        long.json()["Invalid"][0]["problem"],
        serde_json::json!({"kind": "too_long", "max": 10000})
    );
    assert_eq!(
        save(&t, &sara, &plan, "team", "جدول", 3).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        save(&t, &sara, &plan, "../../etc", "x", 3).await.status,
        StatusCode::BAD_REQUEST
    );
    let laila = t.register("ليلى خالد", "0569123456", "", "gaza").await;
    assert_eq!(
        save(&t, &laila, &plan, "idea", "x", 3).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.call("plans/get", &form(&[("plan_id", &plan)]), Some(&laila))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    sqlx::query("UPDATE plans SET status = 'submitted'")
        .execute(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(
        save(&t, &sara, &plan, "idea", "تعديل بعد التقديم", 3).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.count("SELECT revision FROM plans").await,
        3,
        "refused saves change nothing"
    );
}

async fn staff_restore_deleted_drafts_of_their_chamber_only(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let plan = create(&t, &sara, "مشغل خياطة", "ILS")
        .await
        .json()
        .as_i64()
        .unwrap()
        .to_string();
    t.call("plans/delete", &form(&[("plan_id", &plan)]), Some(&sara)).await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@hebron.ps", "hebron").await;
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    let gaza = t.login("manager@gaza.ps", PASSWORD).await;
    let hebron = t.login("manager@hebron.ps", PASSWORD).await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    // Who sees it: the manager of the owner's chamber, not another chamber's, not advisors
    // and not entrepreneurs.
    let listed = t.call("plans/deleted", "", Some(&gaza)).await.json();
    assert_eq!(listed[0]["title"], "مشغل خياطة");
    assert_eq!(listed[0]["owner_name"], "سارة أحمد");
    assert_eq!(
        t.call("plans/deleted", "", Some(&hebron)).await.json(),
        serde_json::json!([])
    );
    assert_eq!(
        t.call("plans/deleted", "", Some(&advisor)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.call("plans/deleted", "", Some(&sara)).await.status,
        StatusCode::FORBIDDEN
    );
    let restore = |cookie: String| {
        let body = form(&[("plan_id", &plan)]);
        let t = &t;
        async move { t.call("plans/restore", &body, Some(&cookie)).await }
    };
    assert_eq!(restore(hebron.clone()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(restore(advisor.clone()).await.status, StatusCode::FORBIDDEN);
    let back = restore(gaza.clone()).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(
        t.call("plans/list", "", Some(&sara)).await.json()[0]["title"],
        "مشغل خياطة"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'restore_plan'")
            .await,
        1
    );
    // Restoring twice finds nothing to restore.
    assert_eq!(restore(gaza).await.status, StatusCode::NOT_FOUND);
}
