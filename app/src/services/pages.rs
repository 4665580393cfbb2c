//! Service pages: the catalogue and requesting a service, a request with its steps and
//! expected dates, the chamber's list, the informal → formal guide, and the Fund's editor.
//! Every form is a plain form posting to a server function, so all of it works without
//! JavaScript.
use super::{
    chamber_requests, get_calendar, get_catalogue, get_formalisation, get_request, my_requests, ActOnRequest,
    AddHoliday, RemoveHoliday, RequestDetail, RequestService, RequestSummary, SaveService, ServiceInfo, SetWeekend,
    StepInfo,
};
use crate::components::form::{
    field_error_signal, succeeded, successes, ErrorSignal, ErrorSummary, FieldError, Notice,
};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::i18n::*;
use crate::lang::{digits, doc_type_text, join_list, pick, request_action_text, request_status_text, when};
use domain::documents::DocumentType;
use domain::plan::financials::Currency;
use domain::services::{LegalForm, RequestAction, RequestStatus, Weekday};
use domain::validation::Field;
use domain::Bilingual;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn form_text(locale: Locale, form: LegalForm) -> String {
    match form {
        LegalForm::SoleTrader => td_string!(locale, legal_forms.sole_trader),
        LegalForm::Partnership => td_string!(locale, legal_forms.partnership),
        LegalForm::Company => td_string!(locale, legal_forms.company),
        LegalForm::Cooperative => td_string!(locale, legal_forms.cooperative),
    }
    .to_string()
}

fn weekday_text(locale: Locale, day: Weekday) -> String {
    match day {
        Weekday::Mon => td_string!(locale, services.mon),
        Weekday::Tue => td_string!(locale, services.tue),
        Weekday::Wed => td_string!(locale, services.wed),
        Weekday::Thu => td_string!(locale, services.thu),
        Weekday::Fri => td_string!(locale, services.fri),
        Weekday::Sat => td_string!(locale, services.sat),
        Weekday::Sun => td_string!(locale, services.sun),
    }
    .to_string()
}

fn fee_text(locale: Locale, fee: Option<i64>) -> String {
    match fee {
        None => td_string!(locale, services.fee_unknown).to_string(),
        Some(0) => td_string!(locale, services.fee_free).to_string(),
        Some(minor) => td_string!(
            locale,
            services.fee_amount,
            amount = domain::plan::tables::display_money(minor, Currency::ILS, locale == Locale::ar)
        )
        .to_string(),
    }
}

fn badge_class(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Completed => "badge badge-verified",
        RequestStatus::Cancelled => "badge badge-rejected",
        RequestStatus::DocumentsPending => "badge badge-rejected",
        _ => "badge badge-uploaded",
    }
}

/// The steps of a service or request: office, fee, working days and, when known, the
/// expected end; the current one marked.
#[component]
fn StepList(
    steps: Vec<StepInfo>,
    #[prop(optional)] current: u32,
    #[prop(optional)] ends: Vec<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="steps">
            {steps
                .into_iter()
                .enumerate()
                .map(|(i, step)| {
                    let number = i as u32 + 1;
                    let is_current = number == current;
                    let done = current > 0 && number < current;
                    let end = ends.get(i).cloned().flatten();
                    let days = step.working_days;
                    let fee = step.fee_minor;
                    let docs = step.documents.clone();
                    view! {
                        <li
                            class="step"
                            class:current=is_current
                            class:done=done
                            aria-current=is_current.then_some("step")
                        >
                            <strong>{move || pick(i18n, &step.name).to_string()}</strong>
                            {is_current
                                .then(|| {
                                    view! {
                                        " "
                                        <span class="badge badge-uploaded">{td!(i18n, services.current_step)}</span>
                                    }
                                })}
                            <span class="hint step-office">{move || pick(i18n, &step.office).to_string()}</span>
                            <span class="hint">
                                {move || {
                                    td_string!(i18n, services.working_days, n = digits(i18n, days.to_string()))
                                        .to_string()
                                }} " · "{move || fee_text(i18n, fee)}
                            </span>
                            {(!docs.is_empty())
                                .then(|| {
                                    let docs = docs.clone();
                                    view! {
                                        <span class="hint">
                                            {td!(i18n, services.step_documents)}": "
                                            {move || {
                                                let locale = i18n;
                                                join_list(locale, docs.iter().map(|d| doc_type_text(locale, *d)))
                                            }}
                                        </span>
                                    }
                                })}
                            {end
                                .map(|end| {
                                    view! {
                                        <span class="expected">
                                            {move || {
                                                td_string!(
                                                    i18n, services.expected_by,
                                date = digits(i18n, end.clone())
                                                )
                                                    .to_string()
                                            }}
                                        </span>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

#[component]
fn RequestList(requests: Vec<RequestSummary>, show_owner: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {requests.is_empty().then(|| view! { <p>{td!(i18n, services.no_requests)}</p> })}
        <ul class="request-list">
            {requests
                .into_iter()
                .map(|r| {
                    let href = format!("/services/requests/{}", r.id);
                    let status = r.status;
                    let (step, steps) = (r.step, r.steps);
                    let step_name = r.step_name.clone();
                    let expected = r.expected_done.clone();
                    let owner = r.owner_name.clone();
                    view! {
                        <li class="request-item">
                            <A href=href>{move || pick(i18n, &r.service_name).to_string()}</A>
                            {show_owner
                                .then(|| {
                                    view! {
                                        " — "
                                        <bdi>{owner}</bdi>
                                    }
                                })}
                            " "
                            <span class=badge_class(status)>{move || request_status_text(i18n, status)}</span>
                            {step_name
                                .map(|name| {
                                    view! {
                                        <span class="hint">
                                            {move || {
                                                td_string!(
                                                    i18n, services.step_of,
                                k = digits(i18n, step.to_string()),
                                n = digits(i18n, steps.to_string())
                                                )
                                                    .to_string()
                                            }} ": "{move || pick(i18n, &name).to_string()}
                                        </span>
                                    }
                                })}
                            {expected
                                .map(|date| {
                                    view! {
                                        <span class="hint">
                                            {move || {
                                                td_string!(
                                                    i18n, services.expected_done,
                                date = digits(i18n, date.clone())
                                                )
                                                    .to_string()
                                            }}
                                        </span>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// `/services`: the entrepreneur's requests and the catalogue to request from.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let request = ServerAction::<RequestService>::new();
    let catalogue = Resource::new(|| (), |_| get_catalogue());
    let requested = successes(request);
    let mine = Resource::new(move || requested.get(), |_| my_requests());
    let plans = Resource::new(|| (), |_| crate::plan::list_plans());
    let error: ErrorSignal = Signal::derive(move || request.value().get().and_then(Result::err));
    view! {
        <Title text=move || td_string!(i18n, services.title) />
        <section class="card">
            <h1>{td!(i18n, services.title)}</h1>
            <p>{td!(i18n, services.intro)}" "<A href="/services/formalise">{td!(i18n, services.formalise_link)}</A></p>
            <h2>{td!(i18n, services.my_requests)}</h2>
            <Transition fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok(list) => view! { <RequestList requests=list show_owner=false /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="card" id="catalogue">
            <h2>{td!(i18n, services.catalogue)}</h2>
            <ErrorSummary error />
            <Suspense fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    let plans = plans.await.unwrap_or_default();
                    match catalogue.await {
                        Ok(services) => {
                            services
                                .into_iter()
                                .map(|service| {
                                    view! { <ServiceCard service plans=plans.clone() request error /> }
                                })
                                .collect_view()
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ServiceCard(
    service: ServiceInfo,
    plans: Vec<crate::plan::PlanSummary>,
    request: ServerAction<RequestService>,
    error: ErrorSignal,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = service.id;
    let total = service.total_days();
    let docs = service.documents();
    let note_id = format!("note-{id}");
    let plan_id = format!("plan-{id}");
    let note_error = field_error_signal(error, Field::Note);
    let name = service.name.clone();
    let summary = service.summary.clone();
    view! {
        <details class="service" id=format!("service-{}", service.code)>
            <summary>
                <strong>{move || pick(i18n, &name).to_string()}</strong>
                " "
                <span class="hint">
                    {move || {
                        td_string!(i18n, services.about_days,
                    n = digits(i18n, total.to_string()))
                            .to_string()
                    }}
                </span>
            </summary>
            <p>{move || pick(i18n, &summary).to_string()}</p>
            {(!docs.is_empty())
                .then(|| {
                    let docs = docs.clone();
                    view! {
                        <p>
                            {td!(i18n, services.needs_documents)}": "
                            {move || {
                                let locale = i18n;
                                join_list(locale, docs.iter().map(|d| doc_type_text(locale, *d)))
                            }}
                        </p>
                    }
                })}
            <StepList steps=service.steps.clone() />
            <ServerForm action=request attr:class="request-form">
                <input type="hidden" name="service_id" value=id.to_string() />
                {(!plans.is_empty())
                    .then(|| {
                        let plan_id = plan_id.clone();
                        view! {
                            <div class="field">
                                <label for=plan_id.clone()>{td!(i18n, services.for_plan)}</label>
                                <select id=plan_id name="plan_id">
                                    <option value="">{td!(i18n, services.no_plan)}</option>
                                    {plans
                                        .into_iter()
                                        .map(|p| view! { <option value=p.id.to_string()>{p.title}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                        }
                    })}
                <div class="field" class:has-error=move || note_error.get().is_some()>
                    <label for=note_id.clone()>{td!(i18n, services.note)}</label>
                    <textarea id=note_id name="note" rows="2" maxlength="2000"></textarea>
                    <FieldError id=format!("note-error-{id}") message=note_error />
                </div>
                <button type="submit" class="button primary" disabled=move || request.pending().get()>
                    {td!(i18n, services.request)}
                </button>
            </ServerForm>
        </details>
    }
}

/// `/services/requests/:id`: one request, its steps, documents and history.
#[component]
pub fn RequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let act = ServerAction::<ActOnRequest>::new();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(move || (id(), act.version().get()), |(id, _)| get_request(id));
    let error: ErrorSignal = Signal::derive(move || act.value().get().and_then(Result::err));
    let done = succeeded(act);
    view! {
        <Title text=move || td_string!(i18n, services.request_title) />
        <Transition fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <RequestBody d act error done /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RequestBody(
    d: RequestDetail,
    act: ServerAction<ActOnRequest>,
    error: ErrorSignal,
    done: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = d.status;
    let steps = d.steps.len() as u32;
    let step = d.step;
    let name = d.service_name.clone();
    let heading = move || pick(i18n, &name).to_string();
    let percent = if status == RequestStatus::Completed {
        100
    } else {
        (step.saturating_sub(1) * 100).checked_div(steps).unwrap_or(0).min(100)
    };
    let message_error = field_error_signal(error, Field::Message);
    let request_id = d.id;
    let last_end = d.expected_ends.last().cloned().flatten();
    view! {
        <section class="card request" id="request">
            <h1>{heading}</h1>
            <ErrorSummary error />
            <Notice show=done>{td!(i18n, services.done)}</Notice>
            <p class="request-status">
                <span class=badge_class(status)>{move || request_status_text(i18n, status)}</span>
                {d
                    .staff_view
                    .then(|| {
                        view! {
                            " "
                            <code class="internal-state">{status.key()}</code>
                            " "
                            <A href=format!("/staff/case/{}", d.owner_id)>
                                <bdi>{d.owner_name.clone()}</bdi>
                            </A>
                        }
                    })}
            </p>
            {(status == RequestStatus::InProgress)
                .then(|| {
                    view! {
                        <p>
                            {move || {
                                td_string!(
                                    i18n, services.step_of,
                    k = digits(i18n, step.to_string()),
                    n = digits(i18n, steps.to_string())
                                )
                                    .to_string()
                            }}
                        </p>
                    }
                })}
            <progress
                class="journey-bar"
                max="100"
                value=percent.to_string()
                aria-label=move || td_string!(i18n, services.progress)
            >
                {percent}
                "%"
            </progress>
            {last_end
                .map(|date| {
                    view! {
                        <p class="expected-done">
                            <strong>
                                {move || {
                                    td_string!(
                                        i18n, services.expected_done,
                    date = digits(i18n, date.clone())
                                    )
                                        .to_string()
                                }}
                            </strong>
                        </p>
                    }
                })}
            {d
                .plan
                .clone()
                .map(|(plan, title)| {
                    view! {
                        <p>
                            {td!(i18n, services.for_plan)}": "<A href=format!("/plans/{plan}")>
                                <bdi>{title}</bdi>
                            </A>
                        </p>
                    }
                })}
            {(!d.note.is_empty())
                .then(|| {
                    view! {
                        <blockquote class="timeline-message preserve">
                            <bdi>{d.note.clone()}</bdi>
                        </blockquote>
                    }
                })}
            <h2>{td!(i18n, services.steps)}</h2>
            <StepList
                steps=d.steps.clone()
                current=if status == RequestStatus::InProgress { step } else { 0 }
                ends=d.expected_ends.clone()
            />
            <h2>{td!(i18n, services.documents)}</h2>
            {d.documents.is_empty().then(|| view! { <p>{td!(i18n, services.no_documents)}</p> })}
            <ul class="checklist">
                {d
                    .documents
                    .iter()
                    .map(|(doc, held)| {
                        let (doc, held) = (*doc, *held);
                        view! {
                            <li class:missing=!held>
                                <span aria-hidden="true">{if held { "✓ " } else { "✗ " }}</span>
                                {move || doc_type_text(i18n, doc)}
                                " — "
                                {move || {
                                    if held {
                                        td_string!(i18n, services.doc_held)
                                    } else {
                                        td_string!(i18n, services.doc_missing)
                                    }
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(!d.staff_view)
                .then(|| {
                    view! {
                        <p>
                            <A href="/documents">{td!(i18n, services.to_documents)}</A>
                        </p>
                    }
                })}
            {(!d.actions.is_empty()).then(|| view! { <h2>{td!(i18n, services.actions)}</h2> })}
            {d
                .actions
                .iter()
                .map(|action| {
                    let action = *action;
                    let field_id = format!("message-{}", action.key());
                    let required = action.needs_message();
                    view! {
                        <ServerForm action=act attr:class="case-action">
                            <input type="hidden" name="request_id" value=request_id.to_string() />
                            <input type="hidden" name="action" value=action.key() />
                            <div class="field" class:has-error=move || message_error.get().is_some()>
                                <label for=field_id
                                    .clone()>
                                    {move || {
                                        if required {
                                            td_string!(i18n, services.message_required)
                                        } else {
                                            td_string!(i18n, services.message_optional)
                                        }
                                    }}
                                </label>
                                <textarea id=field_id name="message" rows="2" maxlength="2000"></textarea>
                            </div>
                            <button
                                type="submit"
                                class="button"
                                class:primary=!matches!(action, RequestAction::Cancel)
                                disabled=move || act.pending().get()
                            >
                                {move || request_action_text(i18n, action)}
                            </button>
                        </ServerForm>
                    }
                })
                .collect_view()}
            <FieldError id="message-error".to_string() message=message_error />
            <h2>{td!(i18n, services.history)}</h2>
            <ol class="timeline">
                {d
                    .events
                    .into_iter()
                    .map(|e| {
                        let at = e.at;
                        let to = e.to;
                        let action = e.action;
                        view! {
                            <li>
                                <span class="hint">{move || when(i18n, at)}</span>
                                " "
                                {move || match action {
                                    Some(a) => request_action_text(i18n, a),
                                    None => td_string!(i18n, services.requested_event).to_string(),
                                }}
                                " → "
                                {move || request_status_text(i18n, to)}
                                {e
                                    .actor_name
                                    .map(|n| {
                                        view! {
                                            " — "
                                            <bdi>{n}</bdi>
                                        }
                                    })}
                                {e
                                    .message
                                    .map(|m| {
                                        view! {
                                            <blockquote class="timeline-message preserve">
                                                <bdi>{m}</bdi>
                                            </blockquote>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// `/staff/services`: requests of the chamber (the Fund: of every chamber).
#[component]
pub fn StaffRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| chamber_requests());
    view! {
        <Title text=move || td_string!(i18n, services.staff_title) />
        <section class="card">
            <h1>{td!(i18n, services.staff_title)}</h1>
            <Transition fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <RequestList requests=list show_owner=true /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `/services/formalise`: from informal to formal, per legal form, with the person's progress.
#[component]
pub fn FormalisePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // An unknown form in the URL shows the default guide rather than an error.
    let path = Resource::new(
        move || query.read().get("form").and_then(|f| LegalForm::from_key(&f)),
        get_formalisation,
    );
    view! {
        <Title text=move || td_string!(i18n, services.formalise_title) />
        <section class="card">
            <h1>{td!(i18n, services.formalise_title)}</h1>
            <p>{td!(i18n, services.formalise_intro)}</p>
            <Transition fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    match path.await {
                        Ok(path) => {
                            let (done, of) = path.progress;
                            let percent = (done * 100).checked_div(of).unwrap_or(0);
                            let current = path.form;
                            view! {
                                <nav class="form-choice" aria-label=move || td_string!(i18n, services.choose_form)>
                                    {LegalForm::ALL
                                        .into_iter()
                                        .map(|f| {
                                            view! {
                                                <A
                                                    href=format!("/services/formalise?form={}", f.key())
                                                    attr:class=if f == current { "button primary" } else { "button" }
                                                    attr:aria-current=(f == current).then_some("page")
                                                >
                                                    {move || form_text(i18n, f)}
                                                </A>
                                            }
                                        })
                                        .collect_view()}
                                </nav>
                                {path
                                    .plan_form
                                    .map(|f| {
                                        view! {
                                            <p class="hint">
                                                {move || {
                                                    td_string!(
                                                        i18n, services.plan_form,
                                        form = form_text(i18n, f)
                                                    )
                                                        .to_string()
                                                }}
                                            </p>
                                        }
                                    })}
                                <p class="formal-progress">
                                    <strong>
                                        {move || {
                                            td_string!(
                                                i18n, services.formal_progress,
                                    k = digits(i18n, done.to_string()),
                                    n = digits(i18n, of.to_string())
                                            )
                                                .to_string()
                                        }}
                                    </strong>
                                </p>
                                <progress
                                    class="journey-bar"
                                    max="100"
                                    value=percent.to_string()
                                    aria-label=move || td_string!(i18n, services.progress)
                                >
                                    {percent}
                                    "%"
                                </progress>
                                <ol class="formal-path">
                                    {path
                                        .steps
                                        .into_iter()
                                        .map(|s| {
                                            let name = s.service.name.clone();
                                            let docs = s.service.documents();
                                            let optional = s.optional;
                                            let total = s.service.total_days();
                                            let code = s.service.code.clone();
                                            view! {
                                                <li class="formal-step">
                                                    <strong>{move || pick(i18n, &name).to_string()}</strong>
                                                    {optional
                                                        .then(|| {
                                                            view! {
                                                                " "
                                                                <span class="hint">{td!(i18n, services.optional)}</span>
                                                            }
                                                        })}
                                                    <span class="hint">
                                                        {move || {
                                                            td_string!(
                                                                i18n, services.about_days,
                                                    n = digits(i18n, total.to_string())
                                                            )
                                                                .to_string()
                                                        }}
                                                    </span>
                                                    {(!docs.is_empty())
                                                        .then(|| {
                                                            let docs = docs.clone();
                                                            view! {
                                                                <span class="hint">
                                                                    {td!(i18n, services.needs_documents)}": "
                                                                    {move || {
                                                                        let locale = i18n;
                                                                        join_list(
                                                                            locale,
                                                                            docs.iter().map(|d| doc_type_text(locale, *d)),
                                                                        )
                                                                    }}
                                                                </span>
                                                            }
                                                        })}
                                                    {match s.request {
                                                        Some((id, status)) => {
                                                            view! {
                                                                <p>
                                                                    <span class=badge_class(
                                                                        status,
                                                                    )>{move || request_status_text(i18n, status)}</span>
                                                                    " "
                                                                    <A href=format!(
                                                                        "/services/requests/{id}",
                                                                    )>{td!(i18n, services.open_request)}</A>
                                                                </p>
                                                            }
                                                                .into_any()
                                                        }
                                                        None => {
                                                            view! {
                                                                <p>
                                                                    <A href=format!(
                                                                        "/services#service-{code}",
                                                                    )>{td!(i18n, services.request_it)}</A>
                                                                </p>
                                                            }
                                                                .into_any()
                                                        }
                                                    }}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `/staff/catalogue`: the Fund edits services, their steps, the weekend and holidays.
#[component]
pub fn CatalogueEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveService>::new();
    let weekend = ServerAction::<SetWeekend>::new();
    let add = ServerAction::<AddHoliday>::new();
    let remove = ServerAction::<RemoveHoliday>::new();
    let (saved_services, weekends, additions) = (successes(save), successes(weekend), successes(add));
    let catalogue = Resource::new(move || saved_services.get(), |_| get_catalogue());
    let calendar = Resource::new(
        move || (weekends.get(), additions.get(), remove.version().get()),
        |_| get_calendar(),
    );
    let save_error: ErrorSignal = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = succeeded(save);
    let calendar_error: ErrorSignal = Signal::derive(move || {
        add.value()
            .get()
            .and_then(Result::err)
            .or_else(|| weekend.value().get().and_then(Result::err))
    });
    let day_error = field_error_signal(calendar_error, Field::Day);
    let name_error = field_error_signal(calendar_error, Field::HolidayName);
    view! {
        <Title text=move || td_string!(i18n, services.editor_title) />
        <section class="card">
            <h1>{td!(i18n, services.editor_title)}</h1>
            <h2>{td!(i18n, services.calendar)}</h2>
            <ErrorSummary error=calendar_error />
            <Transition fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    match calendar.await {
                        Ok(settings) => {
                            view! {
                                <ServerForm action=weekend attr:class="weekend-form">
                                    <fieldset>
                                        <legend>{td!(i18n, services.weekend)}</legend>
                                        {Weekday::ALL
                                            .into_iter()
                                            .enumerate()
                                            .map(|(i, day)| {
                                                let checked = settings.weekend.contains(&day);
                                                view! {
                                                    <label class="inline">
                                                        <input
                                                            type="checkbox"
                                                            name=format!("days[{i}]")
                                                            value=day.key()
                                                            checked=checked
                                                        />
                                                        {move || weekday_text(i18n, day)}
                                                    </label>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                    <button type="submit" class="button">
                                        {td!(i18n, services.save_weekend)}
                                    </button>
                                </ServerForm>
                                <h3>{td!(i18n, services.holidays)}</h3>
                                <ul class="holidays">
                                    {settings
                                        .holidays
                                        .into_iter()
                                        .map(|holiday| {
                                            let day = holiday.day;
                                            let label = day.clone();
                                            let name = Bilingual {
                                                en: if holiday.name.en.is_empty() {
                                                    holiday.name.ar.clone()
                                                } else {
                                                    holiday.name.en
                                                },
                                                ar: holiday.name.ar,
                                            };
                                            // A holiday without an English name shows its Arabic one.
                                            view! {
                                                <li>
                                                    {move || digits(i18n, label.clone())}" — "
                                                    {move || pick(i18n, &name).to_string()}
                                                    <ServerForm action=remove attr:class="row-form">
                                                        <input type="hidden" name="day" value=day.clone() />
                                                        <button type="submit" class="link-button">
                                                            {td!(i18n, services.remove_holiday)}
                                                        </button>
                                                    </ServerForm>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
            <ServerForm action=add attr:class="holiday-form">
                <div class="field" class:has-error=move || day_error.get().is_some()>
                    <label for="holiday-day">{td!(i18n, services.holiday_day)}</label>
                    <input id="holiday-day" type="date" name="day" required=true />
                    <FieldError id="holiday-day-error".to_string() message=day_error />
                </div>
                <div class="field" class:has-error=move || name_error.get().is_some()>
                    <label for="holiday-ar">{td!(i18n, services.holiday_name_ar)}</label>
                    <input id="holiday-ar" name="name_ar" maxlength="120" required=true />
                    <FieldError id="holiday-name-error".to_string() message=name_error />
                </div>
                <div class="field">
                    <label for="holiday-en">{td!(i18n, services.holiday_name_en)}</label>
                    <input id="holiday-en" name="name_en" maxlength="120" dir="ltr" />
                </div>
                <button type="submit" class="button">
                    {td!(i18n, services.add_holiday)}
                </button>
            </ServerForm>
        </section>
        <section class="card">
            <h2>{td!(i18n, services.catalogue)}</h2>
            <ErrorSummary error=save_error />
            <Notice show=saved>{td!(i18n, services.saved)}</Notice>
            <Transition fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    match catalogue.await {
                        Ok(services) => {
                            services
                                .into_iter()
                                .map(|s| view! { <ServiceEditor service=s save /> })
                                .collect_view()
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ServiceEditor(service: ServiceInfo, save: ServerAction<SaveService>) -> impl IntoView {
    let i18n = use_i18n();
    let id = service.id;
    let code = service.code.clone();
    let editor_id = format!("edit-{}", service.code);
    let active_id = format!("{}-active", service.code);
    let active = service.active;
    let name = service.name.clone();
    // The existing steps and one empty row to add a step.
    let mut rows: Vec<Option<StepInfo>> = service.steps.iter().cloned().map(Some).collect();
    rows.push(None);
    let field = move |label: EditorField, name: String, value: String, dir: Option<&'static str>| {
        let id = format!("{code}-{name}").replace(['[', ']'], "-");
        view! {
            <div class="field">
                <label for=id.clone()>{move || editor_label(i18n, label)}</label>
                <input id=id name=name value=value maxlength="500" dir=dir />
            </div>
        }
    };
    view! {
        <details class="service-editor" id=editor_id>
            <summary>
                {move || pick(i18n, &name).to_string()}
                {(!active)
                    .then(|| {
                        view! {
                            " "
                            <span class="badge badge-rejected">{td!(i18n, services.hidden)}</span>
                        }
                    })}
            </summary>
            <ServerForm action=save attr:class="service-form">
                <input type="hidden" name="service_id" value=id.to_string() />
                {field(EditorField::NameAr, "input[name_ar]".into(), service.name.ar.clone(), None)}
                {field(EditorField::NameEn, "input[name_en]".into(), service.name.en.clone(), Some("ltr"))}
                {field(EditorField::SummaryAr, "input[summary_ar]".into(), service.summary.ar.clone(), None)}
                {field(EditorField::SummaryEn, "input[summary_en]".into(), service.summary.en.clone(), Some("ltr"))}
                <div class="field">
                    <label for=active_id.clone()>{td!(i18n, services.offered)}</label>
                    <select id=active_id name="input[active]">
                        <option value="true" selected=active>
                            {td!(i18n, services.offered_yes)}
                        </option>
                        <option value="false" selected=!active>
                            {td!(i18n, services.offered_no)}
                        </option>
                    </select>
                </div>
                {rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, step)| {
                        let s = step
                            .clone()
                            .unwrap_or(StepInfo {
                                name: Bilingual::default(),
                                office: Bilingual::default(),
                                fee_minor: None,
                                working_days: 0,
                                documents: Vec::new(),
                            });
                        let is_new = step.is_none();
                        let p = |f: &str| format!("input[steps][{i}][{f}]");
                        let fee = s
                            .fee_minor
                            .map(|f| domain::plan::tables::format_money(f, Currency::ILS))
                            .unwrap_or_default();
                        let docs = s.documents.clone();
                        view! {
                            <fieldset class="step-editor">
                                <legend>
                                    {move || {
                                        if is_new {
                                            td_string!(i18n, services.new_step).to_string()
                                        } else {
                                            td_string!(i18n, services.step_n, n = digits(i18n, (i + 1).to_string()))
                                                .to_string()
                                        }
                                    }}
                                </legend>
                                {field(
                                    EditorField::Position,
                                    p("position"),
                                    if is_new { String::new() } else { (i + 1).to_string() },
                                    None,
                                )}
                                {field(EditorField::StepNameAr, p("name_ar"), s.name.ar.clone(), None)}
                                {field(EditorField::StepNameEn, p("name_en"), s.name.en.clone(), Some("ltr"))}
                                {field(EditorField::OfficeAr, p("office_ar"), s.office.ar.clone(), None)}
                                {field(EditorField::OfficeEn, p("office_en"), s.office.en.clone(), Some("ltr"))}
                                {field(EditorField::Fee, p("fee"), fee, None)}
                                {field(
                                    EditorField::WorkingDays,
                                    p("working_days"),
                                    if is_new { String::new() } else { s.working_days.to_string() },
                                    None,
                                )}
                                <fieldset class="doc-choices">
                                    <legend>{td!(i18n, services.step_documents)}</legend>
                                    {DocumentType::ALL
                                        .into_iter()
                                        .enumerate()
                                        .map(|(k, t)| {
                                            let checked = docs.contains(&t);
                                            view! {
                                                <label class="inline">
                                                    <input
                                                        type="checkbox"
                                                        name=format!("input[steps][{i}][documents][{k}]")
                                                        value=t.key()
                                                        checked=checked
                                                    />
                                                    {move || doc_type_text(i18n, t)}
                                                </label>
                                            }
                                        })
                                        .collect_view()}
                                </fieldset>
                                {(!is_new)
                                    .then(|| {
                                        view! {
                                            <label class="inline">
                                                <input type="checkbox" name=p("remove") value="true" />
                                                {td!(i18n, services.remove_step)}
                                            </label>
                                        }
                                    })}
                            </fieldset>
                        }
                    })
                    .collect_view()}
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {td!(i18n, services.save_service)}
                </button>
            </ServerForm>
        </details>
    }
}

/// The fields of the Fund's service editor.
#[derive(Clone, Copy)]
enum EditorField {
    NameAr,
    NameEn,
    SummaryAr,
    SummaryEn,
    Position,
    StepNameAr,
    StepNameEn,
    OfficeAr,
    OfficeEn,
    Fee,
    WorkingDays,
}

fn editor_label(locale: Locale, field: EditorField) -> String {
    use EditorField as F;
    match field {
        F::NameAr => td_string!(locale, services.f_name_ar),
        F::NameEn => td_string!(locale, services.f_name_en),
        F::SummaryAr => td_string!(locale, services.f_summary_ar),
        F::SummaryEn => td_string!(locale, services.f_summary_en),
        F::Position => td_string!(locale, services.f_position),
        F::StepNameAr => td_string!(locale, services.f_step_name_ar),
        F::StepNameEn => td_string!(locale, services.f_step_name_en),
        F::OfficeAr => td_string!(locale, services.f_office_ar),
        F::OfficeEn => td_string!(locale, services.f_office_en),
        F::Fee => td_string!(locale, services.f_fee),
        F::WorkingDays => td_string!(locale, services.f_working_days),
    }
    .to_string()
}
