//! The dashboard page (`/fund`): a GET filter form (the URL holds the filters, so it works
//! without JavaScript and a filtered view can be shared), the key figures, and each table
//! with its chart drawn on the server and a CSV download of exactly what is shown.
use super::filters::{params_of, Filters};
use crate::auth::get_reference_data;
use crate::components::charts::{Bar, BarChart, ColumnChart};
use crate::components::downloads::{download_hrefs, DownloadLinks};
use crate::components::load_error::{LoadError, LoadingCard};
use crate::error::AppError;
use crate::fund::{get_dashboard, Dashboard, DashboardParams, EstablishmentsFigure};
use crate::i18n::*;
use crate::lang::{
    count, currency_name, digits, funnel_stage_text, money, percent_tenths, pick, plan_status_text, tenths,
};
use domain::stats::MoneyScope;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// Where a table of the dashboard downloads (CSV, XLSX), with the filters shown.
fn export_hrefs(table: &str, params: &DashboardParams) -> (String, String) {
    download_hrefs(&format!("/fund/export/{table}"), params.pairs(), "")
}

/// The labour-demand page with the same filters.
fn labour_href(params: &DashboardParams) -> String {
    crate::components::query::page_link(super::places::LABOUR, params.pairs(), "", None)
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = Memo::new(move |_| query.with(params_of));
    let figures = Resource::new(move || params.get(), get_dashboard);
    let reference = Resource::new(|| (), |_| async move { get_reference_data().await.unwrap_or_default() });
    view! {
        <Title text=move || td_string!(i18n, dashboard.title) />
        <Transition fallback=|| {
            view! { <LoadingCard /> }
        }>
            {move || Suspend::new(async move {
                let reference = reference.await;
                let params = params.get();
                match figures.await {
                    Ok(figures) => {
                        let every_chamber = figures.every_chamber;
                        view! {
                            <section class="card">
                                <Heading every_chamber />
                                <Filters params=params.clone() reference every_chamber errors=Vec::new() />
                                <p>
                                    <A href=labour_href(&params)>{td!(i18n, labour.link)}</A>
                                    " · "
                                    <A href=super::places::SMS>{td!(i18n, sms_use.link)}</A>
                                </p>
                            </section>
                            <Figures figures params />
                        }
                            .into_any()
                    }
                    Err(AppError::Invalid(errors)) => {
                        view! {
                            <section class="card">
                                <Heading every_chamber=true />
                                <p class="form-error" role="alert">
                                    {td!(i18n, errors.invalid)}
                                </p>
                                <Filters params reference every_chamber=true errors />
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
fn Heading(every_chamber: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>
            {move || {
                if every_chamber {
                    td_string!(i18n, dashboard.heading_fund)
                } else {
                    td_string!(i18n, dashboard.heading_chamber)
                }
            }}
        </h1>
    }
}

/// A table's heading with the downloads of what it shows.
#[component]
fn TableHeading(id: &'static str, title: String, export: (String, String)) -> impl IntoView {
    let (csv, xlsx) = export;
    view! {
        <div class="table-heading">
            <h2 id=id>{title.clone()}</h2>
            <DownloadLinks title csv xlsx />
        </div>
    }
}

#[component]
fn Figures(figures: Dashboard, params: DashboardParams) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let rtl = locale == Locale::ar;
    let n = move |v: i64| count(locale, v);
    let submitted = figures.funnel.get(1).map_or(0, |s| s.plans);
    let decision = figures
        .days_to_decision
        .as_ref()
        .and_then(|d| d.median)
        .map_or_else(|| "—".to_string(), n);
    let jobs = figures.jobs.clone();
    let register = figures.establishments_total.clone();
    let kpis = view! {
        <section class="card" aria-labelledby="kpi-heading">
            <h2 id="kpi-heading" class="visually-hidden">
                {td!(i18n, dashboard.title)}
            </h2>
            <dl class="kpis">
                <div class="kpi">
                    <dt>{td!(i18n, dashboard.kpi_entrepreneurs)}</dt>
                    <dd>
                        <span class="kpi-value" data-kpi="entrepreneurs">
                            {n(figures.entrepreneurs)}
                        </span>
                    </dd>
                </div>
                <div class="kpi">
                    <dt>{td!(i18n, dashboard.kpi_submitted)}</dt>
                    <dd>
                        <span class="kpi-value" data-kpi="submitted">
                            {n(submitted)}
                        </span>
                    </dd>
                </div>
                <div class="kpi">
                    <dt>{td!(i18n, dashboard.kpi_approval)}</dt>
                    <dd>
                        <span class="kpi-value" data-kpi="approval">
                            {percent_tenths(locale, figures.approval_tenths)}
                        </span>
                        <span class="kpi-detail">
                            {td_string!(
                                locale, dashboard.kpi_approval_of, approved = n(figures.approved), decided =
                            n(figures.decided)
                            )
                                .to_string()}
                        </span>
                    </dd>
                </div>
                <div class="kpi">
                    <dt>{td!(i18n, dashboard.kpi_jobs)}</dt>
                    <dd>
                        <span class="kpi-value" data-kpi="jobs">
                            {tenths(locale, jobs.fte_tenths)}
                        </span>
                        <span class="kpi-detail">
                            {td_string!(
                                locale, dashboard.kpi_jobs_detail, women = n(jobs.women), youth = n(jobs.youth), plans =
                            n(jobs.plans)
                            )
                                .to_string()}
                        </span>
                    </dd>
                </div>
                <div class="kpi">
                    <dt>{td!(i18n, dashboard.kpi_establishments)}</dt>
                    <dd>
                        <span class="kpi-value" data-kpi="establishments">
                            {n(register.registered)}
                        </span>
                        <span class="kpi-detail">
                            {td_string!(
                                locale, dashboard.kpi_establishments_detail, visited = n(register.visited), operating =
                            n(register.operating), closed = n(register.closed)
                            )
                                .to_string()}
                        </span>
                    </dd>
                </div>
                <div class="kpi">
                    <dt>{td!(i18n, dashboard.kpi_filled)}</dt>
                    <dd>
                        <span class="kpi-value" data-kpi="filled">
                            {n(register.filled())}
                        </span>
                        <span class="kpi-detail">
                            {td_string!(
                                locale, dashboard.kpi_filled_detail, planned = tenths(locale,
                            register.visited_planned_fte_tenths), share = percent_tenths(locale,
                            register.filled_share_tenths())
                            )
                                .to_string()}
                        </span>
                    </dd>
                </div>
                <div class="kpi">
                    <dt>{td!(i18n, dashboard.kpi_decision)}</dt>
                    <dd>
                        <span class="kpi-value" data-kpi="decision">
                            {decision}
                        </span>
                    </dd>
                </div>
            </dl>
        </section>
    };

    let funnel_bars = figures
        .funnel
        .iter()
        .map(|s| Bar {
            label: funnel_stage_text(locale, s.stage),
            value: s.plans,
            shown: n(s.plans),
        })
        .collect();
    let funnel_rows = figures
        .funnel
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <th scope="row">{funnel_stage_text(locale, s.stage)}</th>
                    <td>{n(s.plans)}</td>
                    <td>{s.conversion_tenths.map(|c| percent_tenths(locale, Some(c)))}</td>
                </tr>
            }
        })
        .collect_view();
    let funnel = view! {
        <section class="card" aria-labelledby="funnel-heading">
            <TableHeading
                id="funnel-heading"
                title=td_string!(locale, dashboard.funnel).to_string()
                export=export_hrefs("funnel", &params)
            />
            <BarChart bars=funnel_bars rtl />
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="funnel-heading">
                <table class="figures" id="funnel-table">
                    <thead>
                        <tr>
                            <th scope="col">{td!(i18n, dashboard.col_stage)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_plans)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_conversion)}</th>
                        </tr>
                    </thead>
                    <tbody>{funnel_rows}</tbody>
                </table>
            </div>
        </section>
    };

    let days_cell = move |v: Option<i64>| v.map_or_else(|| "—".to_string(), n);
    let mut day_rows: Vec<(String, i64, Option<i64>, Option<i64>)> = figures
        .days_in_state
        .iter()
        .map(|s| {
            (
                plan_status_text(locale, s.status),
                s.days.count,
                s.days.median,
                s.days.p90,
            )
        })
        .collect();
    if let Some(d) = &figures.days_to_decision {
        day_rows.push((
            td_string!(locale, dashboard.to_decision).to_string(),
            d.count,
            d.median,
            d.p90,
        ));
    }
    let days = view! {
        <section class="card" aria-labelledby="days-heading">
            <TableHeading
                id="days-heading"
                title=td_string!(locale, dashboard.days).to_string()
                export=export_hrefs("days", &params)
            />
            <p class="hint">{td!(i18n, dashboard.days_note)}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="days-heading">
                <table class="figures" id="days-table">
                    <thead>
                        <tr>
                            <th scope="col">{td!(i18n, dashboard.col_state)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_stays)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_median)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_p90)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {day_rows
                            .into_iter()
                            .map(|(label, stays, median, p90)| {
                                view! {
                                    <tr>
                                        <th scope="row">{label}</th>
                                        <td>{n(stays)}</td>
                                        <td>{days_cell(median)}</td>
                                        <td>{days_cell(p90)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    };

    let money_rows = figures
        .money
        .iter()
        .map(|m| {
            let scope = match m.scope {
                MoneyScope::Submitted => td_string!(locale, dashboard.scope_submitted),
                MoneyScope::Approved => td_string!(locale, dashboard.scope_approved),
            };
            let amount = |v: i64| money(locale, v, m.currency);
            view! {
                <tr>
                    <th scope="row">{scope}</th>
                    <td>{currency_name(locale, m.currency)}</td>
                    <td>{n(m.plans)}</td>
                    <td>{amount(m.startup)}</td>
                    <td>{amount(m.own)}</td>
                    <td>{amount(m.family)}</td>
                    <td>{amount(m.grant)}</td>
                    <td>{amount(m.loan)}</td>
                </tr>
            }
        })
        .collect_view();
    let money_empty = figures.money.is_empty();
    let money_table = view! {
        <section class="card" aria-labelledby="money-heading">
            <TableHeading
                id="money-heading"
                title=td_string!(locale, dashboard.money).to_string()
                export=export_hrefs("money", &params)
            />
            <p class="hint">{td!(i18n, dashboard.money_note)}</p>
            {if money_empty {
                view! { <p>{td!(i18n, dashboard.none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="money-heading">
                        <table class="figures" id="money-table">
                            <thead>
                                <tr>
                                    <th scope="col">{td!(i18n, dashboard.col_scope)}</th>
                                    <th scope="col">{td!(i18n, dashboard.col_currency)}</th>
                                    <th scope="col">{td!(i18n, dashboard.col_count)}</th>
                                    <th scope="col">{td!(i18n, dashboard.col_startup)}</th>
                                    <th scope="col">{td!(i18n, dashboard.col_own)}</th>
                                    <th scope="col">{td!(i18n, dashboard.col_family)}</th>
                                    <th scope="col">{td!(i18n, dashboard.col_grant)}</th>
                                    <th scope="col">{td!(i18n, dashboard.col_loan)}</th>
                                </tr>
                            </thead>
                            <tbody>{money_rows}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    };

    let services = view! {
        <section class="card" aria-labelledby="services-heading">
            <TableHeading
                id="services-heading"
                title=td_string!(locale, dashboard.services).to_string()
                export=export_hrefs("services", &params)
            />
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="services-heading">
                <table class="figures" id="services-table">
                    <thead>
                        <tr>
                            <th scope="col">{td!(i18n, dashboard.col_service)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_requested)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_completed)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_working_days)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {figures
                            .services
                            .iter()
                            .map(|s| {
                                view! {
                                    <tr>
                                        <th scope="row">{pick(locale, &s.name).to_string()}</th>
                                        <td>{n(s.requested)}</td>
                                        <td>{n(s.completed)}</td>
                                        <td>{days_cell(s.median_working_days)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    };

    let chamber_bars = figures
        .chambers
        .iter()
        .map(|c| Bar {
            label: pick(locale, &c.name).to_string(),
            value: c.submitted,
            shown: n(c.submitted),
        })
        .collect();
    let chambers = view! {
        <section class="card" aria-labelledby="chambers-heading">
            <TableHeading
                id="chambers-heading"
                title=td_string!(locale, dashboard.chambers).to_string()
                export=export_hrefs("chambers", &params)
            />
            <BarChart bars=chamber_bars rtl />
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="chambers-heading">
                <table class="figures" id="chambers-table">
                    <thead>
                        <tr>
                            <th scope="col">{td!(i18n, dashboard.col_chamber)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_entrepreneurs)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_submitted)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_approved)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_approval)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_jobs)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_documents)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {figures
                            .chambers
                            .iter()
                            .map(|c| {
                                view! {
                                    <tr>
                                        <th scope="row">{pick(locale, &c.name).to_string()}</th>
                                        <td>{n(c.entrepreneurs)}</td>
                                        <td>{n(c.submitted)}</td>
                                        <td>{n(c.approved)}</td>
                                        <td>{percent_tenths(locale, c.approval_tenths)}</td>
                                        <td>{tenths(locale, c.jobs_fte_tenths)}</td>
                                        <td>{n(c.documents_waiting)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    };

    let month_label = move |m: &str| digits(locale, m.to_string());
    let slots = figures
        .trend
        .iter()
        .map(|m| (month_label(&m.month), m.submissions, m.approvals))
        .collect();
    let trend = view! {
        <section class="card" aria-labelledby="trend-heading">
            <TableHeading
                id="trend-heading"
                title=td_string!(locale, dashboard.trend).to_string()
                export=export_hrefs("trend", &params)
            />
            <figure class="chart-figure">
                <figcaption>
                    <span class="legend">
                        <span class="swatch bar-revenue"></span>
                        {td!(i18n, dashboard.col_submissions)}
                    </span>
                    <span class="legend">
                        <span class="swatch bar-costs"></span>
                        {td!(i18n, dashboard.col_approvals)}
                    </span>
                </figcaption>
                <ColumnChart slots rtl label_every=3 />
            </figure>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="trend-heading">
                <table class="figures" id="trend-table">
                    <thead>
                        <tr>
                            <th scope="col">{td!(i18n, dashboard.col_month)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_submissions)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_approvals)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_jobs_approved)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {figures
                            .trend
                            .iter()
                            .map(|m| {
                                view! {
                                    <tr>
                                        <th scope="row">{month_label(&m.month)}</th>
                                        <td>{n(m.submissions)}</td>
                                        <td>{n(m.approvals)}</td>
                                        <td>{tenths(locale, m.jobs_fte_tenths)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    };

    let establishment_row = move |name: String, e: &EstablishmentsFigure, total: bool| {
        let cells = view! {
            <td>{n(e.registered)}</td>
            <td>{n(e.visited)}</td>
            <td>{n(e.operating)}</td>
            <td>{n(e.closed)}</td>
            <td>{tenths(locale, e.planned_fte_tenths)}</td>
            <td>{tenths(locale, e.visited_planned_fte_tenths)}</td>
            <td>{n(e.filled_women)}</td>
            <td>{n(e.filled_men)}</td>
            <td>{n(e.filled())}</td>
            <td>{percent_tenths(locale, e.filled_share_tenths())}</td>
        };
        view! {
            <tr class:total=total>
                <th scope="row">{name}</th>
                {cells}
            </tr>
        }
    };
    let establishments = view! {
        <section class="card" aria-labelledby="establishments-heading">
            <TableHeading
                id="establishments-heading"
                title=td_string!(locale, dashboard.establishments).to_string()
                export=export_hrefs("establishments", &params)
            />
            <p>{td!(i18n, dashboard.establishments_intro)}</p>
            <p>
                <A href=crate::establishments::pages::PATH>{td!(i18n, dashboard.register_link)}</A>
            </p>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="establishments-heading">
                <table class="figures" id="establishments-table">
                    <thead>
                        <tr>
                            <th scope="col">{td!(i18n, dashboard.col_chamber)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_registered)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_visited)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_operating)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_closed)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_planned)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_visited_planned)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_filled_women)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_filled_men)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_filled)}</th>
                            <th scope="col">{td!(i18n, dashboard.col_filled_share)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {figures
                            .establishments
                            .iter()
                            .map(|e| establishment_row(pick(locale, &e.name).to_string(), e, false))
                            .collect_view()}
                    </tbody>
                    <tfoot>
                        {establishment_row(
                            td_string!(locale, dashboard.total).to_string(),
                            &figures.establishments_total,
                            true,
                        )}
                    </tfoot>
                </table>
            </div>
        </section>
    };

    view! {
        {kpis}
        {funnel}
        {days}
        {money_table}
        {services}
        {chambers}
        {establishments}
        {trend}
    }
}
