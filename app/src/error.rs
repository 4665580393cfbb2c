//! The one error type of the application layer. It travels from server functions to the UI
//! as JSON and is turned into a sentence in the reader's language by `i18n::error_message`.
use domain::documents::FileProblem;
use domain::plan::financials::PlanProblem;
use domain::plan::tables::CellError;
use domain::standing::Refusal;
use domain::validation::{Field, FieldError, Problem};
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
    /// A rubric the Fund edited that cannot be used; nothing was changed.
    #[error("invalid rubric")]
    RubricInvalid(Vec<domain::review::rubric::RubricProblem>),
    /// A file that cannot be accepted; nothing of it was kept.
    #[error("file refused")]
    File(FileProblem),
    /// A lifecycle step this person may not take now.
    #[error("step refused")]
    Refused(Refusal),
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
    /// This server sends no text messages (no SMS provider is configured).
    #[error("SMS is off")]
    SmsOff,
    /// A password-reset link that is unknown, used or expired.
    #[error("reset link invalid")]
    ResetLinkInvalid,
    /// Heavy work (a PDF) is already running for as many people as the server takes at once.
    #[error("busy")]
    Busy,
    /// The request body is larger than the server accepts.
    #[error("request too large")]
    TooLarge,
    /// The arguments of a server function do not read (a value outside a closed list, a
    /// missing field, malformed data): the same answer from every area, nothing changed.
    #[error("bad request")]
    BadRequest,
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
            AppError::Invalid(_)
            | AppError::InvalidCells(_)
            | AppError::InvalidPlan(_)
            | AppError::RubricInvalid(_) => 422,
            AppError::File(problem) => problem.status(),
            AppError::Refused(refusal) => match refusal {
                Refusal::WrongState => 409,
                Refusal::NotTheirs => 403,
                Refusal::NotReady => 422,
            },
            AppError::BadRequest => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::BadCredentials => 401,
            AppError::Throttled { .. } => 429,
            AppError::TooLarge => 413,
            AppError::MailOff | AppError::SmsOff | AppError::Busy => 503,
            AppError::ResetLinkInvalid => 410,
            AppError::Conflict { .. } => 409,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// One input with one problem; nothing was changed.
    pub fn invalid(field: Field, problem: Problem) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, problem)])
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
        match value {
            // On the server these mean the arguments did not read: a client's mistake, 400.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                set_status(400);
                AppError::BadRequest
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// The address parameter that names the server function whose plain form post just
/// succeeded: the server sends the reader back to the form's page with it
/// (`guard::respond`), and the page says that it worked (`components::form::succeeded`).
pub const DONE_PARAM: &str = "done";

/// Was this request a plain HTML form post (JavaScript off)? Then the framework answers with
/// a redirect back to the form carrying the error, and the status must stay 302.
#[cfg(feature = "ssr")]
pub(crate) fn is_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Sets the status of this server function's answer, unless it is a plain form post.
#[cfg(feature = "ssr")]
pub fn set_status(status: u16) {
    if is_form_post() {
        return;
    }
    if let (Some(options), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        options.set_status(status);
    }
}

/// Logs why something failed, once, inside the request's span (which carries its id), and
/// answers [`AppError::Internal`]: `.map_err(internal("what failed"))`.
#[cfg(feature = "ssr")]
pub fn internal<E: std::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> AppError {
    move |cause| {
        tracing::error!(%cause, "{what}");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}
