//! Removes what a photo says about where and when it was taken (EXIF, XMP, text chunks)
//! before it is stored. Streams: the picture data is copied through, never held whole.
//! Each format keeps an allow-list of what a viewer needs (anything unknown goes), and
//! nothing after the picture's end survives. A JPEG keeps its orientation (a one-entry EXIF
//! block), so phone photos stay upright. PDFs are stored as sent: see `docs/security.md`.
use domain::documents::FileKind;
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};

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
        FileKind::Jpeg => strip_jpeg(io::BufReader::new(input), output),
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

/// JPEG: keeps only the segments a decoder needs. Of the application segments that stay,
/// JFIF loses its thumbnail, EXIF is rebuilt with the orientation alone, and the ICC colour
/// profile and Adobe's colour-transform flag are kept (without them colours change); every
/// other APPn (XMP, IPTC, the Multi-Picture index of phones' second images, maker notes) and
/// comments go, also between the scans of a progressive picture, and so does whatever follows
/// the end of the picture (a second image, an appended archive).
fn strip_jpeg<R: BufRead, W: Write>(mut input: R, output: &mut W) -> Result<(), StripError> {
    let malformed = || StripError::Malformed("JPEG");
    if read_u16_be(&mut input)? != 0xFFD8 {
        return Err(malformed());
    }
    output.write_all(&[0xFF, 0xD8])?;
    let mut pending: Option<u8> = None;
    loop {
        let marker = match pending.take() {
            Some(marker) => marker,
            None => next_marker(&mut input).map_err(|_| malformed())?,
        };
        match marker {
            // End of the picture: anything after it is not part of the image.
            0xD9 => {
                output.write_all(&[0xFF, 0xD9])?;
                return Ok(());
            }
            0x01 | 0xD0..=0xD7 => output.write_all(&[0xFF, marker])?,
            _ => {
                let length = read_u16_be(&mut input).map_err(|_| malformed())?;
                if length < 2 {
                    return Err(malformed());
                }
                let mut payload = vec![0u8; usize::from(length) - 2];
                input.read_exact(&mut payload).map_err(|_| malformed())?;
                if let Some(kept) = kept_segment(marker, &payload) {
                    output.write_all(&kept)?;
                }
                if marker == 0xDA {
                    pending = copy_scan(&mut input, output)?;
                    if pending.is_none() {
                        // A picture cut short after its data: close it rather than refuse it.
                        output.write_all(&[0xFF, 0xD9])?;
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// The next marker code, after its 0xFF and any fill bytes.
fn next_marker<R: Read>(input: &mut R) -> io::Result<u8> {
    let mut byte = [0u8; 1];
    input.read_exact(&mut byte)?;
    if byte[0] != 0xFF {
        return Err(io::ErrorKind::InvalidData.into());
    }
    while byte[0] == 0xFF {
        input.read_exact(&mut byte)?;
    }
    Ok(byte[0])
}

/// A segment as it is written out, or `None` when it is dropped.
fn kept_segment(marker: u8, payload: &[u8]) -> Option<Vec<u8>> {
    let whole = |payload: &[u8]| {
        let mut segment = vec![0xFF, marker];
        segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        segment.extend_from_slice(payload);
        segment
    };
    match marker {
        // JFIF: version, units and density; the thumbnail's size set to 0 and its pixels gone.
        0xE0 if payload.starts_with(b"JFIF\0") && payload.len() >= 14 => {
            let mut jfif = payload[..14].to_vec();
            jfif[12] = 0;
            jfif[13] = 0;
            Some(whole(&jfif))
        }
        0xE1 => payload
            .strip_prefix(b"Exif\x00\x00")
            .and_then(orientation_of)
            .map(orientation_segment),
        0xE2 if payload.starts_with(b"ICC_PROFILE\0") => Some(whole(payload)),
        // Adobe's fixed 12 bytes: version, two flag words and the colour transform.
        0xEE if payload.starts_with(b"Adobe") && payload.len() == 12 => Some(whole(payload)),
        0xE0..=0xEF | 0xFE => None,
        _ => Some(whole(payload)),
    }
}

/// Copies a scan's entropy-coded data (stuffed zeros and restart markers included) and
/// returns the marker that ends it, or `None` when the file ends first. Reads no further
/// than that marker.
fn copy_scan<R: BufRead, W: Write>(input: &mut R, output: &mut W) -> io::Result<Option<u8>> {
    let mut out = Vec::with_capacity(16 * 1024);
    let mut after_ff = false;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            output.write_all(&out)?;
            return Ok(None);
        }
        let mut used = 0;
        let mut ended = None;
        for &byte in buffer {
            used += 1;
            if after_ff {
                match byte {
                    0xFF => {}
                    0x00 | 0xD0..=0xD7 => {
                        out.extend_from_slice(&[0xFF, byte]);
                        after_ff = false;
                    }
                    marker => {
                        ended = Some(marker);
                        break;
                    }
                }
            } else if byte == 0xFF {
                after_ff = true;
            } else {
                out.push(byte);
            }
        }
        input.consume(used);
        output.write_all(&out)?;
        out.clear();
        if ended.is_some() {
            return Ok(ended);
        }
    }
}

/// PNG: keeps the chunks that say how to draw the picture (the critical ones, colour,
/// transparency, pixel size and animation); EXIF, text (which carries XMP), the time and any
/// chunk it does not know go, and so does whatever follows the end chunk.
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
        let dropped = !matches!(
            chunk_type,
            b"IHDR"
                | b"PLTE"
                | b"IDAT"
                | b"IEND"
                | b"tRNS"
                | b"cHRM"
                | b"gAMA"
                | b"iCCP"
                | b"sBIT"
                | b"sRGB"
                | b"cICP"
                | b"mDCv"
                | b"cLLi"
                | b"bKGD"
                | b"pHYs"
                | b"acTL"
                | b"fcTL"
                | b"fdAT"
        );
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

/// WebP: keeps the image, alpha, animation and colour-profile chunks; EXIF, XMP and any
/// chunk it does not know go (their flags cleared, the RIFF size fixed), and so does
/// whatever follows the size the file declares.
fn strip_webp<R: Read, W: Write + Seek>(mut input: R, output: &mut W) -> Result<(), StripError> {
    let malformed = || StripError::Malformed("WebP");
    let mut header = [0u8; 12];
    input.read_exact(&mut header)?;
    if &header[0..4] != b"RIFF" || &header[8..12] != b"WEBP" {
        return Err(malformed());
    }
    let declared = u64::from(u32::from_le_bytes([header[4], header[5], header[6], header[7]]));
    let mut input = input.take(declared.saturating_sub(4));
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
        if !matches!(
            fourcc,
            b"VP8 " | b"VP8L" | b"VP8X" | b"ALPH" | b"ANIM" | b"ANMF" | b"ICCP"
        ) {
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
        jpeg.extend_from_slice(&jfif(&[]));
        for s in segments {
            jpeg.extend_from_slice(s);
        }
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0x00, 0x33, 0xFF, 0xD9]);
        jpeg
    }

    /// A JFIF header (version 1.1, 72 dpi) with the given thumbnail pixels (1 px high).
    fn jfif(thumbnail: &[u8]) -> Vec<u8> {
        let mut payload = b"JFIF\0\x01\x01\x01\x00\x48\x00\x48".to_vec();
        payload.extend_from_slice(&[(thumbnail.len() / 3) as u8, u8::from(!thumbnail.is_empty())]);
        payload.extend_from_slice(thumbnail);
        segment(0xE0, &payload)
    }

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    #[test]
    fn jpeg_keeps_only_what_draws_the_picture() {
        let icc = segment(0xE2, b"ICC_PROFILE\0\x01\x01colour");
        let adobe = segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01");
        let mut input = vec![0xFF, 0xD8];
        input.extend(jfif(b"GPSthumbGPS"));
        input.extend(icc.clone());
        input.extend(segment(0xE2, b"MPF\0GAZA-MPF"));
        input.extend(segment(0xE3, b"GAZA-APP3"));
        input.extend(segment(0xED, b"Photoshop 3.0\0GAZA-IPTC"));
        input.extend(segment(0xEF, b"GAZA-APP15"));
        input.extend(adobe.clone());
        input.extend(segment(0xEE, b"GAZA-not-adobe"));
        let tables = segment(0xDB, &[0; 65]);
        input.extend(tables.clone());
        // A progressive picture: two scans, with metadata between them that must go too.
        let first_scan = [0xDA, 0x00, 0x02, 0x11, 0xFF, 0x00, 0x22, 0xFF, 0xD3, 0x33];
        input.push(0xFF);
        input.extend_from_slice(&first_scan);
        input.extend(segment(0xFE, b"GAZA-COMMENT"));
        input.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0GAZA-XMP"));
        input.extend_from_slice(&[0xFF, 0xFF, 0xDA, 0x00, 0x02, 0x44, 0xFF, 0xD9]);
        // A second picture after the end (phones put depth maps and previews there).
        input.extend(jpeg_with(&[exif_app1()]));
        input.extend_from_slice(b"GAZA-TRAILER");
        let out = strip(FileKind::Jpeg, &input);
        for secret in [&b"GAZA"[..], b"GPSthumb", b"ns.adobe"] {
            assert!(!contains(&out, secret), "{} survived", String::from_utf8_lossy(secret));
        }
        let mut expected = vec![0xFF, 0xD8];
        expected.extend(jfif(&[]));
        expected.extend(icc);
        expected.extend(adobe);
        expected.extend(tables);
        expected.push(0xFF);
        expected.extend_from_slice(&first_scan);
        expected.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x44, 0xFF, 0xD9]);
        assert_eq!(out, expected);
    }

    #[test]
    fn jpeg_cut_short_in_its_data_is_closed() {
        let mut input = jpeg_with(&[]);
        input.truncate(input.len() - 4);
        let out = strip(FileKind::Jpeg, &input);
        assert!(out.ends_with(&[0x22, 0xFF, 0xD9]));
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
        input.extend(png_chunk(b"caBX", b"GAZA-PROVENANCE"));
        input.extend(png_chunk(b"IEND", &[]));
        input.extend_from_slice(b"GAZA-TRAILER");
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
            webp_chunk(b"GAZA", b"an unknown chunk"),
        ]);
        let mut input = input;
        input.extend_from_slice(b"GAZA-TRAILER");
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
