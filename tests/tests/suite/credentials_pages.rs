//! The worker's own account on the pages: activation, reset and password in Vietnamese first
//! and whole in every language; the agency's button that sends a code; the officer's search,
//! hand-over and correction.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::pages::{UiSession, csrf};
use seasonlink_tests::{AgencySession, PASSWORD, TestApp, worker};

use super::words::untranslated;

async fn register(app: &TestApp, agency: &AgencySession, document: &str, email: Option<&str>) -> String {
    let mut body = worker(document);
    body["email"] = json!(email);
    if email.is_none() {
        body["phone"] = Value::Null;
    }
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

/// A visitor's form post: the page's CSRF cookie and token, and `lang` remembered.
async fn visitor_post(app: &TestApp, path: &str, lang: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let (nonce, token) = csrf(app, path).await;
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    app.client
        .post(app.url(path))
        .header("cookie", format!("sl_csrf={nonce}; sl_lang={lang}"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, path: &str, lang: Option<&str>) -> (String, String) {
    let mut request = app.client.get(app.url(path));
    if let Some(lang) = lang {
        request = request.header("cookie", format!("sl_lang={lang}"));
    }
    let html = request.send().await.unwrap().text().await.unwrap();
    let shown = html.split("<html lang=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    (shown, html)
}

#[actix_web::test]
async fn the_code_pages_speak_vietnamese_first_and_every_language_whole() {
    let app = TestApp::spawn().await;
    for path in ["/activate", "/reset", "/reset/confirm"] {
        let (lang, html) = page(&app, path, None).await;
        assert_eq!(lang, "vi", "{path}: Vietnamese before the reader chose (the browser asks for English)");
        for chosen in ["vi", "zh-CN", "en"] {
            let (lang, html) = page(&app, path, Some(chosen)).await;
            assert_eq!(lang, chosen);
            if chosen != "en" {
                assert_eq!(untranslated(&html, chosen, path), Vec::<String>::new());
            }
        }
        assert!(html.contains("name=\"email_or_phone\""), "{path}");
    }
    let (_, html) = page(&app, "/login", Some("vi")).await;
    assert!(html.contains("href=\"/activate\"") && html.contains("href=\"/reset\""), "{html}");
}

#[actix_web::test]
async fn a_worker_activates_on_the_page_and_hears_why_a_code_is_refused() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let agency = app.agency().await;
    let id = register(&app, &agency, "C3000001", Some("mai@mail.example")).await;
    let body = json!({"in_person": true, "id_document_number": "C3000001"});
    let sent: Value = app
        .post_json(&format!("/api/v1/workers/{id}/activation"), Some(&regulator), &body)
        .await
        .json()
        .await
        .unwrap();
    let code = sent["code"].as_str().unwrap();

    let fields = |code: &'static str, password: &'static str| {
        [("email_or_phone", "mai@mail.example"), ("code", code), ("password", password)]
    };
    let wrong = if code == "00000000" { "11111111" } else { "00000000" };
    let refused = visitor_post(&app, "/activate", "vi", &fields(wrong, "mía ngọt Ninh Minh")).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"code-error\"") && html.contains("Mã này sai"), "{html}");
    let common = visitor_post(&app, "/activate", "zh-CN", &fields(wrong, "1234567890")).await;
    assert_eq!(common.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = common.text().await.unwrap();
    assert!(html.contains("新密码"), "names the field in Chinese: {html}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM users WHERE role = 'worker'").await, 0);

    let code: &'static str = code.to_owned().leak();
    let done = visitor_post(&app, "/activate", "vi", &fields(code, PASSWORD)).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/home");
    assert!(done.cookies().any(|c| c.name() == "sl_session"));
    let ui = app.ui_login("mai@mail.example").await;
    let home = app.ui_get("/home", &ui).await.text().await.unwrap();
    assert!(!home.contains("id=\"activate-first\"") && home.contains("href=\"/account/password\""), "{home}");

    // The reset page answers the same for a known and an unknown address.
    for address in ["mai@mail.example", "nobody@mail.example"] {
        let response = visitor_post(&app, "/reset", "vi", &[("email_or_phone", address)]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.text().await.unwrap().contains("id=\"reset-sent\""));
    }
}

#[actix_web::test]
async fn the_password_page_changes_a_password_only_for_who_knows_it() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let id = register(&app, &agency, "C3000010", Some("tam@mail.example")).await;
    app.activate_worker(&id).await;
    let ui = app.ui_login("tam@mail.example").await;
    let page = app.ui_get("/account/password", &ui).await.text().await.unwrap();
    assert_eq!(untranslated(&page, "vi", "password page"), Vec::<String>::new());
    let change =
        |current: &'static str, new: &'static str| [("current_password", current), ("new_password", new)];
    let wrong = app.ui_post("/account/password", &ui, &change("not it at all", "hoa ban nở trắng")).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.unwrap().contains("id=\"password-error\""));
    let done = app.ui_post("/account/password", &ui, &change(PASSWORD, "hoa ban nở trắng")).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains("id=\"password-done\""));
    assert_eq!(app.login("tam@mail.example", "hoa ban nở trắng").await.status(), StatusCode::OK);
    // A visitor is sent to log in.
    let visitor = app.get("/account/password", None).await;
    assert_eq!(visitor.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn the_agency_sends_a_code_from_its_pages_and_hears_when_it_cannot() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let reachable = register(&app, &agency, "C3000020", Some("vy@mail.example")).await;
    let unreachable = register(&app, &agency, "C3000021", None).await;
    let ui: UiSession = app.ui_login(&agency.session.email).await;
    let list = app.ui_get("/agency/workers", &ui).await.text().await.unwrap();
    assert!(list.contains(&format!("action=\"/agency/workers/{reachable}/activation\"")), "{list}");
    assert!(!list.contains("name=\"password\""), "no password anywhere on the agency's pages");

    let sent = app.ui_post(&format!("/agency/workers/{reachable}/activation"), &ui, &[]).await;
    assert_eq!(sent.status(), StatusCode::ACCEPTED);
    let html = sent.text().await.unwrap();
    assert!(html.contains("id=\"activation-sent\"") && html.contains("v…@mail.example"), "{html}");
    assert!(!html.contains("id=\"activation-code\""));
    let refused = app.ui_post(&format!("/agency/workers/{unreachable}/activation"), &ui, &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("id=\"activation-error\""));
    // Another agency's worker is not found; an employer may not post here.
    let other = app.agency().await;
    let theirs = register(&app, &other, "C3000022", Some("khanh@mail.example")).await;
    let not_found = app.ui_post(&format!("/agency/workers/{theirs}/activation"), &ui, &[]).await;
    assert_eq!(not_found.status(), StatusCode::NOT_FOUND);
    let employer = app.employer(true).await;
    let employer_ui = app.ui_login(&employer.session.email).await;
    let forbidden = app.ui_post(&format!("/agency/workers/{reachable}/activation"), &employer_ui, &[]).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM account_codes").await, 1);
}

#[actix_web::test]
async fn the_officer_finds_a_worker_hands_over_a_code_and_corrects_its_identity() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let agency = app.agency().await;
    let id = register(&app, &agency, "C3000030", Some("sen@mail.example")).await;
    let ui = app.ui_login(&regulator.email).await;

    let found = app.ui_get("/regulator/workers?document=c3000030", &ui).await.text().await.unwrap();
    assert!(found.contains(&format!("href=\"/workers/{id}\"")), "{found}");
    let none = app.ui_get("/regulator/workers?document=C3999999", &ui).await.text().await.unwrap();
    assert!(none.contains("id=\"worker-not-found\""));
    let record = app.ui_get(&format!("/workers/{id}"), &ui).await.text().await.unwrap();
    assert!(record.contains("id=\"hand-over-form\"") && record.contains("id=\"identity-form\""));

    let hand_over = format!("/regulator/workers/{id}/activation");
    let wrong = app.ui_post(&hand_over, &ui, &[("id_document_number", "C3000031")]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let code =
        app.ui_post(&hand_over, &ui, &[("id_document_number", "C3000030")]).await.text().await.unwrap();
    assert!(code.contains("id=\"activation-code\""), "{code}");

    let correct = format!("/regulator/workers/{id}/identity");
    let no_reason = app.ui_post(&correct, &ui, &[("full_name", "Lê Thị Sen"), ("reason", "")]).await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = app.ui_post(&correct, &ui, &[("full_name", "Lê Thị Sen"), ("reason", "passport seen")]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let shown: Value =
        app.get(&format!("/api/v1/workers/{id}"), Some(&regulator)).await.json().await.unwrap();
    assert_eq!(shown["full_name"], "Lê Thị Sen");
    // Not the agency's to do.
    let agency_ui = app.ui_login(&agency.session.email).await;
    let forbidden = app.ui_post(&correct, &agency_ui, &[("full_name", "X"), ("reason", "mine")]).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let agency_record = app.ui_get(&format!("/workers/{id}"), &agency_ui).await.text().await.unwrap();
    assert!(
        !agency_record.contains("id=\"hand-over-form\"") && !agency_record.contains("id=\"identity-form\"")
    );
}
