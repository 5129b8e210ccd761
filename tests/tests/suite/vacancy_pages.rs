//! The vacancy, floor and employer pages over HTTP: the same rules as the API, explained
//! in the reader's language.

use reqwest::StatusCode;
use serde_json::Value;

use seasonlink::domain::account::Role;
use seasonlink_tests::{TestApp, day, day_text};

/// The vacancy form's fields for a Ningming cane job paying `wage` CNY an hour.
fn form(wage: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "Cane cutters"),
        ("region_code", "451422"),
        ("occupation_code", "sugarcane_cutting"),
        ("crossing_code", "aidian"),
        ("season_start", day_text(2)),
        ("season_end", day_text(122)),
        ("headcount", "20"),
        ("hours_per_week", "48"),
        ("guaranteed_hours_per_week", "40"),
        ("pay_basis", "hourly"),
        ("wage", wage),
        ("skill_cane_knife", "on"),
        ("housing_provided", "on"),
        ("status", "open"),
    ]
}

async fn setup() -> (TestApp, seasonlink_tests::pages::UiSession, String) {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let ui = app.ui_login(&employer.session.email).await;
    (app, ui, employer.employer_id)
}

#[actix_web::test]
async fn the_form_refuses_pay_below_the_floor_in_plain_words_and_accepts_it_at_the_floor() {
    let (app, ui, _) = setup().await;
    let refused = app.ui_post("/employer/vacancies", &ui, &form("16.99")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"refusal\""), "{html}");
    assert!(
        html.contains("16.99 CNY an hour") && html.contains("17.00 CNY an hour") && html.contains("0.01 CNY"),
        "{html}"
    );
    assert!(html.contains("value=\"Cane cutters\""), "what was typed is kept");
    let stored: Vec<Value> = app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    assert!(stored.is_empty());

    let accepted = app.ui_post("/employer/vacancies", &ui, &form("17.00")).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let own = app.ui_get("/employer/vacancies", &ui).await.text().await.unwrap();
    assert!(own.contains("Cane cutters") && own.contains("17.00 CNY an hour"), "{own}");
    let board = app.get("/vacancies", None).await.text().await.unwrap();
    assert!(board.contains("Cane cutters"));
}

#[actix_web::test]
async fn the_refusal_speaks_the_pages_language() {
    let (app, ui, _) = setup().await;
    let vi = seasonlink_tests::pages::UiSession { cookies: format!("{}; sl_lang=vi", ui.cookies), ..ui };
    let html = app.ui_post("/employer/vacancies", &vi, &form("16.50")).await.text().await.unwrap();
    assert!(html.contains("Chưa đăng") && html.contains("0,50 tệ"), "{html}");
}

#[actix_web::test]
async fn the_live_check_shows_the_floor_as_the_employer_types() {
    let (app, ui, _) = setup().await;
    let query = |wage: &str| {
        format!(
            "/employer/vacancies/check?region_code=451402&occupation_code=sugarcane_cutting&season_start={}\
             &season_end={}&pay_basis=hourly&wage={wage}&headcount=5&hours_per_week=48&guaranteed_hours_per_week=40",
            day(2),
            day(122)
        )
    };
    let short = app.ui_get(&query("18"), &ui).await.text().await.unwrap();
    assert!(short.contains("data-floor=\"18.60\""), "Jiangzhou is tier 2: {short}");
    assert!(short.contains("data-ok=\"false\""));
    let enough = app.ui_get(&query("18.60"), &ui).await.text().await.unwrap();
    assert!(enough.contains("data-ok=\"true\""), "{enough}");
    let partial = app.ui_get("/employer/vacancies/check?region_code=451402", &ui).await.text().await.unwrap();
    assert!(!partial.contains("data-floor"), "no dates yet, no floor");
}

#[actix_web::test]
async fn employer_pages_are_for_employers_and_forms_need_csrf() {
    let (app, ui, _) = setup().await;
    let anonymous = app.get("/employer/vacancies/new", None).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    let worker_email = app.create_user(Role::Worker, None).await;
    let worker = app.ui_login(&worker_email).await;
    assert_eq!(app.ui_get("/employer/vacancies/new", &worker).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.ui_post("/employer/vacancies", &worker, &form("20")).await.status(),
        StatusCode::FORBIDDEN
    );
    let forged = seasonlink_tests::pages::UiSession { csrf: "forged".into(), ..ui };
    assert_eq!(
        app.ui_post("/employer/vacancies", &forged, &form("20")).await.status(),
        StatusCode::FORBIDDEN
    );
    let stored: Vec<Value> = app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    assert!(stored.is_empty());
}

#[actix_web::test]
async fn employers_close_their_own_vacancies_only() {
    let (app, ui, _) = setup().await;
    app.ui_post("/employer/vacancies", &ui, &form("20")).await;
    let id = app.get("/api/v1/vacancies", None).await.json::<Vec<Value>>().await.unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = app.employer(true).await;
    let other_ui = app.ui_login(&other.session.email).await;
    let close = format!("/employer/vacancies/{id}/close");
    assert_eq!(app.ui_post(&close, &other_ui, &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.ui_post(&close, &ui, &[]).await.status(), StatusCode::SEE_OTHER);
    let board: Vec<Value> = app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    assert!(board.is_empty());
}

#[actix_web::test]
async fn the_public_floor_look_up_names_the_binding_rule() {
    let (app, _, _) = setup().await;
    let html = app
        .get("/floors?region_code=451481&occupation_code=&on=2026-12-01", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("17.00 CNY an hour"), "{html}");
    assert!(html.contains("class=\"binding\""));
    let zh = app
        .client
        .get(app.url("/floors?region_code=451402&on=2026-12-01"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(zh.contains("每小时 18.60 元"), "{zh}");
    let none = app.get("/floors?region_code=451481&on=2020-01-01", None).await.text().await.unwrap();
    assert!(none.contains("No wage floor is in force"));
}

#[actix_web::test]
async fn regulators_add_floors_and_verify_employers_from_their_pages() {
    let app = TestApp::spawn().await;
    let regulator_email = app.create_user(Role::Regulator, None).await;
    let regulator = app.ui_login(&regulator_email).await;
    let added = app
        .ui_post(
            "/regulator/floors",
            &regulator,
            &[
                ("region_code", "451400"),
                ("occupation_code", "sugarcane_cutting"),
                ("hourly", "19.50"),
                ("monthly", ""),
                ("effective_from", "2024-11-01"),
                ("effective_to", ""),
                ("source", "Chongzuo survey"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let rules: Vec<Value> = app.get("/api/v1/wage-floors", None).await.json().await.unwrap();
    assert_eq!(
        (rules.len(), rules[0]["hourly_fen"].as_i64(), rules[0]["kind"].as_str()),
        (1, Some(1950), Some("prevailing"))
    );
    let bad = app
        .ui_post(
            "/regulator/floors",
            &regulator,
            &[
                ("region_code", "451400"),
                ("hourly", "abc"),
                ("effective_from", "2024-11-01"),
                ("source", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/wage-floors", None).await.json::<Vec<Value>>().await.unwrap().len(), 1);

    let pending = app.employer(false).await;
    let page = app.ui_get("/regulator/employers", &regulator).await.text().await.unwrap();
    assert!(page.contains(&format!("data-employer=\"{}\" data-status=\"pending\"", pending.employer_id)));
    let verify = format!("/regulator/employers/{}/verify", pending.employer_id);
    assert_eq!(app.ui_post(&verify, &regulator, &[]).await.status(), StatusCode::SEE_OTHER);
    let employer: Value = app
        .get(&format!("/api/v1/employers/{}", pending.employer_id), Some(&pending.session))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(employer["status"], "verified");

    let employer_ui = app.ui_login(&pending.session.email).await;
    assert_eq!(app.ui_get("/regulator/floors", &employer_ui).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.ui_post(&verify, &employer_ui, &[]).await.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn employers_register_from_the_public_page() {
    let app = TestApp::spawn().await;
    let (nonce, token) = seasonlink_tests::pages::csrf(&app, "/employers/register").await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("name", "Fusui Cane Co."),
        ("registration_no", "91451421TEST0001"),
        ("region_code", "451421"),
        ("email", "boss@fusui.example.cn"),
        ("password", "a long enough password"),
    ];
    let response = app
        .client
        .post(app.url("/employers/register"))
        .header("cookie", format!("sl_csrf={nonce}"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.text().await.unwrap().contains("id=\"registered\""));
    assert_eq!(app.login("boss@fusui.example.cn", "a long enough password").await.status(), StatusCode::OK);
    let again = app
        .client
        .post(app.url("/employers/register"))
        .header("cookie", format!("sl_csrf={nonce}"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
}
