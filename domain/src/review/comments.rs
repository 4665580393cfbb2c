//! Review comments: pinned to a section of a plan or to one row of its tables, kept for
//! the chamber (internal) or written to the entrepreneur, open until an advisor resolves
//! them. A request for changes is composed from the open comments to the entrepreneur.
//! Pure: no I/O.
use crate::plan::sections::SectionKey;
use crate::plan::tables::Table;
use serde::{Deserialize, Serialize};

/// The longest comment, reply or answer, in characters.
pub const COMMENT_MAX: u32 = 2000;
/// The shortest comment or reply (an answer may be empty: "done" is said by marking it).
pub const COMMENT_MIN: u32 = 2;
/// The most comments one plan can carry (every revision together): a runaway script
/// cannot fill the database through one plan.
pub const COMMENTS_PER_PLAN_MAX: u32 = 500;
/// The most replies in one thread.
pub const REPLIES_MAX: u32 = 100;

crate::keyed! {
    /// Who a comment is for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Audience {
        /// The chamber's staff and the Fund only; never sent to the entrepreneur.
        Internal = "internal",
        /// Shown to the entrepreneur on the section it concerns.
        Entrepreneur = "entrepreneur",
    }
}

crate::keyed! {
    /// Whether a comment still asks for something.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum CommentStatus {
        Open = "open",
        Resolved = "resolved",
    }
}

/// Where a comment is pinned: a section, or one row of one of the section's tables (named
/// by the row's first cell as it read when the comment was made, so that the pin still
/// means something after rows are reordered or deleted).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pin {
    pub section: SectionKey,
    pub row: Option<(Table, String)>,
}

impl Pin {
    /// Reads the value of the comment form's "where" list: `section` or
    /// `section/table/row index`, the row checked against the rows of the revision
    /// (`rows_of` gives a table's rows). `None` for anything that does not name a section,
    /// a table of that section and an existing row.
    pub fn parse(value: &str, rows_of: impl Fn(Table) -> Vec<Vec<String>>) -> Option<Pin> {
        let mut parts = value.trim().split('/');
        let section = SectionKey::from_key(parts.next()?)?;
        let Some(table) = parts.next() else {
            return Some(Pin { section, row: None });
        };
        let table = Table::from_key(table).filter(|t| section.tables().contains(t) && !t.single_row())?;
        let index: usize = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        let label = rows_of(table).get(index)?.first().cloned()?;
        let label = label.trim().to_string();
        (!label.is_empty()).then_some(Pin {
            section,
            row: Some((table, label)),
        })
    }
}

/// The open comments of one section, for the message that requests changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionPoints {
    /// The section's title in the writer's language.
    pub title: String,
    /// Each comment's text, prefixed by its row's name when pinned to one.
    pub points: Vec<String>,
}

/// The message proposed to the advisor when they request changes: an opening line, then
/// each section's title followed by its open comments, one per line, in the builder's
/// order. The advisor edits it before sending.
pub fn compose_request(opening: &str, sections: &[SectionPoints]) -> String {
    let mut message = opening.trim().to_string();
    for section in sections.iter().filter(|s| !s.points.is_empty()) {
        if !message.is_empty() {
            message.push_str("\n\n");
        }
        message.push_str(section.title.trim());
        message.push(':');
        for point in &section.points {
            message.push_str("\n- ");
            message.push_str(&point.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    message
}

/// Groups comments `(section, row label, text)` by section in the builder's order, each
/// group's points in the order given; `title` names a section in the writer's language.
pub fn points_by_section(
    comments: &[(SectionKey, Option<String>, String)],
    title: impl Fn(SectionKey) -> String,
) -> Vec<SectionPoints> {
    SectionKey::OUTLINE
        .into_iter()
        .filter_map(|section| {
            let points: Vec<String> = comments
                .iter()
                .filter(|(s, _, _)| *s == section)
                .map(|(_, row, text)| match row {
                    Some(row) => format!("{row}: {text}"),
                    None => text.clone(),
                })
                .collect();
            (!points.is_empty()).then(|| SectionPoints {
                title: title(section),
                points,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(table: Table) -> Vec<Vec<String>> {
        match table {
            Table::Products => vec![vec!["كعك بالسمسم".into(), "5".into()], vec!["  ".into()]],
            _ => Vec::new(),
        }
    }

    #[test]
    fn a_pin_names_a_section_or_an_existing_row_of_its_tables() {
        assert_eq!(
            Pin::parse("market", rows),
            Some(Pin {
                section: SectionKey::Market,
                row: None
            })
        );
        let product_section = SectionKey::OUTLINE
            .into_iter()
            .find(|s| s.tables().contains(&Table::Products))
            .expect("a section holds the products");
        assert_eq!(
            Pin::parse(&format!("{}/products/0", product_section.key()), rows),
            Some(Pin {
                section: product_section,
                row: Some((Table::Products, "كعك بالسمسم".into()))
            })
        );
        // A row that does not exist, a blank row, a table of another section, a single-row
        // table, junk: no pin.
        for bad in [
            format!("{}/products/2", product_section.key()),
            format!("{}/products/1", product_section.key()),
            "market/products/0".to_string(),
            "idea/idea/0".to_string(),
            format!("{}/products/0/9", product_section.key()),
            format!("{}/products/-1", product_section.key()),
            "nowhere".to_string(),
            String::new(),
        ] {
            assert_eq!(Pin::parse(&bad, rows), None, "{bad}");
        }
    }

    #[test]
    fn the_request_lists_open_points_by_section_in_the_builders_order() {
        let comments = vec![
            (SectionKey::Market, None, "أضيفي  أسعار المنافسين".to_string()),
            (SectionKey::Summary, None, "الملخص طويل".to_string()),
            (
                SectionKey::Market,
                Some("كعك".to_string()),
                "السعر أقل من التكلفة".to_string(),
            ),
        ];
        let title = |s: SectionKey| match s {
            SectionKey::Summary => "الملخص".to_string(),
            SectionKey::Market => "السوق".to_string(),
            _ => "؟".to_string(),
        };
        let grouped = points_by_section(&comments, title);
        assert_eq!(grouped.len(), 2);
        assert_eq!(
            compose_request("نرجو تعديل ما يلي:", &grouped),
            "نرجو تعديل ما يلي:\n\nالملخص:\n- الملخص طويل\n\nالسوق:\n- أضيفي أسعار المنافسين\n- كعك: السعر أقل من التكلفة"
        );
        assert_eq!(compose_request("", &[]), "");
        assert_eq!(compose_request("  مرحبا ", &[]), "مرحبا");
    }

    #[test]
    fn audience_and_status_keys_round_trip() {
        for a in Audience::ALL {
            assert_eq!(Audience::from_key(a.key()), Some(a));
        }
        for s in CommentStatus::ALL {
            assert_eq!(CommentStatus::from_key(s.key()), Some(s));
        }
    }
}
