//! Every migration runs up → down → up; SQLite connections are configured as promised.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use seasonlink::db::{self, DbConnection};
use seasonlink_tests::TestDb;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn table_count(conn: &mut DbConnection) -> i64 {
    let sql = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'"
        }
        DbConnection::Postgres(_) => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'"
        }
    };
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

#[test]
fn migrations_run_up_down_up() {
    let test_db = TestDb::empty();
    let mut conn = test_db.connect();
    db::run_migrations(&mut conn).unwrap();
    let tables = table_count(&mut conn);
    assert!(tables >= 2, "{tables} tables");
    db::revert_all_migrations(&mut conn).unwrap();
    assert_eq!(table_count(&mut conn), 0, "down.sql leaves tables behind");
    db::run_migrations(&mut conn).unwrap();
    assert_eq!(table_count(&mut conn), tables);
}

#[test]
fn migration_folders_match_across_backends() {
    let names = |backend: &str| {
        let dir = format!("{}/../migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

#[derive(QueryableByName)]
struct Pragma {
    #[diesel(sql_type = Text)]
    value: String,
}

#[test]
fn sqlite_connections_enforce_foreign_keys_and_use_wal() {
    let test_db = TestDb::sqlite();
    let mut conn = test_db.connect();
    let pragma = |conn: &mut DbConnection, name: &str| {
        diesel::sql_query(format!("SELECT CAST((SELECT * FROM pragma_{name}) AS TEXT) AS value"))
            .get_result::<Pragma>(conn)
            .unwrap()
            .value
    };
    assert_eq!(pragma(&mut conn, "foreign_keys"), "1");
    assert_eq!(pragma(&mut conn, "journal_mode"), "wal");
    assert_eq!(pragma(&mut conn, "busy_timeout"), "5000");
    db::run_migrations(&mut conn).unwrap();
    let orphan = diesel::sql_query(
        "INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ('s', 'no-such-user', '2026-01-01 00:00:00', '2026-01-02 00:00:00')",
    )
    .execute(&mut conn);
    assert!(orphan.is_err(), "a session without its user was stored");
}

/// The authorities migration puts every regulator account older than it on China's
/// national authority (the side every regulator acted for) and leaves other accounts be.
#[test]
fn the_authorities_migration_puts_old_regulators_on_chinas_side() {
    use diesel::connection::SimpleConnection;
    use seasonlink::services::authorities::CN_NATIONAL;

    let test_db = TestDb::empty();
    let mut conn = test_db.connect();
    db::run_migrations(&mut conn).unwrap();
    // Back to the database as it was before authorities: the migration's down.sql, and the
    // migration forgotten.
    let backend = match conn {
        DbConnection::Sqlite(_) => "sqlite",
        DbConnection::Postgres(_) => "postgres",
    };
    let dir = format!("{}/../migrations/{backend}/2026-11-30-000011_authorities", env!("CARGO_MANIFEST_DIR"));
    conn.batch_execute(&std::fs::read_to_string(format!("{dir}/down.sql")).unwrap()).unwrap();
    let forgotten =
        diesel::sql_query("DELETE FROM __diesel_schema_migrations WHERE version = '20261130000011'")
            .execute(&mut conn)
            .unwrap();
    assert_eq!(forgotten, 1);
    diesel::sql_query(
        "INSERT INTO users (id, email, password_hash, role, org_id, created_at) VALUES \
         ('old-regulator', 'old@regulator.example.cn', 'x', 'regulator', NULL, '2026-11-01 00:00:00'), \
         ('old-employer', 'old@employer.example.cn', 'x', 'employer', 'its-employer', '2026-11-01 00:00:00')",
    )
    .execute(&mut conn)
    .unwrap();
    db::run_migrations(&mut conn).unwrap();
    let count =
        |conn: &mut DbConnection, sql: &str| diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n;
    let on_cn =
        format!("SELECT COUNT(*) AS n FROM users WHERE id = 'old-regulator' AND org_id = '{CN_NATIONAL}'");
    assert_eq!(count(&mut conn, &on_cn), 1);
    let employer = "SELECT COUNT(*) AS n FROM users WHERE id = 'old-employer' AND org_id = 'its-employer'";
    assert_eq!(count(&mut conn, employer), 1);
    let national = "SELECT COUNT(*) AS n FROM authorities WHERE region_code IS NULL";
    assert_eq!(count(&mut conn, national), 2, "one national authority a side");
}

/// The routing migration routes the cases already opened as new ones are: a case against an
/// agency to the side of its country, every other case to China's side.
#[test]
fn the_routing_migration_routes_old_cases_to_the_side_of_their_party() {
    use diesel::connection::SimpleConnection;

    let test_db = TestDb::empty();
    let mut conn = test_db.connect();
    db::run_migrations(&mut conn).unwrap();
    let backend = match conn {
        DbConnection::Sqlite(_) => "sqlite",
        DbConnection::Postgres(_) => "postgres",
    };
    let dir =
        format!("{}/../migrations/{backend}/2026-11-30-000012_case_routing", env!("CARGO_MANIFEST_DIR"));
    conn.batch_execute(&std::fs::read_to_string(format!("{dir}/down.sql")).unwrap()).unwrap();
    let forgotten =
        diesel::sql_query("DELETE FROM __diesel_schema_migrations WHERE version = '20261130000012'")
            .execute(&mut conn)
            .unwrap();
    assert_eq!(forgotten, 1);
    conn.batch_execute(
        "INSERT INTO agencies (id, name, country, licence_number, licence_valid_from, licence_valid_until, \
           licence_state, created_by, created_at, updated_at) VALUES \
         ('vn-agency', 'VN agency', 'VN', 'VN-1', '2026-01-01', '2027-12-31', 'active', NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00'), \
         ('cn-agency', 'CN agency', 'CN', 'CN-1', '2026-01-01', '2027-12-31', 'active', NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00');
         INSERT INTO cases (id, kind, subject_kind, subject_id, region_code, placement_id, status, assigned_to, \
           amount_owed_fen, outcome, amount_recovered_fen, opened_at, resolved_at, upheld) VALUES \
         ('fee-vn', 'fee', 'agency', 'vn-agency', NULL, NULL, 'open', NULL, 100, NULL, NULL, '2026-11-01 00:00:00', NULL, NULL), \
         ('complaint-cn-agency', 'complaint', 'agency', 'cn-agency', NULL, NULL, 'open', NULL, 0, NULL, NULL, '2026-11-01 00:00:00', NULL, NULL), \
         ('wage', 'wage', 'employer', 'an-employer', '451422', NULL, 'open', NULL, 100, NULL, NULL, '2026-11-01 00:00:00', NULL, NULL), \
         ('complaint-none', 'complaint', 'none', NULL, NULL, NULL, 'open', NULL, 0, NULL, NULL, '2026-11-01 00:00:00', NULL, NULL);",
    )
    .unwrap();
    db::run_migrations(&mut conn).unwrap();
    let routed = |conn: &mut DbConnection, side: &str| {
        let sql = format!("SELECT COUNT(*) AS n FROM cases WHERE routed_to = '{side}'");
        diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
    };
    assert_eq!(routed(&mut conn, "VN"), 1);
    assert_eq!(routed(&mut conn, "CN"), 3);
    let fee = "SELECT COUNT(*) AS n FROM cases WHERE id = 'fee-vn' AND routed_to = 'VN'";
    assert_eq!(diesel::sql_query(fee).get_result::<Count>(&mut conn).unwrap().n, 1);
}
