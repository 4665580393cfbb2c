//! `/fund/labour`: positions planned by approved-and-later plans, grouped by job title,
//! sector, governorate, month of hiring and currency (the labour-demand evidence the Fund
//! reports), with the dashboard's filters and downloads; below, the Fund maps spellings of
//! a job title to one canonical title.
use super::filters::{params_of, Filters};
use super::places::{DASHBOARD, LABOUR};
use crate::auth::get_reference_data;
use crate::components::downloads::{download_hrefs, DownloadLinks};
use crate::components::form::{successes, ErrorSignal, ErrorSummary, Notice};
use crate::components::load_error::{LoadError, LoadingCard};
use crate::components::server_form::ServerForm;
use crate::error::AppError;
use crate::fund::{get_labour, DashboardParams, Labour, LabourRow, MapJobTitle, TitleVariant, JOB_TITLE_MAX};
use crate::i18n::*;
use crate::lang::{count, currency_name, digits, money, percent_tenths, pick, tenths};
use crate::plan::report::choice_label;
use domain::plan::tables::Choices;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn LabourPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = Memo::new(move |_| query.with(params_of));
    let title = Memo::new(move |_| query.with(|q| q.get("title").unwrap_or_default()));
    let map = ServerAction::<MapJobTitle>::new();
    let mapped = successes(map);
    let labour = Resource::new(
        move || (params.get(), title.get(), mapped.get()),
        |(params, title, _)| get_labour(params, title),
    );
    let reference = Resource::new(|| (), |_| async move { get_reference_data().await.unwrap_or_default() });
    view! {
        <Title text=move || td_string!(i18n, labour.title) />
        <Transition fallback=|| {
            view! { <LoadingCard /> }
        }>
            {move || Suspend::new(async move {
                let reference = reference.await;
                let params = params.get();
                match labour.await {
                    Ok(labour) => {
                        let every_chamber = labour.every_chamber;
                        view! {
                            <section class="card">
                                <h1>{td!(i18n, labour.title)}</h1>
                                <p>{td!(i18n, labour.intro)}</p>
                                <p>
                                    <A href=DASHBOARD>{td!(i18n, labour.back)}</A>
                                </p>
                                <Filters
                                    action=LABOUR
                                    params=params.clone()
                                    reference
                                    every_chamber
                                    errors=Vec::new()
                                />
                            </section>
                            <Table labour=labour.clone() params=params.clone() />
                            {labour
                                .can_map
                                .then(|| {
                                    view! { <Titles variants=labour.variants params title=title.get_untracked() map /> }
                                })}
                        }
                            .into_any()
                    }
                    Err(AppError::Invalid(errors)) => {
                        view! {
                            <section class="card">
                                <h1>{td!(i18n, labour.title)}</h1>
                                <p class="form-error" role="alert">
                                    {td!(i18n, errors.invalid)}
                                </p>
                                <Filters action=LABOUR params reference every_chamber=true errors />
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
fn Table(labour: Labour, params: DashboardParams) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let heading = td_string!(locale, labour.table).to_string();
    let (csv, xlsx) = download_hrefs("/fund/export/labour", params.pairs(), "");
    let summary = td_string!(
        locale,
        labour.summary,
        positions = count(locale, labour.positions),
        groups = count(locale, labour.total_rows)
    )
    .to_string();
    let more = (labour.total_rows > labour.rows.len() as i64).then(|| {
        td_string!(
            locale,
            labour.shown_first,
            n = count(locale, labour.rows.len() as i64),
            total = count(locale, labour.total_rows)
        )
        .to_string()
    });
    let empty = labour.rows.is_empty();
    let rows = labour.rows.into_iter().map(|row| view! { <Row row /> }).collect_view();
    view! {
        <section class="card" aria-labelledby="labour-heading">
            <div class="table-heading">
                <h2 id="labour-heading">{heading.clone()}</h2>
                <DownloadLinks title=heading csv xlsx />
            </div>
            <p data-figure="labour-summary">{summary}</p>
            {more.map(|text| view! { <p>{text}</p> })}
            {if empty {
                view! { <p>{td!(i18n, labour.none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="labour-heading">
                        <table class="figures" id="labour-table">
                            <thead>
                                <tr>
                                    <th scope="col">{td!(i18n, labour.col_title)}</th>
                                    <th scope="col">{td!(i18n, labour.col_sector)}</th>
                                    <th scope="col">{td!(i18n, labour.col_governorate)}</th>
                                    <th scope="col">{td!(i18n, labour.col_month)}</th>
                                    <th scope="col">{td!(i18n, labour.col_positions)}</th>
                                    <th scope="col">{td!(i18n, labour.col_women)}</th>
                                    <th scope="col">{td!(i18n, labour.col_youth)}</th>
                                    <th scope="col">{td!(i18n, labour.col_fte)}</th>
                                    <th scope="col">{td!(i18n, labour.col_average_wage)}</th>
                                    <th scope="col">{td!(i18n, labour.col_wage_bill)}</th>
                                    <th scope="col">{td!(i18n, labour.col_plans)}</th>
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
fn Row(row: LabourRow) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let dash = || "—".to_string();
    let sector = row
        .sector
        .as_deref()
        .map_or_else(dash, |s| choice_label(locale, Choices::Sector, s).to_string());
    let governorate = row
        .governorate
        .as_ref()
        .map_or_else(dash, |g| pick(locale, g).to_string());
    let month = row.month.clone().map_or_else(dash, |m| digits(locale, m));
    let women = format!(
        "{} ({})",
        count(locale, row.women),
        percent_tenths(locale, row.women_tenths())
    );
    let average = row.average_wage().map_or_else(dash, |w| money(locale, w, row.currency));
    view! {
        <tr>
            <th scope="row">{row.title.clone()}</th>
            <td>{sector}</td>
            <td>{governorate}</td>
            <td>{month}</td>
            <td>{count(locale, row.positions)}</td>
            <td>{women}</td>
            <td>{count(locale, row.youth)}</td>
            <td>{tenths(locale, row.fte_tenths)}</td>
            <td>{average}</td>
            <td>{format!("{} {}", money(locale, row.wage_bill, row.currency), currency_name(locale, row.currency))}</td>
            <td>{count(locale, row.plans)}</td>
        </tr>
    }
}

/// The Fund's mapping of spellings to canonical titles.
#[component]
fn Titles(
    variants: Vec<TitleVariant>,
    params: DashboardParams,
    title: String,
    map: ServerAction<MapJobTitle>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let error: ErrorSignal = Signal::derive(move || map.value().get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(map.value().get(), Some(Ok(()))));
    let kept = params
        .pairs()
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value.to_string() /> })
        .collect_view();
    let empty = variants.is_empty();
    let rows = variants
        .into_iter()
        .enumerate()
        .map(|(n, variant)| {
            let id = format!("canonical-{n}");
            let label = td_string!(locale, labour.canonical_for, title = variant.example.clone()).to_string();
            let current = match &variant.canonical {
                Some(canonical) => td_string!(locale, labour.counted_as, title = canonical.clone()).to_string(),
                None => td_string!(locale, labour.counted_alone).to_string(),
            };
            view! {
                <li class="title-variant">
                    <ServerForm action=map attr:class="row-form">
                        <input type="hidden" name="folded" value=variant.folded.clone() />
                        <div class="field">
                            <label for=id.clone()>{label}</label>
                            <p class="hint">
                                {td_string!(locale, labour.variant_positions, n = count(locale, variant.positions))}
                                " · " {current}
                            </p>
                            <input
                                id=id
                                name="canonical"
                                maxlength=JOB_TITLE_MAX.to_string()
                                value=variant.canonical.clone().unwrap_or_default()
                            />
                        </div>
                        <button type="submit" class="button">
                            {td!(i18n, labour.save)}
                        </button>
                    </ServerForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="titles-heading">
            <h2 id="titles-heading">{td!(i18n, labour.titles_heading)}</h2>
            <p>{td!(i18n, labour.titles_intro)}</p>
            <Form method="get" action=LABOUR>
                {kept}
                <div class="field">
                    <label for="title-search">{td!(i18n, labour.title_search)}</label>
                    <input id="title-search" name="title" type="search" maxlength="100" value=title />
                </div>
                <button type="submit" class="button">
                    {td!(i18n, labour.search)}
                </button>
            </Form>
            <ErrorSummary error />
            <Notice show=saved>{td!(i18n, labour.saved)}</Notice>
            {if empty {
                view! { <p>{td!(i18n, labour.no_titles)}</p> }.into_any()
            } else {
                view! { <ul class="title-variants">{rows}</ul> }.into_any()
            }}
        </section>
    }
}
