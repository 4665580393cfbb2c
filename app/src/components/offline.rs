use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// Shown by the service worker for a page that was never opened on this device while there
/// is no connection; points to the pages that are kept for offline reading.
#[component]
pub fn OfflinePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || td_string!(i18n, offline.title) />
        <section class="card narrow offline-page">
            <h1>{td!(i18n, offline.title)}</h1>
            <p>{td!(i18n, offline.body)}</p>
            <ul>
                <li>
                    <a href="/home">{td!(i18n, nav.home)}</a>
                </li>
                <li>
                    <a href="/plans">{td!(i18n, nav.plans)}</a>
                </li>
                <li>
                    <a href="/case">{td!(i18n, nav.case)}</a>
                </li>
            </ul>
            <p class="hint">{td!(i18n, offline.edits)}</p>
        </section>
    }
}
