//! The pages added for actions the API alone had keep to roles and tenants as the API does:
//! the wrong role is refused (403), another tenant's record is not found (404), and a refused
//! post writes nothing.

use reqwest::StatusCode;
use serde_json::Value;

use seasonlink_tests::{TestApp, vacancy, worker};

use super::compliance::at_work;

#[actix_web::test]
async fn the_new_pages_refuse_the_wrong_role_and_another_tenant() {
    let w = at_work().await;
    let app: &TestApp = &w.app;
    let agency_ui = app.ui_login(&w.agency.session.email).await;
    let employer_ui = app.ui_login(&w.employer.session.email).await;
    let worker_ui = app.ui_login(&w.worker.email).await;

    // Regulators' desks: nobody else.
    for path in ["/regulator/alerts", "/regulator/audit", "/regulator/audit/check", "/regulator/authorities"]
    {
        for ui in [&agency_ui, &employer_ui, &worker_ui] {
            assert_eq!(app.ui_get(path, ui).await.status(), StatusCode::FORBIDDEN, "{path}");
        }
    }
    let authorities = app.count("SELECT COUNT(*) AS n FROM authorities").await;
    let refused =
        app.ui_post("/regulator/authorities", &employer_ui, &[("name", "x"), ("country", "CN")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM authorities").await, authorities);

    // The worker's seasons: the worker only.
    for ui in [&agency_ui, &employer_ui] {
        assert_eq!(app.ui_get("/worker/work-history", ui).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.ui_post("/worker/work-history/share", ui, &[]).await.status(), StatusCode::FORBIDDEN);
    }

    // Another employer edits neither the vacancy nor the contract; an agency amends nothing.
    let other = app.employer(true).await;
    let other_ui = app.ui_login(&other.session.email).await;
    let job: Value = app
        .post_json("/api/v1/vacancies", Some(&w.employer.session), &vacancy(1900))
        .await
        .json()
        .await
        .unwrap();
    let edit = format!("/employer/vacancies/{}/edit", job["id"].as_str().unwrap());
    assert_eq!(app.ui_get(&edit, &other_ui).await.status(), StatusCode::NOT_FOUND);
    let amendment = format!("/placements/{}/amendment", w.placement_id);
    assert_eq!(app.ui_get(&amendment, &other_ui).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.ui_get(&amendment, &agency_ui).await.status(), StatusCode::FORBIDDEN);
    // A departed worker's contract is amended no more: refused on the form, nothing written.
    let contracts = app.count("SELECT COUNT(*) AS n FROM contracts").await;
    let fields = [
        ("pay_basis", "hourly"),
        ("wage", "25.00"),
        ("hours_per_week", "48"),
        ("guaranteed_hours_per_week", "40"),
    ];
    let late = app.ui_post(&amendment, &employer_ui, &fields).await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM contracts").await, contracts);

    // Another agency edits none of this agency's workers.
    let created: Value = app
        .post_json("/api/v1/workers", Some(&w.agency.session), &worker("001096000900"))
        .await
        .json()
        .await
        .unwrap();
    let worker_edit = format!("/agency/workers/{}/edit", created["id"].as_str().unwrap());
    let rival = app.agency().await;
    let rival_ui = app.ui_login(&rival.session.email).await;
    assert_eq!(app.ui_get(&worker_edit, &rival_ui).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.ui_get(&worker_edit, &employer_ui).await.status(), StatusCode::FORBIDDEN);
    let renamed = app.ui_post(&worker_edit, &rival_ui, &[("full_name", "Someone Else")]).await;
    assert!(renamed.status().is_client_error());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM workers WHERE full_name = 'Someone Else'").await, 0);

    // Naming from a placement: the employer only, and only a worker home on time.
    let named = format!("/placements/{}/name", w.placement_id);
    let vacancy_id = job["id"].as_str().unwrap();
    let me: Value = app.get("/api/v1/workers/me", Some(&w.worker)).await.json().await.unwrap();
    let fields = [("vacancy_id", vacancy_id), ("worker_id", me["id"].as_str().unwrap())];
    let not_home = app.ui_post(&named, &employer_ui, &fields).await;
    assert!(not_home.status().is_client_error(), "{}", not_home.status());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM named_requests").await, 0);
}
