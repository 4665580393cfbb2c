-- Business plans: several per entrepreneur, soft-deleted (SQLite dialect).
CREATE TABLE plans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id    BIGINT NOT NULL REFERENCES users (id),
    title       TEXT NOT NULL,
    currency    TEXT NOT NULL DEFAULT 'ILS' CHECK (currency IN ('ILS', 'USD', 'JOD')),
    status      TEXT NOT NULL DEFAULT 'draft',
    -- Bumped by every change; a save names the revision it started from (optimistic locking).
    revision    BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    -- Set when the owner deletes a draft; staff can restore it.
    deleted_at  BIGINT
);
CREATE INDEX plans_owner ON plans (owner_id, deleted_at);
