-- What the Fund's dashboard counts, kept where it can be summed and grouped quickly
-- (docs/dashboard.md; SQLite dialect).

-- A plan's figures, refreshed whenever its tables are saved (domain::stats::PlanFacts);
-- rows written before are filled by the server when it starts (facts_version below 1).
ALTER TABLE plans ADD COLUMN legal_form TEXT;
ALTER TABLE plans ADD COLUMN jobs_fte_tenths BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN jobs_women BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN jobs_youth BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN startup_capital BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN fund_own BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN fund_family BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN fund_grant BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN fund_loan BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN facts_version BIGINT NOT NULL DEFAULT 0;

-- The furthest funnel stage reached (domain::stats::FunnelStage::rank), the first
-- approval and the first decision (approval or rejection).
ALTER TABLE plans ADD COLUMN funnel_stage BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN approved_at BIGINT;
ALTER TABLE plans ADD COLUMN decided_at BIGINT;

UPDATE plans SET funnel_stage = COALESCE((
    SELECT MAX(CASE e.to_status
        WHEN 'submitted' THEN 1 WHEN 'in_review' THEN 2 WHEN 'approved' THEN 3
        WHEN 'referred' THEN 4 WHEN 'funded' THEN 5 WHEN 'operating' THEN 6 ELSE 0 END)
    FROM plan_events e WHERE e.plan_id = plans.id), 0);
UPDATE plans SET approved_at =
    (SELECT MIN(e.at) FROM plan_events e WHERE e.plan_id = plans.id AND e.to_status = 'approved');
UPDATE plans SET decided_at =
    (SELECT MIN(e.at) FROM plan_events e WHERE e.plan_id = plans.id AND e.to_status IN ('approved', 'rejected'));

-- Each stay of a plan in a state: from entering it to leaving it (NULL: still there).
CREATE TABLE plan_stints (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id     BIGINT NOT NULL REFERENCES plans (id),
    status      TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    ended_at    BIGINT
);
CREATE INDEX plan_stints_plan ON plan_stints (plan_id, ended_at);
INSERT INTO plan_stints (plan_id, status, started_at, ended_at)
SELECT plan_id, status, at, LEAD(at) OVER (PARTITION BY plan_id ORDER BY at, seq)
FROM (
    SELECT id AS plan_id, 'draft' AS status, created_at AS at, 0 AS seq FROM plans
    UNION ALL
    SELECT plan_id, to_status, at, id FROM plan_events WHERE to_status <> from_status
) stays;

-- The positions of a plan, one row each, for the labour-demand table; the title is also
-- kept folded (domain::search::fold) so spellings of one job group together.
CREATE TABLE plan_positions (
    plan_id       BIGINT NOT NULL REFERENCES plans (id),
    position      BIGINT NOT NULL,
    title         TEXT NOT NULL,
    folded_title  TEXT NOT NULL,
    count         BIGINT NOT NULL,
    full_time     BIGINT NOT NULL,
    women         BIGINT NOT NULL,
    youth         BIGINT NOT NULL,
    monthly_wage  BIGINT NOT NULL,
    PRIMARY KEY (plan_id, position)
);

-- When a service request was completed and in how many working days (weekend and holidays
-- excluded, computed by the server with the calendar of the day).
ALTER TABLE service_requests ADD COLUMN completed_at BIGINT;
ALTER TABLE service_requests ADD COLUMN working_days BIGINT;
UPDATE service_requests SET completed_at = updated_at WHERE status = 'completed';

-- The owner's facts the dashboard filters by, copied onto each plan (and kept in step when
-- the owner's profile changes) so the figures read the plans without joining their owners.
ALTER TABLE plans ADD COLUMN owner_chamber_id BIGINT;
ALTER TABLE plans ADD COLUMN owner_governorate TEXT;
ALTER TABLE plans ADD COLUMN owner_gender TEXT;
ALTER TABLE plans ADD COLUMN owner_birth_date TEXT;
UPDATE plans SET
    owner_chamber_id = (SELECT u.chamber_id FROM users u WHERE u.id = plans.owner_id),
    owner_governorate = (SELECT u.governorate_code FROM users u WHERE u.id = plans.owner_id),
    owner_gender = (SELECT u.gender FROM users u WHERE u.id = plans.owner_id),
    owner_birth_date = (SELECT u.birth_date FROM users u WHERE u.id = plans.owner_id);

CREATE INDEX plans_chamber ON plans (owner_chamber_id, status_since, id);
CREATE INDEX plans_approved ON plans (approved_at);
