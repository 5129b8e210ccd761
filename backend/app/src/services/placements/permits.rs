//! Permits: a regulator issues the permit of an accepted placement and may revoke it; anyone,
//! border police included, checks one by its number and check code.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

use super::model::{InsuranceState, Permit, Placement, PublicPermit, Reason, Rules};
use super::steps::{apply, authorise, placement_event, require_accepted};
use super::views::{current_terms, find_in, insurance_state, load, permit_status, permit_view, status_of};
use crate::actor::Actor;
use crate::codes::random_code;
use crate::db::placements::{self as store, InsuranceCheckRow, PermitRow};
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::authority::Country;
use crate::domain::calendar::china_day;
use crate::domain::event::EventType;
use crate::domain::placement::{Action, Status};
use crate::domain::worker as worker_domain;
use crate::error::{AppError, ErrorCode};
use crate::ids::{PlacementId, WorkerId};
use crate::services::accounts::invalid;
use crate::services::authorities::require_side;
use crate::services::{audit, events};
use crate::state::AppState;

/// A regulator issues the permit of an accepted placement: valid from the season's start
/// to its end plus the grace period.
pub async fn issue_permit(state: &AppState, actor: &Actor, id: &PlacementId) -> Result<Permit, AppError> {
    let (actor, id) = (actor.clone(), id.clone());
    let (rules, now) = (Rules::of(&state.settings), state.clock.now());
    db::transaction(&state.pool, move |conn| issue_permit_in(conn, &actor, &id, rules, now)).await
}

/// [`issue_permit`] inside the caller's transaction (the demo loader).
pub fn issue_permit_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    rules: Rules,
    now: DateTime<Utc>,
) -> Result<Permit, AppError> {
    let placement = load(conn, actor, id)?;
    authorise(actor, Action::IssuePermit)?;
    require_side(conn, actor, Country::CN, Some(&placement.region_code))?;
    require_accepted(conn, &placement.row, "the worker has not accepted the current contract version")?;
    // Bound to the season the worker agreed to, which a later edit of the vacancy does not move.
    let (_, terms) = current_terms(conn, &placement.row)?;
    if !stated_insurance(insurance_state(conn, &placement.row)?)?.verified {
        return Err(AppError::new(ErrorCode::InsuranceMissing)
            .with_detail("the permit desk has not verified the contract's insurance")
            .with("verified", false));
    }
    let validity = (terms.season_start, terms.season_end + Duration::days(rules.permit_grace_days));
    let row = new_permit(conn, &placement.row.id, &placement.row.worker_id, validity, actor, now)?;
    apply(
        conn,
        &placement.row,
        Action::IssuePermit,
        Some(&actor.user_id),
        None,
        json!({"permit_number": row.number, "valid_from": row.valid_from, "valid_until": row.valid_until}),
        now,
    )?;
    store::insert_permit(conn, &row)?;
    Ok(permit_view(row, true))
}

/// The insurance the contract states, as the permit desk left it (422 `insurance_missing`
/// when it states none).
fn stated_insurance(state: Option<InsuranceState>) -> Result<InsuranceState, AppError> {
    state.ok_or_else(|| {
        AppError::new(ErrorCode::InsuranceMissing)
            .with_detail("the contract states no work-injury and return insurance: the employer amends it")
            .with("verified", false)
    })
}

/// The permit desk (a regulator of China's side, for the worksite's region) verifies the
/// insurance the current contract states: a permit needs it. Verifying it again changes nothing;
/// an amendment that changes the insurance needs a verification of its own.
pub async fn verify_insurance(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
) -> Result<Placement, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| verify_insurance_in(conn, &actor, &id, now)).await
}

/// [`verify_insurance`] inside the caller's transaction (the demo loader).
pub fn verify_insurance_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, actor, id)?;
    authorise(actor, Action::IssuePermit)?;
    require_side(conn, actor, Country::CN, Some(&placement.region_code))?;
    let status = status_of(&placement.row)?;
    if !status.is_active() {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("the placement has ended"));
    }
    let insurance = stated_insurance(insurance_state(conn, &placement.row)?)?;
    if !insurance.verified {
        let sha256 = insurance.stated.sha256();
        let check = InsuranceCheckRow {
            placement_id: id.clone(),
            insurance_sha256: sha256.clone(),
            verified_by: actor.user_id.clone(),
            verified_at: now.naive_utc(),
        };
        store::verify_insurance(conn, &check)?;
        audit::record(
            conn,
            Some(&actor.user_id),
            "placement.insurance_verified",
            ("placement", id.as_str()),
            json!({"contract_version": placement.row.contract_version, "insurance_sha256": sha256}),
            now,
        )?;
    }
    find_in(conn, actor, id)
}

/// A permit for the placement, valid over `validity`, to the worker as its record says now.
fn new_permit(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
    worker_id: &WorkerId,
    (valid_from, valid_until): (NaiveDate, NaiveDate),
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<PermitRow, AppError> {
    let holder = crate::db::workers::find(conn, worker_id)?.ok_or_else(AppError::not_found)?;
    Ok(PermitRow {
        number: format!("SL-{}-{}", valid_from.format("%Y"), random_code(8)),
        placement_id: placement_id.clone(),
        check_code: random_code(6),
        valid_from,
        valid_until,
        status: "valid".to_owned(),
        issued_by: actor.user_id.clone(),
        issued_at: now.naive_utc(),
        revoked_by: None,
        revoked_at: None,
        revoked_reason: None,
        holder_name: Some(holder.row.full_name),
        holder_date_of_birth: Some(holder.row.date_of_birth),
    })
}

/// After a regulator (of either side: correcting an identity is not a permit decision)
/// corrected who a worker is: each of its permits still valid (today or
/// later) is revoked and issued again, with the same validity, to the corrected holder (new number, new check
/// code). The placements keep their status; border posts and partners hear of both.
pub fn reissue_permits_in(
    conn: &mut DbConnection,
    actor: &Actor,
    worker_id: &WorkerId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Permit>, AppError> {
    actor.require(Role::Regulator)?;
    let why = format!("identity corrected: {reason}");
    let mut reissued = Vec::new();
    for old in store::valid_permits_of_worker(conn, worker_id, china_day(now))? {
        store::revoke_permit(conn, &old.number, &actor.user_id, &why, now.naive_utc())?;
        let placement = store::find(conn, &old.placement_id)?.ok_or_else(AppError::not_found)?;
        let revoked = json!({"permit_number": old.number, "reason": "identity_corrected"});
        let event = placement_event(conn, &placement.row, EventType::PermitRevoked, revoked)?;
        events::record(conn, event, now)?;
        let row =
            new_permit(conn, &old.placement_id, worker_id, (old.valid_from, old.valid_until), actor, now)?;
        store::insert_permit(conn, &row)?;
        let issued = json!({"permit_number": row.number, "valid_from": row.valid_from,
                            "valid_until": row.valid_until, "replaces": old.number});
        let event = placement_event(conn, &placement.row, EventType::PermitIssued, issued)?;
        events::record(conn, event, now)?;
        reissued.push(permit_view(row, true));
    }
    Ok(reissued)
}

/// A regulator revokes a permit, at once. Before departure the placement goes back to
/// accepted; after it, the worker is expected home and the sweeper watches the dates.
pub async fn revoke_permit(
    state: &AppState,
    actor: &Actor,
    number: &str,
    reason: Reason,
) -> Result<Permit, AppError> {
    let (actor, number, now) = (actor.clone(), number.to_owned(), state.clock.now());
    db::transaction(&state.pool, move |conn| revoke_permit_in(conn, &actor, &number, reason, now)).await
}

fn revoke_permit_in(
    conn: &mut DbConnection,
    actor: &Actor,
    number: &str,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<Permit, AppError> {
    actor.require(Role::Regulator)?;
    let permit = store::permit(conn, number)?.ok_or_else(AppError::not_found)?;
    // A permit of a placement the reader's authority does not oversee is not found.
    let placement = load(conn, actor, &permit.placement_id)?;
    require_side(conn, actor, Country::CN, Some(&placement.region_code))?;
    let Some(reason) = reason.given() else { return Err(invalid("reason", "say why the permit is revoked")) };
    if store::revoke_permit(conn, number, &actor.user_id, &reason, now.naive_utc())? == 0 {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("the permit is already revoked"));
    }
    if status_of(&placement.row)? == Status::Permitted {
        apply(
            conn,
            &placement.row,
            Action::RevokePermit,
            Some(&actor.user_id),
            Some(reason),
            json!({"permit_number": number}),
            now,
        )?;
    } else {
        // The worker may be abroad: the border posts must know at once.
        let detail = json!({"permit_number": number});
        audit::record(
            conn,
            Some(&actor.user_id),
            Action::RevokePermit.name(),
            ("placement", placement.row.id.as_str()),
            detail.clone(),
            now,
        )?;
        let event = placement_event(conn, &placement.row, EventType::PermitRevoked, detail)?;
        events::record(conn, event, now)?;
    }
    let permit = store::permit(conn, number)?.ok_or_else(AppError::not_found)?;
    Ok(permit_view(permit, true))
}

/// The public check by number and code, on today's date. A wrong code answers exactly as
/// an unknown number: 404.
pub async fn check_permit(state: &AppState, number: &str, code: &str) -> Result<PublicPermit, AppError> {
    let (number, code, today) = (number.to_owned(), code.to_owned(), state.clock.today());
    db::run(&state.pool, move |conn| {
        use subtle::ConstantTimeEq;
        let number = number.trim().to_uppercase();
        let permit = store::permit(conn, &number)?
            .filter(|p| bool::from(p.check_code.as_bytes().ct_eq(code.trim().to_uppercase().as_bytes())))
            .ok_or_else(AppError::not_found)?;
        let placement = store::find(conn, &permit.placement_id)?.ok_or_else(AppError::not_found)?;
        let status = permit_status(&permit, today);
        // The holder as at issue: a later edit of the record does not move the permit.
        let holder = permit.holder_name.as_deref().unwrap_or(&placement.worker_name);
        Ok(PublicPermit {
            valid: status == "valid",
            status: status.to_owned(),
            holder_initials: worker_domain::initials(holder),
            employer_name: placement.employer_name,
            valid_from: permit.valid_from,
            valid_until: permit.valid_until,
        })
    })
    .await
}
