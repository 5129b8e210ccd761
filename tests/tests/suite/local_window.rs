//! Local workers first: an opened vacancy is shown to local job-seekers for a window before
//! agencies may offer its seats, and the employer's local hires lower the seats left.

use chrono::Duration;
use diesel::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{
    AgencySession, EmployerSession, Session, TestApp, TestDb, day, problem, vacancy, worker,
};

struct Market {
    app: TestApp,
    regulator: Session,
    employer: EmployerSession,
    agency: AgencySession,
    vacancy_id: String,
}

/// A server with the default week of local window, Guangxi's floors, and one open vacancy of
/// 40 seats posted today (`day(0)`).
async fn market() -> Market {
    let app = TestApp::spawn_with(TestDb::create().await, |s| s.rules.local_window_days = 7).await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1800)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let posted: Value = response.json().await.unwrap();
    assert_eq!(posted["open_to_agencies_on"], day(7).to_string(), "{posted}");
    assert_eq!(posted["local_hires"], 0);
    let vacancy_id = posted["id"].as_str().unwrap().to_owned();
    Market { app, regulator, employer, agency, vacancy_id }
}

impl Market {
    async fn worker(&self, document: &str) -> String {
        let response =
            self.app.post_json("/api/v1/workers", Some(&self.agency.session), &worker(document)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    }

    async fn offer(&self, worker_id: &str) -> reqwest::Response {
        let body = json!({"vacancy_id": self.vacancy_id, "worker_id": worker_id});
        self.app.post_json("/api/v1/placements", Some(&self.agency.session), &body).await
    }

    async fn hire(&self, session: &Session, body: Value) -> reqwest::Response {
        let path = format!("/api/v1/vacancies/{}/local-hires", self.vacancy_id);
        self.app.post_json(&path, Some(session), &body).await
    }

    /// A season-wide proposal over every vacancy agencies may fill.
    async fn propose(&self) -> Value {
        let path = "/api/v1/matching/proposals";
        self.app.post_json(path, Some(&self.agency.session), &json!({})).await.json().await.unwrap()
    }

    async fn vacancy(&self) -> Value {
        self.app.get(&format!("/api/v1/vacancies/{}", self.vacancy_id), None).await.json().await.unwrap()
    }

    /// Moves the clock on and signs everyone in again.
    async fn advance(&mut self, days: i64) {
        self.app.state.clock.advance(Duration::days(days));
        self.regulator = self.app.session_for(&self.regulator.email).await;
        self.employer.session = self.app.session_for(&self.employer.session.email).await;
        self.agency.session = self.app.session_for(&self.agency.session.email).await;
    }
}

#[actix_web::test]
async fn agencies_offer_a_vacancys_seats_only_once_its_local_window_has_passed() {
    let mut m = market().await;
    // The public board shows when the vacancy opens to agencies, in the API and on the page.
    let board: Vec<Value> = m.app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    assert_eq!(board[0]["open_to_agencies_on"], day(7).to_string());
    let page = m.app.get("/vacancies", None).await.text().await.unwrap();
    assert!(page.contains("class=\"local-window\"") && page.contains(&day(7).to_string()), "{page}");

    let worker_id = m.worker("001090000001").await;
    let refused = problem(m.offer(&worker_id).await, 409, "local_window_open").await;
    assert_eq!(refused["open_to_agencies_on"], day(7).to_string());
    assert_eq!(m.app.count("SELECT COUNT(*) AS n FROM placements").await, 0, "nothing written");
    assert_eq!(m.vacancy().await["headcount"], 40);
    // A season-wide proposal leaves it out while its window runs.
    let proposal = m.propose().await;
    assert_eq!(proposal["lines"], json!([]), "{proposal}");

    // On the window's last day still refused; the next day (China's) open.
    m.advance(6).await;
    problem(m.offer(&worker_id).await, 409, "local_window_open").await;
    m.advance(1).await;
    assert_eq!(m.offer(&worker_id).await.status(), StatusCode::CREATED);
    let page = m.app.get("/vacancies", None).await.text().await.unwrap();
    assert!(!page.contains("class=\"local-window\""), "the window has passed: {page}");
    let other = m.worker("001090000002").await;
    let proposal = m.propose().await;
    assert_eq!(proposal["lines"][0]["worker_id"], other.as_str(), "{proposal}");
}

#[actix_web::test]
async fn local_hires_lower_the_seats_left_for_agencies_and_count_in_the_statistics() {
    let mut m = market().await;
    let employer = m.employer.session.clone();

    // Bad input: none, more than the seats, a day to come, a day before the vacancy; nothing written.
    for (body, field) in [
        (json!({"people": 0}), "people"),
        (json!({"people": 41}), "people"),
        (json!({"people": 2, "hired_on": day(1)}), "hired_on"),
        (json!({"people": 2, "hired_on": day(-1)}), "hired_on"),
    ] {
        let refused = problem(m.hire(&employer, body.clone()).await, 422, "validation_failed").await;
        assert_eq!(refused["field"], field, "{body}: {refused}");
    }
    let refused = problem(m.hire(&employer, json!({"people": 41})).await, 422, "validation_failed").await;
    assert_eq!(refused["open_seats"], 40);
    problem(m.hire(&employer, json!({"people": "five"})).await, 400, "malformed_body").await;
    // Only the vacancy's own employer: another employer does not see it, an agency or a
    // regulator may not hire for it.
    let other = m.app.employer(true).await;
    problem(m.hire(&other.session, json!({"people": 1})).await, 404, "not_found").await;
    problem(m.hire(&m.agency.session, json!({"people": 1})).await, 403, "forbidden").await;
    problem(m.hire(&m.regulator, json!({"people": 1})).await, 403, "forbidden").await;
    assert_eq!(m.app.count("SELECT COUNT(*) AS n FROM local_hires").await, 0);
    assert_eq!(m.vacancy().await["headcount"], 40);

    let hired: Value = m.hire(&employer, json!({"people": 5})).await.json().await.unwrap();
    assert_eq!((hired["headcount"].as_i64(), hired["local_hires"].as_i64()), (Some(35), Some(5)), "{hired}");
    let audited = "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'vacancy.hired_locally'";
    assert_eq!(m.app.count(audited).await, 1);

    // After the window an agency takes one seat; the employer may hire locally up to the rest.
    m.advance(7).await;
    let worker_id = m.worker("001090000003").await;
    assert_eq!(m.offer(&worker_id).await.status(), StatusCode::CREATED);
    let employer = m.employer.session.clone();
    let refused = problem(m.hire(&employer, json!({"people": 35})).await, 422, "validation_failed").await;
    assert_eq!(refused["open_seats"], 34);
    let body = json!({"people": 34, "hired_on": day(6)});
    let hired: Value = m.hire(&employer, body).await.json().await.unwrap();
    assert_eq!((hired["headcount"].as_i64(), hired["local_hires"].as_i64()), (Some(1), Some(39)));
    let next = m.worker("001090000004").await;
    problem(m.offer(&next).await, 409, "vacancy_full").await;
    // The database holds the seats too: no headcount below the seats taken.
    let below = format!("UPDATE vacancies SET headcount = 0 WHERE id = '{}'", m.vacancy_id);
    assert!(diesel::sql_query(below).execute(&mut m.app.db.connect()).is_err(), "the CHECK refuses it");

    // A closed vacancy hires no more.
    let close = format!("/api/v1/vacancies/{}/close", m.vacancy_id);
    assert_eq!(m.app.post_json(&close, Some(&employer), &json!({})).await.status(), StatusCode::OK);
    problem(m.hire(&employer, json!({"people": 1})).await, 409, "conflict").await;

    // The statistics: 40 positions posted, 39 filled locally on two days, one window ended.
    let query = format!(
        "/api/v1/statistics?from={}&to={}&by=month&indicators=positions_posted,local_hires,vacancies_open_to_agencies",
        day(-30),
        day(30)
    );
    let report: Value = m.app.get(&query, Some(&m.regulator)).await.json().await.unwrap();
    let total = |code: &str| -> i64 {
        let indicator = report["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap();
        indicator["rows"].as_array().unwrap().iter().map(|r| r["value"].as_i64().unwrap()).sum()
    };
    assert_eq!(total("positions_posted"), 40, "{report}");
    assert_eq!(total("local_hires"), 39, "{report}");
    assert_eq!(total("vacancies_open_to_agencies"), 1, "{report}");
}
