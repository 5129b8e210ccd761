//! How fast the outbox's dispatcher delivers events to a partner's receiver on this machine:
//! events per second when a backlog drains, and the lag from an event's commit to its
//! arrival at the receiver (p50, p99, max) while events are written at a steady rate and the
//! dispatcher runs as `seasonlink serve` runs it.
//!
//! ```sh
//! cargo bench -p seasonlink --bench outbox                  # SQLite in a temp dir
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_outbox \
//!     cargo bench -p seasonlink --bench outbox              # an empty database (createdb first)
//! ```
//!
//! `BENCH_EVENTS` (default 5000) is the backlog; `BENCH_RATE` (default 200 a second) and
//! `BENCH_SECONDS` (default 10) shape the steady load. The receiver is a real HTTP server on
//! 127.0.0.1 that answers 200 at once; every delivery is signed and recorded as in production.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use chrono::{DateTime, Utc};
use serde_json::json;

use seasonlink::actor::Actor;
use seasonlink::auth::token::TokenKeys;
use seasonlink::config::{MailTransport, Settings};
use seasonlink::db::{self, DatabaseUrl};
use seasonlink::domain::account::Role;
use seasonlink::domain::event::EventType;
use seasonlink::ids::EmployerId;
use seasonlink::services::accounts::{self, NewAccount};
use seasonlink::services::events::{self, Dispatcher, NewEvent, PartnerInput, Subject};
use seasonlink::state::{AppState, Clock};
use seasonlink::telemetry::Metrics;

fn env_number(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(value) => value.parse().with_context(|| format!("{name}={value} is not a number")),
        Err(_) => Ok(default),
    }
}

/// When each event arrived, by id.
type Arrivals = Arc<Mutex<HashMap<String, DateTime<Utc>>>>;

async fn receive(
    body: web::Bytes,
    arrivals: web::Data<Mutex<HashMap<String, DateTime<Utc>>>>,
) -> HttpResponse {
    let now = Utc::now();
    if let Ok(event) = serde_json::from_slice::<serde_json::Value>(&body)
        && let Some(id) = event["id"].as_str()
        && let Ok(mut seen) = arrivals.lock()
    {
        seen.entry(id.to_owned()).or_insert(now);
    }
    HttpResponse::Ok().finish()
}

/// Writes `count` events, each in its own transaction, about distinct employers.
async fn write_events(state: &AppState, count: usize) -> anyhow::Result<()> {
    for _ in 0..count {
        let now = state.clock.now();
        let subject = Subject { employer_id: Some(EmployerId::generate()), ..Subject::default() };
        let event = NewEvent::new(EventType::EmployerVerified, subject, json!({"name": "bench"}));
        db::transaction(&state.pool, move |conn| events::record(conn, event, now))
            .await
            .map_err(|e| anyhow::anyhow!(e.describe()))?;
    }
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let backlog = env_number("BENCH_EVENTS", 5000)?.max(1);
    let rate = env_number("BENCH_RATE", 200)?.max(1);
    let seconds = env_number("BENCH_SECONDS", 10)?.max(1);
    let mut settings = Settings::load().map_err(|e| anyhow::anyhow!("settings: {e}"))?;
    settings.events.allow_private_targets = true;
    settings.mail.transport = MailTransport::Log;
    let dir = tempfile::tempdir()?;
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) => DatabaseUrl::parse(&url).map_err(anyhow::Error::msg)?,
        Err(_) => DatabaseUrl::Sqlite(dir.path().join("bench.db")),
    };
    println!("database: {}", url.redacted());
    let pool = db::connect_and_migrate(&url, &settings.database)?;
    // Its events would reach real partners: only an outbox that has never held one.
    let mut conn = pool.get()?;
    if !seasonlink::db::events::page(&mut conn, 0, None, 1)?.is_empty() {
        anyhow::bail!("{} already holds events: run the bench on an empty database", url.redacted());
    }
    drop(conn);
    let state = AppState {
        pool,
        settings: Arc::new(settings),
        keys: TokenKeys::random(),
        clock: Clock::system(),
        metrics: Metrics::new()?,
        profiles: Default::default(),
        licences: Default::default(),
    };
    actix_web::rt::System::new().block_on(run(state, backlog, rate, seconds))
}

async fn run(state: AppState, backlog: usize, rate: usize, seconds: usize) -> anyhow::Result<()> {
    let arrivals: Arrivals = Arc::default();
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let shared = web::Data::from(arrivals.clone());
    let receiver =
        HttpServer::new(move || App::new().app_data(shared.clone()).default_service(web::to(receive)))
            .workers(1)
            .listen(listener)?
            .run();
    actix_web::rt::spawn(receiver);

    let email = format!("bench-{}@bench.invalid", uuid::Uuid::now_v7().simple());
    let account = NewAccount::parse(&email, "bench password 123", Role::Regulator, None)
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?;
    let now = state.clock.now();
    let user = db::run(&state.pool, move |conn| accounts::create_user(conn, &account, now))
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?;
    let regulator = Actor { user_id: user.id, role: Role::Regulator, org_id: None };
    let input = PartnerInput {
        name: "bench receiver".into(),
        url: format!("http://127.0.0.1:{port}/events"),
        event_types: vec!["employer.verified".into()],
        secret: "a bench secret that is at least 32 bytes long".into(),
        permit_authority: false,
    };
    let partner = events::register_partner(&state, &regulator, input)
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?;

    // A backlog, drained by one dispatcher.
    write_events(&state, backlog).await?;
    let dispatcher = Dispatcher::new(state.clone())?;
    let started = Instant::now();
    let mut delivered = 0;
    while delivered < backlog {
        let round = dispatcher.run_once().await.map_err(|e| anyhow::anyhow!(e.describe()))?;
        delivered += round.delivered;
        if round.is_idle() {
            anyhow::bail!("the dispatcher stopped with {delivered} of {backlog} delivered");
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "backlog: {backlog} events delivered in {elapsed:.2} s = {:.0} events/s",
        backlog as f64 / elapsed
    );

    // A steady rate, with the dispatcher running as `serve` runs it.
    seasonlink::jobs::spawn_dispatcher(state.clone())?;
    arrivals.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.clear();
    let total = rate * seconds;
    let before = state.clock.now();
    let mut tick = actix_web::rt::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    for _ in 0..total {
        tick.tick().await;
        write_events(&state, 1).await?;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while arrivals.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.len() < total && Instant::now() < deadline
    {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    seasonlink::services::events::place_committed(&state.pool)
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?;
    let committed: Vec<(String, DateTime<Utc>)> = db::run(&state.pool, move |conn| {
        let page = seasonlink::db::events::page(conn, 0, None, i64::MAX)?;
        Ok(page
            .into_iter()
            .map(|(_, e)| e)
            .filter(|e| e.at.and_utc() >= before)
            .map(|e| (e.id, e.at.and_utc()))
            .collect())
    })
    .await
    .map_err(|e| anyhow::anyhow!(e.describe()))?;
    let seen = arrivals.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.clone();
    let mut lags: Vec<f64> = committed
        .iter()
        .filter_map(|(id, at)| {
            seen.get(id).map(|arrived| (*arrived - *at).num_microseconds().unwrap_or(0) as f64 / 1000.0)
        })
        .collect();
    lags.sort_by(f64::total_cmp);
    if lags.len() < total {
        anyhow::bail!("only {} of {total} events arrived within a minute", lags.len());
    }
    println!(
        "steady {rate}/s for {seconds} s, dispatcher idle interval {} ms: lag commit → receiver p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} events)",
        state.settings.events.dispatch_interval_ms,
        percentile(&lags, 0.5),
        percentile(&lags, 0.99),
        lags[lags.len() - 1],
        lags.len()
    );
    events::remove_partner(&state, &regulator, &partner.partner.id)
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?;
    Ok(())
}
