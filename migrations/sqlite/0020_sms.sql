-- Text messages (SMS): each person's choice to receive them, the outbox a background worker
-- sends from, what the daily caps refused, and one-time codes (sqlite dialect).

-- Someone without an e-mail address hears from the portal by SMS unless she turns it off.
ALTER TABLE users ADD COLUMN sms_notifications BIGINT NOT NULL DEFAULT 0;
-- When the number was last confirmed with a code sent to it (none yet: see docs/sms.md).
ALTER TABLE users ADD COLUMN phone_verified_at BIGINT;
UPDATE users SET sms_notifications = 1 WHERE email IS NULL AND phone IS NOT NULL;

-- One row per message, written in the transaction of the step it tells about, like the
-- e-mail outbox: a worker claims due rows for a lease, sends, retries with back-off, and
-- gives up for good on a refusal. The chamber is the recipient's when the message was
-- queued, for the Fund's cost figures per chamber.
CREATE TABLE sms_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          BIGINT REFERENCES users (id),
    chamber_id       BIGINT REFERENCES chambers (id),
    kind             TEXT NOT NULL CHECK (kind IN ('notification', 'reset_code', 'verify_code')),
    to_number        TEXT NOT NULL,
    body             TEXT NOT NULL,
    segments         BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_until    BIGINT,
    sent_at          BIGINT,
    failed_at        BIGINT,
    last_error       TEXT
);
CREATE INDEX sms_outbox_due ON sms_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX sms_outbox_number ON sms_outbox (to_number, created_at);
CREATE INDEX sms_outbox_created ON sms_outbox (created_at);

-- Messages the daily caps kept back: the Fund sees them, and a burst shows here, not on
-- anyone's phone or bill.
CREATE TABLE sms_refusals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT REFERENCES users (id),
    chamber_id  BIGINT REFERENCES chambers (id),
    kind        TEXT NOT NULL CHECK (kind IN ('notification', 'reset_code', 'verify_code')),
    reason      TEXT NOT NULL CHECK (reason IN ('person_cap', 'global_cap')),
    created_at  BIGINT NOT NULL
);
CREATE INDEX sms_refusals_created ON sms_refusals (created_at);

-- One-time codes sent by SMS. Only a hash is kept; a code works once, for ten minutes, and
-- is void after five wrong tries.
CREATE TABLE sms_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('reset', 'verify')),
    code_hash   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    tries       BIGINT NOT NULL DEFAULT 0,
    used_at     BIGINT
);
CREATE INDEX sms_codes_user ON sms_codes (user_id, purpose, created_at);
