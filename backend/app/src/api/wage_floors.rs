//! Wage floor rules (regulators) and the public floor look-up.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::api::Problem;
use crate::auth::ApiUser;
use crate::db;
use crate::domain::account::Role;
use crate::domain::wage_floor::Rule;
use crate::error::AppError;
use crate::services::vacancies::{self, BelowFloor};
use crate::services::wage_floors::{self, NewRule, Resolved};
use crate::state::AppState;

/// A regulator adds a rule: a statutory minimum or a prevailing wage, with its dates and source.
#[utoipa::path(
    tag = "wage floors",
    security(("bearer" = [])),
    request_body = NewRule,
    responses((status = 201, body = Rule), (status = 403, body = Problem), (status = 422, description = "validation_failed", body = Problem)),
)]
#[post("/api/v1/wage-floors")]
pub async fn create_rule(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<NewRule>,
) -> Result<HttpResponse, AppError> {
    user.require(Role::Regulator)?;
    let now = state.clock.now();
    let by = user.user_id.clone();
    let rule =
        db::transaction(&state.pool, move |conn| wage_floors::create_rule(conn, body.into_inner(), &by, now))
            .await?;
    tracing::info!(rule_id = %rule.id, region = %rule.region_code, hourly_fen = rule.hourly_fen, "wage floor rule added");
    Ok(HttpResponse::Created().json(rule))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndRule {
    /// The last day the rule is in force.
    pub effective_to: NaiveDate,
}

/// A regulator ends a rule (rules are never edited, so history stays true).
#[utoipa::path(tag = "wage floors", security(("bearer" = [])), request_body = EndRule, responses((status = 200, body = Rule), (status = 404, body = Problem)))]
#[post("/api/v1/wage-floors/{id}/end")]
pub async fn end_rule(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<String>,
    body: web::Json<EndRule>,
) -> Result<web::Json<Rule>, AppError> {
    user.require(Role::Regulator)?;
    let (last_day, by, now) = (body.effective_to, user.user_id.clone(), state.clock.now());
    let rule = db::transaction(&state.pool, move |conn| wage_floors::end_rule(conn, &id, last_day, &by, now))
        .await?;
    tracing::info!(rule_id = %rule.id, by = %user.user_id, %last_day, "wage floor rule ended");
    Ok(web::Json(rule))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RulesQuery {
    pub region_code: Option<String>,
}

/// Every rule, newest first (public: the floors are public law).
#[utoipa::path(tag = "wage floors", params(RulesQuery), responses((status = 200, body = [Rule])))]
#[get("/api/v1/wage-floors")]
pub async fn list_rules(
    state: web::Data<AppState>,
    query: web::Query<RulesQuery>,
) -> Result<web::Json<Vec<Rule>>, AppError> {
    let region = query.into_inner().region_code;
    let rules = db::run(&state.pool, move |conn| wage_floors::list_rules(conn, region.as_deref())).await?;
    Ok(web::Json(rules))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ResolveQuery {
    #[param(example = "451481")]
    pub region_code: String,
    #[param(example = "sugarcane_cutting")]
    pub occupation_code: Option<String>,
    /// The day (default: today, UTC).
    pub on: Option<NaiveDate>,
}

/// The binding floor: the highest rule in force that day for the region or any region above it.
#[utoipa::path(
    tag = "wage floors",
    params(ResolveQuery),
    responses((status = 200, body = Resolved), (status = 422, description = "no_wage_floor or validation_failed", body = Problem)),
)]
#[get("/api/v1/wage-floors/resolve")]
pub async fn resolve(
    state: web::Data<AppState>,
    query: web::Query<ResolveQuery>,
) -> Result<web::Json<Resolved>, AppError> {
    let query = query.into_inner();
    let on = query.on.unwrap_or_else(|| state.clock.now().date_naive());
    let floor = db::run(&state.pool, move |conn| {
        wage_floors::floor_over(conn, &query.region_code, query.occupation_code.as_deref(), on, on)
    })
    .await?;
    Ok(web::Json(floor.into()))
}

/// Open vacancies that a floor raised after they were written now undercuts (regulators).
#[utoipa::path(tag = "wage floors", security(("bearer" = [])), responses((status = 200, body = [BelowFloor]), (status = 403, body = Problem)))]
#[get("/api/v1/wage-floors/below-floor")]
pub async fn below_floor(
    state: web::Data<AppState>,
    user: ApiUser,
) -> Result<web::Json<Vec<BelowFloor>>, AppError> {
    user.require(Role::Regulator)?;
    let today = state.clock.now().date_naive();
    let cap = state.settings.rules.deductions_cap_percent;
    Ok(web::Json(db::run(&state.pool, move |conn| vacancies::below_floor(conn, today, cap)).await?))
}
