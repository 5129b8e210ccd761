//! What a page handler takes instead of checking by hand: the signed-in user of one role
//! ([`Regulator`], [`Employer`], [`Agency`], [`Worker`]) or of any role ([`SignedIn`], for a
//! page every party reads, where the service decides by the actor) and a form whose CSRF
//! token has been checked ([`CheckedForm`]). A visitor is sent to the login page; another role, a bad
//! token or a malformed form gets the error page in the reader's language.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;

use super::PageError;
use crate::auth::{AuthUser, PageUser, csrf};
use crate::domain::account::Role;
use crate::error::{AppError, ErrorCode};

type Extracting<T> = Pin<Box<dyn Future<Output = Result<T, PageError>>>>;

/// The signed-in user if it has `role`: a visitor is sent to log in, another role gets 403.
fn signed_in_as(req: &HttpRequest, payload: &mut Payload, role: Role) -> Extracting<AuthUser> {
    let user = Option::<PageUser>::from_request(req, payload);
    Box::pin(async move {
        match user.await {
            Ok(Some(user)) if user.role == role => Ok(user.0),
            Ok(Some(_)) => Err(PageError(AppError::forbidden())),
            _ => Err(PageError(AppError::new(ErrorCode::NotAuthenticated))),
        }
    })
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name(pub AuthUser);

        impl Deref for $name {
            type Target = AuthUser;
            fn deref(&self) -> &AuthUser {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = PageError;
            type Future = Extracting<$name>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let user = signed_in_as(req, payload, $role);
                Box::pin(async move { user.await.map($name) })
            }
        }
    };
}

role_extractor!(
    /// A signed-in regulator.
    Regulator,
    Role::Regulator
);
role_extractor!(
    /// A signed-in employer's user.
    Employer,
    Role::Employer
);
role_extractor!(
    /// A signed-in agency's user.
    Agency,
    Role::Agency
);
role_extractor!(
    /// A signed-in worker.
    Worker,
    Role::Worker
);

/// A signed-in user of any role, for a page that serves every party (the service decides
/// what the actor may see and do): a visitor is sent to log in.
#[derive(Clone, Debug)]
pub struct SignedIn(pub AuthUser);

impl Deref for SignedIn {
    type Target = AuthUser;
    fn deref(&self) -> &AuthUser {
        &self.0
    }
}

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Extracting<SignedIn>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = Option::<PageUser>::from_request(req, payload);
        Box::pin(async move {
            match user.await {
                Ok(Some(user)) => Ok(SignedIn(user.0)),
                _ => Err(PageError(AppError::new(ErrorCode::NotAuthenticated))),
            }
        })
    }
}

/// A URL-encoded form whose `csrf_token` field matched the request's CSRF cookie before the
/// handler runs; the rest of the form is deserialised into `T` (unknown fields ignored).
/// The body is read up to `server.json_limit_bytes`; a larger one, another content type, or
/// fields that do not fit `T` are 400 `malformed_body`.
///
/// Actix extracts a handler's arguments together, so which of two failing extractors answers
/// first is not fixed by their order. A handler that must refuse one thing before another
/// takes the later one as `Result<_, PageError>` and applies `?` in the order it wants.
#[derive(Debug)]
pub struct CheckedForm<T>(pub T);

/// A form with nothing but its CSRF token: a button that acts.
#[derive(Debug, serde::Deserialize)]
pub struct NoFields {}

#[derive(serde::Deserialize)]
struct Token {
    #[serde(default)]
    csrf_token: String,
}

fn malformed(err: impl std::fmt::Display) -> PageError {
    PageError(AppError::new(ErrorCode::MalformedBody).with_detail(err.to_string()))
}

impl<T: DeserializeOwned + 'static> FromRequest for CheckedForm<T> {
    type Error = PageError;
    type Future = Extracting<CheckedForm<T>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<crate::state::AppState>>().cloned();
        let form_type = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
        let payload = web::Payload::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            if !form_type {
                return Err(malformed("send the form as application/x-www-form-urlencoded"));
            }
            let limit = state.map_or(256 * 1024, |s| s.settings.server.json_limit_bytes);
            let payload = payload.await.map_err(malformed)?;
            let body = payload
                .to_bytes_limited(limit)
                .await
                .map_err(|_| malformed("the form is too large"))?
                .map_err(malformed)?;
            let token: Token = serde_urlencoded::from_bytes(&body).map_err(malformed)?;
            if !csrf_matches(&req, &token.csrf_token) {
                return Err(PageError(AppError::new(ErrorCode::CsrfFailed)));
            }
            let form = serde_urlencoded::from_bytes(&body).map_err(malformed)?;
            Ok(CheckedForm(form))
        })
    }
}

/// Whether a submitted token belongs to the request's CSRF cookie.
pub fn csrf_matches(req: &HttpRequest, submitted: &str) -> bool {
    let Some(state) = req.app_data::<web::Data<crate::state::AppState>>() else {
        return false;
    };
    let nonce = req.cookie(csrf::COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    csrf::verify(state.keys.secret(), &nonce, submitted)
}
