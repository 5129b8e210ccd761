//! The event feed, partner endpoints and their deliveries, and the notices sent.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::Deserialize;

use crate::api::{Problem, paged};
use crate::auth::{ApiUser, FeedCaller};
use crate::error::AppError;
use crate::services::events::{
    self, Delivery, DeliveryQuery, EventPage, Notice, NoticeQuery, Partner, PartnerInput, Reader,
    RegisteredPartner,
};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// The id of the last event read; from the first event when absent.
    pub after: Option<String>,
    /// At most this many events (1–1000, default 100).
    pub limit: Option<i64>,
}

/// Events in commit order, resumable from the last id read: every event for a regulator;
/// a partner (its feed key as the bearer token) reads the types it subscribes to.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(FeedQuery),
    responses((status = 200, body = EventPage), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
)]
#[get("/api/v1/events")]
pub async fn feed(
    state: web::Data<AppState>,
    caller: FeedCaller,
    query: web::Query<FeedQuery>,
) -> Result<web::Json<EventPage>, AppError> {
    let FeedQuery { after, limit } = query.into_inner();
    let reader = match &caller {
        FeedCaller::User(user) => Reader::User(user),
        FeedCaller::PartnerKey(key) => Reader::PartnerKey(key),
    };
    Ok(web::Json(events::feed(&state, reader, after, limit).await?))
}

/// A regulator registers a partner endpoint: where signed deliveries go, which event types,
/// and the signing secret. The answer carries the partner's feed key, shown this once.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    request_body = PartnerInput,
    responses((status = 201, body = RegisteredPartner), (status = 403, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/partners")]
pub async fn register_partner(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<PartnerInput>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(events::register_partner(&state, &user, body.into_inner()).await?))
}

/// Every partner endpoint (regulators).
#[utoipa::path(tag = "events", security(("bearer" = [])), responses((status = 200, body = [Partner]), (status = 403, body = Problem)))]
#[get("/api/v1/partners")]
pub async fn list_partners(
    state: web::Data<AppState>,
    user: ApiUser,
) -> Result<web::Json<Vec<Partner>>, AppError> {
    Ok(web::Json(events::list_partners(&state, &user).await?))
}

/// A regulator removes a partner endpoint: nothing more is sent to it (204).
#[utoipa::path(tag = "events", security(("bearer" = [])), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[delete("/api/v1/partners/{id}")]
pub async fn remove_partner(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    events::remove_partner(&state, &user, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A partner's deliveries, newest first, a page at a time; `status=dead` is the dead-letter
/// list.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(DeliveryQuery),
    responses(
        (status = 200, body = [Delivery], headers(("Link" = String, description = "The next page: `<…>; rel=\"next\"` (RFC 8288), with the same filters and limit; absent on the last page"))),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "validation_failed (status), invalid_limit or invalid_cursor", body = Problem),
    ),
)]
#[get("/api/v1/partners/{id}/deliveries")]
pub async fn deliveries(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(paged(&req, events::deliveries(&state, &user, &id, query.into_inner()).await?))
}

/// A regulator sends a dead delivery again (202); one that is not dead answers 409.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    responses((status = 202, body = Delivery), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
)]
#[post("/api/v1/deliveries/{id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Accepted().json(events::redeliver(&state, &user, &id).await?))
}

/// The newest notices: what was sent to people, or would have been (regulators).
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(NoticeQuery),
    responses((status = 200, body = [Notice]), (status = 403, body = Problem), (status = 422, body = Problem)),
)]
#[get("/api/v1/notices")]
pub async fn notices(
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<NoticeQuery>,
) -> Result<web::Json<Vec<Notice>>, AppError> {
    Ok(web::Json(events::list_notices(&state, &user, query.into_inner()).await?))
}
