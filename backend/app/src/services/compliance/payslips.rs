//! Payslips: the employer reports them (one by one or as a CSV file), each is checked
//! against the contract and the floor, and any finding opens a case against the employer.
//! At season's end the hours guarantee is checked against the payslips.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::model::{finding, open_case, settle_pay_gaps, store_findings};
use crate::actor::Actor;
use crate::db::compliance::{self as store, PayslipDeductionRow, PayslipRow};
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::calendar::china_day;
use crate::domain::case::{CaseKind, SubjectKind};
use crate::domain::contract::Terms;
use crate::domain::event::EventType;
use crate::domain::money::Fen;
use crate::domain::pay_period::Period;
use crate::domain::payslip::{self, Finding, Inconsistency, Overflow, PayRules, Payslip, PayslipDeduction};
use crate::error::{AppError, ErrorCode};
use crate::ids::{CaseId, EmployerId, PayslipId, PlacementId, UserId};
use crate::services::accounts::invalid;
use crate::services::events::{self, NewEvent, Subject};
use crate::services::worker_import::{MAX_ERRORS, RowError};
use crate::services::{audit, placements, wage_floors};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PayslipView {
    pub id: PayslipId,
    pub placement_id: PlacementId,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub minutes_worked: i64,
    pub gross_fen: Fen,
    pub deductions: Vec<PayslipDeduction>,
    pub net_fen: Fen,
    pub paid_on: NaiveDate,
    /// The floor in force over the period, per hour.
    pub floor_hourly_fen: Fen,
    pub compliant: bool,
    pub findings: Vec<Finding>,
    /// The case the findings opened.
    pub case_id: Option<CaseId>,
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
        Inconsistency::NotEnded => invalid("period_end", "the period has not ended yet"),
        Inconsistency::PaidInFuture => invalid("paid_on", "a day that has not come yet"),
        Inconsistency::TooLarge(field) => invalid(field, "too large to add up"),
        Inconsistency::PaidTooLongAfter => invalid("paid_on", "more than a year after the period ended"),
        Inconsistency::DeductionsOverGross => {
            invalid("deductions", "the deductions take more than the gross pay")
        }
    }
}

/// A payslip whose amounts, though they add up, are too large to check.
fn too_large() -> AppError {
    inconsistent(Inconsistency::TooLarge("deductions"))
}

/// The employer reports a payslip. One that does not add up is refused (422, nothing
/// written); one that adds up is always stored, then checked, and any finding opens a case
/// against the employer. Another tenant's placement is not found; a party of it other than
/// the employer is refused.
pub async fn report_payslip(
    state: &AppState,
    actor: &Actor,
    placement_id: &PlacementId,
    slip: Payslip,
) -> Result<PayslipView, AppError> {
    let (actor, id) = (actor.clone(), placement_id.clone());
    let (rules, now) = (state.settings.rules.pay(), state.clock.now());
    let slip =
        db::transaction(&state.pool, move |conn| report_payslip_in(conn, &actor, &id, slip, rules, now))
            .await?;
    tracing::info!(payslip_id = %slip.id, compliant = slip.compliant, "payslip reported");
    Ok(slip)
}

/// [`report_payslip`] inside the caller's transaction.
pub fn report_payslip_in(
    conn: &mut DbConnection,
    actor: &Actor,
    placement_id: &PlacementId,
    slip: Payslip,
    rules: PayRules,
    now: DateTime<Utc>,
) -> Result<PayslipView, AppError> {
    let contract = placements::contract_in(conn, actor, placement_id, None)?;
    actor.require(Role::Employer)?;
    if !contract.status.has_worked() {
        return Err(AppError::new(ErrorCode::TransitionNotAllowed)
            .with_detail("payslips are reported once the worker has departed")
            .with("status", contract.status.as_str()));
    }
    let (terms, employer_id) = (contract.terms, contract.employer_id);
    if slip.deductions.len() > 20 || slip.deductions.iter().any(|d| d.kind.trim().is_empty()) {
        return Err(invalid("deductions", "at most 20 items, each with its kind"));
    }
    slip.consistency((terms.season_start, terms.season_end), china_day(now)).map_err(inconsistent)?;
    if slip.gross_fen > Fen::new(100_000_000) || slip.minutes_worked > slip.period_days() * 24 * 60 {
        return Err(invalid("minutes_worked", "more than the period holds"));
    }
    // One report at a time per placement: the overlap check below sees every stored period.
    db::placements::lock(conn, placement_id)?;
    let stored = store::payslips_of(conn, placement_id)?;
    if let Some(other) =
        stored.iter().find(|p| Period::new(p.period_start, p.period_end).overlaps(slip.period()))
    {
        return Err(AppError::new(ErrorCode::PayslipOverlap)
            .with_detail(format!(
                "a payslip for {} to {} is already reported",
                other.period_start, other.period_end
            ))
            .with("payslip_id", other.id.as_str())
            .with("period_start", other.period_start.to_string())
            .with("period_end", other.period_end.to_string()));
    }
    let floor = wage_floors::floor_over(
        conn,
        &terms.worksite.code,
        Some(&terms.occupation.code),
        slip.period_start,
        slip.period_end,
    )?;
    let found = slip.findings(&terms, floor.hourly_fen, rules).map_err(|Overflow| too_large())?;
    let id = PayslipId::generate();
    let case_id = if found.is_empty() {
        None
    } else {
        let owed = Fen::checked_sum(found.iter().map(|f| f.owed_fen)).ok_or_else(too_large)?;
        Some(open_case(
            conn,
            CaseKind::Wage,
            (SubjectKind::Employer, Some(employer_id.as_str())),
            Some(&terms.worksite.code),
            Some(placement_id),
            owed,
            Some(&actor.user_id),
            now,
        )?)
    };
    let row = PayslipRow {
        id: id.clone(),
        placement_id: placement_id.clone(),
        employer_id: employer_id.clone(),
        period_start: slip.period_start,
        period_end: slip.period_end,
        minutes_worked: slip.minutes_worked,
        gross_fen: slip.gross_fen,
        deductions_fen: slip.deductions_fen().ok_or_else(too_large)?,
        net_fen: slip.net_fen,
        paid_on: slip.paid_on,
        floor_hourly_fen: floor.hourly_fen,
        compliant: found.is_empty(),
        case_id: case_id.clone(),
        created_by: actor.user_id.clone(),
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
    let reported: Vec<Period> =
        stored.iter().map(|p| Period::new(p.period_start, p.period_end)).chain([slip.period()]).collect();
    settle_pay_gaps(conn, placement_id, &reported, now)?;
    if let Some(case_id) = &case_id {
        store_findings(conn, case_id, Some(&id), placement_id, &found, now)?;
    }
    let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
    let detail = json!({"placement_id": placement_id, "gross_fen": row.gross_fen, "minutes_worked": row.minutes_worked, "findings": codes});
    audit::record(conn, Some(&actor.user_id), "payslip.reported", ("payslip", id.as_str()), detail, now)?;
    if !found.is_empty() {
        let subject = Subject {
            placement_id: Some(placement_id.to_owned()),
            employer_id: Some(row.employer_id.clone()),
            case_id: case_id.clone(),
            ..Subject::default()
        };
        let data = json!({"payslip_id": id, "period_start": row.period_start, "period_end": row.period_end, "findings": codes});
        events::record(conn, NewEvent::new(EventType::PayslipFinding, subject, data), now)?;
    }
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

/// A placement's payslips with their findings, for its parties and regulators (404 for
/// everyone else).
pub async fn payslips(
    state: &AppState,
    actor: &Actor,
    placement_id: &PlacementId,
) -> Result<Vec<PayslipView>, AppError> {
    let (actor, id) = (actor.clone(), placement_id.clone());
    db::run(&state.pool, move |conn| payslips_in(conn, &actor, &id)).await
}

/// [`payslips`] on the caller's connection.
pub fn payslips_in(
    conn: &mut DbConnection,
    actor: &Actor,
    placement_id: &PlacementId,
) -> Result<Vec<PayslipView>, AppError> {
    placements::require_visible(conn, actor, placement_id)?;
    let rows = store::payslips_of(conn, placement_id)?;
    let ids: Vec<PayslipId> = rows.iter().map(|r| r.id.clone()).collect();
    let mut deductions: HashMap<PayslipId, Vec<PayslipDeduction>> = HashMap::new();
    for d in store::deductions_of(conn, &ids)? {
        deductions.entry(d.payslip_id).or_default().push(PayslipDeduction { kind: d.kind, fen: d.fen });
    }
    let mut findings: HashMap<PayslipId, Vec<Finding>> = HashMap::new();
    for f in store::findings_of_payslips(conn, &ids)? {
        // Every one names a payslip: they were looked up by it.
        if let Some(payslip_id) = f.payslip_id.clone() {
            findings.entry(payslip_id).or_default().push(finding(f));
        }
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
fn parse_row(record: &csv::StringRecord) -> Result<(PlacementId, Payslip), (&'static str, &'static str)> {
    let cell = |i: usize| record.get(i).unwrap_or("").trim();
    let date = |i: usize| cell(i).parse::<NaiveDate>().map_err(|_| (PAYSLIP_COLUMNS[i], "invalid_date"));
    let number = |i: usize| cell(i).parse::<i64>().map_err(|_| (PAYSLIP_COLUMNS[i], "invalid_number"));
    let mut deductions = Vec::new();
    for item in cell(5).split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (kind, fen) = item.split_once(':').ok_or(("deductions", "invalid"))?;
        let fen = fen.trim().parse::<i64>().map_err(|_| ("deductions", "invalid_number"))?;
        deductions.push(PayslipDeduction { kind: kind.trim().to_owned(), fen: Fen::new(fen) });
    }
    if cell(0).is_empty() {
        return Err(("placement_id", "required"));
    }
    Ok((
        cell(0).into(),
        Payslip {
            period_start: date(1)?,
            period_end: date(2)?,
            minutes_worked: number(3)?,
            gross_fen: Fen::new(number(4)?),
            deductions,
            net_fen: Fen::new(number(6)?),
            paid_on: date(7)?,
        },
    ))
}

/// Imports a CSV of payslips: every row or none. A row whose placement is not the
/// employer's, or that does not add up, is listed with its field and code (422).
pub async fn import_payslips(
    state: &AppState,
    actor: &Actor,
    csv_bytes: impl AsRef<[u8]> + Send + 'static,
) -> Result<Vec<PayslipView>, AppError> {
    let actor = actor.clone();
    let (rules, now) = (state.settings.rules.pay(), state.clock.now());
    db::transaction(&state.pool, move |conn| import_payslips_in(conn, &actor, csv_bytes.as_ref(), rules, now))
        .await
}

/// [`import_payslips`] inside the caller's transaction.
fn import_payslips_in(
    conn: &mut DbConnection,
    actor: &Actor,
    csv_bytes: &[u8],
    rules: PayRules,
    now: DateTime<Utc>,
) -> Result<Vec<PayslipView>, AppError> {
    actor.require(Role::Employer)?;
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
            if errors.len() >= MAX_ERRORS {
                errors.push(row_error(row, "file", "too_many_errors"));
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
            match report_payslip_in(conn, actor, &placement_id, input, rules, now) {
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

/// When a placement ends: paid hours below three quarters of the guarantee open a case against
/// the employer for the amount owed (the H-2A three-fourths rule, decided by the pure
/// [`payslip::hours_shortfall`]). `ended_early_on` is the day the work ended early (a
/// termination, whoever's the cause: the guarantee is pro-rated from the season's first day
/// to it); `None` when the season ran its course (completion, or an overstay's close). Called
/// inside the ending's transaction; the caller has checked who ends it (`by`: `None` for the
/// sweeper).
pub fn check_hours_guarantee(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
    employer_id: &EmployerId,
    terms: &Terms,
    ended_early_on: Option<NaiveDate>,
    by: Option<&UserId>,
    now: DateTime<Utc>,
) -> Result<Option<CaseId>, AppError> {
    let paid: i64 = store::payslips_of(conn, placement_id)?.iter().map(|p| p.minutes_worked).sum();
    let season_days = (terms.season_end - terms.season_start).num_days() + 1;
    let offered_days = ended_early_on.map_or(season_days, |day| (day - terms.season_start).num_days() + 1);
    let required =
        payslip::minimum_paid_minutes_over(terms.guaranteed_hours_season, offered_days, season_days);
    let shortfall = payslip::hours_shortfall(required, paid, terms.hourly_equivalent_fen)
        .map_err(|Overflow| AppError::new(ErrorCode::Internal).with_detail("amount owed overflow"))?;
    let Some(short) = shortfall else {
        return Ok(None);
    };
    let case_id = open_case(
        conn,
        CaseKind::Hours,
        (SubjectKind::Employer, Some(employer_id.as_str())),
        Some(&terms.worksite.code),
        Some(placement_id),
        short.owed_fen,
        by,
        now,
    )?;
    store_findings(conn, &case_id, None, placement_id, std::slice::from_ref(&short), now)?;
    Ok(Some(case_id))
}
