use crate::error::AppError;
use crate::i18n::*;
use crate::lang::error_text;
use leptos::prelude::*;
use leptos_router::components::A;

/// A page's place while its data loads (a `Transition`'s fallback on the first load).
#[component]
pub fn LoadingCard() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <p>{td!(i18n, common.loading)}</p>
        </section>
    }
}

/// Shown instead of a page when loading it failed (signed out, forbidden…).
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let signed_out = error == AppError::Unauthenticated;
    view! {
        <section class="card narrow">
            <p class="form-error" role="alert">
                {move || error_text(i18n, &error)}
            </p>
            {signed_out
                .then(|| {
                    view! {
                        <p>
                            <A href="/sign-in" attr:class="button primary">
                                {td!(i18n, nav.sign_in)}
                            </A>
                        </p>
                    }
                })}
        </section>
    }
}
