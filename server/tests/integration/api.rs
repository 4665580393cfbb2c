//! Server functions and authorisation, against real SQLite and PostgreSQL databases.
use crate::support;

use app::db::Backend;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use support::*;

on_both_databases!(
    an_open_session_cannot_guess_the_password,
    reference_data_is_seeded_once,
    registration_signs_in_and_defaults_the_chamber,
    bad_registrations_change_nothing,
    duplicate_phone_or_email_is_refused,
    oversized_body_is_refused,
    sign_in_does_not_reveal_accounts_and_is_throttled,
    sign_out_ends_the_session_on_the_server,
    advisor_is_forbidden_from_fund_functions,
    entrepreneurs_cannot_read_each_other,
    deactivation_ends_sessions_and_blocks_sign_in,
    password_change_ends_other_sessions,
    a_session_ended_meanwhile_is_not_written_back,
    one_address_opens_a_bounded_number_of_accounts,
    a_burst_of_sign_ins_runs_no_more_checks_than_the_limit,
    profile_update_validates_and_saves,
    cross_site_posts_are_refused,
    pages_render_in_arabic_by_default_and_english_on_request,
    every_answer_names_its_request,
    unknown_pages_know_who_is_signed_in,
    public_pages_ship_no_webassembly_and_the_app_pages_do,
    entrepreneurs_get_the_islands_build_and_staff_the_whole_app,
    a_plain_form_post_comes_back_marked_done,
    no_cache_keeps_personal_answers_and_https_is_remembered,
    a_guesser_elsewhere_cannot_lock_the_owner_out,
    forwarded_addresses_are_believed_only_from_trusted_proxies,
    a_session_lives_while_used_and_no_longer_than_its_limit,
    ready_only_while_the_database_answers,
    signing_in_gives_a_new_session_id,
    failed_posts_of_visitors_write_nothing_on_the_server,
);

async fn reference_data_is_seeded_once(backend: Backend) {
    let t = app(backend).await;
    assert_eq!(t.count("SELECT COUNT(*) FROM governorates").await, 16);
    assert_eq!(t.count("SELECT COUNT(*) FROM chambers").await, 16);
    assert_eq!(t.count("SELECT COUNT(*) FROM sectors").await, 11);
    // Running migrations and the seed again (every start does) adds nothing.
    app::db::migrate(&t.state.pool, backend).await.expect("second migrate");
    assert_eq!(t.count("SELECT COUNT(*) FROM chambers").await, 16);
    let reply = t.call("reference/choices", "", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let gaza = &reply.json()["chambers"][0];
    assert_eq!(gaza["code"], "gaza");
    assert_eq!(gaza["name"]["ar"], "غرفة تجارة وصناعة غزة");
    if backend == Backend::Sqlite {
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(&t.state.pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
            .fetch_one(&t.state.pool)
            .await
            .unwrap();
        assert_eq!(fk, 1);
    }
}

async fn registration_signs_in_and_defaults_the_chamber(backend: Backend) {
    let t = app(backend).await;
    let cookie = t
        .register("سارة أحمد", "+970 59 912 3456", "Sara@Example.ps", "khan_younis")
        .await;
    let me = t.call("auth/me", "", Some(&cookie)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["full_name"], "سارة أحمد");
    assert_eq!(me.json()["role"], "entrepreneur");
    let profile = t.call("profile/get", "", Some(&cookie)).await.json();
    assert_eq!(profile["phone"], "0599123456");
    assert_eq!(profile["email"], "sara@example.ps");
    assert_eq!(profile["chamber_code"], "khan_younis");
    // The password is stored as an argon2id hash, never as typed.
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users")
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    // Sign in again with the same phone typed another way, in Arabic-Indic digits.
    t.login("٠٥٩٩١٢٣٤٥٦", PASSWORD).await;
}

async fn bad_registrations_change_nothing(backend: Backend) {
    let t = app(backend).await;
    let empty = t.call("auth/register", &registration("", "", "", ""), None).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = empty.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["full_name", "phone", "governorate"]);

    // A form with unchecked radios and missing fields is a person's mistake, not a bad request.
    let sparse = t
        .call("auth/register", &form(&[("input[full_name]", "سارة أحمد")]), None)
        .await;
    assert_eq!(sparse.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", sparse.body);
    assert_eq!(sparse.json()["Invalid"].as_array().unwrap().len(), 5);

    let bad_phone = t
        .call(
            "auth/register",
            &registration("سارة أحمد", "0521234567", "", "gaza"),
            None,
        )
        .await;
    assert_eq!(bad_phone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_phone.json()["Invalid"][0]["field"], "phone");
    assert_eq!(bad_phone.json()["Invalid"][0]["problem"]["kind"], "invalid_phone");

    let short_password = registration("سارة أحمد", "0599123456", "", "gaza").replace(&enc(PASSWORD), "short");
    let reply = t.call("auth/register", &short_password, None).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.json()["Invalid"][0]["problem"],
        serde_json::json!({"kind": "too_short", "min": 8})
    );

    let unknown_governorate = t
        .call(
            "auth/register",
            &registration("سارة أحمد", "0599123456", "", "atlantis"),
            None,
        )
        .await;
    assert_eq!(unknown_governorate.json()["Invalid"][0]["field"], "governorate");
    assert_eq!(t.users().await, 0, "nothing may be stored after refused registrations");
}

async fn duplicate_phone_or_email_is_refused(backend: Backend) {
    let t = app(backend).await;
    t.register("سارة أحمد", "0599123456", "sara@example.ps", "gaza").await;
    let same_phone = t
        .call(
            "auth/register",
            &registration("ليلى خالد", "+972599123456", "", "gaza"),
            None,
        )
        .await;
    assert_eq!(same_phone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        same_phone.json()["Invalid"][0],
        serde_json::json!({"field": "phone", "problem": {"kind": "taken"}})
    );
    let same_email = t
        .call(
            "auth/register",
            &registration("ليلى خالد", "0569999999", "SARA@example.ps", "gaza"),
            None,
        )
        .await;
    assert_eq!(
        same_email.json()["Invalid"][0],
        serde_json::json!({"field": "email", "problem": {"kind": "taken"}})
    );
    assert_eq!(t.users().await, 1);
}

async fn oversized_body_is_refused(backend: Backend) {
    let t = app(backend).await;
    let huge = registration(&"ب".repeat(5 * 1024 * 1024), "0599123456", "", "gaza");
    assert!(huge.len() > 10 * 1024 * 1024);
    let reply = t.call("auth/register", &huge, None).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.json(), serde_json::json!("TooLarge"));
    assert_eq!(t.users().await, 0);
}

async fn sign_in_does_not_reveal_accounts_and_is_throttled(backend: Backend) {
    let t = app(backend).await;
    t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let wrong = t
        .call(
            "auth/login",
            &form(&[("identifier", "0599123456"), ("password", "not-the-password")]),
            None,
        )
        .await;
    let unknown = t
        .call(
            "auth/login",
            &form(&[("identifier", "0561111111"), ("password", "not-the-password")]),
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(
        wrong.body, unknown.body,
        "same answer for unknown account and wrong password"
    );
    assert!(wrong.session_cookie().is_none());
    for _ in 0..4 {
        t.call(
            "auth/login",
            &form(&[("identifier", "0599123456"), ("password", "still-wrong")]),
            None,
        )
        .await;
    }
    // Five failures: even the right password is refused for a while.
    let throttled = t
        .call(
            "auth/login",
            &form(&[("identifier", "0599123456"), ("password", PASSWORD)]),
            None,
        )
        .await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(throttled.json(), serde_json::json!({"Throttled": {"minutes": 15}}));
    // Another account is still open from here...
    t.register("ليلى خالد", "0569123456", "", "gaza").await;
    t.login("0569123456", PASSWORD).await;
    // ...until one address has failed 30 times, whatever accounts it tried.
    for i in 0..25 {
        let who = format!("05990000{i:02}");
        t.call(
            "auth/login",
            &form(&[("identifier", &who), ("password", "guessing")]),
            None,
        )
        .await;
    }
    let blocked = t
        .call(
            "auth/login",
            &form(&[("identifier", "0569123456"), ("password", PASSWORD)]),
            None,
        )
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn sign_out_ends_the_session_on_the_server(backend: Backend) {
    let t = app(backend).await;
    let cookie = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    assert_eq!(t.count("SELECT COUNT(*) FROM sessions").await, 1);
    let out = t.call("auth/logout", "", Some(&cookie)).await;
    assert_eq!(out.status, StatusCode::OK);
    assert_eq!(t.count("SELECT COUNT(*) FROM sessions").await, 0);
    // Replaying the old cookie signs nobody in.
    assert_eq!(
        t.call("auth/me", "", Some(&cookie)).await.json(),
        serde_json::Value::Null
    );
    assert_eq!(
        t.call("profile/get", "", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn advisor_is_forbidden_from_fund_functions(backend: Backend) {
    let t = app(backend).await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let created = t
        .call(
            "admin/users/create",
            &form(&[
                ("input[full_name]", "مستشارة غزة"),
                ("input[email]", "advisor@gaza-chamber.ps"),
                ("input[phone]", ""),
                ("input[role]", "advisor"),
                ("input[chamber]", "gaza"),
                ("input[password]", PASSWORD),
            ]),
            Some(&fund),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let advisor = t.login("advisor@gaza-chamber.ps", PASSWORD).await;
    let me = t.call("auth/me", "", Some(&advisor)).await.json();
    assert_eq!(me["role"], "advisor");
    for (endpoint, body) in [
        ("admin/users/list", String::new()),
        (
            "admin/users/create",
            form(&[
                ("input[full_name]", "x"),
                ("input[email]", "x@x.ps"),
                ("input[role]", "fund-admin"),
                ("input[password]", PASSWORD),
            ]),
        ),
        ("admin/users/deactivate", form(&[("user_id", "1")])),
    ] {
        let reply = t.call(endpoint, &body, Some(&advisor)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{endpoint}");
        assert_eq!(reply.json(), serde_json::json!("Forbidden"));
        let anonymous = t.call(endpoint, &body, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    assert_eq!(t.users().await, 2);
    let list = t
        .call("admin/users/list", &form(&[("chamber", "gaza")]), Some(&fund))
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["email"], "advisor@gaza-chamber.ps");
}

async fn entrepreneurs_cannot_read_each_other(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let laila = t.register("ليلى خالد", "0569123456", "", "hebron").await;
    let laila_id = t.call("auth/me", "", Some(&laila)).await.json()["id"].as_i64().unwrap();
    let peek = t
        .call("profile/get", &form(&[("user_id", &laila_id.to_string())]), Some(&sara))
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    assert!(!peek.body.contains("0569123456"));
    // Staff see entrepreneurs of their own chamber only.
    t.staff("advisor", "hebron@chamber.ps", "hebron").await;
    t.staff("advisor", "gaza@chamber.ps", "gaza").await;
    let hebron = t.login("hebron@chamber.ps", PASSWORD).await;
    let gaza = t.login("gaza@chamber.ps", PASSWORD).await;
    let seen = t
        .call(
            "profile/get",
            &form(&[("user_id", &laila_id.to_string())]),
            Some(&hebron),
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.json()["phone"], "0569123456");
    let other = t
        .call("profile/get", &form(&[("user_id", &laila_id.to_string())]), Some(&gaza))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

async fn deactivation_ends_sessions_and_blocks_sign_in(backend: Backend) {
    let t = app(backend).await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let advisor_id = t.staff("advisor", "advisor@chamber.ps", "rafah").await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let advisor = t.login("advisor@chamber.ps", PASSWORD).await;
    assert_eq!(t.call("auth/me", "", Some(&advisor)).await.json()["role"], "advisor");
    let done = t
        .call(
            "admin/users/deactivate",
            &form(&[("user_id", &advisor_id.to_string())]),
            Some(&fund),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        t.call("auth/me", "", Some(&advisor)).await.json(),
        serde_json::Value::Null
    );
    let again = t
        .call(
            "auth/login",
            &form(&[("identifier", "advisor@chamber.ps"), ("password", PASSWORD)]),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(again.json(), serde_json::json!("BadCredentials"));
    let audit = t
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'deactivate_user'")
        .await;
    assert_eq!(audit, 1);
    // The Fund cannot lock itself out.
    let fund_id = t.call("auth/me", "", Some(&fund)).await.json()["id"].as_i64().unwrap();
    let self_off = t
        .call(
            "admin/users/deactivate",
            &form(&[("user_id", &fund_id.to_string())]),
            Some(&fund),
        )
        .await;
    assert_eq!(self_off.status, StatusCode::FORBIDDEN);
}

async fn password_change_ends_other_sessions(backend: Backend) {
    let t = app(backend).await;
    let phone_session = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let laptop = t.login("0599123456", PASSWORD).await;
    let wrong = t
        .call(
            "profile/password",
            &form(&[("current_password", "nope-nope"), ("new_password", "a-new-secret-1")]),
            Some(&laptop),
        )
        .await;
    assert_eq!(
        wrong.json()["Invalid"][0],
        serde_json::json!({"field": "current_password", "problem": {"kind": "mismatch"}})
    );
    let changed = t
        .call(
            "profile/password",
            &form(&[("current_password", PASSWORD), ("new_password", "a-new-secret-1")]),
            Some(&laptop),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let laptop_now = changed.session_cookie().expect("rotated session id");
    assert_ne!(laptop_now, laptop);
    assert_eq!(
        t.call("auth/me", "", Some(&phone_session)).await.json(),
        serde_json::Value::Null
    );
    assert_eq!(
        t.call("auth/me", "", Some(&laptop_now)).await.json()["full_name"],
        "سارة أحمد"
    );
    t.login("0599123456", "a-new-secret-1").await;
}

/// Someone at a computer where she stayed signed in tries passwords to take the account over
/// (a new password, or her phone number): the checks count like sign-ins on her account, so
/// after the allowed failures even the right password waits, and nothing changed.
async fn an_open_session_cannot_guess_the_password(backend: Backend) {
    let t = app(backend).await;
    let left_open = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let guess = |n: usize| {
        form(&[
            ("current_password", format!("guess-number-{n}").as_str()),
            ("new_password", "taken-over-1"),
        ])
    };
    for n in 0..5 {
        let wrong = t.call("profile/password", &guess(n), Some(&left_open)).await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "guess {n}: {}",
            wrong.body
        );
    }
    let right = t
        .call(
            "profile/password",
            &form(&[("current_password", PASSWORD), ("new_password", "taken-over-1")]),
            Some(&left_open),
        )
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "{}", right.body);
    assert!(
        right.json()["Throttled"]["minutes"].as_u64().unwrap_or(0) >= 1,
        "{}",
        right.body
    );
    // The contact details' password check is counted on the same account.
    let contact = t
        .call(
            "profile/update",
            &form(&[
                ("input[full_name]", "سارة أحمد"),
                ("input[phone]", "0569999999"),
                ("input[email]", ""),
                ("input[gender]", "female"),
                ("input[birth_date]", "1994-04-04"),
                ("input[governorate]", "gaza"),
                ("input[chamber]", ""),
                ("input[contact_password]", PASSWORD),
            ]),
            Some(&left_open),
        )
        .await;
    assert_eq!(contact.status, StatusCode::TOO_MANY_REQUESTS, "{}", contact.body);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM users WHERE phone = '0599123456'").await,
        1,
        "her phone number is still hers"
    );
    // Her own password still signs her in (sign-in counts another way).
    t.login("0599123456", PASSWORD).await;
}

/// A request that loaded its session before the password was changed elsewhere, and writes
/// the session afterwards (a failed form post stores a draft in it), must not bring the
/// ended session back to life.
async fn a_session_ended_meanwhile_is_not_written_back(backend: Backend) {
    use tower_sessions::session::Id;
    use tower_sessions::SessionStore;
    let t = app(backend).await;
    let phone = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let laptop = t.login("0599123456", PASSWORD).await;
    let user = t.count("SELECT id FROM users WHERE phone = '0599123456'").await;
    // The phone's session as a request in flight holds it.
    let store = app::session_store::DbSessionStore::new(t.state.pool.clone());
    let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM sessions WHERE user_id = $1")
        .bind(user)
        .fetch_all(&t.state.pool)
        .await
        .expect("sessions");
    let mut in_flight = Vec::new();
    for (id,) in ids {
        let id: Id = id.parse().expect("a session id");
        in_flight.push(store.load(&id).await.expect("load").expect("a live session"));
    }
    assert_eq!(in_flight.len(), 2);
    let changed = t
        .call(
            "profile/password",
            &form(&[("current_password", PASSWORD), ("new_password", "a-new-secret-1")]),
            Some(&laptop),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    // The in-flight requests now finish and write their sessions back.
    for mut record in in_flight {
        record
            .data
            .insert("form_draft".into(), serde_json::json!({"path": "/api/x", "values": []}));
        store.save(&record).await.expect("save");
    }
    assert_eq!(
        t.call("auth/me", "", Some(&phone)).await.json(),
        serde_json::Value::Null,
        "the phone stays signed out"
    );
    assert_eq!(
        t.count(&format!("SELECT COUNT(*) FROM sessions WHERE user_id = {user}"))
            .await,
        1,
        "only the session the change was made from, under its new id"
    );
}

/// Each registration costs a slow hash and an account: one address opens at most 30 an hour.
async fn one_address_opens_a_bounded_number_of_accounts(backend: Backend) {
    let t = app(backend).await;
    for n in 0..30 {
        t.register(&format!("رائد رقم {n}"), &format!("05980000{n:02}"), "", "gaza")
            .await;
    }
    let refused = t
        .call(
            "auth/register",
            &registration("رائد آخر", "0598000099", "", "gaza"),
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert_eq!(refused.json(), serde_json::json!({"Throttled": {"minutes": 60}}));
    assert_eq!(t.users().await, 30, "no account for the refused one");
}

/// Twelve wrong passwords for one account sent at once: the attempts are recorded before
/// they are checked, so no more than the limit of five reach the password check.
async fn a_burst_of_sign_ins_runs_no_more_checks_than_the_limit(backend: Backend) {
    let t = std::sync::Arc::new(app(backend).await);
    t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            t.call(
                "auth/login",
                &form(&[("identifier", "0599123456"), ("password", "not-the-password")]),
                None,
            )
            .await
            .status
        }));
    }
    let mut checked = 0;
    for task in tasks {
        match task.await.expect("task") {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    // Attempts recorded at once may all see the burst and all be refused: none checked.
    assert!(checked <= 5, "{checked} password checks ran");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM login_failures WHERE throttle_key = 'account:0599123456'")
            .await,
        checked,
        "refused attempts leave no failure behind"
    );
}

async fn profile_update_validates_and_saves(backend: Backend) {
    let t = app_with_mail(backend).await;
    let cookie = t.register("سارة أحمد", "0599123456", "old@example.ps", "gaza").await;
    let update_with = |phone: &str, birth: &str, password: &str| {
        form(&[
            ("input[full_name]", "سارة أحمد يوسف"),
            ("input[phone]", phone),
            ("input[email]", "sara@example.ps"),
            ("input[gender]", "female"),
            ("input[birth_date]", birth),
            ("input[governorate]", "rafah"),
            ("input[chamber]", ""),
            ("input[contact_password]", password),
        ])
    };
    let update = |phone: &str, birth: &str| update_with(phone, birth, PASSWORD);
    let bad = t
        .call("profile/update", &update("123", "2020-01-01"), Some(&cookie))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = bad.json();
    let fields: Vec<&str> = body["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["phone", "birth_date"]);
    let unchanged = t.call("profile/get", "", Some(&cookie)).await.json();
    assert_eq!(unchanged["full_name"], "سارة أحمد");
    // A new phone and e-mail need the current password: without it, or with a wrong one,
    // nothing changes (a session left open is not enough to take the account).
    let reset = t
        .call("auth/forgot-password", &form(&[("email", "old@example.ps")]), None)
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    for (typed, problem) in [("", "password_for_contact"), ("not-the-password", "mismatch")] {
        let refused = t
            .call(
                "profile/update",
                &update_with("٠٥٦٩١٢٣٤٥٦", "1990-03-15", typed),
                Some(&cookie),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert_eq!(refused.json()["Invalid"][0]["field"], "contact_password");
        assert_eq!(refused.json()["Invalid"][0]["problem"]["kind"], problem);
    }
    let still = t.call("profile/get", "", Some(&cookie)).await.json();
    assert_eq!(
        (still["phone"].as_str(), still["email"].as_str()),
        (Some("0599123456"), Some("old@example.ps"))
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM password_resets WHERE used_at IS NULL")
            .await,
        1
    );
    let ok = t
        .call("profile/update", &update("٠٥٦٩١٢٣٤٥٦", "1990-03-15"), Some(&cookie))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let saved = t.call("profile/get", "", Some(&cookie)).await.json();
    assert_eq!(saved["full_name"], "سارة أحمد يوسف");
    assert_eq!(saved["phone"], "0569123456");
    assert_eq!(saved["chamber_code"], "rafah");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM password_resets WHERE used_at IS NULL")
            .await,
        0,
        "the reset link sent to the old address no longer works"
    );
    // Changing only the name asks for no password.
    let renamed = form(&[
        ("input[full_name]", "سارة يوسف"),
        ("input[phone]", "0569123456"),
        ("input[email]", "sara@example.ps"),
        ("input[gender]", "female"),
        ("input[birth_date]", "1990-03-15"),
        ("input[governorate]", "rafah"),
        ("input[chamber]", ""),
    ]);
    let ok = t.call("profile/update", &renamed, Some(&cookie)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}

async fn cross_site_posts_are_refused(backend: Backend) {
    let t = app(backend).await;
    let forged = Request::post("/api/auth/register")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::HOST, "riyada.ps")
        .body(Body::from(registration("سارة أحمد", "0599123456", "", "gaza")))
        .unwrap();
    assert_eq!(t.send(forged).await.status, StatusCode::FORBIDDEN);
    let cross_site = Request::post("/api/auth/register")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(registration("سارة أحمد", "0599123456", "", "gaza")))
        .unwrap();
    assert_eq!(t.send(cross_site).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.users().await, 0);
    let same_origin = Request::post("/api/auth/register")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://riyada.ps")
        .header(header::HOST, "riyada.ps")
        .body(Body::from(registration("سارة أحمد", "0599123456", "", "gaza")))
        .unwrap();
    assert_eq!(t.send(same_origin).await.status, StatusCode::OK);
}

async fn pages_render_in_arabic_by_default_and_english_on_request(backend: Backend) {
    let t = app(backend).await;
    let arabic = t.get("/", None).await;
    assert_eq!(arabic.status, StatusCode::OK);
    assert!(
        arabic.body.contains(r#"lang="ar""#) && arabic.body.contains(r#"dir="rtl""#),
        "{}",
        &arabic.body[..400.min(arabic.body.len())]
    );
    assert!(arabic.body.contains("الشباك الموحد"));
    for name in [
        "content-security-policy",
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
    ] {
        assert!(arabic.headers.contains_key(name), "missing {name}");
    }
    // Inline scripts run only with this response's nonce.
    let csp = arabic.headers["content-security-policy"].to_str().unwrap().to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("nonce in CSP");
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
    assert!(
        arabic.body.contains(&format!(r#"nonce="{nonce}""#)),
        "inline scripts carry the nonce"
    );
    let switch = t.get("/lang/en?next=/register", None).await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert_eq!(switch.headers[header::LOCATION], "/register");
    let cookie = switch.set_cookie[0].split(';').next().unwrap().to_string();
    assert_eq!(cookie, "i18n_pref_locale=en");
    let english = t.get("/register", Some(&cookie)).await;
    assert!(english.body.contains(r#"lang="en""#) && english.body.contains(r#"dir="ltr""#));
    assert!(english.body.contains("Create an entrepreneur account"));
    let open_redirect = t.get("/lang/en?next=//evil.example", None).await;
    assert_eq!(open_redirect.headers[header::LOCATION], "/");
    // The menu's switch is a POST, refused from another site like every change.
    let forged = Request::post("/lang/en")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from("next=%2F"))
        .unwrap();
    assert_eq!(t.send(forged).await.status, StatusCode::FORBIDDEN);
    let missing = t.get("/no-such-page", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("الصفحة غير موجودة"));
}

async fn every_answer_names_its_request(backend: Backend) {
    let t = app(backend).await;
    let id = |reply: &Reply| {
        reply
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .expect("X-Request-Id")
    };
    let (first, second) = (t.get("/", None).await, t.call("auth/me", "", None).await);
    assert_eq!(id(&first).len(), 16);
    assert_ne!(id(&first), id(&second), "each request its own id");
    // A proxy's id is kept when it is plain; anything else is replaced.
    let with = |value: &'static str| {
        axum::http::Request::get("/healthz")
            .header("x-request-id", value)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    assert_eq!(id(&t.send(with("proxy-42")).await), "proxy-42");
    assert_ne!(id(&t.send(with("bad id; drop")).await), "bad id; drop");
}

async fn unknown_pages_know_who_is_signed_in(backend: Backend) {
    let t = app(backend).await;
    let sara = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let page = t.get("/no-such-page", Some(&sara)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("الصفحة غير موجودة"), "{}", page.body);
    // The menu of a signed-in person, not the sign-in link.
    assert!(page.body.contains("تسجيل الخروج"), "{}", page.body);
}

/// A first visit on a phone (landing, then sign-in, then the home page it opens) downloads
/// the pages, their stylesheet and font: these pages are complete without the app's
/// WebAssembly. Pages that need the app load it.
async fn public_pages_ship_no_webassembly_and_the_app_pages_do(backend: Backend) {
    let t = app(backend).await;
    let loads_the_app = |body: &str| body.contains(".wasm") || body.contains(r#"rel="modulepreload""#);
    let is_plain = |path: &str, body: &str| {
        assert!(
            body.contains("data-plain"),
            "{path} is marked plain: {}",
            &body[..300.min(body.len())]
        );
        if app::SENDS_UNSENT_EDITS.contains(&path) {
            // The app is named only to start when edits wait on the device, and not hinted.
            assert!(
                !body.contains(r#"rel="modulepreload""#),
                "{path} hints no part of the app"
            );
            assert!(
                body.contains(r#""/wasm-worker.js","riyada:plan:",false);"#),
                "{path} starts the app only for unsent edits"
            );
        } else {
            assert!(!loads_the_app(body), "{path} loads no WASM");
        }
    };
    // Signed out: every plain page but the home page, which sends a stranger to sign in.
    for path in app::PLAIN_PAGES.iter().filter(|path| **path != "/home") {
        let page = t.get(path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        is_plain(path, &page.body);
    }
    // Signed in, all of them: the home page shows where the person stands without the app.
    let cookie = t
        .register("سلمى أحمد", "0599111222", "salma.plain@example.ps", "gaza")
        .await;
    for path in app::PLAIN_PAGES {
        let page = t.get(path, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        is_plain(path, &page.body);
    }
    let home = t.get("/home", Some(&cookie)).await;
    assert!(home.body.contains("سلمى أحمد"), "the home page greets its reader");
    assert!(home.body.contains("تسجيل الخروج"), "and can sign out without the app");
    // The plans page is where the app starts.
    let plans = t.get("/plans", Some(&cookie)).await;
    assert_eq!(plans.status, StatusCode::OK);
    assert!(loads_the_app(&plans.body), "the plans page hydrates");
    assert!(!plans.body.contains("data-plain"));
    // The worker compiles the WASM, so the page does not preload it too: a preload would
    // download the 900 KB a second time on a metered line.
    assert!(
        plans.body.contains(r#""/wasm-worker.js",null,false);"#),
        "the start names the worker, and starts whatever the device holds"
    );
    assert!(
        !plans.body.contains(r#"rel="preload" href="/pkg/"#),
        "no second download"
    );
    let worker = t.get("/wasm-worker.js", None).await;
    assert_eq!(worker.status, StatusCode::OK);
    assert!(worker.body.contains("WebAssembly.compileStreaming"));
}

/// With an islands build in the site, an entrepreneur's pages start it, with their
/// interactive parts drawn as islands; staff pages start the whole app and draw none, so
/// that it can hydrate them (an island inside a whole app breaks its hydration).
async fn entrepreneurs_get_the_islands_build_and_staff_the_whole_app(backend: Backend) {
    let t = app(backend).await.with_islands_build();
    let islands_start = r#""/pkg/riyada-islands.js","/pkg/riyada-islands.wasm","/wasm-worker.js",null,true);"#;
    let cookie = t
        .register("سلمى أحمد", "0599111444", "salma.islands@example.ps", "gaza")
        .await;
    let plans = t.get("/plans", Some(&cookie)).await;
    assert_eq!(plans.status, StatusCode::OK);
    assert!(plans.body.contains(islands_start), "{}", plans.body);
    assert!(!plans.body.contains("/pkg/riyada.js"), "the whole app is not named");
    for island in ["ImportPlanIsland_", "DeviceSyncIsland_"] {
        assert!(
            plans
                .body
                .contains(&format!(r#"<leptos-island data-component="{island}"#)),
            "{island} on the plans page"
        );
    }
    // The home page starts the islands build only for edits waiting on the device.
    let home = t.get("/home", Some(&cookie)).await;
    assert!(home.body.contains(r#""/wasm-worker.js","riyada:plan:",true);"#));
    // Signed out, a page that is not plain gets the islands build too.
    let missing = t.get("/no-such-page", None).await;
    assert!(missing.body.contains(islands_start));

    t.staff("advisor", "advisor.islands@example.ps", "gaza").await;
    let staff = t.login("advisor.islands@example.ps", PASSWORD).await;
    let queue = t.get("/staff/plans", Some(&staff)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue
            .body
            .contains(r#""/pkg/riyada.js","/pkg/riyada.wasm","/wasm-worker.js",null,false);"#),
        "{}",
        queue.body
    );
    assert!(
        !queue.body.contains("<leptos-island"),
        "no island in a page the whole app hydrates"
    );
    // The service worker keeps both builds when a page loads them.
    let worker = t.get("/sw.js", None).await;
    assert!(worker.body.contains("/pkg/riyada-islands.wasm") && worker.body.contains("/pkg/riyada.wasm"));
}

/// Without JavaScript (and on an entrepreneur's pages of server HTML), a form that succeeded
/// sends the reader back to its page with `done` naming the server function, and the page
/// then shows the success; the page's own parameters stay.
async fn a_plain_form_post_comes_back_marked_done(backend: Backend) {
    let t = app(backend).await;
    let cookie = t
        .register("سلمى أحمد", "0599111555", "salma.done@example.ps", "gaza")
        .await;
    let post = |body: String| {
        Request::post("/api/plans/create")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, "http://localhost/plans?sort=new&done=/api/old")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, cookie.clone())
            .body(Body::from(body))
            .expect("request")
    };
    let created = t.send(post(form(&[("title", "مخبز الحي"), ("currency", "ILS")]))).await;
    assert!(created.status.is_redirection(), "{} {}", created.status, created.body);
    let back = created
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(back, "/plans?sort=new&done=/api/plans/create");
    let page = t.get(back, Some(&cookie)).await;
    assert!(
        page.body.contains("بدأت خطة جديدة."),
        "the page says the plan was started"
    );
    assert!(!t.get("/plans", Some(&cookie)).await.body.contains("بدأت خطة جديدة."));
    // A page drawn on the server runs server functions under its own request, which is no
    // form post: it is not sent anywhere, whatever page it was opened from.
    let opened = t
        .send(
            Request::get("/plans")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, "http://localhost/home")
                .header(header::COOKIE, cookie.clone())
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.headers.get(header::LOCATION).is_none());
    // A refusal is not marked done: the page shows the error instead.
    let refused = t.send(post(form(&[("title", ""), ("currency", "ILS")]))).await;
    let back = refused
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(!back.contains("done=/api/plans/create"), "{back}");
}

async fn no_cache_keeps_personal_answers_and_https_is_remembered(backend: Backend) {
    let t = app(backend).await;
    let cookie = t
        .register("سلمى أحمد", "0599111333", "salma.cache@example.ps", "gaza")
        .await;
    let answers = [
        ("a public page", t.get("/sign-in", None).await),
        ("a signed-in page", t.get("/profile", Some(&cookie)).await),
        ("a server function", t.call("profile/get", "", Some(&cookie)).await),
        ("an unknown page", t.get("/no-such-page", Some(&cookie)).await),
    ];
    for (what, reply) in &answers {
        assert_eq!(
            reply.headers.get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{what}"
        );
        assert!(
            !reply.headers.contains_key("strict-transport-security"),
            "{what} over plain HTTP"
        );
    }
    // Each page names its reader for the service worker's offline store.
    let reader = |reply: &Reply| {
        reply
            .headers
            .get("x-riyada-reader")
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(reader(&answers[0].1).as_deref(), Some("none"));
    assert_eq!(reader(&answers[1].1).as_deref(), Some("entrepreneur"));
    assert_eq!(reader(&answers[2].1), None, "only pages");
    t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    assert_eq!(reader(&t.get("/home", Some(&advisor)).await).as_deref(), Some("staff"));

    // Downloads keep the stricter value they set themselves.
    let plan = t
        .call(
            "plans/create",
            &form(&[("title", "مخبز"), ("currency", "ILS")]),
            Some(&cookie),
        )
        .await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    let json = t
        .get(&format!("/plans/{}/export/plan.json", plan.json()), Some(&cookie))
        .await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.headers[header::CACHE_CONTROL], "private, no-store");
    // A session ended on the server reads as signed out, so the device forgets her pages.
    t.call("auth/logout", "", Some(&cookie)).await;
    assert_eq!(reader(&t.get("/profile", Some(&cookie)).await).as_deref(), Some("none"));

    let https = t.behind_https();
    let page = https.get("/sign-in", None).await;
    assert_eq!(page.headers["strict-transport-security"], "max-age=31536000");
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    // Over HTTPS the session cookie is host-bound and never sent in clear.
    let signed_in = https
        .call(
            "auth/login",
            &form(&[("identifier", "salma.cache@example.ps"), ("password", PASSWORD)]),
            None,
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    let cookie = signed_in
        .set_cookie
        .iter()
        .find(|c| c.starts_with("__Host-riyada_session="))
        .unwrap_or_else(|| panic!("{:?}", signed_in.set_cookie))
        .to_ascii_lowercase();
    for attribute in ["; secure", "; httponly", "; samesite=lax", "; path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing from {cookie}");
    }
    assert!(!cookie.contains("domain="), "{cookie}");
    // A visitor's form draft (a failed post without JavaScript) is never sent in clear either.
    let failed = https
        .send(
            Request::post("/api/auth/register")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, "https://localhost/register")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(registration("ريم الأغا", "123", "", "gaza")))
                .expect("request"),
        )
        .await;
    let draft = failed
        .set_cookie
        .iter()
        .find(|c| c.starts_with("riyada_form="))
        .unwrap_or_else(|| panic!("{:?}", failed.set_cookie))
        .to_ascii_lowercase();
    assert!(draft.contains("; secure"), "{draft}");
}

async fn a_guesser_elsewhere_cannot_lock_the_owner_out(backend: Backend) {
    let t = app(backend).await;
    t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let sign_in = |password: &'static str, peer: &'static str| {
        let t = &t;
        async move {
            t.call_from(
                "auth/login",
                &form(&[("identifier", "0599123456"), ("password", password)]),
                peer,
                None,
            )
            .await
        }
    };
    // Five failures from one place: that place is refused even the right password.
    for _ in 0..5 {
        assert_eq!(sign_in("guess", "198.51.100.7").await.status, StatusCode::UNAUTHORIZED);
    }
    let guesser = sign_in(PASSWORD, "198.51.100.7").await;
    assert_eq!(guesser.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(guesser.json(), serde_json::json!({"Throttled": {"minutes": 15}}));
    // The owner, elsewhere, waits a second at most, then signs in.
    let age = |seconds: i64| {
        let t = &t;
        async move {
            sqlx::query("UPDATE login_failures SET failed_at = failed_at - $1")
                .bind(seconds)
                .execute(&t.state.pool)
                .await
                .unwrap();
        }
    };
    age(2).await;
    let owner = sign_in(PASSWORD, "203.0.113.9").await;
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.body);
    // Her success does not free the guesser's place.
    assert_eq!(
        sign_in(PASSWORD, "198.51.100.7").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Guessing from many places gets five tries free, then one per growing delay: 1 s,
    // 2 s, 4 s … after the latest failure. Failures are timed in whole seconds, so a refusal
    // is checked right after the failures are dated "now" (a slow try, or the clock ticking
    // between two tries, would otherwise use up a delay), and only from the 2 s delay on: a
    // 1 s delay can be over as soon as the clock ticks.
    let just_now = || {
        let t = &t;
        async move {
            sqlx::query("UPDATE login_failures SET failed_at = $1")
                .bind(app::db::now())
                .execute(&t.state.pool)
                .await
                .unwrap();
        }
    };
    let mut answers = Vec::new();
    for peer in [
        "198.51.100.10",
        "198.51.100.11",
        "198.51.100.12",
        "198.51.100.13",
        "198.51.100.14",
    ] {
        answers.push(sign_in("guess", peer).await.status);
    }
    assert_eq!(answers, [StatusCode::UNAUTHORIZED; 5], "five tries are free");
    // A second later, one more try; then two seconds to wait.
    age(1).await;
    assert_eq!(sign_in("guess", "198.51.100.15").await.status, StatusCode::UNAUTHORIZED);
    just_now().await;
    assert_eq!(
        sign_in("guess", "198.51.100.16").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    just_now().await;
    let delayed = sign_in(PASSWORD, "203.0.113.9").await;
    assert_eq!(delayed.json(), serde_json::json!({"Throttled": {"minutes": 1}}));
    // A delay, never a lock: a minute after the latest failure she is in.
    age(61).await;
    assert_eq!(sign_in(PASSWORD, "203.0.113.9").await.status, StatusCode::OK);
}

async fn forwarded_addresses_are_believed_only_from_trusted_proxies(backend: Backend) {
    let t = app(backend).await;
    let wrong = form(&[("identifier", "0599000001"), ("password", "guess")]);
    let failures = |address: &'static str| {
        let t = &t;
        async move {
            t.count(&format!(
                "SELECT COUNT(*) FROM login_failures WHERE throttle_key = 'address:{address}'"
            ))
            .await
        }
    };
    // Through the trusted proxy (10.0.0.0/8): the client it names, not what the client
    // claimed before it.
    let proxied = t
        .call_from(
            "auth/login",
            &wrong,
            "10.0.0.2",
            Some("1.2.3.4, 198.51.100.99, 10.0.0.3"),
        )
        .await;
    assert_eq!(proxied.status, StatusCode::UNAUTHORIZED);
    assert_eq!(failures("198.51.100.99").await, 1);
    assert_eq!(failures("10.0.0.2").await, 0);
    assert_eq!(failures("1.2.3.4").await, 0);
    // From anyone else the header is ignored: the attempt counts against the connection.
    let direct = t
        .call_from("auth/login", &wrong, "192.0.2.5", Some("198.51.100.98"))
        .await;
    assert_eq!(direct.status, StatusCode::UNAUTHORIZED);
    assert_eq!(failures("192.0.2.5").await, 1);
    assert_eq!(failures("198.51.100.98").await, 0);
}

/// The one session of `user`: its id, its stored record (JSON text) and its stored expiry.
async fn the_session(t: &TestApp, user: i64) -> (String, String, i64) {
    sqlx::query_as("SELECT id, data, expires_at FROM sessions WHERE user_id = $1")
        .bind(user)
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

/// Moves the session's clocks (sign-in, last renewal) `back` seconds into the past, and its
/// stored expiry to `expires_in` seconds from now. The record is edited as text: its id is
/// a 128-bit number that a JSON value would round.
async fn turn_back(t: &TestApp, user: i64, back: i64, expires_in: i64) {
    let (id, mut record, _) = the_session(t, user).await;
    for key in ["signed_in_at", "renewed_at"] {
        let name = format!("\"{key}\":");
        let start = record.find(&name).expect(key) + name.len();
        let end = start + record[start..].find(|c: char| !c.is_ascii_digit()).expect("digits end");
        let at: i64 = record[start..end].parse().expect("a time");
        record.replace_range(start..end, &(at - back).to_string());
    }
    sqlx::query("UPDATE sessions SET data = $1, expires_at = $2 WHERE id = $3")
        .bind(record)
        .bind(app::db::now() + expires_in)
        .bind(id)
        .execute(&t.state.pool)
        .await
        .unwrap();
}

async fn a_session_lives_while_used_and_no_longer_than_its_limit(backend: Backend) {
    let t = app(backend).await;
    let cookie = t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let user = t.count("SELECT id FROM users WHERE phone = '0599123456'").await;
    let idle = 8 * 3600;
    // Seven hours after signing in, a minute before the idle timeout, she is still at work:
    // using the portal starts the idle timeout again (it used to run from signing in).
    turn_back(&t, user, 7 * 3600, 60).await;
    let me = t.call("auth/me", "", Some(&cookie)).await;
    assert_eq!(me.json()["full_name"], "سارة أحمد");
    let (_, _, renewed) = the_session(&t, user).await;
    assert!(renewed >= app::db::now() + idle - 60, "renewed until {renewed}");
    // Renewed a moment ago: the next request writes nothing.
    sqlx::query("UPDATE sessions SET expires_at = expires_at - 100 WHERE user_id = $1")
        .bind(user)
        .execute(&t.state.pool)
        .await
        .unwrap();
    t.call("auth/me", "", Some(&cookie)).await;
    assert_eq!(the_session(&t, user).await.2, renewed - 100);
    // Twelve hours after signing in the session ends, however busy.
    turn_back(&t, user, 5 * 3600 + 1, idle).await;
    assert_eq!(
        t.call("auth/me", "", Some(&cookie)).await.json(),
        serde_json::Value::Null
    );
    assert_eq!(
        t.count(&format!("SELECT COUNT(*) FROM sessions WHERE user_id = {user}"))
            .await,
        0,
        "ended on the server"
    );
}

async fn ready_only_while_the_database_answers(backend: Backend) {
    let t = app(backend).await;
    let ready = t.get("/readyz", None).await;
    assert_eq!((ready.status, ready.body.as_str()), (StatusCode::OK, "ready"));
    t.state.pool.close().await;
    let down = t.get("/readyz", None).await;
    assert_eq!(
        (down.status, down.body.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "not ready: database")
    );
    // Alive all the same: the process answers, a supervisor need not restart it.
    assert_eq!(t.get("/healthz", None).await.status, StatusCode::OK);
}

async fn signing_in_gives_a_new_session_id(backend: Backend) {
    let t = app(backend).await;
    // A session that exists before signing in: here the one a first person left on a
    // shared phone (a visitor's failed form posts make none, see below).
    let before = t.register("ليلى خالد", "0599123400", "", "gaza").await;
    t.register("سارة أحمد", "0599123456", "", "gaza").await;
    let plain_post = |cookie: Option<&str>, password: &str| {
        let mut request = Request::post("/api/auth/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request
            .body(Body::from(form(&[
                ("identifier", "0599123456"),
                ("password", password),
            ])))
            .unwrap()
    };
    // Signing in with that session gives another id; the old one signs nobody in.
    let signed_in = t.send(plain_post(Some(&before), PASSWORD)).await;
    let after = signed_in.session_cookie().expect("a session after signing in");
    assert_ne!(before, after);
    assert_eq!(
        t.call("auth/me", "", Some(&after)).await.json()["full_name"],
        "سارة أحمد"
    );
    assert_eq!(
        t.call("auth/me", "", Some(&before)).await.json(),
        serde_json::Value::Null
    );
}

/// Without JavaScript, a failed registration comes back with what was typed; for a visitor
/// who is not signed in that draft travels in a short-lived cookie of her own browser, so a
/// script posting bad forms in a loop leaves no session rows behind.
async fn failed_posts_of_visitors_write_nothing_on_the_server(backend: Backend) {
    let t = app(backend).await;
    let post = |body: String, cookie: Option<String>| {
        let mut request = Request::post("/api/auth/register")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, "http://localhost/register")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::from(body)).expect("request")
    };
    let bad = registration("ريم الأغا", "123", "", "gaza");
    let mut draft = None;
    let mut back = String::new();
    for _ in 0..12 {
        let reply = t.send(post(bad.clone(), None)).await;
        assert!(reply.status.is_redirection(), "{} {}", reply.status, reply.body);
        // Back to the form, the address naming the function that failed.
        let location = reply.headers[header::LOCATION].to_str().expect("location");
        back = location.trim_start_matches("http://localhost").to_string();
        draft = reply
            .set_cookie
            .iter()
            .find(|c| c.starts_with("riyada_form="))
            .map(|c| c.split(';').next().unwrap_or("").to_string());
        assert!(
            draft.is_some(),
            "the draft goes back with the answer: {:?}",
            reply.set_cookie
        );
        assert!(
            reply.session_cookie().is_none(),
            "no session for a visitor's failed post"
        );
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM sessions").await, 0);
    // The form comes back with her name in it.
    assert!(back.starts_with("/register?"), "{back}");
    let page = t.get(&back, draft.as_deref()).await;
    assert!(page.body.contains("ريم الأغا"), "the typed name is kept");
    // A draft for another form is not shown there, and a forged cookie is ignored.
    let query = back.trim_start_matches("/register");
    let elsewhere = t.get(&format!("/sign-in{query}"), draft.as_deref()).await;
    assert!(!elsewhere.body.contains("ريم الأغا"));
    let forged = t.get(&back, Some("riyada_form=%%%not-base64")).await;
    assert_eq!(forged.status, StatusCode::OK);
    // Fixed and sent again: she is registered, and the draft cookie is cleared.
    let good = registration("ريم الأغا", "0599777111", "", "gaza");
    let reply = t.send(post(good, draft)).await;
    assert!(reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    assert!(
        reply
            .set_cookie
            .iter()
            .any(|c| c.starts_with("riyada_form=;") && c.contains("Max-Age=0")),
        "{:?}",
        reply.set_cookie
    );
    assert_eq!(t.users().await, 1);
}
