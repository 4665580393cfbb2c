//! An entrepreneur's case file: plans, service requests, documents and one timeline.
use crate::components::server_form::ServerForm;
use crate::i18n::*;
use crate::lang::{plan_action_text, plan_status_text, when};
use leptos::prelude::*;

/// `/case` (own) and `/staff/case/:user`: one page for an entrepreneur's whole case, with a
/// single chronological timeline of plans, services and documents.
#[component]
pub fn CaseFilePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = leptos_router::hooks::use_params_map();
    let user = move || params.read().get("user").and_then(|u| u.parse::<i64>().ok());
    let file = Resource::new(user, crate::case::get_case_file);
    // Made here, outside the suspended view, so the browser hydrates what the server sent.
    let reference = Resource::new(
        || (),
        |_| async move { crate::auth::get_reference_data().await.unwrap_or_default() },
    );
    let draft = crate::components::form::use_form_draft::<crate::case::MoveChamber>();
    view! {
        <leptos_meta::Title text=move || td_string!(i18n, case.file_title) />
        <Transition fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match file.await {
                    Ok(file) => {
                        let mover = match user().filter(|_| file.can_move) {
                            Some(user_id) => {
                                let chambers = reference.await.chambers;
                                let chosen = draft.await.get("chamber").or_else(|| file.chamber_code.clone());
                                Some(view! { <MoveChamberForm user_id chambers chosen /> })
                            }
                            None => None,
                        };
                        view! {
                            <CaseFileBody file own=user().is_none() />
                            {mover}
                        }
                            .into_any()
                    }
                    Err(error) => view! { <crate::components::load_error::LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CaseFileBody(file: crate::case::CaseFile, own: bool) -> impl IntoView {
    use crate::case::TimelineEntry;
    use crate::lang::pick;
    use leptos_router::components::A;
    let i18n = use_i18n();
    view! {
        <section class="card case-file">
            <h1>
                {move || if own { td_string!(i18n, case.file_title) } else { td_string!(i18n, case.file_of) }} " — "
                <bdi>{file.owner_name.clone()}</bdi>
            </h1>
            <h2>{td!(i18n, case.file_plans)}</h2>
            {file.plans.is_empty().then(|| view! { <p>{td!(i18n, case.file_none)}</p> })}
            <ul>
                {file
                    .plans
                    .into_iter()
                    .map(|(id, title, status, revisions)| {
                        view! {
                            <li>
                                <A href=format!("/plans/{id}")>
                                    <bdi>{title}</bdi>
                                </A>
                                " "
                                <span class="badge badge-uploaded">{move || plan_status_text(i18n, status)}</span>
                                {(revisions > 0)
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="hint">
                                                {move || {
                                                    td_string!(
                                                        i18n, case.revision_n,
                            n = crate::lang::digits(i18n, revisions.to_string())
                                                    )
                                                        .to_string()
                                                }}
                                            </span>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h2>{td!(i18n, case.file_services)}</h2>
            {file.requests.is_empty().then(|| view! { <p>{td!(i18n, case.file_none)}</p> })}
            <ul>
                {file
                    .requests
                    .into_iter()
                    .map(|r| {
                        let status = r.status;
                        view! {
                            <li>
                                <A href=format!(
                                    "/services/requests/{}",
                                    r.id,
                                )>{move || pick(i18n, &r.service_name).to_string()}</A>
                                " "
                                <span class="badge badge-uploaded">
                                    {move || crate::lang::request_status_text(i18n, status)}
                                </span>
                                {r
                                    .expected_done
                                    .clone()
                                    .map(|date| {
                                        view! {
                                            " "
                                            <span class="hint">
                                                {move || {
                                                    td_string!(
                                                        i18n, services.expected_done,
                                date = crate::lang::digits(i18n, date.clone())
                                                    )
                                                        .to_string()
                                                }}
                                            </span>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h2>{td!(i18n, case.file_documents)}</h2>
            {file.documents.is_empty().then(|| view! { <p>{td!(i18n, case.file_none)}</p> })}
            <ul>
                {file
                    .documents
                    .into_iter()
                    .map(|(doc, status)| {
                        view! {
                            <li>
                                {move || crate::lang::doc_type_text(i18n, doc)}" — "
                                {move || crate::lang::document_status_text(i18n, status)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h2>{td!(i18n, case.file_timeline)}</h2>
            <ol class="timeline case-timeline">
                {file
                    .timeline
                    .into_iter()
                    .map(|entry| {
                        let at = entry.at();
                        let (text, message) = match entry {
                            TimelineEntry::Plan { title, action, to, message, revision, .. } => {
                                (
                                    Signal::derive(move || {
                                        let locale = i18n;
                                        let mut line = format!(
                                            "«{title}»: {} → {}",
                                            plan_action_text(locale, action),
                                            plan_status_text(locale, to),
                                        );
                                        if let Some(n) = revision {
                                            line.push_str(
                                                &format!(
                                                    " ({})",
                                                    td_string!(
                                                        locale, case.revision_n,
                                        n = crate::lang::digits(locale, n.to_string())
                                                    ),
                                                ),
                                            );
                                        }
                                        line
                                    }),
                                    message,
                                )
                            }
                            TimelineEntry::Service { service_name, action, to, step, message, .. } => {
                                (
                                    Signal::derive(move || {
                                        let locale = i18n;
                                        let what = match action {
                                            Some(a) => crate::lang::request_action_text(locale, a),
                                            None => td_string!(locale, services.requested_event).to_string(),
                                        };
                                        let mut line = format!(
                                            "«{}»: {what} → {}",
                                            pick(locale, &service_name),
                                            crate::lang::request_status_text(locale, to),
                                        );
                                        if to == domain::services::RequestStatus::InProgress {
                                            line.push_str(
                                                &format!(
                                                    " ({})",
                                                    td_string!(
                                                        locale, case.step_n,
                                        n = crate::lang::digits(locale, step.to_string())
                                                    ),
                                                ),
                                            );
                                        }
                                        line
                                    }),
                                    message,
                                )
                            }
                            TimelineEntry::Document { doc_type, status, reason, .. } => {
                                (
                                    Signal::derive(move || {
                                        let locale = i18n;
                                        format!(
                                            "{}: {}",
                                            crate::lang::doc_type_text(locale, doc_type),
                                            crate::lang::document_status_text(locale, status),
                                        )
                                    }),
                                    reason,
                                )
                            }
                        };
                        view! {
                            <li>
                                <span class="hint">{move || when(i18n, at)}</span>
                                " "
                                <span class="timeline-text">{text}</span>
                                {message
                                    .map(|m| {
                                        view! {
                                            <blockquote class="timeline-message preserve">
                                                <bdi>{m}</bdi>
                                            </blockquote>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// Staff move a person's case to another chamber (her chamber's manager, the Fund).
#[component]
fn MoveChamberForm(
    user_id: i64,
    chambers: Vec<domain::reference::ChamberChoice>,
    /// The chamber selected: the one tried last (a refused plain post), else hers.
    chosen: Option<String>,
) -> impl IntoView {
    use crate::components::form::{field_error_signal, ChamberOptions, ErrorSignal, ErrorSummary, FieldError, Notice};
    use domain::validation::Field;
    let i18n = use_i18n();
    let move_case = ServerAction::<crate::case::MoveChamber>::new();
    let value = Signal::derive(move || move_case.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let moved = crate::components::form::succeeded(move_case);
    let message = field_error_signal(error, Field::Chamber);
    view! {
        <section class="card">
            <h2>{td!(i18n, case.chamber_move_title)}</h2>
            <p class="hint">{td!(i18n, case.chamber_move_hint)}</p>
            <ServerForm action=move_case attr:novalidate=true>
                <ErrorSummary error />
                <Notice show=moved>{move || td!(i18n, case.chamber_moved)}</Notice>
                <input type="hidden" name="user_id" value=user_id.to_string() />
                <div class="field" class:has-error=move || message.get().is_some()>
                    <label for="move_chamber">{td!(i18n, fields.chamber)}</label>
                    <select
                        id="move_chamber"
                        name="chamber"
                        required=true
                        aria-invalid=move || message.get().map(|_| "true")
                        aria-describedby=move || message.get().map(|_| "move_chamber-error")
                    >
                        <ChamberOptions chambers selected=chosen />
                    </select>
                    <FieldError id="move_chamber-error".to_string() message />
                </div>
                <button type="submit" class="button" disabled=move || move_case.pending().get()>
                    {td!(i18n, case.chamber_move_submit)}
                </button>
            </ServerForm>
        </section>
    }
}
