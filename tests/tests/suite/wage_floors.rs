//! Reference data, wage floor rules and the binding floor.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{TestApp, problem};

#[actix_web::test]
async fn reference_data_is_in_every_database() {
    let app = TestApp::spawn().await;
    let regions: Vec<Value> = app.get("/api/v1/reference/regions", None).await.json().await.unwrap();
    let find = |code: &str| regions.iter().find(|r| r["code"] == code).cloned().unwrap();
    let chongzuo = find("451400");
    assert_eq!(chongzuo["parent_code"], "450000");
    assert_eq!(chongzuo["names"], json!({"zh-CN": "崇左市", "vi": "Sùng Tả", "en": "Chongzuo"}));
    for county in ["451402", "451421", "451422", "451423", "451424", "451425", "451481"] {
        assert_eq!(find(county)["parent_code"], "451400", "{county}");
    }
    assert_eq!(find("450681")["parent_code"], "450600");
    assert_eq!(find("VN-09")["names"]["vi"], "Lạng Sơn");
    assert_eq!(find("VN-04")["country"], "VN");
    assert!(regions.iter().all(|r| r["source"].as_str().is_some_and(|s| !s.is_empty())));

    let crossings: Vec<Value> = app.get("/api/v1/reference/crossings", None).await.json().await.unwrap();
    let youyiguan = crossings.iter().find(|c| c["code"] == "youyiguan").unwrap();
    assert_eq!(
        (youyiguan["cn_region_code"].as_str(), youyiguan["vn_region_code"].as_str()),
        (Some("451481"), Some("VN-09"))
    );
    for code in ["shuikou", "aidian", "dongxing"] {
        assert!(crossings.iter().any(|c| c["code"] == code), "{code}");
    }
    let occupations: Vec<Value> = app.get("/api/v1/reference/occupations", None).await.json().await.unwrap();
    assert!(
        occupations.iter().any(|o| o["code"] == "sugarcane_cutting" && o["names"]["zh-CN"] == "甘蔗砍收")
    );
    let skills: Vec<Value> = app.get("/api/v1/reference/skills", None).await.json().await.unwrap();
    assert!(skills.iter().any(|s| s["code"] == "cane_knife"));
}

async fn resolve(app: &TestApp, query: &str) -> reqwest::Response {
    app.get(&format!("/api/v1/wage-floors/resolve?{query}"), None).await
}

#[actix_web::test]
async fn the_highest_rule_of_the_region_or_above_binds() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let tier3 = app.guangxi_floors(&regulator).await;

    // Ningming inherits the province's tier 3.
    let body: Value = resolve(&app, "region_code=451422&on=2026-12-01").await.json().await.unwrap();
    assert_eq!(body["hourly_fen"], 1700);
    assert_eq!(body["binding_rule"]["id"], tier3);
    assert_eq!(body["binding_rule"]["source"], "桂政发〔2023〕24号");
    // Jiangzhou's tier 2 outranks the province's tier 3, and both were weighed.
    let body: Value = resolve(&app, "region_code=451402&on=2026-12-01").await.json().await.unwrap();
    assert_eq!(body["hourly_fen"], 1860);
    assert_eq!(body["rules"].as_array().unwrap().len(), 2);

    // A prevailing wage for cane cutting in Chongzuo binds its counties for that occupation only.
    let cane = app
        .add_rule(
            &regulator,
            json!({"region_code": "451400", "occupation_code": "sugarcane_cutting", "kind": "prevailing",
                   "hourly_fen": 2000, "effective_from": "2024-11-01", "source": "Chongzuo HRSS survey 2024"}),
        )
        .await;
    let body: Value = resolve(&app, "region_code=451481&occupation_code=sugarcane_cutting&on=2026-12-01")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (body["hourly_fen"].as_i64(), body["binding_rule"]["id"].as_str()),
        (Some(2000), Some(cane.as_str()))
    );
    assert_eq!(body["binding_rule"]["kind"], "prevailing");
    let body: Value = resolve(&app, "region_code=451481&occupation_code=fruit_picking&on=2026-12-01")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["hourly_fen"], 1700);
    // Before the rules took effect there is no floor.
    problem(resolve(&app, "region_code=451481&on=2023-10-31").await, 422, "no_wage_floor").await;
    problem(resolve(&app, "region_code=999999&on=2026-12-01").await, 422, "validation_failed").await;
    problem(resolve(&app, "region_code=451481&on=not-a-date").await, 400, "malformed_body").await;
}

#[actix_web::test]
async fn a_new_rule_takes_effect_on_its_date_and_ended_rules_stop() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let tier3 = app.guangxi_floors(&regulator).await;
    app.add_rule(
        &regulator,
        json!({"region_code": "450000", "kind": "statutory_minimum", "hourly_fen": 1900, "monthly_fen": 187_000,
               "effective_from": "2027-01-01", "source": "Guangxi 2025 draft, if adopted"}),
    )
    .await;
    let on = |day: &'static str| {
        let app = &app;
        async move { resolve(app, &format!("region_code=451422&on={day}")).await.json::<Value>().await.unwrap() }
    };
    assert_eq!(on("2026-12-31").await["hourly_fen"], 1700);
    assert_eq!(on("2027-01-01").await["hourly_fen"], 1900);

    let ended = app
        .post_json(
            &format!("/api/v1/wage-floors/{tier3}/end"),
            Some(&regulator),
            &json!({"effective_to": "2026-06-30"}),
        )
        .await;
    assert_eq!(ended.status(), StatusCode::OK);
    problem(resolve(&app, "region_code=451422&on=2026-07-01").await, 422, "no_wage_floor").await;
    let before = app
        .post_json(
            &format!("/api/v1/wage-floors/{tier3}/end"),
            Some(&regulator),
            &json!({"effective_to": "2020-01-01"}),
        )
        .await;
    problem(before, 422, "validation_failed").await;
}

#[actix_web::test]
async fn only_regulators_write_rules_and_bad_rules_write_nothing() {
    let app = TestApp::spawn().await;
    let good = json!({"region_code": "451422", "kind": "statutory_minimum", "hourly_fen": 1700,
                      "effective_from": "2023-11-01", "source": "桂政发〔2023〕24号"});
    for role in [Role::Employer, Role::Agency, Role::Worker] {
        let session = app.login_as(role).await;
        problem(app.post_json("/api/v1/wage-floors", Some(&session), &good).await, 403, "forbidden").await;
    }
    problem(app.post_json("/api/v1/wage-floors", None, &good).await, 401, "not_authenticated").await;

    let regulator = app.login_as(Role::Regulator).await;
    let with = |key: &str, value: Value| {
        let mut rule = good.clone();
        rule[key] = value;
        rule
    };
    for (bad, field) in [
        (with("region_code", json!("999999")), "region_code"),
        (with("kind", json!("prevailing")), "occupation_code"),
        (with("occupation_code", json!("sugarcane_cutting")), "occupation_code"),
        (with("hourly_fen", json!(0)), "hourly_fen"),
        (with("effective_to", json!("2023-10-01")), "effective_to"),
        (with("source", json!("  ")), "source"),
    ] {
        let err = problem(
            app.post_json("/api/v1/wage-floors", Some(&regulator), &bad).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(err["field"], field, "{bad}");
    }
    problem(
        app.post_json("/api/v1/wage-floors", Some(&regulator), &with("tier", json!(3))).await,
        400,
        "malformed_body",
    )
    .await;
    let rules: Vec<Value> = app.get("/api/v1/wage-floors", None).await.json().await.unwrap();
    assert!(rules.is_empty(), "nothing written: {rules:?}");
    let end = app
        .post_json("/api/v1/wage-floors/nope/end", Some(&regulator), &json!({"effective_to": "2026-01-01"}))
        .await;
    problem(end, 404, "not_found").await;
}

#[actix_web::test]
async fn only_regulators_end_rules_verify_and_list_employers() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let tier3 = app.guangxi_floors(&regulator).await;
    let pending = app.employer(false).await;
    let end = format!("/api/v1/wage-floors/{tier3}/end");
    let verify = format!("/api/v1/employers/{}/verify", pending.employer_id);
    for role in [Role::Employer, Role::Agency, Role::Worker] {
        let session = app.login_as(role).await;
        problem(
            app.post_json(&end, Some(&session), &json!({"effective_to": "2026-01-01"})).await,
            403,
            "forbidden",
        )
        .await;
        problem(app.post_json(&verify, Some(&session), &json!({})).await, 403, "forbidden").await;
        problem(app.get("/api/v1/employers", Some(&session)).await, 403, "forbidden").await;
    }
    problem(app.post_json(&verify, Some(&pending.session), &json!({})).await, 403, "forbidden").await;
    let rule: Value = resolve(&app, "region_code=451422&on=2026-12-01").await.json().await.unwrap();
    assert!(rule["binding_rule"]["id"] == tier3, "the rule was not ended");
    let employer: Value = app
        .get(&format!("/api/v1/employers/{}", pending.employer_id), Some(&regulator))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(employer["status"], "pending", "an employer cannot verify itself");
    let listed: Vec<Value> =
        app.get("/api/v1/employers?status=pending", Some(&regulator)).await.json().await.unwrap();
    assert_eq!(listed.len(), 1);
}

#[actix_web::test]
async fn employer_registration_refuses_bad_input_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let good = json!({"name": "Fusui Cane Co.", "registration_no": "91451421X", "region_code": "451421",
                      "email": "boss@fusui.example.cn", "password": "a long enough password"});
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    for (bad, field) in [
        (with("name", json!(" ")), "name"),
        (with("registration_no", json!("")), "registration_no"),
        (with("region_code", json!("VN-09")), "region_code"),
        (with("region_code", json!("450000")), "region_code"),
        (with("email", json!("not-an-email")), "email"),
        (with("password", json!("short")), "password"),
    ] {
        let err =
            problem(app.post_json("/api/v1/employers", None, &bad).await, 422, "validation_failed").await;
        assert_eq!(err["field"], field, "{bad}");
    }
    problem(
        app.post_json("/api/v1/employers", None, &with("status", json!("verified"))).await,
        400,
        "malformed_body",
    )
    .await;
    assert_eq!(app.post_json("/api/v1/employers", None, &good).await.status(), StatusCode::CREATED);
    problem(
        app.post_json("/api/v1/employers", None, &with("email", json!("other@fusui.example.cn"))).await,
        409,
        "conflict",
    )
    .await;
    let regulator = app.login_as(Role::Regulator).await;
    let all: Vec<Value> = app.get("/api/v1/employers", Some(&regulator)).await.json().await.unwrap();
    assert_eq!(all.len(), 1, "only the good registration was written");
}

/// The floor rules live in the service: called without HTTP, only a regulator adds or ends a
/// rule, and a refused call writes nothing; anyone reads them.
#[actix_web::test]
async fn the_wage_floor_service_refuses_the_wrong_actor_without_http() {
    use seasonlink::actor::Actor;
    use seasonlink::error::ErrorCode;
    use seasonlink::services::wage_floors::{self, NewRule};

    let app = TestApp::spawn().await;
    let actor =
        |role, org: Option<&str>| Actor { user_id: "someone".into(), role, org_id: org.map(Into::into) };
    let rule = || -> NewRule {
        serde_json::from_value(
            json!({"region_code": "450000", "kind": "statutory_minimum", "hourly_fen": 1700,
            "effective_from": "2023-11-01", "source": "桂政发〔2023〕24号"}),
        )
        .unwrap()
    };
    let (employer, agency) = (actor(Role::Employer, Some("employer")), actor(Role::Agency, Some("agency")));
    for wrong in [&employer, &agency, &actor(Role::Worker, Some("worker"))] {
        let refused = wage_floors::create_rule(&app.state, wrong, rule()).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Forbidden, "{:?}", wrong.role);
    }
    assert!(wage_floors::list_rules(&app.state, None).await.unwrap().is_empty(), "nothing was written");

    let cn = Some(seasonlink::services::authorities::CN_NATIONAL);
    let regulator =
        Actor { user_id: app.login_as(Role::Regulator).await.user_id.into(), ..actor(Role::Regulator, cn) };
    let added = wage_floors::create_rule(&app.state, &regulator, rule()).await.unwrap();
    let last_day = "2030-12-31".parse().unwrap();
    let refused =
        wage_floors::end_rule(&app.state, &employer, &added.id.as_str().into(), last_day).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    let unknown =
        wage_floors::end_rule(&app.state, &regulator, &"no-such-rule".into(), last_day).await.unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound);
    let rules = wage_floors::list_rules(&app.state, None).await.unwrap();
    assert_eq!((rules.len(), rules[0].effective_to), (1, None), "the refused end changed nothing");
    let floor = wage_floors::resolve(&app.state, "451422", None, None).await.unwrap();
    assert_eq!((floor.hourly_fen, floor.binding.id), (1700.into(), added.id), "anyone resolves the floor");
}
