use super::domain::{PlanStatus, PLANS_MAX, TITLE_MAX, TITLE_MIN};
use super::financials::Currency;
use super::sections::{SectionKey, SectionKind, BODY_MAX};
use super::{PlanDetail, PlanSummary};
use crate::auth::guard::{audit, pool, require_role};
use crate::db::{now, Pool};
use crate::domain::roles::{Actor, Role};
use crate::domain::validation::{bounded_text, collect, Field, FieldError, Problem};
use crate::error::AppError;

fn invalid(field: Field, problem: Problem) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, problem)])
}

fn title(input: &str) -> Result<String, Problem> {
    bounded_text(input, TITLE_MIN, TITLE_MAX)
}

/// A currency typed in a form; empty means the default, the shekel.
fn currency(input: &str) -> Result<Currency, Problem> {
    match input.trim() {
        "" => Ok(Currency::ILS),
        key => Currency::from_key(key).ok_or(Problem::UnknownChoice),
    }
}

/// The caller's own, not deleted plan, or 404 (also for other people's plans).
async fn own_plan(pool: &Pool, actor: &Actor, plan_id: i64) -> Result<PlanStatus, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT status FROM plans WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL")
            .bind(plan_id)
            .bind(actor.id.0)
            .fetch_optional(pool)
            .await?;
    let (status,) = row.ok_or(AppError::NotFound)?;
    PlanStatus::from_key(&status).ok_or(AppError::Internal)
}

fn summary_from_row(
    (id, title, cur, status, updated_at): (i64, String, String, String, i64),
) -> Result<PlanSummary, AppError> {
    Ok(PlanSummary {
        id,
        title,
        currency: Currency::from_key(&cur).ok_or(AppError::Internal)?,
        status: PlanStatus::from_key(&status).ok_or(AppError::Internal)?,
        updated_at,
    })
}

pub async fn get_plan(plan_id: i64) -> Result<PlanDetail, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let row: Option<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, title, currency, status, updated_at, revision FROM plans \
         WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL",
    )
    .bind(plan_id)
    .bind(actor.id.0)
    .fetch_optional(&pool)
    .await?;
    let (id, title, cur, status, updated_at, revision) = row.ok_or(AppError::NotFound)?;
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT section, body FROM plan_sections WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_all(&pool)
        .await?;
    let sections = rows
        .into_iter()
        .filter_map(|(key, body)| SectionKey::from_key(&key).map(|k| (k, body)))
        .collect();
    Ok(PlanDetail {
        summary: summary_from_row((id, title, cur, status, updated_at))?,
        revision,
        sections,
    })
}

pub async fn save_section(plan_id: i64, section: String, body: String, revision: i64) -> Result<i64, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let status = own_plan(&pool, &actor, plan_id).await?;
    if !matches!(status, PlanStatus::Draft | PlanStatus::ChangesRequested) {
        return Err(AppError::Forbidden);
    }
    let key = SectionKey::from_key(&section)
        .filter(|k| k.kind() == SectionKind::Text)
        .ok_or(AppError::NotFound)?;
    if body.chars().count() > BODY_MAX {
        return Err(invalid(Field::SectionBody, Problem::TooLong { max: BODY_MAX as u32 }));
    }
    if body.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(invalid(Field::SectionBody, Problem::ControlCharacters));
    }
    let body = body.replace("\r\n", "\n");
    let at = now();
    let mut tx = pool.begin().await?;
    let bumped =
        sqlx::query("UPDATE plans SET revision = revision + 1, updated_at = $1 WHERE id = $2 AND revision = $3")
            .bind(at)
            .bind(plan_id)
            .bind(revision)
            .execute(&mut *tx)
            .await?;
    if bumped.rows_affected() == 0 {
        tx.rollback().await?;
        let (current,): (i64,) = sqlx::query_as("SELECT revision FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_one(&pool)
            .await?;
        let saved: Option<(String,)> =
            sqlx::query_as("SELECT body FROM plan_sections WHERE plan_id = $1 AND section = $2")
                .bind(plan_id)
                .bind(key.key())
                .fetch_optional(&pool)
                .await?;
        return Err(AppError::Conflict {
            revision: current,
            saved: saved.map(|(b,)| b).unwrap_or_default(),
        });
    }
    sqlx::query(
        "INSERT INTO plan_sections (plan_id, section, body, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (plan_id, section) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(plan_id)
    .bind(key.key())
    .bind(&body)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(revision + 1)
}

pub async fn list_plans() -> Result<Vec<PlanSummary>, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, title, currency, status, updated_at FROM plans \
         WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC",
    )
    .bind(actor.id.0)
    .fetch_all(&pool()?)
    .await?;
    rows.into_iter().map(summary_from_row).collect()
}

pub async fn create_plan(title_typed: String, currency_typed: String) -> Result<i64, AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    let mut errors = Vec::new();
    let title = collect(&mut errors, Field::PlanTitle, title(&title_typed));
    let currency = collect(&mut errors, Field::Currency, currency(&currency_typed));
    let (Some(title), Some(currency)) = (title, currency) else {
        return Err(AppError::Invalid(errors));
    };
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plans WHERE owner_id = $1 AND deleted_at IS NULL")
        .bind(actor.id.0)
        .fetch_one(&pool)
        .await?;
    if count >= PLANS_MAX {
        return Err(invalid(Field::PlanTitle, Problem::TooMany { max: PLANS_MAX as u32 }));
    }
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plans (owner_id, title, currency, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(actor.id.0)
    .bind(&title)
    .bind(currency.key())
    .bind(PlanStatus::Draft.key())
    .bind(at)
    .fetch_one(&pool)
    .await?;
    audit(&pool, Some(actor.id), "create_plan", "plan", Some(id), "").await?;
    Ok(id)
}

pub async fn rename_plan(plan_id: i64, title_typed: String) -> Result<(), AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    own_plan(&pool, &actor, plan_id).await?;
    let title = title(&title_typed).map_err(|p| invalid(Field::PlanTitle, p))?;
    sqlx::query("UPDATE plans SET title = $1, revision = revision + 1, updated_at = $2 WHERE id = $3")
        .bind(&title)
        .bind(now())
        .bind(plan_id)
        .execute(&pool)
        .await?;
    audit(&pool, Some(actor.id), "rename_plan", "plan", Some(plan_id), "").await?;
    Ok(())
}

pub async fn delete_plan(plan_id: i64) -> Result<(), AppError> {
    let actor = require_role(&[Role::Entrepreneur]).await?;
    let pool = pool()?;
    if !own_plan(&pool, &actor, plan_id).await?.owner_may_delete() {
        return Err(AppError::Forbidden);
    }
    sqlx::query("UPDATE plans SET deleted_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(plan_id)
        .execute(&pool)
        .await?;
    audit(
        &pool,
        Some(actor.id),
        "delete_plan",
        "plan",
        Some(plan_id),
        "draft → deleted",
    )
    .await?;
    Ok(())
}
