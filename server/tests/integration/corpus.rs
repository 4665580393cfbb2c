//! The upload attack corpus (`tests/fixtures/upload-corpus`): every hostile file of it,
//! through the resumable upload and through the plain form, on SQLite with a storage
//! directory and on PostgreSQL with S3-compatible storage. What `corpus.json` says is
//! refused leaves nothing behind; what it says is stored is kept without the hostile part,
//! under a clean name, and only ever downloads as an attachment that cannot run.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use domain::documents::{DocumentLimits, NAME_MAX_CHARS};
use serde::Deserialize;
use server::uploads::scan::eicar;
use std::path::PathBuf;

on_both_backends!(every_file_of_the_attack_corpus_is_refused_or_neutralised);

/// The per-file limit of this test, so that "the limit" and "one byte more" stay small.
const LIMIT: usize = 64 * 1024;

#[derive(Deserialize)]
struct Corpus {
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    /// A file of the corpus, or `generate`: `limit` / `limit+1` bytes of PDF.
    file: Option<String>,
    generate: Option<String>,
    /// The name the browser sends.
    name: String,
    doc_type: String,
    /// Where to put the EICAR signature (-1: at the end).
    eicar_at: Option<i64>,
    expect: Expect,
    why: String,
}

#[derive(Deserialize)]
struct Expect {
    refused: Option<String>,
    stored: Option<String>,
    #[serde(default)]
    absent: Vec<String>,
    shown: Option<String>,
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upload-corpus")
}

fn bytes_of(entry: &Entry) -> Vec<u8> {
    let mut bytes = match (&entry.file, entry.generate.as_deref()) {
        (Some(file), _) => std::fs::read(corpus_dir().join(file)).expect("corpus file"),
        (None, Some(size)) => {
            let size = if size == "limit" { LIMIT } else { LIMIT + 1 };
            let mut pdf = b"%PDF-1.4\n".to_vec();
            pdf.resize(size - 7, b'p');
            pdf.extend_from_slice(b"\n%%EOF\n");
            pdf
        }
        _ => panic!("{}: neither a file nor a size", entry.why),
    };
    if let Some(at) = entry.eicar_at {
        let at = usize::try_from(at).unwrap_or(bytes.len()).min(bytes.len());
        bytes.splice(at..at, eicar().into_bytes());
    }
    bytes
}

/// The bytes of a text as written in `corpus.json` (code points below 256 are bytes).
fn needle(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a byte"))
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn every_file_of_the_attack_corpus_is_refused_or_neutralised(backend: Backend, store: Store) {
    let corpus: Corpus =
        serde_json::from_str(&std::fs::read_to_string(corpus_dir().join("corpus.json")).expect("corpus.json"))
            .expect("corpus.json reads");
    assert!(corpus.entries.len() >= 25, "the corpus lost entries");
    let limits = DocumentLimits {
        file_max: LIMIT as u64,
        quota: 50 * 1024 * 1024,
    };
    let t = app_with_limits(backend, store, limits).await;
    let owner = t.register("رائدة الملفات", "0599000777", "", "gaza").await;
    let mut stored_documents = 0;
    for entry in &corpus.entries {
        let why = &entry.why;
        let bytes = bytes_of(entry);
        let documents_before = t.count("SELECT COUNT(*) FROM documents").await;
        let storage_before = t.stored("documents/").await;

        // 1. The resumable upload the page uses.
        let reply = t.upload(&owner, &entry.doc_type, &entry.name, &bytes, None).await;
        let mut ids = Vec::new();
        match (&entry.expect.refused, &entry.expect.stored) {
            (Some(problem), None) => {
                assert!(reply.status.is_client_error(), "{why}: {} {}", reply.status, reply.body);
                assert_eq!(reply.json()["File"]["kind"], problem.as_str(), "{why}");
            }
            (None, Some(kind)) => {
                assert_eq!(reply.status, StatusCode::OK, "{why}: {}", reply.body);
                let document = &reply.json()["document"];
                assert_eq!(document["kind"], kind.as_str(), "{why}");
                // The name exactly as sent is checked on this path (the form escapes some).
                ids.push((document["id"].as_i64().expect("document id"), true));
            }
            _ => panic!("{why}: expect says neither refused nor stored"),
        }

        // 2. The plain form, the same file and name: the same outcome.
        let form = t.form_upload(&owner, &entry.doc_type, &entry.name, &bytes).await;
        assert_eq!(form.status, StatusCode::SEE_OTHER, "{why}");
        let location = form.headers["location"].to_str().expect("location").to_string();
        match &entry.expect.refused {
            Some(problem) => assert_eq!(location, format!("/documents?problem={problem}"), "{why}"),
            None => {
                let id = location
                    .strip_prefix("/documents?uploaded=")
                    .and_then(|id| id.parse::<i64>().ok())
                    .unwrap_or_else(|| panic!("{why}: {location}"));
                ids.push((id, false));
            }
        }

        if entry.expect.refused.is_some() {
            assert_eq!(
                t.count("SELECT COUNT(*) FROM documents").await,
                documents_before,
                "{why}: no document"
            );
            assert_eq!(t.stored("documents/").await, storage_before, "{why}: nothing stored");
            continue;
        }
        stored_documents += 2;
        for (id, sent_as_is) in ids {
            let download = t.get(&format!("/documents/{id}/file"), Some(&owner)).await;
            assert_eq!(download.status, StatusCode::OK, "{why}");
            let header = |name: &str| {
                download
                    .headers
                    .get(name)
                    .map(|v| v.to_str().expect("a visible header").to_string())
                    .unwrap_or_default()
            };
            assert!(header("content-disposition").starts_with("attachment; "), "{why}");
            assert_eq!(header("x-content-type-options"), "nosniff", "{why}");
            assert_eq!(header("content-security-policy"), "sandbox", "{why}");
            assert!(
                download.headers.get("set-cookie").is_none(),
                "{why}: a header was injected"
            );
            for text in &entry.expect.absent {
                assert!(!contains(&download.bytes, &needle(text)), "{why}: {text:?} survived");
            }
            let library = t.call("documents/mine", "", Some(&owner)).await.json();
            let shown = library["documents"]
                .as_array()
                .expect("documents")
                .iter()
                .find(|d| d["id"] == id)
                .and_then(|d| d["name"].as_str())
                .unwrap_or_else(|| panic!("{why}: document {id} listed"))
                .to_string();
            assert!(
                !shown.contains(['/', '\\'])
                    && !shown
                        .chars()
                        .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c))
                    && shown.chars().count() <= NAME_MAX_CHARS,
                "{why}: shown as {shown:?}"
            );
            if let (Some(expected), true) = (&entry.expect.shown, sent_as_is) {
                assert_eq!(&shown, expected, "{why}");
            }
        }
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM documents").await,
        stored_documents,
        "exactly the neutralised files became documents"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM uploads").await, 0, "no upload left open");
}
