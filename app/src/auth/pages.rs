//! Register and sign-in pages. Both are plain forms posting to server functions, so they
//! work with JavaScript off. Opened directly they come without the app's WASM (they are among
//! the routes' plain pages): the form posts and the page comes back with what was typed and
//! the errors. Reached from a page of the app, they are hydrated and submit in place.
use super::{
    get_reference_data, reset_channels, ForgotPassword, Login, ReferenceData, Register, ResetPassword,
    ResetPasswordWithCode, SendResetCode,
};
use crate::components::current_user::AuthRefresh;
use crate::components::form::{field_error_signal, use_form_draft, ErrorSignal, ErrorSummary, FieldError, TextField};
use crate::components::server_form::ServerForm;
use crate::i18n::*;
use crate::label;
use crate::lang::pick;
use domain::validation::Field;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// Bumps the signed-in state after a successful submission.
fn refresh_on_success<T: Clone + Send + Sync + 'static>(value: Signal<Option<Result<T, crate::error::AppError>>>) {
    let refresh = expect_context::<AuthRefresh>();
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            refresh.bump();
        }
    });
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let value = Signal::derive(move || login.value().get());
    refresh_on_success(value);
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let draft = use_form_draft::<Login>();
    let query = use_query_map();
    let after_reset = move || query.read().get("reset").is_some();
    view! {
        <Title text=move || td_string!(i18n, login.title) />
        <section class="card narrow">
            <h1>{td!(i18n, login.title)}</h1>
            <Show when=after_reset>
                <p class="notice success" role="status">
                    {td!(i18n, login.reset_done)}
                </p>
            </Show>
            <Suspense fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    let draft = draft.await;
                    view! {
                        <ServerForm action=login attr:novalidate=true>
                            <ErrorSummary error />
                            <TextField
                                id="identifier"
                                name="identifier"
                                field=Field::Identifier
                                error
                                label=label!(i18n, fields.identifier)
                                autocomplete="username"
                                maxlength=254
                                value=draft.get("identifier")
                            />
                            <TextField
                                id="password"
                                name="password"
                                field=Field::Password
                                error
                                input_type="password"
                                label=label!(i18n, fields.password)
                                autocomplete="current-password"
                                maxlength=128
                            />
                            <button type="submit" class="button primary" disabled=move || login.pending().get()>
                                {td!(i18n, login.submit)}
                            </button>
                        </ServerForm>
                    }
                })}
            </Suspense>
            <p>
                <A href="/forgot-password">{td!(i18n, login.forgot)}</A>
            </p>
            <p>
                <A href="/register">{td!(i18n, login.no_account)}</A>
            </p>
        </section>
    }
}

/// Asks for a reset code by SMS or a reset link by e-mail, whichever the server sends.
/// Plain forms: they work with JavaScript off.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let forgot = ServerAction::<ForgotPassword>::new();
    let by_sms = ServerAction::<SendResetCode>::new();
    let error: ErrorSignal = Signal::derive(move || forgot.value().get().and_then(Result::err));
    let sms_error: ErrorSignal = Signal::derive(move || by_sms.value().get().and_then(Result::err));
    let draft = use_form_draft::<ForgotPassword>();
    let sms_draft = use_form_draft::<SendResetCode>();
    let channels = Resource::new(|| (), |_| reset_channels());
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some() || matches!(forgot.value().get(), Some(Ok(())));
    view! {
        <Title text=move || td_string!(i18n, reset.forgot_title) />
        <section class="card narrow">
            <h1>{td!(i18n, reset.forgot_title)}</h1>
            <Show when=sent>
                <p class="notice success" role="status" id="reset-sent">
                    {td!(i18n, reset.sent)}
                </p>
            </Show>
            <Suspense fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    let draft = draft.await;
                    let sms_draft = sms_draft.await;
                    let channels = channels.await.unwrap_or_default();
                    view! {
                        {channels
                            .sms
                            .then(|| {
                                view! {
                                    <h2>{td!(i18n, reset.by_sms_title)}</h2>
                                    <p>{td!(i18n, reset.by_sms_intro)}</p>
                                    <ServerForm action=by_sms attr:novalidate=true attr:id="reset-by-sms">
                                        <ErrorSummary error=sms_error />
                                        <TextField
                                            id="reset-phone"
                                            name="phone"
                                            field=Field::Phone
                                            error=sms_error
                                            input_type="tel"
                                            label=label!(i18n, fields.phone)
                                            hint=label!(i18n, fields.phone_hint)
                                            autocomplete="tel"
                                            inputmode="tel"
                                            maxlength=20
                                            value=sms_draft.get("phone")
                                        />
                                        <button
                                            type="submit"
                                            class="button primary"
                                            disabled=move || by_sms.pending().get()
                                        >
                                            {td!(i18n, reset.send_code)}
                                        </button>
                                    </ServerForm>
                                }
                            })}
                        {channels
                            .email
                            .then(|| {
                                view! {
                                    {channels.sms.then(|| view! { <h2>{td!(i18n, reset.by_email_title)}</h2> })}
                                    <p>{td!(i18n, reset.forgot_intro)}</p>
                                    <ServerForm action=forgot attr:novalidate=true attr:id="reset-by-email">
                                        <ErrorSummary error />
                                        <TextField
                                            id="email"
                                            name="email"
                                            field=Field::Email
                                            error
                                            input_type="email"
                                            label=label!(i18n, fields.email_required)
                                            autocomplete="email"
                                            maxlength=254
                                            value=draft.get("email")
                                        />
                                        <button
                                            type="submit"
                                            class="button primary"
                                            disabled=move || forgot.pending().get()
                                        >
                                            {td!(i18n, reset.send)}
                                        </button>
                                    </ServerForm>
                                }
                            })}
                        {(!channels.email && !channels.sms)
                            .then(|| {
                                view! {
                                    <p class="notice" role="status">
                                        {td!(i18n, reset.no_channel)}
                                    </p>
                                }
                            })}
                    }
                })}
            </Suspense>
            <p>
                <A href="/sign-in">{td!(i18n, login.title)}</A>
            </p>
        </section>
    }
}

/// Chooses a new password with the token from the e-mailed link, or (without a token) with
/// the code texted to the account's mobile number.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let has_token = query.read_untracked().get("token").is_some();
    if has_token {
        view! { <ResetWithLink /> }.into_any()
    } else {
        view! { <ResetWithCode /> }.into_any()
    }
}

#[component]
fn ResetWithLink() -> impl IntoView {
    let i18n = use_i18n();
    let reset = ServerAction::<ResetPassword>::new();
    let error: ErrorSignal = Signal::derive(move || reset.value().get().and_then(Result::err));
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Title text=move || td_string!(i18n, reset.title) />
        <section class="card narrow">
            <h1>{td!(i18n, reset.title)}</h1>
            <p>{td!(i18n, reset.intro)}</p>
            <ServerForm action=reset attr:novalidate=true>
                <ErrorSummary error />
                <input type="hidden" name="token" prop:value=token value=token />
                <TextField
                    id="password"
                    name="password"
                    field=Field::Password
                    error
                    input_type="password"
                    label=label!(i18n, fields.password)
                    hint=label!(i18n, fields.password_hint)
                    autocomplete="new-password"
                    maxlength=128
                />
                <button type="submit" class="button primary" disabled=move || reset.pending().get()>
                    {td!(i18n, reset.submit)}
                </button>
            </ServerForm>
            <p>
                <A href="/forgot-password">{td!(i18n, reset.new_link)}</A>
            </p>
        </section>
    }
}

/// The number comes in the address from the form that sent the code (or back from the
/// draft after an error), so she types only the code and the new password.
#[component]
fn ResetWithCode() -> impl IntoView {
    let i18n = use_i18n();
    let reset = ServerAction::<ResetPasswordWithCode>::new();
    let error: ErrorSignal = Signal::derive(move || reset.value().get().and_then(Result::err));
    let draft = use_form_draft::<ResetPasswordWithCode>();
    let query = use_query_map();
    let sent_to = query.read_untracked().get("phone");
    view! {
        <Title text=move || td_string!(i18n, reset.code_title) />
        <section class="card narrow">
            <h1>{td!(i18n, reset.code_title)}</h1>
            {sent_to
                .is_some()
                .then(|| {
                    view! {
                        <p class="notice success" role="status" id="code-sent">
                            {td!(i18n, reset.code_sent)}
                        </p>
                    }
                })}
            <p>{td!(i18n, reset.intro)}</p>
            <Suspense fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || {
                    let sent_to = sent_to.clone();
                    Suspend::new(async move {
                        let draft = draft.await;
                        let phone = draft.get("phone").or(sent_to);
                        view! {
                            <ServerForm action=reset attr:novalidate=true attr:id="reset-with-code">
                                <ErrorSummary error />
                                <TextField
                                    id="phone"
                                    name="phone"
                                    field=Field::Phone
                                    error
                                    input_type="tel"
                                    label=label!(i18n, fields.phone)
                                    autocomplete="tel"
                                    inputmode="tel"
                                    maxlength=20
                                    value=phone
                                />
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
                                <TextField
                                    id="password"
                                    name="password"
                                    field=Field::Password
                                    error
                                    input_type="password"
                                    label=label!(i18n, fields.new_password)
                                    hint=label!(i18n, fields.password_hint)
                                    autocomplete="new-password"
                                    maxlength=128
                                />
                                <button type="submit" class="button primary" disabled=move || reset.pending().get()>
                                    {td!(i18n, reset.submit)}
                                </button>
                            </ServerForm>
                        }
                    })
                }}
            </Suspense>
            <p>
                <A href="/forgot-password">{td!(i18n, reset.new_code)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let register = ServerAction::<Register>::new();
    let value = Signal::derive(move || register.value().get());
    refresh_on_success(value);
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let reference = Resource::new(|| (), |_| async move { get_reference_data().await.unwrap_or_default() });
    let draft = use_form_draft::<Register>();
    view! {
        <Title text=move || td_string!(i18n, register.title) />
        <section class="card narrow">
            <h1>{td!(i18n, register.title)}</h1>
            <p>{td!(i18n, register.intro)}</p>
            <Suspense fallback=move || {
                view! { <p>{td!(i18n, common.loading)}</p> }
            }>
                {move || Suspend::new(async move {
                    let data = reference.await;
                    let draft = draft.await;
                    view! {
                        <ServerForm action=register attr:novalidate=true>
                            <ErrorSummary error />
                            <TextField
                                id="full_name"
                                name="input[full_name]"
                                field=Field::FullName
                                error
                                label=label!(i18n, fields.full_name)
                                autocomplete="name"
                                maxlength=100
                                value=draft.get("input[full_name]")
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
                                value=draft.get("input[phone]")
                            />
                            <TextField
                                id="email"
                                name="input[email]"
                                field=Field::Email
                                error
                                input_type="email"
                                label=label!(i18n, fields.email)
                                autocomplete="email"
                                maxlength=254
                                required=false
                                value=draft.get("input[email]")
                            />
                            <TextField
                                id="password"
                                name="input[password]"
                                field=Field::Password
                                error
                                input_type="password"
                                label=label!(i18n, fields.password)
                                hint=label!(i18n, fields.password_hint)
                                autocomplete="new-password"
                                maxlength=128
                            />
                            <GenderField error selected=draft.get("input[gender]") />
                            <TextField
                                id="birth_date"
                                name="input[birth_date]"
                                field=Field::BirthDate
                                error
                                input_type="date"
                                label=label!(i18n, fields.birth_date)
                                autocomplete="bday"
                                maxlength=10
                                value=draft.get("input[birth_date]")
                            />
                            <PlaceFields
                                data
                                error
                                governorate=draft.get("input[governorate]")
                                chamber=draft.get("input[chamber]")
                            />
                            <button type="submit" class="button primary" disabled=move || register.pending().get()>
                                {td!(i18n, register.submit)}
                            </button>
                        </ServerForm>
                    }
                })}
            </Suspense>
            <p>
                <A href="/sign-in">{td!(i18n, register.have_account)}</A>
            </p>
        </section>
    }
}

/// Female / male radio group.
#[component]
pub fn GenderField(error: ErrorSignal, selected: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let message = field_error_signal(error, Field::Gender);
    let is = move |key: &str| selected.as_deref() == Some(key);
    view! {
        <fieldset class="field radio-group" aria-describedby=move || message.get().map(|_| "gender-error")>
            <legend>{td!(i18n, fields.gender)}</legend>
            <label>
                <input type="radio" name="input[gender]" value="female" checked=is("female") required=true />
                {td!(i18n, fields.gender_female)}
            </label>
            <label>
                <input type="radio" name="input[gender]" value="male" checked=is("male") />
                {td!(i18n, fields.gender_male)}
            </label>
            <FieldError id="gender-error".to_string() message />
        </fieldset>
    }
}

/// Governorate and chamber selects. An empty chamber means "my governorate's chamber",
/// which the server resolves, so this works without JavaScript.
#[component]
pub fn PlaceFields(
    data: ReferenceData,
    error: ErrorSignal,
    governorate: Option<String>,
    chamber: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let gov_message = field_error_signal(error, Field::Governorate);
    let chamber_message = field_error_signal(error, Field::Chamber);
    let governorates = data.governorates.clone();
    let chambers = data.chambers.clone();
    view! {
        <div class="field" class:has-error=move || gov_message.get().is_some()>
            <label for="governorate">{td!(i18n, fields.governorate)}</label>
            <select
                id="governorate"
                name="input[governorate]"
                required=true
                aria-invalid=move || gov_message.get().map(|_| "true")
                aria-describedby=move || gov_message.get().map(|_| "governorate-error")
            >
                <option value="">{td!(i18n, fields.choose)}</option>
                {governorates
                    .into_iter()
                    .map(|g| {
                        let selected = governorate.as_deref() == Some(g.code.as_str());
                        view! {
                            <option value=g.code.clone() selected=selected>
                                {move || pick(i18n, &g.name).to_string()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldError id="governorate-error".to_string() message=gov_message />
        </div>
        <div class="field" class:has-error=move || chamber_message.get().is_some()>
            <label for="chamber">{td!(i18n, fields.chamber)}</label>
            <select
                id="chamber"
                name="input[chamber]"
                aria-invalid=move || chamber_message.get().map(|_| "true")
                aria-describedby=move || chamber_message.get().map(|_| "chamber-error")
            >
                <option value="">{td!(i18n, fields.chamber_default)}</option>
                <crate::components::form::ChamberOptions chambers selected=chamber />
            </select>
            <FieldError id="chamber-error".to_string() message=chamber_message />
        </div>
    }
}
