//! The test harness: [`TestApp`] starts the real server on a free port with its own fresh,
//! migrated database — a temp SQLite file, or, when `TEST_DATABASE_URL` is set, a fresh
//! PostgreSQL database copied from a migrated template — and logs in as each role.

pub mod browser;
pub mod db;
pub mod pages;
pub mod proxy;
pub mod receiver;
pub mod smtp;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::auth::token::TokenKeys;
use seasonlink::config::Settings;
use seasonlink::domain::account::Role;
use seasonlink::services::accounts::{self, NewAccount};
use seasonlink::services::authorities;
use seasonlink::state::{AppState, Clock};

pub use db::{Backend, TestDb};

/// The instant every test server's clock starts at: noon in Chongzuo (11:00 in Hà Nội) on the
/// Sunday before the 2026/27 cane season, the same date in UTC and in both countries. Fixtures
/// take their dates from it ([`day`]), so the suite passes whatever today's date is.
pub const START: &str = "2026-11-29T04:00:00Z";

/// The instant of [`START`].
pub fn start() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(START).unwrap().with_timezone(&chrono::Utc)
}

/// The date `offset` days after the test clock's first day: `day(2)` is the fixture season's
/// first day, `day(122)` its last.
pub fn day(offset: i64) -> chrono::NaiveDate {
    start().date_naive() + chrono::Duration::days(offset)
}

/// [`day`] as text with a `'static` life, for a form's fields.
pub fn day_text(offset: i64) -> &'static str {
    day(offset).to_string().leak()
}

/// The password of every account a test makes.
pub const PASSWORD: &str = "correct horse battery";
/// The signing key of every test server, so a test can mint its own tokens.
pub const JWT_SECRET: &str = "test-secret-not-for-production";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub db: TestDb,
    /// Where this server exports the audit chain's head (`audit.head_dir`).
    pub audit_heads: tempfile::TempDir,
    handle: ServerHandle,
}

/// A logged-in account.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub user_id: String,
    pub email: String,
}

impl TestApp {
    /// A server on a fresh database of the backend the environment selects.
    pub async fn spawn() -> TestApp {
        Self::spawn_on(TestDb::create().await).await
    }

    /// A server on the given database.
    pub async fn spawn_on(db: TestDb) -> TestApp {
        Self::spawn_with(db, |_| {}).await
    }

    /// A server on the given database with adjusted settings.
    pub async fn spawn_with(db: TestDb, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = Settings::for_tests().unwrap();
        settings.database.url = db.app_url().to_owned();
        settings.auth.jwt_secret = Some(JWT_SECRET.into());
        let audit_heads = tempfile::tempdir().unwrap();
        settings.audit.head_dir = audit_heads.path().to_owned();
        adjust(&mut settings);
        let url = seasonlink::db::DatabaseUrl::parse(&settings.database.url).unwrap();
        let database = settings.database.clone();
        // Off this thread: the database may sit behind a proxy that runs on it.
        let pool = tokio::task::spawn_blocking(move || seasonlink::db::connect_and_migrate(&url, &database))
            .await
            .unwrap()
            .unwrap();
        let state = AppState {
            pool,
            keys: TokenKeys::new(JWT_SECRET.as_bytes()),
            settings: Arc::new(settings),
            clock: Clock::at(start()),
            metrics: seasonlink::telemetry::Metrics::new().unwrap(),
            profiles: Default::default(),
            licences: Default::default(),
        };
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = seasonlink::start(state.clone(), listener).unwrap();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestApp { base: format!("http://127.0.0.1:{port}"), client, state, db, audit_heads, handle }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Makes an account directly in the database. A regulator without an organisation acts
    /// for China's national authority, as every regulator older than authorities does.
    pub async fn create_user(&self, role: Role, org_id: Option<&str>) -> String {
        let email = format!("{}-{}@test.seasonlink.vn", role.as_str(), uuid::Uuid::now_v7().simple());
        let org_id = match (role, org_id) {
            (Role::Regulator, None) => Some(authorities::CN_NATIONAL),
            _ => org_id,
        };
        let account = NewAccount::parse(&email, PASSWORD, role, org_id.map(Into::into)).await.unwrap();
        let now = self.state.clock.now();
        seasonlink::db::run(&self.state.pool, move |conn| accounts::create_user(conn, &account, now))
            .await
            .unwrap();
        email
    }

    /// Logs in over HTTP.
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// A new account of `role`, logged in (a regulator: on China's national authority).
    pub async fn login_as(&self, role: Role) -> Session {
        self.login_new(role, None).await
    }

    /// A new regulator of the national authority of `country` ("CN" or "VN"), logged in.
    pub async fn login_as_authority(&self, country: &str) -> Session {
        let authority = if country == "VN" { authorities::VN_NATIONAL } else { authorities::CN_NATIONAL };
        self.login_new(Role::Regulator, Some(authority)).await
    }

    /// A new regulator of the authority `authority_id` (a provincial one a test added, say),
    /// logged in.
    pub async fn login_as_authority_id(&self, authority_id: &str) -> Session {
        self.login_new(Role::Regulator, Some(authority_id)).await
    }

    /// A regulator adds an authority of `country` for `region_code` over HTTP, and a new
    /// regulator of it logs in.
    pub async fn login_as_provincial(&self, country: &str, region_code: &str) -> Session {
        let national = self.login_as(Role::Regulator).await;
        let body = json!({"name": format!("{country} {region_code} authority"), "country": country,
                          "region_code": region_code});
        let response = self.post_json("/api/v1/authorities", Some(&national), &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
        let authority: Value = response.json().await.unwrap();
        self.login_as_authority_id(authority["id"].as_str().unwrap()).await
    }

    async fn login_new(&self, role: Role, org_id: Option<&str>) -> Session {
        let email = self.create_user(role, org_id).await;
        let response = self.login(&email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        Session {
            token: body["token"].as_str().unwrap().to_owned(),
            user_id: body["user"]["id"].as_str().unwrap().to_owned(),
            email,
        }
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        if let Some(session) = session {
            request = request.bearer_auth(&session.token);
        }
        request.send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, session: Option<&Session>, body: &Value) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(session) = session {
            request = request.bearer_auth(&session.token);
        }
        request.send().await.unwrap()
    }

    /// A number read straight from the database: `sql` selects one BigInt named `n`.
    pub async fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.db.connect();
        diesel::RunQueryDsl::get_result::<Count>(diesel::sql_query(sql), &mut conn).unwrap().n
    }

    /// Runs one statement on the test database, as an old row or a tampering hand would
    /// write it; returns the rows it touched.
    pub async fn execute(&self, sql: &str) -> usize {
        let mut conn = self.db.connect();
        diesel::RunQueryDsl::execute(diesel::sql_query(sql), &mut conn).unwrap()
    }

    /// The state of a second server instance on this server's database: its own pool,
    /// metrics and kept profiles, the same settings and clock.
    pub async fn second_instance(&self) -> AppState {
        let url = seasonlink::db::DatabaseUrl::parse(self.db.app_url()).unwrap();
        let database =
            seasonlink::config::DatabaseSettings { pool_size: 4, ..self.state.settings.database.clone() };
        let pool = tokio::task::spawn_blocking(move || seasonlink::db::connect_and_migrate(&url, &database))
            .await
            .unwrap()
            .unwrap();
        AppState {
            pool,
            metrics: seasonlink::telemetry::Metrics::new().unwrap(),
            profiles: Default::default(),
            licences: Default::default(),
            ..self.state.clone()
        }
    }

    /// A second server instance on this server's database, serving on its own port (until
    /// the test ends): its state, as [`second_instance`](Self::second_instance), and its
    /// base URL.
    pub async fn second_server(&self) -> (AppState, String) {
        let state = self.second_instance().await;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        actix_web::rt::spawn(seasonlink::start(state.clone(), listener).unwrap());
        (state, format!("http://127.0.0.1:{port}"))
    }

    /// Stops the server (its database is dropped with the `TestApp`).
    pub async fn stop(&self) {
        self.handle.stop(false).await;
    }
}

/// Reads a problem+json answer, checking its status and content type; returns its body.
pub async fn problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status for {code}");
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(content_type, "application/problem+json", "content type for {code}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert!(body["title"].is_string() && body["type"].is_string(), "{body}");
    body
}

/// An employer account and its organisation.
#[derive(Clone, Debug)]
pub struct EmployerSession {
    pub session: Session,
    pub employer_id: String,
}

impl TestApp {
    /// Registers an employer over HTTP, logs in as it and, if asked, has a regulator verify it.
    pub async fn employer(&self, verified: bool) -> EmployerSession {
        let email = format!("employer-{}@test.seasonlink.vn", uuid::Uuid::now_v7().simple());
        let registration = json!({
            "name": "Ningming Sugar Co.",
            "registration_no": uuid::Uuid::now_v7().simple().to_string(),
            "region_code": "451422",
            "email": email,
            "password": PASSWORD,
        });
        let response = self.post_json("/api/v1/employers", None, &registration).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let employer_id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        if verified {
            let regulator = self.login_as(Role::Regulator).await;
            let path = format!("/api/v1/employers/{employer_id}/verify");
            assert_eq!(self.post_json(&path, Some(&regulator), &json!({})).await.status(), StatusCode::OK);
        }
        let body: Value = self.login(&email, PASSWORD).await.json().await.unwrap();
        let session = Session {
            token: body["token"].as_str().unwrap().to_owned(),
            user_id: body["user"]["id"].as_str().unwrap().to_owned(),
            email,
        };
        EmployerSession { session, employer_id }
    }

    /// A regulator adds a wage floor rule; returns its id.
    pub async fn add_rule(&self, regulator: &Session, rule: Value) -> String {
        let response = self.post_json("/api/v1/wage-floors", Some(regulator), &rule).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
        response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    }

    /// Guangxi's 2023 statutory minimum: tier 3 (17.00 CNY an hour) province-wide, tier 2
    /// (18.60) in Jiangzhou, tier 1 (20.10) in Dongxing. Returns the tier-3 rule's id.
    pub async fn guangxi_floors(&self, regulator: &Session) -> String {
        let source = "桂政发〔2023〕24号";
        for (region, hourly, monthly) in [("451402", 1860, 184_000), ("450681", 2010, 199_000)] {
            self.add_rule(
                regulator,
                json!({"region_code": region, "kind": "statutory_minimum", "hourly_fen": hourly,
                       "monthly_fen": monthly, "effective_from": "2023-11-01", "source": source}),
            )
            .await;
        }
        self.add_rule(
            regulator,
            json!({"region_code": "450000", "kind": "statutory_minimum", "hourly_fen": 1700,
                   "monthly_fen": 169_000, "effective_from": "2023-11-01", "source": source}),
        )
        .await
    }
}

/// A valid vacancy in Ningming (tier 3, 17.00 CNY an hour) paying `wage_fen` an hour, for a
/// season from `day(2)` to `day(122)` (2026-12-01 to 2027-03-31).
pub fn vacancy(wage_fen: i64) -> Value {
    json!({
        "title": "Cane cutters, Ningming 2026/27",
        "occupation_code": "sugarcane_cutting",
        "region_code": "451422",
        "crossing_code": "aidian",
        "headcount": 40,
        "season_start": day(2),
        "season_end": day(122),
        "hours_per_week": 48,
        "guaranteed_hours_per_week": 40,
        "required_skills": ["cane_knife"],
        "pay_basis": "hourly",
        "wage_fen": wage_fen,
        "deductions": [],
        "housing_provided": true,
        "description_zh": "宁明县甘蔗砍收，包住。",
        "description_vi": "Chặt mía ở huyện Ninh Minh, có chỗ ở.",
        "insurance": insurance(),
    })
}

/// A group policy for the fixture vacancy's workers: work injury 600,000 CNY, the return home
/// 3,000 CNY, the employer paying.
pub fn insurance() -> Value {
    json!({
        "insurer": "中国人民财产保险股份有限公司崇左市分公司",
        "policy_number": "PICC-GX-2026-000001",
        "work_injury_cover_fen": 60_000_000,
        "return_cover_fen": 300_000,
        "paid_by": "employer"
    })
}

/// An agency account and its organisation.
#[derive(Clone, Debug)]
pub struct AgencySession {
    pub session: Session,
    pub agency_id: String,
    pub licence_number: String,
}

impl TestApp {
    /// Today in China by the server's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.state.clock.today()
    }

    /// Logs in over HTTP with the test password; panics unless it works.
    pub async fn session_for(&self, email: &str) -> Session {
        let response = self.login(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "login as {email}");
        let body: Value = response.json().await.unwrap();
        Session {
            token: body["token"].as_str().unwrap().to_owned(),
            user_id: body["user"]["id"].as_str().unwrap().to_owned(),
            email: email.to_owned(),
        }
    }

    /// The worker activates its own account as at the pre-departure session: a regulator
    /// checks its document and hands it a one-time code in person, and the worker redeems it
    /// for [`PASSWORD`]. Returns the worker's session; later logins use [`TestApp::session_for`]
    /// with the address it signs in with (its e-mail, else its phone).
    pub async fn activate_worker(&self, worker_id: &str) -> Session {
        let regulator = self.login_as(Role::Regulator).await;
        let response = self.get(&format!("/api/v1/workers/{worker_id}"), Some(&regulator)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let worker: Value = response.json().await.unwrap();
        let path = format!("/api/v1/workers/{worker_id}/activation");
        let body = json!({"in_person": true, "id_document_number": worker["id_document_number"]});
        let response = self.post_json(&path, Some(&regulator), &body).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED, "{:?}", response.text().await);
        let code = response.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_owned();
        let sign_in = worker["email"].as_str().or(worker["phone"].as_str()).unwrap().to_owned();
        let body = json!({"email_or_phone": sign_in, "code": code, "password": PASSWORD});
        let response = self.post_json("/api/v1/auth/activate", None, &body).await;
        assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
        let body: Value = response.json().await.unwrap();
        Session {
            token: body["token"].as_str().unwrap().to_owned(),
            user_id: body["user"]["id"].as_str().unwrap().to_owned(),
            email: sign_in,
        }
    }

    /// The permit desk (`regulator`, of China's side) verifies the insurance the placement's
    /// contract states.
    pub async fn verify_insurance(&self, regulator: &Session, placement_id: &str) {
        let path = format!("/api/v1/placements/{placement_id}/insurance/verify");
        let response = self.post_json(&path, Some(regulator), &json!({})).await;
        assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    }

    /// A worker of `agency` registered with `document` (with an account of its own), offered a
    /// seat of `vacancy_id`, accepting version 1 in Vietnamese: the placement's id and the
    /// worker's session.
    pub async fn accepted_placement(
        &self,
        agency: &AgencySession,
        vacancy_id: &str,
        document: &str,
    ) -> (String, Session) {
        let mut body = worker(document);
        body["email"] = json!(format!("w{document}@test.seasonlink.vn"));
        let created = self.post_json("/api/v1/workers", Some(&agency.session), &body).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let worker_id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let holder = self.activate_worker(&worker_id).await;
        let offer = json!({"vacancy_id": vacancy_id, "worker_id": worker_id});
        let placement: Value =
            self.post_json("/api/v1/placements", Some(&agency.session), &offer).await.json().await.unwrap();
        let id = placement["id"].as_str().unwrap().to_owned();
        let accept = json!({"version": 1, "sha256": placement["contract"]["sha256"], "lang": "vi"});
        let accepted =
            self.post_json(&format!("/api/v1/placements/{id}/accept"), Some(&holder), &accept).await;
        assert!(accepted.status().is_success(), "{:?}", accepted.text().await);
        (id, holder)
    }

    /// The agency (or Viet Nam's authority) records the worker's pre-departure orientation,
    /// attended today.
    pub async fn record_orientation(&self, session: &Session, placement_id: &str) {
        let path = format!("/api/v1/placements/{placement_id}/orientation");
        let body = json!({"attended_on": self.today(), "place": "Sở Nội vụ tỉnh Lạng Sơn"});
        let response = self.post_json(&path, Some(session), &body).await;
        assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    }

    /// A regulator licenses an agency valid from `today + from_days` to `today + until_days`
    /// (over HTTP); returns the agency's account, logged in. The agency is Vietnamese: the
    /// regulator must act for Viet Nam's side ([`TestApp::login_as_authority`]).
    pub async fn agency_valid(&self, regulator: &Session, from_days: i64, until_days: i64) -> AgencySession {
        let email = format!("agency-{}@test.seasonlink.vn", uuid::Uuid::now_v7().simple());
        let licence_number = format!("VN-LS-{}", uuid::Uuid::now_v7().simple()).to_uppercase();
        let today = self.today();
        let body = json!({
            "name": "Lạng Sơn Labour Cooperation JSC",
            "country": "VN",
            "licence_number": licence_number,
            "licence_valid_from": today + chrono::Duration::days(from_days),
            "licence_valid_until": today + chrono::Duration::days(until_days),
            "email": email,
            "password": PASSWORD,
        });
        let response = self.post_json("/api/v1/agencies", Some(regulator), &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
        let agency_id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        AgencySession { session: self.session_for(&email).await, agency_id, licence_number }
    }

    /// An agency whose licence runs from a year ago to a year ahead.
    pub async fn agency(&self) -> AgencySession {
        let regulator = self.login_as_authority("VN").await;
        self.agency_valid(&regulator, -365, 365).await
    }

    pub async fn delete(&self, path: &str, session: Option<&Session>) -> reqwest::Response {
        let mut request = self.client.delete(self.url(path));
        if let Some(session) = session {
            request = request.bearer_auth(&session.token);
        }
        request.send().await.unwrap()
    }

    pub async fn patch_json(&self, path: &str, session: Option<&Session>, body: &Value) -> reqwest::Response {
        let mut request = self.client.patch(self.url(path)).json(body);
        if let Some(session) = session {
            request = request.bearer_auth(&session.token);
        }
        request.send().await.unwrap()
    }

    /// Posts a CSV file as `text/csv`.
    pub async fn post_csv(&self, path: &str, session: Option<&Session>, body: Vec<u8>) -> reqwest::Response {
        let mut request =
            self.client.post(self.url(path)).header("content-type", "text/csv; charset=utf-8").body(body);
        if let Some(session) = session {
            request = request.bearer_auth(&session.token);
        }
        request.send().await.unwrap()
    }

    /// The workers a session sees, every page of them.
    pub async fn list_workers(&self, session: &Session) -> Vec<Value> {
        self.walk("/api/v1/workers", Some(session)).await.concat()
    }

    /// Every page of a paged list from `path` on, following each page's `Link: <…>;
    /// rel="next"` until a page has none: the pages' rows, page by page.
    pub async fn walk(&self, path: &str, session: Option<&Session>) -> Vec<Vec<Value>> {
        let mut pages = Vec::new();
        let mut next = Some(path.to_owned());
        while let Some(path) = next.take() {
            assert!(pages.len() < 10_000, "a list that never ends at {path}");
            let response = self.get(&path, session).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            next = next_link(&response);
            pages.push(response.json::<Vec<Value>>().await.unwrap());
        }
        pages
    }
}

/// The address in a response's `Link: <…>; rel="next"` header, if it has one.
pub fn next_link(response: &reqwest::Response) -> Option<String> {
    let link = response.headers().get("link")?.to_str().ok()?;
    let (target, params) = link.split_once(';')?;
    assert_eq!(params.trim(), "rel=\"next\"", "{link}");
    Some(target.trim().strip_prefix('<')?.strip_suffix('>')?.to_owned())
}

/// A valid worker, 30 years old, holding `document`, available from `day(-28)` to `day(152)`.
pub fn worker(document: &str) -> Value {
    json!({
        "full_name": "Nguyễn Thị Hoa",
        "date_of_birth": day(-30 * 365),
        "gender": "female",
        "id_document_number": document,
        "home_province_code": "VN-09",
        "phone": "+84 912 345 678",
        "languages": ["vi", "zh"],
        "skills": ["cane_knife", "heavy_loading"],
        "available_from": day(-28),
        "available_until": day(152),
        "seasons_worked": 2
    })
}

/// The header row of a worker import.
pub const WORKER_CSV_HEADER: &str = "full_name,date_of_birth,gender,id_document_number,home_province_code,phone,email,languages,skills,available_from,available_until,seasons_worked\n";

/// One good CSV row: a worker born in 1990, available from `day(-28)` to `day(152)`.
pub fn worker_csv_row(name: &str, document: &str) -> String {
    let (from, until) = (day(-28), day(152));
    format!(
        "\"{name}\",1990-05-01,female,{document},VN-09,+84 912 345 678,,vi;zh,cane_knife;first_aid,{from},{until},1\n"
    )
}

/// Runs the outbox's dispatcher until nothing is due; panics if it never settles.
pub async fn drain(dispatcher: &seasonlink::services::events::Dispatcher) {
    for _ in 0..20 {
        if dispatcher.run_once().await.unwrap().is_idle() {
            return;
        }
    }
    panic!("the outbox did not drain");
}
