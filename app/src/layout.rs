//! The frame of every page: header with the menu for who is signed in, the offline and
//! update notices, the footer. It sits above the areas and may use any of them.
use crate::auth::{get_me, Logout};
use crate::components::current_user::{AuthRefresh, CurrentUser, Me};
use crate::components::nav_link::{NavLink, PagePath};
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
    // Gone with the page (see the menu below).
    let page = StoredValue::new(());
    let path = use_location().pathname;
    view! {
        <a class="skip-link" href="#main">
            {td!(i18n, skip_to_content)}
        </a>
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-name">{td!(i18n, app_name)}</span>
                <span class="brand-tagline">{td!(i18n, app_tagline)}</span>
            </A>
            <nav aria-label=move || td_string!(i18n, nav.main)>
                <Transition fallback=|| ()>
                    {move || {
                        if page_gone(page) {
                            return None;
                        }
                        let user = std::future::IntoFuture::into_future(me);
                        Some(
                            Suspend::new(async move {
                                let user = user.await;
                                if page_gone(page) {
                                    return ().into_any();
                                }
                                match user {
                                    Some(user) => {
                                        // A reader who cancels a page can leave this to run once more after
                                        // the page (and what it read) is gone: then it renders nothing.
                                        view! { <SignedInNav user path /> }
                                            .into_any()
                                    }
                                    None => view! { <SignedOutNav path /> }.into_any(),
                                }
                            }),
                        )
                    }}
                </Transition>
                <LanguageSwitch />
            </nav>
        </header>
        // Shown by pwa.js: without a connection, and when a new version is ready.
        <p class="offline-bar" role="status">
            {td!(i18n, offline.bar)}
        </p>
        <div id="update-ready" class="update-ready" role="status" hidden>
            <span>{td!(i18n, offline.update_ready)}</span>
            <button type="button" id="update-reload" class="button primary">
                {td!(i18n, offline.update_reload)}
            </button>
        </div>
        <crate::plan::device_sync::DeviceSync />
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{td!(i18n, app_tagline)}</p>
        </footer>
    }
}

/// Whether the page is gone (its reader cancelled it): its values are disposed, or the
/// contexts the menu's links need no longer reach here.
fn page_gone(page: StoredValue<()>) -> bool {
    page.is_disposed() || use_context::<AuthRefresh>().is_none()
}

#[component]
fn SignedOutNav(path: PagePath) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="nav-links">
            <li>
                <NavLink href="/sign-in" path>
                    {td!(i18n, nav.sign_in)}
                </NavLink>
            </li>
            <li>
                <NavLink href="/register" path>
                    {td!(i18n, nav.register)}
                </NavLink>
            </li>
        </ul>
    }
}

#[component]
fn SignedInNav(user: Me, path: PagePath) -> impl IntoView {
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
                <NavLink href="/home" path>
                    {td!(i18n, nav.home)}
                </NavLink>
            </li>
            {entrepreneur
                .then(|| {
                    view! {
                        <li>
                            <NavLink href="/plans" path>
                                {td!(i18n, nav.plans)}
                            </NavLink>
                        </li>
                        <li>
                            <NavLink href="/documents" path>
                                {td!(i18n, nav.documents)}
                            </NavLink>
                        </li>
                        <li>
                            <NavLink href="/services" path>
                                {td!(i18n, nav.services)}
                            </NavLink>
                        </li>
                        <li>
                            <NavLink href="/case" path>
                                {td!(i18n, nav.case)}
                            </NavLink>
                        </li>
                    }
                })}
            {(fund || user.role == Role::ChamberManager)
                .then(|| {
                    view! {
                        <li>
                            <NavLink href="/fund" path>
                                {td!(i18n, nav.dashboard)}
                            </NavLink>
                        </li>
                    }
                })}
            {(!entrepreneur)
                .then(|| {
                    view! {
                        <li>
                            <NavLink href="/staff/plans" path>
                                {td!(i18n, nav.chamber_plans)}
                            </NavLink>
                        </li>
                        <li>
                            <NavLink href="/staff/documents" path>
                                {td!(i18n, nav.staff_documents)}
                            </NavLink>
                        </li>
                        <li>
                            <NavLink href="/staff/services" path>
                                {td!(i18n, nav.staff_services)}
                            </NavLink>
                        </li>
                        <li>
                            <NavLink href="/staff/establishments" path>
                                {td!(i18n, nav.establishments)}
                            </NavLink>
                        </li>
                    }
                })}
            <li>
                <crate::notify::pages::NotificationsLink unread=user.unread path />
            </li>
            <li>
                <NavLink href="/profile" path>
                    {td!(i18n, nav.profile)}
                </NavLink>
            </li>
            {fund
                .then(|| {
                    view! {
                        <li>
                            <NavLink href="/staff/users" path>
                                {td!(i18n, nav.staff_users)}
                            </NavLink>
                        </li>
                        <li>
                            <NavLink href="/staff/catalogue" path>
                                {td!(i18n, nav.catalogue)}
                            </NavLink>
                        </li>
                    }
                })}
            <li>
                <ActionForm action=logout attr:class="inline-form">
                    <button type="submit" class="link-button">
                        {td!(i18n, nav.sign_out)}
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
    let other_lang = move || match i18n {
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
                aria-label=move || td_string!(i18n, nav.switch_language_label)
            >
                {td!(i18n, nav.switch_language)}
            </button>
        </form>
    }
}
