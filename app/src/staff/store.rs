//! Staff accounts in the database (server only).
use super::UserRow;
use crate::db::Pool;
use crate::error::AppError;
use domain::roles::Role;
use domain::Bilingual;

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    full_name: String,
    #[sqlx(try_from = "String")]
    role: Role,
    email: Option<String>,
    phone: Option<String>,
    chamber_ar: Option<String>,
    chamber_en: Option<String>,
    is_active: i64,
}

/// Staff accounts, of one chamber (by code) or all, at most 1,000.
pub async fn staff(pool: &Pool, chamber: Option<&str>) -> Result<Vec<UserRow>, AppError> {
    let rows: Vec<StaffRow> = sqlx::query_as(
        "SELECT u.id, u.full_name, u.role, u.email, u.phone, c.name_ar AS chamber_ar, c.name_en AS chamber_en, u.is_active \
         FROM users u LEFT JOIN chambers c ON c.id = u.chamber_id \
         WHERE u.role <> $1 AND ($2 IS NULL OR c.code = $2) \
         ORDER BY c.sort_order, u.full_name LIMIT 1000",
    )
    .bind(Role::Entrepreneur.key())
    .bind(chamber)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| UserRow {
            id: r.id,
            full_name: r.full_name,
            role: r.role,
            email: r.email,
            phone: r.phone,
            chamber_name: r.chamber_ar.zip(r.chamber_en).map(|(ar, en)| Bilingual::new(ar, en)),
            active: r.is_active == 1,
        })
        .collect())
}

/// Deactivates an account; false when there is none.
pub async fn deactivate(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user: i64, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE users SET is_active = 0, updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}
