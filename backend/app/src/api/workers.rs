//! Workers: agencies register and edit their own while their licence is active, and read
//! them as their licence allows; regulators see all; a worker sees itself, and who read its
//! record.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{Problem, paged};
use crate::auth::ApiUser;
use crate::domain::page::PageQuery;
use crate::error::AppError;
use crate::ids::WorkerId;
use crate::services::access_log::AccessEntry;
use crate::services::credentials::{self, ActivationRequest, ActivationSent};
use crate::services::workers::{self, Corrected, IdentityCorrection, Worker, WorkerInput, WorkerPatch};
use crate::state::AppState;

/// An agency registers a worker, while its licence is active today. The agency never sets
/// the worker's password (a `password` sent is ignored): the worker activates its own
/// account with a one-time code (`POST /api/v1/workers/{id}/activation`). Rate-limited per
/// agency (429 `rate_limited`), and so are its `worker_already_registered` answers.
#[utoipa::path(
    tag = "workers",
    security(("bearer" = [])),
    request_body = WorkerInput,
    responses(
        (status = 201, body = Worker),
        (status = 403, description = "forbidden or licence_inactive", body = Problem),
        (status = 409, description = "worker_already_registered (same identity document, any agency)", body = Problem),
        (status = 422, description = "validation_failed, with `field` and every refused field in `errors`", body = Problem),
        (status = 429, description = "rate_limited, with Retry-After", body = Problem),
    ),
)]
#[post("/api/v1/workers")]
pub async fn create(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<WorkerInput>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(workers::create(&state, &user, body.into_inner()).await?))
}

/// How many workers an import created.
#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    pub created: usize,
}

/// An agency imports workers from a CSV file (`text/csv`, UTF-8, comma-separated, a
/// header row first): every row or none, in one transaction.
///
/// Columns, in any order: `full_name`, `date_of_birth` (YYYY-MM-DD), `gender` (female,
/// male, other), `id_document_number`, `home_province_code` (VN-09 …), `available_from`,
/// `available_until` (YYYY-MM-DD) are required; `phone`, `email`, `languages` and `skills`
/// (several values separated by `;`, e.g. `vi;zh` and `cane_knife;first_aid`) and
/// `seasons_worked` (a number, default 0) are optional. Workers imported get no account.
///
/// A faulty file answers 422 `validation_failed` with `errors: [{row, field, code}]`
/// listing every faulty row, the header being row 1: field problems (required, invalid,
/// invalid_utf8, invalid_date, too_long, age_out_of_range, unknown_province,
/// unknown_skill, before_available_from, out_of_range), duplicate_in_file,
/// already_registered (to any agency), wrong_field_count, and header problems
/// (missing_column, unknown_column, duplicate_column). At most 50,000 rows; the body
/// limit is `server.csv_limit_bytes` (413 above it).
#[utoipa::path(
    tag = "workers",
    security(("bearer" = [])),
    request_body(content = inline(crate::api::CsvFile), content_type = "text/csv"),
    responses(
        (status = 201, body = Imported),
        (status = 403, description = "forbidden or licence_inactive", body = Problem),
        (status = 413, body = Problem),
        (status = 415, body = Problem),
        (status = 422, description = "validation_failed with errors: [{row, field, code}]", body = Problem),
    ),
)]
#[post("/api/v1/workers/import")]
pub async fn import(
    state: web::Data<AppState>,
    user: ApiUser,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, AppError> {
    workers::may_import(&user)?;
    let bytes = crate::api::csv_body(&req, body, state.settings.server.csv_limit_bytes).await?;
    let created = workers::import(&state, &user, bytes.to_vec()).await?;
    Ok(HttpResponse::Created().json(Imported { created }))
}

/// Agencies: their own workers; regulators: all; others: 404. An agency whose licence is
/// suspended or expired reads them without `id_document_number`; one whose licence is
/// revoked reads nothing (403 `licence_inactive`). An agency's read is kept in each listed
/// worker's access log. Oldest registration first, a page at a time.
#[utoipa::path(
    tag = "workers",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = [Worker], headers(("Link" = String, description = "The next page: `<…>; rel=\"next\"` (RFC 8288), with the same filters and limit; absent on the last page"))),
        (status = 403, description = "licence_inactive (a revoked licence)", body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "invalid_limit or invalid_cursor", body = Problem),
    ),
)]
#[get("/api/v1/workers")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(paged(&req, workers::list(&state, &user, query.request()?).await?))
}

/// A worker's own record (role worker), without its document number.
#[utoipa::path(tag = "workers", security(("bearer" = [])), responses((status = 200, body = Worker), (status = 403, body = Problem)))]
#[get("/api/v1/workers/me")]
pub async fn me(state: web::Data<AppState>, user: ApiUser) -> Result<web::Json<Worker>, AppError> {
    Ok(web::Json(workers::me(&state, &user).await?))
}

/// One worker: its agency and regulators (others, and other agencies: 404). An agency whose
/// licence is suspended or expired reads it without `id_document_number`; one whose licence
/// is revoked reads nothing (403 `licence_inactive`). An agency's read is kept in the
/// worker's access log.
#[utoipa::path(
    tag = "workers",
    params(("id" = WorkerId, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Worker),
        (status = 403, description = "licence_inactive (a revoked licence)", body = Problem),
        (status = 404, body = Problem),
    ),
)]
#[get("/api/v1/workers/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<WorkerId>,
) -> Result<web::Json<Worker>, AppError> {
    Ok(web::Json(workers::find(&state, &user, &id).await?))
}

/// The agency edits its worker, while its licence is active today; the fields given
/// replace the stored ones and are checked again.
#[utoipa::path(
    tag = "workers",
    params(("id" = WorkerId, Path)),
    security(("bearer" = [])),
    request_body = WorkerPatch,
    responses(
        (status = 200, body = Worker),
        (status = 403, description = "forbidden or licence_inactive", body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem),
        (status = 422, body = Problem),
    ),
)]
#[patch("/api/v1/workers/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<WorkerId>,
    body: web::Json<WorkerPatch>,
) -> Result<web::Json<Worker>, AppError> {
    Ok(web::Json(workers::update(&state, &user, &id, body.into_inner()).await?))
}

/// An agency (its own worker, while its licence is active) or a regulator has a one-time
/// activation code sent to the worker's own channel: its e-mail, else its phone. A
/// regulator, as the authority officer at the pre-departure session, may instead hand it
/// over in person (`in_person`, with the number of the identity document it checked): the
/// answer then carries the code, this once. Never to the agency. A new code replaces the
/// worker's earlier ones. 409 when the worker has activated its account already.
#[utoipa::path(
    tag = "workers",
    params(("id" = WorkerId, Path)),
    security(("bearer" = [])),
    request_body(content = Option<ActivationRequest>, description = "optional; {} sends the code by the worker's channel"),
    responses(
        (status = 202, body = ActivationSent),
        (status = 403, description = "forbidden (in person: regulators only) or licence_inactive", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "conflict: already activated, or the address belongs to another account", body = Problem),
        (status = 422, description = "validation_failed: no e-mail or phone, or not the registered document", body = Problem),
        (status = 429, description = "rate_limited, with Retry-After", body = Problem),
    ),
)]
#[post("/api/v1/workers/{id}/activation")]
pub async fn activation(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<WorkerId>,
    body: Option<web::Json<ActivationRequest>>,
) -> Result<HttpResponse, AppError> {
    let request = body.map(web::Json::into_inner).unwrap_or_default();
    Ok(HttpResponse::Accepted().json(credentials::request_activation(&state, &user, &id, request).await?))
}

/// A regulator corrects who a worker is (name, birth date, document number), with a
/// reason: the only way while the worker holds an active placement or a valid permit.
/// Every valid permit of the worker is revoked and issued again to the corrected holder.
#[utoipa::path(
    tag = "workers",
    params(("id" = WorkerId, Path)),
    security(("bearer" = [])),
    request_body = IdentityCorrection,
    responses(
        (status = 200, body = Corrected),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "worker_already_registered", body = Problem),
        (status = 422, body = Problem),
    ),
)]
#[post("/api/v1/workers/{id}/identity")]
pub async fn correct_identity(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<WorkerId>,
    body: web::Json<IdentityCorrection>,
) -> Result<web::Json<Corrected>, AppError> {
    Ok(web::Json(workers::correct_identity(&state, &user, &id, body.into_inner()).await?))
}

/// Who read the worker's record, newest first: one entry per agency user and day in China
/// (Asia/Shanghai), from its first read that day. For the worker itself, and regulators
/// (who also get each reader's `user_email`); anyone else: 404.
#[utoipa::path(
    tag = "workers",
    params(("id" = WorkerId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = [AccessEntry]), (status = 404, body = Problem)),
)]
#[get("/api/v1/workers/{id}/access-log")]
pub async fn access_log(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<WorkerId>,
) -> Result<web::Json<Vec<AccessEntry>>, AppError> {
    Ok(web::Json(crate::services::access_log::access_log(&state, &user, &id).await?))
}
