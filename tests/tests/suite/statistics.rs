//! The statistics against a hand-counted fixture: a small season whose every figure is
//! counted by hand below, on each backend, through `GET /api/v1/statistics`. The records are
//! written as the workflow leaves them, at chosen instants, so that the edges of China's days
//! are tried (a departure at 23:30 UTC on 14 November counts on the 15th).

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{PASSWORD, Session, TestApp, problem, vacancy, worker};

/// What the fixture made (the statistics pages' tests and the browser's reuse it).
pub(crate) struct Season {
    pub(crate) app: TestApp,
    /// China's national authority's regulator.
    pub(crate) cn: Session,
    pub(crate) agency_id: String,
}

/// A regulator of a new authority of `country` for `region`.
pub(crate) async fn provincial(app: &TestApp, cn: &Session, country: &str, region: &str) -> Session {
    let body = json!({"name": format!("{region} authority"), "country": country, "region_code": region});
    let response = app.post_json("/api/v1/authorities", Some(cn), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let authority = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let email = app.create_user(Role::Regulator, Some(&authority)).await;
    let login: Value = app.login(&email, PASSWORD).await.json().await.unwrap();
    Session {
        token: login["token"].as_str().unwrap().to_owned(),
        user_id: login["user"]["id"].as_str().unwrap().to_owned(),
        email,
    }
}

/// Two vacancies opened on 29 November (China's day of the test clock): one of 40 seats in
/// Ningming county (Chongzuo), one of 10 in Fangchenggang, a prefecture-level worksite. Seven
/// workers: W1–W3 and W6–W7 from Lạng Sơn (VN-09), W4–W5 from Cao Bằng (VN-04). Then, by hand:
///
/// - P1–P5 (W1–W5, Ningming): offered 10 Nov, accepted 11 Nov (wages 20.00–24.00 an hour over
///   a floor of 18.00; P1 accepts an amendment at 25.00 on 20 Nov, which counts again nowhere),
///   permits 15 Nov – 10 Dec, departed 23:30 UTC on 14 Nov (= 15 Nov in China).
///   Returns: P1 at 15:00 UTC on 10 Dec (23:00 in China: on time), P2 at 16:30 UTC on 10 Dec
///   (11 Dec in China: late), P3 on 5 Dec (on time); P4 overstays (alert 11 Dec) and is still
///   away; P5 overstays (alert 11 Dec) and returns late on 15 Dec.
/// - P6 (W6, Fangchenggang): offered 17:00 UTC on 30 Nov (= 1 Dec), accepted 2 Dec at 19.00.
/// - P7 (W7, Fangchenggang): offered 15:59 UTC on 30 Nov (= 30 Nov), declined the same minute.
/// - Payslips paid 30 Nov: P1–P3, 1,000.00 gross / 900.00 net each, P3's below the floor; one
///   more for P1 paid 5 Dec, 500.00 / 450.00.
/// - Fee reports: W1 500.00 on 20 Nov (case C1 resolved upheld on 25 Nov), W2 300.00 on 21 Nov
///   (C2 resolved not upheld on 1 Dec).
/// - Complaints on 22 Nov about the employer: two on wages, one on housing (cases C3–C5, in
///   Ningming; C3 resolved on 29 Nov).
/// - The agency is suspended at 10:00 UTC on 30 Nov.
pub(crate) async fn season() -> Season {
    let app = TestApp::spawn().await;
    let cn = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&cn).await;
    let employer = app.employer(true).await;
    let mut fangchenggang = vacancy(2000);
    fangchenggang["region_code"] = json!("450600");
    fangchenggang["crossing_code"] = json!("dongxing");
    fangchenggang["headcount"] = json!(10);
    let mut vacancies = Vec::new();
    for body in [vacancy(2000), fangchenggang] {
        let response = app.post_json("/api/v1/vacancies", Some(&employer.session), &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
        vacancies.push(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    let agency = app.agency().await;
    let mut workers = Vec::new();
    for n in 1..=7 {
        let mut body = worker(&format!("B{n:07}"));
        if n == 4 || n == 5 {
            body["home_province_code"] = json!("VN-04");
        }
        let response = app.post_json("/api/v1/workers", Some(&agency.session), &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
        workers.push(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    let (by, agency_id, employer_id) = (&cn.user_id, &agency.agency_id, &employer.employer_id);
    let mut sql = Vec::new();
    for n in 1..=7 {
        let (vacancy, offered, status) = match n {
            1..=5 => (&vacancies[0], "2026-11-10 02:00:00", "departed"),
            6 => (&vacancies[1], "2026-11-30 17:00:00", "accepted"),
            _ => (&vacancies[1], "2026-11-30 15:59:00", "declined"),
        };
        let worker = &workers[n - 1];
        sql.push(format!(
            "INSERT INTO placements (id, vacancy_id, worker_id, agency_id, employer_id, status, contract_version, \
             created_at, updated_at) VALUES ('p{n}', '{vacancy}', '{worker}', '{agency_id}', '{employer_id}', \
             '{status}', 1, '{offered}', '{offered}')"
        ));
    }
    let contract = |p: &str, version: i32, wage: i64, at: &str| {
        let terms = format!(r#"{{"hourly_equivalent_fen": {wage}, "floor": {{"hourly_fen": 1800}}}}"#);
        [
            format!(
                "INSERT INTO contracts (placement_id, version, terms, sha256, created_at) \
                 VALUES ('{p}', {version}, '{terms}', 'h{p}{version}', '{at}')"
            ),
            format!(
                "INSERT INTO contract_acceptances (id, placement_id, version, sha256, language, by_user_id, accepted_at) \
                 VALUES ('a{p}{version}', '{p}', {version}, 'h{p}{version}', 'vi', '{by}', '{at}')"
            ),
        ]
    };
    for (n, wage) in [(1, 2000), (2, 2100), (3, 2200), (4, 2300), (5, 2400)] {
        sql.extend(contract(&format!("p{n}"), 1, wage, "2026-11-11 03:00:00"));
    }
    sql.extend(contract("p1", 2, 2500, "2026-11-20 03:00:00"));
    sql.extend(contract("p6", 1, 1900, "2026-12-02 03:00:00"));
    let event = |id: &str, p: &str, to: &str, at: &str| {
        format!(
            "INSERT INTO placement_events (id, placement_id, from_status, to_status, by_user_id, at) \
             VALUES ('{id}', '{p}', NULL, '{to}', '{by}', '{at}')"
        )
    };
    for n in 1..=5 {
        sql.push(event(&format!("e{n}"), &format!("p{n}"), "accepted", "2026-11-11 03:00:00"));
    }
    sql.push(event("e6", "p6", "accepted", "2026-12-02 03:00:00"));
    sql.push(event("e7", "p7", "declined", "2026-11-30 15:59:30"));
    for (n, from, until) in [
        (1, "2026-11-15", "2026-12-10"),
        (2, "2026-11-15", "2026-12-10"),
        (3, "2026-11-15", "2026-12-10"),
        (4, "2026-11-15", "2026-12-10"),
        (5, "2026-11-15", "2026-12-10"),
        (6, "2026-12-03", "2026-12-20"),
    ] {
        sql.push(format!(
            "INSERT INTO permits (number, placement_id, check_code, valid_from, valid_until, status, issued_by, issued_at) \
             VALUES ('WP-{n}', 'p{n}', 'C{n}', '{from}', '{until}', 'valid', '{by}', '2026-11-12 03:00:00')"
        ));
    }
    let crossing = |p: &str, kind: &str, at: &str| {
        format!(
            "INSERT INTO border_events (id, placement_id, kind, crossing_code, at, recorded_by, recorded_at) \
             VALUES ('{kind}-{p}', '{p}', '{kind}', 'aidian', '{at}', '{by}', '2026-12-20 00:00:00')"
        )
    };
    for n in 1..=5 {
        sql.push(crossing(&format!("p{n}"), "departure", "2026-11-14 23:30:00"));
    }
    sql.push(crossing("p1", "return", "2026-12-10 15:00:00"));
    sql.push(crossing("p2", "return", "2026-12-10 16:30:00"));
    sql.push(crossing("p3", "return", "2026-12-05 03:00:00"));
    sql.push(crossing("p5", "return", "2026-12-15 03:00:00"));
    // The returns as the service keeps them: China's day of the crossing, and on time when
    // on or before the permit's last day (p2 crossed at 00:30 on the 11th in China; p5 had
    // overstayed).
    for (n, day, on_time) in [
        (1, "2026-12-10", "TRUE"),
        (2, "2026-12-11", "FALSE"),
        (3, "2026-12-05", "TRUE"),
        (5, "2026-12-15", "FALSE"),
    ] {
        sql.push(format!(
            "INSERT INTO worker_returns (id, worker_id, placement_id, employer_id, season_start, season_end, \
             returned_on, returned_on_time, recorded_at) VALUES ('r{n}', '{}', 'p{n}', '{employer_id}', \
             '2026-11-15', '2026-12-10', '{day}', {on_time}, '2026-12-20 00:00:00')",
            workers[n - 1]
        ));
    }
    for p in ["p4", "p5"] {
        sql.push(format!(
            "INSERT INTO alerts (id, kind, placement_id, raised_at) VALUES ('o-{p}', 'overstay', '{p}', '2026-12-11 02:00:00')"
        ));
    }
    let payslip = |id: &str, p: &str, paid: &str, gross: i64, compliant: &str| {
        format!(
            "INSERT INTO payslips (id, placement_id, employer_id, period_start, period_end, minutes_worked, gross_fen, \
             deductions_fen, net_fen, paid_on, floor_hourly_fen, compliant, created_by, created_at) VALUES \
             ('{id}', '{p}', '{employer_id}', '2026-11-15', '2026-11-29', 3000, {gross}, {}, {}, '{paid}', 1800, \
             {compliant}, '{by}', '2026-12-20 00:00:00')",
            gross / 10,
            gross - gross / 10
        )
    };
    sql.push(payslip("s1", "p1", "2026-11-30", 100_000, "TRUE"));
    sql.push(payslip("s2", "p2", "2026-11-30", 100_000, "TRUE"));
    sql.push(payslip("s3", "p3", "2026-11-30", 100_000, "FALSE"));
    sql.push(payslip("s4", "p1", "2026-12-05", 50_000, "TRUE"));
    let case = |id: &str, kind: &str, subject: (&str, &str), opened: &str, resolved: Option<(&str, &str)>| {
        let (status, resolved_at, upheld) = match resolved {
            Some((at, upheld)) => ("resolved", format!("'{at}'"), upheld),
            None => ("open", "NULL".to_owned(), "NULL"),
        };
        let region = if kind == "complaint" { "'451422'" } else { "NULL" };
        // Routed as the service routes: an agency's case to its side (Viet Nam's), else China's.
        let side = if subject.0 == "agency" { "VN" } else { "CN" };
        format!(
            "INSERT INTO cases (id, kind, subject_kind, subject_id, region_code, status, amount_owed_fen, opened_at, \
             resolved_at, upheld, routed_to) VALUES ('{id}', '{kind}', '{}', '{}', {region}, '{status}', 0, \
             '{opened}', {resolved_at}, {upheld}, '{side}')",
            subject.0, subject.1
        )
    };
    sql.push(case(
        "c1",
        "fee",
        ("agency", agency_id),
        "2026-11-20 03:00:00",
        Some(("2026-11-25 03:00:00", "TRUE")),
    ));
    sql.push(case(
        "c2",
        "fee",
        ("agency", agency_id),
        "2026-11-21 03:00:00",
        Some(("2026-12-01 03:00:00", "FALSE")),
    ));
    sql.push(case(
        "c3",
        "complaint",
        ("employer", employer_id),
        "2026-11-22 03:00:00",
        Some(("2026-11-29 03:00:00", "TRUE")),
    ));
    sql.push(case("c4", "complaint", ("employer", employer_id), "2026-11-22 03:00:00", None));
    sql.push(case("c5", "complaint", ("employer", employer_id), "2026-11-22 03:00:00", None));
    for (id, w, amount, at, case) in
        [("f1", 0, 50_000, "2026-11-20 03:00:00", "c1"), ("f2", 1, 30_000, "2026-11-21 03:00:00", "c2")]
    {
        sql.push(format!(
            "INSERT INTO fee_reports (id, worker_id, agency_id, amount_fen, paid_on, paid_to, description, case_id, created_at) \
             VALUES ('{id}', '{}', '{agency_id}', {amount}, '2026-11-01', 'a broker', 'a fee', '{case}', '{at}')",
            workers[w]
        ));
    }
    for (id, category, case) in [("k1", "wages", "c3"), ("k2", "wages", "c4"), ("k3", "housing", "c5")] {
        sql.push(format!(
            "INSERT INTO complaints (id, reference, category, employer_id, text, language, case_id, created_at) \
             VALUES ('{id}', 'R-{id}', '{category}', '{employer_id}', 'text', 'vi', '{case}', '2026-11-22 03:00:00')"
        ));
    }
    sql.push(format!(
        "INSERT INTO licence_events (id, agency_id, event, reason, by_user_id, at) \
         VALUES ('l-suspend', '{agency_id}', 'suspended', 'test', '{by}', '2026-11-30 10:00:00')"
    ));
    for statement in sql {
        app.execute(&statement).await;
    }
    // The acceptances and payslips went in without their services: keep each placement's
    // first acceptance on it, and tally the payslips and keep the placements' facts, as a
    // bulk load does.
    app.execute(
        "UPDATE placements SET \
         first_accepted_at = (SELECT ca.accepted_at FROM contract_acceptances ca \
                               WHERE ca.placement_id = placements.id ORDER BY ca.accepted_at, ca.id LIMIT 1), \
         first_accepted_version = (SELECT ca.version FROM contract_acceptances ca \
                                    WHERE ca.placement_id = placements.id ORDER BY ca.accepted_at, ca.id LIMIT 1)",
    )
    .await;
    for (p, wage) in [("p1", 2000), ("p2", 2100), ("p3", 2200), ("p4", 2300), ("p5", 2400), ("p6", 1900)] {
        app.execute(&format!(
            "UPDATE placements SET agreed_hourly_fen = {wage}, agreed_floor_hourly_fen = 1800 WHERE id = '{p}'"
        ))
        .await;
    }
    let mut conn = app.db.connect();
    seasonlink::db::statistics::retally(&mut conn).unwrap();
    Season { app, cn, agency_id: agency.agency_id }
}

async fn ask(app: &TestApp, session: Option<&Session>, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/statistics?{query}"), session).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}: {:?}", response.text().await);
    response.json().await.unwrap()
}

/// `(period and keys, value)` of one indicator's rows.
fn rows(report: &Value, code: &str) -> Vec<(String, Value)> {
    let figures = report["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code);
    let figures = figures.unwrap_or_else(|| panic!("{code} is not in {report}"));
    figures["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let mut label = row["period"].as_str().unwrap().to_owned();
            for (key, value) in row.as_object().unwrap() {
                let skip = ["period", "value", "suppressed", "numerator", "denominator", "amount_fen"];
                if !skip.contains(&key.as_str()) {
                    label.push_str(&format!(" {key}={}", value.as_str().unwrap_or("-")));
                }
            }
            (label, if row["suppressed"] == true { json!("<5") } else { row["value"].clone() })
        })
        .collect()
}

fn total(report: &Value, code: &str) -> Value {
    let all = rows(report, code);
    assert_eq!(all.len(), 1, "{code}: {all:?}");
    all[0].1.clone()
}

const NOVEMBER: &str = "from=2026-11-01&to=2026-11-30";
const DECEMBER: &str = "from=2026-12-01&to=2026-12-31";

#[actix_web::test]
async fn every_indicator_matches_the_hand_count() {
    let Season { app, cn, agency_id } = season().await;
    let nov = ask(&app, Some(&cn), NOVEMBER).await;
    let dec = ask(&app, Some(&cn), DECEMBER).await;
    assert_eq!(nov["definitions_version"], "2026-12-4");
    assert_eq!(nov["suppressed"], false, "an authority's own view");
    let expected: &[(&str, Value, Value)] = &[
        ("vacancies_posted", json!(2), json!(0)),
        ("positions_posted", json!(50), json!(0)),
        ("local_hires", json!(0), json!(0)),
        ("vacancies_open_to_agencies", json!(2), json!(0)),
        ("positions_filled", json!(5), json!(1)),
        ("offers", json!(6), json!(1)),
        ("acceptances", json!(5), json!(1)),
        ("declines", json!(1), json!(0)),
        ("departures", json!(5), json!(0)),
        ("returns_on_time", json!(0), json!(2)),
        ("returns_late", json!(0), json!(2)),
        ("overstays_open", json!(0), json!(1)),
        ("on_time_return_rate", Value::Null, json!(400)),
        ("agreed_wage_median", json!(2200), json!(1900)),
        ("agreed_wage_lowest", json!(2000), json!(1900)),
        ("agreed_wage_over_floor_median", json!(400), json!(100)),
        ("wages_paid_gross", json!(300_000), json!(50_000)),
        ("wages_paid_net", json!(270_000), json!(45_000)),
        ("payslips", json!(3), json!(1)),
        ("payslip_compliance_rate", json!(666), json!(1000)),
        ("fees_reported", json!(2), json!(0)),
        ("fees_upheld", json!(1), json!(0)),
        ("complaints", json!(3), json!(0)),
        ("cases_opened", json!(5), json!(0)),
        ("cases_resolved", json!(2), json!(1)),
        ("days_to_resolve_median", json!(5), json!(10)),
    ];
    for (code, november, december) in expected {
        assert_eq!(&total(&nov, code), november, "{code} in November");
        assert_eq!(&total(&dec, code), december, "{code} in December");
    }
    let on_time =
        &nov["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "on_time_return_rate").unwrap();
    assert!(on_time["rows"][0].get("numerator").is_some(), "a rate gives its parts");
    let dec_rate =
        dec["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "on_time_return_rate").unwrap();
    assert_eq!(
        (dec_rate["rows"][0]["numerator"].clone(), dec_rate["rows"][0]["denominator"].clone()),
        (json!(2), json!(5))
    );
    let fees = nov["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "fees_upheld").unwrap();
    assert_eq!(fees["rows"][0]["amount_fen"], 50_000);

    // Stocks: taken at the end of the period.
    assert_eq!(
        rows(&nov, "agencies_by_licence_status"),
        [("2026-11-01/2026-11-30 status=suspended".to_owned(), json!(1))],
        "suspended on 30 November"
    );
    let october =
        ask(&app, Some(&cn), "from=2026-10-01&to=2026-10-31&indicators=agencies_by_licence_status").await;
    assert_eq!(rows(&october, "agencies_by_licence_status"), [], "not yet licensed at the end of October");
    let mid_december = ask(&app, Some(&cn), "from=2026-12-01&to=2026-12-12&indicators=overstays_open").await;
    assert_eq!(total(&mid_december, "overstays_open"), 2, "P5 had not yet returned on 12 December");

    // China's days: the departure at 23:30 UTC on 14 November counts on the 15th.
    let first_half = ask(&app, Some(&cn), "from=2026-11-01&to=2026-11-14&indicators=departures").await;
    assert_eq!(total(&first_half, "departures"), 0);
    let by_day = ask(&app, Some(&cn), "from=2026-11-15&to=2026-11-15&indicators=departures,offers").await;
    assert_eq!((total(&by_day, "departures"), total(&by_day, "offers")), (json!(5), json!(0)));

    // Breakdowns: by month, by region (a county counts in its prefecture), by home province.
    let by_month =
        ask(&app, Some(&cn), "from=2026-10-01&to=2026-12-31&by=month&indicators=offers,agreed_wage_median")
            .await;
    assert_eq!(
        rows(&by_month, "offers"),
        [
            ("2026-10".to_owned(), json!(0)),
            ("2026-11".to_owned(), json!(6)),
            ("2026-12".to_owned(), json!(1))
        ]
    );
    assert_eq!(
        rows(&by_month, "agreed_wage_median")[0],
        ("2026-10".to_owned(), Value::Null),
        "no median of nothing"
    );
    let by_region = ask(&app, Some(&cn), &format!("{NOVEMBER}&by=region,county&indicators=offers")).await;
    assert_eq!(
        rows(&by_region, "offers"),
        [
            ("2026-11-01/2026-11-30 county=- region=450600".to_owned(), json!(1)),
            ("2026-11-01/2026-11-30 county=451422 region=451400".to_owned(), json!(5)),
        ]
    );
    let by_home =
        ask(&app, Some(&cn), &format!("{NOVEMBER}&by=home_province,agency&indicators=departures")).await;
    assert_eq!(
        rows(&by_home, "departures"),
        [
            (format!("2026-11-01/2026-11-30 agency={agency_id} home_province=VN-04"), json!(2)),
            (format!("2026-11-01/2026-11-30 agency={agency_id} home_province=VN-09"), json!(3)),
        ]
    );
    let complaints = ask(&app, Some(&cn), &format!("{NOVEMBER}&by=category&indicators=complaints")).await;
    assert_eq!(
        rows(&complaints, "complaints"),
        [
            ("2026-11-01/2026-11-30 category=housing".to_owned(), json!(1)),
            ("2026-11-01/2026-11-30 category=wages".to_owned(), json!(2))
        ]
    );
    let narrowed =
        ask(&app, Some(&cn), &format!("{NOVEMBER}&region=451400&indicators=offers,departures")).await;
    assert_eq!((total(&narrowed, "offers"), total(&narrowed, "departures")), (json!(5), json!(5)));
    assert_eq!(narrowed["region"], "451400");
}

#[actix_web::test]
async fn the_public_reads_small_cells_suppressed_with_their_complements() {
    let Season { app, cn, .. } = season().await;
    let query = format!("{NOVEMBER}&by=region&indicators=offers");
    let public = ask(&app, None, &query).await;
    assert_eq!(public["suppressed"], true);
    // Fangchenggang has one offer; Chongzuo's five would give it away from the total.
    assert_eq!(
        rows(&public, "offers").iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
        [json!("<5"), json!("<5")]
    );
    let authority = ask(&app, Some(&cn), &query).await;
    assert_eq!(
        rows(&authority, "offers").iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
        [json!(1), json!(5)]
    );
    let total_public = ask(&app, None, &format!("{NOVEMBER}&indicators=offers,declines")).await;
    assert_eq!(total(&total_public, "offers"), 6, "six people: shown");
    assert_eq!(total(&total_public, "declines"), "<5");
    let employer = app.login_as(Role::Employer).await;
    assert_eq!(
        ask(&app, Some(&employer), &query).await["suppressed"],
        true,
        "only authorities read unsuppressed"
    );

    let csv = app.get(&format!("/api/v1/statistics?{query}&format=csv"), None).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("indicator,unit,period,region,status,value,numerator,denominator,amount_fen,suppressed")
    );
    assert_eq!(lines.next(), Some("offers,offers,2026-11-01/2026-11-30,450600,,<5,,,,true"));
}

/// The wages paid over a period, as the public reads them.
async fn wages(app: &TestApp, period: &str) -> Value {
    total(&ask(app, None, &format!("{period}&indicators=wages_paid_gross")).await, "wages_paid_gross")
}

/// November but its first day: read from the days' tallies, not the month's.
const MOST_OF_NOVEMBER: &str = "from=2026-11-02&to=2026-11-30";

#[actix_web::test]
async fn the_people_paid_are_counted_across_days_exactly_for_the_public() {
    let Season { app, cn, .. } = season().await;
    // November: workers 1, 2 and 3 paid on the 30th.
    assert_eq!(wages(&app, NOVEMBER).await, "<5");
    // Workers 1 and 4 paid on the 20th as well: five payslips' worth of names, four people.
    let payslip = |id: &str, p: &str| {
        format!(
            "INSERT INTO payslips (id, placement_id, employer_id, period_start, period_end, minutes_worked, gross_fen, \
             deductions_fen, net_fen, paid_on, floor_hourly_fen, compliant, created_by, created_at) VALUES \
             ('{id}', '{p}', (SELECT employer_id FROM placements WHERE id = '{p}'), '2026-11-01', '2026-11-14', 3000, 10000, 0, 10000, '2026-11-20', 1800, \
             TRUE, '{}', '2026-12-20 00:00:00')",
            cn.user_id
        )
    };
    let retally = |app: &TestApp| seasonlink::db::statistics::retally(&mut app.db.connect()).unwrap();
    app.execute(&payslip("n1", "p1")).await;
    app.execute(&payslip("n4", "p4")).await;
    retally(&app);
    for period in [NOVEMBER, MOST_OF_NOVEMBER] {
        assert_eq!(wages(&app, period).await, "<5", "four people, whatever the days ({period})");
    }
    // Worker 5 makes five.
    app.execute(&payslip("n5", "p5")).await;
    retally(&app);
    for period in [NOVEMBER, MOST_OF_NOVEMBER] {
        assert_eq!(wages(&app, period).await, 330_000, "{period}");
    }

    // A tally of five or more workers names none: its cell counts five.
    app.execute("DELETE FROM payslip_tallies WHERE span = 'day' AND paid_on = '2026-11-20'").await;
    assert_eq!(wages(&app, MOST_OF_NOVEMBER).await, "<5");
    app.execute("UPDATE payslip_tallies SET workers = 5, w1 = NULL, w2 = NULL, w3 = NULL, w4 = NULL WHERE span = 'day'")
        .await;
    assert_eq!(wages(&app, MOST_OF_NOVEMBER).await, 300_000);
    // A whole month reads its month's tally, which the days' tallies do not change.
    assert_eq!(wages(&app, NOVEMBER).await, 330_000);
}

#[actix_web::test]
async fn the_compliance_view_of_a_provincial_authority_counts_its_province_only() {
    let Season { app, cn, .. } = season().await;
    let view = |session: Session| {
        let app = &app;
        async move {
            let response = app.get("/api/v1/compliance", Some(&session)).await;
            assert_eq!(response.status(), StatusCode::OK);
            let view: Value = response.json().await.unwrap();
            let open: i64 = view["open_cases_by_region"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["count"].as_i64().unwrap())
                .sum();
            (view["payslips"].as_i64().unwrap(), view["compliant_payslips"].as_i64().unwrap(), open)
        }
    };
    // Four payslips (three compliant), all in Ningming for workers of Lạng Sơn; two open
    // complaints' cases in Ningming and none elsewhere.
    assert_eq!(view(cn.clone()).await, (4, 3, 2), "national");
    assert_eq!(view(provincial(&app, &cn, "CN", "451400").await).await, (4, 3, 2), "Chongzuo");
    assert_eq!(view(provincial(&app, &cn, "CN", "450600").await).await, (0, 0, 0), "Fangchenggang");
    assert_eq!(view(provincial(&app, &cn, "VN", "VN-09").await).await.0, 4, "Lạng Sơn");
    assert_eq!(view(provincial(&app, &cn, "VN", "VN-04").await).await.0, 0, "Cao Bằng");
}

#[actix_web::test]
async fn a_provincial_authority_reads_its_own_province_only() {
    let Season { app, cn, .. } = season().await;
    let chongzuo = provincial(&app, &cn, "CN", "451400").await;
    let own = ask(&app, Some(&chongzuo), &format!("{NOVEMBER}&indicators=offers")).await;
    assert_eq!(
        (own["region"].clone(), total(&own, "offers")),
        (json!("451400"), json!(5)),
        "not Fangchenggang's"
    );
    let county = ask(&app, Some(&chongzuo), &format!("{NOVEMBER}&indicators=offers&region=451422")).await;
    assert_eq!(total(&county, "offers"), 5, "a county within its prefecture");
    let other = app.get(&format!("/api/v1/statistics?{NOVEMBER}&region=450600"), Some(&chongzuo)).await;
    problem(other, 403, "forbidden").await;
    let unscoped =
        app.get(&format!("/api/v1/statistics?{NOVEMBER}&indicators=complaints"), Some(&chongzuo)).await;
    problem(unscoped, 422, "validation_failed").await;
    let defaults = ask(&app, Some(&chongzuo), NOVEMBER).await;
    let codes: Vec<&str> =
        defaults["indicators"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"departures") && !codes.contains(&"complaints"), "{codes:?}");

    let cao_bang = provincial(&app, &cn, "VN", "VN-04").await;
    let own = ask(&app, Some(&cao_bang), &format!("{NOVEMBER}&indicators=departures,fees_reported")).await;
    assert_eq!((total(&own, "departures"), total(&own, "fees_reported")), (json!(2), json!(0)));
    let other = app.get(&format!("/api/v1/statistics?{NOVEMBER}&home_province=VN-09"), Some(&cao_bang)).await;
    problem(other, 403, "forbidden").await;
}

#[actix_web::test]
async fn bad_questions_are_refused_and_empty_periods_are_zeros() {
    let app = TestApp::spawn().await;
    let empty = ask(&app, None, "from=2020-01-01&to=2020-12-31").await;
    assert_eq!(total(&empty, "departures"), 0);
    assert_eq!(total(&empty, "wages_paid_gross"), 0);
    assert_eq!(total(&empty, "agreed_wage_median"), Value::Null);
    assert_eq!(total(&empty, "on_time_return_rate"), Value::Null, "a rate of nothing is absent, not 0");

    let unsupported = app.get("/api/v1/statistics?indicators=complaints&by=region", None).await;
    let body = problem(unsupported, 422, "validation_failed").await;
    assert_eq!(body["allowed"], json!(["month", "category", "agency"]), "{body}");
    let unknown =
        problem(app.get("/api/v1/statistics?by=weather", None).await, 422, "validation_failed").await;
    assert!(unknown["allowed"].as_array().unwrap().contains(&json!("home_province")));
    problem(app.get("/api/v1/statistics?indicators=happiness", None).await, 422, "validation_failed").await;
    let decade =
        app.get("/api/v1/statistics?from=2016-12-01&to=2026-11-30&by=month&indicators=offers", None).await;
    assert_eq!(decade.status(), StatusCode::OK, "ten years is the bound");
    assert_eq!(rows(&decade.json::<Value>().await.unwrap(), "offers").len(), 120);
    let too_long = problem(
        app.get("/api/v1/statistics?from=2016-11-30&to=2026-11-30", None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(too_long["field"], "to");
    problem(
        app.get("/api/v1/statistics?from=2026-12-01&to=2026-11-01", None).await,
        422,
        "validation_failed",
    )
    .await;
    problem(app.get("/api/v1/statistics?from=yesterday", None).await, 422, "validation_failed").await;
    problem(app.get("/api/v1/statistics?region=VN-09", None).await, 422, "validation_failed").await;
    problem(app.get("/api/v1/statistics?format=xlsx", None).await, 422, "validation_failed").await;
    problem(app.get("/api/v1/statistics?colour=red", None).await, 400, "malformed_body").await;
}

#[actix_web::test]
async fn the_definitions_name_every_indicator_in_three_languages() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/statistics/definitions", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["definitions_version"], "2026-12-4");
    let departures =
        body["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "departures").unwrap();
    assert_eq!(departures["names"]["vi"], "Số người xuất cảnh đi làm");
    assert_eq!(departures["names"]["zh-CN"], "入境务工人数");
    assert!(departures["when"].as_str().unwrap().contains("crossing"), "{departures}");
    assert_eq!(
        departures["breakdowns"],
        json!(["month", "region", "county", "occupation", "home_province", "agency"])
    );
    assert_eq!(body["indicators"].as_array().unwrap().len(), 28);
}
