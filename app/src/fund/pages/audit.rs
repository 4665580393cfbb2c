//! The Fund's audit log page (`/fund/audit`): a GET form (the URL holds the search, so it
//! works without JavaScript and can be linked) and one page of steps, newest first.
use crate::components::form::{DateRangeFilter, FilterInput};
use crate::components::load_error::LoadError;
use crate::components::query::page_link;
use crate::error::AppError;
use crate::fund::{audit_log, AuditPage, AuditParams};
use crate::i18n::*;
use crate::lang::{audit_action_text, audit_object_text, digits, problem_text};
use crate::review::pages::audit::AuditTable;
use domain::audit::{AuditAction, AuditObject};
use domain::validation::{Field, FieldError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

const PATH: &str = "/fund/audit";

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = Memo::new(move |_| {
        query.with(|q| {
            let get = |name: &str| q.get(name).unwrap_or_default();
            AuditParams {
                actor: get("actor"),
                action: get("action"),
                object: get("object"),
                object_id: get("object_id"),
                from: get("from"),
                to: get("to"),
                before: get("before"),
            }
        })
    });
    let page = Resource::new(move || params.get(), audit_log);
    view! {
        <Title text=move || td_string!(i18n, audit.title) />
        <section class="card">
            <h1>{td!(i18n, audit.heading)}</h1>
            <Transition fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    let params = params.get();
                    match page.await {
                        Ok(page) => {
                            view! {
                                <Search params=params.clone() errors=Vec::new() />
                                <Results page params />
                            }
                                .into_any()
                        }
                        Err(AppError::Invalid(errors)) => {
                            view! {
                                <p class="form-error" role="alert">
                                    {td!(i18n, errors.invalid)}
                                </p>
                                <Search params errors />
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Search(params: AuditParams, errors: Vec<FieldError>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let problem = move |field: Field| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| problem_text(locale, e.problem))
    };
    let any = td_string!(locale, audit.any).to_string();
    let mut actions: Vec<(String, String)> = AuditAction::ALL
        .into_iter()
        .map(|a| (a.key().to_string(), audit_action_text(locale, a)))
        .collect();
    actions.sort_by(|a, b| a.1.cmp(&b.1));
    let objects: Vec<(String, String)> = AuditObject::ALL
        .into_iter()
        .map(|o| (o.key().to_string(), audit_object_text(locale, o)))
        .collect();
    let select =
        move |id: &'static str, name: &'static str, label: String, options: Vec<(String, String)>, chosen: String| {
            let any = any.clone();
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <select id=id name=name>
                        <option value="">{any}</option>
                        {options
                            .into_iter()
                            .map(|(value, text)| {
                                let selected = value == chosen;
                                view! {
                                    <option value=value selected=selected>
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            }
        };
    view! {
        <Form method="get" action=PATH>
            <div class="queue-filters">
                <FilterInput
                    id="audit-actor"
                    name="actor"
                    label=td_string!(locale, audit.actor).to_string()
                    kind="search"
                    value=params.actor.clone()
                    problem=problem(Field::Search)
                />
                {select(
                    "audit-action",
                    "action",
                    td_string!(locale, audit.action).to_string(),
                    actions,
                    params.action.clone(),
                )}
                {select(
                    "audit-object",
                    "object",
                    td_string!(locale, audit.object).to_string(),
                    objects,
                    params.object.clone(),
                )}
                <FilterInput
                    id="audit-object-id"
                    name="object_id"
                    label=td_string!(locale, audit.object_id).to_string()
                    kind="text"
                    value=params.object_id.clone()
                    problem=problem(Field::Identifier)
                />
                <DateRangeFilter
                    prefix="audit"
                    from_label=td_string!(locale, audit.from).to_string()
                    to_label=td_string!(locale, audit.to).to_string()
                    from=params.from.clone()
                    to=params.to.clone()
                    from_problem=problem(Field::SubmittedFrom)
                    to_problem=problem(Field::SubmittedTo)
                />
            </div>
            <div class="actions">
                <button type="submit" class="button primary">
                    {td!(i18n, audit.apply)}
                </button>
                <A href=PATH>{td!(i18n, audit.clear)}</A>
            </div>
        </Form>
    }
}

#[component]
fn Results(page: AuditPage, params: AuditParams) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let next = page
        .next
        .map(|before| page_link(PATH, params.pairs(), "before", Some(before.to_string())));
    let first = (!params.before.is_empty()).then(|| page_link(PATH, params.pairs(), "before", None));
    let total = digits(locale, page.total.to_string());
    let caption = td_string!(locale, audit.title).to_string();
    view! {
        <p class="queue-total" role="status">
            {td_string!(locale, audit.total, n = total)}
        </p>
        {if page.rows.is_empty() {
            view! { <p>{td!(i18n, audit.none)}</p> }.into_any()
        } else {
            view! { <AuditTable entries=page.rows caption /> }.into_any()
        }}
        <nav class="pager" aria-label=td_string!(locale, queue.pages)>
            {first.map(|href| view! { <A href=href>{td!(i18n, audit.first)}</A> })}
            {next
                .map(|href| {
                    view! {
                        <A href=href attr:rel="next">
                            {td!(i18n, audit.next)}
                        </A>
                    }
                })}
        </nav>
    }
}
