//! The employer's equivalent of a suspended licence, and both taken from a case: China's side
//! suspends a verified employer with a reason; it opens no vacancy and its vacancies take no
//! offer until reinstated, while the placements it has go on. A regulator suspends the party
//! a case is against from the case's page.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink_tests::pages::form_token;
use seasonlink_tests::{problem, vacancy, worker};

use super::compliance::{AtWork, at_work};

async fn decide(
    w: &AtWork,
    session: &seasonlink_tests::Session,
    action: &str,
    body: Value,
) -> reqwest::Response {
    let path = format!("/api/v1/employers/{}/{action}", w.employer.employer_id);
    w.app.post_json(&path, Some(session), &body).await
}

async fn status(w: &AtWork) -> Value {
    let path = format!("/api/v1/employers/{}", w.employer.employer_id);
    w.app.get(&path, Some(&w.regulator)).await.json::<Value>().await.unwrap()["status"].clone()
}

/// The ids on the public board.
async fn board(w: &AtWork) -> Vec<String> {
    let listed: Vec<Value> = w.app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    listed.iter().map(|v| v["id"].as_str().unwrap().to_owned()).collect()
}

async fn licence(w: &AtWork) -> Value {
    let path = format!("/api/v1/public/licences/{}", w.agency.licence_number);
    w.app.get(&path, None).await.json::<Value>().await.unwrap()["status"].clone()
}

async fn offer(w: &AtWork, vacancy_id: &str, document: &str) -> reqwest::Response {
    let created: Value = w
        .app
        .post_json("/api/v1/workers", Some(&w.agency.session), &worker(document))
        .await
        .json()
        .await
        .unwrap();
    let body = json!({"vacancy_id": vacancy_id, "worker_id": created["id"]});
    w.app.post_json("/api/v1/placements", Some(&w.agency.session), &body).await
}

#[actix_web::test]
async fn a_suspended_employer_opens_nothing_and_takes_no_offer_until_reinstated() {
    let w = at_work().await;
    let open: Value = w
        .app
        .post_json("/api/v1/vacancies", Some(&w.employer.session), &vacancy(1900))
        .await
        .json()
        .await
        .unwrap();
    let open_id = open["id"].as_str().unwrap();
    let mut draft = vacancy(1900);
    draft["status"] = json!("draft");
    let draft: Value =
        w.app.post_json("/api/v1/vacancies", Some(&w.employer.session), &draft).await.json().await.unwrap();

    // No reason, the wrong side, the wrong roles: refused, nothing changed.
    problem(decide(&w, &w.regulator, "suspend", json!({})).await, 422, "validation_failed").await;
    problem(decide(&w, &w.regulator, "suspend", json!({"reason": "  "})).await, 422, "validation_failed")
        .await;
    problem(decide(&w, &w.vn_regulator, "suspend", json!({"reason": "x"})).await, 403, "forbidden").await;
    for session in [&w.employer.session, &w.agency.session, &w.worker] {
        problem(decide(&w, session, "suspend", json!({"reason": "x"})).await, 403, "forbidden").await;
    }
    problem(decide(&w, &w.regulator, "reinstate", json!({})).await, 409, "conflict").await;
    assert_eq!(status(&w).await, "verified");
    assert_eq!(w.app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'employer.s%'").await, 0);

    let suspended = decide(&w, &w.regulator, "suspend", json!({"reason": "unpaid wages, case 12"})).await;
    assert_eq!(suspended.status(), StatusCode::OK);
    assert_eq!(suspended.json::<Value>().await.unwrap()["status"], "suspended");
    // Partners learn it, and the employer is told why, in Chinese.
    let events = "SELECT COUNT(*) AS n FROM events WHERE event_type = 'employer.suspended'";
    assert_eq!(w.app.count(events).await, 1);
    let told = "SELECT COUNT(*) AS n FROM notices n JOIN events e ON e.seq = n.event_seq \
                WHERE e.event_type = 'employer.suspended' AND n.language = 'zh-CN' \
                AND n.body LIKE '%unpaid wages, case 12%'";
    assert_eq!(w.app.count(told).await, 1);
    problem(decide(&w, &w.regulator, "suspend", json!({"reason": "again"})).await, 409, "conflict").await;
    let verify = format!("/api/v1/employers/{}/verify", w.employer.employer_id);
    problem(w.app.post_json(&verify, Some(&w.regulator), &json!({})).await, 409, "conflict").await;

    // It opens nothing, and its open vacancy takes no offer; its placement goes on.
    let refused = w.app.post_json("/api/v1/vacancies", Some(&w.employer.session), &vacancy(1900)).await;
    problem(refused, 403, "employer_not_verified").await;
    let open_draft = format!("/api/v1/vacancies/{}/open", draft["id"].as_str().unwrap());
    problem(
        w.app.post_json(&open_draft, Some(&w.employer.session), &json!({})).await,
        403,
        "employer_not_verified",
    )
    .await;
    let placements = w.app.count("SELECT COUNT(*) AS n FROM placements").await;
    problem(offer(&w, open_id, "001098000501").await, 403, "employer_not_verified").await;
    assert_eq!(w.app.count("SELECT COUNT(*) AS n FROM placements").await, placements, "nothing written");
    let own = w.app.get(&format!("/api/v1/placements/{}", w.placement_id), Some(&w.employer.session)).await;
    assert_eq!(own.status(), StatusCode::OK);

    // Its vacancies leave the board (and so the agencies' proposals) while it is suspended.
    assert!(!board(&w).await.contains(&open_id.to_owned()));
    let proposal: Value = w
        .app
        .post_json("/api/v1/matching/proposals", Some(&w.agency.session), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(!proposal.to_string().contains(open_id), "{proposal}");

    // The public reads it on the employer's card.
    let card: Value = w
        .app
        .get(&format!("/api/v1/public/employers/{}", w.employer.employer_id), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["status"], "suspended");
    let page = w.app.get(&format!("/employers/{}", w.employer.employer_id), None).await.text().await.unwrap();
    assert!(page.contains("data-status=\"suspended\""), "{page}");

    let reinstated = decide(&w, &w.regulator, "reinstate", json!({})).await;
    assert_eq!(reinstated.json::<Value>().await.unwrap()["status"], "verified");
    assert!(board(&w).await.contains(&open_id.to_owned()));
    assert_eq!(offer(&w, open_id, "001098000502").await.status(), StatusCode::CREATED);
    let actions =
        "SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('employer.suspended', 'employer.reinstated')";
    assert_eq!(w.app.count(actions).await, 2);
}

/// The fee an agency charged opens a case on Viet Nam's side: its regulator suspends the
/// licence from the case's page, one action away; China's side reads the case without the form.
#[actix_web::test]
async fn the_case_page_names_its_party_and_suspends_it_in_one_action() {
    let w = at_work().await;
    let body = json!({"agency_id": w.agency.agency_id, "amount_fen": 300_000, "paid_on": w.app.today(),
                      "description": "phí giới thiệu việc làm"});
    let opened: Value =
        w.app.post_json("/api/v1/fee-reports", Some(&w.worker), &body).await.json().await.unwrap();
    let case_id = opened["case_id"].as_str().unwrap().to_owned();
    let path = format!("/regulator/cases/{case_id}");

    let china = w.app.ui_login(&w.regulator.email).await;
    let read = w.app.ui_get(&path, &china).await.text().await.unwrap();
    assert!(read.contains("id=\"party-link\""), "{read}");
    assert!(!read.contains("id=\"suspend-form\""), "China's side does not decide an agency's licence");
    let refused = w.app.ui_post(&format!("{path}/party/suspend"), &china, &[("reason", "fee")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let vn = w.app.ui_login(&w.vn_regulator.email).await;
    let html = w.app.ui_get(&path, &vn).await.text().await.unwrap();
    assert!(
        html.contains(&format!("href=\"/regulator/agencies/{}\" id=\"party-link\"", w.agency.agency_id)),
        "{html}"
    );
    assert!(html.contains("id=\"suspend-form\""), "{html}");
    // Without a reason: refused on the page, the licence untouched.
    let vn = seasonlink_tests::pages::UiSession { csrf: form_token(&html), ..vn };
    let empty = w.app.ui_post(&format!("{path}/party/suspend"), &vn, &[("reason", "")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(licence(&w).await, "active");

    let done =
        w.app.ui_post(&format!("{path}/party/suspend"), &vn, &[("reason", "fee charged to a worker")]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(licence(&w).await, "suspended");
    let after = w.app.ui_get(&path, &vn).await.text().await.unwrap();
    assert!(after.contains("data-suspended=\"true\"") && after.contains("id=\"reinstate-form\""), "{after}");
}
