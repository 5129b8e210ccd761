//! The JSON API under /api/v1, one module per resource, described by [`ApiDoc`].

pub mod accounts;
pub mod agencies;
pub mod audit;
pub mod compliance;
pub mod employers;
pub mod health;
pub mod matching;
pub mod placements;
pub mod reference;
pub mod vacancies;
pub mod wage_floors;
pub mod workers;

use actix_web::web;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// The problem+json body every error answers with (RFC 9457).
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[schema(example = "/api/problems/invalid_credentials")]
    pub r#type: String,
    pub title: String,
    pub status: u16,
    /// The stable error code.
    #[schema(example = "invalid_credentials")]
    pub code: String,
    pub detail: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "seasonlink API", description = "Licensed cross-border seasonal work: vacancies, wage floors, agencies, workers, placements."),
    paths(
        accounts::login,
        accounts::logout,
        accounts::me,
        accounts::create_regulator,
        health::healthz,
        health::readyz,
        reference::regions,
        reference::occupations,
        reference::skills,
        reference::crossings,
        wage_floors::create_rule,
        wage_floors::end_rule,
        wage_floors::list_rules,
        wage_floors::resolve,
        wage_floors::below_floor,
        employers::register,
        employers::verify,
        employers::list,
        employers::get,
        matching::candidates,
        matching::propose,
        matching::make_offers,
        vacancies::create,
        vacancies::list,
        vacancies::get,
        vacancies::update,
        vacancies::open,
        vacancies::close,
        agencies::create,
        agencies::suspend,
        agencies::reinstate,
        agencies::revoke,
        agencies::list,
        agencies::get,
        agencies::public_licence,
        workers::create,
        workers::import,
        workers::list,
        workers::me,
        workers::get,
        workers::update,
        placements::offer,
        placements::list,
        placements::get,
        placements::contract,
        placements::accept,
        placements::decline,
        placements::withdraw,
        placements::amend,
        placements::issue_permit,
        placements::revoke_permit,
        placements::public_permit,
        placements::depart,
        placements::complete,
        placements::terminate,
        placements::record_return,
        placements::name_worker,
        placements::alerts,
        audit::list,
        audit::verify,
        compliance::report_payslip,
        compliance::payslips,
        compliance::import_payslips,
        compliance::report_fee,
        compliance::file_complaint,
        compliance::complaint_status,
        compliance::list_cases,
        compliance::get_case,
        compliance::work_case,
        compliance::compliance_view,
    ),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts"),
        (name = "reference", description = "Regions, occupations, skills and border crossings"),
        (name = "wage floors", description = "Statutory minimums and prevailing wages; the binding floor"),
        (name = "employers"),
        (name = "vacancies", description = "Seasonal vacancies, never below the wage floor"),
        (name = "matching", description = "Ranked candidates and exact season-wide proposals"),
        (name = "agencies", description = "Licensed agencies, their licences, and the public licence check"),
        (name = "workers", description = "Workers registered by licensed agencies"),
        (name = "placements", description = "Offers, contracts and consent, permits, border crossings and returns"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "compliance", description = "Payslips and their findings, fee reports, complaints and cases"),
        (name = "operations"),
    ),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}

/// A `text/csv` request body, read up to `limit` bytes (413 above it, 415 for another type).
pub async fn csv_body(
    req: &actix_web::HttpRequest,
    body: web::Payload,
    limit: usize,
) -> Result<web::Bytes, crate::error::AppError> {
    use crate::error::{AppError, ErrorCode};
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.trim().to_ascii_lowercase().starts_with("text/csv") {
        return Err(AppError::new(ErrorCode::UnsupportedMediaType).with_detail("send the file as text/csv"));
    }
    body.to_bytes_limited(limit)
        .await
        .map_err(|_| AppError::new(ErrorCode::PayloadTooLarge))?
        .map_err(|e| AppError::new(ErrorCode::MalformedBody).with_detail(e.to_string()))
}

/// The /api/v1 routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(accounts::login)
        .service(accounts::logout)
        .service(accounts::me)
        .service(accounts::create_regulator)
        .service(reference::regions)
        .service(reference::occupations)
        .service(reference::skills)
        .service(reference::crossings)
        .service(wage_floors::resolve)
        .service(wage_floors::below_floor)
        .service(wage_floors::list_rules)
        .service(wage_floors::create_rule)
        .service(wage_floors::end_rule)
        .service(employers::register)
        .service(employers::list)
        .service(employers::get)
        .service(employers::verify)
        .service(matching::candidates)
        .service(matching::propose)
        .service(matching::make_offers)
        .service(vacancies::create)
        .service(vacancies::list)
        .service(vacancies::get)
        .service(vacancies::update)
        .service(vacancies::open)
        .service(vacancies::close)
        .service(agencies::create)
        .service(agencies::list)
        .service(agencies::get)
        .service(agencies::suspend)
        .service(agencies::reinstate)
        .service(agencies::revoke)
        .service(agencies::public_licence)
        .service(workers::create)
        .service(workers::import)
        .service(workers::me)
        .service(workers::list)
        .service(workers::get)
        .service(workers::update)
        .service(placements::offer)
        .service(placements::list)
        .service(placements::get)
        .service(placements::contract)
        .service(placements::accept)
        .service(placements::decline)
        .service(placements::withdraw)
        .service(placements::amend)
        .service(placements::issue_permit)
        .service(placements::revoke_permit)
        .service(placements::public_permit)
        .service(placements::depart)
        .service(placements::complete)
        .service(placements::terminate)
        .service(placements::record_return)
        .service(placements::name_worker)
        .service(placements::alerts)
        .service(audit::list)
        .service(audit::verify)
        .service(compliance::report_payslip)
        .service(compliance::payslips)
        .service(compliance::import_payslips)
        .service(compliance::report_fee)
        .service(compliance::file_complaint)
        .service(compliance::complaint_status)
        .service(compliance::list_cases)
        .service(compliance::get_case)
        .service(compliance::work_case)
        .service(compliance::compliance_view);
}
