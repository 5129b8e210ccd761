//! Rate limits: logins (per client, and failures per account), and the public forms anyone
//! may send without an account (complaints, employer registrations). Each client here has its
//! own loopback address (127.0.0.x), as another machine would.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{PASSWORD, TestApp, TestDb, problem};

/// A client whose requests come from `address`.
fn client_from(address: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder().local_address(std::net::IpAddr::from(address)).build().unwrap()
}

async fn login_from(app: &TestApp, address: [u8; 4], email: &str, password: &str) -> reqwest::Response {
    client_from(address)
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn sessions(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM sessions").await
}

/// Ten wrong passwords from one address lock that address out of that account for the rest
/// of a quarter of an hour — even the right password is refused, and no session opens — while
/// the owner, from its own address, and other accounts log in as before.
#[actix_web::test]
async fn repeated_failures_lock_out_the_guessers_address_only_and_not_for_long() {
    let app = TestApp::spawn().await;
    let victim = app.create_user(Role::Agency, Some("org-1")).await;
    let bystander = app.create_user(Role::Agency, Some("org-1")).await;
    for _ in 0..10 {
        problem(login_from(&app, [127, 0, 0, 2], &victim, "guess").await, 401, "invalid_credentials").await;
    }
    let before = sessions(&app).await;
    let refused = login_from(&app, [127, 0, 0, 2], &victim, PASSWORD).await;
    let retry_after: i64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=15 * 60).contains(&retry_after), "{retry_after}");
    problem(refused, 429, "rate_limited").await;
    assert_eq!(sessions(&app).await, before, "no session opened");

    assert_eq!(login_from(&app, [127, 0, 0, 3], &victim, PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(login_from(&app, [127, 0, 0, 2], &bystander, PASSWORD).await.status(), StatusCode::OK);
    app.state.clock.advance(Duration::minutes(15));
    assert_eq!(login_from(&app, [127, 0, 0, 2], &victim, PASSWORD).await.status(), StatusCode::OK);
}

/// Guessing one account's password from many addresses meets the account's hourly limit;
/// one address trying many accounts meets its own; both answer 429 with Retry-After.
#[actix_web::test]
async fn guessing_from_many_addresses_or_many_accounts_from_one_is_limited() {
    let db = TestDb::create().await;
    let app = TestApp::spawn_with(db, |s| {
        s.limits.login_failures_per_account_hourly = 4;
        s.limits.login_tries_per_client_hourly = 6;
    })
    .await;
    let victim = app.create_user(Role::Worker, None).await;
    for last in 2..6 {
        problem(login_from(&app, [127, 0, 0, last], &victim, "guess").await, 401, "invalid_credentials")
            .await;
    }
    problem(login_from(&app, [127, 0, 0, 9], &victim, PASSWORD).await, 429, "rate_limited").await;

    for _ in 0..6 {
        let someone = format!("nobody-{}@test.seasonlink.vn", uuid::Uuid::now_v7().simple());
        problem(login_from(&app, [127, 0, 0, 10], &someone, "guess").await, 401, "invalid_credentials").await;
    }
    let other = app.create_user(Role::Worker, None).await;
    problem(login_from(&app, [127, 0, 0, 10], &other, PASSWORD).await, 429, "rate_limited").await;
    app.state.clock.advance(Duration::hours(1));
    assert_eq!(login_from(&app, [127, 0, 0, 10], &other, PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(login_from(&app, [127, 0, 0, 9], &victim, PASSWORD).await.status(), StatusCode::OK);
}

async fn post_from(app: &TestApp, address: [u8; 4], path: &str, body: &Value) -> reqwest::Response {
    client_from(address).post(app.url(path)).json(body).send().await.unwrap()
}

/// Complaints and employer registrations, without an account: a few an hour from one
/// address, then 429 with Retry-After and nothing written; other addresses are not held back,
/// and the next hour the address may send again.
#[actix_web::test]
async fn the_public_forms_take_a_few_an_hour_from_one_address() {
    let app = TestApp::spawn_with(TestDb::create().await, |s| {
        s.limits.complaints_per_client_hourly = 2;
        s.limits.employer_signups_per_client_hourly = 2;
    })
    .await;
    let complaint = json!({"category": "wages", "text": "Chưa trả lương tháng 11.", "language": "vi"});
    let employer = |n: u32| {
        json!({"name": format!("Ningming Sugar {n}"), "registration_no": format!("91451400MA5K{n:05}"),
               "region_code": "451422", "email": format!("hr{n}@ningming.example.cn"), "password": PASSWORD})
    };
    for n in 0..2 {
        assert_eq!(post_from(&app, [127, 0, 0, 2], "/api/v1/complaints", &complaint).await.status(), 201);
        assert_eq!(post_from(&app, [127, 0, 0, 2], "/api/v1/employers", &employer(n)).await.status(), 201);
    }
    let refused = post_from(&app, [127, 0, 0, 2], "/api/v1/complaints", &complaint).await;
    assert!(refused.headers().contains_key("retry-after"));
    problem(refused, 429, "rate_limited").await;
    problem(post_from(&app, [127, 0, 0, 2], "/api/v1/employers", &employer(2)).await, 429, "rate_limited")
        .await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM complaints").await, 2, "nothing written");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM employers").await, 2, "nothing written");

    assert_eq!(post_from(&app, [127, 0, 0, 3], "/api/v1/complaints", &complaint).await.status(), 201);
    assert_eq!(post_from(&app, [127, 0, 0, 3], "/api/v1/employers", &employer(3)).await.status(), 201);
    // A refused try counts too: an empty complaint and a sign-up without a name, then one of
    // each that is right, and the third is over the limit.
    let empty = json!({"category": "wages", "text": " ", "language": "vi"});
    problem(post_from(&app, [127, 0, 0, 4], "/api/v1/complaints", &empty).await, 422, "validation_failed")
        .await;
    let mut nameless = employer(4);
    nameless["name"] = json!("");
    problem(post_from(&app, [127, 0, 0, 4], "/api/v1/employers", &nameless).await, 422, "validation_failed")
        .await;
    assert_eq!(post_from(&app, [127, 0, 0, 4], "/api/v1/complaints", &complaint).await.status(), 201);
    assert_eq!(post_from(&app, [127, 0, 0, 4], "/api/v1/employers", &employer(4)).await.status(), 201);
    problem(post_from(&app, [127, 0, 0, 4], "/api/v1/complaints", &complaint).await, 429, "rate_limited")
        .await;
    problem(post_from(&app, [127, 0, 0, 4], "/api/v1/employers", &employer(5)).await, 429, "rate_limited")
        .await;
    app.state.clock.advance(Duration::hours(1));
    assert_eq!(post_from(&app, [127, 0, 0, 2], "/api/v1/complaints", &complaint).await.status(), 201);
    assert_eq!(post_from(&app, [127, 0, 0, 2], "/api/v1/employers", &employer(2)).await.status(), 201);
}

/// Behind a reverse proxy every request comes from the proxy's address: with the proxy named
/// in `server.trusted_proxies`, each client is counted by the address the proxy forwards, so
/// one client's guesses do not lock out the others; a client that is not a trusted proxy
/// cannot pass for another by sending the header itself.
#[actix_web::test]
async fn behind_a_trusted_proxy_each_forwarded_client_is_counted_alone() {
    let proxy = [127, 0, 0, 20];
    let app = TestApp::spawn_with(TestDb::create().await, |s| {
        s.limits.login_tries_per_client_hourly = 3;
        s.server.trusted_proxies = vec![std::net::IpAddr::from(proxy)];
    })
    .await;
    let owner = app.create_user(Role::Worker, None).await;
    let via_proxy = |forwarded: &'static str, password: &'static str| {
        let (app, owner) = (&app, owner.clone());
        async move {
            client_from(proxy)
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", forwarded)
                .json(&json!({"email": owner, "password": password}))
                .send()
                .await
                .unwrap()
        }
    };
    // A guesser's three tries, forwarded as from 203.0.113.7 (after an address it made up).
    for _ in 0..3 {
        problem(via_proxy("10.9.9.9, 203.0.113.7", "guess").await, 401, "invalid_credentials").await;
    }
    problem(via_proxy("203.0.113.7", PASSWORD).await, 429, "rate_limited").await;
    // The owner, through the same proxy from its own address, is not held back.
    assert_eq!(via_proxy("198.51.100.4", PASSWORD).await.status(), StatusCode::OK);

    // Not through the proxy: the header is not believed, the connection's address is counted.
    let direct = |forwarded: String| {
        client_from([127, 0, 0, 21])
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", forwarded)
            .json(&json!({"email": owner, "password": "guess"}))
            .send()
    };
    for n in 0..3 {
        problem(direct(format!("192.0.2.{n}")).await.unwrap(), 401, "invalid_credentials").await;
    }
    problem(direct("192.0.2.99".into()).await.unwrap(), 429, "rate_limited").await;
}
