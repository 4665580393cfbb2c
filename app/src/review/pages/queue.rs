//! The review queue page: a GET form of filters (the URL holds the query, so a filtered
//! queue can be linked to and works without JavaScript) and one page of plans.
use crate::auth::{get_reference_data, ReferenceData};
use crate::components::downloads::{download_hrefs, DownloadLinks};
use crate::components::form::{ChamberFilter, FilterChoice};
use crate::components::load_error::LoadError;
use crate::components::query::page_link;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{digits, pick, plan_status_text, problem_text, when};
use crate::plan::report::choice_label;
use crate::review::{review_queue, AdvisorChoice, QueuePage, QueueParams, QueueRow};
use domain::plan::financials::SECTORS;
use domain::plan::status::PlanStatus;
use domain::plan::tables::Choices;
use domain::review::queue::{AgeGroup, QueueSort};
use domain::validation::{Field, FieldError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

const PATH: &str = "/staff/plans";

/// The whole filtered queue as a file: `.csv` or `.xlsx` after it.
pub const EXPORT_BASE: &str = "/review/export/queue";

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = Memo::new(move |_| {
        query.with(|q| {
            let get = |name: &str| q.get(name).unwrap_or_default();
            QueueParams {
                status: get("status"),
                assigned: get("assigned"),
                chamber: get("chamber"),
                sector: get("sector"),
                governorate: get("governorate"),
                gender: get("gender"),
                age: get("age"),
                from: get("from"),
                to: get("to"),
                q: get("q"),
                sort: get("sort"),
                after: get("after"),
            }
        })
    });
    let page = Resource::new(move || params.get(), review_queue);
    let reference = Resource::new(|| (), |_| async move { get_reference_data().await.unwrap_or_default() });
    view! {
        <Title text=move || td_string!(i18n, case.chamber_plans) />
        <section class="card">
            <h1>{td!(i18n, case.chamber_plans)}</h1>
            <Transition fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    let reference = reference.await;
                    let params = params.get();
                    match page.await {
                        Ok(page) => {
                            let advisors = page.advisors.clone();
                            let every_chamber = page.every_chamber;
                            view! {
                                <Filters params=params.clone() reference advisors every_chamber errors=Vec::new() />
                                <Results page params />
                            }
                                .into_any()
                        }
                        Err(AppError::Invalid(errors)) => {
                            view! {
                                <p class="form-error" role="alert">
                                    {td!(i18n, errors.invalid)}
                                </p>
                                <Filters params reference advisors=Vec::new() every_chamber=false errors />
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

/// The filter form. Every value it shows comes from the URL.
#[component]
fn Filters(
    params: QueueParams,
    reference: ReferenceData,
    advisors: Vec<AdvisorChoice>,
    every_chamber: bool,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let has_errors = !errors.is_empty();
    let problem = move |field: Field| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| problem_text(locale, e.problem))
    };
    let statuses: Vec<(String, String)> = PlanStatus::ALL
        .into_iter()
        .filter(|s| *s != PlanStatus::Draft)
        .map(|s| (s.key().to_string(), plan_status_text(locale, s)))
        .collect();
    // The Fund reads the queue but reviews nothing: no "my reviews" for it.
    let mut assigned = Vec::new();
    if !every_chamber {
        assigned.push(("me".to_string(), td_string!(locale, queue.assigned_me).to_string()));
    }
    assigned.push(("none".to_string(), td_string!(locale, queue.assigned_none).to_string()));
    assigned.extend(advisors.into_iter().map(|a| (a.id.to_string(), a.name)));
    let chambers: Vec<(String, String)> = reference
        .chambers
        .iter()
        .map(|c| (c.id.to_string(), pick(locale, &c.name).to_string()))
        .collect();
    let sectors: Vec<(String, String)> = SECTORS
        .iter()
        .map(|s| (s.to_string(), choice_label(locale, Choices::Sector, s).to_string()))
        .collect();
    let governorates: Vec<(String, String)> = reference
        .governorates
        .iter()
        .map(|g| (g.code.clone(), pick(locale, &g.name).to_string()))
        .collect();
    let genders = crate::lang::gender_choices(locale);
    let ages: Vec<(String, String)> = AgeGroup::ALL
        .into_iter()
        .map(|a| (a.key().to_string(), digits(locale, a.key().replace('-', "–"))))
        .collect();
    let sorts: Vec<(String, String)> = vec![
        (
            QueueSort::Waiting.key().to_string(),
            td_string!(locale, queue.sort_waiting).to_string(),
        ),
        (
            QueueSort::Submitted.key().to_string(),
            td_string!(locale, queue.sort_submitted).to_string(),
        ),
        (
            QueueSort::Score.key().to_string(),
            td_string!(locale, queue.sort_score).to_string(),
        ),
    ];
    let any = td_string!(locale, queue.any).to_string();
    // On a phone the filters fold away behind their title; open whenever one is in use.
    let more_open = [
        &params.status,
        &params.assigned,
        &params.chamber,
        &params.sector,
        &params.governorate,
        &params.gender,
        &params.age,
        &params.from,
        &params.to,
    ]
    .iter()
    .any(|value| !value.is_empty())
        || has_errors;
    let search_problem = problem(Field::Search);
    let from_problem = problem(Field::SubmittedFrom);
    let to_problem = problem(Field::SubmittedTo);
    view! {
        <Form method="get" action=PATH>
            <div class="queue-search">
                <div class="field" class:has-error=search_problem.is_some()>
                    <label for="queue-q">{td!(i18n, queue.search)}</label>
                    <input
                        id="queue-q"
                        name="q"
                        type="search"
                        maxlength="100"
                        value=params.q.clone()
                        aria-invalid=search_problem.is_some().then_some("true")
                        aria-describedby=search_problem.is_some().then_some("queue-q-error")
                    />
                    {search_problem
                        .clone()
                        .map(|m| {
                            view! {
                                <p class="field-error" id="queue-q-error">
                                    {m}
                                </p>
                            }
                        })}
                </div>
                <FilterChoice
                    prefix="queue"
                    id="sort"
                    label=td_string!(locale, queue.sort)
                    any=String::new()
                    options=sorts
                    selected=params.sort.clone()
                />
                <div class="actions">
                    <button type="submit" class="button primary">
                        {td!(i18n, queue.apply)}
                    </button>
                    <A href=PATH>{td!(i18n, queue.clear)}</A>
                </div>
            </div>
            <details class="queue-more" open=more_open>
                <summary>{td!(i18n, queue.filters)}</summary>
                <div class="queue-filters">
                    <FilterChoice
                        prefix="queue"
                        id="status"
                        label=td_string!(locale, queue.status)
                        any=any.clone()
                        options=statuses
                        selected=params.status.clone()
                    />
                    <FilterChoice
                        prefix="queue"
                        id="assigned"
                        label=td_string!(locale, queue.assigned)
                        any=any.clone()
                        options=assigned
                        selected=params.assigned.clone()
                    />
                    <ChamberFilter
                        prefix="queue"
                        every_chamber
                        any=any.clone()
                        chambers
                        selected=params.chamber.clone()
                    />
                    <FilterChoice
                        prefix="queue"
                        id="sector"
                        label=td_string!(locale, queue.sector)
                        any=any.clone()
                        options=sectors
                        selected=params.sector.clone()
                    />
                    <FilterChoice
                        prefix="queue"
                        id="governorate"
                        label=td_string!(locale, queue.governorate)
                        any=any.clone()
                        options=governorates
                        selected=params.governorate.clone()
                    />
                    <FilterChoice
                        prefix="queue"
                        id="gender"
                        label=td_string!(locale, queue.gender)
                        any=any.clone()
                        options=genders
                        selected=params.gender.clone()
                    />
                    <FilterChoice
                        prefix="queue"
                        id="age"
                        label=td_string!(locale, queue.age)
                        any=any.clone()
                        options=ages
                        selected=params.age.clone()
                    />
                    <div class="field" class:has-error=from_problem.is_some()>
                        <label for="queue-from">{td!(i18n, queue.from)}</label>
                        <input
                            id="queue-from"
                            name="from"
                            type="date"
                            value=params.from.clone()
                            aria-invalid=from_problem.is_some().then_some("true")
                            aria-describedby=from_problem.is_some().then_some("queue-from-error")
                        />
                        {from_problem
                            .clone()
                            .map(|m| {
                                view! {
                                    <p class="field-error" id="queue-from-error">
                                        {m}
                                    </p>
                                }
                            })}
                    </div>
                    <div class="field" class:has-error=to_problem.is_some()>
                        <label for="queue-to">{td!(i18n, queue.to)}</label>
                        <input
                            id="queue-to"
                            name="to"
                            type="date"
                            value=params.to.clone()
                            aria-invalid=to_problem.is_some().then_some("true")
                            aria-describedby=to_problem.is_some().then_some("queue-to-error")
                        />
                        {to_problem
                            .clone()
                            .map(|m| {
                                view! {
                                    <p class="field-error" id="queue-to-error">
                                        {m}
                                    </p>
                                }
                            })}
                    </div>
                </div>
            </details>
        </Form>
    }
}

/// The count, the rows and the link to the next page.
#[component]
fn Results(page: QueuePage, params: QueueParams) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let next = page
        .next
        .map(|after| page_link(PATH, params.pairs(), "after", Some(after)));
    let first = (!params.after.is_empty()).then(|| page_link(PATH, params.pairs(), "after", None));
    let every_chamber = page.every_chamber;
    let total = digits(locale, page.total.to_string());
    let (csv, xlsx) = download_hrefs(EXPORT_BASE, params.pairs(), "after");
    let downloads = (page.total > 0).then(|| {
        let title = td_string!(locale, queue.sheet).to_string();
        view! { <p class="queue-downloads">{td!(i18n, queue.downloads)} " " <DownloadLinks title csv xlsx /></p> }
    });
    view! {
        <p class="queue-total" role="status">
            {td_string!(locale, queue.total, n = total)}
        </p>
        {downloads}
        {page.rows.is_empty().then(|| view! { <p>{td!(i18n, queue.none)}</p> })}
        <ul class="plan-list">{page.rows.into_iter().map(|row| view! { <Row row every_chamber /> }).collect_view()}</ul>
        <nav class="pager" aria-label=td_string!(locale, queue.pages)>
            {first.map(|href| view! { <A href=href>{td!(i18n, queue.first)}</A> })}
            {next
                .map(|href| {
                    view! {
                        <A href=href attr:rel="next">
                            {td!(i18n, queue.next)}
                        </A>
                    }
                })}
        </nav>
    }
}

#[component]
fn Row(row: QueueRow, every_chamber: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let status = row.status;
    let waiting = digits(locale, row.waiting_days.to_string());
    let score = match row.score {
        Some(score) => td_string!(locale, queue.score, score = digits(locale, score.one_decimal())).to_string(),
        None => td_string!(locale, queue.not_scored).to_string(),
    };
    let comments = td_string!(
        locale,
        queue.open_comments,
        n = digits(locale, row.open_comments.to_string())
    )
    .to_string();
    view! {
        <li class="plan-item" data-plan=row.plan_id.to_string()>
            <h2 class="plan-title">
                <A href=format!("/plans/{}#case", row.plan_id)>{row.title}</A>
            </h2>
            <p class="plan-meta">
                <bdi>{row.owner_name}</bdi>
                {every_chamber
                    .then(|| {
                        row.chamber
                            .map(|c| {
                                view! {
                                    " · "
                                    <bdi>{pick(locale, &c).to_string()}</bdi>
                                }
                            })
                    })}
                " · "
                <span class="badge badge-uploaded">{plan_status_text(locale, status)}</span>
                " · "
                {td_string!(locale, queue.waiting, days = waiting)}
            </p>
            <p class="plan-meta">
                {td!(i18n, case.assigned)} ": "
                {match row.assigned_to {
                    Some(name) => view! { <bdi>{name}</bdi> }.into_any(),
                    None => view! { <span>{td!(i18n, case.unassigned)}</span> }.into_any(),
                }} " · " {td_string!(locale, queue.submitted, date = when(locale, row.submitted_at))}
            </p>
            <p class="plan-meta">
                <span class="queue-score">{score}</span>
                " · "
                <span class="queue-comments">{comments}</span>
            </p>
        </li>
    }
}
