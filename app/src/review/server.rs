//! The review queue (server only): who sees which chamber, and reading the URL's filters
//! into typed ones, each bad value refused with a message for its field.
use super::store::{self, QueueFilters};
use super::{AdvisorChoice, QueuePage, QueueParams, QueueRow};
use crate::db::{now, today};
use crate::error::AppError;
use crate::guard::{pool, require_role};
use domain::plan::financials::SECTORS;
use domain::plan::status::PlanStatus;
use domain::review::queue::{AgeGroup, Assignment, Cursor, QueueSort, PAGE_SIZE};
use domain::roles::Role;
use domain::search;
use domain::validation::{Date, Field, FieldError, Gender, Problem};
use domain::Bilingual;

pub async fn queue(params: QueueParams) -> Result<QueuePage, AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let every_chamber = actor.role == Role::FundAdmin;
    let mut filters = read_filters(&params, actor.id.0)?;
    if !every_chamber {
        // Chamber staff see their own chamber whatever the URL says.
        match actor.chamber {
            Some(chamber) => filters.chamber = Some(chamber.0),
            None => return Ok(QueuePage::default()),
        }
    }
    let pool = pool()?;
    let now = now();
    let (mut rows, total) = store::queue(&pool, &filters, PAGE_SIZE + 1).await?;
    let next = (rows.len() > PAGE_SIZE as usize).then(|| {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|last| last.cursor(filters.sort).url_value())
    });
    let advisors = match (every_chamber, filters.chamber) {
        (false, Some(chamber)) => store::advisors(&pool, chamber)
            .await?
            .into_iter()
            .map(|a| AdvisorChoice {
                id: a.id,
                name: a.full_name,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(QueuePage {
        rows: rows
            .into_iter()
            .map(|row| QueueRow {
                plan_id: row.id,
                title: row.title,
                owner_name: row.owner_name,
                chamber: row
                    .chamber_ar
                    .zip(row.chamber_en)
                    .map(|(ar, en)| Bilingual::new(ar, en)),
                status: row.status,
                waiting_days: (now - row.status_since).max(0) / 86_400,
                assigned_to: row.assigned_to,
                submitted_at: row.first_submitted_at,
            })
            .collect(),
        total,
        next: next.flatten(),
        advisors,
        every_chamber,
    })
}

/// Reads every filter; all the bad ones are reported together.
fn read_filters(params: &QueueParams, me: i64) -> Result<QueueFilters, AppError> {
    let mut problems = Vec::new();
    let mut refuse = |field, problem| problems.push(FieldError::new(field, problem));
    fn chosen(text: &str) -> Option<&str> {
        Some(text.trim()).filter(|t| !t.is_empty())
    }
    // Closed lists: a value from an old link or a tampered URL is simply not applied.
    let status = chosen(&params.status).and_then(PlanStatus::from_key);
    let assigned = chosen(&params.assigned).and_then(Assignment::parse);
    let gender = chosen(&params.gender).and_then(Gender::from_key);
    let age = chosen(&params.age).and_then(AgeGroup::from_key);
    let sort = chosen(&params.sort).and_then(QueueSort::from_key).unwrap_or_default();
    let sector = chosen(&params.sector)
        .filter(|s| SECTORS.contains(s))
        .map(str::to_string);
    let governorate = chosen(&params.governorate)
        .filter(|g| g.len() <= 32 && g.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        .map(str::to_string);
    let chamber = chosen(&params.chamber).and_then(|c| c.parse::<i64>().ok());
    let after = chosen(&params.after).and_then(Cursor::parse);
    // Typed by a person: a mistake is told, not ignored.
    let mut date = |text: &str, field| match chosen(text) {
        None => None,
        Some(text) => Date::parse(text).or_else(|| {
            refuse(field, Problem::InvalidDate);
            None
        }),
    };
    let from = date(&params.from, Field::SubmittedFrom);
    let to = date(&params.to, Field::SubmittedTo);
    let search = match search::query(&params.q) {
        Ok(folded) => folded.map(|q| search::like_pattern(&q)),
        Err(_) => {
            refuse(
                Field::Search,
                Problem::TooLong {
                    max: search::QUERY_MAX_CHARS as u32,
                },
            );
            None
        }
    };
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            refuse(Field::SubmittedTo, Problem::InvalidDate);
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (born_after, born_on_or_before) = match age.map(|group| group.birth_dates(today())) {
        Some((after, on_or_before)) => (after, Some(on_or_before)),
        None => (None, None),
    };
    Ok(QueueFilters {
        chamber,
        status,
        advisor: match assigned {
            Some(Assignment::Me) => Some(me),
            Some(Assignment::Advisor(id)) => Some(id),
            _ => None,
        },
        unassigned: assigned == Some(Assignment::Unassigned),
        sector,
        governorate,
        gender,
        born_after,
        born_on_or_before,
        submitted_from: from.map(|d| d.unix_midnight()),
        // Up to the end of the day named.
        submitted_before: to.map(|d| d.unix_midnight() + 86_400),
        search,
        sort,
        after,
    })
}
