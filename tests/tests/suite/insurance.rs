//! Insurance stated and verified: a contract states its work-injury and return insurance,
//! paid by the employer or the agency; the permit desk verifies it; no permit without it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{AgencySession, EmployerSession, Session, TestApp, insurance, problem, vacancy};

struct Desk {
    app: TestApp,
    cn: Session,
    employer: EmployerSession,
    agency: AgencySession,
}

async fn desk() -> Desk {
    let app = TestApp::spawn().await;
    let cn = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&cn).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    Desk { app, cn, employer, agency }
}

impl Desk {
    async fn post_vacancy(&self, body: &Value) -> reqwest::Response {
        self.app.post_json("/api/v1/vacancies", Some(&self.employer.session), body).await
    }

    async fn accepted(&self, vacancy_id: &str, document: &str) -> (String, Session) {
        self.app.accepted_placement(&self.agency, vacancy_id, document).await
    }

    async fn accept(&self, holder: &Session, id: &str) {
        let contract: Value = self
            .app
            .get(&format!("/api/v1/placements/{id}/contract?lang=vi"), Some(holder))
            .await
            .json()
            .await
            .unwrap();
        let body = json!({"version": contract["version"], "sha256": contract["sha256"], "lang": "vi"});
        let accepted = self.act(holder, id, "accept", body).await;
        assert!(accepted.status().is_success(), "{:?}", accepted.text().await);
    }

    async fn act(&self, session: &Session, id: &str, action: &str, body: Value) -> reqwest::Response {
        self.app.post_json(&format!("/api/v1/placements/{id}/{action}"), Some(session), &body).await
    }

    async fn permits(&self) -> i64 {
        self.app.count("SELECT COUNT(*) AS n FROM permits").await
    }
}

#[actix_web::test]
async fn a_vacancy_states_insurance_the_worker_never_pays_for() {
    let d = desk().await;
    for (field, value, bad) in [
        ("paid_by", "paid_by", json!("worker")),
        ("insurer", "insurer", json!("  ")),
        ("policy_number", "policy_number", json!("")),
        ("work_injury_cover_fen", "work_injury_cover_fen", json!(0)),
        ("return_cover_fen", "return_cover_fen", json!(-5)),
    ] {
        let mut body = vacancy(1800);
        body["insurance"][value] = bad;
        let refused = problem(d.post_vacancy(&body).await, 422, "validation_failed").await;
        assert_eq!(refused["field"], field, "{refused}");
    }
    let mut unknown = vacancy(1800);
    unknown["insurance"]["deductible_fen"] = json!(100);
    problem(d.post_vacancy(&unknown).await, 400, "malformed_body").await;
    assert_eq!(d.app.count("SELECT COUNT(*) AS n FROM vacancies").await, 0, "nothing written");

    let posted: Value = d.post_vacancy(&vacancy(1800)).await.json().await.unwrap();
    assert_eq!(posted["insurance"], insurance());
    let (id, holder) = d.accepted(posted["id"].as_str().unwrap(), "001090000101").await;
    // The worker's contract states it, in the terms its hash covers.
    let contract: Value = d
        .app
        .get(&format!("/api/v1/placements/{id}/contract?lang=vi"), Some(&holder))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(contract["terms"]["insurance"], insurance());
    let page = d.app.ui_get(&format!("/placements/{id}"), &d.app.ui_login(&holder.email).await).await;
    let html = page.text().await.unwrap();
    assert!(html.contains("Tai nạn lao động: tối đa 600.000,00 tệ cho mỗi người lao động"), "{html}");
    assert!(html.contains("người lao động không bao giờ phải trả"));
}

#[actix_web::test]
async fn no_permit_until_the_permit_desk_verified_the_insurance_the_contract_states() {
    let d = desk().await;
    let mut uninsured = vacancy(1800);
    uninsured.as_object_mut().unwrap().remove("insurance");
    let posted: Value = d.post_vacancy(&uninsured).await.json().await.unwrap();
    assert_eq!(posted["insurance"], Value::Null);
    let (id, holder) = d.accepted(posted["id"].as_str().unwrap(), "001090000102").await;

    // Stated nowhere: neither a permit nor a verification.
    let refused = problem(d.act(&d.cn, &id, "permit", json!({})).await, 422, "insurance_missing").await;
    assert_eq!(refused["verified"], false);
    problem(d.act(&d.cn, &id, "insurance/verify", json!({})).await, 422, "insurance_missing").await;
    assert_eq!(d.permits().await, 0);

    // The employer amends the contract to state it; the worker accepts the new version.
    let amendment = json!({"changes": {"insurance": insurance()}, "reason": "group policy bought"});
    let amended = d.act(&d.employer.session, &id, "amendments", amendment).await;
    assert_eq!(amended.status(), StatusCode::OK, "{:?}", amended.text().await);
    d.accept(&holder, &id).await;
    let detail: Value =
        d.app.get(&format!("/api/v1/placements/{id}"), Some(&d.cn)).await.json().await.unwrap();
    assert_eq!(detail["insurance"]["stated"], insurance());
    assert_eq!(detail["insurance"]["verified"], false);
    problem(d.act(&d.cn, &id, "permit", json!({})).await, 422, "insurance_missing").await;

    // Only the permit desk of China's side verifies: not Viet Nam's, not the parties.
    let vn = d.app.login_as_authority("VN").await;
    problem(d.act(&vn, &id, "insurance/verify", json!({})).await, 403, "forbidden").await;
    problem(d.act(&d.employer.session, &id, "insurance/verify", json!({})).await, 403, "forbidden").await;
    problem(d.act(&d.agency.session, &id, "insurance/verify", json!({})).await, 403, "forbidden").await;
    let other = d.app.agency().await;
    problem(d.act(&other.session, &id, "insurance/verify", json!({})).await, 404, "not_found").await;
    assert_eq!(d.app.count("SELECT COUNT(*) AS n FROM insurance_checks").await, 0);

    let verified: Value = d.act(&d.cn, &id, "insurance/verify", json!({})).await.json().await.unwrap();
    assert_eq!(verified["insurance"]["verified"], true);
    // Again: nothing more is written.
    assert_eq!(d.act(&d.cn, &id, "insurance/verify", json!({})).await.status(), StatusCode::OK);
    let audited = "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'placement.insurance_verified'";
    assert_eq!(d.app.count(audited).await, 1);

    // A pay amendment keeps the insurance, and its verification; a new policy needs another.
    let raise = json!({"changes": {"wage_fen": 1900}});
    assert_eq!(d.act(&d.employer.session, &id, "amendments", raise).await.status(), StatusCode::OK);
    d.accept(&holder, &id).await;
    let detail: Value =
        d.app.get(&format!("/api/v1/placements/{id}"), Some(&d.cn)).await.json().await.unwrap();
    assert_eq!(detail["insurance"]["verified"], true, "the same insurance stays verified");
    let mut renewed = insurance();
    renewed["policy_number"] = json!("PICC-GX-2026-000002");
    let renewal = json!({"changes": {"insurance": renewed}});
    assert_eq!(d.act(&d.employer.session, &id, "amendments", renewal).await.status(), StatusCode::OK);
    d.accept(&holder, &id).await;
    problem(d.act(&d.cn, &id, "permit", json!({})).await, 422, "insurance_missing").await;
    assert_eq!(d.permits().await, 0);
    d.app.verify_insurance(&d.cn, &id).await;
    assert_eq!(d.act(&d.cn, &id, "permit", json!({})).await.status(), StatusCode::CREATED);
    assert_eq!(d.permits().await, 1);
}
