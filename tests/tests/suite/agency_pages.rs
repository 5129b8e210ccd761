//! The licence check, the regulator's agency desk, the agency's worker pages and the
//! worker's own record, over HTTP.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::pages::UiSession;
use seasonlink_tests::{PASSWORD, TestApp, WORKER_CSV_HEADER, day, day_text, worker, worker_csv_row};

/// The registration form's fields for one worker.
fn worker_form(document: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("full_name", "Hoàng Văn Nam"),
        ("date_of_birth", "1992-03-14"),
        ("gender", "male"),
        ("id_document_number", document),
        ("home_province_code", "VN-04"),
        ("language_vi", "on"),
        ("language_tyz", "on"),
        ("language_nut", "on"),
        ("skill_cane_knife", "on"),
        ("available_from", day_text(-14)),
        ("available_until", day_text(137)),
        ("seasons_worked", "3"),
    ]
}

async fn suspend(app: &TestApp, agency_id: &str) {
    let regulator = app.login_as_authority("VN").await;
    let path = format!("/api/v1/agencies/{agency_id}/licence/suspend");
    let response = app.post_json(&path, Some(&regulator), &json!({"reason": "fees reported"})).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[actix_web::test]
async fn anyone_checks_a_licence_in_their_language() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let page = app.get(&format!("/licences/{}", agency.licence_number), None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("data-status=\"active\"") && html.contains("Licence active"), "{html}");
    let redirect = app.get(&format!("/licences?number={}", agency.licence_number.to_lowercase()), None).await;
    assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
    let lowercase = app.get(redirect.headers()["location"].to_str().unwrap(), None).await;
    assert_eq!(lowercase.status(), StatusCode::OK, "numbers are matched case-blind");

    suspend(&app, &agency.agency_id).await;
    let vi = app
        .client
        .get(app.url(&format!("/licences/{}", agency.licence_number)))
        .header("accept-language", "vi")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(vi.contains("Giấy phép của doanh nghiệp bị đình chỉ") && vi.contains("Đừng ký giấy tờ"), "{vi}");

    let unknown = app.get("/licences/NO-SUCH-1", None).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let html = unknown.text().await.unwrap();
    assert!(html.contains("data-status=\"unknown\""));
    assert!(!html.contains(&agency.licence_number), "no hint of near matches");
}

#[actix_web::test]
async fn regulators_license_suspend_and_reinstate_from_their_pages() {
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Regulator, Some(seasonlink::services::authorities::VN_NATIONAL)).await;
    let ui = app.ui_login(&email).await;
    let created = app
        .ui_post(
            "/regulator/agencies",
            &ui,
            &[
                ("name", "Lạng Sơn Labour Co."),
                ("country", "VN"),
                ("licence_number", "VN-LS-0001"),
                ("licence_valid_from", day_text(-332)),
                ("licence_valid_until", day_text(397)),
                ("email", "ls@agency.example.vn"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let detail_path = created.headers()["location"].to_str().unwrap().to_owned();
    let id = detail_path.rsplit('/').next().unwrap().to_owned();
    let detail = app.ui_get(&detail_path, &ui).await.text().await.unwrap();
    assert!(detail.contains("data-status=\"active\""), "{detail}");

    let no_reason =
        app.ui_post(&format!("/regulator/agencies/{id}/licence/suspend"), &ui, &[("reason", " ")]).await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.text().await.unwrap().contains("id=\"decision-error\""));
    let suspended = app
        .ui_post(
            &format!("/regulator/agencies/{id}/licence/suspend"),
            &ui,
            &[("reason", "fees charged to workers")],
        )
        .await;
    assert_eq!(suspended.status(), StatusCode::SEE_OTHER);
    let detail = app.ui_get(&detail_path, &ui).await.text().await.unwrap();
    assert!(detail.contains("data-status=\"suspended\"") && detail.contains("fees charged to workers"));
    let public: Value = app.get("/api/v1/public/licences/VN-LS-0001", None).await.json().await.unwrap();
    assert_eq!(public["status"], "suspended");
    app.ui_post(&format!("/regulator/agencies/{id}/licence/reinstate"), &ui, &[("reason", "")]).await;
    let public: Value = app.get("/api/v1/public/licences/VN-LS-0001", None).await.json().await.unwrap();
    assert_eq!(public["status"], "active");

    let agency_ui = app.ui_login("ls@agency.example.vn").await;
    assert_eq!(app.ui_get("/regulator/agencies", &agency_ui).await.status(), StatusCode::FORBIDDEN);
    let forbidden = app
        .ui_post(&format!("/regulator/agencies/{id}/licence/revoke"), &agency_ui, &[("reason", "x")])
        .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let public: Value = app.get("/api/v1/public/licences/VN-LS-0001", None).await.json().await.unwrap();
    assert_eq!(public["status"], "active");
}

async fn agency_ui(app: &TestApp) -> (seasonlink_tests::AgencySession, UiSession) {
    let agency = app.agency().await;
    let ui = app.ui_login(&agency.session.email).await;
    (agency, ui)
}

#[actix_web::test]
async fn agencies_register_workers_from_the_form_while_licensed() {
    let app = TestApp::spawn().await;
    let (agency, ui) = agency_ui(&app).await;
    let created = app.ui_post("/agency/workers", &ui, &worker_form("012345678901")).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let list = app.ui_get("/agency/workers", &ui).await.text().await.unwrap();
    assert!(list.contains("Hoàng Văn Nam") && list.contains("Cao Bang"), "{list}");
    let stored = app.list_workers(&agency.session).await;
    assert_eq!((stored.len(), stored[0]["languages"].clone()), (1, json!(["nut", "tyz", "vi"])));

    let again = app.ui_post("/agency/workers", &ui, &worker_form("012345678901")).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.unwrap().contains("already registered"));
    let mut bad = worker_form("012345678902");
    bad.retain(|(k, _)| *k != "date_of_birth");
    assert_eq!(app.ui_post("/agency/workers", &ui, &bad).await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    suspend(&app, &agency.agency_id).await;
    let refused = app.ui_post("/agency/workers", &ui, &worker_form("012345678903")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"refusal\"") && html.contains("Licence suspended"), "{html}");
    assert_eq!(app.list_workers(&agency.session).await.len(), 1, "nothing written");

    let employer = app.employer(true).await;
    let employer_ui = app.ui_login(&employer.session.email).await;
    assert_eq!(app.ui_get("/agency/workers", &employer_ui).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.ui_post("/agency/workers", &employer_ui, &worker_form("012345678904")).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[actix_web::test]
async fn the_csv_upload_imports_all_or_reports_every_faulty_row() {
    let app = TestApp::spawn().await;
    let (agency, ui) = agency_ui(&app).await;
    let mut bad = WORKER_CSV_HEADER.to_owned();
    bad.push_str(&worker_csv_row("Trần Thị Lan", "111111111111"));
    bad.push_str(&format!(
        "\"Lê Văn\",not-a-date,male,222222222222,VN-09,,,vi,cane_knife,{},{},0\n",
        day(-28),
        day(152)
    ));
    bad.push_str(&worker_csv_row("Phạm Văn Đức", "111111111111"));
    let refused = app.ui_upload("/agency/workers/import", &ui, bad.into_bytes()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("id=\"import-errors\"") && html.contains("<td>3</td>") && html.contains("<td>4</td>"),
        "{html}"
    );
    assert!(app.list_workers(&agency.session).await.is_empty(), "nothing imported");

    let mut good = WORKER_CSV_HEADER.to_owned();
    good.push_str(&worker_csv_row("Trần Thị Lan", "111111111111"));
    good.push_str(&worker_csv_row("Nông Văn Hải", "333333333333"));
    let imported = app.ui_upload("/agency/workers/import", &ui, good.into_bytes()).await;
    assert_eq!(imported.status(), StatusCode::CREATED);
    assert!(imported.text().await.unwrap().contains("2 workers imported"));
    assert_eq!(app.list_workers(&agency.session).await.len(), 2);

    let forged = UiSession { csrf: "forged".into(), ..ui };
    assert_eq!(
        app.ui_upload("/agency/workers/import", &forged, WORKER_CSV_HEADER.as_bytes().to_vec())
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[actix_web::test]
async fn a_worker_reads_its_own_record_in_vietnamese() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let mut body = worker("044092001234");
    body["email"] = json!("hoa@worker.example.vn");
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    app.activate_worker(response.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap()).await;
    let ui = app.ui_login("hoa@worker.example.vn").await;
    let record = app.ui_get("/worker", &ui).await;
    assert_eq!(record.status(), StatusCode::OK);
    let html = record.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"vi\"") && html.contains("Nguyễn Thị Hoa") && html.contains("Lạng Sơn"),
        "{html}"
    );
    assert!(!html.contains("044092001234"), "the document number is not shown on the worker's own page");
    let agency_ui = app.ui_login(&agency.session.email).await;
    assert_eq!(app.ui_get("/worker", &agency_ui).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/worker", None).await.status(), StatusCode::SEE_OTHER);
}
