//! Several servers on one database: the app keeps no state of its own (sessions, rate-limit
//! counters and job claims live in the database), so two `seasonlink serve` processes behind
//! a proxy serve the same users, and each periodic job runs once per period across them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink::jobs;
use seasonlink_tests::{TestApp, TestDb, problem, vacancy};

use crate::matching::{post_vacancy, register};

/// How many times this server ran `job`, as its `/metrics` says.
async fn runs(client: &reqwest::Client, base: &str, job: &str) -> i64 {
    let text = client.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    let line = format!("seasonlink_job_runs_total{{job=\"{job}\"}} ");
    text.lines().find_map(|l| l.strip_prefix(&line)).map_or(0, |n| n.trim().parse().unwrap())
}

#[actix_web::test]
async fn two_servers_on_one_database_serve_the_same_users_and_run_each_job_once_per_period() {
    let app = TestApp::spawn_with(TestDb::create().await, |s| {
        s.placements.sweep_interval_seconds = 1;
        s.events.prune_interval_seconds = 1;
        s.statistics.release_interval_seconds = 1;
    })
    .await;
    let (other, other_base) = app.second_server().await;
    let client = &app.client;

    // A login on one server works on the other, both ways.
    let agency = app.agency().await;
    let on_other = client
        .get(format!("{other_base}/api/v1/workers"))
        .bearer_auth(&agency.session.token)
        .send()
        .await
        .unwrap();
    assert_eq!(on_other.status(), StatusCode::OK);
    let login = client
        .post(format!("{other_base}/api/v1/auth/login"))
        .json(&json!({"email": agency.session.email, "password": seasonlink_tests::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let token = login.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let on_first = client.get(app.url("/api/v1/workers")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(on_first.status(), StatusCode::OK);
    // A logout on one ends the session on the other.
    let logout = client.post(app.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert!(logout.status().is_success(), "{}", logout.status());
    let ended = client.get(format!("{other_base}/api/v1/workers")).bearer_auth(&token).send().await.unwrap();
    problem(ended, 401, "token_revoked").await;

    // Offers for a vacancy's last seat, sent to both servers at once: one wins.
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let mut last_seat = vacancy(1800);
    last_seat["headcount"] = json!(1);
    let vacancy_id = post_vacancy(&app, &employer, last_seat).await;
    let mut offers = Vec::new();
    for (i, base) in [app.base.as_str(), other_base.as_str()].into_iter().cycle().take(6).enumerate() {
        let worker_id = register(&app, &agency, &format!("00109500007{i}"), json!({})).await;
        let body = json!({"vacancy_id": vacancy_id, "worker_id": worker_id});
        offers.push(
            client
                .post(format!("{base}/api/v1/placements"))
                .bearer_auth(&agency.session.token)
                .json(&body)
                .send(),
        );
    }
    let mut won = 0;
    for answer in futures::future::join_all(offers).await {
        let answer = answer.unwrap();
        if answer.status() == StatusCode::CREATED {
            won += 1;
        } else {
            problem(answer, 409, "vacancy_full").await;
        }
    }
    assert_eq!(won, 1);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM placements WHERE vacancy_id = '{vacancy_id}'")).await,
        1
    );

    // Both run every job, as `seasonlink serve` does, every second: each period of each job
    // is run by one of them, so the runs they count add up to the periods claimed. A server
    // counts a run just after its claim is stored, so the two are compared when no tick falls
    // between the reads; a period run twice would show as more runs than periods at any read.
    jobs::spawn_all(app.state.clone()).unwrap();
    jobs::spawn_all(other).unwrap();
    for job in ["sweeper", "pruner", "publisher"] {
        let claims = format!("SELECT COUNT(*) AS n FROM job_runs WHERE job = '{job}'");
        let mut settled = None;
        for _ in 0..300 {
            let before = app.count(&claims).await;
            let (first, second) = (runs(client, &app.base, job).await, runs(client, &other_base, job).await);
            let after = app.count(&claims).await;
            assert!(first + second <= after, "{job}: {first} + {second} runs for {after} periods");
            if before == after && first + second == after && after >= 3 {
                settled = Some(after);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(settled.is_some(), "{job}: never three periods each run once in 30 s");
        let servers = app
            .count(&format!("SELECT COUNT(DISTINCT instance) AS n FROM job_runs WHERE job = '{job}'"))
            .await;
        assert!((1..=2).contains(&servers), "{job}");
    }
    // The audit head is exported once a day, by one of them, at start.
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM job_runs WHERE job = 'audit_head'").await, 1);
    let heads = std::fs::read_dir(app.audit_heads.path()).unwrap().count();
    assert_eq!(heads, 1, "one head file");
}
