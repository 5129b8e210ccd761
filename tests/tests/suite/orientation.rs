//! Pre-departure orientation and the departure checklist: the agency or Viet Nam's authority
//! records the orientation; the worker sees its checklist; departure names what is open.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{AgencySession, Session, TestApp, day, problem, vacancy};

struct Trip {
    app: TestApp,
    cn: Session,
    agency: AgencySession,
    holder: Session,
    id: String,
}

/// A worker offered a seat, accepting version 1: nothing else of its checklist done.
async fn trip() -> Trip {
    let app = TestApp::spawn().await;
    let cn = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&cn).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let posted = app.post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1800)).await;
    let vacancy_id = posted.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let (id, holder) = app.accepted_placement(&agency, &vacancy_id, "001090000201").await;
    Trip { app, cn, agency, holder, id }
}

impl Trip {
    async fn act(&self, session: &Session, action: &str, body: Value) -> reqwest::Response {
        self.app.post_json(&format!("/api/v1/placements/{}/{action}", self.id), Some(session), &body).await
    }

    async fn checklist(&self, session: &Session) -> Value {
        let response =
            self.app.get(&format!("/api/v1/placements/{}/checklist", self.id), Some(session)).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    fn done(list: &Value) -> Vec<(String, bool)> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["item"].as_str().unwrap().to_owned(), i["done"].as_bool().unwrap()))
            .collect()
    }
}

fn attended(on: chrono::NaiveDate) -> Value {
    json!({"attended_on": on, "place": "Sở Nội vụ tỉnh Lạng Sơn"})
}

#[actix_web::test]
async fn the_worker_sees_its_checklist_and_departure_names_each_open_item() {
    let mut t = trip().await;
    let list = t.checklist(&t.holder).await;
    assert_eq!(
        Trip::done(&list),
        [
            ("contract_accepted".into(), true),
            ("permit_valid".into(), false),
            ("insurance_verified".into(), false),
            ("orientation_attended".into(), false)
        ]
    );
    assert_eq!(list["ready"], false);
    // On its phone, in Vietnamese, with the orientation one link away.
    let ui = t.app.ui_login(&t.holder.email).await;
    let page = t.app.ui_get(&format!("/placements/{}", t.id), &ui).await.text().await.unwrap();
    assert!(page.contains("data-item=\"orientation_attended\" data-done=\"false\""), "{page}");
    assert!(
        page.contains("Bạn đã dự buổi bồi dưỡng kiến thức trước khi đi")
            && page.contains("href=\"/orientation\"")
    );
    assert!(!page.contains("id=\"orientation-form\""), "the worker does not record it");
    let orientation = t.app.ui_get("/orientation", &ui).await.text().await.unwrap();
    for words in [
        "Bạn không phải trả phí",
        "mức lương sàn",
        "12333",
        "+84 24 3824 9517",
        "không cần nêu tên",
        "ở quá hạn",
    ] {
        assert!(orientation.contains(words), "{words}");
    }

    // Permit and insurance done; departure is refused naming the orientation.
    t.app.verify_insurance(&t.cn, &t.id).await;
    assert_eq!(t.act(&t.cn, "permit", json!({})).await.status(), StatusCode::CREATED);
    t.app.state.clock.advance(Duration::days(3));
    t.agency.session = t.app.session_for(&t.agency.session.email).await;
    let crossing = json!({"crossing_code": "aidian", "at": t.app.state.clock.now()});
    let refused =
        problem(t.act(&t.agency.session, "departure", crossing.clone()).await, 409, "orientation_missing")
            .await;
    assert_eq!(refused["open_items"], json!(["orientation_attended"]));
    assert_eq!(t.app.count("SELECT COUNT(*) AS n FROM border_events").await, 0);

    let recorded = t.act(&t.agency.session, "orientation", attended(day(1))).await;
    assert_eq!(recorded.status(), StatusCode::OK, "{:?}", recorded.text().await);
    let holder = t.app.session_for(&t.holder.email).await;
    let list = t.checklist(&holder).await;
    assert_eq!(list["ready"], true, "{list}");
    assert_eq!(list["orientation"], attended(day(1)));
    assert_eq!(t.act(&t.agency.session, "departure", crossing).await.status(), StatusCode::OK);
    // After the crossing it is no longer recorded.
    problem(t.act(&t.agency.session, "orientation", attended(day(3))).await, 409, "conflict").await;
}

#[actix_web::test]
async fn only_the_agency_or_viet_nams_authority_records_the_orientation_once() {
    let t = trip().await;
    // Bad input: a day to come, a day before the offer, no place; nothing written.
    for (body, field) in [
        (attended(day(1)), "attended_on"),
        (attended(day(-1)), "attended_on"),
        (json!({"attended_on": day(0), "place": "  "}), "place"),
    ] {
        let refused =
            problem(t.act(&t.agency.session, "orientation", body).await, 422, "validation_failed").await;
        assert_eq!(refused["field"], field);
    }
    problem(t.act(&t.agency.session, "orientation", json!({"place": "x"})).await, 400, "malformed_body")
        .await;
    // Not China's side, not the worker, not the employer; another agency does not see it.
    problem(t.act(&t.cn, "orientation", attended(day(0))).await, 403, "forbidden").await;
    problem(t.act(&t.holder, "orientation", attended(day(0))).await, 403, "forbidden").await;
    let other = t.app.agency().await;
    problem(t.act(&other.session, "orientation", attended(day(0))).await, 404, "not_found").await;
    assert_eq!(t.app.count("SELECT COUNT(*) AS n FROM orientations").await, 0);

    let vn = t.app.login_as_authority("VN").await;
    let recorded: Value = t.act(&vn, "orientation", attended(day(0))).await.json().await.unwrap();
    assert_eq!(recorded["id"], t.id.as_str());
    problem(t.act(&t.agency.session, "orientation", attended(day(0))).await, 409, "conflict").await;
    let audited = "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'placement.orientation_recorded'";
    assert_eq!(t.app.count(audited).await, 1);
    // The checklist is the placement's parties' only.
    let path = format!("/api/v1/placements/{}/checklist", t.id);
    problem(t.app.get(&path, Some(&other.session)).await, 404, "not_found").await;
}
