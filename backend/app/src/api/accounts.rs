//! Logging in and out, the caller's own account, and regulator accounts.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::Problem;
use crate::auth::ApiUser;
use crate::domain::account::Role;
use crate::error::AppError;
use crate::ids::{OrgId, UserId};
use crate::services::accounts::{self, AccountPatch, UserView};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
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

/// Log in with e-mail and password; answers a bearer token.
#[utoipa::path(
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "invalid_credentials", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/api/v1/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<LoginResponse>, AppError> {
    let logged_in = accounts::login(&state, &body.email, &body.password).await?;
    Ok(web::Json(LoginResponse {
        token: logged_in.token,
        token_type: "Bearer",
        expires_at: logged_in.expires_at,
        user: LoginUser { id: logged_in.user.id, role: logged_in.user.role, org_id: logged_in.user.org_id },
    }))
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
}

/// A regulator adds a colleague (the first regulator comes from `seasonlink create-regulator`).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = NewRegulatorRequest,
    responses(
        (status = 201, body = UserView),
        (status = 403, description = "not a regulator", body = Problem),
        (status = 409, description = "e-mail in use", body = Problem),
        (status = 422, description = "validation_failed", body = Problem),
    ),
)]
#[post("/api/v1/regulators")]
pub async fn create_regulator(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<NewRegulatorRequest>,
) -> Result<HttpResponse, AppError> {
    let created = accounts::create_regulator(&state, &user, &body.email, &body.password).await?;
    Ok(HttpResponse::Created().json(created))
}
