//! The chamber's review queue: what it can be filtered and sorted by, and the cursor that
//! pages through it. The filters travel in the page's URL (a GET form, so a link to a
//! filtered queue can be shared and the queue works without JavaScript); this module reads
//! them. Pure: no I/O.
use crate::validation::Date;
use serde::{Deserialize, Serialize};

/// Rows on one page of the queue.
pub const PAGE_SIZE: u32 = 25;

crate::keyed! {
    /// The age groups the Fund reports by (owners are at least 16).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum AgeGroup {
        UpTo24 = "16-24",
        From25To29 = "25-29",
        From30To39 = "30-39",
        From40 = "40+",
    }
}

impl AgeGroup {
    /// The youngest and oldest age in the group (`None`: no upper bound).
    pub fn ages(self) -> (i32, Option<i32>) {
        match self {
            AgeGroup::UpTo24 => (16, Some(24)),
            AgeGroup::From25To29 => (25, Some(29)),
            AgeGroup::From30To39 => (30, Some(39)),
            AgeGroup::From40 => (40, None),
        }
    }

    /// The birth dates of people in the group on `today`, as ISO dates that compare as
    /// text: born after the first (exclusive, `None`: no limit) and on or before the second.
    pub fn birth_dates(self, today: Date) -> (Option<String>, String) {
        let (youngest, oldest) = self.ages();
        let latest = today.years_before(youngest).iso();
        let earliest_excluded = oldest.map(|oldest| today.years_before(oldest + 1).iso());
        (earliest_excluded, latest)
    }
}

crate::keyed! {
    /// The order of the queue.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub enum QueueSort {
        /// Longest in its current state first: who has waited most.
        #[default]
        Waiting = "waiting",
        /// Most recently submitted first.
        Submitted = "submitted",
        /// Highest average score first; plans not scored yet last.
        Score = "score",
    }
}

/// Whose plans: the caller's own reviews, plans nobody holds, or one advisor's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "advisor")]
pub enum Assignment {
    Me,
    Unassigned,
    Advisor(i64),
}

impl Assignment {
    /// Reads the URL's `assigned` value: `me`, `none` or an advisor's id.
    pub fn parse(text: &str) -> Option<Assignment> {
        match text.trim() {
            "me" => Some(Assignment::Me),
            "none" => Some(Assignment::Unassigned),
            id => id.parse().ok().filter(|id: &i64| *id > 0).map(Assignment::Advisor),
        }
    }

    pub fn url_value(self) -> String {
        match self {
            Assignment::Me => "me".into(),
            Assignment::Unassigned => "none".into(),
            Assignment::Advisor(id) => id.to_string(),
        }
    }
}

/// Where the next page starts: the sort value and id of the last row shown. Keyset
/// pagination: the database seeks to it through an index instead of counting rows to skip,
/// so page 400 costs what page 1 does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub value: i64,
    pub id: i64,
}

impl Cursor {
    /// Reads `value.id` from the URL; `None` for anything else.
    pub fn parse(text: &str) -> Option<Cursor> {
        let (value, id) = text.trim().split_once('.')?;
        Some(Cursor {
            value: value.parse().ok()?,
            id: id.parse().ok()?,
        })
    }

    pub fn url_value(self) -> String {
        format!("{}.{}", self.value, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).unwrap()
    }

    #[test]
    fn age_groups_cover_birthdays_exactly() {
        let today = day("2026-11-28");
        assert_eq!(
            AgeGroup::From25To29.birth_dates(today),
            (Some("1996-11-28".into()), "2001-11-28".into())
        );
        // Born 2001-11-28: 25 today, in 25-29; born a day later: still 24.
        let (after, on_or_before) = AgeGroup::From25To29.birth_dates(today);
        let in_group = |born: &str| after.as_deref().is_none_or(|a| born > a) && born <= on_or_before.as_str();
        assert!(in_group("2001-11-28"));
        assert!(!in_group("2001-11-29"));
        // Born 1996-11-29: 29 until tomorrow; born 1996-11-28: 30 today.
        assert!(in_group("1996-11-29"));
        assert!(!in_group("1996-11-28"));
        assert_eq!(AgeGroup::From40.birth_dates(today), (None, "1986-11-28".into()));
    }

    #[test]
    fn a_leap_day_birthday_is_handled() {
        assert_eq!(day("2028-02-29").years_before(1), day("2027-02-28"));
        assert_eq!(day("2028-02-29").years_before(4), day("2024-02-29"));
    }

    #[test]
    fn dates_turn_into_unix_midnights_and_back() {
        for iso in ["1970-01-01", "2000-02-29", "2026-11-28", "1999-12-31", "2100-03-01"] {
            let date = day(iso);
            assert_eq!(Date::from_unix(date.unix_midnight()), date, "{iso}");
            assert_eq!(date.unix_midnight() % 86_400, 0);
        }
        assert_eq!(day("2026-11-28").unix_midnight(), 1_795_824_000);
    }

    #[test]
    fn url_values_read_back() {
        for a in [Assignment::Me, Assignment::Unassigned, Assignment::Advisor(42)] {
            assert_eq!(Assignment::parse(&a.url_value()), Some(a));
        }
        assert_eq!(Assignment::parse("-3"), None);
        assert_eq!(Assignment::parse("someone"), None);
        let cursor = Cursor {
            value: 1_795_824_000,
            id: 17,
        };
        assert_eq!(Cursor::parse(&cursor.url_value()), Some(cursor));
        assert_eq!(Cursor::parse("17"), None);
        assert_eq!(Cursor::parse("a.b"), None);
    }
}
