//! Logging in and out, the caller's own account, and regulator accounts.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{Problem, client_address};
use crate::auth::ApiUser;
use crate::domain::account::Role;
use crate::error::AppError;
use crate::ids::{AuthorityId, OrgId, UserId};
use crate::services::accounts::{self, AccountPatch, LoggedIn, UserView};
use crate::services::credentials::{self, CodeRedemption, PasswordChange, ResetRequest};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The e-mail address, or (a worker) the phone number it activated its account with.
    #[schema(example = "regulator@demo.seasonlink.vn")]
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub token: String,
    /// Always "Bearer".
    pub token_type: &'static str,
    pub expires_at: DateTime<Utc>,
    pub user: LoginUser,
}

#[derive(Serialize, ToSchema)]
pub struct LoginUser {
    pub id: UserId,
    pub role: Role,
    pub org_id: Option<OrgId>,
}

/// Log in with e-mail (or a worker's phone number) and password; answers a bearer token.
#[utoipa::path(
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "invalid_credentials", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many tries from this client, or too many failed ones for this account (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/api/v1/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<LoginResponse>, AppError> {
    Ok(web::Json(LoginResponse::from(
        accounts::login(&state, client_address(&req), &body.email, &body.password).await?,
    )))
}

impl From<LoggedIn> for LoginResponse {
    fn from(logged_in: LoggedIn) -> LoginResponse {
        LoginResponse {
            token: logged_in.token,
            token_type: "Bearer",
            expires_at: logged_in.expires_at,
            user: LoginUser {
                id: logged_in.user.id,
                role: logged_in.user.role,
                org_id: logged_in.user.org_id,
            },
        }
    }
}

/// The worker activates its own account with the one-time code that reached it (by e-mail,
/// text message, or from an authority officer), setting its own password; answers a bearer
/// token, as a login does. Every earlier session of the account ends.
#[utoipa::path(
    tag = "accounts",
    request_body = CodeRedemption,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "invalid_code: wrong, expired and used codes alike", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: the address belongs to another account", body = Problem),
        (status = 422, description = "validation_failed: the address, or a password too short or too common", body = Problem),
        (status = 429, description = "rate_limited, with Retry-After", body = Problem),
    ),
)]
#[post("/api/v1/auth/activate")]
pub async fn activate(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<CodeRedemption>,
) -> Result<web::Json<LoginResponse>, AppError> {
    Ok(web::Json(credentials::activate(&state, client_address(&req), body.into_inner()).await?.into()))
}

/// The signed-in person changes its password; its other sessions end.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204),
        (status = 401, body = Problem),
        (status = 422, description = "validation_failed: current_password wrong, or new_password too short or too common", body = Problem),
        (status = 429, description = "rate_limited, with Retry-After", body = Problem),
    ),
)]
#[post("/api/v1/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, AppError> {
    credentials::change_password(&state, &user, &user.session_id, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A person who forgot its password asks for a one-time reset code, sent to the address it
/// signs in with. Answers 202 whether or not an account signs in with it.
#[utoipa::path(
    tag = "accounts",
    request_body = ResetRequest,
    responses(
        (status = 202),
        (status = 422, body = Problem),
        (status = 429, description = "rate_limited, with Retry-After", body = Problem),
    ),
)]
#[post("/api/v1/auth/reset")]
pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<ResetRequest>,
) -> Result<HttpResponse, AppError> {
    credentials::request_reset(&state, client_address(&req), body.into_inner()).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// The reset code redeemed for a new password; answers a bearer token, and every earlier
/// session of the account ends.
#[utoipa::path(
    tag = "accounts",
    request_body = CodeRedemption,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "invalid_code: wrong, expired and used codes alike", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem),
        (status = 429, description = "rate_limited, with Retry-After", body = Problem),
    ),
)]
#[post("/api/v1/auth/reset/confirm")]
pub async fn confirm_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<CodeRedemption>,
) -> Result<web::Json<LoginResponse>, AppError> {
    Ok(web::Json(credentials::confirm_reset(&state, client_address(&req), body.into_inner()).await?.into()))
}

/// End the session: the token stops working at once.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), responses((status = 204), (status = 401, body = Problem)))]
#[post("/api/v1/auth/logout")]
pub async fn logout(state: web::Data<AppState>, user: ApiUser) -> Result<HttpResponse, AppError> {
    accounts::logout(&state, &user.session_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's own account.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), responses((status = 200, body = UserView), (status = 401, body = Problem)))]
#[get("/api/v1/me")]
pub async fn me(state: web::Data<AppState>, user: ApiUser) -> Result<web::Json<UserView>, AppError> {
    Ok(web::Json(accounts::find_user(&state, &user).await?))
}

/// The caller changes its own account: the language of the notices it receives.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = AccountPatch,
    responses((status = 200, body = UserView), (status = 401, body = Problem), (status = 422, body = Problem)),
)]
#[patch("/api/v1/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<AccountPatch>,
) -> Result<web::Json<UserView>, AppError> {
    Ok(web::Json(accounts::update_own(&state, &user, body.into_inner()).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRegulatorRequest {
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    /// The authority the new regulator acts for (`GET /api/v1/authorities`); absent: the
    /// creator's own.
    #[serde(default)]
    pub authority_id: Option<AuthorityId>,
}

/// A regulator adds a colleague (the first regulator comes from `seasonlink create-regulator`).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = NewRegulatorRequest,
    responses(
        (status = 201, body = UserView),
        (status = 403, description = "forbidden: not a regulator", body = Problem),
        (status = 409, description = "conflict: e-mail in use", body = Problem),
        (status = 422, description = "validation_failed", body = Problem),
    ),
)]
#[post("/api/v1/regulators")]
pub async fn create_regulator(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<NewRegulatorRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let created =
        accounts::create_regulator(&state, &user, &body.email, &body.password, body.authority_id).await?;
    Ok(HttpResponse::Created().json(created))
}
