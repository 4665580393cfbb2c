use super::{StaffInput, UserRow};
use crate::auth::guard::{audit, pool, require_role};
use crate::auth::password;
use crate::auth::server_api::{check_unique, taken_error};
use crate::auth::session_store::end_sessions_of;
use crate::db::{now, Pool};
use crate::domain::roles::{can_deactivate, Role, UserId};
use crate::domain::validation::{self, collect, Field, FieldError, Problem};
use crate::error::AppError;

type Row = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

pub async fn list_staff(chamber: Option<String>) -> Result<Vec<UserRow>, AppError> {
    require_role(&[Role::FundAdmin]).await?;
    let chamber = chamber.filter(|c| !c.trim().is_empty());
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT u.id, u.full_name, u.role, u.email, u.phone, c.name_ar, c.name_en, u.is_active \
         FROM users u LEFT JOIN chambers c ON c.id = u.chamber_id \
         WHERE u.role <> 'entrepreneur' AND ($1 IS NULL OR c.code = $1) \
         ORDER BY c.sort_order, u.full_name LIMIT 1000",
    )
    .bind(chamber)
    .fetch_all(&pool()?)
    .await?;
    rows.into_iter()
        .map(|(id, full_name, role, email, phone, name_ar, name_en, active)| {
            Ok(UserRow {
                id,
                full_name,
                role: Role::from_key(&role).ok_or(AppError::Internal)?,
                email,
                phone,
                chamber_name: name_ar.zip(name_en),
                active: active == 1,
            })
        })
        .collect()
}

/// Validates and stores a staff account; shared by the UI and `riyada create-user`.
pub async fn create_staff(pool: &Pool, actor: Option<UserId>, input: StaffInput) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    let full_name = collect(&mut errors, Field::FullName, validation::full_name(&input.full_name));
    let email = collect(&mut errors, Field::Email, validation::email(&input.email));
    let phone = if input.phone.trim().is_empty() {
        Some(None)
    } else {
        collect(&mut errors, Field::Phone, validation::phone(&input.phone).map(Some))
    };
    collect(&mut errors, Field::Password, validation::new_password(&input.password));
    let role = match Role::from_key(input.role.trim()) {
        Some(role) if role.is_staff() => Ok(role),
        _ if input.role.trim().is_empty() => Err(Problem::Required),
        _ => Err(Problem::UnknownChoice),
    };
    let role = collect(&mut errors, Field::Role, role);
    let mut chamber_id = None;
    if let Some(role) = role {
        if role.needs_chamber() {
            let code = input.chamber.trim();
            let found: Option<(i64,)> = if code.is_empty() {
                None
            } else {
                sqlx::query_as("SELECT id FROM chambers WHERE code = $1")
                    .bind(code)
                    .fetch_optional(pool)
                    .await?
            };
            match found {
                Some((id,)) => chamber_id = Some(id),
                None if code.is_empty() => errors.push(FieldError::new(Field::Chamber, Problem::Required)),
                None => errors.push(FieldError::new(Field::Chamber, Problem::UnknownChoice)),
            }
        }
    }
    if let (Some(email), Some(phone)) = (&email, &phone) {
        check_unique(pool, phone.as_deref(), Some(email), None, &mut errors).await?;
    }
    let (Some(full_name), Some(email), Some(phone), Some(role)) = (full_name, email, phone, role) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hash = password::hash(input.password).await?;
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (role, full_name, phone, email, password_hash, chamber_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(role.key())
    .bind(&full_name)
    .bind(&phone)
    .bind(&email)
    .bind(hash)
    .bind(chamber_id)
    .bind(at)
    .fetch_one(pool)
    .await
    .map_err(|e| taken_error(e, Field::Email))?;
    audit(pool, actor, "create_user", "user", Some(id), role.key()).await?;
    Ok(id)
}

pub async fn create_staff_from_ui(input: StaffInput) -> Result<i64, AppError> {
    let actor = require_role(&[Role::FundAdmin]).await?;
    create_staff(&pool()?, Some(actor.id), input).await
}

pub async fn deactivate_user(user_id: i64) -> Result<(), AppError> {
    let actor = require_role(&[Role::FundAdmin]).await?;
    if !can_deactivate(&actor, UserId(user_id)) {
        return Err(AppError::Forbidden);
    }
    let pool = pool()?;
    let done = sqlx::query("UPDATE users SET is_active = 0, updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(user_id)
        .execute(&pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    end_sessions_of(&pool, user_id).await?;
    audit(&pool, Some(actor.id), "deactivate_user", "user", Some(user_id), "").await?;
    Ok(())
}
