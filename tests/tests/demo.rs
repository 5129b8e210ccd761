//! The demo data loads once and its accounts log in.

use reqwest::StatusCode;

use seasonlink::demo::{self, DEMO_ACCOUNTS, DEMO_PASSWORD};
use seasonlink_tests::TestApp;

#[actix_web::test]
async fn demo_data_loads_once_and_its_accounts_log_in() {
    let app = TestApp::spawn().await;
    let now = app.state.clock.now();
    let first = seasonlink::db::run(&app.state.pool, move |conn| demo::load(conn, now)).await.unwrap();
    let second = seasonlink::db::run(&app.state.pool, move |conn| demo::load(conn, now)).await.unwrap();
    assert!(first && !second);
    for account in &DEMO_ACCOUNTS {
        let response = app.login(account.email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", account.email);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["user"]["role"], account.role.as_str());
    }
}
