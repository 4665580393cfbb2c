//! Turning typed values (errors, roles, reference names) into text in the reader's language.
use crate::domain::roles::Role;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::i18n::*;

/// Picks the Arabic or English form of a name stored in both.
pub fn pick<'a>(locale: Locale, ar: &'a str, en: &'a str) -> &'a str {
    match locale {
        Locale::ar => ar,
        Locale::en => en,
    }
}

pub fn role_text(locale: Locale, role: Role) -> String {
    match role {
        Role::Entrepreneur => td_string!(locale, roles.entrepreneur),
        Role::Advisor => td_string!(locale, roles.advisor),
        Role::ChamberManager => td_string!(locale, roles.chamber_manager),
        Role::FundAdmin => td_string!(locale, roles.fund_admin),
    }
    .to_string()
}

pub fn plan_status_text(locale: Locale, status: crate::plan::domain::PlanStatus) -> String {
    use crate::plan::domain::PlanStatus as S;
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

pub fn error_text(locale: Locale, error: &AppError) -> String {
    match error {
        AppError::Invalid(_) | AppError::InvalidCells(_) => td_string!(locale, errors.invalid).to_string(),
        AppError::InvalidPlan(_) => td_string!(locale, errors.invalid_plan).to_string(),
        AppError::File(problem) => crate::documents::pages::file_problem_text(locale, *problem),
        AppError::Refused(refusal) => match refusal {
            crate::case::lifecycle::Refusal::WrongState => td_string!(locale, errors.wrong_state).to_string(),
            crate::case::lifecycle::Refusal::NotTheirs => td_string!(locale, errors.forbidden).to_string(),
            crate::case::lifecycle::Refusal::NotReady => td_string!(locale, errors.not_ready).to_string(),
        },
        AppError::Unauthenticated => td_string!(locale, errors.unauthenticated).to_string(),
        AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
        AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
        AppError::BadCredentials => td_string!(locale, errors.bad_credentials).to_string(),
        AppError::Throttled { minutes } => td_string!(locale, errors.throttled, count = *minutes).to_string(),
        AppError::Conflict { .. } => td_string!(locale, errors.conflict).to_string(),
        AppError::TooLarge => td_string!(locale, errors.too_large).to_string(),
        AppError::MailOff => td_string!(locale, errors.mail_off).to_string(),
        AppError::ResetLinkInvalid => td_string!(locale, errors.reset_link_invalid).to_string(),
        AppError::Internal => td_string!(locale, errors.internal).to_string(),
        AppError::Transport(_) => td_string!(locale, errors.transport).to_string(),
    }
}

pub fn problem_text(locale: Locale, problem: Problem) -> String {
    match problem {
        Problem::Required => td_string!(locale, problems.required).to_string(),
        Problem::TooShort { min } => td_string!(locale, problems.too_short, count = min).to_string(),
        Problem::TooLong { max } => td_string!(locale, problems.too_long, count = max).to_string(),
        Problem::InvalidPhone => td_string!(locale, problems.invalid_phone).to_string(),
        Problem::InvalidEmail => td_string!(locale, problems.invalid_email).to_string(),
        Problem::InvalidDate => td_string!(locale, problems.invalid_date).to_string(),
        Problem::AgeOutOfRange { min, max } => {
            td_string!(locale, problems.age_out_of_range, min = min, max = max).to_string()
        }
        Problem::Taken => td_string!(locale, problems.taken).to_string(),
        Problem::UnknownChoice => td_string!(locale, problems.unknown_choice).to_string(),
        Problem::ControlCharacters => td_string!(locale, problems.control_characters).to_string(),
        Problem::Mismatch => td_string!(locale, problems.mismatch).to_string(),
        Problem::TooMany { max } => td_string!(locale, problems.too_many, count = max).to_string(),
        Problem::InvalidNumber => td_string!(locale, problems.invalid_number).to_string(),
        Problem::WholeNumber => td_string!(locale, problems.whole_number).to_string(),
        Problem::TooManyDecimals { max } => td_string!(locale, problems.too_many_decimals, count = max).to_string(),
        Problem::OutOfRange { min, max } => td_string!(locale, problems.out_of_range, min = min, max = max).to_string(),
        Problem::Negative => td_string!(locale, problems.negative).to_string(),
        Problem::AmountTooLarge => td_string!(locale, problems.amount_too_large).to_string(),
        Problem::OverCount => td_string!(locale, problems.over_count).to_string(),
        Problem::TooManyRows { max } => td_string!(locale, problems.too_many_rows, count = max).to_string(),
        Problem::InvalidMonth => td_string!(locale, problems.invalid_month).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_plural_forms_follow_cldr() {
        // 8 characters: "few" (3–10) → أحرف; 11: "many" → حرفًا; 100: "other" → حرف.
        assert!(problem_text(Locale::ar, Problem::TooShort { min: 8 }).contains("8 أحرف"));
        assert!(problem_text(Locale::ar, Problem::TooLong { max: 11 }).contains("11 حرفًا"));
        assert!(problem_text(Locale::ar, Problem::TooLong { max: 100 }).contains("100 حرف."));
        assert!(problem_text(Locale::ar, Problem::TooShort { min: 2 }).contains("حرفين"));
        assert_eq!(
            problem_text(Locale::en, Problem::TooShort { min: 1 }),
            "Must be at least 1 character."
        );
        assert_eq!(
            problem_text(Locale::en, Problem::TooShort { min: 8 }),
            "Must be at least 8 characters."
        );
    }

    #[test]
    fn throttle_message_names_the_minutes() {
        assert!(error_text(Locale::ar, &AppError::Throttled { minutes: 15 }).contains("15 دقيقة"));
        assert!(error_text(Locale::ar, &AppError::Throttled { minutes: 2 }).contains("دقيقتين"));
        assert!(error_text(Locale::en, &AppError::Throttled { minutes: 15 }).contains("15 minutes"));
    }

    #[test]
    fn every_role_has_a_name_in_both_languages() {
        for role in Role::ALL {
            assert!(!role_text(Locale::ar, role).is_empty());
            assert_ne!(role_text(Locale::ar, role), role_text(Locale::en, role));
        }
    }
}
