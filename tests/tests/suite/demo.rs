//! The demo data loads once and its accounts log in.

use std::collections::{HashMap, HashSet};

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

#[actix_web::test]
async fn demo_data_loads_once_and_its_accounts_log_in() {
    let app = TestApp::spawn().await;
    let now = app.state.clock.now();
    let rules = seasonlink::services::placements::Rules::of(&app.state.settings);
    let started = std::time::Instant::now();
    let first = seasonlink::db::run(&app.state.pool, move |conn| demo::load(conn, now, rules)).await.unwrap();
    eprintln!("demo data loaded in {:?} ({:?})", started.elapsed(), app.db.backend());
    assert!(first);
    // A Chongzuo cane season: six verified employers with six vacancies each, all at or
    // above the floor, and one employer still waiting for verification.
    let board: Vec<Value> = app.get("/api/v1/vacancies?region_code=451400", None).await.json().await.unwrap();
    assert_eq!(board.len(), 36);
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
    let all = json(&app, "/api/v1/workers", Some(&regulator)).await;
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
    let own = json(&app, "/api/v1/workers", Some(&agency)).await;
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
    let made = json(&app, "/api/v1/placements?status=offered", Some(&agency)).await;
    assert_eq!(made.as_array().unwrap().len(), demo::DEMO_OFFERS);

    // A second load changes nothing.
    let second =
        seasonlink::db::run(&app.state.pool, move |conn| demo::load(conn, now, rules)).await.unwrap();
    assert!(!second);
    let again = json(&app, "/api/v1/workers", Some(&regulator)).await;
    assert_eq!(again.as_array().unwrap(), all);
    let agencies_again = json(&app, "/api/v1/agencies", Some(&regulator)).await;
    assert_eq!(agencies_again.as_array().unwrap(), agencies);
    let board_again: Vec<Value> =
        app.get("/api/v1/vacancies?region_code=451400", None).await.json().await.unwrap();
    assert_eq!(board_again.len(), 36);
}
