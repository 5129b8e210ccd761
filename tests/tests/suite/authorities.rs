//! The scheme's two sides: China's authority verifies employers, keeps the wage floors and
//! issues and revokes permits; Viet Nam's licenses Vietnamese agencies (China's, Chinese
//! ones). Each power is tried by each side; a refusal writes nothing.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink::services::authorities::{CN_NATIONAL, VN_NATIONAL};
use seasonlink_tests::{PASSWORD, Session, TestApp, problem, vacancy, worker};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

fn floor(region: &str) -> Value {
    json!({"region_code": region, "kind": "statutory_minimum", "hourly_fen": 1700,
           "monthly_fen": 169_000, "effective_from": "2023-11-01", "source": "桂政发〔2023〕24号"})
}

#[actix_web::test]
async fn only_chinas_side_verifies_employers_and_keeps_the_floors() {
    let app = TestApp::spawn().await;
    let (cn, vn) = (app.login_as(Role::Regulator).await, app.login_as_authority("VN").await);

    let employer = app.employer(false).await;
    let verify = format!("/api/v1/employers/{}/verify", employer.employer_id);
    let refused = problem(app.post_json(&verify, Some(&vn), &json!({})).await, 403, "forbidden").await;
    assert!(refused["detail"].as_str().unwrap().contains("China's side"), "{refused}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM employers WHERE status = 'verified'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'employer.verified'").await, 0);
    assert_eq!(app.post_json(&verify, Some(&cn), &json!({})).await.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM employers WHERE status = 'verified'").await, 1);

    problem(app.post_json("/api/v1/wage-floors", Some(&vn), &floor("450000")).await, 403, "forbidden").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM wage_floor_rules").await, 0);
    let rule = app.add_rule(&cn, floor("450000")).await;
    let end = format!("/api/v1/wage-floors/{rule}/end");
    let last_day = json!({"effective_to": "2030-12-31"});
    problem(app.post_json(&end, Some(&vn), &last_day).await, 403, "forbidden").await;
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM wage_floor_rules WHERE effective_to IS NOT NULL").await,
        0
    );
    assert_eq!(app.post_json(&end, Some(&cn), &last_day).await.status(), StatusCode::OK);
}

fn agency_body(country: &str, number: &str, email: &str, app: &TestApp) -> Value {
    let today = app.today();
    json!({"name": "Border Labour Cooperation", "country": country, "licence_number": number,
           "licence_valid_from": today - Duration::days(10), "licence_valid_until": today + Duration::days(300),
           "email": email, "password": PASSWORD})
}

#[actix_web::test]
async fn each_side_licenses_and_decides_on_its_own_countrys_agencies() {
    let app = TestApp::spawn().await;
    let (cn, vn) = (app.login_as(Role::Regulator).await, app.login_as_authority("VN").await);

    // A Vietnamese agency: Viet Nam's side alone.
    let body = agency_body("VN", "VN-LS-2026-0100", "vn@agency.example.vn", &app);
    let refused = problem(app.post_json("/api/v1/agencies", Some(&cn), &body).await, 403, "forbidden").await;
    assert!(refused["detail"].as_str().unwrap().contains("Viet Nam's side"), "{refused}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM agencies").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM users WHERE role = 'agency'").await, 0);
    let created = app.post_json("/api/v1/agencies", Some(&vn), &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let vn_agency = json_of(created).await["id"].as_str().unwrap().to_owned();
    let reason = json!({"reason": "fees charged to workers"});
    for action in ["suspend", "revoke"] {
        let path = format!("/api/v1/agencies/{vn_agency}/licence/{action}");
        problem(app.post_json(&path, Some(&cn), &reason).await, 403, "forbidden").await;
    }
    let events = "SELECT COUNT(*) AS n FROM licence_events";
    assert_eq!(app.count(events).await, 1, "only the licence's creation");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM agencies WHERE licence_state = 'active'").await, 1);
    let suspend = format!("/api/v1/agencies/{vn_agency}/licence/suspend");
    assert_eq!(app.post_json(&suspend, Some(&vn), &reason).await.status(), StatusCode::OK);
    let reinstate = format!("/api/v1/agencies/{vn_agency}/licence/reinstate");
    problem(app.post_json(&reinstate, Some(&cn), &json!({})).await, 403, "forbidden").await;
    assert_eq!(app.post_json(&reinstate, Some(&vn), &json!({})).await.status(), StatusCode::OK);

    // A Chinese agency: China's side alone.
    let body = agency_body("CN", "CN-GX-2026-0100", "cn@agency.example.cn", &app);
    problem(app.post_json("/api/v1/agencies", Some(&vn), &body).await, 403, "forbidden").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM agencies").await, 1);
    let created = app.post_json("/api/v1/agencies", Some(&cn), &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let cn_agency = json_of(created).await["id"].as_str().unwrap().to_owned();
    let suspend = format!("/api/v1/agencies/{cn_agency}/licence/suspend");
    problem(app.post_json(&suspend, Some(&vn), &reason).await, 403, "forbidden").await;
    assert_eq!(app.post_json(&suspend, Some(&cn), &reason).await.status(), StatusCode::OK);

    // Both sides read every agency.
    for regulator in [&cn, &vn] {
        let all = json_of(app.get("/api/v1/agencies", Some(regulator)).await).await;
        assert_eq!(all.as_array().unwrap().len(), 2);
    }
}

/// A placement whose worker accepted its contract: ready for a permit.
async fn accepted(app: &TestApp) -> String {
    let cn = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&cn).await;
    let employer = app.employer(true).await;
    let agency = app.agency().await;
    let today = app.today();
    let mut job = vacancy(1900);
    job["season_start"] = json!(today);
    job["season_end"] = json!(today + Duration::days(90));
    let job = json_of(app.post_json("/api/v1/vacancies", Some(&employer.session), &job).await).await;
    let mut body = worker("001098000201");
    body["email"] = json!("mai@test.seasonlink.vn");
    body["available_from"] = json!(today);
    body["available_until"] = json!(today + Duration::days(120));
    let created = json_of(app.post_json("/api/v1/workers", Some(&agency.session), &body).await).await;
    app.activate_worker(created["id"].as_str().unwrap()).await;
    let offer = json!({"vacancy_id": job["id"], "worker_id": created["id"]});
    let placement = json_of(app.post_json("/api/v1/placements", Some(&agency.session), &offer).await).await;
    let id = placement["id"].as_str().unwrap().to_owned();
    let holder = app.session_for("mai@test.seasonlink.vn").await;
    let acceptance = json!({"version": 1, "sha256": placement["contract"]["sha256"], "lang": "vi"});
    let path = format!("/api/v1/placements/{id}/accept");
    assert!(app.post_json(&path, Some(&holder), &acceptance).await.status().is_success());
    id
}

#[actix_web::test]
async fn only_chinas_side_issues_and_revokes_permits_and_both_read_the_placement() {
    let app = TestApp::spawn().await;
    let id = accepted(&app).await;
    let (cn, vn) = (app.login_as(Role::Regulator).await, app.login_as_authority("VN").await);
    // The placement's page offers the permit to China's side only.
    let form = format!("action=\"/placements/{id}/permit\"");
    let page = format!("/placements/{id}");
    let cn_page = app.ui_get(&page, &app.ui_login(&cn.email).await).await.text().await.unwrap();
    let vn_page = app.ui_get(&page, &app.ui_login(&vn.email).await).await.text().await.unwrap();
    assert!(cn_page.contains(&form) && !vn_page.contains(&form));
    let issue = format!("/api/v1/placements/{id}/permit");
    problem(app.post_json(&issue, Some(&vn), &json!({})).await, 403, "forbidden").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM permits").await, 0);
    app.verify_insurance(&cn, &id).await;
    let issued = app.post_json(&issue, Some(&cn), &json!({})).await;
    assert!(issued.status().is_success());
    let number = json_of(issued).await["permit_number"].as_str().unwrap().to_owned();
    let revoke = format!("/api/v1/permits/{number}/revoke");
    let reason = json!({"reason": "document forged"});
    problem(app.post_json(&revoke, Some(&vn), &reason).await, 403, "forbidden").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM permits WHERE revoked_at IS NULL").await, 1);
    for regulator in [&cn, &vn] {
        let read = app.get(&format!("/api/v1/placements/{id}"), Some(regulator)).await;
        assert_eq!(read.status(), StatusCode::OK);
    }
    assert!(app.post_json(&revoke, Some(&cn), &reason).await.status().is_success());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM permits WHERE revoked_at IS NULL").await, 0);
}

#[actix_web::test]
async fn regulators_list_and_add_authorities_and_their_colleagues() {
    let app = TestApp::spawn().await;
    let cn = app.login_as(Role::Regulator).await;
    let me = json_of(app.get("/api/v1/me", Some(&cn)).await).await;
    assert_eq!(me["org_id"], CN_NATIONAL, "a regulator shows its authority");

    let listed = json_of(app.get("/api/v1/authorities", Some(&cn)).await).await;
    let countries: Vec<&str> =
        listed.as_array().unwrap().iter().map(|a| a["country"].as_str().unwrap()).collect();
    assert_eq!(countries, ["CN", "VN"], "{listed}");
    assert_eq!(listed[0]["id"], CN_NATIONAL);
    assert_eq!(listed[1]["id"], VN_NATIONAL);

    let body = json!({"name": "Lạng Sơn Department of Labour", "country": "VN", "region_code": "VN-09"});
    let created = app.post_json("/api/v1/authorities", Some(&cn), &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let provincial = json_of(created).await;
    assert_eq!(provincial["country"], "VN");
    assert_eq!(provincial["region_code"], "VN-09");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'authority.created'").await, 1);
    let national = json!({"name": "A second national office", "country": "CN"});
    assert_eq!(
        app.post_json("/api/v1/authorities", Some(&cn), &national).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM authorities").await, 4);

    // Bad input: nothing is written.
    for (bad, field) in [
        (json!({"name": "X", "country": "TH"}), "country"),
        (json!({"name": "X", "country": "VN", "region_code": "ZZ-99"}), "region_code"),
        (json!({"name": "X", "country": "VN", "region_code": "450000"}), "region_code"),
        (json!({"name": " ", "country": "VN"}), "name"),
    ] {
        let refused =
            problem(app.post_json("/api/v1/authorities", Some(&cn), &bad).await, 422, "validation_failed")
                .await;
        assert_eq!(refused["field"], field, "{refused}");
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM authorities").await, 4);

    // Another role: refused, both ways.
    let agency = app.agency().await;
    problem(app.get("/api/v1/authorities", Some(&agency.session)).await, 403, "forbidden").await;
    problem(app.post_json("/api/v1/authorities", Some(&agency.session), &national).await, 403, "forbidden")
        .await;
    problem(app.get("/api/v1/authorities", None).await, 401, "not_authenticated").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM authorities").await, 4);

    // A colleague: on the creator's authority by default, or on the one named.
    let colleague = |email: &str, authority: Option<&str>| {
        let mut body = json!({"email": email, "password": PASSWORD});
        if let Some(id) = authority {
            body["authority_id"] = json!(id);
        }
        body
    };
    let same = app.post_json("/api/v1/regulators", Some(&cn), &colleague("a@reg.example.cn", None)).await;
    assert_eq!(same.status(), StatusCode::CREATED);
    assert_eq!(json_of(same).await["org_id"], CN_NATIONAL);
    let other = app
        .post_json("/api/v1/regulators", Some(&cn), &colleague("b@reg.example.vn", Some(VN_NATIONAL)))
        .await;
    assert_eq!(other.status(), StatusCode::CREATED);
    assert_eq!(json_of(other).await["org_id"], VN_NATIONAL);
    let vn = app.session_for("b@reg.example.vn").await;
    let employer = app.employer(false).await;
    let verify = format!("/api/v1/employers/{}/verify", employer.employer_id);
    problem(app.post_json(&verify, Some(&vn), &json!({})).await, 403, "forbidden").await;
    let unknown = colleague("c@reg.example.vn", Some("0193a0f0-0000-7000-8000-00000000dead"));
    let refused =
        problem(app.post_json("/api/v1/regulators", Some(&cn), &unknown).await, 422, "validation_failed")
            .await;
    assert_eq!(refused["field"], "authority_id");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM users WHERE email = 'c@reg.example.vn'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'regulator.created'").await, 2);
}

/// A regulator account older than authorities (org_id NULL) is refused a side's decision
/// rather than taken for either side.
#[actix_web::test]
async fn a_regulator_without_an_authority_decides_nothing() {
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Regulator, None).await;
    app.execute(&format!("UPDATE users SET org_id = NULL WHERE email = '{email}'")).await;
    let orphan = app.session_for(&email).await;
    let employer = app.employer(false).await;
    let verify = format!("/api/v1/employers/{}/verify", employer.employer_id);
    let refused = problem(app.post_json(&verify, Some(&orphan), &json!({})).await, 403, "forbidden").await;
    assert!(refused["detail"].as_str().unwrap().contains("no authority"), "{refused}");
    assert_eq!(app.get("/api/v1/agencies", Some(&orphan)).await.status(), StatusCode::OK, "it still reads");
}

/// `create-regulator`: China's side by default, as before; `--country VN` makes Viet Nam's
/// national authority's regulator; `--authority` names an existing one.
#[actix_web::test]
async fn the_command_line_puts_regulators_on_a_side() {
    use seasonlink::cli::{Cli, Command, run};

    let app = TestApp::spawn().await;
    let create = |email: &str, country: Option<&str>, authority: Option<&str>| {
        let cli = Cli {
            database_url: Some(app.db.app_url().to_owned()),
            command: Command::CreateRegulator {
                email: email.to_owned(),
                password: PASSWORD.to_owned(),
                country: country.map(str::to_owned),
                authority: authority.map(str::to_owned),
            },
        };
        let settings = seasonlink::config::Settings::for_tests().unwrap();
        tokio::task::spawn_blocking(move || run(cli, settings))
    };
    create("first@reg.example.cn", None, None).await.unwrap().unwrap();
    create("vn@reg.example.vn", Some("VN"), None).await.unwrap().unwrap();
    create("named@reg.example.vn", None, Some(VN_NATIONAL)).await.unwrap().unwrap();
    let unknown = create("lost@reg.example.vn", None, Some("no-such-authority")).await.unwrap();
    assert!(unknown.is_err());
    let on = |email: &str| {
        format!(
            "SELECT COUNT(*) AS n FROM users WHERE email = '{email}' AND role = 'regulator' AND org_id = "
        )
    };
    assert_eq!(app.count(&format!("{}'{CN_NATIONAL}'", on("first@reg.example.cn"))).await, 1);
    assert_eq!(app.count(&format!("{}'{VN_NATIONAL}'", on("vn@reg.example.vn"))).await, 1);
    assert_eq!(app.count(&format!("{}'{VN_NATIONAL}'", on("named@reg.example.vn"))).await, 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM users WHERE email = 'lost@reg.example.vn'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM authorities").await, 2, "the national ones exist");

    // On a database without Viet Nam's national authority, --country VN makes it.
    app.execute(&format!("UPDATE users SET org_id = '{CN_NATIONAL}' WHERE org_id = '{VN_NATIONAL}'")).await;
    app.execute(&format!("DELETE FROM authorities WHERE id = '{VN_NATIONAL}'")).await;
    create("again@reg.example.vn", Some("VN"), None).await.unwrap().unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM authorities WHERE country = 'VN' AND region_code IS NULL").await,
        1
    );
    let vn: Session = app.session_for("again@reg.example.vn").await;
    let body = agency_body("VN", "VN-LS-2026-0200", "new@agency.example.vn", &app);
    assert_eq!(app.post_json("/api/v1/agencies", Some(&vn), &body).await.status(), StatusCode::CREATED);
}

/// A regulator's desk names its authority and offers only its side's desks: Viet Nam's side
/// is not sent to the floor, employer or permit desks (China's), in every language.
#[actix_web::test]
async fn the_desk_names_the_authority_and_offers_its_sides_desks() {
    let app = TestApp::spawn().await;
    let (cn, vn) = (app.login_as(Role::Regulator).await, app.login_as_authority("VN").await);
    for (lang, cn_name, vn_name) in [
        ("en", "China — national authority", "Viet Nam — national authority"),
        ("vi", "China — national authority", "Viet Nam — national authority"),
        ("zh-CN", "China — national authority", "Viet Nam — national authority"),
    ] {
        let (mut cn_ui, mut vn_ui) = (app.ui_login(&cn.email).await, app.ui_login(&vn.email).await);
        cn_ui.cookies = format!("{}; sl_lang={lang}", cn_ui.cookies);
        vn_ui.cookies = format!("{}; sl_lang={lang}", vn_ui.cookies);
        let cn_page = app.ui_get("/home", &cn_ui).await.text().await.unwrap();
        let vn_page = app.ui_get("/home", &vn_ui).await.text().await.unwrap();
        assert!(cn_page.contains(cn_name) && vn_page.contains(vn_name), "{lang}");
        for desk in ["id=\"floors-desk\"", "id=\"employers-desk\"", "id=\"permit-desk\""] {
            assert!(cn_page.contains(desk), "{lang}: {desk}");
            assert!(!vn_page.contains(desk), "{lang}: {desk}");
        }
        assert!(
            vn_page.contains("id=\"placements-desk\"") && vn_page.contains("id=\"cases-desk\""),
            "{lang}"
        );
        assert!(!vn_page.contains("home-intro-regulator"), "{lang}: a message is missing");
    }
}
