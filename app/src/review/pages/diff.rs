//! What changed between two revisions (`/plans/:id/changes?from=1&to=2`): the key figures
//! before and after, the written sections word by word and the tables row by row. Added
//! and removed text are marked with more than colour (underline / strike-through and a
//! word for screen readers), and read right to left like the rest of the page.
use crate::components::load_error::LoadError;
use crate::i18n::*;
use crate::lang::{digits, money};
use crate::plan::report::{col_label, section_title, table_title};
use crate::review::{get_revision_diff, RevisionDiff};
use domain::plan::financials::Currency;
use domain::review::diff::{Change, KeyFigures, Piece, RowChange};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RevisionDiffPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| {
        let number = |name: &str| query.read().get(name).and_then(|n| n.trim().parse::<i64>().ok());
        (
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0),
            number("from"),
            number("to"),
        )
    });
    let diff = Resource::new(move || key.get(), |(id, from, to)| get_revision_diff(id, from, to));
    view! {
        <Title text=move || td_string!(i18n, diff.title) />
        <section class="card revision-diff">
            <Transition fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    match diff.await {
                        Ok(diff) => view! { <Diff diff /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Diff(diff: RevisionDiff) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let n = move |n: i64| digits(locale, n.to_string());
    let heading = td_string!(
        locale,
        diff.heading,
        title = diff.title.clone(),
        from = n(diff.from),
        to = n(diff.to)
    )
    .to_string();
    let choices = move |chosen: i64| {
        (1..=diff.revisions)
            .map(|r| {
                view! {
                    <option value=r.to_string() selected=r == chosen>
                        {n(r)}
                    </option>
                }
            })
            .collect_view()
    };
    let unchanged = diff.sections.is_empty() && diff.tables.is_empty() && diff.before == diff.after;
    view! {
        <h1>{heading}</h1>
        <p>
            <A href=format!("/plans/{}/review", diff.plan_id)>{td!(i18n, review.title)}</A>
        </p>
        {if diff.revisions < 2 {
            view! { <p>{td!(i18n, diff.only_one)}</p> }.into_any()
        } else {
            view! {
                <Form method="GET" action="" attr:class="diff-choice">
                    <fieldset class="inline-fields">
                        <legend>{td!(i18n, diff.choose)}</legend>
                        <div class="field">
                            <label for="diff-from">{td!(i18n, diff.from)}</label>
                            <select id="diff-from" name="from">
                                {choices(diff.from)}
                            </select>
                        </div>
                        <div class="field">
                            <label for="diff-to">{td!(i18n, diff.to)}</label>
                            <select id="diff-to" name="to">
                                {choices(diff.to)}
                            </select>
                        </div>
                        <button type="submit" class="button">
                            {td!(i18n, diff.show)}
                        </button>
                    </fieldset>
                </Form>
                {if unchanged {
                    view! { <p role="status">{td!(i18n, diff.nothing)}</p> }.into_any()
                } else {
                    view! {
                        <Figures before=diff.before after=diff.after currency=diff.currency />
                        <p class="hint">{td!(i18n, diff.legend)}</p>
                        <Sections diff=diff.clone() />
                        <Tables diff />
                    }
                        .into_any()
                }}
            }
                .into_any()
        }}
    }
}

/// The key figures of one revision, each with its label, in the reader's language.
pub fn figure_values(locale: Locale, f: &KeyFigures, currency: Currency) -> Vec<(String, String)> {
    let none = || td_string!(locale, diff.none_value).to_string();
    let amount = |v: i64| money(locale, v, currency);
    let count = |v: i64| digits(locale, v.to_string());
    vec![
        (
            td_string!(locale, diff.startup_total).to_string(),
            amount(f.startup_total),
        ),
        (
            td_string!(locale, diff.funding_total).to_string(),
            amount(f.funding_total),
        ),
        (td_string!(locale, diff.funding_gap).to_string(), amount(f.funding_gap)),
        (td_string!(locale, diff.revenue).to_string(), amount(f.revenue_year1)),
        (
            td_string!(locale, diff.net_profit).to_string(),
            amount(f.net_profit_year1),
        ),
        (
            td_string!(locale, diff.break_even).to_string(),
            f.break_even_month.map(|m| count(i64::from(m))).unwrap_or_else(none),
        ),
        (
            td_string!(locale, diff.jobs).to_string(),
            digits(
                locale,
                format!("{}.{}", f.jobs_fte_tenths / 10, (f.jobs_fte_tenths % 10).abs()),
            ),
        ),
        (td_string!(locale, diff.jobs_women).to_string(), count(f.jobs_women)),
        (
            td_string!(locale, diff.loan).to_string(),
            f.loan_payment.map(amount).unwrap_or_else(none),
        ),
    ]
}

/// The key figures before and after, with the change.
#[component]
fn Figures(before: KeyFigures, after: KeyFigures, currency: Currency) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let none = || td_string!(locale, diff.none_value).to_string();
    let signed = |d: i64, text: String| if d > 0 { format!("+{text}") } else { text };
    let amount = |d: i64| signed(d, money(locale, d, currency));
    let count = |d: i64| signed(d, digits(locale, d.to_string()));
    let tenths = |d: i64| signed(d, digits(locale, format!("{}.{}", d / 10, (d % 10).abs())));
    let both = |b: Option<i64>, a: Option<i64>| b.zip(a).map(|(b, a)| a - b);
    // The change of each figure, in the order of `figure_values`.
    let changes = [
        amount(after.startup_total - before.startup_total),
        amount(after.funding_total - before.funding_total),
        amount(after.funding_gap - before.funding_gap),
        amount(after.revenue_year1 - before.revenue_year1),
        amount(after.net_profit_year1 - before.net_profit_year1),
        both(
            before.break_even_month.map(i64::from),
            after.break_even_month.map(i64::from),
        )
        .map(count)
        .unwrap_or_else(none),
        tenths(after.jobs_fte_tenths - before.jobs_fte_tenths),
        count(after.jobs_women - before.jobs_women),
        both(before.loan_payment, after.loan_payment)
            .map(amount)
            .unwrap_or_else(none),
    ];
    let rows: Vec<(String, String, String, String)> = figure_values(locale, &before, currency)
        .into_iter()
        .zip(figure_values(locale, &after, currency))
        .zip(changes)
        .map(|(((label, old), (_, new)), change)| (label, old, new, change))
        .collect();
    let caption = td_string!(locale, diff.figures).to_string();
    view! {
        <h2>{caption.clone()}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table class="grid diff-figures">
                <thead>
                    <tr>
                        <th scope="col">{td!(i18n, diff.figure)}</th>
                        <th scope="col">{td!(i18n, diff.before)}</th>
                        <th scope="col">{td!(i18n, diff.after)}</th>
                        <th scope="col">{td!(i18n, diff.change)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(label, old, new, change)| {
                            let changed = old != new;
                            view! {
                                <tr class:figure-changed=changed>
                                    <th scope="row">{label}</th>
                                    <td>
                                        <bdi>{old}</bdi>
                                    </td>
                                    <td>
                                        <bdi>{new}</bdi>
                                    </td>
                                    <td>
                                        <bdi>{if changed { change } else { String::new() }}</bdi>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A run of text: added text in `<ins>`, removed in `<del>`, each with a word that screen
/// readers say (shown visually hidden) so the change is not told by colour alone.
fn piece_view(locale: Locale, piece: Piece) -> AnyView {
    match piece.change {
        Change::Same => view! { <span>{piece.text}</span> }.into_any(),
        Change::Added => view! {
            <ins>
                <span class="visually-hidden">{td_string!(locale, diff.added)}</span>
                {piece.text}
            </ins>
        }
        .into_any(),
        Change::Removed => view! {
            <del>
                <span class="visually-hidden">{td_string!(locale, diff.removed)}</span>
                {piece.text}
            </del>
        }
        .into_any(),
    }
}

#[component]
fn Sections(diff: RevisionDiff) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    (!diff.sections.is_empty()).then(|| {
        view! {
            <h2>{td!(i18n, diff.sections)}</h2>
            {diff
                .sections
                .into_iter()
                .map(|section| {
                    view! {
                        <section class="diff-section">
                            <h3>{section_title(locale, section.section)}</h3>
                            <p class="diff-text preserve">
                                {section.pieces.into_iter().map(|p| piece_view(locale, p)).collect_view()}
                            </p>
                        </section>
                    }
                })
                .collect_view()}
        }
    })
}

#[component]
fn Tables(diff: RevisionDiff) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    (!diff.tables.is_empty()).then(|| {
        view! {
            <h2>{td!(i18n, diff.tables)}</h2>
            {diff
                .tables
                .into_iter()
                .map(|table| {
                    let columns = table.table.columns();
                    view! {
                        <section class="diff-table">
                            <h3>{table_title(locale, table.table)}</h3>
                            <ul class="diff-rows">
                                {table
                                    .rows
                                    .into_iter()
                                    .map(|row| {
                                        let joined = |cells: Vec<String>| {
                                            cells
                                                .into_iter()
                                                .zip(columns.iter())
                                                .filter(|(cell, _)| !cell.is_empty())
                                                .map(|(cell, col)| {
                                                    format!("{}: {}", col_label(locale, *col), digits(locale, cell))
                                                })
                                                .collect::<Vec<_>>()
                                                .join(&format!("{} ", td_string!(locale, diff.list_separator)))
                                        };
                                        match row {
                                            RowChange::Added { label, cells } => {
                                                view! {
                                                    <li class="row-added">
                                                        <strong>
                                                            {td!(i18n, diff.row_added)}" "<bdi>{label}</bdi>
                                                        </strong>
                                                        <ins>
                                                            <span class="visually-hidden">
                                                                {td_string!(locale, diff.added)}
                                                            </span>
                                                            {joined(cells)}
                                                        </ins>
                                                    </li>
                                                }
                                                    .into_any()
                                            }
                                            RowChange::Removed { label, cells } => {
                                                view! {
                                                    <li class="row-removed">
                                                        <strong>
                                                            {td!(i18n, diff.row_removed)}" "<bdi>{label}</bdi>
                                                        </strong>
                                                        <del>
                                                            <span class="visually-hidden">
                                                                {td_string!(locale, diff.removed)}
                                                            </span>
                                                            {joined(cells)}
                                                        </del>
                                                    </li>
                                                }
                                                    .into_any()
                                            }
                                            RowChange::Changed { label, cells } => {
                                                view! {
                                                    <li class="row-changed">
                                                        <strong>
                                                            {td!(i18n, diff.row_changed)}" "<bdi>{label}</bdi>
                                                        </strong>
                                                        <ul>
                                                            {cells
                                                                .into_iter()
                                                                .map(|cell| {
                                                                    view! {
                                                                        <li>
                                                                            {col_label(locale, cell.col)}": " <del>
                                                                                <span class="visually-hidden">
                                                                                    {td_string!(locale, diff.removed)}
                                                                                </span>
                                                                                <bdi>{digits(locale, cell.old)}</bdi>
                                                                            </del> " " <ins>
                                                                                <span class="visually-hidden">
                                                                                    {td_string!(locale, diff.added)}
                                                                                </span>
                                                                                <bdi>{digits(locale, cell.new)}</bdi>
                                                                            </ins>
                                                                        </li>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </ul>
                                                    </li>
                                                }
                                                    .into_any()
                                            }
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        }
    })
}
