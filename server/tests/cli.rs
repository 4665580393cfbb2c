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
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
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
    let output = riyada(&["migrate"], std::path::Path::new("/proc/riyada-cannot-write-here"), None);
    assert_one_line_failure(&output, "data directory /proc/riyada-cannot-write-here cannot be created or written");
}

#[test]
fn unreachable_database_is_a_clear_error() {
    let dir = temp_dir("unreachable");
    let output = riyada(&["migrate", "--database-url", "postgres://riyada:secret@127.0.0.1:1/riyada"], &dir, None);
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
        &["create-user", "--role", "advisor", "--email", "advisor@gaza.ps", "--chamber", "gaza"],
        &dir,
        Some("long-enough-pass\n"),
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("created advisor account"));
    let again = riyada(
        &["create-user", "--role", "advisor", "--email", "advisor@gaza.ps", "--chamber", "gaza"],
        &dir,
        Some("long-enough-pass\n"),
    );
    assert_one_line_failure(&again, "Email: Taken");
    let short = riyada(&["create-user", "--role", "fund-admin", "--email", "f@pfesp.ps"], &dir, Some("short\n"));
    assert_one_line_failure(&short, "Password: TooShort");
    let no_chamber = riyada(&["create-user", "--role", "advisor", "--email", "x@pfesp.ps"], &dir, Some("long-enough-pass\n"));
    assert_one_line_failure(&no_chamber, "Chamber: Required");
    let bad_role = riyada(&["create-user", "--role", "entrepreneur", "--email", "e@pfesp.ps"], &dir, Some("long-enough-pass\n"));
    assert_one_line_failure(&bad_role, "unknown role");
    let _ = std::fs::remove_dir_all(dir);
}
