//! Background jobs of a serving process.

use std::time::Duration;

use crate::db;
use crate::services::statistics::releases;
use crate::services::{events, limits, placements, vacancies};
use crate::state::AppState;

/// Runs the overstay sweeper (with the return reminders) and the below-floor check every
/// `placements.sweep_interval_seconds`. Several servers may run it at once: a placement
/// another run moved first is skipped, and a reminder or flag is told once (an event mark).
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
            match vacancies::flag_below_floor(&state).await {
                Ok(0) => {}
                Ok(flagged) => tracing::warn!(flagged, "vacancies below a new floor flagged to employers"),
                Err(err) => tracing::error!(code = %err, "below-floor check failed"),
            }
        }
    });
}

/// Runs the outbox's dispatcher: a round at once after a busy one, else every
/// `events.dispatch_interval_ms`. Several servers may run it: each claims its own rows.
pub fn spawn_dispatcher(state: AppState) -> Result<(), anyhow::Error> {
    let idle = Duration::from_millis(state.settings.events.dispatch_interval_ms.max(10));
    let dispatcher = events::Dispatcher::new(state)?;
    actix_web::rt::spawn(async move {
        loop {
            match dispatcher.run_once().await {
                Ok(round) if !round.is_idle() => continue,
                Ok(_) => {}
                Err(err) => tracing::error!(code = %err, "outbox dispatch failed"),
            }
            actix_web::rt::time::sleep(idle).await;
        }
    });
    Ok(())
}

/// Deletes settled events, deliveries and notices past `events.retention_days`, and the
/// rate limits' spent counters, every `events.prune_interval_seconds`.
pub fn spawn_pruner(state: AppState) {
    let every = Duration::from_secs(state.settings.events.prune_interval_seconds.max(1));
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(every);
        loop {
            tick.tick().await;
            match events::prune(&state).await {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "old events pruned"),
                Err(err) => tracing::error!(code = %err, "pruning events failed"),
            }
            if let Err(err) = limits::prune(&state).await {
                tracing::error!(code = %err, "pruning rate-limit counters failed");
            }
        }
    });
}

/// Makes the monthly statistics releases that are due (every closed month, China's calendar,
/// from the first with records, that has none yet) at start and then every
/// `statistics.release_interval_seconds`. Several servers may run it at once: a month's
/// release is stored once, the first stored stays, and another server's changes nothing.
pub fn spawn_publisher(state: AppState) {
    let every = Duration::from_secs(state.settings.statistics.release_interval_seconds.max(1));
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(every);
        loop {
            tick.tick().await;
            match releases::publish_due(&state).await {
                Ok(0) => {}
                Ok(made) => tracing::info!(made, "monthly statistics releases made"),
                Err(err) => tracing::error!(code = %err, "making the monthly statistics releases failed"),
            }
        }
    });
}
