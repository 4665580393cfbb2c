//! The establishments register, pure: why a project is counted as an establishment, what
//! staff may type for its registration numbers and follow-up visits, and where it stands
//! after its latest visit (`docs/establishments.md`). No I/O; unit-tested.
use crate::digits::normalize_digits;
use crate::validation::{bounded_text, Date, Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

crate::keyed! {
    /// What made the project an establishment (the first of them; later ones add nothing).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum EstablishmentSource {
        /// Its plan reached `operating`.
        Operating = "operating",
        /// Its owner's chamber-membership request was completed.
        ChamberMembership = "chamber_membership",
        /// Its owner's company-registration request was completed.
        CompanyRegistration = "company_registration",
    }
}

impl EstablishmentSource {
    /// The source a completed request of the service with `code` gives, if any.
    pub fn of_service(code: &str) -> Option<EstablishmentSource> {
        match code {
            "chamber_membership" => Some(EstablishmentSource::ChamberMembership),
            "company_registration" => Some(EstablishmentSource::CompanyRegistration),
            _ => None,
        }
    }
}

crate::keyed! {
    /// Where an establishment stands after its latest follow-up visit.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum EstablishmentStanding {
        NotVisited = "not_visited",
        Operating = "operating",
        Closed = "closed",
    }
}

impl EstablishmentStanding {
    /// From the latest visit's answer to "still operating?" (`None`: no visit yet).
    pub fn of_latest(operating: Option<bool>) -> EstablishmentStanding {
        match operating {
            None => EstablishmentStanding::NotVisited,
            Some(true) => EstablishmentStanding::Operating,
            Some(false) => EstablishmentStanding::Closed,
        }
    }
}

/// A registration number's length limit (characters).
pub const REGISTRATION_NUMBER_MAX: u32 = 30;
/// An establishment's name (as staff correct it): 2 to 120 characters.
pub const ESTABLISHMENT_NAME_MIN: u32 = 2;
pub const ESTABLISHMENT_NAME_MAX: u32 = 120;
/// Jobs filled of one gender at one visit.
pub const VISIT_JOBS_MAX: i64 = 9_999;
/// A visit's note (characters).
pub const VISIT_NOTE_MAX: u32 = 1_000;
/// The earliest day a visit may be dated (the programme's first year).
pub const FIRST_VISIT_DAY: Date = Date {
    year: 2015,
    month: 1,
    day: 1,
};

/// A registration number as typed by staff (chamber membership, company register, tax
/// file): digits in any digit system (kept as ASCII), Latin letters, `-`, `/` and spaces;
/// at least one digit. Blank is "not known yet" (`None`).
pub fn registration_number(input: &str) -> Result<Option<String>, Problem> {
    let normal = normalize_digits(input).split_whitespace().collect::<Vec<_>>().join(" ");
    if normal.is_empty() {
        return Ok(None);
    }
    if normal.chars().count() as u32 > REGISTRATION_NUMBER_MAX {
        return Err(Problem::TooLong {
            max: REGISTRATION_NUMBER_MAX,
        });
    }
    let allowed = normal
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | ' '));
    if !allowed || !normal.chars().any(|c| c.is_ascii_digit()) {
        return Err(Problem::InvalidRegistrationNumber);
    }
    Ok(Some(normal.to_uppercase()))
}

/// A follow-up visit as typed, before checking.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitInput {
    /// `YYYY-MM-DD`.
    pub visited_on: String,
    pub jobs_women: String,
    pub jobs_men: String,
    /// `yes` or `no` (radio buttons); anything else is unanswered.
    pub operating: String,
    pub note: String,
}

/// A visit, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub visited_on: Date,
    pub jobs_women: i64,
    pub jobs_men: i64,
    pub operating: bool,
    pub note: Option<String>,
}

/// Checks a visit typed on `today`: a real day between the programme's start and today,
/// whole job counts from 0 to 9,999 in any digit system, an answer to "still operating?",
/// and no jobs at an establishment found closed. Every problem is reported at once.
pub fn visit(input: &VisitInput, today: Date) -> Result<Visit, Vec<FieldError>> {
    let mut problems = Vec::new();
    let visited_on = match input.visited_on.trim() {
        "" => {
            problems.push(FieldError::new(Field::VisitDate, Problem::Required));
            None
        }
        text => match Date::parse(text) {
            Some(day) if day > today => {
                problems.push(FieldError::new(Field::VisitDate, Problem::FutureDate));
                None
            }
            Some(day) if day < FIRST_VISIT_DAY => {
                problems.push(FieldError::new(Field::VisitDate, Problem::InvalidDate));
                None
            }
            Some(day) => Some(day),
            None => {
                problems.push(FieldError::new(Field::VisitDate, Problem::InvalidDate));
                None
            }
        },
    };
    let mut jobs = |text: &str, field| match job_count(text) {
        Ok(n) => Some(n),
        Err(problem) => {
            problems.push(FieldError::new(field, problem));
            None
        }
    };
    let jobs_women = jobs(&input.jobs_women, Field::JobsWomen);
    let jobs_men = jobs(&input.jobs_men, Field::JobsMen);
    let operating = match input.operating.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            problems.push(FieldError::new(Field::StillOperating, Problem::Required));
            None
        }
    };
    if operating == Some(false) && (jobs_women.unwrap_or(0) > 0 || jobs_men.unwrap_or(0) > 0) {
        problems.push(FieldError::new(Field::JobsWomen, Problem::JobsAtClosed));
    }
    let note = match input.note.trim() {
        "" => None,
        text => match bounded_text(text, 1, VISIT_NOTE_MAX) {
            Ok(note) => Some(note),
            Err(problem) => {
                problems.push(FieldError::new(Field::Note, problem));
                None
            }
        },
    };
    match (visited_on, jobs_women, jobs_men, operating) {
        (Some(visited_on), Some(jobs_women), Some(jobs_men), Some(operating)) if problems.is_empty() => Ok(Visit {
            visited_on,
            jobs_women,
            jobs_men,
            operating,
            note,
        }),
        _ => Err(problems),
    }
}

/// A whole number of jobs, 0 to `VISIT_JOBS_MAX`; blank is 0.
fn job_count(input: &str) -> Result<i64, Problem> {
    let normal = normalize_digits(input.trim());
    if normal.is_empty() {
        return Ok(0);
    }
    if normal.starts_with('-') {
        return Err(Problem::Negative);
    }
    if normal.contains(['.', ',']) {
        return Err(Problem::WholeNumber);
    }
    let n: i64 = normal.parse().map_err(|_| Problem::InvalidNumber)?;
    if n > VISIT_JOBS_MAX {
        return Err(Problem::OutOfRange {
            min: 0,
            max: VISIT_JOBS_MAX,
        });
    }
    Ok(n)
}

/// An establishment's name as staff correct it.
pub fn establishment_name(input: &str) -> Result<String, Problem> {
    bounded_text(input, ESTABLISHMENT_NAME_MIN, ESTABLISHMENT_NAME_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 29,
    };

    fn input(day: &str, women: &str, men: &str, operating: &str) -> VisitInput {
        VisitInput {
            visited_on: day.into(),
            jobs_women: women.into(),
            jobs_men: men.into(),
            operating: operating.into(),
            note: String::new(),
        }
    }

    fn problems(input: &VisitInput) -> Vec<(Field, Problem)> {
        match visit(input, TODAY) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn a_visit_reads_arabic_digits_and_blank_counts_as_zero() {
        let read = visit(&input("٢٠٢٦-١١-٠٣", "٣", "", "yes"), TODAY).expect("valid");
        assert_eq!(read.visited_on.iso(), "2026-11-03");
        assert_eq!((read.jobs_women, read.jobs_men, read.operating), (3, 0, true));
        assert_eq!(read.note, None);
    }

    #[test]
    fn every_problem_of_a_visit_is_told_at_once() {
        assert_eq!(
            problems(&input("", "x", "-1", "")),
            vec![
                (Field::VisitDate, Problem::Required),
                (Field::JobsWomen, Problem::InvalidNumber),
                (Field::JobsMen, Problem::Negative),
                (Field::StillOperating, Problem::Required),
            ]
        );
        assert_eq!(
            problems(&input("2026-11-30", "1.5", "10000", "yes")),
            vec![
                (Field::VisitDate, Problem::FutureDate),
                (Field::JobsWomen, Problem::WholeNumber),
                (Field::JobsMen, Problem::OutOfRange { min: 0, max: 9_999 }),
            ]
        );
        assert_eq!(
            problems(&input("2014-12-31", "0", "0", "no")),
            vec![(Field::VisitDate, Problem::InvalidDate)]
        );
        assert_eq!(
            problems(&input("2026-02-30", "0", "0", "no")),
            vec![(Field::VisitDate, Problem::InvalidDate)]
        );
    }

    #[test]
    fn a_closed_establishment_employs_nobody() {
        assert_eq!(
            problems(&input("2026-11-29", "0", "2", "no")),
            vec![(Field::JobsWomen, Problem::JobsAtClosed)]
        );
        assert!(visit(&input("2026-11-29", "0", "0", "no"), TODAY).is_ok_and(|v| !v.operating));
    }

    #[test]
    fn registration_numbers_keep_digits_letters_and_separators() {
        assert_eq!(registration_number("  "), Ok(None));
        assert_eq!(
            registration_number("٥٦٢-٣٣٠/ب"),
            Err(Problem::InvalidRegistrationNumber)
        );
        assert_eq!(registration_number(" ٥٦٢  ٣٣٠ "), Ok(Some("562 330".into())));
        assert_eq!(registration_number("gz-2026/114"), Ok(Some("GZ-2026/114".into())));
        assert_eq!(registration_number("abc"), Err(Problem::InvalidRegistrationNumber));
        assert_eq!(registration_number("=1+2"), Err(Problem::InvalidRegistrationNumber));
        assert_eq!(registration_number(&"1".repeat(31)), Err(Problem::TooLong { max: 30 }));
    }

    #[test]
    fn sources_and_standing() {
        assert_eq!(
            EstablishmentSource::of_service("company_registration"),
            Some(EstablishmentSource::CompanyRegistration)
        );
        assert_eq!(EstablishmentSource::of_service("training"), None);
        assert_eq!(
            EstablishmentStanding::of_latest(None),
            EstablishmentStanding::NotVisited
        );
        assert_eq!(
            EstablishmentStanding::of_latest(Some(false)),
            EstablishmentStanding::Closed
        );
    }
}
