//! The one check behind vacancy writes, offers and contract amendments: the fields and
//! references of a vacancy, and its pay against the wage floor and the deductions cap.

use serde_json::json;

use super::VacancyInput;
use crate::db::{DbConnection, reference};
use crate::domain::calendar::within_scheme_years;
use crate::domain::contract::{INSURANCE_PAYERS, Insurance};
use crate::domain::money::{Fen, yuan};
use crate::domain::pay::{PayBasis, PayFigures, PayTerms, PayViolation};
use crate::domain::wage_floor::Floor;
use crate::error::{AppError, ErrorCode};
use crate::services::accounts::invalid;
use crate::services::wage_floors::{self as floors, BindingRule};
use crate::state::AppState;

/// The largest amount of a wage or a deduction: 100,000 CNY.
const MAX_AMOUNT_FEN: Fen = Fen::new(10_000_000);

/// The longest season a vacancy may have.
const MAX_SEASON_DAYS: i64 = 366;

/// The largest cover an insurance states: 10,000,000 CNY.
const MAX_COVER_FEN: Fen = Fen::new(1_000_000_000);

/// Checks the insurance a vacancy or an amendment states, trimmed: named, numbered, covering
/// something, and paid for by the employer or the agency.
fn check_insurance(insurance: &mut Insurance) -> Result<(), AppError> {
    insurance.insurer = insurance.insurer.trim().to_owned();
    insurance.policy_number = insurance.policy_number.trim().to_owned();
    if insurance.insurer.is_empty() || insurance.insurer.chars().count() > 200 {
        return Err(invalid("insurer", "name the insurer (at most 200 characters)"));
    }
    if insurance.policy_number.is_empty() || insurance.policy_number.chars().count() > 100 {
        return Err(invalid("policy_number", "the policy's number (at most 100 characters)"));
    }
    for (field, cover) in [
        ("work_injury_cover_fen", insurance.work_injury_cover_fen),
        ("return_cover_fen", insurance.return_cover_fen),
    ] {
        if !(Fen::new(1)..=MAX_COVER_FEN).contains(&cover) {
            return Err(invalid(field, "between 1 and 1000000000 fen"));
        }
    }
    if !INSURANCE_PAYERS.contains(&insurance.paid_by.as_str()) {
        return Err(invalid("paid_by", "the employer or the agency pays: never the worker"));
    }
    Ok(())
}

/// Checks the fields and the references; returns the pay terms, normalised.
fn validate(conn: &mut DbConnection, input: &mut VacancyInput) -> Result<PayTerms, AppError> {
    input.title = input.title.trim().to_owned();
    if input.title.is_empty() || input.title.chars().count() > 200 {
        return Err(invalid("title", "give a title (at most 200 characters)"));
    }
    if !(1..=10_000).contains(&input.headcount) {
        return Err(invalid("headcount", "between 1 and 10000"));
    }
    if !(1..=72).contains(&input.hours_per_week) {
        return Err(invalid("hours_per_week", "between 1 and 72"));
    }
    if !(1..=input.hours_per_week).contains(&input.guaranteed_hours_per_week) {
        return Err(invalid("guaranteed_hours_per_week", "between 1 and hours_per_week"));
    }
    if !within_scheme_years(input.season_start) || !within_scheme_years(input.season_end) {
        return Err(
            AppError::new(ErrorCode::InvalidSeason).with_detail("a season falls between 2000 and 2099")
        );
    }
    let days = (input.season_end - input.season_start).num_days();
    if days < 0 {
        return Err(AppError::new(ErrorCode::InvalidSeason).with_detail("the season ends before it starts"));
    }
    if days >= MAX_SEASON_DAYS {
        return Err(AppError::new(ErrorCode::InvalidSeason).with_detail("a season lasts at most a year"));
    }
    // Bounds far above any real wage keep the pay arithmetic well inside i64.
    if !(Fen::new(1)..=MAX_AMOUNT_FEN).contains(&input.wage_fen) {
        return Err(invalid("wage_fen", "between 1 and 10000000 fen"));
    }
    if input.pay_basis == PayBasis::Piece {
        if input.piece_unit.as_deref().is_none_or(|u| u.trim().is_empty()) {
            return Err(invalid("piece_unit", "a piece rate names its unit"));
        }
        if input.guaranteed_hourly_fen.is_none_or(|g| !(Fen::new(1)..=MAX_AMOUNT_FEN).contains(&g)) {
            return Err(invalid("guaranteed_hourly_fen", "a piece rate guarantees an hourly rate"));
        }
    } else {
        input.piece_unit = None;
        input.guaranteed_hourly_fen = None;
    }
    if input.deductions.len() > 20 {
        return Err(invalid("deductions", "at most 20 items"));
    }
    for deduction in &mut input.deductions {
        deduction.kind = deduction.kind.trim().to_owned();
        if deduction.kind.is_empty() || deduction.kind.chars().count() > 50 {
            return Err(invalid("deductions", "each deduction names its kind (at most 50 characters)"));
        }
        if !(Fen::ZERO..=MAX_AMOUNT_FEN).contains(&deduction.fen_per_month) {
            return Err(invalid("deductions", "amounts between 0 and 10000000 fen"));
        }
    }
    for (field, text) in
        [("description_zh", &input.description_zh), ("description_vi", &input.description_vi)]
    {
        if text.as_ref().is_some_and(|t| t.chars().count() > 5000) {
            return Err(invalid(field, "at most 5000 characters"));
        }
    }
    if let Some(insurance) = &mut input.insurance {
        check_insurance(insurance)?;
    }
    let region = reference::region_chain(conn, &input.region_code)?;
    if region.first().is_none_or(|r| !crate::services::reference::is_receiving(&r.country, &r.level)) {
        return Err(invalid("region_code", "a Chinese prefecture or county"));
    }
    if !reference::occupation_exists(conn, &input.occupation_code)? {
        return Err(invalid("occupation_code", "unknown occupation"));
    }
    if reference::find_crossing(conn, &input.crossing_code)?.is_none() {
        return Err(invalid("crossing_code", "unknown border crossing"));
    }
    input.required_skills.sort();
    input.required_skills.dedup();
    let unknown = reference::unknown_skills(conn, &input.required_skills)?;
    if !unknown.is_empty() {
        return Err(invalid("required_skills", "unknown skill").with("unknown", unknown));
    }
    Ok(input.terms())
}

/// The refusal for pay terms that break the floor or the cap, in plain words.
pub fn violation_error(violation: &PayViolation, floor: &Floor, cap_percent: i64) -> AppError {
    let rule = BindingRule::from(&floor.binding);
    match *violation {
        PayViolation::BelowFloor { offered_hourly_fen, shortfall_fen, after_deductions } => {
            let what = if after_deductions { "after deductions, the job pays" } else { "the job pays" };
            AppError::new(ErrorCode::BelowWageFloor)
                .with_detail(format!(
                    "{what} {} CNY an hour; the wage floor for this region, occupation and season is {} CNY an hour \
                     ({}, source: {}); it is {} CNY an hour short",
                    yuan(offered_hourly_fen),
                    yuan(floor.hourly_fen),
                    rule.kind.as_str().replace('_', " "),
                    rule.source,
                    yuan(shortfall_fen)
                ))
                .with("floor_hourly_fen", floor.hourly_fen)
                .with("offered_hourly_fen", offered_hourly_fen)
                .with("shortfall_fen", shortfall_fen)
                .with("after_deductions", after_deductions)
                .with("binding_rule", json!(rule))
        }
        PayViolation::DeductionsOverCap { cap_fen, deductions_fen } => {
            AppError::new(ErrorCode::DeductionsOverCap)
                .with_detail(format!(
                    "deductions of {} CNY a month exceed the cap of {} CNY ({cap_percent} % of gross pay)",
                    yuan(deductions_fen),
                    yuan(cap_fen)
                ))
                .with("cap_fen", cap_fen)
                .with("deductions_fen", deductions_fen)
                .with("cap_percent", cap_percent)
        }
        PayViolation::Incalculable => {
            invalid("wage_fen", "the pay cannot be worked out from these amounts and hours")
        }
    }
}

/// Validates pay and season terms and checks them against the floor: the one check behind
/// vacancy writes, offers and contract amendments.
pub fn check_terms(
    conn: &mut DbConnection,
    mut input: VacancyInput,
    cap_percent: i64,
) -> Result<(VacancyInput, Floor, PayFigures), AppError> {
    let terms = validate(conn, &mut input)?;
    let floor = floors::floor_over(
        conn,
        &input.region_code,
        Some(&input.occupation_code),
        input.season_start,
        input.season_end,
    )?;
    let figures =
        terms.check(floor.hourly_fen, cap_percent).map_err(|v| violation_error(&v, &floor, cap_percent))?;
    Ok((input, floor, figures))
}

/// Whether pay terms meet `floor` and the deductions cap, refused as a write would be: the
/// verdict of the vacancy form's live check.
pub fn judge(state: &AppState, terms: &PayTerms, floor: &Floor) -> Result<PayFigures, AppError> {
    let cap_percent = state.settings.rules.deductions_cap_percent;
    terms.check(floor.hourly_fen, cap_percent).map_err(|v| violation_error(&v, floor, cap_percent))
}
