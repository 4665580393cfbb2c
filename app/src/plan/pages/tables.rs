//! The table editors of the builder: rows to add, remove and reorder, cells that accept any
//! digit system, messages next to the cell, totals as you type, and autosave with a device
//! copy. Needs JavaScript (the written sections are the part that works without it).
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{currency_name, digits, money, problem_text};
use crate::plan::autosave::{device_key, use_autosave, Autosave, Restore, SaveState};
use crate::plan::report::{category_label, choice_label, col_label, table_title};
use crate::plan::save_table;
use domain::plan::financials::{PlanFinancials, StartupCategory};
use domain::plan::sections::SectionKey;
use domain::plan::tables::{totals, Cell, CellError, Col, Table};
use leptos::prelude::*;

/// Status line of an autosaved part: saving, saved at…, kept on the device…
#[component]
pub fn SaveStatus(state: RwSignal<SaveState>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let locale = i18n;
        match state.get() {
            SaveState::Idle => String::new(),
            SaveState::Pending => td_string!(locale, autosave.pending).to_string(),
            SaveState::Saving => td_string!(locale, autosave.saving).to_string(),
            SaveState::Saved(time) => td_string!(locale, autosave.saved, time = digits(locale, time)).to_string(),
            SaveState::Offline => td_string!(locale, autosave.offline).to_string(),
            SaveState::Failed => td_string!(locale, autosave.failed).to_string(),
            SaveState::Invalid => td_string!(locale, autosave.invalid).to_string(),
            SaveState::Conflict => td_string!(locale, autosave.conflict).to_string(),
        }
    };
    let kind = move || match state.get() {
        SaveState::Saved(_) => "saved",
        SaveState::Offline | SaveState::Failed | SaveState::Invalid | SaveState::Conflict => "unsaved",
        _ => "busy",
    };
    view! {
        <p class="save-status" data-state=kind role="status" aria-live="polite">
            {text}
        </p>
    }
}

/// Every table of one section, with the section's totals under them.
#[component]
pub fn SectionTables(
    plan_id: i64,
    section: SectionKey,
    doc: RwSignal<PlanFinancials>,
    revision: RwSignal<i64>,
    editable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let currency = doc.with_untracked(|d| d.currency);
    view! {
        <p class="notice needs-js">{td!(i18n, tables.needs_js)}</p>
        <p class="hint">
            {move || { td_string!(i18n, tables.in_currency, currency = currency_name(i18n, currency)).to_string() }}
        </p>
        {section
            .tables()
            .iter()
            .map(|table| view! { <TableEditor plan_id table=*table doc revision editable /> })
            .collect_view()}
        <SectionTotals section doc />
    }
}

#[derive(Clone)]
struct Row {
    id: usize,
    cells: RwSignal<Vec<String>>,
}

fn blank_cells(columns: &[Col]) -> Vec<String> {
    columns
        .iter()
        .map(|c| match c.cell() {
            Cell::Category => StartupCategory::ALL[0].key().to_string(),
            Cell::YesNo => "yes".to_string(),
            _ => String::new(),
        })
        .collect()
}

#[component]
fn TableEditor(
    plan_id: i64,
    table: Table,
    doc: RwSignal<PlanFinancials>,
    revision: RwSignal<i64>,
    editable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let columns = table.columns();
    let next_id = StoredValue::new(0usize);
    let make_rows = move |cells: Vec<Vec<String>>| -> Vec<Row> {
        cells
            .into_iter()
            .map(|cells| {
                let id = next_id.get_value();
                next_id.set_value(id + 1);
                Row {
                    id,
                    cells: RwSignal::new(cells),
                }
            })
            .collect()
    };
    let mut initial = table.rows(&doc.get_untracked());
    if table.single_row() && initial.is_empty() {
        initial.push(blank_cells(&columns));
    }
    let rows = RwSignal::new(make_rows(initial));
    let errors = RwSignal::new(Vec::<CellError>::new());
    let conflict_saved = RwSignal::new(None::<Vec<Vec<String>>>);
    let restored = RwSignal::new(false);
    let current_cells =
        move || rows.with_untracked(|rows| rows.iter().map(|r| r.cells.get_untracked()).collect::<Vec<_>>());
    let on_server = current_cells();
    let autosave: Autosave<Vec<Vec<String>>> = use_autosave(
        // Apart from the written section of the same name (the idea has both).
        device_key(plan_id, &format!("table-{}", table.key())),
        revision,
        on_server.clone(),
        move |cells: Vec<Vec<String>>, at| async move {
            let result = save_table(plan_id, table, cells, at).await;
            if let Err(AppError::InvalidCells(cells)) = &result {
                errors.set(cells.clone());
            }
            result
        },
        move |theirs| conflict_saved.set(Some(theirs)),
    );
    Effect::new(move |_| {
        if matches!(autosave.state.get(), SaveState::Saved(_)) {
            conflict_saved.set(None);
        }
    });
    // Reads every cell; valid tables update the live plan (totals) and are saved.
    let changed = move || {
        let cells = current_cells();
        let mut updated = doc.get_untracked();
        match table.apply(&mut updated, &cells) {
            Ok(()) => {
                errors.set(Vec::new());
                doc.set(updated);
                autosave.changed(cells, true);
            }
            Err(problems) => {
                errors.set(problems);
                autosave.changed(cells, false);
            }
        }
    };
    // After hydration: a version typed on this device that never reached the server comes
    // back; it is saved, unless the table changed on the server meanwhile (then both show).
    Effect::new(move |_| {
        if let Some((local, decision)) = autosave.restore(&on_server) {
            rows.set(make_rows(local));
            if decision == Restore::Resume {
                restored.set(true);
                changed();
            }
        }
    });
    let keep_mine = move |_| {
        if let Some(theirs) = conflict_saved.get_untracked() {
            conflict_saved.set(None);
            autosave.keep_mine(current_cells(), theirs);
        }
    };
    let take_saved = move |_| {
        if let Some(saved) = conflict_saved.get_untracked() {
            rows.set(make_rows(saved.clone()));
            conflict_saved.set(None);
            let mut updated = doc.get_untracked();
            if table.apply(&mut updated, &current_cells()).is_ok() {
                doc.set(updated);
            }
            autosave.take_theirs(saved);
        }
    };
    let add_row = {
        let columns = columns.clone();
        move |_| {
            let blank = blank_cells(&columns);
            rows.update(|r| r.extend(make_rows(vec![blank])));
        }
    };
    let row_count = move || rows.with(Vec::len);
    let full = move || row_count() >= domain::plan::financials::ITEMS_MAX;
    let has_errors = move || errors.with(|e| !e.is_empty());
    let heading_id = format!("table-{}", table.key());
    let single = table.single_row();
    let body = if single {
        let columns = columns.clone();
        let fields = move || {
            rows.get()
                .into_iter()
                .take(1)
                .map(|row| view! { <FieldsRow table row columns=columns.clone() errors changed editable /> })
                .collect_view()
        };
        view! { <div class="field-group">{fields}</div> }.into_any()
    } else {
        let head = columns.clone();
        let columns = columns.clone();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=heading_id.clone()>
                <table class="grid" data-table=table.key()>
                    <thead>
                        <tr>
                            <th scope="col" class="row-number">
                                "#"
                            </th>
                            {head
                                .iter()
                                .map(|col| {
                                    let col = *col;
                                    view! { <th scope="col">{move || col_label(i18n, col)}</th> }
                                })
                                .collect_view()}
                            <th scope="col">
                                <span class="visually-hidden">{td!(i18n, tables.add_row)}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|row| row.id let:row>
                            <GridRow table row columns=columns.clone() rows errors changed editable />
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || row_count() == 0>
                <p class="hint">{td!(i18n, tables.empty)}</p>
            </Show>
            <button type="button" class="button" on:click=add_row disabled=move || !editable || full()>
                {td!(i18n, tables.add_row)}
            </button>
        }
        .into_any()
    };
    view! {
        <section class="table-editor" data-table=table.key()>
            <h2 id=heading_id.clone()>{move || table_title(i18n, table)}</h2>
            {body}
            <Show when=has_errors>
                <p class="field-error" role="alert">
                    {td!(i18n, tables.fix_cells)}
                </p>
            </Show>
            <Show when=move || restored.get()>
                <p class="notice">{td!(i18n, autosave.restored)}</p>
            </Show>
            <SaveStatus state=autosave.state />
            <Show when=move || conflict_saved.with(Option::is_some)>
                <section class="saved-version">
                    <h3>{td!(i18n, plan.saved_version)}</h3>
                    <ul class="preserve">
                        {move || {
                            conflict_saved
                                .get()
                                .unwrap_or_default()
                                .into_iter()
                                .map(|row| {
                                    let shown = row
                                        .into_iter()
                                        .filter(|c| !c.trim().is_empty())
                                        .collect::<Vec<_>>()
                                        .join(" · ");
                                    view! { <li>{shown}</li> }
                                })
                                .collect_view()
                        }}
                    </ul>
                </section>
                <div class="conflict-choice">
                    <button type="button" class="button primary" on:click=keep_mine>
                        {td!(i18n, autosave.keep_mine)}
                    </button>
                    <button type="button" class="button" on:click=take_saved>
                        {td!(i18n, autosave.take_saved)}
                    </button>
                </div>
            </Show>
        </section>
    }
}

/// The problem with one cell, if any, as a sentence.
fn cell_problem(errors: RwSignal<Vec<CellError>>, row: usize, col: Col, locale: Locale) -> Option<String> {
    errors.with(|errors| {
        errors
            .iter()
            .find(|e| e.row as usize == row && e.col == col)
            .map(|e| problem_text(locale, e.problem))
    })
}

#[component]
fn GridRow<F>(
    table: Table,
    row: Row,
    columns: Vec<Col>,
    rows: RwSignal<Vec<Row>>,
    errors: RwSignal<Vec<CellError>>,
    changed: F,
    editable: bool,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let id = row.id;
    let index = move || rows.with(|rows| rows.iter().position(|r| r.id == id).unwrap_or(0));
    let last = move || rows.with(Vec::len).saturating_sub(1);
    let shift = move |by: isize| {
        rows.update(|rows| {
            if let Some(from) = rows.iter().position(|r| r.id == id) {
                let to = from as isize + by;
                if to >= 0 && (to as usize) < rows.len() {
                    rows.swap(from, to as usize);
                }
            }
        });
        changed();
    };
    let remove = move |_| {
        rows.update(|rows| rows.retain(|r| r.id != id));
        changed();
    };
    let number = move || index() + 1;
    view! {
        <tr>
            <th scope="row" class="row-number">
                {number}
            </th>
            {columns
                .iter()
                .enumerate()
                .map(|(c, col)| {
                    let col = *col;
                    view! {
                        <td class:numeric=col.numeric() class:month=matches!(col, Col::Month(_))>
                            <CellInput
                                table
                                row=row.clone()
                                c
                                col
                                index=Signal::derive(index)
                                errors
                                changed
                                editable
                            />
                        </td>
                    }
                })
                .collect_view()}
            <td class="row-actions">
                <button
                    type="button"
                    class="icon-button"
                    on:click=move |_| shift(-1)
                    disabled=move || !editable || index() == 0
                    aria-label=move || td_string!(i18n, tables.move_up, n = number()).to_string()
                >
                    "↑"
                </button>
                <button
                    type="button"
                    class="icon-button"
                    on:click=move |_| shift(1)
                    disabled=move || !editable || index() == last()
                    aria-label=move || td_string!(i18n, tables.move_down, n = number()).to_string()
                >
                    "↓"
                </button>
                <button
                    type="button"
                    class="icon-button danger"
                    on:click=remove
                    disabled=!editable
                    aria-label=move || td_string!(i18n, tables.remove_row, n = number()).to_string()
                >
                    "×"
                </button>
            </td>
        </tr>
    }
}

/// The one row of a field group (funding, growth, inflation), as labelled fields.
#[component]
fn FieldsRow<F>(
    table: Table,
    row: Row,
    columns: Vec<Col>,
    errors: RwSignal<Vec<CellError>>,
    changed: F,
    editable: bool,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            let col = *col;
            let id = format!("{}-{}", table.key(), c);
            view! {
                <div class="field">
                    <label for=id>{move || col_label(i18n, col)}</label>
                    <CellInput
                        table
                        row=row.clone()
                        c
                        col
                        index=Signal::derive(|| 0)
                        errors
                        changed
                        editable
                        labelled=true
                    />
                </div>
            }
        })
        .collect_view()
}

#[component]
fn CellInput<F>(
    table: Table,
    row: Row,
    c: usize,
    col: Col,
    index: Signal<usize>,
    errors: RwSignal<Vec<CellError>>,
    changed: F,
    editable: bool,
    #[prop(optional)] labelled: bool,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let cells = row.cells;
    let value = cells.with_untracked(|cells| cells.get(c).cloned().unwrap_or_default());
    let problem = move || cell_problem(errors, index.get(), col, i18n);
    let input_id = if labelled {
        format!("{}-{}", table.key(), c)
    } else {
        format!("{}-{}-{}", table.key(), row.id, c)
    };
    let error_id = format!("{input_id}-error");
    let label = move || {
        if labelled {
            None
        } else {
            Some(format!(
                "{} — {}",
                col_label(i18n, col),
                td_string!(i18n, tables.row, n = index.get() + 1)
            ))
        }
    };
    let set = move |text: String| {
        cells.update(|cells| {
            if let Some(cell) = cells.get_mut(c) {
                *cell = text;
            }
        });
        changed();
    };
    let described = {
        let error_id = error_id.clone();
        move || problem().map(|_| error_id.clone())
    };
    let control = match col.cell() {
        Cell::Category => view! {
            <select
                id=input_id.clone()
                aria-label=label
                disabled=!editable
                aria-invalid=move || problem().map(|_| "true")
                aria-describedby=described.clone()
                on:change=move |ev| set(event_target_value(&ev))
            >
                {StartupCategory::ALL
                    .into_iter()
                    .map(|cat| {
                        let key = cat.key();
                        view! {
                            <option value=key selected=value == key>
                                {move || category_label(i18n, cat)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        Cell::YesNo => view! {
            <input
                type="checkbox"
                id=input_id.clone()
                aria-label=label
                disabled=!editable
                checked=value == "yes"
                on:change=move |ev| set(if event_target_checked(&ev) { "yes" } else { "no" }.to_string())
            />
        }
        .into_any(),
        Cell::Choice(choices) => view! {
            <select
                id=input_id.clone()
                aria-label=label
                disabled=!editable
                aria-invalid=move || problem().map(|_| "true")
                aria-describedby=described.clone()
                on:change=move |ev| set(event_target_value(&ev))
            >
                <option value="" selected=value.is_empty()>
                    {move || td_string!(i18n, tables.choose)}
                </option>
                {choices
                    .keys()
                    .iter()
                    .map(|key| {
                        let key: &'static str = key;
                        view! {
                            <option value=key selected=value == key>
                                {move || choice_label(i18n, choices, key)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        cell => {
            let numeric = col.numeric();
            let ltr = numeric || cell == Cell::Month;
            view! {
                <input
                    type="text"
                    id=input_id.clone()
                    value=value
                    aria-label=label
                    readonly=!editable
                    inputmode=numeric.then_some("decimal")
                    dir=ltr.then_some("ltr")
                    size=if numeric { "7" } else { "14" }
                    maxlength=domain::plan::financials::CELL_TEXT_MAX.to_string()
                    aria-invalid=move || problem().map(|_| "true")
                    aria-describedby=described.clone()
                    on:input=move |ev| set(event_target_value(&ev))
                />
            }
            .into_any()
        }
    };
    // In a table row on a phone, the row is a card and each cell shows its column's name
    // (the stylesheet hides it where the column headings show).
    let card_label = (!labelled).then(|| {
        view! {
            <label class="cell-label" for=input_id.clone()>
                {move || col_label(i18n, col)}
            </label>
        }
    });
    view! {
        {card_label}
        {control}
        {move || {
            problem()
                .map(|p| {
                    view! {
                        <span class="cell-error" id=error_id.clone()>
                            {p}
                        </span>
                    }
                })
        }}
    }
}

/// Totals under a section's tables, recomputed as the person types.
#[component]
fn SectionTotals(section: SectionKey, doc: RwSignal<PlanFinancials>) -> impl IntoView {
    let i18n = use_i18n();
    let line = move |label: String, value: String| {
        view! {
            <div class="total-line">
                <dt>{label}</dt>
                <dd dir="auto">{value}</dd>
            </div>
        }
    };
    let lines = move || {
        let locale = i18n;
        let plan = doc.get();
        let t = totals(&plan);
        let m = |v: i64| money(locale, v, plan.currency);
        let number = |v: i64| digits(locale, v.to_string());
        let mut out = Vec::new();
        match section {
            SectionKey::Startup => out.push(line(td_string!(locale, tables.startup_total).into(), m(t.startup))),
            SectionKey::Funding => {
                out.push(line(td_string!(locale, tables.funding_total).into(), m(t.funding)));
                out.push(line(td_string!(locale, tables.startup_total).into(), m(t.startup)));
            }
            SectionKey::Team => {
                out.push(line(
                    td_string!(locale, tables.monthly_wages).into(),
                    m(t.monthly_wages),
                ));
                out.push(line(td_string!(locale, tables.people).into(), number(t.people)));
            }
            SectionKey::Sales => {
                out.push(line(
                    td_string!(locale, tables.revenue_year1).into(),
                    m(t.revenue_year1),
                ));
                out.push(line(
                    td_string!(locale, tables.gross_year1).into(),
                    m(t.revenue_year1 - t.cogs_year1),
                ));
            }
            SectionKey::Costs => out.push(line(
                td_string!(locale, tables.monthly_fixed).into(),
                m(t.monthly_fixed),
            )),
            _ => {}
        }
        out.into_iter().collect_view()
    };
    let balance = move || {
        let locale = i18n;
        let plan = doc.get();
        let t = totals(&plan);
        let gap = t.funding - t.startup;
        let amount = money(locale, gap.abs(), plan.currency);
        let (class, text) = match gap.signum() {
            0 => ("ok", td_string!(locale, tables.funding_balanced).to_string()),
            -1 => (
                "warning",
                td_string!(locale, tables.funding_short, amount = amount).to_string(),
            ),
            _ => (
                "warning",
                td_string!(locale, tables.funding_over, amount = amount).to_string(),
            ),
        };
        view! {
            <p class=format!("balance {class}") role="status">
                {text}
            </p>
        }
    };
    view! {
        <dl class="totals" aria-live="polite">
            {lines}
        </dl>
        {(section == SectionKey::Funding).then_some(balance)}
    }
}
