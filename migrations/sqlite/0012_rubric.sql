-- The review rubric and the advisors' scores (docs/review.md).

-- Each edit of the rubric by the Fund is a new version; scores name the version they were
-- given on, so an edit never changes a score already given.
CREATE TABLE rubric_versions (
    version     BIGINT PRIMARY KEY,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE rubric_criteria (
    version   BIGINT NOT NULL REFERENCES rubric_versions (version),
    position  BIGINT NOT NULL,
    name_ar   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    weight    BIGINT NOT NULL CHECK (weight BETWEEN 1 AND 100),
    PRIMARY KEY (version, position)
);

-- The default rubric, version 1.
INSERT INTO rubric_versions (version, created_by, created_at) VALUES (1, NULL, 0);
INSERT INTO rubric_criteria (version, position, name_ar, name_en, weight) VALUES
  (1, 0, 'جدوى الفكرة', 'Viability of the idea', 20),
  (1, 1, 'فهم السوق', 'Understanding of the market', 15),
  (1, 2, 'التسويق', 'Marketing', 10),
  (1, 3, 'العمليات', 'Operations', 10),
  (1, 4, 'السلامة المالية', 'Financial soundness', 25),
  (1, 5, 'فرص العمل (مع مراعاة النساء والشباب)', 'Jobs created (weighted for women and youth)', 15),
  (1, 6, 'قدرات صاحب/ة المشروع', 'The entrepreneur''s capacity', 5);

-- One advisor's verdict on one revision: scores and a recommendation, or an abstention.
CREATE TABLE plan_scores (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id         BIGINT NOT NULL REFERENCES plans (id),
    revision        BIGINT NOT NULL,
    advisor_id      BIGINT NOT NULL REFERENCES users (id),
    rubric_version  BIGINT NOT NULL REFERENCES rubric_versions (version),
    -- 'yes', 'maybe' or 'no'; NULL when the advisor abstained.
    recommendation  TEXT,
    -- The conflict of interest, when the advisor abstained.
    abstain_reason  TEXT,
    -- The weighted total in hundredths of a point (0 to 10000); NULL when abstained.
    total           BIGINT,
    note            TEXT NOT NULL DEFAULT '',
    scored_at       BIGINT NOT NULL,
    UNIQUE (plan_id, revision, advisor_id)
);

CREATE TABLE plan_score_items (
    score_id  BIGINT NOT NULL REFERENCES plan_scores (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    score     BIGINT NOT NULL CHECK (score BETWEEN 0 AND 5),
    comment   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (score_id, position)
);
