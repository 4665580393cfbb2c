//! The frame of every page: header with the menu for who is signed in, the offline and
//! update notices, the footer. It sits above the areas and may use any of them.
use crate::auth::{get_me, Logout};
use crate::components::current_user::{AuthRefresh, CurrentUser, Me};
use crate::i18n::*;
use domain::roles::Role;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let refresh = expect_context::<AuthRefresh>();
    // Asked on every full page load and after sign-in, sign-out and marking notifications
    // read (not on each in-app navigation: refetching here raced the router and lost clicks).
    let me = Resource::new(
        move || refresh.0.get(),
        |_| async move { get_me().await.ok().flatten() },
    );
    provide_context(CurrentUser(me));
    view! {
        <a class="skip-link" href="#main">
            {t!(i18n, skip_to_content)}
        </a>
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-name">{t!(i18n, app_name)}</span>
                <span class="brand-tagline">{t!(i18n, app_tagline)}</span>
            </A>
            <nav aria-label=move || t_string!(i18n, nav.main)>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match me.await {
                            Some(user) => view! { <SignedInNav user /> }.into_any(),
                            None => view! { <SignedOutNav /> }.into_any(),
                        }
                    })}
                </Transition>
                <LanguageSwitch />
            </nav>
        </header>
        // Shown by pwa.js: without a connection, and when a new version is ready.
        <p class="offline-bar" role="status">
            {t!(i18n, offline.bar)}
        </p>
        <div id="update-ready" class="update-ready" role="status" hidden>
            <span>{t!(i18n, offline.update_ready)}</span>
            <button type="button" id="update-reload" class="button primary">
                {t!(i18n, offline.update_reload)}
            </button>
        </div>
        <crate::plan::device_sync::DeviceSync />
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, app_tagline)}</p>
        </footer>
    }
}

#[component]
fn SignedOutNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="nav-links">
            <li>
                <A href="/sign-in">{t!(i18n, nav.sign_in)}</A>
            </li>
            <li>
                <A href="/register">{t!(i18n, nav.register)}</A>
            </li>
        </ul>
    }
}

#[component]
fn SignedInNav(user: Me) -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    let refresh = expect_context::<AuthRefresh>();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            refresh.bump();
        }
    });
    let fund = user.role == Role::FundAdmin;
    let entrepreneur = user.role == Role::Entrepreneur;
    view! {
        <ul class="nav-links">
            <li>
                <A href="/home">{t!(i18n, nav.home)}</A>
            </li>
            {entrepreneur
                .then(|| {
                    view! {
                        <li>
                            <A href="/plans">{t!(i18n, nav.plans)}</A>
                        </li>
                        <li>
                            <A href="/documents">{t!(i18n, nav.documents)}</A>
                        </li>
                        <li>
                            <A href="/services">{t!(i18n, nav.services)}</A>
                        </li>
                        <li>
                            <A href="/case">{t!(i18n, nav.case)}</A>
                        </li>
                    }
                })}
            {(fund || user.role == Role::ChamberManager)
                .then(|| {
                    view! {
                        <li>
                            <A href="/fund">{t!(i18n, nav.dashboard)}</A>
                        </li>
                    }
                })}
            {(!entrepreneur)
                .then(|| {
                    view! {
                        <li>
                            <A href="/staff/plans">{t!(i18n, nav.chamber_plans)}</A>
                        </li>
                        <li>
                            <A href="/staff/documents">{t!(i18n, nav.staff_documents)}</A>
                        </li>
                        <li>
                            <A href="/staff/services">{t!(i18n, nav.staff_services)}</A>
                        </li>
                        <li>
                            <A href="/staff/establishments">{t!(i18n, nav.establishments)}</A>
                        </li>
                    }
                })}
            <li>
                <crate::notify::pages::NotificationsLink unread=user.unread />
            </li>
            <li>
                <A href="/profile">{t!(i18n, nav.profile)}</A>
            </li>
            {fund
                .then(|| {
                    view! {
                        <li>
                            <A href="/staff/users">{t!(i18n, nav.staff_users)}</A>
                        </li>
                        <li>
                            <A href="/staff/catalogue">{t!(i18n, nav.catalogue)}</A>
                        </li>
                    }
                })}
            <li>
                <ActionForm action=logout attr:class="inline-form">
                    <button type="submit" class="link-button">
                        {t!(i18n, nav.sign_out)}
                    </button>
                </ActionForm>
            </li>
        </ul>
    }
}

/// A plain link (works without JavaScript): the server sets the language cookie and sends
/// the reader back to the page they were on.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let other_lang = move || match i18n.get_locale() {
        Locale::ar => "en",
        Locale::en => "ar",
    };
    // A form, not a link: switching also sets a signed-in person's e-mail language, and a
    // change is a POST (same-site only). It works without JavaScript; the router leaves
    // plain forms to the browser.
    view! {
        <form method="post" action=move || format!("/lang/{}", other_lang()) class="lang-form">
            <input type="hidden" name="next" value=move || location.pathname.get() />
            <button
                type="submit"
                class="lang-switch"
                lang=other_lang
                aria-label=move || t_string!(i18n, nav.switch_language_label)
            >
                {t!(i18n, nav.switch_language)}
            </button>
        </form>
    }
}
