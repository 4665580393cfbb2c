//! Text messages through a local HTTP gateway, on SQLite and PostgreSQL: a phone-only owner
//! hears of the chamber's request by SMS, a gateway that is down loses nothing and one that
//! refuses is not asked again, a forgotten password is reset with a code sent by SMS (and
//! the code's rules hold), and a burst of requests stays within the daily caps.
use crate::mail::{plan_in_review, request_changes};
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;

on_both_databases!(
    a_phone_only_owner_hears_of_changes_by_sms,
    a_gateway_down_delays_sms_and_a_refusal_is_final,
    password_reset_by_sms_code,
    a_code_works_once_for_ten_minutes_and_five_tries,
    a_burst_of_requests_stays_within_the_caps,
    people_choose_sms_in_their_profile,
    a_number_is_confirmed_before_sms_reach_it,
    the_fund_sees_the_month_per_chamber_with_its_cost,
    two_workers_send_each_message_once,
    a_burst_gets_three_codes_an_hour,
);

const OWNER_PHONE: &str = "0599123456";
const OWNER_NUMBER: &str = "+970599123456";

/// The six-digit code in the last message to `number`.
fn code_sent_to(sink: &SmsSink, number: &str) -> String {
    let message = sink
        .received()
        .into_iter()
        .rev()
        .find(|m| m.to == number)
        .unwrap_or_else(|| panic!("no message to {number}: {:?}", sink.received()));
    let digits: String = message.text.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 6, "one six-digit code in {:?}", message.text);
    digits
}

async fn ask_for_code(t: &TestApp, phone: &str) -> Reply {
    t.call("auth/send-reset-code", &form(&[("phone", phone)]), None).await
}

async fn reset_with_code(t: &TestApp, phone: &str, code: &str, password: &str) -> Reply {
    t.call(
        "auth/reset-password-code",
        &form(&[("phone", phone), ("code", code), ("password", password)]),
        None,
    )
    .await
}

fn wrong_code(reply: &Reply) -> bool {
    reply.status == StatusCode::UNPROCESSABLE_ENTITY
        && reply.body.contains("\"code\"")
        && reply.body.contains("wrong_code")
}

async fn a_phone_only_owner_hears_of_changes_by_sms(backend: Backend) {
    let t = app_with_mail(backend).await;
    let sink = SmsSink::start().await;
    // No e-mail address: SMS is on for her without asking.
    let (_, advisor, plan) = plan_in_review(&t, "").await;
    request_changes(&t, &advisor, plan, "أضيفي عرض سعر").await;
    let pass = texter(&sink.url).pass(&t.state.pool, backend).await.expect("pass");
    // Staff have no mobile number here: one message, the owner's.
    assert_eq!((pass.sent, pass.retrying, pass.failed), (1, 0, 0), "{pass:?}");
    let received = sink.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let sms = &received[0];
    assert_eq!(sms.to, OWNER_NUMBER);
    assert_eq!(sms.sender, "Riyada");
    assert_eq!(sms.authorization.as_deref(), Some(SMS_TOKEN));
    assert_eq!(sms.text, format!("طُلبت تعديلات على خطتك {PUBLIC_URL}/plans/{plan}#case"));
    assert_eq!(domain::sms::segments(&sms.text).count, 1, "one segment: {}", sms.text);
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM sms_outbox WHERE sent_at IS NOT NULL AND segments = 1 AND chamber_id IS NOT NULL"
        )
        .await,
        1
    );
    // Sent once.
    let again = texter(&sink.url).pass(&t.state.pool, backend).await.expect("pass");
    assert_eq!(again, server::mailer::Pass::default());

    // An owner with an e-mail address gets e-mail, not SMS, unless she asks.
    let t = app_with_mail(backend).await;
    let (_, advisor, plan) = plan_in_review(&t, "sara@example.ps").await;
    request_changes(&t, &advisor, plan, "راجعي الأسعار").await;
    assert_eq!(t.count("SELECT COUNT(*) FROM sms_outbox").await, 0);
    assert!(
        t.count("SELECT COUNT(*) FROM email_outbox WHERE to_address = 'sara@example.ps'")
            .await
            == 1
    );
}

async fn a_gateway_down_delays_sms_and_a_refusal_is_final(backend: Backend) {
    let t = app_with_mail(backend).await;
    let sink = SmsSink::start().await;
    sink.answer(503);
    let worker = texter_retrying_after(&sink.url, 60);
    let (_, advisor, plan) = plan_in_review(&t, "").await;
    // The advisor's step succeeds all the same.
    request_changes(&t, &advisor, plan, "راجعي التكاليف").await;
    let pass = worker.pass(&t.state.pool, backend).await.expect("pass");
    assert_eq!((pass.sent, pass.retrying), (0, 1), "{pass:?}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox WHERE attempts = 1 AND sent_at IS NULL AND last_error LIKE '%503%'")
            .await,
        1
    );
    // Not due yet: nothing is tried again at once.
    let early = worker.pass(&t.state.pool, backend).await.expect("pass");
    assert_eq!(early, server::mailer::Pass::default());
    sink.answer(200);
    // A minute later.
    sqlx::query("UPDATE sms_outbox SET next_attempt_at = next_attempt_at - 60 WHERE sent_at IS NULL")
        .execute(&t.state.pool)
        .await
        .expect("aged");
    let later = worker.pass(&t.state.pool, backend).await.expect("pass");
    assert_eq!(later.sent, 1, "{later:?}");
    assert_eq!(sink.received().len(), 1);
    assert_eq!(sink.received()[0].to, OWNER_NUMBER);

    // A refusal (the gateway will never take this message) is final.
    sink.answer(400);
    request_changes_again(&t, &advisor, plan).await;
    let refused = worker.pass(&t.state.pool, backend).await.expect("pass");
    assert_eq!((refused.failed, refused.retrying), (1, 0), "{refused:?}");
    sink.answer(200);
    // A minute later.
    sqlx::query("UPDATE sms_outbox SET next_attempt_at = next_attempt_at - 60 WHERE sent_at IS NULL")
        .execute(&t.state.pool)
        .await
        .expect("aged");
    assert_eq!(
        worker.pass(&t.state.pool, backend).await.expect("pass"),
        server::mailer::Pass::default()
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox WHERE failed_at IS NOT NULL AND last_error LIKE '%400%'")
            .await,
        1
    );
}

/// The owner sends her plan again and the advisor (still assigned) asks for changes again.
async fn request_changes_again(t: &TestApp, advisor: &str, plan: i64) {
    let owner = t.login(OWNER_PHONE, PASSWORD).await;
    let reply = t
        .call(
            "case/transition",
            &form(&[("plan_id", &plan.to_string()), ("action", "submit"), ("message", "")]),
            Some(&owner),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    request_changes(t, advisor, plan, "مرة أخرى").await;
}

async fn password_reset_by_sms_code(backend: Backend) {
    let t = app_with_mail(backend).await;
    let sink = SmsSink::start().await;
    let worker = texter(&sink.url);
    let session = t.register("منى خليل", OWNER_PHONE, "", "gaza").await;

    // The same answer for a number with an account and one without.
    let known = ask_for_code(&t, "059 912 3456").await;
    let unknown = ask_for_code(&t, "0599000111").await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.body);
    assert_eq!(
        (unknown.status, unknown.body.as_str()),
        (known.status, known.body.as_str())
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox WHERE kind = 'reset_code'")
            .await,
        1
    );
    // A number the portal cannot text is a clear error on the field.
    let bad = ask_for_code(&t, "12345").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("invalid_phone"), "{}", bad.body);

    worker.pass(&t.state.pool, backend).await.expect("pass");
    let code = code_sent_to(&sink, OWNER_NUMBER);
    assert!(
        sink.received()[0].text.contains("١٠"),
        "the Arabic message says ten minutes"
    );
    // Only a hash is kept, and the message's text goes once sent.
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM sms_codes WHERE code_hash LIKE '%{code}%'"
        ))
        .await,
        0
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox WHERE kind = 'reset_code' AND body = '' AND sent_at IS NOT NULL")
            .await,
        1
    );

    // Wrong code: an error on the code field, nothing changed.
    let other = if code == "000000" { "111111" } else { "000000" };
    assert!(wrong_code(
        &reset_with_code(&t, OWNER_PHONE, other, "a-new-password-7").await
    ));
    // A weak password is refused before the code is looked at.
    let weak = reset_with_code(&t, OWNER_PHONE, &code, "short").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("\"password\""), "{}", weak.body);

    // The right code, typed in Arabic-Indic digits with a space.
    let arabic: String = code
        .chars()
        .map(|c| char::from_u32(0x0660 + c.to_digit(10).expect("digit")).expect("arabic digit"))
        .collect();
    let typed = format!("{} {}", &arabic[..6], &arabic[6..]);
    let done = reset_with_code(&t, "+970 599 123 456", &typed, "a-new-password-7").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    // Every session of the account ended; the new password works, the old one not.
    let me = t.call("auth/me", "", Some(&session)).await;
    assert_eq!(me.json(), serde_json::Value::Null, "the old session is gone");
    t.login(OWNER_PHONE, "a-new-password-7").await;
    let old = t
        .call(
            "auth/login",
            &form(&[("identifier", OWNER_PHONE), ("password", PASSWORD)]),
            None,
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    // The code worked once.
    assert!(wrong_code(
        &reset_with_code(&t, OWNER_PHONE, &code, "another-password-8").await
    ));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'reset_password' AND detail = 'sms'")
            .await,
        1
    );
}

async fn a_code_works_once_for_ten_minutes_and_five_tries(backend: Backend) {
    let t = app_with_mail(backend).await;
    let sink = SmsSink::start().await;
    let worker = texter(&sink.url);
    t.register("منى خليل", OWNER_PHONE, "", "gaza").await;

    // Five wrong tries void the code: then even the right one fails.
    ask_for_code(&t, OWNER_PHONE).await;
    worker.pass(&t.state.pool, backend).await.expect("pass");
    let code = code_sent_to(&sink, OWNER_NUMBER);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..domain::sms::CODE_MAX_TRIES {
        assert!(wrong_code(
            &reset_with_code(&t, OWNER_PHONE, wrong, "a-new-password-7").await
        ));
    }
    assert!(wrong_code(
        &reset_with_code(&t, OWNER_PHONE, &code, "a-new-password-7").await
    ));

    // A newer code replaces the older one.
    ask_for_code(&t, OWNER_PHONE).await;
    worker.pass(&t.state.pool, backend).await.expect("pass");
    let first = code_sent_to(&sink, OWNER_NUMBER);
    ask_for_code(&t, OWNER_PHONE).await;
    worker.pass(&t.state.pool, backend).await.expect("pass");
    let second = code_sent_to(&sink, OWNER_NUMBER);
    if first != second {
        assert!(wrong_code(
            &reset_with_code(&t, OWNER_PHONE, &first, "a-new-password-7").await
        ));
    }
    // An expired code fails.
    sqlx::query("UPDATE sms_codes SET expires_at = created_at - 1")
        .execute(&t.state.pool)
        .await
        .expect("expire");
    assert!(wrong_code(
        &reset_with_code(&t, OWNER_PHONE, &second, "a-new-password-7").await
    ));
    // Three codes an hour per account: a fourth request is answered the same, but not sent.
    let reply = ask_for_code(&t, OWNER_PHONE).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(t.count("SELECT COUNT(*) FROM sms_codes").await, 3);
    // The password never changed.
    t.login(OWNER_PHONE, PASSWORD).await;
}

async fn a_burst_of_requests_stays_within_the_caps(backend: Backend) {
    let caps = domain::sms::Caps {
        per_person_daily: 2,
        global_daily: 3,
    };
    let t = app_with_sms(backend, caps, false).await;
    t.register("منى خليل", OWNER_PHONE, "", "gaza").await;
    t.register("سلوى حسن", "0569000111", "", "gaza").await;
    // Sixteen requests at once for her number, then four for the other (under the
    // address's limit of twenty, so every one reaches the caps).
    let burst: Vec<_> = (0..16).map(|_| ask_for_code(&t, OWNER_PHONE)).collect();
    for reply in futures_util::future::join_all(burst).await {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let to_her = t
        .count(&format!(
            "SELECT COUNT(*) FROM sms_outbox WHERE to_number = '{OWNER_NUMBER}'"
        ))
        .await;
    assert_eq!(to_her, 2, "the person's cap holds under a parallel burst");
    for _ in 0..4 {
        ask_for_code(&t, "0569000111").await;
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox").await,
        3,
        "the portal's cap holds"
    );
    assert!(
        t.count("SELECT COUNT(*) FROM sms_refusals WHERE reason = 'person_cap'")
            .await
            >= 1
    );
    assert!(
        t.count("SELECT COUNT(*) FROM sms_refusals WHERE reason = 'global_cap'")
            .await
            >= 1
    );
    // No code exists that was never sent.
    assert_eq!(t.count("SELECT COUNT(*) FROM sms_codes").await, 3);
}

async fn people_choose_sms_in_their_profile(backend: Backend) {
    let t = app_with_mail(backend).await;
    // She has an e-mail address: e-mail by default, SMS when she asks for it.
    let (owner, advisor, plan) = plan_in_review(&t, "sara@example.ps").await;
    let profile = t.call("profile/get", "", Some(&owner)).await.json();
    assert_eq!(profile["sms_notifications"], false);
    assert_eq!(profile["sms_available"], true);
    let on = t.call("profile/sms-notifications", "enabled=true", Some(&owner)).await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    request_changes(&t, &advisor, plan, "أضيفي عرض سعر").await;
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM sms_outbox WHERE to_number = '{OWNER_NUMBER}'"
        ))
        .await,
        1
    );
    // Turned off again: the next step reaches her in the app and by e-mail only.
    let off = t.call("profile/sms-notifications", "enabled=false", Some(&owner)).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let emails_before = t
        .count("SELECT COUNT(*) FROM email_outbox WHERE to_address = 'sara@example.ps'")
        .await;
    request_changes_again(&t, &advisor, plan).await;
    assert_eq!(t.count("SELECT COUNT(*) FROM sms_outbox").await, 1);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM email_outbox WHERE to_address = 'sara@example.ps'")
            .await,
        emails_before + 1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'set_sms_notifications'")
            .await,
        2
    );
}

async fn a_number_is_confirmed_before_sms_reach_it(backend: Backend) {
    let t = app_with_sms(backend, domain::sms::Caps::default(), true).await;
    let sink = SmsSink::start().await;
    let worker = texter(&sink.url);
    // Registering sends her a confirmation code.
    let (owner, advisor, plan) = plan_in_review(&t, "").await;
    worker.pass(&t.state.pool, backend).await.expect("pass");
    let code = code_sent_to(&sink, OWNER_NUMBER);
    assert!(
        sink.received()[0].text.contains("تأكيد رقم جوالك"),
        "{:?}",
        sink.received()
    );
    let profile = t.call("profile/get", "", Some(&owner)).await.json();
    assert_eq!(
        (profile["verify_phones"].clone(), profile["phone_verified"].clone()),
        (true.into(), false.into())
    );

    // Unconfirmed: no notification and no reset code goes to the number.
    request_changes(&t, &advisor, plan, "أضيفي عرض سعر").await;
    ask_for_code(&t, OWNER_PHONE).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox WHERE kind <> 'verify_code'")
            .await,
        0
    );

    // A wrong code is an error on the field; the right one confirms the number.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = t
        .call("profile/verify-phone", &form(&[("code", wrong)]), Some(&owner))
        .await;
    assert!(wrong_code(&refused), "{}", refused.body);
    let done = t
        .call("profile/verify-phone", &form(&[("code", &code)]), Some(&owner))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let profile = t.call("profile/get", "", Some(&owner)).await.json();
    assert_eq!(profile["phone_verified"], true);
    // The code worked once.
    let again = t
        .call("profile/verify-phone", &form(&[("code", &code)]), Some(&owner))
        .await;
    assert!(wrong_code(&again));

    // Confirmed: the next step and a reset code reach her phone.
    request_changes_again(&t, &advisor, plan).await;
    ask_for_code(&t, OWNER_PHONE).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox WHERE kind = 'notification'")
            .await,
        1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox WHERE kind = 'reset_code'")
            .await,
        1
    );

    // A new number waits for its own code, and the reset code sent to the old one is void.
    let owner = t.login(OWNER_PHONE, PASSWORD).await;
    let mut fields = t.call("profile/get", "", Some(&owner)).await.json();
    fields["phone"] = "0569000111".into();
    let update = form(&[
        ("input[full_name]", fields["full_name"].as_str().unwrap_or_default()),
        ("input[phone]", "0569000111"),
        ("input[email]", ""),
        ("input[gender]", "female"),
        ("input[birth_date]", fields["birth_date"].as_str().unwrap_or_default()),
        ("input[governorate]", fields["governorate"].as_str().unwrap_or_default()),
        ("input[chamber]", fields["chamber_code"].as_str().unwrap_or_default()),
        ("input[contact_password]", PASSWORD),
    ]);
    let changed = t.call("profile/update", &update, Some(&owner)).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let profile = t.call("profile/get", "", Some(&owner)).await.json();
    assert_eq!(profile["phone_verified"], false);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox WHERE kind = 'verify_code' AND to_number = '+970569000111'")
            .await,
        1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_codes WHERE purpose = 'reset' AND used_at IS NULL")
            .await,
        0
    );
    // Three codes an hour (registration, the new number, this one): a fourth must wait.
    let third = t.call("profile/send-phone-code", "", Some(&owner)).await;
    assert_eq!(third.status, StatusCode::OK, "{}", third.body);
    let fourth = t.call("profile/send-phone-code", "", Some(&owner)).await;
    assert_eq!(fourth.status, StatusCode::TOO_MANY_REQUESTS, "{}", fourth.body);
}

async fn the_fund_sees_the_month_per_chamber_with_its_cost(backend: Backend) {
    let caps = domain::sms::Caps {
        per_person_daily: 1,
        global_daily: 100,
    };
    let t = app_with_sms(backend, caps, false).await;
    let sink = SmsSink::start().await;
    let (owner, advisor, plan) = plan_in_review(&t, "").await;
    request_changes(&t, &advisor, plan, "أضيفي عرض سعر").await;
    texter(&sink.url).pass(&t.state.pool, backend).await.expect("pass");
    // Her one message of the day is spent: a reset code is held back by the cap.
    ask_for_code(&t, OWNER_PHONE).await;
    t.staff("fund-admin", "fund@pfesp.ps", "").await;
    let fund = t.login("fund@pfesp.ps", PASSWORD).await;
    let reply = t.call("fund/sms", "", Some(&fund)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let figures = reply.json();
    assert_eq!(figures["available"], true);
    assert_eq!(figures["month"].as_str().map(str::len), Some(7), "{figures}");
    let rows = figures["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{figures}");
    let gaza = &rows[0];
    assert_eq!(gaza["chamber"]["ar"], "غرفة تجارة وصناعة غزة", "{gaza}");
    let counts: Vec<i64> = ["sent", "segments", "failed", "waiting", "held_back"]
        .iter()
        .map(|k| gaza[*k].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(counts, vec![1, 1, 0, 0, 1], "{gaza}");
    // Eight agorot a segment (the test server's setting).
    assert_eq!(gaza["cost_agorot"], 8);
    assert_eq!(figures["total"]["cost_agorot"], 8);
    assert_eq!(figures["segment_cost_agorot"], 8);
    // Only the Fund sees it.
    let refused = t.call("fund/sms", "", Some(&owner)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn two_workers_send_each_message_once(backend: Backend) {
    let caps = domain::sms::Caps {
        per_person_daily: 100,
        global_daily: 100,
    };
    let t = app_with_sms(backend, caps, false).await;
    let sink = SmsSink::start().await;
    let mut tx = app::db::begin(&t.state.pool).await.expect("tx");
    for n in 0..40 {
        let number = format!("+97059900{n:04}");
        let body = format!("رسالة {n}");
        let outgoing = app::notify::store::OutgoingSms {
            user_id: None,
            chamber_id: None,
            kind: app::notify::store::SmsKind::Notification,
            to_number: &number,
            body: &body,
        };
        let queued = app::notify::store::queue_sms(&mut tx, backend, caps, &outgoing, app::db::now())
            .await
            .expect("queue");
        assert_eq!(queued, Ok(()));
    }
    tx.commit().await.expect("commit");
    // Two instances' workers on one database, small batches, at the same time.
    let run = |pool: app::db::Pool, url: String| async move {
        let worker = server::texter::Texter::new(
            server::texter::Provider::Http(server::texter::HttpGateway {
                url,
                method: axum::http::Method::POST,
                body: Some(r#"{"to":"{to}","text":"{text}","from":"{sender}"}"#.into()),
                format: server::texter::BodyFormat::Json,
                auth_header: None,
                sender: "Riyada".into(),
            }),
            server::texter::TexterSettings {
                batch: 3,
                ..Default::default()
            },
        )
        .expect("texter");
        let mut sent = 0;
        loop {
            let pass = worker.pass(&pool, backend).await.expect("pass");
            if pass.sent == 0 && pass.retrying == 0 {
                return sent;
            }
            sent += pass.sent;
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(run(t.state.pool.clone(), sink.url.clone())),
        tokio::spawn(run(t.state.pool.clone(), sink.url.clone()))
    );
    let (a, b) = (a.expect("worker a"), b.expect("worker b"));
    assert_eq!(a + b, 40, "sent {a} + {b}");
    let mut texts: Vec<String> = sink.received().into_iter().map(|m| m.text).collect();
    assert_eq!(texts.len(), 40);
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), 40, "no message twice");
}

async fn a_burst_gets_three_codes_an_hour(backend: Backend) {
    let t = app_with_mail(backend).await;
    t.register("منى خليل", OWNER_PHONE, "", "gaza").await;
    let burst: Vec<_> = (0..16).map(|_| ask_for_code(&t, OWNER_PHONE)).collect();
    for reply in futures_util::future::join_all(burst).await {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM sms_codes").await, 3);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM sms_outbox WHERE kind = 'reset_code'")
            .await,
        3
    );
}
