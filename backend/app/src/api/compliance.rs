//! Wage compliance and grievances: payslips, fee reports, complaints, reports against
//! unlicensed brokers, cases, and the regulator's compliance view.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{Problem, client_address, paged};
use crate::auth::{ApiUser, MaybeApiUser};
use crate::domain::payslip::Payslip;
use crate::error::AppError;
use crate::ids::{CaseId, PlacementId};
use crate::services::accounts::invalid;
use crate::services::compliance::{
    self, BrokerReportInput, BrokerReportReceipt, BrokerReportStatus, Case, CaseAction, CaseQuery, CaseStep,
    ComplaintInput, ComplaintReceipt, ComplaintStatus, Compliance, EmployerPay, EmployerPayQuery,
    FeeReportInput, Opened, PayPeriod, PayslipView,
};
use crate::state::AppState;

/// The employer reports a payslip. One that does not add up (net ≠ gross − deductions, a
/// period outside the season) is 422 and not stored; one that adds up is stored and
/// checked, and each failed check is a finding that opens a case.
#[utoipa::path(
    tag = "compliance",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    request_body = Payslip,
    responses(
        (status = 201, body = PayslipView),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "transition_not_allowed: the worker has not departed; payslip_overlap: a reported payslip's period shares a day with this one", body = Problem),
        (status = 422, body = Problem),
    ),
)]
#[post("/api/v1/placements/{id}/payslips")]
pub async fn report_payslip(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
    body: web::Json<Payslip>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(compliance::report_payslip(&state, &user, &id, body.into_inner()).await?))
}

/// A placement's payslips with their findings: for its employer, agency, worker and regulators.
#[utoipa::path(
    tag = "compliance",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = [PayslipView]), (status = 404, body = Problem)),
)]
#[get("/api/v1/placements/{id}/payslips")]
pub async fn payslips(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
) -> Result<web::Json<Vec<PayslipView>>, AppError> {
    Ok(web::Json(compliance::payslips(&state, &user, &id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedPayslips {
    pub created: usize,
    pub compliant: usize,
}

/// Payslips from a CSV file (columns placement_id, period_start, period_end,
/// minutes_worked, gross_fen, deductions as `kind:fen;kind:fen`, net_fen, paid_on): every
/// row or none, with every faulty row's field and code.
#[utoipa::path(
    tag = "compliance",
    security(("bearer" = [])),
    request_body(content = inline(crate::api::CsvFile), content_type = "text/csv"),
    responses((status = 201, body = ImportedPayslips), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/payslips/import")]
pub async fn import_payslips(
    state: web::Data<AppState>,
    user: ApiUser,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, AppError> {
    let bytes = crate::api::csv_body(&req, body, state.settings.server.csv_limit_bytes).await?;
    let stored = compliance::import_payslips(&state, &user, bytes).await?;
    let compliant = stored.iter().filter(|s| s.compliant).count();
    Ok(HttpResponse::Created().json(ImportedPayslips { created: stored.len(), compliant }))
}

/// A worker reports a fee it paid: a case against the agency. Only against an agency that
/// registered or placed the worker (any other, known or not, is 422 on `agency_id`), and
/// one at a time: while its report against the agency is open, 409 `fee_report_open`.
#[utoipa::path(
    tag = "compliance",
    security(("bearer" = [])),
    request_body = FeeReportInput,
    responses(
        (status = 201, body = Opened),
        (status = 403, body = Problem),
        (status = 409, description = "fee_report_open", body = Problem),
        (status = 422, description = "validation_failed", body = Problem),
    ),
)]
#[post("/api/v1/fee-reports")]
pub async fn report_fee(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<FeeReportInput>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(compliance::report_fee(&state, &user, body.into_inner()).await?))
}

/// Anyone files a complaint, logged in or not; the answer's reference follows it. Without a
/// `contact` it is anonymous: a signed-in caller's account is not kept with it.
#[utoipa::path(
    security((), ("bearer" = [])),
    tag = "compliance",
    request_body = ComplaintInput,
    responses(
        (status = 201, body = ComplaintReceipt),
        (status = 422, body = Problem),
        (status = 429, description = "rate_limited: too many complaints from this client, with Retry-After", body = Problem),
    ),
)]
#[post("/api/v1/complaints")]
pub async fn file_complaint(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeApiUser,
    body: web::Json<ComplaintInput>,
) -> Result<HttpResponse, AppError> {
    let actor = user.0.as_ref().map(|u| &u.actor);
    Ok(HttpResponse::Created()
        .json(compliance::file_complaint(&state, client_address(&req), actor, body.into_inner()).await?))
}

/// Where a complaint stands, by its reference, without logging in.
#[utoipa::path(
    tag = "compliance",
    responses((status = 200, body = ComplaintStatus), (status = 404, body = Problem)),
)]
#[get("/api/v1/public/complaints/{reference}")]
pub async fn complaint_status(
    state: web::Data<AppState>,
    reference: web::Path<String>,
) -> Result<web::Json<ComplaintStatus>, AppError> {
    Ok(web::Json(compliance::complaint_status(&state, &reference).await?))
}

/// Anyone reports an unlicensed broker — a person or business that recruits without a
/// licence, takes money for "papers" or a crossing, or holds documents — logged in or not.
/// It needs what the broker did (`kinds`) and the broker's name or phone number, or what
/// happened (`description`); no identity-document number is asked. The report opens a case
/// routed to Viet Nam's side (China's side reads it); the answer's reference follows it.
/// Without a `contact` it is anonymous: a signed-in caller's account is not kept with it.
#[utoipa::path(
    security((), ("bearer" = [])),
    tag = "compliance",
    request_body = BrokerReportInput,
    responses(
        (status = 201, body = BrokerReportReceipt),
        (status = 422, description = "validation_failed: nothing to act on (`field: \"broker\"`, with `needed`), no or an unknown kind, a text too long, a date outside 2000–2099 or after today, an amount out of bounds, an unknown region", body = Problem),
        (status = 429, description = "rate_limited: too many reports from this client, with Retry-After", body = Problem),
    ),
)]
#[post("/api/v1/broker-reports")]
pub async fn report_broker(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeApiUser,
    body: web::Json<BrokerReportInput>,
) -> Result<HttpResponse, AppError> {
    let actor = user.0.as_ref().map(|u| &u.actor);
    Ok(HttpResponse::Created()
        .json(compliance::report_broker(&state, client_address(&req), actor, body.into_inner()).await?))
}

/// Where a report against an unlicensed broker stands, by its reference, without logging in:
/// its kinds, status and dates, nothing it said.
#[utoipa::path(
    tag = "compliance",
    responses((status = 200, body = BrokerReportStatus), (status = 404, body = Problem)),
)]
#[get("/api/v1/broker-reports/{reference}")]
pub async fn broker_report_status(
    state: web::Data<AppState>,
    reference: web::Path<String>,
) -> Result<web::Json<BrokerReportStatus>, AppError> {
    Ok(web::Json(compliance::broker_report_status(&state, &reference).await?))
}

/// Cases, newest first, filtered (regulators). A page at a time.
#[utoipa::path(
    tag = "compliance",
    security(("bearer" = [])),
    params(CaseQuery),
    responses(
        (status = 200, body = [Case], headers(("Link" = String, description = "The next page: `<…>; rel=\"next\"` (RFC 8288), with the same filters and limit; absent on the last page"))),
        (status = 403, body = Problem),
        (status = 422, description = "validation_failed (a filter), invalid_limit or invalid_cursor", body = Problem),
    ),
)]
#[get("/api/v1/cases")]
pub async fn list_cases(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<CaseQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(paged(&req, compliance::list_cases(&state, &user, query.into_inner()).await?))
}

/// One case with its findings, notes and (for a complaint) its words (regulators).
#[utoipa::path(
    tag = "compliance",
    security(("bearer" = [])),
    params(("id" = CaseId, Path)),
    responses((status = 200, body = Case), (status = 403, body = Problem), (status = 404, body = Problem)),
)]
#[get("/api/v1/cases/{id}")]
pub async fn get_case(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<CaseId>,
) -> Result<web::Json<Case>, AppError> {
    Ok(web::Json(compliance::find_case(&state, &user, &id).await?))
}

/// Assigns (`user_id`, yourself by default), comments on (`note`) or resolves (`outcome`,
/// `note`, `amount_recovered_fen`, `upheld`) a case. Each step is audited.
#[utoipa::path(
    tag = "compliance",
    security(("bearer" = [])),
    request_body = CaseStep,
    params(("action" = String, Path, description = "assign, comment or resolve")),
    responses((status = 200, body = Case), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
)]
#[post("/api/v1/cases/{id}/{action}")]
pub async fn work_case(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<(CaseId, String)>,
    body: web::Json<CaseStep>,
) -> Result<web::Json<Case>, AppError> {
    let (id, action) = path.into_inner();
    let action = CaseAction::parse(&action).ok_or_else(AppError::not_found)?;
    Ok(web::Json(compliance::work_case(&state, &user, &id, action, body.into_inner()).await?))
}

/// Where each pay period of a placement stands: reported, running, due (within the grace
/// period) or missing (with the case it is on). For its employer, agency, worker and
/// regulators.
#[utoipa::path(
    tag = "compliance",
    params(("id" = PlacementId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = [PayPeriod]), (status = 404, body = Problem)),
)]
#[get("/api/v1/placements/{id}/pay-periods")]
pub async fn pay_periods(
    state: web::Data<AppState>,
    user: ApiUser,
    id: web::Path<PlacementId>,
) -> Result<web::Json<Vec<PayPeriod>>, AppError> {
    Ok(web::Json(compliance::pay_periods(&state, &user, &id).await?))
}

/// Per employer, the pay periods expected, the payslips reported, those paid late and the
/// periods missing (regulators; a provincial authority over its province). Worst first; as
/// JSON or CSV.
#[utoipa::path(
    tag = "compliance",
    security(("bearer" = [])),
    params(EmployerPayQuery),
    responses(
        (status = 200, body = [EmployerPay]),
        (status = 403, body = Problem),
        (status = 422, description = "validation_failed: a format other than json or csv; invalid_limit", body = Problem),
    ),
)]
#[get("/api/v1/compliance/pay")]
pub async fn employer_pay(
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<EmployerPayQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let csv = query.format.as_deref() == Some("csv");
    let rows = compliance::employer_pay(&state, &user, query).await?;
    Ok(match csv {
        true => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(compliance::employer_pay_csv(&rows)),
        false => HttpResponse::Ok().json(rows),
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ComplianceQuery {
    /// json (default) or csv.
    pub format: Option<String>,
}

/// The regulator's compliance view: payslip compliance, shortfall, open cases by kind and
/// region, the employers and agencies with the most findings, and the reports against
/// unlicensed brokers per region and month over the last twelve months. As JSON or CSV.
#[utoipa::path(
    tag = "compliance",
    security(("bearer" = [])),
    params(ComplianceQuery),
    responses(
        (status = 200, body = Compliance),
        (status = 403, body = Problem),
        (status = 422, description = "validation_failed: a format other than json or csv", body = Problem),
    ),
)]
#[get("/api/v1/compliance")]
pub async fn compliance_view(
    state: web::Data<AppState>,
    user: ApiUser,
    query: web::Query<ComplianceQuery>,
) -> Result<HttpResponse, AppError> {
    let view = compliance::compliance(&state, &user).await?;
    match query.format.as_deref() {
        None | Some("json") => Ok(HttpResponse::Ok().json(view)),
        Some("csv") => Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(compliance::compliance_csv(&view))),
        Some(_) => Err(invalid("format", "json or csv")),
    }
}
