//! Grievances: the worker's fee report (in Vietnamese by default), and the public complaint
//! form with its status by reference.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::looked_up;
use crate::api::client_address;
use crate::auth::PageUser;
use crate::domain::calendar::china_day;
use crate::domain::money::parse_yuan;
use crate::error::{AppError, ErrorCode};
use crate::ids::AgencyId;
use crate::pages::{CheckedForm, Page, PageError, PageResult, Worker, refusal_text, see_other};
use crate::services::accounts::invalid;
use crate::services::compliance::{self, CATEGORIES, ComplaintInput, ComplaintStatus, FeeReportInput};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "fee_report.html")]
struct FeeTemplate<'a> {
    page: &'a Page,
    agency_id: AgencyId,
    error: Option<String>,
    done: bool,
}

/// The worker's fee report form, in Vietnamese by default.
#[get("/worker/fees")]
pub async fn fee_form(req: HttpRequest, state: web::Data<AppState>, user: Worker) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let agency_id = compliance::own_agency(&state, &user).await?;
    let template = FeeTemplate { page: &page, agency_id, error: None, done: false };
    Ok(page.respond(StatusCode::OK, &template))
}

/// The fee report as typed: the amount in yuan and the date are parsed here, the rest by
/// the service.
#[derive(Deserialize)]
pub struct FeeForm {
    agency_id: AgencyId,
    amount: String,
    paid_on: String,
    #[serde(default)]
    paid_to: String,
    description: String,
}

impl FeeForm {
    fn input(&self) -> Result<FeeReportInput, AppError> {
        match (parse_yuan(&self.amount), self.paid_on.trim().parse::<NaiveDate>()) {
            (Some(amount_fen), Ok(paid_on)) => Ok(FeeReportInput {
                agency_id: self.agency_id.clone(),
                amount_fen,
                paid_on,
                paid_to: Some(self.paid_to.clone()),
                description: self.description.clone(),
            }),
            (None, _) => Err(invalid("amount_fen", "an amount in yuan")),
            (_, Err(_)) => Err(invalid("paid_on", "a date")),
        }
    }
}

/// Records the worker's fee report: a case against the agency.
#[post("/worker/fees")]
pub async fn report_fee(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Worker,
    form: Result<CheckedForm<FeeForm>, PageError>,
) -> PageResult {
    // The role is looked at before the token (see `super`).
    let CheckedForm(form) = form?;
    let page = Page::new(&req, &state, Some(&user));
    let result = match form.input() {
        Ok(input) => compliance::report_fee(&state, &user, input).await,
        Err(e) => Err(e),
    };
    let (status, error, done) = match result {
        Ok(_) => (StatusCode::CREATED, None, true),
        Err(err) if err.code.status().is_client_error() => {
            (err.code.status(), Some(refusal_text(&err, page.lang)), false)
        }
        Err(err) => return Err(err.into()),
    };
    let template = FeeTemplate { page: &page, agency_id: form.agency_id, error, done };
    Ok(page.respond(status, &template))
}

#[derive(Template)]
#[template(path = "complaint_form.html")]
struct ComplaintTemplate<'a> {
    page: &'a Page,
    categories: Vec<(&'static str, String)>,
    agencies: Vec<(String, String)>,
    employers: Vec<(String, String)>,
    error: Option<String>,
}

async fn complaint_page(
    state: &AppState,
    page: &Page,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let subjects = compliance::complaint_subjects(state).await?;
    let lang = page.lang;
    let template = ComplaintTemplate {
        page,
        categories: CATEGORIES.iter().map(|c| (*c, lang.t(&format!("complaint-category-{c}")))).collect(),
        agencies: subjects
            .agencies
            .into_iter()
            .map(|a| (a.id, format!("{} ({})", a.name, a.licence_number.unwrap_or_default())))
            .collect(),
        employers: subjects.employers.into_iter().map(|e| (e.id, e.name)).collect(),
        error,
    };
    Ok(page.respond(status, &template))
}

/// The complaint form: anyone, no login, in the reader's language.
#[get("/complaints/new")]
pub async fn complaint_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    complaint_page(&state, &page, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct ComplaintForm {
    category: String,
    agency_id: Option<String>,
    employer_id: Option<String>,
    text: String,
    contact: Option<String>,
}

/// Files the complaint and shows its reference.
#[post("/complaints")]
pub async fn file_complaint(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<ComplaintForm>,
    user: Option<PageUser>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let input = ComplaintInput {
        category: form.category,
        agency_id: form.agency_id.map(Into::into),
        employer_id: form.employer_id.map(Into::into),
        text: form.text,
        language: page.lang.tag().to_owned(),
        contact: form.contact,
    };
    match compliance::file_complaint(&state, client_address(&req), user.as_deref().map(|u| &u.actor), input)
        .await
    {
        Ok(receipt) => Ok(see_other(&format!("/complaints/{}?new=1", receipt.reference))),
        Err(err) if err.code.status().is_client_error() => {
            let message = refusal_text(&err, page.lang);
            complaint_page(&state, &page, Some(message), err.code.status()).await
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "complaint_status.html")]
struct StatusTemplate<'a> {
    page: &'a Page,
    reference: String,
    found: Option<ComplaintStatus>,
    status: String,
    category: String,
    /// The day it was filed, in China.
    filed_on: String,
    new: bool,
}

#[derive(Deserialize)]
pub struct StatusQuery {
    new: Option<String>,
    reference: Option<String>,
}

async fn status_page(
    req: &HttpRequest,
    state: &AppState,
    user: Option<PageUser>,
    reference: String,
    new: bool,
) -> PageResult {
    let page = Page::new(req, state, user.as_deref());
    let found = match compliance::complaint_status(state, &reference).await {
        Ok(found) => Some(found),
        Err(err) if err.code == ErrorCode::NotFound => None,
        Err(err) => return Err(err.into()),
    };
    let lang = page.lang;
    let template = StatusTemplate {
        page: &page,
        status: found.as_ref().map(|f| lang.t(&format!("case-status-{}", f.status))).unwrap_or_default(),
        category: found
            .as_ref()
            .map(|f| lang.t(&format!("complaint-category-{}", f.category)))
            .unwrap_or_default(),
        filed_on: found.as_ref().map(|f| lang.date(china_day(f.filed_at))).unwrap_or_default(),
        reference,
        found,
        new,
    };
    let status = if template.found.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok(page.respond(status, &template))
}

/// Where a complaint stands, by its reference, without logging in.
#[get("/complaints/{reference}")]
pub async fn complaint_status(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    reference: web::Path<String>,
    query: web::Query<StatusQuery>,
) -> PageResult {
    status_page(&req, &state, user, reference.into_inner(), query.new.is_some()).await
}

/// The look-up form: a reference typed in goes to its status page.
#[get("/complaints")]
pub async fn complaint_lookup(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<StatusQuery>,
) -> PageResult {
    match looked_up("/complaints", query.reference.as_deref()) {
        Some(target) => Ok(see_other(&target)),
        None => status_page(&req, &state, user, String::new(), false).await,
    }
}
