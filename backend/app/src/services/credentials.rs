//! Credentials only the worker knows. An agency registers a worker's record but never sets
//! or sees its password: the worker activates its account with a one-time code that reaches
//! it by its own channel — its e-mail or phone, through a notice — or from an authority
//! officer in person, who checks the identity document first. The code is single-use,
//! expires, is tried a few times at most and is stored only as a hash; the worker then sets
//! its own password. A forgotten password is reset the same way, and a password is changed
//! while logged in.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::actor::{Actor, Scope};
use crate::auth::password;
use crate::codes::one_time_code;
use crate::db::credentials::{self as store, CodeRow};
use crate::db::{self, DbConnection, users};
use crate::domain::account::{NewPassword, Role, SignIn};
use crate::domain::calendar::china_day;
use crate::domain::worker::normalise_document_number;
use crate::error::{AppError, ErrorCode};
use crate::ids::{SessionId, UserId, WorkerId};
use crate::services::accounts::{self, AuthMethod, LoggedIn, hash_password, invalid};
use crate::services::agencies::require_active_licence;
use crate::services::authorities::scope_in;
use crate::services::events::notices;
use crate::services::limits::{self, Limit};
use crate::services::{audit, workers};
use crate::state::AppState;

/// How an activation code reaches the worker.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivationRequest {
    /// An authority officer hands the code over in person, after checking the worker's
    /// identity document: the answer carries the code, this once (regulators only). Otherwise
    /// the code goes to the worker's own e-mail, else its phone.
    #[serde(default)]
    pub in_person: bool,
    /// In person: the number on the document the officer checked; it must be the record's.
    pub id_document_number: Option<String>,
}

/// Where an activation code went.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActivationSent {
    /// email, sms or in_person
    pub channel: String,
    /// What the worker signs in with, mostly hidden: `h…@example.vn`, `+84 … 678`.
    pub sign_in: String,
    pub expires_at: DateTime<Utc>,
    /// In person only: the code, shown this once and never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A one-time code redeemed for a password of one's own.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRedemption {
    /// The e-mail address or phone number the code was sent for.
    #[schema(example = "+84 912 345 678")]
    pub email_or_phone: String,
    #[schema(example = "40718253")]
    pub code: String,
    /// The new password: at least 10 characters, not a common one.
    pub password: String,
}

/// A forgotten password: where to send the reset code.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email_or_phone: String,
}

/// A password changed while logged in.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// What a code is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Activation,
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Activation => "activation",
            Purpose::Reset => "reset",
        }
    }
}

fn invalid_code() -> AppError {
    AppError::new(ErrorCode::InvalidCode).with_detail("the code is wrong, has expired or was used already")
}

fn taken() -> AppError {
    AppError::new(ErrorCode::Conflict)
        .with_detail("this e-mail address or phone number already belongs to another account")
}

/// What a worker signs in with: its e-mail address, else its phone number.
fn sign_in_of(worker: &workers::Worker) -> Result<SignIn, AppError> {
    let email = worker.email.as_deref().and_then(|e| SignIn::parse(e).ok());
    let phone = worker.phone.as_deref().and_then(|p| SignIn::parse(p).ok());
    email.or(phone).ok_or_else(|| {
        invalid("phone", "the worker has no e-mail address or phone number to sign in with: add one first")
    })
}

/// The account's two sign-in columns for one address: its e-mail, or its phone.
fn columns(sign_in: &SignIn) -> (Option<&str>, Option<&str>) {
    match sign_in {
        SignIn::Email(email) => (Some(email.as_str()), None),
        SignIn::Phone(phone) => (None, Some(phone.as_str())),
    }
}

/// Refuses (409) addresses another account already signs in with.
fn require_free(
    conn: &mut DbConnection,
    (email, phone): (Option<&str>, Option<&str>),
    own: Option<&UserId>,
) -> Result<(), AppError> {
    let others = |row: Option<users::UserRow>| row.is_some_and(|u| Some(&u.id) != own);
    if let Some(email) = email
        && others(users::find_user_by_email(conn, email)?)
    {
        return Err(taken());
    }
    if let Some(phone) = phone
        && others(users::find_user_by_phone(conn, phone)?)
    {
        return Err(taken());
    }
    Ok(())
}

/// A new code row for `owner`, replacing its live codes of the same purpose; returns the row
/// and the code, which only the caller sees.
#[allow(clippy::too_many_arguments)]
fn new_code(
    conn: &mut DbConnection,
    key: &[u8],
    purpose: Purpose,
    owner: (Option<&WorkerId>, Option<&UserId>),
    channel: &str,
    sign_in: &SignIn,
    by: Option<&UserId>,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<(CodeRow, String), AppError> {
    store::replace_codes(conn, purpose.as_str(), owner, now.naive_utc())?;
    let id = uuid::Uuid::now_v7().to_string();
    let code = one_time_code(key, &id);
    let row = CodeRow {
        code_hash: password::hash(&code).map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?,
        id,
        purpose: purpose.as_str().to_owned(),
        worker_id: owner.0.cloned(),
        user_id: owner.1.cloned(),
        channel: channel.to_owned(),
        address: sign_in.as_str().to_owned(),
        created_by: by.cloned(),
        created_at: now.naive_utc(),
        expires_at: (now + ttl).naive_utc(),
        attempts: 0,
        ended_at: None,
        ended_as: None,
    };
    store::insert_code(conn, &row)?;
    Ok((row, code))
}

/// The channel a code for `sign_in` is sent by.
fn channel_of(sign_in: &SignIn) -> &'static str {
    match sign_in {
        SignIn::Email(_) => "email",
        SignIn::Phone(_) => "sms",
    }
}

/// An agency (its own worker, while its licence is active) or a regulator has an activation
/// code sent to the worker's own channel; a regulator may instead hand it over in person,
/// after checking the identity document, and the answer then carries the code once. Never
/// to the agency. Anyone else: 404.
pub async fn request_activation(
    state: &AppState,
    actor: &Actor,
    worker_id: &WorkerId,
    request: ActivationRequest,
) -> Result<ActivationSent, AppError> {
    if !matches!(actor.role, Role::Regulator | Role::Agency) {
        return Err(AppError::not_found());
    }
    if request.in_person && actor.role != Role::Regulator {
        return Err(
            AppError::forbidden().with_detail("only an authority officer hands a code over in person")
        );
    }
    let (reader, id, now) = (actor.clone(), worker_id.clone(), state.clock.now());
    let address = db::run(&state.pool, move |conn| {
        let scope = scope_in(conn, &reader)?;
        sign_in_of(&workers::find_visible(conn, &id, &scope)?)
    })
    .await?;
    let sent_limit = Limit::hourly("codes-sent", state.settings.limits.codes_sent_per_address_hourly);
    limits::hit(state, vec![(sent_limit, address.as_str().to_owned())]).await?;
    let (actor, id) = (actor.clone(), worker_id.clone());
    let ttl = Duration::hours(state.settings.accounts.activation_code_ttl_hours);
    let key = state.keys.secret().to_vec();
    db::transaction(&state.pool, move |conn| {
        request_activation_in(conn, &key, &actor, &id, request, ttl, now)
    })
    .await
}

pub fn request_activation_in(
    conn: &mut DbConnection,
    key: &[u8],
    actor: &Actor,
    id: &WorkerId,
    request: ActivationRequest,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<ActivationSent, AppError> {
    let scope = scope_in(conn, actor)?;
    if let Scope::Agency(agency_id) = &scope {
        require_active_licence(conn, agency_id, china_day(now))?;
    }
    let worker = workers::find_visible(conn, id, &scope)?;
    if request.in_person {
        let given = request.id_document_number.as_deref().map(normalise_document_number).unwrap_or_default();
        if given.is_empty() || Some(given) != worker.id_document_number {
            return Err(invalid("id_document_number", "not the number of the worker's registered document"));
        }
    }
    let account = users::find_worker_account(conn, id.as_str())?;
    if account.as_ref().is_some_and(|a| a.activated_at.is_some()) {
        return Err(AppError::new(ErrorCode::Conflict).with_detail(
            "the worker has activated its account; a forgotten password is reset by the worker",
        ));
    }
    let sign_in = sign_in_of(&worker)?;
    require_free(conn, columns(&sign_in), account.as_ref().map(|a| &a.id))?;
    let channel = if request.in_person { "in_person" } else { channel_of(&sign_in) };
    let (row, code) = new_code(
        conn,
        key,
        Purpose::Activation,
        (Some(id), None),
        channel,
        &sign_in,
        Some(&actor.user_id),
        now,
        ttl,
    )?;
    if !request.in_person {
        let lang = account.and_then(|a| a.language);
        notices::code_notice(conn, &row, "activation", lang.as_deref(), now)?;
    }
    audit::record(
        conn,
        Some(&actor.user_id),
        "worker.activation_code",
        ("worker", id.as_str()),
        json!({"channel": channel, "expires_at": row.expires_at.and_utc()}),
        now,
    )?;
    Ok(ActivationSent {
        channel: channel.to_owned(),
        sign_in: sign_in.masked(),
        expires_at: row.expires_at.and_utc(),
        code: request.in_person.then_some(code),
    })
}

/// The limits a code redemption counts against: the address it names, and the client.
fn redemption_limits(state: &AppState, address: &str, client: Option<IpAddr>) -> Vec<(Limit, String)> {
    let settings = state.settings.limits;
    let mut hits = vec![(
        Limit::hourly("code-tries-address", settings.code_tries_per_address_hourly),
        address.to_owned(),
    )];
    if let Some(client) = client {
        hits.push((
            Limit::hourly("code-tries-client", settings.code_tries_per_client_hourly),
            client.to_string(),
        ));
    }
    hits
}

/// The input of a redemption, checked: the address, the code as typed, the new password.
fn parse_redemption(input: &CodeRedemption) -> Result<(SignIn, String, NewPassword), AppError> {
    let sign_in = SignIn::parse(&input.email_or_phone).map_err(|e| invalid("email_or_phone", e))?;
    let password = NewPassword::parse(&input.password).map_err(|e| invalid("password", e))?;
    let code: String = input.code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    Ok((sign_in, code, password))
}

/// The live code of `purpose` for `sign_in` that `code` is, ended as used; else every live
/// code for the address counts a wrong try and the answer is `invalid_code` — the same for a
/// wrong, expired, used or replaced code. The outer `Ok` lets the caller commit the count.
fn redeem(
    conn: &mut DbConnection,
    purpose: Purpose,
    sign_in: &SignIn,
    code: &str,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Result<Result<CodeRow, AppError>, AppError> {
    let live = store::live_codes(conn, purpose.as_str(), sign_in.as_str(), now.naive_utc())?;
    let matching = live.iter().find(|row| password::verify(code, &row.code_hash)).cloned();
    if live.is_empty() {
        password::verify_against_nothing(code);
    }
    let Some(row) = matching else {
        let ids: Vec<String> = live.into_iter().map(|row| row.id).collect();
        store::count_wrong_try(conn, &ids, max_attempts, now.naive_utc())?;
        return Ok(Err(invalid_code()));
    };
    if store::use_code(conn, &row.id, now.naive_utc())? == 0 {
        return Ok(Err(invalid_code()));
    }
    Ok(Ok(row))
}

/// The worker redeems its activation code: its account (made now, or the one its agency
/// made with a password it chose) gets the worker's own password and signs in with the
/// address the code was made for; every earlier session ends. 401 `invalid_code` for a wrong,
/// expired or used code alike; 429 `rate_limited` after too many tries.
pub async fn activate(
    state: &AppState,
    client: Option<IpAddr>,
    input: CodeRedemption,
) -> Result<LoggedIn, AppError> {
    let logged_in = redeem_for_session(state, client, input, AuthMethod::Activation, activate_in).await?;
    tracing::info!(user_id = %logged_in.user.id, "worker account activated");
    Ok(logged_in)
}

/// What a code does once it is found good: sets the account's password (hashed already) and
/// answers the account; or the refusal, for the caller to commit the wrong try with.
type Redemption = fn(
    &mut DbConnection,
    &SignIn,
    &str,
    &str,
    i32,
    DateTime<Utc>,
) -> Result<Result<UserId, AppError>, AppError>;

/// A code redeemed for a password of one's own and a session: the input checked, the try
/// counted against the limits, then `apply` and the new session in one transaction.
async fn redeem_for_session(
    state: &AppState,
    client: Option<IpAddr>,
    input: CodeRedemption,
    method: AuthMethod,
    apply: Redemption,
) -> Result<LoggedIn, AppError> {
    let (sign_in, code, password) = parse_redemption(&input)?;
    limits::hit(state, redemption_limits(state, sign_in.as_str(), client)).await?;
    let now = state.clock.now();
    let ttl = Duration::minutes(state.settings.auth.token_ttl_minutes);
    let max_attempts = state.settings.accounts.code_max_attempts;
    let hash = hash_password(&password)?;
    let redeemed = db::transaction(&state.pool, move |conn| {
        let user_id = match apply(conn, &sign_in, &code, &hash, max_attempts, now)? {
            Ok(user_id) => user_id,
            Err(refused) => return Ok(Err(refused)),
        };
        let session = accounts::open_session(conn, &user_id, method, now, ttl)?;
        Ok(Ok((users::find_user(conn, &user_id)?, session)))
    })
    .await?;
    let (user, session) = redeemed?;
    accounts::token_for(state, user, session, now, now + ttl)
}

/// [`activate`] inside the caller's transaction, with the new password already hashed:
/// returns the account, or the refusal for the caller to commit the wrong try with.
pub fn activate_in(
    conn: &mut DbConnection,
    sign_in: &SignIn,
    code: &str,
    password_hash: &str,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Result<Result<UserId, AppError>, AppError> {
    let row = match redeem(conn, Purpose::Activation, sign_in, code, max_attempts, now)? {
        Ok(row) => row,
        Err(refused) => return Ok(Err(refused)),
    };
    let worker_id = row.worker_id.clone().ok_or_else(invalid_code)?;
    // The account signs in with the address the code was made for.
    let (email, phone) = columns(sign_in);
    let account = users::find_worker_account(conn, worker_id.as_str())?;
    require_free(conn, (email, phone), account.as_ref().map(|a| &a.id))?;
    let (email, phone) = (email.map(str::to_owned), phone.map(str::to_owned));
    let at = now.naive_utc();
    let user_id = match account {
        Some(account) => {
            users::set_credentials(
                conn,
                &account.id,
                password_hash,
                (email.as_deref(), phone.as_deref()),
                at,
            )?;
            // The agency that chose the first password may hold a session: it ends here.
            users::revoke_sessions_of(conn, &account.id, None, at)?;
            account.id
        }
        None => {
            let row = users::UserRow {
                id: UserId::generate(),
                email,
                phone,
                password_hash: password_hash.to_owned(),
                role: Role::Worker.as_str().to_owned(),
                org_id: Some(worker_id.clone().into()),
                created_at: at,
                language: None,
                activated_at: Some(at),
            };
            users::insert_user(conn, &row)?;
            row.id
        }
    };
    audit::record(
        conn,
        Some(&user_id),
        "worker.activated",
        ("worker", worker_id.as_str()),
        json!({"channel": row.channel, "code_id": row.id}),
        now,
    )?;
    Ok(Ok(user_id))
}

/// A person who forgot its password asks for a reset code, sent to the address it signs in
/// with (e-mail, or a worker's phone). The answer is the same whether or not an account
/// signs in with it.
pub async fn request_reset(
    state: &AppState,
    client: Option<IpAddr>,
    input: ResetRequest,
) -> Result<(), AppError> {
    let sign_in = SignIn::parse(&input.email_or_phone).map_err(|e| invalid("email_or_phone", e))?;
    let settings = state.settings.limits;
    let mut hits = vec![(
        Limit::hourly("codes-sent", settings.codes_sent_per_address_hourly),
        sign_in.as_str().to_owned(),
    )];
    if let Some(client) = client {
        hits.push((Limit::hourly("resets-client", settings.resets_per_client_hourly), client.to_string()));
    }
    limits::hit(state, hits).await?;
    let now = state.clock.now();
    let ttl = Duration::minutes(state.settings.accounts.reset_code_ttl_minutes);
    let key = state.keys.secret().to_vec();
    db::transaction(&state.pool, move |conn| {
        let Some(user) = accounts::find_by_sign_in(conn, &sign_in)? else {
            // As long as hashing a new code takes: the timing tells no more than the answer.
            password::verify_against_nothing(sign_in.as_str());
            return Ok(());
        };
        let channel = channel_of(&sign_in);
        let (row, _) =
            new_code(conn, &key, Purpose::Reset, (None, Some(&user.id)), channel, &sign_in, None, now, ttl)?;
        notices::code_notice(conn, &row, "reset", user.language.as_deref(), now)?;
        audit::record(
            conn,
            None,
            "account.reset_requested",
            ("user", user.id.as_str()),
            json!({"channel": channel}),
            now,
        )
    })
    .await
}

/// The reset code redeemed for a new password; every earlier session ends. A worker's
/// account counts as its own from then on: the code reached the worker's channel.
pub async fn confirm_reset(
    state: &AppState,
    client: Option<IpAddr>,
    input: CodeRedemption,
) -> Result<LoggedIn, AppError> {
    redeem_for_session(state, client, input, AuthMethod::Reset, reset_in).await
}

/// [`confirm_reset`]'s work inside its transaction, as [`activate_in`] is [`activate`]'s.
fn reset_in(
    conn: &mut DbConnection,
    sign_in: &SignIn,
    code: &str,
    password_hash: &str,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Result<Result<UserId, AppError>, AppError> {
    let row = match redeem(conn, Purpose::Reset, sign_in, code, max_attempts, now)? {
        Ok(row) => row,
        Err(refused) => return Ok(Err(refused)),
    };
    let user = users::find_user(conn, &row.user_id.clone().ok_or_else(invalid_code)?)?;
    let activated = user.activated_at.unwrap_or(now.naive_utc());
    let sign_ins = (user.email.as_deref(), user.phone.as_deref());
    users::set_credentials(conn, &user.id, password_hash, sign_ins, activated)?;
    users::revoke_sessions_of(conn, &user.id, None, now.naive_utc())?;
    let detail = json!({"channel": row.channel});
    audit::record(conn, Some(&user.id), "account.password_reset", ("user", user.id.as_str()), detail, now)?;
    Ok(Ok(user.id))
}

/// The signed-in person changes its password, proving it knows the current one; its other
/// sessions end. It does not activate a worker's account: the agency that chose the first
/// password knows it too.
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    session: &SessionId,
    input: PasswordChange,
) -> Result<(), AppError> {
    let password = NewPassword::parse(&input.new_password).map_err(|e| invalid("new_password", e))?;
    let tries = Limit::hourly("password-change", state.settings.limits.code_tries_per_address_hourly);
    limits::hit(state, vec![(tries, actor.user_id.to_string())]).await?;
    let (actor, session, now) = (actor.clone(), session.clone(), state.clock.now());
    let hash = hash_password(&password)?;
    db::transaction(&state.pool, move |conn| {
        let user = users::find_user(conn, &actor.user_id)?;
        if !password::verify(&input.current_password, &user.password_hash) {
            return Err(
                invalid("current_password", "not your current password").with("reason", "wrong_password")
            );
        }
        users::set_password(conn, &user.id, &hash)?;
        users::revoke_sessions_of(conn, &user.id, Some(&session), now.naive_utc())?;
        audit::record(
            conn,
            Some(&user.id),
            "account.password_changed",
            ("user", user.id.as_str()),
            json!({}),
            now,
        )
    })
    .await
}
