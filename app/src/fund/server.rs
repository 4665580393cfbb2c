//! The Fund's audit log (server only): reading the URL's search into typed filters.
use super::store::{self, AuditFilters};
use super::{AuditPage, AuditParams, AUDIT_PAGE_SIZE};
use crate::error::AppError;
use crate::guard::{pool, require_role};
use crate::review::server::audit_entry;
use domain::audit::{AuditAction, AuditObject};
use domain::digits::normalize_digits;
use domain::roles::Role;
use domain::search;
use domain::validation::{Date, Field, FieldError, Problem};

pub async fn audit_log(params: AuditParams) -> Result<AuditPage, AppError> {
    require_role(&[Role::FundAdmin]).await?;
    let filters = read_filters(&params)?;
    let pool = pool()?;
    let (mut rows, total) = store::audit_log(&pool, &filters, AUDIT_PAGE_SIZE + 1).await?;
    let next = (rows.len() > AUDIT_PAGE_SIZE as usize).then(|| {
        rows.truncate(AUDIT_PAGE_SIZE as usize);
        rows.last().map(|last| last.id)
    });
    Ok(AuditPage {
        rows: rows.into_iter().filter_map(audit_entry).collect(),
        total,
        next: next.flatten(),
    })
}

/// Reads the search; every typed mistake is reported together, closed lists that do not
/// read (an old link) are not applied.
fn read_filters(params: &AuditParams) -> Result<AuditFilters, AppError> {
    fn chosen(text: &str) -> Option<&str> {
        Some(text.trim()).filter(|t| !t.is_empty())
    }
    let mut problems = Vec::new();
    let actor = match search::query(&params.actor) {
        Ok(folded) => folded.map(|q| search::like_pattern(&q)),
        Err(_) => {
            problems.push(FieldError::new(
                Field::Search,
                Problem::TooLong {
                    max: search::QUERY_MAX_CHARS as u32,
                },
            ));
            None
        }
    };
    let object_id = match chosen(&params.object_id) {
        None => None,
        Some(text) => match normalize_digits(text).trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                problems.push(FieldError::new(Field::Identifier, Problem::InvalidNumber));
                None
            }
        },
    };
    let mut date = |text: &str, field| match chosen(text) {
        None => None,
        Some(text) => Date::parse(text).or_else(|| {
            problems.push(FieldError::new(field, Problem::InvalidDate));
            None
        }),
    };
    let from = date(&params.from, Field::SubmittedFrom);
    let to = date(&params.to, Field::SubmittedTo);
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            problems.push(FieldError::new(Field::SubmittedTo, Problem::InvalidDate));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok(AuditFilters {
        actor,
        action: chosen(&params.action)
            .and_then(AuditAction::from_key)
            .map(AuditAction::key),
        object: chosen(&params.object)
            .and_then(AuditObject::from_key)
            .map(AuditObject::key),
        object_id,
        from: from.map(|d| d.unix_midnight()),
        until: to.map(|d| d.unix_midnight() + 86_400),
        before: chosen(&params.before).and_then(|b| b.parse().ok()),
    })
}
