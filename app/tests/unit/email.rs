//! The e-mail the portal sends, in the recipient's language and direction.
use app::i18n::Locale;
use app::notify::email::*;
use app::notify::{Notification, Topic};
use domain::plan::lifecycle::PlanAction;

fn changes_requested(message: Option<&str>) -> Notification {
    Notification {
        id: 1,
        topic: Topic::PlanStep(PlanAction::RequestChanges),
        plan_id: Some(7),
        plan_title: Some("مخبز <العائلة>".into()),
        document_type: None,
        request_id: None,
        service_name: None,
        message: message.map(str::to_string),
        created_at: 0,
        read: false,
    }
}

#[test]
fn arabic_mail_reads_right_to_left_and_links_to_the_plan() {
    let n = changes_requested(Some("أضيفوا عرض سعر للفرن"));
    let mail = notification_email(Locale::ar, "سلمى", &n, "https://riyada.example");
    assert!(mail.html.contains("lang=\"ar\" dir=\"rtl\""));
    assert!(mail.html.contains("direction:rtl"));
    assert!(mail.text.contains("سلمى"));
    assert!(mail.text.contains("> أضيفوا عرض سعر للفرن"));
    assert!(mail.text.contains("https://riyada.example/plans/7#case"));
    assert!(mail.html.contains("href=\"https://riyada.example/plans/7#case\""));
    assert!(mail.subject.starts_with("ريادة"));
    assert!(mail.subject.contains("مخبز <العائلة>"));
}

#[test]
fn english_mail_reads_left_to_right() {
    let mail = notification_email(Locale::en, "Salma", &changes_requested(None), "http://x");
    assert!(mail.html.contains("lang=\"en\" dir=\"ltr\""));
    assert!(mail.subject.starts_with("Riyada"));
    assert!(mail.text.contains("asked for changes"));
    assert!(!mail.text.contains("> "), "no quoted message when there is none");
}

#[test]
fn what_people_typed_cannot_become_markup() {
    let n = changes_requested(Some("<script>alert(1)</script> & \"quotes\""));
    let mail = notification_email(Locale::ar, "<b>x</b>", &n, "http://x");
    assert!(!mail.html.contains("<script>"));
    assert!(!mail.html.contains("<b>x</b>"));
    assert!(mail
        .html
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assert!(mail.html.contains("مخبز &lt;العائلة&gt;"));
}

#[test]
fn long_titles_make_one_bounded_subject_line() {
    let mut n = changes_requested(None);
    n.plan_title = Some(format!("{}\r\nBcc: someone@example.com", "خطة ".repeat(80)));
    let mail = notification_email(Locale::ar, "سلمى", &n, "http://x");
    assert!(mail.subject.chars().count() <= SUBJECT_MAX);
    assert!(!mail.subject.contains('\n') && !mail.subject.contains('\r'));
    assert!(mail.subject.ends_with('…'));
}

#[test]
fn the_reset_mail_carries_its_link_and_expiry() {
    let mail = reset_email(Locale::ar, "سلمى", "https://riyada.example/reset-password?token=abc");
    assert!(mail.text.contains("https://riyada.example/reset-password?token=abc"));
    assert!(mail.text.contains("٣٠"));
    assert!(mail.html.contains("dir=\"rtl\""));
    let en = reset_email(Locale::en, "Salma", "http://x/reset-password?token=abc");
    assert!(en.text.contains("30 minutes"));
}
