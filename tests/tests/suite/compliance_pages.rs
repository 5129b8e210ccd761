//! The compliance pages over HTTP: the employer's payslip form and upload, the worker's
//! payslips and fee report in Vietnamese, the public complaint form and status, the case
//! desk and the compliance view.

use reqwest::StatusCode;
use serde_json::Value;

use super::compliance::{AtWork, at_work};
use seasonlink_tests::day_text;
use seasonlink_tests::pages::UiSession;

/// The season's next fortnight as form fields ([`AtWork::fortnight`]).
fn fortnight(w: &AtWork) -> (String, String, String) {
    let (start, end, paid) = w.fortnight();
    (start.to_string(), end.to_string(), paid.to_string())
}

#[actix_web::test]
async fn the_employer_reports_payslips_and_the_worker_reads_the_findings_in_vietnamese() {
    let w = at_work().await;
    let path = format!("/placements/{}", w.placement_id);
    let (start, end, paid) = fortnight(&w);
    let employer = w.app.ui_login(&w.employer.session.email).await;
    let form = |gross: &'static str, net: &'static str| {
        vec![
            ("period_start", start.clone()),
            ("period_end", end.clone()),
            ("minutes_worked", "4800".to_owned()),
            ("gross", gross.to_owned()),
            ("deductions", String::new()),
            ("net", net.to_owned()),
            ("paid_on", paid.clone()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let (app, ui, path) = (&w.app, &employer, format!("{path}/payslips"));
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.ui_post(&path, ui, &fields).await
        }
    };
    // Net that does not add up: refused, explained, nothing stored.
    let refused = post(form("1360.00", "1000.00")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("id=\"action-error\"") && html.contains("Net pay (gross less deductions)"),
        "{html}"
    );
    let stored: Vec<Value> =
        w.app.get(&format!("/api/v1{path}/payslips"), Some(&w.employer.session)).await.json().await.unwrap();
    assert!(stored.is_empty());
    // One fen below the floor: stored, flagged.
    assert_eq!(post(form("1359.99", "1359.99")).await.status(), StatusCode::SEE_OTHER);

    let worker = w.app.ui_login("lan@test.seasonlink.vn").await;
    let page = w.app.ui_get(&path, &worker).await.text().await.unwrap();
    assert!(page.contains("data-compliant=\"false\""));
    assert!(page.contains("Trả thấp hơn mức lương sàn: còn nợ 0,01 tệ"), "the finding in Vietnamese");
    assert!(!page.contains("id=\"payslip-form\""), "only the employer reports");

    // Another employer sees neither the placement nor its payslips, and cannot report.
    let other = w.app.employer(true).await;
    let other_ui = w.app.ui_login(&other.session.email).await;
    assert_eq!(w.app.ui_get(&path, &other_ui).await.status(), StatusCode::NOT_FOUND);
    let fields = form("1400.00", "1400.00");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        w.app.ui_post(&format!("{path}/payslips"), &other_ui, &fields).await.status(),
        StatusCode::NOT_FOUND
    );

    // The upload page imports all rows or lists every faulty one.
    let header = "placement_id,period_start,period_end,minutes_worked,gross_fen,deductions,net_fen,paid_on\n";
    let bad = format!("{header}{},{start},{end},4800,150000,,1,{paid}\n", w.placement_id);
    let refused = w.app.ui_upload("/employer/payslips/import", &employer, bad.into_bytes()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("<td>2</td><td>net_fen</td>"));
    // The next fortnight: a period already reported is refused (409 payslip_overlap).
    let (start, end, paid) = fortnight(&w);
    let good = format!("{header}{},{start},{end},4800,150000,,150000,{paid}\n", w.placement_id);
    let done = w.app.ui_upload("/employer/payslips/import", &employer, good.into_bytes()).await;
    assert_eq!(done.status(), StatusCode::CREATED);
    assert!(done.text().await.unwrap().contains("id=\"import-done\""));
    let as_worker = w.app.ui_upload("/employer/payslips/import", &worker, header.as_bytes().to_vec()).await;
    assert_eq!(as_worker.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn a_worker_reports_a_fee_from_its_phone() {
    let w = at_work().await;
    let worker = w.app.ui_login("lan@test.seasonlink.vn").await;
    let page = w.app.ui_get("/worker/fees", &worker).await.text().await.unwrap();
    assert!(page.contains("<html lang=\"vi\">") && page.contains(&w.agency.agency_id));
    let fields = [
        ("agency_id", w.agency.agency_id.as_str()),
        ("amount", "abc"),
        ("paid_on", day_text(-28)),
        ("paid_to", "môi giới"),
        ("description", "phí"),
    ];
    assert_eq!(
        w.app.ui_post("/worker/fees", &worker, &fields).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut fields = fields;
    fields[1] = ("amount", "3000");
    let done = w.app.ui_post("/worker/fees", &worker, &fields).await;
    assert_eq!(done.status(), StatusCode::CREATED);
    let licence =
        w.app.get(&format!("/licences/{}", w.agency.licence_number), None).await.text().await.unwrap();
    assert!(licence.contains("<dd id=\"fee-reports\">1</dd>"));
    let employer = w.app.ui_login(&w.employer.session.email).await;
    assert_eq!(w.app.ui_get("/worker/fees", &employer).await.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn a_complaint_is_filed_without_an_account_worked_by_a_regulator_and_followed_by_reference() {
    let w = at_work().await;
    let (nonce, token) = seasonlink_tests::pages::csrf(&w.app, "/complaints/new").await;
    let visitor = UiSession { cookies: format!("sl_csrf={nonce}"), csrf: token };
    let form = w.app.ui_get("/complaints/new", &visitor).await.text().await.unwrap();
    assert!(form.contains(&w.employer.employer_id), "verified employers to choose from");
    let empty = w.app.ui_post("/complaints", &visitor, &[("category", "housing"), ("text", " ")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let filed = w
        .app
        .ui_post(
            "/complaints",
            &visitor,
            &[
                ("category", "housing"),
                ("employer_id", &w.employer.employer_id),
                ("text", "Twelve to a room, no water."),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let location = filed.headers()["location"].to_str().unwrap().to_owned();
    let status = w.app.get(&location, None).await.text().await.unwrap();
    assert!(status.contains("data-status=\"open\"") && status.contains("id=\"complaint-filed\""));
    assert!(!status.contains("Twelve to a room"), "the status page never repeats the complaint");

    // Neither the employer it is about nor an agency reaches the case desk.
    let employer = w.app.ui_login(&w.employer.session.email).await;
    assert_eq!(w.app.ui_get("/regulator/cases", &employer).await.status(), StatusCode::FORBIDDEN);

    let regulator = w.app.ui_login(&w.regulator.email).await;
    let desk = w.app.ui_get("/regulator/cases?kind=complaint", &regulator).await.text().await.unwrap();
    let case_id = desk.split("data-case=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let case_path = format!("/regulator/cases/{case_id}");
    let page = w.app.ui_get(&case_path, &regulator).await.text().await.unwrap();
    assert!(page.contains("Twelve to a room, no water.") && page.contains("Anonymous"));
    let missing = w.app.ui_post(&format!("{case_path}/resolve"), &regulator, &[("outcome", "")]).await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        w.app.ui_post(&format!("{case_path}/assign"), &regulator, &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let resolved = w
        .app
        .ui_post(
            &format!("{case_path}/resolve"),
            &regulator,
            &[("outcome", "housing inspected; employer rehoused the workers"), ("recovered", "")],
        )
        .await;
    assert_eq!(resolved.status(), StatusCode::SEE_OTHER);
    let status = w.app.get(&location, None).await.text().await.unwrap();
    assert!(status.contains("data-status=\"resolved\""));

    let view = w.app.ui_get("/regulator/compliance", &regulator).await.text().await.unwrap();
    assert!(view.contains("id=\"compliance-rate\"") && view.contains("class=\"bar\""));
    assert_eq!(w.app.ui_get("/regulator/compliance", &employer).await.status(), StatusCode::FORBIDDEN);
}

/// On the compliance pages the role is looked at before the form's token, as it always was:
/// a visitor is sent to log in and another role is refused as such, whatever the token; the
/// right role with a bad token is refused for the token.
#[actix_web::test]
async fn the_role_is_refused_before_a_bad_token() {
    let w = at_work().await;
    let with_bad_token = |ui: UiSession| UiSession { csrf: "not-the-token".into(), ..ui };
    let employer = with_bad_token(w.app.ui_login(&w.employer.session.email).await);
    let fee = [
        ("agency_id", w.agency.agency_id.as_str()),
        ("amount", "3000"),
        ("paid_on", day_text(-28)),
        ("paid_to", "môi giới"),
        ("description", "phí"),
    ];
    let refused = w.app.ui_post("/worker/fees", &employer, &fee).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.unwrap().contains("data-code=\"forbidden\""));
    let refused = w.app.ui_post("/regulator/cases/any/assign", &employer, &[]).await;
    assert!(refused.text().await.unwrap().contains("data-code=\"forbidden\""));

    let visitor = UiSession { cookies: String::new(), csrf: "not-the-token".into() };
    let (start, end, paid) = fortnight(&w);
    let slip = [
        ("period_start", start.as_str()),
        ("period_end", end.as_str()),
        ("minutes_worked", "4800"),
        ("gross", "1400.00"),
        ("net", "1400.00"),
        ("paid_on", paid.as_str()),
    ];
    let sent = w.app.ui_post(&format!("/placements/{}/payslips", w.placement_id), &visitor, &slip).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], "/login");

    let regulator = with_bad_token(w.app.ui_login(&w.regulator.email).await);
    let refused = w.app.ui_post("/regulator/cases/any/assign", &regulator, &[]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.unwrap().contains("data-code=\"csrf_failed\""));
}
