//! Ranked candidates for a vacancy, and season-wide proposals (agencies); the regulators'
//! what-if over every agency's workers.

use actix_web::{get, post, web};
use serde::Deserialize;

use crate::api::Problem;
use crate::auth::ApiUser;
use crate::error::AppError;
use crate::ids::{PlacementId, VacancyId};
use crate::services::matching::{self, Candidate, KeptLine, Proposal, ProposalRequest, WhatIf};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CandidatesQuery {
    /// How many to return (1–500, default 20).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<usize>,
}

/// The agency's eligible workers for an open vacancy, best first, each score explained;
/// pseudonymous (no personal field).
#[utoipa::path(
    tag = "matching",
    security(("bearer" = [])),
    params(CandidatesQuery, ("id" = VacancyId, Path)),
    responses(
        (status = 200, body = [Candidate]),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "validation_failed: a limit out of range", body = Problem),
    ),
)]
#[get("/api/v1/vacancies/{id}/candidates")]
pub async fn candidates(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<VacancyId>,
    query: web::Query<CandidatesQuery>,
) -> Result<web::Json<Vec<Candidate>>, AppError> {
    Ok(web::Json(matching::candidates(&state, &user, &id, query.limit.unwrap_or(20)).await?))
}

/// The optimal assignment of the agency's workers to open vacancies (all, or the ones
/// named), maximising the total score; nothing is written.
#[utoipa::path(
    tag = "matching",
    security(("bearer" = [])),
    request_body = ProposalRequest,
    responses((status = 200, body = Proposal), (status = 403, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/matching/proposals")]
pub async fn propose(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<ProposalRequest>,
) -> Result<web::Json<Proposal>, AppError> {
    Ok(web::Json(matching::propose(&state, &user, body.into_inner()).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OffersRequest {
    /// The proposal lines the agency keeps.
    pub lines: Vec<KeptLine>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OffersMade {
    pub placement_ids: Vec<PlacementId>,
}

/// The lines the agency keeps become offers, all of them or none: each is checked again
/// (open seat, the agency's eligible worker, no active placement, the floor today).
#[utoipa::path(
    tag = "matching",
    security(("bearer" = [])),
    request_body = OffersRequest,
    responses((status = 201, body = OffersMade), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/matching/proposals/offers")]
pub async fn make_offers(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<OffersRequest>,
) -> Result<actix_web::HttpResponse, AppError> {
    let placement_ids = matching::make_offers(&state, &user, body.into_inner().lines).await?;
    Ok(actix_web::HttpResponse::Created().json(OffersMade { placement_ids }))
}

/// A regulator's what-if: the best assignment of every idle worker of a licensed agency to
/// every open vacancy within the authority's reach, counted by region and home province;
/// nothing is written and no worker is named.
#[utoipa::path(
    tag = "matching",
    security(("bearer" = [])),
    responses((status = 200, body = WhatIf), (status = 403, body = Problem)),
)]
#[get("/api/v1/matching/what-if")]
pub async fn what_if(state: web::Data<AppState>, user: ApiUser) -> Result<web::Json<WhatIf>, AppError> {
    Ok(web::Json(matching::what_if(&state, &user).await?))
}
