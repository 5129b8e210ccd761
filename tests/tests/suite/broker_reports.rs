//! Reports against unlicensed brokers: anyone reports one without an account, follows it by
//! its reference, and the case goes to Viet Nam's side first (China's reads it); a report
//! with nothing to act on is refused naming what is needed; the reporter stays anonymous; the
//! statistics and the compliance view count the reports; one address cannot flood them.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink_tests::pages::UiSession;
use seasonlink_tests::{Session, TestApp, TestDb, day, problem};

/// A report as a worker back from the border might send it.
fn report() -> Value {
    json!({
        "kinds": ["took_money_for_papers", "holds_documents"],
        "broker_name": "Anh Tư Cò",
        "broker_phone": "0912 345 678",
        "place": "chợ Đồng Đăng",
        "region_code": "VN-09",
        "occurred_on": day(-20),
        "amount_asked_vnd": 15_000_000,
        "description": "Thu 15 triệu tiền làm giấy, giữ hộ chiếu của cả nhóm.",
        "language": "vi",
    })
}

async fn file(app: &TestApp, session: Option<&Session>, body: &Value) -> String {
    let filed = app.post_json("/api/v1/broker-reports", session, body).await;
    assert_eq!(filed.status(), StatusCode::CREATED, "{:?}", filed.text().await);
    let receipt: Value = filed.json().await.unwrap();
    assert_eq!(receipt.as_object().unwrap().keys().collect::<Vec<_>>(), ["reference"]);
    let reference = receipt["reference"].as_str().unwrap().to_owned();
    assert!(reference.starts_with("B-") && reference.len() == 12, "{reference}");
    reference
}

async fn cases(app: &TestApp, regulator: &Session, query: &str) -> Vec<Value> {
    let listed = app.get(&format!("/api/v1/cases{query}"), Some(regulator)).await;
    assert_eq!(listed.status(), StatusCode::OK);
    listed.json().await.unwrap()
}

async fn step(
    app: &TestApp,
    regulator: &Session,
    case_id: &str,
    action: &str,
    body: Value,
) -> reqwest::Response {
    app.post_json(&format!("/api/v1/cases/{case_id}/{action}"), Some(regulator), &body).await
}

async fn statistics(app: &TestApp, session: Option<&Session>, query: &str) -> Value {
    let answer = app.get(&format!("/api/v1/statistics?from=2026-11-01&to=2026-11-30&{query}"), session).await;
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.unwrap()
}

fn rows<'a>(report: &'a Value, code: &str) -> &'a Vec<Value> {
    let indicator = report["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap();
    indicator["rows"].as_array().unwrap()
}

#[actix_web::test]
async fn anyone_reports_a_broker_viet_nam_works_the_case_china_reads_it_and_the_figures_count_it() {
    let app = TestApp::spawn().await;
    let (vn, cn) = (app.login_as_authority("VN").await, app.login_as_authority("CN").await);
    let reference = file(&app, None, &report()).await;

    // The reporter follows it by its reference, and reads nothing it said.
    let path = format!("/api/v1/broker-reports/{}", reference.to_lowercase());
    let status: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(status["reference"], reference.as_str());
    assert_eq!(status["status"], "open");
    assert_eq!(status["kinds"], json!(["took_money_for_papers", "holds_documents"]));
    assert!(status["resolved_at"].is_null());
    let text = status.to_string();
    assert!(!text.contains("Anh Tư") && !text.contains("0912") && !text.contains("hộ chiếu"), "{text}");
    problem(app.get("/api/v1/broker-reports/B-NOSUCHREF0", None).await, 404, "not_found").await;

    // Viet Nam's national authority has the case; China's reads it.
    let listed = cases(&app, &vn, "?kind=broker&routed_to=VN").await;
    assert_eq!(listed.len(), 1);
    let case = &listed[0];
    assert_eq!((case["kind"].as_str(), case["subject_kind"].as_str()), (Some("broker"), Some("broker")));
    assert_eq!(case["routed_to"], "VN");
    assert_eq!(case["region_code"], "VN-09");
    assert!(case["subject_id"].is_null(), "the broker as given is no account");
    let case_id = case["id"].as_str().unwrap().to_owned();
    let seen: Value = app.get(&format!("/api/v1/cases/{case_id}"), Some(&cn)).await.json().await.unwrap();
    let given = &seen["broker_report"];
    assert_eq!(given["reference"], reference.as_str());
    assert_eq!(given["broker_name"], "Anh Tư Cò");
    assert_eq!(given["broker_phone"], "0912 345 678");
    assert_eq!(given["amount_asked_vnd"], 15_000_000);
    assert!(given["amount_asked_fen"].is_null());
    assert_eq!(given["occurred_on"], json!(day(-20)));
    assert_eq!(given["anonymous"], true);
    assert!(given.get("id_document_number").is_none());

    // China's side reads but does not work it; Viet Nam's does, to the end.
    problem(step(&app, &cn, &case_id, "assign", json!({})).await, 403, "forbidden").await;
    problem(
        step(&app, &cn, &case_id, "comment", json!({"note": "seen at Youyiguan"})).await,
        403,
        "forbidden",
    )
    .await;
    let cn_user = json!({"user_id": cn.user_id});
    problem(step(&app, &vn, &case_id, "assign", cn_user).await, 422, "validation_failed").await;
    assert_eq!(step(&app, &vn, &case_id, "assign", json!({})).await.status(), StatusCode::OK);
    let status: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(status["status"], "assigned");
    let note = json!({"note": "Công an tỉnh Lạng Sơn đã nhận tin."});
    assert_eq!(step(&app, &vn, &case_id, "comment", note).await.status(), StatusCode::OK);
    let outcome = json!({"outcome": "broker fined; passports returned", "upheld": true});
    let resolved: Value = step(&app, &vn, &case_id, "resolve", outcome).await.json().await.unwrap();
    assert_eq!((resolved["status"].as_str(), resolved["upheld"].as_bool()), (Some("resolved"), Some(true)));
    let status: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(status["status"], "resolved");
    assert!(status["resolved_at"].is_string());

    // Audited and announced without anyone's name, number or words.
    let entries: Vec<Value> = app.get("/api/v1/audit?limit=1000", Some(&cn)).await.json().await.unwrap();
    let opened: Vec<&Value> =
        entries.iter().filter(|e| e["action"] == "case.opened" && e["detail"]["kind"] == "broker").collect();
    assert_eq!(opened.len(), 1);
    assert!(opened[0]["actor_user_id"].is_null(), "anonymous: no actor");
    assert_eq!(opened[0]["detail"]["routed_to"], "VN");
    let events: Value = app.get("/api/v1/events?limit=1000", Some(&cn)).await.json().await.unwrap();
    let events = events["events"].as_array().unwrap();
    let reported: Vec<&Value> = events.iter().filter(|e| e["type"] == "broker.reported").collect();
    assert_eq!(reported.len(), 1);
    assert_eq!(reported[0]["subject"]["case_id"], case_id.as_str());
    assert_eq!(reported[0]["data"]["kinds"], json!(["took_money_for_papers", "holds_documents"]));
    assert_eq!(reported[0]["data"]["region_code"], "VN-09");
    assert!(events.iter().any(|e| e["type"] == "case.opened" && e["data"]["kind"] == "broker"));
    for written in [serde_json::to_string(&entries).unwrap(), serde_json::to_string(&events).unwrap()] {
        for said in ["Anh Tư", "0912 345 678", "Đồng Đăng", "hộ chiếu", reference.as_str()] {
            assert!(!written.contains(said), "{said} in the audit log or the feed");
        }
    }

    // The statistics count it: an authority reads it whole, the public suppressed.
    let by = "indicators=broker_reports,cases_opened&by=month";
    let authority = statistics(&app, Some(&vn), by).await;
    assert_eq!(authority["definitions_version"], "2026-12-4");
    assert_eq!(rows(&authority, "broker_reports")[0]["value"], 1);
    assert_eq!(rows(&authority, "broker_reports")[0]["period"], "2026-11");
    let by_place = statistics(&app, Some(&cn), "indicators=broker_reports&by=home_province").await;
    let lang_son: Vec<&Value> =
        rows(&by_place, "broker_reports").iter().filter(|r| r["home_province"] == "VN-09").collect();
    assert_eq!(lang_son.len(), 1);
    assert_eq!(lang_son[0]["value"], 1);
    let by_kind = statistics(&app, Some(&cn), "indicators=cases_opened&by=kind").await;
    let broker_cases: Vec<&Value> =
        rows(&by_kind, "cases_opened").iter().filter(|r| r["kind"] == "broker").collect();
    assert_eq!(broker_cases[0]["value"], 1);
    let public = statistics(&app, None, "indicators=broker_reports").await;
    assert_eq!(rows(&public, "broker_reports")[0]["suppressed"], true, "one reporter is fewer than five");
    let csv = app
        .get(
            "/api/v1/statistics?from=2026-11-01&to=2026-11-30&indicators=broker_reports&format=csv",
            Some(&vn),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.lines().any(|l| l.starts_with("broker_reports,broker_reports,") && l.contains(",1")),
        "{csv}"
    );

    // So does the compliance view, per region and month, as JSON and as CSV.
    let view: Value = app.get("/api/v1/compliance", Some(&cn)).await.json().await.unwrap();
    assert_eq!(view["broker_report_months"].as_array().unwrap().len(), 12);
    assert_eq!(view["broker_report_months"][11], "2026-11");
    assert_eq!(
        view["broker_reports_by_region_month"],
        json!([{"region": "VN-09", "month": "2026-11", "count": 1}])
    );
    let csv = app.get("/api/v1/compliance?format=csv", Some(&vn)).await.text().await.unwrap();
    assert!(csv.contains("broker_reports_by_region_month,VN-09/2026-11,1\n"), "{csv}");
}

#[actix_web::test]
async fn a_report_with_nothing_to_act_on_is_told_what_is_needed_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    for empty in [json!({}), json!({"kinds": ["other"], "broker_name": "  ", "description": ""})] {
        let refused = app.post_json("/api/v1/broker-reports", None, &empty).await;
        let body = problem(refused, 422, "validation_failed").await;
        assert_eq!(body["field"], "broker", "{body}");
        assert_eq!(body["needed"], json!(["broker_name", "broker_phone", "description"]), "{body}");
        assert!(body["detail"].as_str().unwrap().contains("phone number"), "{body}");
    }
    let with = |field: &str, value: Value| {
        let mut body = report();
        body[field] = value;
        body
    };
    let refusals = [
        (with("kinds", json!([])), "kinds"),
        (with("kinds", json!(["sells_visas"])), "kinds"),
        (with("description", json!("x".repeat(5001))), "description"),
        (with("broker_name", json!("Tư".repeat(101))), "broker_name"),
        (with("place", json!("p".repeat(201))), "place"),
        (with("contact", json!("c".repeat(201))), "contact"),
        (with("occurred_on", json!("1999-12-31")), "occurred_on"),
        (with("occurred_on", json!("2100-01-01")), "occurred_on"),
        (with("occurred_on", json!(day(1))), "occurred_on"),
        (with("amount_asked_fen", json!(50_000)), "amount_asked_vnd"),
        (with("amount_asked_vnd", json!(0)), "amount_asked_vnd"),
        (with("amount_asked_vnd", json!(10_000_000_001_i64)), "amount_asked_vnd"),
        (with("region_code", json!("VN-99")), "region_code"),
        (with("language", json!("fr")), "language"),
    ];
    for (body, field) in refusals {
        let refused =
            problem(app.post_json("/api/v1/broker-reports", None, &body).await, 422, "validation_failed")
                .await;
        assert_eq!(refused["field"], field, "{refused}");
    }
    // Nothing asks for an identity document, and nothing takes one.
    let mut with_document = report();
    with_document["id_document_number"] = json!("001098000001");
    problem(app.post_json("/api/v1/broker-reports", None, &with_document).await, 400, "malformed_body").await;
    for table in ["broker_reports", "cases", "events"] {
        assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM {table}")).await, 0, "{table}");
    }

    // The rule holds in the database too: a report without a name, a phone or words is refused.
    let mut conn = app.db.connect();
    let case = "INSERT INTO cases (id, kind, subject_kind, status, amount_owed_fen, opened_at, routed_to) \
                VALUES ('c-raw', 'broker', 'broker', 'open', 0, '2026-11-29 04:00:00', 'VN')";
    diesel::RunQueryDsl::execute(diesel::sql_query(case), &mut conn).unwrap();
    let bare = "INSERT INTO broker_reports (id, reference, kinds, language, case_id, created_at) \
                VALUES ('b-raw', 'B-RAWRAWRAW0', 'other', 'vi', 'c-raw', '2026-11-29 04:00:00')";
    assert!(diesel::RunQueryDsl::execute(diesel::sql_query(bare), &mut conn).is_err());
    let two_currencies = "INSERT INTO broker_reports (id, reference, kinds, broker_name, amount_asked_fen, \
                          amount_asked_vnd, language, case_id, created_at) VALUES ('b-raw', 'B-RAWRAWRAW0', \
                          'other', 'Tư', 100, 100, 'vi', 'c-raw', '2026-11-29 04:00:00')";
    assert!(diesel::RunQueryDsl::execute(diesel::sql_query(two_currencies), &mut conn).is_err());
}

/// Only regulators read a broker's case, and nobody learns who reported: a signed-in employer
/// that reports without a contact is kept nowhere; with a contact, only regulators read it.
#[actix_web::test]
async fn only_regulators_read_the_case_and_nobody_learns_who_reported() {
    let app = TestApp::spawn().await;
    let vn = app.login_as_authority("VN").await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let anonymous = file(&app, Some(&employer.session), &report()).await;
    let mut reachable = report();
    reachable["contact"] = json!("Zalo 0987 654 321");
    let reachable = file(&app, Some(&agency.session), &reachable).await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM broker_reports WHERE filed_by IS NOT NULL").await, 1);

    let listed = cases(&app, &vn, "?kind=broker").await;
    assert_eq!(listed.len(), 2);
    let case_id = listed[0]["id"].as_str().unwrap().to_owned();
    for party in [&employer.session, &agency.session] {
        problem(app.get("/api/v1/cases?kind=broker", Some(party)).await, 403, "forbidden").await;
        problem(app.get(&format!("/api/v1/cases/{case_id}"), Some(party)).await, 403, "forbidden").await;
        problem(app.get("/api/v1/compliance", Some(party)).await, 403, "forbidden").await;
        let audit = app.get("/api/v1/audit", Some(party)).await;
        assert_eq!(audit.status(), StatusCode::FORBIDDEN);
    }
    for reference in [&anonymous, &reachable] {
        let status = app.get(&format!("/api/v1/broker-reports/{reference}"), Some(&employer.session)).await;
        let text = status.text().await.unwrap();
        assert!(!text.contains("0987") && !text.contains(&agency.session.user_id), "{text}");
    }

    for case in &listed {
        let full: Value = app
            .get(&format!("/api/v1/cases/{}", case["id"].as_str().unwrap()), Some(&vn))
            .await
            .json()
            .await
            .unwrap();
        let given = &full["broker_report"];
        let is_anonymous = given["reference"] == anonymous.as_str();
        assert_eq!(given["anonymous"], is_anonymous);
        assert_eq!(given["contact"].is_null(), is_anonymous, "{given}");
    }
    let entries: Vec<Value> = app.get("/api/v1/audit?limit=1000", Some(&vn)).await.json().await.unwrap();
    let mut openers: Vec<Value> = entries
        .iter()
        .filter(|e| e["action"] == "case.opened" && e["detail"]["kind"] == "broker")
        .map(|e| e["actor_user_id"].clone())
        .collect();
    openers.sort_by_key(|v| v.is_string());
    assert_eq!(openers, [Value::Null, json!(agency.session.user_id)], "the employer is kept nowhere");
}

/// A provincial authority oversees the reports of a place in its region: Lạng Sơn's (Viet
/// Nam's side) reads and works a report from Lạng Sơn, Cao Bằng's does not see it; Chongzuo's
/// (China's side) reads a report from Ningming but works none.
#[actix_web::test]
async fn a_provincial_authority_oversees_the_reports_of_its_region() {
    let app = TestApp::spawn().await;
    let lang_son = app.login_as_provincial("VN", "VN-09").await;
    let cao_bang = app.login_as_provincial("VN", "VN-04").await;
    let chongzuo = app.login_as_provincial("CN", "451400").await;
    file(&app, None, &report()).await;
    let mut ningming = report();
    ningming["region_code"] = json!("451422");
    ningming["place"] = json!("爱店口岸");
    file(&app, None, &ningming).await;

    let ours = cases(&app, &lang_son, "?kind=broker").await;
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0]["region_code"], "VN-09");
    let lang_son_case = ours[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(step(&app, &lang_son, &lang_son_case, "assign", json!({})).await.status(), StatusCode::OK);
    assert!(cases(&app, &cao_bang, "?kind=broker").await.is_empty());
    problem(app.get(&format!("/api/v1/cases/{lang_son_case}"), Some(&cao_bang)).await, 404, "not_found")
        .await;

    let theirs = cases(&app, &chongzuo, "?kind=broker").await;
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["region_code"], "451422");
    let ningming_case = theirs[0]["id"].as_str().unwrap();
    problem(step(&app, &chongzuo, ningming_case, "assign", json!({})).await, 403, "forbidden").await;
    problem(app.get(&format!("/api/v1/cases/{lang_son_case}"), Some(&chongzuo)).await, 404, "not_found")
        .await;

    // Their figures are narrowed the same way.
    let view: Value = app.get("/api/v1/compliance", Some(&lang_son)).await.json().await.unwrap();
    assert_eq!(
        view["broker_reports_by_region_month"],
        json!([{"region": "VN-09", "month": "2026-11", "count": 1}])
    );
    let view: Value = app.get("/api/v1/compliance", Some(&chongzuo)).await.json().await.unwrap();
    assert_eq!(
        view["broker_reports_by_region_month"],
        json!([{"region": "451400", "month": "2026-11", "count": 1}])
    );
    let figures = statistics(&app, Some(&lang_son), "indicators=broker_reports").await;
    assert_eq!(figures["home_province"], "VN-09");
    assert_eq!(rows(&figures, "broker_reports")[0]["value"], 1);
}

/// A client from one address reports a few dozen an hour; past that, 429 with Retry-After,
/// nothing written. Every try counts, a refused one too; another address is not held back,
/// and the next hour the first may report again.
#[actix_web::test]
async fn one_address_cannot_flood_the_reports() {
    let app =
        TestApp::spawn_with(TestDb::create().await, |s| s.limits.broker_reports_per_client_hourly = 3).await;
    let from = |address: [u8; 4]| {
        reqwest::Client::builder().local_address(std::net::IpAddr::from(address)).build().unwrap()
    };
    let post = |address: [u8; 4], body: Value| {
        let url = app.url("/api/v1/broker-reports");
        async move { from(address).post(url).json(&body).send().await.unwrap() }
    };
    for _ in 0..2 {
        assert_eq!(post([127, 0, 0, 4], report()).await.status(), StatusCode::CREATED);
    }
    problem(post([127, 0, 0, 4], json!({})).await, 422, "validation_failed").await;
    let mut refused = Vec::new();
    for _ in 0..100 {
        refused.push(post([127, 0, 0, 4], report()).await);
    }
    for answer in refused {
        let wait: i64 = answer.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=3600).contains(&wait), "{wait}");
        let body = problem(answer, 429, "rate_limited").await;
        assert_eq!(body["retry_after_seconds"], wait);
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM broker_reports").await, 2, "nothing more written");
    assert_eq!(post([127, 0, 0, 5], report()).await.status(), StatusCode::CREATED);
    app.state.clock.advance(Duration::hours(1));
    assert_eq!(post([127, 0, 0, 4], report()).await.status(), StatusCode::CREATED);
}

/// The pages: the form (linked from the landing page, the home page and the complaint form)
/// keeps what was typed when it is refused and says what is needed; the report's status page
/// says where it stands; the regulator's case page shows the report and the compliance page
/// charts the reports by month and region.
#[actix_web::test]
async fn the_form_the_status_page_the_case_page_and_the_chart() {
    let app = TestApp::spawn().await;
    for page in ["/", "/complaints/new"] {
        let html = app.get(page, None).await.text().await.unwrap();
        assert!(html.contains("href=\"/broker-reports/new\""), "{page} links to the form");
    }
    let (nonce, token) = seasonlink_tests::pages::csrf(&app, "/broker-reports/new").await;
    let visitor = UiSession { cookies: format!("sl_csrf={nonce}; sl_lang=vi"), csrf: token };
    let form = app.ui_get("/broker-reports/new", &visitor).await.text().await.unwrap();
    assert!(form.contains("name=\"kind_holds_documents\"") && form.contains("value=\"VN-09\""));
    assert!(!form.contains("id_document"), "no identity document is asked for");

    let empty =
        app.ui_post("/broker-reports", &visitor, &[("kind_other", "1"), ("place", "Đồng Đăng")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = empty.text().await.unwrap();
    assert!(html.contains("id=\"broker-error\"") && html.contains("tên hoặc số điện thoại"), "{html}");
    assert!(html.contains("value=\"Đồng Đăng\"") && html.contains("name=\"kind_other\" value=\"1\" checked"));
    let bad_amount =
        [("kind_other", "1"), ("broker_name", "Tư"), ("amount", "năm triệu"), ("currency", "VND")];
    assert_eq!(
        app.ui_post("/broker-reports", &visitor, &bad_amount).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let fields = [
        ("kind_recruits_without_licence", "1"),
        ("kind_took_money_for_crossing", "1"),
        ("broker_name", "Chị Hoa"),
        ("region_code", "VN-04"),
        ("occurred_on", "2026-11-20"),
        ("amount", "5.000.000"),
        ("currency", "VND"),
        ("description", "Hứa đưa sang Long Châu chặt mía."),
        ("contact", ""),
    ];
    let filed = app.ui_post("/broker-reports", &visitor, &fields).await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let location = filed.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/broker-reports/B-") && location.ends_with("?new=1"), "{location}");
    let status = app.ui_get(&location, &visitor).await.text().await.unwrap();
    assert!(status.contains("data-status=\"open\"") && status.contains("id=\"broker-filed\""));
    assert!(status.contains("29/11/2026") && status.contains("Tuyển người đi làm mà không được cấp phép"));
    assert!(!status.contains("Chị Hoa") && !status.contains("Long Châu"), "the status page repeats nothing");
    let reference = location.trim_start_matches("/broker-reports/").trim_end_matches("?new=1");
    let looked_up =
        app.get(&format!("/broker-reports?reference=%20{}", reference.to_lowercase()), None).await;
    assert_eq!(looked_up.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/broker-reports/B-NOSUCHREF0", None).await.status(), StatusCode::NOT_FOUND);
    let stored = "SELECT COUNT(*) AS n FROM broker_reports WHERE amount_asked_vnd = 5000000 AND language = 'vi' \
                  AND kinds = 'recruits_without_licence,took_money_for_crossing' AND contact IS NULL";
    assert_eq!(app.count(stored).await, 1);

    let vn = app.login_as_authority("VN").await;
    let regulator = app.ui_login(&vn.email).await;
    let desk = app.ui_get("/regulator/cases?kind=broker", &regulator).await.text().await.unwrap();
    let case_id = desk.split("data-case=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let page = app.ui_get(&format!("/regulator/cases/{case_id}"), &regulator).await.text().await.unwrap();
    for shown in
        ["Chị Hoa", "Cao Bang", "5000000 VND", "Hứa đưa sang Long Châu chặt mía.", "id=\"resolve-form\""]
    {
        assert!(page.contains(shown), "{shown} on the case page");
    }
    let compliance = app.ui_get("/regulator/compliance", &regulator).await.text().await.unwrap();
    assert!(compliance.contains("id=\"broker-chart\"") && compliance.contains("id=\"broker-legend\""));
    assert!(compliance.contains("Cao Bang") && compliance.contains("class=\"bar seg-0\""), "{compliance}");
}
