//! Vacancies: the wage floor is enforced on every write, in every pay basis.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{EmployerSession, TestApp, day, problem, vacancy};

async fn setup() -> (TestApp, EmployerSession, String) {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    let tier3 = app.guangxi_floors(&regulator).await;
    let employer = app.employer(true).await;
    (app, employer, tier3)
}

async fn count_vacancies(app: &TestApp) -> usize {
    let regulator = app.login_as(Role::Regulator).await;
    app.get("/api/v1/vacancies", Some(&regulator)).await.json::<Vec<Value>>().await.unwrap().len()
}

#[actix_web::test]
async fn a_vacancy_at_the_floor_opens_and_one_fen_below_is_refused() {
    let (app, employer, tier3) = setup().await;
    let created = app.post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1700)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["status"], "open");
    assert_eq!(created["hourly_equivalent_fen"], 1700);
    assert_eq!(created["floor"]["hourly_fen"], 1700);
    assert_eq!(created["floor"]["binding_rule"]["id"], tier3);
    assert_eq!(created["required_skills"], json!(["cane_knife"]));
    assert_eq!(created["employer_id"], employer.employer_id);

    let refused = app.post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1699)).await;
    let err = problem(refused, 422, "below_wage_floor").await;
    assert_eq!(err["floor_hourly_fen"], 1700);
    assert_eq!(err["offered_hourly_fen"], 1699);
    assert_eq!(err["shortfall_fen"], 1);
    assert_eq!(err["binding_rule"]["source"], "桂政发〔2023〕24号");
    assert!(err["detail"].as_str().unwrap().contains("17.00 CNY an hour"), "{err}");
    assert_eq!(count_vacancies(&app).await, 1, "nothing written");

    // The public board shows it, without logging in.
    let board: Vec<Value> = app.get("/api/v1/vacancies?region_code=451400", None).await.json().await.unwrap();
    assert_eq!(board.len(), 1, "a prefecture includes its counties");
    let other: Vec<Value> = app.get("/api/v1/vacancies?region_code=450600", None).await.json().await.unwrap();
    assert!(other.is_empty());
    let id = created["id"].as_str().unwrap();
    assert_eq!(app.get(&format!("/api/v1/vacancies/{id}"), None).await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn monthly_and_piece_rates_are_judged_per_hour() {
    let (app, employer, _) = setup().await;
    // 48 h a week = 208 h a month; 17.00 × 208 = 3,536.00 CNY.
    let mut monthly = vacancy(353_600);
    monthly["pay_basis"] = json!("monthly");
    let ok: Value =
        app.post_json("/api/v1/vacancies", Some(&employer.session), &monthly).await.json().await.unwrap();
    assert_eq!(ok["hourly_equivalent_fen"], 1700);
    monthly["wage_fen"] = json!(353_599);
    let err = problem(
        app.post_json("/api/v1/vacancies", Some(&employer.session), &monthly).await,
        422,
        "below_wage_floor",
    )
    .await;
    assert_eq!(err["offered_hourly_fen"], 1699);

    // 40 h a week uses China's 174-hour month: 3,000 CNY is 17.24 CNY an hour.
    monthly["hours_per_week"] = json!(40);
    monthly["guaranteed_hours_per_week"] = json!(40);
    monthly["wage_fen"] = json!(300_000);
    let ok: Value =
        app.post_json("/api/v1/vacancies", Some(&employer.session), &monthly).await.json().await.unwrap();
    assert_eq!(ok["hourly_equivalent_fen"], 1724);

    let mut piece = vacancy(12_500);
    piece["pay_basis"] = json!("piece");
    piece["piece_unit"] = json!("tonne");
    piece["guaranteed_hourly_fen"] = json!(1700);
    let ok: Value =
        app.post_json("/api/v1/vacancies", Some(&employer.session), &piece).await.json().await.unwrap();
    assert_eq!(
        (ok["hourly_equivalent_fen"].as_i64(), ok["piece_unit"].as_str()),
        (Some(1700), Some("tonne"))
    );
    piece["guaranteed_hourly_fen"] = json!(1600);
    let err = problem(
        app.post_json("/api/v1/vacancies", Some(&employer.session), &piece).await,
        422,
        "below_wage_floor",
    )
    .await;
    assert_eq!(err["shortfall_fen"], 100);
    piece.as_object_mut().unwrap().remove("guaranteed_hourly_fen");
    let err = problem(
        app.post_json("/api/v1/vacancies", Some(&employer.session), &piece).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["field"], "guaranteed_hourly_fen");
}

#[actix_web::test]
async fn deductions_are_capped_and_may_not_push_pay_below_the_floor() {
    let (app, employer, _) = setup().await;
    // 25.00 CNY × 208 h = 5,200 CNY gross; the 20 % cap is 1,040 CNY.
    let mut offer = vacancy(2500);
    offer["deductions"] =
        json!([{"kind": "housing", "fen_per_month": 60_000}, {"kind": "meals", "fen_per_month": 44_001}]);
    let err = problem(
        app.post_json("/api/v1/vacancies", Some(&employer.session), &offer).await,
        422,
        "deductions_over_cap",
    )
    .await;
    assert_eq!((err["cap_fen"].as_i64(), err["deductions_fen"].as_i64()), (Some(104_000), Some(104_001)));
    // 18.00 CNY an hour is above the floor, but 100 CNY of meals leaves 17.51; 200 CNY leaves 17.03; 300 leaves 16.55.
    let mut offer = vacancy(1800);
    offer["deductions"] = json!([{"kind": "meals", "fen_per_month": 30_000}]);
    let err = problem(
        app.post_json("/api/v1/vacancies", Some(&employer.session), &offer).await,
        422,
        "below_wage_floor",
    )
    .await;
    assert_eq!(err["after_deductions"], true);
    assert_eq!(err["offered_hourly_fen"], 1655);
    offer["deductions"] = json!([{"kind": "meals", "fen_per_month": 20_000}]);
    let ok = app.post_json("/api/v1/vacancies", Some(&employer.session), &offer).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    assert_eq!(count_vacancies(&app).await, 1);
}

#[actix_web::test]
async fn bad_fields_are_refused_with_their_code_and_nothing_is_written() {
    let (app, employer, _) = setup().await;
    let with = |key: &str, value: Value| {
        let mut v = vacancy(2000);
        v[key] = value;
        v
    };
    let post = |body: Value| {
        let app = &app;
        let session = employer.session.clone();
        async move { app.post_json("/api/v1/vacancies", Some(&session), &body).await }
    };
    problem(post(with("season_end", json!(day(1)))).await, 422, "invalid_season").await;
    problem(post(with("season_end", json!(day(488)))).await, 422, "invalid_season").await;
    // A season in year 0 or 9999 is a typing slip, refused before any date arithmetic.
    let mut far = vacancy(2000);
    (far["season_start"], far["season_end"]) = (json!("9999-01-01"), json!("9999-03-01"));
    problem(post(far).await, 422, "invalid_season").await;
    let mut year_zero = vacancy(2000);
    (year_zero["season_start"], year_zero["season_end"]) = (json!("0000-01-01"), json!("0000-03-01"));
    problem(post(year_zero).await, 422, "invalid_season").await;
    for (bad, field) in [
        (with("occupation_code", json!("astronaut")), "occupation_code"),
        (with("region_code", json!("VN-09")), "region_code"),
        (with("region_code", json!("450000")), "region_code"),
        (with("crossing_code", json!("nowhere")), "crossing_code"),
        (with("required_skills", json!(["juggling"])), "required_skills"),
        (with("headcount", json!(0)), "headcount"),
        (with("guaranteed_hours_per_week", json!(49)), "guaranteed_hours_per_week"),
        (with("title", json!("   ")), "title"),
        (with("deductions", json!([{"kind": "housing", "fen_per_month": -1}])), "deductions"),
    ] {
        let err = problem(post(bad.clone()).await, 422, "validation_failed").await;
        assert_eq!(err["field"], field, "{bad}");
    }
    problem(post(with("bonus_fen", json!(1))).await, 400, "malformed_body").await;
    problem(post(with("pay_basis", json!("daily"))).await, 400, "malformed_body").await;
    assert_eq!(count_vacancies(&app).await, 0);
}

#[actix_web::test]
async fn only_verified_employers_open_vacancies_and_drafts_wait() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    let pending = app.employer(false).await;
    let err = problem(
        app.post_json("/api/v1/vacancies", Some(&pending.session), &vacancy(1800)).await,
        403,
        "employer_not_verified",
    )
    .await;
    assert!(err["detail"].as_str().unwrap().contains("draft"));
    let mut draft = vacancy(1800);
    draft["status"] = json!("draft");
    let created: Value =
        app.post_json("/api/v1/vacancies", Some(&pending.session), &draft).await.json().await.unwrap();
    assert_eq!(created["status"], "draft");
    let id = created["id"].as_str().unwrap().to_owned();
    let board: Vec<Value> = app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    assert!(board.is_empty(), "drafts are not public");
    problem(app.get(&format!("/api/v1/vacancies/{id}"), None).await, 404, "not_found").await;
    let open_path = format!("/api/v1/vacancies/{id}/open");
    problem(
        app.post_json(&open_path, Some(&pending.session), &json!({})).await,
        403,
        "employer_not_verified",
    )
    .await;

    let verify = format!("/api/v1/employers/{}/verify", pending.employer_id);
    assert_eq!(app.post_json(&verify, Some(&regulator), &json!({})).await.status(), StatusCode::OK);
    let opened: Value =
        app.post_json(&open_path, Some(&pending.session), &json!({})).await.json().await.unwrap();
    assert_eq!(opened["status"], "open");
    problem(app.post_json(&open_path, Some(&pending.session), &json!({})).await, 409, "conflict").await;
}

#[actix_web::test]
async fn employers_see_and_touch_only_their_own() {
    let (app, mine, _) = setup().await;
    let theirs = app.employer(true).await;
    let mut draft = vacancy(1800);
    draft["status"] = json!("draft");
    let created: Value =
        app.post_json("/api/v1/vacancies", Some(&mine.session), &draft).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/vacancies/{id}");
    problem(app.get(&path, Some(&theirs.session)).await, 404, "not_found").await;
    let patch = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&theirs.session.token)
        .json(&json!({"wage_fen": 1900}))
        .send()
        .await
        .unwrap();
    problem(patch, 404, "not_found").await;
    problem(
        app.post_json(&format!("{path}/close"), Some(&theirs.session), &json!({})).await,
        404,
        "not_found",
    )
    .await;
    let theirs_list: Vec<Value> =
        app.get("/api/v1/vacancies", Some(&theirs.session)).await.json().await.unwrap();
    assert!(theirs_list.is_empty());
    let mine_list: Vec<Value> = app.get("/api/v1/vacancies", Some(&mine.session)).await.json().await.unwrap();
    assert_eq!(mine_list.len(), 1);
    let other_employer = format!("/api/v1/employers/{}", mine.employer_id);
    problem(app.get(&other_employer, Some(&theirs.session)).await, 404, "not_found").await;
    assert_eq!(app.get(&other_employer, Some(&mine.session)).await.status(), StatusCode::OK);

    for role in [Role::Agency, Role::Worker, Role::Regulator] {
        let session = app.login_as(role).await;
        problem(app.post_json("/api/v1/vacancies", Some(&session), &vacancy(1800)).await, 403, "forbidden")
            .await;
    }
    problem(app.post_json("/api/v1/vacancies", None, &vacancy(1800)).await, 401, "not_authenticated").await;
    let bad_token = app.client.get(app.url("/api/v1/vacancies")).bearer_auth("x.y.z").send().await.unwrap();
    problem(bad_token, 401, "token_invalid").await;
}

#[actix_web::test]
async fn edits_are_checked_again_and_closed_vacancies_are_final() {
    let (app, employer, _) = setup().await;
    let created: Value = app
        .post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1800))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/vacancies/{}", created["id"].as_str().unwrap());
    let patch = |body: Value| {
        let (app, token, path) = (&app, employer.session.token.clone(), path.clone());
        async move { app.client.patch(app.url(&path)).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    problem(patch(json!({"wage_fen": 1650})).await, 422, "below_wage_floor").await;
    let unchanged: Value = app.get(&path, Some(&employer.session)).await.json().await.unwrap();
    assert_eq!(unchanged["wage_fen"], 1800);
    // Moving it to Jiangzhou (tier 2, 18.60) makes 18.00 too little there.
    let err = problem(patch(json!({"region_code": "451402"})).await, 422, "below_wage_floor").await;
    assert_eq!(err["floor_hourly_fen"], 1860);
    let edited: Value = patch(json!({"region_code": "451402", "wage_fen": 1860, "headcount": 10}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (edited["floor"]["hourly_fen"].as_i64(), edited["headcount"].as_i64()),
        (Some(1860), Some(10))
    );

    let closed = app.post_json(&format!("{path}/close"), Some(&employer.session), &json!({})).await;
    assert_eq!(closed.json::<Value>().await.unwrap()["status"], "closed");
    problem(patch(json!({"wage_fen": 2000})).await, 409, "conflict").await;
    let board: Vec<Value> = app.get("/api/v1/vacancies", None).await.json().await.unwrap();
    assert!(board.is_empty(), "closed vacancies leave the board");
}

#[actix_web::test]
async fn the_floor_on_every_day_of_the_season_binds() {
    let (app, employer, _) = setup().await;
    let regulator = app.login_as(Role::Regulator).await;
    let raise = app
        .add_rule(
            &regulator,
            json!({"region_code": "450000", "kind": "statutory_minimum", "hourly_fen": 1900,
                   "effective_from": day(64), "source": "Guangxi 2027 raise"}),
        )
        .await;
    // The season runs to March 2027, so February's higher floor binds the whole offer.
    let err = problem(
        app.post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1800)).await,
        422,
        "below_wage_floor",
    )
    .await;
    assert_eq!(err["binding_rule"]["id"], raise);
    let mut short_season = vacancy(1800);
    short_season["season_end"] = json!(day(63));
    assert_eq!(
        app.post_json("/api/v1/vacancies", Some(&employer.session), &short_season).await.status(),
        StatusCode::CREATED
    );
}

#[actix_web::test]
async fn a_raised_floor_lists_open_vacancies_now_below_it() {
    let (app, employer, _) = setup().await;
    let created: Value = app
        .post_json("/api/v1/vacancies", Some(&employer.session), &vacancy(1750))
        .await
        .json()
        .await
        .unwrap();
    let regulator = app.login_as(Role::Regulator).await;
    let listed: Vec<Value> =
        app.get("/api/v1/wage-floors/below-floor", Some(&regulator)).await.json().await.unwrap();
    assert!(listed.is_empty());
    app.add_rule(
        &regulator,
        json!({"region_code": "451400", "occupation_code": "sugarcane_cutting", "kind": "prevailing",
               "hourly_fen": 2000, "effective_from": "2026-01-01", "source": "Chongzuo cane survey"}),
    )
    .await;
    let listed: Vec<Value> =
        app.get("/api/v1/wage-floors/below-floor", Some(&regulator)).await.json().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["vacancy"]["id"], created["id"]);
    assert_eq!(
        (listed[0]["floor_hourly_fen"].as_i64(), listed[0]["shortfall_fen"].as_i64()),
        (Some(2000), Some(250))
    );
    // It stays open and stored as written: the regulator decides what to do.
    let still: Value = app
        .get(&format!("/api/v1/vacancies/{}", created["id"].as_str().unwrap()), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still["status"], "open");
    problem(app.get("/api/v1/wage-floors/below-floor", Some(&employer.session)).await, 403, "forbidden")
        .await;
}

/// A floor raised while vacancy writes are in flight: every write that commits after the
/// raise is checked against the raised floor, so none below it is ever stored.
#[actix_web::test]
async fn a_floor_raised_concurrently_cannot_be_slipped_past() {
    let (app, employer, _) = setup().await;
    let regulator = app.login_as(Role::Regulator).await;
    let raise = json!({"region_code": "451400", "occupation_code": "sugarcane_cutting", "kind": "prevailing",
                       "hourly_fen": 2000, "effective_from": "2026-01-01", "source": "concurrent raise"});
    let offer = vacancy(1800); // above the old floor (17.00), below the new one (20.00)
    let write = || app.post_json("/api/v1/vacancies", Some(&employer.session), &offer);
    let (raised, during) = tokio::join!(
        async {
            // Let some writes get under way first, so the raise lands among them.
            tokio::time::sleep(std::time::Duration::from_millis(40)).await;
            app.post_json("/api/v1/wage-floors", Some(&regulator), &raise).await
        },
        join_all((0..30).map(|_| write()))
    );
    assert_eq!(raised.status(), StatusCode::CREATED);
    let after = join_all((0..6).map(|_| write())).await;
    for response in after {
        problem(response, 422, "below_wage_floor").await;
    }
    let mut accepted = 0;
    for response in during {
        match response.status() {
            StatusCode::CREATED => accepted += 1,
            StatusCode::UNPROCESSABLE_ENTITY => {}
            other => panic!("unexpected {other}"),
        }
    }
    eprintln!("{accepted} of 30 concurrent writes committed before the raise");
    // Exactly the writes that committed before the raise were stored, each checked against
    // the floor it saw; the regulator now sees all of them as below the floor.
    assert_eq!(count_vacancies(&app).await, accepted);
    let listed: Vec<Value> =
        app.get("/api/v1/wage-floors/below-floor", Some(&regulator)).await.json().await.unwrap();
    assert_eq!(listed.len(), accepted);
    let stored: Vec<Value> = app.get("/api/v1/vacancies", Some(&regulator)).await.json().await.unwrap();
    assert!(stored.iter().all(|v| v["floor"]["hourly_fen"] == 1700 && v["hourly_equivalent_fen"] == 1800));
}

/// Transactions that read and then write (employer registration checks the number, then
/// inserts) succeed side by side instead of failing with a busy database.
#[actix_web::test]
async fn concurrent_registrations_all_succeed() {
    // Enough connections for every request, so only the database's own locking is tested.
    let app = TestApp::spawn_with(seasonlink_tests::TestDb::create().await, |s| {
        s.database.pool_size = 8;
        s.database.connection_timeout_ms = 20_000;
    })
    .await;
    let register = |i: usize| {
        let app = &app;
        async move {
            let body = json!({"name": format!("Cane farm {i}"), "registration_no": format!("REG-{i:04}"),
                              "region_code": "451421", "email": format!("farm{i}@test.seasonlink.vn"),
                              "password": seasonlink_tests::PASSWORD});
            app.post_json("/api/v1/employers", None, &body).await.status()
        }
    };
    let statuses = join_all((0..8).map(register)).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED), "{statuses:?}");
}

/// The guard itself: while a transaction that raises the floor is open, a vacancy write
/// waits for it; once it commits, the write is checked against the raised floor.
#[actix_web::test]
async fn a_vacancy_write_waits_for_a_floor_raise_in_flight() {
    use diesel::connection::SimpleConnection;
    let (app, employer, _) = setup().await;
    let mut conn = app.db.connect();
    conn.batch_execute("BEGIN").unwrap();
    conn.batch_execute("UPDATE wage_floor_guard SET writes = writes + 1 WHERE id = 1").unwrap();
    conn.batch_execute(
        "INSERT INTO wage_floor_rules (id, region_code, occupation_code, kind, hourly_fen, effective_from, source, created_at) \
         VALUES ('raise-in-flight', '451400', 'sugarcane_cutting', 'prevailing', 2000, '2026-01-01', 'raise in flight', '2026-11-26 00:00:00')",
    )
    .unwrap();

    let (client, url, token) =
        (app.client.clone(), app.url("/api/v1/vacancies"), employer.session.token.clone());
    let write = actix_web::rt::spawn(async move {
        client.post(url).bearer_auth(token).json(&vacancy(1800)).send().await.unwrap()
    });
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert!(!write.is_finished(), "the write went ahead while the raise was in flight");
    conn.batch_execute("COMMIT").unwrap();

    let err = problem(write.await.unwrap(), 422, "below_wage_floor").await;
    assert_eq!(err["binding_rule"]["id"], "raise-in-flight");
    assert_eq!(count_vacancies(&app).await, 0);
}

/// The vacancy rules live in the service: called without HTTP, only an employer writes, only
/// its own vacancies, and a draft is another tenant's secret.
#[actix_web::test]
async fn the_vacancy_service_refuses_the_wrong_actor_without_http() {
    use seasonlink::actor::Actor;
    use seasonlink::error::ErrorCode;
    use seasonlink::services::vacancies::{self, ListQuery, VacancyInput, VacancyPatch};

    let (app, employer, _) = setup().await;
    let actor =
        |role, org: Option<&str>| Actor { user_id: "someone".into(), role, org_id: org.map(Into::into) };
    let input = |body: Value| serde_json::from_value::<VacancyInput>(body).unwrap();
    let own = Actor {
        user_id: employer.session.user_id.clone().into(),
        role: Role::Employer,
        org_id: Some(employer.employer_id.clone().into()),
    };
    let (agency, regulator) = (actor(Role::Agency, Some("agency")), actor(Role::Regulator, None));
    for wrong in [&agency, &regulator, &actor(Role::Employer, None)] {
        let refused = vacancies::create(&app.state, wrong, input(vacancy(1800))).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Forbidden, "{:?}", wrong.role);
    }
    let mut draft = vacancy(1800);
    draft["status"] = json!("draft");
    let draft = vacancies::create(&app.state, &own, input(draft)).await.unwrap();
    let open = vacancies::create(&app.state, &own, input(vacancy(1800))).await.unwrap();

    let other = actor(Role::Employer, Some("another-employer"));
    let patch = VacancyPatch { headcount: Some(1), ..Default::default() };
    let hidden = vacancies::update(&app.state, &other, &open.id, patch.clone()).await.unwrap_err();
    assert_eq!(hidden.code, ErrorCode::NotFound);
    assert_eq!(vacancies::open(&app.state, &other, &draft.id).await.unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(vacancies::close(&app.state, &other, &open.id).await.unwrap_err().code, ErrorCode::NotFound);
    let refused = vacancies::update(&app.state, &agency, &open.id, patch).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert_eq!(
        vacancies::close(&app.state, &regulator, &open.id).await.unwrap_err().code,
        ErrorCode::Forbidden
    );

    for (reader, sees_draft) in [
        (None, false),
        (Some(&agency), false),
        (Some(&other), false),
        (Some(&own), true),
        (Some(&regulator), true),
    ] {
        let found = vacancies::find(&app.state, reader, &draft.id).await;
        assert_eq!(found.is_ok(), sees_draft, "{reader:?}");
        if !sees_draft {
            assert_eq!(found.unwrap_err().code, ErrorCode::NotFound);
        }
    }
    let state = &app.state;
    let seen = |reader| async move {
        vacancies::list(state, reader, ListQuery::default()).await.map(|page| page.items)
    };
    assert_eq!(seen(None).await.unwrap().len(), 1, "the public reads the open one");
    assert_eq!(seen(Some(&agency)).await.unwrap().len(), 1, "an agency reads what the public reads");
    assert!(seen(Some(&other)).await.unwrap().is_empty(), "another employer has none");
    assert_eq!(vacancies::below_floor(&app.state, &own).await.unwrap_err().code, ErrorCode::Forbidden);

    let all = seen(Some(&regulator)).await.unwrap();
    assert_eq!(all.len(), 2, "nothing was written by the refused calls");
    let kept = all.iter().find(|v| v.id == open.id).unwrap();
    assert_eq!((kept.status.as_str(), kept.headcount), ("open", 40), "nor changed");
    assert_eq!(all.iter().find(|v| v.id == draft.id).unwrap().status, "draft");
}

/// The employer rules live in the service: only a regulator verifies and lists employers, and
/// an employer reads itself but not another.
#[actix_web::test]
async fn the_employer_service_refuses_the_wrong_actor_without_http() {
    use seasonlink::actor::Actor;
    use seasonlink::error::ErrorCode;
    use seasonlink::services::employers::{self, Registration};

    let app = TestApp::spawn().await;
    let registration: Registration = serde_json::from_value(json!({
        "name": "Ningming Sugar Co.", "registration_no": "91451422MA5N000001", "region_code": "451422",
        "email": "ningming@test.seasonlink.vn", "password": "a long enough password",
    }))
    .unwrap();
    let employer = employers::register(&app.state, None, registration).await.unwrap();
    assert_eq!(employer.status, seasonlink::domain::account::EmployerStatus::Pending);
    let actor =
        |role, org: Option<&str>| Actor { user_id: "someone".into(), role, org_id: org.map(Into::into) };
    let own = actor(Role::Employer, Some(employer.id.as_str()));
    let other = actor(Role::Employer, Some("another-employer"));
    let agency = actor(Role::Agency, Some("agency"));
    for wrong in [&own, &agency] {
        let refused = employers::verify(&app.state, wrong, &employer.id).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Forbidden, "{:?}", wrong.role);
        assert_eq!(
            employers::list(&app.state, wrong, None, Default::default()).await.unwrap_err().code,
            ErrorCode::Forbidden
        );
    }
    assert_eq!(employers::find(&app.state, &own, &employer.id).await.unwrap().id, employer.id);
    for hidden in [&other, &agency] {
        let refused = employers::find(&app.state, hidden, &employer.id).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::NotFound, "{:?}", hidden.role);
    }
    let cn = Some(seasonlink::services::authorities::CN_NATIONAL);
    let regulator =
        Actor { user_id: app.login_as(Role::Regulator).await.user_id.into(), ..actor(Role::Regulator, cn) };
    let read = employers::find(&app.state, &regulator, &employer.id).await.unwrap();
    assert_eq!(
        read.status,
        seasonlink::domain::account::EmployerStatus::Pending,
        "nothing was written by the refused calls"
    );
    let verified = employers::verify(&app.state, &regulator, &employer.id).await.unwrap();
    assert_eq!(verified.status, seasonlink::domain::account::EmployerStatus::Verified);
}
