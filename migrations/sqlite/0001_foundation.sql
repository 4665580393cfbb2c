-- Reference data, accounts, sessions, throttling and audit (SQLite dialect).
CREATE TABLE governorates (
    code        TEXT PRIMARY KEY,
    name_ar     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    region      TEXT NOT NULL CHECK (region IN ('west_bank', 'gaza')),
    sort_order  BIGINT NOT NULL
);

CREATE TABLE chambers (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    code             TEXT NOT NULL UNIQUE,
    name_ar          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    governorate_code TEXT REFERENCES governorates (code),
    sort_order       BIGINT NOT NULL DEFAULT 100
);

CREATE TABLE sectors (
    code        TEXT PRIMARY KEY,
    name_ar     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    sort_order  BIGINT NOT NULL
);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    role             TEXT NOT NULL CHECK (role IN ('entrepreneur', 'advisor', 'chamber-manager', 'fund-admin')),
    full_name        TEXT NOT NULL,
    phone            TEXT UNIQUE,
    email            TEXT UNIQUE,
    password_hash    TEXT NOT NULL,
    gender           TEXT CHECK (gender IN ('female', 'male')),
    birth_date       TEXT,
    governorate_code TEXT REFERENCES governorates (code),
    chamber_id       BIGINT REFERENCES chambers (id),
    locale           TEXT NOT NULL DEFAULT 'ar',
    is_active        BIGINT NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CHECK (phone IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX users_chamber ON users (chamber_id, role);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     BIGINT REFERENCES users (id) ON DELETE CASCADE,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    throttle_key TEXT NOT NULL,
    failed_at   BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, failed_at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id    BIGINT REFERENCES users (id),
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   BIGINT,
    detail      TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
