//! The establishments register (server only): who may read and keep which records, the
//! filters read from the URL, and the steps that change a record.
use super::store::{self, Details, ListedRow, RegisterFilters};
use super::{
    DetailsInput, Establishment, EstablishmentRow, RegisterPage, RegisterParams, VisitRecord, REGISTER_PAGE_SIZE,
};
use crate::audit;
use crate::db::{now, today, Pool};
use crate::error::AppError;
use crate::guard::{pool, require_actor};
use crate::i18n::*;
use crate::lang::{choice_label, establishment_source_text, establishment_standing_text, pick};
use domain::audit::{AuditAction, AuditObject};
use domain::establishments::{
    establishment_name, registration_number, visit, EstablishmentSource, EstablishmentStanding, VisitInput,
};
use domain::plan::tables::Choices;
use domain::roles::{Actor, Role};
use domain::search;
use domain::sheet::Cell;
use domain::validation::{Date, Field, FieldError, Problem};
use domain::Bilingual;

/// The chamber `actor` keeps the register of: `None` for the Fund (every chamber), their own
/// for chamber staff; entrepreneurs (and staff without a chamber) are refused.
fn scope(actor: &Actor) -> Result<Option<i64>, AppError> {
    match actor.role {
        Role::FundAdmin => Ok(None),
        Role::Advisor | Role::ChamberManager => Ok(Some(actor.chamber.ok_or(AppError::Forbidden)?.0)),
        Role::Entrepreneur => Err(AppError::Forbidden),
    }
}

/// The establishment `id` if `actor` may read and keep it; another chamber's is not found.
async fn visible(pool: &Pool, actor: &Actor, id: i64) -> Result<(), AppError> {
    let scope = scope(actor)?;
    let chamber = store::chamber_of(pool, id).await?.ok_or(AppError::NotFound)?;
    match scope {
        Some(own) if chamber != Some(own) => Err(AppError::NotFound),
        _ => Ok(()),
    }
}

/// The register's filters as `actor` may use them (chamber staff: their chamber whatever
/// the URL says); a search too long is told, an unknown choice (an old link) is ignored.
pub fn filters_for(actor: &Actor, params: &RegisterParams) -> Result<RegisterFilters, AppError> {
    let scope = scope(actor)?;
    let pattern = search::query(&params.q)
        .map_err(|_| {
            AppError::Invalid(vec![FieldError::new(
                Field::Search,
                Problem::TooLong {
                    max: search::QUERY_MAX_CHARS as u32,
                },
            )])
        })?
        .map(|q| search::like_pattern(&q));
    let standing = EstablishmentStanding::from_key(params.standing.trim()).map(|s| match s {
        EstablishmentStanding::NotVisited => None,
        EstablishmentStanding::Operating => Some(true),
        EstablishmentStanding::Closed => Some(false),
    });
    Ok(RegisterFilters {
        chamber: scope.or_else(|| params.chamber.trim().parse().ok()),
        pattern,
        standing,
        source: EstablishmentSource::from_key(params.source.trim()).map(EstablishmentSource::key),
        before: params.after.trim().parse().ok(),
    })
}

pub fn row_of(row: ListedRow) -> Result<EstablishmentRow, AppError> {
    let source = EstablishmentSource::from_key(&row.source).ok_or_else(|| {
        tracing::error!(id = row.id, source = %row.source, "an establishment's source does not read");
        AppError::Internal
    })?;
    let filled = row.filled_women.zip(row.filled_men).map(|(w, m)| w + m);
    Ok(EstablishmentRow {
        id: row.id,
        name: row.name,
        owner_name: row.owner_name,
        chamber: row
            .chamber_ar
            .zip(row.chamber_en)
            .map(|(ar, en)| Bilingual::new(ar, en)),
        sector: row.sector,
        governorate: row
            .governorate_ar
            .zip(row.governorate_en)
            .map(|(ar, en)| Bilingual::new(ar, en)),
        source,
        registered_on: Date::from_unix(row.created_at).iso(),
        planned_fte_tenths: row.jobs_fte_tenths,
        filled,
        last_visited_on: row.last_visited_on,
        standing: EstablishmentStanding::of_latest(row.operating.map(|o| o == 1)),
    })
}

pub async fn register(params: RegisterParams) -> Result<RegisterPage, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let filters = filters_for(&actor, &params)?;
    let every_page = RegisterFilters {
        before: None,
        ..filters.clone()
    };
    let (mut rows, total) = tokio::try_join!(
        store::list(&pool, &filters, REGISTER_PAGE_SIZE + 1),
        store::count(&pool, &every_page),
    )?;
    let next = (rows.len() > REGISTER_PAGE_SIZE as usize).then(|| {
        rows.truncate(REGISTER_PAGE_SIZE as usize);
        rows.last().map(|last| last.id)
    });
    Ok(RegisterPage {
        every_chamber: actor.role == Role::FundAdmin,
        rows: rows.into_iter().map(row_of).collect::<Result<_, _>>()?,
        total,
        next: next.flatten(),
    })
}

pub async fn establishment(id: i64) -> Result<Establishment, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    visible(&pool, &actor, id).await?;
    let ((listed, plan_title), visits) = tokio::try_join!(
        async { store::one(&pool, id).await?.ok_or(AppError::NotFound) },
        store::visits(&pool, id),
    )?;
    Ok(Establishment {
        owner_id: listed.owner_id,
        plan: listed.plan_id.zip(plan_title),
        legal_form: listed.legal_form.clone(),
        planned_women: listed.jobs_women,
        planned_youth: listed.jobs_youth,
        chamber_number: listed.chamber_number.clone(),
        company_number: listed.company_number.clone(),
        tax_number: listed.tax_number.clone(),
        row: row_of(listed)?,
        visits: visits
            .into_iter()
            .map(|v| VisitRecord {
                visited_on: v.visited_on,
                jobs_women: v.jobs_women,
                jobs_men: v.jobs_men,
                operating: v.operating == 1,
                note: v.note,
                recorded_by: v.recorded_by,
            })
            .collect(),
        today: today().iso(),
    })
}

pub async fn save_details(id: i64, input: DetailsInput) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    visible(&pool, &actor, id).await?;
    let mut problems = Vec::new();
    let name = establishment_name(&input.name)
        .map_err(|p| problems.push(FieldError::new(Field::EstablishmentName, p)))
        .ok();
    let mut number = |text: &str, field| {
        registration_number(text)
            .map_err(|p| problems.push(FieldError::new(field, p)))
            .ok()
            .flatten()
    };
    let chamber_number = number(&input.chamber_number, Field::ChamberNumber);
    let company_number = number(&input.company_number, Field::CompanyNumber);
    let tax_number = number(&input.tax_number, Field::TaxNumber);
    let Some(name) = name.filter(|_| problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    let details = Details {
        name: &name,
        chamber_number: chamber_number.as_deref(),
        company_number: company_number.as_deref(),
        tax_number: tax_number.as_deref(),
    };
    store::save_details(&mut tx, id, details, at).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::EditEstablishment,
        AuditObject::Establishment,
        Some(id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn record_visit(id: i64, input: VisitInput) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    visible(&pool, &actor, id).await?;
    let visit = visit(&input, today()).map_err(AppError::Invalid)?;
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    store::insert_visit(&mut tx, id, &visit, actor.id.0, at).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::RecordVisit,
        AuditObject::Establishment,
        Some(id),
        &visit.visited_on.iso(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Establishments read for a download, a page at a time.
pub const EXPORT_PAGE: u32 = 1_000;

/// The whole register as the person sees it with these filters, for a download: each call
/// of `next_rows` reads the page after the previous one by its id.
pub struct RegisterExport {
    pool: Pool,
    filters: Option<RegisterFilters>,
    locale: Locale,
    every_chamber: bool,
}

impl RegisterExport {
    /// Refuses whoever may not read the register (403), and a bad search (422), before any row.
    pub fn new(pool: Pool, actor: &Actor, params: &RegisterParams, locale: Locale) -> Result<RegisterExport, AppError> {
        let mut filters = filters_for(actor, params)?;
        filters.before = None;
        Ok(RegisterExport {
            pool,
            filters: Some(filters),
            locale,
            every_chamber: actor.role == Role::FundAdmin,
        })
    }

    /// The sheet's name and column headings, in the reader's language.
    pub fn head(&self) -> (String, Vec<String>) {
        let l = self.locale;
        let mut header = vec![
            td_string!(l, establishments.col_name).to_string(),
            td_string!(l, establishments.col_owner).to_string(),
        ];
        if self.every_chamber {
            header.push(td_string!(l, queue.chamber).to_string());
        }
        header.extend(
            [
                td_string!(l, establishments.col_governorate),
                td_string!(l, establishments.col_sector),
                td_string!(l, dashboard.legal_form),
                td_string!(l, establishments.col_source),
                td_string!(l, establishments.col_registered),
                td_string!(l, establishments.col_planned),
                td_string!(l, establishments.col_women_filled),
                td_string!(l, establishments.col_men_filled),
                td_string!(l, establishments.col_last_visit),
                td_string!(l, establishments.col_standing),
                td_string!(l, establishments.col_visits),
                td_string!(l, establishments.chamber_number),
                td_string!(l, establishments.company_number),
                td_string!(l, establishments.tax_number),
            ]
            .map(str::to_string),
        );
        (td_string!(l, establishments.sheet).to_string(), header)
    }

    /// The next page of rows, or `None` after the last.
    pub async fn next_rows(&mut self) -> Result<Option<Vec<Vec<Cell>>>, AppError> {
        let Some(filters) = self.filters.as_mut() else {
            return Ok(None);
        };
        let rows = store::list(&self.pool, filters, EXPORT_PAGE).await?;
        let Some(last) = rows.last() else {
            self.filters = None;
            return Ok(None);
        };
        filters.before = Some(last.id);
        if rows.len() < EXPORT_PAGE as usize {
            self.filters = None;
        }
        let l = self.locale;
        let text = |value: Option<String>| value.map_or(Cell::Empty, Cell::Text);
        let mut cells = Vec::with_capacity(rows.len());
        for row in rows {
            let mut line = vec![Cell::Text(row.name.clone()), Cell::Text(row.owner_name.clone())];
            if self.every_chamber {
                let chamber = row.chamber_ar.clone().zip(row.chamber_en.clone());
                line.push(text(
                    chamber.map(|(ar, en)| pick(l, &Bilingual::new(ar, en)).to_string()),
                ));
            }
            let governorate = row.governorate_ar.clone().zip(row.governorate_en.clone());
            line.push(text(
                governorate.map(|(ar, en)| pick(l, &Bilingual::new(ar, en)).to_string()),
            ));
            line.push(text(
                row.sector
                    .as_deref()
                    .map(|s| choice_label(l, Choices::Sector, s).to_string()),
            ));
            line.push(text(
                row.legal_form
                    .as_deref()
                    .map(|s| choice_label(l, Choices::LegalForm, s).to_string()),
            ));
            let (women, men, visited, visits) = (
                row.filled_women,
                row.filled_men,
                row.last_visited_on.clone(),
                row.visits,
            );
            let (chamber_number, company_number, tax_number) = (
                row.chamber_number.clone(),
                row.company_number.clone(),
                row.tax_number.clone(),
            );
            let planned = row.jobs_fte_tenths;
            let registered = Date::from_unix(row.created_at);
            let listed = row_of(row)?;
            line.extend([
                Cell::Text(establishment_source_text(l, listed.source)),
                Cell::Date(registered),
                Cell::Tenths(planned),
                women.map_or(Cell::Empty, Cell::Whole),
                men.map_or(Cell::Empty, Cell::Whole),
                visited.as_deref().and_then(Date::parse).map_or(Cell::Empty, Cell::Date),
                Cell::Text(establishment_standing_text(l, listed.standing)),
                Cell::Whole(visits),
                text(chamber_number),
                text(company_number),
                text(tax_number),
            ]);
            cells.push(line);
        }
        Ok(Some(cells))
    }
}
