//! The public statistics page, the definitions page and the monthly releases, against the
//! hand-counted fixture of `statistics::season` (a November 2026 season; the test clock
//! starts on 29 November).

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use seasonlink::services::statistics::releases;
use seasonlink_tests::pages::UiSession;
use seasonlink_tests::{TestApp, problem};

use crate::statistics::{Season, provincial, season};

const NOVEMBER: &str = "from=2026-11-01&to=2026-11-30";

/// A page in a language, as the public or a signed-in user reads it.
async fn page(app: &TestApp, path: &str, lang: &str, ui: Option<&UiSession>) -> (StatusCode, String, String) {
    let cookies = match ui {
        Some(ui) => format!("{}; sl_lang={lang}", ui.cookies),
        None => format!("sl_lang={lang}"),
    };
    let response = app.client.get(app.url(path)).header("cookie", cookies).send().await.unwrap();
    let status = response.status();
    let policy = response
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, response.text().await.unwrap(), policy)
}

/// Text as the browser reads it from HTML: askama's entities (`&#60;`, `&amp;`, …) undone.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(';').filter(|e| *e <= 8);
        let decoded = end.and_then(|end| {
            let entity = &tail[1..end];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let number = entity.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The JSON block `id` of a page: the API path it names, and its JSON.
fn block(html: &str, id: &str) -> (String, Value) {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no block {id}"));
    let tag_end = start + html[start..].find('>').unwrap();
    let api = html[start..tag_end].split("data-api=\"").nth(1).map(|a| a.split('"').next().unwrap());
    let body_end = tag_end + html[tag_end..].find("</script>").unwrap();
    (unescape(api.unwrap_or_default()), serde_json::from_str(&html[tag_end + 1..body_end]).unwrap())
}

/// The headline figure of an indicator (agencies: the first status's).
fn headline(html: &str, code: &str) -> String {
    let at =
        html.find(&format!("<dd data-indicator=\"{code}\"")).unwrap_or_else(|| panic!("no {code} in {html}"));
    let text = &html[at..];
    unescape(&text[text.find('>').unwrap() + 1..text.find("</dd>").unwrap()])
}

/// The HTML of one chart's table, its entities undone.
fn table(html: &str, chart: &str) -> String {
    let start = html.find(&format!("id=\"table-{chart}\"")).unwrap_or_else(|| panic!("no table {chart}"));
    unescape(&html[start..start + html[start..].find("</details>").unwrap()])
}

/// Every embedded answer equals the API's answer to the question it names, asked by the same
/// reader.
async fn embedded_equals_the_api(
    app: &TestApp,
    html: &str,
    token: Option<&seasonlink_tests::Session>,
) -> usize {
    let mut compared = 0;
    for id in ["stats-headline", "stats-monthly", "stats-provinces", "stats-agencies"] {
        if !html.contains(&format!("id=\"{id}\"")) {
            continue;
        }
        let (api, embedded) = block(html, id);
        assert!(api.starts_with("/api/v1/statistics?from=2026-11-01&to=2026-11-30"), "{api}");
        let response = app.get(&api, token).await;
        assert_eq!(response.status(), StatusCode::OK, "{api}");
        assert_eq!(response.json::<Value>().await.unwrap(), embedded, "{id}: {api}");
        compared += 1;
    }
    compared
}

#[actix_web::test]
async fn the_page_shows_the_hand_counted_figures_suppressed_for_the_public_and_in_full_for_a_regulator() {
    let Season { app, cn, .. } = season().await;
    let path = format!("/statistics?{NOVEMBER}");
    let cn_ui = app.ui_login(&cn.email).await;
    // (language, h1, wages net for the authority, payslip compliance, a Cao Bằng line)
    let expected = [
        ("en", "Statistics of the scheme", "2700.00", "66.6 %"),
        ("vi", "Số liệu thống kê của chương trình", "2.700,00", "66,6 %"),
        ("zh-CN", "项目统计数据", "2700.00", "66.6 %"),
    ];
    for (lang, title, wages, compliance) in expected {
        let (status, html, policy) = page(&app, &path, lang, None).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{lang}");
        assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-eval"), "{policy}");
        assert!(html.contains("data-view=\"public\""));
        // Hand-counted November: 5 departures (5 people: shown); no returns yet, so no rate;
        // 3 workers' payslips, 3 complainants, 2 resolved cases: fewer than five, suppressed.
        assert_eq!(headline(&html, "departures"), "5", "{lang}");
        assert_eq!(headline(&html, "on_time_return_rate"), "–");
        for code in ["wages_paid_net", "payslip_compliance_rate", "complaints", "cases_resolved"] {
            assert_eq!(headline(&html, code), "<5", "{lang}: {code}");
        }
        assert_eq!(headline(&html, "agencies_by_licence_status"), "1", "one agency, suspended: not people");
        let provinces = table(&html, "provinces");
        assert!(provinces.contains("Cao B") || provinces.contains("高平"), "{provinces}");
        assert_eq!(provinces.matches("data-suppressed=\"true\"><5</td>").count(), 2, "2 and 3 departures");
        assert!(table(&html, "wages").contains("<5"));
        assert_eq!(embedded_equals_the_api(&app, &html, None).await, 4);

        let (status, html, _) = page(&app, &path, lang, Some(&cn_ui)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("data-view=\"authority\""), "a regulator reads its authority's view");
        assert_eq!(headline(&html, "wages_paid_net"), wages, "{lang}");
        assert_eq!(headline(&html, "payslip_compliance_rate"), compliance, "{lang}");
        assert_eq!(headline(&html, "complaints"), "3");
        assert_eq!(headline(&html, "cases_resolved"), "2");
        assert!(!table(&html, "provinces").contains("<5"));
        assert!(table(&html, "wages").contains(wages));
        assert_eq!(embedded_equals_the_api(&app, &html, Some(&cn)).await, 4);
    }

    // No inline script: every <script> is a file of this site or a JSON block.
    let (_, html, _) = page(&app, &path, "en", None).await;
    for tag in html.split("<script").skip(1).map(|t| &t[..t.find('>').unwrap()]) {
        assert!(tag.contains(" src=\"/static/") || tag.contains("type=\"application/json\""), "{tag}");
    }
    assert!(html.contains("/static/vendor/echarts-5.6.0.min.js"));
    let script = app.get("/static/vendor/echarts-5.6.0.min.js", None).await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(script.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert!(html.contains("href=\"/statistics/definitions\"") && html.contains("2026-12-4"));

    // A provincial authority reads its province, and the page says so; what it cannot
    // narrow (complaints, agencies) is left out rather than refused.
    let chongzuo = provincial(&app, &cn, "CN", "451400").await;
    let chongzuo_ui = app.ui_login(&chongzuo.email).await;
    let (status, html, _) = page(&app, &path, "en", Some(&chongzuo_ui)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"stats-narrowed\""), "the page says whose figures");
    assert!(!html.contains("data-indicator=\"complaints\"") && !html.contains("id=\"chart-agencies\""));
    assert_eq!(headline(&html, "departures"), "5");
    assert_eq!(embedded_equals_the_api(&app, &html, Some(&chongzuo)).await, 3);
}

#[actix_web::test]
async fn a_bad_period_is_the_field_s_error_on_the_page() {
    let app = TestApp::spawn().await;
    for (query, field, words) in [
        ("from=2026-12-01&to=2026-11-01", "to", "Please check: To."),
        ("from=yesterday", "from", "Please check: From."),
        ("from=2016-11-01&to=2026-11-30", "to", "Please check: To."),
    ] {
        let (status, html, _) = page(&app, &format!("/statistics?{query}"), "en", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(
            html.contains(&format!("id=\"refusal\" data-field=\"{field}\">{words}</p>")),
            "{query}: {html}"
        );
        assert!(html.contains(&format!("name=\"{field}\" value=")), "the form keeps what was typed");
        assert!(!html.contains("id=\"stats-headline\""), "no figures for a bad period");
    }
    let (_, html, _) = page(&app, "/statistics?from=hier", "vi", None).await;
    assert!(html.contains("Vui lòng kiểm tra: Từ ngày"), "{html}");
}

#[actix_web::test]
async fn the_definitions_page_names_every_indicator_in_each_language() {
    let app = TestApp::spawn().await;
    for (lang, title, departures, unit) in [
        ("en", "What the statistics count", "Departures", "workers"),
        ("vi", "Số liệu thống kê đếm gì", "Số người xuất cảnh đi làm", "người lao động"),
        ("zh-CN", "统计数据统计什么", "入境务工人数", "名劳动者"),
    ] {
        let (status, html, policy) = page(&app, "/statistics/definitions", lang, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!policy.is_empty());
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{lang}");
        assert_eq!(html.matches("class=\"card definition\"").count(), 28);
        let card = &html[html.find("id=\"def-departures\"").unwrap()..];
        let card = &card[..card.find("</article>").unwrap()];
        assert!(card.contains(&format!("<h2>{departures}</h2>")), "{lang}: {card}");
        assert!(card.contains(unit), "{lang}: {card}");
        assert!(card.contains("the day of the crossing"), "what and when, from STATISTICS.md");
        assert!(html.contains("2026-12-4"));
    }
}

async fn release_count(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM statistics_releases").await
}

/// A release's CSV and metadata, fetched.
async fn release(app: &TestApp, month: &str) -> (String, Value) {
    let csv = app.get(&format!("/api/v1/statistics/releases/{month}.csv"), None).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let disposition = csv.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains(&format!("seasonlink-statistics-{month}.csv")), "{disposition}");
    let csv = csv.text().await.unwrap();
    let metadata = app.get(&format!("/api/v1/statistics/releases/{month}.json"), None).await;
    assert_eq!(metadata.status(), StatusCode::OK);
    (csv, metadata.json().await.unwrap())
}

#[actix_web::test]
async fn the_job_makes_november_s_release_in_december_once_and_never_changes_it() {
    let Season { app, cn, .. } = season().await;
    // 29 November: November is open. Nothing is written on a refused request.
    problem(app.get("/api/v1/statistics/releases/2026-11.csv", None).await, 404, "not_found").await;
    assert_eq!(releases::publish_due(&app.state).await.unwrap(), 0, "no month has closed yet");
    assert_eq!(release_count(&app).await, 0);

    // 2 December (China): November has ended. The job makes its release.
    app.state.clock.advance(Duration::days(3));
    let generated_at = app.state.clock.now();
    seasonlink::jobs::spawn_periodic(app.state.clone(), seasonlink::jobs::Job::Publisher, "test".into());
    for _ in 0..100 {
        if release_count(&app).await == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(release_count(&app).await, 1, "one release: November, the only closed month with records");
    let listed: Value = app.get("/api/v1/statistics/releases", None).await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["month"], "2026-11");
    assert_eq!(listed[0]["csv"], "/api/v1/statistics/releases/2026-11.csv");

    let (csv, metadata) = release(&app, "2026-11").await;
    let sha256 = format!("{:x}", Sha256::digest(csv.as_bytes()));
    assert_eq!(metadata["csv"]["sha256"], sha256.as_str(), "the metadata names the CSV's hash");
    assert_eq!(listed[0]["sha256"], sha256.as_str());
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(metadata["csv"]["rows"], json!(lines.len() - 1));
    assert_eq!(
        lines[0],
        "indicator,unit,period,breakdown,key,status,value,numerator,denominator,amount_fen,suppressed"
    );
    for line in [
        "departures,workers,2026-11-01/2026-11-30,,,,5,,,,false",
        "departures,workers,2026-11-01/2026-11-30,month,2026-11,,5,,,,false",
        "departures,workers,2026-11-01/2026-11-30,home_province,VN-04,,<5,,,,true",
        "offers,offers,2026-11-01/2026-11-30,region,450600,,<5,,,,true",
        "offers,offers,2026-11-01/2026-11-30,,,,6,,,,false",
        "declines,declines,2026-11-01/2026-11-30,,,,<5,,,,true",
        "complaints,complaints,2026-11-01/2026-11-30,category,wages,,<5,,,,true",
        "agencies_by_licence_status,agencies,2026-11-01/2026-11-30,,,suspended,1,,,,false",
        "agencies_by_licence_status,agencies,2026-11-01/2026-11-30,country,VN,suspended,1,,,,false",
        "on_time_return_rate,per_mille,2026-11-01/2026-11-30,,,,,0,0,,false",
    ] {
        assert!(lines.contains(&line), "{line} in\n{csv}");
    }
    assert!(!csv.contains("2026-12-"), "December's records are not November's");
    assert_eq!(metadata["month"], "2026-11");
    assert_eq!(metadata["period"], "2026-11-01/2026-11-30");
    assert_eq!(metadata["definitions_version"], "2026-12-4");
    assert_eq!(metadata["definitions"]["definitions_version"], "2026-12-4");
    assert_eq!(metadata["definitions"]["indicators"].as_array().unwrap().len(), 28);
    assert_eq!(metadata["suppression"]["smallest_public_cell"], 5);
    assert_eq!(metadata["suppression"]["shown_as"], "<5");
    let stamped: chrono::DateTime<chrono::Utc> = metadata["generated_at"].as_str().unwrap().parse().unwrap();
    assert!((stamped - generated_at).num_seconds().abs() < 60, "the app's clock, not the wall clock");

    // A second run changes nothing; nor does a record that arrives late for November.
    assert_eq!(releases::publish_due(&app.state).await.unwrap(), 0);
    app.execute(&format!(
        "INSERT INTO border_events (id, placement_id, kind, crossing_code, at, recorded_by, recorded_at) \
         VALUES ('late', 'p6', 'departure', 'aidian', '2026-11-20 03:00:00', '{}', '2026-12-02 00:00:00')",
        cn.user_id
    ))
    .await;
    // Written without the crossing service: its fact kept again, as after a bulk load.
    seasonlink::db::statistics::retally(&mut app.db.connect()).unwrap();
    let now: Value = app
        .get(&format!("/api/v1/statistics?{NOVEMBER}&indicators=departures"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["indicators"][0]["rows"][0]["value"], 6, "the API counts the late record");
    assert_eq!(releases::publish_due(&app.state).await.unwrap(), 0);
    let (again, metadata_again) = release(&app, "2026-11").await;
    assert_eq!(again, csv, "the archived release is not rewritten");
    assert_eq!(metadata_again, metadata);
    assert_eq!(release_count(&app).await, 1);

    // The database refuses to change or remove a release.
    let mut conn = app.db.connect();
    for statement in [
        "UPDATE statistics_releases SET rows = 0",
        "UPDATE statistics_releases SET csv = 'x'",
        "DELETE FROM statistics_releases",
    ] {
        let refused = diesel::RunQueryDsl::execute(diesel::sql_query(statement), &mut conn);
        assert!(refused.is_err(), "{statement}");
    }

    // Refused: an open month, a future one, one before the first records (404), a month not
    // written YYYY-MM (422). Nothing is written for any of them.
    for month in ["2026-12", "2027-05", "2026-10", "2019-01"] {
        problem(app.get(&format!("/api/v1/statistics/releases/{month}.csv"), None).await, 404, "not_found")
            .await;
        problem(app.get(&format!("/api/v1/statistics/releases/{month}.json"), None).await, 404, "not_found")
            .await;
    }
    for month in ["2026-13", "2026-1", "26-11", "2026-00", "november"] {
        let body = problem(
            app.get(&format!("/api/v1/statistics/releases/{month}.csv"), None).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(body["field"], "month", "{month}");
    }
    assert_eq!(release_count(&app).await, 1, "nothing written on a refused request");

    // The statistics page lists it for download.
    let (_, html, _) = page(&app, "/statistics", "vi", None).await;
    assert!(html.contains("data-release=\"2026-11\""), "{html}");
    assert!(html.contains("href=\"/api/v1/statistics/releases/2026-11.csv\""));
    assert!(html.contains("href=\"/api/v1/statistics/releases/2026-11.json\""));
    assert!(html.contains(&sha256));
}

#[actix_web::test]
async fn a_closed_month_s_release_is_made_on_demand_once_across_servers() {
    let Season { app, .. } = season().await;
    app.state.clock.advance(Duration::days(3));
    // Asked before any job ran: made on demand, stored, and the same on every later answer.
    let metadata = app.get("/api/v1/statistics/releases/2026-11.json", None).await;
    assert_eq!(metadata.status(), StatusCode::OK);
    let metadata: Value = metadata.json().await.unwrap();
    assert_eq!(release_count(&app).await, 1);
    let (csv, again) = release(&app, "2026-11").await;
    assert_eq!(again, metadata);
    assert_eq!(metadata["csv"]["sha256"], format!("{:x}", Sha256::digest(csv.as_bytes())).as_str());

    // Two servers running the job at once (a month later: December closed too) store one
    // release of December between them.
    app.state.clock.advance(Duration::days(31));
    let other = app.second_instance().await;
    let (one, two) = tokio::join!(releases::publish_due(&app.state), releases::publish_due(&other));
    assert_eq!(one.unwrap() + two.unwrap(), 1, "December made once");
    assert_eq!(release_count(&app).await, 2);
    let listed: Value = app.get("/api/v1/statistics/releases", None).await.json().await.unwrap();
    let months: Vec<&str> = listed.as_array().unwrap().iter().map(|r| r["month"].as_str().unwrap()).collect();
    assert_eq!(months, ["2026-12", "2026-11"], "newest first");
    let (_, december) = release(&app, "2026-12").await;
    assert_eq!(december["period"], "2026-12-01/2026-12-31");
}
