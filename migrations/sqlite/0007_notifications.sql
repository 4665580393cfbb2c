-- In-app notifications, written in the same transaction as the step they tell about
-- (SQLite dialect). The e-mail columns make each row its own outbox entry.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    -- plan_step (action = a plan action key) or document_reviewed (action = verified/rejected).
    topic        TEXT NOT NULL CHECK (topic IN ('plan_step', 'document_reviewed')),
    action       TEXT NOT NULL,
    plan_id      BIGINT REFERENCES plans (id),
    document_id  BIGINT REFERENCES documents (id),
    message      TEXT,
    created_at   BIGINT NOT NULL,
    read_at      BIGINT,
    email_state  TEXT NOT NULL DEFAULT 'pending' CHECK (email_state IN ('pending', 'sent', 'skipped'))
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, created_at);
