//! The agency's matching pages over HTTP: ranked candidates explained in the reader's
//! language, and a season-wide proposal reviewed line by line.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::pages::UiSession;
use seasonlink_tests::{AgencySession, TestApp, vacancy};

use crate::matching::{post_vacancy, register, setup};

/// The HTML of one candidate or proposal line: from its `data-worker` to the next one.
fn block<'a>(html: &'a str, worker_id: &str) -> &'a str {
    let start =
        html.find(&format!("data-worker=\"{worker_id}\"")).unwrap_or_else(|| panic!("{worker_id} in {html}"));
    let rest = &html[start..];
    let end = rest[1..].find("data-worker=").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

fn in_language(ui: &UiSession, lang: &str) -> UiSession {
    UiSession { cookies: format!("{}; sl_lang={lang}", ui.cookies), ..ui.clone() }
}

async fn page(app: &TestApp, path: &str, ui: &UiSession) -> (StatusCode, String) {
    let response = app.ui_get(path, ui).await;
    (response.status(), response.text().await.unwrap())
}

#[actix_web::test]
async fn an_agency_sees_its_ranked_candidates_explained_in_its_language() {
    let (app, agency, employer) = setup().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    let veteran = register(&app, &agency, "003090000001", json!({"seasons_worked": 4})).await;
    let novice =
        register(&app, &agency, "003090000002", json!({"seasons_worked": 0, "languages": ["vi"]})).await;
    let no_knife = register(&app, &agency, "003090000003", json!({"skills": ["heavy_loading"]})).await;
    let other = app.agency().await;
    let others_worker = register(&app, &other, "003090000004", json!({"seasons_worked": 6})).await;
    let path = format!("/vacancies/{vacancy_id}/candidates");
    let api: Vec<Value> =
        app.get(&format!("/api/v1{path}"), Some(&agency.session)).await.json().await.unwrap();
    let best = &api[0];
    assert_eq!(best["worker_id"], veteran.as_str());

    let ui = app.ui_login(&agency.session.email).await;
    let (status, html) = page(&app, &path, &ui).await;
    assert_eq!(status, StatusCode::OK);
    let (first, second) = (html.find(&veteran).unwrap(), html.find(&novice).unwrap());
    assert!(first < second, "best first");
    assert!(!html.contains(&no_knife) && !html.contains(&others_worker), "eligible, own workers only");
    let card = block(&html, &veteran);
    assert!(card.contains(&format!("data-score=\"{}\"", best["score"])), "{card}");
    let km = best["distance_km"].as_i64().unwrap();
    for words in [
        "N.T.H.",
        "25-34",
        "0 seasons recorded · 4 declared",
        "declared by the agency (count half): 4</span> <strong class=\"points\">+80",
        "Speaks Chinese</span> <strong class=\"points\">+50",
        "Skills beyond those the job needs: 1</span> <strong class=\"points\">+20",
        "Came home on time: 0 times</span> <strong class=\"points\">+0",
        "Not named by the employer",
        &format!(
            "Lives {km} km from the Aidian – Chi Ma crossing (Lang Son)</span> <strong class=\"points\">+{}",
            best["parts"]["distance"]
        ),
    ] {
        assert!(card.contains(words), "{words} in {card}");
    }
    assert!(block(&html, &novice).contains("Does not speak Chinese"));
    for personal in ["Nguyễn", "003090000001", "+84 912"] {
        assert!(!html.contains(personal), "{personal} shown");
    }

    let (_, vi) = page(&app, &path, &in_language(&ui, "vi")).await;
    let card = block(&vi, &veteran);
    for words in ["do đại lý tự khai (tính một nửa): 4", "Biết tiếng Trung", "Cửa khẩu Chi Ma", "Lạng Sơn"]
    {
        assert!(card.contains(words), "{words} in {card}");
    }
    let (_, zh) = page(&app, &path, &in_language(&ui, "zh-CN")).await;
    let card = block(&zh, &veteran);
    for words in ["中介申报的（按一半计）：4 个", "会说中文", "爱店口岸", "谅山省"] {
        assert!(card.contains(words), "{words} in {card}");
    }

    // The board and the vacancy link to the candidates for an agency only.
    let link = format!("href=\"{path}\"");
    assert!(page(&app, "/vacancies", &ui).await.1.contains(&link));
    assert!(page(&app, &format!("/vacancies/{vacancy_id}"), &ui).await.1.contains(&link));
    assert!(!app.get("/vacancies", None).await.text().await.unwrap().contains(&link));
    let employer_ui = app.ui_login(&employer.session.email).await;
    assert!(!page(&app, "/vacancies", &employer_ui).await.1.contains(&link));
}

#[actix_web::test]
async fn the_matching_pages_are_for_licensed_agencies_and_open_vacancies() {
    let (app, agency, employer) = setup().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    let mine = register(&app, &agency, "004090000001", json!({})).await;
    let other = app.agency().await;
    let theirs = register(&app, &other, "004090000002", json!({})).await;
    let path = format!("/vacancies/{vacancy_id}/candidates");

    let other_ui = app.ui_login(&other.session.email).await;
    let (status, html) = page(&app, &path, &other_ui).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&theirs) && !html.contains(&mine), "another agency sees only its own workers");

    for role in [Role::Employer, Role::Worker, Role::Regulator] {
        let email = app.create_user(role, None).await;
        let ui = app.ui_login(&email).await;
        assert_eq!(app.ui_get(&path, &ui).await.status(), StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(app.ui_get("/matching/proposals", &ui).await.status(), StatusCode::FORBIDDEN);
        let posted = app.ui_post("/matching/proposals", &ui, &[("scope", "all")]).await;
        assert_eq!(posted.status(), StatusCode::FORBIDDEN);
        let keep = format!("{vacancy_id}:{mine}");
        let reviewed = app.ui_post("/matching/proposals/review", &ui, &[("keep", keep.as_str())]).await;
        assert_eq!(reviewed.status(), StatusCode::FORBIDDEN);
    }
    let anonymous = app.get(&path, None).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers()["location"], "/login");

    let ui = app.ui_login(&agency.session.email).await;
    let (status, html) = page(&app, "/vacancies/no-such-vacancy/candidates", &ui).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("data-code=\"not_found\""), "{html}");
    let mut draft = vacancy(1800);
    draft["status"] = json!("draft");
    let draft_id = post_vacancy(&app, &employer, draft).await;
    assert_eq!(
        app.ui_get(&format!("/vacancies/{draft_id}/candidates"), &ui).await.status(),
        StatusCode::NOT_FOUND
    );

    suspend(&app, &agency).await;
    let (status, html) = page(&app, &path, &ui).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("id=\"refusal\"") && html.contains("Licence suspended"), "{html}");
    assert!(!html.contains(&mine));
    let refused = app.ui_post("/matching/proposals", &ui, &[("scope", "all")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.unwrap().contains("cannot rank candidates or propose matches"));
}

async fn suspend(app: &TestApp, agency: &AgencySession) {
    let regulator = app.login_as_authority("VN").await;
    let path = format!("/api/v1/agencies/{}/licence/suspend", agency.agency_id);
    let response = app.post_json(&path, Some(&regulator), &json!({"reason": "investigation"})).await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// Two vacancies of one and two positions, and three workers who can all cut cane.
async fn season(
    app: &TestApp,
    employer: &seasonlink_tests::EmployerSession,
    agency: &AgencySession,
) -> (String, String, Vec<String>) {
    let mut one = vacancy(1800);
    one["headcount"] = json!(1);
    let mut two = vacancy(1900);
    two["headcount"] = json!(2);
    two["required_skills"] = json!([]);
    let one = post_vacancy(app, employer, one).await;
    let two = post_vacancy(app, employer, two).await;
    let mut workers = Vec::new();
    for (document, seasons) in [("005090000001", 5), ("005090000002", 2), ("005090000003", 0)] {
        workers.push(register(app, agency, document, json!({"seasons_worked": seasons})).await);
    }
    (one, two, workers)
}

/// The `value` of every `keep` box on a proposal page.
fn keep_values(html: &str) -> Vec<String> {
    html.split("name=\"keep\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

fn attribute(html: &str, id: &str, name: &str) -> i64 {
    let element = html.split(&format!("id=\"{id}\"")).nth(1).unwrap_or_else(|| panic!("#{id} in {html}"));
    element.split(&format!("{name}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
}

#[actix_web::test]
async fn an_agency_runs_a_proposal_and_keeps_some_lines() {
    let (app, agency, employer) = setup().await;
    let (one, two, workers) = season(&app, &employer, &agency).await;
    let ui = app.ui_login(&agency.session.email).await;
    let (status, form) = page(&app, "/matching/proposals", &ui).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(&format!("value=\"{one}\"")) && form.contains(&format!("value=\"{two}\"")));

    let response = app.ui_post("/matching/proposals", &ui, &[("scope", "all")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let api: Value = app
        .post_json("/api/v1/matching/proposals", Some(&agency.session), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(attribute(&html, "proposal-summary", "data-objective"), api["objective"].as_i64().unwrap());
    let mut expected: Vec<String> = api["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| format!("{}:{}", l["vacancy_id"].as_str().unwrap(), l["worker_id"].as_str().unwrap()))
        .collect();
    let mut shown = keep_values(&html);
    expected.sort();
    shown.sort();
    assert_eq!(shown, expected, "every line, ticked to keep");
    assert_eq!(shown.len(), 3, "three workers for three positions");
    assert_eq!(html.matches("checked").count(), 3);
    assert!(html.contains("N.T.H.") && !html.contains("Nguyễn"), "pseudonymous lines");

    // The agency drops the best worker's line and keeps the other two.
    let dropped = shown.iter().find(|l| l.ends_with(&workers[0])).unwrap().clone();
    let kept: Vec<&String> = shown.iter().filter(|l| **l != dropped).collect();
    let fields: Vec<(&str, &str)> = kept.iter().map(|l| ("keep", l.as_str())).collect();
    let response = app.ui_post("/matching/proposals/review", &ui, &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert_eq!(attribute(&html, "kept-summary", "data-lines"), 2);
    let kept_total: i64 = api["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["worker_id"] != workers[0].as_str())
        .map(|l| l["score"].as_i64().unwrap())
        .sum();
    assert_eq!(attribute(&html, "kept-summary", "data-total"), kept_total, "scored again, the same");
    assert!(!html.contains(&format!("data-worker=\"{}\"", workers[0])), "the dropped line is gone");
    assert!(!html.contains("type=\"checkbox\""), "nothing left to tick");

    // The kept lines become offers, and the agency lands on its new offers.
    let kept = keep_values(&html);
    assert_eq!(kept.len(), 2);
    let fields: Vec<(&str, &str)> = kept.iter().map(|k| ("keep", k.as_str())).collect();
    let made = app.ui_post("/matching/proposals/offers", &ui, &fields).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    assert_eq!(made.headers()["location"], "/placements?status=offered");
    let offered: Vec<Value> =
        app.get("/api/v1/placements", Some(&agency.session)).await.json().await.unwrap();
    assert_eq!(offered.len(), 2);
    let twice = app.ui_post("/matching/proposals/offers", &ui, &fields).await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY, "the workers are placed now");

    // Only the ticked vacancy, when the agency chooses some.
    let response =
        app.ui_post("/matching/proposals", &ui, &[("scope", "some"), ("vacancy_id", one.as_str())]).await;
    let html = response.text().await.unwrap();
    let lines = keep_values(&html);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with(&format!("{one}:")) && !html.contains(&format!("data-vacancy=\"{two}\"")));
}

#[actix_web::test]
async fn bad_proposal_input_is_refused_with_a_clear_message() {
    let (app, agency, employer) = setup().await;
    let (one, two, workers) = season(&app, &employer, &agency).await;
    let ui = app.ui_login(&agency.session.email).await;

    let unknown = app
        .ui_post("/matching/proposals", &ui, &[("scope", "some"), ("vacancy_id", "no-such-vacancy")])
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = unknown.text().await.unwrap();
    assert!(
        html.contains("id=\"refusal\"") && html.contains("The vacancy no-such-vacancy is not open"),
        "{html}"
    );
    assert!(html.contains("id=\"proposal-form\""), "the form again");
    let none = app.ui_post("/matching/proposals", &ui, &[("scope", "some")]).await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.text().await.unwrap().contains("Tick at least one vacancy"));

    let other = app.agency().await;
    let stranger = register(&app, &other, "006090000001", json!({})).await;
    let loader = register(&app, &agency, "006090000002", json!({"skills": ["heavy_loading"]})).await;
    let line = |vacancy: &str, worker: &str| format!("{vacancy}:{worker}");
    let cases = [
        (vec!["garbage".to_owned()], "could not be read"),
        (vec![line("no-such-vacancy", &workers[0])], "not open any more"),
        (vec![line(&one, &stranger)], "not one of yours"),
        (vec![line(&one, &workers[0]), line(&two, &workers[0])], "keep each worker on one line at most"),
        (
            vec![line(&one, &workers[0]), line(&one, &workers[1])],
            "more lines are kept for a vacancy than it has positions",
        ),
        (vec![line(&one, &loader)], "lacks a required skill"),
    ];
    for (lines, words) in cases {
        let fields: Vec<(&str, &str)> = lines.iter().map(|l| ("keep", l.as_str())).collect();
        let response = app.ui_post("/matching/proposals/review", &ui, &fields).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lines:?}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("id=\"refusal\"") && html.to_lowercase().contains(&words.to_lowercase()),
            "{words}: {html}"
        );
        assert!(!html.contains("id=\"kept-summary\""));
    }

    let forged = UiSession { csrf: "forged".into(), ..ui.clone() };
    let response = app.ui_post("/matching/proposals", &forged, &[("scope", "all")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let keep = line(&one, &workers[0]);
    let response = app.ui_post("/matching/proposals/review", &forged, &[("keep", keep.as_str())]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
