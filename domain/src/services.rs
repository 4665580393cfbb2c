//! Service requests, pure: their states and who moves them, the Palestinian working week and
//! expected dates, and the informal → formal paths per legal form. No I/O; unit-tested.
use crate::documents::DocumentType;
use crate::standing::{Refusal, Standing};
use crate::validation::Date;
use serde::{Deserialize, Serialize};

crate::keyed! {
    /// A request's state (`docs/workflow.md`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum RequestStatus {
        Requested = "requested",
        DocumentsPending = "documents_pending",
        InProgress = "in_progress",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

crate::keyed! {
    /// What someone does to a request.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum RequestAction {
        /// Staff: documents are missing (the message says which).
        MarkDocumentsMissing = "mark_documents_missing",
        /// The owner: the missing documents are now in the library.
        DocumentsProvided = "documents_provided",
        /// Staff: the file is complete; the first step begins.
        Start = "start",
        /// Staff: the current step is done; the next begins, or the request is completed after
        /// the last one.
        Advance = "advance",
        /// Staff or the owner: the request stops.
        Cancel = "cancel",
    }
}

impl RequestAction {
    /// Steps whose message is required: the person told must know why.
    pub fn needs_message(self) -> bool {
        matches!(self, RequestAction::MarkDocumentsMissing | RequestAction::Cancel)
    }
}

/// Where a request stands: its state and, in progress, the step (1-based) of how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub status: RequestStatus,
    /// 0 before the first step starts; `steps` once completed.
    pub step: u32,
    pub steps: u32,
}

/// The position after `who` takes `action`. Staff of the owner's chamber (advisors and
/// managers alike) move requests; the owner reports documents and may cancel; the Fund reads.
pub fn next_position(from: Position, action: RequestAction, who: Standing) -> Result<Position, Refusal> {
    use RequestAction as A;
    use RequestStatus as S;
    let staff = matches!(who, Standing::ChamberAdvisor | Standing::ChamberManager);
    let owner = who == Standing::Owner;
    let to = match (action, from.status) {
        (A::MarkDocumentsMissing, S::Requested) if staff => Position {
            status: S::DocumentsPending,
            ..from
        },
        (A::DocumentsProvided, S::DocumentsPending) if owner => Position {
            status: S::Requested,
            ..from
        },
        (A::Start, S::Requested | S::DocumentsPending) if staff => {
            if from.steps == 0 {
                Position {
                    status: S::Completed,
                    ..from
                }
            } else {
                // A request sent back for documents mid-way resumes its step.
                Position {
                    status: S::InProgress,
                    step: from.step.max(1),
                    ..from
                }
            }
        }
        (A::Advance, S::InProgress) if staff => {
            if from.step >= from.steps {
                Position {
                    status: S::Completed,
                    step: from.steps,
                    ..from
                }
            } else {
                Position {
                    step: from.step + 1,
                    ..from
                }
            }
        }
        // A mark of missing documents can follow a step in progress too (a ministry asks
        // for more); the request keeps its step.
        (A::MarkDocumentsMissing, S::InProgress) if staff => Position {
            status: S::DocumentsPending,
            ..from
        },
        (A::Cancel, S::Requested | S::DocumentsPending | S::InProgress) if staff || owner => Position {
            status: S::Cancelled,
            ..from
        },
        (A::MarkDocumentsMissing | A::DocumentsProvided | A::Start | A::Advance | A::Cancel, s)
            if !allowed_from(action, s) =>
        {
            return Err(Refusal::WrongState)
        }
        _ => return Err(Refusal::NotTheirs),
    };
    Ok(to)
}

/// Whether `action` starts from `status` for someone.
fn allowed_from(action: RequestAction, status: RequestStatus) -> bool {
    use RequestAction as A;
    use RequestStatus as S;
    matches!(
        (action, status),
        (A::MarkDocumentsMissing, S::Requested | S::InProgress)
            | (A::DocumentsProvided, S::DocumentsPending)
            | (A::Start, S::Requested | S::DocumentsPending)
            | (A::Advance, S::InProgress)
            | (A::Cancel, S::Requested | S::DocumentsPending | S::InProgress)
    )
}

/// The actions `who` may take at `from`, in the order the page offers them.
pub fn available_request_actions(from: Position, who: Standing) -> Vec<RequestAction> {
    RequestAction::ALL
        .into_iter()
        .filter(|a| next_position(from, *a, who).is_ok())
        .collect()
}

crate::keyed! {
    /// Days of the week, Monday first (ISO 8601).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Weekday {
        Mon = "mon",
        Tue = "tue",
        Wed = "wed",
        Thu = "thu",
        Fri = "fri",
        Sat = "sat",
        Sun = "sun",
    }
}

/// Days since 1970-01-01 (the inverse of `Date::from_unix`'s calendar arithmetic).
pub fn days_from_civil(date: Date) -> i64 {
    let y = i64::from(date.year) - i64::from(date.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(date.month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(date.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn weekday(date: Date) -> Weekday {
    // 1970-01-01 was a Thursday.
    Weekday::ALL[(days_from_civil(date) + 3).rem_euclid(7) as usize]
}

fn add_days(date: Date, days: i64) -> Date {
    Date::from_unix((days_from_civil(date) + days) * 86_400)
}

/// Which days offices work: every day but the weekend and the Fund's holidays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    pub weekend: Vec<Weekday>,
    /// Sorted ISO dates.
    pub holidays: Vec<String>,
}

impl Default for WorkCalendar {
    /// The Palestinian week: Friday and Saturday off.
    fn default() -> Self {
        WorkCalendar {
            weekend: vec![Weekday::Fri, Weekday::Sat],
            holidays: Vec::new(),
        }
    }
}

impl WorkCalendar {
    pub fn is_working_day(&self, date: Date) -> bool {
        !self.weekend.contains(&weekday(date)) && self.holidays.binary_search(&date.iso()).is_err()
    }

    /// The date `days` working days after `start` (the day the work begins does not count);
    /// 0 days is `start` itself. A week without working days cannot move anything: then
    /// `None`.
    pub fn add_working_days(&self, start: Date, days: u32) -> Option<Date> {
        if self.weekend.len() >= 7 {
            return (days == 0).then_some(start);
        }
        let mut date = start;
        let mut left = days;
        // Bounded: holidays cannot fill more than a few years.
        let mut guard = 0u32;
        while left > 0 {
            date = add_days(date, 1);
            guard += 1;
            if guard > days.saturating_mul(7).saturating_add(3660) {
                return None;
            }
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        Some(date)
    }

    /// Working days from `start` to `end`: the day the work began does not count, the day it
    /// ended does (the inverse of `add_working_days`). 0 when `end` is not after `start`.
    pub fn working_days_between(&self, start: Date, end: Date) -> u32 {
        let (first, last) = (days_from_civil(start), days_from_civil(end));
        // A request is not years long; the bound keeps a wrong clock from looping long.
        let span = (last - first).clamp(0, 3660);
        (1..=span)
            .filter(|offset| self.is_working_day(add_days(start, *offset)))
            .count() as u32
    }
}

/// Expected dates of each step of a request: the day each one is expected to end. Steps
/// before the current one have ended (`None`: their real dates are in the timeline); the
/// current one counts from the day it started; later ones follow it.
pub fn expected_ends(
    calendar: &WorkCalendar,
    position: Position,
    step_days: &[u32],
    current_started: Date,
    today: Date,
) -> Vec<Option<Date>> {
    let mut ends = Vec::with_capacity(step_days.len());
    let (mut cursor, first_open) = match position.status {
        RequestStatus::Completed | RequestStatus::Cancelled => return vec![None; step_days.len()],
        RequestStatus::InProgress if position.step >= 1 => (current_started, position.step as usize),
        // Not started yet: the work begins once the chamber starts it, at the earliest today.
        _ => (today, 1),
    };
    for (i, days) in step_days.iter().enumerate() {
        let number = i + 1;
        if number < first_open {
            ends.push(None);
            continue;
        }
        let end = calendar.add_working_days(cursor, *days);
        if let Some(end) = end {
            cursor = end;
        }
        ends.push(end);
    }
    ends
}

crate::keyed! {
    /// Legal forms a business can take, each with its path to formality.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum LegalForm {
        SoleTrader = "sole_trader",
        Partnership = "partnership",
        Company = "company",
        Cooperative = "cooperative",
    }
}

impl LegalForm {
    /// The catalogue's services, in order, that make a business of this form formal; the
    /// flag says whether the service is optional (a trademark protects a brand, but a
    /// business is formal without one).
    pub fn path(self) -> &'static [(&'static str, bool)] {
        match self {
            LegalForm::SoleTrader => &[("chamber_membership", false), ("trademark_registration", true)],
            LegalForm::Partnership | LegalForm::Company => &[
                ("company_registration", false),
                ("chamber_membership", false),
                ("trademark_registration", true),
            ],
            LegalForm::Cooperative => &[("cooperative_registration", false), ("trademark_registration", true)],
        }
    }
}

/// Which required document types the owner has (uploaded or verified; rejected ones do not
/// count), in the order required.
pub fn documents_ticked(required: &[DocumentType], held: &[DocumentType]) -> Vec<(DocumentType, bool)> {
    let mut seen = Vec::new();
    required
        .iter()
        .filter(|t| {
            let first = !seen.contains(*t);
            seen.push(**t);
            first
        })
        .map(|t| (*t, held.contains(t)))
        .collect()
}

/// Fees are integer minor units; `None` when the Fund has not entered one.
pub const FEE_MAX_MINOR: i64 = 100_000_000;
/// Longest expected duration of one step.
pub const STEP_DAYS_MAX: u32 = 400;
pub const STEPS_MAX: usize = 20;
pub const NAME_MAX: u32 = 120;
pub const NOTE_MAX: u32 = 2000;
pub const REQUESTS_OPEN_MAX: i64 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    fn at(status: RequestStatus, step: u32, steps: u32) -> Position {
        Position { status, step, steps }
    }

    #[test]
    fn working_days_between_skip_the_weekend_and_holidays() {
        let calendar = WorkCalendar {
            holidays: vec!["2026-12-01".into()],
            ..WorkCalendar::default()
        };
        // Thursday 26 Nov → Thursday 3 Dec: Sun, Mon, Wed, Thu (Fri, Sat off; Tue a holiday).
        assert_eq!(calendar.working_days_between(d("2026-11-26"), d("2026-12-03")), 4);
        assert_eq!(calendar.working_days_between(d("2026-11-26"), d("2026-11-26")), 0);
        assert_eq!(calendar.working_days_between(d("2026-12-03"), d("2026-11-26")), 0);
        // The inverse of add_working_days.
        let start = d("2026-11-26");
        for days in [1, 5, 17] {
            let end = calendar.add_working_days(start, days).expect("an end");
            assert_eq!(calendar.working_days_between(start, end), days);
        }
    }

    #[test]
    fn weekdays_follow_the_calendar() {
        assert_eq!(weekday(d("1970-01-01")), Weekday::Thu);
        assert_eq!(weekday(d("2026-11-27")), Weekday::Fri);
        assert_eq!(weekday(d("2026-11-28")), Weekday::Sat);
        assert_eq!(weekday(d("2024-02-29")), Weekday::Thu);
        for s in ["1999-12-31", "2000-02-29", "2026-11-30", "2031-03-01"] {
            assert_eq!(Date::from_unix(days_from_civil(d(s)) * 86_400), d(s), "{s}");
        }
    }

    #[test]
    fn working_days_skip_friday_saturday_and_holidays() {
        let week = WorkCalendar::default();
        // Thursday + 1 working day is Sunday.
        assert_eq!(week.add_working_days(d("2026-11-26"), 1), Some(d("2026-11-29")));
        // Sunday + 4 is the next Thursday; + 5 the Sunday after.
        assert_eq!(week.add_working_days(d("2026-11-29"), 4), Some(d("2026-12-03")));
        assert_eq!(week.add_working_days(d("2026-11-29"), 5), Some(d("2026-12-06")));
        assert_eq!(week.add_working_days(d("2026-11-27"), 0), Some(d("2026-11-27")));
        let with_holidays = WorkCalendar {
            holidays: vec!["2026-11-30".into(), "2026-12-01".into()],
            ..WorkCalendar::default()
        };
        assert_eq!(
            with_holidays.add_working_days(d("2026-11-29"), 1),
            Some(d("2026-12-02"))
        );
        assert!(!with_holidays.is_working_day(d("2026-11-30")));
        assert!(!with_holidays.is_working_day(d("2026-11-27")));
        assert!(with_holidays.is_working_day(d("2026-11-29")));
        // Another weekend, configured: Sunday off too.
        let long = WorkCalendar {
            weekend: vec![Weekday::Fri, Weekday::Sat, Weekday::Sun],
            holidays: vec![],
        };
        assert_eq!(long.add_working_days(d("2026-11-26"), 1), Some(d("2026-11-30")));
        let never = WorkCalendar {
            weekend: Weekday::ALL.to_vec(),
            holidays: vec![],
        };
        assert_eq!(never.add_working_days(d("2026-11-26"), 1), None);
    }

    #[test]
    fn expected_dates_count_from_the_current_step() {
        let week = WorkCalendar::default();
        // Trademark: filing 1, examination 20, publication 5, opposition 66, certificate 10.
        let days = [1, 20, 5, 66, 10];
        let waiting = expected_ends(
            &week,
            at(RequestStatus::Requested, 0, 5),
            &days,
            d("2026-01-01"),
            d("2026-11-29"),
        );
        assert_eq!(waiting[0], Some(d("2026-11-30")));
        assert_eq!(waiting.len(), 5);
        let in_opposition = expected_ends(
            &week,
            at(RequestStatus::InProgress, 4, 5),
            &days,
            d("2026-11-29"),
            d("2026-12-10"),
        );
        assert_eq!(&in_opposition[..3], &[None, None, None]);
        let opposition_end = week.add_working_days(d("2026-11-29"), 66);
        assert_eq!(in_opposition[3], opposition_end);
        assert_eq!(
            in_opposition[4],
            opposition_end.and_then(|e| week.add_working_days(e, 10))
        );
        assert!(expected_ends(
            &week,
            at(RequestStatus::Completed, 5, 5),
            &days,
            d("2026-11-29"),
            d("2026-11-29")
        )
        .iter()
        .all(Option::is_none));
    }

    #[test]
    fn every_state_action_and_standing_has_its_expected_answer() {
        use RequestAction as A;
        use RequestStatus as S;
        for status in RequestStatus::ALL {
            for action in RequestAction::ALL {
                for who in Standing::ALL {
                    let from = at(status, if status == S::InProgress { 2 } else { 0 }, 3);
                    let got = next_position(from, action, who);
                    let staff = matches!(who, Standing::ChamberAdvisor | Standing::ChamberManager);
                    let expected: Result<Position, Refusal> = match (action, status) {
                        (A::MarkDocumentsMissing, S::Requested | S::InProgress) if staff => {
                            Ok(at(S::DocumentsPending, from.step, 3))
                        }
                        (A::DocumentsProvided, S::DocumentsPending) if who == Standing::Owner => {
                            Ok(at(S::Requested, 0, 3))
                        }
                        (A::Start, S::Requested | S::DocumentsPending) if staff => Ok(at(S::InProgress, 1, 3)),
                        (A::Advance, S::InProgress) if staff => Ok(at(S::InProgress, 3, 3)),
                        (A::Cancel, S::Requested | S::DocumentsPending | S::InProgress)
                            if staff || who == Standing::Owner =>
                        {
                            Ok(at(S::Cancelled, from.step, 3))
                        }
                        (A::MarkDocumentsMissing, S::Requested | S::InProgress)
                        | (A::DocumentsProvided, S::DocumentsPending)
                        | (A::Start, S::Requested | S::DocumentsPending)
                        | (A::Advance, S::InProgress)
                        | (A::Cancel, S::Requested | S::DocumentsPending | S::InProgress) => Err(Refusal::NotTheirs),
                        _ => Err(Refusal::WrongState),
                    };
                    assert_eq!(got, expected, "{status:?} {action:?} {who:?}");
                }
            }
        }
    }

    #[test]
    fn the_last_step_completes_the_request() {
        let last = at(RequestStatus::InProgress, 3, 3);
        assert_eq!(
            next_position(last, RequestAction::Advance, Standing::ChamberAdvisor),
            Ok(at(RequestStatus::Completed, 3, 3))
        );
        assert_eq!(
            next_position(
                at(RequestStatus::Requested, 0, 0),
                RequestAction::Start,
                Standing::ChamberManager
            ),
            Ok(at(RequestStatus::Completed, 0, 0))
        );
        for done in [RequestStatus::Completed, RequestStatus::Cancelled] {
            assert!(available_request_actions(at(done, 3, 3), Standing::ChamberManager).is_empty());
            assert!(available_request_actions(at(done, 3, 3), Standing::Owner).is_empty());
        }
        assert!(available_request_actions(at(RequestStatus::InProgress, 1, 3), Standing::Fund).is_empty());
    }

    #[test]
    fn keys_round_trip() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::from_key(s.key()), Some(s));
        }
        for a in RequestAction::ALL {
            assert_eq!(RequestAction::from_key(a.key()), Some(a));
        }
        for w in Weekday::ALL {
            assert_eq!(Weekday::from_key(w.key()), Some(w));
        }
        for f in LegalForm::ALL {
            assert_eq!(LegalForm::from_key(f.key()), Some(f));
            assert!(!f.path().is_empty());
        }
    }

    #[test]
    fn required_documents_are_ticked_from_the_library_once_each() {
        use DocumentType as T;
        let ticked = documents_ticked(
            &[T::IdCopy, T::TrademarkSample, T::IdCopy],
            &[T::IdCopy, T::LeaseContract],
        );
        assert_eq!(ticked, vec![(T::IdCopy, true), (T::TrademarkSample, false)]);
    }
}
