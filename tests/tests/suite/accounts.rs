//! Logging in and out, the caller's account, tokens, and role guards.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::auth::token::{Claims, TokenKeys};
use seasonlink::domain::account::Role;
use seasonlink_tests::{PASSWORD, Session, TestApp, problem};

#[actix_web::test]
async fn login_answers_a_token_that_opens_me() {
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Agency, Some("org-1")).await;
    let response = app.login(&email.to_uppercase(), PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["user"]["role"], "agency");
    assert_eq!(body["user"]["org_id"], "org-1");
    assert!(body["expires_at"].as_str().unwrap().ends_with('Z'), "UTC: {body}");
    let session = Session {
        token: body["token"].as_str().unwrap().into(),
        user_id: body["user"]["id"].as_str().unwrap().into(),
        email: email.clone(),
    };
    let me: Value = app.get("/api/v1/me", Some(&session)).await.json().await.unwrap();
    assert_eq!(
        me,
        json!({"id": session.user_id, "email": email, "role": "agency", "org_id": "org-1", "activated": true})
    );
}

#[actix_web::test]
async fn wrong_password_and_unknown_user_answer_alike() {
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Worker, None).await;
    let wrong = problem(app.login(&email, "not the password").await, 401, "invalid_credentials").await;
    let unknown =
        problem(app.login("nobody@test.seasonlink.vn", PASSWORD).await, 401, "invalid_credentials").await;
    assert_eq!(wrong, unknown, "the answer does not tell which accounts exist");
}

#[actix_web::test]
async fn a_missing_or_foreign_scheme_is_not_authenticated() {
    let app = TestApp::spawn().await;
    problem(app.get("/api/v1/me", None).await, 401, "not_authenticated").await;
    let basic =
        app.client.get(app.url("/api/v1/me")).header("authorization", "Basic YTpi").send().await.unwrap();
    problem(basic, 401, "not_authenticated").await;
}

#[actix_web::test]
async fn tampered_and_foreign_tokens_are_invalid() {
    let app = TestApp::spawn().await;
    let session = app.login_as(Role::Employer).await;
    let (head, rest) = session.token.split_once('.').unwrap();
    let (payload, signature) = rest.split_once('.').unwrap();
    // Change the payload (role) but keep the signature.
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: Value = serde_json::from_slice(&engine.decode(payload).unwrap()).unwrap();
    claims["role"] = json!("regulator");
    let forged = format!("{head}.{}.{signature}", engine.encode(claims.to_string()));
    let tampered = Session { token: forged, ..session.clone() };
    problem(app.get("/api/v1/me", Some(&tampered)).await, 401, "token_invalid").await;

    // Well-formed, but signed with another key.
    let claims: Claims = serde_json::from_value(claims).unwrap();
    let other = TokenKeys::new(b"another key").issue(&claims).unwrap();
    let foreign = Session { token: other, ..session.clone() };
    problem(app.get("/api/v1/me", Some(&foreign)).await, 401, "token_invalid").await;

    let garbage = Session { token: "not.a.jwt".into(), ..session };
    problem(app.get("/api/v1/me", Some(&garbage)).await, 401, "token_invalid").await;
}

#[actix_web::test]
async fn tokens_expire() {
    let app = TestApp::spawn().await;
    let session = app.login_as(Role::Worker).await;
    assert_eq!(app.get("/api/v1/me", Some(&session)).await.status(), StatusCode::OK);
    app.state
        .clock
        .advance(Duration::minutes(app.state.settings.auth.token_ttl_minutes) + Duration::seconds(1));
    problem(app.get("/api/v1/me", Some(&session)).await, 401, "token_expired").await;
}

async fn login(app: &TestApp, email: &str) -> Session {
    let body: Value = app.login(email, PASSWORD).await.json().await.unwrap();
    Session { token: body["token"].as_str().unwrap().into(), user_id: String::new(), email: email.into() }
}

#[actix_web::test]
async fn logout_ends_that_token_only() {
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Regulator, None).await;
    let phone = login(&app, &email).await;
    let laptop = login(&app, &email).await;
    let out = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&phone.token).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    problem(app.get("/api/v1/me", Some(&phone)).await, 401, "token_revoked").await;
    let again =
        app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&phone.token).send().await.unwrap();
    problem(again, 401, "token_revoked").await;
    assert_eq!(app.get("/api/v1/me", Some(&laptop)).await.status(), StatusCode::OK);
    problem(app.client.post(app.url("/api/v1/auth/logout")).send().await.unwrap(), 401, "not_authenticated")
        .await;
}

async fn count_regulators(app: &TestApp) -> i64 {
    seasonlink::db::run(&app.state.pool, |conn| {
        Ok(seasonlink::db::users::count_users_with_role(conn, "regulator")?)
    })
    .await
    .unwrap()
}

#[actix_web::test]
async fn regulators_add_regulators() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let body = json!({"email": "Colleague@Labour.gov.vn", "password": "a long enough password"});
    let created = app.post_json("/api/v1/regulators", Some(&regulator), &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["email"], "colleague@labour.gov.vn");
    assert_eq!(created["role"], "regulator");
    assert!(created.get("password_hash").is_none());
    assert_eq!(app.login("colleague@labour.gov.vn", "a long enough password").await.status(), StatusCode::OK);
    problem(app.post_json("/api/v1/regulators", Some(&regulator), &body).await, 409, "conflict").await;
    assert_eq!(count_regulators(&app).await, 2);
}

#[actix_web::test]
async fn only_regulators_add_regulators_and_bad_input_writes_nothing() {
    let app = TestApp::spawn().await;
    let body = json!({"email": "new@labour.gov.vn", "password": "a long enough password"});
    for role in [Role::Employer, Role::Agency, Role::Worker] {
        let session = app.login_as(role).await;
        problem(app.post_json("/api/v1/regulators", Some(&session), &body).await, 403, "forbidden").await;
    }
    problem(app.post_json("/api/v1/regulators", None, &body).await, 401, "not_authenticated").await;
    let regulator = app.login_as(Role::Regulator).await;
    let bad_email = json!({"email": "not-an-email", "password": "a long enough password"});
    let err = problem(
        app.post_json("/api/v1/regulators", Some(&regulator), &bad_email).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["field"], "email");
    let short = json!({"email": "new@labour.gov.vn", "password": "short"});
    let err = problem(
        app.post_json("/api/v1/regulators", Some(&regulator), &short).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["field"], "password");
    let extra =
        json!({"email": "new@labour.gov.vn", "password": "a long enough password", "role": "regulator"});
    problem(app.post_json("/api/v1/regulators", Some(&regulator), &extra).await, 400, "malformed_body").await;
    assert_eq!(count_regulators(&app).await, 1, "only the caller");
}

/// Regulator accounts and the audit log are the regulators' alone, in the services
/// themselves: called without HTTP, any other role is refused and nothing is written.
#[actix_web::test]
async fn regulator_accounts_and_the_audit_log_refuse_other_roles_without_http() {
    use seasonlink::actor::Actor;
    use seasonlink::error::ErrorCode;
    use seasonlink::services::{accounts, audit};

    let app = TestApp::spawn().await;
    for role in [Role::Employer, Role::Agency, Role::Worker] {
        let actor = Actor { user_id: "someone".into(), role, org_id: Some("org".into()) };
        let email = format!("{role}@regulator.example.cn");
        let refused = accounts::create_regulator(&app.state, &actor, &email, PASSWORD, None).await;
        assert_eq!(refused.unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(audit::list(&app.state, &actor, 0, 10).await.unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(audit::verify(&app.state, &actor).await.unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(
            app.login(&email, PASSWORD).await.status(),
            StatusCode::UNAUTHORIZED,
            "nothing was written"
        );
    }
    let cn = seasonlink::services::authorities::CN_NATIONAL;
    let regulator = Actor { user_id: "r".into(), role: Role::Regulator, org_id: Some(cn.into()) };
    let colleague = "colleague@regulator.example.cn";
    let made = accounts::create_regulator(&app.state, &regulator, colleague, PASSWORD, None).await;
    assert_eq!(made.unwrap().role, Role::Regulator);
    assert_eq!(
        audit::list(&app.state, &regulator, 0, 0).await.unwrap_err().code,
        ErrorCode::ValidationFailed
    );
    assert!(audit::verify(&app.state, &regulator).await.unwrap().ok);
}
