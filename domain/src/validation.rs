//! Validation of what people type. Every function is pure and returns typed problems; the UI
//! turns them into Arabic or English sentences through the i18n catalogue.
use super::digits::normalize_digits;
use serde::{Deserialize, Serialize};

crate::keyed! {
    /// Which input a problem is about.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Field {
        FullName = "full_name",
        Phone = "phone",
        Email = "email",
        Password = "password",
        CurrentPassword = "current_password",
        /// The current password, asked for when the sign-in contact details change.
        ContactPassword = "contact_password",
        Gender = "gender",
        BirthDate = "birth_date",
        Governorate = "governorate",
        Chamber = "chamber",
        Role = "role",
        Identifier = "identifier",
        PlanTitle = "plan_title",
        Currency = "currency",
        SectionBody = "section_body",
        RejectReason = "reject_reason",
        Message = "message",
        Advisor = "advisor",
        Service = "service",
        Plan = "plan",
        Note = "note",
        ServiceName = "service_name",
        StepName = "step_name",
        Office = "office",
        Fee = "fee",
        WorkingDays = "working_days",
        Day = "day",
        HolidayName = "holiday_name",
        Weekend = "weekend",
        Search = "search",
        SubmittedFrom = "submitted_from",
        SubmittedTo = "submitted_to",
        Score = "score",
        Recommendation = "recommendation",
        AbstainReason = "abstain_reason",
        Rubric = "rubric",
        /// A review comment, its reply or the entrepreneur's answer.
        Comment = "comment",
        /// Where a comment is pinned (a section or one row of a table).
        CommentPin = "comment_pin",
        /// A canonical job title the Fund maps variants to.
        JobTitle = "job_title",
        /// An establishment's name, its registration numbers and its follow-up visits.
        EstablishmentName = "establishment_name",
        ChamberNumber = "chamber_number",
        CompanyNumber = "company_number",
        TaxNumber = "tax_number",
        VisitDate = "visit_date",
        JobsWomen = "jobs_women",
        JobsMen = "jobs_men",
        StillOperating = "still_operating",
        /// A one-time code sent by SMS.
        Code = "code",
    }
}

/// What is wrong with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Problem {
    Required,
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    InvalidPhone,
    InvalidEmail,
    InvalidDate,
    AgeOutOfRange {
        min: u32,
        max: u32,
    },
    Taken,
    UnknownChoice,
    ControlCharacters,
    /// The current password typed does not match.
    Mismatch,
    /// A limit on how many of something one person may have.
    TooMany {
        max: u32,
    },
    /// Not a number (letters, two decimal points…).
    InvalidNumber,
    /// A whole number was expected.
    WholeNumber,
    TooManyDecimals {
        max: u32,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    Negative,
    AmountTooLarge,
    /// A one-time code that is wrong, used, expired or void after too many tries.
    WrongCode,
    /// Women plus men are more than the positions counted.
    OverCount,
    /// More holders under 30 than the positions counted.
    YouthOverCount,
    TooManyRows {
        max: u32,
    },
    /// Not a month written as YYYY-MM.
    InvalidMonth,
    /// The Fund changed the rubric after the score form was opened.
    RubricChanged,
    /// A day after today where only past days make sense (a visit made).
    FutureDate,
    /// Not a registration number (digits, Latin letters, `-`, `/`).
    InvalidRegistrationNumber,
    /// Jobs counted at an establishment found closed.
    JobsAtClosed,
    /// Her case is with her chamber: only its manager or the Fund moves it elsewhere.
    CaseWithChamber,
    /// A new mobile number or e-mail (ways to sign in and to reset the password) without
    /// the current password.
    PasswordForContact,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        FieldError { field, problem }
    }
}

pub const NAME_MIN: u32 = 3;
pub const NAME_MAX: u32 = 100;
pub const PASSWORD_MIN: u32 = 8;
pub const PASSWORD_MAX: u32 = 128;
pub const EMAIL_MAX: u32 = 254;
pub const MIN_AGE: u32 = 16;
pub const MAX_AGE: u32 = 100;

crate::keyed! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Gender {
        Female = "female",
        Male = "male",
    }
}

fn has_control_characters(s: &str) -> bool {
    // Bidi overrides and isolates (U+202A..U+202E, U+2066..U+2069) can make a name display
    // as something else; ordinary control characters have no place in a name either.
    s.chars()
        .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c))
}

/// Text written in paragraphs (a comment, a message to the entrepreneur): line breaks are
/// kept (Windows ones become `\n`, more than one empty line becomes one), spaces within a
/// line are folded, and `min`..=`max` characters are required.
pub fn multiline_text(input: &str, min: u32, max: u32) -> Result<String, Problem> {
    let mut lines: Vec<String> = Vec::new();
    for line in input.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let folded = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if folded.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(folded);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let text = lines.join("\n");
    let len = text.chars().count() as u32;
    if len == 0 {
        Err(Problem::Required)
    } else if lines.iter().any(|l| has_control_characters(l)) {
        Err(Problem::ControlCharacters)
    } else if len < min {
        Err(Problem::TooShort { min })
    } else if len > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(text)
    }
}

/// A person's full name: trimmed, inner runs of spaces folded, 3 to 100 characters.
pub fn full_name(input: &str) -> Result<String, Problem> {
    bounded_text(input, NAME_MIN, NAME_MAX)
}

/// A short text such as a plan title: trimmed, inner spaces folded, `min..=max` characters,
/// no control or bidi-override characters.
pub fn bounded_text(input: &str, min: u32, max: u32) -> Result<String, Problem> {
    let folded = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = folded.chars().count() as u32;
    if len == 0 {
        Err(Problem::Required)
    } else if has_control_characters(&folded) {
        Err(Problem::ControlCharacters)
    } else if len < min {
        Err(Problem::TooShort { min })
    } else if len > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(folded)
    }
}

/// A Palestinian mobile number (Jawwal 059, Ooredoo 056), typed in any digit system, as
/// `059…`, `+970 59…`, `+972 59…`, `00970…` or `00972…`. Returns the national form
/// `05XXXXXXXX`, so the same phone typed two ways is recognised as one.
pub fn phone(input: &str) -> Result<String, Problem> {
    let normal = normalize_digits(input.trim());
    if normal.is_empty() {
        return Err(Problem::Required);
    }
    let mut compact = String::with_capacity(normal.len());
    for (i, c) in normal.chars().enumerate() {
        match c {
            '0'..='9' => compact.push(c),
            '+' if i == 0 => compact.push(c),
            ' ' | '-' | '(' | ')' | '.' => {}
            _ => return Err(Problem::InvalidPhone),
        }
    }
    let subscriber = if let Some(rest) = compact
        .strip_prefix("+970")
        .or_else(|| compact.strip_prefix("+972"))
        .or_else(|| compact.strip_prefix("00970"))
        .or_else(|| compact.strip_prefix("00972"))
    {
        // Some people keep the trunk zero after the country code: +970 059…
        rest.strip_prefix('0').unwrap_or(rest).to_string()
    } else if let Some(rest) = compact.strip_prefix('0') {
        rest.to_string()
    } else {
        return Err(Problem::InvalidPhone);
    };
    let valid = subscriber.len() == 9
        && (subscriber.starts_with("59") || subscriber.starts_with("56"))
        && subscriber.chars().all(|c| c.is_ascii_digit());
    if valid {
        Ok(format!("0{subscriber}"))
    } else {
        Err(Problem::InvalidPhone)
    }
}

/// An optional e-mail address: empty means none. Lower-cased; a deliberately simple shape
/// check (one `@`, a dot in the domain, no spaces) — the real check is a message that arrives.
pub fn optional_email(input: &str) -> Result<Option<String>, Problem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    email(trimmed).map(Some)
}

pub fn email(input: &str) -> Result<String, Problem> {
    let trimmed = input.trim().to_lowercase();
    if trimmed.is_empty() {
        return Err(Problem::Required);
    }
    if trimmed.chars().count() as u32 > EMAIL_MAX {
        return Err(Problem::TooLong { max: EMAIL_MAX });
    }
    let mut parts = trimmed.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Problem::InvalidEmail);
    };
    let domain_ok =
        domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains("..");
    if local.is_empty() || !domain_ok || trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Problem::InvalidEmail);
    }
    Ok(trimmed)
}

/// A new password: 8 to 128 characters. Length is what matters; no composition rules.
pub fn new_password(input: &str) -> Result<(), Problem> {
    let len = input.chars().count() as u32;
    if len == 0 {
        Err(Problem::Required)
    } else if len < PASSWORD_MIN {
        Err(Problem::TooShort { min: PASSWORD_MIN })
    } else if len > PASSWORD_MAX {
        Err(Problem::TooLong { max: PASSWORD_MAX })
    } else {
        Ok(())
    }
}

/// A calendar date `(year, month, day)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD` (the value of an `<input type="date">`), in any digit system.
    pub fn parse(input: &str) -> Option<Date> {
        let normal = normalize_digits(input.trim());
        let mut parts = normal.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return None;
        };
        if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= days_in_month(date.year, date.month))
            .then_some(date)
    }

    /// The UTC calendar date of a Unix time (seconds), by the days-from-civil algorithm.
    pub fn from_unix(secs: i64) -> Date {
        let days = secs.div_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The Unix time (seconds) of this date's midnight, UTC; the inverse of `from_unix`.
    pub fn unix_midnight(&self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year - era * 400;
        let month = i64::from(self.month);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146_097 + doe - 719_468) * 86_400
    }

    /// The same day `years` earlier; 29 February becomes 28 February in a common year.
    pub fn years_before(&self, years: i32) -> Date {
        let year = self.year - years;
        Date {
            year,
            month: self.month,
            day: self.day.min(days_in_month(year, self.month)),
        }
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Whole years from `self` to `on`.
    pub fn age_on(&self, on: Date) -> i32 {
        let mut age = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            age -= 1;
        }
        age
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Date of birth: a real date making the person 16 to 100 years old on `today`.
/// A period typed in a search form as two optional days (`YYYY-MM-DD`, both inclusive):
/// blank is no limit; a day that does not read, and an end before the start, are problems
/// named by their field (`SubmittedFrom`, `SubmittedTo`).
pub fn period(from: &str, to: &str) -> (Option<Date>, Option<Date>, Vec<FieldError>) {
    let mut problems = Vec::new();
    let mut day = |text: &str, field| match text.trim() {
        "" => None,
        text => Date::parse(text).or_else(|| {
            problems.push(FieldError::new(field, Problem::InvalidDate));
            None
        }),
    };
    let from = day(from, Field::SubmittedFrom);
    let to = day(to, Field::SubmittedTo);
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            problems.push(FieldError::new(Field::SubmittedTo, Problem::InvalidDate));
        }
    }
    (from, to, problems)
}

pub fn birth_date(input: &str, today: Date) -> Result<Date, Problem> {
    if input.trim().is_empty() {
        return Err(Problem::Required);
    }
    let date = Date::parse(input).ok_or(Problem::InvalidDate)?;
    let age = date.age_on(today);
    if age < MIN_AGE as i32 || age > MAX_AGE as i32 {
        return Err(Problem::AgeOutOfRange {
            min: MIN_AGE,
            max: MAX_AGE,
        });
    }
    Ok(date)
}

/// Registration input as typed, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
// Every field defaults to empty: an unchecked radio or a missing field is a
// validation error for the person, not a malformed request.
#[serde(default)]
pub struct RegistrationInput {
    pub full_name: String,
    pub phone: String,
    pub email: String,
    pub password: String,
    /// A closed choice: anything but `female`/`male` does not even read.
    #[serde(deserialize_with = "crate::keys::optional_key")]
    pub gender: Option<Gender>,
    pub birth_date: String,
    pub governorate: String,
    pub chamber: String,
}

/// Registration input after validation. Whether the governorate and chamber exist is
/// checked against the database by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub full_name: String,
    pub phone: String,
    pub email: Option<String>,
    pub gender: Gender,
    pub birth_date: Date,
    pub governorate: String,
    pub chamber: Option<String>,
}

/// Keeps the value, or records the problem against `field` (so a form reports every
/// problem at once).
pub fn collect<T>(errors: &mut Vec<FieldError>, field: Field, result: Result<T, Problem>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(problem) => {
            errors.push(FieldError::new(field, problem));
            None
        }
    }
}

fn required_choice(input: &str) -> Result<String, Problem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        Err(Problem::Required)
    } else if trimmed.len() > 64
        || !trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        Err(Problem::UnknownChoice)
    } else {
        Ok(trimmed.to_string())
    }
}

fn optional_choice(input: &str) -> Result<Option<String>, Problem> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        required_choice(input).map(Some)
    }
}

/// Validates every field at once, so the person sees all problems in one go.
pub fn registration(input: &RegistrationInput, today: Date) -> Result<Registration, Vec<FieldError>> {
    let mut errors = Vec::new();
    let full_name = collect(&mut errors, Field::FullName, full_name(&input.full_name));
    let phone = collect(&mut errors, Field::Phone, phone(&input.phone));
    let email = collect(&mut errors, Field::Email, optional_email(&input.email));
    collect(&mut errors, Field::Password, new_password(&input.password));
    let gender = collect(&mut errors, Field::Gender, input.gender.ok_or(Problem::Required));
    let birth_date = collect(&mut errors, Field::BirthDate, birth_date(&input.birth_date, today));
    let governorate = collect(&mut errors, Field::Governorate, required_choice(&input.governorate));
    let chamber = collect(&mut errors, Field::Chamber, optional_choice(&input.chamber));
    match (full_name, phone, email, gender, birth_date, governorate, chamber) {
        (
            Some(full_name),
            Some(phone),
            Some(email),
            Some(gender),
            Some(birth_date),
            Some(governorate),
            Some(chamber),
        ) if errors.is_empty() => Ok(Registration {
            full_name,
            phone,
            email,
            gender,
            birth_date,
            governorate,
            chamber,
        }),
        _ => Err(errors),
    }
}

/// A chamber or governorate code as sent by a form.
pub fn choice(input: &str) -> Result<String, Problem> {
    required_choice(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_names_what_does_not_read() {
        let (from, to, problems) = period(" 2026-01-01 ", "2026-01-31");
        assert_eq!(
            (from.map(|d| d.iso()), to.map(|d| d.iso())),
            (Some("2026-01-01".into()), Some("2026-01-31".into()))
        );
        assert!(problems.is_empty());
        assert_eq!(period("", ""), (None, None, Vec::new()));
        let (_, _, problems) = period("2026-02-30", "soon");
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, [Field::SubmittedFrom, Field::SubmittedTo]);
        let (_, _, problems) = period("2026-03-02", "2026-03-01");
        assert_eq!(problems, [FieldError::new(Field::SubmittedTo, Problem::InvalidDate)]);
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 27,
    };

    #[test]
    fn paragraphs_keep_their_lines_and_lose_the_noise() {
        assert_eq!(
            multiline_text("  الدراسة   السوقية:\r\n\r\n\r\n- وسّعي  العينة \n\n", 3, 100).as_deref(),
            Ok("الدراسة السوقية:\n\n- وسّعي العينة")
        );
        assert_eq!(multiline_text(" \n\t\n ", 3, 100), Err(Problem::Required));
        assert_eq!(multiline_text("ab", 3, 100), Err(Problem::TooShort { min: 3 }));
        assert_eq!(
            multiline_text(&"ب".repeat(11), 3, 10),
            Err(Problem::TooLong { max: 10 })
        );
        assert_eq!(
            multiline_text("abc\u{202E}def", 3, 100),
            Err(Problem::ControlCharacters)
        );
        assert_eq!(
            multiline_text("abc\u{0007}def", 3, 100),
            Err(Problem::ControlCharacters)
        );
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(full_name("  سارة   أحمد  ").as_deref(), Ok("سارة أحمد"));
        assert_eq!(full_name("   "), Err(Problem::Required));
        assert_eq!(full_name("ab"), Err(Problem::TooShort { min: 3 }));
        assert_eq!(full_name(&"ب".repeat(101)), Err(Problem::TooLong { max: 100 }));
        assert_eq!(full_name("abc\u{202E}def"), Err(Problem::ControlCharacters));
    }

    #[test]
    fn palestinian_mobiles_in_every_form_become_one_national_form() {
        for typed in [
            "0599123456",
            "059 912 3456",
            "059-912-3456",
            "+970599123456",
            "+972 59 912 3456",
            "00970599123456",
            "00972599123456",
            "+9700599123456",
            "٠٥٩٩١٢٣٤٥٦",
            "۰۵۹۹۱۲۳۴۵۶",
        ] {
            assert_eq!(phone(typed).as_deref(), Ok("0599123456"), "{typed}");
        }
        assert_eq!(phone("0569123456").as_deref(), Ok("0569123456"));
    }

    #[test]
    fn malformed_phones_are_refused() {
        assert_eq!(phone(""), Err(Problem::Required));
        for typed in [
            "0591234",
            "05991234567",
            "0529123456",
            "+1 599123456",
            "059912345a",
            "599123456",
            "02 2981234",
        ] {
            assert_eq!(phone(typed), Err(Problem::InvalidPhone), "{typed}");
        }
    }

    #[test]
    fn emails_are_optional_lower_cased_and_shape_checked() {
        assert_eq!(optional_email(""), Ok(None));
        assert_eq!(
            optional_email(" Sara@Example.PS ").unwrap(),
            Some("sara@example.ps".into())
        );
        for bad in [
            "sara",
            "sara@",
            "@x.ps",
            "sara@ps",
            "sa ra@x.ps",
            "a@b@c.ps",
            "a@.ps",
            "a@x..ps",
        ] {
            assert_eq!(optional_email(bad), Err(Problem::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn passwords_need_eight_characters() {
        assert_eq!(new_password(""), Err(Problem::Required));
        assert_eq!(new_password("1234567"), Err(Problem::TooShort { min: 8 }));
        assert_eq!(new_password("12345678"), Ok(()));
        assert_eq!(new_password("كلمةسرطويلة"), Ok(()));
        assert_eq!(new_password(&"x".repeat(129)), Err(Problem::TooLong { max: 128 }));
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            Date::parse("2000-02-29"),
            Some(Date {
                year: 2000,
                month: 2,
                day: 29
            })
        );
        assert_eq!(
            Date::parse("٢٠٠٠-٠٢-٢٩"),
            Some(Date {
                year: 2000,
                month: 2,
                day: 29
            })
        );
        assert_eq!(Date::parse("1900-02-29"), None);
        assert_eq!(Date::parse("2001-13-01"), None);
        assert_eq!(Date::parse("2001-1"), None);
        assert_eq!(Date::parse("01-01-2001"), None);
    }

    #[test]
    fn unix_times_become_calendar_dates() {
        assert_eq!(Date::from_unix(0).iso(), "1970-01-01");
        assert_eq!(Date::from_unix(951_782_400).iso(), "2000-02-29");
        assert_eq!(Date::from_unix(1_795_737_599).iso(), "2026-11-26");
        assert_eq!(Date::from_unix(-86_400).iso(), "1969-12-31");
    }

    #[test]
    fn birth_dates_need_an_age_between_16_and_100() {
        assert!(birth_date("2010-11-27", TODAY).is_ok());
        assert_eq!(
            birth_date("2010-11-28", TODAY),
            Err(Problem::AgeOutOfRange { min: 16, max: 100 })
        );
        assert_eq!(
            birth_date("1920-01-01", TODAY),
            Err(Problem::AgeOutOfRange { min: 16, max: 100 })
        );
        assert_eq!(birth_date("", TODAY), Err(Problem::Required));
        assert_eq!(birth_date("yesterday", TODAY), Err(Problem::InvalidDate));
    }

    fn good_input() -> RegistrationInput {
        RegistrationInput {
            full_name: "سارة أحمد".into(),
            phone: "0599123456".into(),
            email: String::new(),
            password: "correct horse".into(),
            gender: Some(Gender::Female),
            birth_date: "1995-05-01".into(),
            governorate: "gaza".into(),
            chamber: String::new(),
        }
    }

    #[test]
    fn a_complete_registration_validates() {
        let reg = registration(&good_input(), TODAY).unwrap();
        assert_eq!(reg.gender, Gender::Female);
        assert_eq!(reg.chamber, None);
        assert_eq!(reg.birth_date.iso(), "1995-05-01");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = registration(&RegistrationInput::default(), TODAY).unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::FullName,
                Field::Phone,
                Field::Password,
                Field::Gender,
                Field::BirthDate,
                Field::Governorate
            ]
        );
        assert!(errors.iter().all(|e| e.problem == Problem::Required));
    }

    #[test]
    fn odd_choice_values_are_refused() {
        let mut input = good_input();
        input.governorate = "../etc".into();
        let errors = registration(&input, TODAY).unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new(Field::Governorate, Problem::UnknownChoice)]
        );
        // A gender outside the closed list is not a registration at all.
        assert!(serde_json::from_str::<RegistrationInput>(r#"{"gender": "other"}"#).is_err());
        let female: RegistrationInput = serde_json::from_str(r#"{"gender": "female"}"#).unwrap();
        assert_eq!(female.gender, Some(Gender::Female));
    }
}
