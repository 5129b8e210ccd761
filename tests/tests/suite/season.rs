//! The season-sized demo (issue 15), at its tiny size: it loads once and reports what it
//! wrote; the same seed gives the same season; the invariants the services keep hold of its
//! bulk rows too; and the server serves them.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use seasonlink::db::schema::{
    border_events, contract_acceptances, contracts, insurance_checks, payslips, permits, placements, users,
    vacancies, wage_floor_rules, workers,
};
use seasonlink::demo::DEMO_PASSWORD;
use seasonlink::demo::season::{self, SEASON_SEED, SeasonReport, SeasonSize};
use seasonlink::domain::contract::Terms;
use seasonlink::domain::money::Fen;
use seasonlink::domain::placement::Status;
use seasonlink_tests::{Session, TestApp};

async fn load(app: &TestApp) -> SeasonReport {
    let now = app.state.clock.now();
    seasonlink::db::run(&app.state.pool, move |conn| {
        season::load_season(conn, now, &SeasonSize::tiny(), SEASON_SEED)
    })
    .await
    .unwrap()
}

/// Signs in with the demo's password (an e-mail, or a worker's phone); returns the session
/// and the account's organisation.
async fn login(app: &TestApp, sign_in: &str) -> (Session, String) {
    let response = app.login(sign_in, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "{sign_in}");
    let body: Value = response.json().await.unwrap();
    let session = Session {
        token: body["token"].as_str().unwrap().to_owned(),
        user_id: body["user"]["id"].as_str().unwrap().to_owned(),
        email: sign_in.to_owned(),
    };
    (session, body["user"]["org_id"].as_str().unwrap().to_owned())
}

/// Each table the season writes, with the count the report gives for it.
fn reported(report: &SeasonReport) -> Vec<(&'static str, usize)> {
    vec![
        ("users", report.accounts),
        ("agencies", report.agencies),
        ("employers", report.employers),
        ("workers", report.workers),
        ("vacancies", report.vacancies),
        ("placements", report.placements),
        ("placement_events", report.placement_events),
        ("contracts", report.contracts),
        ("contract_acceptances", report.acceptances),
        ("permits", report.permits),
        ("border_events", report.crossings),
        ("worker_returns", report.returns),
        ("alerts", report.alerts),
        ("payslips", report.payslips),
        ("payslip_deductions", report.payslip_deductions),
        ("findings", report.findings),
        ("cases", report.cases),
        ("fee_reports", report.fee_reports),
        ("complaints", report.complaints),
    ]
}

/// A digest of what the season holds: its people, vacancies, placements, contracts, permits
/// and payslips. The wage floor rules are made by the floors' service, whose ids are its
/// own: a contract names its rule by region and occupation here.
fn digest(app: &TestApp) -> String {
    let mut conn = app.db.connect();
    let mut hash = Sha256::new();
    let rules: Vec<(String, String, Option<String>)> = wage_floor_rules::table
        .select((wage_floor_rules::id, wage_floor_rules::region_code, wage_floor_rules::occupation_code))
        .load(&mut conn)
        .unwrap();
    let workers: Vec<(String, String, String, Option<String>, i32)> = workers::table
        .select((
            workers::id,
            workers::full_name,
            workers::id_document_number,
            workers::phone,
            workers::seasons_worked,
        ))
        .order(workers::id)
        .load(&mut conn)
        .unwrap();
    hash.update(format!("{workers:?}"));
    let jobs: Vec<(String, String, i64, i64, Option<NaiveDateTime>, i32)> = vacancies::table
        .select((
            vacancies::id,
            vacancies::status,
            vacancies::wage_fen,
            vacancies::floor_hourly_fen,
            vacancies::opened_at,
            vacancies::seats_taken,
        ))
        .order(vacancies::id)
        .load(&mut conn)
        .unwrap();
    hash.update(format!("{jobs:?}"));
    let placed: Vec<(String, String, String, String, NaiveDateTime)> = placements::table
        .select((
            placements::id,
            placements::vacancy_id,
            placements::worker_id,
            placements::status,
            placements::updated_at,
        ))
        .order(placements::id)
        .load(&mut conn)
        .unwrap();
    hash.update(format!("{placed:?}"));
    let terms: Vec<String> = contracts::table
        .select(contracts::terms)
        .order(contracts::placement_id)
        .load::<String>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|t| {
            rules.iter().fold(t, |t, (id, region, occupation)| {
                t.replace(id, &format!("{region}/{}", occupation.as_deref().unwrap_or("-")))
            })
        })
        .collect();
    hash.update(format!("{terms:?}"));
    let issued: Vec<(String, String, String)> = permits::table
        .select((permits::number, permits::check_code, permits::placement_id))
        .order(permits::number)
        .load(&mut conn)
        .unwrap();
    hash.update(format!("{issued:?}"));
    let paid: Vec<(String, i64, i64, bool, Option<String>)> = payslips::table
        .select((
            payslips::id,
            payslips::gross_fen,
            payslips::net_fen,
            payslips::compliant,
            payslips::case_id,
        ))
        .order(payslips::id)
        .load(&mut conn)
        .unwrap();
    hash.update(format!("{paid:?}"));
    format!("{:x}", hash.finalize())
}

#[actix_web::test]
async fn a_season_loads_once_consistent_and_the_server_serves_it() {
    let app = TestApp::spawn().await;
    let started = std::time::Instant::now();
    let report = load(&app).await;
    eprintln!("tiny season loaded in {:?} ({:?}): {report:?}", started.elapsed(), app.db.backend());
    assert!(report.loaded);
    assert_eq!((report.agencies, report.workers, report.employers), (2, 300, 20));
    assert_eq!((report.vacancies, report.open_vacancies), (80, 40));
    assert!(report.placements > 200 && report.payslips > 1_000, "{report:?}");
    assert!(report.returns > 0 && report.alerts > 0 && report.fee_reports > 0 && report.complaints > 0);

    // What it reports is what the tables hold, and a second load writes nothing.
    for (table, n) in reported(&report) {
        assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM {table}")).await, n as i64, "{table}");
    }
    let open = app.count("SELECT COUNT(*) AS n FROM vacancies WHERE status = 'open'").await;
    assert_eq!(open, report.open_vacancies as i64);
    let again = load(&app).await;
    assert!(!again.loaded);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM placements").await, report.placements as i64);

    // The same seed gives the same season on another database.
    let other = TestApp::spawn().await;
    assert_eq!(load(&other).await, report);
    assert_eq!(digest(&other), digest(&app));
    other.stop().await;

    assert_the_invariants_hold(&app);
    // Its employers reported every pay period of the season: the pay watch finds nothing.
    assert_eq!(seasonlink::services::compliance::watch_pay(&app.state).await.unwrap(), 0);

    // The audit chain verifies, with the load's one entry at its end.
    let (regulator, _) = login(&app, season::SEASON_REGULATORS[0].0).await;
    // The statistics count what the season wrote: every payslip (tallied), every first
    // acceptance (kept on its placement), every return (on time or late), every departure.
    let first = app.today() - chrono::Months::new(120) + chrono::Days::new(1);
    let query = format!(
        "/api/v1/statistics?from={first}&to={}&indicators=payslips,acceptances,returns_on_time,returns_late,departures",
        app.today()
    );
    let figures: Value = app.get(&query, Some(&regulator)).await.json().await.unwrap();
    let total = |code: &str| {
        let indicator = figures["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap();
        indicator["rows"][0]["value"].as_i64().unwrap()
    };
    assert_eq!(total("payslips"), report.payslips as i64, "{figures}");
    assert_eq!(total("acceptances"), report.acceptances as i64);
    assert_eq!(total("returns_on_time") + total("returns_late"), report.returns as i64);
    let departures = app.count("SELECT COUNT(*) AS n FROM border_events WHERE kind = 'departure'").await;
    assert_eq!(total("departures"), departures);
    let verification: Value = app.get("/api/v1/audit/verify", Some(&regulator)).await.json().await.unwrap();
    assert_eq!(verification["ok"], true, "{verification}");
    let loaded = app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'demo.season_loaded'").await;
    assert_eq!(loaded, 1);
    // The partners' feed is not flooded: the bulk rows made no events.
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM events").await, 0);

    // The public board lists the open vacancies.
    let board: Vec<Value> = app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    let listed: HashSet<&str> = board.iter().map(|v| v["id"].as_str().unwrap()).collect();
    let mut conn = app.db.connect();
    let open_ids: Vec<String> =
        vacancies::table.filter(vacancies::status.eq("open")).select(vacancies::id).load(&mut conn).unwrap();
    assert!(open_ids.iter().all(|id| listed.contains(id.as_str())), "every open vacancy is on the board");
    assert!(board.iter().all(|v| v["hourly_equivalent_fen"].as_i64() >= v["floor"]["hourly_fen"].as_i64()));

    // An agency's worker list holds its workers, and a placement of theirs opens.
    let (agency, agency_id) = login(&app, &season::agency_email(1)).await;
    let own: Vec<Value> = app.get("/api/v1/workers", Some(&agency)).await.json().await.unwrap();
    let registered =
        app.count(&format!("SELECT COUNT(*) AS n FROM workers WHERE agency_id = '{agency_id}'")).await;
    assert_eq!(own.len() as i64, registered);
    assert_eq!(registered, 100, "the first agency holds a third of the workers");
    let placement: String = placements::table
        .filter(placements::agency_id.eq(&agency_id))
        .filter(placements::status.eq("returned"))
        .select(placements::id)
        .first(&mut conn)
        .unwrap();
    let shown: Value =
        app.get(&format!("/api/v1/placements/{placement}"), Some(&agency)).await.json().await.unwrap();
    assert_eq!(shown["status"], "returned", "{shown}");
    assert_eq!(shown["crossings"].as_array().map(Vec::len), Some(2), "{shown}");
    // A worker offered a seat signs in with its phone and sees its own placement.
    let (phone, worker_id): (Option<String>, Option<String>) = users::table
        .filter(users::role.eq("worker"))
        .select((users::phone, users::org_id))
        .order(users::id)
        .first(&mut conn)
        .unwrap();
    let (worker, org) = login(&app, &phone.unwrap()).await;
    assert_eq!(Some(org), worker_id);
    let own: Value = app.get("/api/v1/placements", Some(&worker)).await.json().await.unwrap();
    assert_eq!(own.as_array().map(Vec::len), Some(1), "{own}");
    app.stop().await;
}

/// Every departed placement has an accepted contract (its current version, as hashed) and a
/// permit valid on the day it crossed; every agreed wage meets its floor; a placement's
/// status is one the journey it recorded leads to.
fn assert_the_invariants_hold(app: &TestApp) {
    let mut conn = app.db.connect();
    let placed: Vec<(String, String, i32)> = placements::table
        .select((placements::id, placements::status, placements::contract_version))
        .load(&mut conn)
        .unwrap();
    let contracts: HashMap<(String, i32), (String, String)> = contracts::table
        .select((contracts::placement_id, contracts::version, contracts::terms, contracts::sha256))
        .load::<(String, i32, String, String)>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|(p, v, t, h)| ((p, v), (t, h)))
        .collect();
    let accepted: HashSet<(String, i32, String)> = contract_acceptances::table
        .select((
            contract_acceptances::placement_id,
            contract_acceptances::version,
            contract_acceptances::sha256,
        ))
        .load(&mut conn)
        .unwrap()
        .into_iter()
        .collect();
    let permits: HashMap<String, (NaiveDate, NaiveDate, String)> = permits::table
        .select((permits::placement_id, permits::valid_from, permits::valid_until, permits::status))
        .load::<(String, NaiveDate, NaiveDate, String)>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|(p, from, until, status)| (p, (from, until, status)))
        .collect();
    let verified: HashSet<(String, String)> = insurance_checks::table
        .select((insurance_checks::placement_id, insurance_checks::insurance_sha256))
        .load(&mut conn)
        .unwrap()
        .into_iter()
        .collect();
    let crossed: Vec<(String, String, NaiveDateTime)> = border_events::table
        .select((border_events::placement_id, border_events::kind, border_events::at))
        .load(&mut conn)
        .unwrap();
    let departures: HashMap<&str, NaiveDateTime> =
        crossed.iter().filter(|c| c.1 == "departure").map(|c| (c.0.as_str(), c.2)).collect();
    assert!(!departures.is_empty());
    for (id, status, version) in &placed {
        let (terms, sha256) = &contracts[&(id.clone(), *version)];
        let terms: Terms = serde_json::from_str(terms).unwrap();
        assert_eq!(&terms.sha256(), sha256, "the stored hash is the terms' own");
        let pay = terms.pay().check(terms.floor.hourly_fen, terms.deductions_cap_percent);
        assert!(pay.is_ok() && terms.hourly_equivalent_fen >= terms.floor.hourly_fen, "{id}: {pay:?}");
        assert_eq!(terms.worker_paid_fees_fen, Fen::ZERO);
        // A permit only over a contract's insurance, verified by the permit desk.
        if permits.contains_key(id) {
            let insurance = terms.insurance.as_ref().unwrap_or_else(|| panic!("{id}: insured"));
            assert!(verified.contains(&(id.clone(), insurance.sha256())), "{id}: insurance verified");
        }
        let status = Status::parse(status).unwrap();
        let Some(departed) = departures.get(id.as_str()) else {
            assert!(!status.has_worked(), "{id} is {status:?} without a departure");
            continue;
        };
        assert!(status.has_worked(), "{id} departed but is {status:?}");
        assert!(
            accepted.contains(&(id.clone(), *version, sha256.clone())),
            "{id}: accepted before departure"
        );
        let (from, until, permit_status) = &permits[id];
        let day = departed.date();
        assert!(permit_status == "valid" && *from <= day && day <= *until, "{id}: a permit valid on {day}");
    }
    // Active placements hold a seat each, within the headcount (the database checks that).
    let active = placed.iter().filter(|p| Status::parse(&p.1).unwrap().is_active()).count() as i64;
    let seats: Option<i64> =
        vacancies::table.select(diesel::dsl::sum(vacancies::seats_taken)).first(&mut conn).unwrap();
    assert_eq!(seats.unwrap_or(0), active);
    // A payslip is compliant exactly when it opened no case; none is dated in the future.
    let paid: Vec<(bool, Option<String>, NaiveDate)> = payslips::table
        .select((payslips::compliant, payslips::case_id, payslips::paid_on))
        .load(&mut conn)
        .unwrap();
    assert!(paid.iter().all(|(compliant, case, _)| *compliant == case.is_none()));
    assert!(paid.iter().any(|(compliant, ..)| !compliant), "some payslips break the rules");
    let today = app.state.clock.now().date_naive();
    assert!(paid.iter().all(|(.., paid_on)| *paid_on < today + Duration::days(1)));
}
