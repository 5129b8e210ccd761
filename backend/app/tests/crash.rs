//! Crash safety (issue 14): several clients write over the API — employers post vacancies,
//! agencies make offers, an employer reports payslips — while the server is killed with
//! SIGKILL; the server is started again on the same database, and every write that was
//! answered 2xx must be there, each with its audit entry, and the audit chain must verify.
//!
//! The server is the real binary, a child process (`Child::kill` is SIGKILL on Unix), on the
//! demo data (`seasonlink demo --no-serve`) and the system clock: the writes take their dates
//! from what the demo wrote (its vacancies' seasons, its last season's placements), never
//! from the wall clock. On a temp SQLite file by default; with `TEST_DATABASE_URL` (a
//! postgres:// URL to an admin database) on a PostgreSQL database of its own, dropped at the
//! end. The figures (writes acknowledged, found) are printed for BENCHMARKS.md:
//!
//! ```sh
//! cargo test -p seasonlink --test crash -- --nocapture
//! TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test -p seasonlink --test crash -- --nocapture
//! ```
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actix_web::rt::time::sleep;
use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::demo::{AGENCIES, DEMO_ACCOUNTS, DEMO_PASSWORD};
use seasonlink::domain::account::Role;

/// The signing key of both server processes, so that a login made before the kill still
/// works after the restart.
const JWT_SECRET: &str = "crash-test: a signing key of at least 32 bytes";
/// How many times the server is killed under load and started again.
const ROUNDS: usize = 3;
/// Each time, the server is killed once this many writes have been acknowledged…
const KILL_AFTER_ACKS: usize = 50;
/// …or this long after the load began, whichever comes first.
const KILL_AFTER: Duration = Duration::from_secs(20);
/// How long a server may take to answer `/readyz` (it migrates first; the machine may be
/// building).
const READY_WITHIN: Duration = Duration::from_secs(180);
/// Employers posting vacancies, agencies making offers, employers reporting payslips.
const VACANCY_CLIENTS: usize = 2;
const OFFER_CLIENTS: usize = 3;
const PAYSLIP_CLIENTS: usize = 2;

/// The database under test: a SQLite file in the test's folder, or a PostgreSQL database of
/// its own, dropped when the test ends (also when it fails).
struct Database {
    url: String,
    /// The admin URL and the database's name, on PostgreSQL.
    postgres: Option<(String, String)>,
}

impl Database {
    fn create(dir: &Path) -> Database {
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            None => Database { url: dir.join("seasonlink.db").display().to_string(), postgres: None },
            Some(admin) => {
                let name = format!("crash_{}", uuid::Uuid::now_v7().simple());
                let mut conn = PgConnection::establish(&admin).unwrap();
                conn.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
                let mut url = url::Url::parse(&admin).unwrap();
                url.set_path(&name);
                Database { url: url.to_string(), postgres: Some((admin, name)) }
            }
        }
    }

    fn backend(&self) -> &'static str {
        if self.postgres.is_some() { "postgres" } else { "sqlite" }
    }

    /// A direct connection, for counting rows.
    fn connect(&self) -> seasonlink::db::DbConnection {
        let url = seasonlink::db::DatabaseUrl::parse(&self.url).unwrap();
        seasonlink::db::ConnectionManager::new(url).open().unwrap()
    }

    /// How many rows `sql` counts (it selects one BigInt named `n`).
    fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(sql).get_result::<Count>(&mut self.connect()).unwrap().n
    }

    /// The ids `sql` selects (one Text column named `id`).
    fn ids(&self, sql: &str) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::Text)]
            id: String,
        }
        diesel::sql_query(sql).load::<Id>(&mut self.connect()).unwrap().into_iter().map(|r| r.id).collect()
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres
            && let Ok(mut conn) = PgConnection::establish(admin)
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// The `seasonlink` binary with the test configuration, on `db`, run in `dir` (anything it
/// writes to a relative path lands there), its output appended to `dir/server.log`.
fn seasonlink(db: &Database, dir: &Path, args: &[&str]) -> Command {
    let log = File::options().create(true).append(true).open(dir.join("server.log")).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_seasonlink"));
    command
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", &db.url)
        .env("SEASONLINK_ENV", "test")
        .env("SEASONLINK_CONFIG_DIR", concat!(env!("CARGO_MANIFEST_DIR"), "/../../config"))
        .env("SEASONLINK__AUTH__JWT_SECRET", JWT_SECRET)
        .env_remove("SEASONLINK_BIND")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    command
}

/// The server's log so far, for a failure's message.
fn server_log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
}

/// A `seasonlink serve` process; killed (SIGKILL) when dropped, so that a failing test
/// leaves none behind.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `seasonlink serve` on a free port and waits until it answers `/readyz`.
    async fn start(db: &Database, dir: &Path, http: &reqwest::Client) -> Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let bind = format!("127.0.0.1:{port}");
        let child = seasonlink(db, dir, &["serve", "--bind", &bind]).spawn().unwrap();
        let mut server = Server { child, base: format!("http://{bind}") };
        let started = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("seasonlink serve exited ({status}):\n{}", server_log(dir));
            }
            let ready = http.get(server.url("/readyz")).send().await;
            if ready.is_ok_and(|r| r.status() == StatusCode::OK) {
                return server;
            }
            assert!(started.elapsed() < READY_WITHIN, "not ready in {READY_WITHIN:?}:\n{}", server_log(dir));
            sleep(Duration::from_millis(100)).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGKILL: no shutdown, no flush, no chance to finish a request.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A logged-in account.
#[derive(Clone)]
struct Session {
    token: String,
    org_id: String,
}

impl std::fmt::Debug for Session {
    /// The organisation, not the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("org_id", &self.org_id).finish_non_exhaustive()
    }
}

async fn login(http: &reqwest::Client, server: &Server, email: &str) -> Session {
    let response = http
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "login as {email}");
    let body: Value = response.json().await.unwrap();
    Session {
        token: body["token"].as_str().unwrap().to_owned(),
        org_id: body["user"]["org_id"].as_str().unwrap_or_default().to_owned(),
    }
}

fn demo_email(role: Role) -> &'static str {
    DEMO_ACCOUNTS.iter().find(|a| a.role == role).unwrap().email
}

/// A GET that must answer 200: its JSON.
async fn get_json(http: &reqwest::Client, url: &str, session: &Session) -> Value {
    let response = http.get(url).bearer_auth(&session.token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    response.json().await.unwrap()
}

/// Every row of a paged list, its `Link: <…>; rel="next"` followed.
async fn every(http: &reqwest::Client, server: &Server, path: &str, session: Option<&Session>) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(path) = next.take() {
        let mut request = http.get(server.url(&path));
        if let Some(session) = session {
            request = request.bearer_auth(&session.token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        next = response
            .headers()
            .get("link")
            .and_then(|l| l.to_str().ok())
            .and_then(|l| l.split_once(';'))
            .and_then(|(target, _)| Some(target.trim().strip_prefix('<')?.strip_suffix('>')?.to_owned()));
        rows.extend(response.json::<Vec<Value>>().await.unwrap());
    }
    rows
}

fn text(value: &Value) -> String {
    value.as_str().unwrap().to_owned()
}

fn date(value: &Value) -> NaiveDate {
    value.as_str().unwrap().parse().unwrap()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Vacancy,
    Offer,
    Payslip,
}

/// What a write was, so that it can be looked for after the restart whether or not it was
/// answered.
#[derive(Clone, Debug)]
enum Write {
    /// A vacancy, by its (unique) title.
    Vacancy { title: String },
    /// An offer of a seat of `vacancy_id` to `worker_id`, by the agency of `session`.
    Offer { vacancy_id: String, worker_id: String, session: Session },
    /// A one-day payslip of a placement.
    Payslip { placement_id: String, day: NaiveDate },
}

impl Write {
    fn kind(&self) -> Kind {
        match self {
            Write::Vacancy { .. } => Kind::Vacancy,
            Write::Offer { .. } => Kind::Offer,
            Write::Payslip { .. } => Kind::Payslip,
        }
    }
}

/// What the clients saw.
#[derive(Default)]
struct Tally {
    /// Writes answered 2xx, with the id the answer gave.
    acknowledged: Vec<(Write, String)>,
    /// Writes answered otherwise (a refusal: seat taken, …), by status.
    refused: BTreeMap<u16, usize>,
    /// Writes sent but never answered: the server died under them.
    unanswered: Vec<Write>,
    /// The days a payslip client did not come to.
    days_left: Vec<(String, NaiveDate)>,
}

impl Tally {
    fn add(&mut self, mut other: Tally) {
        self.acknowledged.append(&mut other.acknowledged);
        self.unanswered.append(&mut other.unanswered);
        self.days_left.append(&mut other.days_left);
        for (status, n) in other.refused {
            *self.refused.entry(status).or_default() += n;
        }
    }

    fn acknowledged(&self, kind: Kind) -> usize {
        self.acknowledged.iter().filter(|(w, _)| w.kind() == kind).count()
    }
}

enum Outcome {
    Acknowledged(String),
    Refused(StatusCode),
    /// No answer: the server is gone.
    Unanswered,
}

/// Sends one write; its outcome.
async fn send(http: &reqwest::Client, url: &str, session: &Session, body: &Value) -> Outcome {
    let Ok(response) = http.post(url).bearer_auth(&session.token).json(body).send().await else {
        return Outcome::Unanswered;
    };
    let status = response.status();
    // An acknowledgement is a whole 2xx answer: one cut off in its body is no answer.
    match response.json::<Value>().await {
        Ok(answer) if status.is_success() => Outcome::Acknowledged(text(&answer["id"])),
        Ok(_) => Outcome::Refused(status),
        Err(_) => Outcome::Unanswered,
    }
}

/// Shared by the clients: acknowledged writes by kind, so that the kill can wait for some of
/// each.
#[derive(Default)]
struct Progress {
    vacancies: AtomicUsize,
    offers: AtomicUsize,
    payslips: AtomicUsize,
}

impl Progress {
    fn add(&self, kind: Kind) {
        let counter = match kind {
            Kind::Vacancy => &self.vacancies,
            Kind::Offer => &self.offers,
            Kind::Payslip => &self.payslips,
        };
        counter.fetch_add(1, Ordering::SeqCst);
    }

    fn counts(&self) -> [usize; 3] {
        [&self.vacancies, &self.offers, &self.payslips].map(|c| c.load(Ordering::SeqCst))
    }
}

/// One client: an account writing, one request at a time, and what it saw.
struct Client {
    http: reqwest::Client,
    session: Session,
    tally: Tally,
    progress: Arc<Progress>,
}

impl Client {
    /// Sends one write and records its outcome; `None` when the server is gone.
    async fn write(&mut self, write: Write, url: &str, body: &Value) -> Option<Outcome> {
        let outcome = send(&self.http, url, &self.session, body).await;
        match &outcome {
            Outcome::Acknowledged(id) => {
                self.progress.add(write.kind());
                self.tally.acknowledged.push((write, id.clone()));
            }
            Outcome::Refused(status) => *self.tally.refused.entry(status.as_u16()).or_default() += 1,
            Outcome::Unanswered => {
                self.tally.unanswered.push(write);
                return None;
            }
        }
        Some(outcome)
    }
}

/// A new vacancy like `template` (one the server holds), under `title`.
fn vacancy_like(template: &Value, title: &str) -> Value {
    let mut body = json!({"title": title, "status": "open"});
    for field in [
        "occupation_code",
        "region_code",
        "crossing_code",
        "headcount",
        "season_start",
        "season_end",
        "hours_per_week",
        "guaranteed_hours_per_week",
        "required_skills",
        "pay_basis",
        "wage_fen",
        "piece_unit",
        "guaranteed_hourly_fen",
        "deductions",
        "housing_provided",
        "description_zh",
        "description_vi",
    ] {
        body[field] = template[field].clone();
    }
    body
}

/// An employer posts vacancies like its own demo vacancies (their seasons, wages and places:
/// dates the server accepts today), each under a title of its own, until the server dies.
async fn post_vacancies(mut client: Client, base: String, templates: Vec<Value>, name: String) -> Tally {
    let url = format!("{base}/api/v1/vacancies");
    for i in 0.. {
        let template = &templates[i % templates.len()];
        let title = format!("{} (crash test, {name}, write {i})", text(&template["title"]));
        let body = vacancy_like(template, &title);
        if client.write(Write::Vacancy { title }, &url, &body).await.is_none() {
            break;
        }
    }
    client.tally
}

/// An agency offers its candidates seats of the open vacancies given, best candidates first,
/// until the server dies or it runs out of seats and candidates.
async fn make_offers(mut client: Client, base: String, vacancy_ids: Vec<String>) -> Tally {
    let mut offered = HashSet::new();
    for vacancy_id in vacancy_ids {
        let candidates = format!("{base}/api/v1/vacancies/{vacancy_id}/candidates?limit=25");
        let Ok(response) = client.http.get(&candidates).bearer_auth(&client.session.token).send().await
        else {
            break;
        };
        // A refusal (a busy server's 503, say) skips the vacancy; a cut-off answer reads as
        // none, and the next request finds the server gone.
        if response.status() != StatusCode::OK {
            continue;
        }
        let candidates = response.json::<Vec<Value>>().await.unwrap_or_default();
        for candidate in candidates {
            let worker_id = text(&candidate["worker_id"]);
            if !offered.insert(worker_id.clone()) {
                continue;
            }
            let write =
                Write::Offer { vacancy_id: vacancy_id.clone(), worker_id, session: client.session.clone() };
            let body = json!({"vacancy_id": vacancy_id, "worker_id": candidate["worker_id"]});
            match client.write(write, &format!("{base}/api/v1/placements"), &body).await {
                None => return client.tally,
                // Every seat taken (409 vacancy_full): the next vacancy.
                Some(Outcome::Refused(StatusCode::CONFLICT)) => break,
                Some(_) => {}
            }
        }
    }
    client.tally
}

/// An employer reports one-day payslips for the days of its last season that no payslip
/// covers yet, until the server dies or the days run out.
async fn report_payslips(mut client: Client, base: String, days: Vec<(String, NaiveDate)>) -> Tally {
    let mut days = days.into_iter();
    for (placement_id, day) in days.by_ref() {
        // Eight hours at 30 CNY: above every floor of the demo.
        let body = json!({
            "period_start": day, "period_end": day, "minutes_worked": 480, "gross_fen": 24_000,
            "deductions": [], "net_fen": 24_000, "paid_on": day,
        });
        let url = format!("{base}/api/v1/placements/{placement_id}/payslips");
        if client.write(Write::Payslip { placement_id, day }, &url, &body).await.is_none() {
            break;
        }
    }
    client.tally.days_left = days.collect();
    client.tally
}

/// The days of the employer's worked placements (in the contract's season, ended before
/// yesterday) that no reported payslip covers: where a payslip is accepted.
async fn unreported_days(
    http: &reqwest::Client,
    server: &Server,
    employer: &Session,
) -> Vec<(String, NaiveDate)> {
    const WORKED: [&str; 6] =
        ["departed", "completed", "terminated", "overstayed", "returned", "returned_late"];
    // Input construction only: the server's today is the system clock's, in China.
    let ended_by = chrono::Utc::now().date_naive() - chrono::Duration::days(2);
    let mut days = Vec::new();
    for placement in every(http, server, "/api/v1/placements?limit=100", Some(employer)).await {
        if !WORKED.contains(&placement["status"].as_str().unwrap()) {
            continue;
        }
        let id = text(&placement["id"]);
        let slips = get_json(http, &server.url(&format!("/api/v1/placements/{id}/payslips")), employer).await;
        let covered: Vec<(NaiveDate, NaiveDate)> = slips
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (date(&s["period_start"]), date(&s["period_end"])))
            .collect();
        let (start, end) = (date(&placement["season_start"]), date(&placement["season_end"]).min(ended_by));
        for day in start.iter_days().take_while(|d| *d <= end) {
            if !covered.iter().any(|(from, to)| (*from..=*to).contains(&day)) {
                days.push((id.clone(), day));
            }
        }
    }
    days
}

/// An id as the server made it, safe to quote in SQL.
fn quoted(id: &str) -> String {
    assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{id}");
    format!("'{id}'")
}

/// What the writers have to go on: the demo's data as the server shows it.
struct Plan {
    employer: Session,
    agencies: Vec<Session>,
    /// The employer's open vacancies, copied by the new ones.
    templates: Vec<Value>,
    /// The open vacancies of the board, offered by the agencies.
    board: Vec<String>,
}

/// One round: every client writes until the server is killed, once `KILL_AFTER_ACKS` writes
/// are acknowledged (or `KILL_AFTER` has passed); what they saw, and when the kill came.
async fn round(
    n: usize,
    server: &mut Server,
    http: &reqwest::Client,
    plan: &Plan,
    days: Vec<(String, NaiveDate)>,
) -> (Tally, Duration) {
    let progress = Arc::new(Progress::default());
    let client = |session: &Session| Client {
        http: http.clone(),
        session: session.clone(),
        tally: Tally::default(),
        progress: progress.clone(),
    };
    let mut clients = Vec::new();
    for c in 0..VACANCY_CLIENTS {
        let task = post_vacancies(
            client(&plan.employer),
            server.base.clone(),
            plan.templates.clone(),
            format!("round {n}, client {c}"),
        );
        clients.push(actix_web::rt::spawn(task));
    }
    for (c, agency) in plan.agencies.iter().enumerate() {
        // Each agency its own vacancies of the board, so that they rarely race for a seat.
        let vacancies: Vec<String> =
            plan.board.iter().skip(c).step_by(plan.agencies.len()).cloned().collect();
        clients.push(actix_web::rt::spawn(make_offers(client(agency), server.base.clone(), vacancies)));
    }
    for c in 0..PAYSLIP_CLIENTS {
        // Each client its own placements: one report at a time per placement.
        let mine: Vec<(String, NaiveDate)> = days
            .iter()
            .filter(|(placement_id, _)| {
                placement_id.bytes().map(usize::from).sum::<usize>() % PAYSLIP_CLIENTS == c
            })
            .cloned()
            .collect();
        clients.push(actix_web::rt::spawn(report_payslips(
            client(&plan.employer),
            server.base.clone(),
            mine,
        )));
    }
    let began = Instant::now();
    while progress.counts().iter().sum::<usize>() < KILL_AFTER_ACKS && began.elapsed() < KILL_AFTER {
        sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    let killed_after = began.elapsed();
    let mut tally = Tally::default();
    for handle in clients {
        tally.add(handle.await.unwrap());
    }
    (tally, killed_after)
}

#[actix_web::test]
async fn every_acknowledged_write_survives_a_sigkill_and_the_audit_chain_holds() {
    let began = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = Database::create(dir.path());
    let backend = db.backend();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();

    let demo = seasonlink(&db, dir.path(), &["demo", "--no-serve"]).status().unwrap();
    assert!(demo.success(), "seasonlink demo: {demo}\n{}", server_log(dir.path()));
    let demo_loaded = began.elapsed();
    let mut server = Server::start(&db, dir.path(), &http).await;

    // Every client logs in once, before the first load: the same logins serve after each
    // restart.
    let regulator = login(&http, &server, demo_email(Role::Regulator)).await;
    let employer = login(&http, &server, demo_email(Role::Employer)).await;
    let mut agencies = Vec::new();
    for agency in AGENCIES.iter().filter(|a| a.suspended_for.is_none()).take(OFFER_CLIENTS) {
        agencies.push(login(&http, &server, agency.email).await);
    }
    let own = every(&http, &server, "/api/v1/vacancies?limit=100", Some(&employer)).await;
    let templates: Vec<Value> = own.into_iter().filter(|v| v["status"] == "open").collect();
    assert!(!templates.is_empty(), "the demo employer has open vacancies");
    let board = every(&http, &server, "/api/v1/vacancies?limit=100", None).await;
    let board = board.iter().map(|v| text(&v["id"])).collect();
    let mut days = unreported_days(&http, &server, &employer).await;
    let unreported = days.len();
    let plan = Plan { employer, agencies, templates, board };
    let before = get_json(&http, &server.url("/api/v1/audit/verify"), &regulator).await;
    assert_eq!(before["ok"], true, "{before}");

    // The rounds: load, SIGKILL, restart on the same database, check the chain.
    let mut tally = Tally::default();
    for n in 0..ROUNDS {
        let (this, killed_after) = round(n, &mut server, &http, &plan, days).await;
        days = this.days_left.clone();
        server = Server::start(&db, dir.path(), &http).await;
        let verified = get_json(&http, &server.url("/api/v1/audit/verify"), &regulator).await;
        eprintln!(
            "crash ({backend}), round {n}: killed {:.2} s into the load, writes acknowledged {} \
             (vacancies {}, offers {}, payslips {}), unanswered {}; after the restart: {verified}",
            killed_after.as_secs_f64(),
            this.acknowledged.len(),
            this.acknowledged(Kind::Vacancy),
            this.acknowledged(Kind::Offer),
            this.acknowledged(Kind::Payslip),
            this.unanswered.len(),
        );
        assert_eq!(verified["ok"], true, "the audit chain after kill {n}: {verified}");
        assert!(this.acknowledged(Kind::Vacancy) > 0 && this.acknowledged(Kind::Offer) > 0, "round {n}");
        tally.add(this);
    }
    assert!(unreported == 0 || tally.acknowledged(Kind::Payslip) > 0, "{unreported} days to report");

    // Every acknowledged write is there, as its writer reads it.
    let mut found = 0;
    let mut missing = Vec::new();
    let mut payslips_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (write, id) in &tally.acknowledged {
        let there = match write {
            Write::Vacancy { title } => {
                let url = server.url(&format!("/api/v1/vacancies/{id}"));
                let response = http.get(url).bearer_auth(&plan.employer.token).send().await.unwrap();
                response.status() == StatusCode::OK
                    && response.json::<Value>().await.unwrap()["title"] == *title
            }
            Write::Offer { vacancy_id, worker_id, session } => {
                let url = server.url(&format!("/api/v1/placements/{id}"));
                let response = http.get(url).bearer_auth(&session.token).send().await.unwrap();
                let placement: Value = if response.status() == StatusCode::OK {
                    response.json().await.unwrap()
                } else {
                    Value::Null
                };
                placement["vacancy_id"] == *vacancy_id
                    && placement["worker"]["id"] == *worker_id
                    && placement["agency_id"] == session.org_id.as_str()
            }
            Write::Payslip { placement_id, .. } => {
                if !payslips_of.contains_key(placement_id) {
                    let url = server.url(&format!("/api/v1/placements/{placement_id}/payslips"));
                    let slips = get_json(&http, &url, &plan.employer).await;
                    let ids = slips.as_array().unwrap().iter().map(|s| text(&s["id"])).collect();
                    payslips_of.insert(placement_id.clone(), ids);
                }
                payslips_of[placement_id].contains(id)
            }
        };
        if there {
            found += 1;
        } else {
            missing.push(format!("{write:?} answered with id {id}"));
        }
    }

    // Each acknowledged write has its audit entry, written in its transaction.
    let ids: Vec<String> = tally.acknowledged.iter().map(|(_, id)| quoted(id)).collect();
    let audited = db.count(&format!(
        "SELECT COUNT(DISTINCT subject_id) AS n FROM audit_log WHERE subject_id IN ({})",
        ids.join(", ")
    ));

    // The writes the kills cut off may or may not have been committed: counted, not judged;
    // but one that was committed has its audit entry too (one transaction, or nothing).
    let acked_ids = ids.join(", ");
    let mut committed_unanswered = Vec::new();
    for write in &tally.unanswered {
        let sql = match write {
            Write::Vacancy { title } => {
                format!("SELECT id FROM vacancies WHERE title = '{}'", title.replace('\'', "''"))
            }
            // An offer cut off and not committed may have been made again in a later round.
            Write::Offer { vacancy_id, worker_id, .. } => format!(
                "SELECT id FROM placements WHERE vacancy_id = {} AND worker_id = {} AND id NOT IN ({acked_ids})",
                quoted(vacancy_id),
                quoted(worker_id)
            ),
            Write::Payslip { placement_id, day } => format!(
                "SELECT id FROM payslips WHERE placement_id = {} AND period_start = '{day}'",
                quoted(placement_id)
            ),
        };
        for id in db.ids(&sql) {
            let entries =
                db.count(&format!("SELECT COUNT(*) AS n FROM audit_log WHERE subject_id = {}", quoted(&id)));
            assert_eq!(
                entries, 1,
                "{write:?}, cut off by the kill, was committed as {id} with {entries} audit entries"
            );
            committed_unanswered.push(id);
        }
    }
    let committed_unanswered = committed_unanswered.len();

    // The server restarted last writes on from the chain's head, and the chain holds.
    let after = vacancy_like(&plan.templates[0], "Written after the last restart (crash test)");
    let response = http
        .post(server.url("/api/v1/vacancies"))
        .bearer_auth(&plan.employer.token)
        .json(&after)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    let verified = get_json(&http, &server.url("/api/v1/audit/verify"), &regulator).await;

    let acknowledged = tally.acknowledged.len();
    eprintln!(
        "crash ({backend}), {ROUNDS} kills: writes acknowledged {acknowledged} (vacancies {}, offers {}, \
         payslips {} of {unreported} days open), found {found}, with their audit entry {audited}; \
         refused {:?}; unanswered at the kills {} (committed {committed_unanswered}); \
         audit chain ok: {} ({} entries before the load, {} at the end: {} by the jobs); \
         demo loaded in {:.1} s, whole test {:.1} s",
        tally.acknowledged(Kind::Vacancy),
        tally.acknowledged(Kind::Offer),
        tally.acknowledged(Kind::Payslip),
        tally.refused,
        tally.unanswered.len(),
        verified["ok"],
        before["entries"],
        verified["entries"],
        // The writes above, the one after the last restart, and the rest: the jobs'.
        verified["entries"].as_i64().unwrap()
            - before["entries"].as_i64().unwrap()
            - (acknowledged + committed_unanswered + 1) as i64,
        demo_loaded.as_secs_f64(),
        began.elapsed().as_secs_f64(),
    );
    assert!(missing.is_empty(), "acknowledged writes lost in the crashes:\n{}", missing.join("\n"));
    assert_eq!(found, acknowledged);
    assert_eq!(audited, acknowledged as i64, "every acknowledged write has its audit entry");
    assert_eq!(verified["ok"], true, "the audit chain at the end: {verified}");
    assert!(verified["entries"].as_i64() > before["entries"].as_i64());
}
