//! `/staff/establishments`: the register (filters, downloads, a page at a time) and
//! `/staff/establishments/:id`: one establishment, its registration numbers and follow-up
//! visits. Both forms work without JavaScript (plain posts, the typed values kept on error).
use super::{
    get_establishment, get_register, Establishment, EstablishmentRow, RecordVisit, RegisterParams, SaveDetails,
};
use crate::auth::get_reference_data;
use crate::components::downloads::{download_hrefs, DownloadLinks};
use crate::components::form::{
    field_error_signal, successes, use_form_draft, ChamberFilter, Draft, ErrorSignal, ErrorSummary, FieldError,
    FilterChoice, Notice, TextField,
};
use crate::components::load_error::{LoadError, LoadingCard};
use crate::components::query::page_link;
use crate::components::server_form::ServerForm;
use crate::error::AppError;
use crate::i18n::*;
use crate::label;
use crate::lang::{
    choice_label, count, digits, establishment_source_text, establishment_standing_text, pick, problem_text, tenths,
};
use domain::establishments::{
    EstablishmentSource, EstablishmentStanding, ESTABLISHMENT_NAME_MAX, REGISTRATION_NUMBER_MAX, VISIT_NOTE_MAX,
};
use domain::plan::tables::Choices;
use domain::validation::Field;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_params_map, use_query_map};

pub const PATH: &str = "/staff/establishments";

fn params_of(query: &leptos_router::params::ParamsMap) -> RegisterParams {
    let get = |name: &str| query.get(name).unwrap_or_default();
    RegisterParams {
        q: get("q"),
        chamber: get("chamber"),
        standing: get("standing"),
        source: get("source"),
        after: get("after"),
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = Memo::new(move |_| query.with(params_of));
    let register = Resource::new(move || params.get(), get_register);
    let reference = Resource::new(|| (), |_| async move { get_reference_data().await.unwrap_or_default() });
    view! {
        <Title text=move || td_string!(i18n, establishments.title) />
        <Transition fallback=|| {
            view! { <LoadingCard /> }
        }>
            {move || Suspend::new(async move {
                let reference = reference.await;
                let params = params.get();
                match register.await {
                    Ok(page) => {
                        let chambers = reference.chambers;
                        view! {
                            <section class="card">
                                <h1>{td!(i18n, establishments.title)}</h1>
                                <p>{td!(i18n, establishments.intro)}</p>
                                <RegisterFilters params=params.clone() chambers every_chamber=page.every_chamber />
                            </section>
                            <RegisterTable page params />
                        }
                            .into_any()
                    }
                    Err(error @ AppError::Invalid(_)) => {
                        let locale = i18n;
                        let messages = error
                            .field_errors()
                            .iter()
                            .map(|e| problem_text(locale, e.problem))
                            .collect::<Vec<_>>()
                            .join(" ");
                        view! {
                            <section class="card">
                                <h1>{td!(i18n, establishments.title)}</h1>
                                <p class="form-error" role="alert">
                                    {td!(i18n, errors.invalid)}
                                    " "
                                    {messages}
                                </p>
                                <RegisterFilters params chambers=reference.chambers every_chamber=false />
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RegisterFilters(
    params: RegisterParams,
    chambers: Vec<domain::reference::ChamberChoice>,
    every_chamber: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let any = td_string!(locale, queue.any).to_string();
    let chambers: Vec<(String, String)> = chambers
        .iter()
        .map(|c| (c.id.to_string(), pick(locale, &c.name).to_string()))
        .collect();
    let standings = EstablishmentStanding::ALL
        .iter()
        .map(|s| (s.key().to_string(), establishment_standing_text(locale, *s)))
        .collect();
    let sources = EstablishmentSource::ALL
        .iter()
        .map(|s| (s.key().to_string(), establishment_source_text(locale, *s)))
        .collect();
    view! {
        <Form method="get" action=PATH>
            <div class="queue-filters">
                <div class="field">
                    <label for="register-q">{td!(i18n, establishments.search)}</label>
                    <input id="register-q" name="q" type="search" maxlength="100" value=params.q.clone() />
                </div>
                <ChamberFilter
                    prefix="register"
                    every_chamber
                    any=any.clone()
                    chambers
                    selected=params.chamber.clone()
                />
                <FilterChoice
                    prefix="register"
                    id="standing"
                    label=td_string!(locale, establishments.col_standing)
                    any=any.clone()
                    options=standings
                    selected=params.standing.clone()
                />
                <FilterChoice
                    prefix="register"
                    id="source"
                    label=td_string!(locale, establishments.col_source)
                    any=any.clone()
                    options=sources
                    selected=params.source.clone()
                />
            </div>
            <button type="submit" class="button">
                {td!(i18n, establishments.filter)}
            </button>
        </Form>
    }
}

#[component]
fn RegisterTable(page: super::RegisterPage, params: RegisterParams) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let heading = td_string!(locale, establishments.table).to_string();
    let (csv, xlsx) = download_hrefs(EXPORT_BASE, params.pairs(), "");
    let summary = td_string!(locale, establishments.total, n = count(locale, page.total)).to_string();
    let every_chamber = page.every_chamber;
    let next = page
        .next
        .map(|after| page_link(PATH, params.pairs(), "after", Some(after.to_string())));
    let first = (!params.after.is_empty()).then(|| page_link(PATH, params.pairs(), "after", None));
    let empty = page.rows.is_empty();
    let rows = page
        .rows
        .into_iter()
        .map(|row| view! { <Row row every_chamber /> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="register-heading">
            <div class="table-heading">
                <h2 id="register-heading">{heading.clone()}</h2>
                <DownloadLinks title=heading csv xlsx />
            </div>
            <p data-figure="register-total">{summary}</p>
            {if empty {
                view! { <p>{td!(i18n, establishments.none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="register-heading">
                        <table class="figures" id="register-table">
                            <thead>
                                <tr>
                                    <th scope="col">{td!(i18n, establishments.col_name)}</th>
                                    <th scope="col">{td!(i18n, establishments.col_owner)}</th>
                                    {every_chamber.then(|| view! { <th scope="col">{td!(i18n, queue.chamber)}</th> })}
                                    <th scope="col">{td!(i18n, establishments.col_sector)}</th>
                                    <th scope="col">{td!(i18n, establishments.col_source)}</th>
                                    <th scope="col">{td!(i18n, establishments.col_registered)}</th>
                                    <th scope="col">{td!(i18n, establishments.col_planned)}</th>
                                    <th scope="col">{td!(i18n, establishments.col_filled)}</th>
                                    <th scope="col">{td!(i18n, establishments.col_last_visit)}</th>
                                    <th scope="col">{td!(i18n, establishments.col_standing)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
            <p class="pager">
                {first.map(|href| view! { <A href=href>{td!(i18n, establishments.first_page)}</A> })} " "
                {next
                    .map(|href| {
                        view! {
                            <A href=href attr:rel="next">
                                {td!(i18n, establishments.next_page)}
                            </A>
                        }
                    })}
            </p>
        </section>
    }
}

/// Where the register's downloads are served (`/staff/establishments/export/establishments.csv`).
pub const EXPORT_BASE: &str = "/staff/establishments/export/establishments";

#[component]
fn Row(row: EstablishmentRow, every_chamber: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let dash = || "—".to_string();
    let href = format!("{PATH}/{}", row.id);
    let chamber = row.chamber.as_ref().map_or_else(dash, |c| pick(locale, c).to_string());
    let sector = row
        .sector
        .as_deref()
        .map_or_else(dash, |s| choice_label(locale, Choices::Sector, s).to_string());
    view! {
        <tr>
            <th scope="row">
                <A href=href>{row.name.clone()}</A>
            </th>
            <td>{row.owner_name.clone()}</td>
            {every_chamber.then(|| view! { <td>{chamber}</td> })}
            <td>{sector}</td>
            <td>{establishment_source_text(locale, row.source)}</td>
            <td>{digits(locale, row.registered_on.clone())}</td>
            <td>{tenths(locale, row.planned_fte_tenths)}</td>
            <td>{row.filled.map_or_else(dash, |n| count(locale, n))}</td>
            <td>{row.last_visited_on.clone().map_or_else(dash, |d| digits(locale, d))}</td>
            <td>{establishment_standing_text(locale, row.standing)}</td>
        </tr>
    }
}

#[component]
pub fn EstablishmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let save = ServerAction::<SaveDetails>::new();
    let visit = ServerAction::<RecordVisit>::new();
    let (saved, visited) = (successes(save), successes(visit));
    let establishment = Resource::new(
        move || (id(), saved.get(), visited.get()),
        |(id, _, _)| get_establishment(id),
    );
    let details_draft = use_form_draft::<SaveDetails>();
    let visit_draft = use_form_draft::<RecordVisit>();
    view! {
        <Title text=move || td_string!(i18n, establishments.title) />
        <Transition fallback=|| {
            view! { <LoadingCard /> }
        }>
            {move || Suspend::new(async move {
                let details_draft = details_draft.await;
                let visit_draft = visit_draft.await;
                match establishment.await {
                    Ok(e) => {
                        view! {
                            <Facts e=e.clone() />
                            <VisitForm id=e.row.id today=e.today.clone() visit draft=visit_draft />
                            <Visits e=e.clone() />
                            <DetailsForm e save draft=details_draft />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Facts(e: Establishment) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let dash = || "—".to_string();
    let row = e.row;
    let chamber = row.chamber.as_ref().map_or_else(dash, |c| pick(locale, c).to_string());
    let governorate = row
        .governorate
        .as_ref()
        .map_or_else(dash, |g| pick(locale, g).to_string());
    let sector = row
        .sector
        .as_deref()
        .map_or_else(dash, |s| choice_label(locale, Choices::Sector, s).to_string());
    let legal_form = e
        .legal_form
        .as_deref()
        .map_or_else(dash, |s| choice_label(locale, Choices::LegalForm, s).to_string());
    let planned = td_string!(
        locale,
        establishments.planned_jobs,
        fte = tenths(locale, row.planned_fte_tenths),
        women = count(locale, e.planned_women),
        youth = count(locale, e.planned_youth)
    )
    .to_string();
    let filled = match (e.visits.first(), row.filled) {
        (Some(latest), Some(total)) => td_string!(
            locale,
            establishments.filled_jobs,
            total = count(locale, total),
            women = count(locale, latest.jobs_women),
            men = count(locale, latest.jobs_men),
            day = digits(locale, latest.visited_on.clone())
        )
        .to_string(),
        _ => td_string!(locale, establishments.no_visit_yet).to_string(),
    };
    let numbers = [
        (td_string!(locale, establishments.chamber_number), e.chamber_number),
        (td_string!(locale, establishments.company_number), e.company_number),
        (td_string!(locale, establishments.tax_number), e.tax_number),
    ]
    .into_iter()
    .map(|(label, value)| {
        view! {
            <dt>{label}</dt>
            <dd dir="ltr">{value.unwrap_or_else(|| td_string!(locale, establishments.not_known).to_string())}</dd>
        }
    })
    .collect_view();
    view! {
        <section class="card">
            <p>
                <A href=PATH>{td!(i18n, establishments.back)}</A>
            </p>
            <h1 id="establishment-name">{row.name.clone()}</h1>
            <dl class="details">
                <dt>{td!(i18n, establishments.col_owner)}</dt>
                <dd>
                    <A href=format!("/staff/case/{}", e.owner_id)>{row.owner_name.clone()}</A>
                </dd>
                {e
                    .plan
                    .map(|(plan_id, title)| {
                        view! {
                            <dt>{td!(i18n, establishments.plan)}</dt>
                            <dd>
                                <A href=format!("/plans/{plan_id}")>{title}</A>
                            </dd>
                        }
                    })}
                <dt>{td!(i18n, queue.chamber)}</dt>
                <dd>{chamber}</dd>
                <dt>{td!(i18n, establishments.col_governorate)}</dt>
                <dd>{governorate}</dd>
                <dt>{td!(i18n, establishments.col_sector)}</dt>
                <dd>{sector}</dd>
                <dt>{td!(i18n, dashboard.legal_form)}</dt>
                <dd>{legal_form}</dd>
                <dt>{td!(i18n, establishments.col_source)}</dt>
                <dd>{establishment_source_text(locale, row.source)}</dd>
                <dt>{td!(i18n, establishments.col_registered)}</dt>
                <dd>{digits(locale, row.registered_on.clone())}</dd>
                <dt>{td!(i18n, establishments.col_planned)}</dt>
                <dd data-figure="planned">{planned}</dd>
                <dt>{td!(i18n, establishments.col_filled)}</dt>
                <dd data-figure="filled">{filled}</dd>
                <dt>{td!(i18n, establishments.col_standing)}</dt>
                <dd data-figure="standing">{establishment_standing_text(locale, row.standing)}</dd>
                {numbers}
            </dl>
        </section>
    }
}

#[component]
fn Visits(e: Establishment) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let empty = e.visits.is_empty();
    let rows = e
        .visits
        .into_iter()
        .map(|v| {
            let standing = if v.operating {
                EstablishmentStanding::Operating
            } else {
                EstablishmentStanding::Closed
            };
            view! {
                <tr>
                    <th scope="row">{digits(locale, v.visited_on)}</th>
                    <td>{count(locale, v.jobs_women)}</td>
                    <td>{count(locale, v.jobs_men)}</td>
                    <td>{establishment_standing_text(locale, standing)}</td>
                    <td>{v.note.unwrap_or_default()}</td>
                    <td>{v.recorded_by}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="visits-heading">
            <h2 id="visits-heading">{td!(i18n, establishments.visits)}</h2>
            {if empty {
                view! { <p>{td!(i18n, establishments.no_visits)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="visits-heading">
                        <table class="figures" id="visits-table">
                            <thead>
                                <tr>
                                    <th scope="col">{td!(i18n, establishments.visit_date)}</th>
                                    <th scope="col">{td!(i18n, establishments.jobs_women)}</th>
                                    <th scope="col">{td!(i18n, establishments.jobs_men)}</th>
                                    <th scope="col">{td!(i18n, establishments.col_standing)}</th>
                                    <th scope="col">{td!(i18n, establishments.note)}</th>
                                    <th scope="col">{td!(i18n, establishments.recorded_by)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn VisitForm(id: i64, today: String, visit: ServerAction<RecordVisit>, draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let error: ErrorSignal = Signal::derive(move || visit.value().get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(visit.value().get(), Some(Ok(()))));
    let operating_message = field_error_signal(error, Field::StillOperating);
    let note_message = field_error_signal(error, Field::Note);
    let chosen = draft.get("input[operating]");
    view! {
        <section class="card" aria-labelledby="visit-heading">
            <h2 id="visit-heading">{td!(i18n, establishments.record_visit)}</h2>
            <ServerForm action=visit attr:novalidate=true attr:id="visit-form">
                <input type="hidden" name="id" value=id.to_string() />
                <ErrorSummary error />
                <Notice show=saved>{td!(i18n, establishments.visit_saved)}</Notice>
                <TextField
                    id="visit_day"
                    name="input[visited_on]"
                    field=Field::VisitDate
                    error
                    input_type="date"
                    label=label!(i18n, establishments.visit_date)
                    value=draft.get("input[visited_on]").unwrap_or(today)
                    maxlength=10
                />
                <TextField
                    id="visit_women"
                    name="input[jobs_women]"
                    field=Field::JobsWomen
                    error
                    inputmode="numeric"
                    label=label!(i18n, establishments.jobs_women)
                    value=draft.get("input[jobs_women]")
                    maxlength=6
                    required=false
                />
                <TextField
                    id="visit_men"
                    name="input[jobs_men]"
                    field=Field::JobsMen
                    error
                    inputmode="numeric"
                    label=label!(i18n, establishments.jobs_men)
                    value=draft.get("input[jobs_men]")
                    maxlength=6
                    required=false
                />
                <fieldset
                    class="field radio-group"
                    class:has-error=move || operating_message.get().is_some()
                    aria-describedby=move || operating_message.get().map(|_| "visit_operating-error")
                >
                    <legend>{td!(i18n, establishments.still_operating)}</legend>
                    <label>
                        <input
                            type="radio"
                            name="input[operating]"
                            value="yes"
                            checked=chosen.as_deref() == Some("yes")
                        />
                        {td!(i18n, common.yes)}
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="input[operating]"
                            value="no"
                            checked=chosen.as_deref() == Some("no")
                        />
                        {td!(i18n, common.no)}
                    </label>
                    <FieldError id="visit_operating-error".to_string() message=operating_message />
                </fieldset>
                <div class="field" class:has-error=move || note_message.get().is_some()>
                    <label for="visit_note">{td!(i18n, establishments.note)}</label>
                    <textarea
                        id="visit_note"
                        name="input[note]"
                        rows="3"
                        maxlength=VISIT_NOTE_MAX.to_string()
                        aria-describedby=move || note_message.get().map(|_| "visit_note-error")
                    >
                        {draft.get("input[note]").unwrap_or_default()}
                    </textarea>
                    <FieldError id="visit_note-error".to_string() message=note_message />
                </div>
                <button type="submit" class="button primary" disabled=move || visit.pending().get()>
                    {td!(i18n, establishments.save_visit)}
                </button>
            </ServerForm>
        </section>
    }
}

#[component]
fn DetailsForm(e: Establishment, save: ServerAction<SaveDetails>, draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let error: ErrorSignal = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(save.value().get(), Some(Ok(()))));
    let kept = move |name: &str, current: Option<String>| draft.get(name).or(current);
    let numbers = [
        (
            "details_chamber_number",
            "input[chamber_number]",
            Field::ChamberNumber,
            label!(i18n, establishments.chamber_number),
            e.chamber_number.clone(),
        ),
        (
            "details_company_number",
            "input[company_number]",
            Field::CompanyNumber,
            label!(i18n, establishments.company_number),
            e.company_number.clone(),
        ),
        (
            "details_tax_number",
            "input[tax_number]",
            Field::TaxNumber,
            label!(i18n, establishments.tax_number),
            e.tax_number.clone(),
        ),
    ]
    .into_iter()
    .map(|(id, name, field, label, current)| {
        view! {
            <TextField
                id
                name
                field
                error
                label
                hint=label!(i18n, establishments.number_hint)
                value=kept(name, current)
                maxlength=REGISTRATION_NUMBER_MAX
                required=false
            />
        }
    })
    .collect_view();
    view! {
        <section class="card" aria-labelledby="details-heading">
            <h2 id="details-heading">{td!(i18n, establishments.details)}</h2>
            <p>{td!(i18n, establishments.details_intro)}</p>
            <ServerForm action=save attr:novalidate=true attr:id="details-form">
                <input type="hidden" name="id" value=e.row.id.to_string() />
                <ErrorSummary error />
                <Notice show=saved>{td!(i18n, establishments.details_saved)}</Notice>
                <TextField
                    id="details_name"
                    name="input[name]"
                    field=Field::EstablishmentName
                    error
                    label=label!(i18n, establishments.col_name)
                    value=kept("input[name]", Some(e.row.name.clone()))
                    maxlength=ESTABLISHMENT_NAME_MAX
                />
                {numbers}
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {td!(i18n, establishments.save_details)}
                </button>
            </ServerForm>
        </section>
    }
}
