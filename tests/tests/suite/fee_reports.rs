//! Fee reports that cannot be used as a weapon: a worker reports only an agency it dealt
//! with, one report at a time per agency, and the public licence record tells the reports
//! received from those a regulator upheld.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::compliance::{AtWork, at_work};
use seasonlink_tests::{day_text, problem};

/// A fee report against `agency_id`, paid today.
fn report(w: &AtWork, agency_id: &str, amount_fen: i64) -> Value {
    json!({"agency_id": agency_id, "amount_fen": amount_fen, "paid_on": w.app.today(),
           "description": "phí giới thiệu việc làm"})
}

/// How many fee reports and cases the database holds.
async fn stored(w: &AtWork) -> (i64, i64) {
    (
        w.app.count("SELECT COUNT(*) AS n FROM fee_reports").await,
        w.app.count("SELECT COUNT(*) AS n FROM cases").await,
    )
}

impl AtWork {
    async fn report_fee(&self, session: &seasonlink_tests::Session, body: &Value) -> reqwest::Response {
        self.app.post_json("/api/v1/fee-reports", Some(session), body).await
    }

    async fn public_licence(&self) -> Value {
        let path = format!("/api/v1/public/licences/{}", self.agency.licence_number);
        self.app.get(&path, None).await.json().await.unwrap()
    }

    /// Viet Nam's side resolves a fee case; `upheld` is left out when `None`.
    async fn resolve(&self, case_id: &str, upheld: Option<bool>) -> Value {
        let mut step = json!({"outcome": "the agency was heard"});
        if let Some(upheld) = upheld {
            step["upheld"] = json!(upheld);
        }
        let path = format!("/api/v1/cases/{case_id}/resolve");
        let response = self.app.post_json(&path, Some(&self.vn_regulator), &step).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }
}

#[actix_web::test]
async fn a_worker_reports_only_an_agency_it_dealt_with_and_learns_nothing_of_others() {
    let w = at_work().await;
    let stranger = w.app.agency().await;
    let before = stored(&w).await;

    // An agency that exists but never registered nor placed the worker, and an id that names
    // no agency: the same refusal, naming the field and nothing else.
    let known = problem(
        w.report_fee(&w.worker, &report(&w, &stranger.agency_id, 300_000)).await,
        422,
        "validation_failed",
    )
    .await;
    let unknown = problem(
        w.report_fee(&w.worker, &report(&w, "0193a0f0-0000-7000-8000-00000000dead", 300_000)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(known["field"], "agency_id");
    assert_eq!(known, unknown, "a known agency and an unknown id are refused alike");
    assert_eq!(stored(&w).await, before, "nothing written");
    assert_eq!(w.public_licence().await["fee_reports"], 0);

    // The agency that registered and placed the worker: reported, a case opened.
    let opened = w.report_fee(&w.worker, &report(&w, &w.agency.agency_id, 300_000)).await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let opened: Value = opened.json().await.unwrap();
    assert!(opened["id"].is_string() && opened["case_id"].is_string());
    assert_eq!(stored(&w).await, (before.0 + 1, before.1 + 1));
    let licence = w.public_licence().await;
    assert_eq!((licence["fee_reports"].as_i64(), licence["fee_reports_upheld"].as_i64()), (Some(1), Some(0)));
}

/// A worker whose registration moved to another agency keeps the right to report the agency
/// it was placed through: "dealt with" is the registration or any placement.
#[actix_web::test]
async fn the_agency_a_worker_was_placed_through_stays_reportable() {
    let w = at_work().await;
    let other = w.app.agency().await;
    let me: Value = w.app.get("/api/v1/workers/me", Some(&w.worker)).await.json().await.unwrap();
    let moved = format!(
        "UPDATE workers SET agency_id = '{}' WHERE id = '{}'",
        other.agency_id,
        me["id"].as_str().unwrap()
    );
    let mut conn = w.app.db.connect();
    diesel::RunQueryDsl::execute(diesel::sql_query(moved), &mut conn).unwrap();

    let placed_through = w.report_fee(&w.worker, &report(&w, &w.agency.agency_id, 100_000)).await;
    assert_eq!(placed_through.status(), StatusCode::CREATED);
    let registered_by = w.report_fee(&w.worker, &report(&w, &other.agency_id, 100_000)).await;
    assert_eq!(registered_by.status(), StatusCode::CREATED);
}

#[actix_web::test]
async fn one_open_report_per_agency_until_a_regulator_answers_it() {
    let w = at_work().await;
    let first = w.report_fee(&w.worker, &report(&w, &w.agency.agency_id, 300_000)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let before = stored(&w).await;

    // A second report while the first waits: refused, nothing written. Assigning the case
    // does not close it.
    let again = problem(
        w.report_fee(&w.worker, &report(&w, &w.agency.agency_id, 50_000)).await,
        409,
        "fee_report_open",
    )
    .await;
    assert!(again["detail"].is_string());
    let case_path = format!("/api/v1/cases/{}", first["case_id"].as_str().unwrap());
    let assigned = w.app.post_json(&format!("{case_path}/assign"), Some(&w.vn_regulator), &json!({})).await;
    assert_eq!(assigned.status(), StatusCode::OK);
    problem(w.report_fee(&w.worker, &report(&w, &w.agency.agency_id, 50_000)).await, 409, "fee_report_open")
        .await;
    assert_eq!(stored(&w).await, before, "nothing written");

    // Upheld by the regulator: the worker may report again, and the record counts both.
    let resolved = w.resolve(first["case_id"].as_str().unwrap(), Some(true)).await;
    assert_eq!((resolved["status"].as_str(), resolved["upheld"].as_bool()), (Some("resolved"), Some(true)));
    let second = w.report_fee(&w.worker, &report(&w, &w.agency.agency_id, 50_000)).await;
    assert_eq!(second.status(), StatusCode::CREATED);
    let second: Value = second.json().await.unwrap();
    let licence = w.public_licence().await;
    assert_eq!((licence["fee_reports"].as_i64(), licence["fee_reports_upheld"].as_i64()), (Some(2), Some(1)));

    // Resolved without saying: not upheld, and the upheld count stays.
    let open: Value = w
        .app
        .get(&format!("/api/v1/cases/{}", second["case_id"].as_str().unwrap()), Some(&w.regulator))
        .await
        .json()
        .await
        .unwrap();
    assert!(open["upheld"].is_null(), "undecided while open: {open}");
    let resolved = w.resolve(second["case_id"].as_str().unwrap(), None).await;
    assert_eq!(resolved["upheld"], false);
    let licence = w.public_licence().await;
    assert_eq!((licence["fee_reports"].as_i64(), licence["fee_reports_upheld"].as_i64()), (Some(2), Some(1)));

    // The public page shows the two counts apart.
    let page = w.app.get(&format!("/licences/{}", w.agency.licence_number), None).await.text().await.unwrap();
    assert!(page.contains("<dd id=\"fee-reports\">2</dd>"), "{page}");
    assert!(page.contains("<dd id=\"fee-reports-upheld\">1</dd>"), "{page}");
    assert!(page.contains("Of these, upheld by a regulator"), "{page}");

    // The audit log records the decision.
    let entries: Vec<Value> =
        w.app.get("/api/v1/audit?limit=1000", Some(&w.regulator)).await.json().await.unwrap();
    let decisions: Vec<&Value> =
        entries.iter().filter(|e| e["action"] == "case.resolved").map(|e| &e["detail"]["upheld"]).collect();
    assert_eq!(decisions, [&json!(true), &json!(false)]);
}

#[actix_web::test]
async fn only_a_worker_reports_a_fee() {
    let w = at_work().await;
    let body = report(&w, &w.agency.agency_id, 300_000);
    for session in [&w.employer.session, &w.agency.session, &w.regulator] {
        problem(w.report_fee(session, &body).await, 403, "forbidden").await;
    }
    assert_eq!(stored(&w).await, (0, 0), "nothing written");
    problem(w.app.post_json("/api/v1/fee-reports", None, &body).await, 401, "not_authenticated").await;
}

/// The database holds the rule too: a case is upheld or not only once it is resolved.
#[actix_web::test]
async fn only_a_resolved_case_is_upheld_even_in_raw_sql() {
    let w = at_work().await;
    let opened: Value =
        w.report_fee(&w.worker, &report(&w, &w.agency.agency_id, 300_000)).await.json().await.unwrap();
    let case_id = opened["case_id"].as_str().unwrap();
    let mut conn = w.app.db.connect();
    let set = |value: &str| format!("UPDATE cases SET upheld = {value} WHERE id = '{case_id}'");
    let refused = diesel::RunQueryDsl::execute(diesel::sql_query(set("TRUE")), &mut conn);
    assert!(refused.is_err(), "an open case was marked upheld");
    w.resolve(case_id, Some(false)).await;
    assert_eq!(diesel::RunQueryDsl::execute(diesel::sql_query(set("TRUE")), &mut conn).unwrap(), 1);
}

/// On its phone, in Vietnamese: the worker is told why a second report waits, and the
/// regulator's resolve form asks whether the report is upheld, in each language.
#[actix_web::test]
async fn the_pages_explain_the_wait_and_ask_the_regulator_to_decide() {
    let w = at_work().await;
    let worker = w.app.ui_login("lan@test.seasonlink.vn").await;
    let fields = [
        ("agency_id", w.agency.agency_id.as_str()),
        ("amount", "3000"),
        ("paid_on", day_text(-28)),
        ("paid_to", "môi giới"),
        ("description", "phí"),
    ];
    assert_eq!(w.app.ui_post("/worker/fees", &worker, &fields).await.status(), StatusCode::CREATED);
    let again = w.app.ui_post("/worker/fees", &worker, &fields).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let html = again.text().await.unwrap();
    assert!(html.contains("<html lang=\"vi\">"), "{html}");
    assert!(html.contains("cơ quan quản lý chưa trả lời"), "{html}");

    // A fee case is Viet Nam's side's to work: the agency is Vietnamese.
    let regulator = w.app.login_as_authority("VN").await;
    let regulator_ui = w.app.ui_login(&regulator.email).await;
    let cases: Vec<Value> = w.app.get("/api/v1/cases?kind=fee", Some(&regulator)).await.json().await.unwrap();
    let case_path = format!("/regulator/cases/{}", cases[0]["id"].as_str().unwrap());
    for (lang, question) in [
        ("en", "Is what was reported upheld?"),
        ("vi", "Sự việc được báo có đúng không?"),
        ("zh-CN", "举报的情况是否查实？"),
    ] {
        let ui = seasonlink_tests::pages::UiSession {
            cookies: format!("{}; sl_lang={lang}", regulator_ui.cookies),
            csrf: regulator_ui.csrf.clone(),
        };
        let page = w.app.ui_get(&case_path, &ui).await.text().await.unwrap();
        assert!(page.contains(question) && page.contains("name=\"upheld\" value=\"true\""), "{lang}: {page}");
    }
    let bad = w
        .app
        .ui_post(
            &format!("{case_path}/resolve"),
            &regulator_ui,
            &[("outcome", "refunded"), ("upheld", "maybe")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resolved = w
        .app
        .ui_post(
            &format!("{case_path}/resolve"),
            &regulator_ui,
            &[("outcome", "refunded"), ("upheld", "true")],
        )
        .await;
    assert_eq!(resolved.status(), StatusCode::SEE_OTHER);
    let page = w.app.ui_get(&case_path, &regulator_ui).await.text().await.unwrap();
    assert!(page.contains("data-upheld=\"true\""), "{page}");
    let licence: Value = w.public_licence().await;
    assert_eq!(licence["fee_reports_upheld"], 1);
    assert_eq!(w.app.ui_post("/worker/fees", &worker, &fields).await.status(), StatusCode::CREATED);
}
