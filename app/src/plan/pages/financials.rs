//! The computed financials section: indicators explained in plain words, two charts that
//! read right to left in Arabic (plain SVG, with the tables as their text alternative), and
//! the P&L and cash-flow tables with a sticky first column on phones.
use crate::i18n::*;
use crate::lang::{digits, money};
use crate::plan::report::{indicator_lines, pnl_lines, total_costs};
use domain::plan::financials::{compute, Currency, Financials, MonthFigures, PlanFinancials};
use domain::plan::indicators::{indicators, Indicators};
use domain::plan::tables::display_money;
use leptos::prelude::*;

#[component]
pub fn FinancialsView(plan: PlanFinancials) -> impl IntoView {
    let i18n = use_i18n();
    let fin = compute(&plan);
    let ind = indicators(&plan, &fin);
    let currency = plan.currency;
    let has_figures = fin.monthly.iter().any(|m| m.revenue != 0 || m.cash_out != 0);
    let fin_for_tables = fin.clone();
    view! {
        <Show when=move || !has_figures>
            <p class="notice">{td!(i18n, figures.empty)}</p>
        </Show>
        <IndicatorList fin=fin.clone() ind currency />
        <RevenueCostChart fin=fin.clone() />
        <CashChart fin=fin.clone() />
        <p class="hint">{td!(i18n, figures.chart_table_note)}</p>
        <FinancialTables fin=fin_for_tables currency />
    }
}

#[component]
fn IndicatorList(fin: Financials, ind: Indicators, currency: Currency) -> impl IntoView {
    let i18n = use_i18n();
    let items = move || {
        indicator_lines(i18n, &fin, &ind, currency)
            .into_iter()
            .map(|line| {
                view! {
                    <div class=format!("indicator {}", line.tone)>
                        <dt>{line.label}</dt>
                        <dd>
                            <strong>{line.value}</strong>
                            {(!line.help.is_empty()).then(|| view! { <span class="hint">{line.help}</span> })}
                        </dd>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="indicators">
            <h2>{td!(i18n, figures.indicators)}</h2>
            <dl>{items}</dl>
        </section>
    }
}

const CHART_W: f64 = 720.0;
const CHART_H: f64 = 240.0;
const PAD_TOP: f64 = 16.0;
const PAD_BOTTOM: f64 = 28.0;

/// The x of month `m` (1..=12)'s slot: month 1 on the right in Arabic.
fn slot_x(m: u32, rtl: bool, slot: f64) -> f64 {
    let index = if rtl { 12 - m } else { m - 1 } as f64;
    index * slot
}

/// Maps money to a y coordinate, with zero on a line and room for negatives.
struct Scale {
    max: f64,
    min: f64,
}

impl Scale {
    fn of(values: impl Iterator<Item = i64>) -> Scale {
        let (mut max, mut min) = (0f64, 0f64);
        for v in values {
            max = max.max(v as f64);
            min = min.min(v as f64);
        }
        if max == min {
            max = 1.0;
        }
        Scale { max, min }
    }
    fn y(&self, v: i64) -> f64 {
        let span = self.max - self.min;
        PAD_TOP + (self.max - v as f64) / span * (CHART_H - PAD_TOP - PAD_BOTTOM)
    }
}

fn month_labels(locale: Locale, rtl: bool, slot: f64) -> impl IntoView {
    (1..=12u32)
        .map(|m| {
            let x = slot_x(m, rtl, slot) + slot / 2.0;
            view! {
                <text x=format!("{x:.1}") y=format!("{:.1}", CHART_H - 8.0) text-anchor="middle" class="axis-label">
                    {digits(locale, m.to_string())}
                </text>
            }
        })
        .collect_view()
}

#[component]
fn RevenueCostChart(fin: Financials) -> impl IntoView {
    let i18n = use_i18n();
    let chart = move || {
        let locale = i18n;
        let rtl = locale == Locale::ar;
        let scale = Scale::of(fin.monthly.iter().flat_map(|m| [m.revenue, total_costs(m)]));
        let slot = CHART_W / 12.0;
        let bar = slot * 0.36;
        let zero = scale.y(0);
        let bars = fin
            .monthly
            .iter()
            .map(|m| {
                let x = slot_x(m.month, rtl, slot) + slot * 0.12;
                // The first bar of a pair is the one read first: revenue.
                let (x_revenue, x_costs) = if rtl { (x + bar, x) } else { (x, x + bar) };
                let rect = |x: f64, v: i64, class: &'static str| {
                    let y = scale.y(v.max(0));
                    view! {
                        <rect
                            x=format!("{x:.1}")
                            y=format!("{y:.1}")
                            width=format!("{bar:.1}")
                            height=format!("{:.1}", (zero - y).max(0.0))
                            class=class
                        />
                    }
                };
                view! {
                    {rect(x_revenue, m.revenue, "bar-revenue")}
                    {rect(x_costs, total_costs(m), "bar-costs")}
                }
            })
            .collect_view();
        view! {
            <svg
                viewBox=format!("0 0 {CHART_W} {CHART_H}")
                class="chart"
                role="img"
                aria-labelledby="chart-revenue-title"
                preserveAspectRatio="xMidYMid meet"
            >
                <title id="chart-revenue-title">{td_string!(locale, figures.chart_revenue)}</title>
                <line x1="0" x2=CHART_W.to_string() y1=format!("{zero:.1}") y2=format!("{zero:.1}") class="axis" />
                {bars}
                {month_labels(locale, rtl, slot)}
            </svg>
        }
    };
    view! {
        <figure class="chart-figure">
            <figcaption>
                <strong>{td!(i18n, figures.chart_revenue)}</strong>
                <span class="legend">
                    <span class="swatch bar-revenue"></span>
                    {td!(i18n, figures.legend_revenue)}
                </span>
                <span class="legend">
                    <span class="swatch bar-costs"></span>
                    {td!(i18n, figures.legend_costs)}
                </span>
            </figcaption>
            {chart}
        </figure>
    }
}

#[component]
fn CashChart(fin: Financials) -> impl IntoView {
    let i18n = use_i18n();
    let chart = move || {
        let locale = i18n;
        let rtl = locale == Locale::ar;
        let scale = Scale::of(fin.monthly.iter().map(|m| m.closing_cash));
        let slot = CHART_W / 12.0;
        let bar = slot * 0.6;
        let zero = scale.y(0);
        let bars = fin
            .monthly
            .iter()
            .map(|m| {
                let x = slot_x(m.month, rtl, slot) + slot * 0.2;
                let y = scale.y(m.closing_cash);
                let (top, height) = if m.closing_cash >= 0 {
                    (y, zero - y)
                } else {
                    (zero, y - zero)
                };
                let class = if m.closing_cash < 0 { "bar-negative" } else { "bar-cash" };
                view! {
                    <rect
                        x=format!("{x:.1}")
                        y=format!("{top:.1}")
                        width=format!("{bar:.1}")
                        height=format!("{:.1}", height.max(0.0))
                        class=class
                    />
                }
            })
            .collect_view();
        view! {
            <svg
                viewBox=format!("0 0 {CHART_W} {CHART_H}")
                class="chart"
                role="img"
                aria-labelledby="chart-cash-title"
                preserveAspectRatio="xMidYMid meet"
            >
                <title id="chart-cash-title">{td_string!(locale, figures.chart_cash)}</title>
                <line x1="0" x2=CHART_W.to_string() y1=format!("{zero:.1}") y2=format!("{zero:.1}") class="axis" />
                {bars}
                {month_labels(locale, rtl, slot)}
            </svg>
        }
    };
    view! {
        <figure class="chart-figure">
            <figcaption>
                <strong>{td!(i18n, figures.chart_cash)}</strong>
            </figcaption>
            {chart}
        </figure>
    }
}

/// A cash-flow line: its label and how to read it from a month.
type CashLine = (&'static str, fn(&MonthFigures) -> i64);

#[component]
fn FinancialTables(fin: Financials, currency: Currency) -> impl IntoView {
    let i18n = use_i18n();
    let tables = move || {
        let locale = i18n;
        let ar = locale == Locale::ar;
        let amount = move |v: i64| display_money(v, currency, ar);
        let month_heads = || {
            (1..=12u32)
            .map(|m| view! { <th scope="col">{td_string!(locale, figures.month_n, n = digits(locale, m.to_string())).to_string()}</th> })
            .collect_view()
        };
        let monthly_rows = pnl_lines()
            .into_iter()
            .map(|(label, of_month, _)| {
                let cells = fin
                    .monthly
                    .iter()
                    .map(|m| view! { <td>{amount(of_month(m))}</td> })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{label(locale)}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        let year_heads = (1..=3u32)
            .map(|y| view! { <th scope="col">{td_string!(locale, figures.year_n, n = digits(locale, y.to_string())).to_string()}</th> })
            .collect_view();
        let yearly_rows = pnl_lines()
            .into_iter()
            .map(|(label, _, of_year)| {
                let cells = fin
                    .yearly
                    .iter()
                    .map(|y| view! { <td>{amount(of_year(y))}</td> })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{label(locale)}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        let cash_lines: Vec<CashLine> = vec![
            (td_string!(locale, figures.cash_in), |m| m.cash_in),
            (td_string!(locale, figures.cash_out), |m| m.cash_out),
            (td_string!(locale, figures.closing_cash), |m| m.closing_cash),
        ];
        let negative_word = td_string!(locale, figures.negative);
        let cash_rows = cash_lines
            .into_iter()
            .map(|(label, of_month)| {
                let cells = fin
                    .monthly
                    .iter()
                    .map(|m| {
                        let v = of_month(m);
                        let flagged = label == td_string!(locale, figures.closing_cash) && v < 0;
                        view! {
                            <td class:negative=flagged>
                                {amount(v)}
                                {flagged.then(|| view! { <span class="visually-hidden">" ("{negative_word}")"</span> })}
                            </td>
                        }
                    })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{label}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section>
                <h2 id="pnl-months">{td_string!(locale, figures.months)}</h2>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="pnl-months">
                    <table class="figures">
                        <thead>
                            <tr>
                                <th scope="col">{td_string!(locale, figures.line)}</th>
                                {month_heads()}
                            </tr>
                        </thead>
                        <tbody>{monthly_rows}</tbody>
                    </table>
                </div>
                <h2 id="pnl-years">{td_string!(locale, figures.years)}</h2>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="pnl-years">
                    <table class="figures">
                        <thead>
                            <tr>
                                <th scope="col">{td_string!(locale, figures.line)}</th>
                                {year_heads}
                            </tr>
                        </thead>
                        <tbody>{yearly_rows}</tbody>
                    </table>
                </div>
                <h2 id="cash-months">{td_string!(locale, figures.cash)}</h2>
                <p>
                    {td_string!(locale, figures.opening_cash, amount = money(locale, fin.opening_cash, currency))
                        .to_string()}
                </p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="cash-months">
                    <table class="figures">
                        <thead>
                            <tr>
                                <th scope="col">{td_string!(locale, figures.line)}</th>
                                {month_heads()}
                            </tr>
                        </thead>
                        <tbody>{cash_rows}</tbody>
                    </table>
                </div>
            </section>
        }
    };
    view! { {tables} }
}
