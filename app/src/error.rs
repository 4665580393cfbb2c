//! The one error type of the application layer. It travels from server functions to the UI
//! as JSON and is turned into a sentence in the reader's language by `i18n::error_message`.
use crate::documents::domain::FileProblem;
use crate::domain::validation::FieldError;
use crate::plan::financials::PlanProblem;
use crate::plan::tables::CellError;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// One or more inputs are wrong; nothing was changed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Cells of a table that do not read; nothing was saved.
    #[error("invalid table cells")]
    InvalidCells(Vec<CellError>),
    /// A plan document with problems, each naming its JSON path.
    #[error("invalid plan document")]
    InvalidPlan(Vec<PlanProblem>),
    /// A file that cannot be accepted; nothing of it was kept.
    #[error("file refused")]
    File(FileProblem),
    /// A lifecycle step this person may not take now.
    #[error("step refused")]
    Refused(crate::case::lifecycle::Refusal),
    /// The caller must sign in first.
    #[error("sign-in required")]
    Unauthenticated,
    /// Signed in, but not allowed to do this.
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Unknown account, wrong password or deactivated account: one answer for all, so the
    /// reply does not tell whether an account exists.
    #[error("wrong credentials")]
    BadCredentials,
    #[error("too many attempts")]
    Throttled { minutes: u32 },
    /// The thing changed elsewhere since the caller loaded it (revision `revision` now);
    /// `saved` is the version on the server, so the person can choose.
    #[error("changed elsewhere")]
    Conflict { revision: i64, saved: String },
    /// This server sends no e-mail (no SMTP server is configured).
    #[error("e-mail is off")]
    MailOff,
    /// A password-reset link that is unknown, used or expired.
    #[error("reset link invalid")]
    ResetLinkInvalid,
    /// The request body is larger than the server accepts.
    #[error("request too large")]
    TooLarge,
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    /// HTTP status for the response carrying this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) | AppError::InvalidCells(_) | AppError::InvalidPlan(_) => 422,
            AppError::File(problem) => problem.status(),
            AppError::Refused(refusal) => match refusal {
                crate::case::lifecycle::Refusal::WrongState => 409,
                crate::case::lifecycle::Refusal::NotTheirs => 403,
                crate::case::lifecycle::Refusal::NotReady => 422,
            },
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::BadCredentials => 401,
            AppError::Throttled { .. } => 429,
            AppError::TooLarge => 413,
            AppError::MailOff => 503,
            AppError::ResetLinkInvalid => 410,
            AppError::Conflict { .. } => 409,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}
