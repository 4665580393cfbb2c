//! The signed-in person's home and profile pages.
use super::{
    get_profile, ChangePassword, Profile, SendPhoneCode, SetEmailNotifications, SetSmsNotifications, UpdateProfile,
    VerifyPhone,
};
use crate::auth::get_reference_data;
use crate::auth::pages::{GenderField, PlaceFields};
use crate::components::form::{
    succeeded, successes, use_form_draft, Draft, ErrorSignal, ErrorSummary, Notice, TextField,
};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::i18n::*;
use crate::label;
use domain::roles::Role;
use domain::validation::Field;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<UpdateProfile>::new();
    let email = ServerAction::<SetEmailNotifications>::new();
    let sms = ServerAction::<SetSmsNotifications>::new();
    // Read again after a successful save only: a refused one keeps the form as typed (a new
    // read would put the stored chamber back in its select).
    let saves = successes(update);
    let profile = Resource::new(
        move || (saves.get(), email.version().get(), sms.version().get()),
        |_| get_profile(None),
    );
    let reference = Resource::new(|| (), |_| async move { get_reference_data().await.unwrap_or_default() });
    let draft = use_form_draft::<UpdateProfile>();
    view! {
        <Title text=move || td_string!(i18n, profile.title) />
        <Suspense fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let data = reference.await;
                let draft = draft.await;
                match profile.await {
                    Ok(p) => {
                        let (address, enabled) = (p.email.clone(), p.email_notifications);
                        let sms_choice = (p.sms_available && p.phone.is_some()).then_some(p.sms_notifications);
                        let confirmed = p.verify_phones.then_some(p.phone_verified);
                        view! {
                            <ProfileForm profile=p data update draft />
                            <EmailForm address enabled action=email />
                            {sms_choice.map(|enabled| view! { <SmsForm enabled confirmed action=sms /> })}
                            <PasswordForm />
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
fn ProfileForm(
    profile: Profile,
    data: crate::auth::ReferenceData,
    update: ServerAction<UpdateProfile>,
    /// What was typed before a failed submission without JavaScript; wins over the stored values.
    draft: Draft,
) -> impl IntoView {
    let typed = move |name: &str, stored: Option<String>| draft.get(name).or(stored);
    let i18n = use_i18n();
    let value = Signal::derive(move || update.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let saved = succeeded(update);
    let entrepreneur = profile.role == Role::Entrepreneur;
    let email_label = if entrepreneur {
        label!(i18n, fields.email)
    } else {
        label!(i18n, fields.email_required)
    };
    view! {
        <section class="card narrow">
            <h1>{td!(i18n, profile.title)}</h1>
            <ServerForm action=update attr:novalidate=true>
                <ErrorSummary error />
                <Notice show=saved>{move || td!(i18n, profile.saved)}</Notice>
                <TextField
                    id="full_name"
                    name="input[full_name]"
                    field=Field::FullName
                    error
                    label=label!(i18n, fields.full_name)
                    autocomplete="name"
                    maxlength=100
                    value=typed("input[full_name]", Some(profile.full_name.clone()))
                />
                <TextField
                    id="phone"
                    name="input[phone]"
                    field=Field::Phone
                    error
                    input_type="tel"
                    label=label!(i18n, fields.phone)
                    hint=label!(i18n, fields.phone_hint)
                    autocomplete="tel"
                    inputmode="tel"
                    maxlength=20
                    value=typed("input[phone]", profile.phone.clone())
                    required=entrepreneur
                />
                <TextField
                    id="email"
                    name="input[email]"
                    field=Field::Email
                    error
                    input_type="email"
                    label=email_label
                    autocomplete="email"
                    maxlength=254
                    value=typed("input[email]", profile.email.clone())
                    required=!entrepreneur
                />
                <TextField
                    id="contact_password"
                    name="input[contact_password]"
                    field=Field::ContactPassword
                    error
                    input_type="password"
                    label=label!(i18n, fields.contact_password)
                    hint=label!(i18n, fields.contact_password_hint)
                    autocomplete="current-password"
                    maxlength=domain::validation::PASSWORD_MAX
                    required=false
                />
                {entrepreneur
                    .then(|| {
                        view! {
                            <GenderField
                                error
                                selected=typed("input[gender]", profile.gender.map(|g| g.key().to_string()))
                            />
                            <TextField
                                id="birth_date"
                                name="input[birth_date]"
                                field=Field::BirthDate
                                error
                                input_type="date"
                                label=label!(i18n, fields.birth_date)
                                autocomplete="bday"
                                maxlength=10
                                value=typed("input[birth_date]", profile.birth_date.clone())
                            />
                            <PlaceFields
                                data=data.clone()
                                error
                                governorate=typed("input[governorate]", profile.governorate.clone())
                                chamber=typed("input[chamber]", profile.chamber_code.clone())
                            />
                        }
                    })}
                <button type="submit" class="button primary" disabled=move || update.pending().get()>
                    {td!(i18n, profile.save)}
                </button>
            </ServerForm>
        </section>
    }
}

/// E-mail notifications on or off: one button that flips the choice (works without JavaScript).
#[component]
fn EmailForm(address: Option<String>, enabled: bool, action: ServerAction<SetEmailNotifications>) -> impl IntoView {
    let i18n = use_i18n();
    let saved = succeeded(action);
    let error: ErrorSignal = Signal::derive(move || action.value().get().and_then(Result::err));
    let has_address = address.is_some();
    view! {
        <section class="card narrow" id="email-notifications">
            <h2>{td!(i18n, profile.email_title)}</h2>
            <ErrorSummary error />
            <Notice show=saved>{move || td!(i18n, profile.email_saved)}</Notice>
            {if !has_address {
                view! { <p>{td!(i18n, profile.email_none)}</p> }.into_any()
            } else {
                view! {
                    <p class="email-state">
                        {move || {
                            if enabled {
                                td_string!(i18n, profile.email_on)
                            } else {
                                td_string!(i18n, profile.email_off)
                            }
                        }}
                    </p>
                    <ServerForm action>
                        <input type="hidden" name="enabled" value=(!enabled).to_string() />
                        <button type="submit" class="button" disabled=move || action.pending().get()>
                            {move || {
                                if enabled {
                                    td_string!(i18n, profile.email_stop)
                                } else {
                                    td_string!(i18n, profile.email_start)
                                }
                            }}
                        </button>
                    </ServerForm>
                }
                    .into_any()
            }}
        </section>
    }
}

/// SMS notifications on or off, for a person with a mobile number on a server that sends
/// SMS: one button that flips the choice (works without JavaScript).
#[component]
fn SmsForm(
    enabled: bool,
    /// Whether the number is confirmed, where the server sends only to confirmed numbers.
    confirmed: Option<bool>,
    action: ServerAction<SetSmsNotifications>,
) -> impl IntoView {
    let i18n = use_i18n();
    let saved = succeeded(action);
    let error: ErrorSignal = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card narrow" id="sms-notifications">
            <h2>{td!(i18n, profile.sms_title)}</h2>
            <ErrorSummary error />
            {match confirmed {
                Some(false) => {
                    view! {
                        <p class="notice" id="phone-unconfirmed">
                            {td!(i18n, profile.phone_unconfirmed)}
                            " "
                            <a href="/verify-phone">{td!(i18n, profile.phone_confirm)}</a>
                        </p>
                    }
                        .into_any()
                }
                Some(true) => view! { <p id="phone-confirmed">{td!(i18n, profile.phone_confirmed)}</p> }.into_any(),
                None => ().into_any(),
            }}
            <Notice show=saved>{move || td!(i18n, profile.email_saved)}</Notice>
            <p class="sms-state">
                {move || { if enabled { td_string!(i18n, profile.sms_on) } else { td_string!(i18n, profile.sms_off) } }}
            </p>
            <ServerForm action>
                <input type="hidden" name="enabled" value=(!enabled).to_string() />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || {
                        if enabled { td_string!(i18n, profile.sms_stop) } else { td_string!(i18n, profile.sms_start) }
                    }}
                </button>
            </ServerForm>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    let value = Signal::derive(move || change.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let saved = succeeded(change);
    view! {
        <section class="card narrow">
            <h2>{td!(i18n, profile.password_title)}</h2>
            <ServerForm action=change attr:novalidate=true>
                <ErrorSummary error />
                <Notice show=saved>{move || td!(i18n, profile.password_saved)}</Notice>
                <TextField
                    id="current_password"
                    name="current_password"
                    field=Field::CurrentPassword
                    error
                    input_type="password"
                    label=label!(i18n, fields.current_password)
                    autocomplete="current-password"
                    maxlength=128
                />
                <TextField
                    id="new_password"
                    name="new_password"
                    field=Field::Password
                    error
                    input_type="password"
                    label=label!(i18n, fields.new_password)
                    hint=label!(i18n, fields.password_hint)
                    autocomplete="new-password"
                    maxlength=128
                />
                <button type="submit" class="button" disabled=move || change.pending().get()>
                    {td!(i18n, profile.password_save)}
                </button>
            </ServerForm>
        </section>
    }
}

/// Confirms the signed-in person's mobile number with the code texted to it (right after
/// registration, after a change of number, or from the profile). Plain forms: they work
/// without JavaScript.
#[component]
pub fn VerifyPhonePage() -> impl IntoView {
    let i18n = use_i18n();
    let verify = ServerAction::<VerifyPhone>::new();
    let resend = ServerAction::<SendPhoneCode>::new();
    let error: ErrorSignal = Signal::derive(move || verify.value().get().and_then(Result::err));
    let resend_error: ErrorSignal = Signal::derive(move || resend.value().get().and_then(Result::err));
    let resent = succeeded(resend);
    let profile = Resource::new(|| (), |_| get_profile(None));
    view! {
        <Title text=move || td_string!(i18n, verify.title) />
        <section class="card narrow">
            <h1>{td!(i18n, verify.title)}</h1>
            <Suspense fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) if p.phone_verified => {
                            view! {
                                <p class="notice success" role="status">
                                    {td!(i18n, verify.done)}
                                </p>
                                <p>
                                    <a href="/home">{td!(i18n, nav.home)}</a>
                                </p>
                            }
                                .into_any()
                        }
                        Ok(p) => {
                            let phone = format!("\u{2066}{}\u{2069}", p.phone.unwrap_or_default());
                            view! {
                                <p>{td!(i18n, verify.intro, phone = phone.clone())}</p>
                                <ServerForm action=verify attr:novalidate=true attr:id="verify-phone">
                                    <ErrorSummary error />
                                    <TextField
                                        id="code"
                                        name="code"
                                        field=Field::Code
                                        error
                                        label=label!(i18n, fields.code)
                                        hint=label!(i18n, fields.code_hint)
                                        autocomplete="one-time-code"
                                        inputmode="numeric"
                                        maxlength=12
                                    />
                                    <button
                                        type="submit"
                                        class="button primary"
                                        disabled=move || verify.pending().get()
                                    >
                                        {td!(i18n, verify.submit)}
                                    </button>
                                </ServerForm>
                                <ServerForm action=resend attr:id="resend-code">
                                    <ErrorSummary error=resend_error />
                                    <Notice show=resent>{move || td!(i18n, verify.resent)}</Notice>
                                    <button type="submit" class="button" disabled=move || resend.pending().get()>
                                        {td!(i18n, verify.resend)}
                                    </button>
                                </ServerForm>
                                <p>
                                    <a href="/profile">{td!(i18n, verify.wrong_number)}</a>
                                </p>
                                <p>
                                    <a href="/home">{td!(i18n, verify.later)}</a>
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
