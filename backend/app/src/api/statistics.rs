//! The scheme's statistics, one set of definitions for both countries (STATISTICS.md), and
//! the demand outlook learned from them.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use serde::Deserialize;

use crate::api::Problem;
use crate::auth::{ApiUser, MaybeApiUser};
use crate::error::AppError;
use crate::services::accounts::invalid;
use crate::services::outlook::{self, Outlook};
use crate::services::statistics::releases::{self, ReleaseMetadata, ReleaseSummary};
use crate::services::statistics::{self, Ask, Definitions, Report};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatisticsParams {
    /// The first day (China's), YYYY-MM-DD; by default the first of the month eleven months back.
    pub from: Option<String>,
    /// The last day, included; by default today. At most ten years after `from`.
    pub to: Option<String>,
    /// Breakdowns, comma-separated: month, region, county, occupation, home_province, agency,
    /// category, kind, country (each indicator answers those GET /statistics/definitions lists).
    pub by: Option<String>,
    /// Indicator codes, comma-separated; by default every one that answers `by`.
    pub indicators: Option<String>,
    /// A region of China (the worksite's): province, prefecture or county code.
    pub region: Option<String>,
    /// A province of Viet Nam (the worker's home), e.g. VN-09.
    pub home_province: Option<String>,
    /// json (default) or csv.
    pub format: Option<String>,
}

/// The figures, by period and breakdown. Anyone may read them: the public (and employers,
/// agencies and workers) with cells under five people suppressed, with their complements;
/// authorities unsuppressed, a provincial one for its province only.
#[utoipa::path(
    security((), ("bearer" = [])),
    tag = "statistics",
    params(StatisticsParams),
    responses(
        (status = 200, body = Report, description = "JSON, or text/csv with ?format=csv"),
        (status = 403, body = Problem, description = "forbidden: a provincial authority asking for another province"),
        (status = 422, body = Problem, description = "validation_failed: a period, breakdown, indicator or region that is not known or allowed"),
    ),
)]
#[get("/api/v1/statistics")]
pub async fn figures(
    state: web::Data<AppState>,
    user: MaybeApiUser,
    query: web::Query<StatisticsParams>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(invalid("format", "json or csv")),
    };
    let ask = Ask {
        from: query.from,
        to: query.to,
        by: query.by,
        indicators: query.indicators,
        region: query.region,
        home_province: query.home_province,
    };
    let report = statistics::figures(&state, user.0.as_ref().map(|u| &u.actor), ask).await?;
    Ok(if csv {
        HttpResponse::Ok().content_type("text/csv; charset=utf-8").body(statistics::to_csv(&report))
    } else {
        HttpResponse::Ok().json(report)
    })
}

/// Every indicator: its code, names in zh-CN, vi and en, what it counts and when, its unit
/// and breakdowns, and the definitions' version.
#[utoipa::path(tag = "statistics", responses((status = 200, body = Definitions)))]
#[get("/api/v1/statistics/definitions")]
pub async fn definitions() -> web::Json<Definitions> {
    web::Json(statistics::definitions())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutlookParams {
    /// The season, `2026/27` or `2026` (1 September to 31 August); by default the one today
    /// falls in.
    pub season: Option<String>,
}

/// The demand outlook of a season: per month, occupation and region, the positions verified
/// employers opened or planned, and the workers expected to fill them and to return on
/// time, learned from the last two seasons (the method: STATISTICS.md). For regulators of
/// both sides and agencies.
#[utoipa::path(
    tag = "statistics",
    security(("bearer" = [])),
    params(OutlookParams),
    responses(
        (status = 200, body = Outlook),
        (status = 403, body = Problem),
        (status = 422, body = Problem, description = "validation_failed: a season that is not one"),
    ),
)]
#[get("/api/v1/demand-outlook")]
pub async fn demand_outlook(
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<OutlookParams>,
) -> Result<web::Json<Outlook>, AppError> {
    Ok(web::Json(outlook::outlook(&state, &user, query.season.as_deref()).await?))
}

/// The monthly releases made so far, newest first: for each closed month (China's calendar)
/// from the first with records, the public figures as CSV and their metadata. A release is
/// made once and never changes afterwards.
#[utoipa::path(tag = "statistics", responses((status = 200, body = [ReleaseSummary])))]
#[get("/api/v1/statistics/releases")]
pub async fn list_releases(state: web::Data<AppState>) -> Result<web::Json<Vec<ReleaseSummary>>, AppError> {
    Ok(web::Json(releases::list(&state).await?))
}

/// A month's release as CSV: every indicator's public (suppressed) figures for the month, in
/// total and by each single breakdown it answers, one line each
/// (`indicator,unit,period,breakdown,key,status,value,numerator,denominator,amount_fen,suppressed`).
/// Made on first request if the job has not made it yet; the same bytes ever after.
#[utoipa::path(
    tag = "statistics",
    params(("month" = String, Path, description = "YYYY-MM: a month whose last day has ended in China")),
    responses(
        (status = 200, body = String, content_type = "text/csv"),
        (status = 404, body = Problem, description = "not_found: a month not yet closed in China, or before the first records"),
        (status = 422, body = Problem, description = "validation_failed: not a month written YYYY-MM"),
    ),
)]
#[get("/api/v1/statistics/releases/{month}.csv")]
pub async fn release_csv(
    state: web::Data<AppState>,
    month: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let release = releases::release(&state, &month).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(&release.csv_file_name()))
        .body(release.csv))
}

/// A month's release metadata: the month and period, the definitions' version and the
/// definitions themselves, when it was made, the CSV's SHA-256 and row count, and the
/// suppression rule.
#[utoipa::path(
    tag = "statistics",
    params(("month" = String, Path, description = "YYYY-MM: a month whose last day has ended in China")),
    responses(
        (status = 200, body = ReleaseMetadata),
        (status = 404, body = Problem, description = "not_found: a month not yet closed in China, or before the first records"),
        (status = 422, body = Problem, description = "validation_failed: not a month written YYYY-MM"),
    ),
)]
#[get("/api/v1/statistics/releases/{month}.json")]
pub async fn release_metadata(
    state: web::Data<AppState>,
    month: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let release = releases::release(&state, &month).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(attachment(&release.metadata_file_name()))
        .body(release.metadata))
}

/// Content-Disposition: a file to keep, under its name.
fn attachment(name: &str) -> ContentDisposition {
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(name.to_owned())],
    }
}
