//! The audit log, for regulators: read it and check its hash chain.

use actix_web::{get, web};
use serde::Deserialize;

use crate::api::Problem;
use crate::auth::ApiUser;
use crate::error::AppError;
use crate::services::audit::{self, Entry, Verification};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entries after this sequence number (default 0).
    pub after: Option<i64>,
    /// How many (1–1000, default 100).
    pub limit: Option<i64>,
}

/// Audit entries, oldest first, each with its `hash` and `prev_hash`.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = [Entry]), (status = 403, body = Problem), (status = 422, body = Problem)),
)]
#[get("/api/v1/audit")]
pub async fn list(
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<Vec<Entry>>, AppError> {
    Ok(web::Json(audit::list(&state, &user, query.after.unwrap_or(0), query.limit.unwrap_or(100)).await?))
}

/// Walks the whole chain and names the first entry that does not fit.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    responses((status = 200, body = Verification), (status = 403, body = Problem)),
)]
#[get("/api/v1/audit/verify")]
pub async fn verify(state: web::Data<AppState>, user: ApiUser) -> Result<web::Json<Verification>, AppError> {
    Ok(web::Json(audit::verify(&state, &user).await?))
}
