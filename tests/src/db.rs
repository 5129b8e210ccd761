//! One fresh database per test: a temp SQLite file, or a PostgreSQL database made from a
//! migrated template when `TEST_DATABASE_URL` names a PostgreSQL server.

use std::hash::{Hash, Hasher};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use seasonlink::db::{DatabaseUrl, DbConnection};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

fn admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())
}

pub enum TestDb {
    Sqlite { _dir: tempfile::TempDir, url: String },
    Postgres { admin: String, name: String, url: String },
}

/// The URL of database `name` on the server of `admin`.
pub fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin.split_once('?').map_or((admin, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        url = format!("{url}?{query}");
    }
    url
}

/// A name for the template that changes whenever a PostgreSQL migration changes.
fn template_name() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/postgres");
    let mut files: Vec<_> = walk(std::path::Path::new(dir));
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in files {
        file.hash(&mut hasher);
        std::fs::read(&file).unwrap().hash(&mut hasher);
    }
    format!("seasonlink_tpl_{:016x}", hasher.finish())
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

impl TestDb {
    /// A fresh, migrated database of the backend the environment selects.
    pub async fn create() -> TestDb {
        match admin_url() {
            Some(admin) => tokio::task::spawn_blocking(move || Self::postgres(&admin)).await.unwrap(),
            None => Self::sqlite(),
        }
    }

    /// An empty SQLite file (the server migrates it at start).
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("seasonlink.db").display().to_string();
        TestDb::Sqlite { _dir: dir, url }
    }

    /// A PostgreSQL database copied from the migrated template.
    pub fn postgres(admin: &str) -> TestDb {
        let template = template_name();
        let mut conn = PgConnection::establish(admin).unwrap();
        // One process at a time makes the template or copies it (a copy needs it idle).
        conn.batch_execute("SELECT pg_advisory_lock(727001)").unwrap();
        let exists: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "EXISTS (SELECT 1 FROM pg_database WHERE datname = '{template}')"
        )))
        .get_result(&mut conn)
        .unwrap();
        if !exists {
            // Built under another name and renamed once migrated, so an interrupted run
            // never leaves a half-built template behind for later runs.
            let building = format!("{template}_building");
            conn.batch_execute(&format!("DROP DATABASE IF EXISTS {building}")).unwrap();
            conn.batch_execute(&format!("CREATE DATABASE {building}")).unwrap();
            let url = DatabaseUrl::Postgres(with_database(admin, &building));
            let mut tpl = seasonlink::db::ConnectionManager::new(url).open().unwrap();
            seasonlink::db::run_migrations(&mut tpl).unwrap();
            drop(tpl);
            conn.batch_execute(&format!("ALTER DATABASE {building} RENAME TO {template}")).unwrap();
        }
        let name = format!("seasonlink_test_{}", uuid::Uuid::now_v7().simple());
        conn.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}")).unwrap();
        conn.batch_execute("SELECT pg_advisory_unlock(727001)").unwrap();
        TestDb::Postgres { admin: admin.to_owned(), url: with_database(admin, &name), name }
    }

    /// A fresh database with no tables at all, for the migration check.
    pub fn empty() -> TestDb {
        match admin_url() {
            None => Self::sqlite(),
            Some(admin) => {
                let name = format!("seasonlink_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn = PgConnection::establish(&admin).unwrap();
                conn.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
                TestDb::Postgres { url: with_database(&admin, &name), admin, name }
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            TestDb::Sqlite { .. } => Backend::Sqlite,
            TestDb::Postgres { .. } => Backend::Postgres,
        }
    }

    /// The URL the server connects to.
    pub fn app_url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    /// A direct connection, for a test that looks at or tampers with rows.
    pub fn connect(&self) -> DbConnection {
        let url = DatabaseUrl::parse(self.app_url()).unwrap();
        seasonlink::db::ConnectionManager::new(url).open().unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin, name, .. } = self
            && let Ok(mut conn) = PgConnection::establish(admin)
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// The `host:port` part of a PostgreSQL URL, and the URL with `replacement` in its place.
pub fn replace_host_port(url: &str, replacement: &str) -> (String, String) {
    let start = url.find('@').map(|i| i + 1).or_else(|| url.find("://").map(|i| i + 3)).unwrap_or(0);
    let end = url[start..].find(['/', '?']).map_or(url.len(), |i| start + i);
    let mut host_port = url[start..end].to_owned();
    if !host_port.contains(':') {
        host_port.push_str(":5432");
    }
    (host_port, format!("{}{replacement}{}", &url[..start], &url[end..]))
}
