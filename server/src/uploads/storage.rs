//! Where document bytes live: a directory under the data directory by default, or an
//! S3-compatible bucket for deployments with several servers. One interface for both.
use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use std::path::Path;
use std::sync::Arc;
use tokio::io::AsyncReadExt;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("document storage: {0}")]
    Store(#[from] object_store::Error),
    #[error("document storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("document storage: {0} is not a valid key")]
    Key(String),
}

/// Settings of an S3-compatible bucket. Credentials come from the environment
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`), never from the command line or the repo.
#[derive(Clone, Debug, Default)]
pub struct S3Settings {
    pub bucket: String,
    /// e.g. `http://127.0.0.1:9000` for a local S3-compatible server; AWS when empty.
    pub endpoint: Option<String>,
    pub region: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Storage {
    inner: Arc<dyn ObjectStore>,
    /// "local" or "s3", for logs.
    pub label: &'static str,
}

/// Parts larger than this go up as a multipart upload (S3's smallest part is 5 MiB).
const PART_SIZE: usize = 5 * 1024 * 1024;

fn key(text: &str) -> Result<ObjectPath, StorageError> {
    ObjectPath::parse(text).map_err(|_| StorageError::Key(text.to_string()))
}

impl Storage {
    /// A directory (created if missing) holding one file per object.
    pub fn local(dir: &Path) -> Result<Storage, StorageError> {
        std::fs::create_dir_all(dir)?;
        Ok(Storage {
            inner: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
            label: "local",
        })
    }

    pub fn s3(settings: &S3Settings) -> Result<Storage, StorageError> {
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&settings.bucket);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        if let Some(region) = &settings.region {
            builder = builder.with_region(region);
        }
        Ok(Storage {
            inner: Arc::new(builder.build()?),
            label: "s3",
        })
    }

    pub async fn put_bytes(&self, name: &str, bytes: Bytes) -> Result<(), StorageError> {
        self.inner.put(&key(name)?, PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// Streams a local file into storage, a part at a time.
    pub async fn put_file(&self, name: &str, path: &Path) -> Result<(), StorageError> {
        let location = key(name)?;
        let mut file = tokio::fs::File::open(path).await?;
        let size = file.metadata().await?.len();
        if size <= PART_SIZE as u64 {
            let mut bytes = Vec::with_capacity(size as usize);
            file.read_to_end(&mut bytes).await?;
            self.inner.put(&location, PutPayload::from(bytes)).await?;
            return Ok(());
        }
        let upload = self.inner.put_multipart(&location).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            let n = file.read(&mut buffer).await?;
            if n == 0 {
                break;
            }
            // At most two parts in flight: memory stays bounded whatever the file size.
            writer.wait_for_capacity(2).await?;
            writer.write(&buffer[..n]);
        }
        writer.finish().await?;
        Ok(())
    }

    pub async fn get_bytes(&self, name: &str) -> Result<Bytes, StorageError> {
        Ok(self.inner.get(&key(name)?).await?.bytes().await?)
    }

    /// The object's size and its bytes as a stream (for downloads).
    pub async fn get_stream(
        &self,
        name: &str,
    ) -> Result<(u64, BoxStream<'static, Result<Bytes, object_store::Error>>), StorageError> {
        let result = self.inner.get(&key(name)?).await?;
        Ok((result.meta.size, result.into_stream()))
    }

    pub async fn exists(&self, name: &str) -> Result<bool, StorageError> {
        match self.inner.head(&key(name)?).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    pub async fn delete(&self, name: &str) -> Result<(), StorageError> {
        match self.inner.delete(&key(name)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes every object under `prefix` (an unfinished upload's chunks).
    pub async fn delete_prefix(&self, prefix: &str) -> Result<(), StorageError> {
        let prefix = key(prefix)?;
        let mut listing = self.inner.list(Some(&prefix));
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            match self.inner.delete(&meta.location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(())
    }

    /// Every key under `prefix` (tests check that nothing is left behind).
    pub async fn keys(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let prefix = key(prefix)?;
        let mut listing = self.inner.list(Some(&prefix));
        let mut keys = Vec::new();
        while let Some(meta) = listing.next().await {
            keys.push(meta?.location.to_string());
        }
        Ok(keys)
    }
}
