//! A work history the worker owns: after its return the worker reads the season the scheme
//! recorded, shares it by a number and a code, and withdraws the share; the public check
//! shows that record and nothing else, answers a wrong code as an unknown number, and is
//! rate-limited. Recorded seasons count apart from (and above) the seasons an agency declared.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink_tests::problem;

use super::compliance::{AtWork, at_work};

const OWN: &str = "/api/v1/workers/me/work-history";
const SHARE: &str = "/api/v1/workers/me/work-history/share";

async fn public(w: &AtWork, number: &str, code: &str) -> reqwest::Response {
    w.app.get(&format!("/api/v1/public/work-history/{number}?code={code}"), None).await
}

#[actix_web::test]
async fn a_worker_reads_its_recorded_season_shares_it_and_withdraws_the_share() {
    let w = at_work().await;
    let own: Value = w.app.get(OWN, Some(&w.worker)).await.json().await.unwrap();
    assert_eq!(own["seasons"], json!([]));
    assert_eq!((own["seasons_verified"].as_i64(), own["seasons_declared"].as_i64()), (Some(0), Some(2)));
    // Nothing to share before a season is recorded: refused, nothing written.
    problem(w.app.post_json(SHARE, Some(&w.worker), &json!({})).await, 409, "conflict").await;
    assert_eq!(w.app.count("SELECT COUNT(*) AS n FROM work_history_shares").await, 0);

    w.come_home().await;
    let own: Value = w.app.get(OWN, Some(&w.worker)).await.json().await.unwrap();
    let season = &own["seasons"][0];
    assert_eq!(own["seasons"].as_array().unwrap().len(), 1);
    assert_eq!(season["employer_id"], w.employer.employer_id.as_str());
    assert!(season["employer_name"].as_str().is_some_and(|n| !n.is_empty()), "{season}");
    assert_eq!(season["occupation_code"], "sugarcane_cutting");
    assert_eq!(season["season_start"], json!(w.season_start));
    assert_eq!(season["returned_on"], json!(w.app.today()));
    assert_eq!(season["returned_on_time"], true);
    assert_eq!(own["good_standing"], true);
    // The recorded season counts apart: the agency's declared seasons stay what it typed.
    assert_eq!((own["seasons_verified"].as_i64(), own["seasons_declared"].as_i64()), (Some(1), Some(2)));
    let me: Value = w.app.get("/api/v1/workers/me", Some(&w.worker)).await.json().await.unwrap();
    let record: Value = w
        .app
        .get(&format!("/api/v1/workers/{}", me["id"].as_str().unwrap()), Some(&w.agency.session))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((record["seasons_worked"].as_i64(), record["seasons_verified"].as_i64()), (Some(2), Some(1)));

    // Only the worker reads and shares its history.
    for session in [&w.agency.session, &w.employer.session, &w.regulator] {
        problem(w.app.get(OWN, Some(session)).await, 403, "forbidden").await;
        problem(w.app.post_json(SHARE, Some(session), &json!({})).await, 403, "forbidden").await;
        problem(w.app.delete(SHARE, Some(session)).await, 403, "forbidden").await;
    }
    problem(w.app.get(OWN, None).await, 401, "not_authenticated").await;
    assert_eq!(w.app.count("SELECT COUNT(*) AS n FROM work_history_shares").await, 0);

    let response = w.app.post_json(SHARE, Some(&w.worker), &json!({})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let share: Value = response.json().await.unwrap();
    let (number, code) = (share["number"].as_str().unwrap(), share["code"].as_str().unwrap());
    assert!(number.starts_with("WH-"), "{number}");
    assert_eq!(share["link"], format!("/work-history/{number}?code={code}"));
    let again = w.app.post_json(SHARE, Some(&w.worker), &json!({})).await;
    assert_eq!(again.status(), StatusCode::OK, "the share already given");
    assert_eq!(again.json::<Value>().await.unwrap()["number"], number);

    // The public check: that record, the holder's initials, nothing else.
    let found = public(&w, number, &code.to_lowercase()).await;
    assert_eq!(found.status(), StatusCode::OK);
    let found: Value = found.json().await.unwrap();
    let mut keys: Vec<&str> = found.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["good_standing", "holder_initials", "number", "returned_on_time_count", "seasons"]);
    assert_eq!(found["holder_initials"], "N.T.H.");
    assert_eq!(found["seasons"], own["seasons"]);
    let text = found.to_string();
    for personal in ["Nguyễn", "001098000001", "+84", "lan@", "VN-09", "seasons_declared"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    // A wrong code answers exactly as an unknown number.
    let wrong = problem(public(&w, number, "AAAAAAAA").await, 404, "not_found").await;
    let unknown = problem(public(&w, "WH-AAAAAAAA", code).await, 404, "not_found").await;
    assert_eq!(wrong, unknown);
    assert_eq!(
        w.app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'work_history.shared'").await,
        1
    );

    // Withdrawn: the number and code read nothing; a new share is a new number.
    assert_eq!(w.app.delete(SHARE, Some(&w.worker)).await.status(), StatusCode::NO_CONTENT);
    problem(public(&w, number, code).await, 404, "not_found").await;
    problem(w.app.delete(SHARE, Some(&w.worker)).await, 404, "not_found").await;
    assert_eq!(
        w.app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'work_history.withdrawn'").await,
        1
    );
    let renewed: Value = w.app.post_json(SHARE, Some(&w.worker), &json!({})).await.json().await.unwrap();
    assert_ne!(renewed["number"], number);
    assert!(
        public(&w, renewed["number"].as_str().unwrap(), renewed["code"].as_str().unwrap())
            .await
            .status()
            .is_success()
    );
}

#[actix_web::test]
async fn guessing_a_share_code_is_rate_limited_per_number() {
    let w = at_work().await;
    w.come_home().await;
    let share: Value = w.app.post_json(SHARE, Some(&w.worker), &json!({})).await.json().await.unwrap();
    let (number, code) = (share["number"].as_str().unwrap(), share["code"].as_str().unwrap());
    for _ in 0..20 {
        problem(public(&w, number, "WRONGCDE").await, 404, "not_found").await;
    }
    // The next try of that number is refused, even with the right code; another number is not.
    let refused = public(&w, number, code).await;
    assert!(refused.headers().contains_key("retry-after"));
    problem(refused, 429, "rate_limited").await;
    problem(public(&w, "WH-BBBBBBBB", code).await, 404, "not_found").await;
}

#[actix_web::test]
async fn a_recorded_season_counts_in_full_in_the_ranking_and_a_declared_one_half() {
    let w = at_work().await;
    w.come_home().await;
    let today = w.app.today();
    let mut job = seasonlink_tests::vacancy(1900);
    job["season_start"] = json!(today + Duration::days(1));
    job["season_end"] = json!(today + Duration::days(60));
    let job: Value =
        w.app.post_json("/api/v1/vacancies", Some(&w.employer.session), &job).await.json().await.unwrap();
    let path = format!("/api/v1/vacancies/{}/candidates", job["id"].as_str().unwrap());
    let list: Vec<Value> = w.app.get(&path, Some(&w.agency.session)).await.json().await.unwrap();
    let returned = &list[0];
    assert_eq!(
        (returned["seasons_verified"].as_i64(), returned["seasons_worked"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(returned["parts"]["experience"], 40 + 2 * 20, "one recorded season, two declared");
    assert_eq!(returned["parts"]["returned_on_time"], 100);
}
