//! The employer's payslips: the form on the placement page and the CSV upload.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as UploadedFile;
use actix_multipart::form::text::Text;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::money::parse_yuan;
use crate::domain::payslip::{Payslip, PayslipDeduction};
use crate::error::{AppError, ErrorCode};
use crate::ids::PlacementId;
use crate::pages::{CheckedForm, Employer, Page, PageError, PageResult, Upload, read_upload, see_other};
use crate::services::accounts::invalid;
use crate::services::compliance;
use crate::state::AppState;

/// The payslip form's fields: amounts in yuan as people write them, deductions as
/// `kind: amount` lines.
#[derive(Deserialize)]
pub struct PayslipForm {
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
    user: Employer,
    id: web::Path<PlacementId>,
    form: Result<CheckedForm<PayslipForm>, PageError>,
) -> PageResult {
    // The role is looked at before the token (see `super`).
    let CheckedForm(form) = form?;
    let id = id.into_inner();
    let lang = Page::new(&req, &state, Some(&user)).lang;
    let result = match form.input() {
        Ok(input) => compliance::report_payslip(&state, &user, &id, input).await.map(drop),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/placements/{id}#payslips"))),
        Err(err) if matches!(err.code, ErrorCode::NotFound | ErrorCode::Forbidden) => Err(err.into()),
        Err(err) => {
            let message = crate::pages::refusal_text(&err, lang);
            let refusal = Some((err.code.status(), message));
            crate::pages::placements::detail_page(&req, &state, user.0, id, refusal).await
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
pub async fn import_form(req: HttpRequest, state: web::Data<AppState>, user: Employer) -> PageResult {
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
pub struct PayslipsUpload {
    csrf_token: Text<String>,
    file: UploadedFile,
}

impl Upload for PayslipsUpload {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Imports a payslip CSV: every row or none, each faulty row listed.
#[post("/employer/payslips/import")]
pub async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Employer,
    body: web::Payload,
) -> PageResult {
    let form: PayslipsUpload = read_upload(&req, body).await?;
    let page = Page::new(&req, &state, Some(&user));
    let bytes = form.file.data;
    let result = compliance::import_payslips(&state, &user, bytes).await;
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
        Err(err) => Err(err.into()),
    }
}
