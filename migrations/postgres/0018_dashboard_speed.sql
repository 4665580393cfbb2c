-- Speed of the dashboard's unfiltered view (docs/dashboard.md, "How it stays fast").

-- A document's owner's chamber, kept in step with the owner's profile like the plans' copy
-- (auth::store::copy_owner_facts), so documents waiting per chamber are counted from one
-- index without reading their owners.
ALTER TABLE documents ADD COLUMN owner_chamber_id BIGINT;
UPDATE documents SET owner_chamber_id = (SELECT u.chamber_id FROM users u WHERE u.id = documents.owner_id);
CREATE INDEX documents_waiting ON documents (status, deleted_at, replaced_at, owner_chamber_id);

-- Requests per service, completed ones and their working days, read from the index alone.
CREATE INDEX service_requests_service ON service_requests (service_id, status, working_days);

-- The stays under way, read from their index alone: the condition's column must be in the
-- index for the planner to leave the table rows unread.
DROP INDEX plan_stints_open;
CREATE INDEX plan_stints_open ON plan_stints (live, status, started_at, ended_at) WHERE ended_at IS NULL;

-- The Fund's first view (no filter) reads the trend and the days to a decision from narrow
-- indexes that hold all they need, instead of the wide `plans_figures`.
DROP INDEX plans_queue_submitted;
CREATE INDEX plans_queue_submitted ON plans (first_submitted_at, id, deleted_at);
DROP INDEX plans_approved;
CREATE INDEX plans_approved ON plans (approved_at, deleted_at, jobs_fte_tenths);
CREATE INDEX plans_decided ON plans (decided_at, first_submitted_at, deleted_at);

-- Every column the dashboard filters or sums of an establishment.
CREATE INDEX establishments_figures ON establishments (chamber_id, governorate, owner_gender, owner_birth_date,
    sector, legal_form, created_at, operating, jobs_fte_tenths, filled_women, filled_men);
