//! Background jobs of a serving process. Several servers may serve one database: each
//! periodic job runs once per period across them all — every server's tick claims the
//! period (`job_runs`) and only the server whose claim is stored runs it — the outbox's
//! dispatcher claims its own rows, and the sealer takes the heads' locks in turn.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Settings;
use crate::db;
use crate::error::AppError;
use crate::services::statistics::releases;
use crate::services::{audit, compliance, events, limits, placements, vacancies};
use crate::state::AppState;

/// Starts every background job of a serving process.
pub fn spawn_all(state: AppState) -> Result<(), anyhow::Error> {
    // Names this server in the claims it makes.
    let instance: Arc<str> = uuid::Uuid::now_v7().to_string().into();
    for job in [Job::Sweeper, Job::Pruner, Job::Publisher, Job::PayWatch, Job::AuditHead] {
        spawn_periodic(state.clone(), job, instance.clone());
    }
    spawn_sealer(state.clone());
    spawn_dispatcher(state)
}

/// Seals the audit entries written since the last seal and places the events committed
/// since in the feed, every `audit.seal_interval_ms`. Every server runs it: the heads'
/// locks make the seals take turns, and a server finding nothing waiting writes nothing.
pub fn spawn_sealer(state: AppState) {
    let every = Duration::from_millis(state.settings.audit.seal_interval_ms.max(10));
    actix_web::rt::spawn(async move {
        loop {
            actix_web::rt::time::sleep(every).await;
            if let Err(err) = audit::seal_committed(&state.pool).await {
                tracing::error!(code = %err, "sealing the audit entries failed");
            }
            if let Err(err) = events::place_committed(&state.pool).await {
                tracing::error!(code = %err, "placing the events in the feed failed");
            }
        }
    });
}

/// A job run once per period.
#[derive(Clone, Copy, Debug)]
pub enum Job {
    /// The overstay sweeper (with the return reminders) and the below-floor check, every
    /// `placements.sweep_interval_seconds`.
    Sweeper,
    /// Deletes settled events, deliveries and notices past `events.retention_days`, the rate
    /// limits' spent counters and old claims, every `events.prune_interval_seconds`.
    Pruner,
    /// Makes the monthly statistics releases that are due (every closed month, China's
    /// calendar, from the first with records, that has none yet), at start and then every
    /// `statistics.release_interval_seconds`.
    Publisher,
    /// Raises the pay periods newly missing (unreported past `rules.pay_grace_days`), once a
    /// day.
    PayWatch,
    /// Exports the audit chain's head, signed, to `audit.head_dir`, once every
    /// `audit.head_interval_seconds`.
    AuditHead,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::Sweeper => "sweeper",
            Job::Pruner => "pruner",
            Job::Publisher => "publisher",
            Job::PayWatch => "pay_watch",
            Job::AuditHead => "audit_head",
        }
    }

    fn every(self, settings: &Settings) -> Duration {
        let seconds = match self {
            Job::Sweeper => settings.placements.sweep_interval_seconds,
            Job::Pruner => settings.events.prune_interval_seconds,
            Job::Publisher => settings.statistics.release_interval_seconds,
            Job::PayWatch => 24 * 3600,
            Job::AuditHead => settings.audit.head_interval_seconds,
        };
        Duration::from_secs(seconds.max(1))
    }

    async fn run(self, state: &AppState) {
        match self {
            Job::Sweeper => {
                let now = state.clock.now();
                match db::transaction(&state.pool, move |conn| placements::sweep(conn, now)).await {
                    Ok(0) => {}
                    Ok(marked) => tracing::warn!(marked, "overstays raised to regulators"),
                    Err(err) => tracing::error!(code = %err, "overstay sweep failed"),
                }
                match vacancies::flag_below_floor(state).await {
                    Ok(0) => {}
                    Ok(flagged) => {
                        tracing::warn!(flagged, "vacancies below a new floor flagged to employers")
                    }
                    Err(err) => tracing::error!(code = %err, "below-floor check failed"),
                }
            }
            Job::Pruner => {
                match events::prune(state).await {
                    Ok(0) => {}
                    Ok(pruned) => tracing::info!(pruned, "old events pruned"),
                    Err(err) => tracing::error!(code = %err, "pruning events failed"),
                }
                if let Err(err) = limits::prune(state).await {
                    tracing::error!(code = %err, "pruning rate-limit counters failed");
                }
                let before = (state.clock.now()
                    - chrono::Duration::days(state.settings.events.retention_days))
                .naive_utc();
                if let Err(err) =
                    db::transaction(&state.pool, move |conn| Ok(db::jobs::prune(conn, before)?)).await
                {
                    tracing::error!(code = %err, "pruning the jobs' claims failed");
                }
            }
            Job::Publisher => match releases::publish_due(state).await {
                Ok(0) => {}
                Ok(made) => tracing::info!(made, "monthly statistics releases made"),
                Err(err) => tracing::error!(code = %err, "making the monthly statistics releases failed"),
            },
            Job::PayWatch => match compliance::watch_pay(state).await {
                Ok(0) => {}
                Ok(raised) => tracing::warn!(raised, "pay periods missing raised to regulators"),
                Err(err) => tracing::error!(code = %err, "the pay watch failed"),
            },
            Job::AuditHead => match audit::export_head(state).await {
                Ok(head) => tracing::info!(seq = head.seq, "audit head exported"),
                Err(err) => tracing::error!(code = %err, "exporting the audit head failed"),
            },
        }
    }
}

/// Ticks every period of the job; runs it when the claim of `instance` (a server) on the
/// period is stored.
pub fn spawn_periodic(state: AppState, job: Job, instance: Arc<str>) {
    let every = job.every(&state.settings);
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(every);
        loop {
            tick.tick().await;
            match claim(&state, job, every, &instance).await {
                Ok(true) => {
                    state.metrics.job_runs.with_label_values(&[job.name()]).inc();
                    job.run(&state).await;
                }
                Ok(false) => {}
                Err(err) => tracing::error!(code = %err, job = job.name(), "claiming a job's period failed"),
            }
        }
    });
}

/// Claims the period the app's clock is in (whole intervals since the epoch) for this server.
async fn claim(state: &AppState, job: Job, every: Duration, instance: &Arc<str>) -> Result<bool, AppError> {
    let now = state.clock.now();
    let seconds = i64::try_from(every.as_secs()).unwrap_or(i64::MAX).max(1);
    let period = now.timestamp().div_euclid(seconds);
    let instance = instance.clone();
    db::transaction(&state.pool, move |conn| {
        Ok(db::jobs::claim(conn, job.name(), period, &instance, now.naive_utc())?)
    })
    .await
}

/// Runs the outbox's dispatcher: a round at once after a busy one, else every
/// `events.dispatch_interval_ms`. Every server runs it: each claims its own rows.
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
