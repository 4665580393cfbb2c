//! What the auth server functions do (server only): register, sign in and out, who is signed
//! in, and password reset by a single-use e-mailed link (valid for 30 minutes, stored only
//! as a hash; using it ends every session of the account).
use super::password;
use super::store::{self, check_unique, NewStaff};
use super::ReferenceData;
use crate::audit;
use crate::components::current_user::Me;
use crate::db::{now, today, Pool};
use crate::error::{internal, AppError};
use crate::guard::{current_actor, pool, session, state};
use crate::lang::locale_of;
use crate::notify::email::reset_email;
use crate::notify::store::{enqueue, queue_sms, MailKind, OutgoingSms, SmsKind};
use crate::session_store::{end_sessions_of, RENEWED_KEY, SIGNED_IN_KEY, USER_KEY};
use domain::audit::{AuditAction, AuditObject};
use domain::reference::default_chamber_for;
use domain::roles::UserId;
use domain::validation::{self, Field, FieldError, Problem, RegistrationInput};
use sha2::{Digest, Sha256};

pub async fn reference_data() -> Result<ReferenceData, AppError> {
    store::reference_data(&pool()?).await
}

/// Resolves a governorate code and an optional chamber code to the chamber id, defaulting
/// the chamber from the governorate.
pub async fn resolve_place(
    pool: &Pool,
    governorate: &str,
    chamber: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<i64>, AppError> {
    let reference = store::reference_data(pool).await?;
    if !reference.governorates.iter().any(|g| g.code == governorate) {
        errors.push(FieldError::new(Field::Governorate, Problem::UnknownChoice));
        return Ok(None);
    }
    let found = match chamber {
        Some(code) => reference.chambers.iter().find(|c| c.code == code),
        None => default_chamber_for(&reference.chambers, governorate),
    };
    match found {
        Some(c) => Ok(Some(c.id)),
        None => {
            errors.push(FieldError::new(Field::Chamber, Problem::UnknownChoice));
            Ok(None)
        }
    }
}

async fn sign_in_session(user: i64) -> Result<(), AppError> {
    let session = session().await?;
    // A new id at sign-in defeats session fixation.
    session
        .cycle_id()
        .await
        .map_err(internal("renewing the session id failed"))?;
    session
        .insert(USER_KEY, user)
        .await
        .map_err(internal("storing the signed-in account failed"))?;
    let at = now();
    for key in [SIGNED_IN_KEY, RENEWED_KEY] {
        session
            .insert(key, at)
            .await
            .map_err(internal("storing the sign-in time failed"))?;
    }
    Ok(())
}

pub async fn register(input: RegistrationInput) -> Result<(), AppError> {
    let pool = pool()?;
    let reg = validation::registration(&input, today()).map_err(AppError::Invalid)?;
    let mut errors = Vec::new();
    let chamber = resolve_place(&pool, &reg.governorate, reg.chamber.as_deref(), &mut errors).await?;
    check_unique(&pool, Some(&reg.phone), reg.email.as_deref(), None, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    // Each new account costs a deliberately slow hash and a row: one address may open a
    // bounded number an hour (recorded before counting, so a burst cannot slip through).
    let state = state()?;
    let at = now();
    let key = format!("register:{}", client_address().await);
    store::record_pending_attempt(&pool, &key, at).await?;
    if store::attempts_since(&pool, &key, at - 3600).await? > state.throttle.registrations_per_address_hourly {
        return Err(AppError::Throttled { minutes: 60 });
    }
    let hash = password::hash(input.password).await?;
    // The language the person registered in is the one their e-mail is written in.
    let locale = if crate::i18n::chosen_language().as_deref() == Some("en") {
        "en"
    } else {
        "ar"
    };
    let mut tx = crate::db::begin(&pool).await?;
    let id = store::insert_entrepreneur(&mut tx, &reg, &hash, chamber, locale, now()).await?;
    audit::record(
        &mut *tx,
        Some(UserId(id)),
        AuditAction::RegisterAccount,
        AuditObject::User,
        Some(id),
        "",
    )
    .await?;
    tx.commit().await?;
    sign_in_session(id).await?;
    if state.sms.as_ref().is_some_and(|sms| sms.verify_phones) {
        // Her home page leads to the confirmation; a code that could not go now is asked for
        // again there.
        if let Err(error) = send_phone_code(&pool, id).await {
            tracing::warn!(?error, "the confirmation code of a new account was not queued");
        }
    }
    leptos_axum::redirect("/home");
    Ok(())
}

/// Validates and stores a staff account; shared by the Fund's page and `riyada create-user`.
pub async fn create_staff_account(
    pool: &Pool,
    actor: Option<UserId>,
    staff: NewStaff<'_>,
    password: String,
) -> Result<i64, AppError> {
    let hash = password::hash(password).await?;
    let role = staff.role;
    let mut tx = crate::db::begin(pool).await?;
    let id = store::insert_staff(&mut tx, &staff, &hash, now()).await?;
    audit::record(
        &mut *tx,
        actor,
        AuditAction::CreateUser,
        AuditObject::User,
        Some(id),
        role.key(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Where a failed sign-in is counted: the account from this address (a hard limit: one
/// place guessing one account), the address whatever it tries (a hard limit), and the
/// account from anywhere (a delay that grows, never a lock, so that nobody can lock an
/// account's owner out by failing on purpose from elsewhere).
struct ThrottleKeys {
    pair: String,
    address: String,
    account: String,
}

fn throttle_keys(identifier: &str, address: &str) -> ThrottleKeys {
    ThrottleKeys {
        pair: format!("account:{identifier}@{address}"),
        address: format!("address:{address}"),
        account: format!("account:{identifier}"),
    }
}

/// The address limits count by: the connection's, or behind a trusted reverse proxy the one
/// it forwarded (`domain::network::client_address`).
pub async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let Ok(ConnectInfo(peer)) = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await else {
        return "local".to_string();
    };
    let (Ok(state), Some(parts)) = (state(), leptos::prelude::use_context::<http::request::Parts>()) else {
        return peer.ip().to_string();
    };
    let joined = |name: http::header::HeaderName| {
        let values: Vec<&str> = parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    let forwarded = joined(http::header::FORWARDED);
    let forwarded_for = joined(http::header::HeaderName::from_static("x-forwarded-for"));
    domain::network::client_address(
        peer.ip(),
        forwarded.as_deref(),
        forwarded_for.as_deref(),
        &state.trusted_proxies,
    )
    .to_string()
}

/// Records a password attempt under `keys` before the password is checked, and refuses
/// it (unrecorded) when the limits are reached. Recorded first, counted after: attempts in
/// flight count, so a parallel burst cannot run more password checks than the limits
/// allow. A failure keeps its rows; a success or a refusal withdraws them. Answers the
/// rows (pair, address, account).
async fn begin_attempt(
    pool: &crate::db::Pool,
    limits: crate::state::ThrottleLimits,
    keys: &ThrottleKeys,
    at: i64,
) -> Result<[i64; 3], AppError> {
    let since = at - limits.window_secs;
    let pending = [
        store::record_pending_attempt(pool, &keys.pair, at).await?,
        store::record_pending_attempt(pool, &keys.address, at).await?,
        store::record_pending_attempt(pool, &keys.account, at).await?,
    ];
    let hard_limit = store::attempts_since(pool, &keys.pair, since).await? > limits.per_account
        || store::attempts_since(pool, &keys.address, since).await? > limits.per_address;
    let wait = if hard_limit {
        0
    } else {
        let (failures, latest) = store::other_attempts_since(pool, &keys.account, since, pending[2]).await?;
        domain::network::sign_in_wait_secs(failures, limits.per_account, latest.map_or(i64::MAX, |l| at - l))
    };
    if hard_limit || wait > 0 {
        for id in pending {
            store::forget_attempt(pool, id).await?;
        }
        let minutes = if hard_limit {
            limits.window_secs / 60
        } else {
            (wait + 59) / 60
        };
        return Err(AppError::Throttled {
            minutes: minutes.max(1) as u32,
        });
    }
    Ok(pending)
}

/// Checks the password of a signed-in person (to change her password or her contact
/// details) under the same limits as signing in, counted on her account and address: a
/// session left open on a shared computer cannot be used to guess the password faster than
/// the sign-in page allows. A right password clears the account's failures.
pub async fn check_own_password(user: i64, typed: String) -> Result<bool, AppError> {
    let state = state()?;
    let pool = state.pool.clone();
    if typed.chars().count() > validation::PASSWORD_MAX as usize {
        return Ok(false);
    }
    let keys = throttle_keys(&format!("user-{user}"), &client_address().await);
    let at = now();
    let pending = begin_attempt(&pool, state.throttle, &keys, at).await?;
    let stored = store::password_hash_of(&pool, user).await?;
    if password::verify(typed, Some(stored)).await? {
        store::forget_attempts(&pool, &keys.account).await?;
        store::forget_attempts(&pool, &keys.pair).await?;
        store::forget_attempt(&pool, pending[1]).await?;
        Ok(true)
    } else {
        store::prune_attempts(&pool, at - 24 * 3600).await?;
        Ok(false)
    }
}

pub async fn login(identifier: String, password_typed: String) -> Result<(), AppError> {
    let state = state()?;
    let pool = state.pool.clone();
    let limits = state.throttle;
    // Bound what we hash and store, whatever arrives.
    if identifier.chars().count() > validation::EMAIL_MAX as usize
        || password_typed.chars().count() > validation::PASSWORD_MAX as usize
    {
        return Err(AppError::BadCredentials);
    }
    let normal = if identifier.contains('@') {
        validation::email(&identifier).ok()
    } else {
        validation::phone(&identifier).ok()
    };
    let tried = normal.clone().unwrap_or_else(|| identifier.trim().to_lowercase());
    let keys = throttle_keys(&tried, &client_address().await);
    let at = now();
    let pending = begin_attempt(&pool, limits, &keys, at).await?;
    let account = match &normal {
        Some(n) => store::credentials_by_identifier(&pool, n).await?,
        None => None,
    };
    let ok = password::verify(password_typed, account.as_ref().map(|a| a.password_hash.clone())).await?;
    match account {
        Some(account) if ok && account.is_active == 1 => {
            store::forget_attempts(&pool, &keys.account).await?;
            store::forget_attempts(&pool, &keys.pair).await?;
            store::forget_attempt(&pool, pending[1]).await?;
            sign_in_session(account.id).await?;
            audit::record(
                &pool,
                Some(UserId(account.id)),
                AuditAction::SignIn,
                AuditObject::User,
                Some(account.id),
                "",
            )
            .await?;
            leptos_axum::redirect("/home");
            Ok(())
        }
        _ => {
            store::prune_attempts(&pool, at - 24 * 3600).await?;
            Err(AppError::BadCredentials)
        }
    }
}

pub async fn logout() -> Result<(), AppError> {
    session()
        .await?
        .flush()
        .await
        .map_err(internal("ending the session failed"))?;
    leptos_axum::redirect("/");
    Ok(())
}

pub async fn me() -> Result<Option<Me>, AppError> {
    let Some(actor) = current_actor().await? else {
        return Ok(None);
    };
    let menu = store::menu_of(&pool()?, actor.id.0).await?;
    Ok(Some(Me {
        id: actor.id.0,
        full_name: menu.full_name,
        role: actor.role,
        chamber: actor.chamber.map(|c| c.0),
        unread: menu.unread,
    }))
}

/// Changes a password after the caller proved who they are, in one transaction with its
/// audit row and with every reset link of the account voided (a link sent before the
/// change must not undo it), then ends every session of the account.
pub async fn replace_password(
    pool: &Pool,
    actor: Option<UserId>,
    user: i64,
    new_password: String,
    action: AuditAction,
) -> Result<(), AppError> {
    let hash = password::hash(new_password).await?;
    let tx = crate::db::begin(pool).await?;
    store_new_password(pool, tx, actor, user, &hash, (action, "")).await
}

/// The end of every password change, in the caller's transaction (which has claimed the
/// reset link or code, if one was used): every reset link and code of the account stops
/// working, the hash and its audit row are stored together, then every session ends.
async fn store_new_password(
    pool: &Pool,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    actor: Option<UserId>,
    user: i64,
    hash: &str,
    (action, detail): (AuditAction, &str),
) -> Result<(), AppError> {
    let at = now();
    store::void_resets(&mut tx, user, at).await?;
    store::set_password(&mut tx, user, hash, at).await?;
    audit::record(&mut *tx, actor, action, AuditObject::User, Some(user), detail).await?;
    tx.commit().await?;
    end_sessions_of(pool, user).await?;
    Ok(())
}

// ---- Password reset ----

/// How long a link works.
pub const RESET_VALID_SECS: i64 = 30 * 60;
/// Links sent to one account per hour; more are silently not sent, so a stranger cannot
/// flood someone's inbox.
const PER_ACCOUNT_PER_HOUR: i64 = 3;
/// Requests from one address per 15 minutes before it is told to wait.
const PER_ADDRESS: i64 = 20;

fn token_hash(token: &str) -> String {
    hex_of(&Sha256::digest(token.as_bytes()))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sends a reset link to the account with this e-mail, if there is one. The answer is the
/// same whether or not there is, so it does not reveal who has an account.
pub async fn request_reset(email: String, client: String) -> Result<(), AppError> {
    let state = state()?;
    let Some(mail) = state.mail.clone() else {
        return Err(AppError::MailOff);
    };
    let address = validation::email(&email).map_err(|p| AppError::Invalid(vec![FieldError::new(Field::Email, p)]))?;
    let pool = state.pool.clone();
    let at = now();
    let key = format!("reset:{client}");
    if store::attempts_since(&pool, &key, at - 15 * 60).await? >= PER_ADDRESS {
        return Err(AppError::Throttled { minutes: 15 });
    }
    store::record_attempt(&pool, &key, at).await?;
    let Some(account) = store::active_account_by_email(&pool, &address).await? else {
        return Ok(());
    };
    if store::resets_since(&pool, account.id, at - 3600).await? >= PER_ACCOUNT_PER_HOUR {
        return Ok(());
    }
    let token = {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex_of(&bytes)
    };
    let link = format!("{}/reset-password?token={token}", mail.public_url);
    let email = reset_email(locale_of(&account.locale), &account.full_name, &link);
    let mut tx = crate::db::begin(&pool).await?;
    store::insert_reset(&mut tx, account.id, &token_hash(&token), at, at + RESET_VALID_SECS).await?;
    enqueue(&mut tx, Some(account.id), &address, MailKind::PasswordReset, &email, at).await?;
    audit::record(
        &mut *tx,
        Some(UserId(account.id)),
        AuditAction::RequestPasswordReset,
        AuditObject::User,
        Some(account.id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password with a reset link's token: once, within its time, then every session
/// of the account ends and every other link of it stops working.
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    let pool = state()?.pool;
    if let Err(problem) = validation::new_password(&new_password) {
        return Err(AppError::Invalid(vec![FieldError::new(Field::Password, problem)]));
    }
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::ResetLinkInvalid);
    }
    let at = now();
    let Some(reset) = store::live_reset(&pool, &token_hash(token), at).await? else {
        return Err(AppError::ResetLinkInvalid);
    };
    let hash = password::hash(new_password).await?;
    let mut tx = crate::db::begin(&pool).await?;
    // Claim the link first: of two tabs using it at once, only one changes the password.
    if !store::claim_reset(&mut tx, reset.id, at).await? {
        return Err(AppError::ResetLinkInvalid);
    }
    let user = reset.user_id;
    store_new_password(
        &pool,
        tx,
        Some(UserId(user)),
        user,
        &hash,
        (AuditAction::ResetPassword, ""),
    )
    .await?;
    leptos_axum::redirect("/sign-in?reset=1");
    Ok(())
}

// ---- Password reset by SMS code ----

/// Codes sent to one account per hour; more are silently not sent (as for links).
const CODES_PER_ACCOUNT_PER_HOUR: i64 = 3;
/// Code tries from one address per 15 minutes before it is told to wait: with five tries
/// per code and three codes an hour, guessing one of a million codes stays hopeless.
const CODE_TRIES_PER_ADDRESS: i64 = 20;

fn code_hash(user: i64, code: &str) -> String {
    // The account is in the hash, so one table row says nothing about another's code.
    hex_of(&Sha256::digest(format!("{user}:{code}").as_bytes()))
}

/// Texts a reset code to the account with this mobile number, if there is one. The answer
/// is the same whether or not there is; the daily SMS caps apply, and a capped code is not
/// sent either (the refusal is recorded for the Fund). Answers the number as the portal
/// writes it, for the next form.
pub async fn request_reset_code(phone: String, client: String) -> Result<String, AppError> {
    let state = state()?;
    let Some(sms) = state.sms.clone() else {
        return Err(AppError::SmsOff);
    };
    let phone = validation::phone(&phone).map_err(|p| AppError::invalid(Field::Phone, p))?;
    let number = domain::sms::international(&phone).map_err(|p| AppError::invalid(Field::Phone, p))?;
    let pool = state.pool.clone();
    let at = now();
    let key = format!("reset:{client}");
    if store::attempts_since(&pool, &key, at - 15 * 60).await? >= PER_ADDRESS {
        return Err(AppError::Throttled { minutes: 15 });
    }
    store::record_attempt(&pool, &key, at).await?;
    let Some(account) = store::active_account_by_phone(&pool, &phone).await? else {
        return Ok(phone);
    };
    // An unconfirmed number may be someone else's (a typing mistake at registration): a
    // reset code sent there could hand the account to a stranger.
    if sms.verify_phones && account.phone_verified_at.is_none() {
        return Ok(phone);
    }
    let recipient = CodeRecipient {
        user: account.id,
        chamber_id: account.chamber_id,
        locale: &account.locale,
        number: &number,
    };
    // Whatever happened (sent, too soon, capped), the answer is the same.
    send_code(&pool, state.backend, sms.caps, recipient, store::CodePurpose::Reset, at).await?;
    Ok(phone)
}

/// Sets a new password with a code sent by SMS: the account's newest code, once, within ten
/// minutes and five tries; then every session of the account ends and every other code and
/// link of it stops working. A wrong number, a wrong code and a spent code get one answer.
pub async fn reset_password_with_code(phone: String, code: String, new_password: String) -> Result<(), AppError> {
    let pool = state()?.pool;
    let mut problems = Vec::new();
    let phone = validation::phone(&phone).map_err(|p| problems.push(FieldError::new(Field::Phone, p)));
    let code = domain::sms::code_as_typed(&code);
    if code.is_none() {
        problems.push(FieldError::new(Field::Code, Problem::WrongCode));
    }
    if let Err(problem) = validation::new_password(&new_password) {
        problems.push(FieldError::new(Field::Password, problem));
    }
    let (Ok(phone), Some(code), true) = (phone, code, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let at = now();
    let key = format!("reset-code:{}", client_address().await);
    if store::attempts_since(&pool, &key, at - 15 * 60).await? >= CODE_TRIES_PER_ADDRESS {
        return Err(AppError::Throttled { minutes: 15 });
    }
    store::record_attempt(&pool, &key, at).await?;
    let wrong = || AppError::invalid(Field::Code, Problem::WrongCode);
    let Some(account) = store::active_account_by_phone(&pool, &phone).await? else {
        return Err(wrong());
    };
    let purpose = store::CodePurpose::Reset;
    let max_tries = domain::sms::CODE_MAX_TRIES;
    let Some(live) = store::live_code(&pool, account.id, purpose, at, max_tries).await? else {
        return Err(wrong());
    };
    if live.code_hash != code_hash(account.id, &code) {
        store::count_wrong_code(&pool, live.id).await?;
        return Err(wrong());
    }
    let hash = password::hash(new_password).await?;
    let mut tx = crate::db::begin(&pool).await?;
    // Claim the code first: of two tabs using it at once, only one changes the password.
    if !store::claim_code(&mut tx, live.id, at, max_tries).await? {
        return Err(wrong());
    }
    let user = account.id;
    store_new_password(
        &pool,
        tx,
        Some(UserId(user)),
        user,
        &hash,
        (AuditAction::ResetPassword, "sms"),
    )
    .await?;
    leptos_axum::redirect("/sign-in?reset=1");
    Ok(())
}

// ---- Confirming a mobile number ----

/// What happened to a request for a confirmation code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeSent {
    Sent,
    /// Three codes in the last hour already; try later.
    TooSoon,
    /// A daily SMS cap is reached; try tomorrow.
    Capped,
}

/// Texts a confirmation code to the signed-in person's own number (at registration, when
/// the number changes, or when she asks again).
pub async fn send_phone_code(pool: &Pool, user: i64) -> Result<CodeSent, AppError> {
    let state = state()?;
    let Some(sms) = state.sms.clone() else {
        return Err(AppError::SmsOff);
    };
    let Some(own) = store::own_phone(pool, user).await? else {
        return Err(AppError::NotFound);
    };
    let Some(phone) = own.phone else {
        return Err(AppError::invalid(Field::Phone, Problem::Required));
    };
    let number = domain::sms::international(&phone).map_err(|p| AppError::invalid(Field::Phone, p))?;
    let recipient = CodeRecipient {
        user,
        chamber_id: own.chamber_id,
        locale: &own.locale,
        number: &number,
    };
    send_code(
        pool,
        state.backend,
        sms.caps,
        recipient,
        store::CodePurpose::Verify,
        now(),
    )
    .await
}

/// Whom a code goes to.
struct CodeRecipient<'a> {
    user: i64,
    chamber_id: Option<i64>,
    locale: &'a str,
    /// In international form.
    number: &'a str,
}

/// Texts a new code for `purpose` (voiding the account's earlier ones), within three an
/// hour and the daily caps. The count of the hour is read inside the queuing transaction,
/// after the SMS lock, so parallel requests cannot pass it; a capped code is not created,
/// only its refusal recorded.
async fn send_code(
    pool: &Pool,
    backend: crate::db::Backend,
    caps: domain::sms::Caps,
    to: CodeRecipient<'_>,
    purpose: store::CodePurpose,
    at: i64,
) -> Result<CodeSent, AppError> {
    // A cheap look first, without the lock.
    if store::codes_since(pool, to.user, purpose, at - 3600).await? >= CODES_PER_ACCOUNT_PER_HOUR {
        return Ok(CodeSent::TooSoon);
    }
    let code = {
        use rand::RngCore;
        domain::sms::code_from(rand::rngs::OsRng.next_u32())
    };
    let locale = locale_of(to.locale);
    let (body, kind, audit_action) = match purpose {
        store::CodePurpose::Reset => (
            crate::notify::sms::reset_code_sms(locale, &code),
            SmsKind::ResetCode,
            Some(AuditAction::RequestPasswordReset),
        ),
        store::CodePurpose::Verify => (
            crate::notify::sms::verify_code_sms(locale, &code),
            SmsKind::VerifyCode,
            None,
        ),
    };
    let mut tx = crate::db::begin(pool).await?;
    let outgoing = OutgoingSms {
        user_id: Some(to.user),
        chamber_id: to.chamber_id,
        kind,
        to_number: to.number,
        body: &body,
    };
    if let Err(reached) = queue_sms(&mut tx, backend, caps, &outgoing, at).await? {
        // The refusal is the only row written: no code exists that was never sent.
        tx.commit().await?;
        tracing::warn!(
            user_id = to.user,
            cap = reached.key(),
            purpose = purpose.key(),
            "code held back by a daily SMS cap"
        );
        return Ok(CodeSent::Capped);
    }
    if store::codes_since(&mut *tx, to.user, purpose, at - 3600).await? >= CODES_PER_ACCOUNT_PER_HOUR {
        tx.rollback().await?;
        return Ok(CodeSent::TooSoon);
    }
    store::insert_code(
        &mut tx,
        to.user,
        purpose,
        &code_hash(to.user, &code),
        at,
        at + domain::sms::CODE_VALID_SECS,
    )
    .await?;
    if let Some(action) = audit_action {
        audit::record(
            &mut *tx,
            Some(UserId(to.user)),
            action,
            AuditObject::User,
            Some(to.user),
            "sms",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(CodeSent::Sent)
}

/// Confirms the signed-in person's number with the code sent to it: the newest code, once,
/// within ten minutes and five tries.
pub async fn confirm_phone(pool: &Pool, user: i64, typed: &str) -> Result<(), AppError> {
    let wrong = || AppError::invalid(Field::Code, Problem::WrongCode);
    let code = domain::sms::code_as_typed(typed).ok_or_else(wrong)?;
    let Some(own) = store::own_phone(pool, user).await? else {
        return Err(AppError::NotFound);
    };
    let Some(phone) = own.phone else {
        return Err(wrong());
    };
    let at = now();
    let purpose = store::CodePurpose::Verify;
    let max_tries = domain::sms::CODE_MAX_TRIES;
    let Some(live) = store::live_code(pool, user, purpose, at, max_tries).await? else {
        return Err(wrong());
    };
    if live.code_hash != code_hash(user, &code) {
        store::count_wrong_code(pool, live.id).await?;
        return Err(wrong());
    }
    let mut tx = crate::db::begin(pool).await?;
    if !store::claim_code(&mut tx, live.id, at, max_tries).await?
        || !store::mark_phone_verified(&mut tx, user, &phone, at).await?
    {
        return Err(wrong());
    }
    audit::record(
        &mut *tx,
        Some(UserId(user)),
        AuditAction::VerifyPhone,
        AuditObject::User,
        Some(user),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
