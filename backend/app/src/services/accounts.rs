//! Logging in and out, checking a token, and creating accounts.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::actor::Actor;
use crate::auth::password;
use crate::auth::token::Claims;
use crate::db::{self, DbConnection, users};
use crate::domain::account::{Email, NewPassword, Role, SignIn};
use crate::error::{AppError, ErrorCode};
use crate::ids::{AuthorityId, OrgId, SessionId, UserId};
use crate::services::limits::{self, Limit};
use crate::state::AppState;

/// The account as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: UserId,
    /// What the account signs in with: its e-mail address, and (a worker's) its phone
    /// number; at least one of the two.
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub role: Role,
    pub org_id: Option<OrgId>,
    /// The language chosen for notices (zh-CN, vi or en); absent: the role's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Whether the person set its own password. A worker's account made with a password its
    /// agency chose is not, and accepts no contract until the worker activates it.
    pub activated: bool,
}

impl TryFrom<users::UserRow> for UserView {
    type Error = AppError;
    fn try_from(row: users::UserRow) -> Result<Self, AppError> {
        Ok(UserView {
            role: parse_role(&row.role)?,
            id: row.id,
            email: row.email,
            phone: row.phone,
            org_id: row.org_id,
            language: row.language,
            activated: row.activated_at.is_some(),
        })
    }
}

/// A role as stored; anything else is a fault of the database, not of the caller.
fn parse_role(stored: &str) -> Result<Role, AppError> {
    stored.parse().map_err(|e: String| AppError::internal(anyhow::anyhow!(e)))
}

#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserView,
}

/// How a session's user proved who it is (`sessions.auth_method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    /// Its password.
    Password,
    /// A one-time activation code from its own channel (or an authority officer), then a
    /// password of its own.
    Activation,
    /// A one-time reset code from its own channel, then a new password.
    Reset,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Password => "password",
            AuthMethod::Activation => "activation",
            AuthMethod::Reset => "reset",
        }
    }
}

/// Checks the credentials and opens a session. `sign_in` is an e-mail address or, for a
/// worker, its phone number. Unknown accounts and wrong passwords answer alike, in the same
/// time.
pub async fn login(
    state: &AppState,
    client: Option<IpAddr>,
    sign_in: &str,
    password: &str,
) -> Result<LoggedIn, AppError> {
    let now = state.clock.now();
    let ttl = Duration::minutes(state.settings.auth.token_ttl_minutes);
    let sign_in = SignIn::parse(sign_in).ok();
    let guard = LoginGuard::new(state, client, sign_in.as_ref());
    // Every try from a client counts before any work is done.
    limits::hit(state, guard.tries).await?;
    let password = password.to_owned();
    let failures = guard.failures.clone();
    let found = db::run(&state.pool, move |conn| {
        for (limit, subject) in &failures {
            limits::check(conn, *limit, subject, 1, now)?;
        }
        match &sign_in {
            Some(sign_in) => find_by_sign_in(conn, sign_in),
            None => Ok(None),
        }
    })
    .await?;
    // The slow hash is checked off the database's connections, on a blocking thread.
    let verified = actix_web::web::block(move || match found {
        Some(user) if password::verify(&password, &user.password_hash) => Some(user),
        Some(_) => None,
        None => {
            password::verify_against_nothing(&password);
            None
        }
    })
    .await
    .map_err(AppError::internal)?;
    let Some(user) = verified else {
        // A failure counts against the account; the refusal stays "invalid credentials"
        // until the next try, which the check above refuses.
        let failures = guard.failures;
        let _refused = db::transaction(&state.pool, move |conn| limits::hit_in(conn, &failures, now)).await?;
        return Err(AppError::new(ErrorCode::InvalidCredentials));
    };
    let user_id = user.id.clone();
    let session_id =
        db::run(&state.pool, move |conn| open_session(conn, &user_id, AuthMethod::Password, now, ttl))
            .await?;
    let logged_in = token_for(state, user, session_id, now, now + ttl)?;
    tracing::info!(user_id = %logged_in.user.id, "logged in");
    Ok(logged_in)
}

/// What a login counts against: every try, per client; failed tries, per account and client
/// (a short lock-out: one guesser's address, a quarter of an hour) and per account from any
/// address (an hour; high enough that locking a victim out takes many addresses).
struct LoginGuard {
    tries: Vec<(Limit, String)>,
    failures: Vec<(Limit, String)>,
}

impl LoginGuard {
    fn new(state: &AppState, client: Option<IpAddr>, sign_in: Option<&SignIn>) -> LoginGuard {
        let settings = &state.settings.limits;
        let tries =
            limits::per_client(Limit::hourly("login-client", settings.login_tries_per_client_hourly), client);
        let client = client.map(|ip| ip.to_string());
        let mut guard = LoginGuard { tries, failures: Vec::new() };
        if let Some(account) = sign_in.map(SignIn::as_str) {
            let pair = Limit {
                name: "login-failures-client",
                max: settings.login_failures_per_account_and_client,
                window: Duration::minutes(15),
            };
            guard.failures.push((pair, format!("{account} {}", client.as_deref().unwrap_or("-"))));
            guard.failures.push((
                Limit::hourly("login-failures", settings.login_failures_per_account_hourly),
                account.to_owned(),
            ));
        }
        guard
    }
}

/// The account that signs in with `sign_in`.
pub fn find_by_sign_in(
    conn: &mut DbConnection,
    sign_in: &SignIn,
) -> Result<Option<users::UserRow>, AppError> {
    Ok(match sign_in {
        SignIn::Email(email) => users::find_user_by_email(conn, email.as_str())?,
        SignIn::Phone(phone) => users::find_user_by_phone(conn, phone.as_str())?,
    })
}

/// Opens a session for `user_id`, proved by `method`.
pub fn open_session(
    conn: &mut DbConnection,
    user_id: &UserId,
    method: AuthMethod,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<SessionId, AppError> {
    let session = users::SessionRow {
        id: SessionId::generate(),
        user_id: user_id.clone(),
        created_at: now.naive_utc(),
        expires_at: (now + ttl).naive_utc(),
        revoked_at: None,
        auth_method: method.as_str().to_owned(),
    };
    users::insert_session(conn, &session)?;
    Ok(session.id)
}

/// The signed token of an opened session.
pub fn token_for(
    state: &AppState,
    user: users::UserRow,
    session_id: SessionId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<LoggedIn, AppError> {
    let user = UserView::try_from(user)?;
    let claims = Claims {
        sub: user.id.to_string(),
        sid: session_id.into_string(),
        role: user.role,
        iat: now.timestamp(),
        exp: expires_at.timestamp(),
    };
    let token = state.keys.issue(&claims).map_err(AppError::internal)?;
    Ok(LoggedIn { token, expires_at, user })
}

/// Ends the session: its token stops working at once.
pub async fn logout(state: &AppState, session_id: &SessionId) -> Result<(), AppError> {
    let now = state.clock.now().naive_utc();
    let session_id = session_id.clone();
    db::run(&state.pool, move |conn| Ok(users::revoke_session(conn, &session_id, now)?)).await?;
    Ok(())
}

/// A regulator adds a colleague (the first regulator comes from `seasonlink create-regulator`)
/// for `authority` (default: the creator's own authority); audited.
pub async fn create_regulator(
    state: &AppState,
    actor: &Actor,
    email: &str,
    password: &str,
    authority: Option<AuthorityId>,
) -> Result<UserView, AppError> {
    let own = actor.authority_id()?;
    let account = NewAccount::parse(email, password, Role::Regulator, None).await?;
    let (by, now) = (actor.user_id.clone(), state.clock.now());
    let created = db::transaction(&state.pool, move |conn| {
        let authority = match authority {
            Some(id) => crate::services::authorities::find_in(conn, &id, "authority_id")?.id,
            None => own,
        };
        create_regulator_in(conn, Some(&by), account, &authority, now)
    })
    .await?;
    tracing::info!(by = %actor.user_id, user_id = %created.id, "regulator account created");
    Ok(created)
}

/// A regulator's account for `authority`, made by `by` (none: the command line), audited as
/// `regulator.created`; inside the caller's transaction.
pub fn create_regulator_in(
    conn: &mut DbConnection,
    by: Option<&UserId>,
    account: NewAccount,
    authority: &AuthorityId,
    now: DateTime<Utc>,
) -> Result<UserView, AppError> {
    let account = NewAccount { org_id: Some(authority.clone().into()), ..account };
    let created = create_user(conn, &account, now)?;
    let detail = serde_json::json!({"authority_id": authority});
    crate::services::audit::record(
        conn,
        by,
        "regulator.created",
        ("user", created.id.as_str()),
        detail,
        now,
    )?;
    Ok(created)
}

/// The caller's own account.
pub async fn find_user(state: &AppState, actor: &Actor) -> Result<UserView, AppError> {
    let user_id = actor.user_id.clone();
    db::run(&state.pool, move |conn| UserView::try_from(users::find_user(conn, &user_id)?)).await
}

/// What a user may change of its own account.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatch {
    /// The language of the notices it receives: zh-CN, vi or en; null for the role's own.
    #[schema(example = "vi")]
    pub language: Option<String>,
}

/// The caller chooses the language of its notices.
pub async fn update_own(state: &AppState, actor: &Actor, patch: AccountPatch) -> Result<UserView, AppError> {
    let language = match patch.language.as_deref() {
        None => None,
        Some(tag) => Some(
            crate::i18n::Lang::ALL
                .into_iter()
                .find(|lang| lang.tag() == tag)
                .ok_or_else(|| invalid("language", "zh-CN, vi or en"))?
                .tag(),
        ),
    };
    let user_id = actor.user_id.clone();
    db::run(&state.pool, move |conn| {
        users::set_language(conn, &user_id, language)?;
        UserView::try_from(users::find_user(conn, &user_id)?)
    })
    .await
}

/// A new account, validated.
#[derive(Debug)]
pub struct NewAccount {
    pub email: Email,
    /// The stored form of its password ([`hash_password`]).
    pub password_hash: String,
    pub role: Role,
    pub org_id: Option<OrgId>,
}

impl NewAccount {
    /// Parses untrusted input (a bad field answers 422 `validation_failed` naming it) and
    /// hashes the password on a thread that may block: argon2 takes tens of milliseconds of
    /// CPU, spent neither on a server's worker nor while holding one of the pool's connections.
    pub async fn parse(
        email: &str,
        password: &str,
        role: Role,
        org_id: Option<OrgId>,
    ) -> Result<Self, AppError> {
        let (email, password) = (email.to_owned(), password.to_owned());
        actix_web::web::block(move || Self::parse_here(&email, &password, role, org_id)).await?
    }

    /// [`parse`](Self::parse), hashing on this thread: for the command line and the demo
    /// loader, whose threads may block.
    pub fn parse_here(
        email: &str,
        password: &str,
        role: Role,
        org_id: Option<OrgId>,
    ) -> Result<Self, AppError> {
        let email = Email::parse(email).map_err(|e| invalid("email", e))?;
        let password = NewPassword::parse(password).map_err(|e| invalid("password", e))?;
        Ok(NewAccount { email, password_hash: hash_password(&password)?, role, org_id })
    }
}

/// The stored form of a new password.
pub fn hash_password(password: &NewPassword) -> Result<String, AppError> {
    password::hash(password.expose()).map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))
}

pub fn invalid(field: &str, problem: &str) -> AppError {
    AppError::new(ErrorCode::ValidationFailed).with_detail(format!("{field}: {problem}")).with("field", field)
}

/// Inserts the account; an e-mail already in use answers 409 `conflict`.
pub fn create_user(
    conn: &mut DbConnection,
    account: &NewAccount,
    now: DateTime<Utc>,
) -> Result<UserView, AppError> {
    if users::find_user_by_email(conn, account.email.as_str())?.is_some() {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("this e-mail already has an account"));
    }
    let row = users::UserRow {
        id: UserId::generate(),
        email: Some(account.email.as_str().to_owned()),
        phone: None,
        password_hash: account.password_hash.clone(),
        role: account.role.as_str().to_owned(),
        org_id: account.org_id.clone(),
        created_at: now.naive_utc(),
        language: None,
        // Its own password: whoever creates an account here chooses it for itself.
        activated_at: Some(now.naive_utc()),
    };
    users::insert_user(conn, &row)?;
    UserView::try_from(row)
}
