//! The worker's own account: codes that reach only the worker, credentials only it knows,
//! consent that records how it signed in, a contract hash that reveals nothing, an identity
//! frozen while it matters, and limits on guessing and probing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::config::MailTransport;
use seasonlink::domain::account::Role;
use seasonlink::domain::contract::Terms;
use seasonlink::services::events::Dispatcher;
use seasonlink_tests::smtp::SmtpSink;
use seasonlink_tests::{AgencySession, PASSWORD, Session, TestApp, TestDb, drain, problem, vacancy, worker};

/// A vacancy open in Ningming and an agency; returns the vacancy id.
async fn scheme(app: &TestApp) -> (Session, AgencySession, String, seasonlink_tests::EmployerSession) {
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1800)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let vacancy_id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    (regulator, agency, vacancy_id, employer)
}

/// An agency registers a worker with `changes` on the usual fields; returns its id.
async fn register(app: &TestApp, agency: &AgencySession, document: &str, changes: Value) -> String {
    let mut body = worker(document);
    for (key, value) in changes.as_object().unwrap() {
        body[key] = value.clone();
    }
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn offer(app: &TestApp, agency: &AgencySession, vacancy_id: &str, worker_id: &str) -> Value {
    let body = json!({"vacancy_id": vacancy_id, "worker_id": worker_id});
    let response = app.post_json("/api/v1/placements", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json().await.unwrap()
}

async fn activation(app: &TestApp, session: &Session, worker_id: &str, body: Value) -> reqwest::Response {
    app.post_json(&format!("/api/v1/workers/{worker_id}/activation"), Some(session), &body).await
}

async fn redeem(app: &TestApp, path: &str, sign_in: &str, code: &str, password: &str) -> reqwest::Response {
    let body = json!({"email_or_phone": sign_in, "code": code, "password": password});
    app.post_json(path, None, &body).await
}

/// A regulator hands the worker a code in person; returns the code.
async fn in_person(app: &TestApp, regulator: &Session, worker_id: &str, document: &str) -> String {
    let body = json!({"in_person": true, "id_document_number": document});
    let response = activation(app, regulator, worker_id, body).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED, "{:?}", response.text().await);
    response.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_owned()
}

/// The 8-digit code in a message's text.
fn code_in(text: &str) -> String {
    let digits: Vec<char> = text.chars().collect();
    digits
        .windows(8)
        .map(|w| w.iter().collect::<String>())
        .find(|w| w.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in {text}"))
}

#[actix_web::test]
async fn the_code_reaches_the_workers_own_mailbox_and_only_the_worker_sets_its_password() {
    let Some(smtp) = SmtpSink::start().await else { return };
    let app = TestApp::spawn_with(TestDb::create().await, |s| {
        s.mail.transport = MailTransport::Smtp;
        s.mail.smtp_host = "127.0.0.1".into();
        s.mail.smtp_port = smtp.port;
    })
    .await;
    let (regulator, agency, _, _) = scheme(&app).await;
    let id =
        register(&app, &agency, "C2000001", json!({"email": "hoa@mail.example", "password": PASSWORD})).await;

    let response = activation(&app, &agency.session, &id, json!({})).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let sent: Value = response.json().await.unwrap();
    assert_eq!(sent["channel"], "email");
    assert_eq!(sent["sign_in"], "h…@mail.example");
    assert!(sent.get("code").is_none(), "never to the agency: {sent}");
    // Stored hashed; the notice regulators read holds a placeholder.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM account_codes WHERE code_hash LIKE '$argon2id$%'").await,
        1
    );
    let notices: Value = app.get("/api/v1/notices", Some(&regulator)).await.json().await.unwrap();
    let body = notices[0]["body"].as_str().unwrap();
    assert!(body.contains("••••••••"), "{body}");
    let digits: Vec<bool> = body.chars().map(|c| c.is_ascii_digit()).collect();
    assert!(!digits.windows(8).any(|w| w.iter().all(|d| *d)), "no code stored: {body}");

    drain(&Dispatcher::new(app.state.clone()).unwrap()).await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["to"], json!(["hoa@mail.example"]));
    assert_eq!(messages[0]["content_language"], "vi");
    let code = code_in(messages[0]["text"].as_str().unwrap());

    // Bad input: a wrong code, a short or common password; nothing is written.
    let wrong = if code == "00000000" { "11111111" } else { "00000000" };
    problem(
        redeem(&app, "/api/v1/auth/activate", "hoa@mail.example", wrong, PASSWORD).await,
        401,
        "invalid_code",
    )
    .await;
    for (password, why) in [("short", "too short"), ("1234567890", "common"), ("Password123", "common")] {
        let err = problem(
            redeem(&app, "/api/v1/auth/activate", "hoa@mail.example", &code, password).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(err["field"], "password", "{why}");
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM users WHERE role = 'worker'").await, 0);

    let response =
        redeem(&app, "/api/v1/auth/activate", "HOA@mail.example", &code, "mía ngọt Ninh Minh").await;
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "worker");
    assert_eq!(body["user"]["org_id"], id);
    let me = app.login("hoa@mail.example", "mía ngọt Ninh Minh").await;
    assert_eq!(me.status(), StatusCode::OK);
    // Used: the same answer as a wrong code. Activated: no new code.
    problem(
        redeem(&app, "/api/v1/auth/activate", "hoa@mail.example", &code, PASSWORD).await,
        401,
        "invalid_code",
    )
    .await;
    problem(activation(&app, &agency.session, &id, json!({})).await, 409, "conflict").await;

    // A forgotten password: the reset code goes to the same mailbox; unknown addresses
    // answer alike.
    for address in ["hoa@mail.example", "nobody@mail.example"] {
        let response = app.post_json("/api/v1/auth/reset", None, &json!({"email_or_phone": address})).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    drain(&Dispatcher::new(app.state.clone()).unwrap()).await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 2, "only the known address gets one: {messages:?}");
    let reset = code_in(messages[1]["text"].as_str().unwrap());
    let response =
        redeem(&app, "/api/v1/auth/reset/confirm", "hoa@mail.example", &reset, "đường về Lạng Sơn").await;
    assert_eq!(response.status(), StatusCode::OK);
    problem(app.login("hoa@mail.example", "mía ngọt Ninh Minh").await, 401, "invalid_credentials").await;
    assert_eq!(app.login("hoa@mail.example", "đường về Lạng Sơn").await.status(), StatusCode::OK);
    let actions = app
        .count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('worker.registered', \
        'worker.activation_code', 'worker.activated', 'account.reset_requested', 'account.password_reset')",
        )
        .await;
    assert_eq!(actions, 5);
}

#[actix_web::test]
async fn an_officer_hands_a_code_over_in_person_after_checking_the_document() {
    let app = TestApp::spawn().await;
    let (regulator, agency, _, employer) = scheme(&app).await;
    let id = register(&app, &agency, "C2000002", json!({"phone": "0912 345 678"})).await;

    // Only an officer hands over in person, only for the document it checked; others do not
    // find the worker.
    let by_hand = json!({"in_person": true, "id_document_number": "C2000002"});
    problem(activation(&app, &agency.session, &id, by_hand).await, 403, "forbidden").await;
    let wrong = json!({"in_person": true, "id_document_number": "C2000003"});
    let err = problem(activation(&app, &regulator, &id, wrong).await, 422, "validation_failed").await;
    assert_eq!(err["field"], "id_document_number");
    let other = app.agency().await;
    problem(activation(&app, &other.session, &id, json!({})).await, 404, "not_found").await;
    problem(activation(&app, &employer.session, &id, json!({})).await, 404, "not_found").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM account_codes").await, 0, "nothing written");

    // A newer code replaces the older; the worker signs in with its phone.
    let first = in_person_code(&app, &regulator, &id).await;
    let second = in_person_code(&app, &regulator, &id).await;
    problem(
        redeem(&app, "/api/v1/auth/activate", "+84 912 345 678", &first, PASSWORD).await,
        401,
        "invalid_code",
    )
    .await;
    let response = redeem(&app, "/api/v1/auth/activate", "+84912345678", &second, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    assert_eq!(app.login("0912345678", PASSWORD).await.status(), StatusCode::OK);

    // A worker with neither e-mail nor phone cannot be sent a code.
    let unreachable = register(&app, &agency, "C2000005", json!({"phone": null, "email": null})).await;
    let err =
        problem(activation(&app, &agency.session, &unreachable, json!({})).await, 422, "validation_failed")
            .await;
    assert_eq!(err["field"], "phone");

    // A code expires, and one tried too often ends even for its right value.
    let late = register(&app, &agency, "C2000004", json!({"email": "late@mail.example"})).await;
    let code = in_person(&app, &regulator, &late, "C2000004").await;
    let ttl = app.state.settings.accounts.activation_code_ttl_hours;
    app.state.clock.advance(chrono::Duration::hours(ttl + 1));
    let regulator = app.login_as(Role::Regulator).await;
    problem(
        redeem(&app, "/api/v1/auth/activate", "late@mail.example", &code, PASSWORD).await,
        401,
        "invalid_code",
    )
    .await;
    let code = in_person(&app, &regulator, &late, "C2000004").await;
    let wrong = if code == "00000000" { "11111111" } else { "00000000" };
    for _ in 0..app.state.settings.accounts.code_max_attempts {
        problem(
            redeem(&app, "/api/v1/auth/activate", "late@mail.example", wrong, PASSWORD).await,
            401,
            "invalid_code",
        )
        .await;
    }
    problem(
        redeem(&app, "/api/v1/auth/activate", "late@mail.example", &code, PASSWORD).await,
        401,
        "invalid_code",
    )
    .await;
}

async fn in_person_code(app: &TestApp, regulator: &Session, worker_id: &str) -> String {
    in_person(app, regulator, worker_id, "C2000002").await
}

#[actix_web::test]
async fn guessing_codes_is_limited_per_address_and_per_client() {
    let app = TestApp::spawn_with(TestDb::create().await, |s| {
        s.limits.code_tries_per_address_hourly = 3;
        s.limits.code_tries_per_client_hourly = 5;
    })
    .await;
    for _ in 0..3 {
        problem(
            redeem(&app, "/api/v1/auth/activate", "a@mail.example", "12345678", PASSWORD).await,
            401,
            "invalid_code",
        )
        .await;
    }
    let limited = redeem(&app, "/api/v1/auth/activate", "a@mail.example", "12345678", PASSWORD).await;
    let retry: i64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    let body = problem(limited, 429, "rate_limited").await;
    assert_eq!(body["retry_after_seconds"], retry);
    // Another address, the same client: one more try, then the client's limit.
    problem(
        redeem(&app, "/api/v1/auth/activate", "b@mail.example", "12345678", PASSWORD).await,
        401,
        "invalid_code",
    )
    .await;
    problem(
        redeem(&app, "/api/v1/auth/reset/confirm", "c@mail.example", "12345678", PASSWORD).await,
        429,
        "rate_limited",
    )
    .await;
    // The window passes; spent counters are pruned after two days.
    app.state.clock.advance(chrono::Duration::hours(1));
    assert!(app.count("SELECT COUNT(*) AS n FROM rate_limits").await > 0);
    problem(
        redeem(&app, "/api/v1/auth/activate", "a@mail.example", "12345678", PASSWORD).await,
        401,
        "invalid_code",
    )
    .await;
    app.state.clock.advance(chrono::Duration::days(2) + chrono::Duration::hours(1));
    assert!(seasonlink::services::limits::prune(&app.state).await.unwrap() > 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM rate_limits").await, 0);
}

#[actix_web::test]
async fn an_account_the_agency_made_accepts_nothing_until_the_worker_activates_it() {
    let app = TestApp::spawn().await;
    let (regulator, agency, vacancy_id, _) = scheme(&app).await;
    let id = register(&app, &agency, "C2000010", json!({"email": "lan@mail.example"})).await;
    // An account as the agency made it before: its password, never activated.
    app.execute(&format!(
        "INSERT INTO users (id, email, password_hash, role, org_id, created_at) \
         SELECT 'legacy-lan', 'lan@mail.example', password_hash, 'worker', '{id}', created_at FROM users \
         WHERE email = '{}'",
        agency.session.email
    ))
    .await;
    let placement = offer(&app, &agency, &vacancy_id, &id).await;
    let accept = json!({"version": 1, "sha256": placement["contract"]["sha256"], "lang": "vi"});
    let path = format!("/api/v1/placements/{}/accept", placement["id"].as_str().unwrap());
    let as_agency = app.session_for("lan@mail.example").await;
    problem(app.post_json(&path, Some(&as_agency), &accept).await, 403, "account_not_activated").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM contract_acceptances").await, 0);

    // The worker activates: the agency's session and password end.
    let code = in_person(&app, &regulator, &id, "C2000010").await;
    let response = redeem(&app, "/api/v1/auth/activate", "lan@mail.example", &code, "hoa ban nở trắng").await;
    assert_eq!(response.status(), StatusCode::OK);
    let token = response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    problem(app.get("/api/v1/me", Some(&as_agency)).await, 401, "token_revoked").await;
    problem(app.login("lan@mail.example", PASSWORD).await, 401, "invalid_credentials").await;
    let worker = Session { token, user_id: "legacy-lan".into(), email: "lan@mail.example".into() };
    let accepted = app.post_json(&path, Some(&worker), &accept).await;
    assert_eq!(accepted.status(), StatusCode::OK, "{:?}", accepted.text().await);

    // The regulator sees how the worker proved it was itself; the employer does not.
    let shown: Value = app.get(&path.replace("/accept", ""), Some(&regulator)).await.json().await.unwrap();
    let acceptance = &shown["acceptance"];
    assert_eq!(acceptance["auth_method"], "activation", "{shown}");
    assert_eq!(acceptance["language"], "vi");
    assert_eq!(acceptance["sha256"], placement["contract"]["sha256"]);
    assert!(acceptance["authenticated_at"].as_str().unwrap().ends_with('Z'));
    let own: Value = app.get(&path.replace("/accept", ""), Some(&worker)).await.json().await.unwrap();
    assert_eq!(own["acceptance"]["auth_method"], "activation");
    let agencys: Value =
        app.get(&path.replace("/accept", ""), Some(&agency.session)).await.json().await.unwrap();
    assert!(agencys.get("acceptance").is_none(), "{agencys}");
    // The regulator's page says it in words.
    let page_path = format!("/placements/{}", placement["id"].as_str().unwrap());
    let ui = app.ui_login(&regulator.email).await;
    let html = app.ui_get(&page_path, &ui).await.text().await.unwrap();
    assert!(
        html.contains("id=\"consent-record\"") && html.contains("its activation code and its own password"),
        "{html}"
    );
    let agency_ui = app.ui_login(&agency.session.email).await;
    assert!(!app.ui_get(&page_path, &agency_ui).await.text().await.unwrap().contains("consent-record"));
}

#[actix_web::test]
async fn no_worker_action_takes_an_agencys_token_or_another_workers() {
    let app = TestApp::spawn().await;
    let (_, agency, vacancy_id, _) = scheme(&app).await;
    let id = register(&app, &agency, "C2000020", json!({"email": "an@mail.example"})).await;
    let other = register(&app, &agency, "C2000021", json!({"email": "binh@mail.example"})).await;
    let worker = app.activate_worker(&id).await;
    let other_worker = app.activate_worker(&other).await;
    let placement = offer(&app, &agency, &vacancy_id, &id).await;
    let pid = placement["id"].as_str().unwrap();
    let accept = json!({"version": 1, "sha256": placement["contract"]["sha256"], "lang": "vi"});
    let fee = json!({"agency_id": agency.agency_id, "amount_fen": 50_000, "paid_on": app.today().to_string(),
                     "description": "phí môi giới"});

    let accept_path = format!("/api/v1/placements/{pid}/accept");
    let decline_path = format!("/api/v1/placements/{pid}/decline");
    // The agency, whose worker it is: refused, and its try at consent is audited.
    problem(app.post_json(&accept_path, Some(&agency.session), &accept).await, 403, "forbidden").await;
    problem(app.post_json(&decline_path, Some(&agency.session), &json!({})).await, 403, "forbidden").await;
    problem(app.get("/api/v1/workers/me", Some(&agency.session)).await, 403, "forbidden").await;
    problem(app.post_json("/api/v1/fee-reports", Some(&agency.session), &fee).await, 403, "forbidden").await;
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'placement.accept_refused'").await,
        1
    );
    // Another worker does not find the placement at all.
    problem(app.post_json(&accept_path, Some(&other_worker), &accept).await, 404, "not_found").await;
    problem(app.post_json(&decline_path, Some(&other_worker), &json!({})).await, 404, "not_found").await;
    problem(
        app.get(&format!("/api/v1/placements/{pid}/contract"), Some(&other_worker)).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM contract_acceptances").await, 0);
    // The worker itself.
    assert_eq!(app.post_json(&accept_path, Some(&worker), &accept).await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn a_password_is_changed_by_who_knows_it_and_ends_the_other_sessions() {
    let app = TestApp::spawn().await;
    let (_, agency, _, _) = scheme(&app).await;
    let id = register(&app, &agency, "C2000030", json!({"email": "cuc@mail.example"})).await;
    let first = app.activate_worker(&id).await;
    let second = app.session_for("cuc@mail.example").await;
    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let err = problem(
        app.post_json("/api/v1/auth/password", Some(&second), &change("wrong one!", "mây trắng bay")).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["field"], "current_password");
    let err = problem(
        app.post_json("/api/v1/auth/password", Some(&second), &change(PASSWORD, "qwertyuiop")).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["field"], "new_password");
    let response =
        app.post_json("/api/v1/auth/password", Some(&second), &change(PASSWORD, "mây trắng bay")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    problem(app.get("/api/v1/me", Some(&first)).await, 401, "token_revoked").await;
    assert_eq!(app.get("/api/v1/me", Some(&second)).await.status(), StatusCode::OK);
    assert_eq!(app.login("cuc@mail.example", "mây trắng bay").await.status(), StatusCode::OK);
    problem(
        app.post_json("/api/v1/auth/password", None, &change(PASSWORD, "x")).await,
        401,
        "not_authenticated",
    )
    .await;
}

#[actix_web::test]
async fn the_employers_view_before_acceptance_cannot_be_matched_against_a_guessed_name() {
    let app = TestApp::spawn().await;
    let (regulator, agency, vacancy_id, employer) = scheme(&app).await;
    let id = register(&app, &agency, "C2000040", json!({"email": "dao@mail.example"})).await;
    let worker = app.activate_worker(&id).await;
    let placement = offer(&app, &agency, &vacancy_id, &id).await;
    let contract = |session: &Session| {
        let path = format!("/api/v1/placements/{}/contract?lang=vi", placement["id"].as_str().unwrap());
        let app = &app;
        let session = session.clone();
        async move { app.get(&path, Some(&session)).await.json::<Value>().await.unwrap() }
    };
    let seen = contract(&employer.session).await;
    let sha256 = seen["sha256"].as_str().unwrap().to_owned();
    assert!(seen["terms"].is_null(), "{seen}");
    assert!(!seen["html"].as_str().unwrap().contains("class=\"salt\""));

    // Everything the employer could guess, the true name and birth date included, does not
    // give the hash without the salt.
    let full: Value = contract(&regulator).await;
    let mut guess: Terms = serde_json::from_value(full["terms"].clone()).unwrap();
    let salt = guess.salt.take().expect("a new contract is salted");
    assert_eq!(guess.worker.full_name, "Nguyễn Thị Hoa");
    assert_ne!(guess.sha256(), sha256);
    // Whoever holds the full contract, salt included, recomputes it.
    guess.salt = Some(salt.clone());
    assert_eq!(guess.sha256(), sha256);
    let own = contract(&worker).await;
    assert_eq!(own["terms"]["salt"], salt);
    assert!(own["html"].as_str().unwrap().contains(&salt));

    // Once the worker accepted, the employer holds the contract, salt and all.
    let accept = json!({"version": 1, "sha256": sha256, "lang": "vi"});
    let path = format!("/api/v1/placements/{}/accept", placement["id"].as_str().unwrap());
    assert_eq!(app.post_json(&path, Some(&worker), &accept).await.status(), StatusCode::OK);
    assert_eq!(contract(&employer.session).await["terms"]["salt"], salt);
}

#[actix_web::test]
async fn an_old_contract_without_salt_keeps_verifying() {
    let app = TestApp::spawn().await;
    let (regulator, agency, vacancy_id, _) = scheme(&app).await;
    let id = register(&app, &agency, "C2000045", json!({"email": "old@mail.example"})).await;
    let placement = offer(&app, &agency, &vacancy_id, &id).await;
    let pid = placement["id"].as_str().unwrap();
    // The contract as stored before salts: its terms without one, and their plain hash.
    let path = format!("/api/v1/placements/{pid}/contract");
    let full: Value = app.get(&path, Some(&regulator)).await.json().await.unwrap();
    let mut terms: Terms = serde_json::from_value(full["terms"].clone()).unwrap();
    terms.salt = None;
    let (canonical, sha256) = (terms.canonical(), terms.sha256());
    app.execute(&format!(
        "UPDATE contracts SET terms = '{}', sha256 = '{sha256}' WHERE placement_id = '{pid}'",
        canonical.replace('\'', "''")
    ))
    .await;
    let shown: Value = app.get(&path, Some(&regulator)).await.json().await.unwrap();
    let back: Terms = serde_json::from_value(shown["terms"].clone()).unwrap();
    assert!(shown["terms"].get("salt").is_none());
    assert_eq!(back.sha256(), shown["sha256"].as_str().unwrap());
}

#[actix_web::test]
async fn identity_is_frozen_while_placed_and_a_regulator_correction_reissues_the_permit() {
    let app = TestApp::spawn().await;
    let (regulator, agency, vacancy_id, _) = scheme(&app).await;
    let id = register(&app, &agency, "C2000050", json!({"email": "hoa50@mail.example"})).await;
    let worker = app.activate_worker(&id).await;
    let placement = offer(&app, &agency, &vacancy_id, &id).await;
    let pid = placement["id"].as_str().unwrap();
    let record = format!("/api/v1/workers/{id}");

    // The agency edits contact details, not who the worker is.
    let err = problem(
        app.patch_json(&record, Some(&agency.session), &json!({"full_name": "Trần Thị Mai"})).await,
        409,
        "identity_frozen",
    )
    .await;
    assert_eq!(err["fields"], json!(["full_name"]));
    problem(
        app.patch_json(&record, Some(&agency.session), &json!({"id_document_number": "C2000059"})).await,
        409,
        "identity_frozen",
    )
    .await;
    let edited = app.patch_json(&record, Some(&agency.session), &json!({"phone": "+84 20 3871 000"})).await;
    assert_eq!(edited.status(), StatusCode::OK);
    let shown: Value = app.get(&record, Some(&regulator)).await.json().await.unwrap();
    assert_eq!(shown["full_name"], "Nguyễn Thị Hoa");

    // Accepted and permitted.
    let accept = json!({"version": 1, "sha256": placement["contract"]["sha256"], "lang": "vi"});
    app.post_json(&format!("/api/v1/placements/{pid}/accept"), Some(&worker), &accept).await;
    app.verify_insurance(&regulator, pid).await;
    let permit: Value = app
        .post_json(&format!("/api/v1/placements/{pid}/permit"), Some(&regulator), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let check = |number: &str, code: &str| format!("/api/v1/public/permits/{number}?code={code}");
    let (number, code) = (permit["permit_number"].as_str().unwrap(), permit["check_code"].as_str().unwrap());
    // The public check shows the holder as at issue, whatever the live row says.
    app.execute(&format!("UPDATE workers SET full_name = 'Lò Văn Páo' WHERE id = '{id}'")).await;
    let public: Value = app.get(&check(number, code), None).await.json().await.unwrap();
    assert_eq!(public["holder_initials"], "N.T.H.");
    app.execute(&format!("UPDATE workers SET full_name = 'Nguyễn Thị Hoa' WHERE id = '{id}'")).await;

    // The correction: regulators only, with a reason; the permit is issued again.
    let correction =
        json!({"full_name": "Nguyễn Thị Hòa Bình", "reason": "passport seen: the name has two given names"});
    let path = format!("{record}/identity");
    problem(app.post_json(&path, Some(&agency.session), &correction).await, 403, "forbidden").await;
    let err = problem(
        app.post_json(&path, Some(&regulator), &json!({"full_name": "X Y", "reason": " "})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["field"], "reason");
    let response = app.post_json(&path, Some(&regulator), &correction).await;
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    let corrected: Value = response.json().await.unwrap();
    assert_eq!(corrected["fields"], json!(["full_name"]));
    let new = &corrected["reissued_permits"][0];
    assert_ne!(new["permit_number"], permit["permit_number"]);
    assert_eq!(new["valid_until"], permit["valid_until"]);
    let old: Value = app.get(&check(number, code), None).await.json().await.unwrap();
    assert_eq!(old["status"], "revoked");
    let fresh: Value = app
        .get(&check(new["permit_number"].as_str().unwrap(), new["check_code"].as_str().unwrap()), None)
        .await
        .json()
        .await
        .unwrap();
    // Valid from the season's start, as the permit it replaces.
    assert_eq!(fresh["status"], public["status"]);
    assert_eq!(fresh["holder_initials"], "N.T.H.B.");
    // Every worker write is in the audit chain, with who did it.
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE subject_kind = 'worker' AND subject_id = '{id}' \
             AND actor_user_id IS NOT NULL AND action IN ('worker.registered', 'worker.edited', \
             'worker.activation_code', 'worker.activated', 'worker.identity_corrected')"
        ))
        .await;
    assert_eq!(audited, 5);
}

#[actix_web::test]
async fn probing_document_numbers_is_limited_per_agency() {
    let app = TestApp::spawn_with(TestDb::create().await, |s| {
        s.limits.registry_conflicts_per_agency_daily = 2;
        s.limits.worker_writes_per_agency_hourly = 9;
    })
    .await;
    let (_, agency, _, _) = scheme(&app).await;
    let holder = app.agency().await;
    for document in ["C2000060", "C2000062", "C2000063"] {
        register(&app, &holder, document, json!({})).await;
    }
    let prober = app.agency().await;
    // A file that would tell more than the day's allowance tells nothing.
    let mut csv = seasonlink_tests::WORKER_CSV_HEADER.as_bytes().to_vec();
    for document in ["C2000060", "C2000062", "C2000063"] {
        csv.extend(seasonlink_tests::worker_csv_row("Trần Bình", document).bytes());
    }
    let err = problem(
        app.post_csv("/api/v1/workers/import", Some(&prober.session), csv).await,
        429,
        "rate_limited",
    )
    .await;
    assert!(!err.to_string().contains("already_registered"), "{err}");
    for _ in 0..2 {
        problem(
            app.post_json("/api/v1/workers", Some(&prober.session), &worker("C2000060")).await,
            409,
            "worker_already_registered",
        )
        .await;
    }
    // The allowance is spent: the registry answers no more, for a single worker or a file.
    problem(
        app.post_json("/api/v1/workers", Some(&prober.session), &worker("C2000060")).await,
        429,
        "rate_limited",
    )
    .await;
    let mut csv = seasonlink_tests::WORKER_CSV_HEADER.as_bytes().to_vec();
    csv.extend(seasonlink_tests::worker_csv_row("Trần Bình", "C2000060").bytes());
    problem(app.post_csv("/api/v1/workers/import", Some(&prober.session), csv).await, 429, "rate_limited")
        .await;
    // A number nobody holds still registers; another agency is not touched.
    register(&app, &prober, "C2000061", json!({})).await;
    problem(
        app.post_json("/api/v1/workers", Some(&agency.session), &worker("C2000060")).await,
        409,
        "worker_already_registered",
    )
    .await;
    // Writes to the registry are limited per agency too.
    for i in 0..3 {
        register(&app, &prober, &format!("C200007{i}"), json!({})).await;
    }
    problem(
        app.post_json("/api/v1/workers", Some(&prober.session), &worker("C2000079")).await,
        429,
        "rate_limited",
    )
    .await;
}

#[actix_web::test]
async fn tries_at_the_same_moment_are_all_counted_and_none_fails_on_the_counter() {
    let app =
        TestApp::spawn_with(TestDb::create().await, |s| s.limits.code_tries_per_address_hourly = 6).await;
    let tries =
        (0..8).map(|_| redeem(&app, "/api/v1/auth/activate", "same@mail.example", "12345678", PASSWORD));
    let mut answers: Vec<u16> =
        futures::future::join_all(tries).await.iter().map(|r| r.status().as_u16()).collect();
    answers.sort_unstable();
    // Six counted within the limit, two over it: every try counted once, no conflict.
    assert_eq!(answers, [401, 401, 401, 401, 401, 401, 429, 429]);
}
