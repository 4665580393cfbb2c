//! `cargo bench -p server --bench pdf`: how long a full plan takes to become a PDF, in each
//! language. Prints the median and the slowest of 15 renders after one warm-up (fonts load
//! once per process). Each render gets another title, so typst's memoisation cannot replay
//! an earlier layout. Set RIYADA_PDF_OUT=path.pdf to keep the Arabic one to look at.
// Test and benchmark code: a panic here is a failed run, not a crashed request.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use app::i18n::Locale;
use domain::plan::financials::parse_plan;
use server::pdf::render_plan;
use std::time::{Duration, Instant};

const FULL_PLAN: &str = include_str!("../tests/fixtures/full-plan.json");

fn main() {
    let plan = parse_plan(FULL_PLAN).expect("fixture is a valid plan");
    for (name, locale) in [("ar", Locale::ar), ("en", Locale::en)] {
        let warm = Instant::now();
        let pdf = render_plan(&plan, locale).expect("renders");
        let first = warm.elapsed();
        let mut times: Vec<Duration> = (0..15)
            .map(|n| {
                let mut plan = plan.clone();
                plan.title = Some(format!("{} {n}", plan.title.clone().unwrap_or_default()));
                let start = Instant::now();
                render_plan(&plan, locale).expect("renders");
                start.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "plan PDF ({name}): first {:.0} ms, median {:.0} ms, slowest {:.0} ms, {} bytes",
            first.as_secs_f64() * 1000.0,
            times[times.len() / 2].as_secs_f64() * 1000.0,
            times[times.len() - 1].as_secs_f64() * 1000.0,
            pdf.len()
        );
        if name == "ar" {
            if let Ok(out) = std::env::var("RIYADA_PDF_OUT") {
                std::fs::write(out, &pdf).expect("write the sample PDF");
            }
        }
    }
}
