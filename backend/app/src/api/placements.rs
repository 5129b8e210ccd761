//! Placements: offers, contracts and consent, permits, border crossings, returns; named
//! requests; the overstay alerts.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{Problem, paged};
use crate::auth::ApiUser;
use crate::contract_html;
use crate::domain::contract::Terms;
use crate::domain::page::{PageQuery, PageRequest};
use crate::domain::placement::Action;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ids::{PlacementId, VacancyId, WorkerId};
use crate::services::accounts::invalid;
use crate::services::placements::{
    self, Acceptance, Alert, AmendmentRequest, Crossing, DepartureChecklist, OfferInput, Orientation, Permit,
    Placement, PublicPermit, Reason,
};
use crate::state::AppState;

/// An agency offers its worker a seat of an open vacancy; the first contract version is
/// made from the vacancy's terms, checked against the floor in force today.
#[utoipa::path(
    tag = "placements",
    security(("bearer" = [])),
    request_body = OfferInput,
    responses(
        (status = 201, body = Placement),
        (status = 403, description = "not an agency, or licence_inactive", body = Problem),
        (status = 409, description = "worker_already_placed or vacancy_full", body = Problem),
        (status = 422, description = "validation_failed or below_wage_floor", body = Problem),
    ),
)]
#[post("/api/v1/placements")]
pub async fn offer(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<OfferInput>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(placements::offer(&state, &user, body.into_inner()).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// offered, accepted, permitted, departed, completed, terminated, overstayed, declined,
    /// withdrawn, returned or returned_late.
    pub status: Option<String>,
    /// Rows per page: 1 to 500 (default 100); else 422 `invalid_limit`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Where the page starts: the cursor in the previous page's `Link` (rel="next");
    /// absent, the first page. Anything else is 422 `invalid_cursor`.
    pub after: Option<String>,
}

/// The caller's placements, newest first: an agency's, an employer's, a worker's own; all
/// for regulators. A page at a time.
#[utoipa::path(
    tag = "placements",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, body = [Placement], headers(("Link" = String, description = "The next page: `<…>; rel=\"next\"` (RFC 8288), with the same filters and limit; absent on the last page"))),
        (status = 422, description = "validation_failed (status), invalid_limit or invalid_cursor", body = Problem),
    ),
)]
#[get("/api/v1/placements")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = PageRequest::parse(query.limit.as_deref(), query.after.as_deref())?;
    Ok(paged(&req, placements::list(&state, &user, query.status.as_deref(), page).await?))
}

/// One placement with its timeline, for its parties and regulators; 404 for anyone else.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Placement), (status = 404, body = Problem)),
)]
#[get("/api/v1/placements/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
) -> Result<web::Json<Placement>, AppError> {
    Ok(web::Json(placements::find(&state, &user, &id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ContractQuery {
    /// vi (default), zh-CN or en.
    pub lang: Option<String>,
    /// A version; the current one by default.
    pub version: Option<i32>,
}

/// A contract version rendered in one language. The hash is over the canonical terms, so it
/// is the same in every language.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractDocument {
    pub version: i32,
    pub sha256: String,
    pub lang: String,
    pub accepted: bool,
    pub html: String,
    /// The terms the hash is taken over; absent for an employer before the worker accepts
    /// (they name the worker).
    pub terms: Option<Terms>,
}

/// The contract, for the placement's parties and regulators.
#[utoipa::path(
    tag = "placements",
    security(("bearer" = [])),
    params(ContractQuery, ("id" = PlacementId, Path)),
    responses((status = 200, body = ContractDocument), (status = 404, body = Problem), (status = 422, body = Problem)),
)]
#[get("/api/v1/placements/{id}/contract")]
pub async fn contract(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    query: web::Query<ContractQuery>,
) -> Result<web::Json<ContractDocument>, AppError> {
    let lang = match query.lang.as_deref() {
        None => Lang::Vi,
        Some(tag) => Lang::ALL
            .into_iter()
            .find(|l| l.tag() == tag)
            .ok_or_else(|| invalid("lang", "vi, zh-CN or en"))?,
    };
    let found = placements::contract(&state, &user, &id, query.version).await?;
    Ok(web::Json(ContractDocument {
        html: contract_html::render(&found.terms, &found.sha256, lang, found.pseudonymous)?,
        version: found.version,
        sha256: found.sha256,
        lang: lang.tag().to_owned(),
        accepted: found.accepted,
        terms: (!found.pseudonymous).then_some(found.terms),
    }))
}

/// The worker accepts the contract version it read (409 `contract_outdated` if a newer one
/// exists).
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    request_body = Acceptance,
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
)]
#[post("/api/v1/placements/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<Acceptance>,
) -> Result<web::Json<Placement>, AppError> {
    Ok(web::Json(placements::accept(&state, &user, &user.session_id, &id, body.into_inner()).await?))
}

/// The worker declines, before departure.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    request_body = Reason,
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
)]
#[post("/api/v1/placements/{id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<Reason>,
) -> Result<web::Json<Placement>, AppError> {
    let reason = body.into_inner();
    Ok(web::Json(placements::end_before_departure(&state, &user, &id, Action::Decline, reason).await?))
}

/// The agency or the employer withdraws the offer, before departure.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    request_body = Reason,
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
)]
#[post("/api/v1/placements/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<Reason>,
) -> Result<web::Json<Placement>, AppError> {
    let reason = body.into_inner();
    Ok(web::Json(placements::end_before_departure(&state, &user, &id, Action::Withdraw, reason).await?))
}

/// The employer amends the terms: a new contract version, checked against the floor, back
/// to `offered` for the worker to accept again.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    request_body = AmendmentRequest,
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/placements/{id}/amendments")]
pub async fn amend(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<AmendmentRequest>,
) -> Result<web::Json<Placement>, AppError> {
    Ok(web::Json(placements::amend(&state, &user, &id, body.into_inner()).await?))
}

/// A regulator issues the permit of an accepted placement.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    responses((status = 201, body = Permit), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "contract_not_accepted", body = Problem), (status = 422, description = "insurance_missing: not stated in the contract, or not verified", body = Problem)),
)]
#[post("/api/v1/placements/{id}/permit")]
pub async fn issue_permit(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(placements::issue_permit(&state, &user, &id).await?))
}

/// The permit desk (a regulator of China's side) verifies the work-injury and return
/// insurance the current contract states: a permit needs it.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, description = "insurance_missing: the contract states none", body = Problem)),
)]
#[post("/api/v1/placements/{id}/insurance/verify")]
pub async fn verify_insurance(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
) -> Result<web::Json<Placement>, AppError> {
    Ok(web::Json(placements::verify_insurance(&state, &user, &id).await?))
}

/// The placement's agency, or an authority of Viet Nam's side, records that the worker attended
/// the pre-departure orientation (the day, in China's days, and the place); once, before
/// departure.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    request_body = Orientation,
    security(("bearer" = [])),
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "conflict: already recorded, or the worker has crossed", body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/placements/{id}/orientation")]
pub async fn record_orientation(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<Orientation>,
) -> Result<web::Json<Placement>, AppError> {
    Ok(web::Json(placements::record_orientation(&state, &user, &id, body.into_inner()).await?))
}

/// The departure checklist today: contract accepted, permit valid, insurance verified,
/// orientation attended; no departure while an item is open.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = DepartureChecklist), (status = 404, body = Problem)),
)]
#[get("/api/v1/placements/{id}/checklist")]
pub async fn checklist(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
) -> Result<web::Json<DepartureChecklist>, AppError> {
    Ok(web::Json(placements::checklist(&state, &user, &id).await?))
}

/// A regulator revokes a permit, at once (`reason` required).
#[utoipa::path(
    tag = "placements",
    security(("bearer" = [])),
    request_body = Reason,
    responses((status = 200, body = Permit), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/permits/{number}/revoke")]
pub async fn revoke_permit(
    state: web::Data<AppState>,
    user: ApiUser,
    number: web::Path<String>,
    body: web::Json<Reason>,
) -> Result<web::Json<Permit>, AppError> {
    Ok(web::Json(placements::revoke_permit(&state, &user, &number, body.into_inner()).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PermitQuery {
    /// The check code printed beside the number (and in the QR code).
    pub code: Option<String>,
}

/// Anyone, border police included, checks a permit by number and code. A wrong code answers
/// exactly as an unknown number: 404.
#[utoipa::path(
    tag = "placements",
    params(PermitQuery),
    responses((status = 200, body = PublicPermit), (status = 404, body = Problem)),
)]
#[get("/api/v1/public/permits/{number}")]
pub async fn public_permit(
    state: web::Data<AppState>,
    number: web::Path<String>,
    query: web::Query<PermitQuery>,
) -> Result<web::Json<PublicPermit>, AppError> {
    let code = query.into_inner().code.unwrap_or_default();
    Ok(web::Json(placements::check_permit(&state, &number, &code).await?))
}

/// The agency records the departure (409 `contract_not_accepted` or `permit_invalid`).
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    request_body = Crossing,
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/placements/{id}/departure")]
pub async fn depart(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<Crossing>,
) -> Result<web::Json<Placement>, AppError> {
    Ok(web::Json(placements::depart(&state, &user, &id, body.into_inner()).await?))
}

/// The employer records the end of the season.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
)]
#[post("/api/v1/placements/{id}/completion")]
pub async fn complete(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
) -> Result<web::Json<Placement>, AppError> {
    Ok(web::Json(placements::finish(&state, &user, &id, Action::Complete, Reason::default()).await?))
}

/// The employer ends the placement early (`reason` required).
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    request_body = Reason,
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/placements/{id}/termination")]
pub async fn terminate(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<Reason>,
) -> Result<web::Json<Placement>, AppError> {
    let reason = body.into_inner();
    Ok(web::Json(placements::finish(&state, &user, &id, Action::Terminate, reason).await?))
}

/// The agency records the return: `returned`, or `returned_late` after the permit's last day.
#[utoipa::path(
    tag = "placements",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    request_body = Crossing,
    responses((status = 200, body = Placement), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/placements/{id}/return")]
pub async fn record_return(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<Crossing>,
) -> Result<web::Json<Placement>, AppError> {
    Ok(web::Json(placements::record_return(&state, &user, &id, body.into_inner()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedRequest {
    pub worker_id: WorkerId,
}

/// An employer names, for its vacancy, a worker who came home on time from it before; the
/// worker is then placed with it first when eligible.
#[utoipa::path(
    tag = "matching",
    params(("id" = VacancyId, Path)),
    security(("bearer" = [])),
    request_body = NamedRequest,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/vacancies/{id}/named-requests")]
pub async fn name_worker(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<VacancyId>,
    body: web::Json<NamedRequest>,
) -> Result<HttpResponse, AppError> {
    placements::name_worker(&state, &user, &id, &body.worker_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What regulators must look at: overstays, newest first, a page at a time.
#[utoipa::path(
    tag = "placements",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = [Alert], headers(("Link" = String, description = "The next page: `<…>; rel=\"next\"` (RFC 8288), with the same filters and limit; absent on the last page"))),
        (status = 403, body = Problem),
        (status = 422, description = "invalid_limit or invalid_cursor", body = Problem),
    ),
)]
#[get("/api/v1/alerts")]
pub async fn alerts(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(paged(&req, placements::alerts(&state, &user, query.request()?).await?))
}
