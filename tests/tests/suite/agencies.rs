//! Agencies and their licences: regulators license, suspend, reinstate and revoke; anyone
//! checks a licence by its number; an agency acts only while its licence is active.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{PASSWORD, Session, TestApp, day, problem};

fn agency_body(licence_number: &str, email: &str) -> Value {
    json!({
        "name": "Cao Bằng Manpower Co.",
        "country": "VN",
        "licence_number": licence_number,
        "licence_valid_from": day(-332),
        "licence_valid_until": day(1493),
        "email": email,
        "password": PASSWORD,
    })
}

async fn agencies(app: &TestApp, regulator: &seasonlink_tests::Session) -> Vec<Value> {
    let response = app.get("/api/v1/agencies", Some(regulator)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[actix_web::test]
async fn a_regulator_licenses_an_agency_whose_account_logs_in() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let response = app
        .post_json("/api/v1/agencies", Some(&regulator), &agency_body(" vn-cb-2026-007 ", "cb@agency.vn"))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let agency: Value = response.json().await.unwrap();
    assert_eq!(agency["licence_number"], "VN-CB-2026-007");
    assert_eq!(agency["licence_state"], "active");
    assert_eq!(agency["licence_events"][0]["event"], "created");
    assert_eq!(agency["licence_events"][0]["by_user_id"], regulator.user_id);
    let id = agency["id"].as_str().unwrap();

    let login: Value = app.login("cb@agency.vn", PASSWORD).await.json().await.unwrap();
    assert_eq!(login["user"]["role"], "agency");
    assert_eq!(login["user"]["org_id"], id);
    let own = app.session_for("cb@agency.vn").await;
    let mine = app.get(&format!("/api/v1/agencies/{id}"), Some(&own)).await;
    assert_eq!(mine.status(), StatusCode::OK);
    assert_eq!(agencies(&app, &regulator).await.len(), 1);
}

#[actix_web::test]
async fn bad_agencies_are_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let mut cases = Vec::new();
    for (field, value) in [
        ("name", json!(" ")),
        ("country", json!("TH")),
        ("licence_number", json!("a b")),
        ("licence_valid_until", json!(day(-333))),
        ("email", json!("not-an-email")),
        ("password", json!("short")),
    ] {
        let mut body = agency_body("VN-1", "x@agency.vn");
        body[field] = value;
        cases.push((field, body));
    }
    for (field, body) in cases {
        let err = problem(
            app.post_json("/api/v1/agencies", Some(&regulator), &body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(err["field"], field);
    }
    assert!(agencies(&app, &regulator).await.is_empty(), "nothing written");

    app.post_json("/api/v1/agencies", Some(&regulator), &agency_body("VN-1", "one@agency.vn")).await;
    let again =
        app.post_json("/api/v1/agencies", Some(&regulator), &agency_body("vn-1", "two@agency.vn")).await;
    problem(again, 409, "conflict").await;
    assert_eq!(agencies(&app, &regulator).await.len(), 1);
    assert_eq!(app.login("two@agency.vn", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn only_regulators_license_and_decide_and_others_see_no_agency() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let other = app.agency().await;
    let employer = app.employer(true).await;
    for session in [&agency.session, &employer.session] {
        let create =
            app.post_json("/api/v1/agencies", Some(session), &agency_body("VN-9", "z@agency.vn")).await;
        problem(create, 403, "forbidden").await;
        let path = format!("/api/v1/agencies/{}/licence/suspend", agency.agency_id);
        problem(app.post_json(&path, Some(session), &json!({"reason": "x"})).await, 403, "forbidden").await;
        problem(app.get("/api/v1/agencies", Some(session)).await, 403, "forbidden").await;
    }
    problem(
        app.post_json("/api/v1/agencies", None, &agency_body("VN-9", "z@agency.vn")).await,
        401,
        "not_authenticated",
    )
    .await;
    // Another agency's record, or an employer's look, answers 404.
    let path = format!("/api/v1/agencies/{}", agency.agency_id);
    problem(app.get(&path, Some(&other.session)).await, 404, "not_found").await;
    problem(app.get(&path, Some(&employer.session)).await, 404, "not_found").await;
}

#[actix_web::test]
async fn suspension_stops_an_agency_and_reinstatement_restores_it() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let agency = app.agency_valid(&regulator, -10, 100).await;
    let base = format!("/api/v1/agencies/{}/licence", agency.agency_id);
    let public = format!("/api/v1/public/licences/{}", agency.licence_number.to_lowercase());

    let no_reason = app.post_json(&format!("{base}/suspend"), Some(&regulator), &json!({})).await;
    assert_eq!(problem(no_reason, 422, "validation_failed").await["field"], "reason");

    let suspended = app
        .post_json(
            &format!("{base}/suspend"),
            Some(&regulator),
            &json!({"reason": "fees charged to workers"}),
        )
        .await;
    assert_eq!(suspended.status(), StatusCode::OK);
    let body: Value = suspended.json().await.unwrap();
    assert_eq!(
        (body["licence_state"].as_str(), body["licence_status"].as_str()),
        (Some("suspended"), Some("suspended"))
    );
    let status: Value = app.get(&public, None).await.json().await.unwrap();
    assert_eq!(status["status"], "suspended");
    let twice =
        app.post_json(&format!("{base}/suspend"), Some(&regulator), &json!({"reason": "again"})).await;
    problem(twice, 409, "conflict").await;

    let refused =
        app.post_json("/api/v1/workers", Some(&agency.session), &seasonlink_tests::worker("C1000001")).await;
    assert_eq!(problem(refused, 403, "licence_inactive").await["licence_status"], "suspended");

    // Reinstate takes an optional reason, or no body at all.
    let reinstated = app
        .client
        .post(app.url(&format!("{base}/reinstate")))
        .bearer_auth(&regulator.token)
        .send()
        .await
        .unwrap();
    assert_eq!(reinstated.status(), StatusCode::OK);
    let body: Value = reinstated.json().await.unwrap();
    assert_eq!(body["licence_status"], "active");
    let events: Vec<&str> =
        body["licence_events"].as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["created", "suspended", "reinstated"]);
    assert_eq!(body["licence_events"][1]["reason"], "fees charged to workers");
    assert_eq!(body["licence_events"][1]["by_user_id"], regulator.user_id);

    let ok =
        app.post_json("/api/v1/workers", Some(&agency.session), &seasonlink_tests::worker("C1000001")).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    let status: Value = app.get(&public, None).await.json().await.unwrap();
    assert_eq!(status["status"], "active");
}

#[actix_web::test]
async fn revocation_is_final() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let agency = app.agency_valid(&regulator, -10, 100).await;
    let base = format!("/api/v1/agencies/{}/licence", agency.agency_id);
    let revoked =
        app.post_json(&format!("{base}/revoke"), Some(&regulator), &json!({"reason": "smuggling"})).await;
    assert_eq!(revoked.status(), StatusCode::OK);
    for action in ["reinstate", "suspend", "revoke"] {
        let again =
            app.post_json(&format!("{base}/{action}"), Some(&regulator), &json!({"reason": "x"})).await;
        problem(again, 409, "conflict").await;
    }
    let refused =
        app.post_json("/api/v1/workers", Some(&agency.session), &seasonlink_tests::worker("C1000002")).await;
    problem(refused, 403, "licence_inactive").await;
    let status: Value = app
        .get(&format!("/api/v1/public/licences/{}", agency.licence_number), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "revoked");
    let unknown = app
        .post_json("/api/v1/agencies/nope/licence/revoke", Some(&regulator), &json!({"reason": "x"}))
        .await;
    problem(unknown, 404, "not_found").await;
}

#[actix_web::test]
async fn the_public_check_shows_the_licence_and_nothing_for_unknown_numbers() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let agency = app.agency_valid(&regulator, -10, 100).await;
    let response = app.get(&format!("/api/v1/public/licences/{}", agency.licence_number), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["agency_name"], "Lạng Sơn Labour Cooperation JSC");
    assert_eq!(body["country"], "VN");
    assert_eq!(body["status"], "active");
    assert_eq!(body["valid_until"], json!(app.today() + chrono::Duration::days(100)));
    assert!(body.get("id").is_none() && body.get("licence_events").is_none(), "{body}");

    // A near miss is simply unknown.
    let near = &agency.licence_number[..agency.licence_number.len() - 1];
    let err =
        problem(app.get(&format!("/api/v1/public/licences/{near}"), None).await, 404, "not_found").await;
    assert!(!err.to_string().contains(&agency.licence_number[..10]), "{err}");
    assert!(!err.to_string().contains("Lạng Sơn"), "{err}");
}

/// A server set to keep public answers (`server.public_answer_ms`) gives a licence check's
/// answer, and an unknown number's, again for that long without reading the database — what
/// the database says meanwhile shows once it has passed — and keeps nothing when set to 0.
#[actix_web::test]
async fn the_public_check_is_answered_from_memory_for_a_moment() {
    let db = seasonlink_tests::TestDb::create().await;
    let app = TestApp::spawn_with(db, |s| s.server.public_answer_ms = 1_500).await;
    let regulator = app.login_as_authority("VN").await;
    let agency = app.agency_valid(&regulator, -10, 100).await;
    let public = format!("/api/v1/public/licences/{}", agency.licence_number);
    let unknown = format!("/api/v1/public/licences/{}X", agency.licence_number);
    let status = |response: reqwest::Response| async move {
        let body: Value = response.json().await.unwrap();
        body["status"].as_str().unwrap().to_owned()
    };
    assert_eq!(status(app.get(&public, None).await).await, "active");
    problem(app.get(&unknown, None).await, 404, "not_found").await;

    // The rows change under it (as another server's decision would change them).
    let suspend =
        format!("UPDATE agencies SET licence_state = 'suspended' WHERE id = '{}'", agency.agency_id);
    diesel::RunQueryDsl::execute(diesel::sql_query(suspend), &mut app.db.connect()).unwrap();
    let rename = format!(
        "UPDATE agencies SET licence_number = '{}X' WHERE id = '{}'",
        agency.licence_number, agency.agency_id
    );
    diesel::RunQueryDsl::execute(diesel::sql_query(rename), &mut app.db.connect()).unwrap();
    // Asked again in any case: the same answers, from memory.
    assert_eq!(status(app.get(&public.to_lowercase(), None).await).await, "active");
    problem(app.get(&unknown, None).await, 404, "not_found").await;

    // Once the moment has passed, the database answers.
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1_600)).await;
    assert_eq!(status(app.get(&unknown, None).await).await, "suspended");
    problem(app.get(&public, None).await, 404, "not_found").await;
}

#[actix_web::test]
async fn an_expired_or_not_yet_valid_licence_stops_the_agency() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let future = app.agency_valid(&regulator, 5, 100).await;
    let ending = app.agency_valid(&regulator, -100, 3).await;

    // Not yet valid: shown as expired, and refused.
    let status: Value = app
        .get(&format!("/api/v1/public/licences/{}", future.licence_number), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "expired");
    let refused =
        app.post_json("/api/v1/workers", Some(&future.session), &seasonlink_tests::worker("C2000001")).await;
    problem(refused, 403, "licence_inactive").await;

    // Valid on its last day (inclusive), expired the day after.
    let ok =
        app.post_json("/api/v1/workers", Some(&ending.session), &seasonlink_tests::worker("C2000002")).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    let id = ok.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    app.state.clock.advance(chrono::Duration::days(3));
    let ending_session = app.session_for(&ending.session.email).await;
    let edit = app
        .patch_json(&format!("/api/v1/workers/{id}"), Some(&ending_session), &json!({"seasons_worked": 3}))
        .await;
    assert_eq!(edit.status(), StatusCode::OK, "last day of the licence");
    app.state.clock.advance(chrono::Duration::days(1));
    let ending_session = app.session_for(&ending.session.email).await;
    let edit = app
        .patch_json(&format!("/api/v1/workers/{id}"), Some(&ending_session), &json!({"seasons_worked": 4}))
        .await;
    assert_eq!(problem(edit, 403, "licence_inactive").await["licence_status"], "expired");
    let status: Value = app
        .get(&format!("/api/v1/public/licences/{}", ending.licence_number), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "expired");
    // Reading its own workers stays possible.
    let mine = app.list_workers(&ending_session).await;
    assert_eq!(mine[0]["seasons_worked"], 3);

    // One more day and the future licence starts (its first day is inclusive too).
    app.state.clock.advance(chrono::Duration::days(1));
    let future_session = app.session_for(&future.session.email).await;
    let ok =
        app.post_json("/api/v1/workers", Some(&future_session), &seasonlink_tests::worker("C2000001")).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
}

#[actix_web::test]
async fn openapi_describes_agencies_workers_and_the_import_columns() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    for path in [
        "/api/v1/agencies",
        "/api/v1/agencies/{id}",
        "/api/v1/agencies/{id}/licence/suspend",
        "/api/v1/agencies/{id}/licence/reinstate",
        "/api/v1/agencies/{id}/licence/revoke",
        "/api/v1/public/licences/{licence_number}",
        "/api/v1/workers",
        "/api/v1/workers/import",
        "/api/v1/workers/me",
        "/api/v1/workers/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    let import = doc["paths"]["/api/v1/workers/import"]["post"].to_string();
    for column in
        ["full_name", "id_document_number", "home_province_code", "available_until", "seasons_worked"]
    {
        assert!(import.contains(column), "{column} undocumented");
    }
}

#[actix_web::test]
async fn a_malformed_reinstatement_is_refused_not_taken_as_empty() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let agency = app.agency().await;
    let base = format!("/api/v1/agencies/{}/licence", agency.agency_id);
    let suspended =
        app.post_json(&format!("{base}/suspend"), Some(&regulator), &json!({"reason": "fees"})).await;
    assert_eq!(suspended.status(), StatusCode::OK);
    let typo =
        app.post_json(&format!("{base}/reinstate"), Some(&regulator), &json!({"reasn": "cleared"})).await;
    problem(typo, 400, "malformed_body").await;
    let public: serde_json::Value = app
        .get(&format!("/api/v1/public/licences/{}", agency.licence_number), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["status"], "suspended", "nothing changed");
    let empty = app
        .client
        .post(app.url(&format!("{base}/reinstate")))
        .bearer_auth(&regulator.token)
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::OK, "no body at all is a reinstatement without a reason");
}

/// The licence rules live in the service: called without HTTP, the wrong actor is refused and
/// another agency's record is not found.
#[actix_web::test]
async fn the_agency_service_refuses_the_wrong_actor_without_http() {
    use seasonlink::actor::Actor;
    use seasonlink::domain::licence::LicenceAction;
    use seasonlink::error::ErrorCode;
    use seasonlink::services::agencies::{self, AgencyInput, LicenceDecision};

    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let actor =
        |role, org: Option<&str>| Actor { user_id: "someone".into(), role, org_id: org.map(Into::into) };
    let employer = actor(Role::Employer, Some("employer"));
    let input: AgencyInput = serde_json::from_value(agency_body("VN-CB-0009", "cb9@agency.vn")).unwrap();
    let refused = agencies::create(&app.state, &employer, input).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    let own = actor(Role::Agency, Some(&agency.agency_id));
    let suspend = LicenceDecision { reason: Some("self-suspension".into()) };
    let refused = agencies::decide(
        &app.state,
        &own,
        &agency.agency_id.as_str().into(),
        LicenceAction::Suspend,
        suspend,
    )
    .await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::Forbidden);
    assert!(
        agencies::find(&app.state, &own, &agency.agency_id.as_str().into()).await.is_ok(),
        "an agency reads itself"
    );
    let other = actor(Role::Agency, Some("another-agency"));
    let hidden = agencies::find(&app.state, &other, &agency.agency_id.as_str().into()).await.unwrap_err();
    assert_eq!(hidden.code, ErrorCode::NotFound);
    assert_eq!(
        agencies::list(&app.state, &own, Default::default()).await.unwrap_err().code,
        ErrorCode::Forbidden
    );
    let regulator = actor(Role::Regulator, None);
    let all = agencies::list(&app.state, &regulator, Default::default()).await.unwrap().items;
    assert_eq!(all.len(), 1, "nothing was written by the refused calls");
}

/// A licence's last day is a day in China: at half past midnight in Chongzuo (16:30 UTC, still
/// the licence's last day by UTC's calendar) a licence that ended the day before no longer
/// lets its agency act, and the public check says it expired.
#[actix_web::test]
async fn a_licence_ends_with_its_last_day_in_china() {
    let app = TestApp::spawn().await;
    let vn = app.login_as_authority("VN").await;
    let mut agency = app.agency_valid(&vn, -30, 0).await;
    let register = |session: Session, document: &'static str| {
        let app = &app;
        async move { app.post_json("/api/v1/workers", Some(&session), &seasonlink_tests::worker(document)).await }
    };
    assert_eq!(register(agency.session.clone(), "001090000011").await.status(), StatusCode::CREATED);

    app.state.clock.advance(chrono::Duration::minutes(12 * 60 + 30));
    assert_eq!(app.state.clock.now().date_naive(), day(0), "still the licence's last day in UTC");
    assert_eq!(app.state.clock.today(), day(1));
    agency.session = app.session_for(&agency.session.email).await;
    problem(register(agency.session.clone(), "001090000012").await, 403, "licence_inactive").await;
    let path = format!("/api/v1/public/licences/{}", agency.licence_number);
    let public: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(public["status"], "expired", "{public}");
}
