-- Plan lifecycle: assignment, frozen revisions, events (SQLite dialect).
-- The advisor holding the review.
ALTER TABLE plans ADD COLUMN assigned_to BIGINT REFERENCES users (id);

-- What a submission froze: reviewers read this, not the live draft.
CREATE TABLE plan_revisions (
    plan_id       BIGINT NOT NULL REFERENCES plans (id),
    number        BIGINT NOT NULL,
    -- The riyada.plan.v1 tables and the written sections ([[key, body], …]) as submitted.
    data          TEXT NOT NULL,
    sections      TEXT NOT NULL,
    submitted_at  BIGINT NOT NULL,
    PRIMARY KEY (plan_id, number)
);

-- Every step of a plan's lifecycle: who, when, from → to, and the message to the owner.
CREATE TABLE plan_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id      BIGINT NOT NULL REFERENCES plans (id),
    actor_id     BIGINT REFERENCES users (id),
    action       TEXT NOT NULL,
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    message      TEXT,
    revision     BIGINT,
    at           BIGINT NOT NULL
);
CREATE INDEX plan_events_plan ON plan_events (plan_id, at);
