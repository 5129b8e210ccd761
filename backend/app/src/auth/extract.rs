//! `FromRequest` extractors: [`ApiUser`] reads a bearer token, [`PageUser`] the session
//! cookie of the web UI. Both resolve to an [`AuthUser`]: the [`Actor`] that the services
//! take, and the session it came with.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::actor::Actor;
use crate::auth::token::TokenError;
use crate::db::{self, users};
use crate::domain::account::Role;
use crate::error::{AppError, ErrorCode};
use crate::ids::SessionId;
use crate::state::AppState;

/// The session cookie of the web UI (HttpOnly, SameSite=Lax).
pub const SESSION_COOKIE: &str = "sl_session";

/// A logged-in user whose token and session were checked on this request.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub actor: Actor,
    pub session_id: SessionId,
}

impl Deref for AuthUser {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.actor
    }
}

/// A user of the JSON API, authenticated by `Authorization: Bearer <token>`.
#[derive(Clone, Debug)]
pub struct ApiUser(pub AuthUser);

/// A caller of a public endpoint that may or may not be logged in. A token that is sent
/// must be valid: a bad one answers 401 rather than being taken for anonymous.
#[derive(Clone, Debug)]
pub struct MaybeApiUser(pub Option<AuthUser>);

/// A user of the web UI, authenticated by the session cookie.
#[derive(Clone, Debug)]
pub struct PageUser(pub AuthUser);

impl Deref for ApiUser {
    type Target = AuthUser;
    fn deref(&self) -> &AuthUser {
        &self.0
    }
}

impl Deref for PageUser {
    type Target = AuthUser;
    fn deref(&self) -> &AuthUser {
        &self.0
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let header = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = header.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

type Authenticating<T> = Pin<Box<dyn Future<Output = Result<T, AppError>>>>;

/// Checks a token's signature and expiry, then that its session is live.
async fn session_of(state: &AppState, token: &str) -> Result<AuthUser, AppError> {
    let now = state.clock.now();
    let claims = state.keys.check(token, now).map_err(|e| match e {
        TokenError::Expired => AppError::new(ErrorCode::TokenExpired),
        TokenError::Invalid => AppError::new(ErrorCode::TokenInvalid),
    })?;
    let sid = SessionId::from(claims.sid.clone());
    let found = db::run(&state.pool, move |conn| Ok(users::find_session(conn, &sid)?)).await?;
    let Some((session, user)) = found else {
        return Err(AppError::new(ErrorCode::TokenInvalid));
    };
    if session.revoked_at.is_some() {
        return Err(AppError::new(ErrorCode::TokenRevoked));
    }
    if session.expires_at <= now.naive_utc() {
        return Err(AppError::new(ErrorCode::TokenExpired));
    }
    let role: Role = user.role.parse().map_err(|e: String| AppError::internal(anyhow::anyhow!(e)))?;
    Ok(AuthUser { actor: Actor { role, user_id: user.id, org_id: user.org_id }, session_id: session.id })
}

fn authenticate(req: &HttpRequest, token: Option<String>) -> Authenticating<AuthUser> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    Box::pin(async move {
        let state = state.ok_or_else(|| AppError::internal(anyhow::anyhow!("no AppState")))?;
        let token = token.ok_or_else(|| AppError::new(ErrorCode::NotAuthenticated))?;
        session_of(&state, &token).await
    })
}

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = Authenticating<ApiUser>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = authenticate(req, bearer_token(req));
        Box::pin(async move { user.await.map(ApiUser) })
    }
}

impl FromRequest for PageUser {
    type Error = AppError;
    type Future = Authenticating<PageUser>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let user = authenticate(req, token);
        Box::pin(async move { user.await.map(PageUser) })
    }
}

/// A reader of the event feed: a user by its login token, or a partner system by its feed
/// key (a bearer token that starts with `slp_`), which the events service checks.
#[derive(Clone, Debug)]
pub enum FeedCaller {
    User(AuthUser),
    PartnerKey(String),
}

impl FromRequest for FeedCaller {
    type Error = AppError;
    type Future = Authenticating<FeedCaller>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        match bearer_token(req) {
            Some(token) if token.starts_with(crate::codes::PARTNER_KEY_PREFIX) => {
                Box::pin(async move { Ok(FeedCaller::PartnerKey(token)) })
            }
            token => {
                let user = authenticate(req, token);
                Box::pin(async move { user.await.map(FeedCaller::User) })
            }
        }
    }
}

impl FromRequest for MaybeApiUser {
    type Error = AppError;
    type Future = Authenticating<MaybeApiUser>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        match bearer_token(req) {
            None => Box::pin(async { Ok(MaybeApiUser(None)) }),
            Some(token) => {
                let user = authenticate(req, Some(token));
                Box::pin(async move { user.await.map(|u| MaybeApiUser(Some(u))) })
            }
        }
    }
}
