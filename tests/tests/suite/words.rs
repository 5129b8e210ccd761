//! The words a worker and an official read: the worker's offer, contract and permit pages in
//! Vietnamese and in Chinese carry no untranslated code, no ISO date, no "CNY" and no English
//! word, and render a name typed with combining marks, or in Chinese, whole. The English words
//! are those of the English messages that the page's own language does not also use.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::pages::UiSession;
use seasonlink_tests::{PASSWORD, Session, TestApp};

/// A name as some phones send it: decomposed, the marks after their letters.
const DECOMPOSED_NAME: &str = "Nguye\u{302}\u{303}n Thi\u{323} A\u{301}nh";
const EMPLOYER_NAME: &str = "宁明糖业有限公司";
const AGENCY_NAME: &str = "Công ty Cung ứng Lao động Xứ Lạng";

/// The words of one language's messages, lowercased, and its message keys.
fn words_of(lang: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let dir = format!("{}/../web/i18n/{lang}", env!("CARGO_MANIFEST_DIR"));
    let (mut words, mut keys) = (BTreeSet::new(), BTreeSet::new());
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let value = match line.split_once(" = ") {
                Some((key, value)) if !key.starts_with(' ') => {
                    keys.insert(key.to_owned());
                    value
                }
                _ => line,
            };
            // Leave out the placeables' variable names.
            let text: String = value.split('{').map(|part| part.rsplit('}').next().unwrap_or("")).collect();
            words.extend(tokens(&text).into_iter().map(|t| t.to_lowercase()));
        }
    }
    (words, keys)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '\u{300}'..='\u{36F}')
}

/// The words of a text: letters, digits, combining marks, hyphens and underscores.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !is_word_char(c))
        .map(|t| t.trim_matches('-'))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What a reader sees of a page: no markup, no scripts, no drawn QR code, and not the
/// language switch (which names each language in its own words).
fn visible_text(html: &str) -> String {
    let mut text = html.to_owned();
    for (open, close) in [("<script", "</script>"), ("<svg", "</svg>"), ("<nav class=\"langs\"", "</nav>")] {
        while let Some(start) = text.find(open) {
            let end = text[start..].find(close).map_or(text.len(), |e| start + e + close.len());
            text.replace_range(start..end, " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

/// Whether `text` holds a date written yyyy-mm-dd.
fn has_iso_date(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(10).find_map(|w| {
        let digit = |i: usize| w[i].is_ascii_digit();
        let shape =
            (0..4).all(digit) && w[4] == '-' && digit(5) && digit(6) && w[7] == '-' && digit(8) && digit(9);
        shape.then(|| w.iter().collect())
    })
}

/// Everything on the page `what` that a reader of `lang` should not find there.
pub(crate) fn untranslated(html: &str, lang: &str, what: &str) -> Vec<String> {
    let (english, keys) = words_of("en");
    let (own, _) = words_of(lang);
    let text = visible_text(html);
    let mut found = Vec::new();
    for raw in ["CNY", "Unknown localization", "{ $", "{$"] {
        if text.contains(raw) {
            found.push(format!("{raw:?}"));
        }
    }
    if let Some(date) = has_iso_date(&text) {
        found.push(format!("an ISO date {date}"));
    }
    for token in tokens(&text) {
        let lower = token.to_lowercase();
        let code =
            token.contains('_') || keys.contains(&token) || matches!(token.as_str(), "VN" | "CN" | "zh-CN");
        let english_word = token.len() > 1
            && token.chars().all(|c| c.is_ascii_alphabetic())
            && english.contains(&lower)
            && !own.contains(&lower);
        if code || english_word {
            found.push(token);
        }
    }
    found.sort();
    found.dedup();
    found.into_iter().map(|f| format!("{what} ({lang}): {f}")).collect()
}

/// The worker's session reading in `lang`.
fn reading(ui: &UiSession, lang: &str) -> UiSession {
    UiSession { cookies: format!("{}; sl_lang={lang}", ui.cookies), csrf: ui.csrf.clone() }
}

async fn created(response: reqwest::Response) -> Value {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

struct Journey {
    app: TestApp,
    regulator: Session,
    agency: Session,
    /// The worker signed in to the pages.
    worker: UiSession,
    placement: String,
}

/// An offer to a worker whose name came in decomposed, from an employer with a Chinese name,
/// for a season that starts today with housing and meals deducted.
async fn offered() -> Journey {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let today = app.today();
    let employer_email = "nm@test.seasonlink.vn";
    let employer = created(
        app.post_json(
            "/api/v1/employers",
            None,
            &json!({"name": EMPLOYER_NAME, "registration_no": "91451422MA5N000001", "region_code": "451422",
                    "email": employer_email, "password": PASSWORD}),
        )
        .await,
    )
    .await;
    let verify = format!("/api/v1/employers/{}/verify", employer["id"].as_str().unwrap());
    created(app.post_json(&verify, Some(&regulator), &json!({})).await).await;
    let agency_email = "xl@test.seasonlink.vn";
    created(
        app.post_json(
            "/api/v1/agencies",
            Some(&app.login_as_authority("VN").await),
            &json!({"name": AGENCY_NAME, "country": "VN", "licence_number": "VN-LS-2026-0012",
                    "licence_valid_from": today - chrono::Duration::days(365),
                    "licence_valid_until": today + chrono::Duration::days(365),
                    "email": agency_email, "password": PASSWORD}),
        )
        .await,
    )
    .await;
    let (employer, agency) = (app.session_for(employer_email).await, app.session_for(agency_email).await);
    let mut job = seasonlink_tests::vacancy(2200);
    job["title"] = json!("Chặt mía Ninh Minh 2026/27");
    job["season_start"] = json!(today);
    job["season_end"] = json!(today + chrono::Duration::days(120));
    job["deductions"] =
        json!([{"kind": "housing", "fen_per_month": 20_000}, {"kind": "meals", "fen_per_month": 30_000}]);
    let vacancy = created(app.post_json("/api/v1/vacancies", Some(&employer), &job).await).await;
    let mut person = seasonlink_tests::worker("001098000001");
    person["full_name"] = json!(DECOMPOSED_NAME);
    person["email"] = json!("anh@test.seasonlink.vn");
    person["available_from"] = json!(today);
    let person = created(app.post_json("/api/v1/workers", Some(&agency), &person).await).await;
    app.activate_worker(person["id"].as_str().unwrap()).await;
    let offer = json!({"vacancy_id": vacancy["id"], "worker_id": person["id"]});
    let placement = created(app.post_json("/api/v1/placements", Some(&agency), &offer).await).await;
    Journey {
        worker: app.ui_login("anh@test.seasonlink.vn").await,
        placement: placement["id"].as_str().unwrap().to_owned(),
        app,
        regulator,
        agency,
    }
}

impl Journey {
    async fn act(&self, session: &Session, action: &str, body: Value) -> Value {
        let path = format!("/api/v1/placements/{}/{action}", self.placement);
        created(self.app.post_json(&path, Some(session), &body).await).await
    }

    /// The page at `path` as the worker reads it in `lang`.
    async fn page(&self, path: &str, lang: &str) -> String {
        let response = self.app.ui_get(path, &reading(&self.worker, lang)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path} in {lang}");
        html
    }

    /// Reads `paths` in Vietnamese and Chinese and lists what a reader should not find.
    async fn check(&self, paths: &[(&str, String)]) -> Vec<String> {
        let mut found = Vec::new();
        for (what, path) in paths {
            for lang in ["vi", "zh-CN"] {
                let html = self.page(path, lang).await;
                found.extend(untranslated(&html, lang, what));
            }
        }
        found
    }
}

#[actix_web::test]
async fn the_workers_offer_contract_and_permit_read_whole_in_vietnamese_and_chinese() {
    let mut j = offered().await;
    let detail = format!("/placements/{}", j.placement);

    // The offer and its contract.
    let offer = j.page(&detail, "vi").await;
    for words in [
        DECOMPOSED_NAME,
        EMPLOYER_NAME,
        AGENCY_NAME,
        "tiền nhà ở: 200,00 tệ",
        "tiền ăn: 300,00 tệ",
        "ít nhất ba phần tư số giờ bảo đảm",
        "chậm nhất là ngày",
        "không tiền môi giới",
        "Việt Nam: Cục Quản lý lao động ngoài nước",
    ] {
        assert!(offer.contains(words), "{words} in {offer}");
    }
    let offer = j.page(&detail, "zh-CN").await;
    for words in [DECOMPOSED_NAME, "住宿费：200.00 元", "四分之三", "最迟于", "已发出录用通知", "中介费"]
    {
        assert!(offer.contains(words), "{words} in {offer}");
    }
    let mut found = j.check(&[("offers", "/placements".to_owned()), ("offer", detail.clone())]).await;

    // Accepted, with a permit: the placement page shows it, and so does the public check.
    let contract =
        j.app.get(&format!("/api/v1{detail}"), Some(&j.regulator)).await.json::<Value>().await.unwrap();
    let worker = j.app.session_for("anh@test.seasonlink.vn").await;
    let accept = json!({"version": 1, "sha256": contract["contract"]["sha256"], "lang": "vi"});
    j.act(&worker, "accept", accept).await;
    j.act(&j.regulator, "insurance/verify", json!({})).await;
    let permit = j.act(&j.regulator, "permit", json!({})).await;
    let (number, code) = (permit["permit_number"].as_str().unwrap(), permit["check_code"].as_str().unwrap());
    let check = format!("/permits/{number}?code={code}");
    let public = j.page(&check, "vi").await;
    assert!(public.contains("data-valid=\"true\"") && public.contains("N.T.A\u{301}."), "{public}");
    found.extend(j.check(&[("permit", detail.clone()), ("permit check", check)]).await);

    // Abroad, and past the permit's last day with no return: the overstay on the timeline.
    let now = j.app.state.clock.now();
    j.act(&j.agency, "orientation", json!({"attended_on": j.app.today(), "place": "Lạng Sơn"})).await;
    j.act(&j.agency, "departure", json!({"crossing_code": "aidian", "at": now})).await;
    let until: chrono::NaiveDate = permit["valid_until"].as_str().unwrap().parse().unwrap();
    j.app.state.clock.advance(until - now.date_naive() + chrono::Duration::days(2));
    let (pool, now) = (j.app.state.pool.clone(), j.app.state.clock.now());
    let marked =
        seasonlink::db::transaction(&pool, move |conn| seasonlink::services::placements::sweep(conn, now))
            .await
            .unwrap();
    assert_eq!(marked, 1);
    // Months later: the worker signs in again.
    j.worker = j.app.ui_login("anh@test.seasonlink.vn").await;
    let overstayed = j.page(&detail, "vi").await;
    assert!(
        overstayed.contains("data-status=\"overstayed\"") && overstayed.contains("chưa có ghi nhận về nước")
    );
    assert!(overstayed.contains("(Đã hết hạn)"), "the permit past its last day reads expired: {overstayed}");
    found.extend(j.check(&[("overstay", detail)]).await);

    assert!(found.is_empty(), "{found:#?}");
}

/// The check finds what it is there to find: a raw code, an ISO date, CNY and English words.
#[test]
fn the_check_finds_what_a_reader_should_not_see() {
    let page = "<html lang=\"vi\"><nav class=\"langs\">English</nav><main><p>housing: 200.00 CNY</p>\
                <p>Hạn: 2027-04-14 · VN · statutory_minimum · contract-title</p>\
                <p>Mã QR · SHA-256 · VN-LS-2026-0012 · In hợp đồng</p></main></html>";
    let found = untranslated(page, "vi", "sample");
    for expected in
        ["\"CNY\"", "CNY", "an ISO date 2027-04-14", "housing", "VN", "statutory_minimum", "contract-title"]
    {
        assert!(found.iter().any(|f| f.ends_with(&format!(": {expected}"))), "{expected} in {found:?}");
    }
    assert_eq!(found.len(), 7, "the language switch, QR, SHA-256, a licence number and 'In' pass: {found:?}");
}

/// A complaint form's refusal names the field in the reader's words, not by its code.
#[actix_web::test]
async fn a_complaint_refusal_names_the_field_in_words() {
    let app = TestApp::spawn().await;
    let (nonce, token) = seasonlink_tests::pages::csrf(&app, "/complaints/new").await;
    for (lang, words) in [("vi", "Vui lòng kiểm tra: Doanh nghiệp dịch vụ."), ("zh-CN", "请检查：中介机构。")]
    {
        let visitor = UiSession { cookies: format!("sl_csrf={nonce}; sl_lang={lang}"), csrf: token.clone() };
        let fields =
            [("category", "fees"), ("agency_id", "no-such-agency"), ("text", "Họ thu tiền đặt cọc.")];
        let refused = app.ui_post("/complaints", &visitor, &fields).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.unwrap();
        let error = html.split("id=\"complaint-error\">").nth(1).unwrap().split('<').next().unwrap();
        assert_eq!(error, words);
    }
}
