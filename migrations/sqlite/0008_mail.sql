-- E-mail: the outbox a background worker sends from, each person's choice to receive
-- e-mail, and single-use password-reset tokens (sqlite dialect).
ALTER TABLE users ADD COLUMN email_notifications BIGINT NOT NULL DEFAULT 1;

-- One row per message, written in the transaction of the step it tells about and rendered
-- in the recipient's language then. A worker claims due rows for a short lease, so two
-- server instances never send the same message at the same time.
CREATE TABLE email_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          BIGINT REFERENCES users (id),
    kind             TEXT NOT NULL CHECK (kind IN ('notification', 'password_reset')),
    to_address       TEXT NOT NULL,
    subject          TEXT NOT NULL,
    text_body        TEXT NOT NULL,
    html_body        TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_until    BIGINT,
    sent_at          BIGINT,
    -- Set when the SMTP server refused the message for good (e.g. no such mailbox).
    failed_at        BIGINT,
    last_error       TEXT
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Only a hash of the token is kept: the link in the e-mail is the one copy of the secret.
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);
