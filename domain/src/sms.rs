//! Text messages (SMS): how many segments a text costs, the international form of a number,
//! the shape of a one-time code and the daily caps. Pure: the outbox, the provider and the
//! code store are in the server.
//!
//! An SMS is billed per segment. Text that fits the GSM 03.38 alphabet (Latin letters,
//! digits, common signs) goes as 7-bit characters: 160 in one segment, 153 per segment when
//! split (the rest carries the joining header). Anything else, Arabic included, goes as
//! UCS-2, counted in UTF-16 units: 70 in one segment, 67 per segment when split; a
//! character outside the basic plane (most emoji) takes two units and is never cut in half.
use crate::digits::normalize_digits;
use crate::validation::{self, Problem};

/// The two ways a text travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// What a text costs to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segments {
    pub encoding: Encoding,
    /// Septets (GSM) or UTF-16 units (UCS-2) of the whole text.
    pub units: usize,
    /// Segments billed; an empty text still costs one.
    pub count: usize,
}

/// The GSM 03.38 basic alphabet: one septet each.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u{1b}ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Its extension table: an escape septet and the character, two septets each.
const GSM_EXTENDED: &str = "\u{c}^{}\\[~]|€";

fn gsm_septets(c: char) -> Option<usize> {
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENDED.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// The segments `text` takes.
pub fn segments(text: &str) -> Segments {
    let septets: Option<Vec<usize>> = text.chars().map(gsm_septets).collect();
    match septets {
        Some(septets) => {
            let units: usize = septets.iter().sum();
            let count = if units <= 160 {
                1
            } else {
                // An escaped character is never split from its escape.
                pack(&septets, 153)
            };
            Segments {
                encoding: Encoding::Gsm7,
                units,
                count,
            }
        }
        None => {
            let widths: Vec<usize> = text.chars().map(char::len_utf16).collect();
            let units: usize = widths.iter().sum();
            let count = if units <= 70 { 1 } else { pack(&widths, 67) };
            Segments {
                encoding: Encoding::Ucs2,
                units,
                count,
            }
        }
    }
}

/// Segments of at most `room` units, filled in order without splitting a character.
fn pack(widths: &[usize], room: usize) -> usize {
    let mut count = 1;
    let mut used = 0;
    for &w in widths {
        if used + w > room {
            count += 1;
            used = 0;
        }
        used += w;
    }
    count
}

/// A mobile number in international form (E.164, `+970…`), from any way the portal accepts
/// it being typed. Palestinian mobile networks (Jawwal 059, Ooredoo 056) are reached through
/// +970; a number typed with +972 is the same subscriber and goes the same way.
pub fn international(phone: &str) -> Result<String, Problem> {
    let national = validation::phone(phone)?;
    match national.strip_prefix('0') {
        Some(subscriber) => Ok(format!("+970{subscriber}")),
        None => Err(Problem::InvalidPhone),
    }
}

/// A one-time code: this many digits.
pub const CODE_DIGITS: usize = 6;
/// How long a code works.
pub const CODE_VALID_SECS: i64 = 10 * 60;
/// Wrong tries after which a code is void.
pub const CODE_MAX_TRIES: i64 = 5;

/// The code as typed (Arabic-Indic digits, spaces and dashes allowed), or `None` when it
/// cannot be a code: exactly six digits.
pub fn code_as_typed(input: &str) -> Option<String> {
    let digits: String = normalize_digits(input.trim())
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .collect();
    (digits.len() == CODE_DIGITS && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// Six digits from a random number (the caller draws it from the operating system), with
/// leading zeros kept.
pub fn code_from(random: u32) -> String {
    format!("{:06}", random % 1_000_000)
}

/// The daily limits on what the portal sends, in messages (not segments).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    /// To one person in 24 hours.
    pub per_person_daily: i64,
    /// From the whole portal in 24 hours.
    pub global_daily: i64,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            per_person_daily: 10,
            global_daily: 5_000,
        }
    }
}

/// Why a message was not queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CapReached {
    Person,
    Global,
}

impl CapReached {
    pub fn key(self) -> &'static str {
        match self {
            CapReached::Person => "person_cap",
            CapReached::Global => "global_cap",
        }
    }
}

/// Whether one more message may go, given what went in the last 24 hours (to this number,
/// and from the portal).
pub fn within_caps(caps: Caps, to_person: i64, from_portal: i64) -> Result<(), CapReached> {
    if from_portal >= caps.global_daily {
        Err(CapReached::Global)
    } else if to_person >= caps.per_person_daily {
        Err(CapReached::Person)
    } else {
        Ok(())
    }
}

/// The first second (UTC) of the calendar month holding `now`, for "this month" figures.
pub fn month_start(now: i64) -> i64 {
    let today = crate::validation::Date::from_unix(now);
    let first = crate::validation::Date { day: 1, ..today };
    crate::services::days_from_civil(first) * 86_400
}

/// What `segments` cost at `per_segment` minor units each.
pub fn estimated_cost(segments: i64, per_segment: i64) -> i64 {
    segments.max(0).saturating_mul(per_segment.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_is_seven_bit() {
        let s = segments("Riyada: changes requested http://r.ps/plans/1#case");
        assert_eq!(s.encoding, Encoding::Gsm7);
        assert_eq!(s.count, 1);
        assert_eq!(segments(&"a".repeat(160)).count, 1);
        assert_eq!(segments(&"a".repeat(161)).count, 2);
        assert_eq!(segments(&"a".repeat(306)).count, 2);
        assert_eq!(segments(&"a".repeat(307)).count, 3);
        assert_eq!(segments("").count, 1, "an empty text still costs one");
    }

    #[test]
    fn extended_characters_take_two_septets_and_stay_whole() {
        assert_eq!(segments("{}").units, 4);
        assert_eq!(segments(&"€".repeat(80)).count, 1);
        assert_eq!(segments(&"€".repeat(81)).count, 2);
        // 152 septets then a two-septet character: it starts the second segment, which
        // then overflows into a third (306 septets would fit two segments if cut anywhere).
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(segments(&text).units, 306);
        assert_eq!(segments(&text).count, 3);
    }

    #[test]
    fn arabic_is_ucs2_seventy_then_sixty_seven() {
        let s = segments("ريادة: طُلبت تعديلات على خطتك");
        assert_eq!(s.encoding, Encoding::Ucs2);
        assert_eq!(s.count, 1);
        assert_eq!(segments(&"ب".repeat(70)).count, 1);
        assert_eq!(segments(&"ب".repeat(71)).count, 2);
        assert_eq!(segments(&"ب".repeat(134)).count, 2);
        assert_eq!(segments(&"ب".repeat(135)).count, 3);
    }

    #[test]
    fn one_arabic_letter_makes_latin_text_ucs2() {
        let latin = "a".repeat(69);
        assert_eq!(segments(&format!("{latin}ب")).count, 1);
        assert_eq!(segments(&format!("{latin}بب")).count, 2);
        assert_eq!(segments(&format!("{}ب", "a".repeat(100))).encoding, Encoding::Ucs2);
    }

    #[test]
    fn emoji_take_two_units_and_are_not_cut() {
        assert_eq!(segments("👍").units, 2);
        assert_eq!(segments(&"👍".repeat(35)).count, 1);
        assert_eq!(segments(&"👍".repeat(36)).count, 2);
        assert_eq!(segments(&format!("{}👍", "ب".repeat(68))).count, 1, "70 units fit one");
        // 66 units then an emoji: two units do not fit in the first 67, so it moves on.
        let text = format!("{}👍{}", "ب".repeat(66), "ب".repeat(66));
        assert_eq!(segments(&text).count, 3, "66 | 👍 + 65 | 1");
    }

    #[test]
    fn numbers_become_international() {
        for typed in [
            "0599123456",
            "+970599123456",
            "00970 59 912 3456",
            "+972599123456",
            "٠٥٩٩١٢٣٤٥٦",
        ] {
            assert_eq!(international(typed).as_deref(), Ok("+970599123456"), "{typed}");
        }
        assert_eq!(international("0569000111").as_deref(), Ok("+970569000111"));
        assert_eq!(international("0521234567"), Err(Problem::InvalidPhone));
        assert_eq!(international(""), Err(Problem::Required));
    }

    #[test]
    fn codes_are_six_digits_however_typed() {
        assert_eq!(code_as_typed(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(code_as_typed("١٢٣-٤٥٦").as_deref(), Some("123456"));
        assert_eq!(code_as_typed("12345"), None);
        assert_eq!(code_as_typed("1234567"), None);
        assert_eq!(code_as_typed("12a456"), None);
        assert_eq!(code_from(42), "000042");
        assert_eq!(code_from(u32::MAX), "967295");
    }

    #[test]
    fn this_month_starts_on_its_first_day_at_midnight_utc() {
        // 2026-11-30 02:00:00 UTC.
        let now = 1_796_004_000;
        assert_eq!(month_start(now), 1_793_491_200, "2026-11-01 00:00:00 UTC");
        assert_eq!(month_start(1_793_491_200), 1_793_491_200);
        assert_eq!(month_start(1_793_491_199), 1_790_812_800, "the last second of October");
        assert_eq!(estimated_cost(1_234, 8), 9_872);
        assert_eq!(estimated_cost(-1, 8), 0);
    }

    #[test]
    fn caps_stop_the_person_then_the_portal() {
        let caps = Caps {
            per_person_daily: 3,
            global_daily: 10,
        };
        assert_eq!(within_caps(caps, 2, 9), Ok(()));
        assert_eq!(within_caps(caps, 3, 5), Err(CapReached::Person));
        assert_eq!(within_caps(caps, 0, 10), Err(CapReached::Global));
        assert_eq!(within_caps(caps, 3, 10), Err(CapReached::Global));
    }
}
