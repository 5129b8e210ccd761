//! The demo data loads once and its accounts log in.

use reqwest::StatusCode;

use seasonlink::demo::{self, DEMO_ACCOUNTS, DEMO_PASSWORD};
use seasonlink_tests::TestApp;

#[actix_web::test]
async fn demo_data_loads_once_and_its_accounts_log_in() {
    let app = TestApp::spawn().await;
    let now = app.state.clock.now();
    let first = seasonlink::db::run(&app.state.pool, move |conn| demo::load(conn, now, 20)).await.unwrap();
    let second = seasonlink::db::run(&app.state.pool, move |conn| demo::load(conn, now, 20)).await.unwrap();
    assert!(first && !second);
    // A Chongzuo cane season: six verified employers with six vacancies each, all at or
    // above the floor, and one employer still waiting for verification.
    let board: Vec<serde_json::Value> =
        app.get("/api/v1/vacancies?region_code=451400", None).await.json().await.unwrap();
    assert_eq!(board.len(), 36);
    assert!(board.iter().all(|v| v["hourly_equivalent_fen"].as_i64() >= v["floor"]["hourly_fen"].as_i64()));
    assert!(board.iter().any(|v| v["pay_basis"] == "piece" && v["occupation_code"] == "sugarcane_cutting"));
    let floor: serde_json::Value = app
        .get("/api/v1/wage-floors/resolve?region_code=451402&occupation_code=cassava_harvest", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(floor["hourly_fen"], 1860, "Jiangzhou is tier 2");
    for account in &DEMO_ACCOUNTS {
        let response = app.login(account.email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", account.email);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["user"]["role"], account.role.as_str());
        if account.role == seasonlink::domain::account::Role::Employer {
            assert!(body["user"]["org_id"].is_string(), "the demo employer owns vacancies");
        }
    }
}
