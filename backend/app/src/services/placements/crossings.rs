//! Crossings and returns: the agency records the departure and the return, the employer the
//! end of the season; the sweeper marks who overstayed and raises them to regulators.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::model::{Alert, Crossing, Placement, Reason};
use super::steps::{apply, authorise, placement_event};
use super::views::{checklist_in, current_terms, find_in, load, status_of};
use crate::actor::{Actor, Scope};
use crate::db::placements::{self as store, BorderEventRow};
use crate::db::reference as reference_db;
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::calendar::china_day;
use crate::domain::event::EventType;
use crate::domain::page::{Page, PageRequest};
use crate::domain::placement::{Action, ChecklistItem, Status};
use crate::error::{AppError, ErrorCode};
use crate::ids::PlacementId;
use crate::services::accounts::invalid;
use crate::services::agencies::require_active_licence;
use crate::services::authorities::scope_in;
use crate::services::{compliance, events};
use crate::state::AppState;

fn check_crossing(conn: &mut DbConnection, crossing: &Crossing, now: DateTime<Utc>) -> Result<(), AppError> {
    if reference_db::find_crossing(conn, &crossing.crossing_code)?.is_none() {
        return Err(invalid("crossing_code", "unknown border crossing"));
    }
    if crossing.at > now + Duration::minutes(10) {
        return Err(invalid("at", "a crossing is recorded after it happens"));
    }
    Ok(())
}

fn record_crossing(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    kind: &str,
    crossing: &Crossing,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::insert_border_event(
        conn,
        &BorderEventRow {
            id: uuid::Uuid::now_v7().to_string(),
            placement_id: id.clone(),
            kind: kind.to_owned(),
            crossing_code: crossing.crossing_code.clone(),
            at: crossing.at.naive_utc(),
            recorded_by: actor.user_id.clone(),
            recorded_at: now.naive_utc(),
        },
    )?;
    Ok(())
}

/// The agency records the departure: only with the current contract accepted and a permit
/// valid on the day of crossing.
pub async fn depart(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
    crossing: Crossing,
) -> Result<Placement, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| depart_in(conn, &actor, &id, crossing, now)).await
}

/// [`depart`] inside the caller's transaction (the demo loader).
pub fn depart_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    crossing: Crossing,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, actor, id)?;
    authorise(actor, Action::Depart)?;
    require_active_licence(conn, &placement.row.agency_id, china_day(now))?;
    check_crossing(conn, &crossing, now)?;
    let day = china_day(crossing.at);
    let open: Vec<ChecklistItem> = checklist_in(conn, &placement.row, day)?
        .items
        .into_iter()
        .filter(|entry| !entry.done)
        .map(|entry| entry.item)
        .collect();
    if let Some(first) = open.first() {
        let (code, why) = match first {
            ChecklistItem::ContractAccepted => (
                ErrorCode::ContractNotAccepted,
                "no departure before the worker accepts the current contract",
            ),
            ChecklistItem::PermitValid => {
                (ErrorCode::PermitInvalid, "no departure without a permit valid on the day of crossing")
            }
            ChecklistItem::InsuranceVerified => (
                ErrorCode::InsuranceMissing,
                "no departure before the permit desk verified the contract's insurance",
            ),
            ChecklistItem::OrientationAttended => (
                ErrorCode::OrientationMissing,
                "no departure before the worker attended the pre-departure orientation",
            ),
        };
        let names: Vec<&str> = open.iter().map(|item| item.as_str()).collect();
        return Err(AppError::new(code).with_detail(why).with("open_items", names));
    }
    let permit = store::latest_permit(conn, id)?.ok_or_else(|| AppError::new(ErrorCode::PermitInvalid))?;
    apply(
        conn,
        &placement.row,
        Action::Depart,
        Some(&actor.user_id),
        None,
        json!({"crossing_code": crossing.crossing_code, "permit_number": permit.number}),
        now,
    )?;
    record_crossing(conn, actor, id, "departure", &crossing, now)?;
    find_in(conn, actor, id)
}

/// The employer records the end of the season ([`Action::Complete`]), or an early end
/// ([`Action::Terminate`]) with its reason. Either way the hours guarantee is checked: over
/// the season, or pro-rated to the days before the early end.
pub async fn finish(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
    action: Action,
    reason: Reason,
) -> Result<Placement, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| finish_in(conn, &actor, &id, action, reason, now)).await
}

/// [`finish`] inside the caller's transaction (the demo loader).
pub fn finish_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    action: Action,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, actor, id)?;
    authorise(actor, action)?;
    let reason = reason.given();
    if action == Action::Terminate && reason.is_none() {
        return Err(invalid("reason", "say why the placement ends early"));
    }
    apply(conn, &placement.row, action, Some(&actor.user_id), reason, json!({}), now)?;
    let (_, terms) = current_terms(conn, &placement.row)?;
    let ended_early_on = (action == Action::Terminate).then(|| china_day(now));
    let employer = placement.row.employer_id.clone();
    let by = Some(&actor.user_id);
    compliance::check_hours_guarantee(conn, id, &employer, &terms, ended_early_on, by, now)?;
    find_in(conn, actor, id)
}

/// The agency records the return: on time when on or before the permit's last day. Either
/// way it enters the worker's history; on time, it earns the next season.
pub async fn record_return(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
    crossing: Crossing,
) -> Result<Placement, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| record_return_in(conn, &actor, &id, crossing, now)).await
}

/// [`record_return`] inside the caller's transaction (the demo loader).
pub fn record_return_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    crossing: Crossing,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, actor, id)?;
    authorise(actor, Action::Return { late: false })?;
    require_active_licence(conn, &placement.row.agency_id, china_day(now))?;
    check_crossing(conn, &crossing, now)?;
    let from = status_of(&placement.row)?;
    let day = china_day(crossing.at);
    let departed_at =
        store::border_events(conn, id)?.into_iter().find(|e| e.kind == "departure").map(|e| e.at);
    if departed_at.is_some_and(|d| crossing.at.naive_utc() < d) {
        return Err(invalid("at", "the return is before the departure"));
    }
    let valid_until = store::latest_permit(conn, id)?.map(|p| p.valid_until);
    let late = from == Status::Overstayed || valid_until.is_none_or(|until| day > until);
    apply(
        conn,
        &placement.row,
        Action::Return { late },
        Some(&actor.user_id),
        None,
        json!({"crossing_code": crossing.crossing_code, "on_time": !late}),
        now,
    )?;
    record_crossing(conn, actor, id, "return", &crossing, now)?;
    let (_, terms) = current_terms(conn, &placement.row)?;
    let season = (terms.season_start, terms.season_end);
    store::record_return(conn, &placement.row, season, day, !late, now.naive_utc())?;
    find_in(conn, actor, id)
}

/// The sweeper: every placement abroad whose permit ended before today without a return is
/// marked overstayed and raised to regulators; one still at work (never completed nor ended
/// early) is closed, so its hours guarantee is checked over the season. Safe to run on several servers at once: a
/// placement another run moved first is skipped. Returns how many it marked.
pub fn sweep(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut marked = 0;
    for (row, valid_until) in store::overdue(conn, china_day(now))? {
        let moved = apply(
            conn,
            &row,
            Action::Overstay,
            None,
            Some(format!("permit expired on {valid_until}; no return recorded")),
            json!({"permit_valid_until": valid_until.to_string()}),
            now,
        );
        match moved {
            Ok(_) => {
                store::insert_alert(conn, "overstay", &row.id, now.naive_utc())?;
                if status_of(&row)? == Status::Departed {
                    let (_, terms) = current_terms(conn, &row)?;
                    compliance::check_hours_guarantee(
                        conn,
                        &row.id,
                        &row.employer_id,
                        &terms,
                        None,
                        None,
                        now,
                    )?;
                }
                marked += 1;
            }
            Err(e) if e.code == ErrorCode::Conflict || e.code == ErrorCode::TransitionNotAllowed => {}
            Err(e) => return Err(e),
        }
    }
    remind_of_returns(conn, now)?;
    Ok(marked)
}

/// How many days before the season's end a worker is reminded of its return.
const RETURN_REMINDER_DAYS: i64 = 7;

/// A week before a season ends, each worker still abroad is reminded of the return date,
/// once (a `placement.return_due` event, which makes the notice).
fn remind_of_returns(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<(), AppError> {
    let today = china_day(now);
    for row in store::ending_between(conn, today, today + chrono::Duration::days(RETURN_REMINDER_DAYS))? {
        let event = placement_event(conn, &row, EventType::PlacementReturnDue, json!({}))?;
        events::record_once(conn, EventType::PlacementReturnDue.as_str(), event, now)?;
    }
    Ok(())
}

/// The list name an alert cursor carries.
const ALERTS: &str = "alerts";

/// What regulators must look at: overstays, newest first (of the placements the reader's
/// authority oversees), a page at a time.
pub async fn alerts(state: &AppState, actor: &Actor, page: PageRequest) -> Result<Page<Alert>, AppError> {
    actor.require(Role::Regulator)?;
    let seek = page.seek(ALERTS)?;
    let actor = actor.clone();
    let alerts = db::run(&state.pool, move |conn| {
        let Scope::Authority(within) = scope_in(conn, &actor)? else { return Err(AppError::forbidden()) };
        let rows = store::alerts(conn, &within, &seek)?;
        Ok(seek.page(ALERTS, rows, |(id, _, _, raised_at)| (*raised_at, id.clone())))
    })
    .await?;
    Ok(alerts.map(|(_, kind, placement_id, raised_at)| Alert {
        kind,
        placement_id,
        raised_at: raised_at.and_utc(),
    }))
}
