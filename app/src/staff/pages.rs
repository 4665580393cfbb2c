//! The Fund's staff management page: list by chamber, add, deactivate.
use super::{list_staff, CreateStaff, DeactivateUser, UserRow};
use crate::auth::get_reference_data;
use crate::components::form::{
    field_error_signal, successes, use_form_draft, Draft, ErrorSignal, ErrorSummary, FieldError, Notice, TextField,
};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::i18n::*;
use crate::label;
use crate::lang::{pick, role_text};
use domain::roles::Role;
use domain::validation::Field;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let chamber_filter = move || query.read().get("chamber").filter(|c| !c.is_empty());
    let create = ServerAction::<CreateStaff>::new();
    let deactivate = ServerAction::<DeactivateUser>::new();
    let created = successes(create);
    let users = Resource::new(
        move || (chamber_filter(), created.get(), deactivate.version().get()),
        |(chamber, _, _)| list_staff(chamber),
    );
    let reference = Resource::new(|| (), |_| async move { get_reference_data().await.unwrap_or_default() });
    let draft = use_form_draft::<CreateStaff>();
    let me = crate::components::current_user::use_current_user();
    view! {
        <Title text=move || td_string!(i18n, staff.users_title) />
        <Suspense fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let data = reference.await;
                let draft = draft.await;
                let me = me.await.map(|m| m.id);
                match users.await {
                    Ok(rows) => {
                        view! {
                            <CreateStaffForm create chambers=data.chambers.clone() draft />
                            <UsersTable rows chambers=data.chambers selected=chamber_filter() deactivate me />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreateStaffForm(
    create: ServerAction<CreateStaff>,
    chambers: Vec<domain::reference::ChamberChoice>,
    draft: Draft,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen_role = draft.get("input[role]");
    let chosen_chamber = draft.get("input[chamber]");
    let value = Signal::derive(move || create.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let created = Signal::derive(move || matches!(value.get(), Some(Ok(_))));
    let role_message = field_error_signal(error, Field::Role);
    let chamber_message = field_error_signal(error, Field::Chamber);
    view! {
        <section class="card">
            <h1>{td!(i18n, staff.create_title)}</h1>
            <ServerForm action=create attr:novalidate=true>
                <ErrorSummary error />
                <Notice show=created>{move || td!(i18n, staff.created)}</Notice>
                <TextField
                    id="staff_full_name"
                    name="input[full_name]"
                    field=Field::FullName
                    error
                    label=label!(i18n, fields.full_name)
                    maxlength=100
                    value=draft.get("input[full_name]")
                />
                <TextField
                    id="staff_email"
                    name="input[email]"
                    field=Field::Email
                    error
                    input_type="email"
                    label=label!(i18n, fields.email_required)
                    maxlength=254
                    value=draft.get("input[email]")
                />
                <TextField
                    id="staff_phone"
                    name="input[phone]"
                    field=Field::Phone
                    error
                    input_type="tel"
                    label=label!(i18n, fields.phone)
                    maxlength=20
                    required=false
                    value=draft.get("input[phone]")
                />
                <div class="field" class:has-error=move || role_message.get().is_some()>
                    <label for="staff_role">{td!(i18n, fields.role)}</label>
                    <select
                        id="staff_role"
                        name="input[role]"
                        required=true
                        aria-describedby=move || role_message.get().map(|_| "staff_role-error")
                    >
                        <option value="">{td!(i18n, fields.choose)}</option>
                        {[Role::Advisor, Role::ChamberManager, Role::FundAdmin]
                            .into_iter()
                            .map(|role| {
                                view! {
                                    <option value=role.key() selected=chosen_role.as_deref() == Some(role.key())>
                                        {move || role_text(i18n, role)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldError id="staff_role-error".to_string() message=role_message />
                </div>
                <div class="field" class:has-error=move || chamber_message.get().is_some()>
                    <label for="staff_chamber">{td!(i18n, fields.chamber)}</label>
                    <select
                        id="staff_chamber"
                        name="input[chamber]"
                        aria-describedby=move || chamber_message.get().map(|_| "staff_chamber-error")
                    >
                        <option value="">{td!(i18n, staff.no_chamber)}</option>
                        <crate::components::form::ChamberOptions chambers selected=chosen_chamber />
                    </select>
                    <FieldError id="staff_chamber-error".to_string() message=chamber_message />
                </div>
                <TextField
                    id="staff_password"
                    name="input[password]"
                    field=Field::Password
                    error
                    input_type="password"
                    label=label!(i18n, fields.password)
                    hint=label!(i18n, fields.password_hint)
                    autocomplete="new-password"
                    maxlength=128
                />
                <button type="submit" class="button primary" disabled=move || create.pending().get()>
                    {td!(i18n, staff.create_submit)}
                </button>
            </ServerForm>
        </section>
    }
}

#[component]
fn UsersTable(
    rows: Vec<UserRow>,
    chambers: Vec<domain::reference::ChamberChoice>,
    selected: Option<String>,
    deactivate: ServerAction<DeactivateUser>,
    /// The signed-in admin, who cannot deactivate themself (no button for their own row).
    me: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = rows.len();
    let deactivated = Signal::derive(move || matches!(deactivate.value().get(), Some(Ok(()))));
    let deactivate_error: ErrorSignal = Signal::derive(move || deactivate.value().get().and_then(Result::err));
    view! {
        <section class="card">
            <h2>{td!(i18n, staff.users_title)}</h2>
            // A GET form: filtering works without JavaScript and the URL can be shared.
            <form method="get" action="/staff/users" class="filter">
                <label for="chamber_filter">{td!(i18n, fields.chamber)}</label>
                <select id="chamber_filter" name="chamber">
                    <option value="">{td!(i18n, staff.all_chambers)}</option>
                    <crate::components::form::ChamberOptions chambers selected />
                </select>
                <button type="submit" class="button">
                    {td!(i18n, staff.filter)}
                </button>
            </form>
            <ErrorSummary error=deactivate_error />
            <Notice show=deactivated>{move || td!(i18n, staff.deactivated)}</Notice>
            <p class="count">{move || td_string!(i18n, staff.users_count, count = count).to_string()}</p>
            // Scrolls sideways on phones: focusable so keyboard users can scroll it too.
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || td_string!(i18n, staff.users_title)>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{td!(i18n, fields.full_name)}</th>
                            <th scope="col">{td!(i18n, fields.role)}</th>
                            <th scope="col">{td!(i18n, fields.chamber)}</th>
                            <th scope="col">{td!(i18n, fields.email_required)}</th>
                            <th scope="col">{td!(i18n, staff.status)}</th>
                            <th scope="col">{td!(i18n, staff.actions)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|row| {
                                let chamber = row.chamber_name.clone();
                                let role = row.role;
                                let active = row.active;
                                let id = row.id;
                                view! {
                                    <tr>
                                        <th scope="row">{row.full_name.clone()}</th>
                                        <td>{move || role_text(i18n, role)}</td>
                                        <td>{move || { chamber.as_ref().map(|name| pick(i18n, name).to_string()) }}</td>
                                        <td dir="ltr">{row.email.clone().unwrap_or_default()}</td>
                                        <td>
                                            {move || {
                                                if active {
                                                    td_string!(i18n, staff.active).to_string()
                                                } else {
                                                    td_string!(i18n, staff.inactive).to_string()
                                                }
                                            }}
                                        </td>
                                        <td>
                                            {(active && me != Some(id))
                                                .then(|| {
                                                    view! {
                                                        <ServerForm action=deactivate attr:class="inline-form">
                                                            <input type="hidden" name="user_id" value=id.to_string() />
                                                            <button type="submit" class="button danger">
                                                                {td!(i18n, staff.deactivate)}
                                                            </button>
                                                        </ServerForm>
                                                    }
                                                })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
