//! The frame of every page: header with the menu for who is signed in, the offline and
//! update notices, the footer. It sits above the areas and may use any of them.
use crate::auth::{get_me, Logout};
use crate::components::current_user::{AuthRefresh, CurrentUser, Me};
use crate::components::nav_link::{NavLink, PagePath};
use crate::components::server_form::ServerForm;
use crate::i18n::*;
use domain::roles::Role;
use leptos::prelude::*;
use leptos_meta::Title;
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
        <crate::plan::device_sync::DeviceSyncPart />
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

/// Signing in and registering: the header's menu of a visitor, and the menu page's.
#[component]
fn SignedOutNav(path: PagePath, #[prop(default = "nav-links")] class: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class=class>
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

/// A destination of the site menu.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Home,
    Plans,
    Documents,
    Services,
    Case,
    Dashboard,
    ChamberPlans,
    StaffDocuments,
    StaffServices,
    Establishments,
    Notifications,
    Profile,
    Users,
    Catalogue,
}

impl Place {
    fn href(self) -> &'static str {
        match self {
            Place::Home => "/home",
            Place::Plans => "/plans",
            Place::Documents => "/documents",
            Place::Services => "/services",
            Place::Case => "/case",
            Place::Dashboard => "/fund",
            Place::ChamberPlans => "/staff/plans",
            Place::StaffDocuments => "/staff/documents",
            Place::StaffServices => "/staff/services",
            Place::Establishments => "/staff/establishments",
            Place::Notifications => "/notifications",
            Place::Profile => "/profile",
            Place::Users => "/staff/users",
            Place::Catalogue => "/staff/catalogue",
        }
    }

    fn label(self, i18n: Locale) -> String {
        match self {
            Place::Home => td_string!(i18n, nav.home),
            Place::Plans => td_string!(i18n, nav.plans),
            Place::Documents => td_string!(i18n, nav.documents),
            Place::Services => td_string!(i18n, nav.services),
            Place::Case => td_string!(i18n, nav.case),
            Place::Dashboard => td_string!(i18n, nav.dashboard),
            Place::ChamberPlans => td_string!(i18n, nav.chamber_plans),
            Place::StaffDocuments => td_string!(i18n, nav.staff_documents),
            Place::StaffServices => td_string!(i18n, nav.staff_services),
            Place::Establishments => td_string!(i18n, nav.establishments),
            Place::Notifications => td_string!(i18n, notifications.title),
            Place::Profile => td_string!(i18n, nav.profile),
            Place::Users => td_string!(i18n, nav.staff_users),
            Place::Catalogue => td_string!(i18n, nav.catalogue),
        }
        .to_string()
    }

    /// Everywhere `role` can go, in the order of the menu.
    fn all_for(role: Role) -> Vec<Place> {
        let mut places = vec![Place::Home];
        match role {
            Role::Entrepreneur => places.extend([Place::Plans, Place::Documents, Place::Services, Place::Case]),
            Role::Advisor => {}
            Role::ChamberManager | Role::FundAdmin => places.push(Place::Dashboard),
        }
        if role != Role::Entrepreneur {
            places.extend([
                Place::ChamberPlans,
                Place::StaffDocuments,
                Place::StaffServices,
                Place::Establishments,
            ]);
        }
        places.extend([Place::Notifications, Place::Profile]);
        if role == Role::FundAdmin {
            places.extend([Place::Users, Place::Catalogue]);
        }
        places
    }

    /// The four places of the phone's tab bar (the fifth tab opens the whole menu): what
    /// each role does most.
    fn tabs_for(role: Role) -> [Place; 4] {
        match role {
            Role::Entrepreneur => [Place::Home, Place::Plans, Place::Documents, Place::Services],
            Role::Advisor | Role::ChamberManager => [
                Place::Home,
                Place::ChamberPlans,
                Place::StaffDocuments,
                Place::StaffServices,
            ],
            Role::FundAdmin => [Place::Home, Place::Dashboard, Place::ChamberPlans, Place::StaffServices],
        }
    }
}

/// One menu entry (notifications with their unread count).
#[component]
fn PlaceLink(place: Place, unread: i64, path: PagePath) -> impl IntoView {
    let i18n = use_i18n();
    if place == Place::Notifications {
        return view! { <crate::notify::pages::NotificationsLink unread path /> }.into_any();
    }
    view! {
        <NavLink href=place.href() path>
            {move || place.label(i18n)}
        </NavLink>
    }
    .into_any()
}

/// The menu of a signed-in person: on wide screens every place in the header; on phones a
/// tab bar at the bottom with the four main places and "more", which opens the menu page.
#[component]
fn SignedInNav(user: Me, path: PagePath) -> impl IntoView {
    let i18n = use_i18n();
    let unread = user.unread;
    view! {
        <PlaceList role=user.role unread path class="nav-links full-menu" />
        <ul class="tab-bar">
            {Place::tabs_for(user.role)
                .into_iter()
                .map(|place| {
                    view! {
                        <li>
                            <PlaceLink place unread path />
                        </li>
                    }
                })
                .collect_view()} <li>
                <NavLink href="/menu" path>
                    {td!(i18n, nav.more)}
                    <crate::notify::pages::UnreadCount unread />
                </NavLink>
            </li>
        </ul>
    }
}

/// Every place of `role`, then signing out: the header's menu and the menu page.
#[component]
fn PlaceList(role: Role, unread: i64, path: PagePath, class: &'static str) -> impl IntoView {
    view! {
        <ul class=class>
            {Place::all_for(role)
                .into_iter()
                .map(|place| {
                    view! {
                        <li>
                            <PlaceLink place unread path />
                        </li>
                    }
                })
                .collect_view()} <li>
                <SignOut />
            </li>
        </ul>
    }
}

#[component]
fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    // Not `expect_context`: the menu can be made after the page is gone (see above).
    if let Some(refresh) = use_context::<AuthRefresh>() {
        Effect::new(move |_| {
            if let Some(Ok(())) = logout.value().get() {
                refresh.bump();
            }
        });
    }
    view! {
        <ServerForm action=logout attr:class="inline-form">
            <button type="submit" class="link-button">
                {td!(i18n, nav.sign_out)}
            </button>
        </ServerForm>
    }
}

/// `/menu`: every place the reader can go, in large entries, and signing out; what the
/// phone's "more" tab opens. A plain page, so it works without JavaScript.
#[component]
pub fn MenuPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_context::<CurrentUser>().map(|user| user.0);
    let path = use_location().pathname;
    view! {
        <Title text=move || td_string!(i18n, nav.menu) />
        <section class="card narrow">
            <h1>{td!(i18n, nav.menu)}</h1>
            <Suspense fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || {
                    me.map(|me| {
                        Suspend::new(async move {
                            match me.await {
                                Some(user) => {
                                    let unread = user.unread;
                                    view! { <PlaceList role=user.role unread path class="menu-list" /> }.into_any()
                                }
                                None => view! { <SignedOutNav path class="menu-list" /> }.into_any(),
                            }
                        })
                    })
                }}
            </Suspense>
        </section>
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
