-- Labour demand (docs/dashboard.md, "Labour demand"): the month a plan's project starts,
-- which is when its positions are hired, and the Fund's mapping of job-title variants to
-- one canonical title.

-- From the plan's idea (YYYY-MM, or NULL when not given); filled for older plans when the
-- server starts (the facts' version moves to 2).
ALTER TABLE plans ADD COLUMN start_month TEXT;

-- A folded title (domain::search::fold) counted under a canonical one. Titles without a
-- row here are their own group.
CREATE TABLE job_titles (
    folded_title TEXT PRIMARY KEY,
    canonical TEXT NOT NULL,
    folded_canonical TEXT NOT NULL,
    set_by BIGINT REFERENCES users(id),
    set_at BIGINT NOT NULL
);

CREATE INDEX plan_positions_title ON plan_positions (folded_title);

-- Speed at scale (docs/dashboard.md, "How it stays fast").
-- A stay's whole days once it has ended, and whether its plan is live (not deleted), so the
-- unfiltered days-in-state histogram is read in index order instead of grouping every stay.
ALTER TABLE plan_stints ADD COLUMN days BIGINT;
ALTER TABLE plan_stints ADD COLUMN live BIGINT NOT NULL DEFAULT 1;
UPDATE plan_stints SET days = (ended_at - started_at) / 86400 WHERE ended_at IS NOT NULL;
UPDATE plan_stints SET live = 0 WHERE plan_id IN (SELECT id FROM plans WHERE deleted_at IS NOT NULL);
CREATE INDEX plan_stints_days ON plan_stints (live, status, days);
CREATE INDEX plan_stints_open ON plan_stints (live, status, started_at) WHERE ended_at IS NULL;
-- A plan's stays with what a filtered histogram reads of them, so the join never reads the
-- stay rows (the first two columns are what closing a stay looks up).
DROP INDEX plan_stints_plan;
CREATE INDEX plan_stints_plan ON plan_stints (plan_id, ended_at, status, started_at);

-- Every column the dashboard groups, filters or sums, so its statements read this index
-- and never the plan rows (which hold the whole plan document).
CREATE INDEX plans_figures ON plans (owner_chamber_id, status, funnel_stage, currency, deleted_at,
    owner_governorate, owner_gender, owner_birth_date, sector, legal_form, first_submitted_at, created_at,
    approved_at, decided_at, status_since, jobs_fte_tenths, jobs_women, jobs_youth, startup_capital,
    fund_own, fund_family, fund_grant, fund_loan);

