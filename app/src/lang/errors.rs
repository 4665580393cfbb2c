//! Errors and input problems as sentences in the reader's language.
use crate::error::AppError;
use crate::i18n::*;
use domain::documents::FileProblem;
use domain::standing::Refusal;
use domain::validation::Problem;

pub fn error_text(locale: Locale, error: &AppError) -> String {
    match error {
        AppError::Invalid(_) | AppError::InvalidCells(_) | AppError::RubricInvalid(_) => {
            td_string!(locale, errors.invalid).to_string()
        }
        AppError::InvalidPlan(_) => td_string!(locale, errors.invalid_plan).to_string(),
        AppError::File(problem) => file_problem_text(locale, *problem),
        AppError::Refused(refusal) => match refusal {
            Refusal::WrongState => td_string!(locale, errors.wrong_state).to_string(),
            Refusal::NotTheirs => td_string!(locale, errors.forbidden).to_string(),
            Refusal::NotReady => td_string!(locale, errors.not_ready).to_string(),
        },
        AppError::Unauthenticated => td_string!(locale, errors.unauthenticated).to_string(),
        AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
        AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
        AppError::BadCredentials => td_string!(locale, errors.bad_credentials).to_string(),
        AppError::Throttled { minutes } => td_string!(locale, errors.throttled, count = *minutes).to_string(),
        AppError::Conflict { .. } => td_string!(locale, errors.conflict).to_string(),
        AppError::TooLarge => td_string!(locale, errors.too_large).to_string(),
        AppError::BadRequest => td_string!(locale, errors.bad_request).to_string(),
        AppError::MailOff => td_string!(locale, errors.mail_off).to_string(),
        AppError::SmsOff => td_string!(locale, errors.sms_off).to_string(),
        AppError::Busy => td_string!(locale, errors.busy).to_string(),
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
        Problem::WrongCode => td_string!(locale, problems.wrong_code).to_string(),
        Problem::YouthOverCount => td_string!(locale, problems.youth_over_count).to_string(),
        Problem::TooManyRows { max } => td_string!(locale, problems.too_many_rows, count = max).to_string(),
        Problem::InvalidMonth => td_string!(locale, problems.invalid_month).to_string(),
        Problem::RubricChanged => td_string!(locale, problems.rubric_changed).to_string(),
        Problem::FutureDate => td_string!(locale, problems.future_date).to_string(),
        Problem::InvalidRegistrationNumber => td_string!(locale, problems.invalid_registration_number).to_string(),
        Problem::JobsAtClosed => td_string!(locale, problems.jobs_at_closed).to_string(),
        Problem::CaseWithChamber => td_string!(locale, problems.case_with_chamber).to_string(),
        Problem::PasswordForContact => td_string!(locale, problems.password_for_contact).to_string(),
    }
}

pub fn file_problem_text(locale: Locale, problem: FileProblem) -> String {
    use FileProblem as P;
    match problem {
        P::Empty => td_string!(locale, file_problems.empty).to_string(),
        P::TooLarge { max_mb } => td_string!(locale, file_problems.too_large, max = max_mb).to_string(),
        P::QuotaFull { quota_mb } => td_string!(locale, file_problems.quota_full, max = quota_mb).to_string(),
        P::UnsupportedType => td_string!(locale, file_problems.unsupported_type).to_string(),
        P::ExtensionMismatch => td_string!(locale, file_problems.extension_mismatch).to_string(),
        P::Damaged => td_string!(locale, file_problems.damaged).to_string(),
        P::Infected => td_string!(locale, file_problems.infected).to_string(),
        P::ScanUnavailable => td_string!(locale, file_problems.scan_unavailable).to_string(),
        P::OutOfOrder { .. } => td_string!(locale, file_problems.out_of_order).to_string(),
        P::UnknownType => td_string!(locale, file_problems.unknown_type).to_string(),
        P::TooMany { max } => td_string!(locale, file_problems.too_many, max = max).to_string(),
        P::ServerFull => td_string!(locale, file_problems.server_full).to_string(),
    }
}
