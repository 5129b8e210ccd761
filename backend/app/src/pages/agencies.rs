//! The public licence check, and the regulator's agency and licence desk.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{Page, PageError, PageResult, check_csrf, require_role, see_other};
use crate::auth::PageUser;
use crate::db;
use crate::domain::account::Role;
use crate::domain::licence::{LicenceAction, LicenceStatus};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::services::agencies::{self, Agency, AgencyInput, LicenceDecision, PublicLicence};
use crate::state::AppState;

fn country_name(country: &str, lang: Lang) -> String {
    lang.t(&format!("country-{country}"))
}

fn status_label(status: LicenceStatus, lang: Lang) -> String {
    lang.t(&format!("licence-{}", status.as_str()))
}

#[derive(Deserialize)]
pub struct CheckQuery {
    number: Option<String>,
}

#[derive(Template)]
#[template(path = "licence.html")]
struct LicenceTemplate<'a> {
    page: &'a Page,
    number: String,
    asked: bool,
    found: Option<PublicLicence>,
    country: String,
    status: String,
}

/// The public licence check: the form, or a redirect to the number's page.
#[get("/licences")]
pub async fn check_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<CheckQuery>,
) -> PageResult {
    if let Some(number) = query.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let encoded: String =
            number.chars().filter(|c| c.is_ascii_alphanumeric() || "-._".contains(*c)).collect();
        return Ok(see_other(&format!("/licences/{encoded}")));
    }
    let page = Page::new(&req, &state, user.as_deref());
    let template = LicenceTemplate {
        page: &page,
        number: String::new(),
        asked: false,
        found: None,
        country: String::new(),
        status: String::new(),
    };
    Ok(page.respond(StatusCode::OK, &template))
}

/// What anyone — a worker deciding whether to trust a broker, a border officer — may know
/// of a licence. An unknown number is simply not found.
#[get("/licences/{number}")]
pub async fn check(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    number: web::Path<String>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let today = state.clock.now().date_naive();
    let lookup = number.clone();
    let found = match db::run(&state.pool, move |conn| agencies::public_licence(conn, &lookup, today)).await {
        Ok(found) => Some(found),
        Err(err) if err.code == ErrorCode::NotFound => None,
        Err(err) => return Err(PageError::new(&req, &state, err)),
    };
    let lang = page.lang;
    let template = LicenceTemplate {
        page: &page,
        number: agencies::normalise_licence_number(&number),
        asked: true,
        country: found.as_ref().map(|f| country_name(&f.country, lang)).unwrap_or_default(),
        status: found.as_ref().map(|f| status_label(f.status, lang)).unwrap_or_default(),
        found,
    };
    let status = if template.found.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok(page.respond(status, &template))
}

/// An agency as a row of the desk, in the reader's language.
pub struct AgencyRow {
    pub agency: Agency,
    pub country: String,
    pub status: String,
    pub events: Vec<(String, String, String)>,
}

impl AgencyRow {
    fn new(agency: Agency, lang: Lang) -> AgencyRow {
        AgencyRow {
            country: country_name(&agency.country, lang),
            status: status_label(agency.licence_status, lang),
            events: agency
                .licence_events
                .iter()
                .map(|e| {
                    let at = e.at.format("%Y-%m-%d %H:%M UTC").to_string();
                    (at, lang.t(&format!("event-{}", e.event)), e.reason.clone().unwrap_or_default())
                })
                .collect(),
            agency,
        }
    }
}

#[derive(Template)]
#[template(path = "regulator_agencies.html")]
struct DeskTemplate<'a> {
    page: &'a Page,
    agencies: Vec<AgencyRow>,
    error: Option<String>,
}

async fn desk(
    req: &HttpRequest,
    state: &AppState,
    page: &Page,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let today = state.clock.now().date_naive();
    let all = db::run(&state.pool, move |conn| agencies::list(conn, today))
        .await
        .map_err(|e| PageError::new(req, state, e))?;
    let agencies = all.into_iter().map(|a| AgencyRow::new(a, page.lang)).collect();
    Ok(page.respond(status, &DeskTemplate { page, agencies, error }))
}

/// Every agency with its licence status, and the form to license a new one.
#[get("/regulator/agencies")]
pub async fn list(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let page = Page::new(&req, &state, Some(&user));
    desk(&req, &state, &page, None, StatusCode::OK).await
}

#[post("/regulator/agencies")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    form: web::Form<HashMap<String, String>>,
) -> PageResult {
    let form = form.into_inner();
    let field = |name: &str| form.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    check_csrf(&req, &state, &field(crate::auth::csrf::FIELD))
        .map_err(|e| PageError::new(&req, &state, e))?;
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let page = Page::new(&req, &state, Some(&user));
    let dates =
        (field("licence_valid_from").parse::<NaiveDate>(), field("licence_valid_until").parse::<NaiveDate>());
    let (Ok(licence_valid_from), Ok(licence_valid_until)) = dates else {
        let error = super::field_refusal(page.lang, "licence_dates");
        return desk(&req, &state, &page, Some(error), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let input = AgencyInput {
        name: field("name"),
        country: field("country"),
        licence_number: field("licence_number"),
        licence_valid_from,
        licence_valid_until,
        email: field("email"),
        // Passwords are taken exactly as typed, as at login.
        password: form.get("password").cloned().unwrap_or_default(),
    };
    let (by, now) = (user.user_id.clone(), state.clock.now());
    match db::transaction(&state.pool, move |conn| agencies::create(conn, input, &by, now)).await {
        Ok(agency) => Ok(see_other(&format!("/regulator/agencies/{}", agency.id))),
        Err(err) if err.code.status().is_client_error() => {
            let field = super::refused_field(&err, "licence_number");
            let error = super::field_refusal(page.lang, field);
            desk(&req, &state, &page, Some(error), err.code.status()).await
        }
        Err(err) => Err(PageError::new(&req, &state, err)),
    }
}

#[derive(Template)]
#[template(path = "regulator_agency.html")]
struct AgencyTemplate<'a> {
    page: &'a Page,
    row: AgencyRow,
    error: Option<String>,
    /// Cases against the agency (fees, complaints): all of them, and the open ones.
    cases: (usize, usize),
}

async fn agency_page(
    req: &HttpRequest,
    state: &AppState,
    page: &Page,
    id: String,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let today = state.clock.now().date_naive();
    let (agency, cases) = db::run(&state.pool, move |conn| {
        let filter = crate::db::compliance::CaseFilter { subject_id: Some(id.clone()), ..Default::default() };
        let cases = crate::db::compliance::list_cases(conn, &filter)?;
        let open = cases.iter().filter(|c| c.status != "resolved").count();
        Ok((agencies::find(conn, &id, today)?, (cases.len(), open)))
    })
    .await
    .map_err(|e| PageError::new(req, state, e))?;
    Ok(page.respond(status, &AgencyTemplate { page, row: AgencyRow::new(agency, page.lang), error, cases }))
}

/// One agency: its licence, its history, and the decisions a regulator may take.
#[get("/regulator/agencies/{id}")]
pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    id: web::Path<String>,
) -> PageResult {
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let page = Page::new(&req, &state, Some(&user));
    agency_page(&req, &state, &page, id.into_inner(), None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    csrf_token: String,
    reason: Option<String>,
}

/// Suspends, reinstates or revokes a licence, with the reason recorded.
#[post("/regulator/agencies/{id}/licence/{action}")]
pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    path: web::Path<(String, String)>,
    form: web::Form<DecisionForm>,
) -> PageResult {
    check_csrf(&req, &state, &form.csrf_token).map_err(|e| PageError::new(&req, &state, e))?;
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let (id, action) = path.into_inner();
    let action = match action.as_str() {
        "suspend" => LicenceAction::Suspend,
        "reinstate" => LicenceAction::Reinstate,
        "revoke" => LicenceAction::Revoke,
        _ => return Err(PageError::new(&req, &state, crate::error::AppError::not_found())),
    };
    let decision = LicenceDecision { reason: form.into_inner().reason };
    let (by, now, target) = (user.user_id.clone(), state.clock.now(), id.clone());
    match db::transaction(&state.pool, move |conn| {
        agencies::decide(conn, &target, action, decision, &by, now)
    })
    .await
    {
        Ok(_) => {
            tracing::info!(agency_id = %id, by = %user.user_id, event = action.event(), "licence decision");
            Ok(see_other(&format!("/regulator/agencies/{id}")))
        }
        Err(err) if matches!(err.code, ErrorCode::ValidationFailed | ErrorCode::Conflict) => {
            let page = Page::new(&req, &state, Some(&user));
            let key = if err.code == ErrorCode::Conflict {
                "licence-decision-conflict"
            } else {
                "licence-reason-needed"
            };
            agency_page(&req, &state, &page, id, Some(page.lang.t(key)), err.code.status()).await
        }
        Err(err) => Err(PageError::new(&req, &state, err)),
    }
}
