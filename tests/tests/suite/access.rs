//! What an agency still reads as its licence stops (no document numbers once suspended or
//! expired; nothing personal once revoked), and the worker's access log: every agency read
//! of its record, one entry per reader and day in China, which the worker and regulators
//! read and nobody else.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::compliance::at_work;
use seasonlink::domain::account::Role;
use seasonlink_tests::pages::UiSession;
use seasonlink_tests::{AgencySession, PASSWORD, Session, TestApp, problem, worker};

async fn decide(app: &TestApp, regulator: &Session, agency_id: &str, action: &str) {
    let path = format!("/api/v1/agencies/{agency_id}/licence/{action}");
    let response = app.post_json(&path, Some(regulator), &json!({"reason": "fees charged to workers"})).await;
    assert_eq!(response.status(), StatusCode::OK, "{action}");
}

async fn json_of(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// How many access-log rows the database holds.
async fn log_rows(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM access_log").await
}

#[actix_web::test]
async fn a_suspended_or_expired_agency_reads_its_workers_without_their_documents() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let agency = app.agency_valid(&regulator, -10, 100).await;
    let created: Value = app
        .post_json("/api/v1/workers", Some(&agency.session), &worker("C7000001"))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/workers/{}", created["id"].as_str().unwrap());
    let read = |session: Session| {
        let (app, path) = (&app, path.clone());
        async move {
            let one = json_of(app.get(&path, Some(&session)).await).await;
            let all = app.list_workers(&session).await;
            (one, all)
        }
    };
    let (one, all) = read(agency.session.clone()).await;
    assert_eq!(
        (one["id_document_number"].as_str(), all[0]["id_document_number"].as_str()),
        (Some("C7000001"), Some("C7000001"))
    );

    decide(&app, &regulator, &agency.agency_id, "suspend").await;
    let (one, all) = read(agency.session.clone()).await;
    assert!(one.get("id_document_number").is_none(), "suspended: {one}");
    assert!(all[0].get("id_document_number").is_none(), "suspended: {all:?}");
    assert_eq!(one["full_name"], "Nguyễn Thị Hoa", "the rest of the record stays, to wind down");
    let (seen, _) = read(regulator.clone()).await;
    assert_eq!(seen["id_document_number"], "C7000001", "regulators read it all");
    let ui = app.ui_login(&agency.session.email).await;
    let page = app.ui_get(&format!("/workers/{}", created["id"].as_str().unwrap()), &ui).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(!html.contains("C7000001") && !html.contains("id=\"id-document\""), "{html}");

    decide(&app, &regulator, &agency.agency_id, "reinstate").await;
    assert_eq!(read(agency.session.clone()).await.0["id_document_number"], "C7000001");

    // Expired by the calendar.
    app.state.clock.advance(Duration::days(101));
    let session = app.session_for(&agency.session.email).await;
    let (one, all) = read(session).await;
    assert!(one.get("id_document_number").is_none() && all[0].get("id_document_number").is_none());
}

#[actix_web::test]
async fn a_revoked_agency_reads_nothing_personal() {
    let w = at_work().await;
    let placement = format!("/api/v1/placements/{}", w.placement_id);
    let me: Value = json_of(w.app.get("/api/v1/workers/me", Some(&w.worker)).await).await;
    let worker_path = format!("/api/v1/workers/{}", me["id"].as_str().unwrap());
    decide(&w.app, &w.app.login_as_authority("VN").await, &w.agency.agency_id, "revoke").await;
    let agency = &w.agency.session;

    // The registry: refused.
    for path in ["/api/v1/workers", worker_path.as_str()] {
        let body = problem(w.app.get(path, Some(agency)).await, 403, "licence_inactive").await;
        assert_eq!(body["licence_status"], "revoked", "{path}");
    }
    // Its placements: still listed, the worker by initials only.
    let one = json_of(w.app.get(&placement, Some(agency)).await).await;
    assert_eq!(one["worker"]["name"], "N.T.H.");
    let all: Vec<Value> =
        json_of(w.app.get("/api/v1/placements", Some(agency)).await).await.as_array().unwrap().clone();
    assert_eq!(all[0]["worker"]["name"], "N.T.H.");
    assert!(!serde_json::to_string(&all).unwrap().contains("Nguyễn"), "{all:?}");
    // The contract, which names the worker and its birth date: refused.
    let refused =
        problem(w.app.get(&format!("{placement}/contract"), Some(agency)).await, 403, "licence_inactive")
            .await;
    assert_eq!(refused["licence_status"], "revoked");
    // Other parties read as before; another agency still finds nothing.
    assert_eq!(
        json_of(w.app.get(&placement, Some(&w.regulator)).await).await["worker"]["name"],
        "Nguyễn Thị Hoa"
    );
    let contract = json_of(w.app.get(&format!("{placement}/contract"), Some(&w.worker)).await).await;
    assert_eq!(contract["terms"]["worker"]["full_name"], "Nguyễn Thị Hoa");
    let other = w.app.agency().await;
    problem(w.app.get(&placement, Some(&other.session)).await, 404, "not_found").await;
    problem(w.app.get(&format!("{placement}/contract"), Some(&other.session)).await, 404, "not_found").await;
    assert_eq!(log_rows(&w.app).await, 0, "a refused read is not logged");

    // The pages: the registry refused, the placement page with initials, no printable contract.
    let ui = w.app.ui_login(&agency.email).await;
    for path in ["/agency/workers".to_owned(), format!("/workers/{}", me["id"].as_str().unwrap())] {
        let page = w.app.ui_get(&path, &ui).await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(page.text().await.unwrap().contains("data-code=\"licence_inactive\""), "{path}");
    }
    let page = w.app.ui_get(&format!("/placements/{}", w.placement_id), &ui).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("N.T.H.") && !html.contains("Nguyễn Thị Hoa"), "{html}");
    let print = w.app.ui_get(&format!("/placements/{}/contract", w.placement_id), &ui).await;
    assert_eq!(print.status(), StatusCode::FORBIDDEN);
}

/// An agency with a second user, and a worker with an account that it registered.
struct Readers {
    app: TestApp,
    regulator: Session,
    agency: AgencySession,
    colleague: Session,
    worker_id: String,
    worker: Session,
    other_worker_id: String,
}

async fn readers() -> Readers {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let agency = app.agency_valid(&regulator, -365, 365).await;
    let colleague = app.create_user(Role::Agency, Some(&agency.agency_id)).await;
    let colleague = app.session_for(&colleague).await;
    let mut body = worker("C8000001");
    body["email"] = json!("mai@test.seasonlink.vn");
    let created: Value =
        app.post_json("/api/v1/workers", Some(&agency.session), &body).await.json().await.unwrap();
    app.activate_worker(created["id"].as_str().unwrap()).await;
    let other: Value = app
        .post_json("/api/v1/workers", Some(&agency.session), &worker("C8000002"))
        .await
        .json()
        .await
        .unwrap();
    Readers {
        worker: app.session_for("mai@test.seasonlink.vn").await,
        worker_id: created["id"].as_str().unwrap().to_owned(),
        other_worker_id: other["id"].as_str().unwrap().to_owned(),
        app,
        regulator,
        agency,
        colleague,
    }
}

impl Readers {
    async fn read(&self, session: &Session) {
        json_of(self.app.get(&format!("/api/v1/workers/{}", self.worker_id), Some(session)).await).await;
    }

    async fn log(&self, session: &Session) -> reqwest::Response {
        self.app.get(&format!("/api/v1/workers/{}/access-log", self.worker_id), Some(session)).await
    }
}

#[actix_web::test]
async fn each_agency_read_is_logged_once_a_day_per_reader_and_only_the_worker_and_regulators_see_it() {
    let r = readers().await;
    assert_eq!(log_rows(&r.app).await, 0, "registering is not reading");
    let empty: Vec<Value> = json_of(r.log(&r.worker).await).await.as_array().unwrap().clone();
    assert!(empty.is_empty());

    // The agency reads the record twice, then its list: one entry for this worker, one for
    // the other; its colleague's read is its own entry; a regulator's read is not kept.
    r.read(&r.agency.session).await;
    r.read(&r.agency.session).await;
    assert_eq!(log_rows(&r.app).await, 1, "reading twice in a day is one entry");
    r.app.list_workers(&r.agency.session).await;
    assert_eq!(log_rows(&r.app).await, 2, "the list adds the other worker only");
    r.read(&r.colleague).await;
    r.read(&r.regulator).await;
    r.app.list_workers(&r.regulator).await;
    assert_eq!(log_rows(&r.app).await, 3);
    let other = format!("SELECT COUNT(*) AS n FROM access_log WHERE worker_id = '{}'", r.other_worker_id);
    assert_eq!(r.app.count(&other).await, 1);

    // The day is China's: at 23:00 in Beijing it is still the same day; at midnight (16:00
    // UTC, the same UTC date) a new one.
    r.app.state.clock.advance(Duration::hours(11));
    let agency = r.app.session_for(&r.agency.session.email).await;
    r.read(&agency).await;
    assert_eq!(log_rows(&r.app).await, 3);
    r.app.state.clock.advance(Duration::hours(1));
    let agency = r.app.session_for(&r.agency.session.email).await;
    r.read(&agency).await;
    assert_eq!(log_rows(&r.app).await, 4);

    // The worker reads its log, newest first: when, which agency, which account (no e-mail).
    let mai = r.app.session_for("mai@test.seasonlink.vn").await;
    let log: Vec<Value> = json_of(r.log(&mai).await).await.as_array().unwrap().clone();
    assert_eq!(log.len(), 3);
    assert_eq!(
        (log[0]["user_id"].as_str(), log[0]["day"].as_str()),
        (Some(r.agency.session.user_id.as_str()), Some("2026-11-30"))
    );
    assert_eq!(log[1]["user_id"], r.colleague.user_id.as_str());
    assert_eq!(log[2]["day"], "2026-11-29");
    assert!(log.iter().all(|e| e["agency_name"] == "Lạng Sơn Labour Cooperation JSC"
        && e["agency_id"] == r.agency.agency_id.as_str()));
    assert!(log.iter().all(|e| e.get("user_email").is_none()), "{log:?}");
    let at = |e: &Value| e["at"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    assert!(at(&log[0]) > at(&log[1]) && at(&log[1]) >= at(&log[2]));
    assert!(at(&log[2]) < seasonlink_tests::start() + Duration::hours(1), "the day's first read is kept");

    // A regulator reads it with each reader's e-mail.
    let regulator = r.app.session_for(&r.regulator.email).await;
    let seen: Vec<Value> = json_of(r.log(&regulator).await).await.as_array().unwrap().clone();
    assert_eq!(seen[1]["user_email"], r.colleague.email.as_str());

    // Nobody else learns it exists: the agency, an employer, another worker; nor an unknown id.
    let mut other_worker = worker("C8000003");
    other_worker["email"] = json!("binh@test.seasonlink.vn");
    let other: Value =
        r.app.post_json("/api/v1/workers", Some(&agency), &other_worker).await.json().await.unwrap();
    let other_worker = r.app.activate_worker(other["id"].as_str().unwrap()).await;
    let employer = r.app.employer(true).await;
    for session in [&agency, &employer.session, &other_worker] {
        problem(r.log(session).await, 404, "not_found").await;
    }
    let unknown =
        r.app.get("/api/v1/workers/0193a0f0-0000-7000-8000-00000000dead/access-log", Some(&regulator)).await;
    problem(unknown, 404, "not_found").await;
}

/// The worker's access log page, on its phone in Vietnamese: each read in its words and its
/// clock, nothing untranslated; the regulator's page of the worker shows the log with the
/// readers' e-mails; the agency's page of its worker is a read like any other.
#[actix_web::test]
async fn the_worker_reads_who_read_its_record_in_vietnamese() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let today = app.today();
    let agency_email = "xl-log@test.seasonlink.vn";
    let created = app
        .post_json(
            "/api/v1/agencies",
            Some(&regulator),
            &json!({"name": "Công ty Cung ứng Lao động Xứ Lạng", "country": "VN", "licence_number": "VN-LS-2026-0099",
                    "licence_valid_from": today - Duration::days(365), "licence_valid_until": today + Duration::days(365),
                    "email": agency_email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let agency = app.session_for(agency_email).await;
    let mut body = worker("C9000001");
    body["email"] = json!("thu@test.seasonlink.vn");
    let worker_id =
        app.post_json("/api/v1/workers", Some(&agency), &body).await.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
    app.activate_worker(&worker_id).await;

    // Before any read: the page says so.
    let worker_ui = app.ui_login("thu@test.seasonlink.vn").await;
    let home = app.ui_get("/home", &worker_ui).await.text().await.unwrap();
    assert!(home.contains("href=\"/worker/access-log\""), "linked from the worker's home");
    let page = app.ui_get("/worker/access-log", &worker_ui).await.text().await.unwrap();
    assert!(page.contains("<html lang=\"vi\">") && page.contains("id=\"access-log-empty\""), "{page}");

    // The agency opens its worker's page: a read, logged, with the document number shown.
    let agency_ui = app.ui_login(agency_email).await;
    let detail = app.ui_get(&format!("/workers/{worker_id}"), &agency_ui).await;
    assert_eq!(detail.status(), StatusCode::OK);
    let html = detail.text().await.unwrap();
    assert!(html.contains("id=\"id-document\">C9000001<") && !html.contains("id=\"access-log\""), "{html}");
    let list = app.ui_get("/agency/workers", &agency_ui).await.text().await.unwrap();
    assert!(list.contains(&format!("href=\"/workers/{worker_id}\"")));

    let page = app.ui_get("/worker/access-log", &worker_ui).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"vi\">"), "{html}");
    assert!(
        html.contains("Ai đã xem hồ sơ của tôi") && html.contains("Công ty Cung ứng Lao động Xứ Lạng"),
        "{html}"
    );
    assert!(html.contains("Tài khoản nhân viên") && html.contains("(giờ Việt Nam)"), "{html}");
    assert!(!html.contains(agency_email), "the worker reads no staff e-mail");
    assert_eq!(html.matches("<li data-agency=").count(), 1, "one read a day: {html}");
    let found = super::words::untranslated(&html, "vi", "access log");
    assert!(found.is_empty(), "{found:#?}");
    let zh =
        UiSession { cookies: format!("{}; sl_lang=zh-CN", worker_ui.cookies), csrf: worker_ui.csrf.clone() };
    let html = app.ui_get("/worker/access-log", &zh).await.text().await.unwrap();
    assert!(html.contains("谁查阅了我的档案") && html.contains("（北京时间）"), "{html}");
    let found = super::words::untranslated(&html, "zh-CN", "access log");
    assert!(found.is_empty(), "{found:#?}");

    // The regulator's page of the worker shows the log, with the reader's e-mail.
    let regulator_ui = app.ui_login(&regulator.email).await;
    let html = app.ui_get(&format!("/workers/{worker_id}"), &regulator_ui).await.text().await.unwrap();
    assert!(html.contains("id=\"access-log\"") && html.contains(agency_email), "{html}");

    // Nobody else reaches these pages.
    let employer = app.employer(true).await;
    let employer_ui = app.ui_login(&employer.session.email).await;
    assert_eq!(
        app.ui_get(&format!("/workers/{worker_id}"), &employer_ui).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.ui_get(&format!("/workers/{worker_id}"), &worker_ui).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.ui_get("/worker/access-log", &agency_ui).await.status(), StatusCode::FORBIDDEN);
    let visitor = app.get("/worker/access-log", None).await;
    assert_eq!(visitor.status(), StatusCode::SEE_OTHER);
}
