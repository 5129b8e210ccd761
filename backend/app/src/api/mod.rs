//! The JSON API under /api/v1, one module per resource, described by [`ApiDoc`].

pub mod accounts;
pub mod agencies;
pub mod audit;
pub mod authorities;
pub mod compliance;
pub mod employers;
pub mod events;
pub mod health;
pub mod matching;
pub mod placements;
pub mod reference;
pub mod statistics;
pub mod vacancies;
pub mod wage_floors;
pub mod workers;

use actix_web::http::header::LINK;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use crate::domain::page::{Page, next_href};
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

/// A page of a list: its rows as a JSON array (the body a client of an unpaged list read),
/// and the address of the next page in `Link: <…>; rel="next"` (RFC 8288), absent on the
/// last page. The address keeps the request's filters and `limit`.
/// The address of the client, for the limits counted per client: the peer of the
/// connection (a proxy in front must be the only way in, and its address is then the one
/// counted; see README, "Several servers").
pub fn client_address(req: &HttpRequest) -> Option<std::net::IpAddr> {
    req.peer_addr().map(|addr| addr.ip())
}

pub fn paged<T: Serialize>(req: &HttpRequest, page: Page<T>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next {
        let href = next_href(req.path(), req.query_string(), cursor);
        response.insert_header((LINK, format!("<{href}>; rel=\"next\"")));
    }
    response.json(page.items)
}

/// One table registers and documents every API route: a handler listed in [`api_routes!`]
/// is served (in the table's order, which decides between overlapping paths) and described
/// in [`ApiDoc`]; a handler that is not listed is neither, so none is served undocumented.
macro_rules! api_routes {
    ($($module:ident :: $handler:ident),* $(,)?) => {
        #[derive(OpenApi)]
        #[openapi(
            info(title = "seasonlink API", description = "Licensed cross-border seasonal work: vacancies, wage floors, agencies, workers, placements."),
            paths($($module::$handler),*),
            components(schemas(Problem)),
            modifiers(&BearerAuth),
            tags(
                (name = "accounts"),
                (name = "authorities", description = "The authorities of China's and Viet Nam's sides, which regulators act for"),
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
                (name = "statistics", description = "Figures both countries' authorities read, from one set of definitions"),
                (name = "events", description = "The event feed, partner webhooks and their deliveries, and notices"),
                (name = "operations"),
            ),
        )]
        pub struct ApiDoc;

        /// The API's routes, health probes included.
        pub fn routes(cfg: &mut web::ServiceConfig) {
            $(cfg.service($module::$handler);)*
        }
    };
}

api_routes! {
    health::healthz,
    health::readyz,
    accounts::login,
    accounts::logout,
    accounts::me,
    accounts::update_me,
    accounts::create_regulator,
    authorities::list,
    authorities::create,
    accounts::activate,
    accounts::change_password,
    accounts::reset,
    accounts::confirm_reset,
    statistics::figures,
    statistics::definitions,
    statistics::demand_outlook,
    statistics::list_releases,
    statistics::release_csv,
    statistics::release_metadata,
    reference::regions,
    reference::occupations,
    reference::skills,
    reference::crossings,
    wage_floors::resolve,
    wage_floors::below_floor,
    wage_floors::list_rules,
    wage_floors::create_rule,
    wage_floors::end_rule,
    employers::register,
    employers::list,
    employers::get,
    employers::verify,
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
    agencies::list,
    agencies::get,
    agencies::suspend,
    agencies::reinstate,
    agencies::revoke,
    agencies::public_licence,
    workers::create,
    workers::import,
    workers::me,
    workers::list,
    workers::get,
    workers::access_log,
    workers::update,
    workers::activation,
    workers::correct_identity,
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
    events::feed,
    events::register_partner,
    events::list_partners,
    events::remove_partner,
    events::deliveries,
    events::redeliver,
    events::notices,
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` in the document names a schema the document defines.
    #[test]
    fn every_schema_reference_resolves() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let defined = doc["components"]["schemas"].as_object().unwrap();
        let mut refs = Vec::new();
        fn walk(v: &serde_json::Value, refs: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(map) => {
                    if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                        refs.push(r.clone());
                    }
                    map.values().for_each(|v| walk(v, refs));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, refs)),
                _ => {}
            }
        }
        walk(&doc, &mut refs);
        assert!(!refs.is_empty());
        for r in refs {
            let name = r.trim_start_matches("#/components/schemas/");
            assert!(defined.contains_key(name), "{r} is not defined");
        }
    }

    /// A typed id is named in the document, and is a plain string there, as in the JSON.
    #[test]
    fn typed_ids_are_strings_in_the_document() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let ids: Vec<_> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(name, _)| name.ends_with("Id"))
            .collect();
        assert!(ids.len() >= 2, "{ids:?}");
        for (name, schema) in ids {
            assert_eq!(schema, &serde_json::json!({"type": "string"}), "{name}");
        }
    }
}
