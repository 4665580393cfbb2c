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

/// Reads one answer whose length is given, to its last byte.
fn read_answer(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        let text = String::from_utf8_lossy(&bytes).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|n| n.trim().to_string())
                })
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length {
                return text;
            }
        }
        let read = stream.read(&mut buffer).expect("an answer");
        assert!(read > 0, "the connection closed before its answer: {text}");
        bytes.extend_from_slice(&buffer[..read]);
    }
}

/// Starts a sign-in whose body arrives in two parts: the request is in flight until the
/// second part is written. A health check answered on the same connection first makes sure
/// the server accepted the connection (one still waiting in the listener's queue would be
/// closed by the shutdown, unanswered).
fn half_sent_request(addr: SocketAddr) -> (TcpStream, &'static [u8]) {
    let body: &'static [u8] = b"identifier=0599000000&password=wrong-password";
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream
        .write_all(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .unwrap();
    let health = read_answer(&mut stream);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
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
    // No new connections once the signal arrived…
    let signalled = Instant::now();
    while TcpStream::connect(server.addr).is_ok() {
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "the listener is closed after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
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
    let stopping = Instant::now();
    terminate(&server);
    let status = wait_for_exit(&mut server, Duration::from_secs(10));
    assert!(
        stopping.elapsed() >= Duration::from_millis(900),
        "it waited for the request"
    );
    assert!(status.success(), "{status:?}");
    assert!(log_of(&mut server).contains("grace period"));
}
