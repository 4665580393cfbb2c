//! The public landing page: what the One-Stop Shop offers and how to start.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn LandingPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text="" />
        <section class="hero">
            <h1>{td!(i18n, landing.title)}</h1>
            <p class="lead">{td!(i18n, landing.intro)}</p>
            <p class="actions">
                <A href="/register" attr:class="button primary">
                    {td!(i18n, landing.cta_register)}
                </A>
                <A href="/sign-in" attr:class="button">
                    {td!(i18n, landing.cta_sign_in)}
                </A>
            </p>
        </section>
        <section class="card">
            <h2>{td!(i18n, landing.services_title)}</h2>
            <ul class="services">
                <li>{td!(i18n, landing.service_plan)}</li>
                <li>{td!(i18n, landing.service_registration)}</li>
                <li>{td!(i18n, landing.service_trademark)}</li>
                <li>{td!(i18n, landing.service_consultancy)}</li>
                <li>{td!(i18n, landing.service_training)}</li>
                <li>{td!(i18n, landing.service_funding)}</li>
            </ul>
        </section>
        <section class="card">
            <h2>{td!(i18n, landing.how_title)}</h2>
            <ol class="steps">
                <li>{td!(i18n, landing.how_1)}</li>
                <li>{td!(i18n, landing.how_2)}</li>
                <li>{td!(i18n, landing.how_3)}</li>
            </ol>
        </section>
    }
}
