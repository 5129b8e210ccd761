//! Employers register themselves; regulators verify them.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use crate::api::Problem;
use crate::auth::ApiUser;
use crate::db::{self, employers as employer_rows};
use crate::domain::account::Role;
use crate::error::AppError;
use crate::services::employers::{self, Employer, Registration};
use crate::state::AppState;

/// An employer registers itself and its first account; it starts `pending`.
#[utoipa::path(
    tag = "employers",
    request_body = Registration,
    responses((status = 201, body = Employer), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/employers")]
pub async fn register(
    state: web::Data<AppState>,
    body: web::Json<Registration>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let employer =
        db::transaction(&state.pool, move |conn| employers::register(conn, body.into_inner(), now)).await?;
    tracing::info!(employer_id = %employer.id, "employer registered");
    Ok(HttpResponse::Created().json(employer))
}

/// A regulator verifies an employer, which may then open vacancies.
#[utoipa::path(tag = "employers", security(("bearer" = [])), responses((status = 200, body = Employer), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[post("/api/v1/employers/{id}/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
) -> Result<web::Json<Employer>, AppError> {
    user.require(Role::Regulator)?;
    let now = state.clock.now();
    let by = user.user_id.clone();
    let employer = db::transaction(&state.pool, move |conn| employers::verify(conn, &id, &by, now)).await?;
    tracing::info!(employer_id = %employer.id, by = %user.user_id, "employer verified");
    Ok(web::Json(employer))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EmployersQuery {
    /// pending or verified
    pub status: Option<String>,
}

/// Every employer (regulators).
#[utoipa::path(tag = "employers", security(("bearer" = [])), params(EmployersQuery), responses((status = 200, body = [Employer]), (status = 403, body = Problem)))]
#[get("/api/v1/employers")]
pub async fn list(
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<EmployersQuery>,
) -> Result<web::Json<Vec<Employer>>, AppError> {
    user.require(Role::Regulator)?;
    let status = query.into_inner().status;
    let rows = db::run(&state.pool, move |conn| Ok(employer_rows::list(conn, status.as_deref())?)).await?;
    Ok(web::Json(rows.into_iter().map(Employer::from).collect()))
}

/// One employer: regulators, or the employer itself (others: 404).
#[utoipa::path(tag = "employers", security(("bearer" = [])), responses((status = 200, body = Employer), (status = 404, body = Problem)))]
#[get("/api/v1/employers/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
) -> Result<web::Json<Employer>, AppError> {
    let own = user.role == Role::Employer && user.org_id.as_deref() == Some(id.as_str());
    if user.role != Role::Regulator && !own {
        return Err(AppError::not_found());
    }
    let row = db::run(&state.pool, move |conn| Ok(employer_rows::find(conn, &id)?)).await?;
    Ok(web::Json(row.into()))
}
