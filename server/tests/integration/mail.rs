//! E-mail through a real SMTP server (aiosmtpd), on SQLite and PostgreSQL: the outbox is
//! written with the step it tells about, SMTP being down loses nothing, two workers send
//! each message once, people can turn e-mail off, and password reset by e-mail.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use serde_json::json;

on_both_databases!(
    a_change_request_reaches_the_owner_by_email,
    smtp_down_delays_mail_and_loses_nothing,
    two_workers_send_each_message_once,
    people_who_turn_email_off_get_none,
    password_reset_by_email,
);

const FULL_PLAN: &str = include_str!("../fixtures/full-plan.json");

/// An owner (with e-mail) whose plan is in review with the Gaza advisor; returns the owner's
/// cookie, the advisor's cookie and the plan.
pub(crate) async fn plan_in_review(t: &TestApp, owner_email: &str) -> (String, String, i64) {
    let owner = t.register("سارة أحمد", "0599123456", owner_email, "gaza").await;
    let plan = t
        .call_json("plans/import", &json!({"document": FULL_PLAN}), Some(&owner))
        .await
        .json()
        .as_i64()
        .expect("plan id");
    let advisor_id = t.staff("advisor", "advisor@gaza.ps", "gaza").await;
    t.staff("chamber-manager", "manager@gaza.ps", "gaza").await;
    let advisor = t.login("advisor@gaza.ps", PASSWORD).await;
    let manager = t.login("manager@gaza.ps", PASSWORD).await;
    let plan_s = plan.to_string();
    let advisor_s = advisor_id.to_string();
    for (cookie, fields) in [
        (
            &owner,
            vec![("plan_id", plan_s.as_str()), ("action", "submit"), ("message", "")],
        ),
        (
            &manager,
            vec![
                ("plan_id", plan_s.as_str()),
                ("action", "assign"),
                ("message", ""),
                ("advisor_id", advisor_s.as_str()),
            ],
        ),
    ] {
        let reply = t.call("case/transition", &form(&fields), Some(cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    (owner, advisor, plan)
}

pub(crate) async fn request_changes(t: &TestApp, advisor: &str, plan: i64, message: &str) {
    let reply = t
        .call(
            "case/transition",
            &form(&[
                ("plan_id", &plan.to_string()),
                ("action", "request_changes"),
                ("message", message),
            ]),
            Some(advisor),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn a_change_request_reaches_the_owner_by_email(backend: Backend) {
    let t = app_with_mail(backend).await;
    let sink = SmtpSink::start().await;
    let (_, advisor, plan) = plan_in_review(&t, "sara@example.ps").await;
    request_changes(&t, &advisor, plan, "أضيفي عرض سعر لماكينة الخياطة <مهم>").await;
    // Submit → the manager, assign → the advisor, changes requested → the owner.
    let pass = mailer(&sink.url()).pass(&t.state.pool, backend).await.expect("pass");
    assert_eq!(pass.sent, 3, "{pass:?}");
    let received = sink.received();
    let to_owner: Vec<&Received> = received.iter().filter(|m| m.to == "sara@example.ps").collect();
    assert_eq!(to_owner.len(), 1, "{received:?}");
    let mail = to_owner[0];
    assert!(mail.subject.starts_with("ريادة"), "{}", mail.subject);
    assert!(mail.subject.contains("مشغل خياطة أم أحمد"), "{}", mail.subject);
    assert!(mail.text.contains("مرحبًا سارة أحمد"), "{}", mail.text);
    assert!(
        mail.text.contains("> أضيفي عرض سعر لماكينة الخياطة <مهم>"),
        "{}",
        mail.text
    );
    assert!(
        mail.text.contains(&format!("{PUBLIC_URL}/plans/{plan}#case")),
        "{}",
        mail.text
    );
    assert!(mail.html.contains("dir=\"rtl\""), "{}", mail.html);
    assert!(
        mail.html.contains("&lt;مهم&gt;"),
        "the message is escaped: {}",
        mail.html
    );
    assert!(received.iter().any(|m| m.to == "advisor@gaza.ps"));
    assert!(received.iter().any(|m| m.to == "manager@gaza.ps"));
    // Sent once: a second pass finds nothing to do.
    let again = mailer(&sink.url()).pass(&t.state.pool, backend).await.expect("pass");
    assert_eq!(again, server::mailer::Pass::default());
    assert_eq!(sink.received().len(), 3);
}

async fn smtp_down_delays_mail_and_loses_nothing(backend: Backend) {
    let t = app_with_mail(backend).await;
    // Nothing listens on this port yet: the SMTP server is down.
    let port = SmtpSink::port_free();
    let worker = mailer_retrying_after(&format!("smtp://127.0.0.1:{port}"), 60);
    let (_, advisor, plan) = plan_in_review(&t, "sara@example.ps").await;
    // The advisor's step succeeds all the same.
    request_changes(&t, &advisor, plan, "راجعي التكاليف الثابتة").await;
    let pass = worker.pass(&t.state.pool, backend).await.expect("pass");
    assert_eq!((pass.sent, pass.retrying), (0, 3), "{pass:?}");
    let pending = t
        .count("SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL AND attempts = 1 AND last_error IS NOT NULL")
        .await;
    assert_eq!(pending, 3);
    // Not due again before the back-off.
    assert_eq!(worker.pass(&t.state.pool, backend).await.expect("pass").retrying, 0);
    let sink = SmtpSink::start_on(port).await;
    // A minute later.
    sqlx::query("UPDATE email_outbox SET next_attempt_at = next_attempt_at - 60 WHERE sent_at IS NULL")
        .execute(&t.state.pool)
        .await
        .expect("aged");
    let pass = worker.pass(&t.state.pool, backend).await.expect("pass");
    assert_eq!(pass.sent, 3, "{pass:?}");
    let received = sink.received();
    assert_eq!(received.len(), 3);
    assert!(received
        .iter()
        .any(|m| m.to == "sara@example.ps" && m.text.contains("راجعي التكاليف الثابتة")));
}

async fn two_workers_send_each_message_once(backend: Backend) {
    let t = app_with_mail(backend).await;
    let sink = SmtpSink::start().await;
    let email = app::notify::email::Email {
        subject: String::new(),
        text: "نص".into(),
        html: "<p>نص</p>".into(),
    };
    let mut tx = t.state.pool.begin().await.expect("tx");
    for n in 0..40 {
        let message = app::notify::email::Email {
            subject: format!("رسالة {n}"),
            ..email.clone()
        };
        app::notify::store::enqueue(
            &mut tx,
            None,
            &format!("person{n}@example.ps"),
            app::notify::store::MailKind::Notification,
            &message,
            app::db::now(),
        )
        .await
        .expect("enqueue");
    }
    tx.commit().await.expect("commit");
    // Two instances' workers on one database, small batches, at the same time.
    let run = |pool: app::db::Pool, url: String| async move {
        let mut settings = server::mailer::MailerSettings {
            batch: 3,
            ..Default::default()
        };
        settings.retry_base_secs = 1;
        let worker = server::mailer::Mailer::new(&url, "Riyada <no-reply@riyada.test>", settings).expect("mailer");
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
        tokio::spawn(run(t.state.pool.clone(), sink.url())),
        tokio::spawn(run(t.state.pool.clone(), sink.url()))
    );
    let (a, b) = (a.expect("worker a"), b.expect("worker b"));
    assert_eq!(a + b, 40, "sent {a} + {b}");
    let mut subjects: Vec<String> = sink.received().into_iter().map(|m| m.subject).collect();
    assert_eq!(subjects.len(), 40);
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 40, "no message twice");
}

async fn people_who_turn_email_off_get_none(backend: Backend) {
    let t = app_with_mail(backend).await;
    let sink = SmtpSink::start().await;
    let (owner, advisor, plan) = plan_in_review(&t, "sara@example.ps").await;
    let profile = t.call("profile/get", "", Some(&owner)).await.json();
    assert_eq!(profile["email_notifications"], json!(true));
    let off = t
        .call(
            "profile/email-notifications",
            &form(&[("enabled", "false")]),
            Some(&owner),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(
        t.call("profile/get", "", Some(&owner)).await.json()["email_notifications"],
        json!(false)
    );
    request_changes(&t, &advisor, plan, "رسالة").await;
    mailer(&sink.url()).pass(&t.state.pool, backend).await.expect("pass");
    assert!(sink.received().iter().all(|m| m.to != "sara@example.ps"));
    // The in-app notification is there all the same.
    let inbox = t.call("notifications/list", "", Some(&owner)).await.json();
    assert_eq!(inbox["items"][0]["topic"]["action"], json!("request_changes"));
    // Signed out, the switch is refused.
    let anonymous = t
        .call("profile/email-notifications", &form(&[("enabled", "true")]), None)
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

fn reset_token(mail: &Received) -> String {
    let start = mail.text.find("token=").expect("a reset link") + "token=".len();
    mail.text[start..start + 64].to_string()
}

async fn password_reset_by_email(backend: Backend) {
    // Without SMTP the portal says it cannot send, rather than pretending.
    let plain = app(backend).await;
    let off = plain
        .call("auth/forgot-password", &form(&[("email", "sara@example.ps")]), None)
        .await;
    assert_eq!(off.status, StatusCode::SERVICE_UNAVAILABLE);

    let t = app_with_mail(backend).await;
    let sink = SmtpSink::start().await;
    let old_session = t.register("Sara Ahmad", "0599123456", "sara@example.ps", "gaza").await;
    // A link to the language switch sets the cookie only: a page elsewhere cannot change
    // what the account's e-mail is written in.
    let followed = t.get("/lang/en?next=/", Some(&old_session)).await;
    assert_eq!(followed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM users WHERE locale = 'en'").await,
        0,
        "a GET writes nothing to the account"
    );
    // English chosen with the menu's button (a same-site POST): the e-mail is in English.
    let switched = t
        .raw(
            "POST",
            "/lang/en",
            b"next=%2F".to_vec(),
            "application/x-www-form-urlencoded",
            Some(&old_session),
        )
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.headers[axum::http::header::LOCATION], "/");
    for address in ["Sara@Example.ps", "nobody@example.ps"] {
        let reply = t.call("auth/forgot-password", &form(&[("email", address)]), None).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "same answer for {address}: {}",
            reply.body
        );
    }
    let bad = t
        .call("auth/forgot-password", &form(&[("email", "not an address")]), None)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    mailer(&sink.url()).pass(&t.state.pool, backend).await.expect("pass");
    let received = sink.received();
    assert_eq!(received.len(), 1, "only the existing account gets mail: {received:?}");
    let mail = &received[0];
    assert_eq!(mail.to, "sara@example.ps");
    assert!(mail.subject.contains("Reset your password"), "{}", mail.subject);
    assert!(mail.html.contains("dir=\"ltr\""));
    assert!(mail.text.contains(&format!("{PUBLIC_URL}/reset-password?token=")));
    let token = reset_token(mail);
    // Sent, the message keeps no link in the outbox: only that it went, to whom and when.
    assert_eq!(
        t.count("SELECT COUNT(*) FROM email_outbox WHERE kind = 'password_reset' AND sent_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM email_outbox WHERE text_body LIKE '%{token}%' OR html_body LIKE '%{token}%' \
             OR (kind = 'password_reset' AND (text_body <> '' OR html_body <> ''))"
        ))
        .await,
        0
    );
    // The database keeps only a hash of the token.
    let stored = t
        .count(&format!(
            "SELECT COUNT(*) FROM password_resets WHERE token_hash = '{token}'"
        ))
        .await;
    assert_eq!(stored, 0);

    let reset = |token: String, password: &'static str| {
        let t = &t;
        async move {
            t.call(
                "auth/reset-password",
                &form(&[("token", &token), ("password", password)]),
                None,
            )
            .await
        }
    };
    let short = reset(token.clone(), "short").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let forged = reset("0".repeat(64), "a-new-password-7").await;
    assert_eq!(forged.status, StatusCode::GONE);
    let done = reset(token.clone(), "a-new-password-7").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    // Old sessions are over; the old password no longer works, the new one does.
    assert_eq!(t.call("auth/me", "", Some(&old_session)).await.json(), json!(null));
    let old = t
        .call(
            "auth/login",
            &form(&[("identifier", "0599123456"), ("password", PASSWORD)]),
            None,
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    t.login("sara@example.ps", "a-new-password-7").await;
    // Single use.
    assert_eq!(reset(token, "another-password-8").await.status, StatusCode::GONE);

    // A link older than 30 minutes does not work.
    let reply = t
        .call("auth/forgot-password", &form(&[("email", "sara@example.ps")]), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    mailer(&sink.url()).pass(&t.state.pool, backend).await.expect("pass");
    let token = reset_token(sink.received().last().expect("second mail"));
    sqlx::query("UPDATE password_resets SET expires_at = expires_at - 1801 WHERE used_at IS NULL")
        .execute(&t.state.pool)
        .await
        .expect("age the link");
    assert_eq!(reset(token, "a-third-password-9").await.status, StatusCode::GONE);

    // A link sent before a password change cannot undo the change.
    t.call("auth/forgot-password", &form(&[("email", "sara@example.ps")]), None)
        .await;
    mailer(&sink.url()).pass(&t.state.pool, backend).await.expect("pass");
    let before_change = reset_token(sink.received().last().expect("third mail"));
    let signed_in = t.login("sara@example.ps", "a-new-password-7").await;
    let changed = t
        .call(
            "profile/password",
            &form(&[
                ("current_password", "a-new-password-7"),
                ("new_password", "changed-myself-10"),
            ]),
            Some(&signed_in),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(
        reset(before_change, "the-thief-wants-11").await.status,
        StatusCode::GONE
    );
    t.login("sara@example.ps", "changed-myself-10").await;

    // Registered with English chosen: English e-mail from the start.
    let english = t
        .call(
            "auth/register",
            &registration("Omar Khalil", "0599123458", "omar@example.ps", "gaza"),
            Some("i18n_pref_locale=en"),
        )
        .await;
    assert_eq!(english.status, StatusCode::OK, "{}", english.body);
    t.call("auth/forgot-password", &form(&[("email", "omar@example.ps")]), None)
        .await;
    mailer(&sink.url()).pass(&t.state.pool, backend).await.expect("pass");
    let to_omar = sink
        .received()
        .into_iter()
        .find(|m| m.to == "omar@example.ps")
        .expect("mail to Omar");
    assert!(to_omar.subject.contains("Reset your password"), "{}", to_omar.subject);
}
