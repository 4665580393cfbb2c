//! The whole plan as a PDF, laid out by typst (as a library) with bundled OFL fonts, so the
//! Arabic is shaped, right to left, and real text that a reader can search and copy. The
//! template is fixed; the plan reaches it only as JSON data.
use app::i18n::*;
use app::lang::{digits, money};
use app::plan::report::{
    category_label, choice_label, col_label, indicator_lines, pnl_lines, section_title, table_title, total_costs,
};
use domain::plan::financials::{compute, Financials, MonthFigures, PlanFinancials, StartupCategory};
use domain::plan::indicators::indicators;
use domain::plan::sections::{SectionKey, SectionKind};
use domain::plan::tables::{display_money, Cell, Table};
use serde_json::{json, Value};
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, Str};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

const TEMPLATE: &str = include_str!("plan.typ");

/// Noto Sans Arabic for Arabic, Noto Sans for Latin (OFL, see fonts/OFL.txt).
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let blobs: [&'static [u8]; 4] = [
        include_bytes!("../../fonts/NotoSansArabic-Regular.ttf"),
        include_bytes!("../../fonts/NotoSansArabic-Bold.ttf"),
        include_bytes!("../../fonts/NotoSans-Regular.ttf"),
        include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    ];
    let fonts: Vec<Font> = blobs.iter().flat_map(|b| Font::iter(Bytes::new(*b))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// One document to compile: the template, its data, the fonts.
struct PlanWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl World for PlanWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        // The template reads nothing from disk.
        Err(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("typst: {0}")]
    Typst(String),
    #[error("plan data: {0}")]
    Data(#[from] serde_json::Error),
}

/// Renders `plan` (with title and written sections) in `locale`.
pub fn render_plan(plan: &PlanFinancials, locale: Locale) -> Result<Vec<u8>, PdfError> {
    // Arabic pages write a negative amount with U+2212 MINUS SIGN, which the PDF's fonts do
    // not have: typst would drop it and a funding gap of −1,849 would read as 1,849. A
    // financial document must never lose a sign, so the PDF uses the hyphen-minus they have.
    let data = serde_json::to_string(&plan_data(plan, locale))?.replace('\u{2212}', "-");
    let mut inputs = Dict::new();
    inputs.insert(Str::from("data"), typst::foundations::Value::Str(Str::from(data)));
    let world = PlanWorld {
        library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
        main: Source::detached(TEMPLATE),
    };
    let messages = |diagnostics: &[typst::diag::SourceDiagnostic]| {
        diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|e| PdfError::Typst(messages(&e)))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError::Typst(messages(&e)))
}

/// Everything the template shows, as text in the reader's language and digits.
fn plan_data(plan: &PlanFinancials, locale: Locale) -> Value {
    let fin = compute(plan);
    let title = plan.title.clone().unwrap_or_default();
    let sections: Vec<Value> = SectionKey::OUTLINE
        .into_iter()
        .map(|key| {
            let body = plan.sections.get(key.key()).map(String::as_str).unwrap_or("");
            let paragraphs: Vec<&str> = body.split('\n').map(str::trim).filter(|p| !p.is_empty()).collect();
            let tables: Vec<Value> = key.tables().iter().map(|t| table_data(*t, plan, locale)).collect();
            let mut section = json!({
                "title": section_title(locale, key),
                "paragraphs": paragraphs,
                "tables": tables,
            });
            if key.kind() == SectionKind::Computed {
                section["indicators"] = indicators_data(plan, &fin, locale);
                section["charts"] = json!([revenue_chart(&fin, locale), cash_chart(&fin, locale)]);
                section["figures"] = json!(figure_tables(&fin, plan, locale));
            }
            section
        })
        .collect();
    json!({
        "rtl": locale == Locale::ar,
        "lang": if locale == Locale::ar { "ar" } else { "en" },
        "title": title,
        "subtitle": td_string!(locale, app_name),
        "labels": { "empty": td_string!(locale, figures.none) },
        "sections": sections,
    })
}

fn table_data(table: Table, plan: &PlanFinancials, locale: Locale) -> Value {
    let columns = table.columns();
    let header: Vec<String> = columns.iter().map(|c| col_label(locale, *c)).collect();
    let rows: Vec<Vec<String>> = table
        .rows(plan)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .zip(&columns)
                .map(|(cell, col)| match col.cell() {
                    Cell::Category => StartupCategory::ALL
                        .into_iter()
                        .find(|c| c.key() == cell)
                        .map(|c| category_label(locale, c).to_string())
                        .unwrap_or(cell),
                    Cell::Choice(_) if cell.is_empty() => cell,
                    Cell::Choice(choices) => choice_label(locale, choices, &cell).to_string(),
                    Cell::YesNo if cell == "yes" => td_string!(locale, tables.yes).to_string(),
                    Cell::YesNo => td_string!(locale, tables.no).to_string(),
                    Cell::Text { .. } => cell,
                    _ => digits(locale, cell),
                })
                .collect()
        })
        .collect();
    json!({ "title": table_title(locale, table), "header": header, "rows": rows })
}

fn indicators_data(plan: &PlanFinancials, fin: &Financials, locale: Locale) -> Value {
    let ind = indicators(plan, fin);
    let lines: Vec<Value> = indicator_lines(locale, fin, &ind, plan.currency)
        .into_iter()
        .map(|l| json!({ "label": l.label, "value": l.value }))
        .collect();
    json!(lines)
}

const REVENUE_COLOR: &str = "#0b7a5f";
const COSTS_COLOR: &str = "#c05621";
const CASH_COLOR: &str = "#2b6cb0";
const NEGATIVE_COLOR: &str = "#c53030";

/// A chart as bar fractions: `up` of the positive area, `down` of the negative one.
fn chart_data(
    title: &str,
    legend: Value,
    fin: &Financials,
    locale: Locale,
    bars: impl Fn(&MonthFigures) -> Vec<(i64, &'static str)>,
) -> Value {
    let all: Vec<i64> = fin
        .monthly
        .iter()
        .flat_map(|m| bars(m).into_iter().map(|(v, _)| v))
        .collect();
    let max = all.iter().copied().max().unwrap_or(0).max(0) as f64;
    let min = all.iter().copied().min().unwrap_or(0).min(0) as f64;
    let span = (max - min).max(1.0);
    // 4 cm in all, shared between the positive and the negative part.
    let (up_cm, down_cm) = (4.0 * max / span, 4.0 * -min / span);
    let months: Vec<Value> = fin
        .monthly
        .iter()
        .map(|m| {
            let bars: Vec<Value> = bars(m)
                .into_iter()
                .map(|(v, color)| {
                    let up = if v > 0 && max > 0.0 { v as f64 / max } else { 0.0 };
                    let down = if v < 0 && min < 0.0 { v as f64 / min } else { 0.0 };
                    json!({ "up": up, "down": down, "color": color })
                })
                .collect();
            json!({ "label": digits(locale, m.month.to_string()), "bars": bars })
        })
        .collect();
    json!({ "title": title, "legend": legend, "up": up_cm, "down": down_cm, "months": months })
}

fn revenue_chart(fin: &Financials, locale: Locale) -> Value {
    chart_data(
        td_string!(locale, figures.chart_revenue),
        json!([
            { "label": td_string!(locale, figures.legend_revenue), "color": REVENUE_COLOR },
            { "label": td_string!(locale, figures.legend_costs), "color": COSTS_COLOR },
        ]),
        fin,
        locale,
        |m| vec![(m.revenue, REVENUE_COLOR), (total_costs(m), COSTS_COLOR)],
    )
}

fn cash_chart(fin: &Financials, locale: Locale) -> Value {
    chart_data(td_string!(locale, figures.chart_cash), json!([]), fin, locale, |m| {
        vec![(
            m.closing_cash,
            if m.closing_cash < 0 { NEGATIVE_COLOR } else { CASH_COLOR },
        )]
    })
}

/// The P&L by month and by year and the monthly cash flow, as tables.
fn figure_tables(fin: &Financials, plan: &PlanFinancials, locale: Locale) -> Vec<Value> {
    let ar = locale == Locale::ar;
    let amount = |v: i64| display_money(v, plan.currency, ar);
    let line_head = td_string!(locale, figures.line).to_string();
    let mut month_header = vec![line_head.clone()];
    month_header.extend(
        (1..=12u32).map(|m| td_string!(locale, figures.month_n, n = digits(locale, m.to_string())).to_string()),
    );
    let mut year_header = vec![line_head];
    year_header
        .extend((1..=3u32).map(|y| td_string!(locale, figures.year_n, n = digits(locale, y.to_string())).to_string()));
    let monthly: Vec<Vec<String>> = pnl_lines()
        .into_iter()
        .map(|(label, of_month, _)| {
            std::iter::once(label(locale).to_string())
                .chain(fin.monthly.iter().map(|m| amount(of_month(m))))
                .collect()
        })
        .collect();
    let yearly: Vec<Vec<String>> = pnl_lines()
        .into_iter()
        .map(|(label, _, of_year)| {
            std::iter::once(label(locale).to_string())
                .chain(fin.yearly.iter().map(|y| amount(of_year(y))))
                .collect()
        })
        .collect();
    let cash_line = |label: &str, of: fn(&MonthFigures) -> i64| -> Vec<String> {
        std::iter::once(label.to_string())
            .chain(fin.monthly.iter().map(|m| amount(of(m))))
            .collect()
    };
    let cash = vec![
        cash_line(td_string!(locale, figures.cash_in), |m| m.cash_in),
        cash_line(td_string!(locale, figures.cash_out), |m| m.cash_out),
        cash_line(td_string!(locale, figures.closing_cash), |m| m.closing_cash),
    ];
    let opening = td_string!(
        locale,
        figures.opening_cash,
        amount = money(locale, fin.opening_cash, plan.currency)
    )
    .to_string();
    vec![
        json!({ "title": td_string!(locale, figures.months), "header": month_header, "rows": monthly }),
        json!({ "title": td_string!(locale, figures.years), "header": year_header, "rows": yearly }),
        json!({ "title": format!("{} — {}", td_string!(locale, figures.cash), opening), "header": month_header, "rows": cash }),
    ]
}
