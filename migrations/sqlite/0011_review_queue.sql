-- The chamber's review queue: what it filters and sorts on, kept on the plan row so the
-- first page stays fast with many plans.

-- When the plan entered its current state (how long it has waited there).
ALTER TABLE plans ADD COLUMN status_since BIGINT;
UPDATE plans SET status_since = COALESCE(
    (SELECT MAX(e.at) FROM plan_events e WHERE e.plan_id = plans.id), created_at);

-- When revision 1 was frozen; NULL for a plan never submitted (never in the queue).
ALTER TABLE plans ADD COLUMN first_submitted_at BIGINT;
UPDATE plans SET first_submitted_at =
    (SELECT MIN(r.submitted_at) FROM plan_revisions r WHERE r.plan_id = plans.id);

-- The sector key of the idea section.
ALTER TABLE plans ADD COLUMN sector TEXT;
UPDATE plans SET sector = NULLIF(json_extract(data, '$.idea.sector'), '') WHERE data IS NOT NULL;

-- The title and the person's name folded for search (domain::search::fold). Rows written
-- before this migration are folded by the server when it starts (db::fold_search_text).
ALTER TABLE plans ADD COLUMN search_title TEXT;
ALTER TABLE users ADD COLUMN search_name TEXT;

CREATE INDEX plans_queue_waiting ON plans (status_since, id);
CREATE INDEX plans_queue_submitted ON plans (first_submitted_at, id);
