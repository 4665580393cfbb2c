//! Documents on the wire: resumable chunked uploads, the plain-form upload for browsers
//! without JavaScript, downloads and thumbnails. Every file is checked the same way before it
//! becomes a document: the SHA-256 the browser announced, the content type by its bytes, a
//! name that agrees with it, the virus scan, and location metadata removed from photos.
pub mod routes;
pub mod scan;
pub mod storage;
pub mod strip;
pub mod thumbs;

use app::documents::server::finish_upload;
use app::documents::store::{drop_upload, idle_uploads, StoredFile, UploadRow};
use app::documents::DocumentView;
use app::error::AppError;
use app::state::AppState;
use domain::documents::{clean_display_name, name_agrees, FileKind, FileProblem, ABANDONED_AFTER_SECS, CHUNK_SIZE};
use scan::{Verdict, VirusScanner};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use storage::Storage;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the upload routes need besides the database.
#[derive(Clone, Debug)]
pub struct Uploads {
    pub storage: Storage,
    pub scanner: Arc<dyn VirusScanner>,
    /// Local scratch space for files being checked (never served).
    pub work_dir: PathBuf,
    /// At most this many thumbnails are drawn at once (each holds a decoded photo).
    pub thumbnail_slots: Arc<tokio::sync::Semaphore>,
    /// The free space below which no new file is taken in.
    pub space: Arc<SpaceFloor>,
}

/// New files stop at a floor of free space on the data volume (where the scratch files,
/// local documents and, by default, the SQLite database live), so a full disk turns away
/// uploads with a sentence instead of failing the database's writes.
#[derive(Debug)]
pub struct SpaceFloor {
    dir: PathBuf,
    floor: std::sync::atomic::AtomicU64,
}

impl SpaceFloor {
    pub fn set(&self, bytes: u64) {
        self.floor.store(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// Refuses with [`FileProblem::ServerFull`] when the volume has less than the floor free.
    pub fn check(&self) -> Result<(), AppError> {
        let floor = self.floor.load(std::sync::atomic::Ordering::Relaxed);
        if floor == 0 {
            return Ok(());
        }
        match rustix::fs::statvfs(&self.dir) {
            Ok(stat) => {
                let free = stat.f_bavail.saturating_mul(stat.f_frsize);
                if free < floor {
                    tracing::warn!(free, floor, "upload refused: the data volume is nearly full");
                    return Err(AppError::File(FileProblem::ServerFull));
                }
                Ok(())
            }
            Err(error) => {
                // Not knowing is no reason to turn people away; the write itself may fail.
                tracing::warn!(%error, "the data volume's free space could not be read");
                Ok(())
            }
        }
    }
}

impl Uploads {
    pub fn new(storage: Storage, scanner: Arc<dyn VirusScanner>, work_dir: PathBuf) -> std::io::Result<Uploads> {
        std::fs::create_dir_all(&work_dir)?;
        // Scratch files of a server that stopped mid-check are of no use to anyone.
        for entry in std::fs::read_dir(&work_dir)?.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
        let space = Arc::new(SpaceFloor {
            dir: work_dir.clone(),
            floor: (crate::config::SPACE_FLOOR_DEFAULT_MB * 1024 * 1024).into(),
        });
        Ok(Uploads {
            storage,
            scanner,
            work_dir,
            thumbnail_slots: Arc::new(tokio::sync::Semaphore::new(2)),
            space,
        })
    }
}

/// Storage and scanner as configured: S3 when a bucket is named, else a directory under the
/// data directory; clamd when a socket is named, else the EICAR test signature only.
pub fn from_settings(data_dir: &Path, settings: &crate::config::DocumentArgs) -> Result<Uploads, String> {
    let storage = match &settings.s3_bucket {
        Some(bucket) => {
            // TLS for S3 over rustls with ring (installed once per process).
            let _ = rustls::crypto::ring::default_provider().install_default();
            Storage::s3(&storage::S3Settings {
                bucket: bucket.clone(),
                endpoint: settings.s3_endpoint.clone(),
                region: settings.s3_region.clone(),
            })
        }
        None => Storage::local(&data_dir.join("documents")),
    }
    .map_err(|e| e.to_string())?;
    let scanner: Arc<dyn VirusScanner> = match &settings.clamd_socket {
        Some(socket) => Arc::new(scan::ClamdScanner { socket: socket.clone() }),
        None => {
            tracing::warn!("no ClamAV socket configured (RIYADA_CLAMD_SOCKET): only the EICAR test file is recognised");
            Arc::new(scan::TestSignatureScanner)
        }
    };
    let work_dir = data_dir.join("upload-work");
    let uploads = Uploads::new(storage, scanner, work_dir.clone())
        .map_err(|e| format!("upload scratch directory {} cannot be used: {e}", work_dir.display()))?;
    uploads.space.set(settings.min_free_mb.saturating_mul(1024 * 1024));
    Ok(uploads)
}

fn storage_failed(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "document storage failed");
    AppError::Internal
}

pub fn chunk_key(upload_id: &str, index: u64) -> String {
    format!("partial/{upload_id}/{index:08}")
}

fn chunk_prefix(upload_id: &str) -> String {
    format!("partial/{upload_id}")
}

/// Scratch files removed when dropped, whatever happened.
struct Scratch(Vec<PathBuf>);
impl Drop for Scratch {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn random_token() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::thread_rng().gen();
    hex::encode(bytes)
}

pub fn new_upload_id() -> String {
    random_token()
}

/// The SHA-256 of a file, read in pieces.
async fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buffer).await?;
        if n == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buffer[..n]);
    }
}

impl Uploads {
    /// Joins an upload's chunks into one scratch file, hashing on the way.
    async fn assemble(&self, upload: &UploadRow, raw: &Path) -> Result<String, AppError> {
        let mut file = tokio::fs::File::create(raw).await.map_err(storage_failed)?;
        let mut hasher = Sha256::new();
        let chunks = upload.size.div_ceil(CHUNK_SIZE);
        for index in 0..chunks {
            let bytes = self
                .storage
                .get_bytes(&chunk_key(&upload.id, index))
                .await
                .map_err(storage_failed)?;
            hasher.update(&bytes);
            file.write_all(&bytes).await.map_err(storage_failed)?;
        }
        file.flush().await.map_err(storage_failed)?;
        Ok(hex::encode(hasher.finalize()))
    }

    /// Checks a complete file on local disk and puts it into storage.
    async fn check_and_store(
        &self,
        upload: &UploadRow,
        raw: &Path,
        scratch: &mut Scratch,
    ) -> Result<StoredFile, AppError> {
        let mut head = [0u8; 64];
        let mut file = tokio::fs::File::open(raw).await.map_err(storage_failed)?;
        let n = file.read(&mut head).await.map_err(storage_failed)?;
        if n == 0 {
            return Err(AppError::File(FileProblem::Empty));
        }
        let kind = FileKind::sniff(&head[..n]).ok_or(AppError::File(FileProblem::UnsupportedType))?;
        if !name_agrees(&upload.name, kind) {
            return Err(AppError::File(FileProblem::ExtensionMismatch));
        }
        match self.scanner.scan(raw).await {
            Ok(Verdict::Clean) => {}
            Ok(Verdict::Infected(found)) => {
                tracing::warn!(upload = %upload.id, owner = upload.owner_id, %found, "upload refused by the virus scan");
                return Err(AppError::File(FileProblem::Infected));
            }
            Err(error) => {
                tracing::error!(%error, scanner = self.scanner.name(), "virus scan failed");
                return Err(AppError::File(FileProblem::ScanUnavailable));
            }
        }
        let clean = self.work_dir.join(format!("{}.clean", upload.id));
        scratch.0.push(clean.clone());
        let (from, to) = (raw.to_path_buf(), clean.clone());
        let stripped = tokio::task::spawn_blocking(move || -> Result<(), crate::uploads::strip::StripError> {
            let input = std::io::BufReader::new(std::fs::File::open(&from)?);
            let mut output = std::io::BufWriter::new(std::fs::File::create(&to)?);
            crate::uploads::strip::strip_metadata(kind, input, &mut output)?;
            use std::io::Write;
            output.flush()?;
            Ok(())
        })
        .await
        .map_err(storage_failed)?;
        if let Err(error) = stripped {
            tracing::info!(%error, upload = %upload.id, "upload refused: damaged image");
            return Err(AppError::File(FileProblem::UnsupportedType));
        }
        let size = tokio::fs::metadata(&clean).await.map_err(storage_failed)?.len();
        let sha256 = file_sha256(&clean).await.map_err(storage_failed)?;
        let storage_key = format!("documents/{}/{}", upload.owner_id, random_token());
        self.storage
            .put_file(&storage_key, &clean)
            .await
            .map_err(storage_failed)?;
        Ok(StoredFile {
            storage_key,
            kind,
            size,
            sha256,
            name: clean_display_name(&upload.name, Some(kind)),
        })
    }

    /// Finishes an upload whose bytes are all in `raw` (already hashed as `sha256`): checks,
    /// stores and records it, or refuses it leaving nothing behind.
    pub async fn finish_from_file(
        &self,
        state: &AppState,
        upload: &UploadRow,
        raw: &Path,
        sha256: &str,
    ) -> Result<DocumentView, AppError> {
        let mut scratch = Scratch(vec![raw.to_path_buf()]);
        let result = if sha256 != upload.sha256 {
            Err(AppError::File(FileProblem::Damaged))
        } else {
            self.check_and_store(upload, raw, &mut scratch).await
        };
        let recorded = match result {
            Ok(stored) => {
                let key = stored.storage_key.clone();
                let recorded = finish_upload(&state.pool, upload, stored).await;
                if recorded.is_err() {
                    let _ = self.storage.delete(&key).await;
                }
                recorded
            }
            Err(error) => Err(error),
        };
        if recorded.is_err() {
            let _ = drop_upload(&state.pool, &upload.id).await;
        }
        drop(scratch);
        recorded
    }

    /// The last chunk arrived: assemble, check and store; the chunks go either way.
    pub async fn finish_chunked(&self, state: &AppState, upload: &UploadRow) -> Result<DocumentView, AppError> {
        let raw = self.work_dir.join(format!("{}.raw", upload.id));
        let assembled = self.assemble(upload, &raw).await;
        let result = match assembled {
            Ok(sha256) => self.finish_from_file(state, upload, &raw, &sha256).await,
            Err(error) => {
                let _ = std::fs::remove_file(&raw);
                Err(error)
            }
        };
        if let Err(error) = self.storage.delete_prefix(&chunk_prefix(&upload.id)).await {
            tracing::warn!(%error, upload = %upload.id, "removing chunks failed; the idle sweep retries");
        }
        result
    }

    /// Cancels an upload: its chunks and its row go.
    pub async fn cancel(&self, state: &AppState, upload_id: &str) -> Result<(), AppError> {
        self.storage
            .delete_prefix(&chunk_prefix(upload_id))
            .await
            .map_err(storage_failed)?;
        drop_upload(&state.pool, upload_id).await
    }

    /// Removes the files of deleted documents (and their thumbnails) from storage, then
    /// frees their room in the owner's quota. Returns how many; a file that cannot be
    /// removed now stays counted and is tried again next time.
    pub async fn sweep_deleted(&self, state: &AppState) -> Result<usize, AppError> {
        let mut removed = 0;
        for file in app::documents::store::files_to_purge(&state.pool, 500).await? {
            for key in [file.storage_key.clone(), format!("thumbs/{}.jpg", file.id)] {
                match self.storage.exists(&key).await {
                    Ok(false) => continue,
                    Ok(true) => {}
                    Err(error) => {
                        tracing::warn!(%error, document = file.id, "checking a deleted file failed; retried later");
                        continue;
                    }
                }
                if let Err(error) = self.storage.delete(&key).await {
                    tracing::warn!(%error, document = file.id, "removing a deleted file failed; retried later");
                    return Ok(removed);
                }
            }
            app::documents::store::mark_purged(&state.pool, file.id, app::db::now()).await?;
            removed += 1;
        }
        Ok(removed)
    }

    /// Removes uploads nobody touched for a day, with their chunks. Returns how many.
    pub async fn sweep_idle(&self, state: &AppState, now: i64) -> Result<usize, AppError> {
        let idle = idle_uploads(&state.pool, now - ABANDONED_AFTER_SECS).await?;
        for id in &idle {
            self.cancel(state, id).await?;
        }
        Ok(idle.len())
    }
}
