//! The worker's own work history, its share, and the public check of a shared one.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::{Problem, client_address};
use crate::auth::ApiUser;
use crate::error::AppError;
use crate::services::work_history::{self, PublicWorkHistory, Share, WorkHistory};
use crate::state::AppState;

/// The signed-in worker's recorded seasons, the seasons its agency declared, and its share.
#[utoipa::path(
    tag = "workers",
    security(("bearer" = [])),
    responses((status = 200, body = WorkHistory), (status = 403, body = Problem)),
)]
#[get("/api/v1/workers/me/work-history")]
pub async fn own(state: web::Data<AppState>, user: ApiUser) -> Result<web::Json<WorkHistory>, AppError> {
    Ok(web::Json(work_history::own(&state, &user).await?))
}

/// The worker shares its history: 201 with a new number and code, or 200 with the share it
/// already gave.
#[utoipa::path(
    tag = "workers",
    security(("bearer" = [])),
    responses(
        (status = 201, body = Share),
        (status = 200, body = Share),
        (status = 403, body = Problem),
        (status = 409, description = "conflict: no season is recorded yet", body = Problem),
    ),
)]
#[post("/api/v1/workers/me/work-history/share")]
pub async fn share(state: web::Data<AppState>, user: ApiUser) -> Result<HttpResponse, AppError> {
    let (share, new) = work_history::share(&state, &user).await?;
    Ok(if new { HttpResponse::Created() } else { HttpResponse::Ok() }.json(share))
}

/// The worker withdraws its share: the number and code read nothing from now on.
#[utoipa::path(
    tag = "workers",
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)),
)]
#[delete("/api/v1/workers/me/work-history/share")]
pub async fn withdraw(state: web::Data<AppState>, user: ApiUser) -> Result<HttpResponse, AppError> {
    work_history::withdraw(&state, &user).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CheckQuery {
    /// The code the worker gave with the number (and in the QR code).
    pub code: Option<String>,
}

/// Anyone reads a history a worker shared, by number and code: the recorded seasons and
/// nothing else. A wrong code, an unknown number and a withdrawn share answer alike: 404.
#[utoipa::path(
    tag = "workers",
    params(("number" = String, Path), CheckQuery),
    responses(
        (status = 200, body = PublicWorkHistory),
        (status = 404, body = Problem),
        (status = 429, description = "rate_limited, with Retry-After", body = Problem),
    ),
)]
#[get("/api/v1/public/work-history/{number}")]
pub async fn check(
    req: HttpRequest,
    state: web::Data<AppState>,
    number: web::Path<String>,
    query: web::Query<CheckQuery>,
) -> Result<web::Json<PublicWorkHistory>, AppError> {
    let code = query.into_inner().code.unwrap_or_default();
    Ok(web::Json(work_history::check(&state, client_address(&req), &number, &code).await?))
}
