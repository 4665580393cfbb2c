//! The names of the portal's states, steps, roles and document types in the reader's
//! language.
use crate::i18n::*;
use domain::audit::{AuditAction, AuditObject};
use domain::documents::{DocumentStatus, DocumentType};
use domain::establishments::{EstablishmentSource, EstablishmentStanding};
use domain::plan::lifecycle::PlanAction;
use domain::plan::status::PlanStatus;
use domain::plan::tables::Choices;
use domain::roles::Role;
use domain::services::{RequestAction, RequestStatus};
use domain::stats::FunnelStage;
use domain::validation::Gender;

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

/// An audit action in words.
pub fn audit_action_text(locale: Locale, action: AuditAction) -> String {
    use AuditAction as A;
    match action {
        A::RegisterAccount => td_string!(locale, audit_actions.register_account),
        A::SignIn => td_string!(locale, audit_actions.sign_in),
        A::RequestPasswordReset => td_string!(locale, audit_actions.request_password_reset),
        A::ResetPassword => td_string!(locale, audit_actions.reset_password),
        A::ChangePassword => td_string!(locale, audit_actions.change_password),
        A::UpdateProfile => td_string!(locale, audit_actions.update_profile),
        A::MoveChamber => td_string!(locale, audit_actions.move_chamber),
        A::SetEmailNotifications => td_string!(locale, audit_actions.set_email_notifications),
        A::SetSmsNotifications => td_string!(locale, audit_actions.set_sms_notifications),
        A::VerifyPhone => td_string!(locale, audit_actions.verify_phone),
        A::CreateUser => td_string!(locale, audit_actions.create_user),
        A::DeactivateUser => td_string!(locale, audit_actions.deactivate_user),
        A::CreatePlan => td_string!(locale, audit_actions.create_plan),
        A::ImportPlan => td_string!(locale, audit_actions.import_plan),
        A::ExportPlan => td_string!(locale, audit_actions.export_plan),
        A::RenamePlan => td_string!(locale, audit_actions.rename_plan),
        A::DeletePlan => td_string!(locale, audit_actions.delete_plan),
        A::RestorePlan => td_string!(locale, audit_actions.restore_plan),
        A::SubmitPlan => td_string!(locale, audit_actions.submit_plan),
        A::WithdrawPlan => td_string!(locale, audit_actions.withdraw_plan),
        A::AssignPlan => td_string!(locale, audit_actions.assign_plan),
        A::PickUpPlan => td_string!(locale, audit_actions.pick_up_plan),
        A::RequestPlanChanges => td_string!(locale, audit_actions.request_plan_changes),
        A::ApprovePlan => td_string!(locale, audit_actions.approve_plan),
        A::RejectPlan => td_string!(locale, audit_actions.reject_plan),
        A::ReferPlan => td_string!(locale, audit_actions.refer_plan),
        A::MarkPlanFunded => td_string!(locale, audit_actions.mark_plan_funded),
        A::MarkPlanOperating => td_string!(locale, audit_actions.mark_plan_operating),
        A::UploadDocument => td_string!(locale, audit_actions.upload_document),
        A::ReplaceDocument => td_string!(locale, audit_actions.replace_document),
        A::DeleteDocument => td_string!(locale, audit_actions.delete_document),
        A::VerifyDocument => td_string!(locale, audit_actions.verify_document),
        A::RejectDocument => td_string!(locale, audit_actions.reject_document),
        A::SetPlanChecklist => td_string!(locale, audit_actions.set_plan_checklist),
        A::RequestService => td_string!(locale, audit_actions.request_service),
        A::MarkRequestDocumentsMissing => td_string!(locale, audit_actions.mark_request_documents_missing),
        A::ProvideRequestDocuments => td_string!(locale, audit_actions.provide_request_documents),
        A::StartRequest => td_string!(locale, audit_actions.start_request),
        A::AdvanceRequest => td_string!(locale, audit_actions.advance_request),
        A::CancelRequest => td_string!(locale, audit_actions.cancel_request),
        A::SaveService => td_string!(locale, audit_actions.save_service),
        A::SetWeekend => td_string!(locale, audit_actions.set_weekend),
        A::AddHoliday => td_string!(locale, audit_actions.add_holiday),
        A::RemoveHoliday => td_string!(locale, audit_actions.remove_holiday),
        A::ScorePlan => td_string!(locale, audit_actions.score_plan),
        A::AbstainFromPlan => td_string!(locale, audit_actions.abstain_from_plan),
        A::EditRubric => td_string!(locale, audit_actions.edit_rubric),
        A::CommentOnPlan => td_string!(locale, audit_actions.comment_on_plan),
        A::ReplyToComment => td_string!(locale, audit_actions.reply_to_comment),
        A::ResolveComment => td_string!(locale, audit_actions.resolve_comment),
        A::ReopenComment => td_string!(locale, audit_actions.reopen_comment),
        A::AnswerComment => td_string!(locale, audit_actions.answer_comment),
        A::EditEstablishment => td_string!(locale, audit_actions.edit_establishment),
        A::RecordVisit => td_string!(locale, audit_actions.record_visit),
    }
    .to_string()
}

/// The kind of object an audit row is about, in words.
pub fn audit_object_text(locale: Locale, object: AuditObject) -> String {
    use AuditObject as O;
    match object {
        O::User => td_string!(locale, audit_objects.user),
        O::Plan => td_string!(locale, audit_objects.plan),
        O::Document => td_string!(locale, audit_objects.document),
        O::PlanChecklist => td_string!(locale, audit_objects.plan_required_documents),
        O::Service => td_string!(locale, audit_objects.service),
        O::ServiceRequest => td_string!(locale, audit_objects.service_request),
        O::Settings => td_string!(locale, audit_objects.settings),
        O::Rubric => td_string!(locale, audit_objects.rubric),
        O::Establishment => td_string!(locale, audit_objects.establishment),
    }
    .to_string()
}

pub fn funnel_stage_text(locale: Locale, stage: FunnelStage) -> String {
    match stage {
        FunnelStage::Drafted => td_string!(locale, funnel_stages.drafted),
        FunnelStage::Submitted => td_string!(locale, funnel_stages.submitted),
        FunnelStage::InReview => td_string!(locale, funnel_stages.in_review),
        FunnelStage::Approved => td_string!(locale, funnel_stages.approved),
        FunnelStage::Referred => td_string!(locale, funnel_stages.referred),
        FunnelStage::Funded => td_string!(locale, funnel_stages.funded),
        FunnelStage::Operating => td_string!(locale, funnel_stages.operating),
    }
    .to_string()
}

/// The name of one value of a closed list (legal form, sector) in the reader's language.
pub fn choice_label(locale: Locale, choices: Choices, key: &str) -> &'static str {
    match (choices, key) {
        (Choices::LegalForm, "sole_trader") => td_string!(locale, legal_forms.sole_trader),
        (Choices::LegalForm, "partnership") => td_string!(locale, legal_forms.partnership),
        (Choices::LegalForm, "company") => td_string!(locale, legal_forms.company),
        (Choices::LegalForm, "cooperative") => td_string!(locale, legal_forms.cooperative),
        (Choices::LegalForm, "not_registered") => td_string!(locale, legal_forms.not_registered),
        (Choices::Sector, "agriculture_food") => td_string!(locale, sectors_list.agriculture_food),
        (Choices::Sector, "manufacturing_crafts") => td_string!(locale, sectors_list.manufacturing_crafts),
        (Choices::Sector, "trade") => td_string!(locale, sectors_list.trade),
        (Choices::Sector, "services") => td_string!(locale, sectors_list.services),
        (Choices::Sector, "ict_digital") => td_string!(locale, sectors_list.ict_digital),
        (Choices::Sector, "tourism_hospitality") => td_string!(locale, sectors_list.tourism_hospitality),
        (Choices::Sector, "construction") => td_string!(locale, sectors_list.construction),
        (Choices::Sector, "education_training") => td_string!(locale, sectors_list.education_training),
        (Choices::Sector, "health_care") => td_string!(locale, sectors_list.health_care),
        (Choices::Sector, "creative") => td_string!(locale, sectors_list.creative),
        (Choices::Sector, _) => td_string!(locale, sectors_list.other),
        (Choices::LegalForm, _) => td_string!(locale, tables.choose),
    }
}

/// Why a project is in the establishments register, in words.
pub fn establishment_source_text(locale: Locale, source: EstablishmentSource) -> String {
    match source {
        EstablishmentSource::Operating => td_string!(locale, establishments.source_operating),
        EstablishmentSource::ChamberMembership => td_string!(locale, establishments.source_chamber_membership),
        EstablishmentSource::CompanyRegistration => td_string!(locale, establishments.source_company_registration),
    }
    .to_string()
}

/// Where an establishment stands after its latest visit, in words.
pub fn establishment_standing_text(locale: Locale, standing: EstablishmentStanding) -> String {
    match standing {
        EstablishmentStanding::NotVisited => td_string!(locale, establishments.standing_not_visited),
        EstablishmentStanding::Operating => td_string!(locale, establishments.standing_operating),
        EstablishmentStanding::Closed => td_string!(locale, establishments.standing_closed),
    }
    .to_string()
}

/// The genders a filter form offers, as (URL value, name) pairs.
pub fn gender_choices(locale: Locale) -> Vec<(String, String)> {
    [
        (Gender::Female, td_string!(locale, fields.gender_female)),
        (Gender::Male, td_string!(locale, fields.gender_male)),
    ]
    .into_iter()
    .map(|(gender, name)| (gender.key().to_string(), name.to_string()))
    .collect()
}
