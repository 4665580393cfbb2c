//! What the audit log records: who did what to which object. One closed list of actions,
//! each named `verb_object`, so the log reads the same whichever area wrote it.
use crate::plan::lifecycle::PlanAction;
use crate::services::RequestAction;

crate::keyed! {
    /// A step worth keeping a record of.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum AuditAction {
        RegisterAccount = "register_account",
        SignIn = "sign_in",
        RequestPasswordReset = "request_password_reset",
        ResetPassword = "reset_password",
        ChangePassword = "change_password",
        UpdateProfile = "update_profile",
        MoveChamber = "move_chamber",
        SetEmailNotifications = "set_email_notifications",
        SetSmsNotifications = "set_sms_notifications",
        VerifyPhone = "verify_phone",
        CreateUser = "create_user",
        DeactivateUser = "deactivate_user",
        CreatePlan = "create_plan",
        ImportPlan = "import_plan",
        ExportPlan = "export_plan",
        RenamePlan = "rename_plan",
        DeletePlan = "delete_plan",
        RestorePlan = "restore_plan",
        SubmitPlan = "submit_plan",
        WithdrawPlan = "withdraw_plan",
        AssignPlan = "assign_plan",
        PickUpPlan = "pick_up_plan",
        RequestPlanChanges = "request_plan_changes",
        ApprovePlan = "approve_plan",
        RejectPlan = "reject_plan",
        ReferPlan = "refer_plan",
        MarkPlanFunded = "mark_plan_funded",
        MarkPlanOperating = "mark_plan_operating",
        UploadDocument = "upload_document",
        ReplaceDocument = "replace_document",
        DeleteDocument = "delete_document",
        VerifyDocument = "verify_document",
        RejectDocument = "reject_document",
        SetPlanChecklist = "set_plan_checklist",
        RequestService = "request_service",
        MarkRequestDocumentsMissing = "mark_request_documents_missing",
        ProvideRequestDocuments = "provide_request_documents",
        StartRequest = "start_request",
        AdvanceRequest = "advance_request",
        CancelRequest = "cancel_request",
        SaveService = "save_service",
        SetWeekend = "set_weekend",
        AddHoliday = "add_holiday",
        RemoveHoliday = "remove_holiday",
        ScorePlan = "score_plan",
        AbstainFromPlan = "abstain_from_plan",
        EditRubric = "edit_rubric",
        CommentOnPlan = "comment_on_plan",
        ReplyToComment = "reply_to_comment",
        ResolveComment = "resolve_comment",
        ReopenComment = "reopen_comment",
        AnswerComment = "answer_comment",
        EditEstablishment = "edit_establishment",
        RecordVisit = "record_visit",
    }
}

crate::keyed! {
    /// The kind of thing an audit row is about.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum AuditObject {
        User = "user",
        Plan = "plan",
        Document = "document",
        PlanChecklist = "plan_required_documents",
        Service = "service",
        ServiceRequest = "service_request",
        Settings = "settings",
        Rubric = "rubric",
        Establishment = "establishment",
    }
}

impl From<PlanAction> for AuditAction {
    fn from(action: PlanAction) -> AuditAction {
        match action {
            PlanAction::Submit => AuditAction::SubmitPlan,
            PlanAction::Withdraw => AuditAction::WithdrawPlan,
            PlanAction::Assign => AuditAction::AssignPlan,
            PlanAction::PickUp => AuditAction::PickUpPlan,
            PlanAction::RequestChanges => AuditAction::RequestPlanChanges,
            PlanAction::Approve => AuditAction::ApprovePlan,
            PlanAction::Reject => AuditAction::RejectPlan,
            PlanAction::Refer => AuditAction::ReferPlan,
            PlanAction::MarkFunded => AuditAction::MarkPlanFunded,
            PlanAction::MarkOperating => AuditAction::MarkPlanOperating,
        }
    }
}

impl From<RequestAction> for AuditAction {
    fn from(action: RequestAction) -> AuditAction {
        match action {
            RequestAction::MarkDocumentsMissing => AuditAction::MarkRequestDocumentsMissing,
            RequestAction::DocumentsProvided => AuditAction::ProvideRequestDocuments,
            RequestAction::Start => AuditAction::StartRequest,
            RequestAction::Advance => AuditAction::AdvanceRequest,
            RequestAction::Cancel => AuditAction::CancelRequest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_named_verb_object_once() {
        let mut keys: Vec<&str> = AuditAction::ALL.iter().map(|a| a.key()).collect();
        assert!(keys
            .iter()
            .all(|k| k.contains('_') && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count, "no two actions share a key");
    }

    #[test]
    fn every_lifecycle_step_has_its_own_audit_action() {
        let plan: Vec<AuditAction> = PlanAction::ALL.into_iter().map(AuditAction::from).collect();
        let request: Vec<AuditAction> = RequestAction::ALL.into_iter().map(AuditAction::from).collect();
        for (i, a) in plan.iter().chain(&request).enumerate() {
            assert!(!plan.iter().chain(&request).skip(i + 1).any(|b| a == b), "{a:?} twice");
        }
    }

    #[test]
    fn the_renaming_migration_leads_to_known_actions_only() {
        let sqlite = include_str!("../../migrations/sqlite/0010_audit_names.sql");
        let postgres = include_str!("../../migrations/postgres/0010_audit_names.sql");
        assert_eq!(sqlite, postgres, "both databases rename alike");
        let renamed: Vec<&str> = sqlite
            .lines()
            .filter_map(|line| line.strip_prefix("UPDATE audit_log SET action = '"))
            .filter_map(|rest| rest.split('\'').next())
            .collect();
        assert_eq!(renamed.len(), 25);
        for key in renamed {
            assert!(AuditAction::from_key(key).is_some(), "{key} is not an audit action");
        }
    }
}
