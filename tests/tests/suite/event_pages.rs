//! The regulator's outbox desk over HTTP: partner endpoints registered and removed, dead
//! letters sent again, and the notices page, in each language; other roles are refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::services::events::Dispatcher;
use seasonlink_tests::pages::UiSession;
use seasonlink_tests::receiver::{Mode, Receiver};
use seasonlink_tests::{TestApp, problem};

const SECRET: &str = "a partner's secret of at least 32 bytes";

async fn page(app: &TestApp, path: &str, ui: &UiSession, lang: &str) -> (StatusCode, String) {
    let cookies = format!("{}; sl_lang={lang}", ui.cookies);
    let response = app.client.get(app.url(path)).header("cookie", cookies).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[actix_web::test]
async fn a_regulator_registers_a_partner_on_the_page_and_sees_its_key_once() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let ui = app.ui_login(&regulator.email).await;
    for (lang, title) in [("en", "Partner systems"), ("vi", "Hệ thống đối tác"), ("zh-CN", "合作方系统")]
    {
        let (status, html) = page(&app, "/regulator/partners", &ui, lang).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(title) && html.contains("id=\"no-partners\""), "{lang}: {html}");
    }

    let form = |secret: &'static str| {
        vec![
            ("name", "Border post Hữu Nghị"),
            ("url", "http://127.0.0.1:9/events"),
            ("secret", secret),
            ("type_permit.issued", "on"),
            ("type_placement.departed", "on"),
        ]
    };
    let refused = app.ui_post("/regulator/partners", &ui, &form("short")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("id=\"partner-error\"") && html.contains("value=\"Border post Hữu Nghị\""),
        "{html}"
    );
    assert!(!html.contains("value=\"short\""), "the secret is not shown again");

    let created = app.ui_post("/regulator/partners", &ui, &form(SECRET)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let html = created.text().await.unwrap();
    let key = html.split("id=\"feed-key\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(key.starts_with("slp_"), "{html}");
    let feed = app.client.get(app.url("/api/v1/events")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(feed.status(), StatusCode::OK, "the key shown reads the feed");
    let partners: Vec<Value> = app.get("/api/v1/partners", Some(&regulator)).await.json().await.unwrap();
    assert_eq!(partners[0]["event_types"], json!(["permit.issued", "placement.departed"]));
    let (_, again) = page(&app, "/regulator/partners", &ui, "en").await;
    assert!(!again.contains(&key), "the key is shown once");

    let id = partners[0]["id"].as_str().unwrap();
    let removed = app.ui_post(&format!("/regulator/partners/{id}/remove"), &ui, &[]).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/partners", Some(&regulator)).await.json::<Vec<Value>>().await.unwrap().len(),
        0
    );

    // Another role, or a form without its token, is refused and writes nothing.
    let employer = app.employer(true).await;
    let employer_ui = app.ui_login(&employer.session.email).await;
    let (status, _) = page(&app, "/regulator/partners", &employer_ui, "en").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let forbidden = app.ui_post("/regulator/partners", &employer_ui, &form(SECRET)).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let forged = app
        .client
        .post(app.url("/regulator/partners"))
        .header("cookie", &ui.cookies)
        .form(&form(SECRET))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/partners", Some(&regulator)).await.json::<Vec<Value>>().await.unwrap().len(),
        0
    );
}

#[actix_web::test]
async fn a_dead_letter_is_sent_again_from_the_page_and_notices_are_listed() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let receiver = Receiver::start().await;
    receiver.set(Mode::Fail);
    let body = json!({"name": "Insurer", "url": receiver.url("/"), "event_types": ["licence.suspended"], "secret": SECRET});
    let partner: Value =
        app.post_json("/api/v1/partners", Some(&regulator), &body).await.json().await.unwrap();
    let agency = app.agency().await;
    let suspend = format!("/api/v1/agencies/{}/licence/suspend", agency.agency_id);
    let response =
        app.post_json(&suspend, Some(&regulator), &json!({"reason": "fees charged to workers"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let dispatcher = Dispatcher::new(app.state.clone()).unwrap();
    for hours in 0.. {
        if dispatcher.run_once().await.unwrap().dead == 1 {
            break;
        }
        assert!(hours < 100, "never dead");
        app.state.clock.advance(chrono::Duration::hours(1));
    }
    let regulator = app.session_for(&regulator.email).await;
    let ui = app.ui_login(&regulator.email).await;
    let dead_path = format!("/regulator/partners/{}/deliveries?status=dead", partner["id"].as_str().unwrap());
    let (status, html) = page(&app, &dead_path, &ui, "vi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("licence.suspended") && html.contains("Gửi lại"), "{html}");
    let delivery = html.split("data-delivery=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let again = app.ui_post(&format!("/regulator/deliveries/{delivery}/redeliver"), &ui, &[]).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &dead_path, &ui, "en").await;
    assert!(html.contains("id=\"no-deliveries\""), "no longer dead: {html}");
    let twice = app.ui_post(&format!("/regulator/deliveries/{delivery}/redeliver"), &ui, &[]).await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    receiver.set(Mode::Accept);
    for round in 0.. {
        if dispatcher.run_once().await.unwrap().is_idle() {
            break;
        }
        assert!(round < 10, "the outbox did not drain");
    }
    assert_eq!(receiver.accepted().len(), 1);

    // The agency was told of its suspension, in Vietnamese; the notices page shows it.
    let (status, html) = page(&app, "/regulator/notices", &ui, "zh-CN").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("已发送的通知") && html.contains("Giấy phép của doanh nghiệp bạn bị đình chỉ"),
        "{html}"
    );
    assert!(html.contains("fees charged to workers") && html.contains(&agency.session.email), "{html}");
    let feed: Value = app.get("/api/v1/events", Some(&regulator)).await.json().await.unwrap();
    let suspended =
        feed["events"].as_array().unwrap().iter().find(|e| e["type"] == "licence.suspended").unwrap();
    assert!(
        !suspended.to_string().contains("fees charged"),
        "the reason is not sent to partners: {suspended}"
    );
    let agency_ui = app.ui_login(&agency.session.email).await;
    let (status, _) = page(&app, "/regulator/notices", &agency_ui, "vi").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let agency_session = app.session_for(&agency.session.email).await;
    problem(app.get("/api/v1/notices", Some(&agency_session)).await, 403, "forbidden").await;
}

#[actix_web::test]
async fn anyone_signed_in_chooses_the_language_of_its_notices_on_its_home_page() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let ui = app.ui_login(&agency.session.email).await;
    let (status, html) = page(&app, "/home", &ui, "vi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("id=\"notice-language-form\"")
            && html.contains("Ngôn ngữ của thư và tin nhắn bạn nhận"),
        "{html}"
    );
    let chosen = app.ui_post("/home/language", &ui, &[("language", "zh-CN")]).await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let me: Value = app.get("/api/v1/me", Some(&agency.session)).await.json().await.unwrap();
    assert_eq!(me["language"], "zh-CN");
    let (_, html) = page(&app, "/home", &ui, "en").await;
    assert!(html.contains("<option value=\"zh-CN\" selected>"), "{html}");
    let refused = app.ui_post("/home/language", &ui, &[("language", "fr")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let forged = app
        .client
        .post(app.url("/home/language"))
        .header("cookie", &ui.cookies)
        .form(&[("language", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "no token, no change");
    let cleared = app.ui_post("/home/language", &ui, &[("language", "")]).await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    let me: Value = app.get("/api/v1/me", Some(&agency.session)).await.json().await.unwrap();
    assert!(me["language"].is_null(), "back to the role's own");
}
