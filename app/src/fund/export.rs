//! The dashboard's tables as sheets to download (server only): the same rows and headings
//! the page shows, in the reader's language, with numbers kept as numbers (money in major
//! units with its currency in its own column, shares as fractions) so a spreadsheet can sum
//! them. The server writes them as CSV and XLSX (`server::sheets`).
use super::{Dashboard, DashboardTable, EstablishmentsFigure, LabourRow};
use crate::i18n::*;
use crate::lang::{currency_name, funnel_stage_text, pick, plan_status_text};
use crate::plan::report::choice_label;
use domain::plan::tables::Choices;
use domain::sheet::{Cell, Sheet};
use domain::stats::MoneyScope;
use domain::validation::Date;

pub fn dashboard_sheet(d: &Dashboard, table: DashboardTable, locale: Locale) -> Sheet {
    let text = |s: &str| Cell::Text(s.to_string());
    let heads = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
    match table {
        DashboardTable::Funnel => Sheet {
            name: td_string!(locale, dashboard.funnel).to_string(),
            header: heads(&[
                td_string!(locale, dashboard.col_stage),
                td_string!(locale, dashboard.col_plans),
                td_string!(locale, dashboard.col_conversion),
            ]),
            rows: d
                .funnel
                .iter()
                .map(|s| {
                    vec![
                        Cell::Text(funnel_stage_text(locale, s.stage)),
                        Cell::Whole(s.plans),
                        s.conversion_tenths.map_or(Cell::Empty, Cell::Share),
                    ]
                })
                .collect(),
        },
        DashboardTable::Days => {
            let mut rows: Vec<Vec<Cell>> = d
                .days_in_state
                .iter()
                .map(|s| {
                    vec![
                        Cell::Text(plan_status_text(locale, s.status)),
                        Cell::Whole(s.days.count),
                        Cell::of(s.days.median),
                        Cell::of(s.days.p90),
                    ]
                })
                .collect();
            if let Some(days) = &d.days_to_decision {
                rows.push(vec![
                    text(td_string!(locale, dashboard.to_decision)),
                    Cell::Whole(days.count),
                    Cell::of(days.median),
                    Cell::of(days.p90),
                ]);
            }
            Sheet {
                name: td_string!(locale, dashboard.days).to_string(),
                header: heads(&[
                    td_string!(locale, dashboard.col_state),
                    td_string!(locale, dashboard.col_stays),
                    td_string!(locale, dashboard.col_median),
                    td_string!(locale, dashboard.col_p90),
                ]),
                rows,
            }
        }
        DashboardTable::Money => Sheet {
            name: td_string!(locale, dashboard.money).to_string(),
            header: heads(&[
                td_string!(locale, dashboard.col_scope),
                td_string!(locale, dashboard.col_currency),
                td_string!(locale, dashboard.col_count),
                td_string!(locale, dashboard.col_startup),
                td_string!(locale, dashboard.col_own),
                td_string!(locale, dashboard.col_family),
                td_string!(locale, dashboard.col_grant),
                td_string!(locale, dashboard.col_loan),
            ]),
            rows: d
                .money
                .iter()
                .map(|m| {
                    let scope = match m.scope {
                        MoneyScope::Submitted => td_string!(locale, dashboard.scope_submitted),
                        MoneyScope::Approved => td_string!(locale, dashboard.scope_approved),
                    };
                    let amount = |v: i64| Cell::Money(v, m.currency);
                    vec![
                        text(scope),
                        text(currency_name(locale, m.currency)),
                        Cell::Whole(m.plans),
                        amount(m.startup),
                        amount(m.own),
                        amount(m.family),
                        amount(m.grant),
                        amount(m.loan),
                    ]
                })
                .collect(),
        },
        DashboardTable::Services => Sheet {
            name: td_string!(locale, dashboard.services).to_string(),
            header: heads(&[
                td_string!(locale, dashboard.col_service),
                td_string!(locale, dashboard.col_requested),
                td_string!(locale, dashboard.col_completed),
                td_string!(locale, dashboard.col_working_days),
            ]),
            rows: d
                .services
                .iter()
                .map(|s| {
                    vec![
                        text(pick(locale, &s.name)),
                        Cell::Whole(s.requested),
                        Cell::Whole(s.completed),
                        Cell::of(s.median_working_days),
                    ]
                })
                .collect(),
        },
        DashboardTable::Chambers => Sheet {
            name: td_string!(locale, dashboard.chambers).to_string(),
            header: heads(&[
                td_string!(locale, dashboard.col_chamber),
                td_string!(locale, dashboard.col_entrepreneurs),
                td_string!(locale, dashboard.col_submitted),
                td_string!(locale, dashboard.col_approved),
                td_string!(locale, dashboard.col_approval),
                td_string!(locale, dashboard.col_jobs),
                td_string!(locale, dashboard.col_documents),
            ]),
            rows: d
                .chambers
                .iter()
                .map(|c| {
                    vec![
                        text(pick(locale, &c.name)),
                        Cell::Whole(c.entrepreneurs),
                        Cell::Whole(c.submitted),
                        Cell::Whole(c.approved),
                        c.approval_tenths.map_or(Cell::Empty, Cell::Share),
                        Cell::Tenths(c.jobs_fte_tenths),
                        Cell::Whole(c.documents_waiting),
                    ]
                })
                .collect(),
        },
        DashboardTable::Establishments => {
            let row = |name: String, e: &EstablishmentsFigure| {
                vec![
                    Cell::Text(name),
                    Cell::Whole(e.registered),
                    Cell::Whole(e.visited),
                    Cell::Whole(e.operating),
                    Cell::Whole(e.closed),
                    Cell::Tenths(e.planned_fte_tenths),
                    Cell::Tenths(e.visited_planned_fte_tenths),
                    Cell::Whole(e.filled_women),
                    Cell::Whole(e.filled_men),
                    Cell::Whole(e.filled()),
                    e.filled_share_tenths().map_or(Cell::Empty, Cell::Share),
                ]
            };
            let mut rows: Vec<Vec<Cell>> = d
                .establishments
                .iter()
                .map(|e| row(pick(locale, &e.name).to_string(), e))
                .collect();
            rows.push(row(
                td_string!(locale, dashboard.total).to_string(),
                &d.establishments_total,
            ));
            Sheet {
                name: td_string!(locale, dashboard.establishments).to_string(),
                header: heads(&[
                    td_string!(locale, dashboard.col_chamber),
                    td_string!(locale, dashboard.col_registered),
                    td_string!(locale, dashboard.col_visited),
                    td_string!(locale, dashboard.col_operating),
                    td_string!(locale, dashboard.col_closed),
                    td_string!(locale, dashboard.col_planned),
                    td_string!(locale, dashboard.col_visited_planned),
                    td_string!(locale, dashboard.col_filled_women),
                    td_string!(locale, dashboard.col_filled_men),
                    td_string!(locale, dashboard.col_filled),
                    td_string!(locale, dashboard.col_filled_share),
                ]),
                rows,
            }
        }
        DashboardTable::Trend => Sheet {
            name: td_string!(locale, dashboard.trend).to_string(),
            header: heads(&[
                td_string!(locale, dashboard.col_month),
                td_string!(locale, dashboard.col_submissions),
                td_string!(locale, dashboard.col_approvals),
                td_string!(locale, dashboard.col_jobs_approved),
            ]),
            rows: d
                .trend
                .iter()
                .map(|m| {
                    vec![
                        month_cell(&m.month),
                        Cell::Whole(m.submissions),
                        Cell::Whole(m.approvals),
                        Cell::Tenths(m.jobs_fte_tenths),
                    ]
                })
                .collect(),
        },
    }
}

/// A `YYYY-MM` month as a month cell (text if it is not one).
pub fn month_cell(month: &str) -> Cell {
    let parsed = month
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)));
    match parsed {
        Some((year, month)) if (1..=12).contains(&month) => Cell::Month(Date { year, month, day: 1 }),
        _ => Cell::Text(month.to_string()),
    }
}

/// The labour-demand table: one row per group, every group.
pub fn labour_sheet(rows: Vec<LabourRow>, locale: Locale) -> Sheet {
    let header = [
        td_string!(locale, labour.col_title),
        td_string!(locale, labour.col_sector),
        td_string!(locale, labour.col_governorate),
        td_string!(locale, labour.col_month),
        td_string!(locale, labour.col_currency),
        td_string!(locale, labour.col_plans),
        td_string!(locale, labour.col_positions),
        td_string!(locale, labour.col_women_count),
        td_string!(locale, labour.col_women_share),
        td_string!(locale, labour.col_youth),
        td_string!(locale, labour.col_fte),
        td_string!(locale, labour.col_average_wage),
        td_string!(locale, labour.col_wage_bill),
    ]
    .map(str::to_string)
    .to_vec();
    let rows = rows
        .into_iter()
        .map(|row| {
            let text = |value: Option<String>| value.map_or(Cell::Empty, Cell::Text);
            vec![
                Cell::Text(row.title.clone()),
                text(
                    row.sector
                        .as_deref()
                        .map(|s| choice_label(locale, Choices::Sector, s).to_string()),
                ),
                text(row.governorate.as_ref().map(|g| pick(locale, g).to_string())),
                row.month.as_deref().map_or(Cell::Empty, month_cell),
                Cell::Text(currency_name(locale, row.currency).to_string()),
                Cell::Whole(row.plans),
                Cell::Whole(row.positions),
                Cell::Whole(row.women),
                row.women_tenths().map_or(Cell::Empty, Cell::Share),
                Cell::Whole(row.youth),
                Cell::Tenths(row.fte_tenths),
                row.average_wage().map_or(Cell::Empty, |w| Cell::Money(w, row.currency)),
                Cell::Money(row.wage_bill, row.currency),
            ]
        })
        .collect();
    Sheet {
        name: td_string!(locale, labour.sheet).to_string(),
        header,
        rows,
    }
}
