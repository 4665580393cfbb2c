//! A plan's page, where its case is run: its sections and completeness, where it stands,
//! the steps the reader may take (plain forms, so they work without JavaScript), what is
//! missing before submission, the documents it needs and the timeline of its steps.
use crate::case::{get_plan_case, PlanCase, PlanEvent, TransitionPlan};
use crate::components::form::{
    field_error_signal, succeeded, successes, ErrorSignal, ErrorSummary, FieldError, Notice,
};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::documents::pages::PlanChecklistView;
use crate::documents::{plan_checklist, DocumentChecklist, ReviewDocument};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{money, plan_action_text, plan_status_text, when};
use crate::plan::pages::section::use_plan_from_url;
use crate::plan::report::section_title;
use crate::plan::PlanDetail;
use domain::plan::financials::Currency;
use domain::plan::lifecycle::PlanAction;
use domain::plan::sections::{completeness, missing_before_submit, section_complete, Missing, SectionKey, SectionKind};
use domain::validation::Field;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The case part of the plan's page. It is drawn with the rest of the page, from data loaded
/// with it, not by a suspended part of its own: after a step both the plan and its case load
/// again, and two nested parts redrawn at once at times left the timeline missing or stale
/// (seen in the browser tests: the new status shown above the old list of steps).
#[component]
pub fn PlanCaseView(case: Result<PlanCase, AppError>, transition: ServerAction<TransitionPlan>) -> impl IntoView {
    let i18n = use_i18n();
    let error: ErrorSignal = Signal::derive(move || transition.value().get().and_then(Result::err));
    let done = succeeded(transition);
    view! {
        <section class="card case" id="case">
            <h2>{td!(i18n, case.title)}</h2>
            <ErrorSummary error />
            <Notice show=done>{td!(i18n, case.done)}</Notice>
            {case.ok().map(|case| view! { <CaseBody case transition error /> })}
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
            <span class="badge badge-uploaded">{move || plan_status_text(i18n, status)}</span>
            {case
                .staff_view
                .then(|| {
                    view! {
                        " "
                        <code class="internal-state">{status.key()}</code>
                    }
                })}
        </p>
        {case
            .staff_view
            .then(|| {
                let holder = case.assigned_to.clone();
                view! {
                    <p>
                        {td!(i18n, case.assigned)}": "
                        {match holder {
                            Some(name) => view! { <bdi>{name}</bdi> }.into_any(),
                            None => view! { <span>{td!(i18n, case.unassigned)}</span> }.into_any(),
                        }}
                    </p>
                    <p>
                        <leptos_router::components::A href=format!("/plans/{plan_id}/review") attr:class="button">
                            {td!(i18n, review.link)}
                        </leptos_router::components::A>
                    </p>
                }
            })}
        {(!case.revisions.is_empty())
            .then(|| {
                let last = case.revisions.last().map(|(n, _)| *n).unwrap_or(0);
                view! {
                    <p class="hint">
                        {move || crate::lang::digits(i18n, td_string!(i18n, case.revisions, n = last).to_string())}
                    </p>
                }
            })}
        <div class="case-actions">
            {case
                .actions
                .into_iter()
                .map(|action| {
                    let needs_message = matches!(action, PlanAction::RequestChanges | PlanAction::Reject);
                    let may_message = !matches!(action, PlanAction::Submit | PlanAction::Withdraw | PlanAction::PickUp);
                    let message_id = format!("case-message-{}", action.key());
                    let advisor_id = format!("case-advisor-{}", action.key());
                    let danger = matches!(action, PlanAction::Reject | PlanAction::Withdraw);
                    let advisors = advisors.clone();
                    view! {
                        <ServerForm action=transition attr:class="case-action" attr:novalidate=true>
                            <input type="hidden" name="plan_id" value=plan_id.to_string() />
                            <input type="hidden" name="action" value=action.key() />
                            {(action == PlanAction::Assign)
                                .then(|| {
                                    view! {
                                        <div class="field" class:has-error=move || advisor_error.get().is_some()>
                                            <label for=advisor_id.clone()>{td!(i18n, case.advisor)}</label>
                                            <select id=advisor_id name="advisor_id">
                                                {advisors
                                                    .into_iter()
                                                    .map(|(id, name)| {
                                                        view! { <option value=id.to_string()>{name}</option> }
                                                    })
                                                    .collect_view()}
                                            </select>
                                            <FieldError id="case-advisor-error".to_string() message=advisor_error />
                                        </div>
                                    }
                                })}
                            {may_message
                                .then(|| {
                                    view! {
                                        <div
                                            class="field"
                                            class:has-error=move || needs_message && message_error.get().is_some()
                                        >
                                            <label for=message_id
                                                .clone()>
                                                {move || {
                                                    if needs_message {
                                                        td_string!(i18n, case.message_required)
                                                    } else {
                                                        td_string!(i18n, case.message)
                                                    }
                                                }}
                                            </label>
                                            <textarea id=message_id name="message" rows="3" maxlength="2000"></textarea>
                                        </div>
                                    }
                                })}
                            <button
                                type="submit"
                                class=if danger { "button danger" } else { "button primary" }
                                disabled=move || transition.pending().get()
                            >
                                {move || plan_action_text(i18n, action)}
                            </button>
                        </ServerForm>
                    }
                })
                .collect_view()} <FieldError id="case-message-error".to_string() message=message_error />
        </div>
        <Timeline events=case.events />
    }
}

#[component]
fn Timeline(events: Vec<PlanEvent>) -> impl IntoView {
    let i18n = use_i18n();
    // Always an element of its own, empty before the first step: a list that first appears
    // at the very end of this part, while the page around it is redrawn, was at times not
    // put back into the page (see "Parts that come and go" in docs/architecture.md).
    let steps = (!events.is_empty()).then(|| {
        view! {
            <h3>{td!(i18n, case.timeline)}</h3>
            <ol class="timeline">
                {events
                    .into_iter()
                    .map(|event| {
                        let PlanEvent { at, actor_name, action, from, to, message, revision } = event;
                        view! {
                            <li class="timeline-item" data-action=action.key()>
                                <p class="timeline-when">{move || when(i18n, at)}</p>
                                <p>
                                    <strong>{move || plan_action_text(i18n, action)}</strong>
                                    {actor_name
                                        .map(|name| {
                                            view! {
                                                " · "
                                                <bdi>{name}</bdi>
                                            }
                                        })}
                                </p>
                                <p class="hint">
                                    {move || {
                                        let locale = i18n;
                                        td_string!(
                                            locale, case.moved,
                                    from = plan_status_text(locale, from), to = plan_status_text(locale, to)
                                        )
                                            .to_string()
                                    }}
                                    {revision
                                        .map(|n| {
                                            view! {
                                                " · "
                                                {move || crate::lang::digits(
                                                    i18n,
                                                    td_string!(i18n, case.revision, n = n).to_string(),
                                                )}
                                            }
                                        })}
                                </p>
                                {message
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
        }
    });
    view! { <div class="plan-timeline">{steps}</div> }
}

#[component]
pub fn PlanPage() -> impl IntoView {
    let i18n = use_i18n();
    // A lifecycle step taken changes what the page offers (editing stops once submitted). A
    // refused one changed nothing: the page stays, with the message typed and the error.
    let transition = ServerAction::<TransitionPlan>::new();
    let steps = successes(transition);
    let review = ServerAction::<ReviewDocument>::new();
    let (id, plan) = use_plan_from_url(Signal::derive(move || steps.get()));
    // Every resource of the page is made here, not inside the suspended view, so that the
    // server's data hydrates the same view in the browser.
    let case = Resource::new(
        move || (id.get(), steps.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_plan_case(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let checklist = Resource::new(
        move || (id.get(), review.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => plan_checklist(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=move || td_string!(i18n, plans.title) />
        <Suspense fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match plan.await {
                    Ok(detail) => {
                        let case = case.await;
                        view! { <PlanOverview detail transition case review checklist /> }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlanOverview(
    detail: PlanDetail,
    transition: ServerAction<TransitionPlan>,
    case: Result<PlanCase, AppError>,
    review: ServerAction<ReviewDocument>,
    checklist: Resource<Result<DocumentChecklist, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let percent = completeness(&detail.sections, &detail.data);
    let missing = missing_before_submit(&detail.sections, &detail.data);
    let id = detail.summary.id;
    let title = detail.summary.title.clone();
    let currency = detail.data.currency;
    let states: Vec<(SectionKey, bool)> = SectionKey::builder_order()
        .map(|key| (key, section_complete(key, &detail.sections, &detail.data)))
        .collect();
    view! {
        <section class="card">
            <h1>{title}</h1>
            <p class="progress-line">{move || td_string!(i18n, plan.progress, percent = percent).to_string()}</p>
            <progress max="100" value=percent.to_string() aria-label=move || td_string!(i18n, plan.sections_title)>
                {percent}
                "%"
            </progress>
            <h2>{td!(i18n, plan.sections_title)}</h2>
            <ol class="section-list">
                {states
                    .into_iter()
                    .map(|(key, complete)| {
                        let computed = key.kind() == SectionKind::Computed;
                        view! {
                            <li class="section-item" class:complete=complete data-section=key.key()>
                                <span class="section-name">{move || section_title(i18n, key)}</span>
                                <span class="section-state">
                                    {move || {
                                        if computed {
                                            td_string!(i18n, plan.computed).to_string()
                                        } else if complete {
                                            format!("✓ {}", td_string!(i18n, plan.complete))
                                        } else {
                                            td_string!(i18n, plan.incomplete).to_string()
                                        }
                                    }}
                                </span>
                                <A href=format!("/plans/{id}/{}", key.key()) attr:class="button">
                                    {move || {
                                        if computed { td_string!(i18n, plan.view) } else { td_string!(i18n, plan.edit) }
                                    }}
                                    <span class="visually-hidden">" — "{move || section_title(i18n, key)}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
        <PlanCaseView case transition />
        <MissingList missing currency />
        <PlanChecklistView checklist review />
        <section class="card">
            <h2>{td!(i18n, transfer.title)}</h2>
            <p class="hint">{td!(i18n, transfer.json_help)}</p>
            <p class="actions">
                <a href=format!("/plans/{id}/export/plan.pdf") rel="external" class="button primary" download="">
                    {td!(i18n, transfer.pdf)}
                </a>
                <a href=format!("/plans/{id}/export/plan.json") rel="external" class="button" download="">
                    {td!(i18n, transfer.json)}
                </a>
            </p>
        </section>
    }
}

/// "What's missing before you can submit", from the one pure rule.
#[component]
fn MissingList(missing: Vec<Missing>, currency: Currency) -> impl IntoView {
    let i18n = use_i18n();
    let ready = missing.is_empty();
    let items = move || {
        let locale = i18n;
        missing
            .iter()
            .map(|m| {
                let text = match *m {
                    Missing::Section { section } => {
                        td_string!(locale, missing.section, section = section_title(locale, section)).to_string()
                    }
                    Missing::NoProduct => td_string!(locale, missing.no_product).to_string(),
                    Missing::NoPosition => td_string!(locale, missing.no_position).to_string(),
                    Missing::FundingMismatch { funding, startup } => td_string!(
                        locale,
                        missing.funding_mismatch,
                        funding = money(locale, funding, currency),
                        startup = money(locale, startup, currency)
                    )
                    .to_string(),
                };
                view! { <li>{text}</li> }
            })
            .collect_view()
    };
    view! {
        <section class="card missing" aria-labelledby="missing-title">
            <h2 id="missing-title">{td!(i18n, missing.title)}</h2>
            {if ready {
                view! { <p class="form-notice">{td!(i18n, missing.ready)}</p> }.into_any()
            } else {
                view! { <ul class="missing-list">{items}</ul> }.into_any()
            }}
        </section>
    }
}
