//! What changed between two revisions of a plan, section by section: the words of the
//! written sections, the rows of the tables and the key figures. Advisors read this to see
//! whether the entrepreneur did what they asked. Words are compared as whole tokens (never
//! letter by letter, which cuts Arabic words apart); rows are matched by their name, so
//! a reordered table does not read as everything changed.
use crate::plan::financials::{compute, PlanFinancials};
use crate::plan::sections::SectionKey;
use crate::plan::tables::{Col, Table};
use crate::search::fold;
use serde::{Deserialize, Serialize};
use similar::{Algorithm, ChangeTag, TextDiff};

/// Whether a piece of text is in both revisions or only in one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// A run of text with one [`Change`]; consecutive words with the same change are one piece.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub change: Change,
    pub text: String,
}

/// The word-level difference of two texts, in reading order: removed words come just
/// before the words that replaced them.
pub fn word_diff(old: &str, new: &str) -> Vec<Piece> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    for token in diff.iter_all_changes() {
        let change = match token.tag() {
            ChangeTag::Equal => Change::Same,
            ChangeTag::Insert => Change::Added,
            ChangeTag::Delete => Change::Removed,
        };
        match pieces.last_mut() {
            Some(last) if last.change == change => last.text.push_str(token.value()),
            _ => pieces.push(Piece {
                change,
                text: token.value().to_string(),
            }),
        }
    }
    join_changes_across_spaces(pieces)
}

/// A space left unchanged between two changed runs belongs to them: "added A, same ' ',
/// added B" reads as one added phrase "A B", not as two separate insertions.
fn join_changes_across_spaces(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut joined: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut rest = pieces.into_iter().peekable();
    while let Some(mut piece) = rest.next() {
        let between_changes = piece.change == Change::Same
            && piece.text.trim().is_empty()
            && joined.last().is_some_and(|p| p.change != Change::Same)
            && rest.peek().is_some_and(|p| p.change != Change::Same);
        if between_changes {
            if let Some(last) = joined.last() {
                piece.change = last.change;
            }
        }
        match joined.last_mut() {
            Some(last) if last.change == piece.change => last.text.push_str(&piece.text),
            _ => joined.push(piece),
        }
    }
    joined
}

/// A written section that differs between the two revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionDiff {
    pub section: SectionKey,
    pub pieces: Vec<Piece>,
}

/// The written sections that changed, in the builder's order; a section missing from one
/// revision counts as empty there.
pub fn section_diffs(old: &[(SectionKey, String)], new: &[(SectionKey, String)]) -> Vec<SectionDiff> {
    let body = |bodies: &[(SectionKey, String)], key| {
        bodies
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, b)| b.clone())
            .unwrap_or_default()
    };
    SectionKey::builder_order()
        .filter_map(|section| {
            let (before, after) = (body(old, section), body(new, section));
            (before.trim() != after.trim()).then(|| SectionDiff {
                section,
                pieces: word_diff(&before, &after),
            })
        })
        .collect()
}

/// One cell that changed in a row present in both revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellChange {
    pub col: Col,
    pub old: String,
    pub new: String,
}

/// How one row of a table changed. `label` is the row's name (a product, an item, a job
/// title); cells are as the builder shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RowChange {
    Added { label: String, cells: Vec<String> },
    Removed { label: String, cells: Vec<String> },
    Changed { label: String, cells: Vec<CellChange> },
}

/// The rows of one table that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDiff {
    pub table: Table,
    pub rows: Vec<RowChange>,
}

/// The tables that changed, in the builder's order.
pub fn table_diffs(old: &PlanFinancials, new: &PlanFinancials) -> Vec<TableDiff> {
    SectionKey::builder_order()
        .flat_map(|section| section.tables().iter().copied())
        .filter_map(|table| {
            let rows = row_changes(table, &table.rows(old), &table.rows(new));
            (!rows.is_empty()).then_some(TableDiff { table, rows })
        })
        .collect()
}

/// Pairs the rows of two versions of a table: first by name (spelling-insensitive), then
/// rows left over at the same position (a renamed row); what is left was added or removed.
fn row_changes(table: Table, old: &[Vec<String>], new: &[Vec<String>]) -> Vec<RowChange> {
    let label = |row: &[String]| {
        if table.single_row() {
            String::new()
        } else {
            row.first().cloned().unwrap_or_default()
        }
    };
    let mut partner: Vec<Option<usize>> = vec![None; new.len()];
    let mut taken = vec![false; old.len()];
    if !table.single_row() {
        for (n, row) in new.iter().enumerate() {
            let name = fold(&label(row));
            if let Some(o) = (0..old.len()).find(|&o| !taken[o] && fold(&label(&old[o])) == name) {
                partner[n] = Some(o);
                taken[o] = true;
            }
        }
    }
    for n in 0..new.len() {
        if partner[n].is_none() && n < old.len() && !taken[n] {
            partner[n] = Some(n);
            taken[n] = true;
        }
    }
    let columns = table.columns();
    let mut changes = Vec::new();
    for (n, row) in new.iter().enumerate() {
        match partner[n] {
            None => changes.push(RowChange::Added {
                label: label(row),
                cells: row.clone(),
            }),
            Some(o) => {
                let cells: Vec<CellChange> = columns
                    .iter()
                    .enumerate()
                    .filter_map(|(i, col)| {
                        let before = old[o].get(i).cloned().unwrap_or_default();
                        let after = row.get(i).cloned().unwrap_or_default();
                        (before != after).then_some(CellChange {
                            col: *col,
                            old: before,
                            new: after,
                        })
                    })
                    .collect();
                if !cells.is_empty() {
                    changes.push(RowChange::Changed {
                        label: label(row),
                        cells,
                    });
                }
            }
        }
    }
    for (o, row) in old.iter().enumerate() {
        if !taken[o] {
            changes.push(RowChange::Removed {
                label: label(row),
                cells: row.clone(),
            });
        }
    }
    changes
}

/// The figures an advisor weighs a plan by, in the plan's currency (minor units).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFigures {
    pub startup_total: i64,
    pub funding_total: i64,
    /// Funding minus start-up costs (negative: money is missing).
    pub funding_gap: i64,
    pub revenue_year1: i64,
    pub net_profit_year1: i64,
    pub break_even_month: Option<u32>,
    /// Full-time equivalents in tenths (a part-time position is 5).
    pub jobs_fte_tenths: i64,
    pub jobs_women: i64,
    /// The monthly instalment (interest and principal) once the loan's grace ends.
    pub loan_payment: Option<i64>,
}

impl KeyFigures {
    /// The figures of a validated plan.
    pub fn of(plan: &PlanFinancials) -> Self {
        let fin = compute(plan);
        let year1 = fin.yearly.first();
        KeyFigures {
            startup_total: fin.startup_total,
            funding_total: fin.funding_total,
            funding_gap: fin.funding_gap,
            revenue_year1: year1.map_or(0, |y| y.revenue),
            net_profit_year1: year1.map_or(0, |y| y.net_profit),
            break_even_month: fin.break_even.month,
            jobs_fte_tenths: (fin.jobs.fte * 10.0).round() as i64,
            jobs_women: fin.jobs.women,
            loan_payment: fin
                .monthly
                .iter()
                .find(|m| m.principal > 0)
                .map(|m| m.principal + m.interest),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::financials::{Currency, Position, Product};

    fn text(pieces: &[Piece], change: Change) -> Vec<String> {
        pieces
            .iter()
            .filter(|p| p.change == change)
            .map(|p| p.text.trim().to_string())
            .collect()
    }

    #[test]
    fn an_inserted_phrase_is_one_piece() {
        let pieces = word_diff(
            "الزبائن نساء من خان يونس.",
            "الزبائن نساء من خان يونس. أسعار المنافسين بين 90 و150 شيكلًا.",
        );
        assert_eq!(text(&pieces, Change::Added), vec!["أسعار المنافسين بين 90 و150 شيكلًا."]);
        let rebuilt: String = pieces
            .iter()
            .filter(|p| p.change != Change::Removed)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(rebuilt, "الزبائن نساء من خان يونس. أسعار المنافسين بين 90 و150 شيكلًا.");
    }

    #[test]
    fn arabic_words_change_whole_never_letter_by_letter() {
        let pieces = word_diff("نبيع الخبز في غزة يومياً", "نبيع الخبز والكعك في خان يونس يومياً");
        assert_eq!(text(&pieces, Change::Removed), vec!["غزة"]);
        assert_eq!(text(&pieces, Change::Added), vec!["والكعك", "خان يونس"]);
        // Reading the pieces in order gives back both texts.
        let rebuild = |skip| {
            pieces
                .iter()
                .filter(|p| p.change != skip)
                .map(|p| p.text.as_str())
                .collect::<String>()
        };
        assert_eq!(rebuild(Change::Added), "نبيع الخبز في غزة يومياً");
        assert_eq!(rebuild(Change::Removed), "نبيع الخبز والكعك في خان يونس يومياً");
    }

    #[test]
    fn the_same_text_has_no_changes() {
        let pieces = word_diff("سوق صغير", "سوق صغير");
        assert_eq!(
            pieces,
            vec![Piece {
                change: Change::Same,
                text: "سوق صغير".into()
            }]
        );
        assert!(word_diff("", "").is_empty());
    }

    #[test]
    fn only_changed_sections_are_listed_in_builder_order() {
        let old = vec![
            (SectionKey::Market, "زبائن الحي".to_string()),
            (SectionKey::Idea, "مخبز".to_string()),
        ];
        let new = vec![
            (SectionKey::Idea, "مخبز حديث".to_string()),
            (SectionKey::Market, "زبائن الحي".to_string()),
        ];
        let diffs = section_diffs(&old, &new);
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].section, SectionKey::Idea);
        assert_eq!(text(&diffs[0].pieces, Change::Added), vec!["حديث"]);
    }

    fn product(name: &str, price: i64) -> Product {
        Product {
            name: name.into(),
            unit: "رغيف".into(),
            price,
            unit_cost: 50,
            monthly_qty: vec![100; 12],
        }
    }

    fn plan(products: Vec<Product>) -> PlanFinancials {
        let mut plan = PlanFinancials::empty(Currency::ILS);
        plan.products = products;
        plan
    }

    #[test]
    fn rows_are_matched_by_name_whatever_their_order_or_spelling() {
        let old = plan(vec![product("خبز", 100), product("كعكة", 300)]);
        let new = plan(vec![product("كعكه", 350), product("خبز", 100), product("معمول", 500)]);
        let diffs = table_diffs(&old, &new);
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].table, Table::Products);
        let rows = &diffs[0].rows;
        assert_eq!(rows.len(), 2, "{rows:?}");
        match &rows[0] {
            RowChange::Changed { label, cells } => {
                assert_eq!(label, "كعكه");
                assert_eq!(cells.len(), 2, "the name's spelling and the price: {cells:?}");
                assert_eq!(
                    cells[1],
                    CellChange {
                        col: Col::Price,
                        old: "3".into(),
                        new: "3.50".into()
                    }
                );
            }
            other => panic!("expected a changed row, got {other:?}"),
        }
        assert!(matches!(&rows[1], RowChange::Added { label, .. } if label == "معمول"));
    }

    #[test]
    fn removed_and_renamed_rows() {
        let old = plan(vec![product("خبز", 100), product("كعك", 300)]);
        let new = plan(vec![product("خبز أسمر", 100)]);
        let rows = &table_diffs(&old, &new)[0].rows;
        // The row at the same place with a new name is the same row, renamed.
        assert!(matches!(&rows[0], RowChange::Changed { cells, .. } if cells.len() == 1 && cells[0].col == Col::Name));
        assert!(matches!(&rows[1], RowChange::Removed { label, .. } if label == "كعك"));
        assert!(table_diffs(&old, &old).is_empty());
    }

    #[test]
    fn key_figures_follow_the_plan() {
        let mut bakery = plan(vec![product("خبز", 200)]);
        let before = KeyFigures::of(&bakery);
        bakery.positions.push(Position {
            title: "خباز".into(),
            count: 2,
            monthly_wage: 150_000,
            full_time: false,
            women: 1,
            men: 1,
            youth: 0,
        });
        let after = KeyFigures::of(&bakery);
        assert_eq!(before.revenue_year1, 200 * 100 * 12);
        assert_eq!(
            (before.jobs_fte_tenths, after.jobs_fte_tenths, after.jobs_women),
            (0, 10, 1)
        );
        assert!(after.net_profit_year1 < before.net_profit_year1, "wages cost money");
        assert_eq!(after.loan_payment, None);
    }
}
