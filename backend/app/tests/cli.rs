//! The command line, run as a process.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::process::{Command, Output};

fn seasonlink(args: &[&str], db: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_seasonlink"))
        .args(args)
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
