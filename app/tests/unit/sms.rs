//! The text messages the portal sends: each fits one segment, with its link.
use app::i18n::Locale;
use app::notify::sms::*;
use app::notify::{Notification, Topic};
use domain::documents::DocumentStatus;
use domain::plan::lifecycle::PlanAction;
use domain::services::RequestAction;
use domain::sms::{segments, Encoding};

/// As long as a national portal's address is likely to be.
const BASE: &str = "https://riyada.pef.ps";

fn every_topic() -> Vec<Topic> {
    let mut topics: Vec<Topic> = PlanAction::ALL.iter().map(|a| Topic::PlanStep(*a)).collect();
    topics.extend(DocumentStatus::ALL.iter().map(|s| Topic::DocumentReviewed(*s)));
    topics.push(Topic::ServiceRequested);
    topics.extend(RequestAction::ALL.iter().map(|a| Topic::ServiceStep(*a)));
    topics
}

fn notification(topic: Topic) -> Notification {
    Notification {
        id: 1,
        topic,
        plan_id: Some(987_654),
        plan_title: Some("مخبز العائلة".into()),
        document_type: None,
        request_id: Some(987_654),
        service_name: None,
        message: Some("رسالة طويلة من المستشار لا تدخل في الرسالة النصية".into()),
        created_at: 0,
        read: false,
    }
}

#[test]
fn every_notification_fits_one_segment_with_its_link() {
    for locale in [Locale::ar, Locale::en] {
        for topic in every_topic() {
            let n = notification(topic);
            let text = notification_sms(locale, &n, BASE);
            assert!(text.ends_with(&format!("{BASE}{}", n.link())), "{text}");
            let cost = segments(&text);
            assert_eq!(cost.count, 1, "{locale:?} {topic:?}: {text} ({} units)", cost.units);
        }
    }
}

#[test]
fn arabic_goes_as_ucs2_and_english_as_gsm() {
    let n = notification(Topic::PlanStep(PlanAction::RequestChanges));
    let ar = notification_sms(Locale::ar, &n, BASE);
    assert!(ar.starts_with("طُلبت تعديلات"), "{ar}");
    assert_eq!(segments(&ar).encoding, Encoding::Ucs2);
    let en = notification_sms(Locale::en, &n, BASE);
    assert_eq!(
        en,
        "Changes were requested to your plan https://riyada.pef.ps/plans/987654#case"
    );
    assert_eq!(segments(&en).encoding, Encoding::Gsm7);
}

#[test]
fn the_reset_code_message_fits_one_segment() {
    let ar = reset_code_sms(Locale::ar, "012345");
    assert!(ar.contains("012345"), "{ar}");
    assert_eq!(segments(&ar).count, 1, "{ar}: {:?}", segments(&ar));
    for locale in [Locale::ar, Locale::en] {
        let verify = verify_code_sms(locale, "012345");
        assert!(verify.contains("012345"), "{verify}");
        assert_eq!(segments(&verify).count, 1, "{verify}");
    }
    let en = reset_code_sms(Locale::en, "012345");
    assert!(en.contains("012345") && en.contains("10 minutes"), "{en}");
    assert_eq!(segments(&en).count, 1);
}
