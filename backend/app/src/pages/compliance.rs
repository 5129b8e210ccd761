//! Compliance and grievance pages: the employer's payslip form and CSV upload, the worker's
//! fee report, the public complaint form and its status by reference, the regulator's case
//! desk and the compliance view with its charts.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as UploadedFile;
use actix_multipart::form::text::Text;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::labels::finding_text;
use super::{Page, PageError, PageResult, check_csrf, require_role, see_other};
use crate::auth::PageUser;
use crate::db;
use crate::domain::account::Role;
use crate::domain::money::{parse_yuan, yuan};
use crate::domain::payslip::{Payslip, PayslipDeduction};
use crate::error::{AppError, ErrorCode};
use crate::services::accounts::invalid;
use crate::services::compliance::{
    self, CATEGORIES, Case, CaseAction, CaseQuery, CaseStep, ComplaintInput, ComplaintStatus, Compliance,
    Count, FeeReportInput,
};
use crate::services::workers;
use crate::state::AppState;

/// The payslip form's fields: amounts in yuan as people write them, deductions as
/// `kind: amount` lines.
#[derive(Deserialize)]
pub struct PayslipForm {
    csrf_token: String,
    period_start: String,
    period_end: String,
    minutes_worked: String,
    gross: String,
    deductions: Option<String>,
    net: String,
    paid_on: String,
}

impl PayslipForm {
    fn input(&self) -> Result<Payslip, AppError> {
        let date = |field: &'static str, v: &str| {
            v.trim().parse::<NaiveDate>().map_err(|_| invalid(field, "a date"))
        };
        let money =
            |field: &'static str, v: &str| parse_yuan(v).ok_or_else(|| invalid(field, "an amount in yuan"));
        let mut deductions = Vec::new();
        for line in self.deductions.as_deref().unwrap_or("").lines().map(str::trim).filter(|l| !l.is_empty())
        {
            let (kind, amount) = line.split_once(':').ok_or_else(|| invalid("deductions", "kind: amount"))?;
            deductions
                .push(PayslipDeduction { kind: kind.trim().to_owned(), fen: money("deductions", amount)? });
        }
        Ok(Payslip {
            period_start: date("period_start", &self.period_start)?,
            period_end: date("period_end", &self.period_end)?,
            minutes_worked: self
                .minutes_worked
                .trim()
                .parse()
                .map_err(|_| invalid("minutes_worked", "a number"))?,
            gross_fen: money("gross_fen", &self.gross)?,
            deductions,
            net_fen: money("net_fen", &self.net)?,
            paid_on: date("paid_on", &self.paid_on)?,
        })
    }
}

/// The employer reports a payslip from the placement page; the page shows it with its
/// findings, or the refusal.
#[post("/placements/{id}/payslips")]
pub async fn report_payslip(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    id: web::Path<String>,
    form: web::Form<PayslipForm>,
) -> PageResult {
    let user = require_role(&req, &state, user, Role::Employer)?;
    check_csrf(&req, &state, &form.csrf_token).map_err(|e| PageError::new(&req, &state, e))?;
    let id = id.into_inner();
    let lang = Page::new(&req, &state, Some(&user)).lang;
    let result = match form.input() {
        Ok(input) => {
            let (now, cap, who, pid) =
                (state.clock.now(), state.settings.rules.deductions_cap_percent, user.clone(), id.clone());
            db::transaction(&state.pool, move |conn| {
                compliance::report_payslip(conn, &who, &pid, input, cap, now)
            })
            .await
            .map(drop)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/placements/{id}#payslips"))),
        Err(err) if matches!(err.code, ErrorCode::NotFound | ErrorCode::Forbidden) => {
            Err(PageError::new(&req, &state, err))
        }
        Err(err) => {
            let message = super::refusal_text(&err, lang);
            super::placements::detail_page(&req, &state, user, id, Some((err.code.status(), message))).await
        }
    }
}

#[derive(Template)]
#[template(path = "payslip_import.html")]
struct ImportTemplate<'a> {
    page: &'a Page,
    done: Option<(usize, usize)>,
    errors: Vec<(usize, String, String)>,
    columns: String,
}

/// The employer's payslip upload form.
#[get("/employer/payslips/import")]
pub async fn import_form(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let user = require_role(&req, &state, user, Role::Employer)?;
    let page = Page::new(&req, &state, Some(&user));
    let template = ImportTemplate {
        page: &page,
        done: None,
        errors: Vec::new(),
        columns: compliance::PAYSLIP_COLUMNS.join(","),
    };
    Ok(page.respond(StatusCode::OK, &template))
}

#[derive(MultipartForm)]
pub struct ImportUpload {
    csrf_token: Text<String>,
    #[multipart(limit = "20MiB")]
    file: UploadedFile,
}

/// Imports a payslip CSV: every row or none, each faulty row listed.
#[post("/employer/payslips/import")]
pub async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    form: MultipartForm<ImportUpload>,
) -> PageResult {
    let user = require_role(&req, &state, user, Role::Employer)?;
    check_csrf(&req, &state, &form.csrf_token).map_err(|e| PageError::new(&req, &state, e))?;
    let page = Page::new(&req, &state, Some(&user));
    let bytes = form.into_inner().file.data;
    let (now, cap, who) = (state.clock.now(), state.settings.rules.deductions_cap_percent, user.clone());
    let result =
        db::transaction(&state.pool, move |conn| compliance::import_payslips(conn, &who, &bytes, cap, now))
            .await;
    let columns = compliance::PAYSLIP_COLUMNS.join(",");
    match result {
        Ok(stored) => {
            let compliant = stored.iter().filter(|s| s.compliant).count();
            let template = ImportTemplate {
                page: &page,
                done: Some((stored.len(), compliant)),
                errors: Vec::new(),
                columns,
            };
            Ok(page.respond(StatusCode::CREATED, &template))
        }
        Err(err) if err.code == ErrorCode::ValidationFailed => {
            let errors = err
                .extra
                .get("errors")
                .and_then(|e| e.as_array())
                .map(|list| {
                    list.iter()
                        .map(|e| {
                            let s = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
                            (e["row"].as_u64().unwrap_or(0) as usize, s("field"), s("code"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let template = ImportTemplate { page: &page, done: None, errors, columns };
            Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY, &template))
        }
        Err(err) => Err(PageError::new(&req, &state, err)),
    }
}

#[derive(Template)]
#[template(path = "fee_report.html")]
struct FeeTemplate<'a> {
    page: &'a Page,
    agency_id: String,
    error: Option<String>,
    done: bool,
}

/// The worker's fee report form, in Vietnamese by default.
#[get("/worker/fees")]
pub async fn fee_form(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let user = require_role(&req, &state, user, Role::Worker)?;
    let page = Page::new(&req, &state, Some(&user));
    let who = user.clone();
    let me = db::run(&state.pool, move |conn| {
        let id = who.org_for(Role::Worker)?;
        workers::find_visible(conn, &id, &workers::Viewer::Worker(id.clone()))
    })
    .await
    .map_err(|e| PageError::new(&req, &state, e))?;
    let template = FeeTemplate { page: &page, agency_id: me.agency_id, error: None, done: false };
    Ok(page.respond(StatusCode::OK, &template))
}

#[derive(Deserialize)]
pub struct FeeForm {
    csrf_token: String,
    agency_id: String,
    amount: String,
    paid_on: String,
    paid_to: String,
    description: String,
}

/// Records the worker's fee report: a case against the agency.
#[post("/worker/fees")]
pub async fn report_fee(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    form: web::Form<FeeForm>,
) -> PageResult {
    let user = require_role(&req, &state, user, Role::Worker)?;
    check_csrf(&req, &state, &form.csrf_token).map_err(|e| PageError::new(&req, &state, e))?;
    let page = Page::new(&req, &state, Some(&user));
    let form = form.into_inner();
    let input = match (parse_yuan(&form.amount), form.paid_on.trim().parse::<NaiveDate>()) {
        (Some(amount_fen), Ok(paid_on)) => Ok(FeeReportInput {
            agency_id: form.agency_id.clone(),
            amount_fen,
            paid_on,
            paid_to: form.paid_to,
            description: form.description,
        }),
        (None, _) => Err(invalid("amount_fen", "an amount in yuan")),
        (_, Err(_)) => Err(invalid("paid_on", "a date")),
    };
    let (now, who) = (state.clock.now(), user.clone());
    let result = match input {
        Ok(input) => {
            db::transaction(&state.pool, move |conn| compliance::report_fee(conn, &who, input, now)).await
        }
        Err(e) => Err(e),
    };
    let (status, error, done) = match result {
        Ok(_) => (StatusCode::CREATED, None, true),
        Err(err) if err.code.status().is_client_error() => {
            (err.code.status(), Some(super::refusal_text(&err, page.lang)), false)
        }
        Err(err) => return Err(PageError::new(&req, &state, err)),
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
    req: &HttpRequest,
    state: &AppState,
    page: &Page,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let today = state.clock.now().date_naive();
    let (agencies, employers) = db::run(&state.pool, move |conn| {
        let agencies = crate::services::agencies::list_in(conn, today)?;
        let employers = crate::db::employers::list(conn, Some("verified"))?;
        Ok((agencies, employers))
    })
    .await
    .map_err(|e| PageError::new(req, state, e))?;
    let lang = page.lang;
    let template = ComplaintTemplate {
        page,
        categories: CATEGORIES.iter().map(|c| (*c, lang.t(&format!("complaint-category-{c}")))).collect(),
        agencies: agencies
            .into_iter()
            .map(|a| (a.id, format!("{} ({})", a.name, a.licence_number)))
            .collect(),
        employers: employers.into_iter().map(|e| (e.id, e.name)).collect(),
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
    complaint_page(&req, &state, &page, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct ComplaintForm {
    csrf_token: String,
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
    user: Option<PageUser>,
    form: web::Form<ComplaintForm>,
) -> PageResult {
    check_csrf(&req, &state, &form.csrf_token).map_err(|e| PageError::new(&req, &state, e))?;
    let page = Page::new(&req, &state, user.as_deref());
    let form = form.into_inner();
    let input = ComplaintInput {
        category: form.category,
        agency_id: form.agency_id,
        employer_id: form.employer_id,
        text: form.text,
        language: page.lang.tag().to_owned(),
        contact: form.contact,
    };
    let (now, who) = (state.clock.now(), user.map(|u| u.0.actor));
    match db::transaction(&state.pool, move |conn| compliance::file_complaint(conn, who.as_ref(), input, now))
        .await
    {
        Ok(receipt) => Ok(see_other(&format!("/complaints/{}?new=1", receipt.reference))),
        Err(err) if err.code.status().is_client_error() => {
            let message = super::refusal_text(&err, page.lang);
            complaint_page(&req, &state, &page, Some(message), err.code.status()).await
        }
        Err(err) => Err(PageError::new(&req, &state, err)),
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
    let lookup = reference.clone();
    let found = match db::run(&state.pool, move |conn| compliance::complaint_status(conn, &lookup)).await {
        Ok(found) => Some(found),
        Err(err) if err.code == ErrorCode::NotFound => None,
        Err(err) => return Err(PageError::new(req, state, err)),
    };
    let lang = page.lang;
    let template = StatusTemplate {
        page: &page,
        status: found.as_ref().map(|f| lang.t(&format!("case-status-{}", f.status))).unwrap_or_default(),
        category: found
            .as_ref()
            .map(|f| lang.t(&format!("complaint-category-{}", f.category)))
            .unwrap_or_default(),
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
    match query.reference.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(reference) => {
            let clean: String =
                reference.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            Ok(see_other(&format!("/complaints/{clean}")))
        }
        None => status_page(&req, &state, user, String::new(), false).await,
    }
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesTemplate<'a> {
    page: &'a Page,
    cases: Vec<(Case, String)>,
    status: String,
    kind: String,
}

/// The regulator's case desk, filtered by status and kind.
#[get("/regulator/cases")]
pub async fn cases(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<CaseQuery>,
) -> PageResult {
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let page = Page::new(&req, &state, Some(&user));
    let query = query.into_inner();
    let (status, kind) = (query.status.clone().unwrap_or_default(), query.kind.clone().unwrap_or_default());
    let who = user.clone();
    let list = db::run(&state.pool, move |conn| compliance::list_cases(conn, &who, query))
        .await
        .map_err(|e| PageError::new(&req, &state, e))?;
    let lang = page.lang;
    let cases = list
        .into_iter()
        .map(|c| (lang.t(&format!("case-status-{}", c.status)), c))
        .map(|(s, c)| (c, s))
        .collect();
    Ok(page.respond(StatusCode::OK, &CasesTemplate { page: &page, cases, status, kind }))
}

#[derive(Template)]
#[template(path = "case.html")]
struct CaseTemplate<'a> {
    page: &'a Page,
    item: Case,
    kind: String,
    findings: Vec<(String, String)>,
    status: String,
    owed: String,
    error: Option<String>,
}

async fn case_page(
    req: &HttpRequest,
    state: &AppState,
    user: crate::auth::AuthUser,
    id: String,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let page = Page::new(req, state, Some(&user));
    let item = db::run(&state.pool, move |conn| compliance::find_case(conn, &user, &id))
        .await
        .map_err(|e| PageError::new(req, state, e))?;
    let template = CaseTemplate {
        page: &page,
        status: page.lang.t(&format!("case-status-{}", item.status)),
        kind: page.lang.t(&format!("case-kind-{}", item.kind)),
        findings: item.findings.iter().map(|f| (f.code.clone(), finding_text(f, page.lang))).collect(),
        owed: yuan(item.amount_owed_fen),
        item,
        error: error.as_ref().map(|(_, m)| m.clone()),
    };
    Ok(page.respond(error.map_or(StatusCode::OK, |(s, _)| s), &template))
}

/// One case: its findings, the complaint's words, its notes, and the next step.
#[get("/regulator/cases/{id}")]
pub async fn case_detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    id: web::Path<String>,
) -> PageResult {
    let user = require_role(&req, &state, user, Role::Regulator)?;
    case_page(&req, &state, user, id.into_inner(), None).await
}

#[derive(Deserialize)]
pub struct StepForm {
    csrf_token: String,
    note: Option<String>,
    outcome: Option<String>,
    recovered: Option<String>,
}

/// Assigns the case to the reader, comments on it or resolves it.
#[post("/regulator/cases/{id}/{action}")]
pub async fn work_case(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    path: web::Path<(String, String)>,
    form: web::Form<StepForm>,
) -> PageResult {
    let user = require_role(&req, &state, user, Role::Regulator)?;
    check_csrf(&req, &state, &form.csrf_token).map_err(|e| PageError::new(&req, &state, e))?;
    let (id, action) = path.into_inner();
    let action = match action.as_str() {
        "assign" => CaseAction::Assign,
        "comment" => CaseAction::Comment,
        "resolve" => CaseAction::Resolve,
        _ => return Err(PageError::new(&req, &state, AppError::not_found())),
    };
    let form = form.into_inner();
    let recovered = match form.recovered.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(text) => match parse_yuan(text) {
            Some(fen) => Some(fen),
            None => {
                let message = super::refusal_text(
                    &invalid("amount_recovered_fen", "an amount"),
                    Page::new(&req, &state, Some(&user)).lang,
                );
                return case_page(&req, &state, user, id, Some((StatusCode::UNPROCESSABLE_ENTITY, message)))
                    .await;
            }
        },
    };
    let note = form.note.filter(|n| !n.trim().is_empty());
    let step = CaseStep { user_id: None, note, outcome: form.outcome, amount_recovered_fen: recovered };
    let (now, who, cid) = (state.clock.now(), user.clone(), id.clone());
    match db::transaction(&state.pool, move |conn| compliance::work_case(conn, &who, &cid, action, step, now))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/regulator/cases/{id}"))),
        Err(err) if err.code == ErrorCode::NotFound => Err(PageError::new(&req, &state, err)),
        Err(err) => {
            let message = super::refusal_text(&err, Page::new(&req, &state, Some(&user)).lang);
            case_page(&req, &state, user, id, Some((err.code.status(), message))).await
        }
    }
}

/// One bar of a chart: its label, value and width in per cent of the largest.
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub width: i64,
}

fn bars(counts: &[Count], label: impl Fn(&str) -> String) -> Vec<Bar> {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    counts.iter().map(|c| Bar { label: label(&c.key), value: c.count, width: c.count * 100 / max }).collect()
}

#[derive(Template)]
#[template(path = "compliance.html")]
struct ComplianceTemplate<'a> {
    page: &'a Page,
    c: Compliance,
    rate: String,
    shortfall: String,
    /// Each chart's title key and bars.
    charts: Vec<(&'static str, Vec<Bar>)>,
}

/// The regulator's compliance view, with bar charts drawn on the server.
#[get("/regulator/compliance")]
pub async fn view(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let page = Page::new(&req, &state, Some(&user));
    let who = user.clone();
    let (c, reference, employer_names, agency_names) = db::run(&state.pool, move |conn| {
        let c = compliance::compliance(conn, &who)?;
        let reference = crate::services::reference::Reference::load(conn)?;
        let employers: Vec<(String, String)> =
            crate::db::employers::list(conn, None)?.into_iter().map(|e| (e.id, e.name)).collect();
        let agencies: Vec<(String, String)> =
            crate::db::agencies::list(conn)?.into_iter().map(|a| (a.id, a.name)).collect();
        Ok((c, reference, employers, agencies))
    })
    .await
    .map_err(|e| PageError::new(&req, &state, e))?;
    let lang = page.lang;
    let name_in = |names: &[(String, String)], id: &str| {
        names.iter().find(|(i, _)| i == id).map_or_else(|| id.to_owned(), |(_, n)| n.clone())
    };
    let template = ComplianceTemplate {
        page: &page,
        rate: format!("{}.{} %", c.compliance_per_mille / 10, c.compliance_per_mille % 10),
        shortfall: yuan(c.shortfall_fen),
        charts: vec![
            ("compliance-open-by-kind", bars(&c.open_cases_by_kind, |k| lang.t(&format!("case-kind-{k}")))),
            (
                "compliance-open-by-region",
                bars(&c.open_cases_by_region, |r| reference.name(r, lang).to_owned()),
            ),
            ("compliance-employers", bars(&c.employers_most_findings, |id| name_in(&employer_names, id))),
            ("compliance-agencies", bars(&c.agencies_most_findings, |id| name_in(&agency_names, id))),
        ],
        c,
    };
    Ok(page.respond(StatusCode::OK, &template))
}
