-- Review comments and their threads (docs/review.md), and what the queue shows of them.

-- A comment pinned to a section of a revision, or to one row of one of its tables.
CREATE TABLE plan_comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id     BIGINT NOT NULL REFERENCES plans (id),
    -- The revision the comment was made on; later revisions show it as "made on revision n".
    revision    BIGINT NOT NULL,
    section     TEXT NOT NULL,
    -- The table and the row's name when pinned to a row (NULL: the whole section).
    table_key   TEXT,
    row_label   TEXT,
    -- 'internal' (staff only) or 'entrepreneur'.
    audience    TEXT NOT NULL,
    -- 'open' or 'resolved'.
    status      TEXT NOT NULL DEFAULT 'open',
    author_id   BIGINT NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    -- The entrepreneur marked it answered (comments to her only), with an optional note.
    answered_at BIGINT,
    answer      TEXT,
    resolved_at BIGINT,
    resolved_by BIGINT REFERENCES users (id)
);
CREATE INDEX plan_comments_plan ON plan_comments (plan_id, id);

-- Staff replies in a comment's thread.
CREATE TABLE plan_comment_replies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id  BIGINT NOT NULL REFERENCES plan_comments (id),
    author_id   BIGINT NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX plan_comment_replies_comment ON plan_comment_replies (comment_id, id);

-- Kept on the plan row for the queue (shown, and sorted by, without a join per row): the
-- average weighted score of the latest verdicts (hundredths; NULL: none yet) and how many
-- comments are open.
ALTER TABLE plans ADD COLUMN review_score BIGINT;
ALTER TABLE plans ADD COLUMN open_comments BIGINT NOT NULL DEFAULT 0;
CREATE INDEX plans_queue_score ON plans (review_score, id);

-- A case's audit trail and the Fund's audit log read by object and by time.
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
CREATE INDEX audit_log_at ON audit_log (at, id);
