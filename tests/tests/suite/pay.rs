//! Pay that never comes or comes late (issue 18): a payslip's period is reported once, after it
//! ended; pay after the grace period is a finding; a period unreported past it is missing —
//! a finding on a case the worker is told of — until its payslip arrives.

use chrono::{Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::compliance::{AtWork, at_work};
use seasonlink::services::compliance;
use seasonlink_tests::problem;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

impl AtWork {
    /// A payslip at the contract's rate for `first..=last`, paid on `paid`.
    fn slip_for(&self, first: NaiveDate, last: NaiveDate, paid: NaiveDate) -> Value {
        let minutes = ((last - first).num_days() + 1) * 6 * 60;
        let gross = minutes * 1900 / 60;
        json!({"period_start": first, "period_end": last, "minutes_worked": minutes, "gross_fen": gross,
               "deductions": [], "net_fen": gross, "paid_on": paid})
    }

    async fn pay_periods(&self, session: &seasonlink_tests::Session) -> reqwest::Response {
        self.app.get(&format!("/api/v1/placements/{}/pay-periods", self.placement_id), Some(session)).await
    }

    async fn employer_pay(&self, query: &str) -> reqwest::Response {
        self.app.get(&format!("/api/v1/compliance/pay{query}"), Some(&self.regulator)).await
    }

    async fn watch(&self) -> usize {
        compliance::watch_pay(&self.app.state).await.unwrap()
    }
}

#[actix_web::test]
async fn a_period_is_reported_once_after_it_ended_and_racing_reports_leave_one() {
    let w = at_work().await;
    let first = w.slip(80, 80 * 1900, json!([]));
    let stored: Value = w.report(&w.employer.session, &first).await.json().await.unwrap();
    assert_eq!(stored["compliant"], true, "{stored}");

    // The same period again, or one sharing a single day with it: 409, naming the payslip.
    let again = problem(w.report(&w.employer.session, &first).await, 409, "payslip_overlap").await;
    assert_eq!(
        (again["payslip_id"].clone(), again["period_start"].clone()),
        (stored["id"].clone(), first["period_start"].clone())
    );
    let end = date(first["period_end"].as_str().unwrap());
    let today = w.app.today();
    let one_day = w.slip_for(end, end + Duration::days(1), today);
    problem(w.report(&w.employer.session, &one_day).await, 409, "payslip_overlap").await;

    // A period not over yet, and pay on a day to come: 422, naming the field.
    let running = w.slip_for(end + Duration::days(1), today + Duration::days(1), today);
    let body = problem(w.report(&w.employer.session, &running).await, 422, "validation_failed").await;
    assert_eq!(body["field"], "period_end");
    let paid_tomorrow = w.slip_for(end + Duration::days(1), today, today + Duration::days(1));
    let body = problem(w.report(&w.employer.session, &paid_tomorrow).await, 422, "validation_failed").await;
    assert_eq!(body["field"], "paid_on");

    // Two reports of one period at once: one is stored, the other refused.
    w.app.state.clock.advance(Duration::days(20));
    let next = w.slip_for(end + Duration::days(1), end + Duration::days(15), end + Duration::days(16));
    let (a, b) = tokio::join!(w.report(&w.employer.session, &next), w.report(&w.employer.session, &next));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    let seen: Vec<Value> = w.payslips(&w.employer.session).await.json().await.unwrap();
    assert_eq!(seen.len(), 2, "the refused reports wrote nothing");
}

#[actix_web::test]
async fn pay_after_the_grace_period_is_a_finding_by_its_days_even_when_the_amount_is_right() {
    let w = at_work().await;
    let (start, end, _) = w.fortnight();
    w.app.state.clock.advance(Duration::days(10));
    // Ten days after the period's end: three more than the grace period allows.
    let late = w.slip_for(start, end, end + Duration::days(10));
    let stored: Value = w.report(&w.employer.session, &late).await.json().await.unwrap();
    assert_eq!(stored["compliant"], false);
    assert_eq!(
        stored["findings"],
        json!([{"code": "paid_late", "required": 7, "actual": 10, "owed_fen": 0}])
    );
    let cases = w.cases("?kind=wage").await;
    assert_eq!((cases.len(), cases[0]["id"].clone()), (1, stored["case_id"].clone()));
    // On the worker's page, in Vietnamese.
    let worker = w.app.ui_login("lan@test.seasonlink.vn").await;
    let page = w.app.ui_get(&format!("/placements/{}", w.placement_id), &worker).await.text().await.unwrap();
    assert!(page.contains("Trả lương 10 ngày sau khi kỳ lương kết thúc"), "{page}");
}

#[actix_web::test]
async fn a_period_unreported_past_the_grace_period_is_missing_until_its_payslip_arrives() {
    let w = at_work().await;
    // The worker crossed on 29 November: its first periods are 29–30 November and 1–15
    // December (then 16–31 December).
    assert_eq!(w.season_start, date("2026-11-29"));
    w.app.state.clock.advance(Duration::days(8));
    assert_eq!(w.watch().await, 0, "seven days after the period's end pay is still due, not missing");
    let periods: Vec<Value> = w.pay_periods(&w.worker).await.json().await.unwrap();
    assert_eq!(periods[0]["state"], "due");
    assert_eq!(periods[0]["due_by"], "2026-12-07");

    w.app.state.clock.advance(Duration::days(1));
    assert_eq!(w.watch().await, 1);
    assert_eq!(w.watch().await, 0, "a period is raised once");
    let periods: Vec<Value> = w.pay_periods(&w.worker).await.json().await.unwrap();
    let states: Vec<(&str, &str)> =
        periods.iter().map(|p| (p["period_start"].as_str().unwrap(), p["state"].as_str().unwrap())).collect();
    assert_eq!(states, [("2026-11-29", "missing"), ("2026-12-01", "running")]);
    let cases = w.cases("?kind=wage").await;
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0]["subject_id"], w.employer.employer_id.as_str());
    assert_eq!(periods[0]["case_id"], cases[0]["id"]);
    let case = w.case(&cases[0]["id"]).await;
    assert_eq!(case["findings"], json!([{"code": "pay_missing", "required": 2, "actual": 0, "owed_fen": 0}]));

    // The worker is told in Vietnamese; the employer sees it on its placement.
    let notices: Vec<Value> = w.app.get("/api/v1/notices", Some(&w.regulator)).await.json().await.unwrap();
    let told = notices.iter().find(|n| {
        n["recipient"] == "lan@test.seasonlink.vn"
            && n["subject"].as_str().unwrap().contains("Chưa có báo cáo trả lương")
    });
    assert!(told.is_some(), "{notices:?}");
    let placement: Value = w
        .app
        .get(&format!("/api/v1/placements/{}", w.placement_id), Some(&w.employer.session))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(placement["pay_missing"], json!([{"start": "2026-11-29", "end": "2026-11-30"}]));
    let employer_ui = w.app.ui_login(&w.employer.session.email).await;
    let list = w.app.ui_get("/placements", &employer_ui).await.text().await.unwrap();
    assert!(list.contains("class=\"error pay-missing\""), "{list}");
    let worker_ui = w.app.ui_login("lan@test.seasonlink.vn").await;
    let page =
        w.app.ui_get(&format!("/placements/{}", w.placement_id), &worker_ui).await.text().await.unwrap();
    assert!(page.contains("class=\"error pay-missing\""), "{page}");
    assert!(page.contains("chưa được báo cáo"), "{page}");

    // A fortnight on, the next period is missing too: the same case grows.
    w.app.state.clock.advance(Duration::days(15));
    assert_eq!(w.app.today(), date("2026-12-23"));
    assert_eq!(w.watch().await, 1);
    assert_eq!(w.cases("?kind=wage").await.len(), 1);
    let case = w.case(&cases[0]["id"]).await;
    assert_eq!(case["findings"].as_array().unwrap().len(), 2);
    let rows: Vec<Value> = w.employer_pay("").await.json().await.unwrap();
    let row = rows.iter().find(|r| r["employer_id"] == w.employer.employer_id.as_str()).unwrap();
    assert_eq!(
        [
            &row["placements"],
            &row["periods_expected"],
            &row["payslips_reported"],
            &row["paid_late"],
            &row["periods_missing"]
        ],
        [&json!(1), &json!(2), &json!(0), &json!(0), &json!(2)]
    );

    // The pay arrives, in two payslips that do not follow the half-months: each period it
    // covers is settled, and when none is left the case is resolved.
    let first = w.slip_for(date("2026-11-29"), date("2026-12-13"), date("2026-12-20"));
    assert_eq!(w.report(&w.employer.session, &first).await.status(), StatusCode::CREATED);
    let case = w.case(&cases[0]["id"]).await;
    assert_eq!(case["status"], "open", "1–15 December is still unreported");
    let second = w.slip_for(date("2026-12-14"), date("2026-12-15"), date("2026-12-22"));
    assert_eq!(w.report(&w.employer.session, &second).await.status(), StatusCode::CREATED);
    let case = w.case(&cases[0]["id"]).await;
    assert_eq!(
        (case["status"].as_str(), case["outcome"].as_str()),
        (Some("resolved"), Some("The missing pay was reported."))
    );
    let periods: Vec<Value> = w.pay_periods(&w.employer.session).await.json().await.unwrap();
    let states: Vec<&str> = periods.iter().map(|p| p["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["reported", "reported", "running"]);
    assert_eq!(w.watch().await, 0);
    let rows: Vec<Value> = w.employer_pay("").await.json().await.unwrap();
    let row = rows.iter().find(|r| r["employer_id"] == w.employer.employer_id.as_str()).unwrap();
    assert_eq!((row["payslips_reported"].as_i64(), row["periods_missing"].as_i64()), (Some(2), Some(0)));
    let csv = w.employer_pay("?format=csv").await.text().await.unwrap();
    assert!(csv.starts_with("employer_id,employer_name,placements,periods_expected,payslips_reported,paid_late,periods_missing\n"), "{csv}");
    assert!(
        csv.contains(&format!("{},", w.employer.employer_id)) && csv.trim_end().ends_with(",1,2,2,0,0"),
        "{csv}"
    );
}

#[actix_web::test]
async fn pay_periods_are_the_parties_and_regulators_and_the_employer_view_is_regulators_only() {
    let w = at_work().await;
    for session in [&w.worker, &w.agency.session, &w.employer.session, &w.regulator] {
        assert_eq!(w.pay_periods(session).await.status(), StatusCode::OK);
    }
    let other = w.app.employer(true).await;
    problem(w.pay_periods(&other.session).await, 404, "not_found").await;
    let as_employer = w.app.get("/api/v1/compliance/pay", Some(&w.employer.session)).await;
    problem(as_employer, 403, "forbidden").await;
    problem(w.app.get("/api/v1/compliance/pay", None).await, 401, "not_authenticated").await;
    let body = problem(w.employer_pay("?format=xml").await, 422, "validation_failed").await;
    assert_eq!(body["field"], "format");
    for limit in ["0", "1000000000000", "many"] {
        problem(w.employer_pay(&format!("?limit={limit}")).await, 422, "invalid_limit").await;
    }
    // The regulator's page, with its chart, in its language.
    let regulator = w.app.ui_login(&w.regulator.email).await;
    let page = w.app.ui_get("/regulator/compliance/pay", &regulator).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("id=\"pay-missing-chart\""));
    let employer_ui = w.app.ui_login(&w.employer.session.email).await;
    assert_eq!(w.app.ui_get("/regulator/compliance/pay", &employer_ui).await.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn the_hours_guarantee_is_pro_rated_at_an_early_end_and_checked_when_an_overstay_closes_the_season() {
    // Ended early by the employer on the season's 31st day, 80 hours paid: three quarters of
    // the 520 guaranteed hours (23,400 minutes) over 31 of the 91 days is 7,971 minutes.
    let w = at_work().await;
    w.report(&w.employer.session, &w.slip(80, 80 * 1900, json!([]))).await;
    w.app.state.clock.advance(Duration::days(15));
    assert_eq!(w.app.today(), w.season_start + Duration::days(30));
    let end = format!("/api/v1/placements/{}/termination", w.placement_id);
    let ended = w.app.post_json(&end, Some(&w.employer.session), &json!({"reason": "the mill closed"})).await;
    assert_eq!(ended.status(), StatusCode::OK);
    let cases = w.cases("?kind=hours").await;
    assert_eq!(cases.len(), 1);
    let case = w.case(&cases[0]["id"]).await;
    let finding = &case["findings"][0];
    assert_eq!((finding["required"].as_i64(), finding["actual"].as_i64()), (Some(7971), Some(80 * 60)));
    // 3,171 minutes at 19.00 an hour, rounded up to the fen.
    assert_eq!(case["amount_owed_fen"], 100_415);

    // A worker never completed nor ended early, whose permit ran out: the sweeper closes its
    // season, and nothing was paid, so the whole three quarters are owed.
    let w = at_work().await;
    let valid_until = w.season_start + Duration::days(90 + w.app.state.settings.placements.permit_grace_days);
    w.app.state.clock.advance(valid_until - w.app.today() + Duration::days(1));
    let (pool, now) = (w.app.state.pool.clone(), w.app.state.clock.now());
    let swept =
        seasonlink::db::transaction(&pool, move |conn| seasonlink::services::placements::sweep(conn, now));
    assert_eq!(swept.await.unwrap(), 1);
    let cases = w.cases("?kind=hours").await;
    assert_eq!((cases.len(), cases[0]["amount_owed_fen"].as_i64()), (1, Some(390 * 1900)));
}
