//! The plan PDF: Arabic that a reader can extract (pdftotext, Debian poppler-utils) in
//! logical order, and English when the reader chose English.
use app::i18n::Locale;
use domain::plan::financials::parse_plan;
use server::pdf::render_plan;
use std::process::Command;

const FULL_PLAN: &str = include_str!("../fixtures/full-plan.json");

/// The text of a PDF, without the bidi control marks poppler wraps around runs.
fn pdf_text(pdf: &[u8], name: &str) -> String {
    pdf_text_with(pdf, name, &[])
}

/// The same, with more `pdftotext` options (`-layout` keeps each table row on one line).
fn pdf_text_with(pdf: &[u8], name: &str, options: &[&str]) -> String {
    let dir = std::env::temp_dir().join(format!("riyada-pdf-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("plan.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdftotext")
        .args(options)
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian poppler-utils; scripts/setup.sh installs it)");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c) && !('\u{2066}'..='\u{2069}').contains(c))
        .collect()
}

#[test]
fn arabic_plan_pdf_has_extractable_title_and_headings_in_order() {
    let plan = parse_plan(FULL_PLAN).expect("fixture is a valid plan");
    let pdf = render_plan(&plan, Locale::ar).expect("renders");
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    let text = pdf_text(&pdf, "ar");
    assert!(text.contains("مشغل خياطة أم أحمد"), "title missing from:\n{text}");
    let headings = [
        "الملخص التنفيذي",
        "فكرة المشروع",
        "دراسة السوق",
        "تكاليف التأسيس",
        "الخطة المالية",
        "المخاطر",
    ];
    let mut from = 0;
    for heading in headings {
        let at = text[from..]
            .find(heading)
            .unwrap_or_else(|| panic!("heading {heading} not found after byte {from} in:\n{text}"));
        from += at + heading.len();
    }
    // Typed text and table cells come through as text too.
    assert!(text.contains("انقطاع الكهرباء"));
    assert!(text.contains("ماكينة خياطة"));
}

#[test]
fn english_readers_get_an_english_pdf() {
    let plan = parse_plan(FULL_PLAN).expect("fixture is a valid plan");
    let text = pdf_text(&render_plan(&plan, Locale::en).expect("renders"), "en");
    assert!(text.contains("Executive summary"), "{text}");
    assert!(text.contains("Profit and loss by month"), "{text}");
}

/// A plan funded by nothing: its funding gap is minus its start-up costs.
fn unfunded_plan() -> domain::plan::financials::PlanFinancials {
    let mut plan = parse_plan(FULL_PLAN).expect("fixture is a valid plan");
    plan.funding = Default::default();
    plan
}

#[test]
fn negative_amounts_keep_their_sign_in_both_languages() {
    let plan = unfunded_plan();
    let gap = domain::plan::financials::compute(&plan).funding_gap;
    assert!(gap < 0, "the fixture's start-up costs are not zero");
    for (locale, arabic) in [(Locale::ar, true), (Locale::en, false)] {
        let pdf = render_plan(&plan, locale).expect("renders");
        let text = pdf_text_with(&pdf, if arabic { "neg-ar" } else { "neg-en" }, &["-layout"]);
        let magnitude = domain::plan::tables::display_money(-gap, plan.currency, arabic);
        // The row of the funding gap: its figure with the minus beside it (poppler writes an
        // Arabic row in visual order, so the sign may come after the digits).
        let row = text
            .lines()
            .find(|line| {
                line.contains(if arabic {
                    "فجوة التمويل"
                } else {
                    "Funding gap"
                })
            })
            .unwrap_or_else(|| panic!("no funding gap row in:\n{text}"));
        assert!(
            row.contains(&format!("-{magnitude}")) || row.contains(&format!("{magnitude}-")),
            "the minus of {magnitude} is lost in: {row}"
        );
    }
}
