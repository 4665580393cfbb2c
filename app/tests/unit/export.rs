//! The Fund's spreadsheet export.
use app::fund::export::month_cell;
use domain::sheet::Cell;
use domain::validation::Date;

#[test]
fn trend_months_become_month_cells() {
    assert_eq!(
        month_cell("2026-05"),
        Cell::Month(Date {
            year: 2026,
            month: 5,
            day: 1
        })
    );
    assert_eq!(month_cell("2026-13"), Cell::Text("2026-13".into()));
}
