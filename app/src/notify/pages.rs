//! The notification centre and the unread count in the menu. Plain forms, so marking read
//! works with JavaScript off.
use super::{list_notifications, MarkRead, Notification, Topic};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::i18n::*;
use crate::lang::{digits, doc_type_text, pick};
use domain::documents::DocumentStatus;
use domain::plan::lifecycle::PlanAction;
use domain::services::RequestAction;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The sentence a notification says, in the reader's language.
pub fn notification_text(locale: Locale, n: &Notification) -> String {
    let title = n.plan_title.clone().unwrap_or_default();
    let kind = n.document_type.map(|t| doc_type_text(locale, t)).unwrap_or_default();
    use PlanAction as A;
    match n.topic {
        Topic::PlanStep(A::Submit) => td_string!(locale, notifications.submitted, title = title).to_string(),
        Topic::PlanStep(A::Withdraw) => td_string!(locale, notifications.withdrawn, title = title).to_string(),
        Topic::PlanStep(A::Assign) => td_string!(locale, notifications.assigned, title = title).to_string(),
        Topic::PlanStep(A::PickUp) => td_string!(locale, notifications.picked_up, title = title).to_string(),
        Topic::PlanStep(A::RequestChanges) => {
            td_string!(locale, notifications.changes_requested, title = title).to_string()
        }
        Topic::PlanStep(A::Approve) => td_string!(locale, notifications.approved, title = title).to_string(),
        Topic::PlanStep(A::Reject) => td_string!(locale, notifications.rejected, title = title).to_string(),
        Topic::PlanStep(A::Refer) => td_string!(locale, notifications.referred, title = title).to_string(),
        Topic::PlanStep(A::MarkFunded) => td_string!(locale, notifications.funded, title = title).to_string(),
        Topic::PlanStep(A::MarkOperating) => td_string!(locale, notifications.operating, title = title).to_string(),
        Topic::DocumentReviewed(DocumentStatus::Verified) => {
            td_string!(locale, notifications.document_verified, kind = kind).to_string()
        }
        Topic::DocumentReviewed(_) => td_string!(locale, notifications.document_rejected, kind = kind).to_string(),
        Topic::ServiceRequested | Topic::ServiceStep(_) => {
            let service = n
                .service_name
                .as_ref()
                .map(|name| pick(locale, name).to_string())
                .unwrap_or_default();
            use RequestAction as R;
            match n.topic {
                Topic::ServiceStep(R::MarkDocumentsMissing) => {
                    td_string!(locale, notifications.service_documents_missing, service = service).to_string()
                }
                Topic::ServiceStep(R::DocumentsProvided) => {
                    td_string!(locale, notifications.service_documents_provided, service = service).to_string()
                }
                Topic::ServiceStep(R::Start) => {
                    td_string!(locale, notifications.service_started, service = service).to_string()
                }
                Topic::ServiceStep(R::Advance) => {
                    td_string!(locale, notifications.service_advanced, service = service).to_string()
                }
                Topic::ServiceStep(R::Cancel) => {
                    td_string!(locale, notifications.service_cancelled, service = service).to_string()
                }
                _ => td_string!(locale, notifications.service_requested, service = service).to_string(),
            }
        }
    }
}

/// The menu's link to the notification centre, with the unread count.
#[component]
pub fn NotificationsLink(unread: i64, path: crate::components::nav_link::PagePath) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <crate::components::nav_link::NavLink href="/notifications" path>
            {td!(i18n, notifications.title)}
            <UnreadCount unread />
        </crate::components::nav_link::NavLink>
    }
}

/// How many notifications are unread, as a badge after a menu entry (nothing when none).
#[component]
pub fn UnreadCount(unread: i64) -> impl IntoView {
    let i18n = use_i18n();
    (unread > 0).then(|| {
        view! {
            " "
            <span class="count" aria-label=move || { td_string!(i18n, notifications.unread, n = unread).to_string() }>
                {move || digits(i18n, unread.to_string())}
            </span>
        }
    })
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let read = ServerAction::<MarkRead>::new();
    let inbox = Resource::new(move || read.version().get(), |_| list_notifications());
    // The menu's unread count follows.
    let refresh = expect_context::<crate::components::current_user::AuthRefresh>();
    Effect::new(move |_| {
        if let Some(Ok(())) = read.value().get() {
            refresh.bump();
        }
    });
    view! {
        <Title text=move || td_string!(i18n, notifications.title) />
        <section class="card">
            <h1>{td!(i18n, notifications.title)}</h1>
            <Transition fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    match inbox.await {
                        Ok(inbox) => {
                            view! {
                                {(inbox.unread > 0)
                                    .then(|| {
                                        view! {
                                            <ServerForm action=read attr:class="row-form">
                                                <input type="hidden" name="notification_id" value="0" />
                                                <button type="submit" class="button">
                                                    {td!(i18n, notifications.read_all)}
                                                </button>
                                            </ServerForm>
                                        }
                                    })}
                                {inbox.items.is_empty().then(|| view! { <p>{td!(i18n, notifications.empty)}</p> })}
                                <ul class="notifications">
                                    {inbox
                                        .items
                                        .into_iter()
                                        .map(|n| view! { <NotificationItem n read /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NotificationItem(n: Notification, read: ServerAction<MarkRead>) -> impl IntoView {
    let i18n = use_i18n();
    let id = n.id;
    let unread = !n.read;
    let link = n.link();
    let message = n.message.clone();
    let at = n.created_at;
    view! {
        <li class="notification" class:unread=unread>
            <p>
                {unread
                    .then(|| {
                        view! {
                            <span class="badge badge-uploaded">{td!(i18n, notifications.fresh)}</span>
                            " "
                        }
                    })} <A href=link>{move || notification_text(i18n, &n)}</A>
            </p>
            {message
                .map(|m| {
                    view! {
                        <blockquote class="timeline-message preserve">
                            <bdi>{m}</bdi>
                        </blockquote>
                    }
                })}
            <p class="hint">{move || digits(i18n, domain::validation::Date::from_unix(at).iso())}</p>
            {unread
                .then(|| {
                    view! {
                        <ServerForm action=read attr:class="row-form">
                            <input type="hidden" name="notification_id" value=id.to_string() />
                            <button type="submit" class="link-button">
                                {td!(i18n, notifications.mark_read)}
                            </button>
                        </ServerForm>
                    }
                })}
        </li>
    }
}
