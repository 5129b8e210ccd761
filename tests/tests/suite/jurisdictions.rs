//! A provincial authority oversees its province only: China's side measures by the worksite
//! (a vacancy's or an employer's region), Viet Nam's by the worker's home province. A record
//! outside is not found (404) and lists leave it out; a decision on a thing outside is
//! refused (403). A case is routed to the side of the party it concerns, and only that side
//! works it: the other reads it, and its steps are refused (403) with nothing written.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::compliance::at_work;
use seasonlink::domain::account::Role;
use seasonlink_tests::{
    AgencySession, EmployerSession, PASSWORD, Session, TestApp, problem, vacancy, worker,
};

async fn json_of(response: reqwest::Response) -> Value {
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

/// The ids in a JSON list.
fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|item| item["id"].as_str().unwrap().to_owned()).collect()
}

/// An employer registered in `region` (a prefecture or county), verified by China's national
/// authority if asked, logged in.
async fn employer_in(app: &TestApp, cn: &Session, region: &str, verified: bool) -> EmployerSession {
    let email = format!("employer-{}@test.seasonlink.cn", uuid::Uuid::now_v7().simple());
    let registration = json!({"name": format!("Sugar Co. of {region}"),
                              "registration_no": uuid::Uuid::now_v7().simple().to_string(),
                              "region_code": region, "email": email, "password": PASSWORD});
    let employer_id = json_of(app.post_json("/api/v1/employers", None, &registration).await).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    if verified {
        let verify = format!("/api/v1/employers/{employer_id}/verify");
        assert_eq!(app.post_json(&verify, Some(cn), &json!({})).await.status(), StatusCode::OK);
    }
    EmployerSession { session: app.session_for(&email).await, employer_id }
}

/// A placement (offered) of a new worker from `province` on a new vacancy of `employer` in
/// `region`, over a season from today.
struct Placed {
    placement_id: String,
    worker_id: String,
    vacancy_id: String,
    email: String,
}

async fn placed(
    app: &TestApp,
    employer: &EmployerSession,
    agency: &AgencySession,
    (region, province): (&str, &str),
    n: u32,
) -> Placed {
    let today = app.today();
    let mut job = vacancy(1900);
    job["region_code"] = json!(region);
    job["season_start"] = json!(today);
    job["season_end"] = json!(today + Duration::days(90));
    let job = json_of(app.post_json("/api/v1/vacancies", Some(&employer.session), &job).await).await;
    let email = format!("worker{n}@test.seasonlink.vn");
    let mut body = worker(&format!("00109800030{n}"));
    body["home_province_code"] = json!(province);
    body["email"] = json!(email);
    body["phone"] = json!(format!("+84 912 000 30{n}"));
    body["available_from"] = json!(today);
    body["available_until"] = json!(today + Duration::days(120));
    let created = json_of(app.post_json("/api/v1/workers", Some(&agency.session), &body).await).await;
    let offer = json!({"vacancy_id": job["id"], "worker_id": created["id"]});
    let placement = json_of(app.post_json("/api/v1/placements", Some(&agency.session), &offer).await).await;
    Placed {
        placement_id: placement["id"].as_str().unwrap().to_owned(),
        worker_id: created["id"].as_str().unwrap().to_owned(),
        vacancy_id: job["id"].as_str().unwrap().to_owned(),
        email,
    }
}

/// One agency's two placements: `inside`, a worker from Lạng Sơn (VN-09) at a Ningming mill
/// (451422, in Chongzuo 451400); `outside`, a worker from Cao Bằng (VN-04) in Baise (451000,
/// another prefecture).
struct TwoRegions {
    app: TestApp,
    cn: Session,
    agency: AgencySession,
    ningming: EmployerSession,
    baise: EmployerSession,
    inside: Placed,
    outside: Placed,
}

async fn two_regions() -> TwoRegions {
    let app = TestApp::spawn().await;
    let cn = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&cn).await;
    let agency = app.agency().await;
    let ningming = employer_in(&app, &cn, "451422", true).await;
    let baise = employer_in(&app, &cn, "451000", true).await;
    let inside = placed(&app, &ningming, &agency, ("451422", "VN-09"), 1).await;
    let outside = placed(&app, &baise, &agency, ("451000", "VN-04"), 2).await;
    TwoRegions { app, cn, agency, ningming, baise, inside, outside }
}

impl TwoRegions {
    async fn get(&self, path: &str, session: &Session) -> reqwest::Response {
        self.app.get(path, Some(session)).await
    }

    async fn listed(&self, path: &str, session: &Session) -> Vec<String> {
        ids(&json_of(self.get(path, session).await).await)
    }

    /// A complaint about `employer_id`; returns its case's id, as China's national
    /// authority finds it.
    async fn complaint_about(&self, employer_id: &str) -> String {
        let body = json!({"category": "housing", "employer_id": employer_id,
                          "text": "Twelve to a room.", "language": "en"});
        assert_eq!(self.app.post_json("/api/v1/complaints", None, &body).await.status(), StatusCode::CREATED);
        let cases =
            json_of(self.get(&format!("/api/v1/cases?subject_id={employer_id}"), &self.cn).await).await;
        cases[0]["id"].as_str().unwrap().to_owned()
    }

    /// The worker of `placed` activates its account and reports a fee against the agency;
    /// returns the fee case's id.
    async fn fee_case(&self, placed: &Placed) -> String {
        self.app.activate_worker(&placed.worker_id).await;
        let worker = self.app.session_for(&placed.email).await;
        let report = json!({"agency_id": self.agency.agency_id, "amount_fen": 200_000,
                            "paid_on": self.app.today(), "description": "phí giới thiệu"});
        let opened = json_of(self.app.post_json("/api/v1/fee-reports", Some(&worker), &report).await).await;
        opened["case_id"].as_str().unwrap().to_owned()
    }
}

#[actix_web::test]
async fn chinas_provincial_authority_reads_and_decides_within_its_prefecture_only() {
    let s = two_regions().await;
    let app = &s.app;
    let chongzuo = app.login_as_provincial("CN", "451400").await;
    let (inside, outside) = (&s.inside.placement_id, &s.outside.placement_id);

    // Placements, their contracts and payslips: Chongzuo's, not Baise's.
    for path in ["", "/contract", "/payslips"] {
        assert_eq!(
            s.get(&format!("/api/v1/placements/{inside}{path}"), &chongzuo).await.status(),
            StatusCode::OK
        );
        problem(s.get(&format!("/api/v1/placements/{outside}{path}"), &chongzuo).await, 404, "not_found")
            .await;
        assert_eq!(
            s.get(&format!("/api/v1/placements/{outside}{path}"), &s.cn).await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(s.listed("/api/v1/placements", &chongzuo).await, [inside.as_str()]);
    assert_eq!(s.listed("/api/v1/placements", &s.cn).await.len(), 2, "the national authority reads both");

    // The workers placed in its prefecture.
    assert_eq!(s.listed("/api/v1/workers", &chongzuo).await, [s.inside.worker_id.as_str()]);
    problem(s.get(&format!("/api/v1/workers/{}", s.outside.worker_id), &chongzuo).await, 404, "not_found")
        .await;

    // Vacancies: its prefecture's in every status; elsewhere, the open ones, as anyone.
    let mut draft = vacancy(1900);
    draft["status"] = json!("draft");
    draft["region_code"] = json!("451000");
    let baise_draft = json_of(app.post_json("/api/v1/vacancies", Some(&s.baise.session), &draft).await).await;
    draft["region_code"] = json!("451422");
    let ningming_draft =
        json_of(app.post_json("/api/v1/vacancies", Some(&s.ningming.session), &draft).await).await;
    let baise_draft = baise_draft["id"].as_str().unwrap();
    problem(s.get(&format!("/api/v1/vacancies/{baise_draft}"), &chongzuo).await, 404, "not_found").await;
    assert_eq!(s.get(&format!("/api/v1/vacancies/{baise_draft}"), &s.cn).await.status(), StatusCode::OK);
    let open_elsewhere = format!("/api/v1/vacancies/{}", s.outside.vacancy_id);
    assert_eq!(s.get(&open_elsewhere, &chongzuo).await.status(), StatusCode::OK);
    assert_eq!(
        s.listed("/api/v1/vacancies?status=draft", &chongzuo).await,
        [ningming_draft["id"].as_str().unwrap()]
    );
    assert_eq!(s.listed("/api/v1/vacancies?status=draft", &s.cn).await.len(), 2);

    // Employers: its prefecture's.
    assert_eq!(s.listed("/api/v1/employers", &chongzuo).await, [s.ningming.employer_id.as_str()]);
    let baise = format!("/api/v1/employers/{}", s.baise.employer_id);
    problem(s.get(&baise, &chongzuo).await, 404, "not_found").await;

    // Cases: a complaint about a Ningming employer is Chongzuo's, one about Baise's is not.
    let near = s.complaint_about(&s.ningming.employer_id).await;
    let far = s.complaint_about(&s.baise.employer_id).await;
    assert_eq!(s.listed("/api/v1/cases", &chongzuo).await, [near.as_str()]);
    problem(s.get(&format!("/api/v1/cases/{far}"), &chongzuo).await, 404, "not_found").await;
    let step = json!({"note": "inspection on Monday"});
    let far_comment = format!("/api/v1/cases/{far}/comment");
    problem(app.post_json(&far_comment, Some(&chongzuo), &step).await, 404, "not_found").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM case_notes").await, 0, "nothing written");
    let near_comment = format!("/api/v1/cases/{near}/comment");
    assert_eq!(app.post_json(&near_comment, Some(&chongzuo), &step).await.status(), StatusCode::OK);

    // Decisions: an employer in another prefecture is not its to verify; a floor for another
    // prefecture (or for the whole province) is not its to set.
    let pending = employer_in(app, &s.cn, "451000", false).await;
    let verify = format!("/api/v1/employers/{}/verify", pending.employer_id);
    let refused = problem(app.post_json(&verify, Some(&chongzuo), &json!({})).await, 403, "forbidden").await;
    assert!(refused["detail"].as_str().unwrap().contains("outside"), "{refused}");
    let verified = format!(
        "SELECT COUNT(*) AS n FROM employers WHERE id = '{}' AND status = 'verified'",
        pending.employer_id
    );
    assert_eq!(app.count(&verified).await, 0);
    let audited = "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'employer.verified'";
    let verifications = app.count(audited).await;
    let near_pending = employer_in(app, &s.cn, "451481", false).await;
    let verify = format!("/api/v1/employers/{}/verify", near_pending.employer_id);
    assert_eq!(app.post_json(&verify, Some(&chongzuo), &json!({})).await.status(), StatusCode::OK);
    assert_eq!(app.count(audited).await, verifications + 1);

    let rules = app.count("SELECT COUNT(*) AS n FROM wage_floor_rules").await;
    for region in ["451000", "450000"] {
        let floor = json!({"region_code": region, "kind": "statutory_minimum", "hourly_fen": 2000,
                           "monthly_fen": 200_000, "effective_from": "2027-01-01", "source": "test"});
        problem(app.post_json("/api/v1/wage-floors", Some(&chongzuo), &floor).await, 403, "forbidden").await;
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM wage_floor_rules").await, rules);
    let floor = json!({"region_code": "451422", "kind": "statutory_minimum", "hourly_fen": 2000,
                       "monthly_fen": 200_000, "effective_from": "2027-01-01", "source": "test"});
    assert_eq!(
        app.post_json("/api/v1/wage-floors", Some(&chongzuo), &floor).await.status(),
        StatusCode::CREATED
    );

    // Permits: not found outside; issued inside once the worker accepted.
    let outside_permit = format!("/api/v1/placements/{outside}/permit");
    problem(app.post_json(&outside_permit, Some(&chongzuo), &json!({})).await, 404, "not_found").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM permits").await, 0);
    let holder = app.activate_worker(&s.inside.worker_id).await;
    let placement = json_of(s.get(&format!("/api/v1/placements/{inside}"), &chongzuo).await).await;
    let acceptance = json!({"version": 1, "sha256": placement["contract"]["sha256"], "lang": "vi"});
    let accept = format!("/api/v1/placements/{inside}/accept");
    assert!(app.post_json(&accept, Some(&holder), &acceptance).await.status().is_success());
    app.verify_insurance(&chongzuo, inside).await;
    let issue = format!("/api/v1/placements/{inside}/permit");
    assert!(app.post_json(&issue, Some(&chongzuo), &json!({})).await.status().is_success());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM permits").await, 1);
}

#[actix_web::test]
async fn viet_nams_provincial_authority_reads_its_provinces_workers_only() {
    let s = two_regions().await;
    let app = &s.app;
    let lang_son = app.login_as_provincial("VN", "VN-09").await;
    let vn = app.login_as_authority("VN").await;
    let (inside, outside) = (&s.inside.placement_id, &s.outside.placement_id);

    // Placements of workers from Lạng Sơn, wherever they work.
    assert_eq!(s.get(&format!("/api/v1/placements/{inside}"), &lang_son).await.status(), StatusCode::OK);
    problem(s.get(&format!("/api/v1/placements/{outside}"), &lang_son).await, 404, "not_found").await;
    problem(s.get(&format!("/api/v1/placements/{outside}/payslips"), &lang_son).await, 404, "not_found")
        .await;
    assert_eq!(s.listed("/api/v1/placements", &lang_son).await, [inside.as_str()]);
    assert_eq!(s.listed("/api/v1/placements", &vn).await.len(), 2, "the national authority reads both");

    // The registry: its province's workers.
    assert_eq!(s.listed("/api/v1/workers", &lang_son).await, [s.inside.worker_id.as_str()]);
    let far_worker = format!("/api/v1/workers/{}", s.outside.worker_id);
    problem(s.get(&far_worker, &lang_son).await, 404, "not_found").await;
    problem(s.get(&format!("{far_worker}/access-log"), &lang_son).await, 404, "not_found").await;
    assert_eq!(s.get(&far_worker, &vn).await.status(), StatusCode::OK);

    // Fee cases about its workers: Viet Nam's side works them, this authority its province's.
    let near = s.fee_case(&s.inside).await;
    let far = s.fee_case(&s.outside).await;
    assert_eq!(s.listed("/api/v1/cases?kind=fee", &lang_son).await, [near.as_str()]);
    assert_eq!(s.listed("/api/v1/cases?kind=fee", &vn).await.len(), 2);
    problem(s.get(&format!("/api/v1/cases/{far}"), &lang_son).await, 404, "not_found").await;
    let resolve = json!({"outcome": "refunded", "upheld": true});
    let far_resolve = format!("/api/v1/cases/{far}/resolve");
    problem(app.post_json(&far_resolve, Some(&lang_son), &resolve).await, 404, "not_found").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM cases WHERE status = 'resolved'").await, 0);
    let near_resolve = format!("/api/v1/cases/{near}/resolve");
    let resolved = json_of(app.post_json(&near_resolve, Some(&lang_son), &resolve).await).await;
    assert_eq!((resolved["status"].as_str(), resolved["routed_to"].as_str()), (Some("resolved"), Some("VN")));
}

#[actix_web::test]
async fn a_case_is_worked_by_the_side_it_is_routed_to_and_read_by_both() {
    let w = at_work().await;
    let app = &w.app;
    let (cn, vn) = (&w.regulator, &w.vn_regulator);
    // A payslip below the floor (a case against the employer) and a fee the worker paid (a
    // case against the Vietnamese agency).
    let slip = w.slip(80, 80 * 1600, json!([]));
    let start = app.today();
    let path = format!("/api/v1/placements/{}/payslips", w.placement_id);
    assert_eq!(app.post_json(&path, Some(&w.employer.session), &slip).await.status(), StatusCode::CREATED);
    let report = json!({"agency_id": w.agency.agency_id, "amount_fen": 300_000, "paid_on": start,
                        "description": "phí giới thiệu việc làm"});
    assert_eq!(
        app.post_json("/api/v1/fee-reports", Some(&w.worker), &report).await.status(),
        StatusCode::CREATED
    );

    // Both sides read both, each with the side it is routed to; the list filters by it.
    let mut routed = Vec::new();
    for kind in ["wage", "fee"] {
        for reader in [cn, vn] {
            let cases = json_of(app.get(&format!("/api/v1/cases?kind={kind}"), Some(reader)).await).await;
            assert_eq!(cases.as_array().unwrap().len(), 1, "{kind}");
            let id = cases[0]["id"].as_str().unwrap().to_owned();
            let one = json_of(app.get(&format!("/api/v1/cases/{id}"), Some(reader)).await).await;
            assert_eq!(one["routed_to"], cases[0]["routed_to"]);
            routed.push((id, one["routed_to"].as_str().unwrap().to_owned()));
        }
    }
    let (wage, fee) = (routed[0].0.clone(), routed[2].0.clone());
    assert_eq!((routed[0].1.as_str(), routed[2].1.as_str()), ("CN", "VN"));
    assert_eq!(ids(&json_of(app.get("/api/v1/cases?routed_to=VN", Some(cn)).await).await), [fee.as_str()]);
    assert_eq!(ids(&json_of(app.get("/api/v1/cases?routed_to=CN", Some(vn)).await).await), [wage.as_str()]);
    let refused =
        problem(app.get("/api/v1/cases?routed_to=TH", Some(cn)).await, 422, "validation_failed").await;
    assert_eq!(refused["field"], "routed_to");

    // The other side's steps are refused, and write nothing.
    let steps = [
        ("assign", json!({})),
        ("comment", json!({"note": "we looked into it"})),
        ("resolve", json!({"outcome": "settled", "upheld": true})),
    ];
    for (case, other) in [(&fee, cn), (&wage, vn)] {
        for (action, body) in &steps {
            let path = format!("/api/v1/cases/{case}/{action}");
            let refused = problem(app.post_json(&path, Some(other), body).await, 403, "forbidden").await;
            assert!(refused["detail"].as_str().unwrap().contains("side"), "{refused}");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM case_notes").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM cases WHERE status <> 'open' OR assigned_to IS NOT NULL").await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('case.assigned', 'case.commented', 'case.resolved')").await,
        0
    );

    // A case is assigned to a regulator of its own side only.
    let to_other_side = json!({"user_id": vn.user_id});
    let refused = problem(
        app.post_json(&format!("/api/v1/cases/{wage}/assign"), Some(cn), &to_other_side).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(refused["field"], "user_id");

    // The routed side works it.
    for (case, side) in [(&fee, vn), (&wage, cn)] {
        for (action, body) in &steps {
            let path = format!("/api/v1/cases/{case}/{action}");
            assert_eq!(app.post_json(&path, Some(side), body).await.status(), StatusCode::OK, "{action}");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM cases WHERE status = 'resolved'").await, 2);

    // The page offers the steps to the routed side only.
    let wage_page = format!("/regulator/cases/{wage}");
    let fee_case = json!({"agency_id": w.agency.agency_id, "amount_fen": 1000, "paid_on": start, "description": "lệ phí"});
    assert_eq!(
        app.post_json("/api/v1/fee-reports", Some(&w.worker), &fee_case).await.status(),
        StatusCode::CREATED
    );
    let open_fee =
        ids(&json_of(app.get("/api/v1/cases?kind=fee&status=open", Some(vn)).await).await)[0].clone();
    let fee_page = format!("/regulator/cases/{open_fee}");
    let (cn_ui, vn_ui) = (app.ui_login(&cn.email).await, app.ui_login(&vn.email).await);
    let (for_cn, for_vn) = (
        app.ui_get(&fee_page, &cn_ui).await.text().await.unwrap(),
        app.ui_get(&fee_page, &vn_ui).await.text().await.unwrap(),
    );
    assert!(for_vn.contains("id=\"resolve-form\"") && !for_vn.contains("id=\"case-other-side\""));
    assert!(!for_cn.contains("id=\"resolve-form\"") && for_cn.contains("id=\"case-other-side\""));
    assert!(for_cn.contains("data-side=\"VN\""), "the page says where it is routed");
    assert!(app.ui_get(&wage_page, &vn_ui).await.text().await.unwrap().contains("data-side=\"CN\""));
}

/// The agency desk offers the licensing form for the reader's own side's agencies, and an
/// agency's page the licence decisions to the side of its country only.
#[actix_web::test]
async fn the_agency_pages_offer_licences_to_the_side_that_decides_them() {
    let app = TestApp::spawn().await;
    let (cn, vn) = (app.login_as(Role::Regulator).await, app.login_as_authority("VN").await);
    let agency = app.agency().await;
    let (cn_ui, vn_ui) = (app.ui_login(&cn.email).await, app.ui_login(&vn.email).await);
    let cn_desk = app.ui_get("/regulator/agencies", &cn_ui).await.text().await.unwrap();
    let vn_desk = app.ui_get("/regulator/agencies", &vn_ui).await.text().await.unwrap();
    assert!(cn_desk.contains("<option value=\"CN\">") && !cn_desk.contains("<option value=\"VN\">"));
    assert!(vn_desk.contains("<option value=\"VN\">") && !vn_desk.contains("<option value=\"CN\">"));
    let page = format!("/regulator/agencies/{}", agency.agency_id);
    let cn_page = app.ui_get(&page, &cn_ui).await.text().await.unwrap();
    let vn_page = app.ui_get(&page, &vn_ui).await.text().await.unwrap();
    assert!(cn_page.contains(&agency.licence_number), "China's side reads the agency");
    assert!(!cn_page.contains("id=\"decision-form\"") && vn_page.contains("id=\"decision-form\""));

    // A regulator account that acts for no authority is offered no form.
    let email = app.create_user(Role::Regulator, None).await;
    app.execute(&format!("UPDATE users SET org_id = NULL WHERE email = '{email}'")).await;
    let orphan = app.ui_login(&email).await;
    assert!(
        !app.ui_get("/regulator/agencies", &orphan)
            .await
            .text()
            .await
            .unwrap()
            .contains("id=\"agency-form\"")
    );
}
