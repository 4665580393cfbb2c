//! The names of the portal's states, steps, roles and document types in the reader's
//! language.
use crate::i18n::*;
use domain::documents::{DocumentStatus, DocumentType};
use domain::plan::lifecycle::PlanAction;
use domain::plan::status::PlanStatus;
use domain::roles::Role;
use domain::services::{RequestAction, RequestStatus};

pub fn role_text(locale: Locale, role: Role) -> String {
    match role {
        Role::Entrepreneur => td_string!(locale, roles.entrepreneur),
        Role::Advisor => td_string!(locale, roles.advisor),
        Role::ChamberManager => td_string!(locale, roles.chamber_manager),
        Role::FundAdmin => td_string!(locale, roles.fund_admin),
    }
    .to_string()
}

pub fn plan_status_text(locale: Locale, status: PlanStatus) -> String {
    use PlanStatus as S;
    match status {
        S::Draft => td_string!(locale, plan_status.draft),
        S::Submitted => td_string!(locale, plan_status.submitted),
        S::InReview => td_string!(locale, plan_status.in_review),
        S::ChangesRequested => td_string!(locale, plan_status.changes_requested),
        S::Approved => td_string!(locale, plan_status.approved),
        S::Rejected => td_string!(locale, plan_status.rejected),
        S::Referred => td_string!(locale, plan_status.referred),
        S::Funded => td_string!(locale, plan_status.funded),
        S::Operating => td_string!(locale, plan_status.operating),
        S::Withdrawn => td_string!(locale, plan_status.withdrawn),
    }
    .to_string()
}

pub fn plan_action_text(locale: Locale, action: PlanAction) -> String {
    use PlanAction as A;
    match action {
        A::Submit => td_string!(locale, case.submit),
        A::Withdraw => td_string!(locale, case.withdraw),
        A::Assign => td_string!(locale, case.assign),
        A::PickUp => td_string!(locale, case.pick_up),
        A::RequestChanges => td_string!(locale, case.request_changes),
        A::Approve => td_string!(locale, case.approve),
        A::Reject => td_string!(locale, case.reject),
        A::Refer => td_string!(locale, case.refer),
        A::MarkFunded => td_string!(locale, case.mark_funded),
        A::MarkOperating => td_string!(locale, case.mark_operating),
    }
    .to_string()
}

pub fn doc_type_text(locale: Locale, doc_type: DocumentType) -> String {
    use DocumentType as T;
    match doc_type {
        T::IdCopy => td_string!(locale, document_types.id_copy),
        T::PersonalPhoto => td_string!(locale, document_types.personal_photo),
        T::LeaseContract => td_string!(locale, document_types.lease_contract),
        T::MunicipalLicence => td_string!(locale, document_types.municipal_licence),
        T::TraderCertificate => td_string!(locale, document_types.trader_certificate),
        T::CompanyRegistration => td_string!(locale, document_types.company_registration),
        T::ArticlesOfAssociation => td_string!(locale, document_types.articles_of_association),
        T::PowerOfAttorney => td_string!(locale, document_types.power_of_attorney),
        T::TrademarkSample => td_string!(locale, document_types.trademark_sample),
        T::Quotation => td_string!(locale, document_types.quotation),
        T::Other => td_string!(locale, document_types.other),
    }
    .to_string()
}

pub fn document_status_text(locale: Locale, status: DocumentStatus) -> String {
    match status {
        DocumentStatus::Uploaded => td_string!(locale, documents.status_uploaded),
        DocumentStatus::Verified => td_string!(locale, documents.status_verified),
        DocumentStatus::Rejected => td_string!(locale, documents.status_rejected),
    }
    .to_string()
}

pub fn request_status_text(locale: Locale, status: RequestStatus) -> String {
    match status {
        RequestStatus::Requested => td_string!(locale, services.status_requested),
        RequestStatus::DocumentsPending => td_string!(locale, services.status_documents_pending),
        RequestStatus::InProgress => td_string!(locale, services.status_in_progress),
        RequestStatus::Completed => td_string!(locale, services.status_completed),
        RequestStatus::Cancelled => td_string!(locale, services.status_cancelled),
    }
    .to_string()
}

pub fn request_action_text(locale: Locale, action: RequestAction) -> String {
    match action {
        RequestAction::MarkDocumentsMissing => td_string!(locale, services.mark_documents_missing),
        RequestAction::DocumentsProvided => td_string!(locale, services.documents_provided),
        RequestAction::Start => td_string!(locale, services.start),
        RequestAction::Advance => td_string!(locale, services.advance),
        RequestAction::Cancel => td_string!(locale, services.cancel),
    }
    .to_string()
}
