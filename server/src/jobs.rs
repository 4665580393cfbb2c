//! Turns for background jobs shared by several server instances on one database: a sweep
//! runs on the one instance that takes its turn, and the turn is held for the job's period,
//! so however many instances there are, each job runs once per period. A turn taken by an
//! instance that dies simply runs out; no instance waits for another.
use app::db::Pool;

/// Takes the turn of `job` for `hold_secs` from `now`, unless another instance holds it.
/// Atomic on both databases: PostgreSQL locks the row for the conditional update and
/// SQLite runs one writer at a time, so two instances asking at once cannot both win.
pub async fn take_turn(pool: &Pool, job: &str, holder: &str, now: i64, hold_secs: i64) -> Result<bool, sqlx::Error> {
    sqlx::query("INSERT INTO job_turns (job, holder, held_until) VALUES ($1, '', 0) ON CONFLICT (job) DO NOTHING")
        .bind(job)
        .execute(pool)
        .await?;
    let taken = sqlx::query("UPDATE job_turns SET holder = $1, held_until = $2 WHERE job = $3 AND held_until <= $4")
        .bind(holder)
        .bind(now + hold_secs.max(1))
        .bind(job)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(taken.rows_affected() == 1)
}

/// A name for this process in the turns table and its log lines: random, so two instances
/// started from the same configuration never share one.
pub fn instance_name() -> String {
    use rand::Rng;
    format!("{:08x}", rand::thread_rng().gen::<u32>())
}
