-- Background jobs (sweeps of expired sessions, abandoned uploads, deleted files) take
-- turns across server instances: an instance runs a job only after taking its turn here,
-- which keeps the turn for the job's period, so N instances run each job once per period
-- (docs/deployment.md, Several instances).
CREATE TABLE job_turns (
    job TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    held_until BIGINT NOT NULL
);
