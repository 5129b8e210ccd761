//! Placements: an offer, the contract the worker reads and accepts, the permit, departure
//! and return; the database's own refusal of double bookings; the sweeper; the audit chain.

use chrono::Duration;
use diesel::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink::services::placements;
use seasonlink_tests::{AgencySession, EmployerSession, Session, TestApp, day, problem, vacancy, worker};

struct Scheme {
    app: TestApp,
    regulator: Session,
    employer: EmployerSession,
    agency: AgencySession,
    vacancy_id: String,
}

impl Scheme {
    async fn new() -> Scheme {
        let app = TestApp::spawn().await;
        let regulator = app.login_as(Role::Regulator).await;
        app.guangxi_floors(&regulator).await;
        let employer = app.employer(true).await;
        let agency = app.agency().await;
        let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
        Scheme { app, regulator, employer, agency, vacancy_id }
    }

    /// Registers a worker with an account; returns its id and e-mail.
    async fn worker(&self, document: &str) -> (String, String) {
        register(&self.app, &self.agency, document).await
    }

    async fn offer(&self, worker_id: &str) -> Value {
        let body = json!({"vacancy_id": self.vacancy_id, "worker_id": worker_id});
        let response = self.app.post_json("/api/v1/placements", Some(&self.agency.session), &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
        response.json().await.unwrap()
    }

    async fn act(&self, session: &Session, id: &str, action: &str, body: Value) -> reqwest::Response {
        self.app.post_json(&format!("/api/v1/placements/{id}/{action}"), Some(session), &body).await
    }

    async fn ok(&self, session: &Session, id: &str, action: &str, body: Value) -> Value {
        let response = self.act(session, id, action, body).await;
        assert!(response.status().is_success(), "{action}: {:?}", response.text().await);
        response.json().await.unwrap()
    }

    async fn contract(&self, session: &Session, id: &str, lang: &str) -> Value {
        let response =
            self.app.get(&format!("/api/v1/placements/{id}/contract?lang={lang}"), Some(session)).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// Moves the server's clock and logs everyone in again (tokens expire with time).
    async fn advance(&mut self, days: i64, worker_email: &str) -> Session {
        self.app.state.clock.advance(Duration::days(days));
        self.regulator = self.app.session_for(&self.regulator.email).await;
        self.employer.session = self.app.session_for(&self.employer.session.email).await;
        self.agency.session = self.app.session_for(&self.agency.session.email).await;
        self.app.session_for(worker_email).await
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.app.state.clock.now()
    }

    /// A worker registered with `document`, offered the vacancy, accepting in Vietnamese,
    /// permitted and departed on the season's first day: its id, e-mail and placement.
    async fn departed(&mut self, document: &str) -> (String, String, String) {
        let (worker_id, email) = self.worker(document).await;
        let id = self.offer(&worker_id).await["id"].as_str().unwrap().to_owned();
        let worker = self.app.session_for(&email).await;
        let sha = self.contract(&worker, &id, "vi").await["sha256"].clone();
        self.ok(&worker, &id, "accept", json!({"version": 1, "sha256": sha, "lang": "vi"})).await;
        self.ok(&self.regulator, &id, "insurance/verify", json!({})).await;
        self.ok(&self.regulator, &id, "permit", json!({})).await;
        self.app.record_orientation(&self.agency.session, &id).await;
        self.advance(3, &email).await;
        self.ok(&self.agency.session, &id, "departure", crossing(self.now())).await;
        (worker_id, email, id)
    }
}

async fn post_vacancy(app: &TestApp, employer: &EmployerSession, body: Value) -> String {
    let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn register(app: &TestApp, agency: &AgencySession, document: &str) -> (String, String) {
    let email = format!("w{document}@test.seasonlink.vn");
    let mut body = worker(document);
    body["email"] = json!(email);
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    let id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    app.activate_worker(&id).await;
    (id, email)
}

fn crossing(at: chrono::DateTime<chrono::Utc>) -> Value {
    json!({"crossing_code": "aidian", "at": at})
}

async fn check(app: &TestApp, number: &str, code: &str) -> reqwest::Response {
    app.get(&format!("/api/v1/public/permits/{number}?code={code}"), None).await
}

#[actix_web::test]
async fn a_worker_goes_from_offer_to_return_and_earns_the_next_season() {
    let mut s = Scheme::new().await;
    let (worker_id, email) = s.worker("001095000001").await;
    let offered = s.offer(&worker_id).await;
    assert_eq!(offered["status"], "offered");
    assert_eq!(offered["contract"]["version"], 1);
    let id = offered["id"].as_str().unwrap().to_owned();
    let sha = offered["contract"]["sha256"].as_str().unwrap().to_owned();

    // The employer sees initials only until the worker accepts.
    let seen: Value =
        s.app.get(&format!("/api/v1/placements/{id}"), Some(&s.employer.session)).await.json().await.unwrap();
    assert_eq!(seen["worker"]["name"], "N.T.H.");
    let as_employer = s.contract(&s.employer.session, &id, "zh-CN").await;
    assert_eq!(as_employer["sha256"], sha.as_str());
    assert!(as_employer["terms"].is_null(), "the terms name the worker");
    assert!(
        !as_employer["html"].as_str().unwrap().contains("Nguyễn")
            && as_employer["html"].as_str().unwrap().contains("N.T.H.")
    );

    // One hash in every language, over the same terms; no fee for the worker.
    let worker = s.app.session_for(&email).await;
    let vi = s.contract(&worker, &id, "vi").await;
    let zh = s.contract(&worker, &id, "zh-CN").await;
    let en = s.contract(&worker, &id, "en").await;
    for (doc, words) in
        [(&vi, "Hợp đồng lao động thời vụ"), (&zh, "季节性劳动合同"), (&en, "Seasonal work contract")]
    {
        assert_eq!(doc["sha256"], sha.as_str());
        assert!(doc["html"].as_str().unwrap().contains(words));
        assert!(doc["html"].as_str().unwrap().contains(&sha));
    }
    assert_eq!(vi["terms"]["worker_paid_fees_fen"], 0);
    assert_eq!(vi["terms"]["wage_fen"], 1800);
    assert_eq!(vi["terms"]["floor"]["hourly_fen"], 1700);
    assert_eq!(vi["terms"]["return_by"], day(136).to_string(), "season end plus 14 days of grace");

    let accepted = s.ok(&worker, &id, "accept", json!({"version": 1, "sha256": sha, "lang": "vi"})).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["contract"]["accepted"], true);
    let seen: Value =
        s.app.get(&format!("/api/v1/placements/{id}"), Some(&s.employer.session)).await.json().await.unwrap();
    assert_eq!(seen["worker"]["name"], "Nguyễn Thị Hoa", "after acceptance the employer knows whom it hires");

    // No departure without a permit.
    let refused = s.act(&s.agency.session, &id, "departure", crossing(s.now())).await;
    problem(refused, 409, "permit_invalid").await;

    s.ok(&s.regulator, &id, "insurance/verify", json!({})).await;
    let permit = s.ok(&s.regulator, &id, "permit", json!({})).await;
    let (number, code) = (
        permit["permit_number"].as_str().unwrap().to_owned(),
        permit["check_code"].as_str().unwrap().to_owned(),
    );
    assert_eq!(permit["valid_from"], day(2).to_string());
    assert_eq!(permit["valid_until"], day(136).to_string());
    let public: Value = check(&s.app, &number, &code).await.json().await.unwrap();
    assert_eq!(public["holder_initials"], "N.T.H.");
    assert_eq!(public["employer_name"], "Ningming Sugar Co.");
    assert_eq!(public.as_object().unwrap().len(), 6, "validity, initials, employer and dates only: {public}");
    problem(check(&s.app, &number, "WRONG1").await, 404, "not_found").await;
    let unknown = s.app.get(&format!("/api/v1/public/permits/SL-2026-NOSUCH00?code={code}"), None).await;
    problem(unknown, 404, "not_found").await;

    // The season starts: the permit is valid, the worker crosses.
    let worker = s.advance(3, &email).await;
    let public: Value = check(&s.app, &number, &code).await.json().await.unwrap();
    assert_eq!((public["valid"].clone(), public["status"].clone()), (json!(true), json!("valid")));
    // Not before the pre-departure orientation, which the checklist names.
    let refused = problem(
        s.act(&s.agency.session, &id, "departure", crossing(s.now())).await,
        409,
        "orientation_missing",
    )
    .await;
    assert_eq!(refused["open_items"], json!(["orientation_attended"]));
    s.app.record_orientation(&s.agency.session, &id).await;
    let departed = s.ok(&s.agency.session, &id, "departure", crossing(s.now())).await;
    assert_eq!(departed["status"], "departed");
    problem(s.act(&worker, &id, "decline", json!({})).await, 409, "transition_not_allowed").await;

    // The season ends; the worker comes home before the permit's last day.
    let _worker = s.advance(122, &email).await;
    assert_eq!(s.ok(&s.employer.session, &id, "completion", json!({})).await["status"], "completed");
    let returned = s.ok(&s.agency.session, &id, "return", crossing(s.now())).await;
    assert_eq!(returned["status"], "returned");
    let kinds: Vec<&str> =
        returned["crossings"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["departure", "return"]);
    let timeline: Vec<&str> =
        returned["timeline"].as_array().unwrap().iter().map(|e| e["to_status"].as_str().unwrap()).collect();
    assert_eq!(timeline, ["offered", "accepted", "permitted", "departed", "completed", "returned"]);

    // The return earns the next season: good standing, a higher score, a named request.
    let record: Value = s
        .app
        .get(&format!("/api/v1/workers/{worker_id}"), Some(&s.agency.session))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record["seasons_worked"], 2, "the agency's declaration stays what it typed");
    assert_eq!(record["seasons_verified"], 1, "the season the scheme recorded counts apart");
    assert_eq!(record["returned_on_time_count"], 1);
    assert_eq!(record["return_history"][0]["employer_id"], s.employer.employer_id.as_str());
    assert_eq!(record["good_standing"], true);
    let mut next_season = vacancy(1800);
    next_season["season_start"] = json!(day(337));
    next_season["season_end"] = json!(day(488));
    let next_id = post_vacancy(&s.app, &s.employer, next_season).await;
    let path = format!("/api/v1/vacancies/{next_id}/named-requests");
    let named = s.app.post_json(&path, Some(&s.employer.session), &json!({"worker_id": worker_id})).await;
    assert_eq!(named.status(), StatusCode::NO_CONTENT);

    let verify: Value = s.app.get("/api/v1/audit/verify", Some(&s.regulator)).await.json().await.unwrap();
    assert_eq!(verify["ok"], true);
    assert!(verify["entries"].as_i64().unwrap() >= 7, "{verify}");
}

#[actix_web::test]
async fn departure_needs_the_current_version_accepted_and_a_valid_permit() {
    let mut s = Scheme::new().await;
    let (worker_id, email) = s.worker("001095000002").await;
    let id = s.offer(&worker_id).await["id"].as_str().unwrap().to_owned();
    let worker = s.app.session_for(&email).await;
    problem(
        s.act(&s.agency.session, &id, "departure", crossing(s.now())).await,
        409,
        "contract_not_accepted",
    )
    .await;
    problem(s.act(&s.regulator, &id, "permit", json!({})).await, 409, "contract_not_accepted").await;

    let v1 = s.contract(&worker, &id, "vi").await;
    s.ok(&worker, &id, "accept", json!({"version": 1, "sha256": v1["sha256"], "lang": "vi"})).await;

    // An amendment below the floor is refused and writes nothing.
    let below = s.act(&s.employer.session, &id, "amendments", json!({"changes": {"wage_fen": 1699}})).await;
    let body = problem(below, 422, "below_wage_floor").await;
    assert_eq!(body["shortfall_fen"], 1);
    let still: Value =
        s.app.get(&format!("/api/v1/placements/{id}"), Some(&worker)).await.json().await.unwrap();
    assert_eq!(
        (still["status"].clone(), still["contract"]["version"].clone()),
        (json!("accepted"), json!(1))
    );

    // A raise makes version 2, which the worker must accept again.
    let amended = s
        .ok(
            &s.employer.session,
            &id,
            "amendments",
            json!({"changes": {"wage_fen": 1900}, "reason": "harvest bonus"}),
        )
        .await;
    assert_eq!(
        (amended["status"].clone(), amended["contract"]["version"].clone()),
        (json!("offered"), json!(2))
    );
    assert_ne!(amended["contract"]["sha256"], v1["sha256"]);
    let stale =
        s.act(&worker, &id, "accept", json!({"version": 1, "sha256": v1["sha256"], "lang": "vi"})).await;
    problem(stale, 409, "contract_outdated").await;
    problem(s.act(&s.regulator, &id, "permit", json!({})).await, 409, "contract_not_accepted").await;
    let v2 = s.contract(&worker, &id, "zh-CN").await;
    assert_eq!(v2["terms"]["wage_fen"], 1900);
    s.ok(&worker, &id, "accept", json!({"version": 2, "sha256": v2["sha256"], "lang": "zh-CN"})).await;

    // A revoked permit stops the departure at once.
    s.ok(&s.regulator, &id, "insurance/verify", json!({})).await;
    let permit = s.ok(&s.regulator, &id, "permit", json!({})).await;
    let number = permit["permit_number"].as_str().unwrap();
    let _worker = s.advance(3, &email).await;
    let revoke = format!("/api/v1/permits/{number}/revoke");
    problem(s.app.post_json(&revoke, Some(&s.regulator), &json!({})).await, 422, "validation_failed").await;
    problem(
        s.app.post_json(&revoke, Some(&s.agency.session), &json!({"reason": "x"})).await,
        403,
        "forbidden",
    )
    .await;
    let revoked = s.app.post_json(&revoke, Some(&s.regulator), &json!({"reason": "forged passport"})).await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let code = permit["check_code"].as_str().unwrap();
    let public: Value =
        s.app.get(&format!("/api/v1/public/permits/{number}?code={code}"), None).await.json().await.unwrap();
    assert_eq!((public["valid"].clone(), public["status"].clone()), (json!(false), json!("revoked")));
    problem(s.act(&s.agency.session, &id, "departure", crossing(s.now())).await, 409, "permit_invalid").await;
    let placement: Value =
        s.app.get(&format!("/api/v1/placements/{id}"), Some(&s.agency.session)).await.json().await.unwrap();
    assert_eq!(placement["status"], "accepted");
}

#[actix_web::test]
async fn parties_see_their_own_placements_and_act_only_in_their_role() {
    let s = Scheme::new().await;
    let (worker_id, email) = s.worker("001095000003").await;
    let id = s.offer(&worker_id).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/placements/{id}");

    let other_agency = s.app.agency().await;
    let other_employer = s.app.employer(true).await;
    let (_, other_email) = register(&s.app, &other_agency, "001095000004").await;
    let other_worker = s.app.session_for(&other_email).await;
    for session in [&other_agency.session, &other_employer.session, &other_worker] {
        problem(s.app.get(&path, Some(session)).await, 404, "not_found").await;
        let listed: Vec<Value> = s.app.get("/api/v1/placements", Some(session)).await.json().await.unwrap();
        assert!(listed.is_empty());
        problem(s.act(session, &id, "withdraw", json!({})).await, 404, "not_found").await;
    }

    let worker = s.app.session_for(&email).await;
    problem(s.act(&worker, &id, "withdraw", json!({})).await, 403, "forbidden").await;
    problem(
        s.act(&s.agency.session, &id, "accept", json!({"version": 1, "sha256": "x", "lang": "vi"})).await,
        403,
        "forbidden",
    )
    .await;
    problem(s.act(&s.employer.session, &id, "departure", crossing(s.now())).await, 403, "forbidden").await;
    let offer = json!({"vacancy_id": s.vacancy_id, "worker_id": worker_id});
    problem(s.app.post_json("/api/v1/placements", Some(&s.employer.session), &offer).await, 403, "forbidden")
        .await;
    problem(s.app.get("/api/v1/audit/verify", Some(&s.agency.session)).await, 403, "forbidden").await;
    problem(s.app.get("/api/v1/alerts", Some(&s.employer.session)).await, 403, "forbidden").await;

    // Bad input answers 4xx and writes nothing.
    let before = s.app.count("SELECT COUNT(*) AS n FROM placements").await;
    let bad = [
        json!({"vacancy_id": "no-such-vacancy", "worker_id": worker_id}),
        json!({"vacancy_id": s.vacancy_id, "worker_id": "no-such-worker"}),
    ];
    for body in bad {
        problem(
            s.app.post_json("/api/v1/placements", Some(&other_agency.session), &body).await,
            422,
            "validation_failed",
        )
        .await;
    }
    let foreign = json!({"vacancy_id": s.vacancy_id, "worker_id": worker_id});
    let refused = s.app.post_json("/api/v1/placements", Some(&other_agency.session), &foreign).await;
    problem(refused, 422, "validation_failed").await;
    problem(
        s.act(&worker, &id, "accept", json!({"version": 1, "sha256": "x", "lang": "fr"})).await,
        422,
        "validation_failed",
    )
    .await;
    problem(s.app.get("/api/v1/placements?status=lost", Some(&worker)).await, 422, "validation_failed").await;
    assert_eq!(s.app.count("SELECT COUNT(*) AS n FROM placements").await, before);

    // A suspended agency cannot offer.
    let (second, _) = s.worker("001095000005").await;
    let suspend = format!("/api/v1/agencies/{}/licence/suspend", s.agency.agency_id);
    let vn_regulator = s.app.login_as_authority("VN").await;
    s.app.post_json(&suspend, Some(&vn_regulator), &json!({"reason": "fees charged"})).await;
    let offer = json!({"vacancy_id": s.vacancy_id, "worker_id": second});
    problem(
        s.app.post_json("/api/v1/placements", Some(&s.agency.session), &offer).await,
        403,
        "licence_inactive",
    )
    .await;
}

/// Fires the offers at once; returns how many were made. Every other answer must be 409
/// with `loser`.
async fn race(s: &Scheme, offers: Vec<Value>, loser: &str) -> usize {
    let sent = offers.iter().map(|body| s.app.post_json("/api/v1/placements", Some(&s.agency.session), body));
    let mut created = 0;
    for answer in futures::future::join_all(sent).await {
        if answer.status() == StatusCode::CREATED {
            created += 1;
        } else {
            problem(answer, 409, loser).await;
        }
    }
    created
}

#[actix_web::test]
async fn racing_offers_cannot_double_book_a_worker_or_overfill_a_vacancy() {
    let s = Scheme::new().await;
    // One worker, offered eight vacancies at once: one offer wins.
    let (worker_id, _) = s.worker("001095000010").await;
    let mut vacancies = Vec::new();
    for _ in 0..8 {
        vacancies.push(post_vacancy(&s.app, &s.employer, vacancy(1800)).await);
    }
    let offers: Vec<Value> =
        vacancies.iter().map(|v| json!({"vacancy_id": v, "worker_id": worker_id})).collect();
    assert_eq!(race(&s, offers, "worker_already_placed").await, 1);

    // Eight workers for the last seat: one wins.
    let mut last_seat = vacancy(1800);
    last_seat["headcount"] = json!(1);
    let vacancy_id = post_vacancy(&s.app, &s.employer, last_seat).await;
    let mut workers = Vec::new();
    for i in 0..8 {
        workers.push(s.worker(&format!("00109500002{i}")).await.0);
    }
    let offers: Vec<Value> =
        workers.iter().map(|w| json!({"vacancy_id": vacancy_id, "worker_id": w})).collect();
    assert_eq!(race(&s, offers, "vacancy_full").await, 1);

    // The database itself refuses, whatever the application does.
    let mut conn = s.app.db.connect();
    let second = format!(
        "INSERT INTO placements (id, vacancy_id, worker_id, agency_id, employer_id, status, contract_version, created_at, updated_at) \
         SELECT 'forced', '{}', worker_id, agency_id, employer_id, 'offered', 1, created_at, updated_at FROM placements WHERE worker_id = '{worker_id}'",
        vacancies[0]
    );
    assert!(
        diesel::sql_query(second).execute(&mut conn).is_err(),
        "a second active placement for one worker"
    );
    let overfill = format!("UPDATE vacancies SET seats_taken = seats_taken + 1 WHERE id = '{vacancy_id}'");
    assert!(
        diesel::sql_query(overfill).execute(&mut conn).is_err(),
        "more active placements than the headcount"
    );
    drop(conn);

    // Nor may an edit take the headcount below the seats taken (on a vacancy nobody won).
    let placed: Vec<Value> =
        s.app.get("/api/v1/placements", Some(&s.agency.session)).await.json().await.unwrap();
    let busy: Vec<&str> = placed.iter().map(|p| p["vacancy_id"].as_str().unwrap()).collect();
    let spare = vacancies.iter().find(|v| !busy.contains(&v.as_str())).unwrap();
    let mut taken = 0;
    for w in &workers {
        let body = json!({"vacancy_id": spare, "worker_id": w});
        if s.app.post_json("/api/v1/placements", Some(&s.agency.session), &body).await.status()
            == StatusCode::CREATED
        {
            taken += 1;
        }
        if taken == 2 {
            break;
        }
    }
    assert_eq!(taken, 2, "seven workers lost the race and are free");
    let path = format!("/api/v1/vacancies/{spare}");
    let shrink = s.app.patch_json(&path, Some(&s.employer.session), &json!({"headcount": 1})).await;
    let body = problem(shrink, 422, "validation_failed").await;
    assert_eq!(body["seats_taken"], 2);
}

#[actix_web::test]
async fn the_sweeper_marks_overstays_and_a_late_return_closes_them() {
    let mut s = Scheme::new().await;
    let (worker_id, email, id) = s.departed("001095000030").await;

    let sweep = |app: &TestApp| {
        let (pool, now) = (app.state.pool.clone(), app.state.clock.now());
        async move { seasonlink::db::transaction(&pool, move |conn| placements::sweep(conn, now)).await.unwrap() }
    };
    // On the permit's last day nobody is overdue yet.
    s.advance(133, &email).await;
    assert_eq!(s.app.today(), day(136));
    assert_eq!(sweep(&s.app).await, 0);
    // The day after, the worker has overstayed.
    s.advance(1, &email).await;
    assert_eq!(sweep(&s.app).await, 1);
    assert_eq!(sweep(&s.app).await, 0, "once");
    let placement: Value =
        s.app.get(&format!("/api/v1/placements/{id}"), Some(&s.agency.session)).await.json().await.unwrap();
    assert_eq!(placement["status"], "overstayed");
    let alerts: Vec<Value> = s.app.get("/api/v1/alerts", Some(&s.regulator)).await.json().await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(
        (alerts[0]["kind"].as_str(), alerts[0]["placement_id"].as_str()),
        (Some("overstay"), Some(id.as_str()))
    );

    let returned = s.ok(&s.agency.session, &id, "return", crossing(s.now())).await;
    assert_eq!(returned["status"], "returned_late");
    let record: Value = s
        .app
        .get(&format!("/api/v1/workers/{worker_id}"), Some(&s.agency.session))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record["returned_on_time_count"], 0);
    assert_eq!(record["good_standing"], false, "a late return loses it");
    assert_eq!(record["return_history"][0]["returned_on_time"], false);

    // A late returner cannot be named.
    let path = format!("/api/v1/vacancies/{}/named-requests", s.vacancy_id);
    let named = s.app.post_json(&path, Some(&s.employer.session), &json!({"worker_id": worker_id})).await;
    problem(named, 422, "validation_failed").await;
    let entries: Vec<Value> =
        s.app.get("/api/v1/audit?limit=1000", Some(&s.regulator)).await.json().await.unwrap();
    let overstay = entries.iter().find(|e| e["action"] == "placement.overstayed").unwrap();
    assert!(overstay["actor_user_id"].is_null(), "the sweeper acts as the system");
}

#[actix_web::test]
async fn a_return_counts_on_its_day_in_china() {
    let mut s = Scheme::new().await;
    let (worker_id, email, id) = s.departed("001095000031").await;
    s.advance(134, &email).await;

    // 17:00 UTC on the permit's last day is already the next day in China: late.
    let at = day(136).and_hms_opt(17, 0, 0).unwrap().and_utc();
    let returned = s.ok(&s.agency.session, &id, "return", crossing(at)).await;
    assert_eq!(returned["status"], "returned_late");
    let record: Value = s
        .app
        .get(&format!("/api/v1/workers/{worker_id}"), Some(&s.agency.session))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record["return_history"][0]["returned_on"], day(137).to_string());
    assert_eq!(record["return_history"][0]["returned_on_time"], false);
}

#[actix_web::test]
async fn the_audit_check_names_a_tampered_entry() {
    let s = Scheme::new().await;
    let (worker_id, email) = s.worker("001095000040").await;
    let id = s.offer(&worker_id).await["id"].as_str().unwrap().to_owned();
    let worker = s.app.session_for(&email).await;
    s.ok(&worker, &id, "decline", json!({"reason": "family"})).await;

    let entries: Vec<Value> = s.app.get("/api/v1/audit", Some(&s.regulator)).await.json().await.unwrap();
    // Every role's state changes are there, each with who acted.
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    for action in [
        "wage_floor.created",
        "employer.registered",
        "employer.verified",
        "licence.created",
        "vacancy.created",
        "placement.offered",
        "placement.declined",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let by = |action: &str| entries.iter().find(|e| e["action"] == action).unwrap()["actor_user_id"].clone();
    assert_eq!(by("vacancy.created"), s.employer.session.user_id.as_str());
    assert_eq!(by("placement.offered"), s.agency.session.user_id.as_str());
    assert_eq!(by("placement.declined"), worker.user_id.as_str());
    assert_eq!(entries[0]["prev_hash"], "0".repeat(64));
    for pair in entries.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
    let verify: Value = s.app.get("/api/v1/audit/verify", Some(&s.regulator)).await.json().await.unwrap();
    assert_eq!(verify["ok"], true);
    for bad in ["limit=0", "limit=1001", "after=x"] {
        let response = s.app.get(&format!("/api/v1/audit?{bad}"), Some(&s.regulator)).await;
        assert!(response.status().is_client_error(), "{bad}");
    }
    problem(s.app.get("/api/v1/audit", Some(&s.employer.session)).await, 403, "forbidden").await;
    let unknown = s
        .app
        .post_json("/api/v1/permits/SL-2026-NOSUCH00/revoke", Some(&s.regulator), &json!({"reason": "x"}))
        .await;
    problem(unknown, 404, "not_found").await;

    let victim =
        entries.iter().find(|e| e["action"] == "placement.declined").unwrap()["seq"].as_i64().unwrap();
    let mut conn = s.app.db.connect();
    diesel::sql_query(format!("UPDATE audit_log SET detail = '{{}}' WHERE seq = {victim}"))
        .execute(&mut conn)
        .unwrap();
    let verify: Value = s.app.get("/api/v1/audit/verify", Some(&s.regulator)).await.json().await.unwrap();
    assert_eq!(verify["ok"], false);
    assert_eq!(verify["first_bad_id"], victim);

    // The seat came back with the decline.
    let seats = s
        .app
        .count(&format!(
            "SELECT CAST(seats_taken AS BIGINT) AS n FROM vacancies WHERE id = '{}'",
            s.vacancy_id
        ))
        .await;
    assert_eq!(seats, 0);
}

#[actix_web::test]
async fn a_contract_keeps_its_season_when_the_vacancy_is_edited_afterwards() {
    let s = Scheme::new().await;
    let (worker_id, email) = s.worker("001095000050").await;
    let id = s.offer(&worker_id).await["id"].as_str().unwrap().to_owned();
    let later = json!({"season_end": day(152)});
    let edited = s
        .app
        .patch_json(&format!("/api/v1/vacancies/{}", s.vacancy_id), Some(&s.employer.session), &later)
        .await;
    assert_eq!(edited.status(), StatusCode::OK);

    // An amendment changes the pay it names, and nothing the vacancy's edit moved.
    let amended = s.ok(&s.employer.session, &id, "amendments", json!({"changes": {"wage_fen": 1900}})).await;
    assert_eq!(amended["contract"]["version"], 2);
    let worker = s.app.session_for(&email).await;
    let v2 = s.contract(&worker, &id, "vi").await;
    assert_eq!(
        (v2["terms"]["season_end"].as_str(), v2["terms"]["wage_fen"].as_i64()),
        (Some(day(122).to_string().as_str()), Some(1900))
    );
    s.ok(&worker, &id, "accept", json!({"version": 2, "sha256": v2["sha256"], "lang": "vi"})).await;

    // The permit is bound to the agreed season, plus grace.
    s.ok(&s.regulator, &id, "insurance/verify", json!({})).await;
    let permit = s.ok(&s.regulator, &id, "permit", json!({})).await;
    assert_eq!(permit["valid_until"], day(136).to_string());
}

/// The placement rules live in the service: called without HTTP, the wrong role is refused,
/// another agency's placement is not found, and nothing is written.
#[actix_web::test]
async fn the_placement_service_refuses_the_wrong_actor_without_http() {
    use seasonlink::actor::Actor;
    use seasonlink::domain::placement::Action;
    use seasonlink::error::ErrorCode;
    use seasonlink::services::placements::{Acceptance, OfferInput, Reason};

    let s = Scheme::new().await;
    let (worker_id, _) = s.worker("001095000090").await;
    let offered = s.offer(&worker_id).await;
    let id = seasonlink::ids::PlacementId::from(offered["id"].as_str().unwrap());
    let sha256 = offered["contract"]["sha256"].as_str().unwrap().to_owned();
    let state = &s.app.state;
    let actor =
        |role, org: Option<&str>| Actor { user_id: "someone".into(), role, org_id: org.map(Into::into) };
    let employer = actor(Role::Employer, Some(&s.employer.employer_id));
    let agency = actor(Role::Agency, Some(&s.agency.agency_id));

    // The employer of the placement may read it, but not accept in the worker's stead.
    let acceptance = Acceptance { version: 1, sha256, lang: "vi".into() };
    let session = seasonlink::ids::SessionId::from("none");
    let refused = placements::accept(state, &employer, &session, &id, acceptance).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    // Its agency may not issue the permit, nor a worker make an offer.
    assert_eq!(placements::issue_permit(state, &agency, &id).await.unwrap_err().code, ErrorCode::Forbidden);
    let worker = actor(Role::Worker, Some(&worker_id));
    let input = OfferInput { vacancy_id: s.vacancy_id.clone().into(), worker_id: worker_id.clone().into() };
    assert_eq!(placements::offer(state, &worker, input).await.unwrap_err().code, ErrorCode::Forbidden);
    // An agency account without an agency reads nothing.
    let orgless = actor(Role::Agency, None);
    assert_eq!(
        placements::list(state, &orgless, None, Default::default()).await.unwrap_err().code,
        ErrorCode::Forbidden
    );
    // Another agency does not find the placement, to read or to withdraw.
    let other = actor(Role::Agency, Some("another-agency"));
    assert_eq!(placements::find(state, &other, &id).await.unwrap_err().code, ErrorCode::NotFound);
    let withdrawn =
        placements::end_before_departure(state, &other, &id, Action::Withdraw, Reason::default()).await;
    assert_eq!(withdrawn.unwrap_err().code, ErrorCode::NotFound);
    assert!(placements::list(state, &other, None, Default::default()).await.unwrap().items.is_empty());

    // Nothing was written by the refused calls.
    let regulator = actor(Role::Regulator, None);
    let placement = placements::find(state, &regulator, &id).await.unwrap();
    assert_eq!(placement.status.as_str(), "offered");
    assert!(placement.permit.is_none() && !placement.contract.accepted);
    assert_eq!(placement.timeline.len(), 1, "the offer only");
    assert_eq!(placements::list(state, &regulator, None, Default::default()).await.unwrap().items.len(), 1);
}
