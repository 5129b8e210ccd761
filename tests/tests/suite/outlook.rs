//! The demand outlook: the coming season's demand from verified employers' open and planned
//! vacancies, with the fill and on-time return rates of the last two seasons, counted by hand.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{PASSWORD, Session, TestApp, problem, vacancy, worker};

struct Fixture {
    app: TestApp,
    agency: Session,
    cn: Session,
}

/// Last seasons: 30 cane-cutting positions in Ningming (Chongzuo), 24 filled, 20 of them home
/// (18 on time, 2 late); 10 in Fangchenggang, 2 filled and home on time. This season: 40 open
/// in Ningming, 10 planned (a draft) in Fangchenggang, and a draft of an unverified employer
/// that does not count. All seasons run 1 December to 31 March.
async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let cn = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&cn).await;
    let employer = app.employer(true).await;
    let post = |body: Value| {
        let (app, session) = (&app, employer.session.clone());
        async move {
            let response = app.post_json("/api/v1/vacancies", Some(&session), &body).await;
            assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
            response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
        }
    };
    let fangchenggang = |headcount: i64, status: &str| {
        let mut body = vacancy(2000);
        body["region_code"] = json!("450600");
        body["crossing_code"] = json!("dongxing");
        body["headcount"] = json!(headcount);
        body["status"] = json!(status);
        body
    };
    let mut past_ningming = vacancy(2000);
    past_ningming["headcount"] = json!(30);
    let history = [post(past_ningming).await, post(fangchenggang(10, "open")).await];
    for id in &history {
        app.execute(&format!(
            "UPDATE vacancies SET status = 'closed', opened_at = '2025-10-01 00:00:00', \
             season_start = '2025-12-01', season_end = '2026-03-31' WHERE id = '{id}'"
        ))
        .await;
    }
    post(vacancy(2000)).await;
    post(fangchenggang(10, "draft")).await;
    let unverified = app.employer(false).await;
    let mut draft = vacancy(2000);
    draft["status"] = json!("draft");
    let response = app.post_json("/api/v1/vacancies", Some(&unverified.session), &draft).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let agency = app.agency().await;
    let by = &cn.user_id;
    for n in 0..26 {
        let response =
            app.post_json("/api/v1/workers", Some(&agency.session), &worker(&format!("H{n:07}"))).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let worker_id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let vacancy = if n < 24 { &history[0] } else { &history[1] };
        let p = format!("h{n}");
        let mut sql = vec![
            format!(
                "INSERT INTO placements (id, vacancy_id, worker_id, agency_id, employer_id, status, contract_version, \
                 created_at, updated_at, first_accepted_at, first_accepted_version) VALUES ('{p}', '{vacancy}', \
                 '{worker_id}', '{}', '{}', 'returned', 1, '2025-11-01 00:00:00', '2026-04-01 00:00:00', \
                 '2025-11-02 00:00:00', 1)",
                agency.agency_id, employer.employer_id
            ),
            format!(
                "INSERT INTO placement_events (id, placement_id, to_status, by_user_id, at) \
                 VALUES ('e{p}', '{p}', 'accepted', '{by}', '2025-11-02 00:00:00')"
            ),
            format!(
                "INSERT INTO permits (number, placement_id, check_code, valid_from, valid_until, status, issued_by, \
                 issued_at) VALUES ('WP-{p}', '{p}', 'C', '2025-12-01', '2026-03-31', 'valid', '{by}', '2025-11-03 00:00:00')"
            ),
        ];
        // Ningming: the first 18 home on time, the next 2 late, 4 never recorded; both of
        // Fangchenggang's home on time.
        let returned = match n {
            0..=17 | 24 | 25 => Some("2026-03-20 00:00:00"),
            18 | 19 => Some("2026-04-05 00:00:00"),
            _ => None,
        };
        if let Some(at) = returned {
            sql.push(format!(
                "INSERT INTO border_events (id, placement_id, kind, crossing_code, at, recorded_by, recorded_at) \
                 VALUES ('r{p}', '{p}', 'return', 'aidian', '{at}', '{by}', '{at}')"
            ));
            // As the return service keeps it: on time when on or before the permit's last day.
            let (day, on_time) = (&at[..10], at < "2026-04-01");
            sql.push(format!(
                "INSERT INTO worker_returns (id, worker_id, placement_id, employer_id, season_start, season_end, \
                 returned_on, returned_on_time, recorded_at) VALUES ('w{p}', '{worker_id}', '{p}', '{}', \
                 '2025-12-01', '2026-03-31', '{day}', {}, '{at}')",
                employer.employer_id,
                if on_time { "TRUE" } else { "FALSE" }
            ));
        }
        for statement in sql {
            app.execute(&statement).await;
        }
    }
    // The history went in without the placement services, which keep the statistics' facts.
    seasonlink::db::statistics::retally(&mut app.db.connect()).unwrap();
    Fixture { app, agency: agency.session, cn }
}

async fn outlook(app: &TestApp, session: &Session, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/demand-outlook{query}"), Some(session)).await;
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    response.json().await.unwrap()
}

/// `(month, region, open, planned, expected fill, fill scope, expected returns, return scope)`.
type Row = (String, String, i64, i64, Value, Value, Value, Value);

fn rows(outlook: &Value) -> Vec<Row> {
    outlook["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["month"].as_str().unwrap().to_owned(),
                r["region"].as_str().unwrap().to_owned(),
                r["open_positions"].as_i64().unwrap(),
                r["planned_positions"].as_i64().unwrap(),
                r["expected_fill"].clone(),
                r["fill_rate_scope"].clone(),
                r["expected_returns_on_time"].clone(),
                r["return_rate_scope"].clone(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn the_outlook_gathers_open_and_planned_demand_and_learns_from_the_last_two_seasons() {
    let Fixture { app, agency, cn } = fixture().await;
    let body = outlook(&app, &agency, "?season=2026/27").await;
    assert_eq!(body["season"], "2026/27");
    assert_eq!(body["learned_from"], json!(["2024/25", "2025/26"]));
    assert_eq!(body["method_version"], "outlook-2026-12-1");
    let all = rows(&body);
    assert_eq!(all.len(), 8, "four months (December to March) in two regions: {all:?}");
    for month in ["2026-12", "2027-01", "2027-02", "2027-03"] {
        // Ningming: 40 open × 800‰ (24 of 30) = 32, × 900‰ (18 of 20) = 28.
        assert!(all.contains(&(
            month.into(),
            "451400".into(),
            40,
            0,
            json!(32),
            json!("occupation_and_region"),
            json!(28),
            json!("occupation_and_region"),
        )));
        // Fangchenggang: 10 planned; its own history is under 20 positions, so is its
        // region's: learned from all, 650‰ (26 of 40) = 6, × 909‰ (20 of 22) = 5.
        assert!(all.contains(&(
            month.into(),
            "450600".into(),
            0,
            10,
            json!(6),
            json!("all"),
            json!(5),
            json!("all")
        )));
    }
    let ningming = body["rows"].as_array().unwrap().iter().find(|r| r["region"] == "451400").unwrap();
    assert_eq!(
        (ningming["fill_rate_per_mille"].clone(), ningming["on_time_return_rate_per_mille"].clone()),
        (json!(800), json!(900))
    );

    assert_eq!(outlook(&app, &cn, "?season=2026").await["rows"], body["rows"], "2026 is 2026/27");
    let vn = app.login_as_authority("VN").await;
    assert_eq!(outlook(&app, &vn, "").await["season"], "2026/27", "today's season by default");
    let next = outlook(&app, &agency, "?season=2027/28").await;
    assert_eq!(next["rows"], json!([]), "nothing posted for next season yet");
}

#[actix_web::test]
async fn only_agencies_and_regulators_read_it_and_a_province_reads_its_own() {
    let Fixture { app, agency, cn } = fixture().await;
    for role in [Role::Employer, Role::Worker] {
        let session = app.login_as(role).await;
        problem(app.get("/api/v1/demand-outlook", Some(&session)).await, 403, "forbidden").await;
    }
    problem(app.get("/api/v1/demand-outlook", None).await, 401, "not_authenticated").await;
    for bad in ["?season=2026/28", "?season=next", "?season=1800"] {
        let response = app.get(&format!("/api/v1/demand-outlook{bad}"), Some(&agency)).await;
        let body = problem(response, 422, "validation_failed").await;
        assert_eq!(body["field"], "season");
    }

    let body = json!({"name": "Fangchenggang bureau", "country": "CN", "region_code": "450600"});
    let response = app.post_json("/api/v1/authorities", Some(&cn), &body).await;
    let authority = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let email = app.create_user(Role::Regulator, Some(&authority)).await;
    let login: Value = app.login(&email, PASSWORD).await.json().await.unwrap();
    let provincial = Session {
        token: login["token"].as_str().unwrap().to_owned(),
        user_id: login["user"]["id"].as_str().unwrap().to_owned(),
        email,
    };
    let own = outlook(&app, &provincial, "?season=2026").await;
    assert_eq!(own["region"], "450600");
    assert!(rows(&own).iter().all(|r| r.1 == "450600") && rows(&own).len() == 4, "{own}");
}

#[actix_web::test]
async fn the_outlook_page_reads_in_each_language_and_refuses_a_bad_season() {
    let Fixture { app, agency, .. } = fixture().await;
    let ui = app.ui_login(&agency.email).await;
    for (lang, heading, region) in [
        ("vi", "Dự báo nhu cầu lao động", "Sùng Tả"),
        ("zh-CN", "用工需求展望", "崇左市"),
        ("en", "Demand outlook", "Chongzuo"),
    ] {
        let cookies = format!("{}; sl_lang={lang}", ui.cookies);
        let response = app
            .client
            .get(app.url("/outlook?season=2026/27"))
            .header("cookie", cookies)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let html = response.text().await.unwrap();
        assert!(html.contains(heading), "{lang}: {html}");
        assert!(html.contains(region), "{lang}: region named");
        assert_eq!(html.matches("<tr data-month=").count(), 8);
        assert!(html.contains("<span class=\"fill\">32</span>"), "{lang}");
    }
    let refused = app.ui_get("/outlook?season=soon", &ui).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("id=\"outlook-error\""));
    let employer = app.employer(true).await;
    let employer_ui = app.ui_login(&employer.session.email).await;
    assert_eq!(app.ui_get("/outlook", &employer_ui).await.status(), StatusCode::FORBIDDEN);
}
