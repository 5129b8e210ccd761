//! The keyed audit chain: one who can write every table but does not hold `audit.key`
//! cannot rewrite the chain unseen, nor cut off its end past the last head exported.

use diesel::prelude::*;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use seasonlink::db::audit;
use seasonlink::domain::account::Role;
use seasonlink::services::audit::{GENESIS, export_head};
use seasonlink_tests::{Session, TestApp, problem};

/// A chain of a few dozen entries by three roles, and a regulator to check it.
async fn chain() -> (TestApp, Session) {
    let app = TestApp::spawn().await;
    let regulator = app.login_as(Role::Regulator).await;
    app.guangxi_floors(&regulator).await;
    app.agency().await;
    app.employer(true).await;
    (app, regulator)
}

async fn verify(app: &TestApp, regulator: &Session) -> Value {
    let response = app.get("/api/v1/audit/verify", Some(regulator)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn sql(app: &TestApp, statement: &str) {
    let mut conn = app.db.connect();
    diesel::sql_query(statement).execute(&mut conn).unwrap();
}

/// What an insider does who knows the code but not the key: from entry `from` on, every
/// entry's hash made anew from its stored fields (joined as the code joins them) and the one
/// before, by `hash`; the head moved to the last.
fn rewrite(app: &TestApp, from: i64, hash: impl Fn(&[u8]) -> String) {
    let mut conn = app.db.connect();
    let rows = audit::page(&mut conn, 0, 100_000).unwrap();
    let mut prev = rows.iter().find(|r| r.seq == from - 1).map_or(GENESIS.to_owned(), |r| r.hash.clone());
    for row in rows.iter().filter(|r| r.seq >= from) {
        let mut bytes = Vec::new();
        for part in [
            row.seq.to_string(),
            row.at.and_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            row.actor_user_id.as_ref().map_or("", |id| id.as_str()).to_owned(),
            row.action.clone(),
            row.subject_kind.clone(),
            row.subject_id.clone(),
            row.detail.clone(),
            prev.clone(),
        ] {
            bytes.extend_from_slice(part.as_bytes());
            bytes.push(0x1f);
        }
        let made = hash(&bytes);
        diesel::sql_query(format!(
            "UPDATE audit_log SET prev_hash = '{prev}', hash = '{made}' WHERE seq = {}",
            row.seq
        ))
        .execute(&mut conn)
        .unwrap();
        prev = made;
    }
    diesel::sql_query(format!("UPDATE audit_head SET hash = '{prev}'")).execute(&mut conn).unwrap();
}

fn plain(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn keyed_by(key: &'static str) -> impl Fn(&[u8]) -> String {
    move |bytes| {
        let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(bytes);
        format!("{:x}", mac.finalize().into_bytes())
    }
}

/// The sequence number of the first entry with `action`.
async fn seq_of(app: &TestApp, action: &str) -> i64 {
    app.count(&format!("SELECT MIN(seq) AS n FROM audit_log WHERE action = '{action}'")).await
}

#[actix_web::test]
async fn a_chain_rewritten_without_the_key_is_found_at_the_entry_changed() {
    let (app, regulator) = chain().await;
    let checked = verify(&app, &regulator).await;
    assert_eq!(checked["ok"], true, "{checked}");
    let entries = checked["entries"].as_i64().unwrap();
    assert!(entries >= 5, "{checked}");
    assert!(checked.get("exported_head").is_none(), "nothing exported yet: {checked}");

    // A licence's dates changed, and every hash after it recomputed: with SHA-256 alone (the
    // chain's layout is public), with the development key, with a guess at the key.
    let victim = seq_of(&app, "licence.created").await;
    assert!(victim > 1 && victim < entries);
    sql(
        &app,
        &format!("UPDATE audit_log SET detail = '{{\"valid_to\":\"2099-12-31\"}}' WHERE seq = {victim}"),
    )
    .await;
    for hash in [
        Box::new(plain) as Box<dyn Fn(&[u8]) -> String>,
        Box::new(keyed_by(seasonlink::services::audit::DEVELOPMENT_KEY)),
        Box::new(keyed_by("test audit key")),
    ] {
        rewrite(&app, victim, hash);
        let checked = verify(&app, &regulator).await;
        assert_eq!(checked["ok"], false, "{checked}");
        assert_eq!(checked["first_bad_id"], victim, "{checked}");
        assert_eq!(checked["entries"], victim - 1);
    }

    // The key itself mends it: the check is of the key, not of something else in the rows.
    rewrite(&app, victim, keyed_by("test audit key: not a secret, only for the tests"));
    assert_eq!(verify(&app, &regulator).await["ok"], true);

    // Only a regulator checks the chain.
    let agency = app.agency().await;
    problem(app.get("/api/v1/audit/verify", Some(&agency.session)).await, 403, "forbidden").await;
}

#[actix_web::test]
async fn the_exported_head_finds_a_chain_keyed_anew_or_cut_short() {
    let (app, regulator) = chain().await;
    let export = export_head(&app.state).await.unwrap();
    let files: Vec<_> =
        std::fs::read_dir(app.audit_heads.path()).unwrap().map(|f| f.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let written: Value = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    assert_eq!(written["seq"], export.seq);
    assert_eq!(written["hash"], export.hash);
    assert_eq!(written["signature"].as_str().unwrap().len(), 64);

    // The chain grows past the export and still matches it.
    app.employer(true).await;
    let checked = verify(&app, &regulator).await;
    assert_eq!(checked["ok"], true, "{checked}");
    assert!(checked["entries"].as_i64().unwrap() > export.seq);
    assert_eq!(checked["exported_head"]["seq"], export.seq);
    assert_eq!(checked["exported_head"]["matches"], true);

    // Its last entries cut off, and the head moved back to one that fits: the chain alone
    // holds, the export does not.
    let keep = export.seq - 2;
    sql(&app, &format!("DELETE FROM audit_log WHERE seq > {keep}")).await;
    let mut conn = app.db.connect();
    let kept = audit::page(&mut conn, keep - 1, 1).unwrap().remove(0);
    sql(&app, &format!("UPDATE audit_head SET seq = {keep}, hash = '{}'", kept.hash)).await;
    let checked = verify(&app, &regulator).await;
    assert_eq!(checked["ok"], false, "{checked}");
    assert_eq!(checked["entries"], keep);
    assert_eq!(checked["first_bad_id"], keep + 1);
    assert_eq!(checked["exported_head"]["matches"], false);
}

#[actix_web::test]
async fn a_chain_declared_unkeyed_and_rehashed_is_found_by_the_export() {
    let (app, regulator) = chain().await;
    let export = export_head(&app.state).await.unwrap();
    assert_eq!(export.keyed_from, 1, "a fresh database is keyed from its first entry");

    // Every entry declared older than the key, an entry changed, and the chain rehashed with
    // SHA-256 alone: entry by entry it holds, but not against the export.
    let head = export.seq;
    sql(&app, &format!("UPDATE audit_head SET keyed_from = {}", head + 1)).await;
    let victim = seq_of(&app, "employer.verified").await;
    sql(&app, &format!("UPDATE audit_log SET detail = '{{}}' WHERE seq = {victim}")).await;
    rewrite(&app, 1, plain);
    let checked = verify(&app, &regulator).await;
    assert_eq!(checked["ok"], false, "{checked}");
    assert_eq!(checked["first_bad_id"], 1);
    assert_eq!(checked["entries"], head, "every entry fits the chain it claims to be");
    assert_eq!(checked["exported_head"]["matches"], false);
}

#[actix_web::test]
async fn a_forged_or_unreadable_export_does_not_pass() {
    let (app, regulator) = chain().await;
    let export = export_head(&app.state).await.unwrap();
    // A later head, signed by one who does not hold the key.
    let forged = serde_json::json!({
        "seq": export.seq, "hash": export.hash, "keyed_from": 1,
        "at": "2026-12-01T00:00:00Z", "signature": "0".repeat(64),
    });
    let dir = app.audit_heads.path();
    std::fs::write(dir.join("head-999999999999999-forged.json"), forged.to_string()).unwrap();
    let checked = verify(&app, &regulator).await;
    assert_eq!(checked["ok"], false, "{checked}");
    assert_eq!(checked["exported_head"]["matches"], false);
    assert!(checked.get("first_bad_id").is_none(), "the chain itself holds: {checked}");

    std::fs::write(dir.join("head-999999999999999-forged.json"), "not a head").unwrap();
    let checked = verify(&app, &regulator).await;
    assert_eq!(checked["ok"], false, "{checked}");

    // Without it, the genuine export matches again.
    std::fs::remove_file(dir.join("head-999999999999999-forged.json")).unwrap();
    let checked = verify(&app, &regulator).await;
    assert_eq!(checked["ok"], true, "{checked}");
    assert_eq!(checked["exported_head"]["seq"], export.seq);
}

/// Changes append without waiting for one another: entries written by concurrent postings,
/// and by a transaction still open while others commit, are all chained once committed, in
/// one unbroken chain, and an entry rolled back is never chained.
#[actix_web::test]
async fn concurrent_changes_are_all_chained_and_a_rolled_back_entry_never_is() {
    use diesel::connection::SimpleConnection;

    let (app, regulator) = chain().await;
    let employer = app.employer(true).await;
    let before = verify(&app, &regulator).await["entries"].as_i64().unwrap();

    // An entry written by a transaction that is still open while the others commit (on
    // SQLite, whose writers take turns, it commits first), and one rolled back.
    let mut open = app.db.connect();
    let record = |conn: &mut seasonlink::db::DbConnection, action: &str| {
        let now = app.state.clock.now();
        seasonlink::services::audit::record(conn, None, action, ("test", "1"), serde_json::json!({}), now)
            .unwrap();
    };
    let mut undone = app.db.connect();
    undone.batch_execute("BEGIN").unwrap();
    record(&mut undone, "test.rolled_back");
    undone.batch_execute("ROLLBACK").unwrap();
    open.batch_execute("BEGIN").unwrap();
    record(&mut open, "test.committed_late");
    let overlapping = app.db.backend() == seasonlink_tests::Backend::Postgres;
    if !overlapping {
        open.batch_execute("COMMIT").unwrap();
    }

    let body = seasonlink_tests::vacancy(1800);
    let postings = (0..12).map(|_| app.post_json("/api/v1/vacancies", Some(&employer.session), &body));
    for response in futures::future::join_all(postings).await {
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let checked = verify(&app, &regulator).await;
    assert_eq!(checked["ok"], true, "{checked}");
    assert_eq!(checked["entries"], before + 12 + i64::from(!overlapping), "{checked}");
    if overlapping {
        open.batch_execute("COMMIT").unwrap();
        let checked = verify(&app, &regulator).await;
        assert_eq!(checked["ok"], true, "{checked}");
        assert_eq!(checked["entries"], before + 13, "{checked}");
    }
    let late = "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'test.committed_late' AND seq IS NOT NULL";
    assert_eq!(app.count(late).await, 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'test.rolled_back'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM audit_log WHERE seq IS NULL").await, 0);
    let created = "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'vacancy.created' AND seq IS NOT NULL";
    assert_eq!(app.count(created).await, 12);
}
