-- The written sections of a plan (one row per plan and section key).
CREATE TABLE plan_sections (
    plan_id     BIGINT NOT NULL REFERENCES plans (id),
    section     TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (plan_id, section)
);
