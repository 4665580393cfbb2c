//! One plan: its sections with completeness, and the page that writes a section. Plain
//! forms (work without JavaScript); a save names the revision it started from.
use super::sections::{text_complete, written_completeness, SectionKey, SectionKind, BODY_MAX};
use super::{get_plan, PlanDetail, SaveSection};
use crate::components::form::{use_form_draft, ErrorSignal, ErrorSummary, Notice};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::problem_text;
use crate::profile::pages::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

pub fn section_title(locale: Locale, key: SectionKey) -> &'static str {
    match key {
        SectionKey::Summary => td_string!(locale, sections.summary.title),
        SectionKey::Entrepreneur => td_string!(locale, sections.entrepreneur.title),
        SectionKey::Idea => td_string!(locale, sections.idea.title),
        SectionKey::Market => td_string!(locale, sections.market.title),
        SectionKey::Marketing => td_string!(locale, sections.marketing.title),
        SectionKey::Operations => td_string!(locale, sections.operations.title),
        SectionKey::Team => td_string!(locale, sections.team.title),
        SectionKey::Startup => td_string!(locale, sections.startup.title),
        SectionKey::Funding => td_string!(locale, sections.funding.title),
        SectionKey::Sales => td_string!(locale, sections.sales.title),
        SectionKey::Costs => td_string!(locale, sections.costs.title),
        SectionKey::Financials => td_string!(locale, sections.financials.title),
        SectionKey::Risks => td_string!(locale, sections.risks.title),
    }
}

fn section_help(locale: Locale, key: SectionKey) -> (&'static str, &'static str) {
    match key {
        SectionKey::Summary => (
            td_string!(locale, sections.summary.help),
            td_string!(locale, sections.summary.example),
        ),
        SectionKey::Entrepreneur => (
            td_string!(locale, sections.entrepreneur.help),
            td_string!(locale, sections.entrepreneur.example),
        ),
        SectionKey::Idea => (
            td_string!(locale, sections.idea.help),
            td_string!(locale, sections.idea.example),
        ),
        SectionKey::Market => (
            td_string!(locale, sections.market.help),
            td_string!(locale, sections.market.example),
        ),
        SectionKey::Marketing => (
            td_string!(locale, sections.marketing.help),
            td_string!(locale, sections.marketing.example),
        ),
        SectionKey::Operations => (
            td_string!(locale, sections.operations.help),
            td_string!(locale, sections.operations.example),
        ),
        SectionKey::Team => (
            td_string!(locale, sections.team.help),
            td_string!(locale, sections.team.example),
        ),
        SectionKey::Startup => (
            td_string!(locale, sections.startup.help),
            td_string!(locale, sections.startup.example),
        ),
        SectionKey::Funding => (
            td_string!(locale, sections.funding.help),
            td_string!(locale, sections.funding.example),
        ),
        SectionKey::Sales => (
            td_string!(locale, sections.sales.help),
            td_string!(locale, sections.sales.example),
        ),
        SectionKey::Costs => (
            td_string!(locale, sections.costs.help),
            td_string!(locale, sections.costs.example),
        ),
        SectionKey::Financials => (
            td_string!(locale, sections.financials.help),
            td_string!(locale, sections.financials.example),
        ),
        SectionKey::Risks => (
            td_string!(locale, sections.risks.help),
            td_string!(locale, sections.risks.example),
        ),
    }
}

/// The plan named by the `:id` of the URL (404 when it is not a number).
fn use_plan_from_url() -> Resource<Result<PlanDetail, AppError>> {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<i64>().ok()));
    Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_plan(id).await,
                None => Err(AppError::NotFound),
            }
        },
    )
}

#[component]
pub fn PlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let plan = use_plan_from_url();
    view! {
        <Title text=move || t_string!(i18n, plans.title) />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match plan.await {
                    Ok(detail) => view! { <PlanOverview detail /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlanOverview(detail: PlanDetail) -> impl IntoView {
    let i18n = use_i18n();
    let percent = written_completeness(&detail.sections);
    let id = detail.summary.id;
    let title = detail.summary.title.clone();
    view! {
        <section class="card">
            <h1>{title}</h1>
            <p class="progress-line">
                {move || td_string!(i18n.get_locale(), plan.progress, percent = percent).to_string()}
            </p>
            <progress max="100" value=percent.to_string() aria-label=move || t_string!(i18n, plan.sections_title)>
                {percent}"%"
            </progress>
            <h2>{t!(i18n, plan.sections_title)}</h2>
            <ol class="section-list">
                {SectionKey::builder_order().map(|key| {
                    let body = detail.body(key).unwrap_or_default().to_string();
                    let written = key.kind() == SectionKind::Text;
                    let complete = written && text_complete(&body);
                    view! {
                        <li class="section-item" class:complete=complete>
                            <span class="section-name">{move || section_title(i18n.get_locale(), key)}</span>
                            <span class="section-state">
                                {move || if !written {
                                    t_string!(i18n, plan.coming_soon).to_string()
                                } else if complete {
                                    format!("✓ {}", t_string!(i18n, plan.complete))
                                } else {
                                    t_string!(i18n, plan.incomplete).to_string()
                                }}
                            </span>
                            {written.then(|| view! {
                                <A href=format!("/plans/{id}/{}", key.key()) attr:class="button">
                                    {t!(i18n, plan.edit)}<span class="visually-hidden">" — "{move || section_title(i18n.get_locale(), key)}</span>
                                </A>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
pub fn SectionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = Memo::new(move |_| params.read().get("section").and_then(|s| SectionKey::from_key(&s)));
    let plan = use_plan_from_url();
    let draft = use_form_draft::<SaveSection>();
    view! {
        // Outside the Suspense so that it is in the <head> the server sends first.
        <Title text=move || key.get().map(|k| section_title(i18n.get_locale(), k)).unwrap_or_default() />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let draft = draft.await;
                match (plan.await, key.get()) {
                    (Ok(detail), Some(key)) if key.kind() == SectionKind::Text => {
                        view! { <SectionEditor detail key typed=draft.get("body") /> }.into_any()
                    }
                    (Err(e), _) => view! { <LoadError error=e /> }.into_any(),
                    _ => view! { <LoadError error=AppError::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SectionEditor(detail: PlanDetail, key: SectionKey, typed: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveSection>::new();
    let value = Signal::derive(move || save.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(value.get(), Some(Ok(_))));
    // The revision the next save starts from: after a save, the new one; after a conflict,
    // the server's, so that saving again keeps the person's own text.
    let revision = RwSignal::new(detail.revision);
    Effect::new(move |_| match value.get() {
        Some(Ok(next)) => revision.set(next),
        Some(Err(AppError::Conflict { revision: current, .. })) => revision.set(current),
        _ => {}
    });
    let saved_version = move || match value.get() {
        Some(Err(AppError::Conflict { saved, .. })) => Some(saved),
        _ => None,
    };
    let body_problem = move || {
        error.get().and_then(|e| {
            e.field_errors()
                .first()
                .map(|fe| problem_text(i18n.get_locale(), fe.problem))
        })
    };
    let stored = detail.body(key).unwrap_or_default().to_string();
    let initial = typed.unwrap_or(stored);
    let length = RwSignal::new(initial.chars().count());
    let plan_id = detail.summary.id;
    let (help, example) = (
        move || section_help(i18n.get_locale(), key).0,
        move || section_help(i18n.get_locale(), key).1,
    );
    view! {
        <section class="card">
            <p><A href=format!("/plans/{plan_id}")>{t!(i18n, plan.back)}</A></p>
            <h1>{move || section_title(i18n.get_locale(), key)}</h1>
            <p class="hint" id="section-help">{help}</p>
            <details class="example">
                <summary>{t!(i18n, plan.example)}</summary>
                <p>{example}</p>
            </details>
            <ActionForm action=save attr:novalidate=true>
                <ErrorSummary error />
                <Notice show=saved>{move || t!(i18n, plan.saved)}</Notice>
                <input type="hidden" name="plan_id" value=plan_id.to_string() />
                <input type="hidden" name="section" value=key.key() />
                <input type="hidden" name="revision" value=move || revision.get().to_string() />
                <div class="field" class:has-error=move || body_problem().is_some()>
                    <label for="section-body">{t!(i18n, plan.body_label)}</label>
                    <textarea id="section-body" name="body" rows="12" maxlength=BODY_MAX.to_string()
                        aria-describedby="section-help section-count"
                        on:input=move |ev| length.set(event_target_value(&ev).chars().count())>
                        {initial}
                    </textarea>
                    <p class="hint" id="section-count">
                        {move || td_string!(i18n.get_locale(), plan.characters, count = length.get()).to_string()}
                    </p>
                    {move || body_problem().map(|p| view! { <p class="field-error">{p}</p> })}
                </div>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {t!(i18n, plan.save)}
                </button>
            </ActionForm>
            {move || saved_version().map(|text| view! {
                <section class="saved-version">
                    <h2>{t!(i18n, plan.saved_version)}</h2>
                    <p class="preserve">{text}</p>
                </section>
            })}
        </section>
    }
}
