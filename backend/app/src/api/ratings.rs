//! Ratings: a worker rates its agency and its employer after its return; regulators moderate
//! the texts; anyone reads an employer's card.

use actix_web::{get, post, web};

use crate::api::Problem;
use crate::auth::ApiUser;
use crate::error::AppError;
use crate::ids::{EmployerId, PlacementId};
use crate::services::ratings::{self, Moderation, PublicEmployer, Rating, RatingInput};
use crate::state::AppState;

/// The worker rates its placement's agency (or, with `subject: "employer"`, its employer),
/// once each, after its return.
#[utoipa::path(
    tag = "ratings",
    params(("id" = PlacementId, Path)),
    request_body = RatingInput,
    security(("bearer" = [])),
    responses((status = 201, body = Rating), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "conflict: before the return, or rated already", body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/placements/{id}/rating")]
pub async fn rate(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<RatingInput>,
) -> Result<actix_web::HttpResponse, AppError> {
    Ok(actix_web::HttpResponse::Created().json(ratings::rate(&state, &user, &id, body.into_inner()).await?))
}

/// The rating texts waiting for a regulator, oldest first.
#[utoipa::path(tag = "ratings", security(("bearer" = [])), responses((status = 200, body = Vec<Rating>), (status = 403, body = Problem)))]
#[get("/api/v1/ratings/pending")]
pub async fn pending(state: web::Data<AppState>, user: ApiUser) -> Result<web::Json<Vec<Rating>>, AppError> {
    Ok(web::Json(ratings::pending(&state, &user).await?))
}

/// A regulator approves a rating's text for the public, or rejects it.
#[utoipa::path(
    tag = "ratings",
    params(("id" = String, Path)),
    request_body = Moderation,
    security(("bearer" = [])),
    responses((status = 200, body = Rating), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "conflict: not pending", body = Problem)),
)]
#[post("/api/v1/ratings/{id}/moderation")]
pub async fn moderate(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
    body: web::Json<Moderation>,
) -> Result<web::Json<Rating>, AppError> {
    Ok(web::Json(ratings::moderate(&state, &user, &id, body.into_inner()).await?))
}

/// A verified employer's public card: its name, region and its workers' ratings.
#[utoipa::path(tag = "ratings", params(("id" = EmployerId, Path)), responses((status = 200, body = PublicEmployer), (status = 404, body = Problem)))]
#[get("/api/v1/public/employers/{id}")]
pub async fn public_employer(
    state: web::Data<AppState>,
    id: web::Path<EmployerId>,
) -> Result<web::Json<PublicEmployer>, AppError> {
    Ok(web::Json(ratings::public_employer(&state, &id).await?))
}
