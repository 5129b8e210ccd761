//! Health, readiness, metrics, the API description, and a database that goes away.

use reqwest::StatusCode;
use serde_json::Value;

use seasonlink::domain::account::Role;
use seasonlink_tests::db::replace_host_port;
use seasonlink_tests::proxy::Proxy;
use seasonlink_tests::{Backend, TestApp, TestDb, problem, vacancy};

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

/// Another hand holds the write lock longer than a request may wait for it: the request
/// answers 503 `database_unavailable` with `Retry-After` and writes nothing; once the lock is
/// let go, the same request succeeds. On SQLite the lock is the file's (`BEGIN IMMEDIATE`);
/// on PostgreSQL a table lock that blocks writers.
#[actix_web::test]
async fn a_write_that_waits_too_long_for_a_lock_answers_503_and_writes_nothing() {
    let db = TestDb::create().await;
    let app = TestApp::spawn_with(db, |s| s.database.lock_timeout_ms = 300).await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;

    let lock = match app.db.backend() {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN; LOCK TABLE vacancies IN EXCLUSIVE MODE",
    };
    let mut conn = app.db.connect();
    let (held, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
    let holder = std::thread::spawn(move || {
        diesel::connection::SimpleConnection::batch_execute(&mut conn, lock).unwrap();
        held.0.send(()).unwrap();
        release.1.recv().unwrap();
        diesel::connection::SimpleConnection::batch_execute(&mut conn, "ROLLBACK").unwrap();
    });
    held.1.recv().unwrap();

    let refused = app.post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1700)).await;
    assert_eq!(refused.headers()["retry-after"], "1");
    problem(refused, 503, "database_unavailable").await;

    release.0.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM vacancies").await, 0, "nothing written");
    let created = app.post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1700)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
}

/// Pages, API answers, refusals and static files all carry the security headers; HSTS only
/// behind TLS.
#[actix_web::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let paths = [
        "/",
        "/login",
        "/vacancies",
        "/api/v1/vacancies",
        "/api/v1/nothing",
        "/nothing",
        "/healthz",
        "/api/openapi.json",
    ];
    for path in paths.into_iter().chain(["/static/vendor/htmx-2.0.4.min.js"]) {
        let response = app.get(path, None).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert!(headers.get("strict-transport-security").is_none(), "{path}: no TLS, no HSTS");
    }
    let behind_tls = TestApp::spawn_with(TestDb::create().await, |s| s.server.secure_cookies = true).await;
    let response = behind_tls.get("/login", None).await;
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000");
}

/// HEAD answers as GET does, pages and public reads alike: the same status, type and length,
/// and no body, read off the wire.
#[actix_web::test]
async fn head_answers_like_get_without_a_body() {
    use std::io::{Read, Write};
    let app = TestApp::spawn().await;
    let address = app.base.trim_start_matches("http://").to_owned();
    for path in [
        "/",
        "/vacancies",
        "/floors",
        "/healthz",
        "/api/v1/vacancies",
        "/api/v1/reference/crossings",
        "/api/openapi.json",
        "/static/app.css",
        "/api/v1/nothing-here",
        "/api/v1/me",
    ] {
        let get = app.get(path, None).await;
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), get.status(), "HEAD {path}");
        for header in ["content-type", "content-length", "allow", "link"] {
            assert_eq!(head.headers().get(header), get.headers().get(header), "HEAD {path}: {header}");
        }
        // Off the wire: the head, then nothing.
        let raw = address.clone();
        let request = format!("HEAD {path} HTTP/1.1\r\nHost: {raw}\r\nConnection: close\r\n\r\n");
        let answer = tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(&raw).unwrap();
            stream.write_all(request.as_bytes()).unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).unwrap();
            answer
        })
        .await
        .unwrap();
        let text = String::from_utf8_lossy(&answer);
        let end = text.find("\r\n\r\n").unwrap_or_else(|| panic!("HEAD {path}: {text}"));
        assert_eq!(&text[end + 4..], "", "HEAD {path} sent a body");
        assert!(text.starts_with(&format!("HTTP/1.1 {}", get.status().as_u16())), "{text}");
    }
}
