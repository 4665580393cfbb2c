//! A plan's review sheet (`/plans/:id/review`): the advisor's score form (or abstention),
//! and for the manager and the Fund every advisor's verdict with the average. Staff only;
//! the score form is a plain form, so it works without JavaScript.
use crate::case::TransitionPlan;
use crate::components::form::{
    field_error_signal, successes, use_form_draft, Draft, ErrorSignal, ErrorSummary, FieldError, Notice,
};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::documents::pages::PlanChecklistView;
use crate::documents::{plan_checklist, ReviewDocument};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{digits, pick, plan_action_text, plan_status_text, problem_text, when};
use crate::plan::report::{section_title, table_title};
use crate::review::pages::comments::{CommentActions, StaffComments};
use crate::review::pages::diff::figure_values;
use crate::review::{
    get_comments, get_review_sheet, AddComment, AuditEntry, CommentBoard, PanelEntry, ReviewSheet, ScorePlan,
};
use domain::plan::lifecycle::PlanAction;
use domain::plan::sections::SectionKey;
use domain::review::comments::{compose_request, points_by_section, Audience, CommentStatus};
use domain::review::rubric::{PanelSummary, Recommendation, Verdict, SCORE_MAX};
use domain::validation::Field;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReviewSheetPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let plan_id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let score = ServerAction::<ScorePlan>::new();
    let transition = ServerAction::<TransitionPlan>::new();
    // A refused decision changed nothing: the sheet stays, with the message typed.
    let decisions = successes(transition);
    let comment_actions = CommentActions::new();
    let sheet = Resource::new(
        move || {
            (
                plan_id(),
                score.version().get(),
                decisions.get(),
                comment_actions.version(),
            )
        },
        |(id, _, _, _)| get_review_sheet(id),
    );
    let board = Resource::new(
        move || (plan_id(), decisions.get(), comment_actions.version()),
        |(id, _, _)| get_comments(id),
    );
    // Created here, with the page, and not inside the sheet's Suspense: a resource made
    // while a Suspense resolves is not awaited by the server's stream, which could end (and
    // drop the page) before it ran, leaving the browser's copy waiting for a value that
    // never comes.
    let review_document = ServerAction::<ReviewDocument>::new();
    let checklist = Resource::new(
        move || (plan_id(), review_document.version().get(), decisions.get()),
        |(id, _, _)| plan_checklist(id),
    );
    let draft = use_form_draft::<ScorePlan>();
    let comment_draft = use_form_draft::<AddComment>();
    let documents = Documents {
        checklist,
        review: review_document,
    };
    view! {
        <Title text=move || td_string!(i18n, review.title) />
        <Suspense fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let draft = draft.await;
                let comment_draft = comment_draft.await;
                match (sheet.await, board.await) {
                    (Ok(sheet), Ok(board)) => {
                        view! {
                            <Sheet sheet score draft transition board=board.clone() documents />
                            <section class="card">
                                <StaffComments board actions=comment_actions draft=comment_draft />
                            </section>
                        }
                            .into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The plan's document checklist and the reviewer's verdicts on its files.
#[derive(Clone, Copy)]
struct Documents {
    checklist: Resource<Result<crate::documents::DocumentChecklist, AppError>>,
    review: ServerAction<ReviewDocument>,
}

#[component]
fn Sheet(
    sheet: ReviewSheet,
    score: ServerAction<ScorePlan>,
    draft: Draft,
    transition: ServerAction<TransitionPlan>,
    board: CommentBoard,
    documents: Documents,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let status = sheet.status;
    let revision = digits(locale, sheet.revision.to_string());
    view! {
        <section class="card review-sheet">
            <h1>{td_string!(locale, review.heading, title = sheet.title.clone())}</h1>
            <p class="plan-meta">
                <span class="badge badge-uploaded">{plan_status_text(locale, status)}</span>
                " · "
                {td_string!(locale, review.revision, n = revision)}
                " · "
                <A href=format!("/plans/{}#case", sheet.plan_id)>{td!(i18n, review.read_plan)}</A>
                {(sheet.revisions > 1)
                    .then(|| {
                        view! {
                            " · "
                            <A href=format!("/plans/{}/changes", sheet.plan_id)>{td!(i18n, review.changes)}</A>
                        }
                    })}
            </p>
            <Notice show=Signal::derive(move || {
                matches!(transition.value().get(), Some(Ok(_)))
            })>{move || td!(i18n, review.decided)}</Notice>
            {sheet.summary.map(|summary| view! { <Summary summary /> })}
            {(!sheet.panel.is_empty())
                .then(|| {
                    let panel = sheet.panel.clone();
                    view! { <Panel entries=panel /> }
                })}
            {sheet
                .mine
                .clone()
                .filter(|_| sheet.panel.is_empty())
                .map(|entry| {
                    view! {
                        <h2>{td!(i18n, review.my_verdict)}</h2>
                        <Entry entry />
                    }
                })}
            {(!sheet.actions.is_empty())
                .then(|| {
                    let proposed = proposed_request(locale, &board);
                    view! {
                        <Decisions
                            plan_id=sheet.plan_id
                            revision=sheet.revision
                            actions=sheet.actions.clone()
                            proposed
                            transition
                        />
                    }
                })}
            {if sheet.can_score {
                view! { <ScoreForm sheet=sheet.clone() score draft /> }.into_any()
            } else {
                view! { <p class="hint">{td!(i18n, review.cannot_score)}</p> }.into_any()
            }}
            <Trail entries=sheet.trail.clone() />
        </section>
        <AsSubmitted sheet=sheet.clone() documents />
    }
}

/// The revision under review as the entrepreneur sent it: its key figures, its written
/// sections (each folded, to open while scoring) and the documents it needs, which the
/// reviewer can verify here.
#[component]
fn AsSubmitted(sheet: ReviewSheet, documents: Documents) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let title = td_string!(
        locale,
        review.submitted_title,
        n = digits(locale, sheet.revision.to_string())
    )
    .to_string();
    let caption = td_string!(locale, review.figures).to_string();
    let Documents { checklist, review } = documents;
    view! {
        <section class="card as-submitted" aria-labelledby="as-submitted-heading">
            <h2 id="as-submitted-heading">{title}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label=caption.clone()>
                <table class="grid key-figures">
                    <caption>{caption.clone()}</caption>
                    <tbody>
                        {figure_values(locale, &sheet.figures, sheet.currency)
                            .into_iter()
                            .map(|(label, value)| {
                                view! {
                                    <tr>
                                        <th scope="row">{label}</th>
                                        <td>
                                            <bdi>{value}</bdi>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <h3>{td!(i18n, review.sections)}</h3>
            {sheet
                .sections
                .into_iter()
                .filter(|(_, body)| !body.trim().is_empty())
                .map(|(key, body)| {
                    view! {
                        <details class="submitted-section">
                            <summary>{section_title(locale, key)}</summary>
                            <p class="preserve">{body}</p>
                        </details>
                    }
                })
                .collect_view()}
        </section>
        <PlanChecklistView checklist review />
    }
}

/// The message proposed for a request for changes: the open comments written to the
/// entrepreneur, grouped by section (the advisor edits it before sending).
fn proposed_request(locale: Locale, board: &CommentBoard) -> String {
    let open: Vec<(SectionKey, Option<String>, String)> = board
        .comments
        .iter()
        .filter(|c| c.status == CommentStatus::Open && c.audience == Audience::Entrepreneur)
        .map(|c| {
            let row = c
                .row
                .as_ref()
                .map(|(table, label)| format!("{} – {label}", table_title(locale, *table)));
            (c.section, row, c.body.clone())
        })
        .collect();
    if open.is_empty() {
        return String::new();
    }
    let sections = points_by_section(&open, |s| section_title(locale, s).to_string());
    compose_request(td_string!(locale, review.compose_opening), &sections)
}

/// The steps the caller may take on the plan from here, below the scores they rest on:
/// request changes (the message proposed from the comments), and the manager's approve or
/// reject with reasons.
#[component]
fn Decisions(
    plan_id: i64,
    revision: i64,
    actions: Vec<PlanAction>,
    proposed: String,
    transition: ServerAction<TransitionPlan>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let value = Signal::derive(move || transition.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let message_error = field_error_signal(error, Field::Message);
    let hint = td_string!(locale, review.decide_hint, n = digits(locale, revision.to_string())).to_string();
    view! {
        <section class="decisions" aria-labelledby="decisions-heading">
            <h2 id="decisions-heading">{td!(i18n, review.decide)}</h2>
            <p class="hint">{hint}</p>
            <ErrorSummary error />
            {actions
                .into_iter()
                .map(|action| {
                    let message_id = format!("decision-message-{}", action.key());
                    let error_id = format!("decision-message-{}-error", action.key());
                    let required = matches!(action, PlanAction::RequestChanges | PlanAction::Reject);
                    let text = if action == PlanAction::RequestChanges { proposed.clone() } else { String::new() };
                    let danger = action == PlanAction::Reject;
                    let rows = if text.is_empty() { "3" } else { "8" };
                    let initial = text.clone();
                    view! {
                        <ServerForm action=transition attr:class="case-action" attr:novalidate=true>
                            <input type="hidden" name="plan_id" value=plan_id.to_string() />
                            <input type="hidden" name="action" value=action.key() />
                            {(action == PlanAction::RequestChanges && !text.is_empty())
                                .then(|| view! { <p class="hint">{td!(i18n, review.compose_hint)}</p> })}
                            <div class="field" class:has-error=move || required && message_error.get().is_some()>
                                <label for=message_id
                                    .clone()>
                                    {if required {
                                        td_string!(locale, case.message_required)
                                    } else {
                                        td_string!(locale, case.message)
                                    }}
                                </label>
                                <textarea
                                    id=message_id
                                    name="message"
                                    rows=rows
                                    maxlength="2000"
                                    aria-describedby=move || {
                                        (required && message_error.get().is_some()).then(|| error_id.clone())
                                    }
                                    prop:value=initial
                                >
                                    {text}
                                </textarea>
                            </div>
                            <button
                                type="submit"
                                class=if danger { "button danger" } else { "button primary" }
                                disabled=move || transition.pending().get()
                            >
                                {plan_action_text(locale, action)}
                            </button>
                        </ServerForm>
                    }
                })
                .collect_view()}
            <FieldError id="decision-message-error".to_string() message=message_error />
        </section>
    }
}

/// The case's audit trail, newest first.
#[component]
fn Trail(entries: Vec<AuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let caption = td_string!(locale, review.trail).to_string();
    view! {
        <details class="audit-trail">
            <summary>{caption.clone()}</summary>
            {if entries.is_empty() {
                view! { <p>{td!(i18n, review.trail_none)}</p> }.into_any()
            } else {
                view! { <crate::review::pages::audit::AuditTable entries caption /> }.into_any()
            }}
        </details>
    }
}

/// The manager's view of the panel: the average of those who scored, and the counts.
#[component]
fn Summary(summary: PanelSummary) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let n = move |count: u32| digits(locale, count.to_string());
    let average = summary
        .average
        .map(|a| digits(locale, a.one_decimal()))
        .unwrap_or_else(|| td_string!(locale, review.no_average).to_string());
    view! {
        <p class="review-summary" role="status">
            {td_string!(locale, review.average, score = average)}
            " · "
            {td_string!(
                locale, review.counts, yes = n(summary.yes), maybe = n(summary.maybe), no = n(summary.no), abstained =
                n(summary.abstained)
            )}
        </p>
    }
}

#[component]
fn Panel(entries: Vec<PanelEntry>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{td!(i18n, review.panel)}</h2>
        <ul class="review-panel">
            {entries
                .into_iter()
                .map(|entry| {
                    view! {
                        <li>
                            <Entry entry />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// One verdict: who, the total and recommendation (or the abstention and its reason), and
/// each criterion's score and comment on the rubric version it was given on.
#[component]
fn Entry(entry: PanelEntry) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let version = digits(locale, entry.rubric_version.to_string());
    let details_label = td_string!(locale, review.details, version = version.clone()).to_string();
    let headline = match entry.verdict {
        Verdict::Scored { score, recommendation } => td_string!(
            locale,
            review.scored,
            score = digits(locale, score.one_decimal()),
            recommendation = recommendation_text(locale, recommendation)
        )
        .to_string(),
        Verdict::Abstained => td_string!(locale, review.abstained).to_string(),
    };
    view! {
        <div class="verdict">
            <p>
                <strong>
                    <bdi>{entry.advisor_name.clone()}</bdi>
                </strong>
                ": "
                {headline}
                " · "
                <span class="plan-meta">{when(locale, entry.scored_at)}</span>
            </p>
            {entry.reason.map(|reason| view! { <p class="verdict-reason">{reason}</p> })}
            {(!entry.criteria.is_empty())
                .then(|| {
                    view! {
                        <details>
                            <summary>{details_label.clone()}</summary>
                            <div class="table-wrap" tabindex="0" role="region" aria-label=details_label.clone()>
                                <table class="grid">
                                    <thead>
                                        <tr>
                                            <th scope="col">{td!(i18n, review.criterion)}</th>
                                            <th scope="col">{td!(i18n, review.weight)}</th>
                                            <th scope="col">{td!(i18n, review.score)}</th>
                                            <th scope="col">{td!(i18n, review.comment)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {entry
                                            .criteria
                                            .into_iter()
                                            .map(|c| {
                                                view! {
                                                    <tr>
                                                        <th scope="row">{pick(locale, &c.name).to_string()}</th>
                                                        <td>{digits(locale, c.weight.to_string())}</td>
                                                        <td>{digits(locale, format!("{}/{}", c.score, SCORE_MAX))}</td>
                                                        <td>{c.comment}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </details>
                    }
                })}
            {(!entry.note.is_empty()).then(|| view! { <p class="verdict-note">{entry.note}</p> })}
        </div>
    }
}

fn recommendation_text(locale: Locale, recommendation: Recommendation) -> String {
    match recommendation {
        Recommendation::Yes => td_string!(locale, review.recommend_yes),
        Recommendation::Maybe => td_string!(locale, review.recommend_maybe),
        Recommendation::No => td_string!(locale, review.recommend_no),
    }
    .to_string()
}

/// The score form: a score 0–5 and a comment for each criterion, a recommendation and a
/// note; or an abstention with its reason. Shows the advisor's earlier verdict to change,
/// or what they typed before an error (kept when JavaScript is off).
#[component]
fn ScoreForm(sheet: ReviewSheet, score: ServerAction<ScorePlan>, draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let value = Signal::derive(move || score.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(value.get(), Some(Ok(_))));
    let problem = move |field: Field| {
        Signal::derive(move || match error.get() {
            Some(AppError::Invalid(errors)) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| problem_text(i18n, e.problem)),
            _ => None,
        })
    };
    let mine = sheet.mine.clone();
    let earlier_score = |i: usize| -> String {
        draft.get(&format!("input[scores][{i}]")).unwrap_or_else(|| {
            mine.as_ref()
                .and_then(|m| m.criteria.get(i))
                .filter(|_| mine.as_ref().is_some_and(|m| m.rubric_version == sheet.rubric.version))
                .map(|c| c.score.to_string())
                .unwrap_or_default()
        })
    };
    let earlier_comment = |i: usize| -> String {
        draft.get(&format!("input[comments][{i}]")).unwrap_or_else(|| {
            mine.as_ref()
                .and_then(|m| m.criteria.get(i))
                .filter(|_| mine.as_ref().is_some_and(|m| m.rubric_version == sheet.rubric.version))
                .map(|c| c.comment.clone())
                .unwrap_or_default()
        })
    };
    let earlier_recommendation =
        draft
            .get("input[recommendation]")
            .unwrap_or_else(|| match mine.as_ref().map(|m| m.verdict) {
                Some(Verdict::Scored { recommendation, .. }) => recommendation.key().to_string(),
                _ => String::new(),
            });
    let abstaining = draft
        .get("input[mode]")
        .map(|m| m == "abstain")
        .unwrap_or_else(|| matches!(mine.as_ref().map(|m| m.verdict), Some(Verdict::Abstained)));
    let reason = draft
        .get("input[reason]")
        .or_else(|| mine.as_ref().and_then(|m| m.reason.clone()))
        .unwrap_or_default();
    let note = draft
        .get("input[note]")
        .or_else(|| mine.as_ref().map(|m| m.note.clone()))
        .unwrap_or_default();
    let score_problem = problem(Field::Score);
    let recommendation_problem = problem(Field::Recommendation);
    let reason_problem = problem(Field::AbstainReason);
    let rubric_problem = problem(Field::Rubric);
    let criteria: Vec<_> = sheet
        .rubric
        .criteria
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, c)| (i, c, earlier_score(i), earlier_comment(i)))
        .collect();
    view! {
        <h2>{td!(i18n, review.score_title)}</h2>
        <ServerForm action=score attr:novalidate=true attr:class="score-form">
            <ErrorSummary error />
            <Notice show=saved>{move || td!(i18n, review.saved)}</Notice>
            {move || rubric_problem.get().map(|m| view! { <p class="form-error">{m}</p> })}
            <input type="hidden" name="input[plan_id]" value=sheet.plan_id.to_string() />
            <input type="hidden" name="input[rubric_version]" value=sheet.rubric.version.to_string() />
            <fieldset class="choice-group">
                <legend>{td!(i18n, review.mode)}</legend>
                <label>
                    <input type="radio" name="input[mode]" value="score" checked=!abstaining />
                    {td!(i18n, review.mode_score)}
                </label>
                <label>
                    <input type="radio" name="input[mode]" value="abstain" checked=abstaining />
                    {td!(i18n, review.mode_abstain)}
                </label>
            </fieldset>
            {move || {
                score_problem
                    .get()
                    .map(|m| {
                        view! {
                            <p class="field-error" id="score-error">
                                {m}
                            </p>
                        }
                    })
            }}
            {criteria
                .into_iter()
                .map(|(i, criterion, chosen, comment)| {
                    let name = pick(locale, &criterion.name).to_string();
                    let weight = digits(locale, criterion.weight.to_string());
                    view! {
                        <fieldset class="criterion">
                            <legend>{td_string!(locale, review.criterion_legend, name = name, weight = weight)}</legend>
                            <div class="field">
                                <label for=format!("score-{i}")>{td!(i18n, review.score)}</label>
                                <select id=format!("score-{i}") name=format!("input[scores][{i}]")>
                                    <option value="">{td!(i18n, review.choose_score)}</option>
                                    {(0..=SCORE_MAX)
                                        .map(|s| {
                                            let selected = chosen == s.to_string();
                                            view! {
                                                <option value=s.to_string() selected=selected>
                                                    {digits(locale, format!("{s}/{SCORE_MAX}"))}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for=format!("comment-{i}")>{td!(i18n, review.comment)}</label>
                                <textarea
                                    id=format!("comment-{i}")
                                    name=format!("input[comments][{i}]")
                                    rows="2"
                                    maxlength="2000"
                                >
                                    {comment}
                                </textarea>
                            </div>
                        </fieldset>
                    }
                })
                .collect_view()}
            <fieldset
                class="choice-group"
                aria-describedby=move || recommendation_problem.get().map(|_| "recommendation-error")
            >
                <legend>{td!(i18n, review.recommendation)}</legend>
                {Recommendation::ALL
                    .into_iter()
                    .map(|r| {
                        let checked = earlier_recommendation == r.key();
                        view! {
                            <label>
                                <input type="radio" name="input[recommendation]" value=r.key() checked=checked />
                                {recommendation_text(locale, r)}
                            </label>
                        }
                    })
                    .collect_view()}
                {move || {
                    recommendation_problem
                        .get()
                        .map(|m| {
                            view! {
                                <p class="field-error" id="recommendation-error">
                                    {m}
                                </p>
                            }
                        })
                }}
            </fieldset>
            <div class="field">
                <label for="score-note">{td!(i18n, review.note)}</label>
                <textarea id="score-note" name="input[note]" rows="3" maxlength="2000">
                    {note}
                </textarea>
            </div>
            <div class="field" class:has-error=move || reason_problem.get().is_some()>
                <label for="abstain-reason">{td!(i18n, review.reason)}</label>
                <textarea
                    id="abstain-reason"
                    name="input[reason]"
                    rows="2"
                    maxlength="2000"
                    aria-describedby=move || reason_problem.get().map(|_| "abstain-reason-error")
                >
                    {reason}
                </textarea>
                {move || {
                    reason_problem
                        .get()
                        .map(|m| {
                            view! {
                                <p class="field-error" id="abstain-reason-error">
                                    {m}
                                </p>
                            }
                        })
                }}
            </div>
            <button type="submit" class="button primary">
                {td!(i18n, review.submit)}
            </button>
        </ServerForm>
    }
}
