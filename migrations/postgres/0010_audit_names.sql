-- The audit log names every action `verb_object`, whichever area wrote it (the list is
-- `domain::audit::AuditAction`). Rows written before that used a mix of styles: renamed here.
UPDATE audit_log SET action = 'register_account' WHERE action = 'register';
UPDATE audit_log SET action = 'sign_in' WHERE action = 'login';
UPDATE audit_log SET action = 'request_password_reset' WHERE action = 'password_reset_requested';
UPDATE audit_log SET action = 'reset_password' WHERE action = 'password_reset';
UPDATE audit_log SET action = 'set_email_notifications' WHERE action = 'email_notifications';
UPDATE audit_log SET action = 'submit_plan' WHERE action = 'plan_submit';
UPDATE audit_log SET action = 'withdraw_plan' WHERE action = 'plan_withdraw';
UPDATE audit_log SET action = 'assign_plan' WHERE action = 'plan_assign';
UPDATE audit_log SET action = 'pick_up_plan' WHERE action = 'plan_pick_up';
UPDATE audit_log SET action = 'request_plan_changes' WHERE action = 'plan_request_changes';
UPDATE audit_log SET action = 'approve_plan' WHERE action = 'plan_approve';
UPDATE audit_log SET action = 'reject_plan' WHERE action = 'plan_reject';
UPDATE audit_log SET action = 'refer_plan' WHERE action = 'plan_refer';
UPDATE audit_log SET action = 'mark_plan_funded' WHERE action = 'plan_mark_funded';
UPDATE audit_log SET action = 'mark_plan_operating' WHERE action = 'plan_mark_operating';
UPDATE audit_log SET action = 'request_service' WHERE action = 'service_requested';
UPDATE audit_log SET action = 'mark_request_documents_missing' WHERE action = 'service_mark_documents_missing';
UPDATE audit_log SET action = 'provide_request_documents' WHERE action = 'service_documents_provided';
UPDATE audit_log SET action = 'start_request' WHERE action = 'service_start';
UPDATE audit_log SET action = 'advance_request' WHERE action = 'service_advance';
UPDATE audit_log SET action = 'cancel_request' WHERE action = 'service_cancel';
UPDATE audit_log SET action = 'save_service' WHERE action = 'service_saved';
UPDATE audit_log SET action = 'set_weekend' WHERE action = 'weekend_set';
UPDATE audit_log SET action = 'add_holiday' WHERE action = 'holiday_added';
UPDATE audit_log SET action = 'remove_holiday' WHERE action = 'holiday_removed';
