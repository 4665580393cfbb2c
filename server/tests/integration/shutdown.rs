//! SIGTERM (what systemd, Docker and Kubernetes send to stop a service) stops Riyada
//! gracefully: it stops accepting connections, lets the requests in flight finish, and stops
//! its background loops; a request that never ends holds it no longer than the grace period.
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: SocketAddr,
    dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start(name: &str, grace_secs: u32) -> Server {
    let dir = std::env::temp_dir().join(format!("riyada-shutdown-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let addr = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_riyada"))
        .args([
            "serve",
            "--addr",
            &addr.to_string(),
            "--shutdown-grace-secs",
            &grace_secs.to_string(),
        ])
        .env("RIYADA_DATA_DIR", &dir)
        .env_remove("RIYADA_DATABASE_URL")
        .env("RIYADA_LOG", "info")
        // The log goes to standard output.
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start riyada");
    let started = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Server { child, addr, dir }
}

/// Sends the signal the way an operator's tools do.
fn terminate(server: &Server) {
    let sent = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
}

fn wait_for_exit(server: &mut Server, within: Duration) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            return status;
        }
        assert!(started.elapsed() < within, "the server did not stop within {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn log_of(server: &mut Server) -> String {
    let mut log = String::new();
    if let Some(mut stdout) = server.child.stdout.take() {
        let _ = stdout.read_to_string(&mut log);
    }
    log
}

/// Starts a sign-in whose body arrives in two parts: the request is in flight until the
/// second part is written.
fn half_sent_request(addr: SocketAddr) -> (TcpStream, &'static [u8]) {
    let body: &'static [u8] = b"identifier=0599000000&password=wrong-password";
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body[..10]).unwrap();
    stream.flush().unwrap();
    (stream, &body[10..])
}

#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let mut server = start("finish", 20);
    let (mut stream, rest) = half_sent_request(server.addr);
    std::thread::sleep(Duration::from_millis(500));
    terminate(&server);
    std::thread::sleep(Duration::from_millis(500));
    // No new connections once the signal arrived…
    assert!(
        TcpStream::connect(server.addr).is_err(),
        "the listener is closed after SIGTERM"
    );
    // …but the request under way still gets its whole answer.
    stream.write_all(rest).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("BadCredentials"), "{answer}");
    let status = wait_for_exit(&mut server, Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    let log = log_of(&mut server);
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("stopped"), "{log}");
}

#[test]
fn a_stuck_request_holds_shutdown_no_longer_than_the_grace_period() {
    let mut server = start("stuck", 1);
    // Never sends the rest of its body.
    let (_stream, _rest) = half_sent_request(server.addr);
    std::thread::sleep(Duration::from_millis(500));
    terminate(&server);
    let stopping = Instant::now();
    let status = wait_for_exit(&mut server, Duration::from_secs(10));
    assert!(
        stopping.elapsed() >= Duration::from_millis(900),
        "it waited for the request"
    );
    assert!(status.success(), "{status:?}");
    assert!(log_of(&mut server).contains("grace period"));
}
