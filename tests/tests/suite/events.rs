//! Events leave through the outbox: written with the change or not at all, read from the
//! pull feed, pushed signed to partners' receivers that fail in every way, and sent as
//! notices by e-mail (to a real SMTP server) and text message.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::actor::Actor;
use seasonlink::config::MailTransport;
use seasonlink::domain::account::Role;
use seasonlink::domain::event::verify_signature;
use seasonlink::error::{AppError, ErrorCode};
use seasonlink::services::{employers, events::Dispatcher};
use seasonlink_tests::receiver::{FLOOD_BYTES, Mode, Receiver};
use seasonlink_tests::smtp::SmtpSink;
use seasonlink_tests::{EmployerSession, Session, TestApp, TestDb, drain, problem, vacancy, worker};

const SECRET: &str = "a partner's secret of at least 32 bytes";

/// Registers a partner for `types` at `url`; returns its id and feed key.
async fn partner(
    app: &TestApp,
    regulator: &Session,
    url: &str,
    types: &[&str],
    permit_authority: bool,
) -> (String, String) {
    let body = json!({"name": "Cục Quản lý Lao động ngoài nước", "url": url, "event_types": types,
                      "secret": SECRET, "permit_authority": permit_authority});
    let response = app.post_json("/api/v1/partners", Some(regulator), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    let body: Value = response.json().await.unwrap();
    assert!(body.get("secret").is_none(), "the secret is never shown back");
    (body["id"].as_str().unwrap().to_owned(), body["key"].as_str().unwrap().to_owned())
}

async fn feed(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    app.client.get(app.url(&format!("/api/v1/events{query}"))).bearer_auth(token).send().await.unwrap()
}

async fn post_vacancy(app: &TestApp, employer: &EmployerSession) -> String {
    let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1800)).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn close(app: &TestApp, employer: &EmployerSession, vacancy_id: &str) {
    let path = format!("/api/v1/vacancies/{vacancy_id}/close");
    let response = app.post_json(&path, Some(&employer.session), &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
}

/// Runs dispatcher rounds until one does nothing.
#[actix_web::test]
async fn a_change_that_rolls_back_leaves_no_event() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    partner(&app, &regulator, "http://127.0.0.1:9/events", &["employer.verified"], false).await;
    let employer = app.employer(false).await;
    let cn = Some(seasonlink::services::authorities::CN_NATIONAL.into());
    let actor = Actor { user_id: regulator.user_id.clone().into(), role: Role::Regulator, org_id: cn };
    let (id, now) = (seasonlink::ids::EmployerId::from(employer.employer_id.clone()), app.state.clock.now());
    let failed = seasonlink::db::transaction(&app.state.pool, move |conn| {
        employers::verify_in(conn, &actor, &id, now)?;
        Err::<(), _>(AppError::new(ErrorCode::Conflict))
    })
    .await;
    assert_eq!(failed.unwrap_err().code, ErrorCode::Conflict);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM events WHERE event_type = 'employer.verified'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM deliveries").await, 0);

    // The same change committed writes its event and the partner's delivery with it.
    let path = format!("/api/v1/employers/{}/verify", employer.employer_id);
    assert_eq!(app.post_json(&path, Some(&regulator), &json!({})).await.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM events WHERE event_type = 'employer.verified'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending'").await, 1);
}

#[actix_web::test]
async fn the_feed_is_in_commit_order_resumable_and_filtered_by_subscription() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let (_, key) =
        partner(&app, &regulator, "http://127.0.0.1:9/events", &["vacancy.opened", "vacancy.closed"], false)
            .await;
    let employer = app.employer(true).await;
    let first = post_vacancy(&app, &employer).await;
    let second = post_vacancy(&app, &employer).await;
    close(&app, &employer, &first).await;

    // The regulator reads everything, in order.
    let all: Value = feed(&app, &regulator.token, "").await.json().await.unwrap();
    let types: Vec<&str> =
        all["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["employer.verified", "vacancy.opened", "vacancy.opened", "vacancy.closed"]);
    let opened = &all["events"][1];
    assert_eq!(opened["subject"]["vacancy_id"], first.as_str());
    assert_eq!(opened["subject"]["employer_id"], employer.employer_id.as_str());
    assert_eq!(opened["data"]["floor_hourly_fen"], 1700);

    // The partner, by its key, reads its types only, a page at a time.
    let page: Value = feed(&app, &key, "?limit=2").await.json().await.unwrap();
    let ids: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"]["vacancy_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first.as_str(), second.as_str()]);
    let after = page["next_after"].as_str().unwrap();
    let rest: Value = feed(&app, &key, &format!("?after={after}&limit=2")).await.json().await.unwrap();
    assert_eq!(rest["events"][0]["type"], "vacancy.closed");
    assert_eq!(rest["events"].as_array().unwrap().len(), 1);
    let last = rest["next_after"].as_str().unwrap().to_owned();
    let nothing: Value = feed(&app, &key, &format!("?after={last}")).await.json().await.unwrap();
    assert_eq!(nothing["events"], json!([]));
    assert_eq!(nothing["next_after"], last.as_str(), "the cursor stays put while nothing happens");

    // Bad input and the wrong callers.
    problem(feed(&app, &key, "?limit=0").await, 422, "validation_failed").await;
    problem(feed(&app, &key, "?limit=1001").await, 422, "validation_failed").await;
    problem(feed(&app, &key, "?after=no-such-event").await, 422, "validation_failed").await;
    problem(feed(&app, "slp_NOTAKEY", "").await, 401, "token_invalid").await;
    problem(feed(&app, &employer.session.token, "").await, 403, "forbidden").await;
    problem(app.get("/api/v1/events", None).await, 401, "not_authenticated").await;
}

/// An event takes its number as it is written and its place in the feed once it has
/// committed: one that commits after a reader has read past its number is still read next,
/// never skipped. (On PostgreSQL the two transactions overlap; SQLite's writers take turns,
/// so there the first commits before the second is written.)
#[actix_web::test]
async fn an_event_that_commits_late_is_read_next_never_skipped() {
    use diesel::connection::SimpleConnection;
    use seasonlink::domain::event::EventType;
    use seasonlink::services::events::{NewEvent, Subject, record};
    use seasonlink_tests::Backend;

    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let read: Value = feed(&app, &regulator.token, "").await.json().await.unwrap();
    let after = read["next_after"].as_str().unwrap().to_owned();

    // A transaction writes an event (taking its number) and stays open.
    let mut slow = app.db.connect();
    slow.batch_execute("BEGIN").unwrap();
    let subject = Subject { employer_id: Some(employer.employer_id.clone().into()), ..Subject::default() };
    let event = NewEvent::new(EventType::EmployerReinstated, subject, json!({"late": true}));
    record(&mut slow, event, app.state.clock.now()).unwrap();
    let overlapping = app.db.backend() == Backend::Postgres;
    if !overlapping {
        slow.batch_execute("COMMIT").unwrap();
    }

    // Another commits after it, and a reader reads past both numbers.
    let vacancy_id = post_vacancy(&app, &employer).await;
    let page: Value = feed(&app, &regulator.token, &format!("?after={after}")).await.json().await.unwrap();
    let types: Vec<&str> =
        page["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    if overlapping {
        assert_eq!(types, ["vacancy.opened"], "{page}");
        slow.batch_execute("COMMIT").unwrap();
    } else {
        assert_eq!(types, ["employer.reinstated", "vacancy.opened"], "{page}");
    }
    assert_eq!(
        page["events"].as_array().unwrap().last().unwrap()["subject"]["vacancy_id"],
        vacancy_id.as_str()
    );

    // The late one is read after the page it missed, and the feed holds each event once.
    let next = page["next_after"].as_str().unwrap();
    let rest: Value = feed(&app, &regulator.token, &format!("?after={next}")).await.json().await.unwrap();
    let late: Vec<&str> =
        rest["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(late, if overlapping { vec!["employer.reinstated"] } else { vec![] }, "{rest}");
    let all: Value = feed(&app, &regulator.token, "?limit=1000").await.json().await.unwrap();
    let ids: HashSet<&str> =
        all["events"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all["events"].as_array().unwrap().len());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM events WHERE position IS NULL").await, 0);
}

#[actix_web::test]
async fn a_partner_endpoint_is_checked_before_it_is_registered() {
    let db = TestDb::create().await;
    let app = TestApp::spawn_with(db, |s| s.events.allow_private_targets = false).await;
    let regulator = app.login_as(Role::Regulator).await;
    let employer = app.employer(true).await;
    let good = json!({"name": "Border post Hữu Nghị", "url": "https://203.119.8.10/events",
                      "event_types": ["permit.issued"], "secret": SECRET});
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let cases = [
        (with("url", json!("ftp://203.119.8.10/events")), "target_not_allowed"),
        (with("url", json!("http://127.0.0.1:8080/events")), "target_not_allowed"),
        (with("url", json!("http://10.0.0.7/events")), "target_not_allowed"),
        (with("url", json!("http://169.254.169.254/latest")), "target_not_allowed"),
        (with("url", json!("http://2130706433/events")), "target_not_allowed"),
        (with("url", json!("http://[::1]/events")), "target_not_allowed"),
        (with("url", json!("http://[::7f00:1]/events")), "target_not_allowed"),
        (with("url", json!("http://[::ffff:10.0.0.7]/events")), "target_not_allowed"),
        (with("url", json!("http://[64:ff9b::a9fe:a9fe]/events")), "target_not_allowed"),
        (with("url", json!("http://localhost/events")), "target_not_allowed"),
        (with("url", json!("http://user:pw@203.119.8.10/")), "target_not_allowed"),
        (with("url", json!("not a url")), "target_not_allowed"),
        (with("secret", json!("too short")), "validation_failed"),
        (with("event_types", json!([])), "validation_failed"),
        (with("event_types", json!(["permit.issued", "permit.stolen"])), "validation_failed"),
        (with("name", json!(" ")), "validation_failed"),
    ];
    for (body, code) in cases {
        problem(app.post_json("/api/v1/partners", Some(&regulator), &body).await, 422, code).await;
    }
    let missing = json!({"name": "x", "event_types": ["permit.issued"], "secret": SECRET});
    problem(app.post_json("/api/v1/partners", Some(&regulator), &missing).await, 400, "malformed_body").await;
    problem(app.post_json("/api/v1/partners", Some(&employer.session), &good).await, 403, "forbidden").await;
    problem(app.get("/api/v1/partners", Some(&employer.session)).await, 403, "forbidden").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM partners").await, 0, "nothing written");

    // A public address is fine; the partner is listed without its secret, and removed.
    let response = app.post_json("/api/v1/partners", Some(&regulator), &good).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let listed: Value = app.get("/api/v1/partners", Some(&regulator)).await.json().await.unwrap();
    assert_eq!(listed[0]["event_types"], json!(["permit.issued"]));
    assert!(listed[0].get("secret").is_none());
    let path = format!("/api/v1/partners/{id}");
    let remove = |session: &Session| app.client.delete(app.url(&path)).bearer_auth(&session.token).send();
    problem(remove(&employer.session).await.unwrap(), 403, "forbidden").await;
    assert_eq!(remove(&regulator).await.unwrap().status(), StatusCode::NO_CONTENT);
    problem(remove(&regulator).await.unwrap(), 404, "not_found").await;
}

#[actix_web::test]
async fn deliveries_survive_a_receiver_that_refuses_fails_hangs_and_floods() {
    let db = TestDb::create().await;
    let app = TestApp::spawn_with(db, |s| s.events.request_timeout_ms = 300).await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let receiver = Receiver::reserve();
    let types = ["employer.verified", "vacancy.opened", "vacancy.closed"];
    partner(&app, &regulator, &receiver.url("/seasonlink"), &types, false).await;
    let employer = app.employer(true).await;
    let vacancy_id = post_vacancy(&app, &employer).await;
    close(&app, &employer, &vacancy_id).await;
    let dispatcher = Dispatcher::new(app.state.clone()).unwrap();
    let later = || app.state.clock.advance(chrono::Duration::hours(2));

    // Nothing listens: refused. Then 500, then a receiver that answers too late.
    assert_eq!(
        dispatcher.run_once().await.unwrap().retried,
        2,
        "one subject's second event waits for its first"
    );
    receiver.listen();
    receiver.set(Mode::Fail);
    later();
    assert_eq!(dispatcher.run_once().await.unwrap().retried, 2);
    receiver.set(Mode::Hang(Duration::from_secs(2)));
    later();
    assert_eq!(dispatcher.run_once().await.unwrap().retried, 2);
    // A redirect is not followed (here, to the cloud's metadata address): a failure.
    receiver.set(Mode::Redirect);
    later();
    assert_eq!(dispatcher.run_once().await.unwrap().retried, 2);
    let pending =
        app.count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending' AND attempts = 4").await;
    assert_eq!(pending, 2);
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status(), StatusCode::OK, "a partner that is down does not make us unready");
    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    assert!(metrics.contains("seasonlink_outbox_pending{kind=\"delivery\"} 3"), "{metrics}");
    assert!(
        metrics.contains("seasonlink_outbox_attempts_total{kind=\"delivery\",outcome=\"retried\"} 8"),
        "{metrics}"
    );

    // It recovers but answers with an endless body: delivered, and only a little is read.
    receiver.set(Mode::Flood);
    later();
    drain(&dispatcher).await;
    assert!(receiver.flooded_bytes() < FLOOD_BYTES / 4, "read {} bytes", receiver.flooded_bytes());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'delivered'").await, 3);

    // Every event arrived, signed, and a receiver can tell the retries apart by event id.
    let accepted = receiver.accepted();
    let mut first_acceptance: HashMap<String, usize> = HashMap::new();
    for (position, hit) in accepted.iter().enumerate() {
        let body = hit.json();
        assert_eq!(hit.header("seasonlink-event-id"), body["id"].as_str().unwrap());
        assert!(!hit.header("seasonlink-delivery-id").is_empty());
        let now = app.state.clock.now().timestamp();
        assert!(verify_signature(SECRET.as_bytes(), hit.header("seasonlink-signature"), &hit.body, now, 600));
        first_acceptance.entry(body["id"].as_str().unwrap().to_owned()).or_insert(position);
    }
    assert_eq!(first_acceptance.len(), 3, "zero events lost");
    let events: Vec<Value> = accepted.iter().map(|h| h.json()).collect();
    let position = |t: &str| events.iter().position(|e| e["type"] == t).unwrap();
    assert!(position("vacancy.opened") < position("vacancy.closed"), "one subject's events in order");
    let receiver_saw: HashSet<String> =
        receiver.hits().iter().map(|h| h.json()["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(receiver_saw.len(), 3, "every request the receiver saw carries one of the three ids");
}

#[actix_web::test]
async fn a_delivery_that_fails_for_three_days_is_dead_until_a_regulator_sends_it_again() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let receiver = Receiver::start().await;
    receiver.set(Mode::Fail);
    let (partner_id, _) = partner(&app, &regulator, &receiver.url("/"), &["employer.verified"], false).await;
    let employer = app.employer(true).await;
    let dispatcher = Dispatcher::new(app.state.clone()).unwrap();
    let started = app.state.clock.now();
    let mut attempts = 0;
    loop {
        let round = dispatcher.run_once().await.unwrap();
        attempts += round.retried + round.dead;
        if round.dead == 1 {
            break;
        }
        assert!(app.state.clock.now() - started < chrono::Duration::hours(100), "never dead");
        app.state.clock.advance(chrono::Duration::minutes(30));
    }
    let tried_for = app.state.clock.now() - started;
    assert!(tried_for >= chrono::Duration::hours(72), "retried for 72 hours, not {tried_for}");
    assert!(tried_for < chrono::Duration::hours(74), "then given up, not after {tried_for}");
    assert!(attempts >= 40, "backing off to about once an hour, not giving up: {attempts} attempts");
    let path = format!("/api/v1/partners/{partner_id}/deliveries?status=dead");
    let regulator = app.session_for(&regulator.email).await;
    let dead: Vec<Value> = app.get(&path, Some(&regulator)).await.json().await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["event_type"], "employer.verified");
    assert_eq!(dead[0]["last_status"], 500);
    let id = dead[0]["id"].as_str().unwrap();
    assert!(dispatcher.run_once().await.unwrap().is_idle(), "a dead delivery is not retried");

    let redeliver = format!("/api/v1/deliveries/{id}/redeliver");
    let employer = app.session_for(&employer.session.email).await;
    problem(app.post_json(&redeliver, Some(&employer), &json!({})).await, 403, "forbidden").await;
    problem(
        app.post_json("/api/v1/deliveries/nope/redeliver", Some(&regulator), &json!({})).await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.get(&format!("/api/v1/partners/{partner_id}/deliveries?status=lost"), Some(&regulator)).await,
        422,
        "validation_failed",
    )
    .await;
    let again = app.post_json(&redeliver, Some(&regulator), &json!({})).await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    assert_eq!(again.json::<Value>().await.unwrap()["status"], "pending");
    problem(app.post_json(&redeliver, Some(&regulator), &json!({})).await, 409, "conflict").await;
    receiver.set(Mode::Accept);
    drain(&dispatcher).await;
    assert_eq!(receiver.accepted().len(), 1);
    assert_eq!(receiver.accepted()[0].json()["type"], "employer.verified");
}

#[actix_web::test]
async fn two_server_instances_on_one_database_deliver_each_event_once() {
    let app = TestApp::spawn_with(TestDb::create().await, |s| s.events.batch = 5).await;
    let regulator = app.login_as(Role::Regulator).await;
    let receiver = Receiver::start().await;
    partner(&app, &regulator, &receiver.url("/"), &["employer.verified"], false).await;
    // A second instance: its own pool on the same database, each running the dispatcher job
    // as `seasonlink serve` does, while events are written.
    let other = app.second_instance().await;
    seasonlink::jobs::spawn_dispatcher(app.state.clone()).unwrap();
    seasonlink::jobs::spawn_dispatcher(other.clone()).unwrap();
    for _ in 0..30 {
        app.employer(true).await;
    }
    for _ in 0..200 {
        if receiver.accepted().len() >= 30 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    // Time for a duplicate to show, if there were one.
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    let ids: Vec<String> =
        receiver.accepted().iter().map(|h| h.json()["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 30, "every event reached the receiver, and none twice");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 30);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'delivered' AND attempts = 1").await,
        30
    );
    let sent = |state: &seasonlink::state::AppState| {
        state.metrics.outbox_attempts.with_label_values(&["delivery", "delivered"]).get()
    };
    assert_eq!(sent(&app.state) + sent(&other), 30, "no instance failed its rounds");
}

#[actix_web::test]
async fn two_dispatchers_claiming_at_once_never_take_the_same_delivery() {
    let db = TestDb::create().await;
    let app = TestApp::spawn_with(db, |s| {
        s.events.batch = 5;
        s.events.request_timeout_ms = 300;
    })
    .await;
    let regulator = app.login_as(Role::Regulator).await;
    let receiver = Receiver::start().await;
    receiver.set(Mode::Hang(Duration::from_secs(1)));
    partner(&app, &regulator, &receiver.url("/"), &["employer.verified"], false).await;
    for _ in 0..12 {
        app.employer(true).await;
    }
    let other = app.second_instance().await;
    let (one, two) = (Dispatcher::new(app.state.clone()).unwrap(), Dispatcher::new(other).unwrap());
    let (a, b) = futures::join!(one.run_once(), two.run_once());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.retried, b.retried), (5, 5), "each claimed a batch of its own");
    let ids: Vec<String> =
        receiver.hits().iter().map(|h| h.json()["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 10);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 10, "no delivery was claimed twice");
}

/// An agency (licensed by Viet Nam's side), a vacancy and a worker with `email` (or only a
/// phone), offered the vacancy.
async fn offer(app: &TestApp, document: &str, email: Option<&str>) -> String {
    let employer = app.employer(true).await;
    let vacancy_id = post_vacancy(app, &employer).await;
    let agency = app.agency_valid(&app.login_as_authority("VN").await, -365, 365).await;
    let mut body = worker(document);
    if let Some(email) = email {
        body["email"] = json!(email);
    }
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    let worker_id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let body = json!({"vacancy_id": vacancy_id, "worker_id": worker_id});
    let response = app.post_json("/api/v1/placements", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn notices_reach_a_real_mail_server_in_the_workers_language() {
    let Some(smtp) = SmtpSink::start().await else { return };
    let db = TestDb::create().await;
    let app = TestApp::spawn_with(db, |s| {
        s.mail.transport = MailTransport::Smtp;
        s.mail.smtp_host = "127.0.0.1".into();
        s.mail.smtp_port = smtp.port;
        s.mail.site_url = "https://seasonlink.example".into();
    })
    .await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let placement = offer(&app, "001095000101", Some("hoa.nguyen@mail.example")).await;
    offer(&app, "001095000102", Some("refused.worker@mail.example")).await;
    let dispatcher = Dispatcher::new(app.state.clone()).unwrap();
    drain(&dispatcher).await;

    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let mail = &messages[0];
    assert_eq!(mail["to"], json!(["hoa.nguyen@mail.example"]));
    assert_eq!(mail["content_language"], "vi");
    assert_eq!(mail["subject"], "Lời mời làm việc: Cane cutters, Ningming 2026/27");
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("Ningming Sugar Co. mời bạn làm việc thời vụ"), "{text}");
    assert!(text.contains(&format!("https://seasonlink.example/placements/{placement}")), "{text}");
    assert_eq!(mail["parts"], json!(["multipart/alternative", "text/plain", "text/html"]));

    // The refused address is recorded on its notice and not tried again.
    let notices: Vec<Value> =
        app.get("/api/v1/notices?status=failed", Some(&regulator)).await.json().await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0]["recipient"], "refused.worker@mail.example");
    assert_eq!(notices[0]["attempts"], 1);
    assert!(notices[0]["last_error"].as_str().unwrap().contains("550"), "{}", notices[0]["last_error"]);
    let sent: Vec<Value> =
        app.get("/api/v1/notices?status=sent", Some(&regulator)).await.json().await.unwrap();
    assert_eq!(sent.len(), 1);
    problem(app.get("/api/v1/notices?status=lost", Some(&regulator)).await, 422, "validation_failed").await;
    let worker = app.login_as(Role::Worker).await;
    problem(app.get("/api/v1/notices", Some(&worker)).await, 403, "forbidden").await;
}

#[actix_web::test]
async fn a_worker_without_e_mail_is_texted_through_the_gateway() {
    let gateway = Receiver::start().await;
    let db = TestDb::create().await;
    let url = gateway.url("/send");
    let app = TestApp::spawn_with(db, |s| {
        s.sms.url = Some(url);
        s.sms.secret = Some(SECRET.into());
    })
    .await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    offer(&app, "001095000103", None).await;
    gateway.set(Mode::Fail);
    let dispatcher = Dispatcher::new(app.state.clone()).unwrap();
    assert_eq!(dispatcher.run_once().await.unwrap().retried, 1, "a gateway that is down delays the text");
    gateway.set(Mode::Accept);
    app.state.clock.advance(chrono::Duration::hours(1));
    drain(&dispatcher).await;
    let texts = gateway.accepted();
    assert_eq!(texts.len(), 1);
    let now = app.state.clock.now().timestamp();
    assert!(verify_signature(
        SECRET.as_bytes(),
        texts[0].header("seasonlink-signature"),
        &texts[0].body,
        now,
        600
    ));
    let body = texts[0].json();
    assert_eq!(body["to"], "+84 912 345 678");
    assert_eq!(body["language"], "vi");
    assert!(body["text"].as_str().unwrap().starts_with("Lời mời làm việc"), "{body}");
}

#[actix_web::test]
async fn the_permit_authority_alone_reads_the_holders_identity() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let (_, border) =
        partner(&app, &regulator, "http://127.0.0.1:9/", &["contract.accepted", "permit.issued"], false)
            .await;
    let (_, authority) = partner(&app, &regulator, "http://127.0.0.1:9/", &["permit.issued"], true).await;
    let employer = app.employer(true).await;
    let vacancy_id = post_vacancy(&app, &employer).await;
    let agency = app.agency_valid(&app.login_as_authority("VN").await, -365, 365).await;
    let mut body = worker("001095000104");
    body["email"] = json!("w104@test.seasonlink.vn");
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &body).await;
    let worker_id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    app.activate_worker(&worker_id).await;
    let body = json!({"vacancy_id": vacancy_id, "worker_id": worker_id});
    let placement: Value =
        app.post_json("/api/v1/placements", Some(&agency.session), &body).await.json().await.unwrap();
    let id = placement["id"].as_str().unwrap();
    let worker = app.session_for("w104@test.seasonlink.vn").await;
    let contract: Value = app
        .get(&format!("/api/v1/placements/{id}/contract?lang=vi"), Some(&worker))
        .await
        .json()
        .await
        .unwrap();
    let accept = json!({"version": 1, "sha256": contract["sha256"], "lang": "vi"});
    assert!(
        app.post_json(&format!("/api/v1/placements/{id}/accept"), Some(&worker), &accept)
            .await
            .status()
            .is_success()
    );
    app.verify_insurance(&regulator, id).await;
    assert!(
        app.post_json(&format!("/api/v1/placements/{id}/permit"), Some(&regulator), &json!({}))
            .await
            .status()
            .is_success()
    );

    let read = |token: String| {
        let app = &app;
        async move {
            feed(app, &token, "").await.json::<Value>().await.unwrap()["events"].as_array().unwrap().clone()
        }
    };
    let seen_by_border = read(border).await;
    let permit = seen_by_border.iter().find(|e| e["type"] == "permit.issued").unwrap();
    assert!(permit["data"]["permit_number"].as_str().unwrap().starts_with("SL-"));
    assert!(
        permit["data"].get("holder").is_none(),
        "no identity for a partner that is not the permit authority"
    );
    assert!(!permit.to_string().contains("001095000104"));
    let seen_by_authority = read(authority).await;
    assert_eq!(seen_by_authority.len(), 1);
    assert_eq!(seen_by_authority[0]["data"]["holder"]["id_document_number"], "001095000104");
    let seen_by_regulator = read(regulator.token.clone()).await;
    let permit = seen_by_regulator.iter().find(|e| e["type"] == "permit.issued").unwrap();
    assert_eq!(permit["data"]["holder"]["full_name"], "Nguyễn Thị Hoa");
    let accepted = seen_by_border.iter().find(|e| e["type"] == "contract.accepted").unwrap();
    assert_eq!(accepted["subject"]["worker_id"], worker_id.as_str());
}

#[actix_web::test]
async fn settled_events_are_pruned_after_the_retention_period_and_pending_ones_kept() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let receiver = Receiver::start().await;
    partner(&app, &regulator, &receiver.url("/"), &["employer.verified"], false).await;
    let dispatcher = Dispatcher::new(app.state.clone()).unwrap();
    // Delivered at once: settled.
    app.employer(true).await;
    drain(&dispatcher).await;
    let first: Value = feed(&app, &regulator.token, "").await.json().await.unwrap();
    let cursor = first["next_after"].as_str().unwrap().to_owned();
    // Never delivered (no round runs again: the employers verified here and for the offer),
    // and a notice never sent (the offer's): all stay pending.
    app.employer(true).await;
    offer(&app, "001095000106", Some("w106@test.seasonlink.vn")).await;
    let pending_notices = "SELECT COUNT(*) AS n FROM notices WHERE status = 'pending'";
    assert_eq!(app.count(pending_notices).await, 1);
    let events_before = app.count("SELECT COUNT(*) AS n FROM events").await;

    app.state.clock.advance(chrono::Duration::days(401));
    let pruned = seasonlink::services::events::prune(&app.state).await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM deliveries").await,
        2,
        "only the pending deliveries are left"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending'").await, 2);
    assert_eq!(app.count(pending_notices).await, 1, "the pending notice is left");
    let kept = "SELECT COUNT(*) AS n FROM events e WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq) \
                OR EXISTS (SELECT 1 FROM notices n WHERE n.event_seq = e.seq)";
    assert_eq!(app.count(kept).await, 3, "the events they need are kept");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM events").await, 3);
    assert_eq!(pruned as i64, events_before - 3, "every other event was old and settled");
    // A reader's position outlives the events pruned before it.
    let regulator = app.session_for(&regulator.email).await;
    let page: Value = feed(&app, &regulator.token, &format!("?after={cursor}")).await.json().await.unwrap();
    assert_eq!(page["events"].as_array().unwrap().len(), 3, "{page}");
}

#[actix_web::test]
async fn the_sweeper_tells_employers_of_an_undercutting_floor_and_workers_of_their_return_date() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let vacancy_id = post_vacancy(&app, &employer).await;
    let agency = app.agency_valid(&app.login_as_authority("VN").await, -365, 365).await;
    let mut body = worker("001095000105");
    body["email"] = json!("w105@test.seasonlink.vn");
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &body).await;
    let worker_id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    app.activate_worker(&worker_id).await;
    let offer = json!({"vacancy_id": vacancy_id, "worker_id": worker_id});
    let placement: Value =
        app.post_json("/api/v1/placements", Some(&agency.session), &offer).await.json().await.unwrap();
    let id = placement["id"].as_str().unwrap().to_owned();
    let holder = app.session_for("w105@test.seasonlink.vn").await;
    let accept = json!({"version": 1, "sha256": placement["contract"]["sha256"], "lang": "vi"});
    let act = |session: Session, action: &'static str, body: Value| {
        let (app, id) = (&app, id.clone());
        async move {
            let response =
                app.post_json(&format!("/api/v1/placements/{id}/{action}"), Some(&session), &body).await;
            assert!(response.status().is_success(), "{action}: {:?}", response.text().await);
        }
    };
    act(holder, "accept", accept).await;
    act(regulator.clone(), "insurance/verify", json!({})).await;
    act(regulator.clone(), "permit", json!({})).await;
    app.state.clock.advance(chrono::Duration::days(3));
    let agency_session = app.session_for(&agency.session.email).await;
    app.record_orientation(&agency_session, &id).await;
    act(agency_session, "departure", json!({"crossing_code": "aidian", "at": app.state.clock.now()})).await;

    // A regulator raises Ningming's floor above what the vacancy pays.
    let regulator = app.session_for(&regulator.email).await;
    let raise = json!({"region_code": "451422", "kind": "statutory_minimum", "hourly_fen": 1950,
                       "monthly_fen": 195_000, "effective_from": app.today(), "source": "桂政发〔2026〕1号"});
    app.add_rule(&regulator, raise).await;
    let sweep = || {
        let (pool, now) = (app.state.pool.clone(), app.state.clock.now());
        async move {
            seasonlink::db::transaction(&pool, move |conn| {
                seasonlink::services::placements::sweep(conn, now)
            })
            .await
            .unwrap();
        }
    };
    // The employer would rather read its notices in English.
    let employer_session = app.session_for(&employer.session.email).await;
    for (language, status) in [("fr", 422), ("zh", 422)] {
        let response =
            app.patch_json("/api/v1/me", Some(&employer_session), &json!({"language": language})).await;
        problem(response, status, "validation_failed").await;
    }
    let unknown = app.patch_json("/api/v1/me", Some(&employer_session), &json!({"lang": "en"})).await;
    problem(unknown, 400, "malformed_body").await;
    let chosen = app.patch_json("/api/v1/me", Some(&employer_session), &json!({"language": "en"})).await;
    assert_eq!(chosen.json::<Value>().await.unwrap()["language"], "en");
    assert_eq!(seasonlink::services::vacancies::flag_below_floor(&app.state).await.unwrap(), 1);
    assert_eq!(seasonlink::services::vacancies::flag_below_floor(&app.state).await.unwrap(), 0, "once");
    // A week before the season's end (day 122), the worker is reminded, once.
    sweep().await;
    app.state.clock.advance(chrono::Duration::days(112));
    sweep().await;
    sweep().await;

    let regulator = app.session_for(&regulator.email).await;
    let notices: Vec<Value> = app.get("/api/v1/notices", Some(&regulator)).await.json().await.unwrap();
    let to = |recipient: &str, subject_start: &str| {
        notices
            .iter()
            .filter(|n| {
                n["recipient"] == recipient && n["subject"].as_str().unwrap().starts_with(subject_start)
            })
            .count()
    };
    assert_eq!(to(&employer.session.email, "Your vacancy is below the new wage floor"), 1, "{notices:#?}");
    let floor = notices.iter().find(|n| n["recipient"] == employer.session.email.as_str()).unwrap();
    assert_eq!(floor["language"], "en", "the language the employer chose");
    assert!(floor["body"].as_str().unwrap().contains("19.50"), "{floor}");
    assert_eq!(to("w105@test.seasonlink.vn", "Mùa vụ của bạn kết thúc ngày"), 1, "{notices:#?}");
    assert_eq!(to("w105@test.seasonlink.vn", "Lời mời làm việc"), 1);
    assert_eq!(to("w105@test.seasonlink.vn", "Giấy phép lao động"), 1);
}
