//! Workers: registered by licensed agencies, one registration per identity document,
//! visible to their agency and regulators only; imported from CSV all or nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use seasonlink::domain::account::Role;
use seasonlink_tests::{PASSWORD, TestApp, TestDb, WORKER_CSV_HEADER, day, problem, worker, worker_csv_row};

#[actix_web::test]
async fn an_agency_registers_a_worker_and_sees_it_in_full() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let response = app.post_json("/api/v1/workers", Some(&agency.session), &worker(" c123-4567 ")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["agency_id"], agency.agency_id);
    assert_eq!(created["id_document_number"], "C1234567");
    assert_eq!(created["skills"], json!(["cane_knife", "heavy_loading"]));
    assert_eq!(created["languages"], json!(["vi", "zh"]));
    assert_eq!(created["home_province_code"], "VN-09");
    assert_eq!(created["seasons_worked"], 2);
    assert_eq!(created["return_history"], json!([]));
    assert_eq!(created["returned_on_time_count"], 0);
    assert_eq!(created["has_account"], false);
    let id = created["id"].as_str().unwrap();

    let one = app.get(&format!("/api/v1/workers/{id}"), Some(&agency.session)).await;
    assert_eq!(one.status(), StatusCode::OK);
    assert_eq!(app.list_workers(&agency.session).await.len(), 1);
    let regulator = app.login_as_authority("VN").await;
    let seen: Value = app.get(&format!("/api/v1/workers/{id}"), Some(&regulator)).await.json().await.unwrap();
    assert_eq!(seen["id_document_number"], "C1234567");

    let edited = app
        .patch_json(
            &format!("/api/v1/workers/{id}"),
            Some(&agency.session),
            &json!({"skills": ["first_aid"], "phone": "", "available_until": day(122)}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["skills"], json!(["first_aid"]));
    assert_eq!(edited["phone"], Value::Null);
    assert_eq!(edited["available_until"], day(122).to_string());
    assert_eq!(edited["full_name"], "Nguyễn Thị Hoa");
}

#[actix_web::test]
async fn a_password_the_agency_sends_sets_nothing_and_the_activated_worker_sees_itself() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let mut body = worker("C7654321");
    body["email"] = json!("hoa@example.vn");
    body["password"] = json!(PASSWORD);
    let created: Value =
        app.post_json("/api/v1/workers", Some(&agency.session), &body).await.json().await.unwrap();
    assert_eq!(created["has_account"], false, "an agency never sets its worker's password");
    problem(app.login("hoa@example.vn", PASSWORD).await, 401, "invalid_credentials").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM users WHERE role = 'worker'").await, 0);

    let me = app.activate_worker(created["id"].as_str().unwrap()).await;
    let own = app.get("/api/v1/workers/me", Some(&me)).await;
    assert_eq!(own.status(), StatusCode::OK);
    let own: Value = own.json().await.unwrap();
    assert_eq!(own["id"], created["id"]);
    assert!(own.get("id_document_number").is_none(), "{own}");
    // A worker reads no other record through the agency's paths.
    let path = format!("/api/v1/workers/{}", created["id"].as_str().unwrap());
    problem(app.get(&path, Some(&me)).await, 404, "not_found").await;
    problem(app.get("/api/v1/workers/me", Some(&agency.session)).await, 403, "forbidden").await;
}

#[actix_web::test]
async fn bad_workers_are_refused_with_the_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let today = app.today();
    let cases = [
        ("full_name", json!("  ")),
        ("date_of_birth", json!(today - chrono::Duration::days(17 * 365))),
        ("date_of_birth", json!(today - chrono::Duration::days(67 * 365))),
        ("gender", json!("x")),
        ("id_document_number", json!("12")),
        ("home_province_code", json!("451422")),
        ("phone", json!("call me")),
        ("email", json!("nope")),
        ("languages", json!(["vietnamese"])),
        ("skills", json!(["juggling"])),
        ("available_until", json!(day(-29))),
        ("seasons_worked", json!(-1)),
    ];
    for (field, value) in cases {
        let mut body = worker("C3000001");
        body[field] = value;
        let err = problem(
            app.post_json("/api/v1/workers", Some(&agency.session), &body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(err["field"], field, "{err}");
    }
    let mut unknown = worker("C3000001");
    unknown["nickname"] = json!("Hoa");
    problem(app.post_json("/api/v1/workers", Some(&agency.session), &unknown).await, 400, "malformed_body")
        .await;
    assert!(app.list_workers(&agency.session).await.is_empty(), "nothing written");
}

#[actix_web::test]
async fn one_document_one_registration_across_agencies_naming_no_agency() {
    let app = TestApp::spawn().await;
    let first = app.agency().await;
    let second = app.agency().await;
    let created = app.post_json("/api/v1/workers", Some(&first.session), &worker("C4000001")).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let first_id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    for agency in [&second, &first] {
        let again = app.post_json("/api/v1/workers", Some(&agency.session), &worker("c4000-001")).await;
        let err = problem(again, 409, "worker_already_registered").await;
        let text = err.to_string();
        assert!(
            !text.contains(&first.agency_id) && !text.contains("Lạng Sơn") && !text.contains(&first_id),
            "{text}"
        );
    }
    assert!(app.list_workers(&second.session).await.is_empty());

    // Editing another worker onto a registered document is refused the same way.
    let other: Value = app
        .post_json("/api/v1/workers", Some(&second.session), &worker("C4000002"))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/workers/{}", other["id"].as_str().unwrap());
    let edit = app.patch_json(&path, Some(&second.session), &json!({"id_document_number": "C4000001"})).await;
    problem(edit, 409, "worker_already_registered").await;
}

#[actix_web::test]
async fn roles_and_tenants_are_kept_apart() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let other = app.agency().await;
    let employer = app.employer(true).await;
    let regulator = app.login_as_authority("VN").await;
    let created: Value = app
        .post_json("/api/v1/workers", Some(&agency.session), &worker("C5000001"))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/workers/{}", created["id"].as_str().unwrap());

    for session in [&employer.session, &regulator] {
        problem(app.post_json("/api/v1/workers", Some(session), &worker("C5000002")).await, 403, "forbidden")
            .await;
        problem(app.patch_json(&path, Some(session), &json!({"seasons_worked": 1})).await, 403, "forbidden")
            .await;
        let csv = format!("{WORKER_CSV_HEADER}{}", worker_csv_row("Lê Văn Tám", "C5000003")).into_bytes();
        problem(app.post_csv("/api/v1/workers/import", Some(session), csv).await, 403, "forbidden").await;
    }
    problem(app.get(&path, Some(&employer.session)).await, 404, "not_found").await;
    problem(app.get("/api/v1/workers", Some(&employer.session)).await, 404, "not_found").await;
    // Another agency: not found, whether reading or editing.
    problem(app.get(&path, Some(&other.session)).await, 404, "not_found").await;
    problem(
        app.patch_json(&path, Some(&other.session), &json!({"seasons_worked": 9})).await,
        404,
        "not_found",
    )
    .await;
    assert!(app.list_workers(&other.session).await.is_empty());
    assert_eq!(app.list_workers(&regulator).await.len(), 1);
    let unchanged: Value = app.get(&path, Some(&agency.session)).await.json().await.unwrap();
    assert_eq!(unchanged["seasons_worked"], 2);
}

#[actix_web::test]
async fn an_inactive_licence_stops_registering_editing_and_importing() {
    let app = TestApp::spawn().await;
    let regulator = app.login_as_authority("VN").await;
    let agency = app.agency_valid(&regulator, -10, 100).await;
    let created: Value = app
        .post_json("/api/v1/workers", Some(&agency.session), &worker("C6000001"))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/workers/{}", created["id"].as_str().unwrap());
    let licence = format!("/api/v1/agencies/{}/licence", agency.agency_id);
    let csv = || format!("{WORKER_CSV_HEADER}{}", worker_csv_row("Lê Văn Tám", "C6000002")).into_bytes();

    app.post_json(&format!("{licence}/suspend"), Some(&regulator), &json!({"reason": "inspection"})).await;
    problem(
        app.post_json("/api/v1/workers", Some(&agency.session), &worker("C6000003")).await,
        403,
        "licence_inactive",
    )
    .await;
    problem(
        app.patch_json(&path, Some(&agency.session), &json!({"seasons_worked": 5})).await,
        403,
        "licence_inactive",
    )
    .await;
    problem(
        app.post_csv("/api/v1/workers/import", Some(&agency.session), csv()).await,
        403,
        "licence_inactive",
    )
    .await;
    assert_eq!(app.list_workers(&agency.session).await.len(), 1, "nothing written");

    app.post_json(&format!("{licence}/reinstate"), Some(&regulator), &json!({"reason": "cleared"})).await;
    assert_eq!(
        app.patch_json(&path, Some(&agency.session), &json!({"seasons_worked": 5})).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.post_csv("/api/v1/workers/import", Some(&agency.session), csv()).await.status(),
        StatusCode::CREATED
    );

    // Expired by the calendar: import refused too.
    app.state.clock.advance(chrono::Duration::days(101));
    let session = app.session_for(&agency.session.email).await;
    problem(app.post_csv("/api/v1/workers/import", Some(&session), csv()).await, 403, "licence_inactive")
        .await;
    assert_eq!(app.list_workers(&session).await.len(), 2);
}

#[actix_web::test]
async fn ten_thousand_rows_with_diacritics_import_at_once() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let names = ["Nguyễn Thị Hoa", "Trần Văn Đức", "Lê Thị Ánh", "Phạm Quốc Bảo", "Hoàng Thị Ngọc Diệp"];
    let mut csv = String::from("\u{feff}");
    csv.push_str(WORKER_CSV_HEADER);
    for i in 0..10_000 {
        csv.push_str(&worker_csv_row(&format!("{} {i}", names[i % names.len()]), &format!("D{i:08}")));
    }
    let started = std::time::Instant::now();
    let response = app.post_csv("/api/v1/workers/import", Some(&agency.session), csv.into_bytes()).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    assert_eq!(response.json::<Value>().await.unwrap()["created"], 10_000);
    eprintln!("imported 10,000 workers in {:?}", started.elapsed());

    let all = app.list_workers(&agency.session).await;
    assert_eq!(all.len(), 10_000);
    let diep = all.iter().find(|w| w["id_document_number"] == "D00000004").unwrap();
    assert_eq!(diep["full_name"], "Hoàng Thị Ngọc Diệp 4");
    assert_eq!(diep["skills"], json!(["cane_knife", "first_aid"]));
    assert_eq!(diep["languages"], json!(["vi", "zh"]));
}

#[actix_web::test]
async fn a_file_with_bad_rows_imports_nothing_lists_every_bad_row_and_tells_nothing_of_the_registry() {
    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let other = app.agency().await;
    app.post_json("/api/v1/workers", Some(&other.session), &worker("E0000009")).await;
    let mut csv = WORKER_CSV_HEADER.as_bytes().to_vec();
    csv.extend(worker_csv_row("Nguyễn Thị Hoa", "E0000001").bytes()); // row 2: good
    csv.extend(worker_csv_row("", "E0000002").bytes()); // row 3: no name
    csv.extend(worker_csv_row("Lê Văn Tám", "E0000001").bytes()); // row 4: duplicate in file
    csv.extend(worker_csv_row("Trần Bình", "E0000009").bytes()); // row 5: registered elsewhere
    csv.extend(b"Ph\xe1m,1990-05-01,male,E0000005,VN-09,,,vi,,"); // row 6: bad UTF-8
    csv.extend(format!("{},{},0\n", day(-28), day(152)).bytes());
    csv.extend(b"only,three,cells\n"); // row 7: ragged
    csv.extend(
        format!("Đỗ Văn Ánh,1990-02-30,male,E0000007,VN-99,,,vi,juggling,{},{},0\n", day(-28), day(-59))
            .bytes(),
    ); // row 8
    csv.extend(worker_csv_row("Vũ Thị Lan", "E0000010").bytes()); // row 9: good
    csv.extend(
        worker_csv_row("Hồ Văn Mười", "E0000011").replace(&day(152).to_string(), "9999-12-31").bytes(),
    ); // row 10
    let response = app.post_csv("/api/v1/workers/import", Some(&agency.session), csv).await;
    let err = problem(response, 422, "validation_failed").await;
    let found: Vec<(i64, &str, &str)> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (3, "full_name", "required"),
            (4, "id_document_number", "duplicate_in_file"),
            (6, "full_name", "invalid_utf8"),
            (7, "row", "wrong_field_count"),
            (8, "date_of_birth", "invalid_date"),
            (8, "home_province_code", "unknown_province"),
            (8, "skills", "unknown_skill"),
            (8, "available_until", "before_available_from"),
            (10, "available_until", "out_of_range"),
        ]
    );
    assert!(!err.to_string().contains(&other.agency_id), "{err}");
    assert!(!err.to_string().contains("already_registered"), "a faulty file probes nothing: {err}");
    assert!(app.list_workers(&agency.session).await.is_empty(), "nothing imported");

    // A file without other faults names the rows it would have written that are taken.
    let mut clean = WORKER_CSV_HEADER.as_bytes().to_vec();
    clean.extend(worker_csv_row("Nguyễn Thị Hoa", "E0000001").bytes());
    clean.extend(worker_csv_row("Trần Bình", "E0000009").bytes());
    let err = problem(
        app.post_csv("/api/v1/workers/import", Some(&agency.session), clean).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        err["errors"],
        json!([{"row": 3, "field": "id_document_number", "code": "already_registered"}])
    );
    assert!(app.list_workers(&agency.session).await.is_empty(), "nothing imported");

    // Not CSV, or too large: refused before reading.
    let json_body = app
        .client
        .post(app.url("/api/v1/workers/import"))
        .bearer_auth(&agency.session.token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    problem(json_body, 415, "unsupported_media_type").await;
    let small = TestApp::spawn_with(TestDb::create().await, |s| s.server.csv_limit_bytes = 1024).await;
    let small_agency = small.agency().await;
    let huge = [WORKER_CSV_HEADER.as_bytes(), &[b'x'; 1024]].concat();
    problem(
        small.post_csv("/api/v1/workers/import", Some(&small_agency.session), huge).await,
        413,
        "payload_too_large",
    )
    .await;
    let header_only = WORKER_CSV_HEADER.as_bytes().to_vec();
    let err = problem(
        app.post_csv("/api/v1/workers/import", Some(&agency.session), header_only).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["errors"][0]["code"], "empty_file");
}

#[actix_web::test]
async fn two_agencies_racing_for_one_document_register_it_once() {
    let app = TestApp::spawn().await;
    let first = app.agency().await;
    let second = app.agency().await;
    let body = worker("F0000001");
    let (a, b) = futures::join!(
        app.post_json("/api/v1/workers", Some(&first.session), &body),
        app.post_json("/api/v1/workers", Some(&second.session), &body),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
    let regulator = app.login_as_authority("VN").await;
    assert_eq!(app.list_workers(&regulator).await.len(), 1);
}

/// The registry's rules live in the service: called without HTTP, only an agency registers,
/// another agency's worker is not found, and a worker reads only itself.
#[actix_web::test]
async fn the_worker_service_refuses_the_wrong_actor_without_http() {
    use seasonlink::actor::Actor;
    use seasonlink::error::ErrorCode;
    use seasonlink::services::workers::{self, WorkerInput, WorkerPatch};

    let app = TestApp::spawn().await;
    let agency = app.agency().await;
    let created: Value = app
        .post_json("/api/v1/workers", Some(&agency.session), &worker("F0000001"))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let actor = |role, org: &str| Actor { user_id: "someone".into(), role, org_id: Some(org.into()) };
    let input: WorkerInput = serde_json::from_value(worker("F0000002")).unwrap();
    let employer = actor(Role::Employer, "employer");
    assert_eq!(workers::create(&app.state, &employer, input).await.unwrap_err().code, ErrorCode::Forbidden);
    let other_agency = app.agency().await;
    let other = actor(Role::Agency, &other_agency.agency_id);
    assert_eq!(workers::find(&app.state, &other, &id.into()).await.unwrap_err().code, ErrorCode::NotFound);
    let patch: WorkerPatch = serde_json::from_value(json!({"seasons_worked": 9})).unwrap();
    assert_eq!(
        workers::update(&app.state, &other, &id.into(), patch).await.unwrap_err().code,
        ErrorCode::NotFound
    );
    let itself = actor(Role::Worker, id);
    assert_eq!(workers::find(&app.state, &itself, &id.into()).await.unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(workers::me(&app.state, &itself).await.unwrap().id.as_str(), id);
    assert_eq!(workers::me(&app.state, &other).await.unwrap_err().code, ErrorCode::Forbidden);
    // The agency's own account: its reads are kept in the workers' access log, by account.
    let own =
        Actor { user_id: agency.session.user_id.clone().into(), ..actor(Role::Agency, &agency.agency_id) };
    let listed = workers::list(&app.state, &own, Default::default()).await.unwrap().items;
    assert_eq!((listed.len(), listed[0].seasons_worked), (1, 2), "nothing was written by the refused calls");
}
