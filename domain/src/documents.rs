//! Document rules that need no I/O: the document types, statuses, what a file is by its
//! content, safe display names, the chunked-upload protocol and who may see or review what.
use crate::roles::{can_view_profile, AccountRef, Actor, Role};
use serde::{Deserialize, Serialize};

/// Files travel in chunks of this size (the last one may be shorter).
pub const CHUNK_SIZE: u64 = 1024 * 1024;
/// Largest file accepted unless configured otherwise.
pub const FILE_MAX_DEFAULT: u64 = 20 * 1024 * 1024;
/// Room per person unless configured otherwise (documents kept plus uploads under way).
pub const QUOTA_DEFAULT: u64 = 200 * 1024 * 1024;
/// Longest display name kept, in characters.
pub const NAME_MAX_CHARS: usize = 120;
/// An advisor's reason for a rejection, in characters.
pub const REASON_MIN: usize = 3;
pub const REASON_MAX: usize = 500;
/// Unfinished uploads untouched for this long are removed with their chunks.
pub const ABANDONED_AFTER_SECS: i64 = 24 * 60 * 60;
/// Most documents one person keeps (versions replaced by a newer one not counted).
pub const DOCUMENTS_MAX: i64 = 100;

/// Per-file limit and per-person room, set by the server's configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLimits {
    pub file_max: u64,
    pub quota: u64,
}

impl Default for DocumentLimits {
    fn default() -> Self {
        DocumentLimits {
            file_max: FILE_MAX_DEFAULT,
            quota: QUOTA_DEFAULT,
        }
    }
}

crate::keyed! {
    /// The kinds of paper the One-Stop Shop asks for (`docs/workflow.md`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum DocumentType {
        IdCopy = "id_copy",
        PersonalPhoto = "personal_photo",
        LeaseContract = "lease_contract",
        MunicipalLicence = "municipal_licence",
        TraderCertificate = "trader_certificate",
        CompanyRegistration = "company_registration",
        ArticlesOfAssociation = "articles_of_association",
        PowerOfAttorney = "power_of_attorney",
        TrademarkSample = "trademark_sample",
        Quotation = "quotation",
        Other = "other",
    }
}

crate::keyed! {
    /// Where a document stands with the chamber.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum DocumentStatus {
        /// Uploaded, not yet looked at.
        Uploaded = "uploaded",
        Verified = "verified",
        /// Rejected with a reason; the owner replaces it.
        Rejected = "rejected",
    }
}

impl DocumentStatus {
    /// A verified document is locked: the chamber relies on it.
    pub fn owner_may_change(self) -> bool {
        self != DocumentStatus::Verified
    }
}

crate::keyed! {
    /// What a plan's checklist says about one required document type.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum ChecklistState {
        Missing = "missing",
        Uploaded = "uploaded",
        Verified = "verified",
        Rejected = "rejected",
    }
}

/// The state of a required type from the owner's current documents of that type: the best
/// of them counts (one verified ID copy is enough, whatever else was rejected).
pub fn checklist_state(statuses: impl IntoIterator<Item = DocumentStatus>) -> ChecklistState {
    let mut state = ChecklistState::Missing;
    for status in statuses {
        state = match (state, status) {
            (_, DocumentStatus::Verified) | (ChecklistState::Verified, _) => ChecklistState::Verified,
            (_, DocumentStatus::Uploaded) | (ChecklistState::Uploaded, _) => ChecklistState::Uploaded,
            _ => ChecklistState::Rejected,
        };
    }
    state
}

crate::keyed! {
    /// What a reviewer decides about a document.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Decision {
        Verify = "verify",
        /// Rejected, with the reason the owner reads.
        Reject = "reject",
    }
}

crate::keyed! {
    /// The file formats accepted, recognised by their content.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum FileKind {
        Pdf = "pdf",
        Jpeg = "jpeg",
        Png = "png",
        Webp = "webp",
    }
}

impl FileKind {
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
        }
    }

    /// File-name extensions that agree with this content.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Jpeg => &["jpg", "jpeg", "jfif", "jpe"],
            FileKind::Png => &["png"],
            FileKind::Webp => &["webp"],
        }
    }

    pub fn is_image(self) -> bool {
        self != FileKind::Pdf
    }

    /// What the first bytes of a file say it is (at least 12 bytes are needed). Names and
    /// announced types are never trusted.
    pub fn sniff(head: &[u8]) -> Option<FileKind> {
        match infer::get(head)?.mime_type() {
            "application/pdf" => Some(FileKind::Pdf),
            "image/jpeg" => Some(FileKind::Jpeg),
            "image/png" => Some(FileKind::Png),
            "image/webp" => Some(FileKind::Webp),
            _ => None,
        }
    }
}

/// Why a file is refused. Each one is a sentence for the person in their language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FileProblem {
    /// Zero bytes.
    Empty,
    /// Larger than the per-file limit.
    TooLarge { max_mb: u32 },
    /// The person's space is full.
    QuotaFull { quota_mb: u32 },
    /// Not a PDF, JPEG, PNG or WebP (by content).
    UnsupportedType,
    /// The name's extension says something else than the content (`photo.pdf` holding a JPEG).
    ExtensionMismatch,
    /// The file that arrived is not the file that was sent (SHA-256 differs).
    Damaged,
    /// The virus scanner flagged it.
    Infected,
    /// The scanner could not be reached; nothing was stored.
    ScanUnavailable,
    /// A chunk did not fit where the upload stands (`received` bytes are stored).
    OutOfOrder { received: u64 },
    /// Unknown document type.
    UnknownType,
    /// The most documents one person keeps.
    TooMany { max: u32 },
    /// The server's data volume is nearly full: no new files until it has room again.
    ServerFull,
}

impl FileProblem {
    pub fn status(self) -> u16 {
        match self {
            FileProblem::TooLarge { .. } | FileProblem::QuotaFull { .. } => 413,
            FileProblem::OutOfOrder { .. } => 409,
            FileProblem::UnsupportedType | FileProblem::ExtensionMismatch => 415,
            FileProblem::ScanUnavailable => 503,
            FileProblem::ServerFull => 507,
            _ => 422,
        }
    }
}

/// Megabytes for messages, rounded down (limits are whole megabytes in practice).
pub fn whole_mb(bytes: u64) -> u32 {
    (bytes / (1024 * 1024)).min(u32::MAX as u64) as u32
}

/// Characters that would let a name lie about itself: controls, and the bidirectional
/// overrides and isolates that make `gpj.exe` look like `exe.jpg`.
fn is_hidden_or_bidi(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}'
        )
}

/// The name kept for display: no folders, no hidden or direction-changing characters, no
/// leading dots, at most `NAME_MAX_CHARS` characters with the extension kept. An empty
/// result becomes "document" plus the extension of the content.
pub fn clean_display_name(raw: &str, kind: Option<FileKind>) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let visible: String = last.chars().filter(|c| !is_hidden_or_bidi(*c)).collect();
    let trimmed = visible
        .trim()
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' ']);
    let mut name = trimmed.to_string();
    if name.chars().count() > NAME_MAX_CHARS {
        let extension = extension_of(&name).map(|e| format!(".{e}")).unwrap_or_default();
        let keep = NAME_MAX_CHARS.saturating_sub(extension.chars().count());
        let stem: String = name.chars().take(keep).collect();
        name = format!("{}{extension}", stem.trim_end());
    }
    if name.is_empty() || name.chars().all(|c| c == '.') {
        let extension = kind.map(|k| format!(".{}", k.extensions()[0])).unwrap_or_default();
        name = format!("document{extension}");
    }
    name
}

/// The lower-case extension of a name, when it has a plausible one (1–5 letters or digits).
pub fn extension_of(name: &str) -> Option<String> {
    let (stem, extension) = name.rsplit_once('.')?;
    let plausible = !stem.is_empty()
        && (1..=5).contains(&extension.chars().count())
        && extension.chars().all(|c| c.is_ascii_alphanumeric());
    plausible.then(|| extension.to_ascii_lowercase())
}

/// Does the name agree with the content? A name without an extension always does.
pub fn name_agrees(name: &str, kind: FileKind) -> bool {
    match extension_of(name) {
        None => true,
        Some(extension) => kind.extensions().contains(&extension.as_str()),
    }
}

/// `Content-Disposition` for a download (RFC 6266): an ASCII fallback for old clients and
/// the real name, UTF-8 and percent-encoded, for the rest.
pub fn attachment_disposition(name: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    // RFC 5987 attr-char: letters, digits and !#$&+-.^_`|~ travel as they are.
    const ATTR: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'!')
        .remove(b'#')
        .remove(b'$')
        .remove(b'&')
        .remove(b'+')
        .remove(b'-')
        .remove(b'.')
        .remove(b'^')
        .remove(b'_')
        .remove(b'`')
        .remove(b'|')
        .remove(b'~');
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR)
    )
}

/// Checks one chunk against where its upload stands. Chunks come in order, each exactly
/// `CHUNK_SIZE` but the last, and never beyond the size announced at the start.
pub fn check_chunk(received: u64, declared: u64, offset: u64, len: u64) -> Result<(), FileProblem> {
    if offset != received || len == 0 || len > CHUNK_SIZE {
        return Err(FileProblem::OutOfOrder { received });
    }
    let end = offset.checked_add(len).ok_or(FileProblem::OutOfOrder { received })?;
    if end > declared || (end < declared && len != CHUNK_SIZE) {
        return Err(FileProblem::OutOfOrder { received });
    }
    Ok(())
}

/// Checks a new upload's announced size against the per-file limit and the person's room.
pub fn check_room(declared: u64, used: u64, file_max: u64, quota: u64) -> Result<(), FileProblem> {
    if declared == 0 {
        return Err(FileProblem::Empty);
    }
    if declared > file_max {
        return Err(FileProblem::TooLarge {
            max_mb: whole_mb(file_max),
        });
    }
    if used.saturating_add(declared) > quota {
        return Err(FileProblem::QuotaFull {
            quota_mb: whole_mb(quota),
        });
    }
    Ok(())
}

/// Is `text` a SHA-256 written as 64 lower-case hex digits?
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Who may see an owner's documents: the owner, staff of the owner's chamber, the Fund.
pub fn can_read_documents(actor: &Actor, owner: &AccountRef) -> bool {
    owner.role == Role::Entrepreneur && can_view_profile(actor, owner)
}

/// Who may verify or reject them: advisors and managers of the owner's chamber. The Fund
/// reads everything but does not judge an entrepreneur's papers.
pub fn can_review_documents(actor: &Actor, owner: &AccountRef) -> bool {
    matches!(actor.role, Role::Advisor | Role::ChamberManager)
        && owner.role == Role::Entrepreneur
        && actor.chamber.is_some()
        && actor.chamber == owner.chamber
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::{ChamberId, UserId};

    const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0];
    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    const WEBP: &[u8] = b"RIFF\x24\x00\x00\x00WEBPVP8 ";

    #[test]
    fn keys_round_trip() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::from_key(t.key()), Some(t));
        }
        for s in DocumentStatus::ALL {
            assert_eq!(DocumentStatus::from_key(s.key()), Some(s));
        }
        for k in FileKind::ALL {
            assert_eq!(FileKind::from_key(k.key()), Some(k));
        }
        assert_eq!(DocumentType::from_key("passport"), None);
    }

    #[test]
    fn content_decides_the_kind() {
        assert_eq!(FileKind::sniff(PDF), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(JPEG), Some(FileKind::Jpeg));
        assert_eq!(FileKind::sniff(PNG), Some(FileKind::Png));
        assert_eq!(FileKind::sniff(WEBP), Some(FileKind::Webp));
        // A Windows program, a GIF, a ZIP (docx) and plain text are not accepted.
        assert_eq!(FileKind::sniff(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00"), None);
        assert_eq!(FileKind::sniff(b"GIF89a\x01\x00\x01\x00\x00\x00"), None);
        assert_eq!(FileKind::sniff(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00"), None);
        assert_eq!(FileKind::sniff(b"just some text here"), None);
        assert_eq!(FileKind::sniff(b""), None);
    }

    #[test]
    fn names_lose_folders_hidden_characters_and_excess() {
        assert_eq!(clean_display_name("../../etc/passwd", None), "passwd");
        assert_eq!(clean_display_name("C:\\Users\\a\\هوية.pdf", None), "هوية.pdf");
        // U+202E would show "photo\u{202E}gpj.exe" as "photoexe.jpg".
        assert_eq!(clean_display_name("photo\u{202E}gpj.exe", None), "photogpj.exe");
        assert_eq!(clean_display_name("a\u{0000}b\u{200F}c\u{2067}.pdf", None), "abc.pdf");
        assert_eq!(clean_display_name("  .hidden.pdf ", None), "hidden.pdf");
        assert_eq!(clean_display_name("..", Some(FileKind::Pdf)), "document.pdf");
        assert_eq!(clean_display_name("", Some(FileKind::Jpeg)), "document.jpg");
        assert_eq!(clean_display_name("\u{202E}", None), "document");
        let long = format!("{}.jpeg", "ع".repeat(300));
        let cleaned = clean_display_name(&long, None);
        assert_eq!(cleaned.chars().count(), NAME_MAX_CHARS);
        assert!(cleaned.ends_with(".jpeg"));
    }

    #[test]
    fn extensions_must_agree_with_content() {
        assert!(name_agrees("scan.PDF", FileKind::Pdf));
        assert!(name_agrees("IMG_2024.jpeg", FileKind::Jpeg));
        assert!(name_agrees("no extension", FileKind::Png));
        assert!(name_agrees("عقد الإيجار", FileKind::Pdf));
        assert!(!name_agrees("photo.pdf", FileKind::Jpeg));
        assert!(!name_agrees("invoice.exe", FileKind::Pdf));
        assert!(!name_agrees("logo.png", FileKind::Webp));
        assert_eq!(extension_of(".bashrc"), None);
        assert_eq!(extension_of("v1.2 final"), None);
    }

    #[test]
    fn downloads_name_the_file_safely() {
        assert_eq!(
            attachment_disposition("عقد.pdf"),
            "attachment; filename=\"___.pdf\"; filename*=UTF-8''%D8%B9%D9%82%D8%AF.pdf"
        );
        // A quote or a semicolon in a name cannot end the header value early.
        let hostile = attachment_disposition("a\";b.pdf");
        assert!(hostile.starts_with("attachment; filename=\"a__b.pdf\"; filename*=UTF-8''a%22%3Bb.pdf"));
    }

    #[test]
    fn chunks_come_in_order_and_within_the_announced_size() {
        let size = 2 * CHUNK_SIZE + 10;
        assert_eq!(check_chunk(0, size, 0, CHUNK_SIZE), Ok(()));
        assert_eq!(check_chunk(CHUNK_SIZE, size, CHUNK_SIZE, CHUNK_SIZE), Ok(()));
        assert_eq!(check_chunk(2 * CHUNK_SIZE, size, 2 * CHUNK_SIZE, 10), Ok(()));
        // A chunk again, one ahead, a short one in the middle, beyond the end, empty.
        let refused = FileProblem::OutOfOrder { received: CHUNK_SIZE };
        assert_eq!(check_chunk(CHUNK_SIZE, size, 0, CHUNK_SIZE), Err(refused));
        assert_eq!(check_chunk(CHUNK_SIZE, size, 2 * CHUNK_SIZE, 10), Err(refused));
        assert_eq!(check_chunk(CHUNK_SIZE, size, CHUNK_SIZE, 5), Err(refused));
        assert_eq!(check_chunk(CHUNK_SIZE, size, CHUNK_SIZE, CHUNK_SIZE + 1), Err(refused));
        assert_eq!(check_chunk(CHUNK_SIZE, size, CHUNK_SIZE, 0), Err(refused));
        assert_eq!(
            check_chunk(2 * CHUNK_SIZE, size, 2 * CHUNK_SIZE, 11),
            Err(FileProblem::OutOfOrder {
                received: 2 * CHUNK_SIZE
            })
        );
        assert_eq!(
            check_chunk(u64::MAX, u64::MAX, u64::MAX, 1),
            Err(FileProblem::OutOfOrder { received: u64::MAX })
        );
    }

    #[test]
    fn room_is_checked_before_anything_travels() {
        let mb = 1024 * 1024;
        assert_eq!(check_room(5 * mb, 0, 20 * mb, 200 * mb), Ok(()));
        assert_eq!(check_room(0, 0, 20 * mb, 200 * mb), Err(FileProblem::Empty));
        assert_eq!(
            check_room(21 * mb, 0, 20 * mb, 200 * mb),
            Err(FileProblem::TooLarge { max_mb: 20 })
        );
        assert_eq!(
            check_room(20 * mb, 190 * mb, 20 * mb, 200 * mb),
            Err(FileProblem::QuotaFull { quota_mb: 200 })
        );
        assert_eq!(check_room(10 * mb, 190 * mb, 20 * mb, 200 * mb), Ok(()));
    }

    #[test]
    fn the_best_document_of_a_type_decides_the_checklist() {
        use DocumentStatus::*;
        assert_eq!(checklist_state([]), ChecklistState::Missing);
        assert_eq!(checklist_state([Rejected]), ChecklistState::Rejected);
        assert_eq!(checklist_state([Rejected, Uploaded]), ChecklistState::Uploaded);
        assert_eq!(checklist_state([Uploaded, Rejected]), ChecklistState::Uploaded);
        assert_eq!(
            checklist_state([Rejected, Verified, Uploaded]),
            ChecklistState::Verified
        );
    }

    #[test]
    fn sha256_is_64_lower_hex_digits() {
        assert!(is_sha256_hex(&"a1".repeat(32)));
        assert!(!is_sha256_hex(&"A1".repeat(32)));
        assert!(!is_sha256_hex(&"a1".repeat(31)));
        assert!(!is_sha256_hex(&"g1".repeat(32)));
    }

    fn actor(id: i64, role: Role, chamber: Option<i64>) -> Actor {
        Actor {
            id: UserId(id),
            role,
            chamber: chamber.map(ChamberId),
        }
    }

    #[test]
    fn owner_chamber_staff_and_fund_read_documents_and_only_chamber_staff_review() {
        let owner = AccountRef {
            id: UserId(1),
            role: Role::Entrepreneur,
            chamber: Some(ChamberId(3)),
        };
        let me = actor(1, Role::Entrepreneur, Some(3));
        let other = actor(2, Role::Entrepreneur, Some(3));
        let advisor = actor(10, Role::Advisor, Some(3));
        let manager = actor(11, Role::ChamberManager, Some(3));
        let elsewhere = actor(12, Role::Advisor, Some(4));
        let fund = actor(13, Role::FundAdmin, None);
        assert!(can_read_documents(&me, &owner));
        assert!(!can_read_documents(&other, &owner));
        assert!(can_read_documents(&advisor, &owner));
        assert!(can_read_documents(&manager, &owner));
        assert!(!can_read_documents(&elsewhere, &owner));
        assert!(can_read_documents(&fund, &owner));
        assert!(!can_review_documents(&me, &owner));
        assert!(can_review_documents(&advisor, &owner));
        assert!(can_review_documents(&manager, &owner));
        assert!(!can_review_documents(&elsewhere, &owner));
        assert!(!can_review_documents(&fund, &owner));
    }

    #[test]
    fn verified_documents_are_locked_for_their_owner() {
        assert!(DocumentStatus::Uploaded.owner_may_change());
        assert!(DocumentStatus::Rejected.owner_may_change());
        assert!(!DocumentStatus::Verified.owner_may_change());
    }
}
