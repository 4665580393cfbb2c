//! Digit normalisation: people type numbers with Arabic-Indic (٠-٩), Eastern Arabic-Indic
//! (۰-۹) or Latin digits, depending on their keyboard. Everything is stored in Latin digits.

/// Maps one character to its Latin digit, if it is a digit in any of the three systems.
fn latin_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        _ => None,
    }
}

/// Replaces Arabic-Indic and Eastern Arabic-Indic digits by Latin ones, the Arabic decimal
/// separator (٫) by `.`, and drops the Arabic thousands separator (٬). Other characters are
/// kept as they are.
pub fn normalize_digits(input: &str) -> String {
    input
        .chars()
        .filter(|c| *c != '\u{066C}')
        .map(|c| match c {
            '\u{066B}' => '.',
            other => latin_digit(other).unwrap_or(other),
        })
        .collect()
}

/// Parses a whole non-negative number typed in any digit system, allowing thousands
/// separators (`,` or `٬`) and surrounding spaces. Returns `None` for anything else.
pub fn parse_whole_number(input: &str) -> Option<u64> {
    let normal = normalize_digits(input.trim());
    let digits: String = normal.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_digits_are_unchanged() {
        assert_eq!(normalize_digits("0123456789"), "0123456789");
    }

    #[test]
    fn arabic_indic_digits_become_latin() {
        assert_eq!(normalize_digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
    }

    #[test]
    fn eastern_arabic_indic_digits_become_latin() {
        assert_eq!(normalize_digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
    }

    #[test]
    fn arabic_separators_are_normalised() {
        assert_eq!(normalize_digits("١٬٢٣٤٫٥"), "1234.5");
    }

    #[test]
    fn mixed_text_keeps_letters() {
        assert_eq!(normalize_digits("هاتف ٠٥٩"), "هاتف 059");
    }

    #[test]
    fn whole_numbers_parse_in_every_system() {
        assert_eq!(parse_whole_number(" ١٬٢٥٠ "), Some(1250));
        assert_eq!(parse_whole_number("۱۲"), Some(12));
        assert_eq!(parse_whole_number("1,000"), Some(1000));
        assert_eq!(parse_whole_number(""), None);
        assert_eq!(parse_whole_number("-3"), None);
        assert_eq!(parse_whole_number("12a"), None);
    }
}
