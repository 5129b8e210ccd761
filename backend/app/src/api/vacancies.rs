//! Vacancies: employers write them, everyone reads the open ones.

use actix_web::{HttpResponse, get, patch, post, web};

use crate::api::Problem;
use crate::auth::{ApiUser, MaybeApiUser};
use crate::db;
use crate::domain::account::Role;
use crate::error::AppError;
use crate::services::vacancies::{self, ListQuery, Vacancy, VacancyInput, VacancyPatch, Viewer};
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
    let employer = user.org_for(Role::Employer)?;
    let by = user.user_id.clone();
    let (cap, now) = (state.settings.rules.deductions_cap_percent, state.clock.now());
    let vacancy = db::transaction(&state.pool, move |conn| {
        vacancies::create(conn, &employer, &by, body.into_inner(), cap, now)
    })
    .await?;
    tracing::info!(vacancy_id = %vacancy.id, status = %vacancy.status, "vacancy created");
    Ok(HttpResponse::Created().json(vacancy))
}

/// Open vacancies for anyone; an employer sees its own, a regulator all.
#[utoipa::path(tag = "vacancies", params(ListQuery), responses((status = 200, body = [Vacancy])))]
#[get("/api/v1/vacancies")]
pub async fn list(
    state: web::Data<AppState>,
    user: MaybeApiUser,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Vec<Vacancy>>, AppError> {
    let viewer = Viewer::of(user.0.as_ref().map(|u| &u.actor));
    let query = query.into_inner();
    Ok(web::Json(db::run(&state.pool, move |conn| vacancies::list(conn, &viewer, &query)).await?))
}

#[utoipa::path(tag = "vacancies", responses((status = 200, body = Vacancy), (status = 404, body = Problem)))]
#[get("/api/v1/vacancies/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: MaybeApiUser,
    id: web::Path<String>,
) -> Result<web::Json<Vacancy>, AppError> {
    let viewer = Viewer::of(user.0.as_ref().map(|u| &u.actor));
    Ok(web::Json(db::run(&state.pool, move |conn| vacancies::find_visible(conn, &id, &viewer)).await?))
}

/// The employer edits its vacancy; the floor is checked again.
#[utoipa::path(
    tag = "vacancies",
    security(("bearer" = [])),
    request_body = VacancyPatch,
    responses((status = 200, body = Vacancy), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[patch("/api/v1/vacancies/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
    body: web::Json<VacancyPatch>,
) -> Result<web::Json<Vacancy>, AppError> {
    let employer = user.org_for(Role::Employer)?;
    let by = user.user_id.clone();
    let (cap, now) = (state.settings.rules.deductions_cap_percent, state.clock.now());
    let vacancy = db::transaction(&state.pool, move |conn| {
        vacancies::update(conn, &employer, &by, &id, body.into_inner(), cap, now)
    })
    .await?;
    Ok(web::Json(vacancy))
}

/// The employer opens a draft (verified employers only; the floor is checked again).
#[utoipa::path(tag = "vacancies", security(("bearer" = [])), responses((status = 200, body = Vacancy), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/api/v1/vacancies/{id}/open")]
pub async fn open(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
) -> Result<web::Json<Vacancy>, AppError> {
    let employer = user.org_for(Role::Employer)?;
    let by = user.user_id.clone();
    let (cap, now) = (state.settings.rules.deductions_cap_percent, state.clock.now());
    Ok(web::Json(
        db::transaction(&state.pool, move |conn| vacancies::open(conn, &employer, &by, &id, cap, now))
            .await?,
    ))
}

#[utoipa::path(tag = "vacancies", security(("bearer" = [])), responses((status = 200, body = Vacancy), (status = 404, body = Problem)))]
#[post("/api/v1/vacancies/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
) -> Result<web::Json<Vacancy>, AppError> {
    let employer = user.org_for(Role::Employer)?;
    let by = user.user_id.clone();
    let now = state.clock.now();
    Ok(web::Json(
        db::transaction(&state.pool, move |conn| vacancies::close(conn, &employer, &by, &id, now)).await?,
    ))
}
