//! The public licence check, and the regulator's agency and licence desk.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{CheckedForm, Page, PageError, PageResult, Paging, Regulator, next_link, see_other};
use crate::auth::PageUser;
use crate::domain::licence::{LicenceAction, LicenceStatus};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::ids::AgencyId;
use crate::services::agencies::{self, Agency, AgencyInput, LicenceDecision, PublicLicence};
use crate::services::compliance;
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
    /// The workers' ratings in words: mean and count.
    rating_line: String,
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
        rating_line: String::new(),
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
    let found = match agencies::public_licence(&state, &number).await {
        Ok(found) => Some(found),
        Err(err) if err.code == ErrorCode::NotFound => None,
        Err(err) => return Err(err.into()),
    };
    let lang = page.lang;
    let template = LicenceTemplate {
        page: &page,
        number: agencies::normalise_licence_number(&number),
        asked: true,
        country: found.as_ref().map(|f| country_name(&f.country, lang)).unwrap_or_default(),
        status: found.as_ref().map(|f| status_label(f.status, lang)).unwrap_or_default(),
        rating_line: found
            .as_ref()
            .map(|f| super::ratings::summary_line(&f.rating, lang))
            .unwrap_or_default(),
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
                    (
                        lang.datetime(e.at),
                        lang.t(&format!("event-{}", e.event)),
                        e.reason.clone().unwrap_or_default(),
                    )
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
    /// The country whose agencies the reader licenses, with its name: the form offers it
    /// alone; none, no form.
    licenses: Option<(&'static str, String)>,
    next: Option<String>,
}

/// The desk with a page of the agencies (`paging`, read from the request's query).
async fn desk(
    req: &HttpRequest,
    state: &AppState,
    user: &Regulator,
    page: &Page,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let paging =
        web::Query::<Paging>::from_query(req.query_string()).map(|q| q.into_inner()).unwrap_or_default();
    let desk = agencies::desk(state, user, paging.request()?).await?;
    let next = next_link(req, desk.agencies.next.as_deref());
    let agencies = desk.agencies.items.into_iter().map(|a| AgencyRow::new(a, page.lang)).collect();
    let licenses = desk.licenses.map(|c| (c.as_str(), country_name(c.as_str(), page.lang)));
    Ok(page.respond(status, &DeskTemplate { page, agencies, error, licenses, next }))
}

/// The agencies with their licence status, a page at a time, and the form to license a new
/// one.
#[get("/regulator/agencies")]
pub async fn list(req: HttpRequest, state: web::Data<AppState>, user: Regulator) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    desk(&req, &state, &user, &page, None, StatusCode::OK).await
}

/// The licensing form as typed; the dates are parsed here, everything else by the service.
#[derive(Deserialize)]
pub struct AgencyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    licence_number: String,
    #[serde(default)]
    licence_valid_from: String,
    #[serde(default)]
    licence_valid_until: String,
    #[serde(default)]
    email: String,
    /// Taken exactly as typed, as at login.
    #[serde(default)]
    password: String,
}

impl AgencyForm {
    /// The service's input, or `None` when a licence date is not a date.
    fn input(self) -> Option<AgencyInput> {
        let date = |raw: &str| raw.trim().parse::<NaiveDate>().ok();
        Some(AgencyInput {
            licence_valid_from: date(&self.licence_valid_from)?,
            licence_valid_until: date(&self.licence_valid_until)?,
            name: self.name.trim().to_owned(),
            country: self.country.trim().to_owned(),
            licence_number: self.licence_number.trim().to_owned(),
            email: self.email.trim().to_owned(),
            password: self.password,
        })
    }
}

#[post("/regulator/agencies")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<AgencyForm>,
    user: Result<Regulator, PageError>,
) -> PageResult {
    // The token is refused before the role is looked at.
    let user = user?;
    let page = Page::new(&req, &state, Some(&user));
    let Some(input) = form.input() else {
        let error = super::field_refusal(page.lang, "licence_dates");
        return desk(&req, &state, &user, &page, Some(error), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match agencies::create(&state, &user, input).await {
        Ok(agency) => Ok(see_other(&format!("/regulator/agencies/{}", agency.id))),
        Err(err) if err.code.status().is_client_error() => {
            let field = super::refused_field(&err, "licence_number");
            let error = super::field_refusal(page.lang, field);
            desk(&req, &state, &user, &page, Some(error), err.code.status()).await
        }
        Err(err) => Err(err.into()),
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
    /// Whether the reader decides on the licence (the side of the agency's country).
    decides: bool,
}

async fn agency_page(
    state: &AppState,
    user: &Regulator,
    page: &Page,
    id: &AgencyId,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let agencies::AgencyPage { agency, decides } = agencies::page(state, user, id).await?;
    let cases = compliance::case_counts(state, user, id.as_str()).await?;
    let row = AgencyRow::new(agency, page.lang);
    Ok(page.respond(status, &AgencyTemplate { page, row, error, cases, decides }))
}

/// One agency: its licence, its history, and the decisions a regulator may take.
#[get("/regulator/agencies/{id}")]
pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    id: web::Path<AgencyId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    agency_page(&state, &user, &page, &id, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    reason: Option<String>,
}

/// Suspends, reinstates or revokes a licence, with the reason recorded.
#[post("/regulator/agencies/{id}/licence/{action}")]
pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<DecisionForm>,
    user: Result<Regulator, PageError>,
    path: web::Path<(AgencyId, String)>,
) -> PageResult {
    // The token is refused before the role is looked at.
    let user = user?;
    let (id, action) = path.into_inner();
    let action = match action.as_str() {
        "suspend" => LicenceAction::Suspend,
        "reinstate" => LicenceAction::Reinstate,
        "revoke" => LicenceAction::Revoke,
        _ => return Err(AppError::not_found().into()),
    };
    match agencies::decide(&state, &user, &id, action, LicenceDecision { reason: form.reason }).await {
        Ok(_) => Ok(see_other(&format!("/regulator/agencies/{id}"))),
        Err(err) if matches!(err.code, ErrorCode::ValidationFailed | ErrorCode::Conflict) => {
            let page = Page::new(&req, &state, Some(&user));
            let key = if err.code == ErrorCode::Conflict {
                "licence-decision-conflict"
            } else {
                "licence-reason-needed"
            };
            agency_page(&state, &user, &page, &id, Some(page.lang.t(key)), err.code.status()).await
        }
        Err(err) => Err(err.into()),
    }
}
