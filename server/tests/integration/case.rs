//! A plan's lifecycle through the real server functions, on SQLite and PostgreSQL: submission
//! freezes a revision the chamber reads, review steps by the right people only, every step
//! an event in order, and illegal steps refused with their reason.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use serde_json::{json, Value};

on_both_databases!(
    a_plan_goes_through_review_and_back,
    illegal_steps_are_refused,
    notifications_tell_each_person_their_part,
    a_case_stays_with_its_chamber_unless_staff_move_it,
);

const FULL_PLAN: &str = include_str!("../fixtures/full-plan.json");

async fn import(t: &TestApp, cookie: &str) -> i64 {
    let reply = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json().as_i64().expect("plan id")
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

async fn case(t: &TestApp, cookie: &str, plan: i64) -> Reply {
    t.call("case/plan", &form(&[("plan_id", &plan.to_string())]), Some(cookie))
        .await
}

async fn idea_text(t: &TestApp, cookie: &str, plan: i64) -> Value {
    let detail = t
        .call("plans/get", &form(&[("plan_id", &plan.to_string())]), Some(cookie))
        .await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    detail.json()["sections"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .find(|pair| pair[0] == json!("idea"))
                .map(|pair| pair[1].clone())
        })
        .unwrap_or(Value::Null)
}

async fn a_plan_goes_through_review_and_back(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let plan = import(&t, &owner).await;
    let advisor_id = t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    // A draft is the owner's alone.
    assert_eq!(case(&t, &manager, plan).await.status, StatusCode::NOT_FOUND);
    let mine = case(&t, &owner, plan).await.json();
    assert_eq!(mine["status"], json!("draft"));
    assert_eq!(mine["actions"], json!(["submit", "withdraw"]));

    // Home: the complete draft is to be submitted, and the plan's documents uploaded.
    let home = t.call("case/next-steps", "", Some(&owner)).await.json();
    assert_eq!(
        home["steps"][0],
        json!({"kind": "submit_plan", "plan_id": plan, "title": "مشغل خياطة أم أحمد"})
    );
    assert_eq!(
        home["steps"][1],
        json!({"kind": "upload_document", "doc_type": "id_copy"})
    );
    assert_eq!(home["journey"][3], json!(1));
    assert_eq!(
        t.call("case/next-steps", "", Some(&manager)).await.json(),
        json!({"steps": [], "journey": null}),
        "staff have no entrepreneur's steps"
    );
    let submitted = step(&t, &owner, plan, "submit", "", None).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.json(), json!("submitted"));
    let original = idea_text(&t, &manager, plan).await;
    assert!(original.is_string(), "the chamber reads the submitted revision");
    // Submitted: the owner can no longer write.
    let save = t
        .call(
            "plans/section/save",
            &form(&[
                ("plan_id", &plan.to_string()),
                ("section", "idea"),
                ("body", "تعديل"),
                ("revision", "2"),
            ]),
            Some(&owner),
        )
        .await;
    assert_eq!(save.status, StatusCode::FORBIDDEN);

    // The chamber's list shows submitted plans only, to the chamber's staff and the Fund.
    let listed = t.call("review/queue", "", Some(&manager)).await.json()["rows"].clone();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["plan_id"], json!(plan));
    assert_eq!(listed[0]["status"], json!("submitted"));
    assert_eq!(listed[0]["owner_name"], json!("سارة أحمد"));
    assert_eq!(
        t.call("review/queue", "", Some(&fund)).await.json()["rows"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        t.call("review/queue", "", Some(&owner)).await.status,
        StatusCode::FORBIDDEN
    );
    let for_manager = case(&t, &manager, plan).await.json();
    assert_eq!(for_manager["actions"], json!(["assign"]));
    assert_eq!(for_manager["advisors"][0][0], json!(advisor_id));
    assert_eq!(
        step(&t, &manager, plan, "assign", "", Some(advisor_id)).await.json(),
        json!("in_review")
    );
    assert_eq!(
        case(&t, &advisor, plan).await.json()["assigned_to"],
        json!("Staff advisor@gaza.ps")
    );
    let changes = step(
        &t,
        &advisor,
        plan,
        "request_changes",
        "يرجى توضيح خطة التسويق وأسعار المنافسين",
        None,
    )
    .await;
    assert_eq!(changes.json(), json!("changes_requested"));

    let home = t.call("case/next-steps", "", Some(&owner)).await.json();
    assert_eq!(home["steps"][0]["kind"], json!("answer_changes"));
    assert_eq!(home["journey"][2], json!("changes_requested"));
    assert_eq!(home["journey"][3], json!(3));
    // The owner edits; the chamber still reads revision 1 until the plan is sent again.
    let revision = t.count(&format!("SELECT revision FROM plans WHERE id = {plan}")).await;
    let edited = t
        .call(
            "plans/section/save",
            &form(&[
                ("plan_id", &plan.to_string()),
                ("section", "idea"),
                (
                    "body",
                    "فكرة معدلة بعد ملاحظات المستشار: مخبز يبيع الخبز البلدي والمعجنات للأحياء المجاورة",
                ),
                ("revision", &revision.to_string()),
            ]),
            Some(&owner),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(idea_text(&t, &manager, plan).await, original);
    assert_eq!(
        step(&t, &owner, plan, "submit", "", None).await.json(),
        json!("in_review"),
        "a resubmission goes straight back to the advisor who asked for changes"
    );
    assert_eq!(
        idea_text(&t, &manager, plan).await,
        json!("فكرة معدلة بعد ملاحظات المستشار: مخبز يبيع الخبز البلدي والمعجنات للأحياء المجاورة")
    );
    assert_eq!(
        step(&t, &manager, plan, "approve", "خطة واضحة", None).await.json(),
        json!("approved")
    );
    assert_eq!(
        step(&t, &manager, plan, "refer", "", None).await.json(),
        json!("referred")
    );
    assert_eq!(
        step(&t, &fund, plan, "mark_funded", "", None).await.json(),
        json!("funded")
    );

    let history = case(&t, &owner, plan).await.json();
    let steps: Vec<(Value, Value, Value)> = history["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["action"].clone(), e["from"].clone(), e["to"].clone()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (json!("submit"), json!("draft"), json!("submitted")),
            (json!("assign"), json!("submitted"), json!("in_review")),
            (json!("request_changes"), json!("in_review"), json!("changes_requested")),
            (json!("submit"), json!("changes_requested"), json!("in_review")),
            (json!("approve"), json!("in_review"), json!("approved")),
            (json!("refer"), json!("approved"), json!("referred")),
            (json!("mark_funded"), json!("referred"), json!("funded")),
        ]
    );
    assert_eq!(
        history["events"][2]["message"],
        json!("يرجى توضيح خطة التسويق وأسعار المنافسين")
    );
    assert_eq!(history["events"][3]["revision"], json!(2));
    assert_eq!(history["revisions"].as_array().map(Vec::len), Some(2));
    assert_eq!(history["staff_view"], json!(false));
    assert_eq!(history["assigned_to"], Value::Null, "the owner is not told who reviews");
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM audit_log WHERE object_type = 'plan' AND action IN \
             ('submit_plan', 'pick_up_plan', 'assign_plan', 'request_plan_changes', 'approve_plan', 'reject_plan', \
              'refer_plan', 'mark_plan_funded', 'mark_plan_operating', 'withdraw_plan')"
        )
        .await,
        7
    );
}

async fn illegal_steps_are_refused(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let stranger = t.register("ليلى خالد", "0569123456", "", "gaza").await;
    let advisor_id = t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    let elsewhere_id = t.staff("advisor", "advisor@hebron.ps", "hebron").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@hebron.ps", "hebron").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let other_manager = t.login("manager@hebron.ps", PASSWORD).await;
    // An empty plan is not ready: nothing moves, nothing is frozen.
    let empty = t
        .call(
            "plans/create",
            &form(&[("title", "خطة فارغة"), ("currency", "ILS")]),
            Some(&owner),
        )
        .await
        .json()
        .as_i64()
        .expect("plan");
    assert_eq!(
        t.call("review/queue", "", Some(&manager)).await.json()["rows"],
        json!([]),
        "drafts are not listed"
    );
    let not_ready = step(&t, &owner, empty, "submit", "", None).await;
    assert_eq!(not_ready.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_ready.json(), json!({"Refused": "not_ready"}));
    assert_eq!(t.count("SELECT COUNT(*) FROM plan_revisions").await, 0);

    let plan = import(&t, &owner).await;
    assert_eq!(
        step(&t, &stranger, plan, "submit", "", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        step(&t, &manager, plan, "assign", "", Some(advisor_id)).await.status,
        StatusCode::NOT_FOUND,
        "drafts are private"
    );
    assert_eq!(
        step(&t, &owner, plan, "approve", "", None).await.json(),
        json!({"Refused": "wrong_state"})
    );
    // An action outside the lifecycle does not even read: the same 400 in every area.
    let unknown = step(&t, &owner, plan, "publish", "", None).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json(), json!("BadRequest"));
    assert_eq!(step(&t, &owner, plan, "submit", "", None).await.status, StatusCode::OK);
    // Submitted: only the chamber's manager assigns, only its advisors pick up.
    assert_eq!(
        step(&t, &owner, plan, "assign", "", Some(advisor_id)).await.json(),
        json!({"Refused": "not_theirs"})
    );
    assert_eq!(
        step(&t, &advisor, plan, "assign", "", Some(advisor_id)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        step(&t, &other_manager, plan, "assign", "", Some(elsewhere_id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.call("review/queue", "", Some(&other_manager)).await.json()["rows"],
        json!([])
    );
    let foreign = step(&t, &manager, plan, "assign", "", Some(elsewhere_id)).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(foreign.json()["Invalid"][0]["field"], json!("advisor"));
    assert_eq!(
        step(&t, &manager, plan, "approve", "", None).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        step(&t, &manager, plan, "assign", "", Some(advisor_id)).await.status,
        StatusCode::OK
    );
    // In review: changes are requested with a message; the advisor does not decide.
    let silent = step(&t, &advisor, plan, "request_changes", "  ", None).await;
    assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(silent.json()["Invalid"][0]["field"], json!("message"));
    assert_eq!(
        step(&t, &advisor, plan, "approve", "", None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        step(&t, &owner, plan, "withdraw", "", None).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        step(&t, &manager, plan, "reject", "", None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        step(&t, &manager, plan, "reject", "المشروع غير مجدٍ ماليًا", None)
            .await
            .json(),
        json!("rejected")
    );
    // Rejected is final.
    for (cookie, action) in [
        (&owner, "submit"),
        (&owner, "withdraw"),
        (&manager, "approve"),
        (&manager, "refer"),
    ] {
        assert_eq!(
            step(&t, cookie, plan, action, "", None).await.status,
            StatusCode::CONFLICT,
            "{action}"
        );
    }
    assert_eq!(
        t.count(&format!("SELECT COUNT(*) FROM plan_events WHERE plan_id = {plan}"))
            .await,
        3
    );
}

async fn inbox(t: &TestApp, cookie: &str) -> Value {
    let reply = t.call("notifications/list", "", Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn notifications_tell_each_person_their_part(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let advisor_id = t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@hebron.ps", "hebron").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let other_manager = t.login("manager@hebron.ps", PASSWORD).await;
    let plan = import(&t, &owner).await;
    step(&t, &owner, plan, "submit", "", None).await;
    // The chamber's manager hears of the submission; the other chamber's does not.
    let told = inbox(&t, &manager).await;
    assert_eq!(told["unread"], json!(1));
    assert_eq!(
        told["items"][0]["topic"],
        json!({"topic": "plan_step", "action": "submit"})
    );
    assert_eq!(told["items"][0]["plan_id"], json!(plan));
    assert_eq!(inbox(&t, &other_manager).await["unread"], json!(0));
    assert_eq!(
        inbox(&t, &owner).await["unread"],
        json!(0),
        "nobody is told of their own step"
    );
    step(&t, &manager, plan, "assign", "", Some(advisor_id)).await;
    assert_eq!(
        inbox(&t, &advisor).await["items"][0]["topic"]["action"],
        json!("assign")
    );
    step(&t, &advisor, plan, "request_changes", "أضيفوا أسعار المنافسين", None).await;
    let mine = inbox(&t, &owner).await;
    assert_eq!(mine["unread"], json!(1));
    assert_eq!(
        mine["items"][0]["topic"],
        json!({"topic": "plan_step", "action": "request_changes"})
    );
    assert_eq!(mine["items"][0]["message"], json!("أضيفوا أسعار المنافسين"));
    assert_eq!(t.call("notifications/unread", "", Some(&owner)).await.json(), json!(1));
    // A document decision is told too, with the reason.
    let document = t
        .upload(&owner, "id_copy", "id.pdf", b"%PDF-1.4\nhello\n%%EOF\n", None)
        .await
        .json()["document"]["id"]
        .as_i64()
        .expect("document");
    t.call(
        "documents/review",
        &form(&[
            ("document_id", &document.to_string()),
            ("decision", "reject"),
            ("reason", "الصورة غير واضحة"),
        ]),
        Some(&advisor),
    )
    .await;
    let mine = inbox(&t, &owner).await;
    assert_eq!(mine["unread"], json!(2));
    assert_eq!(
        mine["items"][0]["topic"],
        json!({"topic": "document_reviewed", "action": "rejected"})
    );
    assert_eq!(mine["items"][0]["document_type"], json!("id_copy"));
    assert_eq!(mine["items"][0]["message"], json!("الصورة غير واضحة"));
    // Marking read: one, then all; someone else's cannot be touched.
    let first = mine["items"][0]["id"].as_i64().expect("id").to_string();
    assert_eq!(
        t.call(
            "notifications/read",
            &form(&[("notification_id", &first)]),
            Some(&advisor)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.call(
            "notifications/read",
            &form(&[("notification_id", &first)]),
            Some(&owner)
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(inbox(&t, &owner).await["unread"], json!(1));
    t.call("notifications/read", &form(&[("notification_id", "0")]), Some(&owner))
        .await;
    assert_eq!(inbox(&t, &owner).await["unread"], json!(0));
    assert_eq!(t.call("notifications/unread", "", None).await.json(), json!(0));
}

async fn can_move(t: &TestApp, cookie: &str, user: &str) -> Value {
    t.call("case/file", &form(&[("user_id", user)]), Some(cookie))
        .await
        .json()["can_move"]
        .clone()
}

async fn move_to(t: &TestApp, user: &str, chamber: &str, cookie: Option<&str>) -> Reply {
    t.call(
        "case/move-chamber",
        &form(&[("user_id", user), ("chamber", chamber)]),
        cookie,
    )
    .await
}

/// Her profile with the chamber and governorate given (the rest as registered).
fn profile_with(governorate: &str, chamber: &str) -> String {
    form(&[
        ("input[full_name]", "سارة أحمد"),
        ("input[phone]", "0599123456"),
        ("input[email]", ""),
        ("input[gender]", "female"),
        ("input[birth_date]", "1995-04-01"),
        ("input[governorate]", governorate),
        ("input[chamber]", chamber),
    ])
}

async fn a_case_stays_with_its_chamber_unless_staff_move_it(backend: Backend) {
    let t = app(backend).await;
    let owner = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let other = t.register("ليلى حسن", "0599765432", "", "gaza").await;
    let plan = import(&t, &owner).await;
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    t.staff("advisor", "advisor@rafah.ps", "rafah").await;
    t.staff("chamber-manager", "manager@rafah.ps", "rafah").await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let gaza_advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let gaza_manager = t.login("manager@gaza.ps", PASSWORD).await;
    let rafah_advisor = t.login("advisor@rafah.ps", PASSWORD).await;
    let rafah_manager = t.login("manager@rafah.ps", PASSWORD).await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let her_id = t
        .count("SELECT id FROM users WHERE phone = '0599123456'")
        .await
        .to_string();
    let chamber_of_plan = format!("SELECT owner_chamber_id FROM plans WHERE id = {plan}");
    let gaza = t.count("SELECT id FROM chambers WHERE code = 'gaza'").await;
    let rafah = t.count("SELECT id FROM chambers WHERE code = 'rafah'").await;

    // With only a draft, nothing of hers is with a chamber: she moves herself, and back.
    let away = t.call("profile/update", &profile_with("rafah", ""), Some(&owner)).await;
    assert_eq!(away.status, StatusCode::OK, "{}", away.body);
    assert_eq!(t.count(&chamber_of_plan).await, rafah, "the draft goes with her");
    let back = t.call("profile/update", &profile_with("gaza", ""), Some(&owner)).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);

    // Submitted, the plan is Gaza's case: she can no longer take it elsewhere herself,
    // neither by choosing another chamber nor by a governorate whose chamber differs.
    assert_eq!(step(&t, &owner, plan, "submit", "", None).await.status, StatusCode::OK);
    for (governorate, chamber) in [("gaza", "rafah"), ("rafah", "")] {
        let refused = t
            .call("profile/update", &profile_with(governorate, chamber), Some(&owner))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert_eq!(
            refused.json()["Invalid"],
            json!([{"field": "chamber", "problem": {"kind": "case_with_chamber"}}])
        );
    }
    // The title goes with the plan under review: no renaming until the chamber asks for
    // changes.
    let renamed = t
        .call(
            "plans/rename",
            &form(&[("plan_id", &plan.to_string()), ("title", "اسم آخر للخطة")]),
            Some(&owner),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::FORBIDDEN, "{}", renamed.body);
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM plans WHERE id = {plan} AND title = 'مشغل خياطة أم أحمد'"
        ))
        .await,
        1
    );
    let kept = t.call("profile/get", "", Some(&owner)).await.json();
    assert_eq!(kept["chamber_code"], "gaza");
    assert_eq!(t.count(&chamber_of_plan).await, gaza);
    assert_eq!(case(&t, &gaza_advisor, plan).await.status, StatusCode::OK);
    assert_eq!(case(&t, &rafah_advisor, plan).await.status, StatusCode::NOT_FOUND);
    // Living in Rafah while her case stays in Gaza is her right.
    let lives_in_rafah = t
        .call("profile/update", &profile_with("rafah", "gaza"), Some(&owner))
        .await;
    assert_eq!(lives_in_rafah.status, StatusCode::OK, "{}", lives_in_rafah.body);

    // Staff move it: only Gaza's manager or the Fund; the case file says who may.
    assert_eq!(can_move(&t, &gaza_manager, &her_id).await, json!(true));
    assert_eq!(can_move(&t, &fund, &her_id).await, json!(true));
    assert_eq!(can_move(&t, &gaza_advisor, &her_id).await, json!(false));
    assert_eq!(
        move_to(&t, &her_id, "rafah", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        move_to(&t, &her_id, "rafah", Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        move_to(&t, &her_id, "rafah", Some(&owner)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        move_to(&t, &her_id, "rafah", Some(&rafah_manager)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        move_to(&t, &her_id, "rafah", Some(&gaza_advisor)).await.status,
        StatusCode::FORBIDDEN
    );
    let unknown = move_to(&t, &her_id, "atlantis", Some(&gaza_manager)).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
    assert_eq!(
        unknown.json()["Invalid"],
        json!([{"field": "chamber", "problem": {"kind": "unknown_choice"}}])
    );
    assert_eq!(t.count(&chamber_of_plan).await, gaza, "nothing moved on a refusal");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'move_chamber'")
            .await,
        0
    );

    let moved = move_to(&t, &her_id, "rafah", Some(&gaza_manager)).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(t.count(&chamber_of_plan).await, rafah);
    assert_eq!(
        t.call("profile/get", "", Some(&owner)).await.json()["chamber_code"],
        "rafah"
    );
    assert_eq!(case(&t, &rafah_advisor, plan).await.status, StatusCode::OK);
    assert_eq!(case(&t, &gaza_advisor, plan).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'move_chamber' AND object_id = {her_id}"
        ))
        .await,
        1
    );
    // Gaza's manager no longer holds her case; the Fund still moves it.
    assert_eq!(
        move_to(&t, &her_id, "gaza", Some(&gaza_manager)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(move_to(&t, &her_id, "gaza", Some(&fund)).await.status, StatusCode::OK);
    assert_eq!(t.count(&chamber_of_plan).await, gaza);
}
