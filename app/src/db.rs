//! Database access shared by every area (server only). One set of queries serves SQLite and
//! PostgreSQL through sqlx's `Any` driver: placeholders are `$1…` (both accept them), integers
//! are 64-bit, times are Unix seconds and dates ISO text.
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub type Pool = AnyPool;

/// Starts a transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a
/// deferred transaction that reads and then writes cannot wait for another writer (SQLite
/// answers "database is locked" at once rather than risk a deadlock), while an immediate
/// one waits its turn within the busy timeout. PostgreSQL locks rows as it goes.
/// Whether the pool is SQLite's (for the few statements whose best form differs).
pub fn is_sqlite(pool: &Pool) -> bool {
    pool.connect_options().database_url.scheme().starts_with("sqlite")
}

pub async fn begin(pool: &Pool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if is_sqlite(pool) {
        pool.begin_with("BEGIN IMMEDIATE").await
    } else {
        pool.begin().await
    }
}

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");
const SEED: &str = include_str!("../../migrations/seed.sql");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (use sqlite:… or postgres://…)")]
    UnsupportedUrl,
    #[error("cannot open the database: {0}")]
    Connect(sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("seeding reference data failed: {0}")]
    Seed(sqlx::Error),
    #[error("filling new columns of older rows failed: {0}")]
    Backfill(String),
}

/// Opens the pool, applies migrations and seeds reference data.
pub async fn connect(url: &str, max_connections: u32) -> Result<(Pool, Backend), DbError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::from_url(url).ok_or(DbError::UnsupportedUrl)?;
    let mut options = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10));
    if backend == Backend::Sqlite {
        // A connection to a file in this process cannot go stale the way a network
        // connection can, so it is not pinged before each use: the ping is a round trip to
        // the connection's own thread, and a request makes several.
        options = options.test_before_acquire(false).after_connect(|conn, _meta| {
            Box::pin(async move {
                // WAL lets readers run beside the writer; foreign keys are off by default in
                // SQLite; a busy timeout turns lock contention into waiting, not errors.
                conn.execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;")
                    .await?;
                Ok(())
            })
        });
    }
    let pool = options.connect(url).await.map_err(DbError::Connect)?;
    migrate(&pool, backend).await?;
    if backend == Backend::Sqlite {
        // Refreshes the planner's statistics where tables grew much (SQLite's advice for a
        // long-lived process); without them the dashboard's joins can take the wrong index.
        if let Err(error) = sqlx::query("PRAGMA optimize=0x10002").execute(&pool).await {
            tracing::warn!(%error, "refreshing the SQLite planner's statistics failed");
        }
    }
    Ok((pool, backend))
}

pub async fn migrate(pool: &Pool, backend: Backend) -> Result<(), DbError> {
    match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS.run(pool).await?,
        Backend::Postgres => POSTGRES_MIGRATIONS.run(pool).await?,
    }
    for statement in SEED.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        sqlx::query(statement).execute(pool).await.map_err(DbError::Seed)?;
    }
    fold_search_text(pool)
        .await
        .map_err(|e| DbError::Backfill(e.to_string()))
}

/// A row whose search text is still to be folded.
#[derive(sqlx::FromRow)]
struct Unfolded {
    id: i64,
    text: String,
}

/// Folds (`domain::search::fold`) the titles and names of rows written before the search
/// columns existed; SQL cannot fold Arabic the way the queue's search needs. A no-op once
/// every row has its search text.
async fn fold_search_text(pool: &Pool) -> Result<(), sqlx::Error> {
    for (select, update) in [
        (
            "SELECT id, title AS text FROM plans WHERE search_title IS NULL",
            "UPDATE plans SET search_title = $1 WHERE id = $2",
        ),
        (
            "SELECT id, full_name AS text FROM users WHERE search_name IS NULL",
            "UPDATE users SET search_name = $1 WHERE id = $2",
        ),
        // Registered from plans or people whose search text was not folded yet.
        (
            "SELECT id, name AS text FROM establishments WHERE search_name = ''",
            "UPDATE establishments SET search_name = $1 WHERE id = $2",
        ),
    ] {
        let rows: Vec<Unfolded> = sqlx::query_as(select).fetch_all(pool).await?;
        for row in rows {
            sqlx::query(update)
                .bind(domain::search::fold(&row.text))
                .bind(row.id)
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Today's date in UTC (Palestine is UTC+2/+3; a birth date check does not need more).
pub fn today() -> domain::validation::Date {
    let now = time::OffsetDateTime::now_utc();
    domain::validation::Date {
        year: now.year(),
        month: u8::from(now.month()) as u32,
        day: now.day() as u32,
    }
}

/// Is this error a unique-constraint violation (duplicate phone or e-mail)?
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => db.is_unique_violation() || db.message().contains("UNIQUE constraint failed"),
        _ => false,
    }
}
