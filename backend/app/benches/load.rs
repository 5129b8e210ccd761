//! The server under load at a season's size (issue 15): 16 concurrent clients (a load
//! generator in this binary, keep-alive HTTP/1.1, on the same machine) against the endpoints
//! people hammer — the public vacancy board (API and page), the licence and permit checks, an
//! agency's worker list, a vacancy's candidates, the placements list, the regulator's
//! compliance view — and vacancy posting (the floor check and the audit append), with a bare
//! actix JSON "hello" server measured in the same run as the ceiling. Both servers run in this
//! process, each with the same number of workers; p50 / p99 / max latency, requests per
//! second and the machine's load are printed as a Markdown table.
//!
//! ```sh
//! DATABASE_URL=/work/season.sqlite cargo bench -p seasonlink --bench load
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/season_scale cargo bench -p seasonlink --bench load
//! ```
//!
//! The database must hold `seasonlink demo --scale season` (loaded today: its data is
//! relative to the day it was loaded). `BENCH_CLIENTS` (default 16), `BENCH_REQUESTS` (per
//! endpoint, default 2000) and `BENCH_SECONDS` (a cap per endpoint, default 20) bound the run;
//! `BENCH_ONLY` (words of the endpoints' labels, comma-separated: `POST,licences`) measures
//! those endpoints alone, after the ceiling (`proposals` the season-wide proposals alone,
//! which otherwise run first).

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::{App, HttpServer, web};
use anyhow::{Context, bail};
use diesel::prelude::*;
use serde_json::{Value, json};

use seasonlink::auth::token::TokenKeys;
use seasonlink::config::Settings;
use seasonlink::db::schema::{agencies, permits, users, vacancies};
use seasonlink::db::{self, DatabaseUrl};
use seasonlink::demo::DEMO_PASSWORD;
use seasonlink::demo::season::{SEASON_REGULATORS, agency_email, employer_email};
use seasonlink::state::{AppState, Clock};

fn env_number(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(value) => value.parse().with_context(|| format!("{name}={value} is not a number")),
        Err(_) => Ok(default),
    }
}

/// Serves `server` on a thread of its own; its base URL.
fn serve_on_thread(
    start: impl FnOnce(TcpListener) -> anyhow::Result<actix_web::dev::Server> + Send + 'static,
) -> anyhow::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match start(listener) {
                Ok(server) => {
                    let _ = server.await;
                }
                Err(err) => eprintln!("server: {err:#}"),
            }
        })
    });
    Ok(base)
}

/// One request a client sends, again and again.
#[derive(Clone)]
struct Call {
    label: String,
    method: reqwest::Method,
    url: String,
    token: Option<String>,
    /// A JSON body: a new one for each request (vacancy posting).
    body: Option<Arc<dyn Fn(usize) -> Value + Send + Sync>>,
}

struct Measured {
    label: String,
    ok: usize,
    failed: usize,
    first_failure: Option<String>,
    times: Vec<Duration>,
    wall: Duration,
    load: String,
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// `clients` clients send `call` until `requests` have been sent or `cap` has passed.
/// Each endpoint gets fresh connections: a server closes the ones idle past its keep-alive.
async fn hammer(call: &Call, clients: usize, requests: usize, cap: Duration) -> Measured {
    let client = reqwest::Client::builder().pool_max_idle_per_host(clients).build().unwrap_or_default();
    let client = &client;
    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks = (0..clients).map(|_| {
        let (client, call, next) = (client.clone(), call.clone(), next.clone());
        async move {
            let (mut times, mut ok, mut failed, mut first_failure) = (Vec::new(), 0, 0, None);
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= requests || started.elapsed() > cap {
                    break;
                }
                let mut request = client.request(call.method.clone(), &call.url);
                if let Some(token) = &call.token {
                    request = request.bearer_auth(token);
                }
                if let Some(body) = &call.body {
                    request = request.json(&body(n));
                }
                let sent = Instant::now();
                let outcome = match request.send().await {
                    Ok(response) => {
                        let status = response.status();
                        let text = response.bytes().await.map(|b| b.len());
                        match (status.is_success(), text) {
                            (true, Ok(_)) => Ok(()),
                            (_, _) => Err(format!("{status}")),
                        }
                    }
                    Err(err) => Err(err.to_string()),
                };
                times.push(sent.elapsed());
                match outcome {
                    Ok(()) => ok += 1,
                    Err(why) => {
                        failed += 1;
                        first_failure.get_or_insert(why);
                    }
                }
            }
            (times, ok, failed, first_failure)
        }
    });
    let mut measured = Measured {
        label: call.label.clone(),
        ok: 0,
        failed: 0,
        first_failure: None,
        times: Vec::new(),
        wall: Duration::ZERO,
        load: String::new(),
    };
    for (times, ok, failed, first_failure) in futures::future::join_all(tasks).await {
        measured.times.extend(times);
        measured.ok += ok;
        measured.failed += failed;
        if measured.first_failure.is_none() {
            measured.first_failure = first_failure;
        }
    }
    measured.wall = started.elapsed();
    measured.load = load_average();
    measured
}

/// One row of the table; the rate counts answers that succeeded, or all of them when none
/// was meant to (`note` says so).
fn print_row(mut m: Measured, note: &str) {
    m.times.sort();
    let answered = if m.ok == 0 { m.failed } else { m.ok };
    let rate = answered as f64 / m.wall.as_secs_f64();
    println!(
        "| {} | {} ({}) | {rate:.0}{note} | {:.1} | {:.1} | {:.1} | {} |",
        m.label,
        m.ok + m.failed,
        m.failed,
        percentile(&m.times, 50.0),
        percentile(&m.times, 99.0),
        percentile(&m.times, 100.0),
        m.load
    );
    if m.ok > 0
        && let Some(why) = m.first_failure
    {
        println!("|  first failure: {why} | | | | | | |");
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

async fn login(client: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<String> {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": DEMO_PASSWORD}))
        .send()
        .await?;
    if !response.status().is_success() {
        bail!("login {email}: {}", response.status());
    }
    let body: Value = response.json().await?;
    body["token"].as_str().map(str::to_owned).context("no token")
}

/// One proposal through HTTP, timed end to end, as a row of the proposals' table: its lines
/// (or, for a what-if, the workers it places) and objective.
async fn propose(request: reqwest::RequestBuilder, label: &str, run: &str) -> anyhow::Result<()> {
    let sent = Instant::now();
    let response = request.send().await?;
    let status = response.status();
    let body: Value = response.json().await?;
    let took = sent.elapsed();
    if !status.is_success() {
        bail!("{label}: {status} {body}");
    }
    let placed =
        body["lines"].as_array().map_or_else(|| body["placed"].as_u64().unwrap_or(0), |l| l.len() as u64);
    println!(
        "| {label} | {run} | {:.0} | {:.0} | {placed} | {} |",
        took.as_secs_f64() * 1000.0,
        body["solve_ms"].as_f64().unwrap_or_default(),
        body["objective"]
    );
    Ok(())
}

/// A vacancy the season's first employer posts from `today`: a new title each time, paid well
/// above any floor, in Ningming.
fn new_vacancy(today: chrono::NaiveDate, n: usize) -> Value {
    json!({
        "title": format!("Cane cutters, load test {n}"),
        "occupation_code": "sugarcane_cutting",
        "region_code": "451422",
        "crossing_code": "aidian",
        "headcount": 10,
        "season_start": today + chrono::Duration::days(30),
        "season_end": today + chrono::Duration::days(150),
        "hours_per_week": 48,
        "guaranteed_hours_per_week": 40,
        "required_skills": ["cane_knife"],
        "pay_basis": "hourly",
        "wage_fen": 3000,
        "deductions": [],
        "housing_provided": true
    })
}

fn main() -> anyhow::Result<()> {
    let clients = env_number("BENCH_CLIENTS", 16)?.max(1);
    let requests = env_number("BENCH_REQUESTS", 2000)?.max(1);
    let cap = Duration::from_secs(env_number("BENCH_SECONDS", 20)? as u64);
    let url = std::env::var("DATABASE_URL").context("DATABASE_URL: a database holding the season")?;
    let mut settings = Settings::load().map_err(|e| anyhow::anyhow!("settings: {e}"))?;
    settings.database.url = url.clone();
    let url = DatabaseUrl::parse(&url).map_err(anyhow::Error::msg)?;
    println!("database: {}", url.redacted());
    let pool = db::connect_and_migrate(&url, &settings.database)?;

    // The ids the calls name: the first agency's licence and an open vacancy of its
    // region's, a valid permit.
    let mut conn = pool.get()?;
    let agency_id: String = users::table
        .filter(users::email.eq(agency_email(1)))
        .select(users::org_id.assume_not_null())
        .first(&mut conn)
        .context("no season here: load it with `seasonlink demo --scale season`")?;
    let licence: String =
        agencies::table.find(&agency_id).select(agencies::licence_number).first(&mut conn)?;
    let vacancy_id: String = vacancies::table
        .filter(vacancies::status.eq("open"))
        .order(vacancies::id)
        .select(vacancies::id)
        .first(&mut conn)?;
    let (permit, code): (String, String) = permits::table
        .filter(permits::status.eq("valid"))
        .order(permits::number)
        .select((permits::number, permits::check_code))
        .first(&mut conn)?;
    drop(conn);

    let workers = settings
        .server
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let keys = match &settings.auth.jwt_secret {
        Some(secret) => TokenKeys::new(secret.as_bytes()),
        None => TokenKeys::random(),
    };
    let today = Clock::system().now().date_naive();
    let state = AppState {
        pool,
        keys,
        settings: Arc::new(settings),
        clock: Clock::system(),
        metrics: seasonlink::telemetry::Metrics::new()?,
        profiles: Default::default(),
        licences: Default::default(),
    };
    let app = serve_on_thread(move |listener| seasonlink::start(state, listener))?;
    let hello = serve_on_thread(move |listener| {
        Ok(HttpServer::new(|| {
            App::new().route("/hello", web::get().to(|| async { web::Json(json!({"hello": "world"})) }))
        })
        .workers(workers)
        .listen(listener)?
        .run())
    })?;

    actix_web::rt::System::new().block_on(async move {
        let client = reqwest::Client::new();
        // Until both answer.
        for _ in 0..100 {
            if client.get(format!("{app}/healthz")).send().await.is_ok()
                && client.get(format!("{hello}/hello")).send().await.is_ok()
            {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        let agency = login(&client, &app, &agency_email(1)).await?;
        let employer = login(&client, &app, &employer_email(1)).await?;
        let regulator = login(&client, &app, SEASON_REGULATORS[0].0).await?;
        let get = |label: &str, url: String, token: Option<&String>| Call {
            label: label.to_owned(),
            method: reqwest::Method::GET,
            url,
            token: token.cloned(),
            body: None,
        };
        let calls = vec![
            get("bare actix JSON hello (the ceiling)", format!("{hello}/hello"), None),
            get("`GET /api/v1/vacancies` (public board)", format!("{app}/api/v1/vacancies"), None),
            get("`GET /vacancies` (the board's page)", format!("{app}/vacancies"), None),
            get("`GET /api/v1/public/licences/{n}`", format!("{app}/api/v1/public/licences/{licence}"), None),
            get(
                "`GET /api/v1/public/permits/{n}?code=`",
                format!("{app}/api/v1/public/permits/{permit}?code={code}"),
                None,
            ),
            get("`GET /api/v1/workers` (an agency's)", format!("{app}/api/v1/workers"), Some(&agency)),
            get(
                "`GET /api/v1/vacancies/{id}/candidates`",
                format!("{app}/api/v1/vacancies/{vacancy_id}/candidates?limit=20"),
                Some(&agency),
            ),
            get("`GET /api/v1/placements` (an agency's)", format!("{app}/api/v1/placements"), Some(&agency)),
            get("`GET /api/v1/compliance` (national)", format!("{app}/api/v1/compliance"), Some(&regulator)),
            Call {
                label: "`POST /api/v1/vacancies` (floor check, audit append)".to_owned(),
                method: reqwest::Method::POST,
                url: format!("{app}/api/v1/vacancies"),
                token: Some(employer),
                body: Some(Arc::new(move |n| new_vacancy(today, n))),
            },
        ];
        let only: Vec<String> = std::env::var("BENCH_ONLY")
            .map(|words| words.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        if only.is_empty() || only.iter().any(|w| w == "proposals") {
            // Season-wide proposals, one at a time: the first reads the registry, the
            // second finds it kept.
            println!("| season-wide proposal | run | end to end ms | solve ms | placed | objective |");
            println!("|---|---|---|---|---|---|");
            let agency_wide = client.post(format!("{app}/api/v1/matching/proposals")).json(&json!({}));
            let what_if = client.get(format!("{app}/api/v1/matching/what-if"));
            for (label, request, token) in [
                (
                    "agency 01 over every open vacancy (`POST /api/v1/matching/proposals`)",
                    agency_wide,
                    &agency,
                ),
                (
                    "every agency's workers, a national regulator's what-if (`GET /api/v1/matching/what-if`)",
                    what_if,
                    &regulator,
                ),
            ] {
                for run in ["first", "again"] {
                    let request = request.try_clone().context("a request without a body stream")?;
                    propose(request.bearer_auth(token), label, run).await?;
                }
            }
            println!();
            if only.iter().all(|w| w == "proposals") && !only.is_empty() {
                return anyhow::Ok(());
            }
        }
        println!(
            "{clients} clients, at most {requests} requests or {} s per endpoint, {workers} server workers",
            cap.as_secs()
        );
        println!();
        println!("| endpoint | requests (failed) | req/s | p50 ms | p99 ms | max ms | load average after |");
        println!("|---|---|---|---|---|---|---|");
        let chosen = |call: &&Call| {
            call.url.starts_with(&hello)
                || only.is_empty()
                || only.iter().any(|w| call.label.contains(w.as_str()))
        };
        let mut ceiling = None;
        for call in calls.iter().filter(chosen) {
            let m = hammer(call, clients, requests, cap).await;
            let rate = m.ok as f64 / m.wall.as_secs_f64();
            let share = match ceiling {
                None => {
                    ceiling = Some(rate);
                    String::new()
                }
                Some(top) => format!(" ({:.0} % of hello)", 100.0 * rate / top),
            };
            print_row(m, &share);
        }

        if !only.is_empty() {
            return anyhow::Ok(());
        }
        // The board again, while 8 more clients guess a password from this one address: the
        // limits answer them (401, then 429) without slowing the others.
        let board = get(
            "`GET /api/v1/vacancies` during a login flood from one address",
            format!("{app}/api/v1/vacancies"),
            None,
        );
        let guesses = Call {
            label: "`POST /api/v1/auth/login`, wrong passwords (the flood)".to_owned(),
            method: reqwest::Method::POST,
            url: format!("{app}/api/v1/auth/login"),
            token: None,
            body: Some(Arc::new(|_| json!({"email": agency_email(2), "password": "not the password"}))),
        };
        let (during, flood) =
            futures::join!(hammer(&board, clients, requests, cap), hammer(&guesses, 8, 4 * requests, cap));
        print_row(during, "");
        print_row(flood, " (all refused: 401, then 429)");
        anyhow::Ok(())
    })
}
