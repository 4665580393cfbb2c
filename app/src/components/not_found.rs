use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The 404 page, in the reader's language, with a real 404 status on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=move || td_string!(i18n, errors.page_not_found_title) />
        <section class="card narrow">
            <h1>{td!(i18n, errors.page_not_found_title)}</h1>
            <p>{td!(i18n, errors.page_not_found_body)}</p>
            <p>
                <A href="/">{td!(i18n, errors.back_home)}</A>
            </p>
        </section>
    }
}
