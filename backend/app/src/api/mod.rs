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
pub mod ratings;
pub mod reference;
pub mod statistics;
pub mod vacancies;
pub mod wage_floors;
pub mod work_history;
pub mod workers;

use actix_web::http::header::LINK;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use crate::domain::page::{Page, next_href};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// The problem+json body every error answers with (RFC 9457), with the extension members
/// a code names (`field`, `retry_after_seconds`, …) beside these.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[schema(example = "/api/problems/invalid_credentials")]
    pub r#type: String,
    pub title: String,
    pub status: u16,
    /// The stable error code (docs/api.md lists them).
    #[schema(example = "invalid_credentials")]
    pub code: String,
    /// Absent when the title says it all.
    pub detail: Option<String>,
}

/// The address of the client, for the limits counted per client: the peer of the
/// connection; or, when that peer is one of `server.trusted_proxies` (the reverse proxies in
/// front), the last address in `X-Forwarded-For` that is not itself one of them — the one
/// the proxies saw. A client cannot make itself another by sending the header: only a trusted
/// proxy's word is taken.
pub fn client_address(req: &HttpRequest) -> Option<std::net::IpAddr> {
    let peer = req.peer_addr()?.ip();
    let Some(state) = req.app_data::<web::Data<crate::state::AppState>>() else { return Some(peer) };
    let trusted = &state.settings.server.trusted_proxies;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<std::net::IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|address| address.trim().parse().ok())
        .collect();
    Some(forwarded.into_iter().rev().find(|address| !trusted.contains(address)).unwrap_or(peer))
}

/// A page of a list: its rows as a JSON array (the body a client of an unpaged list read),
/// and the address of the next page in `Link: <…>; rel="next"` (RFC 8288), absent on the
/// last page. The address keeps the request's filters and `limit`.
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
            modifiers(&BearerAuth, &CommonProblems),
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
                (name = "ratings", description = "Workers rate their agency and employer after return; regulators moderate the texts"),
                (name = "audit", description = "The hash-chained audit log"),
                (name = "compliance", description = "Payslips and their findings, fee reports, complaints, reports against unlicensed brokers, and cases"),
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
    employers::suspend,
    employers::reinstate,
    matching::candidates,
    matching::propose,
    matching::make_offers,
    matching::what_if,
    vacancies::create,
    vacancies::list,
    vacancies::get,
    vacancies::update,
    vacancies::open,
    vacancies::close,
    vacancies::hire_locally,
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
    work_history::own,
    work_history::share,
    work_history::withdraw,
    work_history::check,
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
    placements::verify_insurance,
    placements::record_orientation,
    placements::checklist,
    ratings::rate,
    ratings::pending,
    ratings::moderate,
    ratings::public_employer,
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
    compliance::report_broker,
    compliance::broker_report_status,
    compliance::list_cases,
    compliance::get_case,
    compliance::work_case,
    compliance::compliance_view,
    compliance::pay_periods,
    compliance::employer_pay,
    events::feed,
    events::register_partner,
    events::list_partners,
    events::remove_partner,
    events::deliveries,
    events::redeliver,
    events::notices,
}

/// What any operation may answer besides its own refusals, added from the operation's shape so
/// that no handler forgets one: 401 and 403 where a login is taken, 404 where the path names
/// a record, 400, 413 and 415 where a body is read, 400 where parameters are parsed,
/// and 503 wherever the database is used (everything but `/healthz`). An error response the
/// annotation gives without a description names every code of its status; and every error
/// answer is `application/problem+json`.
struct CommonProblems;

const PROBLEM_JSON: &str = "application/problem+json";

impl Modify for CommonProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{Content, Ref, RefOr, Response};

        let problem_content = || Content::new(Some(Ref::from_schema_name("Problem")));
        let problem = |description: &str| -> RefOr<Response> {
            let mut response = Response::new(description);
            response.content.insert(PROBLEM_JSON.into(), problem_content());
            RefOr::T(response)
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.head,
                &mut item.options,
                &mut item.trace,
            ];
            for operation in operations.into_iter().flatten() {
                let parameters = operation.parameters.as_deref().unwrap_or_default();
                let in_path = parameters.iter().any(|p| matches!(p.parameter_in, ParameterIn::Path));
                let in_query = parameters.iter().any(|p| matches!(p.parameter_in, ParameterIn::Query));
                let mut common: Vec<(&str, &str)> = Vec::new();
                if operation.security.is_some() {
                    common.push(("401", "not_authenticated, token_expired, token_invalid or token_revoked"));
                    common.push(("403", ""));
                }
                if in_path {
                    common.push(("404", "not_found"));
                }
                if operation.request_body.is_some() {
                    common.push(("400", "malformed_body: the body is not of the described shape"));
                    common.push(("413", "payload_too_large"));
                    common.push(("415", "unsupported_media_type"));
                } else if in_query || in_path {
                    common.push((
                        "400",
                        "malformed_body: a parameter is not of the described type, or holds a NUL character",
                    ));
                }
                if path != "/healthz" {
                    common.push(("503", "database_unavailable, with Retry-After"));
                }
                let responses = &mut operation.responses.responses;
                for (status, description) in common {
                    responses.entry(status.into()).or_insert_with(|| problem(description));
                }
                for (status, response) in responses.iter_mut() {
                    let RefOr::T(response) = response else { continue };
                    if !status.starts_with(['4', '5']) {
                        continue;
                    }
                    if response.description.is_empty() {
                        response.description = codes_of(status).join(", ");
                    }
                    let content = response.content.shift_remove("application/json");
                    if let Some(content) =
                        content.or_else(|| response.content.is_empty().then(problem_content))
                    {
                        response.content.insert(PROBLEM_JSON.into(), content);
                    }
                    if status == "429" || status == "503" {
                        let seconds = utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::Integer)
                            .build();
                        let mut header = utoipa::openapi::header::Header::new(seconds);
                        header.description = Some("Seconds to wait before trying again".into());
                        response.headers.insert("Retry-After".into(), header);
                    }
                }
            }
        }
    }
}

/// The codes answered with HTTP status `status` (docs/api.md's table).
fn codes_of(status: &str) -> Vec<&'static str> {
    crate::error::ErrorCode::ALL
        .iter()
        .filter(|code| code.status().as_str() == status)
        .map(|code| code.as_str())
        .collect()
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

/// The schema of a CSV file sent as a request body (`text/csv`, UTF-8): a file, so that
/// generated clients send its bytes as they are.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct CsvFile(#[allow(dead_code)] Vec<u8>);

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

    /// Every operation documents what it can answer: 401 and 403 where a login is taken, 404
    /// where the path names a record, 400, 413 and 415 where a body is read; every error
    /// answer is problem+json and names codes of its own status.
    #[test]
    fn every_operation_documents_its_problems() {
        use crate::error::ErrorCode;
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut operations = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                operations += 1;
                let at = format!("{method} {path}");
                let responses = operation["responses"].as_object().unwrap();
                let lists = |status: &str| responses.contains_key(status);
                if operation.get("security").is_some() {
                    assert!(
                        lists("401") && lists("403"),
                        "{at}: a login is taken, 401 and 403 must be listed"
                    );
                }
                let parameters = operation["parameters"].as_array().cloned().unwrap_or_default();
                if parameters.iter().any(|p| p["in"] == "path") {
                    assert!(lists("404"), "{at}: the path names a record, 404 must be listed");
                }
                if operation.get("requestBody").is_some() {
                    for status in ["400", "413", "415"] {
                        assert!(lists(status), "{at}: a body is read, {status} must be listed");
                    }
                }
                for (status, response) in responses.iter().filter(|(s, _)| s.starts_with(['4', '5'])) {
                    let content = response["content"]
                        .as_object()
                        .unwrap_or_else(|| panic!("{at} {status}: no content"));
                    assert_eq!(
                        content.keys().collect::<Vec<_>>(),
                        ["application/problem+json"],
                        "{at} {status}"
                    );
                    assert_eq!(
                        content["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/Problem"
                    );
                    let description = response["description"].as_str().unwrap();
                    let named: Vec<ErrorCode> = description
                        .split(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                        .filter_map(|word| ErrorCode::ALL.iter().copied().find(|code| code.as_str() == word))
                        .collect();
                    assert!(!named.is_empty(), "{at} {status}: no code named in {description:?}");
                    for code in named {
                        assert_eq!(
                            code.status().as_str(),
                            status,
                            "{at}: {} is not a {status}",
                            code.as_str()
                        );
                    }
                }
            }
        }
        assert!(operations > 90, "{operations}");
    }

    /// The reference data's crossing points and a placement's recorded crossing are two
    /// schemas; under one name the document described the list with the other's fields.
    #[test]
    fn the_crossing_schemas_are_apart() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert!(schemas["Crossing"]["properties"]["cn_region_code"].is_object(), "{}", schemas["Crossing"]);
        assert!(schemas["CrossingRecord"]["properties"]["at"].is_object(), "{}", schemas["CrossingRecord"]);
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
