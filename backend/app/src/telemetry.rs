//! Structured logs: every line of a request carries its request id (the span that
//! `TracingLogger` opens); JSON in production. Personal data is never logged.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt;

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber once; `RUST_LOG` overrides the configured filter.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.filter));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match settings.format {
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// The process's Prometheus figures, served at `/metrics`: the HTTP middleware's requests
/// and the outbox's backlog and attempts.
#[derive(Clone)]
pub struct Metrics {
    pub registry: prometheus::Registry,
    /// Deliveries and notices not yet sent, by `kind` (delivery, notice).
    pub outbox_pending: prometheus::IntGaugeVec,
    /// The age of the oldest of them.
    pub outbox_oldest_pending_seconds: prometheus::IntGauge,
    /// Attempts by `kind` and `outcome` (delivered, sent, retried, dead, failed).
    pub outbox_attempts: prometheus::IntCounterVec,
    /// The periodic jobs this server ran, by `job` (a period another server claimed is not
    /// counted here).
    pub job_runs: prometheus::IntCounterVec,
}

impl Metrics {
    pub fn new() -> Result<Metrics, prometheus::Error> {
        use prometheus::{IntCounterVec, IntGauge, IntGaugeVec, Opts};
        let registry = prometheus::Registry::new();
        let outbox_pending = IntGaugeVec::new(
            Opts::new("seasonlink_outbox_pending", "Partner deliveries and notices not yet sent"),
            &["kind"],
        )?;
        let outbox_oldest_pending_seconds = IntGauge::new(
            "seasonlink_outbox_oldest_pending_seconds",
            "Age in seconds of the oldest unsent delivery or notice",
        )?;
        let outbox_attempts = IntCounterVec::new(
            Opts::new("seasonlink_outbox_attempts_total", "Delivery and notice attempts by outcome"),
            &["kind", "outcome"],
        )?;
        registry.register(Box::new(outbox_pending.clone()))?;
        registry.register(Box::new(outbox_oldest_pending_seconds.clone()))?;
        let job_runs = IntCounterVec::new(
            Opts::new("seasonlink_job_runs_total", "Periodic jobs this server ran, by job"),
            &["job"],
        )?;
        registry.register(Box::new(outbox_attempts.clone()))?;
        registry.register(Box::new(job_runs.clone()))?;
        Ok(Metrics { registry, outbox_pending, outbox_oldest_pending_seconds, outbox_attempts, job_runs })
    }
}
