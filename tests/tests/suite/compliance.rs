//! Wage compliance and grievances: payslips checked at the boundaries, the hours
//! guarantee, fee reports, complaints, cases and the compliance view.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{AgencySession, EmployerSession, Session, TestApp, problem, vacancy, worker};

/// A worker at work: offered, accepted, permitted and departed today, on a season that
/// starts today in Ningming (floor 17.00 CNY an hour; 19.00 agreed, with housing at 300 CNY
/// a month).
pub(crate) struct AtWork {
    pub(crate) app: TestApp,
    /// China's national authority: it works the cases against the employer.
    pub(crate) regulator: Session,
    /// Viet Nam's national authority: it works the cases against the (Vietnamese) agency.
    pub(crate) vn_regulator: Session,
    pub(crate) employer: EmployerSession,
    pub(crate) agency: AgencySession,
    pub(crate) worker: Session,
    pub(crate) placement_id: String,
    /// The first day of the season: the day the worker crossed.
    pub(crate) season_start: chrono::NaiveDate,
    /// How many fortnights a payslip was made for ([`AtWork::fortnight`]).
    fortnights: std::sync::atomic::AtomicI64,
}

pub(crate) async fn at_work() -> AtWork {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let today = app.today();
    let mut job = vacancy(1900);
    job["season_start"] = json!(today);
    job["season_end"] = json!(today + Duration::days(90));
    job["deductions"] = json!([{"kind": "housing", "fen_per_month": 30_000}]);
    let job: Value =
        app.post_json("/api/v1/vacancies", Some(&employer.session), &job).await.json().await.unwrap();
    let mut body = worker("001098000001");
    body["email"] = json!("lan@test.seasonlink.vn");
    body["available_from"] = json!(today);
    body["available_until"] = json!(today + Duration::days(120));
    let created: Value =
        app.post_json("/api/v1/workers", Some(&agency.session), &body).await.json().await.unwrap();
    app.activate_worker(created["id"].as_str().unwrap()).await;
    let offer = json!({"vacancy_id": job["id"], "worker_id": created["id"]});
    let placement: Value =
        app.post_json("/api/v1/placements", Some(&agency.session), &offer).await.json().await.unwrap();
    let id = placement["id"].as_str().unwrap().to_owned();
    let worker = app.session_for("lan@test.seasonlink.vn").await;
    let path = |action: &str| format!("/api/v1/placements/{id}/{action}");
    let acceptance = json!({"version": 1, "sha256": placement["contract"]["sha256"], "lang": "vi"});
    assert!(app.post_json(&path("accept"), Some(&worker), &acceptance).await.status().is_success());
    app.verify_insurance(&regulator, &id).await;
    assert!(app.post_json(&path("permit"), Some(&regulator), &json!({})).await.status().is_success());
    let crossing = json!({"crossing_code": "aidian", "at": app.state.clock.now()});
    app.record_orientation(&agency.session, &id).await;
    assert!(app.post_json(&path("departure"), Some(&agency.session), &crossing).await.status().is_success());
    let vn_regulator = app.login_as_authority("VN").await;
    let fortnights = std::sync::atomic::AtomicI64::new(0);
    AtWork {
        app,
        regulator,
        vn_regulator,
        employer,
        agency,
        worker,
        placement_id: id,
        season_start: today,
        fortnights,
    }
}

impl AtWork {
    /// The season's next fortnight not yet given to a payslip: its first and last days, and
    /// the day after, when it is paid. Pay is reported for a period once it has ended and
    /// been paid, so the clock moves on to that day if it has not come.
    pub(crate) fn fortnight(&self) -> (chrono::NaiveDate, chrono::NaiveDate, chrono::NaiveDate) {
        let k = self.fortnights.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let start = self.season_start + Duration::days(15 * k);
        let (end, paid) = (start + Duration::days(14), start + Duration::days(15));
        let today = self.app.today();
        if today < paid {
            self.app.state.clock.advance(paid - today);
        }
        (start, end, paid)
    }

    /// The next fortnight's payslip: `hours` hours for `gross` fen, with these deductions.
    pub(crate) fn slip(&self, hours: i64, gross: i64, deductions: Value) -> Value {
        let (start, end, paid) = self.fortnight();
        let taken: i64 = deductions.as_array().unwrap().iter().map(|d| d["fen"].as_i64().unwrap()).sum();
        json!({
            "period_start": start, "period_end": end, "minutes_worked": hours * 60,
            "gross_fen": gross, "deductions": deductions, "net_fen": gross - taken, "paid_on": paid,
        })
    }

    /// The worker comes home today, on time: its agency records the return.
    pub(crate) async fn come_home(&self) {
        let path = format!("/api/v1/placements/{}/return", self.placement_id);
        let crossing = json!({"crossing_code": "aidian", "at": self.app.state.clock.now()});
        let response = self.app.post_json(&path, Some(&self.agency.session), &crossing).await;
        assert!(response.status().is_success(), "{:?}", response.text().await);
    }

    pub(crate) async fn report(&self, session: &Session, slip: &Value) -> reqwest::Response {
        let path = format!("/api/v1/placements/{}/payslips", self.placement_id);
        self.app.post_json(&path, Some(session), slip).await
    }

    pub(crate) async fn payslips(&self, session: &Session) -> reqwest::Response {
        self.app.get(&format!("/api/v1/placements/{}/payslips", self.placement_id), Some(session)).await
    }

    /// One case as the regulator reads it, by its id (a JSON string).
    pub(crate) async fn case(&self, id: &Value) -> Value {
        let path = format!("/api/v1/cases/{}", id.as_str().unwrap());
        self.app.get(&path, Some(&self.regulator)).await.json().await.unwrap()
    }

    pub(crate) async fn cases(&self, query: &str) -> Vec<Value> {
        self.app.get(&format!("/api/v1/cases{query}"), Some(&self.regulator)).await.json().await.unwrap()
    }
}

#[actix_web::test]
async fn exactly_at_the_floor_passes_one_fen_below_opens_a_case() {
    let w = at_work().await;
    let at_floor = w.report(&w.employer.session, &w.slip(80, 80 * 1700, json!([]))).await;
    assert_eq!(at_floor.status(), StatusCode::CREATED);
    let at_floor: Value = at_floor.json().await.unwrap();
    assert_eq!((at_floor["compliant"].clone(), at_floor["findings"].clone()), (json!(true), json!([])));
    assert_eq!(at_floor["floor_hourly_fen"], 1700);
    assert!(w.cases("").await.is_empty());

    let below: Value =
        w.report(&w.employer.session, &w.slip(80, 80 * 1700 - 1, json!([]))).await.json().await.unwrap();
    assert_eq!(below["compliant"], false);
    assert_eq!(
        below["findings"],
        json!([{"code": "below_floor", "required": 136000, "actual": 135999, "owed_fen": 1}])
    );
    let cases = w.cases("?kind=wage").await;
    assert_eq!(cases.len(), 1);
    assert_eq!(
        (cases[0]["subject_kind"].as_str(), cases[0]["subject_id"].as_str()),
        (Some("employer"), Some(w.employer.employer_id.as_str()))
    );
    assert_eq!(cases[0]["amount_owed_fen"], 1);
    assert_eq!(cases[0]["id"], below["case_id"]);

    // Deductions beyond the contract and over the cap: each a finding.
    let greedy = w.slip(
        80,
        80 * 2000,
        json!([{"kind": "housing", "fen": 15_001}, {"kind": "uniform", "fen": 20_000}]),
    );
    let greedy: Value = w.report(&w.employer.session, &greedy).await.json().await.unwrap();
    let codes: Vec<&str> =
        greedy["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "below_floor_after_deductions",
            "deductions_over_cap",
            "deduction_above_contract",
            "deduction_not_in_contract"
        ]
    );

    // The worker reads its payslips and findings; the agency too; nobody else.
    let seen: Vec<Value> = w.payslips(&w.worker).await.json().await.unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[1]["findings"][0]["code"], "below_floor");
    assert_eq!(w.payslips(&w.agency.session).await.status(), StatusCode::OK);
    let other = w.app.employer(true).await;
    problem(w.payslips(&other.session).await, 404, "not_found").await;
    problem(w.report(&other.session, &w.slip(80, 80 * 1800, json!([]))).await, 404, "not_found").await;
    problem(w.report(&w.worker, &w.slip(80, 80 * 1800, json!([]))).await, 403, "forbidden").await;
    problem(w.app.get("/api/v1/cases", Some(&w.employer.session)).await, 403, "forbidden").await;

    // The compliance view counts them, as JSON and as CSV.
    let view: Value = w.app.get("/api/v1/compliance", Some(&w.regulator)).await.json().await.unwrap();
    assert_eq!((view["payslips"].clone(), view["compliant_payslips"].clone()), (json!(3), json!(1)));
    assert_eq!(view["compliance_per_mille"], 333);
    assert_eq!(view["open_cases_by_kind"], json!([{"key": "wage", "count": 2}]));
    assert_eq!(view["employers_most_findings"][0]["key"], w.employer.employer_id.as_str());
    let csv = w.app.get("/api/v1/compliance?format=csv", Some(&w.regulator)).await.text().await.unwrap();
    assert!(csv.starts_with("section,key,value\ntotals,payslips,3\n"), "{csv}");
    problem(w.app.get("/api/v1/compliance", Some(&w.agency.session)).await, 403, "forbidden").await;
}

#[actix_web::test]
async fn a_payslip_that_does_not_add_up_is_refused_and_nothing_is_stored() {
    let w = at_work().await;
    let mut wrong_net = w.slip(80, 80 * 1800, json!([]));
    wrong_net["net_fen"] = json!(80 * 1800 + 1);
    let body = problem(w.report(&w.employer.session, &wrong_net).await, 422, "validation_failed").await;
    assert_eq!((body["field"].as_str(), body["expected_net_fen"].as_i64()), (Some("net_fen"), Some(144_000)));
    let mut before_season = w.slip(80, 80 * 1800, json!([]));
    before_season["period_start"] = json!(w.season_start - Duration::days(1));
    problem(w.report(&w.employer.session, &before_season).await, 422, "validation_failed").await;
    let mut negative = w.slip(80, 80 * 1800, json!([]));
    negative["minutes_worked"] = json!(-60);
    problem(w.report(&w.employer.session, &negative).await, 422, "validation_failed").await;
    // Deductions beyond the gross (the net would be negative), and pay "made" decades later.
    let over_gross = w.slip(80, 80 * 1800, json!([{"kind": "housing", "fen": 80 * 1800 + 1}]));
    let body = problem(w.report(&w.employer.session, &over_gross).await, 422, "validation_failed").await;
    assert_eq!(body["field"], "deductions");
    let mut far_later = w.slip(80, 80 * 1800, json!([]));
    far_later["paid_on"] = json!("2099-12-31");
    let body = problem(w.report(&w.employer.session, &far_later).await, 422, "validation_failed").await;
    assert_eq!(body["field"], "paid_on");
    let seen: Vec<Value> = w.payslips(&w.employer.session).await.json().await.unwrap();
    assert!(seen.is_empty());
    assert!(w.cases("").await.is_empty());
}

#[actix_web::test]
async fn payslips_import_from_csv_all_rows_or_none() {
    let w = at_work().await;
    let (start, end, paid) = w.fortnight();
    let (next_start, next_end, next_paid) = w.fortnight();
    let header = "placement_id,period_start,period_end,minutes_worked,gross_fen,deductions,net_fen,paid_on\n";
    let id = &w.placement_id;
    let good = format!("{id},{start},{end},4800,160000,housing:15000,145000,{paid}\n");
    let below = format!("{id},{next_start},{next_end},4800,100000,,100000,{next_paid}\n");
    let post = |body: String| {
        let (app, session) = (&w.app, &w.employer.session);
        async move { app.post_csv("/api/v1/payslips/import", Some(session), body.into_bytes()).await }
    };

    let bad = format!(
        "{header}{good}{id},{start},{end},4800,144000,,1,{paid}\nnot-a-placement,{start},{end},60,1,,1,{paid}\n{id},tomorrow,{end},1,1,,1,{paid}\n"
    );
    let refused = problem(post(bad).await, 422, "validation_failed").await;
    assert_eq!(
        refused["errors"],
        json!([
            {"row": 3, "field": "net_fen", "code": "validation_failed"},
            {"row": 4, "field": "placement_id", "code": "unknown"},
            {"row": 5, "field": "period_start", "code": "invalid_date"},
        ])
    );
    let seen: Vec<Value> = w.payslips(&w.employer.session).await.json().await.unwrap();
    assert!(seen.is_empty(), "nothing imported");
    problem(post("wrong,header\n1,2\n".into()).await, 422, "validation_failed").await;

    let created = post(format!("{header}{good}{below}")).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.json::<Value>().await.unwrap(), json!({"created": 2, "compliant": 1}));
    assert_eq!(w.cases("?kind=wage").await.len(), 1);
    let as_agency =
        w.app.post_csv("/api/v1/payslips/import", Some(&w.agency.session), header.as_bytes().to_vec()).await;
    problem(as_agency, 403, "forbidden").await;
}

#[actix_web::test]
async fn fewer_than_three_quarters_of_the_guaranteed_hours_opens_a_case_at_completion() {
    let w = at_work().await;
    w.report(&w.employer.session, &w.slip(80, 80 * 1800, json!([]))).await;
    let complete = format!("/api/v1/placements/{}/completion", w.placement_id);
    assert!(w.app.post_json(&complete, Some(&w.employer.session), &json!({})).await.status().is_success());
    let cases = w.cases("?kind=hours").await;
    assert_eq!(cases.len(), 1);
    let case = w.case(&cases[0]["id"]).await;
    // 91 days at 40 guaranteed hours a week: 520 hours; three quarters is 390; 80 were paid.
    let finding = &case["findings"][0];
    assert_eq!(finding["code"], "hours_guarantee");
    assert_eq!((finding["required"].as_i64(), finding["actual"].as_i64()), (Some(390 * 60), Some(80 * 60)));
    assert_eq!(case["amount_owed_fen"], (390 - 80) * 1900);
}

#[actix_web::test]
async fn a_fee_report_opens_a_case_against_the_agency_and_shows_on_its_record() {
    let w = at_work().await;
    let report = json!({"agency_id": w.agency.agency_id, "amount_fen": 300_000, "paid_on": w.app.today(),
                        "paid_to": "the recruiter in Lạng Sơn", "description": "phí giới thiệu việc làm"});
    problem(w.app.post_json("/api/v1/fee-reports", Some(&w.agency.session), &report).await, 403, "forbidden")
        .await;
    let mut bad = report.clone();
    bad["amount_fen"] = json!(0);
    problem(w.app.post_json("/api/v1/fee-reports", Some(&w.worker), &bad).await, 422, "validation_failed")
        .await;
    let mut long = report.clone();
    long["paid_to"] = json!("x".repeat(201));
    problem(w.app.post_json("/api/v1/fee-reports", Some(&w.worker), &long).await, 422, "validation_failed")
        .await;
    let cases_before = w.cases("?kind=fee").await.len();
    assert_eq!(cases_before, 0, "a refused report opens nothing");
    let opened = w.app.post_json("/api/v1/fee-reports", Some(&w.worker), &report).await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let cases = w.cases("?kind=fee").await;
    assert_eq!((cases.len(), cases[0]["subject_id"].as_str()), (1, Some(w.agency.agency_id.as_str())));
    assert_eq!(cases[0]["amount_owed_fen"], 300_000);
    let licence: Value = w
        .app
        .get(&format!("/api/v1/public/licences/{}", w.agency.licence_number), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(licence["fee_reports"], 1);

    // The body that the partners' API reference promises: no `paid_to`. (One report at a
    // time against an agency: the first is resolved before the second is filed.)
    let resolve = format!("/api/v1/cases/{}/resolve", cases[0]["id"].as_str().unwrap());
    let resolved =
        w.app.post_json(&resolve, Some(&w.vn_regulator), &json!({"outcome": "fee refunded"})).await;
    assert_eq!(resolved.status(), StatusCode::OK);
    let promised = json!({"agency_id": w.agency.agency_id, "amount_fen": 50_000, "paid_on": w.app.today(),
                          "description": "tiền đặt cọc"});
    let opened = w.app.post_json("/api/v1/fee-reports", Some(&w.worker), &promised).await;
    assert_eq!(opened.status(), StatusCode::CREATED, "{:?}", opened.text().await);
    assert_eq!(w.cases("?kind=fee").await.len(), 2);
}

#[actix_web::test]
async fn anyone_complains_and_follows_the_case_by_reference_until_it_is_resolved() {
    let w = at_work().await;
    let complaint = json!({"category": "documents_withheld", "employer_id": w.employer.employer_id,
                           "text": "Họ giữ hộ chiếu của chúng tôi.", "language": "vi", "contact": "+84 912 000 111"});
    let mut bad = complaint.clone();
    bad["category"] = json!("gossip");
    problem(w.app.post_json("/api/v1/complaints", None, &bad).await, 422, "validation_failed").await;
    let filed = w.app.post_json("/api/v1/complaints", None, &complaint).await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let reference = filed.json::<Value>().await.unwrap()["reference"].as_str().unwrap().to_owned();
    let status_path = format!("/api/v1/public/complaints/{reference}");
    let status: Value = w.app.get(&status_path, None).await.json().await.unwrap();
    assert_eq!(status["status"], "open");
    assert!(status.get("text").is_none() && status.get("contact").is_none());
    problem(w.app.get("/api/v1/public/complaints/C-NOSUCHREF0", None).await, 404, "not_found").await;

    // The employer it is about sees nothing of it.
    problem(w.app.get("/api/v1/cases?kind=complaint", Some(&w.employer.session)).await, 403, "forbidden")
        .await;

    let case_id = w.cases("?kind=complaint").await[0]["id"].as_str().unwrap().to_owned();
    let step = |action: &str, body: Value| {
        let (app, regulator, case_id) = (&w.app, &w.regulator, case_id.clone());
        let action = action.to_owned();
        async move { app.post_json(&format!("/api/v1/cases/{case_id}/{action}"), Some(regulator), &body).await }
    };
    problem(step("comment", json!({})).await, 422, "validation_failed").await;
    problem(step("escalate", json!({})).await, 404, "not_found").await;
    let employer_user = json!({"user_id": w.employer.session.user_id});
    problem(step("assign", employer_user).await, 422, "validation_failed").await;
    for bad in ["?status=lost", "?kind=gossip"] {
        problem(
            w.app.get(&format!("/api/v1/cases{bad}"), Some(&w.regulator)).await,
            422,
            "validation_failed",
        )
        .await;
    }
    problem(w.app.get("/api/v1/compliance?format=xml", Some(&w.regulator)).await, 422, "validation_failed")
        .await;
    let nowhere = w.app.post_json("/api/v1/cases/no-such-case/assign", Some(&w.regulator), &json!({})).await;
    problem(nowhere, 404, "not_found").await;
    assert_eq!(step("assign", json!({})).await.status(), StatusCode::OK);
    assert_eq!(
        step("comment", json!({"note": "labour inspection visits on Monday"})).await.status(),
        StatusCode::OK
    );
    let resolved: Value =
        step("resolve", json!({"outcome": "passports returned; employer fined", "amount_recovered_fen": 0}))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["complaint"]["text"], "Họ giữ hộ chiếu của chúng tôi.");
    assert_eq!(resolved["notes"].as_array().unwrap().len(), 1);
    problem(step("resolve", json!({"outcome": "again"})).await, 409, "conflict").await;
    let status: Value = w.app.get(&status_path, None).await.json().await.unwrap();
    assert_eq!(status["status"], "resolved");

    let entries: Vec<Value> =
        w.app.get("/api/v1/audit?limit=1000", Some(&w.regulator)).await.json().await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    for action in ["case.opened", "case.assigned", "case.commented", "case.resolved"] {
        assert!(actions.contains(&action), "{action}");
    }
    assert!(
        !serde_json::to_string(&entries).unwrap().contains("hộ chiếu"),
        "no complaint text in the audit log"
    );
}

/// The complaint form promises anonymity when the contact is left empty: a signed-in worker's
/// complaint without a contact keeps no trace of its account, neither with the complaint nor
/// as the actor of its audit entry; with a contact, the account is kept too. The API answers
/// as it always did (201 and a reference; the case's complaint has the same fields).
#[actix_web::test]
async fn a_complaint_without_a_contact_is_anonymous_even_from_a_signed_in_worker() {
    let w = at_work().await;
    let file = |contact: Option<&str>| {
        let mut body = json!({"category": "housing", "employer_id": w.employer.employer_id,
                              "text": "Mười hai người một phòng.", "language": "vi"});
        if let Some(contact) = contact {
            body["contact"] = json!(contact);
        }
        let (app, worker) = (&w.app, &w.worker);
        async move {
            let filed = app.post_json("/api/v1/complaints", Some(worker), &body).await;
            assert_eq!(filed.status(), StatusCode::CREATED);
            let receipt: Value = filed.json().await.unwrap();
            assert_eq!(receipt.as_object().unwrap().keys().collect::<Vec<_>>(), ["reference"]);
            receipt["reference"].as_str().unwrap().to_owned()
        }
    };
    let anonymous = file(None).await;
    let reachable = file(Some("+84 912 000 222")).await;

    let entries: Vec<Value> =
        w.app.get("/api/v1/audit?limit=1000", Some(&w.regulator)).await.json().await.unwrap();
    let openers: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "case.opened" && e["detail"]["kind"] == "complaint")
        .map(|e| &e["actor_user_id"])
        .collect();
    assert_eq!(openers, [&Value::Null, &json!(w.worker.user_id)], "no actor for the anonymous one");

    for case in w.cases("?kind=complaint").await {
        let full = w.case(&case["id"]).await;
        let complaint = &full["complaint"];
        let mut fields: Vec<&String> = complaint.as_object().unwrap().keys().collect();
        fields.sort();
        assert_eq!(fields, ["anonymous", "category", "contact", "language", "reference", "text"]);
        let expected = complaint["reference"] == anonymous.as_str();
        assert!(expected || complaint["reference"] == reachable.as_str());
        assert_eq!(complaint["anonymous"], expected, "{complaint}");
        assert_eq!(complaint["contact"].is_null(), expected, "{complaint}");
    }
}

/// The compliance rules live in the services: called without HTTP, the wrong actor is
/// refused, another employer's placement is not found, and nothing is written.
#[actix_web::test]
async fn the_compliance_service_refuses_the_wrong_actor_without_http() {
    use seasonlink::actor::Actor;
    use seasonlink::domain::payslip::Payslip;
    use seasonlink::error::ErrorCode;
    use seasonlink::services::compliance::{
        self, CaseAction, CaseQuery, CaseStep, ComplaintInput, FeeReportInput,
    };

    let w = at_work().await;
    let state = &w.app.state;
    let actor = |role, user: &str, org: Option<&str>| Actor {
        user_id: user.into(),
        role,
        org_id: org.map(Into::into),
    };
    let employer = actor(Role::Employer, &w.employer.session.user_id, Some(&w.employer.employer_id));
    let agency = actor(Role::Agency, &w.agency.session.user_id, Some(&w.agency.agency_id));
    let other_employer = actor(Role::Employer, "someone", Some("another-employer"));
    let regulator = actor(Role::Regulator, &w.regulator.user_id, None);
    let slip = || -> Payslip { serde_json::from_value(w.slip(80, 80 * 1700, json!([]))).unwrap() };
    fn code<T>(result: Result<T, seasonlink::error::AppError>) -> ErrorCode {
        result.map(drop).unwrap_err().code
    }

    // The agency is a party of the placement but does not report its payslips; another
    // employer does not even see it.
    let id = &seasonlink::ids::PlacementId::from(w.placement_id.as_str());
    assert_eq!(code(compliance::report_payslip(state, &agency, id, slip()).await), ErrorCode::Forbidden);
    assert_eq!(
        code(compliance::report_payslip(state, &other_employer, id, slip()).await),
        ErrorCode::NotFound
    );
    assert_eq!(code(compliance::payslips(state, &other_employer, id).await), ErrorCode::NotFound);
    let header = "placement_id,period_start,period_end,minutes_worked,gross_fen,deductions,net_fen,paid_on\n";
    let imported = compliance::import_payslips(state, &agency, header.as_bytes().to_vec()).await;
    assert_eq!(code(imported), ErrorCode::Forbidden);

    // Only a worker reports a fee.
    let fee = FeeReportInput {
        agency_id: w.agency.agency_id.clone().into(),
        amount_fen: 300_000.into(),
        paid_on: w.app.today(),
        paid_to: Some("the recruiter".into()),
        description: "a fee".into(),
    };
    assert_eq!(code(compliance::report_fee(state, &employer, fee).await), ErrorCode::Forbidden);

    // Only a regulator reads and works cases, or the compliance view.
    let complaint = ComplaintInput {
        category: "housing".into(),
        agency_id: None,
        employer_id: Some(w.employer.employer_id.clone().into()),
        text: "Twelve to a room.".into(),
        language: "en".into(),
        contact: None,
    };
    compliance::file_complaint(state, None, None, complaint).await.unwrap();
    let cases = compliance::list_cases(state, &regulator, CaseQuery::default()).await.unwrap().items;
    let case_id = &cases[0].id.clone();
    assert_eq!(
        code(compliance::list_cases(state, &agency, CaseQuery::default()).await),
        ErrorCode::Forbidden
    );
    assert_eq!(code(compliance::find_case(state, &employer, case_id).await), ErrorCode::Forbidden);
    let step = CaseStep { outcome: Some("dismissed".into()), ..Default::default() };
    let worked = compliance::work_case(state, &employer, case_id, CaseAction::Resolve, step).await;
    assert_eq!(code(worked), ErrorCode::Forbidden);
    assert_eq!(code(compliance::compliance(state, &agency).await), ErrorCode::Forbidden);
    let counted = compliance::case_counts(state, &employer, &w.employer.employer_id).await;
    assert_eq!(code(counted), ErrorCode::Forbidden);

    // Nothing was written: no payslip, no fee case, the complaint's case untouched.
    assert!(compliance::payslips(state, &regulator, id).await.unwrap().is_empty());
    let cases = compliance::list_cases(state, &regulator, CaseQuery::default()).await.unwrap().items;
    assert_eq!(cases.len(), 1, "only the complaint's case");
    let case = compliance::find_case(state, &regulator, case_id).await.unwrap();
    assert_eq!((case.status.as_str(), case.notes.len()), ("open", 0));
    let reported = compliance::report_payslip(state, &employer, id, slip()).await.unwrap();
    assert!(reported.compliant, "the employer itself reports");
}
