//! Documents through the real routes and server functions, on SQLite with a storage
//! directory and on PostgreSQL with S3-compatible storage: resumable uploads, files refused
//! by content with nothing left behind, location removed from photos, who may see and judge
//! a file, replacing a rejected one, the plan checklist, limits, the plain-form upload.
use crate::support::*;
use app::db::Backend;
use axum::http::StatusCode;
use domain::documents::DocumentLimits;
use serde_json::{json, Value};
use server::uploads::scan::eicar;

on_both_backends!(
    uploads_resume_after_a_cut_and_become_documents,
    bad_files_are_refused_and_leave_nothing,
    photos_lose_their_location_and_get_thumbnails,
    only_the_owner_chamber_staff_and_fund_see_files,
    advisors_verify_and_reject_and_owners_replace,
    plan_checklist_follows_the_library,
    limits_quota_and_the_plain_form,
    abandoned_uploads_are_swept,
    deleting_and_uploading_again_cannot_fill_the_disk,
    parallel_announcements_never_reserve_past_the_quota,
    uploads_stop_at_the_free_space_floor,
);

/// A PDF-looking file of about `size` bytes.
fn pdf(size: usize, fill: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(size.saturating_sub(7), fill);
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

/// A real JPEG photo carrying an EXIF block with a place name in it.
fn jpeg_with_location() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 4) as u8, (y * 5) as u8, 90]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 85)
        .encode_image(&picture)
        .expect("encode jpeg");
    let mut tiff = b"II\x2A\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    tiff.extend_from_slice(b"GPS 31.5017N 34.4668E GAZA-LOCATION");
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend_from_slice(b"Exif\x00\x00");
    app1.extend_from_slice(&tiff);
    let mut jpeg = plain[..2].to_vec();
    jpeg.extend(app1);
    jpeg.extend_from_slice(&plain[2..]);
    jpeg
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn problem(reply: &Reply) -> String {
    reply.json()["File"]["kind"].as_str().unwrap_or_default().to_string()
}

async fn entrepreneur(t: &TestApp, n: u32, governorate: &str) -> String {
    t.register(
        &format!("رائدة {n}"),
        &format!("059{n:07}"),
        &format!("owner{n}@example.ps"),
        governorate,
    )
    .await
}

async fn library(t: &TestApp, cookie: &str) -> Value {
    let reply = t.call("documents/mine", "", Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn uploads_resume_after_a_cut_and_become_documents(backend: Backend, store: Store) {
    let t = app_with_storage(backend, store).await;
    let owner = entrepreneur(&t, 1, "gaza").await;
    let file = pdf(2 * CHUNK + 4321, b'x');
    let announce = json!({"doc_type": "lease_contract", "name": "عقد الإيجار.pdf", "size": file.len(),
                          "sha256": sha256_hex(&file)});
    let started = t
        .raw(
            "POST",
            "/uploads",
            announce.to_string().into_bytes(),
            "application/json",
            Some(&owner),
        )
        .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let id = started.json()["id"].as_str().expect("id").to_string();
    assert_eq!(started.json()["chunk_size"], json!(CHUNK));
    let first = t
        .raw(
            "PUT",
            &format!("/uploads/{id}?offset=0"),
            file[..CHUNK].to_vec(),
            "application/octet-stream",
            Some(&owner),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["received"], json!(CHUNK));
    // The connection drops and the page reloads: choosing the file again finds the upload.
    let again = t
        .raw(
            "POST",
            "/uploads",
            announce.to_string().into_bytes(),
            "application/json",
            Some(&owner),
        )
        .await;
    assert_eq!(again.json()["id"], json!(id));
    assert_eq!(
        again.json()["received"],
        json!(CHUNK),
        "resumes from the confirmed chunk, not from zero"
    );
    let library_now = library(&t, &owner).await;
    assert_eq!(
        library_now["documents"],
        json!([]),
        "an unfinished upload is not a document"
    );
    assert_eq!(library_now["open_uploads"][0]["received"], json!(CHUNK));
    // A chunk sent twice (a retry after a lost answer) is refused with where things stand.
    let repeated = t
        .raw(
            "PUT",
            &format!("/uploads/{id}?offset=0"),
            file[..CHUNK].to_vec(),
            "application/octet-stream",
            Some(&owner),
        )
        .await;
    assert_eq!(repeated.status, StatusCode::CONFLICT);
    assert_eq!(repeated.json()["File"]["received"], json!(CHUNK));
    let second = t
        .raw(
            "PUT",
            &format!("/uploads/{id}?offset={CHUNK}"),
            file[CHUNK..2 * CHUNK].to_vec(),
            "application/octet-stream",
            Some(&owner),
        )
        .await;
    assert_eq!(second.json()["received"], json!(2 * CHUNK));
    assert!(second.json()["document"].is_null());
    let last = t
        .raw(
            "PUT",
            &format!("/uploads/{id}?offset={}", 2 * CHUNK),
            file[2 * CHUNK..].to_vec(),
            "application/octet-stream",
            Some(&owner),
        )
        .await;
    assert_eq!(last.status, StatusCode::OK, "{}", last.body);
    let document = &last.json()["document"];
    assert_eq!(document["status"], json!("uploaded"));
    assert_eq!(document["kind"], json!("pdf"));
    assert_eq!(document["name"], json!("عقد الإيجار.pdf"));
    let document_id = document["id"].as_i64().expect("document id");
    // The answer to the last chunk was lost: asking again, or sending it again, tells the
    // outcome instead of an error.
    let asked = t
        .raw("GET", &format!("/uploads/{id}"), Vec::new(), "text/plain", Some(&owner))
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert_eq!(asked.json()["document"]["id"], json!(document_id));
    let resent = t
        .raw(
            "PUT",
            &format!("/uploads/{id}?offset={}", 2 * CHUNK),
            file[2 * CHUNK..].to_vec(),
            "application/octet-stream",
            Some(&owner),
        )
        .await;
    assert_eq!(resent.json()["document"]["id"], json!(document_id));
    assert_eq!(t.count("SELECT COUNT(*) FROM documents").await, 1);
    assert!(
        t.stored("partial").await.is_empty(),
        "chunks are removed once the file is whole"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM uploads").await, 0);
    let listed = library(&t, &owner).await;
    assert_eq!(listed["documents"][0]["id"], json!(document_id));
    assert_eq!(listed["used"], json!(file.len()));
    // The download is the same bytes, as an attachment that cannot run in the site.
    let download = t.get(&format!("/documents/{document_id}/file"), Some(&owner)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes.as_ref(), file.as_slice());
    let header = |name: &str| {
        download
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("content-security-policy"), "sandbox");
    assert!(header("content-disposition").starts_with("attachment; filename="));
    assert!(header("content-disposition").contains("filename*=UTF-8''%D8%B9%D9%82%D8%AF"));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'upload_document'")
            .await,
        1
    );
}

async fn bad_files_are_refused_and_leave_nothing(backend: Backend, store: Store) {
    let t = app_with_storage(backend, store).await;
    let owner = entrepreneur(&t, 2, "gaza").await;
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04".to_vec();
    let refused = t.upload(&owner, "id_copy", "photo.gif", &gif, None).await;
    assert_eq!(refused.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(problem(&refused), "unsupported_type");
    // A program named like a document is refused by its content too.
    let program = [b"MZ\x90\x00".as_slice(), &[0u8; 200]].concat();
    assert_eq!(
        problem(&t.upload(&owner, "id_copy", "scan.pdf", &program, None).await),
        "unsupported_type"
    );
    let empty = t.upload(&owner, "id_copy", "empty.pdf", b"", None).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(&empty), "empty");
    let huge = json!({"doc_type": "id_copy", "name": "big.pdf", "size": 21 * CHUNK, "sha256": sha256_hex(b"x")});
    let too_large = t
        .raw(
            "POST",
            "/uploads",
            huge.to_string().into_bytes(),
            "application/json",
            Some(&owner),
        )
        .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.json()["File"], json!({"kind": "too_large", "max_mb": 20}));
    // The name's extension contradicts the content (a JPEG named .pdf; a PDF named .exe,
    // hidden behind a right-to-left override).
    let photo = jpeg_with_location();
    assert_eq!(
        problem(&t.upload(&owner, "id_copy", "photo.pdf", &photo, None).await),
        "extension_mismatch"
    );
    let hostile = "..\\..\\invoice\u{202E}fdp.exe";
    assert_eq!(
        problem(&t.upload(&owner, "quotation", hostile, &pdf(900, b'q'), None).await),
        "extension_mismatch"
    );
    // The EICAR test file inside a PDF is caught by the virus scan.
    let mut infected = pdf(5000, b'v');
    infected.splice(100..100, eicar().into_bytes());
    let scanned = t.upload(&owner, "quotation", "offer.pdf", &infected, None).await;
    assert_eq!(scanned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(&scanned), "infected");
    // Bytes that are not the announced file (SHA-256 differs).
    let file = pdf(3000, b'd');
    let wrong = json!({"doc_type": "id_copy", "name": "id.pdf", "size": file.len(), "sha256": sha256_hex(b"other")});
    let started = t
        .raw(
            "POST",
            "/uploads",
            wrong.to_string().into_bytes(),
            "application/json",
            Some(&owner),
        )
        .await;
    let id = started.json()["id"].as_str().expect("id").to_string();
    let damaged = t
        .raw(
            "PUT",
            &format!("/uploads/{id}?offset=0"),
            file,
            "application/octet-stream",
            Some(&owner),
        )
        .await;
    assert_eq!(problem(&damaged), "damaged");
    // A chunk larger than 1 MiB is refused before it is read.
    let announce = json!({"doc_type": "id_copy", "name": "x.pdf", "size": 3 * CHUNK, "sha256": sha256_hex(b"y")});
    let started = t
        .raw(
            "POST",
            "/uploads",
            announce.to_string().into_bytes(),
            "application/json",
            Some(&owner),
        )
        .await;
    let id = started.json()["id"].as_str().expect("id").to_string();
    let oversized = t
        .raw(
            "PUT",
            &format!("/uploads/{id}?offset=0"),
            vec![b'z'; 2 * CHUNK],
            "application/octet-stream",
            Some(&owner),
        )
        .await;
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    let cancelled = t
        .raw(
            "DELETE",
            &format!("/uploads/{id}"),
            Vec::new(),
            "text/plain",
            Some(&owner),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::NO_CONTENT);
    // Nothing of any of them was kept.
    assert_eq!(t.count("SELECT COUNT(*) FROM documents").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM uploads").await, 0);
    assert_eq!(t.stored("").await, Vec::<String>::new());
    assert_eq!(std::fs::read_dir(&t.uploads.work_dir).expect("work dir").count(), 0);
    // A hostile name with an honest extension is kept, cleaned.
    let kept = t
        .upload(
            &owner,
            "quotation",
            "../../etc/\u{202E}offer\u{0007}.pdf",
            &pdf(900, b'k'),
            None,
        )
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    assert_eq!(kept.json()["document"]["name"], json!("offer.pdf"));
}

async fn photos_lose_their_location_and_get_thumbnails(backend: Backend, store: Store) {
    let t = app_with_storage(backend, store).await;
    let owner = entrepreneur(&t, 3, "gaza").await;
    let photo = jpeg_with_location();
    assert!(contains(&photo, b"GAZA-LOCATION"));
    let reply = t.upload(&owner, "personal_photo", "IMG_0001.JPG", &photo, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = reply.json()["document"]["id"].as_i64().expect("id");
    assert_eq!(reply.json()["document"]["kind"], json!("jpeg"));
    let stored = t.get(&format!("/documents/{id}/file"), Some(&owner)).await;
    let bytes = stored.bytes.clone();
    assert!(
        !contains(&bytes, b"GAZA-LOCATION"),
        "the location is removed before storing"
    );
    assert!(image::load_from_memory(&bytes).is_ok(), "the photo itself is intact");
    let thumb = t.get(&format!("/documents/{id}/thumb"), Some(&owner)).await;
    assert_eq!(thumb.status, StatusCode::OK);
    assert_eq!(
        thumb.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("image/jpeg")
    );
    assert_eq!(
        thumb
            .headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok()),
        Some("sandbox")
    );
    assert_eq!(t.stored("thumbs").await.len(), 1, "the thumbnail is kept for next time");
    let pdf_reply = t.upload(&owner, "id_copy", "id.pdf", &pdf(2000, b'p'), None).await;
    let pdf_id = pdf_reply.json()["document"]["id"].as_i64().expect("id");
    assert_eq!(
        t.get(&format!("/documents/{pdf_id}/thumb"), Some(&owner)).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn only_the_owner_chamber_staff_and_fund_see_files(backend: Backend, store: Store) {
    let t = app_with_storage(backend, store).await;
    let owner = entrepreneur(&t, 4, "gaza").await;
    let other = entrepreneur(&t, 5, "gaza").await;
    t.staff("advisor", "adv-gaza@example.ps", "gaza").await;
    t.staff("advisor", "adv-hebron@example.ps", "hebron").await;
    t.staff("fund-admin", "fund@example.ps", "").await;
    let gaza = t.login("adv-gaza@example.ps", PASSWORD).await;
    let hebron = t.login("adv-hebron@example.ps", PASSWORD).await;
    let fund = t.login("fund@example.ps", PASSWORD).await;
    let reply = t
        .upload(&owner, "personal_photo", "me.jpg", &jpeg_with_location(), None)
        .await;
    let id = reply.json()["document"]["id"].as_i64().expect("id");
    let owner_id = t.count("SELECT id FROM users WHERE email = 'owner4@example.ps'").await;
    for path in [format!("/documents/{id}/file"), format!("/documents/{id}/thumb")] {
        assert_eq!(t.get(&path, Some(&owner)).await.status, StatusCode::OK, "{path}");
        assert_eq!(t.get(&path, Some(&gaza)).await.status, StatusCode::OK, "{path}");
        assert_eq!(t.get(&path, Some(&fund)).await.status, StatusCode::OK, "{path}");
        assert_eq!(t.get(&path, Some(&other)).await.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            t.get(&path, Some(&hebron)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
        let anonymous = t.get(&path, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert_eq!(
            anonymous.headers.get("location").and_then(|v| v.to_str().ok()),
            Some("/sign-in")
        );
    }
    let of = |cookie: String| {
        let t = &t;
        async move {
            t.call(
                "documents/of",
                &form(&[("owner_id", &owner_id.to_string())]),
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(of(gaza.clone()).await.status, StatusCode::OK);
    assert_eq!(of(fund.clone()).await.json()["can_review"], json!(false));
    assert_eq!(of(other.clone()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(of(hebron.clone()).await.status, StatusCode::NOT_FOUND);
    // Someone else's upload cannot be read, continued or cancelled; staff do not upload.
    let file = pdf(3000, b'o');
    let announce = json!({"doc_type": "id_copy", "name": "id.pdf", "size": file.len(), "sha256": sha256_hex(&file)});
    let started = t
        .raw(
            "POST",
            "/uploads",
            announce.to_string().into_bytes(),
            "application/json",
            Some(&owner),
        )
        .await;
    let upload = started.json()["id"].as_str().expect("id").to_string();
    assert_eq!(
        t.raw(
            "GET",
            &format!("/uploads/{upload}"),
            Vec::new(),
            "text/plain",
            Some(&other)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.raw(
            "PUT",
            &format!("/uploads/{upload}?offset=0"),
            file.clone(),
            "application/octet-stream",
            Some(&other)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.raw(
            "DELETE",
            &format!("/uploads/{upload}"),
            Vec::new(),
            "text/plain",
            Some(&other)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.upload(&gaza, "id_copy", "id.pdf", &file, None).await.status,
        StatusCode::FORBIDDEN
    );
    // A cross-site form cannot upload in the owner's name.
    let forged = t
        .send(
            axum::http::Request::post("/uploads")
                .header("cookie", &owner)
                .header("sec-fetch-site", "cross-site")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(announce.to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

async fn advisors_verify_and_reject_and_owners_replace(backend: Backend, store: Store) {
    let t = app_with_storage(backend, store).await;
    let owner = entrepreneur(&t, 6, "gaza").await;
    t.staff("advisor", "adv6@example.ps", "gaza").await;
    t.staff("advisor", "adv6-hebron@example.ps", "hebron").await;
    t.staff("fund-admin", "fund6@example.ps", "").await;
    let advisor = t.login("adv6@example.ps", PASSWORD).await;
    let elsewhere = t.login("adv6-hebron@example.ps", PASSWORD).await;
    let fund = t.login("fund6@example.ps", PASSWORD).await;
    let id_copy = t
        .upload(&owner, "id_copy", "id.pdf", &pdf(1500, b'i'), None)
        .await
        .json()["document"]["id"]
        .as_i64()
        .expect("id");
    let lease = t
        .upload(&owner, "lease_contract", "lease.pdf", &pdf(1600, b'l'), None)
        .await
        .json()["document"]["id"]
        .as_i64()
        .expect("id");
    let queue = t.call("documents/queue", "", Some(&advisor)).await;
    assert_eq!(queue.json().as_array().map(Vec::len), Some(2));
    assert_eq!(t.call("documents/queue", "", Some(&elsewhere)).await.json(), json!([]));
    let review = |cookie: String, id: i64, decision: &'static str, reason: &'static str| {
        let t = &t;
        async move {
            t.call(
                "documents/review",
                &form(&[
                    ("document_id", &id.to_string()),
                    ("decision", decision),
                    ("reason", reason),
                ]),
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(
        review(fund.clone(), id_copy, "verify", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        review(elsewhere.clone(), id_copy, "verify", "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        review(owner.clone(), id_copy, "verify", "").await.status,
        StatusCode::FORBIDDEN
    );
    let no_reason = review(advisor.clone(), lease, "reject", "  ").await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.json()["Invalid"][0]["field"], json!("reject_reason"));
    assert_eq!(
        review(advisor.clone(), id_copy, "verify", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        review(advisor.clone(), lease, "reject", "العقد غير موقّع من المالك")
            .await
            .status,
        StatusCode::OK
    );
    let mine = library(&t, &owner).await;
    let find = |id: i64| {
        mine["documents"]
            .as_array()
            .and_then(|d| d.iter().find(|x| x["id"] == json!(id)).cloned())
    };
    assert_eq!(find(id_copy).map(|d| d["status"].clone()), Some(json!("verified")));
    let rejected = find(lease).expect("lease listed");
    assert_eq!(rejected["status"], json!("rejected"));
    assert_eq!(rejected["reason"], json!("العقد غير موقّع من المالك"));
    // A verified document is locked; a rejected one is replaced by a new version.
    let delete = |id: i64| {
        let t = &t;
        let owner = owner.clone();
        async move {
            t.call(
                "documents/delete",
                &form(&[("document_id", &id.to_string())]),
                Some(&owner),
            )
            .await
        }
    };
    assert_eq!(delete(id_copy).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.upload(&owner, "id_copy", "id2.pdf", &pdf(1700, b'j'), Some(id_copy))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let replaced = t
        .upload(
            &owner,
            "lease_contract",
            "lease-signed.pdf",
            &pdf(1800, b's'),
            Some(lease),
        )
        .await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
    let new_id = replaced.json()["document"]["id"].as_i64().expect("id");
    let mine = library(&t, &owner).await;
    assert_eq!(
        mine["documents"].as_array().map(Vec::len),
        Some(2),
        "the old version is history, not a second document"
    );
    let current = mine["documents"]
        .as_array()
        .and_then(|d| d.iter().find(|x| x["id"] == json!(new_id)).cloned())
        .expect("new");
    assert_eq!(current["status"], json!("uploaded"));
    assert_eq!(current["earlier"][0]["id"], json!(lease));
    assert_eq!(current["earlier"][0]["reason"], json!("العقد غير موقّع من المالك"));
    // The old version stays readable for the chamber.
    assert_eq!(
        t.get(&format!("/documents/{lease}/file"), Some(&advisor)).await.status,
        StatusCode::OK
    );
    assert_eq!(delete(new_id).await.status, StatusCode::OK);
    assert_eq!(delete(new_id).await.status, StatusCode::NOT_FOUND);
    for action in [
        "upload_document",
        "verify_document",
        "reject_document",
        "replace_document",
        "delete_document",
    ] {
        assert!(
            t.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"))
                .await
                >= 1,
            "audit row for {action}"
        );
    }
    let detail: (String,) = sqlx::query_as("SELECT detail FROM audit_log WHERE action = 'reject_document'")
        .fetch_one(&t.state.pool)
        .await
        .expect("audit");
    assert_eq!(detail.0, "uploaded -> rejected: العقد غير موقّع من المالك");
}

async fn plan_checklist_follows_the_library(backend: Backend, store: Store) {
    let t = app_with_storage(backend, store).await;
    let owner = entrepreneur(&t, 7, "gaza").await;
    let other = entrepreneur(&t, 8, "gaza").await;
    t.staff("fund-admin", "fund7@example.ps", "").await;
    t.staff("advisor", "adv7@example.ps", "gaza").await;
    let fund = t.login("fund7@example.ps", PASSWORD).await;
    let advisor = t.login("adv7@example.ps", PASSWORD).await;
    let plan = t
        .call(
            "plans/create",
            &form(&[("title", "مخبز الحي"), ("currency", "ILS")]),
            Some(&owner),
        )
        .await
        .json()
        .as_i64()
        .expect("plan id");
    let checklist = |cookie: String| {
        let t = &t;
        async move {
            t.call(
                "documents/checklist",
                &form(&[("plan_id", &plan.to_string())]),
                Some(&cookie),
            )
            .await
        }
    };
    let list = checklist(owner.clone()).await.json();
    let states: Vec<(Value, Value)> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| (i["doc_type"].clone(), i["state"].clone()))
        .collect();
    assert_eq!(
        states,
        vec![
            (json!("id_copy"), json!("missing")),
            (json!("personal_photo"), json!("missing")),
            (json!("lease_contract"), json!("missing")),
            (json!("quotation"), json!("missing")),
        ]
    );
    let id = t
        .upload(&owner, "id_copy", "id.pdf", &pdf(1500, b'c'), None)
        .await
        .json()["document"]["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        checklist(owner.clone()).await.json()["items"][0]["state"],
        json!("uploaded")
    );
    t.call(
        "documents/review",
        &form(&[("document_id", &id.to_string()), ("decision", "verify"), ("reason", "")]),
        Some(&advisor),
    )
    .await;
    assert_eq!(
        checklist(owner.clone()).await.json()["items"][0]["state"],
        json!("verified")
    );
    // Drafts are private: neither another entrepreneur nor the chamber reads the checklist.
    assert_eq!(checklist(other.clone()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(checklist(advisor.clone()).await.status, StatusCode::NOT_FOUND);
    // The Fund edits what every plan needs; nobody else may.
    let set = |cookie: String, doc_type: &'static str, required: &'static str| {
        let t = &t;
        async move {
            t.call(
                "documents/required/set",
                &form(&[("doc_type", doc_type), ("required", required)]),
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(
        set(owner.clone(), "lease_contract", "false").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        set(fund.clone(), "lease_contract", "false").await.status,
        StatusCode::OK
    );
    assert_eq!(
        set(fund.clone(), "trademark_sample", "true").await.status,
        StatusCode::OK
    );
    assert_eq!(
        set(fund.clone(), "passport", "true").await.status,
        StatusCode::BAD_REQUEST
    );
    let types: Vec<Value> = checklist(owner.clone()).await.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["doc_type"].clone())
        .collect();
    assert_eq!(
        types,
        vec![
            json!("id_copy"),
            json!("personal_photo"),
            json!("quotation"),
            json!("trademark_sample")
        ]
    );
}

async fn limits_quota_and_the_plain_form(backend: Backend, store: Store) {
    let limits = DocumentLimits {
        file_max: 2 * CHUNK as u64,
        quota: 3 * CHUNK as u64,
    };
    let t = app_with_limits(backend, store, limits).await;
    let owner = entrepreneur(&t, 9, "gaza").await;
    let half = CHUNK + CHUNK / 2;
    assert_eq!(
        t.upload(&owner, "quotation", "a.pdf", &pdf(half, b'a'), None)
            .await
            .status,
        StatusCode::OK
    );
    let too_big = t
        .upload(&owner, "quotation", "b.pdf", &pdf(2 * CHUNK + 1, b'b'), None)
        .await;
    assert_eq!(too_big.json()["File"], json!({"kind": "too_large", "max_mb": 2}));
    assert_eq!(
        t.upload(&owner, "quotation", "c.pdf", &pdf(half, b'c'), None)
            .await
            .status,
        StatusCode::OK
    );
    let full = t.upload(&owner, "quotation", "d.pdf", &pdf(1000, b'd'), None).await;
    assert_eq!(full.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(full.json()["File"], json!({"kind": "quota_full", "quota_mb": 3}));
    // Without JavaScript: one multipart form, answered with a redirect to the library.
    let other = entrepreneur(&t, 10, "gaza").await;
    let form_upload = |doc_type: &'static str, name: &'static str, bytes: Vec<u8>| {
        let t = &t;
        let other = other.clone();
        async move { t.form_upload(&other, doc_type, name, &bytes).await }
    };
    let location = |reply: &Reply| {
        reply
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let accepted = form_upload("id_copy", "هوية.pdf", pdf(5000, b'f')).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    assert!(
        location(&accepted).starts_with("/documents?uploaded="),
        "{}",
        location(&accepted)
    );
    let wrong = form_upload("id_copy", "notes.txt", b"just text, not a document".to_vec()).await;
    assert_eq!(location(&wrong), "/documents?problem=unsupported_type");
    let large = form_upload("id_copy", "big.pdf", pdf(3 * CHUNK, b'g')).await;
    assert_eq!(large.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&large), "/documents?problem=too_large");
    let infected = form_upload("id_copy", "x.pdf", [pdf(500, b'h'), eicar().into_bytes()].concat()).await;
    assert_eq!(location(&infected), "/documents?problem=infected");
    let mine = library(&t, &other).await;
    assert_eq!(mine["documents"].as_array().map(Vec::len), Some(1));
    assert_eq!(mine["documents"][0]["name"], json!("هوية.pdf"));
    assert_eq!(std::fs::read_dir(&t.uploads.work_dir).expect("work dir").count(), 0);
}

async fn abandoned_uploads_are_swept(backend: Backend, store: Store) {
    let t = app_with_storage(backend, store).await;
    let owner = entrepreneur(&t, 11, "gaza").await;
    let file = pdf(2 * CHUNK, b'w');
    let announce = json!({"doc_type": "other", "name": "w.pdf", "size": file.len(), "sha256": sha256_hex(&file)});
    let started = t
        .raw(
            "POST",
            "/uploads",
            announce.to_string().into_bytes(),
            "application/json",
            Some(&owner),
        )
        .await;
    let id = started.json()["id"].as_str().expect("id").to_string();
    t.raw(
        "PUT",
        &format!("/uploads/{id}?offset=0"),
        file[..CHUNK].to_vec(),
        "application/octet-stream",
        Some(&owner),
    )
    .await;
    assert_eq!(t.stored("partial").await.len(), 1);
    // A fresh upload survives the sweep; one idle for more than a day does not.
    assert_eq!(t.uploads.sweep_idle(&t.state, app::db::now()).await.expect("sweep"), 0);
    assert_eq!(
        t.uploads
            .sweep_idle(&t.state, app::db::now() + 2 * 86_400)
            .await
            .expect("sweep"),
        1
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM uploads").await, 0);
    assert!(t.stored("partial").await.is_empty());
}

/// "Upload, delete, repeat" used to leave every file in storage while the quota forgot it.
/// Now a deleted file counts until the sweep removes it from storage, which frees its room.
async fn deleting_and_uploading_again_cannot_fill_the_disk(backend: Backend, store: Store) {
    let limits = DocumentLimits {
        file_max: 2 * CHUNK as u64,
        quota: 3 * CHUNK as u64,
    };
    let t = app_with_limits(backend, store, limits).await;
    let owner = entrepreneur(&t, 21, "gaza").await;
    let mut refused = None;
    for round in 0..6u8 {
        let reply = t
            .upload(&owner, "quotation", "q.pdf", &pdf(CHUNK, b'a' + round), None)
            .await;
        if reply.status != StatusCode::OK {
            refused = Some((round, reply));
            break;
        }
        let id = reply.json()["document"]["id"].as_i64().expect("id");
        let deleted = t
            .call(
                "documents/delete",
                &form(&[("document_id", &id.to_string())]),
                Some(&owner),
            )
            .await;
        assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    }
    let (round, reply) = refused.expect("the quota stops the churn");
    assert_eq!(round, 3, "three deleted files still fill the 3-chunk quota");
    assert_eq!(reply.json()["File"], json!({"kind": "quota_full", "quota_mb": 3}));

    // The sweep takes the deleted files out of storage; then there is room again.
    let keys: Vec<(String,)> = sqlx::query_as("SELECT storage_key FROM documents WHERE deleted_at IS NOT NULL")
        .fetch_all(&t.state.pool)
        .await
        .expect("keys");
    assert_eq!(keys.len(), 3);
    let before = t.stored("").await;
    assert!(keys.iter().all(|(k,)| before.contains(k)), "{keys:?} in {before:?}");
    assert_eq!(t.uploads.sweep_deleted(&t.state).await.expect("sweep"), 3);
    let after = t.stored("").await;
    assert!(
        keys.iter().all(|(k,)| !after.contains(k)),
        "{keys:?} still in {after:?}"
    );
    assert_eq!(t.uploads.sweep_deleted(&t.state).await.expect("sweep"), 0, "once");
    let again = t.upload(&owner, "quotation", "q.pdf", &pdf(CHUNK, b'z'), None).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
}

/// Twelve reservations of one chunk each, made at once against a three-chunk quota (the
/// check that answers with a message runs before them, so this is the race it leaves): the
/// reservation holds the owner's row, so exactly three are recorded.
async fn parallel_announcements_never_reserve_past_the_quota(backend: Backend, store: Store) {
    use app::documents::store::{reserve_upload, UploadRow};
    let t = app_with_storage(backend, store).await;
    entrepreneur(&t, 22, "gaza").await;
    let owner = t.count("SELECT id FROM users WHERE phone = '0590000022'").await;
    let quota = 3 * CHUNK as u64;
    let mut tasks = Vec::new();
    for n in 0..12u8 {
        let pool = t.state.pool.clone();
        tasks.push(tokio::spawn(async move {
            let upload = UploadRow {
                id: format!("race-{n}"),
                owner_id: owner,
                doc_type: domain::documents::DocumentType::Quotation,
                name: format!("{n}.pdf"),
                size: CHUNK as u64,
                sha256: format!("{n:064}"),
                received: 0,
                replaces: None,
            };
            reserve_upload(&pool, &upload, 1, quota).await
        }));
    }
    let mut accepted = 0;
    for task in tasks {
        if task.await.expect("task").expect("reserve") {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 3);
    assert_eq!(t.count("SELECT COUNT(*) FROM uploads").await, 3);
}

/// A nearly full data volume turns new files away with a sentence, so the database keeps
/// room to write; an upload under way stops at its next chunk and keeps what arrived; with
/// room again, it goes on.
async fn uploads_stop_at_the_free_space_floor(backend: Backend, store: Store) {
    let t = app_with_storage(backend, store).await;
    let owner = entrepreneur(&t, 23, "gaza").await;
    let file = pdf(2 * CHUNK, b'k');
    let announced = json!({
        "doc_type": "quotation", "name": "q.pdf", "size": file.len(),
        "sha256": sha256_hex(&file), "replaces": null,
    });
    let started = t
        .raw(
            "POST",
            "/uploads",
            announced.to_string().into_bytes(),
            "application/json",
            Some(&owner),
        )
        .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let id = started.json()["id"].as_str().expect("upload id").to_string();
    let chunk = |offset: usize| {
        let (t, owner, id, file) = (&t, &owner, &id, &file);
        async move {
            t.raw(
                "PUT",
                &format!("/uploads/{id}?offset={offset}"),
                file[offset..offset + CHUNK].to_vec(),
                "application/octet-stream",
                Some(owner),
            )
            .await
        }
    };
    assert_eq!(chunk(0).await.status, StatusCode::OK);

    // No volume has this much free: every new file is turned away.
    t.uploads.space.set(u64::MAX);
    let refused = t.upload(&owner, "quotation", "small.pdf", &pdf(1000, b's'), None).await;
    assert_eq!(refused.status, StatusCode::INSUFFICIENT_STORAGE, "{}", refused.body);
    assert_eq!(refused.json()["File"], json!({"kind": "server_full"}));
    let stopped = chunk(CHUNK).await;
    assert_eq!(stopped.status, StatusCode::INSUFFICIENT_STORAGE, "{}", stopped.body);
    let form = t.form_upload(&owner, "quotation", "q.pdf", &pdf(1000, b'f')).await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    assert_eq!(form.headers["location"], "/documents?problem=server_full");
    assert_eq!(t.count("SELECT COUNT(*) FROM documents").await, 0);
    let progress = t.get(&format!("/uploads/{id}"), Some(&owner)).await;
    assert_eq!(progress.json()["received"], CHUNK, "what arrived is kept");

    // Room again: the same upload finishes where it stopped.
    t.uploads.space.set(0);
    let finished = chunk(CHUNK).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.body);
    assert_eq!(finished.json()["document"]["name"], "q.pdf");
    assert_eq!(t.count("SELECT COUNT(*) FROM documents").await, 1);
}
