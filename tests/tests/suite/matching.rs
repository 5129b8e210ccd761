//! Ranked, explained candidates and exact season-wide proposals.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{AgencySession, EmployerSession, TestApp, day, problem, vacancy, worker};

pub(crate) async fn setup() -> (TestApp, AgencySession, EmployerSession) {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    (app, agency, employer)
}

pub(crate) async fn register(
    app: &TestApp,
    agency: &AgencySession,
    document: &str,
    changes: Value,
) -> String {
    let mut body = worker(document);
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn post_vacancy(app: &TestApp, employer: &EmployerSession, body: Value) -> String {
    let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn candidates_pass_the_hard_filters_and_are_ranked_with_their_parts() {
    let (app, agency, employer) = setup().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    let veteran = register(&app, &agency, "001090000001", json!({"seasons_worked": 4})).await;
    let novice =
        register(&app, &agency, "001090000002", json!({"seasons_worked": 0, "languages": ["vi"]})).await;
    register(&app, &agency, "001090000003", json!({"available_until": day(91)})).await; // leaves mid-season
    register(&app, &agency, "001090000004", json!({"skills": ["heavy_loading"]})).await; // no cane knife
    let other_agency = app.agency().await;
    register(&app, &other_agency, "001090000005", json!({"seasons_worked": 6})).await;

    let path = format!("/api/v1/vacancies/{vacancy_id}/candidates");
    let list: Vec<Value> = app.get(&path, Some(&agency.session)).await.json().await.unwrap();
    let ids: Vec<&str> = list.iter().map(|c| c["worker_id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![veteran.as_str(), novice.as_str()], "eligible, own workers only, best first");
    let best = &list[0];
    let parts = &best["parts"];
    let sum: i64 = ["skills", "experience", "returned_on_time", "named_request", "distance", "language"]
        .iter()
        .map(|k| parts[k].as_i64().unwrap())
        .sum();
    assert_eq!(best["score"].as_i64().unwrap(), sum, "the score is its parts");
    assert_eq!(parts["experience"], 80, "four seasons declared, none recorded: half weight");
    assert_eq!((best["seasons_worked"].as_i64(), best["seasons_verified"].as_i64()), (Some(4), Some(0)));
    assert_eq!(parts["language"], 50, "speaks Chinese");
    assert!(parts["distance"].as_i64().unwrap() > 0, "Lạng Sơn is near the Aidian crossing");
    assert_eq!(list[1]["parts"]["language"], 0);
    assert_eq!(best["initials"], "N.T.H.");
    let text = serde_json::to_string(&list).unwrap();
    for personal in ["Nguyễn", "001090000001", "+84", "date_of_birth", "full_name", "id_document_number"] {
        assert!(!text.contains(personal), "{personal} leaked: {text}");
    }
    let limited: Vec<Value> =
        app.get(&format!("{path}?limit=1"), Some(&agency.session)).await.json().await.unwrap();
    assert_eq!(limited.len(), 1);
    problem(app.get(&format!("{path}?limit=0"), Some(&agency.session)).await, 422, "validation_failed").await;
}

#[actix_web::test]
async fn candidates_are_for_licensed_agencies_and_open_vacancies() {
    let (app, agency, employer) = setup().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    let path = format!("/api/v1/vacancies/{vacancy_id}/candidates");
    for role in [Role::Employer, Role::Worker, Role::Regulator] {
        let session = app.login_as(role).await;
        problem(app.get(&path, Some(&session)).await, 403, "forbidden").await;
    }
    problem(app.get(&path, None).await, 401, "not_authenticated").await;
    problem(app.get("/api/v1/vacancies/nope/candidates", Some(&agency.session)).await, 404, "not_found")
        .await;
    let mut draft = vacancy(1800);
    draft["status"] = json!("draft");
    let draft_id = post_vacancy(&app, &employer, draft).await;
    let draft_path = format!("/api/v1/vacancies/{draft_id}/candidates");
    problem(app.get(&draft_path, Some(&agency.session)).await, 404, "not_found").await;

    let regulator = app.login_as_authority("VN").await;
    let suspend = format!("/api/v1/agencies/{}/licence/suspend", agency.agency_id);
    app.post_json(&suspend, Some(&regulator), &json!({"reason": "investigation"})).await;
    problem(app.get(&path, Some(&agency.session)).await, 403, "licence_inactive").await;
    problem(
        app.post_json("/api/v1/matching/proposals", Some(&agency.session), &json!({})).await,
        403,
        "licence_inactive",
    )
    .await;
}

/// A greedy pass would give the versatile worker to the first vacancy and leave the
/// specialist job empty; the proposal is optimal, so both are filled.
#[actix_web::test]
async fn proposals_are_optimal_where_greedy_is_not() {
    let (app, agency, employer) = setup().await;
    let mut open_job = vacancy(1800);
    open_job["headcount"] = json!(1);
    open_job["required_skills"] = json!([]);
    let open_id = post_vacancy(&app, &employer, open_job).await;
    let mut specialist = vacancy(1800);
    specialist["headcount"] = json!(1);
    specialist["required_skills"] = json!(["cane_knife"]);
    let specialist_id = post_vacancy(&app, &employer, specialist).await;
    let versatile = register(&app, &agency, "002090000001", json!({"seasons_worked": 5})).await;
    let loader =
        register(&app, &agency, "002090000002", json!({"skills": ["heavy_loading"], "seasons_worked": 0}))
            .await;

    let body = json!({"vacancy_ids": [open_id, specialist_id]});
    let response = app.post_json("/api/v1/matching/proposals", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let proposal: Value = response.json().await.unwrap();
    let lines = proposal["lines"].as_array().unwrap();
    let placed: Vec<(&str, &str)> =
        lines.iter().map(|l| (l["worker_id"].as_str().unwrap(), l["vacancy_id"].as_str().unwrap())).collect();
    assert!(placed.contains(&(versatile.as_str(), specialist_id.as_str())), "{proposal}");
    assert!(placed.contains(&(loader.as_str(), open_id.as_str())), "{proposal}");
    let total: i64 = lines.iter().map(|l| l["score"].as_i64().unwrap()).sum();
    assert_eq!(proposal["objective"].as_i64().unwrap(), total);
    assert_eq!(proposal["unfilled"], json!([]));
    assert!(proposal["solve_ms"].as_f64().unwrap() >= 0.0);

    // All open vacancies when none are named; the other agency's workers are not used.
    let other = app.agency().await;
    let all: Value = app
        .post_json("/api/v1/matching/proposals", Some(&other.session), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["lines"], json!([]));
    assert_eq!(all["unfilled"].as_array().unwrap().len(), 2);
}

/// Seventeen identical workers, seventeen one-seat vacancies that every worker ranks alike:
/// a proposal that tried only each worker's favourite few would leave seats empty; the exact
/// one fills every seat, one worker each.
#[actix_web::test]
async fn proposals_stay_exact_when_every_worker_wants_the_same_few_vacancies() {
    let (app, agency, employer) = setup().await;
    let mut ids = Vec::new();
    for _ in 0..17 {
        let mut one_seat = vacancy(1800);
        one_seat["headcount"] = json!(1);
        ids.push(post_vacancy(&app, &employer, one_seat).await);
    }
    for n in 0..17 {
        register(&app, &agency, &format!("003090{n:06}"), json!({"seasons_worked": 2})).await;
    }
    let body = json!({"vacancy_ids": ids});
    let response = app.post_json("/api/v1/matching/proposals", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let proposal: Value = response.json().await.unwrap();
    let lines = proposal["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 17, "every seat filled: {proposal}");
    let mut filled: Vec<&str> = lines.iter().map(|l| l["vacancy_id"].as_str().unwrap()).collect();
    filled.sort_unstable();
    filled.dedup();
    assert_eq!(filled.len(), 17, "one worker a seat");
    assert_eq!(proposal["unfilled"], json!([]));
    let total: i64 = lines.iter().map(|l| l["score"].as_i64().unwrap()).sum();
    assert_eq!(proposal["objective"].as_i64().unwrap(), total);
}

#[actix_web::test]
async fn proposals_refuse_bad_input_and_other_roles() {
    let (app, agency, employer) = setup().await;
    let unknown = json!({"vacancy_ids": ["no-such-vacancy"]});
    let err = problem(
        app.post_json("/api/v1/matching/proposals", Some(&agency.session), &unknown).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["vacancy_id"], "no-such-vacancy");
    let extra = json!({"vacancy_ids": [], "greedy": true});
    problem(
        app.post_json("/api/v1/matching/proposals", Some(&agency.session), &extra).await,
        400,
        "malformed_body",
    )
    .await;
    problem(
        app.post_json("/api/v1/matching/proposals", Some(&employer.session), &json!({})).await,
        403,
        "forbidden",
    )
    .await;
    problem(app.post_json("/api/v1/matching/proposals", None, &json!({})).await, 401, "not_authenticated")
        .await;
}

/// Records one return per past season, on time or not, straight into `worker_returns` (no
/// service writes them yet: the placements issue will).
async fn record_returns(app: &TestApp, worker_id: &str, on_time: &[bool]) {
    use diesel::prelude::*;
    use seasonlink::db::schema::worker_returns as r;
    let (worker_id, on_time, now) = (worker_id.to_owned(), on_time.to_vec(), app.state.clock.now());
    seasonlink::db::run(&app.state.pool, move |conn| {
        for (k, on_time) in on_time.into_iter().enumerate() {
            let start = day(-14 - 365 * (6 - k as i64));
            diesel::insert_into(r::table)
                .values((
                    r::id.eq(uuid::Uuid::now_v7().to_string()),
                    r::worker_id.eq(&worker_id),
                    r::season_start.eq(start),
                    r::season_end.eq(start + chrono::Duration::weeks(18)),
                    r::returned_on_time.eq(on_time),
                    r::recorded_at.eq(now.naive_utc()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
    .await
    .unwrap();
}

async fn candidate(
    app: &TestApp,
    agency: &AgencySession,
    vacancy_id: &str,
    worker_id: &str,
) -> Option<Value> {
    let path = format!("/api/v1/vacancies/{vacancy_id}/candidates");
    let list: Vec<Value> = app.get(&path, Some(&agency.session)).await.json().await.unwrap();
    list.into_iter().find(|c| c["worker_id"] == worker_id)
}

/// Ranking reads copies of a worker's skills and its count of returns on time; they follow
/// every change: an edit through the API, and returns however they are written.
#[actix_web::test]
async fn ranking_follows_edited_skills_and_recorded_returns() {
    let (app, agency, employer) = setup().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    let loader = register(&app, &agency, "008090000001", json!({"skills": ["heavy_loading"]})).await;
    assert!(candidate(&app, &agency, &vacancy_id, &loader).await.is_none(), "no cane knife");
    let edit = json!({"skills": ["cane_knife", "first_aid", "heavy_loading"]});
    let response = app.patch_json(&format!("/api/v1/workers/{loader}"), Some(&agency.session), &edit).await;
    assert_eq!(response.status(), StatusCode::OK);
    let found =
        candidate(&app, &agency, &vacancy_id, &loader).await.expect("a candidate once it has the skill");
    assert_eq!(found["parts"]["skills"], 40, "two skills beyond the cane knife");

    record_returns(&app, &loader, &[true, false, true]).await;
    let found = candidate(&app, &agency, &vacancy_id, &loader).await.unwrap();
    assert_eq!(
        (found["returned_on_time"].clone(), found["parts"]["returned_on_time"].clone()),
        (json!(2), json!(200))
    );

    seasonlink::db::run(&app.state.pool, move |conn| {
        use diesel::prelude::*;
        use seasonlink::db::schema::worker_returns as r;
        diesel::update(r::table.filter(r::returned_on_time.eq(false)))
            .set(r::returned_on_time.eq(true))
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
    let found = candidate(&app, &agency, &vacancy_id, &loader).await.unwrap();
    assert_eq!(found["parts"]["returned_on_time"], 300, "a late return corrected to on time");
    seasonlink::db::run(&app.state.pool, move |conn| {
        use diesel::prelude::*;
        diesel::delete(seasonlink::db::schema::worker_returns::table).execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
    let found = candidate(&app, &agency, &vacancy_id, &loader).await.unwrap();
    assert_eq!(found["parts"]["returned_on_time"], 0);
}

/// Each server keeps the profiles it ranks from; a worker registered or edited through one
/// server is ranked at once by both (the registry's stamp moved).
#[actix_web::test]
async fn every_server_ranks_a_worker_registered_or_edited_on_another_at_once() {
    let (app, agency, employer) = setup().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    let first = register(&app, &agency, "008090000011", json!({})).await;
    let (_, second) = app.second_server().await;
    let path = format!("/api/v1/vacancies/{vacancy_id}/candidates");
    let servers = [app.url(&path), format!("{second}{path}")];
    let (client, token) = (&app.client, &agency.session.token);
    let ranked = |url: String| async move {
        let response = client.get(url).bearer_auth(token).send().await.unwrap();
        let list: Vec<Value> = response.json().await.unwrap();
        list.iter().map(|c| c["worker_id"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    // Both servers have ranked, so both keep the agency's profiles.
    for url in &servers {
        assert_eq!(ranked(url.clone()).await, vec![first.clone()]);
    }
    let response = app
        .client
        .post(format!("{second}/api/v1/workers"))
        .bearer_auth(&agency.session.token)
        .json(&worker("008090000012"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let added = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    for url in &servers {
        assert_eq!(ranked(url.clone()).await.len(), 2, "the worker registered on the second server");
    }
    // Leaves mid-season: no longer eligible, on either server.
    let edit = json!({"available_until": day(91)});
    let response = app.patch_json(&format!("/api/v1/workers/{added}"), Some(&agency.session), &edit).await;
    assert_eq!(response.status(), StatusCode::OK);
    for url in &servers {
        assert_eq!(ranked(url.clone()).await, vec![first.clone()], "the edit made on the first server");
    }
}

/// Records, as the placements work would, that the worker came home on time from a season
/// with `employer_id`.
fn returned_on_time(app: &TestApp, worker_id: &str, employer_id: &str) {
    use diesel::RunQueryDsl;
    let mut conn = app.db.connect();
    diesel::sql_query(format!(
        "INSERT INTO worker_returns (id, worker_id, placement_id, employer_id, season_start, season_end, returned_on, returned_on_time, recorded_at) \
         VALUES ('{}', '{worker_id}', NULL, '{employer_id}', '{}', '{}', '{returned}', TRUE, '{returned} 08:00:00')",
        uuid::Uuid::now_v7(),
        day(-363),
        day(-243),
        returned = day(-238),
    ))
    .execute(&mut conn)
    .unwrap();
}

#[actix_web::test]
async fn a_named_worker_comes_first_and_a_placed_worker_is_out_of_the_running() {
    let (app, agency, employer) = setup().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    let veteran = register(&app, &agency, "001091000001", json!({"seasons_worked": 6})).await;
    let returner =
        register(&app, &agency, "001091000002", json!({"seasons_worked": 1, "languages": ["vi"]})).await;
    let path = format!("/api/v1/vacancies/{vacancy_id}/candidates");
    let before: Vec<Value> = app.get(&path, Some(&agency.session)).await.json().await.unwrap();
    assert_eq!(before[0]["worker_id"], veteran.as_str());

    // Only a worker who came home on time from this employer may be named.
    let named = format!("/api/v1/vacancies/{vacancy_id}/named-requests");
    let refused = app.post_json(&named, Some(&employer.session), &json!({"worker_id": returner})).await;
    problem(refused, 422, "validation_failed").await;
    returned_on_time(&app, &returner, &employer.employer_id);
    let other = app.employer(true).await;
    problem(
        app.post_json(&named, Some(&other.session), &json!({"worker_id": returner})).await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.post_json(&named, Some(&agency.session), &json!({"worker_id": returner})).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.post_json(&named, Some(&employer.session), &json!({"worker_id": returner})).await.status(),
        StatusCode::NO_CONTENT
    );

    let after: Vec<Value> = app.get(&path, Some(&agency.session)).await.json().await.unwrap();
    assert_eq!(after[0]["worker_id"], returner.as_str(), "the named request dominates");
    assert_eq!(after[0]["parts"]["named_request"], 10_000);
    assert_eq!(after[0]["parts"]["returned_on_time"], 100);

    // The proposal places the named worker with the employer that asked for it.
    let proposal: Value = app
        .post_json("/api/v1/matching/proposals", Some(&agency.session), &json!({"vacancy_ids": [vacancy_id]}))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        proposal["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["worker_id"] == returner.as_str() && l["score"].as_i64() > Some(10_000))
    );

    // Kept lines become offers, all or none; a placed worker leaves the candidates and the
    // vacancy's seat is taken.
    let lines = json!({"lines": [{"vacancy_id": vacancy_id, "worker_id": returner}]});
    let made = app.post_json("/api/v1/matching/proposals/offers", Some(&agency.session), &lines).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let again = app.post_json("/api/v1/matching/proposals/offers", Some(&agency.session), &lines).await;
    problem(again, 422, "validation_failed").await;
    problem(
        app.post_json("/api/v1/matching/proposals/offers", Some(&agency.session), &json!({"lines": []}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    let left: Vec<Value> = app.get(&path, Some(&agency.session)).await.json().await.unwrap();
    assert!(left.iter().all(|c| c["worker_id"] != returner.as_str()));
    let proposal: Value = app
        .post_json("/api/v1/matching/proposals", Some(&agency.session), &json!({"vacancy_ids": [vacancy_id]}))
        .await
        .json()
        .await
        .unwrap();
    assert!(proposal["lines"].as_array().unwrap().iter().all(|l| l["worker_id"] != returner.as_str()));
    let placed: Vec<Value> = app.get("/api/v1/placements", Some(&agency.session)).await.json().await.unwrap();
    assert_eq!(placed.len(), 1);
    problem(
        app.post_json("/api/v1/matching/proposals/offers", Some(&employer.session), &lines).await,
        403,
        "forbidden",
    )
    .await;
}

/// The matching rules live in the service: called without HTTP, only an agency ranks, proposes
/// and offers, and only its own workers; a refused offer writes nothing.
#[actix_web::test]
async fn the_matching_service_refuses_the_wrong_actor_without_http() {
    use seasonlink::actor::Actor;
    use seasonlink::error::ErrorCode;
    use seasonlink::services::matching::{self, KeptLine, ProposalRequest};

    let (app, agency, employer) = setup().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    let mut draft = vacancy(1800);
    draft["status"] = json!("draft");
    let draft_id = post_vacancy(&app, &employer, draft).await;
    let worker_id = register(&app, &agency, "001090000021", json!({})).await;
    let other_agency = app.agency().await;
    let actor = |role, org: &str| Actor { user_id: "someone".into(), role, org_id: Some(org.into()) };
    let own = actor(Role::Agency, &agency.agency_id);
    let other = actor(Role::Agency, &other_agency.agency_id);
    for wrong in [actor(Role::Employer, &employer.employer_id), actor(Role::Worker, &worker_id)] {
        let refused =
            matching::candidates(&app.state, &wrong, &vacancy_id.as_str().into(), 20).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Forbidden, "{:?}", wrong.role);
        let refused = matching::propose(&app.state, &wrong, ProposalRequest::default()).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Forbidden, "{:?}", wrong.role);
    }
    let hidden = matching::candidates(&app.state, &own, &draft_id.as_str().into(), 20).await.unwrap_err();
    assert_eq!(hidden.code, ErrorCode::NotFound, "a draft is not open");
    let limit = matching::candidates(&app.state, &own, &vacancy_id.as_str().into(), 0).await.unwrap_err();
    assert_eq!(limit.code, ErrorCode::ValidationFailed);
    assert!(
        matching::candidates(&app.state, &other, &vacancy_id.as_str().into(), 20).await.unwrap().is_empty()
    );

    let line = KeptLine { vacancy_id: vacancy_id.clone().into(), worker_id: worker_id.clone().into() };
    let refused = matching::make_offers(&app.state, &other, vec![line.clone()]).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::ValidationFailed);
    assert_eq!(refused.extra["reason"], "not_your_worker");
    let employer_actor = actor(Role::Employer, &employer.employer_id);
    let refused = matching::make_offers(&app.state, &employer_actor, vec![line.clone()]).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(
        matching::pseudonyms(&app.state, &other, vec![worker_id.clone().into()]).await.unwrap().is_empty()
    );

    let ranked = matching::candidates(&app.state, &own, &vacancy_id.as_str().into(), 20).await.unwrap();
    let ids: Vec<&str> = ranked.iter().map(|c| c.worker_id.as_str()).collect();
    assert_eq!(ids, vec![worker_id.as_str()], "nothing was written: the worker holds no placement");
    let kept = matching::keep_lines(&app.state, &own, vec![line]).await.unwrap();
    assert_eq!(kept.len(), 1, "its own agency keeps the line");
}

/// A regulator's what-if: every licensed agency's waiting workers over every open vacancy,
/// exact and written nowhere; a provincial authority counts only its side's reach, and only
/// regulators may ask.
#[actix_web::test]
async fn the_what_if_matches_every_licensed_agencys_workers_within_the_regulators_reach() {
    let (app, agency, employer) = setup().await;
    let mut cutters = vacancy(1800);
    cutters["headcount"] = json!(2);
    post_vacancy(&app, &employer, cutters).await;
    let mut hands = vacancy(1800);
    hands["headcount"] = json!(1);
    hands["required_skills"] = json!([]);
    post_vacancy(&app, &employer, hands).await;
    register(&app, &agency, "010090000001", json!({"seasons_worked": 5})).await;
    register(&app, &agency, "010090000002", json!({"skills": ["heavy_loading"]})).await;
    let other = app.agency().await;
    register(&app, &other, "010090000003", json!({"home_province_code": "VN-04"})).await;
    register(
        &app,
        &other,
        "010090000004",
        json!({"home_province_code": "VN-04", "available_until": day(60)}),
    )
    .await;
    let suspended = app.agency().await;
    register(&app, &suspended, "010090000005", json!({})).await;
    let vn = app.login_as_authority("VN").await;
    let suspend = format!("/api/v1/agencies/{}/licence/suspend", suspended.agency_id);
    let response = app.post_json(&suspend, Some(&vn), &json!({"reason": "investigation"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (audit, events) = (
        app.count("SELECT count(*) AS n FROM audit_log").await,
        app.count("SELECT count(*) AS n FROM events").await,
    );

    let national = app.login_as(Role::Regulator).await;
    let response = app.get("/api/v1/matching/what-if", Some(&national)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let all: Value = response.json().await.unwrap();
    assert_eq!(all["workers"], 4, "the suspended agency's worker waits: {all}");
    assert_eq!((all["vacancies"].as_i64(), all["open_seats"].as_i64()), (Some(2), Some(3)));
    assert_eq!(all["placed"], 3, "one worker is gone before the season ends: {all}");
    assert_eq!(all["regions"], json!([{"region_code": "451422", "open_seats": 3, "filled": 3}]));
    assert_eq!(
        all["provinces"],
        json!([{"home_province_code": "VN-04", "workers": 2, "placed": 1},
               {"home_province_code": "VN-09", "workers": 2, "placed": 2}])
    );
    // More workers over the same seats: never worse than one agency's own proposal.
    let own: Value = app
        .post_json("/api/v1/matching/proposals", Some(&agency.session), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(all["objective"].as_i64().unwrap() >= own["objective"].as_i64().unwrap(), "{all} {own}");
    assert!(all["objective"].as_i64().unwrap() > 0);
    let text = all.to_string();
    assert!(!text.contains("worker_id") && !text.contains("Nguyễn"), "no worker is named: {text}");
    assert_eq!(app.count("SELECT count(*) AS n FROM placements").await, 0, "nothing is written");
    assert_eq!(app.count("SELECT count(*) AS n FROM audit_log").await, audit);
    assert_eq!(app.count("SELECT count(*) AS n FROM events").await, events);

    // Viet Nam's Cao Bằng counts its own workers; China's Fusui has no vacancy.
    let cao_bang: Value = app
        .get("/api/v1/matching/what-if", Some(&app.login_as_provincial("VN", "VN-04").await))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((cao_bang["workers"].as_i64(), cao_bang["placed"].as_i64()), (Some(2), Some(1)), "{cao_bang}");
    assert_eq!(cao_bang["open_seats"], 3);
    let fusui: Value = app
        .get("/api/v1/matching/what-if", Some(&app.login_as_provincial("CN", "451421").await))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((fusui["vacancies"].as_i64(), fusui["placed"].as_i64()), (Some(0), Some(0)), "{fusui}");
    assert_eq!((fusui["workers"].as_i64(), fusui["regions"].clone()), (Some(4), json!([])));

    for role in [Role::Agency, Role::Employer, Role::Worker] {
        let session = app.login_as(role).await;
        problem(app.get("/api/v1/matching/what-if", Some(&session)).await, 403, "forbidden").await;
    }
    problem(app.get("/api/v1/matching/what-if", Some(&agency.session)).await, 403, "forbidden").await;
    problem(app.get("/api/v1/matching/what-if", None).await, 401, "not_authenticated").await;
    for role in [Role::Agency, Role::Employer, Role::Worker] {
        let ui = app.ui_login(&app.create_user(role, None).await).await;
        assert_eq!(app.ui_get("/regulator/what-if", &ui).await.status(), StatusCode::FORBIDDEN, "{role:?}");
    }
}
