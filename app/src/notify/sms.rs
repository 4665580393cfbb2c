//! The text messages the portal sends, in the recipient's language: one short sentence and
//! a link, written to fit one SMS segment (70 UCS-2 units in Arabic) with a public address
//! as long as `https://riyada.pef.ps`. Pure: no I/O, unit-tested.
use super::{Notification, Topic};
use crate::i18n::*;
use domain::documents::DocumentStatus;
use domain::plan::lifecycle::PlanAction;
use domain::services::RequestAction;

/// The message telling someone about a notification; `base_url` is the portal's address.
pub fn notification_sms(locale: Locale, n: &Notification, base_url: &str) -> String {
    format!("{} {base_url}{}", headline(locale, n.topic), n.link())
}

/// The message carrying a password-reset code.
pub fn reset_code_sms(locale: Locale, code: &str) -> String {
    td_string!(locale, sms.reset_code, code = code).to_string()
}

/// The message carrying a code that confirms the number.
pub fn verify_code_sms(locale: Locale, code: &str) -> String {
    td_string!(locale, sms.verify_code, code = code).to_string()
}

fn headline(locale: Locale, topic: Topic) -> &'static str {
    use PlanAction as A;
    use RequestAction as R;
    match topic {
        Topic::PlanStep(A::Submit) => td_string!(locale, sms.submitted),
        Topic::PlanStep(A::Withdraw) => td_string!(locale, sms.withdrawn),
        Topic::PlanStep(A::Assign) => td_string!(locale, sms.assigned),
        Topic::PlanStep(A::PickUp) => td_string!(locale, sms.picked_up),
        Topic::PlanStep(A::RequestChanges) => td_string!(locale, sms.changes_requested),
        Topic::PlanStep(A::Approve) => td_string!(locale, sms.approved),
        Topic::PlanStep(A::Reject) => td_string!(locale, sms.rejected),
        Topic::PlanStep(A::Refer) => td_string!(locale, sms.referred),
        Topic::PlanStep(A::MarkFunded) => td_string!(locale, sms.funded),
        Topic::PlanStep(A::MarkOperating) => td_string!(locale, sms.operating),
        Topic::DocumentReviewed(DocumentStatus::Verified) => td_string!(locale, sms.document_verified),
        Topic::DocumentReviewed(_) => td_string!(locale, sms.document_rejected),
        Topic::ServiceRequested => td_string!(locale, sms.service_requested),
        Topic::ServiceStep(R::MarkDocumentsMissing) => td_string!(locale, sms.service_documents_missing),
        Topic::ServiceStep(R::DocumentsProvided) => td_string!(locale, sms.service_documents_provided),
        Topic::ServiceStep(R::Start) => td_string!(locale, sms.service_started),
        Topic::ServiceStep(R::Advance) => td_string!(locale, sms.service_advanced),
        Topic::ServiceStep(R::Cancel) => td_string!(locale, sms.service_cancelled),
    }
}
