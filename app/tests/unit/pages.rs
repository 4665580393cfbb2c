//! What pages are made of on the server: the menu's current entry, the security policy,
//! the start-up call, the mark a successful form post comes back with.
use app::components::nav_link::is_current;
use app::components::page_start::BrowserBuild;
use app::guard::done_location;
use app::security::content_security_policy;
use app::start_app::{start_call, AppBundle};

#[test]
fn a_menu_entry_is_current_on_its_page_and_the_pages_under_it() {
    assert!(is_current("/plans", "/plans"));
    assert!(is_current("/plans", "/plans/7/idea"));
    assert!(!is_current("/plans", "/plansx"));
    assert!(!is_current("/plans", "/"));
    assert!(is_current("/", "/"));
    assert!(!is_current("/", "/plans"));
}

#[test]
fn inline_scripts_need_the_nonce() {
    let policy = content_security_policy(Some("abc123"), false);
    assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
    assert!(!policy.contains("script-src 'self' 'unsafe-inline'"));
    assert!(policy.contains("frame-ancestors 'none'"));
    assert!(!policy.contains("ws://"));
    assert!(content_security_policy(None, true).contains("ws://127.0.0.1:3001"));
}

#[test]
fn the_call_names_the_files_and_the_worker_as_javascript_strings() {
    let bundle = AppBundle {
        js: "/pkg/riyada.abc.js".to_string(),
        wasm: "/pkg/riyada.def.wasm".to_string(),
    };
    let call = start_call(&bundle, None, BrowserBuild::WholeApp);
    assert!(call.ends_with(r#"("/pkg/riyada.abc.js","/pkg/riyada.def.wasm","/wasm-worker.js",null,false);"#));
    assert!(call.contains("new Worker(workerUrl)"));
    assert!(!call.contains("// "), "comments are left out of the page");
    let unsent = start_call(&bundle, Some("riyada:plan:"), BrowserBuild::Islands);
    assert!(unsent.ends_with(r#","/wasm-worker.js","riyada:plan:",true);"#));
    assert!(unsent.contains("querySelectorAll(\"leptos-island\")"));
    assert!(unsent.contains("if (unsentPrefix && !holdsUnsent()) return;"));
}

#[test]
fn the_form_page_comes_back_marked_with_its_other_parameters_kept() {
    let back = |uri: &str| uri.parse::<http::Uri>().expect("a test address");
    assert_eq!(
        done_location(&back("http://portal.test/profile"), "/api/profile/update").as_deref(),
        Some("/profile?done=/api/profile/update")
    );
    // A second success replaces the first mark; the page's own filters stay.
    assert_eq!(
        done_location(&back("/staff/plans?status=submitted&done=/api/x"), "/api/y").as_deref(),
        Some("/staff/plans?status=submitted&done=/api/y")
    );
    // The error of a refused try is not shown again after the success.
    assert_eq!(
        done_location(&back("/plans?__path=/api/plans/create&__err=RXJy"), "/api/plans/create").as_deref(),
        Some("/plans?done=/api/plans/create")
    );
}

/// Where the uploader is an island, the page's start-up script is what shows a new file:
/// it must listen to the event the uploader sends.
#[test]
fn the_start_up_script_of_islands_listens_for_accepted_files() {
    let script = include_str!("../../src/start_app.js");
    assert!(script.contains(&format!(
        r#"addEventListener("{}""#,
        app::documents::upload::UPLOADED_EVENT
    )));
}
