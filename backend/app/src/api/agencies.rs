//! Licensed agencies: regulators license them and decide on their licences; anyone checks
//! a licence by its number.

use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::api::{Problem, paged};
use crate::auth::ApiUser;
use crate::domain::licence::LicenceAction;
use crate::domain::page::PageQuery;
use crate::error::{AppError, ErrorCode};
use crate::ids::AgencyId;
use crate::services::agencies::{self, Agency, AgencyInput, LicenceDecision, PublicLicence};
use crate::state::AppState;

/// A regulator licenses an agency and opens its first account (role agency, `org_id` = the
/// agency's id). The licence is active between its dates, inclusive.
#[utoipa::path(
    tag = "agencies",
    security(("bearer" = [])),
    request_body = AgencyInput,
    responses(
        (status = 201, body = Agency),
        (status = 403, body = Problem),
        (status = 409, description = "conflict: licence number or e-mail already registered", body = Problem),
        (status = 422, description = "validation_failed", body = Problem),
    ),
)]
#[post("/api/v1/agencies")]
pub async fn create(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<AgencyInput>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(agencies::create(&state, &user, body.into_inner()).await?))
}

/// A regulator suspends a licence (`reason` required): the agency may not act until it is
/// reinstated.
#[utoipa::path(
    tag = "agencies",
    params(("id" = AgencyId, Path)),
    security(("bearer" = [])),
    request_body = LicenceDecision,
    responses((status = 200, body = Agency), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/agencies/{id}/licence/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<AgencyId>,
    body: web::Json<LicenceDecision>,
) -> Result<web::Json<Agency>, AppError> {
    Ok(web::Json(agencies::decide(&state, &user, &id, LicenceAction::Suspend, body.into_inner()).await?))
}

/// A regulator reinstates a suspended licence (`reason` optional). A revoked licence stays
/// revoked: 409.
#[utoipa::path(
    tag = "agencies",
    params(("id" = AgencyId, Path)),
    security(("bearer" = [])),
    request_body = LicenceDecision,
    responses((status = 200, body = Agency), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
)]
#[post("/api/v1/agencies/{id}/licence/reinstate")]
pub async fn reinstate(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<AgencyId>,
    body: web::Bytes,
) -> Result<web::Json<Agency>, AppError> {
    // The body is optional, but one that is sent must be a valid decision.
    let decision = if body.iter().all(u8::is_ascii_whitespace) {
        LicenceDecision::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| AppError::new(ErrorCode::MalformedBody).with_detail(e.to_string()))?
    };
    Ok(web::Json(agencies::decide(&state, &user, &id, LicenceAction::Reinstate, decision).await?))
}

/// A regulator revokes a licence (`reason` required); revocation is final.
#[utoipa::path(
    tag = "agencies",
    params(("id" = AgencyId, Path)),
    security(("bearer" = [])),
    request_body = LicenceDecision,
    responses((status = 200, body = Agency), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/agencies/{id}/licence/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<AgencyId>,
    body: web::Json<LicenceDecision>,
) -> Result<web::Json<Agency>, AppError> {
    Ok(web::Json(agencies::decide(&state, &user, &id, LicenceAction::Revoke, body.into_inner()).await?))
}

/// Every agency with its licence and the licence's history (regulators), oldest first, a
/// page at a time.
#[utoipa::path(
    tag = "agencies",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = [Agency], headers(("Link" = String, description = "The next page: `<…>; rel=\"next\"` (RFC 8288), with the same filters and limit; absent on the last page"))),
        (status = 403, body = Problem),
        (status = 422, description = "invalid_limit or invalid_cursor", body = Problem),
    ),
)]
#[get("/api/v1/agencies")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(paged(&req, agencies::list(&state, &user, query.request()?).await?))
}

/// One agency with its licence history: regulators, or the agency itself (others: 404).
#[utoipa::path(tag = "agencies", params(("id" = AgencyId, Path)), security(("bearer" = [])), responses((status = 200, body = Agency), (status = 404, body = Problem)))]
#[get("/api/v1/agencies/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<AgencyId>,
) -> Result<web::Json<Agency>, AppError> {
    Ok(web::Json(agencies::find(&state, &user, &id).await?))
}

/// Anyone (border police included) checks a licence by its number: the agency's name and
/// country, and whether the licence is active today. `status` is active, suspended,
/// revoked or expired; a licence whose `valid_from` is still to come answers `expired`
/// too (it does not allow acting either). An unknown number answers 404, nothing more.
#[utoipa::path(
    tag = "agencies",
    params(("licence_number" = String, Path, description = "The licence number, any case")),
    responses((status = 200, body = PublicLicence), (status = 404, body = Problem)),
)]
#[get("/api/v1/public/licences/{licence_number}")]
pub async fn public_licence(
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<web::Json<PublicLicence>, AppError> {
    Ok(web::Json(agencies::public_licence(&state, &number).await?))
}
