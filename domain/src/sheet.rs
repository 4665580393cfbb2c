//! Tables to download: what a cell holds and how it is written as CSV text. The same cells
//! become typed XLSX cells on the server (numbers as numbers, dates as dates), so both files
//! carry the same figures.
use crate::plan::financials::Currency;
use crate::stats::spreadsheet_text;
use crate::validation::Date;

/// One cell of an exported table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Whole(i64),
    /// Tenths (FTE): 35 is 3.5.
    Tenths(i64),
    /// Hundredths (a score out of 100): 7250 is 72.50.
    Hundredths(i64),
    /// A share in tenths of a percent, written as a fraction (625 → 0.625).
    Share(i64),
    /// Minor units of a currency, written in major units (1234567 agorot → 12345.67).
    Money(i64, Currency),
    /// A calendar day.
    Date(Date),
    /// A calendar month (the day is ignored), for monthly figures.
    Month(Date),
    Empty,
}

impl Cell {
    /// A number that may be missing.
    pub fn of(value: Option<i64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Whole)
    }

    /// The cell as CSV text: numbers in ASCII digits with a point, dates in ISO form, text
    /// made safe against formulas (`stats::spreadsheet_text`).
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Text(text) => spreadsheet_text(text).into_owned(),
            Cell::Whole(n) => n.to_string(),
            Cell::Tenths(n) => decimal(*n, 10),
            Cell::Hundredths(n) => decimal(*n, 100),
            Cell::Share(n) => decimal(*n, 1000),
            Cell::Money(n, currency) => decimal(*n, currency.minor_per_major()),
            Cell::Date(date) => date.iso(),
            Cell::Month(date) => format!("{:04}-{:02}", date.year, date.month),
            Cell::Empty => String::new(),
        }
    }

    /// The cell's value as a spreadsheet number, where it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Whole(n) => Some(*n as f64),
            Cell::Tenths(n) => Some(*n as f64 / 10.0),
            Cell::Hundredths(n) => Some(*n as f64 / 100.0),
            Cell::Share(n) => Some(*n as f64 / 1000.0),
            Cell::Money(n, currency) => Some(*n as f64 / currency.minor_per_major() as f64),
            _ => None,
        }
    }
}

/// `n / per` written exactly with as many decimals as `per` has zeros.
pub fn decimal(n: i64, per: i64) -> String {
    let places = per.max(1).ilog10() as usize;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    let per = per.max(1).unsigned_abs();
    if places == 0 {
        return format!("{sign}{n}");
    }
    format!("{sign}{}.{:0places$}", n / per, n % per)
}

/// A whole table, small enough to hold (the dashboard's figures). Long tables are written
/// page by page instead (see `docs/dashboard.md`, "Exports").
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A worksheet's name as spreadsheet programs accept it: at most 31 characters, none of
/// `[]:*?/\`, not empty.
pub fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .take(31)
        .collect();
    let trimmed = cleaned.trim().trim_matches('\'');
    if trimmed.is_empty() {
        "Sheet1".to_string()
    } else {
        trimmed.to_string()
    }
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
        assert_eq!(Cell::Hundredths(7205).csv_text(), "72.05");
        assert_eq!(Cell::Share(667).csv_text(), "0.667");
        assert_eq!(Cell::Share(1000).csv_text(), "1.000");
        assert_eq!(Cell::Text("=1+1".into()).csv_text(), "'=1+1");
        assert_eq!(Cell::of(None).csv_text(), "");
    }

    #[test]
    fn dates_and_months_are_iso() {
        let day = Date {
            year: 2026,
            month: 3,
            day: 7,
        };
        assert_eq!(Cell::Date(day).csv_text(), "2026-03-07");
        assert_eq!(Cell::Month(day).csv_text(), "2026-03");
    }

    #[test]
    fn numbers_keep_their_value_for_spreadsheets() {
        assert_eq!(Cell::Money(1_234_567, Currency::ILS).number(), Some(12_345.67));
        assert_eq!(Cell::Money(1_500, Currency::JOD).number(), Some(1.5));
        assert_eq!(Cell::Share(625).number(), Some(0.625));
        assert_eq!(Cell::Tenths(35).number(), Some(3.5));
        assert_eq!(Cell::Text("3".into()).number(), None);
    }

    #[test]
    fn sheet_names_fit_spreadsheets() {
        assert_eq!(sheet_name("الأيام/الحالة"), "الأيام الحالة");
        assert_eq!(sheet_name("[]"), "Sheet1");
        assert_eq!(sheet_name(&"م".repeat(40)).chars().count(), 31);
    }
}
