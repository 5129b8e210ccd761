//! Contracts and amendments: the employer changes the terms, which makes a new contract
//! version, checked against the floor again, that the worker must accept again. (How a
//! version is read is in the views.)

use chrono::{DateTime, Utc};
use serde_json::json;

use super::model::{AmendmentRequest, Placement, Rules};
use super::steps::{apply, authorise, refused, store_contract, terms_for};
use super::views::{current_terms, find_in, load, status_of};
use crate::actor::Actor;
use crate::db::placements as store;
use crate::db::{self, DbConnection};
use crate::domain::contract::Terms;
use crate::domain::placement::{Action, next};
use crate::error::AppError;
use crate::ids::PlacementId;
use crate::services::accounts::invalid;
use crate::services::vacancies::{self, Vacancy};
use crate::state::AppState;

/// What the worker agreed to, as the input the floor check reads; the vacancy gives what a
/// contract does not carry (title, headcount, required skills, descriptions).
fn agreed_input(terms: &Terms, vacancy: &Vacancy) -> vacancies::VacancyInput {
    vacancies::VacancyInput {
        occupation_code: terms.occupation.code.clone(),
        region_code: terms.worksite.code.clone(),
        crossing_code: terms.crossing.code.clone(),
        season_start: terms.season_start,
        season_end: terms.season_end,
        hours_per_week: terms.hours_per_week,
        guaranteed_hours_per_week: terms.guaranteed_hours_per_week,
        pay_basis: terms.pay_basis,
        wage_fen: terms.wage_fen,
        piece_unit: terms.piece_unit.clone(),
        guaranteed_hourly_fen: terms.guaranteed_hourly_fen,
        deductions: terms.deductions.clone(),
        housing_provided: terms.housing_provided,
        insurance: terms.insurance.clone(),
        ..vacancy.as_input()
    }
}

fn same_work_and_pay(a: &Terms, b: &Terms) -> bool {
    a.pay() == b.pay()
        && a.piece_unit == b.piece_unit
        && a.guaranteed_hours_per_week == b.guaranteed_hours_per_week
        && a.housing_provided == b.housing_provided
        && a.insurance == b.insurance
}

/// The employer changes the terms: a new contract version, checked against the floor again,
/// that the worker must accept again.
pub async fn amend(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
    request: AmendmentRequest,
) -> Result<Placement, AppError> {
    let (actor, id) = (actor.clone(), id.clone());
    let (rules, now) = (Rules::of(&state.settings), state.clock.now());
    db::transaction(&state.pool, move |conn| amend_in(conn, &actor, &id, request, rules, now)).await
}

fn amend_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    request: AmendmentRequest,
    rules: Rules,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, actor, id)?;
    authorise(actor, Action::Amend)?;
    crate::db::wage_floors::share_guard(conn)?;
    let from = status_of(&placement.row)?;
    next(from, Action::Amend).ok_or_else(|| refused(from, Action::Amend))?;
    let (_, old) = current_terms(conn, &placement.row)?;
    let vacancy = vacancies::find_visible(
        conn,
        &placement.row.vacancy_id,
        &crate::actor::Scope::Employer(placement.row.employer_id.clone()),
    )?;
    // The changes apply to what was agreed, not to the vacancy as it may have been edited since.
    let c = request.changes;
    let mut pay = agreed_input(&old, &vacancy);
    pay.pay_basis = c.pay_basis.unwrap_or(pay.pay_basis);
    pay.wage_fen = c.wage_fen.unwrap_or(pay.wage_fen);
    pay.piece_unit = c.piece_unit.or(pay.piece_unit);
    pay.guaranteed_hourly_fen = c.guaranteed_hourly_fen.or(pay.guaranteed_hourly_fen);
    pay.hours_per_week = c.hours_per_week.unwrap_or(pay.hours_per_week);
    pay.guaranteed_hours_per_week = c.guaranteed_hours_per_week.unwrap_or(pay.guaranteed_hours_per_week);
    pay.deductions = c.deductions.unwrap_or(pay.deductions);
    pay.housing_provided = c.housing_provided.unwrap_or(pay.housing_provided);
    pay.insurance = c.insurance.or(pay.insurance);
    let version = old.version + 1;
    let terms = terms_for(
        conn,
        id,
        version,
        &vacancy,
        old.worker.clone(),
        (old.agency.clone(), old.agency_licence_number.clone()),
        pay,
        rules,
    )?;
    if same_work_and_pay(&old, &terms) {
        return Err(invalid("changes", "nothing changes"));
    }
    store_contract(conn, &terms, now)?;
    store::set_contract_version(conn, id, version)?;
    let reason = request.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    apply(
        conn,
        &placement.row,
        Action::Amend,
        Some(&actor.user_id),
        reason,
        json!({"version": version, "sha256": terms.sha256()}),
        now,
    )?;
    find_in(conn, actor, id)
}
