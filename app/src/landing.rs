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
            <h1>{t!(i18n, landing.title)}</h1>
            <p class="lead">{t!(i18n, landing.intro)}</p>
            <p class="actions">
                <A href="/register" attr:class="button primary">
                    {t!(i18n, landing.cta_register)}
                </A>
                <A href="/sign-in" attr:class="button">
                    {t!(i18n, landing.cta_sign_in)}
                </A>
            </p>
        </section>
        <section class="card">
            <h2>{t!(i18n, landing.services_title)}</h2>
            <ul class="services">
                <li>{t!(i18n, landing.service_plan)}</li>
                <li>{t!(i18n, landing.service_registration)}</li>
                <li>{t!(i18n, landing.service_trademark)}</li>
                <li>{t!(i18n, landing.service_consultancy)}</li>
                <li>{t!(i18n, landing.service_training)}</li>
                <li>{t!(i18n, landing.service_funding)}</li>
            </ul>
        </section>
        <section class="card">
            <h2>{t!(i18n, landing.how_title)}</h2>
            <ol class="steps">
                <li>{t!(i18n, landing.how_1)}</li>
                <li>{t!(i18n, landing.how_2)}</li>
                <li>{t!(i18n, landing.how_3)}</li>
            </ol>
        </section>
    }
}
