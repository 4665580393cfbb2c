//! The dashboard's tables as sheets to download (server only): the same rows and headings
//! the page shows, in the reader's language, with numbers kept as numbers (money in major
//! units with its currency in its own column, shares as fractions) so a spreadsheet can sum
//! them. `server::exports` writes them as CSV.
use super::{Dashboard, DashboardTable};
use crate::i18n::*;
use crate::lang::{currency_name, funnel_stage_text, pick, plan_status_text};
use domain::plan::financials::Currency;
use domain::stats::MoneyScope;

/// One cell of an exported table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Whole(i64),
    /// Tenths (FTE): 35 is 3.5.
    Tenths(i64),
    /// A share in tenths of a percent, written as a fraction (625 → 0.625).
    Share(i64),
    /// Minor units of a currency, written in major units (1234567 agorot → 12345.67).
    Money(i64, Currency),
    Empty,
}

impl Cell {
    fn of(value: Option<i64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Whole)
    }

    /// The cell as CSV text: numbers in ASCII digits with a point, text made safe against
    /// formulas (`domain::stats::spreadsheet_text`).
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Text(text) => domain::stats::spreadsheet_text(text).into_owned(),
            Cell::Whole(n) => n.to_string(),
            Cell::Tenths(n) => decimal(*n, 10),
            Cell::Share(n) => decimal(*n, 1000),
            Cell::Money(n, currency) => decimal(*n, currency.minor_per_major()),
            Cell::Empty => String::new(),
        }
    }
}

/// `n / per` written exactly with as many decimals as `per` has zeros.
fn decimal(n: i64, per: i64) -> String {
    let places = per.max(1).ilog10() as usize;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    let per = per.max(1).unsigned_abs();
    if places == 0 {
        return format!("{sign}{n}");
    }
    format!("{sign}{}.{:0places$}", n / per, n % per)
}

/// A table ready to write.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

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
                        Cell::Text(m.month.clone()),
                        Cell::Whole(m.submissions),
                        Cell::Whole(m.approvals),
                        Cell::Tenths(m.jobs_fte_tenths),
                    ]
                })
                .collect(),
        },
    }
}

/// The sheet as CSV: UTF-8 with a byte-order mark (so Excel reads Arabic), CRLF line ends.
pub fn csv_bytes(sheet: &Sheet) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer.write_record(
            sheet
                .header
                .iter()
                .map(|h| domain::stats::spreadsheet_text(h).into_owned()),
        )?;
        for row in &sheet.rows {
            writer.write_record(row.iter().map(Cell::csv_text))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_exactly() {
        assert_eq!(Cell::Money(1_234_567, Currency::ILS).csv_text(), "12345.67");
        assert_eq!(Cell::Money(5, Currency::JOD).csv_text(), "0.005");
        assert_eq!(Cell::Money(-250, Currency::USD).csv_text(), "-2.50");
        assert_eq!(Cell::Tenths(35).csv_text(), "3.5");
        assert_eq!(Cell::Share(667).csv_text(), "0.667");
        assert_eq!(Cell::Share(1000).csv_text(), "1.000");
        assert_eq!(Cell::Text("=1+1".into()).csv_text(), "'=1+1");
    }

    #[test]
    fn csv_starts_with_a_bom_and_quotes_what_needs_it() {
        let sheet = Sheet {
            name: "x".into(),
            header: vec!["الخدمة".into(), "n".into()],
            rows: vec![vec![Cell::Text("تسجيل، \"شركة\"".into()), Cell::Whole(3)]],
        };
        let bytes = csv_bytes(&sheet).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}الخدمة,n\r\n\"تسجيل، \"\"شركة\"\"\",3\r\n");
    }
}
