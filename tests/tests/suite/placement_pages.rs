//! The placement pages over HTTP: each party sees its own, acts in its role, and a refusal
//! is explained on the page with nothing written.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{TestApp, vacancy, worker};

struct Offered {
    app: TestApp,
    regulator_email: String,
    agency_email: String,
    employer_email: String,
    worker_email: String,
    id: String,
    sha256: String,
}

async fn offered() -> Offered {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let vacancy: Value = app
        .post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1800))
        .await
        .json()
        .await
        .unwrap();
    let mut body = worker("001097000001");
    body["email"] = json!("hoa.pages@test.seasonlink.vn");
    let worker: Value =
        app.post_json("/api/v1/workers", Some(&agency.session), &body).await.json().await.unwrap();
    app.activate_worker(worker["id"].as_str().unwrap()).await;
    let offer = json!({"vacancy_id": vacancy["id"], "worker_id": worker["id"]});
    let placement: Value =
        app.post_json("/api/v1/placements", Some(&agency.session), &offer).await.json().await.unwrap();
    Offered {
        regulator_email: regulator.email.clone(),
        agency_email: agency.session.email.clone(),
        employer_email: employer.session.email.clone(),
        worker_email: "hoa.pages@test.seasonlink.vn".into(),
        id: placement["id"].as_str().unwrap().to_owned(),
        sha256: placement["contract"]["sha256"].as_str().unwrap().to_owned(),
        app,
    }
}

#[actix_web::test]
async fn the_worker_reads_its_contract_in_vietnamese_and_accepts_it() {
    let o = offered().await;
    let ui = o.app.ui_login(&o.worker_email).await;
    let list = o.app.ui_get("/placements", &ui).await.text().await.unwrap();
    assert!(list.contains(&format!("/placements/{}", o.id)));
    assert!(list.contains("Đã mời — chờ người lao động"));
    let page = o.app.ui_get(&format!("/placements/{}", o.id), &ui).await.text().await.unwrap();
    assert!(page.contains("<html lang=\"vi\">"));
    assert!(page.contains("Hợp đồng lao động thời vụ") && page.contains(&o.sha256));
    assert!(page.contains("0,00 tệ"), "no fee for the worker");

    // An outdated hash is refused and explained; nothing changes.
    let path = format!("/placements/{}/accept", o.id);
    let unknown_lang =
        o.app.ui_post(&path, &ui, &[("version", "1"), ("sha256", &o.sha256), ("lang", "fr")]).await;
    assert_eq!(unknown_lang.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = unknown_lang.text().await.unwrap();
    assert!(html.contains("Ngôn ngữ") && !html.contains("Unknown localization"), "the field, in Vietnamese");
    let stale = o.app.ui_post(&path, &ui, &[("version", "1"), ("sha256", "0000"), ("lang", "vi")]).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert!(stale.text().await.unwrap().contains("Hợp đồng đã thay đổi"));
    let accepted =
        o.app.ui_post(&path, &ui, &[("version", "1"), ("sha256", &o.sha256), ("lang", "vi")]).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let page = o.app.ui_get(&format!("/placements/{}", o.id), &ui).await.text().await.unwrap();
    assert!(page.contains("data-status=\"accepted\""));

    // The printable contract carries all three languages and one hash.
    let print = o.app.ui_get(&format!("/placements/{}/contract", o.id), &ui).await.text().await.unwrap();
    for words in ["Hợp đồng lao động thời vụ", "季节性劳动合同", "Seasonal work contract"]
    {
        assert!(print.contains(words), "{words}");
    }
    let hashed = format!("data-sha256=\"{}\"", o.sha256);
    assert_eq!(print.matches(&hashed).count(), 3, "one hash under each language");
    assert!(print.contains(&format!("id=\"contract-sha256\">{}", o.sha256)));
}

#[actix_web::test]
async fn the_permit_desk_issues_a_permit_whose_qr_code_opens_the_public_check() {
    let o = offered().await;
    let worker = o.app.session_for(&o.worker_email).await;
    let body = json!({"version": 1, "sha256": o.sha256, "lang": "vi"});
    o.app.post_json(&format!("/api/v1/placements/{}/accept", o.id), Some(&worker), &body).await;

    let ui = o.app.ui_login(&o.regulator_email).await;
    let desk = o.app.ui_get("/placements?status=accepted", &ui).await.text().await.unwrap();
    assert!(desk.contains(&o.id));
    let refused = o.app.ui_post(&format!("/placements/{}/permit", o.id), &ui, &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("verified by the permit desk"));
    let verified = o.app.ui_post(&format!("/placements/{}/insurance", o.id), &ui, &[]).await;
    assert_eq!(verified.status(), StatusCode::SEE_OTHER);
    let issued = o.app.ui_post(&format!("/placements/{}/permit", o.id), &ui, &[]).await;
    assert_eq!(issued.status(), StatusCode::SEE_OTHER);
    let page = o.app.ui_get(&format!("/placements/{}", o.id), &ui).await.text().await.unwrap();
    assert!(page.contains("<svg"), "the QR code is drawn inline");
    let link = page
        .split("id=\"permit-link\"")
        .next()
        .unwrap()
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let link = link.replace("&amp;", "&");
    let check = o.app.get(&link, None).await;
    assert_eq!(check.status(), StatusCode::OK);
    let html = check.text().await.unwrap();
    assert!(
        html.contains("data-valid=\"false\"") && html.contains("N.T.H."),
        "valid from the season's start"
    );
    assert!(!html.contains("Nguyễn"), "initials only");
    let wrong = o.app.get(&link.replace("code=", "code=X"), None).await;
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn pages_keep_to_tenancy_roles_and_csrf_and_explain_refusals() {
    let o = offered().await;
    let path = format!("/placements/{}", o.id);

    let other = o.app.agency().await;
    let other_ui = o.app.ui_login(&other.session.email).await;
    assert_eq!(o.app.ui_get(&path, &other_ui).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        o.app.ui_post(&format!("{path}/withdraw"), &other_ui, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(!o.app.ui_get("/placements", &other_ui).await.text().await.unwrap().contains(&o.id));
    let visitor = o.app.get(&path, None).await;
    assert_eq!(visitor.status(), StatusCode::SEE_OTHER, "a visitor is sent to log in");

    let employer = o.app.ui_login(&o.employer_email).await;
    let page = o.app.ui_get(&path, &employer).await.text().await.unwrap();
    assert!(page.contains("N.T.H.") && !page.contains("Nguyễn Thị Hoa"), "initials before acceptance");
    assert_eq!(
        o.app.ui_post(&format!("{path}/departure"), &employer, &[]).await.status(),
        StatusCode::FORBIDDEN
    );

    let agency = o.app.ui_login(&o.agency_email).await;
    let forged = o
        .app
        .client
        .post(o.app.url(&format!("{path}/withdraw")))
        .header("cookie", &agency.cookies)
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        o.app.ui_post(&format!("{path}/teleport"), &agency, &[]).await.status(),
        StatusCode::NOT_FOUND
    );

    // Departure before acceptance: refused, explained, nothing written.
    let refused = o.app.ui_post(&format!("{path}/departure"), &agency, &[("crossing_code", "aidian")]).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"action-error\"") && html.contains("has not accepted"), "{html}");
    assert!(html.contains("data-status=\"offered\""));

    // A suspended agency is told why it cannot act, in words.
    let regulator = o.app.session_for(&o.regulator_email).await;
    let placement: Value =
        o.app.get(&format!("/api/v1/placements/{}", o.id), Some(&regulator)).await.json().await.unwrap();
    let suspend = format!("/api/v1/agencies/{}/licence/suspend", placement["agency_id"].as_str().unwrap());
    let vn_regulator = o.app.login_as_authority("VN").await;
    o.app.post_json(&suspend, Some(&vn_regulator), &json!({"reason": "fees charged"})).await;
    let refused = o.app.ui_post(&format!("{path}/withdraw"), &agency, &[]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let html = refused.text().await.unwrap();
    assert!(html.contains("cannot act on placements") && !html.contains("Unknown localization"), "{html}");
}

#[actix_web::test]
async fn an_agency_offers_from_its_candidate_list_and_a_second_offer_is_explained() {
    let (app, agency, employer) = crate::matching::setup().await;
    let vacancy_id = crate::matching::post_vacancy(&app, &employer, vacancy(1800)).await;
    let worker_id = crate::matching::register(&app, &agency, "001097000009", json!({})).await;
    let ui = app.ui_login(&agency.session.email).await;
    let list = app.ui_get(&format!("/vacancies/{vacancy_id}/candidates"), &ui).await.text().await.unwrap();
    assert!(list.contains("class=\"offer-button\"") && list.contains(&worker_id));
    let fields = [("vacancy_id", vacancy_id.as_str()), ("worker_id", worker_id.as_str())];
    let made = app.ui_post("/placements", &ui, &fields).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    assert!(made.headers()["location"].to_str().unwrap().starts_with("/placements/"));
    let again = app.ui_post("/placements", &ui, &fields).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.unwrap().contains("already has an active placement"));
    let employer_ui = app.ui_login(&employer.session.email).await;
    assert_eq!(app.ui_post("/placements", &employer_ui, &fields).await.status(), StatusCode::FORBIDDEN);
}

/// The crossing's time typed on the page is read on China's clock (the field says so): a
/// return typed at the hour it is in Chongzuo is stored eight hours earlier in UTC, not
/// refused as eight hours in the future.
#[actix_web::test]
async fn a_crossing_typed_on_the_page_is_read_on_chinas_clock() {
    let w = super::compliance::at_work().await;
    w.app.state.clock.advance(chrono::Duration::hours(2));
    let agency = w.app.ui_login(&w.agency.session.email).await;
    let page = w.app.ui_get(&format!("/placements/{}", w.placement_id), &agency).await.text().await.unwrap();
    let in_china = w.app.state.clock.now() + chrono::Duration::hours(8);
    let typed = in_china.format("%Y-%m-%dT%H:%M").to_string();
    assert!(page.contains(&format!("value=\"{typed}\"")) && page.contains("China time"), "{page}");
    let path = format!("/placements/{}/return", w.placement_id);
    let done = w.app.ui_post(&path, &agency, &[("crossing_code", "aidian"), ("at", typed.as_str())]).await;
    assert!(done.status().is_redirection() || done.status().is_success(), "{}", done.status());
    let api = format!("/api/v1/placements/{}", w.placement_id);
    let placement: Value = w.app.get(&api, Some(&w.agency.session)).await.json().await.unwrap();
    let back = placement["crossings"].as_array().unwrap().iter().find(|c| c["kind"] == "return").cloned();
    let expected = (in_china - chrono::Duration::hours(8)).format("%Y-%m-%dT%H:%M:00Z").to_string();
    assert_eq!(back.map(|c| c["at"].clone()), Some(json!(expected)), "{placement}");
}
