//! Wage floor rules (regulators) and the public floor look-up.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::api::Problem;
use crate::auth::ApiUser;
use crate::domain::wage_floor::Rule;
use crate::error::AppError;
use crate::ids::RuleId;
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
    Ok(HttpResponse::Created().json(wage_floors::create_rule(&state, &user, body.into_inner()).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndRule {
    /// The last day the rule is in force.
    pub effective_to: NaiveDate,
}

/// A regulator ends a rule (rules are never edited, so history stays true).
#[utoipa::path(tag = "wage floors", params(("id" = RuleId, Path)), security(("bearer" = [])), request_body = EndRule, responses((status = 200, body = Rule), (status = 404, body = Problem)))]
#[post("/api/v1/wage-floors/{id}/end")]
pub async fn end_rule(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<RuleId>,
    body: web::Json<EndRule>,
) -> Result<web::Json<Rule>, AppError> {
    Ok(web::Json(wage_floors::end_rule(&state, &user, &id, body.effective_to).await?))
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
    Ok(web::Json(wage_floors::list_rules(&state, query.into_inner().region_code).await?))
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
    let floor =
        wage_floors::resolve(&state, &query.region_code, query.occupation_code.as_deref(), query.on).await?;
    Ok(web::Json(floor.into()))
}

/// Open vacancies that a floor raised after they were written now undercuts (regulators).
#[utoipa::path(tag = "wage floors", security(("bearer" = [])), responses((status = 200, body = [BelowFloor]), (status = 403, body = Problem)))]
#[get("/api/v1/wage-floors/below-floor")]
pub async fn below_floor(
    state: web::Data<AppState>,
    user: ApiUser,
) -> Result<web::Json<Vec<BelowFloor>>, AppError> {
    Ok(web::Json(vacancies::below_floor(&state, &user).await?))
}
