-- The establishments register (docs/establishments.md): projects that reached `operating`
-- or whose owner completed the chamber-membership or company-registration service, with
-- the registration numbers staff type and their follow-up visits.

-- `register_key` makes the record once per project: `plan:<id>` for a plan, `owner:<id>`
-- for a person with no plan (attached to their plan when one reaches `operating`). The
-- facts the dashboard filters by are copied when the record is made (the register keeps
-- the project as it was registered); the planned jobs follow the plan until it operates.
-- The latest visit's answers are kept on the row so lists and figures never group visits.
CREATE TABLE establishments (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    register_key        TEXT NOT NULL UNIQUE,
    owner_id            BIGINT NOT NULL REFERENCES users (id),
    plan_id             BIGINT REFERENCES plans (id),
    source              TEXT NOT NULL,
    name                TEXT NOT NULL,
    -- The name folded for search (domain::search::fold).
    search_name         TEXT NOT NULL,
    sector              TEXT,
    legal_form          TEXT,
    governorate         TEXT,
    chamber_id          BIGINT,
    owner_gender        TEXT,
    owner_birth_date    TEXT,
    jobs_fte_tenths     BIGINT NOT NULL DEFAULT 0,
    jobs_women          BIGINT NOT NULL DEFAULT 0,
    jobs_youth          BIGINT NOT NULL DEFAULT 0,
    chamber_number      TEXT,
    company_number      TEXT,
    tax_number          TEXT,
    visits              BIGINT NOT NULL DEFAULT 0,
    last_visited_on     TEXT,
    filled_women        BIGINT,
    filled_men          BIGINT,
    operating           BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX establishments_chamber ON establishments (chamber_id, id);
CREATE INDEX establishments_owner ON establishments (owner_id);

CREATE TABLE establishment_visits (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    establishment_id    BIGINT NOT NULL REFERENCES establishments (id),
    visited_on          TEXT NOT NULL,
    jobs_women          BIGINT NOT NULL,
    jobs_men            BIGINT NOT NULL,
    operating           BIGINT NOT NULL,
    note                TEXT,
    recorded_by         BIGINT NOT NULL REFERENCES users (id),
    recorded_at         BIGINT NOT NULL
);
CREATE INDEX establishment_visits_of ON establishment_visits (establishment_id, visited_on);

-- What qualified before the register existed: plans operating, then plans and people with a
-- completed chamber-membership or company-registration request.
INSERT INTO establishments (register_key, owner_id, plan_id, source, name, search_name, sector, legal_form, governorate,
    chamber_id, owner_gender, owner_birth_date, jobs_fte_tenths, jobs_women, jobs_youth, created_at, updated_at)
SELECT 'plan:' || p.id, p.owner_id, p.id, 'operating', p.title, COALESCE(p.search_title, ''), p.sector, p.legal_form, p.owner_governorate,
    p.owner_chamber_id, p.owner_gender, p.owner_birth_date, p.jobs_fte_tenths, p.jobs_women, p.jobs_youth,
    p.status_since, p.status_since
FROM plans p WHERE p.status = 'operating' AND p.deleted_at IS NULL;

INSERT INTO establishments (register_key, owner_id, plan_id, source, name, search_name, sector, legal_form, governorate,
    chamber_id, owner_gender, owner_birth_date, jobs_fte_tenths, jobs_women, jobs_youth, created_at, updated_at)
SELECT 'plan:' || p.id, p.owner_id, p.id, done.code, p.title, COALESCE(p.search_title, ''), p.sector, p.legal_form, p.owner_governorate,
    p.owner_chamber_id, p.owner_gender, p.owner_birth_date, p.jobs_fte_tenths, p.jobs_women, p.jobs_youth,
    done.at, done.at
FROM plans p JOIN (
    SELECT r.plan_id, MIN(s.code) AS code, MIN(r.completed_at) AS at FROM service_requests r
    JOIN services s ON s.id = r.service_id
    WHERE r.status = 'completed' AND r.plan_id IS NOT NULL AND s.code IN ('chamber_membership', 'company_registration')
    GROUP BY r.plan_id
) done ON done.plan_id = p.id
WHERE p.deleted_at IS NULL AND p.status <> 'operating';

INSERT INTO establishments (register_key, owner_id, plan_id, source, name, search_name, governorate, chamber_id,
    owner_gender, owner_birth_date, created_at, updated_at)
SELECT 'owner:' || u.id, u.id, NULL, done.code, u.full_name, COALESCE(u.search_name, ''), u.governorate_code, u.chamber_id,
    u.gender, u.birth_date, done.at, done.at
FROM users u JOIN (
    SELECT r.user_id, MIN(s.code) AS code, MIN(r.completed_at) AS at FROM service_requests r
    JOIN services s ON s.id = r.service_id
    WHERE r.status = 'completed' AND r.plan_id IS NULL AND s.code IN ('chamber_membership', 'company_registration')
    GROUP BY r.user_id
) done ON done.user_id = u.id
WHERE NOT EXISTS (SELECT 1 FROM establishments e WHERE e.owner_id = u.id);
