//! "My plans": the entrepreneur's list of plans, with create, rename and delete. Plain
//! forms, so everything works with JavaScript off too.
use super::domain::PlanStatus;
use super::financials::Currency;
use super::{list_plans, CreatePlan, DeletePlan, PlanSummary, RenamePlan};
use crate::components::form::{field_error_signal, use_form_draft, ErrorSignal, ErrorSummary, FieldError, TextField};
use crate::domain::validation::{Date, Field};
use crate::i18n::*;
use crate::label;
use crate::lang::{plan_status_text, problem_text};
use crate::profile::pages::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// What the last successful action on this page was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PlanNotice {
    Created,
    Renamed,
    Deleted,
}

#[component]
pub fn PlansPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreatePlan>::new();
    let rename = ServerAction::<RenamePlan>::new();
    let delete = ServerAction::<DeletePlan>::new();
    let plans = Resource::new(
        move || (create.version().get(), rename.version().get(), delete.version().get()),
        |_| list_plans(),
    );
    let draft = use_form_draft::<CreatePlan>();
    // One confirmation at a time: the latest successful action's.
    let notice = RwSignal::new(None::<PlanNotice>);
    Effect::new(move |_| matches!(create.value().get(), Some(Ok(_))).then(|| notice.set(Some(PlanNotice::Created))));
    Effect::new(move |_| matches!(rename.value().get(), Some(Ok(_))).then(|| notice.set(Some(PlanNotice::Renamed))));
    Effect::new(move |_| matches!(delete.value().get(), Some(Ok(_))).then(|| notice.set(Some(PlanNotice::Deleted))));
    view! {
        <Title text=move || t_string!(i18n, plans.title) />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let draft = draft.await;
                match plans.await {
                    Ok(list) => view! {
                        <CreatePlanForm create title=draft.get("title") currency=draft.get("currency") />
                        <PlanList list rename delete notice=notice.read_only() />
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreatePlanForm(create: ServerAction<CreatePlan>, title: Option<String>, currency: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let value = Signal::derive(move || create.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let currency_message = field_error_signal(error, Field::Currency);
    let chosen = currency.unwrap_or_else(|| "ILS".to_string());
    view! {
        <section class="card">
            <h1>{t!(i18n, plans.title)}</h1>
            <p>{t!(i18n, plans.intro)}</p>
            <h2>{t!(i18n, plans.create_title)}</h2>
            <ActionForm action=create attr:novalidate=true>
                <ErrorSummary error />
                <TextField id="plan_title" name="title" field=Field::PlanTitle error
                    label=label!(i18n, fields.plan_title) hint=label!(i18n, fields.plan_title_hint)
                    maxlength=120 value=title />
                <div class="field" class:has-error=move || currency_message.get().is_some()>
                    <label for="plan_currency">{t!(i18n, fields.currency)}</label>
                    <select id="plan_currency" name="currency"
                        aria-describedby=move || currency_message.get().map(|_| "plan_currency-error")>
                        {Currency::ALL.into_iter().map(|c| {
                            let key = c.key();
                            view! {
                                <option value=key selected=chosen == key>{move || currency_name(i18n.get_locale(), c)}</option>
                            }
                        }).collect_view()}
                    </select>
                    <FieldError id="plan_currency-error".to_string() message=currency_message />
                </div>
                <button type="submit" class="button primary" disabled=move || create.pending().get()>
                    {t!(i18n, plans.create_submit)}
                </button>
            </ActionForm>
        </section>
    }
}

fn currency_name(locale: Locale, currency: Currency) -> &'static str {
    match currency {
        Currency::ILS => td_string!(locale, currency.ILS),
        Currency::USD => td_string!(locale, currency.USD),
        Currency::JOD => td_string!(locale, currency.JOD),
    }
}

#[component]
fn PlanList(
    list: Vec<PlanSummary>,
    rename: ServerAction<RenamePlan>,
    delete: ServerAction<DeletePlan>,
    notice: ReadSignal<Option<PlanNotice>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = list.len();
    let rename_error: ErrorSignal = Signal::derive(move || rename.value().get().and_then(Result::err));
    let delete_error: ErrorSignal = Signal::derive(move || delete.value().get().and_then(Result::err));
    // A rename names no field of its own row, so its problem is spelled out here.
    let rename_problem = move || {
        rename_error.get().and_then(|e| {
            e.field_errors()
                .first()
                .map(|fe| problem_text(i18n.get_locale(), fe.problem))
        })
    };
    view! {
        <section class="card">
            <h2>{move || td_string!(i18n.get_locale(), plans.count, count = count).to_string()}</h2>
            <ErrorSummary error=rename_error />
            {move || rename_problem().map(|p| view! { <p class="field-error">{p}</p> })}
            <ErrorSummary error=delete_error />
            {move || notice.get().map(|n| {
                let text = match n {
                    PlanNotice::Created => t_string!(i18n, plans.created),
                    PlanNotice::Renamed => t_string!(i18n, plans.renamed),
                    PlanNotice::Deleted => t_string!(i18n, plans.deleted),
                };
                view! { <p class="form-notice" role="status">{text}</p> }
            })}
            <ul class="plan-list">
                {list.into_iter().map(|plan| view! { <PlanItem plan rename delete /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn PlanItem(plan: PlanSummary, rename: ServerAction<RenamePlan>, delete: ServerAction<DeletePlan>) -> impl IntoView {
    let i18n = use_i18n();
    let id = plan.id;
    let status = plan.status;
    let input_id = format!("plan-{id}-title");
    let shown_title = plan.title.clone();
    let updated = Date::from_unix(plan.updated_at).iso();
    view! {
        <li class="plan-item">
            <h3 class="plan-title">
                <A href=format!("/plans/{id}")>{shown_title}</A>
            </h3>
            <p class="plan-meta">
                <span>{t!(i18n, plans.status)}": "{move || plan_status_text(i18n.get_locale(), status)}</span>
                " · "
                <span>{t!(i18n, plans.updated)}": "<bdi>{updated}</bdi></span>
                " · "
                <span>{move || currency_name(i18n.get_locale(), plan.currency)}</span>
            </p>
            <ActionForm action=rename attr:class="row-form">
                <input type="hidden" name="plan_id" value=id.to_string() />
                <label for=input_id.clone()>{t!(i18n, fields.plan_title)}</label>
                <input id=input_id type="text" name="title" value=plan.title.clone() maxlength=120 required=true />
                <button type="submit" class="button">{t!(i18n, plans.rename)}</button>
            </ActionForm>
            {(status == PlanStatus::Draft).then(|| view! {
                <ActionForm action=delete attr:class="row-form">
                    <input type="hidden" name="plan_id" value=id.to_string() />
                    <button type="submit" class="button danger">{t!(i18n, plans.delete)}</button>
                </ActionForm>
            })}
        </li>
    }
}
