//! The command line, run as a process.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::process::{Command, Output};

fn seasonlink(args: &[&str], db: &str) -> Output {
    seasonlink_with(args, db, &[])
}

fn seasonlink_with(args: &[&str], db: &str, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_seasonlink"))
        .args(args)
        .envs(env.iter().copied())
        .env("DATABASE_URL", db)
        .env("SEASONLINK_ENV", "test")
        .env("SEASONLINK_CONFIG_DIR", concat!(env!("CARGO_MANIFEST_DIR"), "/../../config"))
        .env_remove("SEASONLINK_BIND")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn migrate_creates_the_sqlite_file_and_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/folder/seasonlink.db");
    let out = seasonlink(&["migrate"], &format!("sqlite://{}", db.display()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(db.exists());
    assert!(text(&out.stdout).contains("migrations applied"));
}

#[test]
fn create_regulator_once_per_email() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let args = ["create-regulator", "--email", "Chief@Labour.gov.cn", "--password", "a long enough password"];
    let first = seasonlink(&args, &db);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("chief@labour.gov.cn"));
    let again = seasonlink(&args, &db);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("conflict"), "{}", text(&again.stderr));
    let weak = seasonlink(&["create-regulator", "--email", "b@labour.gov.cn", "--password", "short"], &db);
    assert!(!weak.status.success());
    assert!(text(&weak.stderr).contains("password"));
    assert!(!text(&weak.stderr).contains("short"), "the password is not echoed");
}

#[test]
fn a_database_that_is_down_at_start_is_a_clear_error() {
    let out = seasonlink(&["migrate"], "postgres://seasonlink:hunter2@127.0.0.1:1/seasonlink");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot connect to postgres://seasonlink:***@127.0.0.1:1/seasonlink"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unsupported_urls_and_unknown_commands_fail() {
    let out = seasonlink(&["migrate"], "mysql://localhost/x");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unsupported database URL"));
    let out = seasonlink(&["fly"], "x.db");
    assert!(!out.status.success());
}

#[test]
fn audit_verify_checks_the_chain_against_the_exported_head() {
    use diesel::{Connection, RunQueryDsl, SqliteConnection};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let heads = dir.path().join("heads").display().to_string();
    let run = |args: &[&str]| seasonlink_with(args, &db, &[("SEASONLINK__AUDIT__HEAD_DIR", &heads)]);
    let made =
        run(&["create-regulator", "--email", "chief@labour.gov.cn", "--password", "a long enough password"]);
    assert!(made.status.success(), "{}", text(&made.stderr));

    let unexported = run(&["audit", "verify"]);
    assert!(unexported.status.success(), "{}", text(&unexported.stderr));
    assert!(text(&unexported.stdout).contains("no exported head"), "{}", text(&unexported.stdout));
    let exported = run(&["audit", "export-head"]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    assert_eq!(std::fs::read_dir(&heads).unwrap().count(), 1);
    let verified = run(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    let said = text(&verified.stdout);
    assert!(
        said.contains("audit chain holds") && said.contains("checked against the head exported at"),
        "{said}"
    );

    let mut conn = SqliteConnection::establish(&db).unwrap();
    diesel::sql_query("UPDATE audit_log SET detail = '{}' WHERE seq = 1").execute(&mut conn).unwrap();
    let broken = run(&["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(text(&broken.stderr).contains("does not hold from entry 1"), "{}", text(&broken.stderr));
}
