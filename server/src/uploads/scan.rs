//! The virus-scan step every file passes before it is stored. ClamAV's daemon when a clamd
//! socket is configured; otherwise (and in tests) a scanner that knows only the EICAR test
//! file, so the refusal path is exercised everywhere.
use async_trait::async_trait;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// The name of what was found.
    Infected(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("virus scanner unreachable: {0}")]
    Io(#[from] std::io::Error),
    #[error("virus scanner answered {0:?}")]
    Answer(String),
}

#[async_trait]
pub trait VirusScanner: Send + Sync + std::fmt::Debug {
    async fn scan(&self, path: &Path) -> Result<Verdict, ScanError>;
    fn name(&self) -> &'static str;
}

/// The EICAR anti-virus test string, assembled so this source file is not itself flagged.
pub fn eicar() -> String {
    format!(
        "X5O!P%@AP[4\\PZX54(P^)7CC)7}}${}",
        "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    )
}

/// Flags files containing the EICAR test string, anywhere (also across read boundaries).
#[derive(Debug, Default)]
pub struct TestSignatureScanner;

#[async_trait]
impl VirusScanner for TestSignatureScanner {
    async fn scan(&self, path: &Path) -> Result<Verdict, ScanError> {
        let needle = eicar().into_bytes();
        let mut file = tokio::fs::File::open(path).await?;
        let mut window: Vec<u8> = Vec::with_capacity(64 * 1024 + needle.len());
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buffer).await?;
            if n == 0 {
                return Ok(Verdict::Clean);
            }
            window.extend_from_slice(&buffer[..n]);
            if window.windows(needle.len()).any(|w| w == needle.as_slice()) {
                return Ok(Verdict::Infected("Eicar-Test-Signature".to_string()));
            }
            // Keep the tail that could start a match continuing in the next read.
            let keep = needle.len().saturating_sub(1).min(window.len());
            window.drain(..window.len() - keep);
        }
    }

    fn name(&self) -> &'static str {
        "eicar-test-signature"
    }
}

/// ClamAV's daemon over its Unix socket (`INSTREAM`).
#[derive(Debug)]
pub struct ClamdScanner {
    pub socket: PathBuf,
}

#[async_trait]
impl VirusScanner for ClamdScanner {
    async fn scan(&self, path: &Path) -> Result<Verdict, ScanError> {
        let mut stream = tokio::net::UnixStream::connect(&self.socket).await?;
        stream.write_all(b"zINSTREAM\0").await?;
        let mut file = tokio::fs::File::open(path).await?;
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buffer).await?;
            stream.write_all(&(n as u32).to_be_bytes()).await?;
            if n == 0 {
                break;
            }
            stream.write_all(&buffer[..n]).await?;
        }
        let mut answer = Vec::new();
        // One short line ending in NUL; bounded in case of a misbehaving peer.
        (&mut stream).take(4096).read_to_end(&mut answer).await?;
        let text = String::from_utf8_lossy(&answer)
            .trim_end_matches(['\0', '\n'])
            .to_string();
        parse_answer(&text)
    }

    fn name(&self) -> &'static str {
        "clamd"
    }
}

fn parse_answer(text: &str) -> Result<Verdict, ScanError> {
    let body = text.strip_prefix("stream: ").unwrap_or(text);
    if body == "OK" {
        Ok(Verdict::Clean)
    } else if let Some(found) = body.strip_suffix(" FOUND") {
        Ok(Verdict::Infected(found.to_string()))
    } else {
        Err(ScanError::Answer(text.chars().take(200).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamd_answers_are_read() {
        assert_eq!(parse_answer("stream: OK").ok(), Some(Verdict::Clean));
        assert_eq!(
            parse_answer("stream: Eicar-Signature FOUND").ok(),
            Some(Verdict::Infected("Eicar-Signature".into()))
        );
        assert!(parse_answer("INSTREAM size limit exceeded. ERROR").is_err());
    }

    /// A stand-in for clamd on a Unix socket that speaks INSTREAM and flags EICAR.
    async fn fake_clamd(socket: PathBuf) {
        let listener = tokio::net::UnixListener::bind(&socket).expect("bind");
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut command = [0u8; 10];
                if stream.read_exact(&mut command).await.is_err() || &command != b"zINSTREAM\0" {
                    continue;
                }
                let mut received = Vec::new();
                loop {
                    let mut size = [0u8; 4];
                    if stream.read_exact(&mut size).await.is_err() {
                        break;
                    }
                    let size = u32::from_be_bytes(size) as usize;
                    if size == 0 {
                        break;
                    }
                    let mut piece = vec![0u8; size];
                    if stream.read_exact(&mut piece).await.is_err() {
                        break;
                    }
                    received.extend(piece);
                }
                let needle = eicar().into_bytes();
                let answer: &[u8] = if received.windows(needle.len()).any(|w| w == needle.as_slice()) {
                    b"stream: Eicar-Signature FOUND\0"
                } else {
                    b"stream: OK\0"
                };
                let _ = stream.write_all(answer).await;
            }
        });
    }

    #[tokio::test]
    async fn clamd_is_spoken_to_over_its_socket() {
        let dir = std::env::temp_dir().join(format!("riyada-clamd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let socket = dir.join("clamd.sock");
        let _ = std::fs::remove_file(&socket);
        fake_clamd(socket.clone()).await;
        let scanner = ClamdScanner { socket: socket.clone() };
        let clean = dir.join("clean.pdf");
        std::fs::write(&clean, vec![b'c'; 150_000]).expect("write");
        assert_eq!(scanner.scan(&clean).await.ok(), Some(Verdict::Clean));
        let infected = dir.join("infected.pdf");
        std::fs::write(&infected, [vec![b'c'; 70_000], eicar().into_bytes()].concat()).expect("write");
        assert_eq!(
            scanner.scan(&infected).await.ok(),
            Some(Verdict::Infected("Eicar-Signature".into()))
        );
        // No daemon at the socket: an error, so the upload is refused rather than let through.
        let missing = ClamdScanner {
            socket: dir.join("nobody.sock"),
        };
        assert!(missing.scan(&clean).await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn the_test_scanner_finds_eicar_across_reads() {
        let dir = std::env::temp_dir().join(format!("riyada-scan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let clean = dir.join("clean.pdf");
        std::fs::write(&clean, vec![b'a'; 200_000]).expect("write");
        assert_eq!(TestSignatureScanner.scan(&clean).await.ok(), Some(Verdict::Clean));
        // The string straddles the 64 KiB read boundary.
        let mut bytes = vec![b'a'; 64 * 1024 - 20];
        bytes.extend_from_slice(eicar().as_bytes());
        bytes.extend(vec![b'b'; 1000]);
        let infected = dir.join("infected.pdf");
        std::fs::write(&infected, bytes).expect("write");
        assert!(matches!(
            TestSignatureScanner.scan(&infected).await,
            Ok(Verdict::Infected(_))
        ));
        let _ = std::fs::remove_dir_all(dir);
    }
}
