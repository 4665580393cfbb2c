//! The sections of a business plan (shared/reference/business-plan.md), their order and
//! when a written section counts as complete. Pure.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKey {
    Summary,
    Entrepreneur,
    Idea,
    Market,
    Marketing,
    Operations,
    Team,
    Startup,
    Funding,
    Sales,
    Costs,
    Financials,
    Risks,
}

/// How a section is filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// Free text written by the entrepreneur.
    Text,
    /// Rows of a table (start-up items, products, positions…), edited in the builder.
    Table,
    /// Computed from the other sections; never typed.
    Computed,
}

/// Largest written section, in characters.
pub const BODY_MAX: usize = 10_000;
/// A written section counts as complete from this many characters (a few real sentences).
pub const COMPLETE_MIN: usize = 40;

impl SectionKey {
    /// The order of the outline and of the export.
    pub const OUTLINE: [SectionKey; 13] = [
        SectionKey::Summary,
        SectionKey::Entrepreneur,
        SectionKey::Idea,
        SectionKey::Market,
        SectionKey::Marketing,
        SectionKey::Operations,
        SectionKey::Team,
        SectionKey::Startup,
        SectionKey::Funding,
        SectionKey::Sales,
        SectionKey::Costs,
        SectionKey::Financials,
        SectionKey::Risks,
    ];

    /// The order recommended while writing: the summary comes last, once everything else is known.
    pub fn builder_order() -> impl Iterator<Item = SectionKey> {
        SectionKey::OUTLINE
            .into_iter()
            .skip(1)
            .chain(std::iter::once(SectionKey::Summary))
    }

    pub fn key(self) -> &'static str {
        match self {
            SectionKey::Summary => "summary",
            SectionKey::Entrepreneur => "entrepreneur",
            SectionKey::Idea => "idea",
            SectionKey::Market => "market",
            SectionKey::Marketing => "marketing",
            SectionKey::Operations => "operations",
            SectionKey::Team => "team",
            SectionKey::Startup => "startup",
            SectionKey::Funding => "funding",
            SectionKey::Sales => "sales",
            SectionKey::Costs => "costs",
            SectionKey::Financials => "financials",
            SectionKey::Risks => "risks",
        }
    }

    pub fn from_key(key: &str) -> Option<SectionKey> {
        SectionKey::OUTLINE.into_iter().find(|s| s.key() == key)
    }

    pub fn kind(self) -> SectionKind {
        match self {
            SectionKey::Summary
            | SectionKey::Entrepreneur
            | SectionKey::Idea
            | SectionKey::Market
            | SectionKey::Marketing
            | SectionKey::Operations => SectionKind::Text,
            SectionKey::Financials => SectionKind::Computed,
            _ => SectionKind::Table,
        }
    }
}

/// Is this written text enough to count the section as done?
pub fn text_complete(body: &str) -> bool {
    body.split_whitespace().collect::<String>().chars().count() >= COMPLETE_MIN
}

/// Share of the written sections that are complete, in whole percent.
pub fn written_completeness(bodies: &[(SectionKey, String)]) -> u32 {
    let written: Vec<SectionKey> = SectionKey::OUTLINE
        .into_iter()
        .filter(|s| s.kind() == SectionKind::Text)
        .collect();
    let done = written
        .iter()
        .filter(|key| bodies.iter().any(|(k, body)| k == *key && text_complete(body)))
        .count();
    (done * 100 / written.len()) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_summary_is_written_last() {
        for s in SectionKey::OUTLINE {
            assert_eq!(SectionKey::from_key(s.key()), Some(s));
        }
        let order: Vec<_> = SectionKey::builder_order().collect();
        assert_eq!(order.len(), 13);
        assert_eq!(order.first(), Some(&SectionKey::Entrepreneur));
        assert_eq!(order.last(), Some(&SectionKey::Summary));
        assert_eq!(SectionKey::OUTLINE[0], SectionKey::Summary);
    }

    #[test]
    fn completeness_counts_real_text_only() {
        assert!(!text_complete("   "));
        assert!(!text_complete("قصير"));
        assert!(text_complete(&"كلمة ".repeat(12)));
        let bodies = vec![
            (
                SectionKey::Idea,
                "مشغل خياطة للفساتين النسائية في خان يونس يبيع للمحلات".to_string(),
            ),
            (SectionKey::Market, "قليل".to_string()),
            (SectionKey::Team, "x".repeat(100)),
        ];
        // One of six written sections.
        assert_eq!(written_completeness(&bodies), 16);
        assert_eq!(written_completeness(&[]), 0);
    }
}
