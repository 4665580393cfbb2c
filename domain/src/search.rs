//! Text search that forgives how Arabic is typed. The same name is written with and without
//! diacritics, with a stretched tatweel, with any of the alef forms, with ى or ي at the end,
//! with ة or ه: a search must find all of them. Both the stored search text (a plan's
//! title, its owner's name) and what a person types are folded by [`fold`], and the
//! database compares the folded forms. Pure: no I/O.
use crate::digits::normalize_digits;

/// The longest search a person may type (characters); longer text is refused, not cut.
pub const QUERY_MAX_CHARS: usize = 100;

/// Folds `text` for comparison: drops Arabic diacritics and tatweel, treats أ/إ/آ/ٱ as ا,
/// ى as ي, ة as ه, Arabic-Indic digits as ASCII digits, Latin letters as lower case, and any
/// run of white space as one space.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in normalize_digits(text).chars() {
        if c.is_whitespace() {
            pending_space = !folded.is_empty();
            continue;
        }
        if is_ignored_mark(c) {
            continue;
        }
        if pending_space {
            folded.push(' ');
            pending_space = false;
        }
        match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => folded.push('ا'),
            'ى' => folded.push('ي'),
            'ة' => folded.push('ه'),
            c => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// Marks that do not change which word is meant: the harakat, shadda, sukun and their
/// Quranic relatives, the superscript alef, and the tatweel (a stretching stroke).
fn is_ignored_mark(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{0640}'
        // Zero-width joiners and marks that some keyboards insert.
        | '\u{200C}'..='\u{200F}')
}

/// What a person typed into a search box, ready to compare: `None` when there is nothing
/// to search for, an error when it is too long.
pub fn query(typed: &str) -> Result<Option<String>, QueryTooLong> {
    if typed.chars().count() > QUERY_MAX_CHARS {
        return Err(QueryTooLong);
    }
    let folded = fold(typed);
    Ok((!folded.is_empty()).then_some(folded))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the search is longer than {QUERY_MAX_CHARS} characters")]
pub struct QueryTooLong;

/// Escapes `%`, `_` and `\` so a folded query matches itself literally inside `LIKE … ESCAPE
/// '\'` (the same on SQLite and PostgreSQL).
pub fn like_pattern(folded: &str) -> String {
    let mut pattern = String::with_capacity(folded.len() + 2);
    pattern.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spellings_of_one_name_fold_alike() {
        let spellings = ["أحمد", "احمد", "إحمد", "آحمد", "أَحْمَد", "أحـــمد"];
        for spelling in spellings {
            assert_eq!(fold(spelling), "احمد", "{spelling}");
        }
    }

    #[test]
    fn final_ya_and_ta_marbuta_fold_to_their_common_forms() {
        assert_eq!(fold("مصطفى"), fold("مصطفي"));
        assert_eq!(fold("فاطمة"), fold("فاطمه"));
        assert_eq!(fold("خياطة نسائية"), "خياطه نسائيه");
    }

    #[test]
    fn other_letters_stay_distinct() {
        // Hamza on waw and ya are different letters, not spellings of ا.
        assert_ne!(fold("مؤسسة"), fold("مسسة"));
        assert_ne!(fold("سمير"), fold("سمر"));
    }

    #[test]
    fn latin_digits_and_spaces_are_normalised() {
        assert_eq!(fold("  Bakery   GAZA\t٢٠٢٦ "), "bakery gaza 2026");
        assert_eq!(fold("\u{200F}مخبز"), "مخبز");
    }

    #[test]
    fn a_query_is_folded_trimmed_and_limited() {
        assert_eq!(query("   "), Ok(None));
        assert_eq!(query(" فاطمة "), Ok(Some("فاطمه".to_string())));
        assert_eq!(query(&"ا".repeat(QUERY_MAX_CHARS)).map(|q| q.is_some()), Ok(true));
        assert_eq!(query(&"ا".repeat(QUERY_MAX_CHARS + 1)), Err(QueryTooLong));
    }

    #[test]
    fn like_patterns_match_wildcards_literally() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(like_pattern("مخبز"), "%مخبز%");
    }
}
