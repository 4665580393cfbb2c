//! The review workspace (server only): who sees which chamber's queue, reading the URL's
//! filters into typed ones; the review sheet and the verdicts, each written with its audit
//! row; the Fund's rubric edits.
use super::store::{self, NewComment, NewVerdict, QueueFilters};
use super::{
    AdvisorChoice, AuditEntry, CommentBoard, CommentInput, CommentReply, CommentThread, PanelEntry, PinChoice,
    QueuePage, QueueParams, QueueRow, ReviewSheet, RevisionDiff, ScoreInput, ScoredCriterion,
};
use crate::audit;
use crate::db::{now, today, Pool};
use crate::error::AppError;
use crate::guard::{pool, require_actor, require_role};
use crate::i18n::*;
use crate::lang::{pick, plan_status_text};
use domain::audit::{AuditAction, AuditObject};
use domain::digits::normalize_digits;
use domain::plan::financials::{PlanFinancials, SECTORS};
use domain::plan::lifecycle::{available_actions, PlanAction};
use domain::plan::sections::SectionKey;
use domain::plan::status::PlanStatus;
use domain::plan::tables::Table;
use domain::review::comments::{
    Audience, CommentStatus, Pin, COMMENTS_PER_PLAN_MAX, COMMENT_MAX, COMMENT_MIN, REPLIES_MAX,
};
use domain::review::diff::{section_diffs, table_diffs, KeyFigures};
use domain::review::queue::{AgeGroup, Assignment, Cursor, QueueSort, PAGE_SIZE};
use domain::review::rubric::{
    check_rubric, check_verdict, summarise, CheckedVerdict, Criterion, Recommendation, Verdict, VerdictInput,
    WeightedScore, CRITERIA_MAX,
};
use domain::roles::{Actor, Role};
use domain::search;
use domain::sheet::Cell;
use domain::standing::{Refusal, Standing};
use domain::validation::{self, multiline_text, Date, Field, FieldError, Gender, Problem};
use domain::Bilingual;

/// The queue's filters for this person: staff of a chamber see their own chamber whatever
/// the URL says, the Fund every chamber; `None` for chamber staff without a chamber.
fn queue_filters_for(actor: &Actor, params: &QueueParams) -> Result<Option<QueueFilters>, AppError> {
    if !matches!(actor.role, Role::Advisor | Role::ChamberManager | Role::FundAdmin) {
        return Err(AppError::Forbidden);
    }
    let mut filters = read_filters(params, actor.id.0)?;
    if actor.role != Role::FundAdmin {
        match actor.chamber {
            Some(chamber) => filters.chamber = Some(chamber.0),
            None => return Ok(None),
        }
    }
    Ok(Some(filters))
}

pub async fn queue(params: QueueParams) -> Result<QueuePage, AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let every_chamber = actor.role == Role::FundAdmin;
    let Some(filters) = queue_filters_for(&actor, &params)? else {
        return Ok(QueuePage::default());
    };
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
                score: row.review_score.and_then(WeightedScore::from_hundredths),
                open_comments: row.open_comments,
            })
            .collect(),
        total,
        next: next.flatten(),
        advisors,
        every_chamber,
    })
}

/// Rows of the queue fetched per page when it is downloaded: one page in memory at a time,
/// whatever the number of plans.
pub const EXPORT_PAGE: u32 = 1_000;

/// The whole queue as the person sees it (every page, from the first), for a download.
/// Each call of `next_rows` reads the page after the previous one by its cursor, so a
/// download of 100,000 plans never holds more than `EXPORT_PAGE` rows.
pub struct QueueExport {
    pool: Pool,
    filters: Option<QueueFilters>,
    locale: Locale,
    every_chamber: bool,
    now: i64,
}

impl QueueExport {
    /// Refuses whoever may not read the queue (403), and bad filters (400) before any row.
    pub fn new(pool: Pool, actor: &Actor, params: &QueueParams, locale: Locale) -> Result<QueueExport, AppError> {
        let mut filters = queue_filters_for(actor, params)?;
        if let Some(filters) = filters.as_mut() {
            filters.after = None;
        }
        Ok(QueueExport {
            pool,
            filters,
            locale,
            every_chamber: actor.role == Role::FundAdmin,
            now: now(),
        })
    }

    /// The sheet's name and column headings, in the reader's language.
    pub fn head(&self) -> (String, Vec<String>) {
        let l = self.locale;
        let mut header = vec![
            td_string!(l, queue.col_plan).to_string(),
            td_string!(l, queue.col_title).to_string(),
            td_string!(l, queue.col_owner).to_string(),
        ];
        if self.every_chamber {
            header.push(td_string!(l, queue.chamber).to_string());
        }
        header.extend(
            [
                td_string!(l, queue.status),
                td_string!(l, queue.col_days),
                td_string!(l, queue.assigned),
                td_string!(l, queue.col_submitted),
                td_string!(l, queue.col_score),
                td_string!(l, queue.col_open_comments),
            ]
            .map(str::to_string),
        );
        (td_string!(l, queue.sheet).to_string(), header)
    }

    /// The next page of rows, or `None` after the last.
    pub async fn next_rows(&mut self) -> Result<Option<Vec<Vec<Cell>>>, AppError> {
        let Some(filters) = self.filters.as_mut() else {
            return Ok(None);
        };
        let rows = store::queue_page(&self.pool, filters, EXPORT_PAGE).await?;
        let Some(last) = rows.last() else {
            self.filters = None;
            return Ok(None);
        };
        filters.after = Some(last.cursor(filters.sort));
        if rows.len() < EXPORT_PAGE as usize {
            // Nothing after this page: spare the last, empty query.
            self.filters = None;
        }
        let locale = self.locale;
        let cells = rows
            .into_iter()
            .map(|row| {
                let mut cells = vec![Cell::Whole(row.id), Cell::Text(row.title), Cell::Text(row.owner_name)];
                if self.every_chamber {
                    let chamber = row
                        .chamber_ar
                        .zip(row.chamber_en)
                        .map(|(ar, en)| pick(locale, &Bilingual::new(ar, en)).to_string());
                    cells.push(chamber.map_or(Cell::Empty, Cell::Text));
                }
                cells.extend([
                    Cell::Text(plan_status_text(locale, row.status)),
                    Cell::Whole((self.now - row.status_since).max(0) / 86_400),
                    row.assigned_to.map_or(Cell::Empty, Cell::Text),
                    Cell::Date(Date::from_unix(row.first_submitted_at)),
                    row.review_score
                        .and_then(WeightedScore::from_hundredths)
                        .map_or(Cell::Empty, |score| Cell::Hundredths(i64::from(score.hundredths()))),
                    Cell::Whole(row.open_comments),
                ]);
                cells
            })
            .collect();
        Ok(Some(cells))
    }
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
    let (from, to, period_problems) = validation::period(&params.from, &params.to);
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
    // The dates come first, in the order of the form.
    let problems: Vec<FieldError> = period_problems.into_iter().chain(problems).collect();
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

/// The plan, the caller's standing on it and the revision under review; 404 for anyone who
/// is not staff of its chamber or the Fund, and before the first submission.
async fn reviewed_plan(
    pool: &Pool,
    actor: &domain::roles::Actor,
    plan_id: i64,
) -> Result<(crate::plan::store::StoredPlan, Standing, i64), AppError> {
    let (plan, standing, revision) = readable_plan(pool, actor, plan_id).await?;
    match standing {
        Standing::ChamberAdvisor | Standing::ChamberManager | Standing::Fund => Ok((plan, standing, revision)),
        // The owner reads her comments and her diffs, not the review sheet.
        _ => Err(AppError::NotFound),
    }
}

pub async fn sheet(plan_id: i64) -> Result<ReviewSheet, AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let pool = pool()?;
    let (plan, standing, revision) = reviewed_plan(&pool, &actor, plan_id).await?;
    let rubric = store::current_rubric(&pool).await?;
    let (rows, items) = store::verdicts(&pool, plan_id, revision).await?;
    let mut versions: Vec<i64> = rows.iter().map(|r| r.rubric_version).collect();
    versions.sort_unstable();
    versions.dedup();
    let rubrics = store::rubric_versions(&pool, &versions).await?;
    let entries: Vec<PanelEntry> = rows
        .into_iter()
        .map(|row| {
            let criteria = rubrics
                .iter()
                .find(|r| r.version == row.rubric_version)
                .map(|r| r.criteria.clone())
                .unwrap_or_default();
            let scored: Vec<ScoredCriterion> = items
                .iter()
                .filter(|i| i.score_id == row.id)
                .filter_map(|i| {
                    let c = criteria.get(usize::try_from(i.position).ok()?)?;
                    Some(ScoredCriterion {
                        name: c.name.clone(),
                        weight: c.weight,
                        score: u8::try_from(i.score).ok()?,
                        comment: i.comment.clone(),
                    })
                })
                .collect();
            let verdict = match (
                row.recommendation.as_deref().and_then(Recommendation::from_key),
                row.total,
            ) {
                (Some(recommendation), Some(total)) => Verdict::Scored {
                    score: WeightedScore::from_hundredths(total).unwrap_or(WeightedScore::MAX),
                    recommendation,
                },
                _ => Verdict::Abstained,
            };
            PanelEntry {
                advisor_id: row.advisor_id,
                advisor_name: row.advisor_name,
                verdict,
                rubric_version: row.rubric_version,
                criteria: scored,
                note: row.note,
                reason: row.abstain_reason,
                scored_at: row.scored_at,
            }
        })
        .collect();
    let mine = entries.iter().find(|e| e.advisor_id == actor.id.0).cloned();
    let sees_panel = matches!(standing, Standing::ChamberManager | Standing::Fund);
    let summary = sees_panel.then(|| summarise(&entries.iter().map(|e| e.verdict).collect::<Vec<_>>()));
    let actions = available_actions(plan.status, standing, false)
        .into_iter()
        .filter(|a| matches!(a, PlanAction::RequestChanges | PlanAction::Approve | PlanAction::Reject))
        .collect();
    let trail = trail(&pool, &plan).await?;
    let (frozen, mut sections) = crate::plan::store::latest_revision(&pool, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Read in the outline's order (the summary first), as the exported plan reads.
    sections.sort_by_key(|(key, _)| SectionKey::OUTLINE.iter().position(|k| k == key));
    Ok(ReviewSheet {
        plan_id,
        title: plan.title,
        status: plan.status,
        revision,
        rubric,
        can_score: standing != Standing::Fund && plan.status == PlanStatus::InReview,
        mine,
        panel: if sees_panel { entries } else { Vec::new() },
        summary,
        actions,
        revisions: revision,
        trail,
        figures: KeyFigures::of(&frozen),
        currency: frozen.currency,
        sections,
    })
}

pub async fn score(input: ScoreInput) -> Result<(), AppError> {
    let actor = require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    let pool = pool()?;
    let (plan, standing, revision) = reviewed_plan(&pool, &actor, input.plan_id).await?;
    if standing == Standing::Fund {
        // The Fund reads the chambers' reviews; it does not take part in them.
        return Err(AppError::Forbidden);
    }
    if plan.status != PlanStatus::InReview {
        return Err(AppError::Refused(Refusal::WrongState));
    }
    let rubric = store::current_rubric(&pool).await?;
    if rubric.version != input.rubric_version {
        return Err(AppError::invalid(Field::Rubric, Problem::RubricChanged));
    }
    let by_position = |fields: &std::collections::BTreeMap<String, String>| -> Result<Vec<Option<String>>, AppError> {
        let mut values = vec![None; rubric.criteria.len()];
        for (key, value) in fields {
            let position: usize = key.parse().map_err(|_| AppError::BadRequest)?;
            *values.get_mut(position).ok_or(AppError::BadRequest)? = Some(value.clone());
        }
        Ok(values)
    };
    let scores = by_position(&input.scores)?;
    let comments = by_position(&input.comments)?;
    let verdict_input = VerdictInput {
        scores: scores
            .iter()
            .map(|s| s.as_deref().and_then(|s| normalize_digits(s).trim().parse::<u8>().ok()))
            .collect(),
        comments: comments.into_iter().map(Option::unwrap_or_default).collect(),
        recommendation: Recommendation::from_key(input.recommendation.trim()),
        note: input.note.clone(),
        abstain: input.mode == "abstain",
        reason: input.reason.clone(),
    };
    let verdict = check_verdict(&rubric.criteria, &verdict_input).map_err(AppError::Invalid)?;
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    store::save_verdict(
        &mut tx,
        NewVerdict {
            plan_id: plan.id,
            revision,
            advisor: actor.id.0,
            rubric_version: rubric.version,
            verdict: &verdict,
            at,
        },
    )
    .await?;
    store::refresh_review_score(&mut tx, plan.id, revision).await?;
    let (action, detail) = match &verdict {
        CheckedVerdict::Scored {
            total, recommendation, ..
        } => (
            AuditAction::ScorePlan,
            format!(
                "revision {revision}, rubric {}: {} ({})",
                rubric.version,
                total.one_decimal(),
                recommendation.key()
            ),
        ),
        CheckedVerdict::Abstained { .. } => (AuditAction::AbstainFromPlan, format!("revision {revision}")),
    };
    audit::record(
        &mut *tx,
        Some(actor.id),
        action,
        AuditObject::Plan,
        Some(plan.id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The Fund replaces the rubric: a new version; scores already given keep theirs.
pub async fn save_rubric(criteria: Vec<Criterion>) -> Result<i64, AppError> {
    let actor = require_role(&[Role::FundAdmin]).await?;
    let criteria = check_rubric(&criteria).map_err(|problems| {
        tracing::debug!(?problems, "rubric refused");
        AppError::RubricInvalid(problems)
    })?;
    let pool = pool()?;
    let mut tx = crate::db::begin(&pool).await?;
    let version = store::insert_rubric(&mut tx, &criteria, actor.id.0, now()).await?;
    let detail = criteria
        .iter()
        .map(|c| format!("{} {}", c.name.en, c.weight))
        .collect::<Vec<_>>()
        .join(", ");
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::EditRubric,
        AuditObject::Rubric,
        Some(version),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

pub async fn rubric() -> Result<domain::review::rubric::Rubric, AppError> {
    require_role(&[Role::Advisor, Role::ChamberManager, Role::FundAdmin]).await?;
    store::current_rubric(&pool()?).await
}

/// Reads the editor's rows: empty rows dropped, weights in any digits; a weight that is not
/// a number counts as 0, which the rubric check refuses for its row.
pub async fn save_rubric_input(rows: Vec<super::CriterionInput>) -> Result<i64, AppError> {
    if rows.len() > 2 * CRITERIA_MAX {
        return Err(AppError::BadRequest);
    }
    let criteria = rows
        .into_iter()
        .filter(|r| !(r.name_ar.trim().is_empty() && r.name_en.trim().is_empty() && r.weight.trim().is_empty()))
        .map(|r| Criterion {
            name: Bilingual::new(r.name_ar, r.name_en),
            weight: normalize_digits(&r.weight).trim().parse().unwrap_or(0),
        })
        .collect();
    save_rubric(criteria).await
}

/// The plan and the caller's standing on it: its owner, staff of its chamber and the Fund;
/// anyone else 404, and staff 404 before the first submission (a draft is private).
async fn readable_plan(
    pool: &Pool,
    actor: &domain::roles::Actor,
    plan_id: i64,
) -> Result<(crate::plan::store::StoredPlan, Standing, i64), AppError> {
    let plan = crate::plan::store::plan(pool, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let standing = Standing::of(actor, plan.owner(), plan.owner_chamber());
    let revision = crate::plan::store::revisions(pool, plan_id)
        .await?
        .last()
        .map_or(0, |r| r.number);
    if standing == Standing::Outsider || (standing != Standing::Owner && revision == 0) {
        return Err(AppError::NotFound);
    }
    Ok((plan, standing, revision))
}

/// Chamber staff may comment on a plan in review; the Fund and the owner may not.
fn may_comment(standing: Standing, status: PlanStatus) -> Result<(), AppError> {
    match standing {
        Standing::ChamberAdvisor | Standing::ChamberManager if status == PlanStatus::InReview => Ok(()),
        Standing::ChamberAdvisor | Standing::ChamberManager => Err(AppError::Refused(Refusal::WrongState)),
        _ => Err(AppError::Forbidden),
    }
}

fn thread(row: store::CommentRow, replies: &[store::ReplyRow]) -> CommentThread {
    CommentThread {
        id: row.id,
        revision: row.revision,
        section: row.section,
        row: row.table_key.as_deref().and_then(Table::from_key).zip(row.row_label),
        audience: row.audience,
        status: row.status,
        author_name: row.author_name,
        body: row.body,
        created_at: row.created_at,
        answered_at: row.answered_at,
        answer: row.answer,
        replies: replies
            .iter()
            .filter(|r| r.comment_id == row.id)
            .map(|r| CommentReply {
                author_name: r.author_name.clone(),
                body: r.body.clone(),
                at: r.at,
            })
            .collect(),
    }
}

/// Every place of a revision a comment can be pinned to, in the builder's order.
fn pin_choices(frozen: &PlanFinancials) -> Vec<PinChoice> {
    let mut pins = Vec::new();
    for section in SectionKey::OUTLINE {
        pins.push(PinChoice {
            value: section.key().to_string(),
            section,
            row: None,
        });
        for table in section.tables().iter().filter(|t| !t.single_row()) {
            for (index, row) in table.rows(frozen).iter().enumerate() {
                let Some(label) = row.first().map(|l| l.trim()).filter(|l| !l.is_empty()) else {
                    continue;
                };
                pins.push(PinChoice {
                    value: format!("{}/{}/{index}", section.key(), table.key()),
                    section,
                    row: Some((*table, label.to_string())),
                });
            }
        }
    }
    pins
}

pub async fn comments(plan_id: i64) -> Result<CommentBoard, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (plan, standing, revision) = readable_plan(&pool, &actor, plan_id).await?;
    let staff_view = standing != Standing::Owner;
    let rows = store::comments(&pool, plan_id, !staff_view).await?;
    let replies = if staff_view {
        store::replies(&pool, plan_id).await?
    } else {
        Vec::new()
    };
    let can_comment = may_comment(standing, plan.status).is_ok();
    let pins = match crate::plan::store::latest_revision(&pool, plan_id).await? {
        Some((frozen, _)) if can_comment => pin_choices(&frozen),
        _ => Vec::new(),
    };
    Ok(CommentBoard {
        plan_id,
        status: plan.status,
        revision,
        staff_view,
        can_comment,
        can_answer: standing == Standing::Owner && plan.status == PlanStatus::ChangesRequested,
        comments: rows.into_iter().map(|row| thread(row, &replies)).collect(),
        pins,
    })
}

pub async fn add_comment(input: CommentInput) -> Result<i64, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (plan, standing, revision) = readable_plan(&pool, &actor, input.plan_id).await?;
    may_comment(standing, plan.status)?;
    let (frozen, _) = crate::plan::store::latest_revision(&pool, plan.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut problems = Vec::new();
    let pin = Pin::parse(&input.pin, |table| table.rows(&frozen));
    if pin.is_none() {
        problems.push(FieldError::new(Field::CommentPin, Problem::UnknownChoice));
    }
    let audience = Audience::from_key(input.audience.trim());
    let body = multiline_text(&input.body, COMMENT_MIN, COMMENT_MAX)
        .map_err(|p| problems.push(FieldError::new(Field::Comment, p)))
        .ok();
    let (Some(pin), Some(audience), Some(body)) = (pin, audience, body) else {
        if audience.is_none() && problems.is_empty() {
            return Err(AppError::BadRequest);
        }
        return Err(AppError::Invalid(problems));
    };
    if store::comment_count(&pool, plan.id).await? >= i64::from(COMMENTS_PER_PLAN_MAX) {
        return Err(AppError::invalid(
            Field::Comment,
            Problem::TooMany {
                max: COMMENTS_PER_PLAN_MAX,
            },
        ));
    }
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    let id = store::insert_comment(
        &mut tx,
        NewComment {
            plan_id: plan.id,
            revision,
            pin: &pin,
            audience,
            author: actor.id.0,
            body: &body,
            at,
        },
    )
    .await?;
    let place = match &pin.row {
        Some((table, _)) => format!("{}/{}", pin.section.key(), table.key()),
        None => pin.section.key().to_string(),
    };
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::CommentOnPlan,
        AuditObject::Plan,
        Some(plan.id),
        &format!("comment {id} on revision {revision}, {place}, {}", audience.key()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The comment and the plan it is on, for a step on it by the caller; 404 unless the
/// caller may read that comment.
async fn comment_for(
    pool: &Pool,
    actor: &domain::roles::Actor,
    comment_id: i64,
) -> Result<(store::CommentRow, crate::plan::store::StoredPlan, Standing), AppError> {
    let comment = store::comment(pool, comment_id).await?.ok_or(AppError::NotFound)?;
    let (plan, standing, _) = readable_plan(pool, actor, comment.plan_id).await?;
    if standing == Standing::Owner && comment.audience == Audience::Internal {
        return Err(AppError::NotFound);
    }
    Ok((comment, plan, standing))
}

pub async fn reply(comment_id: i64, body: String) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (comment, plan, standing) = comment_for(&pool, &actor, comment_id).await?;
    may_comment(standing, plan.status)?;
    let body = multiline_text(&body, COMMENT_MIN, COMMENT_MAX).map_err(|p| AppError::invalid(Field::Comment, p))?;
    if store::reply_count(&pool, comment.id).await? >= i64::from(REPLIES_MAX) {
        return Err(AppError::invalid(Field::Comment, Problem::TooMany { max: REPLIES_MAX }));
    }
    let at = now();
    let mut tx = crate::db::begin(&pool).await?;
    store::insert_reply(&mut tx, comment.id, actor.id.0, &body, at).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::ReplyToComment,
        AuditObject::Plan,
        Some(plan.id),
        &format!("comment {}", comment.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_status(comment_id: i64, status: CommentStatus) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (comment, plan, standing) = comment_for(&pool, &actor, comment_id).await?;
    may_comment(standing, plan.status)?;
    if comment.status == status {
        return Ok(());
    }
    let mut tx = crate::db::begin(&pool).await?;
    if !store::set_comment_status(&mut tx, &comment, status, actor.id.0, now()).await? {
        return Err(AppError::Refused(Refusal::WrongState));
    }
    let action = match status {
        CommentStatus::Resolved => AuditAction::ResolveComment,
        CommentStatus::Open => AuditAction::ReopenComment,
    };
    audit::record(
        &mut *tx,
        Some(actor.id),
        action,
        AuditObject::Plan,
        Some(plan.id),
        &format!("comment {}: {} -> {}", comment.id, comment.status.key(), status.key()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn answer(comment_id: i64, answer: String) -> Result<(), AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (comment, plan, standing) = comment_for(&pool, &actor, comment_id).await?;
    if standing != Standing::Owner {
        return Err(AppError::Forbidden);
    }
    if plan.status != PlanStatus::ChangesRequested || comment.status != CommentStatus::Open {
        return Err(AppError::Refused(Refusal::WrongState));
    }
    let answer = match answer.trim() {
        "" => None,
        text => Some(multiline_text(text, 1, COMMENT_MAX).map_err(|p| AppError::invalid(Field::Comment, p))?),
    };
    let mut tx = crate::db::begin(&pool).await?;
    store::answer_comment(&mut tx, comment.id, answer.as_deref(), now()).await?;
    audit::record(
        &mut *tx,
        Some(actor.id),
        AuditAction::AnswerComment,
        AuditObject::Plan,
        Some(plan.id),
        &format!("comment {}", comment.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn diff(plan_id: i64, from: Option<i64>, to: Option<i64>) -> Result<RevisionDiff, AppError> {
    let actor = require_actor().await?;
    let pool = pool()?;
    let (plan, _, revisions) = readable_plan(&pool, &actor, plan_id).await?;
    if revisions == 0 {
        return Err(AppError::NotFound);
    }
    let to = to.unwrap_or(revisions);
    let from = from.unwrap_or((to - 1).max(1));
    let valid = |n: i64| (1..=revisions).contains(&n);
    if !valid(from) || !valid(to) {
        return Err(AppError::NotFound);
    }
    let (old, old_sections) = crate::plan::store::revision(&pool, plan_id, from)
        .await?
        .ok_or(AppError::NotFound)?;
    let (new, new_sections) = crate::plan::store::revision(&pool, plan_id, to)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(RevisionDiff {
        plan_id,
        title: plan.title,
        from,
        to,
        revisions,
        currency: new.currency,
        sections: section_diffs(&old_sections, &new_sections),
        tables: table_diffs(&old, &new),
        before: KeyFigures::of(&old),
        after: KeyFigures::of(&new),
    })
}

/// The case's audit trail for the review sheet (the latest 200 steps).
async fn trail(pool: &Pool, plan: &crate::plan::store::StoredPlan) -> Result<Vec<AuditEntry>, AppError> {
    Ok(store::case_trail(pool, plan.id, plan.owner().0, 200)
        .await?
        .into_iter()
        .filter_map(audit_entry)
        .collect())
}

/// An audit row as the pages show it; a row whose action or object this version does not
/// know (written by a newer one) is left out rather than shown wrong.
pub fn audit_entry(row: store::TrailRow) -> Option<AuditEntry> {
    Some(AuditEntry {
        at: row.at,
        actor_name: row.actor_name,
        action: AuditAction::from_key(&row.action)?,
        object: AuditObject::from_key(&row.object_type)?,
        object_id: row.object_id,
        detail: row.detail,
    })
}
