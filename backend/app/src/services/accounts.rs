//! Logging in and out, checking a token, and creating accounts.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::actor::Actor;
use crate::auth::password;
use crate::auth::token::Claims;
use crate::db::{self, DbConnection, users};
use crate::domain::account::{Email, NewPassword, Role};
use crate::error::{AppError, ErrorCode};
use crate::ids::{OrgId, SessionId, UserId};
use crate::state::AppState;

/// The account as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    pub org_id: Option<OrgId>,
    /// The language chosen for notices (zh-CN, vi or en); absent: the role's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl TryFrom<users::UserRow> for UserView {
    type Error = AppError;
    fn try_from(row: users::UserRow) -> Result<Self, AppError> {
        Ok(UserView {
            role: parse_role(&row.role)?,
            id: row.id,
            email: row.email,
            org_id: row.org_id,
            language: row.language,
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

/// Checks the credentials and opens a session. Unknown e-mail and wrong password answer
/// alike, in the same time.
pub async fn login(state: &AppState, email: &str, password: &str) -> Result<LoggedIn, AppError> {
    let now = state.clock.now();
    let expires_at = now + Duration::minutes(state.settings.auth.token_ttl_minutes);
    let email = email.trim().to_lowercase();
    let password = password.to_owned();
    let (user, session_id) = db::run(&state.pool, move |conn| {
        let Some(user) = users::find_user_by_email(conn, &email)? else {
            password::verify_against_nothing(&password);
            return Err(AppError::new(ErrorCode::InvalidCredentials));
        };
        if !password::verify(&password, &user.password_hash) {
            return Err(AppError::new(ErrorCode::InvalidCredentials));
        }
        let session = users::SessionRow {
            id: SessionId::generate(),
            user_id: user.id.clone(),
            created_at: now.naive_utc(),
            expires_at: expires_at.naive_utc(),
            revoked_at: None,
        };
        users::insert_session(conn, &session)?;
        Ok((user, session.id))
    })
    .await?;
    let user = UserView::try_from(user)?;
    let claims = Claims {
        sub: user.id.to_string(),
        sid: session_id.into_string(),
        role: user.role,
        iat: now.timestamp(),
        exp: expires_at.timestamp(),
    };
    let token = state.keys.issue(&claims).map_err(AppError::internal)?;
    tracing::info!(user_id = %user.id, "logged in");
    Ok(LoggedIn { token, expires_at, user })
}

/// Ends the session: its token stops working at once.
pub async fn logout(state: &AppState, session_id: &SessionId) -> Result<(), AppError> {
    let now = state.clock.now().naive_utc();
    let session_id = session_id.clone();
    db::run(&state.pool, move |conn| Ok(users::revoke_session(conn, &session_id, now)?)).await?;
    Ok(())
}

/// A regulator adds a colleague (the first regulator comes from `seasonlink create-regulator`).
pub async fn create_regulator(
    state: &AppState,
    actor: &Actor,
    email: &str,
    password: &str,
) -> Result<UserView, AppError> {
    actor.require(Role::Regulator)?;
    let (account, now) = (NewAccount::parse(email, password, Role::Regulator, None)?, state.clock.now());
    let created = db::transaction(&state.pool, move |conn| create_user(conn, &account, now)).await?;
    tracing::info!(by = %actor.user_id, user_id = %created.id, "regulator account created");
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
    pub password: NewPassword,
    pub role: Role,
    pub org_id: Option<OrgId>,
}

impl NewAccount {
    /// Parses untrusted input; a bad field answers 422 `validation_failed` naming it.
    pub fn parse(email: &str, password: &str, role: Role, org_id: Option<OrgId>) -> Result<Self, AppError> {
        let email = Email::parse(email).map_err(|e| invalid("email", e))?;
        let password = NewPassword::parse(password).map_err(|e| invalid("password", e))?;
        Ok(NewAccount { email, password, role, org_id })
    }
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
        email: account.email.as_str().to_owned(),
        password_hash: password::hash(account.password.expose())
            .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?,
        role: account.role.as_str().to_owned(),
        org_id: account.org_id.clone(),
        created_at: now.naive_utc(),
        language: None,
    };
    users::insert_user(conn, &row)?;
    UserView::try_from(row)
}
