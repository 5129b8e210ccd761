//! The authorities of the scheme's two sides (regulators).

use actix_web::{HttpResponse, get, post, web};

use crate::api::Problem;
use crate::auth::ApiUser;
use crate::error::AppError;
use crate::services::authorities::{self, Authority, NewAuthority};
use crate::state::AppState;

/// Every authority, China's first (regulators).
#[utoipa::path(
    tag = "authorities",
    security(("bearer" = [])),
    responses((status = 200, body = [Authority]), (status = 403, description = "forbidden: not a regulator", body = Problem)),
)]
#[get("/api/v1/authorities")]
pub async fn list(state: web::Data<AppState>, user: ApiUser) -> Result<web::Json<Vec<Authority>>, AppError> {
    Ok(web::Json(authorities::list(&state, &user).await?))
}

/// A regulator adds an authority of either side, national or (with a region of its
/// country) provincial.
#[utoipa::path(
    tag = "authorities",
    security(("bearer" = [])),
    request_body = NewAuthority,
    responses(
        (status = 201, body = Authority),
        (status = 403, description = "forbidden: not a regulator", body = Problem),
        (status = 422, description = "validation_failed: name, country or region_code", body = Problem),
    ),
)]
#[post("/api/v1/authorities")]
pub async fn create(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<NewAuthority>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(authorities::create(&state, &user, body.into_inner()).await?))
}
