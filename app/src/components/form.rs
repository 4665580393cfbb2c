//! Form pieces that show server-side validation errors next to the right input, with the
//! ARIA wiring screen readers need.
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{error_text, problem_text};
use domain::validation::Field;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The chambers as the `<option>`s of a select, named in the reader's language, with the
/// one whose code is `selected` chosen.
#[component]
pub fn ChamberOptions(chambers: Vec<domain::reference::ChamberChoice>, selected: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    chambers
        .into_iter()
        .map(|c| {
            let is_selected = selected.as_deref() == Some(c.code.as_str());
            view! {
                <option value=c.code.clone() selected=is_selected>
                    {move || crate::lang::pick(i18n, &c.name).to_string()}
                </option>
            }
        })
        .collect_view()
}

/// Whether the last submission of `action` succeeded: its answer, where the app runs the
/// form; after a plain form post (JavaScript off, or a page of server HTML around islands),
/// the `done` mark naming its server function in the address the server sent the reader
/// back to (`guard::respond`). Not for the inside of an island, which has no router.
pub fn succeeded<S>(action: ServerAction<S>) -> Signal<bool>
where
    S: server_fn::ServerFn + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let marked = leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get(crate::error::DONE_PARAM).as_deref() == Some(S::PATH));
    Signal::derive(move || {
        action
            .value()
            .with(|answer| answer.as_ref().map(Result::is_ok))
            .unwrap_or(marked)
    })
}

/// The error of the last submission, if any.
pub type ErrorSignal = Signal<Option<AppError>>;

/// A number that changes when `action` succeeds, and only then. A page keyed on it reloads
/// after a save but not after a refusal, which changed nothing on the server: the reload
/// would cost a phone its data and redraw the form under the person correcting it.
pub fn successes<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: server_fn::ServerFn + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    Memo::new(move |before: Option<&usize>| {
        // The version is counted before the value is set, so when the value changes the
        // version already names this answer.
        let succeeded = action.value().with(|answer| matches!(answer, Some(Ok(_))));
        match before {
            Some(&before) if !succeeded => before,
            _ => action.version().get_untracked(),
        }
    })
}

// `try_get`: a page its reader cancelled may still be rendered once after its signals are
// gone (see docs/architecture.md, "Pages finish even when their reader leaves"); then it shows no error.
fn field_message(error: &ErrorSignal, field: Field, locale: Locale) -> Option<String> {
    error.try_get().flatten().and_then(|e| {
        e.field_errors()
            .iter()
            .find(|fe| fe.field == field)
            .map(|fe| problem_text(locale, fe.problem))
    })
}

/// The sentence above the form: what went wrong overall. When it appears, the focus moves
/// to it, so a phone scrolls up to it from the button at the bottom of a long form, and the
/// fields below it say which of them to fix.
///
/// Only an answer that arrives while the summary is on the page moves the focus. A summary
/// drawn again for an error already shown (its page re-rendered after a reload) leaves the
/// focus where the person has put it since, often in the field she is correcting.
#[component]
pub fn ErrorSummary(error: ErrorSignal) -> impl IntoView {
    let i18n = use_i18n();
    let summary = NodeRef::<leptos::html::P>::new();
    Effect::new(move |already_drawn: Option<()>| {
        let shown = error.try_get().flatten().is_some();
        if shown && already_drawn.is_some() {
            if let Some(summary) = summary.get() {
                let _ = summary.focus();
            }
        }
    });
    move || {
        error.try_get().flatten().map(|e| {
            view! {
                <p class="form-error" role="alert" tabindex="-1" autofocus node_ref=summary>
                    {error_text(i18n, &e)}
                </p>
            }
        })
    }
}

/// A success message, announced politely.
#[component]
pub fn Notice(show: Signal<bool>, children: ChildrenFn) -> impl IntoView {
    move || {
        show.get().then(|| {
            view! {
                <p class="form-notice" role="status">
                    {children()}
                </p>
            }
        })
    }
}

/// A labelled input with its hint and its error message.
#[component]
pub fn TextField(
    /// `id` of the input; the label, hint and error hang off it.
    id: &'static str,
    /// Form field name as the server function expects it.
    name: &'static str,
    field: Field,
    error: ErrorSignal,
    label: Signal<String>,
    #[prop(optional)] hint: Option<Signal<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(default = None, into)] value: Option<String>,
    #[prop(default = 200)] maxlength: u32,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || field_message(&error, field, i18n);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id>{move || label.get()}</label>
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id.clone()>
                            {move || h.get()}
                        </p>
                    }
                })}
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                value=value
                maxlength=maxlength
                required=required
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
            />
            <FieldError id=error_id message=Signal::derive(message) />
        </div>
    }
}

/// The error line under an input (also used by selects and radio groups).
#[component]
pub fn FieldError(id: String, message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <p class="field-error" id=id.clone()>
                    {m}
                </p>
            }
        })
    }
}

/// The error message for `field`, as a signal (for selects and radio groups).
pub fn field_error_signal(error: ErrorSignal, field: Field) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || field_message(&error, field, i18n))
}

/// Shorthand for a translated label as a signal.
#[macro_export]
macro_rules! label {
    ($i18n:ident, $($key:tt)+) => {
        Signal::derive(move || $crate::i18n::td_string!($i18n, $($key)+).to_string())
    };
}

/// What was typed before a failed plain form post (JavaScript off), to put back in the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Draft(pub Vec<(String, String)>);

impl Draft {
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }
}

/// The draft for server function `S`. After a failed plain form post the framework
/// redirects back with `__path` naming the function in the URL; only then is it loaded.
pub fn use_form_draft<S: server_fn::ServerFn>() -> Resource<Draft> {
    let query = use_query_map();
    Resource::new(
        move || query.read().get("__path").is_some_and(|p| p == S::PATH),
        |failed| async move {
            if failed {
                Draft(get_form_draft(S::PATH.to_string()).await.unwrap_or_default())
            } else {
                Draft::default()
            }
        },
    )
}

/// What was typed into the form posting to `path` before its last error, when it was sent
/// without JavaScript (see `guard::respond_form`). Only the caller's own session is read.
#[server(endpoint = "form/draft")]
pub async fn get_form_draft(path: String) -> Result<Vec<(String, String)>, AppError> {
    crate::guard::respond(crate::guard::form_draft(&path).await)
}

/// The "from" and "to" days of a GET filter form (`from`, `to` in the URL), each with what
/// the server found wrong in it.
#[component]
pub fn DateRangeFilter(
    /// Their ids are `{prefix}-from` and `{prefix}-to`.
    prefix: &'static str,
    #[prop(into)] from_label: String,
    #[prop(into)] to_label: String,
    from: String,
    to: String,
    from_problem: Option<String>,
    to_problem: Option<String>,
) -> impl IntoView {
    view! {
        <FilterInput
            id=format!("{prefix}-from")
            name="from"
            label=from_label
            kind="date"
            value=from
            problem=from_problem
        />
        <FilterInput id=format!("{prefix}-to") name="to" label=to_label kind="date" value=to problem=to_problem />
    }
}

/// A labelled input of a GET filter form, with what the server found wrong in its value
/// below it (the value stays as typed, in the URL).
#[component]
pub fn FilterInput(
    /// The element's id, unique on the page.
    #[prop(into)]
    id: String,
    name: &'static str,
    #[prop(into)] label: String,
    /// The input's type: `text`, `search` or `date`.
    #[prop(default = "text")]
    kind: &'static str,
    value: String,
    problem: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let has_problem = problem.is_some();
    view! {
        <div class="field" class:has-error=has_problem>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                maxlength=(kind != "date").then_some("100")
                value=value
                aria-invalid=has_problem.then_some("true")
                aria-describedby=has_problem.then(|| error_id.clone())
            />
            {problem
                .map(|m| {
                    view! {
                        <p class="field-error" id=error_id>
                            {m}
                        </p>
                    }
                })}
        </div>
    }
}

/// The chamber choice of a GET filter form, shown only to those who see every chamber.
#[component]
pub fn ChamberFilter(
    /// Prefix of the element's id (one page may hold several forms).
    prefix: &'static str,
    /// Whether the reader sees every chamber (the Fund); otherwise nothing is shown.
    every_chamber: bool,
    any: String,
    chambers: Vec<(String, String)>,
    selected: String,
) -> impl IntoView {
    let i18n = use_i18n();
    every_chamber.then(|| {
        view! {
            <FilterChoice
                prefix=prefix
                id="chamber"
                label=td_string!(i18n, queue.chamber)
                any=any
                options=chambers
                selected=selected
            />
        }
    })
}

/// A labelled choice list of a GET filter form; the first option, `any`, means "no filter"
/// (none when `any` is empty).
#[component]
pub fn FilterChoice(
    /// Prefix of the element's id (one page may hold several forms).
    prefix: &'static str,
    id: &'static str,
    label: &'static str,
    any: String,
    options: Vec<(String, String)>,
    selected: String,
) -> impl IntoView {
    let input_id = format!("{prefix}-{id}");
    view! {
        <div class="field">
            <label for=input_id.clone()>{label}</label>
            <select id=input_id name=id>
                {(!any.is_empty()).then(|| view! { <option value="">{any}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let chosen = value == selected;
                        view! {
                            <option value=value selected=chosen>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
