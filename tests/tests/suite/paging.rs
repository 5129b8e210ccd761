//! Every list that can grow is read a page at a time (keyset): walking a list with a small
//! `limit` returns each row once, in the list's order, the last page without a `Link`; the
//! filters hold on every page; a bad limit or cursor is 422 with a stable code; and a cursor
//! never shows another tenant's rows.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{
    AgencySession, EmployerSession, Session, TestApp, day, next_link, problem, vacancy, worker,
};

/// The ids of rows, in order.
fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

/// Walks `path` (which has `limit` or not) page by page, checking that no page is longer than
/// `limit`, that only the last is short of it or empty, and that every row comes once; returns
/// the rows in the order read.
async fn walk(app: &TestApp, path: &str, session: Option<&Session>, limit: usize) -> Vec<Value> {
    let pages = app.walk(path, session).await;
    let (last, full) = pages.split_last().unwrap();
    for page in full {
        assert_eq!(page.len(), limit, "a page before the last is full: {path}");
    }
    assert!(last.len() <= limit, "{path}");
    let rows = pages.concat();
    let mut seen: Vec<String> = rows.iter().map(Value::to_string).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), rows.len(), "each row once: {path}");
    rows
}

/// The same list read whole in one page of 500.
async fn whole(app: &TestApp, path: &str, session: Option<&Session>) -> Vec<Value> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let response = app.get(&format!("{path}{separator}limit=500"), session).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert!(next_link(&response).is_none(), "one page holds it all: {path}");
    response.json().await.unwrap()
}

/// The `after` of a response's next link.
fn cursor_of(response: &reqwest::Response) -> String {
    let link = next_link(response).expect("a next page");
    link.split(['?', '&']).find_map(|p| p.strip_prefix("after=")).unwrap().to_owned()
}

/// Bad paging input on `path` answers 422 with its stable code, naming the parameter.
async fn refuses_bad_paging(app: &TestApp, path: &str, session: Option<&Session>, foreign_cursor: &str) {
    let separator = if path.contains('?') { '&' } else { '?' };
    for limit in ["0", "501", "-3", "many"] {
        let response = app.get(&format!("{path}{separator}limit={limit}"), session).await;
        let body = problem(response, 422, "invalid_limit").await;
        assert_eq!(body["field"], "limit", "{path} {body}");
    }
    for after in ["garbage", "%2F%2F%2F", foreign_cursor] {
        let response = app.get(&format!("{path}{separator}after={after}"), session).await;
        let body = problem(response, 422, "invalid_cursor").await;
        assert_eq!(body["field"], "after", "{path} {body}");
    }
}

async fn post_vacancy(app: &TestApp, employer: &EmployerSession, body: Value) -> String {
    let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn register(app: &TestApp, agency: &AgencySession, document: &str) -> String {
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &worker(document)).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

/// A well-formed cursor of the list at `path` (which has two rows or more), to show that
/// another list refuses it.
async fn cursor_from(app: &TestApp, path: &str, session: &Session) -> String {
    cursor_of(&app.get(&format!("{path}?limit=1"), Some(session)).await)
}

#[actix_web::test]
async fn vacancies_page_by_season_start_with_their_filters() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let other = app.employer(true).await;
    // Seven open vacancies over three season starts (so some share one), in two regions,
    // and a draft, and another employer's.
    for i in 0..7_i64 {
        let mut body = vacancy(2100);
        body["season_start"] = json!(day(2 + (6 - i) % 3));
        if i % 2 == 1 {
            body["region_code"] = json!("450681");
        }
        post_vacancy(&app, &employer, body).await;
    }
    let mut draft = vacancy(2100);
    draft["status"] = json!("draft");
    let draft_id = post_vacancy(&app, &employer, draft).await;
    let theirs = post_vacancy(&app, &other, vacancy(2100)).await;

    let all = whole(&app, "/api/v1/vacancies", None).await;
    assert_eq!(all.len(), 8, "the public reads the open ones");
    let key =
        |v: &Value| (v["season_start"].as_str().unwrap().to_owned(), v["id"].as_str().unwrap().to_owned());
    let mut sorted = all.clone();
    sorted.sort_by_key(key);
    assert_eq!(ids(&all), ids(&sorted), "by season start, then id");
    let walked = walk(&app, "/api/v1/vacancies?limit=3", None, 3).await;
    assert_eq!(ids(&walked), ids(&all));

    // A filter holds on every page, and its next link keeps it.
    let first = app.get("/api/v1/vacancies?region_code=451400&limit=2", None).await;
    assert!(next_link(&first).unwrap().contains("region_code=451400"));
    let ningming = walk(&app, "/api/v1/vacancies?region_code=451400&limit=2", None, 2).await;
    assert_eq!(ningming.len(), 5, "four of the employer's and the other's");
    assert!(ningming.iter().all(|v| v["region_code"] == "451422"));
    assert!(ids(&ningming).contains(&theirs));

    // The employer's own, drafts included, never another's.
    let own = walk(&app, "/api/v1/vacancies?limit=2", Some(&employer.session), 2).await;
    assert_eq!(own.len(), 8);
    assert!(ids(&own).contains(&draft_id) && !ids(&own).contains(&theirs));
    let drafts = walk(&app, "/api/v1/vacancies?status=draft&limit=1", Some(&employer.session), 1).await;
    assert_eq!(ids(&drafts), vec![draft_id]);

    let foreign = cursor_from(&app, "/api/v1/employers", &regulator).await;
    refuses_bad_paging(&app, "/api/v1/vacancies", None, &foreign).await;
    refuses_bad_paging(&app, "/api/v1/vacancies?region_code=451400", None, &foreign).await;
}

#[actix_web::test]
async fn workers_page_oldest_first_and_never_another_agencys() {
    let app = TestApp::spawn().await;
    let ours = app.agency().await;
    let theirs = app.agency().await;
    let mut own = Vec::new();
    for i in 0..5 {
        own.push(register(&app, &ours, &format!("C{:07}", 100 + i)).await);
        if i < 3 {
            register(&app, &theirs, &format!("C{:07}", 200 + i)).await;
        }
    }
    let walked = walk(&app, "/api/v1/workers?limit=2", Some(&ours.session), 2).await;
    assert_eq!(ids(&walked), own, "its own, oldest registration first");
    assert_eq!(ids(&walked), ids(&whole(&app, "/api/v1/workers", Some(&ours.session)).await));

    // A cursor made from another agency's row moves along the order; it shows nothing of theirs.
    let their_first = app.get("/api/v1/workers?limit=1", Some(&theirs.session)).await;
    let their_cursor = cursor_of(&their_first);
    let after_theirs = app.get(&format!("/api/v1/workers?after={their_cursor}"), Some(&ours.session)).await;
    assert_eq!(after_theirs.status(), StatusCode::OK);
    let shown: Vec<Value> = after_theirs.json().await.unwrap();
    assert!(ids(&shown).iter().all(|id| own.contains(id)), "only its own");

    // A regulator reads them all, a page at a time.
    let regulator = app.login_as(Role::Regulator).await;
    let everyone = walk(&app, "/api/v1/workers?limit=3", Some(&regulator), 3).await;
    assert_eq!(everyone.len(), 8);
    assert_eq!(ids(&everyone), ids(&whole(&app, "/api/v1/workers", Some(&regulator)).await));

    let foreign =
        cursor_of(&app.get("/api/v1/agencies?limit=1", Some(&app.login_as_authority("VN").await)).await);
    refuses_bad_paging(&app, "/api/v1/workers", Some(&ours.session), &foreign).await;
}

#[actix_web::test]
async fn placements_page_newest_first_with_their_status() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let other = app.agency().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    let mut placed = Vec::new();
    for i in 0..5 {
        let worker_id = register(&app, &agency, &format!("P{:07}", i)).await;
        let body = json!({"vacancy_id": vacancy_id, "worker_id": worker_id});
        let response = app.post_json("/api/v1/placements", Some(&agency.session), &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
        placed.push(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    for id in &placed[..2] {
        let path = format!("/api/v1/placements/{id}/withdraw");
        assert_eq!(app.post_json(&path, Some(&agency.session), &json!({})).await.status(), StatusCode::OK);
    }
    let newest_first: Vec<String> = placed.iter().rev().cloned().collect();
    for reader in [&agency.session, &employer.session, &regulator] {
        let walked = walk(&app, "/api/v1/placements?limit=2", Some(reader), 2).await;
        assert_eq!(ids(&walked), newest_first);
        assert!(walked.iter().all(|p| p["contract"]["sha256"].is_string()), "each shown in full");
    }
    let withdrawn = walk(&app, "/api/v1/placements?status=withdrawn&limit=1", Some(&agency.session), 1).await;
    assert_eq!(ids(&withdrawn), vec![placed[1].clone(), placed[0].clone()]);
    let offered = walk(&app, "/api/v1/placements?limit=2&status=offered", Some(&agency.session), 2).await;
    assert_eq!(ids(&offered), newest_first[..3].to_vec());

    // Another agency, given a cursor from this agency's list, sees none of its placements.
    let cursor = cursor_of(&app.get("/api/v1/placements?limit=1", Some(&agency.session)).await);
    let response = app.get(&format!("/api/v1/placements?after={cursor}"), Some(&other.session)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.json::<Vec<Value>>().await.unwrap().is_empty());
    assert!(walk(&app, "/api/v1/placements?limit=1", Some(&other.session), 1).await.is_empty());

    let foreign = cursor_from(&app, "/api/v1/workers", &regulator).await;
    refuses_bad_paging(&app, "/api/v1/placements?status=offered", Some(&agency.session), &foreign).await;

    // The regulators' alerts, newest first: two of them raised at the same instant.
    for (i, (id, at)) in
        placed.iter().zip(["2026-12-05 10:00:00", "2026-12-06 10:00:00", "2026-12-06 10:00:00"]).enumerate()
    {
        app.execute(&format!(
            "INSERT INTO alerts (id, kind, placement_id, raised_at) \
             VALUES ('01930000-0000-7000-8000-00000000000{i}', 'overstay', '{id}', '{at}')"
        ))
        .await;
    }
    let alerts = walk(&app, "/api/v1/alerts?limit=2", Some(&regulator), 2).await;
    let shown: Vec<&str> = alerts.iter().map(|a| a["placement_id"].as_str().unwrap()).collect();
    assert_eq!(
        shown,
        [placed[2].as_str(), placed[1].as_str(), placed[0].as_str()],
        "newest first, then by id"
    );
    refuses_bad_paging(&app, "/api/v1/alerts", Some(&regulator), &foreign).await;
}

#[actix_web::test]
async fn cases_employers_and_agencies_page_for_regulators() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let vn = app.login_as_authority("VN").await;
    // Five complaints: five cases, newest first.
    for (i, category) in ["wages", "fees", "housing", "wages", "safety"].into_iter().enumerate() {
        let body = json!({"category": category, "text": format!("complaint {i}"), "language": "en"});
        assert_eq!(app.post_json("/api/v1/complaints", None, &body).await.status(), StatusCode::CREATED);
    }
    let cases = walk(&app, "/api/v1/cases?limit=2", Some(&regulator), 2).await;
    assert_eq!(cases.len(), 5);
    assert_eq!(ids(&cases), ids(&whole(&app, "/api/v1/cases", Some(&regulator)).await));
    let opened: Vec<&str> = cases.iter().map(|c| c["opened_at"].as_str().unwrap()).collect();
    assert!(opened.windows(2).all(|w| w[0] >= w[1]), "newest first: {opened:?}");
    let complaints =
        walk(&app, "/api/v1/cases?kind=complaint&status=open&limit=2", Some(&regulator), 2).await;
    assert_eq!(ids(&complaints), ids(&cases), "the filters hold across pages");
    assert!(walk(&app, "/api/v1/cases?kind=fee&limit=2", Some(&regulator), 2).await.is_empty());

    // Employers, oldest first; filtered by status.
    let mut verified = Vec::new();
    for i in 0..4 {
        verified.push(app.employer(i % 2 == 0).await);
    }
    let employers = walk(&app, "/api/v1/employers?limit=3", Some(&regulator), 3).await;
    let expected: Vec<String> = verified.iter().map(|e| e.employer_id.clone()).collect();
    assert_eq!(ids(&employers), expected);
    let pending = walk(&app, "/api/v1/employers?status=pending&limit=1", Some(&regulator), 1).await;
    assert_eq!(ids(&pending), vec![expected[1].clone(), expected[3].clone()]);

    // Agencies, oldest first.
    let mut licensed = Vec::new();
    for _ in 0..3 {
        licensed.push(app.agency_valid(&vn, -10, 300).await.agency_id);
    }
    let agencies = walk(&app, "/api/v1/agencies?limit=2", Some(&regulator), 2).await;
    assert_eq!(ids(&agencies), licensed);
    assert!(agencies.iter().all(|a| a["licence_events"].is_array()), "each with its history");

    let foreign = cursor_from(&app, "/api/v1/employers", &regulator).await;
    refuses_bad_paging(&app, "/api/v1/cases?status=open", Some(&regulator), &foreign).await;
    refuses_bad_paging(&app, "/api/v1/agencies", Some(&regulator), &foreign).await;
    let foreign = cursor_from(&app, "/api/v1/cases", &regulator).await;
    refuses_bad_paging(&app, "/api/v1/employers", Some(&regulator), &foreign).await;
}

/// A provincial authority's pages hold only what it oversees, whatever the cursor.
#[actix_web::test]
async fn a_provincial_authority_pages_its_region_only() {
    let app = TestApp::spawn().await;
    let national = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&national).await;
    let chongzuo = app.login_as_provincial("CN", "451400").await;
    for _ in 0..3 {
        app.employer(false).await;
    }
    let outside = app
        .post_json(
            "/api/v1/employers",
            None,
            &json!({"name": "Dongxing Fruit Co.", "registration_no": "91450681MA5N000009",
                    "region_code": "450681", "email": "dongxing@test.seasonlink.vn",
                    "password": seasonlink_tests::PASSWORD}),
        )
        .await;
    assert_eq!(outside.status(), StatusCode::CREATED);
    let outside_id = outside.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let all = walk(&app, "/api/v1/employers?limit=1", Some(&national), 1).await;
    assert_eq!(all.len(), 4);
    let theirs = walk(&app, "/api/v1/employers?limit=1", Some(&chongzuo), 1).await;
    assert_eq!(theirs.len(), 3);
    assert!(!ids(&theirs).contains(&outside_id));
    let vn = app.login_as_provincial("VN", "VN-09").await;
    assert!(
        walk(&app, "/api/v1/employers?limit=2", Some(&vn), 2).await.is_empty(),
        "employers have no home province"
    );
}

#[actix_web::test]
async fn the_openapi_document_describes_paging() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    for path in [
        "/api/v1/vacancies",
        "/api/v1/workers",
        "/api/v1/placements",
        "/api/v1/cases",
        "/api/v1/employers",
        "/api/v1/agencies",
        "/api/v1/alerts",
    ] {
        let get = &doc["paths"][path]["get"];
        let names: Vec<&str> =
            get["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"limit") && names.contains(&"after"), "{path}: {names:?}");
        assert!(
            get["responses"]["200"]["headers"]["Link"].is_object(),
            "{path}: {}",
            get["responses"]["200"]
        );
        assert!(get["responses"]["422"].is_object(), "{path}");
    }
}

/// The pages show a page of rows and a link to the next, which carries the cursor and the
/// filters.
#[actix_web::test]
async fn list_pages_link_to_their_next_page() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    for i in 0..3_i64 {
        let mut body = vacancy(2100);
        body["title"] = json!(format!("Cane cutters, team {i}"));
        post_vacancy(&app, &employer, body).await;
    }
    let board = app.get("/vacancies?limit=2&region_code=451400", None).await.text().await.unwrap();
    assert_eq!(board.matches("class=\"card vacancy\"").count(), 2, "{board}");
    assert!(board.contains("2 shown here; more on the next page"), "the count says it is a page");
    let href = next_href(&board).expect("a next link");
    assert!(href.contains("region_code=451400") && href.contains("after="), "{href}");
    let rest = app.get(&href, None).await.text().await.unwrap();
    assert!(next_href(&rest).is_none(), "the last page links nowhere: {href} {:?}", next_href(&rest));
    assert!(rest.contains("Cane cutters, team"), "{rest}");

    let agency = app.agency().await;
    for i in 0..3 {
        register(&app, &agency, &format!("U{:07}", i)).await;
    }
    let ui = app.ui_login(&agency.session.email).await;
    let first = app.ui_get("/agency/workers?limit=2", &ui).await.text().await.unwrap();
    assert_eq!(first.matches("data-worker=").count(), 2);
    let href = next_href(&first).expect("a next link");
    let second = app.ui_get(&href, &ui).await.text().await.unwrap();
    assert_eq!(second.matches("data-worker=").count(), 1);
    assert!(next_href(&second).is_none());
    // A cursor that is not one is explained, not a crash.
    assert_eq!(
        app.ui_get("/agency/workers?after=nonsense", &ui).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let regulator_ui = app.ui_login(&regulator.email).await;
    for (path, marker) in
        [("/regulator/employers?limit=1", "data-employer="), ("/placements?limit=1", "data-placement=")]
    {
        let html = app.ui_get(path, &regulator_ui).await.text().await.unwrap();
        assert!(html.matches(marker).count() <= 1, "{path}");
    }
    // The regulator's employers: the one waiting for verification first, then the verified.
    let pending = app.employer(false).await;
    let first = app.ui_get("/regulator/employers?limit=1", &regulator_ui).await.text().await.unwrap();
    assert!(first.contains(&format!("data-employer=\"{}\" data-status=\"pending\"", pending.employer_id)));
    let href = next_href(&first).expect("two employers: a next page");
    let second = app.ui_get(&href, &regulator_ui).await.text().await.unwrap();
    assert!(second.contains(&format!("data-employer=\"{}\" data-status=\"verified\"", employer.employer_id)));
    assert!(next_href(&second).is_none());
}

/// The `href` of a page's next link.
fn next_href(html: &str) -> Option<String> {
    let at = html.find("id=\"next-page\"")?;
    let rest = &html[at..];
    let start = rest.find("href=\"")? + 6;
    let end = rest[start..].find('"')?;
    Some(
        rest[start..start + end]
            .replace("&#38;", "&")
            .replace("&amp;", "&")
            .replace("&#x2f;", "/")
            .replace("&#47;", "/"),
    )
}

/// A page of placements costs the same few statements whatever it holds: each placement's
/// contract, acceptance, permit and crossings are read for the whole page at once.
#[actix_web::test]
async fn a_page_of_placements_is_a_fixed_number_of_statements() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use diesel::Connection;
    use diesel::connection::InstrumentationEvent;
    use seasonlink::actor::Actor;
    use seasonlink::db::{ConnectionManager, DatabaseUrl};
    use seasonlink::domain::page::PageRequest;
    use seasonlink::services::placements;

    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let vacancy_id = post_vacancy(&app, &employer, vacancy(1800)).await;
    for i in 0..12 {
        let worker_id = register(&app, &agency, &format!("Q{:07}", i)).await;
        let body = json!({"vacancy_id": vacancy_id, "worker_id": worker_id});
        let response = app.post_json("/api/v1/placements", Some(&agency.session), &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let url = DatabaseUrl::parse(app.db.app_url()).unwrap();
    let reader = Actor { user_id: regulator.user_id.clone().into(), role: Role::Regulator, org_id: None };
    let statements = tokio::task::spawn_blocking(move || {
        let mut conn = ConnectionManager::new(url).open().unwrap();
        let count = Arc::new(AtomicUsize::new(0));
        let counter = count.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { .. } = event {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        });
        let mut run = |limit: &str| {
            count.store(0, Ordering::Relaxed);
            let page = PageRequest::parse(Some(limit), None).unwrap();
            let listed = placements::list_in(&mut conn, &reader, None, &page).unwrap();
            (listed.items.len(), count.load(Ordering::Relaxed))
        };
        [run("2"), run("12")]
    })
    .await
    .unwrap();
    let [(two, few), (twelve, many)] = statements;
    assert_eq!((two, twelve), (2, 12));
    assert_eq!(few, many, "the same statements for 2 rows as for 12");
    assert!(many <= 10, "{many} statements for a page");
}

/// A partner's deliveries, newest event first, a page at a time, with their status filter.
#[actix_web::test]
async fn a_partners_deliveries_page_newest_first() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let body = json!({"name": "Cục Quản lý Lao động ngoài nước", "url": "http://127.0.0.1:9/events",
                      "event_types": ["vacancy.opened"], "secret": "a partner's secret of at least 32 bytes"});
    let response = app.post_json("/api/v1/partners", Some(&regulator), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let partner_id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let employer = app.employer(true).await;
    let mut opened = Vec::new();
    for _ in 0..5 {
        opened.push(post_vacancy(&app, &employer, vacancy(1800)).await);
    }
    let path = format!("/api/v1/partners/{partner_id}/deliveries");
    let walked = walk(&app, &format!("{path}?limit=2"), Some(&regulator), 2).await;
    let made: Vec<&str> = walked.iter().map(|d| d["created_at"].as_str().unwrap()).collect();
    assert_eq!(made.len(), 5, "{walked:?}");
    assert!(made.windows(2).all(|w| w[0] >= w[1]), "newest first: {made:?}");
    assert_eq!(ids(&walked), ids(&whole(&app, &path, Some(&regulator)).await));
    let pending = walk(&app, &format!("{path}?status=pending&limit=2"), Some(&regulator), 2).await;
    let dead = walk(&app, &format!("{path}?limit=2&status=dead"), Some(&regulator), 2).await;
    assert_eq!(
        pending.len()
            + dead.len()
            + walk(&app, &format!("{path}?status=delivered&limit=3"), Some(&regulator), 3).await.len(),
        5
    );
    let foreign = cursor_from(&app, "/api/v1/vacancies", &regulator).await;
    refuses_bad_paging(&app, &format!("{path}?status=pending"), Some(&regulator), &foreign).await;
}
