//! The demo data loads once, carries the last season as lived, and its accounts log in.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::Value;

use seasonlink::demo::{self, AGENCIES, DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_WORKERS};
use seasonlink::domain::account::Role;
use seasonlink::services::authorities;
use seasonlink_tests::{Session, TestApp};

/// Logs in as a demo account; returns the session and the account's organisation.
async fn demo_session(app: &TestApp, role: Role) -> (Session, Option<String>) {
    let email = DEMO_ACCOUNTS.iter().find(|a| a.role == role).unwrap().email;
    let response = app.login(email, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "{email}");
    let body: Value = response.json().await.unwrap();
    let session = Session {
        token: body["token"].as_str().unwrap().to_owned(),
        user_id: body["user"]["id"].as_str().unwrap().to_owned(),
        email: email.to_owned(),
    };
    (session, body["user"]["org_id"].as_str().map(str::to_owned))
}

async fn json(app: &TestApp, path: &str, session: Option<&Session>) -> Value {
    let response = app.get(path, session).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

/// Every row of a paged list, its pages followed (500 rows a page).
async fn every(app: &TestApp, path: &str, session: Option<&Session>) -> Value {
    let separator = if path.contains('?') { '&' } else { '?' };
    Value::Array(app.walk(&format!("{path}{separator}limit=500"), session).await.concat())
}

#[actix_web::test]
async fn demo_data_loads_once_and_its_accounts_log_in() {
    let app = TestApp::spawn().await;
    let now = app.state.clock.now();
    let rules = seasonlink::services::placements::Rules::of(&app.state.settings);
    // The default week of local window (the suite's settings have none).
    let posting = seasonlink::services::vacancies::PostingRules {
        local_window_days: 7,
        ..seasonlink::services::vacancies::PostingRules::of(&app.state.settings)
    };
    let present = || seasonlink::db::run(&app.state.pool, demo::account_present);
    assert_eq!(present().await.unwrap(), None, "an empty database holds no demo account");
    let started = std::time::Instant::now();
    let first = seasonlink::db::run(&app.state.pool, move |conn| demo::load(conn, now, rules, posting))
        .await
        .unwrap();
    // A production server refuses to serve this database (`seasonlink serve`).
    assert_eq!(present().await.unwrap(), Some(DEMO_ACCOUNTS[0].email));
    eprintln!("demo data loaded in {:?} ({:?})", started.elapsed(), app.db.backend());
    assert!(first);
    assert_last_season_lived(&app).await;
    // A Chongzuo cane season: six verified employers with six vacancies each, all at or
    // above the floor, and one employer still waiting for verification.
    let board: Vec<Value> = app.get("/api/v1/vacancies?region_code=451400", None).await.json().await.unwrap();
    assert_eq!(board.len(), 36);
    // The last employer opened its vacancies today: a week for local job-seekers only.
    let to_agencies = (seasonlink::domain::calendar::china_day(now) + chrono::Duration::days(7)).to_string();
    let local_only: Vec<&Value> =
        board.iter().filter(|v| v["open_to_agencies_on"] == to_agencies.as_str()).collect();
    assert_eq!(local_only.len(), 6, "{board:#?}");
    assert!(board.iter().all(|v| v["open_to_agencies_on"].as_str() <= Some(to_agencies.as_str())));
    assert!(board.iter().all(|v| v["hourly_equivalent_fen"].as_i64() >= v["floor"]["hourly_fen"].as_i64()));
    assert!(board.iter().any(|v| v["pay_basis"] == "piece" && v["occupation_code"] == "sugarcane_cutting"));
    let floor =
        json(&app, "/api/v1/wage-floors/resolve?region_code=451402&occupation_code=cassava_harvest", None)
            .await;
    assert_eq!(floor["hourly_fen"], 1860, "Jiangzhou is tier 2");
    for account in &DEMO_ACCOUNTS {
        let response = app.login(account.email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", account.email);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["user"]["role"], account.role.as_str());
        // A regulator's organisation is its authority: Viet Nam's for regulator-vn@, China's
        // for the others.
        assert!(body["user"]["org_id"].is_string(), "{} belongs to an organisation", account.email);
        if account.role == Role::Regulator {
            let vn = account.email.starts_with("regulator-vn@");
            let national = if vn { authorities::VN_NATIONAL } else { authorities::CN_NATIONAL };
            assert_eq!(body["user"]["org_id"], national, "{}", account.email);
        }
    }

    // Six licensed agencies, one suspended with its reason, as the public check says.
    let (regulator, _) = demo_session(&app, Role::Regulator).await;
    let agencies = json(&app, "/api/v1/agencies", Some(&regulator)).await;
    let agencies = agencies.as_array().unwrap();
    assert_eq!(agencies.len(), AGENCIES.len());
    let suspended: Vec<&Value> = agencies.iter().filter(|a| a["licence_status"] == "suspended").collect();
    assert_eq!(suspended.len(), 1);
    assert!(suspended[0]["licence_events"].as_array().unwrap().iter().any(|e| e["event"] == "suspended"
        && e["reason"].as_str().is_some_and(|r| r.contains("fees charged to workers"))));
    for agency in &AGENCIES {
        let licence = json(&app, &format!("/api/v1/public/licences/{}", agency.licence_number), None).await;
        let expected = if agency.suspended_for.is_some() { "suspended" } else { "active" };
        assert_eq!(licence["status"], expected, "{}", agency.licence_number);
        assert_eq!(licence["agency_name"], agency.name);
    }
    let agency_id_of: HashMap<&str, &str> =
        agencies.iter().map(|a| (a["licence_number"].as_str().unwrap(), a["id"].as_str().unwrap())).collect();

    // The regulator sees every worker: the number loaded, each agency's share, Vietnamese
    // names with their diacritics, 12-digit document numbers, none twice.
    let all = every(&app, "/api/v1/workers", Some(&regulator)).await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), DEMO_WORKERS);
    const { assert!(DEMO_WORKERS >= 3_000) };
    for agency in &AGENCIES {
        let id = agency_id_of[agency.licence_number];
        assert_eq!(all.iter().filter(|w| w["agency_id"] == id).count(), agency.workers, "{}", agency.name);
    }
    let names: Vec<&str> = all.iter().map(|w| w["full_name"].as_str().unwrap()).collect();
    assert!(names.iter().all(|n| n.split(' ').count() == 3), "family, middle and given name");
    let with_diacritics = names.iter().filter(|n| !n.is_ascii()).count();
    assert!(with_diacritics * 10 > names.len() * 9, "{with_diacritics} of {} names", names.len());
    assert!(names.iter().any(|n| n.starts_with("Nguyễn ")) && names.iter().any(|n| n.starts_with("Nông ")));
    let documents: HashSet<&str> = all.iter().map(|w| w["id_document_number"].as_str().unwrap()).collect();
    assert_eq!(documents.len(), all.len(), "document numbers are unique");
    assert!(documents.iter().all(|d| d.len() == 12 && d.bytes().all(|b| b.is_ascii_digit())));
    let count = |field: &str, code: &str| {
        all.iter().filter(|w| w[field].as_array().unwrap().iter().any(|v| v == code)).count()
    };
    assert!(count("skills", "cane_knife") > count("skills", "tractor_driving") * 3);
    assert!(
        count("languages", "vi") == all.len()
            && count("languages", "tyz") > 0
            && count("languages", "nut") > 0
    );
    let border = all
        .iter()
        .filter(|w| ["VN-09", "VN-04", "VN-13"].contains(&w["home_province_code"].as_str().unwrap()));
    assert!(border.count() * 2 > all.len(), "mostly from the border provinces");

    // The demo agency account sees its own workers only, documents included.
    let (agency, agency_id) = demo_session(&app, Role::Agency).await;
    let agency_id = agency_id.unwrap();
    assert_eq!(agency_id, agency_id_of[AGENCIES[0].licence_number]);
    let own = every(&app, "/api/v1/workers", Some(&agency)).await;
    let own = own.as_array().unwrap();
    assert_eq!(own.len(), AGENCIES[0].workers);
    assert!(own.iter().all(|w| w["agency_id"] == agency_id.as_str() && w["id_document_number"].is_string()));

    // The demo worker account sees its own record, registered by that agency.
    let (worker, worker_id) = demo_session(&app, Role::Worker).await;
    let me = json(&app, "/api/v1/workers/me", Some(&worker)).await;
    assert_eq!(me["id"].as_str(), worker_id.as_deref());
    assert_eq!(me["agency_id"], agency_id.as_str());
    assert_eq!(me["email"], worker.email.as_str());
    assert_eq!(me["has_account"], true);
    assert!(me.get("id_document_number").is_none());

    // The demo worker has an offer to read and accept; the agency made the others.
    let offers = json(&app, "/api/v1/placements", Some(&worker)).await;
    assert_eq!(offers.as_array().unwrap().len(), 1);
    assert_eq!(offers[0]["status"], "offered");
    let made = every(&app, "/api/v1/placements?status=offered", Some(&agency)).await;
    assert_eq!(made.as_array().unwrap().len(), demo::DEMO_OFFERS);

    // A second load changes nothing.
    let second = seasonlink::db::run(&app.state.pool, move |conn| demo::load(conn, now, rules, posting))
        .await
        .unwrap();
    assert!(!second);
    let again = every(&app, "/api/v1/workers", Some(&regulator)).await;
    assert_eq!(again.as_array().unwrap(), all);
    let agencies_again = json(&app, "/api/v1/agencies", Some(&regulator)).await;
    assert_eq!(agencies_again.as_array().unwrap(), agencies);
    let board_again: Vec<Value> =
        app.get("/api/v1/vacancies?region_code=451400", None).await.json().await.unwrap();
    assert_eq!(board_again.len(), 36);
}

/// The demo carries the last season, lived through the services some thirteen to seven
/// months before the clock's now: vacancies opened and closed, departures and returns (most
/// on time, some late, an overstay still open), payslips month after month, fee reports and
/// complaints, cases opened and resolved over months, an agency suspended and reinstated.
/// (Checked on the demo the test above loads: loading it is the suite's dearest fixture.)
async fn assert_last_season_lived(app: &TestApp) {
    let now = app.state.clock.now();
    let instant = |days: i64| (now - Duration::days(days)).format("%Y-%m-%d %H:%M:%S").to_string();
    // The last season: from thirteen and a half months ago to six months ago.
    let (from, to) = (instant(410), instant(180));
    let in_season =
        |table: &str, column: &str| format!("{table}.{column} >= '{from}' AND {table}.{column} < '{to}'");

    // Its vacancies, opened about thirteen months ago in two prefectures, closed since.
    let vacancies = app
        .count(&format!(
            "SELECT COUNT(*) AS n FROM vacancies WHERE status = 'closed' AND {}",
            in_season("vacancies", "created_at")
        ))
        .await;
    assert!(vacancies >= 15, "{vacancies} vacancies of last season");
    for region in ["451422", "451423", "450681"] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) AS n FROM vacancies WHERE status = 'closed' AND region_code = '{region}'"
            ))
            .await;
        assert!(n >= 1, "a vacancy in {region}");
    }

    // Offers, declines and acceptances; departures from the border provinces and beyond.
    let declined = app.count("SELECT COUNT(*) AS n FROM placements WHERE status = 'declined'").await;
    assert!(declined >= 5, "{declined} declined");
    let departures = app
        .count(&format!(
            "SELECT COUNT(*) AS n FROM border_events b WHERE b.kind = 'departure' AND {}",
            in_season("b", "at")
        ))
        .await;
    assert!(departures >= 100, "{departures} departures");
    let acceptances = app.count("SELECT COUNT(*) AS n FROM contract_acceptances").await;
    let permits = app.count("SELECT COUNT(*) AS n FROM permits").await;
    assert!(acceptances >= departures && permits >= departures, "{acceptances} accepted, {permits} permits");
    for province in ["VN-09", "VN-04", "VN-13"] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) AS n FROM border_events b JOIN placements p ON p.id = b.placement_id
                 JOIN workers w ON w.id = p.worker_id WHERE b.kind = 'departure' AND w.home_province_code = '{province}'"
            ))
            .await;
        assert!(n >= 5, "{n} departures from {province}");
    }

    // Returns: most on time, some late (raised as overstays first), and overstays still open.
    let returns = |status: &str| {
        format!(
            "SELECT COUNT(*) AS n FROM border_events b JOIN placements p ON p.id = b.placement_id
             WHERE b.kind = 'return' AND p.status = '{status}' AND {}",
            in_season("b", "at")
        )
    };
    let on_time = app.count(&returns("returned")).await;
    let late = app.count(&returns("returned_late")).await;
    assert!(on_time >= 90 && late >= 3 && on_time > late * 5, "{on_time} on time, {late} late");
    let open_overstays = app
        .count(
            "SELECT COUNT(*) AS n FROM placements p WHERE p.status = 'overstayed'
             AND NOT EXISTS (SELECT 1 FROM border_events b WHERE b.placement_id = p.id AND b.kind = 'return')",
        )
        .await;
    assert!((1..=3).contains(&open_overstays), "{open_overstays} overstays open");
    let alerts = app.count("SELECT COUNT(*) AS n FROM alerts WHERE kind = 'overstay'").await;
    assert_eq!(alerts, open_overstays + late, "the sweeper raised every late worker");
    let timeline =
        app.count("SELECT COUNT(*) AS n FROM placement_events WHERE to_status = 'overstayed'").await;
    assert_eq!(timeline, alerts);

    // Payslips twice a month, in several months, mostly compliant; the others opened cases.
    let mut months = 0;
    let first = (now - Duration::days(420)).date_naive().with_day(1).unwrap();
    for k in 0..16 {
        let month = |k: u32| first.checked_add_months(chrono::Months::new(k)).unwrap();
        let (start, end): (NaiveDate, NaiveDate) = (month(k), month(k + 1));
        let n = app
            .count(&format!(
                "SELECT COUNT(*) AS n FROM payslips WHERE paid_on >= '{start}' AND paid_on < '{end}'"
            ))
            .await;
        months += usize::from(n >= 20);
    }
    assert!(months >= 4, "payslips in {months} months");
    let payslips = app.count("SELECT COUNT(*) AS n FROM payslips").await;
    let faulty =
        app.count("SELECT COUNT(*) AS n FROM payslips WHERE NOT compliant AND case_id IS NOT NULL").await;
    assert!(faulty >= 3 && faulty * 50 < payslips, "{faulty} of {payslips} payslips not compliant");
    // Every pay period of every worker who crossed was reported: the pay watch finds nothing.
    let missing = seasonlink::services::compliance::watch_pay(&app.state).await.unwrap();
    assert_eq!(missing, 0, "no pay missing in the demo");

    // The payslip service tallied each payslip, by day and by month, as it wrote it (the
    // statistics read the tallies): the same tallies as counting every payslip again, names up
    // to four workers.
    // So did the placement services keep each milestone's fact: the same as made again from
    // the records.
    app.execute("CREATE TABLE tallied AS SELECT * FROM payslip_tallies").await;
    app.execute("CREATE TABLE facts_kept AS SELECT * FROM placement_facts").await;
    let mut conn = app.db.connect();
    seasonlink::db::statistics::retally(&mut conn).unwrap();
    let differ = |a: &str, b: &str| {
        format!("SELECT COUNT(*) AS n FROM (SELECT * FROM {a} EXCEPT SELECT * FROM {b}) d")
    };
    assert_eq!(app.count(&differ("tallied", "payslip_tallies")).await, 0);
    assert_eq!(app.count(&differ("payslip_tallies", "tallied")).await, 0);
    assert_eq!(app.count(&differ("facts_kept", "placement_facts")).await, 0);
    assert_eq!(app.count(&differ("placement_facts", "facts_kept")).await, 0);
    for (fact, records) in [
        ("offered", "SELECT COUNT(*) AS n FROM placements"),
        ("departed", "SELECT COUNT(*) AS n FROM border_events WHERE kind = 'departure'"),
        (
            "declined",
            "SELECT COUNT(DISTINCT placement_id) AS n FROM placement_events WHERE to_status = 'declined'",
        ),
    ] {
        let kept = app.count(&format!("SELECT COUNT(*) AS n FROM facts_kept WHERE fact = '{fact}'")).await;
        assert_eq!(kept, app.count(records).await, "{fact}");
        assert!(kept > 0, "the demo has placements {fact}");
    }
    for span in ["day", "month"] {
        let tallied = app
            .count(&format!(
                "SELECT CAST(SUM(payslips) AS BIGINT) AS n FROM payslip_tallies WHERE span = '{span}'"
            ))
            .await;
        assert_eq!(tallied, payslips, "{span}");
    }
    let named =
        app.count("SELECT COUNT(*) AS n FROM payslip_tallies WHERE workers < 5 AND w1 IS NOT NULL").await;
    let many = app.count("SELECT COUNT(*) AS n FROM payslip_tallies WHERE workers = 5 AND w1 IS NULL").await;
    assert_eq!(named + many, app.count("SELECT COUNT(*) AS n FROM payslip_tallies").await);
    let shared = app.count("SELECT COUNT(*) AS n FROM payslip_tallies WHERE w2 IS NOT NULL").await;
    assert!(shared > 0, "{named} tallies name their workers, {shared} more than one");

    // Fee reports and complaints in many categories; cases of every kind, resolved over months
    // (upheld or not), some still open.
    let fees = app.count("SELECT COUNT(*) AS n FROM fee_reports").await;
    let categories = app.count("SELECT COUNT(DISTINCT category) AS n FROM complaints").await;
    assert!(fees >= 5 && categories >= 5, "{fees} fee reports, {categories} complaint categories");
    for kind in ["wage", "hours", "fee", "complaint"] {
        let resolved = app
            .count(&format!("SELECT COUNT(*) AS n FROM cases WHERE kind = '{kind}' AND status = 'resolved'"))
            .await;
        assert!(resolved >= 1, "a {kind} case resolved");
    }
    let fee_cases = |upheld: bool| {
        format!(
            "SELECT COUNT(*) AS n FROM cases WHERE kind = 'fee' AND status = 'resolved' AND upheld = {upheld}"
        )
    };
    assert!(app.count(&fee_cases(true)).await >= 1 && app.count(&fee_cases(false)).await >= 1);
    assert!(app.count("SELECT COUNT(*) AS n FROM cases WHERE status <> 'resolved'").await >= 1);
    let (regulator, _) = demo_session(app, Role::Regulator).await;
    let resolved = json(app, "/api/v1/cases?status=resolved", Some(&regulator)).await;
    let days: Vec<i64> = resolved
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let at =
                |field: &str| c[field].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap();
            (at("resolved_at") - at("opened_at")).num_days()
        })
        .collect();
    assert!(days.len() >= 20, "{} cases resolved", days.len());
    assert!(days.iter().any(|d| *d < 30) && days.iter().any(|d| *d > 90), "days to resolve: {days:?}");

    // One agency suspended during the season and reinstated; it is active today.
    let reinstated = app
        .count(
            "SELECT COUNT(*) AS n FROM agencies a WHERE a.licence_state = 'active'
             AND EXISTS (SELECT 1 FROM licence_events e WHERE e.agency_id = a.id AND e.event = 'suspended')
             AND EXISTS (SELECT 1 FROM licence_events e WHERE e.agency_id = a.id AND e.event = 'reinstated')",
        )
        .await;
    assert_eq!(reinstated, 1);

    // All of it through the services: the audit chain holds, its entries in time order.
    let verify = json(app, "/api/v1/audit/verify", Some(&regulator)).await;
    assert_eq!(verify["ok"], true, "{verify}");
    let out_of_order = app
        .count(
            "SELECT COUNT(*) AS n FROM audit_log a JOIN audit_log b ON b.seq = a.seq + 1 WHERE b.at < a.at",
        )
        .await;
    assert_eq!(out_of_order, 0);
}
