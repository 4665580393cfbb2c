//! The layering of `app/src` stays as `docs/architecture.md` draws it: each module may use
//! only the modules below it, so no two areas import each other in a circle, and only the
//! `store.rs` files of the areas (and the request plumbing below them) talk SQL. The test
//! reads the sources; a new module fails it until it is given its place here and there.
// Test code: a panic here is a failed test.
#![allow(clippy::expect_used)]
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module of `app/src` with its layer: a module may use the modules of lower
/// layers only. Equal layers may not use each other (profile and staff are siblings).
const LAYERS: &[(&str, u32)] = &[
    // What every area may use.
    ("i18n", 0),
    ("error", 1),
    ("db", 1),
    ("security", 1),
    ("lang", 2),
    ("state", 2),
    ("session_store", 2),
    ("audit", 2),
    ("guard", 3),
    ("components", 4),
    ("label", 4), // the `label!` macro of components/form.rs
    // The areas, lowest first.
    ("notify", 10),
    ("auth", 11),
    ("profile", 12),
    ("staff", 12),
    // Below the plans and services, whose steps register establishments.
    ("establishments", 13),
    ("plan", 14),
    ("documents", 15),
    ("services", 16),
    ("case", 17),
    ("review", 18),
    ("fund", 19),
    // The public landing page and the frame of every page, above the areas.
    ("landing", 20),
    ("layout", 21),
    // How the pages that need the app start it (the shell's script and worker).
    ("start_app", 22),
    // `lib.rs`: the routes.
    ("lib", 30),
];

/// Modules (besides the areas' `store.rs`) that may run SQL: the request plumbing.
const SQL_OUTSIDE_STORES: &[&str] = &["db", "guard", "audit", "session_store"];

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(name, _)| *name == module).map(|(_, layer)| *layer)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`plan/pages/section.rs` → `plan`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("inside src");
    let first = relative
        .components()
        .next()
        .expect("a path")
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file without its unit tests (tests may reach anywhere).
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    }
}

/// Every `crate::name` the code names.
fn uses(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.push(name);
        }
        rest = after;
    }
    found
}

fn app_sources() -> (PathBuf, Vec<PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    (src, files)
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let (src, files) = app_sources();
    let mut problems = Vec::new();
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let Some(own) = layer(&module) else {
            problems.push(format!(
                "{}: module `{module}` has no layer in tests/layering.rs",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable source");
        for used in uses(without_tests(&text)) {
            if used == module {
                continue;
            }
            match layer(&used) {
                Some(other) if other < own => edges.entry(module.clone()).or_default().push(used),
                Some(_) => problems.push(format!(
                    "{}: `{module}` uses `crate::{used}`, which is not below it",
                    file.display()
                )),
                None => problems.push(format!(
                    "{}: `crate::{used}` is not a module with a layer in tests/layering.rs",
                    file.display()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "layering broken:\n{}", problems.join("\n"));
    // The test can fail: the areas do use each other, downwards.
    assert!(edges.get("case").is_some_and(|used| used.iter().any(|u| u == "plan")));
}

#[test]
fn only_stores_and_the_request_plumbing_run_sql() {
    let (src, files) = app_sources();
    let mut problems = Vec::new();
    let mut stores = 0;
    for file in &files {
        let module = module_of(&src, file);
        let is_store =
            file.file_name().is_some_and(|n| n == "store.rs") || file.components().any(|c| c.as_os_str() == "store");
        let text = std::fs::read_to_string(file).expect("readable source");
        let runs_sql = ["sqlx::query", "query_as(", "query_scalar("]
            .iter()
            .any(|call| without_tests(&text).contains(call));
        if is_store {
            stores += 1;
        } else if runs_sql && !SQL_OUTSIDE_STORES.contains(&module.as_str()) {
            problems.push(format!("{}: SQL outside a store.rs", file.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(stores >= 8, "every area with data has its store.rs ({stores} found)");
}
