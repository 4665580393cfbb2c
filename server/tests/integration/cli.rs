//! The `riyada` command line: configuration errors are one clear line and a non-zero exit,
//! never a panic; staff accounts are created with the password from standard input.
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn riyada(args: &[&str], data_dir: &std::path::Path, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_riyada"))
        .args(args)
        .env("RIYADA_DATA_DIR", data_dir)
        .env_remove("RIYADA_DATABASE_URL")
        .env("RIYADA_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start riyada");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("riyada output")
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("riyada-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_one_line_failure(output: &Output, expected: &str) {
    let text = stderr(output);
    assert!(!output.status.success(), "should fail: {text}");
    assert!(text.contains(expected), "{text}");
    assert!(!text.contains("panicked") && !text.contains("backtrace"), "{text}");
    assert_eq!(text.trim().lines().count(), 1, "{text}");
}

#[test]
fn unwritable_data_dir_is_a_clear_error() {
    let output = riyada(
        &["migrate"],
        std::path::Path::new("/proc/riyada-cannot-write-here"),
        None,
    );
    assert_one_line_failure(
        &output,
        "data directory /proc/riyada-cannot-write-here cannot be created or written",
    );
}

#[test]
fn unreachable_database_is_a_clear_error() {
    let dir = temp_dir("unreachable");
    let output = riyada(
        &[
            "migrate",
            "--database-url",
            "postgres://riyada:secret@127.0.0.1:1/riyada",
        ],
        &dir,
        None,
    );
    assert_one_line_failure(&output, "cannot open the database");
    assert!(!stderr(&output).contains("secret"), "the password must not be printed");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn port_in_use_is_a_clear_error() {
    let dir = temp_dir("port");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let output = riyada(&["serve", "--addr", &addr], &dir, None);
    assert_one_line_failure(&output, &format!("cannot listen on {addr}"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn create_user_reads_the_password_from_stdin_and_validates() {
    let dir = temp_dir("create-user");
    let ok = riyada(
        &[
            "create-user",
            "--role",
            "advisor",
            "--email",
            "advisor@gaza.ps",
            "--chamber",
            "gaza",
        ],
        &dir,
        Some("long-enough-pass\n"),
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("created advisor account"));
    let again = riyada(
        &[
            "create-user",
            "--role",
            "advisor",
            "--email",
            "advisor@gaza.ps",
            "--chamber",
            "gaza",
        ],
        &dir,
        Some("long-enough-pass\n"),
    );
    assert_one_line_failure(&again, "Email: Taken");
    let short = riyada(
        &["create-user", "--role", "fund-admin", "--email", "f@pfesp.ps"],
        &dir,
        Some("short\n"),
    );
    assert_one_line_failure(&short, "Password: TooShort");
    let no_chamber = riyada(
        &["create-user", "--role", "advisor", "--email", "x@pfesp.ps"],
        &dir,
        Some("long-enough-pass\n"),
    );
    assert_one_line_failure(&no_chamber, "Chamber: Required");
    let bad_role = riyada(
        &["create-user", "--role", "entrepreneur", "--email", "e@pfesp.ps"],
        &dir,
        Some("long-enough-pass\n"),
    );
    assert_one_line_failure(&bad_role, "unknown role");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn calc_turns_a_plan_into_financials_or_names_each_problem() {
    let dir = temp_dir("calc");
    let plan = r#"{"format": "riyada.plan.v1", "currency": "USD",
        "startup_items": [{"name": "oven", "category": "equipment", "quantity": 1, "unit_price": 120000, "useful_life_years": 10}],
        "funding": {"own": 150000},
        "products": [{"name": "bread", "price": 300, "unit_cost": 100, "monthly_qty": [1000,1000,1000,1000,1000,1000,1000,1000,1000,1000,1000,1000]}],
        "positions": [{"title": "baker", "count": 1, "monthly_wage": 90000, "full_time": false, "women": 1}],
        "fixed_costs": [{"name": "rent", "monthly": 40000}]}"#;
    let ok = riyada(&["calc"], &dir, Some(plan));
    assert!(ok.status.success(), "{}", stderr(&ok));
    let out: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON on stdout");
    assert_eq!(out["format"], "riyada.financials.v1");
    assert_eq!(out["opening_cash"], 30_000);
    assert_eq!(out["monthly"][0]["revenue"], 300_000);
    assert_eq!(out["monthly"][0]["depreciation"], 1_000);
    assert_eq!(
        out["monthly"][0]["net_profit"],
        300_000 - 100_000 - 90_000 - 40_000 - 1_000
    );
    assert_eq!(out["jobs"]["fte"], 0.5);
    assert_eq!(out["yearly"].as_array().map(Vec::len), Some(3));

    let bad = plan
        .replace("1000,1000,1000]", "1000,1000]")
        .replace("\"own\": 150000", "\"own\": -5");
    let refused = riyada(&["calc"], &dir, Some(&bad));
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        stderr(&refused).lines().collect::<Vec<_>>(),
        [
            "funding.own: must be a non-negative amount in minor units (at most 10^13)",
            "products[0].monthly_qty: expected 12 numbers, got 11"
        ]
    );
    let not_json = riyada(&["calc"], &dir, Some("{"));
    assert_eq!(not_json.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}
