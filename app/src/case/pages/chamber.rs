//! The chamber's list of submitted plans.
use crate::case::chamber_plans;
use crate::i18n::*;
use crate::lang::plan_status_text;
use leptos::prelude::*;

/// The chamber's submitted plans, those waiting first.
#[component]
pub fn ChamberPlansPage() -> impl IntoView {
    let i18n = use_i18n();
    let plans = Resource::new(|| (), |_| chamber_plans());
    view! {
        <leptos_meta::Title text=move || t_string!(i18n, case.chamber_plans) />
        <section class="card">
            <h1>{t!(i18n, case.chamber_plans)}</h1>
            <Transition fallback=move || {
                view! { <p>{t!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    match plans.await {
                        Ok(list) => {
                            view! {
                                {list.is_empty().then(|| view! { <p>{t!(i18n, case.no_plans)}</p> })}
                                <ul class="plan-list">
                                    {list
                                        .into_iter()
                                        .map(|plan| {
                                            let status = plan.status;
                                            view! {
                                                <li class="plan-item" data-plan=plan.plan_id.to_string()>
                                                    <h2 class="plan-title">
                                                        <leptos_router::components::A href=format!(
                                                            "/plans/{}#case",
                                                            plan.plan_id,
                                                        )>{plan.title}</leptos_router::components::A>
                                                    </h2>
                                                    <p class="plan-meta">
                                                        <bdi>{plan.owner_name}</bdi>
                                                        " · "
                                                        <span class="badge badge-uploaded">
                                                            {move || plan_status_text(i18n.get_locale(), status)}
                                                        </span>
                                                        " · "
                                                        {t!(i18n, case.assigned)}
                                                        ": "
                                                        {match plan.assigned_to {
                                                            Some(name) => view! { <bdi>{name}</bdi> }.into_any(),
                                                            None => {
                                                                view! { <span>{t!(i18n, case.unassigned)}</span> }
                                                                    .into_any()
                                                            }
                                                        }}
                                                    </p>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <crate::components::load_error::LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
