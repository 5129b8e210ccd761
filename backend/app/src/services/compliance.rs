//! Wage compliance and grievances: payslips checked against the contract and the floor,
//! the hours guarantee at season's end, fee reports, complaints, and the cases regulators
//! work. Every finding opens a case; every step of a case is audited.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::db::compliance::{
    self as store, CaseFilter, CaseRow, ComplaintRow, FeeReportRow, FindingRow, NoteRow, PayslipDeductionRow,
    PayslipRow,
};
use crate::db::{self, DbConnection, compliance as db_compliance};
use crate::domain::account::Role;
use crate::domain::contract::Terms;
use crate::domain::payslip::{self, Finding, Inconsistency, Payslip, PayslipDeduction};
use crate::error::{AppError, ErrorCode};
use crate::services::accounts::invalid;
use crate::services::worker_import::RowError;
use crate::services::{audit, placements, wage_floors};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PayslipView {
    pub id: String,
    pub placement_id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub minutes_worked: i64,
    pub gross_fen: i64,
    pub deductions: Vec<PayslipDeduction>,
    pub net_fen: i64,
    pub paid_on: NaiveDate,
    /// The floor in force over the period, per hour.
    pub floor_hourly_fen: i64,
    pub compliant: bool,
    pub findings: Vec<Finding>,
    /// The case the findings opened.
    pub case_id: Option<String>,
}

/// The longest text of a complaint, a note or a description.
const MAX_TEXT: usize = 5000;

fn text(field: &'static str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(invalid(field, "required, and not too long"));
    }
    Ok(value.to_owned())
}

/// Opens a case; returns its id.
#[allow(clippy::too_many_arguments)]
fn open_case(
    conn: &mut DbConnection,
    kind: &str,
    subject: (&str, Option<&str>),
    region_code: Option<&str>,
    placement_id: Option<&str>,
    owed: i64,
    by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let id = uuid::Uuid::now_v7().to_string();
    store::insert_case(
        conn,
        &CaseRow {
            id: id.clone(),
            kind: kind.to_owned(),
            subject_kind: subject.0.to_owned(),
            subject_id: subject.1.map(str::to_owned),
            region_code: region_code.map(str::to_owned),
            placement_id: placement_id.map(str::to_owned),
            status: "open".to_owned(),
            assigned_to: None,
            amount_owed_fen: owed,
            outcome: None,
            amount_recovered_fen: None,
            opened_at: now.naive_utc(),
            resolved_at: None,
        },
    )?;
    let detail = json!({"kind": kind, "subject_kind": subject.0, "subject_id": subject.1, "owed_fen": owed});
    audit::record(conn, by, "case.opened", ("case", &id), detail, now)?;
    Ok(id)
}

fn store_findings(
    conn: &mut DbConnection,
    case_id: &str,
    payslip_id: Option<&str>,
    placement_id: &str,
    found: &[Finding],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for f in found {
        store::insert_finding(
            conn,
            &FindingRow {
                id: uuid::Uuid::now_v7().to_string(),
                case_id: case_id.to_owned(),
                payslip_id: payslip_id.map(str::to_owned),
                placement_id: Some(placement_id.to_owned()),
                code: f.code.clone(),
                required: f.required,
                actual: f.actual,
                owed_fen: f.owed_fen,
                created_at: now.naive_utc(),
            },
        )?;
    }
    Ok(())
}

/// Why a payslip cannot be stored, as a 422 naming the field.
fn inconsistent(why: Inconsistency) -> AppError {
    match why {
        Inconsistency::NetMismatch { expected_net_fen } => {
            invalid("net_fen", "net pay must be gross pay less the deductions")
                .with("expected_net_fen", expected_net_fen)
        }
        Inconsistency::PeriodEndsBeforeStart => invalid("period_end", "the period ends before it starts"),
        Inconsistency::PaidBeforePeriod => invalid("paid_on", "paid before the period began"),
        Inconsistency::Negative(field) => invalid(field, "may not be negative"),
        Inconsistency::OutsideSeason => {
            invalid("period_start", "the period lies outside the contract's season")
        }
    }
}

/// The employer reports a payslip. One that does not add up is refused (422, nothing
/// written); one that adds up is always stored, then checked, and any finding opens a case
/// against the employer.
pub fn report_payslip(
    conn: &mut DbConnection,
    user: &Actor,
    placement_id: &str,
    slip: Payslip,
    cap_percent: i64,
    now: DateTime<Utc>,
) -> Result<PayslipView, AppError> {
    let contract = placements::contract_in(conn, user, placement_id, None)?;
    user.require(Role::Employer)?;
    if !contract.status.has_worked() {
        return Err(AppError::new(ErrorCode::TransitionNotAllowed)
            .with_detail("payslips are reported once the worker has departed")
            .with("status", contract.status.as_str()));
    }
    let (terms, employer_id) = (contract.terms, contract.employer_id);
    if slip.deductions.len() > 20 || slip.deductions.iter().any(|d| d.kind.trim().is_empty()) {
        return Err(invalid("deductions", "at most 20 items, each with its kind"));
    }
    slip.consistency((terms.season_start, terms.season_end)).map_err(inconsistent)?;
    if slip.gross_fen > 100_000_000 || slip.minutes_worked > slip.period_days() * 24 * 60 {
        return Err(invalid("minutes_worked", "more than the period holds"));
    }
    let floor = wage_floors::floor_over(
        conn,
        &terms.worksite.code,
        Some(&terms.occupation.code),
        slip.period_start,
        slip.period_end,
    )?;
    let found = slip.findings(&terms, floor.hourly_fen, cap_percent);
    let id = uuid::Uuid::now_v7().to_string();
    let case_id = if found.is_empty() {
        None
    } else {
        let owed = found.iter().map(|f| f.owed_fen).sum();
        Some(open_case(
            conn,
            "wage",
            ("employer", Some(&employer_id)),
            Some(&terms.worksite.code),
            Some(placement_id),
            owed,
            Some(&user.user_id),
            now,
        )?)
    };
    let row = PayslipRow {
        id: id.clone(),
        placement_id: placement_id.to_owned(),
        employer_id: employer_id.clone(),
        period_start: slip.period_start,
        period_end: slip.period_end,
        minutes_worked: slip.minutes_worked,
        gross_fen: slip.gross_fen,
        deductions_fen: slip.deductions_fen(),
        net_fen: slip.net_fen,
        paid_on: slip.paid_on,
        floor_hourly_fen: floor.hourly_fen,
        compliant: found.is_empty(),
        case_id: case_id.clone(),
        created_by: user.user_id.clone(),
        created_at: now.naive_utc(),
    };
    let deductions: Vec<PayslipDeductionRow> = slip
        .deductions
        .iter()
        .zip(0..)
        .map(|(d, position)| PayslipDeductionRow {
            payslip_id: id.clone(),
            position,
            kind: d.kind.trim().to_owned(),
            fen: d.fen,
        })
        .collect();
    store::insert_payslip(conn, &row, &deductions)?;
    if let Some(case_id) = &case_id {
        store_findings(conn, case_id, Some(&id), placement_id, &found, now)?;
    }
    let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
    let detail = json!({"placement_id": placement_id, "gross_fen": row.gross_fen, "minutes_worked": row.minutes_worked, "findings": codes});
    audit::record(conn, Some(&user.user_id), "payslip.reported", ("payslip", &id), detail, now)?;
    Ok(view(row, slip.deductions, found))
}

fn view(row: PayslipRow, deductions: Vec<PayslipDeduction>, findings: Vec<Finding>) -> PayslipView {
    PayslipView {
        id: row.id,
        placement_id: row.placement_id,
        period_start: row.period_start,
        period_end: row.period_end,
        minutes_worked: row.minutes_worked,
        gross_fen: row.gross_fen,
        deductions,
        net_fen: row.net_fen,
        paid_on: row.paid_on,
        floor_hourly_fen: row.floor_hourly_fen,
        compliant: row.compliant,
        findings,
        case_id: row.case_id,
    }
}

/// A placement's payslips with their findings, for its parties and regulators.
pub fn payslips(
    conn: &mut DbConnection,
    user: &Actor,
    placement_id: &str,
) -> Result<Vec<PayslipView>, AppError> {
    placements::require_visible(conn, user, placement_id)?;
    let rows = store::payslips_of(conn, placement_id)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut deductions: HashMap<String, Vec<PayslipDeduction>> = HashMap::new();
    for d in store::deductions_of(conn, &ids)? {
        deductions.entry(d.payslip_id).or_default().push(PayslipDeduction { kind: d.kind, fen: d.fen });
    }
    let mut findings: HashMap<String, Vec<Finding>> = HashMap::new();
    for f in store::findings_of_payslips(conn, &ids)? {
        let finding = Finding { code: f.code, required: f.required, actual: f.actual, owed_fen: f.owed_fen };
        findings.entry(f.payslip_id.unwrap_or_default()).or_default().push(finding);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let (d, f) = (
                deductions.remove(&row.id).unwrap_or_default(),
                findings.remove(&row.id).unwrap_or_default(),
            );
            view(row, d, f)
        })
        .collect())
}

/// The columns of a payslip import, in order.
pub const PAYSLIP_COLUMNS: [&str; 8] = [
    "placement_id",
    "period_start",
    "period_end",
    "minutes_worked",
    "gross_fen",
    "deductions",
    "net_fen",
    "paid_on",
];

/// The most rows one payslip file may hold.
const MAX_PAYSLIP_ROWS: usize = 10_000;

/// One CSV row as a payslip input, or the field that is wrong. `deductions` is
/// `kind:fen;kind:fen`.
fn parse_row(record: &csv::StringRecord) -> Result<(String, Payslip), (&'static str, &'static str)> {
    let cell = |i: usize| record.get(i).unwrap_or("").trim();
    let date = |i: usize| cell(i).parse::<NaiveDate>().map_err(|_| (PAYSLIP_COLUMNS[i], "invalid_date"));
    let number = |i: usize| cell(i).parse::<i64>().map_err(|_| (PAYSLIP_COLUMNS[i], "invalid_number"));
    let mut deductions = Vec::new();
    for item in cell(5).split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (kind, fen) = item.split_once(':').ok_or(("deductions", "invalid"))?;
        let fen = fen.trim().parse::<i64>().map_err(|_| ("deductions", "invalid_number"))?;
        deductions.push(PayslipDeduction { kind: kind.trim().to_owned(), fen });
    }
    if cell(0).is_empty() {
        return Err(("placement_id", "required"));
    }
    Ok((
        cell(0).to_owned(),
        Payslip {
            period_start: date(1)?,
            period_end: date(2)?,
            minutes_worked: number(3)?,
            gross_fen: number(4)?,
            deductions,
            net_fen: number(6)?,
            paid_on: date(7)?,
        },
    ))
}

/// Imports a CSV of payslips: every row or none. A row whose placement is not the
/// employer's, or that does not add up, is listed with its field and code.
pub fn import_payslips(
    conn: &mut DbConnection,
    user: &Actor,
    csv_bytes: &[u8],
    cap_percent: i64,
    now: DateTime<Utc>,
) -> Result<Vec<PayslipView>, AppError> {
    user.require(Role::Employer)?;
    let row_error = |row: usize, field: &str, code: &str| RowError {
        row,
        field: field.to_owned(),
        code: code.to_owned(),
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(csv_bytes);
    let mut errors = Vec::new();
    match reader.headers() {
        Ok(h) if h.iter().map(str::trim).eq(PAYSLIP_COLUMNS) => {}
        _ => errors.push(row_error(1, "file", "wrong_columns")),
    }
    let mut stored = Vec::new();
    if errors.is_empty() {
        for (i, record) in reader.records().enumerate() {
            let row = i + 2;
            if i >= MAX_PAYSLIP_ROWS {
                errors.push(row_error(row, "file", "too_many_rows"));
                break;
            }
            let record = match record {
                Ok(r) if r.len() == PAYSLIP_COLUMNS.len() => r,
                Ok(_) => {
                    errors.push(row_error(row, "row", "wrong_field_count"));
                    continue;
                }
                Err(_) => {
                    errors.push(row_error(row, "row", "malformed"));
                    continue;
                }
            };
            let (placement_id, input) = match parse_row(&record) {
                Ok(parsed) => parsed,
                Err((field, code)) => {
                    errors.push(row_error(row, field, code));
                    continue;
                }
            };
            match report_payslip(conn, user, &placement_id, input, cap_percent, now) {
                Ok(view) => stored.push(view),
                Err(e) if e.code == ErrorCode::NotFound => {
                    errors.push(row_error(row, "placement_id", "unknown"))
                }
                Err(e) if e.code.status().is_client_error() => {
                    let field = e.extra.get("field").and_then(|f| f.as_str()).unwrap_or("row").to_owned();
                    errors.push(RowError { row, field, code: e.code.as_str().to_owned() });
                }
                Err(e) => return Err(e),
            }
        }
        if stored.is_empty() && errors.is_empty() {
            errors.push(row_error(2, "file", "empty_file"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::new(ErrorCode::ValidationFailed)
            .with_detail(format!("{} rows have errors; nothing was imported", errors.len()))
            .with("errors", serde_json::to_value(&errors).unwrap_or_default()));
    }
    Ok(stored)
}

/// At season's end: paid hours below three quarters of the guarantee open a case against
/// the employer for the amount owed (the H-2A three-fourths rule).
pub fn check_hours_guarantee(
    conn: &mut DbConnection,
    placement_id: &str,
    employer_id: &str,
    terms: &Terms,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let paid: i64 = store::payslips_of(conn, placement_id)?.iter().map(|p| p.minutes_worked).sum();
    let Some(short) =
        payslip::hours_shortfall(terms.guaranteed_hours_season, paid, terms.hourly_equivalent_fen)
    else {
        return Ok(None);
    };
    let case_id = open_case(
        conn,
        "hours",
        ("employer", Some(employer_id)),
        Some(&terms.worksite.code),
        Some(placement_id),
        short.owed_fen,
        Some(by),
        now,
    )?;
    store_findings(conn, &case_id, None, placement_id, std::slice::from_ref(&short), now)?;
    Ok(Some(case_id))
}

/// A worker reports a fee it paid.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeReportInput {
    /// The agency that charged it, or that recruited the worker.
    pub agency_id: String,
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    /// To whom: a name, a role ("the agency's recruiter in Lạng Sơn").
    pub paid_to: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Opened {
    pub id: String,
    pub case_id: String,
}

/// A worker reports a fee: a case against the agency, counted on its public record.
pub fn report_fee(
    conn: &mut DbConnection,
    user: &Actor,
    input: FeeReportInput,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let worker_id = user.org_for(Role::Worker)?;
    if !(1..=100_000_000).contains(&input.amount_fen) {
        return Err(invalid("amount_fen", "between 1 and 100000000 fen"));
    }
    if input.paid_on > now.date_naive() {
        return Err(invalid("paid_on", "a fee already paid"));
    }
    let paid_to = text("paid_to", &input.paid_to, 200)?;
    let description = text("description", &input.description, MAX_TEXT)?;
    if crate::db::agencies::find(conn, &input.agency_id)?.is_none() {
        return Err(invalid("agency_id", "unknown agency"));
    }
    let case_id = open_case(
        conn,
        "fee",
        ("agency", Some(&input.agency_id)),
        None,
        None,
        input.amount_fen,
        Some(&user.user_id),
        now,
    )?;
    let id = uuid::Uuid::now_v7().to_string();
    store::insert_fee_report(
        conn,
        &FeeReportRow {
            id: id.clone(),
            worker_id,
            agency_id: input.agency_id,
            amount_fen: input.amount_fen,
            paid_on: input.paid_on,
            paid_to,
            description,
            case_id: case_id.clone(),
            created_at: now.naive_utc(),
        },
    )?;
    Ok(Opened { id, case_id })
}

/// How many fees workers reported against an agency: its public record.
pub fn fee_reports_against(conn: &mut DbConnection, agency_id: &str) -> Result<i64, AppError> {
    Ok(store::fee_reports_against(conn, agency_id)?)
}

pub const CATEGORIES: [&str; 7] =
    ["fees", "wages", "documents_withheld", "housing", "safety", "violence", "other"];

/// A complaint, from anyone.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintInput {
    /// fees, wages, documents_withheld, housing, safety, violence or other.
    pub category: String,
    pub agency_id: Option<String>,
    pub employer_id: Option<String>,
    pub text: String,
    /// vi, zh-CN or en.
    pub language: String,
    /// How to reach the complainant, if it wishes; never shown to the employer or agency.
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintReceipt {
    /// With it, the complainant follows the complaint without logging in.
    #[schema(example = "C-7KQ2MX9WPA")]
    pub reference: String,
}

/// What a complainant may learn by its reference: where the complaint stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintStatus {
    pub reference: String,
    pub category: String,
    /// open, assigned or resolved.
    pub status: String,
    pub filed_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// Files a complaint. Anonymous unless the complainant is logged in or leaves a contact.
pub fn file_complaint(
    conn: &mut DbConnection,
    user: Option<&Actor>,
    input: ComplaintInput,
    now: DateTime<Utc>,
) -> Result<ComplaintReceipt, AppError> {
    if !CATEGORIES.contains(&input.category.as_str()) {
        return Err(invalid(
            "category",
            "fees, wages, documents_withheld, housing, safety, violence or other",
        ));
    }
    if !["vi", "zh-CN", "en"].contains(&input.language.as_str()) {
        return Err(invalid("language", "vi, zh-CN or en"));
    }
    let body = text("text", &input.text, MAX_TEXT)?;
    let contact = input.contact.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if contact.as_ref().is_some_and(|c| c.chars().count() > 200) {
        return Err(invalid("contact", "at most 200 characters"));
    }
    let agency = input.agency_id.filter(|a| !a.is_empty());
    let employer = input.employer_id.filter(|e| !e.is_empty());
    if let Some(a) = &agency
        && crate::db::agencies::find(conn, a)?.is_none()
    {
        return Err(invalid("agency_id", "unknown agency"));
    }
    let mut region = None;
    if let Some(e) = &employer {
        let row =
            crate::db::employers::find(conn, e).map_err(|_| invalid("employer_id", "unknown employer"))?;
        region = Some(row.region_code);
    }
    let subject = match (&employer, &agency) {
        (Some(e), _) => ("employer", Some(e.as_str())),
        (None, Some(a)) => ("agency", Some(a.as_str())),
        (None, None) => ("none", None),
    };
    let by = user.map(|u| u.user_id.as_str());
    let case_id = open_case(conn, "complaint", subject, region.as_deref(), None, 0, by, now)?;
    let reference = format!("C-{}", crate::codes::random_code(10));
    store::insert_complaint(
        conn,
        &ComplaintRow {
            id: uuid::Uuid::now_v7().to_string(),
            reference: reference.clone(),
            category: input.category,
            agency_id: agency,
            employer_id: employer,
            text: body,
            language: input.language,
            contact,
            filed_by: by.map(str::to_owned),
            case_id,
            created_at: now.naive_utc(),
        },
    )?;
    Ok(ComplaintReceipt { reference })
}

/// Where a complaint stands, by its reference; an unknown reference is 404.
pub fn complaint_status(conn: &mut DbConnection, reference: &str) -> Result<ComplaintStatus, AppError> {
    let complaint = store::complaint_by_reference(conn, reference.trim().to_uppercase().as_str())?
        .ok_or_else(AppError::not_found)?;
    let case = store::find_case(conn, &complaint.case_id)?.ok_or_else(AppError::not_found)?;
    Ok(ComplaintStatus {
        reference: complaint.reference,
        category: complaint.category,
        status: case.status,
        filed_at: complaint.created_at.and_utc(),
        resolved_at: case.resolved_at.map(|r| r.and_utc()),
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseNote {
    pub by_user_id: String,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// A case as regulators work it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Case {
    pub id: String,
    /// wage, hours, fee or complaint.
    pub kind: String,
    /// employer, agency or none.
    pub subject_kind: String,
    pub subject_id: Option<String>,
    pub region_code: Option<String>,
    pub placement_id: Option<String>,
    /// open, assigned or resolved.
    pub status: String,
    pub assigned_to: Option<String>,
    pub amount_owed_fen: i64,
    pub outcome: Option<String>,
    pub amount_recovered_fen: Option<i64>,
    pub opened_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Only in the answer for one case.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<CaseNote>,
    /// The complaint's own words, for regulators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintText>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintText {
    pub reference: String,
    pub category: String,
    pub text: String,
    pub language: String,
    pub contact: Option<String>,
    pub anonymous: bool,
}

fn case_view(row: CaseRow) -> Case {
    Case {
        id: row.id,
        kind: row.kind,
        subject_kind: row.subject_kind,
        subject_id: row.subject_id,
        region_code: row.region_code,
        placement_id: row.placement_id,
        status: row.status,
        assigned_to: row.assigned_to,
        amount_owed_fen: row.amount_owed_fen,
        outcome: row.outcome,
        amount_recovered_fen: row.amount_recovered_fen,
        opened_at: row.opened_at.and_utc(),
        resolved_at: row.resolved_at.map(|r| r.and_utc()),
        findings: Vec::new(),
        notes: Vec::new(),
        complaint: None,
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// open, assigned or resolved.
    pub status: Option<String>,
    /// wage, hours, fee or complaint.
    pub kind: Option<String>,
    /// A region; its sub-regions are included.
    pub region_code: Option<String>,
    /// The employer or agency the cases are against.
    pub subject_id: Option<String>,
}

pub fn list_cases(conn: &mut DbConnection, user: &Actor, query: CaseQuery) -> Result<Vec<Case>, AppError> {
    user.require(Role::Regulator)?;
    if query.status.as_deref().is_some_and(|s| !["open", "assigned", "resolved"].contains(&s)) {
        return Err(invalid("status", "open, assigned or resolved"));
    }
    if query.kind.as_deref().is_some_and(|k| !["wage", "hours", "fee", "complaint"].contains(&k)) {
        return Err(invalid("kind", "wage, hours, fee or complaint"));
    }
    let region_codes = match &query.region_code {
        Some(code) => Some(crate::services::reference::Reference::load(conn)?.region_and_descendants(code)),
        None => None,
    };
    let filter =
        CaseFilter { status: query.status, kind: query.kind, region_codes, subject_id: query.subject_id };
    Ok(store::list_cases(conn, &filter)?.into_iter().map(case_view).collect())
}

pub fn find_case(conn: &mut DbConnection, user: &Actor, id: &str) -> Result<Case, AppError> {
    user.require(Role::Regulator)?;
    let row = store::find_case(conn, id)?.ok_or_else(AppError::not_found)?;
    let mut case = case_view(row);
    case.findings = store::findings_of_case(conn, id)?
        .into_iter()
        .map(|f| Finding { code: f.code, required: f.required, actual: f.actual, owed_fen: f.owed_fen })
        .collect();
    case.notes = store::notes(conn, id)?
        .into_iter()
        .map(|n| CaseNote { by_user_id: n.by_user_id, note: n.note, at: n.at.and_utc() })
        .collect();
    case.complaint = store::complaint_of_case(conn, id)?.map(|c| ComplaintText {
        anonymous: c.filed_by.is_none() && c.contact.is_none(),
        reference: c.reference,
        category: c.category,
        text: c.text,
        language: c.language,
        contact: c.contact,
    });
    Ok(case)
}

/// A step a regulator takes on a case.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStep {
    /// For assign: the regulator to assign (yourself when absent).
    pub user_id: Option<String>,
    /// For comment (required) and resolve.
    pub note: Option<String>,
    /// For resolve: what was decided.
    pub outcome: Option<String>,
    /// For resolve: what the worker got back, in fen.
    pub amount_recovered_fen: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseAction {
    Assign,
    Comment,
    Resolve,
}

/// Assigns, comments on or resolves a case; each step is audited.
pub fn work_case(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    action: CaseAction,
    step: CaseStep,
    now: DateTime<Utc>,
) -> Result<Case, AppError> {
    user.require(Role::Regulator)?;
    let case = store::find_case(conn, id)?.ok_or_else(AppError::not_found)?;
    if case.status == "resolved" && action != CaseAction::Comment {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("the case is resolved"));
    }
    let note = step.note.as_deref().map(|n| text("note", n, MAX_TEXT)).transpose()?;
    let detail = match action {
        CaseAction::Assign => {
            let to = step.user_id.unwrap_or_else(|| user.user_id.clone());
            let assignee =
                crate::db::users::find_user(conn, &to).map_err(|_| invalid("user_id", "unknown user"))?;
            if assignee.role != Role::Regulator.as_str() {
                return Err(invalid("user_id", "a regulator"));
            }
            store::assign(conn, id, &to)?;
            json!({"assigned_to": to})
        }
        CaseAction::Comment => {
            if note.is_none() {
                return Err(invalid("note", "write the note"));
            }
            json!({})
        }
        CaseAction::Resolve => {
            let outcome = text("outcome", step.outcome.as_deref().unwrap_or(""), 500)?;
            let recovered = step.amount_recovered_fen.unwrap_or(0);
            if !(0..=100_000_000).contains(&recovered) {
                return Err(invalid("amount_recovered_fen", "between 0 and 100000000 fen"));
            }
            store::resolve(conn, id, &outcome, recovered, now.naive_utc())?;
            json!({"outcome": outcome, "amount_recovered_fen": recovered})
        }
    };
    if let Some(note) = note {
        store::insert_note(
            conn,
            &NoteRow {
                id: uuid::Uuid::now_v7().to_string(),
                case_id: id.to_owned(),
                by_user_id: user.user_id.clone(),
                note,
                at: now.naive_utc(),
            },
        )?;
    }
    let action_name = match action {
        CaseAction::Assign => "case.assigned",
        CaseAction::Comment => "case.commented",
        CaseAction::Resolve => "case.resolved",
    };
    audit::record(conn, Some(&user.user_id), action_name, ("case", id), detail, now)?;
    find_case(conn, user, id)
}

/// A count by name, most first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub count: i64,
}

/// How many cases concern `subject_id` (an agency or an employer): all of them, and the open
/// ones (regulators).
pub async fn case_counts(
    state: &AppState,
    actor: &Actor,
    subject_id: &str,
) -> Result<(usize, usize), AppError> {
    actor.require(Role::Regulator)?;
    let filter = db_compliance::CaseFilter { subject_id: Some(subject_id.to_owned()), ..Default::default() };
    let cases = db::run(&state.pool, move |conn| Ok(db_compliance::list_cases(conn, &filter)?)).await?;
    let open = cases.iter().filter(|c| c.status != "resolved").count();
    Ok((cases.len(), open))
}

/// The regulator's compliance view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Compliance {
    pub payslips: i64,
    pub compliant_payslips: i64,
    /// Compliant payslips per thousand (0 when there are none): integer, no floats.
    pub compliance_per_mille: i64,
    /// What the findings say workers are owed, in fen.
    pub shortfall_fen: i64,
    pub open_cases_by_kind: Vec<Count>,
    pub open_cases_by_region: Vec<Count>,
    /// Employers with the most non-compliant payslips and cases.
    pub employers_most_findings: Vec<Count>,
    /// Agencies with the most cases (fees, complaints).
    pub agencies_most_findings: Vec<Count>,
}

fn ranked(counts: BTreeMap<String, i64>, limit: usize) -> Vec<Count> {
    let mut list: Vec<Count> = counts.into_iter().map(|(key, count)| Count { key, count }).collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    list.truncate(limit);
    list
}

pub fn compliance(conn: &mut DbConnection, user: &Actor) -> Result<Compliance, AppError> {
    user.require(Role::Regulator)?;
    let (payslips, compliant_payslips) = store::payslip_counts(conn)?;
    let cases = store::list_cases(conn, &CaseFilter::default())?;
    let (mut by_kind, mut by_region, mut employers, mut agencies) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for case in &cases {
        if case.status != "resolved" {
            *by_kind.entry(case.kind.clone()).or_insert(0) += 1;
            *by_region.entry(case.region_code.clone().unwrap_or_else(|| "-".into())).or_insert(0) += 1;
        }
        let target = match case.subject_kind.as_str() {
            "employer" => &mut employers,
            "agency" => &mut agencies,
            _ => continue,
        };
        *target.entry(case.subject_id.clone().unwrap_or_default()).or_insert(0) += 1;
    }
    Ok(Compliance {
        payslips,
        compliant_payslips,
        compliance_per_mille: if payslips == 0 { 0 } else { compliant_payslips * 1000 / payslips },
        shortfall_fen: store::owed_total(conn)?,
        open_cases_by_kind: ranked(by_kind, 10),
        open_cases_by_region: ranked(by_region, 20),
        employers_most_findings: ranked(employers, 10),
        agencies_most_findings: ranked(agencies, 10),
    })
}

/// The compliance view as CSV: one `section,key,value` line per figure.
pub fn compliance_csv(c: &Compliance) -> String {
    let mut out = String::from("section,key,value\n");
    for (key, value) in [
        ("payslips", c.payslips),
        ("compliant_payslips", c.compliant_payslips),
        ("compliance_per_mille", c.compliance_per_mille),
        ("shortfall_fen", c.shortfall_fen),
    ] {
        out.push_str(&format!("totals,{key},{value}\n"));
    }
    for (section, list) in [
        ("open_cases_by_kind", &c.open_cases_by_kind),
        ("open_cases_by_region", &c.open_cases_by_region),
        ("employers_most_findings", &c.employers_most_findings),
        ("agencies_most_findings", &c.agencies_most_findings),
    ] {
        for count in list {
            out.push_str(&format!("{section},{},{}\n", count.key, count.count));
        }
    }
    out
}
