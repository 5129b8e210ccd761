//! Liveness and readiness probes.

use crate::error::AppError;
use crate::services::health;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, description = "up")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// The database answers.
#[utoipa::path(tag = "operations", responses((status = 200, description = "ready"), (status = 503, description = "database_unavailable")))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    health::ready(&state).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ready"})))
}
