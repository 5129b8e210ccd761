//! Pre-departure orientation: the agency, or an authority of Viet Nam's side, records that the
//! worker attended it (the day and the place), once; the departure checklist reads it.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::model::{Orientation, Placement};
use super::views::{before_departure, find_in, load, status_of};
use crate::actor::Actor;
use crate::db::placements::{self as store, OrientationRow};
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::authority::Country;
use crate::domain::calendar::china_day;
use crate::error::{AppError, ErrorCode};
use crate::ids::PlacementId;
use crate::services::accounts::invalid;
use crate::services::audit;
use crate::services::authorities::require_side;
use crate::state::AppState;

/// Records the worker's attendance at the pre-departure orientation.
pub async fn record_orientation(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
    input: Orientation,
) -> Result<Placement, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| record_orientation_in(conn, &actor, &id, input, now)).await
}

/// [`record_orientation`] inside the caller's transaction (the demo loader). The placement's
/// own agency, or a regulator of Viet Nam's side, before the worker crossed; once.
pub fn record_orientation_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    input: Orientation,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, actor, id)?;
    match actor.role {
        Role::Agency => {}
        Role::Regulator => {
            require_side(conn, actor, Country::VN, None)?;
        }
        _ => return Err(AppError::forbidden().with_detail("the agency or Viet Nam's authority records it")),
    }
    if !before_departure(status_of(&placement.row)?) {
        return Err(
            AppError::new(ErrorCode::Conflict).with_detail("the worker is no longer before departure")
        );
    }
    let place = input.place.trim().to_owned();
    if place.is_empty() || place.chars().count() > 200 {
        return Err(invalid("place", "where it was held (at most 200 characters)"));
    }
    if input.attended_on > china_day(now) {
        return Err(invalid("attended_on", "an orientation is recorded after it is held"));
    }
    if input.attended_on < china_day(placement.row.created_at.and_utc()) {
        return Err(invalid("attended_on", "before the offer"));
    }
    if store::orientation(conn, id)?.is_some() {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("the orientation is already recorded"));
    }
    store::insert_orientation(
        conn,
        &OrientationRow {
            placement_id: id.clone(),
            attended_on: input.attended_on,
            place: place.clone(),
            recorded_by: actor.user_id.clone(),
            recorded_at: now.naive_utc(),
        },
    )?;
    audit::record(
        conn,
        Some(&actor.user_id),
        "placement.orientation_recorded",
        ("placement", id.as_str()),
        json!({"attended_on": input.attended_on, "place": place}),
        now,
    )?;
    find_in(conn, actor, id)
}
