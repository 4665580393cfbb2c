//! What the staff server functions do (server only).
use super::{store, StaffInput, UserRow};
use crate::audit;
use crate::auth::server::create_staff_account;
use crate::auth::store::{chamber_by_code, check_unique, NewStaff};
use crate::db::{now, Pool};
use crate::error::AppError;
use crate::guard::{pool, require_role};
use crate::session_store::end_sessions_of;
use domain::audit::{AuditAction, AuditObject};
use domain::roles::{can_deactivate, Role, UserId};
use domain::validation::{self, collect, Field, FieldError, Problem};

pub async fn list_staff(chamber: Option<String>) -> Result<Vec<UserRow>, AppError> {
    require_role(&[Role::FundAdmin]).await?;
    let chamber = chamber.filter(|c| !c.trim().is_empty());
    store::staff(&pool()?, chamber.as_deref()).await
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
    let role = match input.role {
        Some(role) if role.is_staff() => Ok(role),
        Some(_) => Err(Problem::UnknownChoice),
        None => Err(Problem::Required),
    };
    let role = collect(&mut errors, Field::Role, role);
    let mut chamber = None;
    if role.is_some_and(Role::needs_chamber) {
        let code = input.chamber.trim();
        if code.is_empty() {
            errors.push(FieldError::new(Field::Chamber, Problem::Required));
        } else {
            chamber = chamber_by_code(pool, code).await?;
            if chamber.is_none() {
                errors.push(FieldError::new(Field::Chamber, Problem::UnknownChoice));
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
    let staff = NewStaff {
        role,
        full_name: &full_name,
        phone: phone.as_deref(),
        email: &email,
        chamber,
    };
    create_staff_account(pool, actor, staff, input.password).await
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
    let mut tx = crate::db::begin(&pool).await?;
    if !store::deactivate(&mut tx, user_id, now()).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::DeactivateUser,
        AuditObject::User,
        Some(user_id),
        "",
    )
    .await?;
    tx.commit().await?;
    end_sessions_of(&pool, user_id).await?;
    Ok(())
}
