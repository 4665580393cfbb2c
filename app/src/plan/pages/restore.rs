//! Staff page: drafts their owners deleted, with a way to bring each back. A plain form per
//! plan, so it works without JavaScript.
use crate::components::form::{succeeded, ErrorSignal, ErrorSummary, Notice};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::i18n::*;
use crate::plan::{list_deleted_plans, DeletedPlan, RestorePlan};
use domain::validation::Date;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DeletedPlansPage() -> impl IntoView {
    let i18n = use_i18n();
    let restore = ServerAction::<RestorePlan>::new();
    let plans = Resource::new(move || restore.version().get(), |_| list_deleted_plans());
    view! {
        <Title text=move || td_string!(i18n, restore.title) />
        <Suspense fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match plans.await {
                    Ok(list) => view! { <DeletedPlanList list restore /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeletedPlanList(list: Vec<DeletedPlan>, restore: ServerAction<RestorePlan>) -> impl IntoView {
    let i18n = use_i18n();
    let error: ErrorSignal = Signal::derive(move || restore.value().get().and_then(Result::err));
    let restored = succeeded(restore);
    let empty = list.is_empty();
    view! {
        <section class="card">
            <h1>{td!(i18n, restore.title)}</h1>
            <p class="hint">{td!(i18n, restore.intro)}</p>
            <ErrorSummary error />
            <Notice show=restored>{move || td!(i18n, restore.restored)}</Notice>
            {empty.then(|| view! { <p>{td!(i18n, restore.none)}</p> })}
            <ul class="plan-list">
                {list
                    .into_iter()
                    .map(|plan| {
                        let deleted = Date::from_unix(plan.deleted_at).iso();
                        view! {
                            <li class="plan-item">
                                <h2 class="plan-title">{plan.title.clone()}</h2>
                                <p class="plan-meta">
                                    <span>{plan.owner_name.clone()}</span>
                                    " · "
                                    <span>{td!(i18n, restore.deleted_on)}" "<bdi>{deleted}</bdi></span>
                                </p>
                                <ServerForm action=restore attr:class="row-form">
                                    <input type="hidden" name="plan_id" value=plan.id.to_string() />
                                    <button type="submit" class="button">
                                        {td!(i18n, restore.button)}
                                        <span class="visually-hidden">" — "{plan.title.clone()}</span>
                                    </button>
                                </ServerForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
