//! A real browser (headless Debian chromium) logs in and switches language on a phone-sized
//! screen. CI sets SEASONLINK_REQUIRE_BROWSER=1, so there this test cannot be skipped.

use fantoccini::Locator;
use serde_json::json;

use seasonlink::domain::account::Role;
use seasonlink_tests::browser::Browser;
use seasonlink_tests::{PASSWORD, TestApp, TestDb, day};

async fn html_lang(browser: &Browser) -> String {
    browser.client.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap().unwrap_or_default()
}

/// On a 360-px phone screen, no element reaches past the right edge.
async fn fits_the_screen(browser: &Browser) {
    let width = browser.client.execute("return document.documentElement.clientWidth;", vec![]).await.unwrap();
    assert!(width.as_i64().unwrap() <= 400, "the screen is phone-sized: {width}");
    let overflowing = browser
        .client
        .execute(
            "const w = document.documentElement.clientWidth;
             return [...document.querySelectorAll('body *')]
               .filter(e => e.getBoundingClientRect().right > w + 0.5)
               .map(e => e.tagName + '.' + e.className + '[' + (e.name || '') + ']');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflowing, serde_json::json!([]), "elements wider than the phone screen");
}

#[actix_web::test]
async fn browser_login_and_language_switch() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Worker, None).await;
    let c = &browser.client;

    c.goto(&app.url("/login")).await.unwrap();
    assert_eq!(html_lang(&browser).await, "en", "Accept-Language en-US");
    browser.screenshot("login-en").await;
    fits_the_screen(&browser).await;

    c.find(Locator::Css("a[data-lang='vi']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("html[lang='vi']")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/login");
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Đăng nhập");
    browser.screenshot("login-vi").await;

    c.goto(&app.url("/")).await.unwrap();
    assert_eq!(html_lang(&browser).await, "vi", "the switch is remembered");
    c.goto(&app.url("/login")).await.unwrap();

    c.find(Locator::Css("input[name='email']")).await.unwrap().send_keys(&email).await.unwrap();
    c.find(Locator::Css("input[name='password']")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("#login-form button[type='submit']")).await.unwrap().click().await.unwrap();
    let role = c.wait().for_element(Locator::Css(".role[data-role='worker']")).await.unwrap();
    assert_eq!(role.text().await.unwrap(), "Người lao động");
    assert_eq!(c.current_url().await.unwrap().path(), "/home");
    fits_the_screen(&browser).await;
    browser.screenshot("home-worker-vi").await;

    c.find(Locator::Css("a[data-lang='zh-CN']")).await.unwrap().click().await.unwrap();
    let role = c.wait().for_element(Locator::Css("html[lang='zh-CN'] .role")).await.unwrap();
    assert_eq!(role.text().await.unwrap(), "劳动者");

    c.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#login-form")).await.unwrap();
    c.goto(&app.url("/home")).await.unwrap();
    c.wait().for_element(Locator::Css("#login-form")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/login", "logged out");

    browser.close().await;
}

/// Sets a form field's value as a date picker would, and tells the page it changed.
async fn set_value(browser: &Browser, selector: &str, value: &str) {
    let script = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                  e.dispatchEvent(new Event('change', {bubbles: true}));";
    browser.client.execute(script, vec![json!(selector), json!(value)]).await.unwrap();
}

async fn type_into(browser: &Browser, selector: &str, text: &str) {
    let field = browser.client.find(Locator::Css(selector)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

#[actix_web::test]
async fn browser_vacancy_below_the_floor_is_refused_and_at_the_floor_accepted() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let c = &browser.client;

    c.goto(&app.url("/login")).await.unwrap();
    type_into(&browser, "input[name='email']", &employer.session.email).await;
    type_into(&browser, "input[name='password']", PASSWORD).await;
    c.find(Locator::Css("#login-form button[type='submit']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".role[data-role='employer']")).await.unwrap();

    c.goto(&app.url("/employer/vacancies/new")).await.unwrap();
    type_into(&browser, "input[name='title']", "Cane cutters, Ningming").await;
    for (select, value) in
        [("region_code", "451422"), ("occupation_code", "sugarcane_cutting"), ("crossing_code", "aidian")]
    {
        c.find(Locator::Css(&format!("select[name='{select}']")))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }
    set_value(&browser, "input[name='season_start']", &day(2).to_string()).await;
    set_value(&browser, "input[name='season_end']", &day(122).to_string()).await;
    type_into(&browser, "input[name='wage']", "16.50").await;

    // The floor shows up as the employer types, with the verdict on the pay typed so far.
    c.wait().for_element(Locator::Css("#floor-value[data-floor='17.00']")).await.unwrap();
    c.wait().for_element(Locator::Css("#check-verdict[data-ok='false']")).await.unwrap();
    fits_the_screen(&browser).await;
    browser.screenshot("vacancy-form-below-floor").await;

    c.find(Locator::Css("button[name='status'][value='open']")).await.unwrap().click().await.unwrap();
    let refusal = c.wait().for_element(Locator::Css("#refusal")).await.unwrap().text().await.unwrap();
    assert!(refusal.contains("16.50") && refusal.contains("17.00") && refusal.contains("0.50"), "{refusal}");
    browser.screenshot("vacancy-refused").await;
    let stored: Vec<serde_json::Value> = app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    assert!(stored.is_empty(), "nothing stored");

    type_into(&browser, "input[name='wage']", "17.00").await;
    c.wait().for_element(Locator::Css("#check-verdict[data-ok='true']")).await.unwrap();
    // The group policy its contracts will state.
    type_into(&browser, "input[name='insurer']", "PICC Chongzuo").await;
    type_into(&browser, "input[name='policy_number']", "PICC-GX-2026-000777").await;
    type_into(&browser, "input[name='work_injury_cover']", "600000").await;
    type_into(&browser, "input[name='return_cover']", "3000").await;
    fits_the_screen(&browser).await;
    c.find(Locator::Css("button[name='status'][value='open']")).await.unwrap().click().await.unwrap();
    let card = c.wait().for_element(Locator::Css(".vacancy[data-status='open']")).await.unwrap();
    assert!(card.text().await.unwrap().contains("17.00 CNY an hour"));
    assert_eq!(c.current_url().await.unwrap().path(), "/employer/vacancies");
    browser.screenshot("vacancy-posted").await;
    let stored: Vec<serde_json::Value> = app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    assert_eq!(stored.len(), 1);
    let insured = &stored[0]["insurance"];
    assert_eq!(insured["policy_number"], "PICC-GX-2026-000777");
    assert_eq!(
        (insured["work_injury_cover_fen"].as_i64(), insured["paid_by"].as_str()),
        (Some(60_000_000), Some("employer"))
    );

    browser.close().await;
}

#[actix_web::test]
async fn browser_suspended_agency_cannot_register_a_worker() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let regulator = app.login_as_authority("VN").await;
    let suspend = format!("/api/v1/agencies/{}/licence/suspend", agency.agency_id);
    let response =
        app.post_json(&suspend, Some(&regulator), &json!({"reason": "fees charged to workers"})).await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let c = &browser.client;

    c.goto(&app.url("/login")).await.unwrap();
    type_into(&browser, "input[name='email']", &agency.session.email).await;
    type_into(&browser, "input[name='password']", PASSWORD).await;
    c.find(Locator::Css("#login-form button[type='submit']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".role[data-role='agency']")).await.unwrap();

    c.goto(&app.url("/agency/workers/new")).await.unwrap();
    type_into(&browser, "input[name='full_name']", "Nông Thị Mai").await;
    set_value(&browser, "input[name='date_of_birth']", "1995-06-20").await;
    type_into(&browser, "input[name='id_document_number']", "004195006789").await;
    c.find(Locator::Css("select[name='home_province_code']"))
        .await
        .unwrap()
        .select_by_value("VN-04")
        .await
        .unwrap();
    set_value(&browser, "input[name='available_from']", &day(2).to_string()).await;
    set_value(&browser, "input[name='available_until']", &day(152).to_string()).await;
    fits_the_screen(&browser).await;
    c.find(Locator::Css("#worker-form button[type='submit']")).await.unwrap().click().await.unwrap();

    let refusal = c.wait().for_element(Locator::Css("#refusal")).await.unwrap().text().await.unwrap();
    assert!(refusal.contains("Licence suspended"), "{refusal}");
    browser.screenshot("agency-suspended-refused").await;
    assert!(app.list_workers(&agency.session).await.is_empty(), "nothing stored");
    browser.close().await;
}

#[actix_web::test]
async fn browser_public_licence_check() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let c = &browser.client;

    c.goto(&app.url("/licences")).await.unwrap();
    c.find(Locator::Css("a[data-lang='vi']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("html[lang='vi'] #licence-form")).await.unwrap();
    type_into(&browser, "#licence-form input[name='number']", &agency.licence_number.to_lowercase()).await;
    c.find(Locator::Css("#licence-form button")).await.unwrap().click().await.unwrap();
    let result = c.wait().for_element(Locator::Css("#licence-result[data-status='active']")).await.unwrap();
    let text = result.text().await.unwrap();
    assert!(text.contains("Giấy phép của doanh nghiệp còn hiệu lực"), "{text}");
    fits_the_screen(&browser).await;
    browser.screenshot("licence-check-vi").await;

    type_into(&browser, "#licence-form input[name='number']", "VN-FAKE-9999").await;
    c.find(Locator::Css("#licence-form button")).await.unwrap().click().await.unwrap();
    let unknown = c.wait().for_element(Locator::Css("#licence-result[data-status='unknown']")).await.unwrap();
    assert!(unknown.text().await.unwrap().contains("Không có doanh nghiệp nào có giấy phép mang số này"));
    browser.close().await;
}

/// The worker's access log on a 360-px phone, in Vietnamese: two of its agency's accounts
/// read its record, and the worker finds both from its home page; the regulator's page of the
/// worker shows the same log with the readers' e-mails.
#[actix_web::test]
async fn browser_worker_reads_who_read_its_record() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let colleague = app.create_user(Role::Agency, Some(&agency.agency_id)).await;
    let colleague = app.session_for(&colleague).await;
    let mut worker = seasonlink_tests::worker("001096000077");
    worker["email"] = json!("lan.log@test.seasonlink.vn");
    let worker: serde_json::Value =
        app.post_json("/api/v1/workers", Some(&agency.session), &worker).await.json().await.unwrap();
    app.activate_worker(worker["id"].as_str().unwrap()).await;
    let path = format!("/api/v1/workers/{}", worker["id"].as_str().unwrap());
    for reader in [&agency.session, &colleague] {
        assert_eq!(app.get(&path, Some(reader)).await.status(), reqwest::StatusCode::OK);
    }
    let c = &browser.client;

    log_in_as(&browser, &app, "lan.log@test.seasonlink.vn", "worker").await;
    assert_eq!(html_lang(&browser).await, "vi");
    c.find(Locator::Css("#my-access-log")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#access-log li")).await.unwrap();
    let lines = c.find_all(Locator::Css("#access-log li")).await.unwrap();
    assert_eq!(lines.len(), 2);
    let text = c.find(Locator::Css("#access-log")).await.unwrap().text().await.unwrap();
    assert!(text.contains("Tài khoản nhân viên") && text.contains("giờ Việt Nam"), "{text}");
    assert!(!text.contains(&colleague.email), "{text}");
    fits_the_screen(&browser).await;
    browser.screenshot("worker-access-log-vi").await;

    let regulator = app.login_as(Role::Regulator).await;
    log_in_as(&browser, &app, &regulator.email, "regulator").await;
    c.goto(&app.url(&format!("/workers/{}", worker["id"].as_str().unwrap()))).await.unwrap();
    let text = c.wait().for_element(Locator::Css("#access-log")).await.unwrap().text().await.unwrap();
    assert!(text.contains(&colleague.email) && text.contains(&agency.session.email), "{text}");
    fits_the_screen(&browser).await;
    browser.screenshot("regulator-worker-access-log").await;
    browser.close().await;
}

/// Clears the browser's cookies and logs in as `email` through the login page.
async fn log_in_as(browser: &Browser, app: &TestApp, email: &str, role: &str) {
    let c = &browser.client;
    c.delete_all_cookies().await.unwrap();
    c.goto(&app.url("/login")).await.unwrap();
    type_into(browser, "input[name='email']", email).await;
    type_into(browser, "input[name='password']", PASSWORD).await;
    c.find(Locator::Css("#login-form button[type='submit']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(&format!(".role[data-role='{role}']"))).await.unwrap();
}

/// Clicks `button` on the placement page and waits for the placement to reach `status`.
async fn step(browser: &Browser, button: &str, status: &str) {
    let c = &browser.client;
    c.find(Locator::Css(button)).await.unwrap().click().await.unwrap();
    let selector = format!("#placement-status[data-status='{status}']");
    c.wait().for_element(Locator::Css(&selector)).await.unwrap();
}

#[actix_web::test]
async fn browser_worker_from_offer_to_return() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    // A season that starts today, so the permit is valid at once.
    let today = app.today();
    let mut job = seasonlink_tests::vacancy(1800);
    job["season_start"] = json!(today);
    job["season_end"] = json!(today + chrono::Duration::days(120));
    let vacancy: serde_json::Value =
        app.post_json("/api/v1/vacancies", Some(&employer.session), &job).await.json().await.unwrap();
    let mut worker = seasonlink_tests::worker("001096000001");
    worker["email"] = json!("hoa.browser@test.seasonlink.vn");
    worker["available_from"] = json!(today);
    worker["available_until"] = json!(today + chrono::Duration::days(200));
    let worker: serde_json::Value =
        app.post_json("/api/v1/workers", Some(&agency.session), &worker).await.json().await.unwrap();
    app.activate_worker(worker["id"].as_str().unwrap()).await;
    let offer = json!({"vacancy_id": vacancy["id"], "worker_id": worker["id"]});
    let placement: serde_json::Value =
        app.post_json("/api/v1/placements", Some(&agency.session), &offer).await.json().await.unwrap();
    let path = format!("/placements/{}", placement["id"].as_str().unwrap());
    let c = &browser.client;

    // The worker reads the contract on its phone, in Vietnamese, and accepts it.
    log_in_as(&browser, &app, "hoa.browser@test.seasonlink.vn", "worker").await;
    c.find(Locator::Css("#my-offers")).await.unwrap().click().await.unwrap();
    c.wait()
        .for_element(Locator::Css("#placements [data-status='offered'] a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("#consent")).await.unwrap();
    assert_eq!(html_lang(&browser).await, "vi", "a worker's pages default to Vietnamese");
    let contract = c.find(Locator::Css(".contract")).await.unwrap().text().await.unwrap();
    assert!(contract.contains("Hợp đồng lao động thời vụ"), "{contract}");
    assert!(contract.contains(placement["contract"]["sha256"].as_str().unwrap()));
    assert!(contract.contains("Tai nạn lao động: tối đa 600.000,00 tệ"), "{contract}");
    assert!(contract.contains("Bạn không phải trả tiền cho cả hai loại bảo hiểm này"), "{contract}");
    fits_the_screen(&browser).await;
    browser.screenshot("worker-contract-vi").await;
    step(&browser, "#accept", "accepted").await;

    // The regulator's permit desk issues the permit; its QR code opens the public check.
    log_in_as(&browser, &app, &regulator.email, "regulator").await;
    c.find(Locator::Css("#permit-desk")).await.unwrap().click().await.unwrap();
    c.wait()
        .for_element(Locator::Css("#placements [data-status='accepted'] a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // It sees the insurance the contract states, and verifies it before the permit.
    let insurance =
        c.find(Locator::Css("#insurance[data-verified='false']")).await.unwrap().text().await.unwrap();
    assert!(insurance.contains("PICC-GX-2026-000001") && insurance.contains("600000.00 CNY"), "{insurance}");
    fits_the_screen(&browser).await;
    c.find(Locator::Css("#verify-insurance")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#insurance[data-verified='true']")).await.unwrap();
    step(&browser, "#issue-permit", "permitted").await;
    let check = c.find(Locator::Css("#permit-link")).await.unwrap().attr("href").await.unwrap().unwrap();
    c.delete_all_cookies().await.unwrap();
    c.goto(&app.url(&check)).await.unwrap();
    let result = c.wait().for_element(Locator::Css("#permit-result[data-valid='true']")).await.unwrap();
    assert!(result.text().await.unwrap().contains("N.T.H."));
    browser.screenshot("permit-check").await;

    // The agency records the departure, the employer the season's end, the agency the return.
    log_in_as(&browser, &app, &agency.session.email, "agency").await;
    c.goto(&app.url(&path)).await.unwrap();
    // The checklist names the orientation still open; the agency records it.
    c.find(Locator::Css(
        "#checklist[data-ready='false'] [data-item='orientation_attended'][data-done='false']",
    ))
    .await
    .unwrap();
    type_into(&browser, "#orientation-form input[name='place']", "Sở Nội vụ tỉnh Lạng Sơn").await;
    c.find(Locator::Css("#record-orientation")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#checklist[data-ready='true']")).await.unwrap();
    fits_the_screen(&browser).await;
    browser.screenshot("departure-checklist-ready").await;
    step(&browser, "#record-departure", "departed").await;
    log_in_as(&browser, &app, &employer.session.email, "employer").await;
    c.goto(&app.url(&path)).await.unwrap();
    step(&browser, "#complete", "completed").await;
    log_in_as(&browser, &app, &agency.session.email, "agency").await;
    c.goto(&app.url(&path)).await.unwrap();
    step(&browser, "#record-return", "returned").await;
    let timeline = c.find(Locator::Css("#timeline")).await.unwrap().text().await.unwrap();
    assert_eq!(timeline.lines().count(), 6, "{timeline}");
    browser.screenshot("placement-returned").await;
    browser.close().await;
}

#[actix_web::test]
async fn browser_payslip_to_resolved_case() {
    let Some(browser) = Browser::start().await else { return };
    let w = super::compliance::at_work().await;
    let c = &browser.client;
    // The first fortnight, ended and paid (the clock moves on to its pay day).
    let (start, _, _) = w.fortnight();

    // The employer reports a fortnight paid one fen below the floor.
    log_in_as(&browser, &w.app, &w.employer.session.email, "employer").await;
    c.goto(&w.app.url(&format!("/placements/{}", w.placement_id))).await.unwrap();
    set_value(&browser, "#payslip-form input[name='period_start']", &start.to_string()).await;
    set_value(
        &browser,
        "#payslip-form input[name='period_end']",
        &(start + chrono::Duration::days(14)).to_string(),
    )
    .await;
    type_into(&browser, "#payslip-form input[name='minutes_worked']", "4800").await;
    type_into(&browser, "#payslip-form input[name='gross']", "1359.99").await;
    type_into(&browser, "#payslip-form input[name='net']", "1359.99").await;
    set_value(
        &browser,
        "#payslip-form input[name='paid_on']",
        &(start + chrono::Duration::days(15)).to_string(),
    )
    .await;
    fits_the_screen(&browser).await;
    c.find(Locator::Css("#report-payslip")).await.unwrap().click().await.unwrap();
    let flagged = c.wait().for_element(Locator::Css(".payslip[data-compliant='false']")).await.unwrap();
    assert!(flagged.text().await.unwrap().contains("0.01 CNY"));
    browser.screenshot("payslip-flagged").await;

    // The regulator finds the case on its desk and resolves it.
    log_in_as(&browser, &w.app, &w.regulator.email, "regulator").await;
    c.find(Locator::Css("#cases-desk")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#cases [data-kind='wage'] a")).await.unwrap().click().await.unwrap();
    let finding = c.wait().for_element(Locator::Css("#findings [data-code='below_floor']")).await.unwrap();
    assert!(finding.text().await.unwrap().contains("0.01"));
    c.find(Locator::Css("#assign")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#case-status[data-status='assigned']")).await.unwrap();
    type_into(&browser, "#resolve-form input[name='outcome']", "back pay ordered and paid").await;
    type_into(&browser, "#resolve-form input[name='recovered']", "0.01").await;
    c.find(Locator::Css("#resolve-form input[name='upheld'][value='true']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fits_the_screen(&browser).await;
    browser.screenshot("case-resolve-form").await;
    c.find(Locator::Css("#resolve")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#case-status[data-status='resolved']")).await.unwrap();
    c.find(Locator::Css("#case-upheld[data-upheld='true']")).await.unwrap();
    fits_the_screen(&browser).await;
    browser.screenshot("case-resolved").await;
    browser.close().await;
}

#[actix_web::test]
async fn browser_candidates_and_proposal_review() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let mut cutters = seasonlink_tests::vacancy(1800);
    cutters["headcount"] = json!(2);
    let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &cutters).await;
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    let vacancy_id = response.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let mut loaders = seasonlink_tests::vacancy(1900);
    loaders["headcount"] = json!(1);
    loaders["required_skills"] = json!([]);
    let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &loaders).await;
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    for (document, seasons) in [("007090000001", 5), ("007090000002", 3), ("007090000003", 1)] {
        let mut worker = seasonlink_tests::worker(document);
        worker["seasons_worked"] = json!(seasons);
        let response = app.post_json("/api/v1/workers", Some(&agency.session), &worker).await;
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    }
    let c = &browser.client;

    c.goto(&app.url("/login")).await.unwrap();
    type_into(&browser, "input[name='email']", &agency.session.email).await;
    type_into(&browser, "input[name='password']", PASSWORD).await;
    c.find(Locator::Css("#login-form button[type='submit']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".role[data-role='agency']")).await.unwrap();

    // The board a page at a time: one card, then the next page's link to the other.
    c.goto(&app.url("/vacancies?limit=1")).await.unwrap();
    let first = c.find_all(Locator::Css(".vacancy[data-id]")).await.unwrap();
    assert_eq!(first.len(), 1);
    let first_id = first[0].attr("data-id").await.unwrap().unwrap();
    let next = c.find(Locator::Css("#next-page")).await.unwrap();
    assert_eq!(next.text().await.unwrap(), "Next page");
    fits_the_screen(&browser).await;
    browser.screenshot("board-page-en").await;
    next.click().await.unwrap();
    let second = c.wait().for_element(Locator::Css(".vacancy[data-id]")).await.unwrap();
    let second_id = second.attr("data-id").await.unwrap().unwrap();
    assert_ne!(first_id, second_id, "the next page starts after the first");
    assert!(c.current_url().await.unwrap().query().unwrap().contains("after="));
    assert!(c.find_all(Locator::Css("#next-page")).await.unwrap().is_empty(), "the last page");
    let both = [first_id.as_str(), second_id.as_str()];
    assert!(both.contains(&vacancy_id.as_str()));

    // From the board to the vacancy's candidates, each score explained in words.
    c.goto(&app.url("/vacancies")).await.unwrap();
    let card = format!(".vacancy[data-id='{vacancy_id}'] a.candidates-link");
    c.find(Locator::Css(&card)).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#candidate-count[data-count='3']")).await.unwrap();
    let best = c.find(Locator::Css(".candidate")).await.unwrap();
    let experience =
        best.find(Locator::Css(".why li[data-part='experience']")).await.unwrap().text().await.unwrap();
    assert!(
        experience.contains("declared by the agency (count half): 5") && experience.contains("+100"),
        "{experience}"
    );
    let language =
        best.find(Locator::Css(".why li[data-part='language']")).await.unwrap().text().await.unwrap();
    assert!(language.contains("Speaks Chinese") && language.contains("+50"), "{language}");
    fits_the_screen(&browser).await;
    browser.screenshot("candidates-en").await;

    // A proposal for every open vacancy: three lines, all kept unless unticked.
    c.find(Locator::Css("a[href='/matching/proposals']")).await.unwrap().click().await.unwrap();
    let run = c.wait().for_element(Locator::Css("#proposal-form button[type='submit']")).await.unwrap();
    fits_the_screen(&browser).await;
    run.click().await.unwrap();
    c.wait().for_element(Locator::Css("#keep-form")).await.unwrap();
    let lines = c.find_all(Locator::Css("li.line")).await.unwrap();
    assert_eq!(lines.len(), 3);
    let mut scores = Vec::new();
    for line in &lines {
        let score: i64 = line.attr("data-score").await.unwrap().unwrap().parse().unwrap();
        scores.push((line.attr("data-worker").await.unwrap().unwrap(), score));
    }
    fits_the_screen(&browser).await;
    browser.screenshot("proposal-en").await;

    let (dropped, _) = scores[0].clone();
    let checkbox = format!("li.line[data-worker='{dropped}'] input[name='keep']");
    c.find(Locator::Css(&checkbox)).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#keep-form button[type='submit']")).await.unwrap().click().await.unwrap();
    let summary = c.wait().for_element(Locator::Css("#kept-summary")).await.unwrap();
    assert_eq!(summary.attr("data-lines").await.unwrap().as_deref(), Some("2"));
    let total: i64 = scores.iter().filter(|(w, _)| *w != dropped).map(|(_, s)| s).sum();
    assert_eq!(summary.attr("data-total").await.unwrap(), Some(total.to_string()));
    let kept = c.find_all(Locator::Css("li.line")).await.unwrap();
    assert_eq!(kept.len(), 2);
    for line in kept {
        assert_ne!(line.attr("data-worker").await.unwrap().as_deref(), Some(dropped.as_str()));
    }
    fits_the_screen(&browser).await;
    browser.screenshot("proposal-kept-en").await;
    browser.close().await;
}

/// The regulator's season what-if on a phone, in the three languages: every licensed
/// agency's waiting workers over the open vacancies, by region and by home province.
#[actix_web::test]
async fn browser_regulator_reads_the_season_what_if() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let mut cutters = seasonlink_tests::vacancy(1800);
    cutters["headcount"] = json!(2);
    let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &cutters).await;
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    for (n, province) in ["VN-09", "VN-09", "VN-04"].into_iter().enumerate() {
        let agency = app.agency().await;
        let mut worker = seasonlink_tests::worker(&format!("00809000000{n}"));
        worker["home_province_code"] = json!(province);
        let response = app.post_json("/api/v1/workers", Some(&agency.session), &worker).await;
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    }
    let c = &browser.client;
    log_in_as(&browser, &app, &regulator.email, "regulator").await;
    c.find(Locator::Css("#what-if-link")).await.unwrap().click().await.unwrap();
    let placed = c.wait().for_element(Locator::Css("#what-if-placed")).await.unwrap();
    assert_eq!(placed.text().await.unwrap(), "2", "two seats for three workers");
    assert_eq!(c.find(Locator::Css("#what-if-workers")).await.unwrap().text().await.unwrap(), "3");
    let region = c.find(Locator::Css("#what-if-regions tr[data-code='451422']")).await.unwrap();
    assert_eq!(region.find(Locator::Css(".done")).await.unwrap().text().await.unwrap(), "2");
    let provinces = c.find_all(Locator::Css("#what-if-provinces tr[data-code]")).await.unwrap();
    assert_eq!(provinces.len(), 2);
    fits_the_screen(&browser).await;
    browser.screenshot("what-if-en").await;
    for (lang, title, by_province) in
        [("vi", "Mô phỏng mùa vụ", "Theo tỉnh quê quán"), ("zh-CN", "用工季模拟", "按户籍省份")]
    {
        c.find(Locator::Css(&format!("a[data-lang='{lang}']"))).await.unwrap().click().await.unwrap();
        c.wait().for_element(Locator::Css(&format!("html[lang='{lang}']"))).await.unwrap();
        assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), title);
        assert_eq!(c.find(Locator::Css("#by-province")).await.unwrap().text().await.unwrap(), by_province);
        fits_the_screen(&browser).await;
        browser.screenshot(&format!("what-if-{lang}")).await;
    }
    browser.close().await;
}

#[actix_web::test]
async fn browser_regulator_registers_a_partner_system() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let c = &browser.client;
    log_in_as(&browser, &app, &regulator.email, "regulator").await;
    c.find(Locator::Css("#partners-desk")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#partner-form")).await.unwrap();
    c.find(Locator::Css("a[data-lang='vi']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("html[lang='vi']")).await.unwrap();
    fits_the_screen(&browser).await;
    type_into(&browser, "#partner-form input[name='name']", "Cục Quản lý Lao động ngoài nước").await;
    type_into(&browser, "#partner-form input[name='url']", "http://127.0.0.1:9/seasonlink").await;
    type_into(&browser, "#partner-form input[name='secret']", "a partner's secret of at least 32 bytes")
        .await;
    c.find(Locator::Css("input[name='type_permit.issued']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("input[name='permit_authority']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#partner-form button[type='submit']")).await.unwrap().click().await.unwrap();
    let key = c.wait().for_element(Locator::Css("#feed-key")).await.unwrap().text().await.unwrap();
    assert!(key.starts_with("slp_"), "{key}");
    let listed = c.find(Locator::Css("article[data-partner]")).await.unwrap().text().await.unwrap();
    assert!(listed.contains("permit.issued") && listed.contains("Cơ quan cấp phép"), "{listed}");
    fits_the_screen(&browser).await;
    browser.screenshot("partner-registered-vi").await;
    c.goto(&app.url("/regulator/notices")).await.unwrap();
    c.wait().for_element(Locator::Css("#no-notices")).await.unwrap();
    fits_the_screen(&browser).await;
    browser.close().await;
}

/// From the agency's registration to the worker's own acceptance, on a 360-px phone: the
/// agency registers the worker and has its code sent (it never sees it); the officer finds
/// the worker by its document and hands a code over in person; the worker activates its
/// account in Vietnamese, changes its password, reads its contract and accepts it; the
/// regulator sees that consent came from a session opened by activation.
#[actix_web::test]
async fn browser_worker_activates_its_own_account_and_accepts() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let vacancy: serde_json::Value = app
        .post_json("/api/v1/vacancies", Some(&employer.session), &seasonlink_tests::vacancy(1800))
        .await
        .json()
        .await
        .unwrap();
    let c = &browser.client;

    // The agency registers the worker: no password field, a button that sends the code.
    log_in_as(&browser, &app, &agency.session.email, "agency").await;
    c.goto(&app.url("/agency/workers/new")).await.unwrap();
    assert!(c.find(Locator::Css("#worker-form input[name='password']")).await.is_err(), "no password field");
    type_into(&browser, "input[name='full_name']", "Hoàng Thị Lan").await;
    set_value(&browser, "input[name='date_of_birth']", "1996-04-12").await;
    type_into(&browser, "input[name='id_document_number']", "001096000123").await;
    c.find(Locator::Css("select[name='home_province_code']"))
        .await
        .unwrap()
        .select_by_value("VN-09")
        .await
        .unwrap();
    type_into(&browser, "input[name='email']", "lan.own@test.seasonlink.vn").await;
    c.find(Locator::Css("input[name='skill_cane_knife']")).await.unwrap().click().await.unwrap();
    set_value(&browser, "input[name='available_from']", &day(-28).to_string()).await;
    set_value(&browser, "input[name='available_until']", &day(152).to_string()).await;
    c.find(Locator::Css("#worker-form button[type='submit']")).await.unwrap().click().await.unwrap();
    c.wait()
        .for_element(Locator::Css(".worker .activation-form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let sent = c.wait().for_element(Locator::Css("#activation-sent")).await.unwrap().text().await.unwrap();
    assert!(sent.contains("l…@test.seasonlink.vn"), "{sent}");
    assert!(c.find(Locator::Css("#activation-code")).await.is_err(), "the agency never sees the code");
    fits_the_screen(&browser).await;
    browser.screenshot("agency-activation-sent").await;
    let worker_id = app.list_workers(&agency.session).await[0]["id"].as_str().unwrap().to_owned();
    let offer = json!({"vacancy_id": vacancy["id"], "worker_id": worker_id});
    assert_eq!(app.post_json("/api/v1/placements", Some(&agency.session), &offer).await.status(), 201);

    // The officer checks the document and hands over a code, shown once.
    log_in_as(&browser, &app, &regulator.email, "regulator").await;
    c.find(Locator::Css("#workers-desk")).await.unwrap().click().await.unwrap();
    type_into(&browser, "#worker-search input[name='document']", "001096000123").await;
    c.find(Locator::Css("#worker-search button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".worker[data-worker] a")).await.unwrap().click().await.unwrap();
    type_into(&browser, "#hand-over-form input[name='id_document_number']", "001096000123").await;
    fits_the_screen(&browser).await;
    c.find(Locator::Css("#hand-over-form button")).await.unwrap().click().await.unwrap();
    let code = c.wait().for_element(Locator::Css("#activation-code")).await.unwrap().text().await.unwrap();
    assert!(code.len() == 8 && code.chars().all(|ch| ch.is_ascii_digit()), "{code}");

    // The worker, on its own phone: the activation page is in Vietnamese before it signs in.
    c.delete_all_cookies().await.unwrap();
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Css("#activate-link")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#code-form")).await.unwrap();
    assert_eq!(html_lang(&browser).await, "vi", "the activation page speaks Vietnamese first");
    type_into(&browser, "#code-form input[name='email_or_phone']", "lan.own@test.seasonlink.vn").await;
    type_into(&browser, "#code-form input[name='code']", "00000000").await;
    type_into(&browser, "#code-form input[name='password']", "mía ngọt Ninh Minh").await;
    c.find(Locator::Css("#code-form button")).await.unwrap().click().await.unwrap();
    let refusal = c.wait().for_element(Locator::Css("#code-error")).await.unwrap().text().await.unwrap();
    assert!(refusal.contains("Mã này sai"), "{refusal}");
    fits_the_screen(&browser).await;
    browser.screenshot("worker-activation-refused-vi").await;
    type_into(&browser, "#code-form input[name='code']", &code).await;
    type_into(&browser, "#code-form input[name='password']", "mía ngọt Ninh Minh").await;
    c.find(Locator::Css("#code-form button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".role[data-role='worker']")).await.unwrap();
    assert!(c.find(Locator::Css("#activate-first")).await.is_err(), "activated");

    // Its own password, changed on the password page.
    c.find(Locator::Css("#password-link")).await.unwrap().click().await.unwrap();
    type_into(&browser, "#password-form input[name='current_password']", "mía ngọt Ninh Minh").await;
    type_into(&browser, "#password-form input[name='new_password']", "đường về Lạng Sơn").await;
    fits_the_screen(&browser).await;
    browser.screenshot("worker-password-vi").await;
    c.find(Locator::Css("#password-form button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#password-done")).await.unwrap();

    // It reads its contract and accepts it.
    c.goto(&app.url("/home")).await.unwrap();
    c.find(Locator::Css("#my-offers")).await.unwrap().click().await.unwrap();
    c.wait()
        .for_element(Locator::Css("#placements [data-status='offered'] a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("#consent")).await.unwrap();
    let contract = c.find(Locator::Css(".contract")).await.unwrap().text().await.unwrap();
    assert!(contract.contains("Hoàng Thị Lan"), "{contract}");
    step(&browser, "#accept", "accepted").await;
    browser.screenshot("worker-accepted-vi").await;

    let placements: Vec<serde_json::Value> =
        app.get("/api/v1/placements", Some(&regulator)).await.json().await.unwrap();
    let path = format!("/api/v1/placements/{}", placements[0]["id"].as_str().unwrap());
    let shown: serde_json::Value = app.get(&path, Some(&regulator)).await.json().await.unwrap();
    // The password change kept the session the activation opened.
    assert_eq!(shown["acceptance"]["auth_method"], "activation", "{shown}");
    assert_eq!(shown["acceptance"]["language"], "vi");
    browser.close().await;
}

/// Every chart container holds what ECharts drew (an <svg> or <canvas>) with a size: their
/// ids and sizes, and the containers left empty.
async fn drawn_charts(browser: &Browser) -> (usize, Vec<String>) {
    let drawn = browser
        .client
        .execute(
            "return [...document.querySelectorAll('.stats-chart')].map(box => {
               const g = box.querySelector('svg, canvas');
               const r = g ? g.getBoundingClientRect() : {width: 0, height: 0};
               return [box.id, r.width > 0 && r.height > 0];
             });",
            vec![],
        )
        .await
        .unwrap();
    let drawn = drawn.as_array().unwrap().clone();
    let empty = drawn.iter().filter(|d| d[1] != true).map(|d| d[0].as_str().unwrap().to_owned()).collect();
    (drawn.len(), empty)
}

/// Fetches a link's target from the page, as following it would, and returns its text.
async fn follow(browser: &Browser, selector: &str) -> String {
    let link = browser.client.find(Locator::Css(selector)).await.unwrap();
    let href = link.attr("href").await.unwrap().unwrap();
    let script = "const done = arguments[arguments.length - 1];
                  fetch(arguments[0]).then(r => r.ok ? r.text() : 'HTTP ' + r.status).then(done, e => done(String(e)));";
    browser.client.execute_async(script, vec![json!(href)]).await.unwrap().as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn browser_statistics_page_charts_tables_languages_and_a_release() {
    use sha2::{Digest, Sha256};
    let Some(browser) = Browser::start().await else { return };
    let crate::statistics::Season { app, .. } = crate::statistics::season().await;
    // 2 December in China: November is closed and has its release.
    app.state.clock.advance(chrono::Duration::days(3));
    assert_eq!(seasonlink::services::statistics::releases::publish_due(&app.state).await.unwrap(), 1);
    let c = &browser.client;

    c.goto(&app.url("/")).await.unwrap();
    c.find(Locator::Css("main a[href='/statistics']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#period-form")).await.unwrap();
    c.goto(&app.url("/statistics?from=2026-11-01&to=2026-11-30")).await.unwrap();
    c.find(Locator::Css("a[data-lang='vi']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("html[lang='vi'] #period-form")).await.unwrap();
    let url = c.current_url().await.unwrap();
    assert_eq!(
        (url.path(), url.query()),
        ("/statistics", Some("from=2026-11-01&to=2026-11-30")),
        "same period"
    );
    assert_eq!(
        c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(),
        "Số liệu thống kê của chương trình"
    );

    c.wait().for_element(Locator::Css("#chart-agencies[data-drawn='true']")).await.unwrap();
    let (charts, empty) = drawn_charts(&browser).await;
    assert_eq!((charts, empty), (7, vec![]), "every chart drawn, with a size");
    let outside = c
        .execute(
            "const w = document.documentElement.clientWidth;
             return [...document.querySelectorAll('.stats-chart *')]
               .filter(e => e.getBoundingClientRect().right > w + 0.5)
               .map(e => e.closest('.stats-chart').id + ': ' + e.tagName + ' ' + (e.textContent || '').slice(0, 30));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(outside, json!([]), "no chart reaches past the phone's edge");
    fits_the_screen(&browser).await;
    browser.screenshot("statistics-vi").await;
    c.execute("document.getElementById('chart-box-journeys').scrollIntoView();", vec![]).await.unwrap();
    browser.screenshot("statistics-vi-chart").await;

    // The headline, and the figures of a chart as its table, suppressed for the public.
    let departures = c.find(Locator::Css("dd[data-indicator='departures']")).await.unwrap();
    assert_eq!(departures.text().await.unwrap(), "5");
    let wages = c.find(Locator::Css("dd[data-indicator='wages_paid_net']")).await.unwrap();
    assert_eq!(wages.text().await.unwrap(), "<5");
    c.find(Locator::Css("#table-provinces summary")).await.unwrap().click().await.unwrap();
    let provinces = c.find(Locator::Css("#table-provinces table")).await.unwrap().text().await.unwrap();
    assert!(provinces.contains("Cao Bằng") && provinces.contains("Lạng Sơn"), "{provinces}");
    assert_eq!(provinces.matches("<5").count(), 2, "{provinces}");
    c.find(Locator::Css("#table-journeys summary")).await.unwrap().click().await.unwrap();
    let journeys = c.find(Locator::Css("#table-journeys table")).await.unwrap().text().await.unwrap();
    assert!(journeys.contains("11/2026") && journeys.contains('5'), "{journeys}");
    fits_the_screen(&browser).await;
    browser.screenshot("statistics-vi-tables").await;

    // Another language: the same figures, drawn again.
    c.find(Locator::Css("a[data-lang='zh-CN']")).await.unwrap().click().await.unwrap();
    c.wait()
        .for_element(Locator::Css("html[lang='zh-CN'] #chart-agencies[data-drawn='true']"))
        .await
        .unwrap();
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "项目统计数据");
    assert_eq!(drawn_charts(&browser).await, (7, vec![]));
    c.find(Locator::Css("#table-provinces summary")).await.unwrap().click().await.unwrap();
    let provinces = c.find(Locator::Css("#table-provinces table")).await.unwrap().text().await.unwrap();
    assert!(provinces.contains("高平"), "{provinces}");

    // November's release, downloaded from its links: the CSV's SHA-256 is the metadata's.
    let csv = follow(&browser, "li[data-release='2026-11'] a[data-format='csv']").await;
    let metadata = follow(&browser, "li[data-release='2026-11'] a[data-format='json']").await;
    let metadata: serde_json::Value = serde_json::from_str(&metadata).unwrap();
    assert!(csv.starts_with("indicator,unit,period,breakdown,key,"), "{csv}");
    assert_eq!(metadata["csv"]["sha256"], format!("{:x}", Sha256::digest(csv.as_bytes())).as_str());
    assert_eq!(metadata["month"], "2026-11");
    browser.screenshot("statistics-zh").await;
    browser.close().await;
}

/// A worker reports an unlicensed broker on a 360-px phone, in Vietnamese, without an
/// account: from the landing page to the form, which first says what is needed, to the
/// report's status page, found again by its reference. Nothing asks who the worker is.
#[actix_web::test]
async fn browser_broker_report_in_vietnamese_on_a_phone() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let c = &browser.client;

    c.goto(&app.url("/")).await.unwrap();
    c.find(Locator::Css("a[data-lang='vi']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("html[lang='vi'] #broker-report-link")).await.unwrap();
    c.find(Locator::Css("#broker-report-link")).await.unwrap().click().await.unwrap();
    let title = c.wait().for_element(Locator::Css("html[lang='vi'] #broker-form")).await.unwrap();
    assert!(title.text().await.unwrap().contains("Người đó đã làm gì?"));
    assert_eq!(
        c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(),
        "Báo người môi giới không được cấp phép"
    );
    assert!(
        c.find_all(Locator::Css("input[name*='id_document'], input[name*='passport']"))
            .await
            .unwrap()
            .is_empty()
    );
    fits_the_screen(&browser).await;
    browser.screenshot("broker-form-vi").await;

    // Nothing to act on: the form says what is needed and keeps what was typed.
    c.find(Locator::Css("input[name='kind_holds_documents']")).await.unwrap().click().await.unwrap();
    type_into(&browser, "input[name='place']", "chợ Đồng Đăng").await;
    c.find(Locator::Css("#broker-form button[type='submit']")).await.unwrap().click().await.unwrap();
    let error = c.wait().for_element(Locator::Css("#broker-error")).await.unwrap();
    assert!(
        error.text().await.unwrap().contains("tên hoặc số điện thoại"),
        "{}",
        error.text().await.unwrap()
    );
    let kept = c
        .execute(
            "return [document.querySelector(\"input[name='place']\").value, \
                     document.querySelector(\"input[name='kind_holds_documents']\").checked];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(kept, json!(["chợ Đồng Đăng", true]), "the form keeps what was typed");
    fits_the_screen(&browser).await;
    browser.screenshot("broker-form-needed-vi").await;

    c.find(Locator::Css("input[name='kind_took_money_for_papers']")).await.unwrap().click().await.unwrap();
    type_into(&browser, "input[name='broker_name']", "Anh Tư Cò").await;
    type_into(&browser, "input[name='broker_phone']", "0912 345 678").await;
    c.find(Locator::Css("select[name='region_code']")).await.unwrap().select_by_value("VN-09").await.unwrap();
    set_value(&browser, "input[name='occurred_on']", &day(-10).to_string()).await;
    type_into(&browser, "input[name='amount']", "15.000.000").await;
    type_into(
        &browser,
        "textarea[name='description']",
        "Thu 15 triệu tiền làm giấy, giữ hộ chiếu của cả nhóm.",
    )
    .await;
    c.find(Locator::Css("#broker-form button[type='submit']")).await.unwrap().click().await.unwrap();
    let result = c.wait().for_element(Locator::Css("#broker-result[data-status='open']")).await.unwrap();
    let text = result.text().await.unwrap();
    assert!(text.contains("Đang mở") && text.contains("Giữ giấy tờ của người lao động"), "{text}");
    assert!(!text.contains("Anh Tư"), "the status page repeats nothing of the report");
    assert!(c.find(Locator::Css("#broker-filed")).await.is_ok());
    let reference = c.find(Locator::Css("#broker-reference")).await.unwrap().text().await.unwrap();
    assert!(reference.starts_with("B-"), "{reference}");
    fits_the_screen(&browser).await;
    browser.screenshot("broker-status-vi").await;

    // Found again by its reference, typed as a worker might.
    c.goto(&app.url("/broker-reports")).await.unwrap();
    type_into(
        &browser,
        "#broker-reference-form input[name='reference']",
        &format!(" {}", reference.to_lowercase()),
    )
    .await;
    c.find(Locator::Css("#broker-reference-form button")).await.unwrap().click().await.unwrap();
    let found = c.wait().for_element(Locator::Css("#broker-result")).await.unwrap();
    assert!(found.text().await.unwrap().contains(&reference));
    fits_the_screen(&browser).await;
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM broker_reports WHERE amount_asked_vnd = 15000000").await,
        1
    );
    browser.close().await;
}

/// Pay that never came, where each reader looks: the worker on its phone, in Vietnamese; the
/// employer on its placements; the regulator per employer, with the chart.
#[actix_web::test]
async fn browser_missing_pay_on_the_workers_phone_and_per_employer() {
    let Some(browser) = Browser::start().await else { return };
    let w = super::compliance::at_work().await;
    // The worker crossed on 29 November; nine days on, pay for 29–30 November is missing.
    w.app.state.clock.advance(chrono::Duration::days(9));
    assert_eq!(seasonlink::services::compliance::watch_pay(&w.app.state).await.unwrap(), 1);
    let c = &browser.client;

    log_in_as(&browser, &w.app, "lan@test.seasonlink.vn", "worker").await;
    c.goto(&w.app.url(&format!("/placements/{}", w.placement_id))).await.unwrap();
    let missing = c.wait().for_element(Locator::Css("#pay-period-list .pay-missing")).await.unwrap();
    assert_eq!(html_lang(&browser).await, "vi");
    assert!(missing.text().await.unwrap().contains("chưa được báo cáo"));
    fits_the_screen(&browser).await;
    browser.screenshot("pay-missing-worker").await;

    log_in_as(&browser, &w.app, &w.employer.session.email, "employer").await;
    c.goto(&w.app.url("/placements")).await.unwrap();
    let listed = format!("[data-placement='{}'] .pay-missing", w.placement_id);
    c.wait().for_element(Locator::Css(&listed)).await.unwrap();
    fits_the_screen(&browser).await;

    log_in_as(&browser, &w.app, &w.regulator.email, "regulator").await;
    c.goto(&w.app.url("/regulator/compliance")).await.unwrap();
    c.find(Locator::Css("#pay-link")).await.unwrap().click().await.unwrap();
    let row = format!("#employer-pay [data-employer='{}'][data-missing='1']", w.employer.employer_id);
    c.wait().for_element(Locator::Css(&row)).await.unwrap();
    c.find(Locator::Css("#pay-missing-chart .bar")).await.unwrap();
    fits_the_screen(&browser).await;
    browser.screenshot("pay-per-employer").await;
    browser.close().await;
}

#[actix_web::test]
async fn browser_local_window_on_the_board_and_local_hires_by_the_employer() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn_with(TestDb::create().await, |s| s.rules.local_window_days = 7).await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let posted =
        app.post_json("/api/v1/vacancies", Some(&employer.session), &seasonlink_tests::vacancy(1800)).await;
    let id = posted.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let c = &browser.client;

    // A job-seeker reads on the board, in each language, when agencies may offer the seats.
    c.goto(&app.url("/vacancies")).await.unwrap();
    for (lang, words) in [
        ("vi", "Ưu tiên lao động địa phương"),
        ("zh-CN", "本地优先招用期"),
        ("en", "Local job-seekers first"),
    ] {
        c.find(Locator::Css(&format!("a[data-lang='{lang}']"))).await.unwrap().click().await.unwrap();
        c.wait().for_element(Locator::Css(&format!("html[lang='{lang}']"))).await.unwrap();
        let window = c.find(Locator::Css(&format!(".vacancy[data-id='{id}'] .local-window"))).await.unwrap();
        let text = window.text().await.unwrap();
        assert!(text.contains(words), "{lang}: {text}");
        fits_the_screen(&browser).await;
    }
    browser.screenshot("board-local-window").await;

    // The employer records three people hired locally: the seats left for agencies fall.
    log_in_as(&browser, &app, &employer.session.email, "employer").await;
    c.goto(&app.url("/employer/vacancies")).await.unwrap();
    fits_the_screen(&browser).await;
    type_into(&browser, "form.local-hire input[name='people']", "3").await;
    c.find(Locator::Css("form.local-hire button[type='submit']")).await.unwrap().click().await.unwrap();
    let hires = c.wait().for_element(Locator::Css(".own .local-hires")).await.unwrap();
    assert!(hires.text().await.unwrap().contains('3'));
    let card =
        c.find(Locator::Css(&format!(".vacancy[data-id='{id}']"))).await.unwrap().text().await.unwrap();
    assert!(card.contains("37"), "{card}");
    fits_the_screen(&browser).await;
    browser.screenshot("employer-local-hires").await;
    let stored: serde_json::Value =
        app.get(&format!("/api/v1/vacancies/{id}"), None).await.json().await.unwrap();
    assert_eq!((stored["headcount"].as_i64(), stored["local_hires"].as_i64()), (Some(37), Some(3)));

    // More than the seats left is refused in words, and nothing changes.
    type_into(&browser, "form.local-hire input[name='people']", "38").await;
    c.execute(
        "document.querySelector(\"form.local-hire input[name='people']\").removeAttribute('max')",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css("form.local-hire button[type='submit']")).await.unwrap().click().await.unwrap();
    let refusal = c.wait().for_element(Locator::Css("#refusal")).await.unwrap().text().await.unwrap();
    assert!(refusal.contains("At most 37 people"), "{refusal}");
    fits_the_screen(&browser).await;
    let stored: serde_json::Value =
        app.get(&format!("/api/v1/vacancies/{id}"), None).await.json().await.unwrap();
    assert_eq!(stored["headcount"], 37);
    browser.close().await;
}

#[actix_web::test]
async fn browser_worker_rates_after_return_and_a_regulator_approves_the_text() {
    let Some(browser) = Browser::start().await else { return };
    let w = super::compliance::at_work().await;
    w.come_home().await;
    let c = &browser.client;

    // The worker, back home, rates its agency on its phone, in Vietnamese.
    log_in_as(&browser, &w.app, &w.worker.email, "worker").await;
    c.goto(&w.app.url(&format!("/placements/{}", w.placement_id))).await.unwrap();
    c.wait().for_element(Locator::Css("#rating-form")).await.unwrap();
    assert_eq!(html_lang(&browser).await, "vi");
    c.find(Locator::Css("#rating-form select[name='score']"))
        .await
        .unwrap()
        .select_by_value("4")
        .await
        .unwrap();
    type_into(&browser, "#rating-form textarea[name='text']", "Làm việc tốt, không mất phí.").await;
    fits_the_screen(&browser).await;
    browser.screenshot("worker-rates").await;
    c.find(Locator::Css("#rate")).await.unwrap().click().await.unwrap();
    let mut rated = 0;
    for _ in 0..50 {
        rated = w.app.count("SELECT COUNT(*) AS n FROM ratings WHERE score = 4").await;
        if rated == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let error = c.find(Locator::Css("#action-error")).await.ok();
    let shown = match error {
        Some(e) => e.text().await.unwrap_or_default(),
        None => String::new(),
    };
    assert_eq!(rated, 1, "{shown}");

    // A regulator approves the text from its desk; the licence page shows it.
    log_in_as(&browser, &w.app, &w.vn_regulator.email, "regulator").await;
    c.find(Locator::Css("#ratings-desk")).await.unwrap().click().await.unwrap();
    let text = c.wait().for_element(Locator::Css(".rating blockquote")).await.unwrap().text().await.unwrap();
    assert_eq!(text, "Làm việc tốt, không mất phí.");
    fits_the_screen(&browser).await;
    c.find(Locator::Css(".rating button.approve")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#ratings-none")).await.unwrap();
    c.goto(&w.app.url(&format!("/licences/{}", w.agency.licence_number))).await.unwrap();
    let ratings =
        c.wait().for_element(Locator::Css("#ratings[data-count='1']")).await.unwrap().text().await.unwrap();
    assert!(ratings.contains("Làm việc tốt, không mất phí."), "{ratings}");
    fits_the_screen(&browser).await;
    browser.screenshot("licence-ratings").await;
    browser.close().await;
}

/// Switches the page's language from the header, and waits for it.
async fn switch_language(browser: &Browser, tag: &str) {
    let c = &browser.client;
    c.find(Locator::Css(&format!("a[data-lang='{tag}']"))).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(&format!("html[lang='{tag}']"))).await.unwrap();
}

/// Polls `sql` (a count `AS n`) until it reaches `n`, and returns what it read last.
async fn count_reaches(app: &TestApp, sql: &str, n: i64) -> i64 {
    let mut seen = app.count(sql).await;
    for _ in 0..50 {
        if seen == n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        seen = app.count(sql).await;
    }
    seen
}

#[actix_web::test]
async fn browser_employer_edits_a_vacancy_and_amends_a_contract_in_chinese() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let created =
        app.post_json("/api/v1/vacancies", Some(&employer.session), &seasonlink_tests::vacancy(1800)).await;
    let vacancy_id = created.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let (placement_id, _) = app.accepted_placement(&agency, &vacancy_id, "001097000001").await;
    let c = &browser.client;

    // From the employer's list to the edit form, filled with what is stored, in Chinese.
    log_in_as(&browser, &app, &employer.session.email, "employer").await;
    switch_language(&browser, "zh-CN").await;
    c.goto(&app.url("/employer/vacancies")).await.unwrap();
    c.find(Locator::Css("a.edit-link")).await.unwrap().click().await.unwrap();
    let wage = c.wait().for_element(Locator::Css("#vacancy-form input[name='wage']")).await.unwrap();
    assert_eq!(wage.prop("value").await.unwrap().as_deref(), Some("18.00"));
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "修改岗位");
    // The live floor check follows the typing: below the floor, then at it.
    type_into(&browser, "#vacancy-form input[name='wage']", "16.00").await;
    c.wait().for_element(Locator::Css("#check-verdict[data-ok='false']")).await.unwrap();
    fits_the_screen(&browser).await;
    browser.screenshot("vacancy-edit-below-floor-zh").await;
    c.find(Locator::Css("#save-vacancy")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#refusal")).await.unwrap();
    let stored: serde_json::Value =
        app.get(&format!("/api/v1/vacancies/{vacancy_id}"), None).await.json().await.unwrap();
    assert_eq!(stored["wage_fen"], 1800, "nothing written");
    type_into(&browser, "#vacancy-form input[name='wage']", "19.50").await;
    type_into(&browser, "#vacancy-form input[name='title']", "Cane cutters, second crew").await;
    c.wait().for_element(Locator::Css("#check-verdict[data-ok='true']")).await.unwrap();
    c.find(Locator::Css("#save-vacancy")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("a.edit-link")).await.unwrap();
    let stored: serde_json::Value =
        app.get(&format!("/api/v1/vacancies/{vacancy_id}"), None).await.json().await.unwrap();
    assert_eq!(
        (stored["wage_fen"].as_i64(), stored["title"].as_str()),
        (Some(1950), Some("Cane cutters, second crew"))
    );

    // The contract the worker accepted is amended from its placement's page.
    c.goto(&app.url(&format!("/placements/{placement_id}"))).await.unwrap();
    c.find(Locator::Css("#amend-link")).await.unwrap().click().await.unwrap();
    let form_wage = c.wait().for_element(Locator::Css("#amendment-form input[name='wage']")).await.unwrap();
    assert_eq!(
        form_wage.prop("value").await.unwrap().as_deref(),
        Some("18.00"),
        "the terms agreed, not the vacancy's"
    );
    fits_the_screen(&browser).await;
    browser.screenshot("amendment-zh").await;
    type_into(&browser, "#amendment-form input[name='wage']", "15.00").await;
    c.find(Locator::Css("#amend")).await.unwrap().click().await.unwrap();
    let refusal = c.wait().for_element(Locator::Css("#refusal")).await.unwrap().text().await.unwrap();
    assert!(refusal.contains("17.00"), "{refusal}");
    let versions = "SELECT COUNT(*) AS n FROM contracts";
    assert_eq!(app.count(versions).await, 1, "nothing written");
    type_into(&browser, "#amendment-form input[name='wage']", "19.00").await;
    type_into(&browser, "#amendment-form textarea[name='reason']", "加班费提高").await;
    c.find(Locator::Css("#amend")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#placement-status[data-status='offered']")).await.unwrap();
    assert_eq!(app.count(versions).await, 2, "a second version, to accept again");
    browser.close().await;
}

#[actix_web::test]
async fn browser_employer_names_a_worker_home_on_time_for_next_season() {
    let Some(browser) = Browser::start().await else { return };
    let w = super::compliance::at_work().await;
    w.come_home().await;
    let mut next = seasonlink_tests::vacancy(1900);
    next["title"] = json!("Next season's cutters");
    next["season_start"] = json!(w.app.today() + chrono::Duration::days(200));
    next["season_end"] = json!(w.app.today() + chrono::Duration::days(300));
    next["status"] = json!("draft");
    let created = w.app.post_json("/api/v1/vacancies", Some(&w.employer.session), &next).await;
    assert!(created.status().is_success());
    let c = &browser.client;

    log_in_as(&browser, &w.app, &w.employer.session.email, "employer").await;
    c.goto(&w.app.url(&format!("/placements/{}", w.placement_id))).await.unwrap();
    let section = c.wait().for_element(Locator::Css("#name-worker h2")).await.unwrap();
    assert_eq!(section.text().await.unwrap(), "Ask for this worker next season");
    switch_language(&browser, "vi").await;
    let section = c.find(Locator::Css("#name-worker h2")).await.unwrap().text().await.unwrap();
    assert_eq!(section, "Mời người lao động này quay lại mùa sau");
    switch_language(&browser, "zh-CN").await;
    fits_the_screen(&browser).await;
    browser.screenshot("name-worker-zh").await;
    c.find(Locator::Css("#name-worker-button")).await.unwrap().click().await.unwrap();
    let done = c.wait().for_element(Locator::Css("#named-for")).await.unwrap().text().await.unwrap();
    assert!(done.contains("Next season's cutters"), "{done}");
    assert_eq!(w.app.count("SELECT COUNT(*) AS n FROM named_requests").await, 1);
    browser.close().await;
}

#[actix_web::test]
async fn browser_regulator_reads_alerts_checks_the_audit_log_and_suspends_from_a_case() {
    let Some(browser) = Browser::start().await else { return };
    let w = super::compliance::at_work().await;
    // A payslip below the floor opens a case against the employer, on China's side.
    let below = w.report(&w.employer.session, &w.slip(80, 80 * 1700 - 100, json!([]))).await;
    assert!(below.status().is_success());
    // The worker is not home past its permit: the sweeper raises an alert.
    w.app.state.clock.advance(chrono::Duration::days(200));
    let (pool, now) = (w.app.state.pool.clone(), w.app.state.clock.now());
    let raised =
        seasonlink::db::transaction(&pool, move |conn| seasonlink::services::placements::sweep(conn, now))
            .await
            .unwrap();
    assert_eq!(raised, 1);
    let c = &browser.client;

    log_in_as(&browser, &w.app, &w.regulator.email, "regulator").await;
    c.find(Locator::Css("#alerts-desk")).await.unwrap().click().await.unwrap();
    let alert = c.wait().for_element(Locator::Css(".alert[data-kind='overstay']")).await.unwrap();
    assert_eq!(alert.attr("data-placement").await.unwrap().as_deref(), Some(w.placement_id.as_str()));
    fits_the_screen(&browser).await;
    browser.screenshot("alerts").await;
    c.find(Locator::Css(".alert a.alert-placement")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#placement-status[data-status='overstayed']")).await.unwrap();

    // The audit log, and the check of its chain, one click from home.
    c.goto(&w.app.url("/home")).await.unwrap();
    c.find(Locator::Css("#audit-desk")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#audit-entries li[data-action='placement.offered']")).await.unwrap();
    c.find(Locator::Css("#audit-check-link")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#audit-check[data-ok='true']")).await.unwrap();
    fits_the_screen(&browser).await;
    browser.screenshot("audit-check").await;

    // The case names the employer with a link, and suspends it in one action.
    c.goto(&w.app.url("/home")).await.unwrap();
    c.find(Locator::Css("#cases-desk")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("a[href^='/regulator/cases/']")).await.unwrap().click().await.unwrap();
    let party = c.wait().for_element(Locator::Css("#party-link")).await.unwrap();
    assert_eq!(party.attr("href").await.unwrap(), Some(format!("/employers/{}", w.employer.employer_id)));
    type_into(&browser, "#suspend-form input[name='reason']", "wages below the floor").await;
    fits_the_screen(&browser).await;
    c.find(Locator::Css("#suspend-party")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#party-status[data-suspended='true']")).await.unwrap();
    browser.screenshot("case-employer-suspended").await;
    let suspended = "SELECT COUNT(*) AS n FROM employers WHERE status = 'suspended'";
    assert_eq!(count_reaches(&w.app, suspended, 1).await, 1);
    browser.close().await;
}

#[actix_web::test]
async fn browser_worker_shares_its_seasons_and_withdraws_the_share() {
    let Some(browser) = Browser::start().await else { return };
    let w = super::compliance::at_work().await;
    w.come_home().await;
    let c = &browser.client;

    // On its phone, in Vietnamese: the season recorded, apart from the two the agency declared.
    log_in_as(&browser, &w.app, &w.worker.email, "worker").await;
    c.find(Locator::Css("#work-history-link")).await.unwrap().click().await.unwrap();
    let card = c
        .wait()
        .for_element(Locator::Css("#work-history[data-verified='1'][data-declared='2']"))
        .await
        .unwrap();
    assert_eq!(html_lang(&browser).await, "vi");
    assert!(card.text().await.unwrap().contains("1 mùa vụ được ghi nhận · 2 mùa vụ tự khai"));
    c.find(Locator::Css(".season[data-on-time='true']")).await.unwrap();
    c.find(Locator::Css("#share-history")).await.unwrap().click().await.unwrap();
    let link =
        c.wait().for_element(Locator::Css("#share-link")).await.unwrap().attr("href").await.unwrap().unwrap();
    fits_the_screen(&browser).await;
    browser.screenshot("work-history-shared-vi").await;

    // Whoever holds the QR code reads the season, and only it, in its own language.
    c.goto(&w.app.url(&link)).await.unwrap();
    c.wait()
        .for_element(Locator::Css("#history-result[data-count='1'][data-good-standing='true']"))
        .await
        .unwrap();
    switch_language(&browser, "zh-CN").await;
    let holder = c.find(Locator::Css("#history-holder")).await.unwrap().text().await.unwrap();
    assert_eq!(holder, "N.T.H.");
    fits_the_screen(&browser).await;
    browser.screenshot("work-history-check-zh").await;

    // Withdrawn: the same link reads nothing.
    switch_language(&browser, "vi").await;
    c.goto(&w.app.url("/worker/work-history")).await.unwrap();
    c.find(Locator::Css("#withdraw-share")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#share-history")).await.unwrap();
    c.goto(&w.app.url(&link)).await.unwrap();
    c.wait().for_element(Locator::Css("#history-unknown")).await.unwrap();
    browser.close().await;
}

#[actix_web::test]
async fn browser_agency_edits_a_worker_and_a_regulator_adds_an_authority_and_a_colleague() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let created = app
        .post_json("/api/v1/workers", Some(&agency.session), &seasonlink_tests::worker("001096000001"))
        .await;
    let worker_id = created.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let c = &browser.client;

    // The agency corrects its worker's phone and skills from the worker's page, in Vietnamese.
    log_in_as(&browser, &app, &agency.session.email, "agency").await;
    switch_language(&browser, "vi").await;
    c.goto(&app.url(&format!("/workers/{worker_id}"))).await.unwrap();
    c.find(Locator::Css("#edit-worker")).await.unwrap().click().await.unwrap();
    let name = c.wait().for_element(Locator::Css("#worker-form input[name='full_name']")).await.unwrap();
    assert_eq!(name.prop("value").await.unwrap().as_deref(), Some("Nguyễn Thị Hoa"));
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Sửa hồ sơ người lao động");
    // Available until a day before it is available from: refused on the form, nothing written.
    let until = c.find(Locator::Css("#worker-form input[name='available_until']")).await.unwrap();
    let until = until.prop("value").await.unwrap().unwrap();
    set_value(&browser, "#worker-form input[name='available_until']", "2020-01-01").await;
    c.find(Locator::Css("#save-worker")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#refusal")).await.unwrap();
    fits_the_screen(&browser).await;
    browser.screenshot("worker-edit-refused-vi").await;
    let stored: serde_json::Value =
        app.get(&format!("/api/v1/workers/{worker_id}"), Some(&agency.session)).await.json().await.unwrap();
    assert_eq!(stored["available_until"], until.as_str());
    set_value(&browser, "#worker-form input[name='available_until']", &until).await;
    type_into(&browser, "#worker-form input[name='phone']", "+84 912 000 111").await;
    c.find(Locator::Css("#worker-form input[name='skill_first_aid']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#save-worker")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#worker-detail")).await.unwrap();
    let stored: serde_json::Value =
        app.get(&format!("/api/v1/workers/{worker_id}"), Some(&agency.session)).await.json().await.unwrap();
    assert_eq!(stored["phone"], "+84 912 000 111");
    assert!(stored["skills"].as_array().unwrap().contains(&json!("first_aid")), "{stored}");

    // China's national regulator adds Guangxi's authority and a colleague for it, in Chinese.
    let regulator = app.login_as(Role::Regulator).await;
    log_in_as(&browser, &app, &regulator.email, "regulator").await;
    switch_language(&browser, "zh-CN").await;
    c.find(Locator::Css("#authorities-desk")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#authority-form")).await.unwrap();
    let before = c.find_all(Locator::Css(".authority")).await.unwrap().len();
    type_into(&browser, "#authority-form input[name='name']", "崇左市人力资源和社会保障局").await;
    c.find(Locator::Css("#authority-form select[name='region_code']"))
        .await
        .unwrap()
        .select_by_value("451400")
        .await
        .unwrap();
    fits_the_screen(&browser).await;
    c.find(Locator::Css("#add-authority")).await.unwrap().click().await.unwrap();
    let selector = format!("#authorities[data-count='{}']", before + 1);
    c.wait().for_element(Locator::Css(&selector)).await.unwrap();
    let added = app.count("SELECT COUNT(*) AS n FROM authorities WHERE region_code = '451400'").await;
    assert_eq!(added, 1);
    type_into(&browser, "#regulator-form input[name='email']", "chongzuo@test.seasonlink.cn").await;
    type_into(&browser, "#regulator-form input[name='password']", "short").await;
    c.execute(
        "document.querySelector('#regulator-form input[name=password]').removeAttribute('minlength')",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css("#add-regulator")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#refusal")).await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM users WHERE email = 'chongzuo@test.seasonlink.cn'").await,
        0
    );
    type_into(&browser, "#regulator-form input[name='email']", "chongzuo@test.seasonlink.cn").await;
    type_into(&browser, "#regulator-form input[name='password']", "a long enough password").await;
    let options =
        c.find_all(Locator::Css("#regulator-form select[name='authority_id'] option")).await.unwrap();
    let mut guangxi = None;
    for option in options {
        if option.text().await.unwrap().starts_with("崇左") {
            guangxi = option.attr("value").await.unwrap();
        }
    }
    let guangxi = guangxi.expect("the new authority is offered");
    c.find(Locator::Css("#regulator-form select[name='authority_id']"))
        .await
        .unwrap()
        .select_by_value(&guangxi)
        .await
        .unwrap();
    c.find(Locator::Css("#add-regulator")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#regulator-added")).await.unwrap();
    browser.screenshot("authorities-zh").await;
    let sql = format!(
        "SELECT COUNT(*) AS n FROM users WHERE email = 'chongzuo@test.seasonlink.cn' AND org_id = '{guangxi}'"
    );
    assert_eq!(app.count(&sql).await, 1);
    browser.close().await;
}
