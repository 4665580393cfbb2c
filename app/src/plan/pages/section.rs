//! The page that writes one section of a plan: its help and example, the text editor (a
//! plain form that works without JavaScript) and the section's tables. A save names the
//! revision it started from.
use crate::components::form::{use_form_draft, ErrorSignal, ErrorSummary, Notice};
use crate::components::load_error::LoadError;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::problem_text;
use crate::plan::autosave::{device_key, use_autosave, Restore, SaveState};
use crate::plan::pages::financials::FinancialsView;
use crate::plan::pages::tables::{SaveStatus, SectionTables};
use crate::plan::report::{section_help, section_title};
use crate::plan::{get_plan, save_section, PlanDetail, SaveSection};
use domain::plan::financials::PlanFinancials;
use domain::plan::sections::{SectionKey, SectionKind, BODY_MAX};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The plan named by the `:id` of the URL (404 when it is not a number), loaded again
/// whenever `refresh` changes; with the id itself.
pub fn use_plan_from_url(refresh: Signal<usize>) -> (Memo<Option<i64>>, Resource<Result<PlanDetail, AppError>>) {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<i64>().ok()));
    let plan = Resource::new(
        move || (id.get(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_plan(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    (id, plan)
}

#[component]
pub fn SectionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = Memo::new(move |_| params.read().get("section").and_then(|s| SectionKey::from_key(&s)));
    let (_, plan) = use_plan_from_url(Signal::stored(0));
    let draft = use_form_draft::<SaveSection>();
    view! {
        // Outside the Suspense so that it is in the <head> the server sends first.
        <Title text=move || key.get().map(|k| section_title(i18n, k)).unwrap_or_default() />
        <Suspense fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let draft = draft.await;
                match (plan.await, key.get()) {
                    (Ok(detail), Some(key)) => {
                        view! { <SectionBodyPart detail key typed=draft.get("body") /> }.into_any()
                    }
                    (Err(e), _) => view! { <LoadError error=e /> }.into_any(),
                    _ => view! { <LoadError error=AppError::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One section: its help and example, then what fits it: the editors, or the figures of
/// the computed section. Where the islands build starts the page, only the editors are an
/// island: the frame and the figures are server HTML that nothing in the browser changes,
/// so their code (the financial model, the charts, every section's help) stays out of the
/// islands build.
#[component]
fn SectionBodyPart(detail: PlanDetail, key: SectionKey, typed: Option<String>) -> impl IntoView {
    let i18n = crate::i18n::provide_page_language();
    let plan_id = detail.summary.id;
    let (help, example) = (move || section_help(i18n, key).0, move || section_help(i18n, key).1);
    // What the editors use, and no more: as an island's props it travels in the page.
    let start = EditorsStart {
        plan_id,
        editable: detail.editable,
        revision: detail.revision,
        key,
        stored: detail.body(key).unwrap_or_default().to_string(),
        data: (!key.tables().is_empty()).then(|| detail.data.clone()),
        typed,
    };
    let body = match key.kind() {
        SectionKind::Computed => view! { <FinancialsView plan=detail.data.clone() /> }.into_any(),
        SectionKind::Text | SectionKind::Table if crate::components::page_start::draws_islands() => {
            view! { <SectionEditorsIsland start /> }.into_any()
        }
        SectionKind::Text | SectionKind::Table => view! { <SectionEditors start /> }.into_any(),
    };
    view! {
        <section class="card section-page" data-section=key.key()>
            <p>
                <a href=format!("/plans/{plan_id}")>{td!(i18n, plan.back)}</a>
            </p>
            <h1>{move || section_title(i18n, key)}</h1>
            <p class="hint" id="section-help">
                {help}
            </p>
            <details class="example">
                <summary>{td!(i18n, plan.example)}</summary>
                <p>{example}</p>
            </details>
            {body}
        </section>
    }
}

/// What a section's editors start from. One value, because it is both the island's props
/// (it travels in the page as JSON) and the component's.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct EditorsStart {
    plan_id: i64,
    editable: bool,
    /// The plan's revision the page was drawn at; a save names it.
    revision: i64,
    key: SectionKey,
    /// The section's saved text.
    stored: String,
    /// The plan's tables, only where the section has some.
    data: Option<PlanFinancials>,
    /// What the person typed before a save without JavaScript was refused.
    typed: Option<String>,
}

#[island]
fn SectionEditorsIsland(start: EditorsStart) -> impl IntoView {
    view! { <SectionEditors start /> }
}

/// The editors of a text or table section: the text with its autosave, the tables with
/// their totals.
///
/// Island-ready (docs/architecture.md, "Two browser builds"): everything it needs comes in
/// its props, nothing from the app around it, which is why it decides the page's language
/// itself.
#[component]
fn SectionEditors(start: EditorsStart) -> impl IntoView {
    let EditorsStart {
        plan_id,
        editable,
        revision,
        key,
        stored,
        data,
        typed,
    } = start;
    crate::i18n::provide_page_language();
    crate::plan::autosave::SaveGate::provide();
    // Shared by every editor of the page: a save anywhere moves the revision on.
    let revision = RwSignal::new(revision);
    view! {
        {(key.kind() == SectionKind::Text)
            .then(|| view! { <SectionEditor plan_id editable key stored typed revision /> })}
        {data
            .map(|data| {
                let doc = RwSignal::new(data);
                view! { <SectionTables plan_id section=key doc revision editable /> }
            })}
    }
}

#[component]
fn SectionEditor(
    plan_id: i64,
    editable: bool,
    key: SectionKey,
    stored: String,
    typed: Option<String>,
    revision: RwSignal<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveSection>::new();
    let value = Signal::derive(move || save.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(value.get(), Some(Ok(_))));
    // The server's text after a conflict, so that the person can choose.
    let saved_version = RwSignal::new(None::<String>);
    // After a save, the next one starts from the new revision; after a conflict, from the
    // server's, so that saving again keeps the person's own text.
    Effect::new(move |_| match value.get() {
        Some(Ok(next)) => revision.set(next),
        Some(Err(AppError::Conflict {
            revision: current,
            saved,
        })) => {
            revision.set(current);
            saved_version.set(Some(saved));
        }
        _ => {}
    });
    let body_problem = move || {
        error
            .get()
            .and_then(|e| e.field_errors().first().map(|fe| problem_text(i18n, fe.problem)))
    };
    let initial = typed.unwrap_or(stored.clone());
    let length = RwSignal::new(initial.chars().count());
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let restored = RwSignal::new(false);
    let autosave = use_autosave(
        device_key(plan_id, key.key()),
        revision,
        stored.clone(),
        move |body: String, at| save_section(plan_id, key, body, at),
        move |theirs: String| saved_version.set(Some(theirs)),
    );
    // A save of this text settles any conflict shown.
    Effect::new(move |_| {
        if matches!(autosave.state.get(), SaveState::Saved(_)) {
            saved_version.set(None);
        }
    });
    let typed_now = move || textarea.get_untracked().map(|t| t.value()).unwrap_or_default();
    let on_input = move |text: String| {
        let count = text.chars().count();
        length.set(count);
        autosave.changed(text, count <= BODY_MAX);
    };
    // After hydration: text typed on this device that never reached the server comes back;
    // it is saved, unless the server's text changed meanwhile (then both are shown).
    Effect::new(move |_| {
        let Some(area) = textarea.get() else { return };
        if let Some((local, decision)) = autosave.restore(&stored) {
            area.set_value(&local);
            length.set(local.chars().count());
            if decision == Restore::Resume {
                restored.set(true);
                on_input(local);
            }
        }
    });
    let keep_mine = move |_| {
        if let Some(theirs) = saved_version.get_untracked() {
            saved_version.set(None);
            autosave.keep_mine(typed_now(), theirs);
        }
    };
    let take_saved = move |_| {
        if let (Some(text), Some(area)) = (saved_version.get_untracked(), textarea.get_untracked()) {
            area.set_value(&text);
            length.set(text.chars().count());
            saved_version.set(None);
            autosave.take_theirs(text);
        }
    };
    let near_limit = move || length.get() * 10 >= BODY_MAX * 9;
    // Without JavaScript the form posts to the server function; in the browser the save is
    // sent from the values on screen (built here rather than read back from the form's
    // fields, which would put a form decoder in the browser's code for this one form).
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveSection {
            plan_id,
            section: key,
            body: typed_now(),
            revision: revision.get_untracked(),
        });
    };
    let save_url = <SaveSection as server_fn::ServerFn>::url();
    view! {
        <form action=save_url method="post" novalidate on:submit=submit>
            <ErrorSummary error />
            <Notice show=saved>{move || td!(i18n, plan.saved)}</Notice>
            <input type="hidden" name="plan_id" value=plan_id.to_string() />
            <input type="hidden" name="section" value=key.key() />
            <input type="hidden" name="revision" value=move || revision.get().to_string() />
            <div class="field" class:has-error=move || body_problem().is_some()>
                <label for="section-body">{td!(i18n, plan.body_label)}</label>
                <textarea
                    id="section-body"
                    name="body"
                    rows="12"
                    maxlength=BODY_MAX.to_string()
                    readonly=!editable
                    node_ref=textarea
                    aria-describedby="section-help section-count"
                    on:input=move |ev| on_input(event_target_value(&ev))
                >
                    {initial}
                </textarea>
                <p
                    class="hint"
                    id="section-count"
                    class:near-limit=near_limit
                    aria-live=move || near_limit().then_some("polite")
                >
                    {move || td_string!(i18n, plan.characters, count = length.get()).to_string()}
                </p>
                {move || body_problem().map(|p| view! { <p class="field-error">{p}</p> })}
            </div>
            <SaveStatus state=autosave.state />
            <Show when=move || restored.get()>
                <p class="notice">{td!(i18n, autosave.restored)}</p>
            </Show>
            <button type="submit" class="button primary" disabled=move || !editable || save.pending().get()>
                {td!(i18n, plan.save)}
            </button>
        </form>
        {move || {
            saved_version
                .get()
                .map(|text| {
                    view! {
                        <section class="saved-version">
                            <h2>{td!(i18n, plan.saved_version)}</h2>
                            <p class="preserve">{text}</p>
                            <div class="conflict-choice">
                                <button type="button" class="button primary" on:click=keep_mine>
                                    {td!(i18n, autosave.keep_mine)}
                                </button>
                                <button type="button" class="button" on:click=take_saved>
                                    {td!(i18n, autosave.take_saved)}
                                </button>
                            </div>
                        </section>
                    }
                })
        }}
    }
}
