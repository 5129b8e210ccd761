//! Employers register themselves; regulators verify them.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;

use crate::api::{Problem, client_address, paged};
use crate::auth::ApiUser;
use crate::domain::page::PageRequest;
use crate::error::AppError;
use crate::ids::EmployerId;
use crate::services::employers::{self, DecisionInput, Employer, EmployerDecision, Registration};
use crate::state::AppState;

/// An employer registers itself and its first account; it starts `pending`.
#[utoipa::path(
    tag = "employers",
    request_body = Registration,
    responses(
        (status = 201, body = Employer),
        (status = 409, body = Problem),
        (status = 422, body = Problem),
        (status = 429, description = "rate_limited: too many registrations from this client, with Retry-After", body = Problem),
    ),
)]
#[post("/api/v1/employers")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Registration>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created()
        .json(employers::register(&state, client_address(&req), body.into_inner()).await?))
}

/// A regulator verifies an employer, which may then open vacancies.
#[utoipa::path(tag = "employers", security(("bearer" = [])), params(("id" = EmployerId, Path)), responses((status = 200, body = Employer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "conflict: the employer is suspended (reinstate it)", body = Problem)))]
#[post("/api/v1/employers/{id}/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<EmployerId>,
) -> Result<web::Json<Employer>, AppError> {
    Ok(web::Json(employers::verify(&state, &user, &id).await?))
}

/// A regulator of China's side suspends a verified employer, with a reason: it opens no
/// vacancy and its vacancies take no offer until it is reinstated; its placements go on.
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = EmployerId, Path)),
    request_body = DecisionInput,
    responses((status = 200, body = Employer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "conflict: not verified", body = Problem), (status = 422, description = "validation_failed: no reason", body = Problem)),
)]
#[post("/api/v1/employers/{id}/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<EmployerId>,
    body: web::Json<DecisionInput>,
) -> Result<web::Json<Employer>, AppError> {
    Ok(web::Json(employers::decide(&state, &user, &id, EmployerDecision::Suspend, body.into_inner()).await?))
}

/// A regulator of China's side reinstates a suspended employer.
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = EmployerId, Path)),
    request_body = DecisionInput,
    responses((status = 200, body = Employer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "conflict: not suspended", body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/employers/{id}/reinstate")]
pub async fn reinstate(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<EmployerId>,
    body: web::Json<DecisionInput>,
) -> Result<web::Json<Employer>, AppError> {
    Ok(web::Json(
        employers::decide(&state, &user, &id, EmployerDecision::Reinstate, body.into_inner()).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EmployersQuery {
    /// pending or verified
    pub status: Option<String>,
    /// Rows per page: 1 to 500 (default 100); else 422 `invalid_limit`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Where the page starts: the cursor in the previous page's `Link` (rel="next");
    /// absent, the first page. Anything else is 422 `invalid_cursor`.
    pub after: Option<String>,
}

/// The employers the reader's authority oversees, oldest first (regulators). A page at a
/// time.
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    params(EmployersQuery),
    responses(
        (status = 200, body = [Employer], headers(("Link" = String, description = "The next page: `<…>; rel=\"next\"` (RFC 8288), with the same filters and limit; absent on the last page"))),
        (status = 403, body = Problem),
        (status = 422, description = "invalid_limit or invalid_cursor", body = Problem),
    ),
)]
#[get("/api/v1/employers")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<EmployersQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let page = PageRequest::parse(query.limit.as_deref(), query.after.as_deref())?;
    Ok(paged(&req, employers::list(&state, &user, query.status, page).await?))
}

/// One employer: regulators, or the employer itself (others: 404).
#[utoipa::path(tag = "employers", security(("bearer" = [])), params(("id" = EmployerId, Path)), responses((status = 200, body = Employer), (status = 404, body = Problem)))]
#[get("/api/v1/employers/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<EmployerId>,
) -> Result<web::Json<Employer>, AppError> {
    Ok(web::Json(employers::find(&state, &user, &id).await?))
}
