//! Ratings that count: after its return a worker rates its agency and its employer, once each;
//! the public reads the mean and count, and texts only once a regulator approved them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::compliance::{AtWork, at_work};

async fn rate(w: &AtWork, body: Value) -> reqwest::Response {
    let path = format!("/api/v1/placements/{}/rating", w.placement_id);
    w.app.post_json(&path, Some(&w.worker), &body).await
}

async fn licence(w: &AtWork) -> Value {
    let path = format!("/api/v1/public/licences/{}", w.agency.licence_number);
    w.app.get(&path, None).await.json().await.unwrap()
}

#[actix_web::test]
async fn a_worker_rates_its_agency_and_employer_once_after_its_return() {
    let w = at_work().await;
    // Before the return: refused, nothing written.
    seasonlink_tests::problem(rate(&w, json!({"score": 5})).await, 409, "conflict").await;
    w.come_home().await;

    // Bad input, and the wrong people: nothing written.
    for (body, field) in [(json!({"score": 0}), "score"), (json!({"score": 6}), "score")] {
        let refused = seasonlink_tests::problem(rate(&w, body).await, 422, "validation_failed").await;
        assert_eq!(refused["field"], field);
    }
    let long = "x".repeat(2001);
    seasonlink_tests::problem(rate(&w, json!({"score": 3, "text": long})).await, 422, "validation_failed")
        .await;
    seasonlink_tests::problem(
        rate(&w, json!({"score": 3, "subject": "regulator"})).await,
        400,
        "malformed_body",
    )
    .await;
    let path = format!("/api/v1/placements/{}/rating", w.placement_id);
    for session in [&w.agency.session, &w.employer.session, &w.regulator] {
        let refused = w.app.post_json(&path, Some(session), &json!({"score": 1})).await;
        seasonlink_tests::problem(refused, 403, "forbidden").await;
    }
    // Another worker does not see this placement at all.
    let created = w
        .app
        .post_json("/api/v1/workers", Some(&w.agency.session), &seasonlink_tests::worker("001090000301"))
        .await;
    let other_id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let other = w.app.activate_worker(&other_id).await;
    let refused = w.app.post_json(&path, Some(&other), &json!({"score": 1})).await;
    seasonlink_tests::problem(refused, 404, "not_found").await;
    assert_eq!(w.app.count("SELECT COUNT(*) AS n FROM ratings").await, 0);

    let text = "Công ty giúp tôi làm giấy tờ, không thu đồng nào.";
    let given = rate(&w, json!({"score": 4, "text": text})).await;
    assert_eq!(given.status(), StatusCode::CREATED);
    let given: Value = given.json().await.unwrap();
    assert_eq!((given["subject"].as_str(), given["text_status"].as_str()), (Some("agency"), Some("pending")));
    seasonlink_tests::problem(rate(&w, json!({"score": 1})).await, 409, "conflict").await;
    let employer = rate(&w, json!({"score": 5, "subject": "employer"})).await;
    assert_eq!(employer.status(), StatusCode::CREATED);

    // The public reads the mean and the count at once, the text only once approved.
    let public = licence(&w).await;
    assert_eq!((public["rating"]["count"].as_i64(), public["rating"]["mean"].as_f64()), (Some(1), Some(4.0)));
    assert_eq!(public["rating"]["texts"], json!([]));
    assert!(!public.to_string().contains(&w.worker.email) && !public.to_string().contains("worker_id"));
    let card: Value = w
        .app
        .get(&format!("/api/v1/public/employers/{}", w.employer.employer_id), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((card["rating"]["count"].as_i64(), card["rating"]["mean"].as_f64()), (Some(1), Some(5.0)));

    // Only regulators read and decide the pending texts; the agency cannot.
    let pending = w.app.get("/api/v1/ratings/pending", Some(&w.agency.session)).await;
    seasonlink_tests::problem(pending, 403, "forbidden").await;
    let pending: Vec<Value> =
        w.app.get("/api/v1/ratings/pending", Some(&w.vn_regulator)).await.json().await.unwrap();
    assert_eq!(pending.len(), 1);
    let moderate = format!("/api/v1/ratings/{}/moderation", pending[0]["id"].as_str().unwrap());
    let refused = w.app.post_json(&moderate, Some(&w.agency.session), &json!({"approve": true})).await;
    seasonlink_tests::problem(refused, 403, "forbidden").await;
    let approved = w.app.post_json(&moderate, Some(&w.vn_regulator), &json!({"approve": true})).await;
    assert_eq!(approved.status(), StatusCode::OK);
    let again = w.app.post_json(&moderate, Some(&w.vn_regulator), &json!({"approve": false})).await;
    seasonlink_tests::problem(again, 409, "conflict").await;
    let public = licence(&w).await;
    assert_eq!(public["rating"]["texts"][0]["text"], text);
    assert_eq!(public["rating"]["texts"][0]["score"], 4);

    // The licence page and the employer's card say it in words.
    let page = w.app.get(&format!("/licences/{}", w.agency.licence_number), None).await.text().await.unwrap();
    assert!(page.contains("4.0 of 5, from 1 workers") && page.contains(text), "{page}");
    let card = w.app.get(&format!("/employers/{}", w.employer.employer_id), None).await.text().await.unwrap();
    assert!(card.contains("5.0 of 5"), "{card}");
    // An employer not verified has no public card.
    let pending_employer = w.app.employer(false).await;
    let path = format!("/api/v1/public/employers/{}", pending_employer.employer_id);
    seasonlink_tests::problem(w.app.get(&path, None).await, 404, "not_found").await;
}
