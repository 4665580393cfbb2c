//! Text in the reader's language: plural forms, lists, names.
use app::error::AppError;
use app::i18n::Locale;
use app::lang::*;
use domain::roles::Role;
use domain::validation::Problem;
use domain::Bilingual;

#[test]
fn arabic_plural_forms_follow_cldr() {
    // 8 characters: "few" (3–10) → أحرف; 11: "many" → حرفًا; 100: "other" → حرف.
    assert!(problem_text(Locale::ar, Problem::TooShort { min: 8 }).contains("8 أحرف"));
    assert!(problem_text(Locale::ar, Problem::TooLong { max: 11 }).contains("11 حرفًا"));
    assert!(problem_text(Locale::ar, Problem::TooLong { max: 100 }).contains("100 حرف."));
    assert!(problem_text(Locale::ar, Problem::TooShort { min: 2 }).contains("حرفين"));
    assert_eq!(
        problem_text(Locale::en, Problem::TooShort { min: 1 }),
        "Must be at least 1 character."
    );
    assert_eq!(
        problem_text(Locale::en, Problem::TooShort { min: 8 }),
        "Must be at least 8 characters."
    );
}

#[test]
fn throttle_message_names_the_minutes() {
    assert!(error_text(Locale::ar, &AppError::Throttled { minutes: 15 }).contains("15 دقيقة"));
    assert!(error_text(Locale::ar, &AppError::Throttled { minutes: 2 }).contains("دقيقتين"));
    assert!(error_text(Locale::en, &AppError::Throttled { minutes: 15 }).contains("15 minutes"));
}

#[test]
fn every_role_has_a_name_in_both_languages() {
    for role in Role::ALL {
        assert!(!role_text(Locale::ar, role).is_empty());
        assert_ne!(role_text(Locale::ar, role), role_text(Locale::en, role));
    }
}

#[test]
fn lists_are_joined_in_the_readers_language() {
    let items = || ["صورة الهوية".to_string(), "عقد الإيجار".to_string()];
    assert_eq!(join_list(Locale::ar, items()), "صورة الهوية، عقد الإيجار");
    let items = ["ID copy".to_string(), "Lease contract".to_string()];
    assert_eq!(join_list(Locale::en, items), "ID copy, Lease contract");
}

#[test]
fn a_name_is_shown_in_the_readers_language() {
    let name = Bilingual::new("غزة", "Gaza");
    assert_eq!(pick(Locale::ar, &name), "غزة");
    assert_eq!(pick(Locale::en, &name), "Gaza");
    assert_eq!(locale_of("en"), Locale::en);
    assert_eq!(locale_of("fr"), Locale::ar);
}
