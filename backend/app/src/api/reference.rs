//! Reference data: public, present in every database from its migrations.

use actix_web::{get, web};

use crate::error::AppError;
use crate::services::reference::{Coded, Crossing, Reference, Region};
use crate::state::AppState;

/// Chinese division codes and Vietnamese province codes, each with its parent.
#[utoipa::path(tag = "reference", responses((status = 200, body = [Region])))]
#[get("/api/v1/reference/regions")]
pub async fn regions(state: web::Data<AppState>) -> Result<web::Json<Vec<Region>>, AppError> {
    Ok(web::Json(Reference::read(&state).await?.regions))
}

#[utoipa::path(tag = "reference", responses((status = 200, body = [Coded])))]
#[get("/api/v1/reference/occupations")]
pub async fn occupations(state: web::Data<AppState>) -> Result<web::Json<Vec<Coded>>, AppError> {
    Ok(web::Json(Reference::read(&state).await?.occupations))
}

/// The codes a worker's `skills` and a vacancy's `required_skills` use.
#[utoipa::path(tag = "reference", responses((status = 200, body = [Coded])))]
#[get("/api/v1/reference/skills")]
pub async fn skills(state: web::Data<AppState>) -> Result<web::Json<Vec<Coded>>, AppError> {
    Ok(web::Json(Reference::read(&state).await?.skills))
}

#[utoipa::path(tag = "reference", responses((status = 200, body = [Crossing])))]
#[get("/api/v1/reference/crossings")]
pub async fn crossings(state: web::Data<AppState>) -> Result<web::Json<Vec<Crossing>>, AppError> {
    Ok(web::Json(Reference::read(&state).await?.crossings))
}
