//! A plan's case on its page: where it stands, the steps the reader may take (plain forms,
//! so they work without JavaScript) and the timeline of everything that happened.
use super::lifecycle::PlanAction;
use super::next::NextStep;
use super::{chamber_plans, HomeSteps, PlanCase, PlanEvent, TransitionPlan};
use crate::components::form::{field_error_signal, ErrorSignal, ErrorSummary, FieldError, Notice};
use crate::domain::validation::{Date, Field};
use crate::i18n::*;
use crate::lang::plan_status_text;
use leptos::prelude::*;

pub fn action_text(locale: Locale, action: PlanAction) -> String {
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

/// Date and time (UTC) of a moment, as ISO text the reader's digits turn into their own.
pub fn when(locale: Locale, at: i64) -> String {
    let date = Date::from_unix(at).iso();
    let minutes = at.rem_euclid(86_400) / 60;
    crate::plan::labels::digits(locale, format!("{date} {:02}:{:02}", minutes / 60, minutes % 60))
}

#[component]
pub fn PlanCaseView(
    case: Resource<Result<PlanCase, crate::error::AppError>>,
    transition: ServerAction<TransitionPlan>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error: ErrorSignal = Signal::derive(move || transition.value().get().and_then(Result::err));
    let done = Signal::derive(move || matches!(transition.value().get(), Some(Ok(_))));
    view! {
        <section class="card case" id="case">
            <h2>{t!(i18n, case.title)}</h2>
            <ErrorSummary error />
            <Notice show=done>{t!(i18n, case.done)}</Notice>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(case) => view! { <CaseBody case transition error /> }.into_any(),
                        Err(_) => ().into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CaseBody(case: PlanCase, transition: ServerAction<TransitionPlan>, error: ErrorSignal) -> impl IntoView {
    let i18n = use_i18n();
    let status = case.status;
    let plan_id = case.plan_id;
    let message_error = field_error_signal(error, Field::Message);
    let advisor_error = field_error_signal(error, Field::Advisor);
    let advisors = case.advisors.clone();
    view! {
        <p class="case-status">
            <span class="badge badge-uploaded">{move || plan_status_text(i18n.get_locale(), status)}</span>
            {case.staff_view.then(|| view! { " " <code class="internal-state">{status.key()}</code> })}
        </p>
        {case.staff_view.then(|| {
            let holder = case.assigned_to.clone();
            view! {
                <p>{t!(i18n, case.assigned)}": "
                    {match holder {
                        Some(name) => view! { <bdi>{name}</bdi> }.into_any(),
                        None => view! { <span>{t!(i18n, case.unassigned)}</span> }.into_any(),
                    }}
                </p>
            }
        })}
        {(!case.revisions.is_empty()).then(|| {
            let last = case.revisions.last().map(|(n, _)| *n).unwrap_or(0);
            view! { <p class="hint">{move || crate::plan::labels::digits(i18n.get_locale(),
                td_string!(i18n.get_locale(), case.revisions, n = last).to_string())}</p> }
        })}
        <div class="case-actions">
            {case.actions.into_iter().map(|action| {
                let needs_message = matches!(action, PlanAction::RequestChanges | PlanAction::Reject);
                let may_message = !matches!(action, PlanAction::Submit | PlanAction::Withdraw | PlanAction::PickUp);
                let message_id = format!("case-message-{}", action.key());
                let advisor_id = format!("case-advisor-{}", action.key());
                let danger = matches!(action, PlanAction::Reject | PlanAction::Withdraw);
                let advisors = advisors.clone();
                view! {
                    <ActionForm action=transition attr:class="case-action" attr:novalidate=true>
                        <input type="hidden" name="plan_id" value=plan_id.to_string() />
                        <input type="hidden" name="action" value=action.key() />
                        {(action == PlanAction::Assign).then(|| view! {
                            <div class="field" class:has-error=move || advisor_error.get().is_some()>
                                <label for=advisor_id.clone()>{t!(i18n, case.advisor)}</label>
                                <select id=advisor_id name="advisor_id">
                                    {advisors.into_iter().map(|(id, name)| view! {
                                        <option value=id.to_string()>{name}</option>
                                    }).collect_view()}
                                </select>
                                <FieldError id="case-advisor-error".to_string() message=advisor_error />
                            </div>
                        })}
                        {may_message.then(|| view! {
                            <div class="field" class:has-error=move || needs_message && message_error.get().is_some()>
                                <label for=message_id.clone()>
                                    {move || if needs_message { t_string!(i18n, case.message_required) } else { t_string!(i18n, case.message) }}
                                </label>
                                <textarea id=message_id name="message" rows="3" maxlength="2000"></textarea>
                            </div>
                        })}
                        <button type="submit" class=if danger { "button danger" } else { "button primary" }
                            disabled=move || transition.pending().get()>
                            {move || action_text(i18n.get_locale(), action)}
                        </button>
                    </ActionForm>
                }
            }).collect_view()}
            <FieldError id="case-message-error".to_string() message=message_error />
        </div>
        <Timeline events=case.events />
    }
}

#[component]
fn Timeline(events: Vec<PlanEvent>) -> impl IntoView {
    let i18n = use_i18n();
    (!events.is_empty()).then(|| {
        view! {
            <h3>{t!(i18n, case.timeline)}</h3>
            <ol class="timeline">
                {events.into_iter().map(|event| {
                    let PlanEvent { at, actor_name, action, from, to, message, revision } = event;
                    view! {
                        <li class="timeline-item" data-action=action.key()>
                            <p class="timeline-when">{move || when(i18n.get_locale(), at)}</p>
                            <p>
                                <strong>{move || action_text(i18n.get_locale(), action)}</strong>
                                {actor_name.map(|name| view! { " · "<bdi>{name}</bdi> })}
                            </p>
                            <p class="hint">{move || {
                                let locale = i18n.get_locale();
                                td_string!(locale, case.moved,
                                    from = plan_status_text(locale, from), to = plan_status_text(locale, to)).to_string()
                            }}
                            {revision.map(|n| view! { " · "{move || crate::plan::labels::digits(i18n.get_locale(),
                                td_string!(i18n.get_locale(), case.revision, n = n).to_string())} })}
                            </p>
                            {message.map(|m| view! { <blockquote class="timeline-message preserve"><bdi>{m}</bdi></blockquote> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    })
}

/// The chamber's submitted plans, those waiting first.
#[component]
pub fn ChamberPlansPage() -> impl IntoView {
    let i18n = use_i18n();
    let plans = Resource::new(|| (), |_| chamber_plans());
    view! {
        <leptos_meta::Title text=move || t_string!(i18n, case.chamber_plans) />
        <section class="card">
            <h1>{t!(i18n, case.chamber_plans)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match plans.await {
                        Ok(list) => view! {
                            {list.is_empty().then(|| view! { <p>{t!(i18n, case.no_plans)}</p> })}
                            <ul class="plan-list">
                                {list.into_iter().map(|plan| {
                                    let status = plan.status;
                                    view! {
                                        <li class="plan-item" data-plan=plan.plan_id.to_string()>
                                            <h2 class="plan-title">
                                                <leptos_router::components::A href=format!("/plans/{}#case", plan.plan_id)>{plan.title}</leptos_router::components::A>
                                            </h2>
                                            <p class="plan-meta">
                                                <bdi>{plan.owner_name}</bdi>" · "
                                                <span class="badge badge-uploaded">{move || plan_status_text(i18n.get_locale(), status)}</span>
                                                " · "{t!(i18n, case.assigned)}": "
                                                {match plan.assigned_to {
                                                    Some(name) => view! { <bdi>{name}</bdi> }.into_any(),
                                                    None => view! { <span>{t!(i18n, case.unassigned)}</span> }.into_any(),
                                                }}
                                            </p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <crate::profile::pages::LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// "What to do next" on the entrepreneur's home, with how far the latest plan has come.
#[component]
pub fn NextSteps(home: Resource<Result<HomeSteps, crate::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(home) = home.await else { return ().into_any() };
                view! {
                    {home.journey.map(|(plan_id, title, status, stage, of)| view! {
                        <div class="journey">
                            <p>
                                <leptos_router::components::A href=format!("/plans/{plan_id}#case")><bdi>{title}</bdi></leptos_router::components::A>
                                ": "{move || crate::plan::labels::digits(i18n.get_locale(), td_string!(i18n.get_locale(), case.stage,
                                    stage = stage, of = of, status = plan_status_text(i18n.get_locale(), status)).to_string())}
                            </p>
                            <progress max=of.to_string() value=stage.to_string()
                                aria-label=move || t_string!(i18n, case.journey)></progress>
                        </div>
                    })}
                    {home.steps.is_empty().then(|| view! { <p>{t!(i18n, home.next_body)}</p> })}
                    <ul class="next-steps">
                        {home.steps.into_iter().map(|step| {
                            let (href, text) = step_link(i18n.get_locale(), &step);
                            view! { <li><leptos_router::components::A href=href>{text}</leptos_router::components::A></li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Transition>
    }
}

fn step_link(locale: Locale, step: &NextStep) -> (String, String) {
    use crate::documents::pages::doc_type_text;
    match step {
        NextStep::AnswerChanges { plan_id, title } => (
            format!("/plans/{plan_id}#case"),
            td_string!(locale, case.next_answer, title = title.clone()).to_string(),
        ),
        NextStep::ReplaceDocument { doc_type } => (
            "/documents".to_string(),
            td_string!(locale, case.next_replace, kind = doc_type_text(locale, *doc_type)).to_string(),
        ),
        NextStep::SubmitPlan { plan_id, title } => (
            format!("/plans/{plan_id}#case"),
            td_string!(locale, case.next_submit, title = title.clone()).to_string(),
        ),
        NextStep::CompletePlan { plan_id, title } => (
            format!("/plans/{plan_id}"),
            td_string!(locale, case.next_complete, title = title.clone()).to_string(),
        ),
        NextStep::UploadDocument { doc_type } => (
            format!("/documents?type={}", doc_type.key()),
            td_string!(locale, case.next_upload, kind = doc_type_text(locale, *doc_type)).to_string(),
        ),
        NextStep::ProvideDocuments { request_id, service } => (
            format!("/services/requests/{request_id}"),
            td_string!(
                locale,
                case.next_service_documents,
                service = crate::lang::pick(locale, &service.0, &service.1)
            )
            .to_string(),
        ),
        NextStep::FollowService {
            request_id,
            service,
            step,
            until,
        } => (
            format!("/services/requests/{request_id}"),
            match until {
                Some(date) => td_string!(
                    locale,
                    case.next_service_until,
                    service = crate::lang::pick(locale, &service.0, &service.1),
                    step = crate::lang::pick(locale, &step.0, &step.1),
                    date = crate::plan::labels::digits(locale, date.clone())
                )
                .to_string(),
                None => td_string!(
                    locale,
                    case.next_service_step,
                    service = crate::lang::pick(locale, &service.0, &service.1),
                    step = crate::lang::pick(locale, &step.0, &step.1)
                )
                .to_string(),
            },
        ),
        NextStep::Follow { plan_id, title, status } => (
            format!("/plans/{plan_id}#case"),
            td_string!(
                locale,
                case.next_follow,
                title = title.clone(),
                status = plan_status_text(locale, *status)
            )
            .to_string(),
        ),
    }
}

/// `/case` (own) and `/staff/case/:user`: one page for an entrepreneur's whole case, with a
/// single chronological timeline of plans, services and documents.
#[component]
pub fn CaseFilePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = leptos_router::hooks::use_params_map();
    let user = move || params.read().get("user").and_then(|u| u.parse::<i64>().ok());
    let file = Resource::new(user, super::get_case_file);
    view! {
        <leptos_meta::Title text=move || t_string!(i18n, case.file_title) />
        <Transition fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match file.await {
                    Ok(file) => view! { <CaseFileBody file own=user().is_none() /> }.into_any(),
                    Err(error) => view! { <crate::profile::pages::LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CaseFileBody(file: super::CaseFile, own: bool) -> impl IntoView {
    use super::TimelineEntry;
    use crate::lang::pick;
    use leptos_router::components::A;
    let i18n = use_i18n();
    view! {
        <section class="card case-file">
            <h1>{move || if own { t_string!(i18n, case.file_title) } else { t_string!(i18n, case.file_of) }}
                " — "<bdi>{file.owner_name.clone()}</bdi></h1>
            <h2>{t!(i18n, case.file_plans)}</h2>
            {file.plans.is_empty().then(|| view! { <p>{t!(i18n, case.file_none)}</p> })}
            <ul>
                {file.plans.into_iter().map(|(id, title, status, revisions)| view! {
                    <li><A href=format!("/plans/{id}")><bdi>{title}</bdi></A>" "
                        <span class="badge badge-uploaded">{move || plan_status_text(i18n.get_locale(), status)}</span>
                        {(revisions > 0).then(|| view! { " "<span class="hint">{move || td_string!(i18n.get_locale(), case.revision_n,
                            n = crate::plan::labels::digits(i18n.get_locale(), revisions.to_string())).to_string()}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            <h2>{t!(i18n, case.file_services)}</h2>
            {file.requests.is_empty().then(|| view! { <p>{t!(i18n, case.file_none)}</p> })}
            <ul>
                {file.requests.into_iter().map(|r| {
                    let status = r.status;
                    view! {
                        <li><A href=format!("/services/requests/{}", r.id)>{move || pick(i18n.get_locale(), &r.service_name.0, &r.service_name.1).to_string()}</A>" "
                            <span class="badge badge-uploaded">{move || crate::services::pages::status_text(i18n.get_locale(), status)}</span>
                            {r.expected_done.clone().map(|date| view! { " "<span class="hint">{move || td_string!(i18n.get_locale(), services.expected_done,
                                date = crate::plan::labels::digits(i18n.get_locale(), date.clone())).to_string()}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h2>{t!(i18n, case.file_documents)}</h2>
            {file.documents.is_empty().then(|| view! { <p>{t!(i18n, case.file_none)}</p> })}
            <ul>
                {file.documents.into_iter().map(|(doc, status)| view! {
                    <li>{move || crate::documents::pages::doc_type_text(i18n.get_locale(), doc)}" — "
                        {move || crate::documents::pages::status_text(i18n.get_locale(), status)}</li>
                }).collect_view()}
            </ul>
            <h2>{t!(i18n, case.file_timeline)}</h2>
            <ol class="timeline case-timeline">
                {file.timeline.into_iter().map(|entry| {
                    let at = entry.at();
                    let (text, message) = match entry {
                        TimelineEntry::Plan { title, action, to, message, revision, .. } => (
                            Signal::derive(move || {
                                let locale = i18n.get_locale();
                                let mut line = format!("«{title}»: {} → {}", action_text(locale, action), plan_status_text(locale, to));
                                if let Some(n) = revision {
                                    line.push_str(&format!(" ({})", td_string!(locale, case.revision_n,
                                        n = crate::plan::labels::digits(locale, n.to_string()))));
                                }
                                line
                            }),
                            message,
                        ),
                        TimelineEntry::Service { service_name, action, to, step, message, .. } => (
                            Signal::derive(move || {
                                let locale = i18n.get_locale();
                                let what = match action {
                                    Some(a) => crate::services::pages::request_action_text(locale, a),
                                    None => td_string!(locale, services.requested_event).to_string(),
                                };
                                let mut line = format!("«{}»: {what} → {}", pick(locale, &service_name.0, &service_name.1),
                                    crate::services::pages::status_text(locale, to));
                                if to == crate::services::domain::RequestStatus::InProgress {
                                    line.push_str(&format!(" ({})", td_string!(locale, case.step_n,
                                        n = crate::plan::labels::digits(locale, step.to_string()))));
                                }
                                line
                            }),
                            message,
                        ),
                        TimelineEntry::Document { doc_type, status, reason, .. } => (
                            Signal::derive(move || {
                                let locale = i18n.get_locale();
                                format!("{}: {}", crate::documents::pages::doc_type_text(locale, doc_type),
                                    crate::documents::pages::status_text(locale, status))
                            }),
                            reason,
                        ),
                    };
                    view! {
                        <li>
                            <span class="hint">{move || when(i18n.get_locale(), at)}</span>" "
                            <span class="timeline-text">{text}</span>
                            {message.map(|m| view! { <blockquote class="timeline-message preserve"><bdi>{m}</bdi></blockquote> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
