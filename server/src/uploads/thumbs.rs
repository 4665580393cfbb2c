//! Thumbnails of photos for the review screens: drawn on first request, then kept in storage
//! beside the document. Decoding a photo takes memory, so few are drawn at once and huge
//! images are refused instead of decoded.
use super::Uploads;
use app::error::AppError;
use bytes::Bytes;
use image::ImageReader;
use std::io::Cursor;

/// Longest side of a thumbnail, in pixels.
pub const THUMB_SIDE: u32 = 360;
/// Larger pictures are not decoded (a 50-megapixel photo is 200 MB decoded).
const MAX_PIXELS: u64 = 50_000_000;

fn failed(error: impl std::fmt::Display) -> AppError {
    tracing::warn!(%error, "thumbnail failed");
    AppError::NotFound
}

/// Draws a JPEG thumbnail of an image file.
pub fn draw(bytes: &[u8]) -> Result<Vec<u8>, AppError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(failed)?;
    let (width, height) = reader.into_dimensions().map_err(failed)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(AppError::NotFound);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(failed)?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + 16 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(failed)?;
    let small = picture.thumbnail(THUMB_SIDE, THUMB_SIDE).into_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 78)
        .encode_image(&small)
        .map_err(failed)?;
    Ok(out)
}

/// The thumbnail of document `id` stored at `key`, drawn now if it was never asked for.
pub async fn thumbnail(uploads: &Uploads, id: i64, key: &str) -> Result<Bytes, AppError> {
    let thumb_key = format!("thumbs/{id}.jpg");
    if let Ok(bytes) = uploads.storage.get_bytes(&thumb_key).await {
        return Ok(bytes);
    }
    let _slot = uploads.thumbnail_slots.acquire().await.map_err(failed)?;
    let original = uploads.storage.get_bytes(key).await.map_err(failed)?;
    let jpeg = tokio::task::spawn_blocking(move || draw(&original))
        .await
        .map_err(failed)??;
    let jpeg = Bytes::from(jpeg);
    if let Err(error) = uploads.storage.put_bytes(&thumb_key, jpeg.clone()).await {
        tracing::warn!(%error, "keeping a thumbnail failed");
    }
    Ok(jpeg)
}
