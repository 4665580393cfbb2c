//! Removes what a photo says about where and when it was taken (EXIF, XMP, text chunks)
//! before it is stored. Streams: the picture data is copied through, never held whole.
//! A JPEG keeps its orientation (a one-entry EXIF block), so phone photos stay upright.
use domain::documents::FileKind;
use std::io::{self, Read, Seek, SeekFrom, Write};

#[derive(Debug, thiserror::Error)]
pub enum StripError {
    #[error("the file is not a well-formed {0}")]
    Malformed(&'static str),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Copies `input` to `output` without location and other metadata.
pub fn strip_metadata<R: Read, W: Write + Seek>(kind: FileKind, input: R, output: &mut W) -> Result<(), StripError> {
    match kind {
        FileKind::Jpeg => strip_jpeg(input, output),
        FileKind::Png => strip_png(input, output),
        FileKind::Webp => strip_webp(input, output),
        FileKind::Pdf => {
            let mut input = input;
            io::copy(&mut input, output)?;
            Ok(())
        }
    }
}

fn read_u16_be<R: Read>(input: &mut R) -> io::Result<u16> {
    let mut b = [0u8; 2];
    input.read_exact(&mut b)?;
    Ok(u16::from_be_bytes(b))
}

/// The orientation tag of an EXIF block (the APP1 payload after `Exif\0\0`), when not 1.
fn orientation_of(tiff: &[u8]) -> Option<u16> {
    let exif = exif::Reader::new().read_raw(tiff.to_vec()).ok()?;
    let value = exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)?
        .value
        .get_uint(0)?;
    (2..=8).contains(&value).then_some(value as u16)
}

/// An APP1 segment holding nothing but the orientation.
fn orientation_segment(orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::with_capacity(26);
    tiff.extend_from_slice(b"MM\x00\x2A\x00\x00\x00\x08"); // big-endian TIFF, IFD at 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // value padding
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut segment = vec![0xFF, 0xE1];
    let length = (2 + 6 + tiff.len()) as u16;
    segment.extend_from_slice(&length.to_be_bytes());
    segment.extend_from_slice(b"Exif\x00\x00");
    segment.extend_from_slice(&tiff);
    segment
}

/// JPEG: drops APP1 (EXIF, XMP), APP13 (IPTC) and comments before the image data.
fn strip_jpeg<R: Read, W: Write>(mut input: R, output: &mut W) -> Result<(), StripError> {
    let malformed = || StripError::Malformed("JPEG");
    if read_u16_be(&mut input)? != 0xFFD8 {
        return Err(malformed());
    }
    output.write_all(&[0xFF, 0xD8])?;
    loop {
        let mut byte = [0u8; 1];
        input.read_exact(&mut byte).map_err(|_| malformed())?;
        if byte[0] != 0xFF {
            return Err(malformed());
        }
        // Fill bytes (0xFF repeated) may come before the marker code.
        let mut marker = 0xFF;
        while marker == 0xFF {
            input.read_exact(&mut byte).map_err(|_| malformed())?;
            marker = byte[0];
        }
        let standalone = matches!(marker, 0x01 | 0xD0..=0xD7);
        if marker == 0xDA || marker == 0xD9 || standalone {
            // Start of scan (or an end): the rest is picture data, copied through.
            output.write_all(&[0xFF, marker])?;
            io::copy(&mut input, output)?;
            return Ok(());
        }
        let length = read_u16_be(&mut input).map_err(|_| malformed())?;
        if length < 2 {
            return Err(malformed());
        }
        let mut payload = vec![0u8; usize::from(length) - 2];
        input.read_exact(&mut payload).map_err(|_| malformed())?;
        match marker {
            0xE1 => {
                if let Some(orientation) = payload.strip_prefix(b"Exif\x00\x00").and_then(orientation_of) {
                    output.write_all(&orientation_segment(orientation))?;
                }
            }
            0xED | 0xFE => {}
            _ => {
                output.write_all(&[0xFF, marker])?;
                output.write_all(&length.to_be_bytes())?;
                output.write_all(&payload)?;
            }
        }
    }
}

/// PNG: drops the EXIF chunk, text chunks (which carry XMP) and the modification time.
fn strip_png<R: Read, W: Write>(mut input: R, output: &mut W) -> Result<(), StripError> {
    const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut signature = [0u8; 8];
    input.read_exact(&mut signature)?;
    if signature != SIGNATURE {
        return Err(StripError::Malformed("PNG"));
    }
    output.write_all(&signature)?;
    loop {
        let mut header = [0u8; 8];
        match input.read_exact(&mut header) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e.into()),
        }
        let length = u64::from(u32::from_be_bytes([header[0], header[1], header[2], header[3]]));
        let chunk_type = &header[4..8];
        let dropped = matches!(chunk_type, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME");
        // Data and CRC.
        let mut body = (&mut input).take(length + 4);
        if dropped {
            io::copy(&mut body, &mut io::sink())?;
        } else {
            output.write_all(&header)?;
            let copied = io::copy(&mut body, output)?;
            if copied != length + 4 {
                return Err(StripError::Malformed("PNG"));
            }
        }
        if chunk_type == b"IEND" {
            return Ok(());
        }
    }
}

/// WebP: drops the EXIF and XMP chunks, clears their flags and fixes the RIFF size.
fn strip_webp<R: Read, W: Write + Seek>(mut input: R, output: &mut W) -> Result<(), StripError> {
    let malformed = || StripError::Malformed("WebP");
    let mut header = [0u8; 12];
    input.read_exact(&mut header)?;
    if &header[0..4] != b"RIFF" || &header[8..12] != b"WEBP" {
        return Err(malformed());
    }
    let start = output.stream_position()?;
    output.write_all(&header)?;
    let mut written: u64 = 4; // "WEBP"
    loop {
        let mut chunk_header = [0u8; 8];
        match input.read_exact(&mut chunk_header) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e.into()),
        }
        let size = u64::from(u32::from_le_bytes([
            chunk_header[4],
            chunk_header[5],
            chunk_header[6],
            chunk_header[7],
        ]));
        let padded = size + (size & 1);
        let fourcc = &chunk_header[0..4];
        if matches!(fourcc, b"EXIF" | b"XMP ") {
            io::copy(&mut (&mut input).take(padded), &mut io::sink())?;
            continue;
        }
        output.write_all(&chunk_header)?;
        if fourcc == b"VP8X" {
            // Flags: bit 3 says EXIF follows, bit 2 says XMP follows.
            let mut flags = [0u8; 1];
            input.read_exact(&mut flags).map_err(|_| malformed())?;
            output.write_all(&[flags[0] & !0b0000_1100])?;
            let rest = io::copy(&mut (&mut input).take(padded.saturating_sub(1)), output)?;
            if rest + 1 != padded {
                return Err(malformed());
            }
        } else if io::copy(&mut (&mut input).take(padded), output)? != padded {
            return Err(malformed());
        }
        written += 8 + padded;
    }
    let riff_size = u32::try_from(written).map_err(|_| malformed())?;
    let end = output.stream_position()?;
    output.seek(SeekFrom::Start(start + 4))?;
    output.write_all(&riff_size.to_le_bytes())?;
    output.seek(SeekFrom::Start(end))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn strip(kind: FileKind, input: &[u8]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        strip_metadata(kind, input, &mut out).expect("strips");
        out.into_inner()
    }

    /// A little-endian EXIF block with orientation 6 and a GPS IFD pointer (tag 0x8825).
    fn exif_app1() -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"II\x2A\x00\x08\x00\x00\x00");
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&0x0112u16.to_le_bytes());
        tiff.extend_from_slice(&3u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&6u16.to_le_bytes());
        tiff.extend_from_slice(&[0, 0]);
        tiff.extend_from_slice(&0x8825u16.to_le_bytes());
        tiff.extend_from_slice(&4u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&38u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        // GPS IFD: latitude reference "N" (and the text "GAZA-LOCATION" to look for).
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&2u32.to_le_bytes());
        tiff.extend_from_slice(b"N\x00\x00\x00");
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(b"GAZA-LOCATION");
        let mut segment = vec![0xFF, 0xE1];
        segment.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
        segment.extend_from_slice(b"Exif\x00\x00");
        segment.extend_from_slice(&tiff);
        segment
    }

    fn jpeg_with(segments: &[Vec<u8>]) -> Vec<u8> {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0]);
        for s in segments {
            jpeg.extend_from_slice(s);
        }
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0x00, 0x33, 0xFF, 0xD9]);
        jpeg
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn jpeg_loses_gps_but_keeps_orientation_and_picture() {
        let xmp = {
            let mut s = vec![0xFF, 0xE1, 0x00, 0x10];
            s.extend_from_slice(b"http://ns.adobe");
            s.truncate(4 + 14);
            s
        };
        let comment = vec![0xFF, 0xFE, 0x00, 0x06, b'h', b'o', b'm', b'e'];
        let input = jpeg_with(&[exif_app1(), xmp, comment]);
        assert!(contains(&input, b"GAZA-LOCATION"));
        let out = strip(FileKind::Jpeg, &input);
        assert!(!contains(&out, b"GAZA-LOCATION"));
        assert!(!contains(&out, b"http://ns.adob"));
        assert!(!contains(&out, b"home"));
        // Orientation 6 survives in a fresh EXIF block that a reader understands.
        let kept = &out[out.windows(6).position(|w| w == b"Exif\x00\x00").expect("exif kept") + 6..];
        assert_eq!(orientation_of(kept), Some(6));
        // JFIF header and the scan are unchanged.
        assert!(out.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(out.ends_with(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0x00, 0x33, 0xFF, 0xD9]));
    }

    #[test]
    fn jpeg_without_metadata_is_unchanged() {
        let input = jpeg_with(&[]);
        assert_eq!(strip(FileKind::Jpeg, &input), input);
    }

    #[test]
    fn truncated_jpeg_is_malformed() {
        let input = jpeg_with(&[exif_app1()]);
        let mut out = Cursor::new(Vec::new());
        assert!(strip_metadata(FileKind::Jpeg, &input[..30], &mut out).is_err());
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
        chunk.extend_from_slice(kind);
        chunk.extend_from_slice(data);
        chunk.extend_from_slice(&[1, 2, 3, 4]); // CRC (not checked here)
        chunk
    }

    #[test]
    fn png_loses_exif_and_text_chunks() {
        let mut input = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        input.extend(png_chunk(b"IHDR", &[0; 13]));
        input.extend(png_chunk(b"eXIf", b"GAZA-LOCATION"));
        input.extend(png_chunk(b"iTXt", b"XML:com.adobe.xmp GAZA"));
        input.extend(png_chunk(b"IDAT", &[7; 100]));
        input.extend(png_chunk(b"IEND", &[]));
        let out = strip(FileKind::Png, &input);
        let mut expected = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        expected.extend(png_chunk(b"IHDR", &[0; 13]));
        expected.extend(png_chunk(b"IDAT", &[7; 100]));
        expected.extend(png_chunk(b"IEND", &[]));
        assert_eq!(out, expected);
    }

    fn webp_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut chunk = fourcc.to_vec();
        chunk.extend_from_slice(&(data.len() as u32).to_le_bytes());
        chunk.extend_from_slice(data);
        if data.len() % 2 == 1 {
            chunk.push(0);
        }
        chunk
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&((4 + body.len()) as u32).to_le_bytes());
        file.extend_from_slice(b"WEBP");
        file.extend(body);
        file
    }

    #[test]
    fn webp_loses_exif_and_xmp_and_stays_consistent() {
        let mut vp8x = vec![0b0000_1100, 0, 0, 0];
        vp8x.extend_from_slice(&[9, 0, 0, 9, 0, 0]);
        let input = riff(&[
            webp_chunk(b"VP8X", &vp8x),
            webp_chunk(b"VP8 ", &[5; 21]),
            webp_chunk(b"EXIF", b"GAZA-LOCATION"),
            webp_chunk(b"XMP ", b"<x:xmpmeta/>"),
        ]);
        let out = strip(FileKind::Webp, &input);
        let mut cleared = vp8x.clone();
        cleared[0] = 0;
        assert_eq!(
            out,
            riff(&[webp_chunk(b"VP8X", &cleared), webp_chunk(b"VP8 ", &[5; 21])])
        );
    }

    #[test]
    fn pdf_is_copied_as_it_is() {
        let input = b"%PDF-1.7\nwhatever\n%%EOF".to_vec();
        assert_eq!(strip(FileKind::Pdf, &input), input);
    }
}
