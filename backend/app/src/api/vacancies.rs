//! Vacancies: employers write them, everyone reads the open ones.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};

use crate::api::{Problem, paged};
use crate::auth::{ApiUser, MaybeApiUser};
use crate::error::AppError;
use crate::ids::VacancyId;
use crate::services::vacancies::{self, ListQuery, LocalHireInput, Vacancy, VacancyInput, VacancyPatch};
use crate::state::AppState;

/// An employer posts a vacancy; it is refused if it pays below the wage floor.
#[utoipa::path(
    tag = "vacancies",
    security(("bearer" = [])),
    request_body = VacancyInput,
    responses(
        (status = 201, body = Vacancy),
        (status = 403, description = "forbidden or employer_not_verified", body = Problem),
        (status = 422, description = "below_wage_floor, deductions_over_cap, invalid_season, no_wage_floor or validation_failed", body = Problem),
    ),
)]
#[post("/api/v1/vacancies")]
pub async fn create(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<VacancyInput>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(vacancies::create(&state, &user, body.into_inner()).await?))
}

/// Open vacancies for anyone; an employer sees its own, a regulator all. By season start,
/// a page at a time.
#[utoipa::path(
    security((), ("bearer" = [])),
    tag = "vacancies",
    params(ListQuery),
    responses(
        (status = 200, body = [Vacancy], headers(("Link" = String, description = "The next page: `<…>; rel=\"next\"` (RFC 8288), with the same filters and limit; absent on the last page"))),
        (status = 422, description = "invalid_limit or invalid_cursor", body = Problem),
    ),
)]
#[get("/api/v1/vacancies")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeApiUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let actor = user.0.as_ref().map(|u| &u.actor);
    Ok(paged(&req, vacancies::list(&state, actor, query.into_inner()).await?))
}

#[utoipa::path(security((), ("bearer" = [])), tag = "vacancies", params(("id" = VacancyId, Path)), responses((status = 200, body = Vacancy), (status = 404, body = Problem)))]
#[get("/api/v1/vacancies/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: MaybeApiUser,
    id: web::Path<VacancyId>,
) -> Result<web::Json<Vacancy>, AppError> {
    Ok(web::Json(vacancies::find(&state, user.0.as_ref().map(|u| &u.actor), &id).await?))
}

/// The employer edits its vacancy; the floor is checked again.
#[utoipa::path(
    tag = "vacancies",
    params(("id" = VacancyId, Path)),
    security(("bearer" = [])),
    request_body = VacancyPatch,
    responses((status = 200, body = Vacancy), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[patch("/api/v1/vacancies/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<VacancyId>,
    body: web::Json<VacancyPatch>,
) -> Result<web::Json<Vacancy>, AppError> {
    Ok(web::Json(vacancies::update(&state, &user, &id, body.into_inner()).await?))
}

/// The employer opens a draft (verified employers only; the floor is checked again).
#[utoipa::path(tag = "vacancies", params(("id" = VacancyId, Path)), security(("bearer" = [])), responses((status = 200, body = Vacancy), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/api/v1/vacancies/{id}/open")]
pub async fn open(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<VacancyId>,
) -> Result<web::Json<Vacancy>, AppError> {
    Ok(web::Json(vacancies::open(&state, &user, &id).await?))
}

/// The employer records people hired locally for its open vacancy: the headcount left for
/// agencies falls by as many (422 when more than the seats no placement holds).
#[utoipa::path(tag = "vacancies", params(("id" = VacancyId, Path)), request_body = LocalHireInput, security(("bearer" = [])), responses((status = 200, body = Vacancy), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/api/v1/vacancies/{id}/local-hires")]
pub async fn hire_locally(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<VacancyId>,
    input: web::Json<LocalHireInput>,
) -> Result<web::Json<Vacancy>, AppError> {
    Ok(web::Json(vacancies::hire_locally(&state, &user, &id, input.into_inner()).await?))
}

#[utoipa::path(tag = "vacancies", params(("id" = VacancyId, Path)), security(("bearer" = [])), responses((status = 200, body = Vacancy), (status = 404, body = Problem)))]
#[post("/api/v1/vacancies/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<VacancyId>,
) -> Result<web::Json<Vacancy>, AppError> {
    Ok(web::Json(vacancies::close(&state, &user, &id).await?))
}
