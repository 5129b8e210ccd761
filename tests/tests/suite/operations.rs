//! Health, readiness, metrics, the API description, and a database that goes away.

use reqwest::StatusCode;
use serde_json::Value;

use seasonlink::domain::account::Role;
use seasonlink_tests::db::replace_host_port;
use seasonlink_tests::proxy::Proxy;
use seasonlink_tests::{Backend, TestApp, TestDb, problem};

#[actix_web::test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status(), StatusCode::OK);
    let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
}

#[actix_web::test]
async fn metrics_count_requests() {
    let app = TestApp::spawn().await;
    app.get("/healthz", None).await;
    let text = app.get("/metrics", None).await.text().await.unwrap();
    assert!(text.contains("seasonlink_http_requests_total"), "{text}");
    assert!(text.contains("endpoint=\"/healthz\""), "{text}");
}

#[actix_web::test]
async fn openapi_describes_the_handlers() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    for path in ["/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me", "/api/v1/regulators", "/readyz"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

#[actix_web::test]
async fn the_interactive_reference_is_served_from_the_binary() {
    let app = TestApp::spawn().await;
    let redirect = app.get("/api/docs", None).await;
    assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
    let page = app.get("/api/docs/", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    let bundle = app.get("/api/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(bundle.status(), StatusCode::OK);
    assert!(bundle.bytes().await.unwrap().len() > 100_000);
}

/// The database goes away while serving: 503 `database_unavailable`, then recovery.
/// PostgreSQL only: an embedded SQLite file cannot go away.
#[actix_web::test]
async fn a_database_that_goes_down_answers_503_and_recovers() {
    let db = TestDb::create().await;
    if db.backend() != Backend::Postgres {
        eprintln!("skipped on SQLite: the embedded database cannot go away");
        return;
    }
    let proxy_addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let (target, proxied) = replace_host_port(db.app_url(), &proxy_addr.to_string());
    let proxy = Proxy::start(proxy_addr, target).await;
    let app = TestApp::spawn_with(db, move |s| s.database.url = proxied).await;
    let session = app.login_as(Role::Worker).await;
    assert_eq!(app.get("/api/v1/me", Some(&session)).await.status(), StatusCode::OK);

    proxy.cut();
    problem(app.get("/readyz", None).await, 503, "database_unavailable").await;
    problem(app.get("/api/v1/me", Some(&session)).await, 503, "database_unavailable").await;
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK, "the process is still up");

    proxy.restore();
    assert_eq!(app.get("/readyz", None).await.status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/me", Some(&session)).await.status(), StatusCode::OK);
}
