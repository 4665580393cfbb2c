-- Documents: each person's library, uploads under way, the plan checklist (SQLite dialect).
CREATE TABLE documents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id       BIGINT NOT NULL REFERENCES users (id),
    doc_type       TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png', 'webp')),
    size_bytes     BIGINT NOT NULL,
    -- SHA-256 of the stored bytes (after location metadata was removed).
    sha256         TEXT NOT NULL,
    -- Key in the document storage (local directory or S3); never derived from the name.
    storage_key    TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL DEFAULT 'uploaded' CHECK (status IN ('uploaded', 'verified', 'rejected')),
    reject_reason  TEXT,
    reviewed_by    BIGINT REFERENCES users (id),
    reviewed_at    BIGINT,
    -- The version this one replaces; the replaced one keeps its row (history).
    replaces_id    BIGINT REFERENCES documents (id),
    replaced_at    BIGINT,
    deleted_at     BIGINT,
    created_at     BIGINT NOT NULL,
    -- The upload it came from: a client whose last answer was lost asks by this id.
    source_upload  TEXT UNIQUE
);
CREATE INDEX documents_owner ON documents (owner_id, deleted_at, replaced_at);
CREATE INDEX documents_status ON documents (status, deleted_at, replaced_at);

-- Uploads under way: chunks are kept in storage under partial/<id>/ until the last arrives.
CREATE TABLE uploads (
    id             TEXT PRIMARY KEY,
    owner_id       BIGINT NOT NULL REFERENCES users (id),
    doc_type       TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    declared_size  BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    received       BIGINT NOT NULL DEFAULT 0,
    replaces_id    BIGINT REFERENCES documents (id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX uploads_owner ON uploads (owner_id, sha256);
CREATE INDEX uploads_idle ON uploads (updated_at);

-- The documents every plan asks for; the Fund edits the list.
CREATE TABLE plan_required_documents (
    doc_type    TEXT PRIMARY KEY,
    sort_order  BIGINT NOT NULL
);
INSERT INTO plan_required_documents (doc_type, sort_order) VALUES
    ('id_copy', 1), ('personal_photo', 2), ('lease_contract', 3), ('quotation', 4);
