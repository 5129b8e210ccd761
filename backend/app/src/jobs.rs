//! Background jobs of a serving process.

use std::time::Duration;

use crate::db;
use crate::services::placements;
use crate::state::AppState;

/// Runs the overstay sweeper every `placements.sweep_interval_seconds`. Several servers may
/// run it at once: a placement another run moved first is skipped.
pub fn spawn_sweeper(state: AppState) {
    let every = Duration::from_secs(state.settings.placements.sweep_interval_seconds.max(1));
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(every);
        loop {
            tick.tick().await;
            let now = state.clock.now();
            match db::transaction(&state.pool, move |conn| placements::sweep(conn, now)).await {
                Ok(0) => {}
                Ok(marked) => tracing::warn!(marked, "overstays raised to regulators"),
                Err(err) => tracing::error!(code = %err, "overstay sweep failed"),
            }
        }
    });
}
