//! Review comments on screen: the staff's board on the review sheet (pin a comment, reply,
//! resolve) and, in the entrepreneur's builder, the comments written to her on the section
//! she is editing, each of which she can mark answered. Plain forms: they work without
//! JavaScript.
use crate::components::form::{succeeded, Draft, ErrorSignal, ErrorSummary, FieldError, Notice};
use crate::components::server_form::ServerForm;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{digits, problem_text, when};
use crate::plan::report::{section_title, table_title};
use crate::review::{
    get_comments, AddComment, AnswerComment, CommentBoard, CommentThread, PinChoice, ReplyToComment, SetCommentStatus,
};
use domain::plan::sections::SectionKey;
use domain::plan::tables::Table;
use domain::review::comments::{Audience, CommentStatus, COMMENT_MAX};
use domain::validation::Field;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Where a comment is pinned, in words.
pub fn pin_text(locale: Locale, section: SectionKey, row: &Option<(Table, String)>) -> String {
    match row {
        None => section_title(locale, section).to_string(),
        Some((table, label)) => td_string!(
            locale,
            comments.pin_row,
            section = section_title(locale, section),
            table = table_title(locale, *table),
            row = label.clone()
        )
        .to_string(),
    }
}

fn problem_of(error: ErrorSignal, field: Field) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || match error.get() {
        Some(AppError::Invalid(errors)) => errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| problem_text(i18n, e.problem)),
        _ => None,
    })
}

/// The actions of the staff's comment board, created by the page so that it can reload
/// what depends on them.
#[derive(Clone, Copy)]
pub struct CommentActions {
    pub add: ServerAction<AddComment>,
    pub reply: ServerAction<ReplyToComment>,
    pub status: ServerAction<SetCommentStatus>,
}

impl CommentActions {
    pub fn new() -> Self {
        CommentActions {
            add: ServerAction::new(),
            reply: ServerAction::new(),
            status: ServerAction::new(),
        }
    }

    /// Changes whenever one of them completes.
    pub fn version(&self) -> usize {
        self.add.version().get() + self.reply.version().get() + self.status.version().get()
    }
}

impl Default for CommentActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The staff's board: the form to pin a comment, and every thread.
#[component]
pub fn StaffComments(board: CommentBoard, actions: CommentActions, draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let open = board
        .comments
        .iter()
        .filter(|c| c.status == CommentStatus::Open)
        .count();
    let counts = digits(
        locale,
        td_string!(locale, comments.counts, open = open, total = board.comments.len()).to_string(),
    );
    let current = board.revision;
    let can_comment = board.can_comment;
    view! {
        <section class="review-comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading">{td!(i18n, comments.title)}</h2>
            <p class="hint">{counts}</p>
            {if can_comment {
                view! { <AddCommentForm plan_id=board.plan_id pins=board.pins.clone() action=actions.add draft /> }
                    .into_any()
            } else {
                view! { <p class="hint">{td!(i18n, comments.cannot_comment)}</p> }.into_any()
            }}
            {if board.comments.is_empty() {
                view! { <p>{td!(i18n, comments.none)}</p> }.into_any()
            } else {
                view! {
                    <ol class="comment-list">
                        {board
                            .comments
                            .into_iter()
                            .map(|comment| {
                                view! {
                                    <li>
                                        <Thread comment current can_comment actions />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn AddCommentForm(plan_id: i64, pins: Vec<PinChoice>, action: ServerAction<AddComment>, draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let value = Signal::derive(move || action.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let added = succeeded(action);
    let pin_problem = problem_of(error, Field::CommentPin);
    let body_problem = problem_of(error, Field::Comment);
    let chosen_pin = draft.get("input[pin]").unwrap_or_default();
    let internal = draft
        .get("input[audience]")
        .is_some_and(|a| a == Audience::Internal.key());
    let body = draft.get("input[body]").unwrap_or_default();
    view! {
        <details class="add-comment" open=true>
            <summary>{td!(i18n, comments.add)}</summary>
            <ServerForm action attr:novalidate=true attr:class="comment-form">
                <ErrorSummary error />
                <Notice show=added>{move || td!(i18n, comments.added)}</Notice>
                <input type="hidden" name="input[plan_id]" value=plan_id.to_string() />
                <div class="field" class:has-error=move || pin_problem.get().is_some()>
                    <label for="comment-pin">{td!(i18n, comments.pin_where)}</label>
                    <select
                        id="comment-pin"
                        name="input[pin]"
                        aria-describedby=move || pin_problem.get().map(|_| "comment-pin-error")
                    >
                        {pins
                            .into_iter()
                            .map(|pin| {
                                let selected = pin.value == chosen_pin;
                                let text = pin_text(locale, pin.section, &pin.row);
                                view! {
                                    <option value=pin.value selected=selected>
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldError id="comment-pin-error".to_string() message=pin_problem />
                </div>
                <fieldset class="choice-group">
                    <legend>{td!(i18n, comments.audience)}</legend>
                    <label>
                        <input
                            type="radio"
                            name="input[audience]"
                            value=Audience::Entrepreneur.key()
                            checked=!internal
                        />
                        {td!(i18n, comments.to_entrepreneur)}
                    </label>
                    <label>
                        <input type="radio" name="input[audience]" value=Audience::Internal.key() checked=internal />
                        {td!(i18n, comments.internal)}
                    </label>
                </fieldset>
                <div class="field" class:has-error=move || body_problem.get().is_some()>
                    <label for="comment-body">{td!(i18n, comments.body)}</label>
                    <textarea
                        id="comment-body"
                        name="input[body]"
                        rows="3"
                        maxlength=COMMENT_MAX.to_string()
                        aria-describedby=move || body_problem.get().map(|_| "comment-body-error")
                    >
                        {body}
                    </textarea>
                    <FieldError id="comment-body-error".to_string() message=body_problem />
                </div>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {td!(i18n, comments.submit)}
                </button>
            </ServerForm>
        </details>
    }
}

/// The badges and the place of a comment, and its text.
#[component]
fn CommentHead(comment: CommentThread, current: i64) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let place = pin_text(locale, comment.section, &comment.row);
    let by = td_string!(
        locale,
        comments.by,
        name = comment.author_name.clone(),
        when = when(locale, comment.created_at)
    )
    .to_string();
    let earlier = (comment.revision < current).then(|| {
        digits(
            locale,
            td_string!(locale, comments.made_on, n = comment.revision).to_string(),
        )
    });
    let audience = match comment.audience {
        Audience::Internal => td_string!(locale, comments.internal),
        Audience::Entrepreneur => td_string!(locale, comments.to_entrepreneur),
    };
    let (status_class, status) = match comment.status {
        CommentStatus::Open => ("badge badge-uploaded", td_string!(locale, comments.open)),
        CommentStatus::Resolved => ("badge badge-verified", td_string!(locale, comments.resolved)),
    };
    view! {
        <p class="comment-meta">
            <strong class="comment-place">{place}</strong>
            " "
            <span class=status_class>{status}</span>
            " "
            <span class=if comment.audience == Audience::Internal {
                "badge badge-internal"
            } else {
                "badge"
            }>{audience}</span>
            {earlier.map(|e| view! { <span class="badge badge-earlier">{e}</span> })}
        </p>
        <p class="comment-body preserve">{comment.body.clone()}</p>
        <p class="plan-meta">
            <bdi>{by}</bdi>
        </p>
    }
}

#[component]
fn Thread(comment: CommentThread, current: i64, can_comment: bool, actions: CommentActions) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let id = comment.id;
    let answered = match comment.answered_at {
        Some(at) => td_string!(locale, comments.answered, when = when(locale, at)).to_string(),
        None => td_string!(locale, comments.not_answered).to_string(),
    };
    let show_answer = comment.audience == Audience::Entrepreneur;
    let answer = comment.answer.clone();
    let replies = comment.replies.clone();
    let next_status = match comment.status {
        CommentStatus::Open => CommentStatus::Resolved,
        CommentStatus::Resolved => CommentStatus::Open,
    };
    let reply_error: ErrorSignal = Signal::derive(move || {
        actions
            .reply
            .input()
            .get()
            .filter(|input| input.comment_id == id)
            .and(actions.reply.value().get().and_then(Result::err))
    });
    view! {
        <article
            class="comment"
            class:comment-resolved=comment.status == CommentStatus::Resolved
            id=format!("comment-{id}")
        >
            <CommentHead comment=comment.clone() current />
            {show_answer
                .then(|| {
                    view! {
                        <p class="comment-answer">
                            <strong>{answered}</strong>
                            {answer.map(|a| view! { <span class="preserve">" — "{a}</span> })}
                        </p>
                    }
                })}
            {(!replies.is_empty())
                .then(|| {
                    view! {
                        <ul class="comment-replies" aria-label=td_string!(locale, comments.thread)>
                            {replies
                                .into_iter()
                                .map(|reply| {
                                    let by = td_string!(
                                        locale, comments.by, name = reply.author_name, when = when(locale, reply.at)
                                    )
                                        .to_string();
                                    view! {
                                        <li>
                                            <p class="preserve">{reply.body}</p>
                                            <p class="plan-meta">
                                                <bdi>{by}</bdi>
                                            </p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {can_comment
                .then(|| {
                    let reply_id = format!("reply-{id}");
                    let reply_label = td_string!(locale, comments.reply).to_string();
                    view! {
                        <div class="comment-actions">
                            <ServerForm action=actions.reply attr:novalidate=true attr:class="reply-form">
                                <input type="hidden" name="comment_id" value=id.to_string() />
                                <ErrorSummary error=reply_error />
                                <label for=reply_id.clone() class="visually-hidden">
                                    {reply_label.clone()}
                                </label>
                                <textarea
                                    id=reply_id
                                    name="body"
                                    rows="2"
                                    maxlength=COMMENT_MAX.to_string()
                                    placeholder=reply_label
                                ></textarea>
                                <button type="submit" class="button">
                                    {td!(i18n, comments.reply_submit)}
                                </button>
                            </ServerForm>
                            <ServerForm action=actions.status attr:class="status-form">
                                <input type="hidden" name="comment_id" value=id.to_string() />
                                <input type="hidden" name="status" value=next_status.key() />
                                <button type="submit" class="button">
                                    {match next_status {
                                        CommentStatus::Resolved => td_string!(locale, comments.resolve),
                                        CommentStatus::Open => td_string!(locale, comments.reopen),
                                    }}
                                </button>
                            </ServerForm>
                        </div>
                    }
                })}
        </article>
    }
}

/// In the builder: the comments written to the entrepreneur on this section, above its
/// editor; open ones first, each with "mark answered" while the chamber waits for her.
#[component]
pub fn SectionComments() -> impl IntoView {
    let params = use_params_map();
    let plan_id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok());
    let section = move || params.read().get("section").and_then(|s| SectionKey::from_key(&s));
    let answer = ServerAction::<AnswerComment>::new();
    let board = Resource::new(
        move || (plan_id(), answer.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_comments(id).await.ok(),
                None => None,
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let board = board.await;
                let section = section();
                board
                    .zip(section)
                    .map(|(board, section)| {
                        let comments: Vec<CommentThread> = board
                            .comments
                            .into_iter()
                            .filter(|c| c.section == section && c.audience == Audience::Entrepreneur)
                            .collect();
                        (!comments.is_empty())
                            .then(|| {
                                view! {
                                    <SectionCommentList
                                        comments
                                        current=board.revision
                                        can_answer=board.can_answer
                                        answer
                                    />
                                }
                            })
                    })
            })}
        </Suspense>
    }
}

#[component]
fn SectionCommentList(
    comments: Vec<CommentThread>,
    current: i64,
    can_answer: bool,
    answer: ServerAction<AnswerComment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let (open, resolved): (Vec<_>, Vec<_>) = comments.into_iter().partition(|c| c.status == CommentStatus::Open);
    let value = Signal::derive(move || answer.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let saved = succeeded(answer);
    let earlier = td_string!(locale, comments.earlier, n = digits(locale, resolved.len().to_string())).to_string();
    view! {
        <section class="card section-comments" aria-labelledby="section-comments-heading">
            <h2 id="section-comments-heading">{td!(i18n, comments.for_section)}</h2>
            <ErrorSummary error />
            <Notice show=saved>{move || td!(i18n, comments.answer_saved)}</Notice>
            <ol class="comment-list">
                {open
                    .into_iter()
                    .map(|comment| {
                        let id = comment.id;
                        let answered = comment
                            .answered_at
                            .map(|at| td_string!(locale, comments.answered, when = when(locale, at)).to_string());
                        let answer_text = comment.answer.clone().unwrap_or_default();
                        let field_id = format!("answer-{id}");
                        view! {
                            <li>
                                <article class="comment" id=format!("comment-{id}")>
                                    <CommentHead comment=comment.clone() current />
                                    {answered
                                        .map(|a| {
                                            view! {
                                                <p class="comment-answer">
                                                    <strong>{a}</strong>
                                                </p>
                                            }
                                        })}
                                    {can_answer
                                        .then(|| {
                                            view! {
                                                <ServerForm action=answer attr:novalidate=true attr:class="answer-form">
                                                    <input type="hidden" name="comment_id" value=id.to_string() />
                                                    <div class="field">
                                                        <label for=field_id
                                                            .clone()>{td!(i18n, comments.answer_label)}</label>
                                                        <textarea
                                                            id=field_id
                                                            name="answer"
                                                            rows="2"
                                                            maxlength=COMMENT_MAX.to_string()
                                                        >
                                                            {answer_text}
                                                        </textarea>
                                                    </div>
                                                    <button type="submit" class="button primary">
                                                        {td!(i18n, comments.answer_submit)}
                                                    </button>
                                                </ServerForm>
                                            }
                                        })}
                                </article>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {(!resolved.is_empty())
                .then(|| {
                    view! {
                        <details>
                            <summary>{earlier}</summary>
                            <ol class="comment-list">
                                {resolved
                                    .into_iter()
                                    .map(|comment| {
                                        view! {
                                            <li>
                                                <article class="comment comment-resolved">
                                                    <CommentHead comment current />
                                                </article>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        </details>
                    }
                })}
        </section>
    }
}

/// The builder's section page with the chamber's comments on that section above it.
#[component]
pub fn SectionWithComments() -> impl IntoView {
    view! {
        <SectionComments />
        <crate::plan::pages::section::SectionPage />
    }
}

/// On the owner's plan page: the chamber's open comments to her, each linking to the
/// section it concerns, so she knows where to work before sending the plan again.
#[component]
pub fn PlanComments() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let plan_id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok());
    let board = Resource::new(plan_id, |id| async move {
        match id {
            Some(id) => get_comments(id).await.ok(),
            None => None,
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let board = board.await.filter(|b| !b.staff_view)?;
                let locale = i18n;
                let open: Vec<CommentThread> = board
                    .comments
                    .into_iter()
                    .filter(|c| c.status == CommentStatus::Open && c.audience == Audience::Entrepreneur)
                    .collect();
                if open.is_empty() {
                    return None;
                }
                let plan_id = board.plan_id;
                Some(
                    view! {
                        <section class="card plan-comments" aria-labelledby="plan-comments-heading">
                            <h2 id="plan-comments-heading">{td!(i18n, comments.on_plan)}</h2>
                            <ul class="comment-summary">
                                {open
                                    .into_iter()
                                    .map(|c| {
                                        let answered = c.answered_at.is_some();
                                        view! {
                                            <li>
                                                <a href=format!(
                                                    "/plans/{plan_id}/{}#comment-{}",
                                                    c.section.key(),
                                                    c.id,
                                                )>{pin_text(locale, c.section, &c.row)}</a>
                                                ": "
                                                <span class="preserve">{c.body}</span>
                                                " "
                                                <span class=if answered {
                                                    "badge badge-verified"
                                                } else {
                                                    "badge badge-uploaded"
                                                }>
                                                    {if answered {
                                                        td_string!(locale, comments.answered_short)
                                                    } else {
                                                        td_string!(locale, comments.not_answered)
                                                    }}
                                                </span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    },
                )
            })}
        </Suspense>
    }
}

/// A plan's page with, for its owner, the chamber's open comments listed by section first:
/// when the chamber waits for her changes, where to work is what she needs to see.
#[component]
pub fn PlanWithComments() -> impl IntoView {
    view! {
        <PlanComments />
        <crate::case::pages::plan::PlanPage />
    }
}
