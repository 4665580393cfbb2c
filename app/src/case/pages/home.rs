//! The signed-in person's home: a greeting and, for entrepreneurs, what to do next and how
//! far their latest plan has come.
use crate::case::HomeSteps;
use crate::components::load_error::LoadError;
use crate::i18n::*;
use crate::lang::{digits, pick, plan_status_text, role_text};
use crate::profile::{get_profile, Profile};
use domain::next::NextStep;
use domain::roles::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| get_profile(None));
    // Made here, outside the suspended view, so the browser hydrates what the server sent.
    let steps = Resource::new(|| (), |_| crate::case::get_home_steps());
    let workload = Resource::new(|| (), |_| crate::case::get_workload());
    view! {
        <Title text=move || td_string!(i18n, home.title) />
        <Suspense fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) if p.role == Role::Entrepreneur => view! { <EntrepreneurHome profile=p steps /> }.into_any(),
                    Ok(p) => view! { <StaffHome profile=p workload /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EntrepreneurHome(
    profile: Profile,
    steps: Resource<Result<crate::case::HomeSteps, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = profile.full_name.clone();
    let chamber = profile.chamber_name.clone();
    let governorate = profile.governorate_name.clone();
    let unconfirmed = profile.verify_phones && !profile.phone_verified && profile.phone.is_some();
    view! {
        <section class="card">
            <h1>{move || td_string!(i18n, home.welcome, name = name.clone()).to_string()}</h1>
            {unconfirmed
                .then(|| {
                    view! {
                        <p class="notice" id="confirm-phone">
                            {td!(i18n, profile.phone_unconfirmed)}
                            " "
                            <a href="/verify-phone">{td!(i18n, profile.phone_confirm)}</a>
                        </p>
                    }
                })}
            <h2>{td!(i18n, home.next_title)}</h2>
            <NextSteps home=steps />
            <p>
                <A href="/plans" attr:class="button primary">
                    {td!(i18n, home.plans_link)}
                </A>
            </p>
        </section>
        <section class="card">
            <h2>{td!(i18n, home.your_profile)}</h2>
            <dl class="details">
                <dt>{td!(i18n, fields.full_name)}</dt>
                <dd>{profile.full_name.clone()}</dd>
                <dt>{td!(i18n, fields.phone)}</dt>
                <dd dir="ltr">{profile.phone.clone().unwrap_or_default()}</dd>
                <dt>{td!(i18n, fields.email_required)}</dt>
                <dd dir="ltr">{profile.email.clone().unwrap_or_default()}</dd>
                <dt>{td!(i18n, fields.governorate)}</dt>
                <dd>{move || governorate.as_ref().map(|name| pick(i18n, name).to_string())}</dd>
                <dt>{td!(i18n, home.your_chamber)}</dt>
                <dd class="chamber-name">{move || chamber.as_ref().map(|name| pick(i18n, name).to_string())}</dd>
            </dl>
            <p>
                <A href="/profile" attr:class="button">
                    {td!(i18n, home.edit_profile)}
                </A>
            </p>
        </section>
    }
}

#[component]
fn StaffHome(
    profile: Profile,
    workload: Resource<Result<Option<crate::case::Workload>, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = profile.role;
    let chamber = profile.chamber_name.clone();
    view! {
        <section class="card">
            <h1>{td!(i18n, staff.home_title)}</h1>
            <p class="role-line">
                <strong>{profile.full_name.clone()}</strong>
                " · "
                <span class="role-name">{move || role_text(i18n, role)}</span>
                {move || chamber.as_ref().map(|name| format!(" · {}", pick(i18n, name)))}
            </p>
            <p>
                {move || match role {
                    Role::Advisor => td_string!(i18n, staff.intro_advisor).to_string(),
                    Role::ChamberManager => td_string!(i18n, staff.intro_manager).to_string(),
                    _ => td_string!(i18n, staff.intro_fund).to_string(),
                }}
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match workload.await {
                        Ok(Some(work)) => view! { <WorkWaiting work role /> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p class="actions">
                {(role == Role::FundAdmin)
                    .then(|| {
                        view! {
                            <A href="/staff/users" attr:class="button primary">
                                {td!(i18n, staff.manage_users)}
                            </A>
                            <A href="/staff/rubric" attr:class="button">
                                {td!(i18n, rubric.link)}
                            </A>
                            <A href="/fund/audit" attr:class="button">
                                {td!(i18n, audit.link)}
                            </A>
                        }
                    })}
                {matches!(role, Role::FundAdmin | Role::ChamberManager)
                    .then(|| {
                        view! {
                            <A href="/staff/deleted-plans" attr:class="button">
                                {td!(i18n, restore.link)}
                            </A>
                        }
                    })}
            </p>
        </section>
    }
}

/// The work waiting for the chamber (or, for the Fund, every chamber), each a link into
/// the list that holds it.
#[component]
fn WorkWaiting(work: crate::case::Workload, role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let n = move |count: i64| digits(locale, count.to_string());
    let longest = work
        .longest_wait_days
        .map(|days| td_string!(locale, staff.work_longest, days = n(days)).to_string());
    view! {
        <section class="work-waiting" aria-labelledby="work-title">
            <h2 id="work-title">{td!(i18n, staff.work_title)}</h2>
            <ul class="work-list">
                {(role != Role::FundAdmin)
                    .then(|| {
                        view! {
                            <li>
                                <A href="/staff/plans?assigned=me&status=in_review">
                                    {td_string!(locale, staff.work_mine, n = n(work.my_reviews))}
                                </A>
                            </li>
                        }
                    })} <li>
                    <A href="/staff/plans?assigned=none&status=submitted">
                        {td_string!(locale, staff.work_unassigned, n = n(work.unassigned))}
                    </A>
                    {longest
                        .map(|text| {
                            view! {
                                " · "
                                <span>{text}</span>
                            }
                        })}
                </li> <li>
                    <A href="/staff/documents">
                        {td_string!(locale, staff.work_documents, n = n(work.documents_waiting))}
                    </A>
                </li> <li>
                    <A href="/staff/services">{td_string!(locale, staff.work_requests, n = n(work.requests_open))}</A>
                </li>
            </ul>
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
                    {home
                        .journey
                        .map(|(plan_id, title, status, stage, of)| {
                            view! {
                                <div class="journey">
                                    <p>
                                        <leptos_router::components::A href=format!("/plans/{plan_id}#case")>
                                            <bdi>{title}</bdi>
                                        </leptos_router::components::A>
                                        ": "
                                        {move || crate::lang::digits(
                                            i18n,
                                            td_string!(
                                                i18n, case.stage,
                                    stage = stage, of = of, status = plan_status_text(i18n, status)
                                            )
                                                .to_string(),
                                        )}
                                    </p>
                                    <progress
                                        max=of.to_string()
                                        value=stage.to_string()
                                        aria-label=move || td_string!(i18n, case.journey)
                                    ></progress>
                                </div>
                            }
                        })}
                    {home.steps.is_empty().then(|| view! { <p>{td!(i18n, home.next_body)}</p> })}
                    <ul class="next-steps">
                        {home
                            .steps
                            .into_iter()
                            .map(|step| {
                                let (href, text) = step_link(i18n, &step);
                                view! {
                                    <li>
                                        <leptos_router::components::A href=href>{text}</leptos_router::components::A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            })}
        </Transition>
    }
}

fn step_link(locale: Locale, step: &NextStep) -> (String, String) {
    use crate::lang::doc_type_text;
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
                service = crate::lang::pick(locale, service)
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
                    service = crate::lang::pick(locale, service),
                    step = crate::lang::pick(locale, step),
                    date = crate::lang::digits(locale, date.clone())
                )
                .to_string(),
                None => td_string!(
                    locale,
                    case.next_service_step,
                    service = crate::lang::pick(locale, service),
                    step = crate::lang::pick(locale, step)
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
