//! The web UI over plain HTTP: CSRF, session cookies, languages, per-role home pages.

use reqwest::StatusCode;

use seasonlink::domain::account::Role;
use seasonlink_tests::pages::{UiSession, csrf};
use seasonlink_tests::{PASSWORD, TestApp};

/// Posts the login form with the given CSRF cookie and token, to test good and bad ones.
async fn post_login(
    app: &TestApp,
    cookie: &str,
    token: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/login"))
        .header("cookie", format!("sl_csrf={cookie}"))
        .form(&[("csrf_token", token), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn login_sets_a_session_cookie_and_opens_the_role_home() {
    let app = TestApp::spawn().await;
    let page = app.get("/login", None).await;
    let nonce = page.cookies().find(|c| c.name() == "sl_csrf").unwrap();
    assert!(nonce.http_only() && nonce.same_site_strict(), "csrf cookie flags");
    let email = app.create_user(Role::Employer, None).await;
    let (cookie, token) = csrf(&app, "/login").await;
    let response = post_login(&app, &cookie, &token, &email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/home");
    let session = response.cookies().find(|c| c.name() == "sl_session").unwrap();
    assert!(session.http_only() && session.same_site_lax(), "session cookie flags");
    let home = app
        .client
        .get(app.url("/home"))
        .header("cookie", format!("sl_session={}; sl_csrf={cookie}", session.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.unwrap();
    assert!(html.contains("data-role=\"employer\""), "{html}");
    assert!(html.contains(&email));
}

#[actix_web::test]
async fn every_role_has_its_home() {
    let app = TestApp::spawn().await;
    for role in Role::ALL {
        let email = app.create_user(role, None).await;
        let (cookie, token) = csrf(&app, "/login").await;
        let response = post_login(&app, &cookie, &token, &email, PASSWORD).await;
        let session = response.cookies().find(|c| c.name() == "sl_session").unwrap().value().to_owned();
        let html = app
            .client
            .get(app.url("/home"))
            .header("cookie", format!("sl_session={session}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(&format!("data-role=\"{}\"", role.as_str())), "{role}");
        if role == Role::Worker {
            assert!(html.contains("lang=\"vi\""), "a worker's pages default to Vietnamese");
        }
    }
}

#[actix_web::test]
async fn forms_without_a_valid_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Agency, None).await;
    let (cookie, token) = csrf(&app, "/login").await;
    let (_, other_token) = csrf(&app, "/login").await;
    for (cookie, token) in
        [("", token.as_str()), (cookie.as_str(), ""), (cookie.as_str(), other_token.as_str())]
    {
        let response = post_login(&app, cookie, token, &email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(response.cookies().all(|c| c.name() != "sl_session"), "no session without CSRF");
    }
    let logout = app.client.post(app.url("/logout")).form(&[("csrf_token", "x")]).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn a_wrong_password_shows_the_form_again() {
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Agency, None).await;
    let (cookie, token) = csrf(&app, "/login").await;
    let response = post_login(&app, &cookie, &token, &email, "wrong password").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.text().await.unwrap().contains("id=\"login-error\""));

    // Ten failures from one address: the form says to wait, in the reader's language.
    for _ in 0..9 {
        post_login(&app, &cookie, &token, &email, "wrong password").await;
    }
    let response = post_login(&app, &cookie, &token, &email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.cookies().all(|c| c.name() != "sl_session"), "no session while locked out");
    let page = response.text().await.unwrap();
    assert!(page.contains("id=\"login-error\"") && page.contains("Too many tries"), "{page}");
}

#[actix_web::test]
async fn logout_ends_the_ui_session() {
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Regulator, None).await;
    let (cookie, token) = csrf(&app, "/login").await;
    let response = post_login(&app, &cookie, &token, &email, PASSWORD).await;
    let session = response.cookies().find(|c| c.name() == "sl_session").unwrap().value().to_owned();
    let cookies = format!("sl_session={session}; sl_csrf={cookie}");
    let out = app
        .client
        .post(app.url("/logout"))
        .header("cookie", &cookies)
        .form(&[("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let home = app.client.get(app.url("/home")).header("cookie", &cookies).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::SEE_OTHER, "the old cookie no longer opens the home page");
    assert_eq!(home.headers()["location"], "/login");
}

#[actix_web::test]
async fn language_follows_the_switch_then_accept_language() {
    let app = TestApp::spawn().await;
    let page = |lang_header: Option<&'static str>, cookie: Option<&'static str>| {
        let mut request = app.client.get(app.url("/login"));
        if let Some(h) = lang_header {
            request = request.header("accept-language", h);
        }
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    assert!(page(None, None).await.contains("<html lang=\"en\""));
    assert!(page(Some("vi-VN,vi;q=0.9"), None).await.contains("Đăng nhập"));
    assert!(page(Some("zh-CN,zh;q=0.9,en;q=0.5"), None).await.contains("登录"));
    assert!(
        page(Some("vi"), Some("sl_lang=zh-CN")).await.contains("<html lang=\"zh-CN\""),
        "the switch wins"
    );

    let switch = app.get("/lang/vi?next=/login", None).await;
    assert_eq!(switch.status(), StatusCode::SEE_OTHER);
    assert_eq!(switch.headers()["location"], "/login");
    let remembered = switch.cookies().find(|c| c.name() == "sl_lang").unwrap();
    assert_eq!(remembered.value(), "vi");
    assert!(remembered.max_age().unwrap().as_secs() > 300 * 86_400);
    let offsite = app.get("/lang/en?next=//evil.example/", None).await;
    assert_eq!(offsite.headers()["location"], "/", "no open redirect");
    let tab = app.get("/lang/en?next=/%09/evil.example", None).await;
    assert_eq!(tab.headers()["location"], "/", "a tab the browser would drop is no way out either");
    assert_eq!(app.get("/lang/fr", None).await.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn static_files_and_vendored_htmx_are_served() {
    let app = TestApp::spawn().await;
    let css = app.get("/static/app.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    let htmx = app.get("/static/vendor/htmx-2.0.4.min.js", None).await.text().await.unwrap();
    assert!(htmx.contains("htmx"));
    assert_eq!(app.get("/static/nope.css", None).await.status(), StatusCode::NOT_FOUND);
}

/// Each form keeps the order of its refusals: the regulator's and employer's forms refuse a
/// bad token before looking at the role (a visitor included), the agency's offer refuses the
/// role first; the same every time, whichever extractor finishes first.
#[actix_web::test]
async fn forms_refuse_in_a_fixed_order() {
    let app = TestApp::spawn().await;
    let visitor = UiSession { cookies: String::new(), csrf: "not-the-token".into() };
    let worker_email = app.create_user(Role::Worker, Some("w")).await;
    let worker = UiSession { csrf: "not-the-token".into(), ..app.ui_login(&worker_email).await };
    for _ in 0..5 {
        for (path, who) in [
            ("/regulator/agencies", &visitor),
            ("/employer/vacancies", &worker),
            ("/agency/workers", &worker),
        ] {
            let refused = app.ui_post(path, who, &[("name", "x")]).await;
            assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{path}");
            assert!(refused.text().await.unwrap().contains("data-code=\"csrf_failed\""), "{path}");
        }
        let refused = app.ui_post("/placements", &worker, &[("vacancy_id", "v"), ("worker_id", "w")]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert!(refused.text().await.unwrap().contains("data-code=\"forbidden\""));
    }
}

/// A checked form that is not a form — another content type, a body over the limit, or a
/// field of the wrong shape — is refused as 400 `malformed_body`, and nothing is written.
#[actix_web::test]
async fn malformed_forms_are_refused_and_write_nothing() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let ui = app.ui_login(&regulator.email).await;
    let as_json = app
        .client
        .post(app.url("/regulator/agencies"))
        .header("cookie", &ui.cookies)
        .json(&serde_json::json!({"csrf_token": ui.csrf, "name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_json.status(), StatusCode::BAD_REQUEST);
    assert!(as_json.text().await.unwrap().contains("data-code=\"malformed_body\""));
    let huge = "x".repeat(app.state.settings.server.json_limit_bytes + 1);
    let too_big = app.ui_post("/regulator/agencies", &ui, &[("name", huge.as_str())]).await;
    assert_eq!(too_big.status(), StatusCode::BAD_REQUEST);
    let repeated = app.ui_post("/regulator/agencies", &ui, &[("name", "a"), ("name", "b")]).await;
    assert_eq!(repeated.status(), StatusCode::BAD_REQUEST);
    let agencies: Vec<serde_json::Value> =
        app.get("/api/v1/agencies", Some(&regulator)).await.json().await.unwrap();
    assert!(agencies.is_empty(), "nothing was written");
}
