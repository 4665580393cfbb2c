//! "My plans": the entrepreneur's list of plans, with create, rename and delete. Plain
//! forms, so everything works with JavaScript off too.
use crate::components::form::{
    field_error_signal, succeeded, successes, use_form_draft, ErrorSignal, ErrorSummary, FieldError, TextField,
};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::error::AppError;
use crate::i18n::*;
use crate::label;
use crate::lang::{currency_name, plan_status_text, problem_text};
use crate::plan::{list_plans, CreatePlan, DeletePlan, PlanSummary, RenamePlan};
use domain::plan::financials::Currency;
use domain::plan::status::PlanStatus;
use domain::validation::{Date, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// What the last successful action on this page was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PlanNotice {
    Created,
    Renamed,
    Deleted,
}

#[component]
pub fn PlansPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreatePlan>::new();
    let rename = ServerAction::<RenamePlan>::new();
    let delete = ServerAction::<DeletePlan>::new();
    let (created, renamed) = (successes(create), successes(rename));
    let plans = Resource::new(
        move || (created.get(), renamed.get(), delete.version().get()),
        |_| list_plans(),
    );
    let draft = use_form_draft::<CreatePlan>();
    // One confirmation at a time: the latest successful action's (after a plain form post,
    // the one the address names).
    let marked = [
        (succeeded(create), PlanNotice::Created),
        (succeeded(rename), PlanNotice::Renamed),
        (succeeded(delete), PlanNotice::Deleted),
    ];
    let notice = RwSignal::new(
        marked
            .iter()
            .find(|(done, _)| done.get_untracked())
            .map(|(_, notice)| *notice),
    );
    Effect::new(move |_| matches!(create.value().get(), Some(Ok(_))).then(|| notice.set(Some(PlanNotice::Created))));
    Effect::new(move |_| matches!(rename.value().get(), Some(Ok(_))).then(|| notice.set(Some(PlanNotice::Renamed))));
    Effect::new(move |_| matches!(delete.value().get(), Some(Ok(_))).then(|| notice.set(Some(PlanNotice::Deleted))));
    view! {
        <Title text=move || td_string!(i18n, plans.title) />
        <Suspense fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let draft = draft.await;
                match plans.await {
                    Ok(list) => {
                        view! {
                            <CreatePlanForm create title=draft.get("title") currency=draft.get("currency") />
                            <PlanList list rename delete notice=notice.read_only() />
                            <ImportPlanPart />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreatePlanForm(create: ServerAction<CreatePlan>, title: Option<String>, currency: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let value = Signal::derive(move || create.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let currency_message = field_error_signal(error, Field::Currency);
    let chosen = currency.unwrap_or_else(|| "ILS".to_string());
    view! {
        <section class="card">
            <h1>{td!(i18n, plans.title)}</h1>
            <p>{td!(i18n, plans.intro)}</p>
            <h2>{td!(i18n, plans.create_title)}</h2>
            <ServerForm action=create attr:novalidate=true>
                <ErrorSummary error />
                <TextField
                    id="plan_title"
                    name="title"
                    field=Field::PlanTitle
                    error
                    label=label!(i18n, fields.plan_title)
                    hint=label!(i18n, fields.plan_title_hint)
                    maxlength=120
                    value=title
                />
                <div class="field" class:has-error=move || currency_message.get().is_some()>
                    <label for="plan_currency">{td!(i18n, fields.currency)}</label>
                    <select
                        id="plan_currency"
                        name="currency"
                        aria-describedby=move || currency_message.get().map(|_| "plan_currency-error")
                    >
                        {Currency::ALL
                            .into_iter()
                            .map(|c| {
                                let key = c.key();
                                view! {
                                    <option value=key selected=chosen == key>
                                        {move || currency_name(i18n, c)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldError id="plan_currency-error".to_string() message=currency_message />
                </div>
                <button type="submit" class="button primary" disabled=move || create.pending().get()>
                    {td!(i18n, plans.create_submit)}
                </button>
            </ServerForm>
        </section>
    }
}

#[component]
fn PlanList(
    list: Vec<PlanSummary>,
    rename: ServerAction<RenamePlan>,
    delete: ServerAction<DeletePlan>,
    notice: ReadSignal<Option<PlanNotice>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = list.len();
    let rename_error: ErrorSignal = Signal::derive(move || rename.value().get().and_then(Result::err));
    let delete_error: ErrorSignal = Signal::derive(move || delete.value().get().and_then(Result::err));
    // A rename names no field of its own row, so its problem is spelled out here.
    let rename_problem = move || {
        rename_error
            .get()
            .and_then(|e| e.field_errors().first().map(|fe| problem_text(i18n, fe.problem)))
    };
    view! {
        <section class="card">
            <h2>{move || td_string!(i18n, plans.count, count = count).to_string()}</h2>
            <ErrorSummary error=rename_error />
            {move || rename_problem().map(|p| view! { <p class="field-error">{p}</p> })}
            <ErrorSummary error=delete_error />
            {move || {
                notice
                    .get()
                    .map(|n| {
                        let text = match n {
                            PlanNotice::Created => td_string!(i18n, plans.created),
                            PlanNotice::Renamed => td_string!(i18n, plans.renamed),
                            PlanNotice::Deleted => td_string!(i18n, plans.deleted),
                        };
                        view! {
                            <p class="form-notice" role="status">
                                {text}
                            </p>
                        }
                    })
            }}
            <ul class="plan-list">
                {list.into_iter().map(|plan| view! { <PlanItem plan rename delete /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn PlanItem(plan: PlanSummary, rename: ServerAction<RenamePlan>, delete: ServerAction<DeletePlan>) -> impl IntoView {
    let i18n = use_i18n();
    let id = plan.id;
    let status = plan.status;
    let input_id = format!("plan-{id}-title");
    let shown_title = plan.title.clone();
    let updated = Date::from_unix(plan.updated_at).iso();
    view! {
        <li class="plan-item">
            <h3 class="plan-title">
                <A href=format!("/plans/{id}")>{shown_title}</A>
            </h3>
            <p class="plan-meta">
                <span>{td!(i18n, plans.status)}": "{move || plan_status_text(i18n, status)}</span>
                " · "
                <span>{td!(i18n, plans.updated)}": "<bdi>{updated}</bdi></span>
                " · "
                <span>{move || currency_name(i18n, plan.currency)}</span>
            </p>
            {status
                .owner_may_edit()
                .then(|| {
                    view! {
                        <ServerForm action=rename attr:class="row-form">
                            <input type="hidden" name="plan_id" value=id.to_string() />
                            <label for=input_id.clone()>{td!(i18n, fields.plan_title)}</label>
                            <input
                                id=input_id.clone()
                                type="text"
                                name="title"
                                value=plan.title.clone()
                                maxlength=120
                                required=true
                            />
                            <button type="submit" class="button">
                                {td!(i18n, plans.rename)}
                            </button>
                        </ServerForm>
                    }
                })}
            {(status == PlanStatus::Draft)
                .then(|| {
                    view! {
                        <ServerForm action=delete attr:class="row-form">
                            <input type="hidden" name="plan_id" value=id.to_string() />
                            <button type="submit" class="button danger">
                                {td!(i18n, plans.delete)}
                            </button>
                        </ServerForm>
                    }
                })}
        </li>
    }
}

/// Plan import as an island where the page is started by the islands build, a plain part
/// of the app elsewhere.
#[component]
fn ImportPlanPart() -> impl IntoView {
    if crate::components::page_start::draws_islands() {
        view! { <ImportPlanIsland /> }.into_any()
    } else {
        view! { <ImportPlanForm /> }.into_any()
    }
}

#[island]
fn ImportPlanIsland() -> impl IntoView {
    view! { <ImportPlanForm /> }
}

/// Import a `riyada.plan.v1` file as a new plan. The file is read in the browser, so this
/// needs JavaScript; the button stays disabled until the page is hydrated.
///
/// Island-ready (docs/architecture.md, "Parts that need the browser"): it decides the page's
/// language itself and opens the new plan with a page load, not with the app's router.
#[component]
fn ImportPlanForm() -> impl IntoView {
    let i18n = provide_page_language();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let file_input = NodeRef::<leptos::html::Input>::new();
    let problem = RwSignal::new(None::<ImportProblem>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = file_input
                .get()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
                problem.set(Some(ImportProblem::NoFile));
                return;
            };
            if file.size() > crate::plan::IMPORT_MAX_BYTES as f64 {
                problem.set(Some(ImportProblem::Server(AppError::TooLarge)));
                return;
            }
            busy.set(true);
            leptos::task::spawn_local(async move {
                // A promise of the browser's own: lighter in the WASM than a FileReader wrapper.
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string());
                let result = match text {
                    Some(text) => crate::plan::import_plan(text).await.map_err(ImportProblem::Server),
                    None => Err(ImportProblem::Unreadable),
                };
                busy.set(false);
                match result {
                    Ok(id) => {
                        if let Err(err) = window().location().assign(&format!("/plans/{id}")) {
                            leptos::logging::error!("the imported plan could not be opened: {err:?}");
                        }
                    }
                    Err(p) => problem.set(Some(p)),
                }
            });
        }
    };
    let message = move || {
        let locale = i18n;
        problem.get().map(|p| match p {
            ImportProblem::NoFile => (td_string!(locale, transfer.import_choose).to_string(), Vec::new()),
            ImportProblem::Unreadable => (td_string!(locale, transfer.import_unreadable).to_string(), Vec::new()),
            ImportProblem::Server(AppError::TooLarge) => {
                (td_string!(locale, transfer.import_too_large).to_string(), Vec::new())
            }
            ImportProblem::Server(AppError::InvalidPlan(problems)) => (
                crate::lang::error_text(locale, &AppError::InvalidPlan(Vec::new())),
                problems
                    .iter()
                    .map(|p| crate::plan::report::plan_problem_text(locale, p))
                    .collect(),
            ),
            ImportProblem::Server(other) => (crate::lang::error_text(locale, &other), Vec::new()),
        })
    };
    view! {
        <section class="card">
            <h2>{td!(i18n, transfer.import_title)}</h2>
            <p class="notice needs-js">{td!(i18n, transfer.needs_js)}</p>
            <form on:submit=submit novalidate=true>
                {move || {
                    message()
                        .map(|(text, lines)| {
                            view! {
                                <div class="error-summary" role="alert">
                                    <p>{text}</p>
                                    <ul class="problems">
                                        {lines
                                            .into_iter()
                                            .map(|l| {
                                                view! {
                                                    <li>
                                                        <bdi>{l}</bdi>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </div>
                            }
                        })
                }}
                <div class="field">
                    <label for="import-file">{td!(i18n, transfer.import_label)}</label>
                    <input id="import-file" type="file" accept=".json,application/json" node_ref=file_input />
                </div>
                <button type="submit" class="button" disabled=move || !hydrated.get() || busy.get()>
                    {td!(i18n, transfer.import_button)}
                </button>
            </form>
        </section>
    }
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum ImportProblem {
    NoFile,
    Unreadable,
    Server(AppError),
}
