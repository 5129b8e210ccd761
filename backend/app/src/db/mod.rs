//! Storage: one diesel code path over SQLite (embedded, the default) and PostgreSQL.
//!
//! [`DbConnection`] is a `MultiConnection`; the backend is chosen from the URL by our own
//! pool manager, which reports the real connection error. Migrations for each backend are
//! embedded and applied at start-up.

pub mod access_log;
pub mod agencies;
pub mod audit;
pub mod authorities;
pub mod bulk;
pub mod compliance;
pub mod credentials;
pub mod employers;
pub mod events;
pub mod jobs;
mod money;
pub mod placements;
pub mod ratings;
pub mod reference;
pub mod schema;
pub mod statistics;
pub mod users;
pub mod vacancies;
pub mod wage_floors;
pub mod work_history;
pub mod workers;

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::DatabaseSettings;
use crate::error::AppError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// The backend of [`DbConnection`], for a query built apart from where it runs (boxed).
pub type Backend = <DbConnection as diesel::Connection>::Backend;
pub type DbPool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Where the database is, parsed from a URL once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    /// `postgres://` or `postgresql://` selects PostgreSQL; anything else is a SQLite file
    /// path, with or without a `sqlite://` prefix.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(format!("unsupported database URL {url:?}: use postgres://… or a SQLite file path"));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    /// The URL with any password removed, for messages and logs.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(scheme), Some(at)) if at > scheme => {
                    let userinfo = &url[scheme + 3..at];
                    let user = userinfo.split(':').next().unwrap_or_default();
                    format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
                }
                _ => url.clone(),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to {url}: {source}")]
    Connect { url: String, source: ConnectionError },
    #[error("cannot create the folder for {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("migrations failed: {0}")]
    Migration(String),
}

/// An r2d2 manager that opens the right backend for its URL.
#[derive(Clone, Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    waits: Waits,
}

/// How long one statement may wait for a lock (SQLite's write lock, PostgreSQL's row and
/// table locks) and, on PostgreSQL, run in all, before the database gives up and the request
/// answers 503 `database_unavailable` (config: `database.lock_timeout_ms`,
/// `database.statement_timeout_ms`).
#[derive(Clone, Copy, Debug)]
pub struct Waits {
    pub lock: Duration,
    pub statement: Option<Duration>,
}

impl Waits {
    /// A connection for migrations and tools: a lock waited for five seconds (a migration
    /// that would queue every request behind its lock fails instead), statements unbounded.
    pub const TOOL: Waits = Waits { lock: Duration::from_secs(5), statement: None };
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        ConnectionManager { url, waits: Waits::TOOL }
    }

    pub fn with_waits(self, waits: Waits) -> Self {
        ConnectionManager { waits, ..self }
    }

    /// Opens one connection, configured for this project.
    pub fn open(&self) -> Result<DbConnection, DbError> {
        let connect_err = |source| DbError::Connect { url: self.url.redacted(), source };
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(url).map_err(connect_err)?;
                let statement = self.waits.statement.map_or(0, |d| d.as_millis());
                conn.batch_execute(&format!(
                    "SET TIME ZONE 'UTC'; SET lock_timeout = {}; SET statement_timeout = {statement}",
                    self.waits.lock.as_millis()
                ))?;
                Ok(DbConnection::Postgres(conn))
            }
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|source| DbError::CreateDir { path: path.display().to_string(), source })?;
                }
                let mut conn = SqliteConnection::establish(&path.to_string_lossy()).map_err(connect_err)?;
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                    self.waits.lock.as_millis()
                ))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        self.open()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::from)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// Applies every pending migration of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> Result<(), DbError> {
    let result = match conn {
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(drop),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(drop),
    };
    result.map_err(|e| DbError::Migration(e.to_string()))
}

/// Reverts every migration of the connection's backend (used by the migration check).
pub fn revert_all_migrations(conn: &mut DbConnection) -> Result<(), DbError> {
    let result = match conn {
        DbConnection::Postgres(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(drop),
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(drop),
    };
    result.map_err(|e| DbError::Migration(e.to_string()))
}

/// Connects once (so a wrong URL or a database that is down is reported as it is), applies
/// the migrations, and builds the pool.
pub fn connect_and_migrate(url: &DatabaseUrl, settings: &DatabaseSettings) -> Result<DbPool, DbError> {
    let mut first = ConnectionManager::new(url.clone()).open()?;
    run_migrations(&mut first)?;
    drop(first);
    let waits = Waits {
        lock: Duration::from_millis(settings.lock_timeout_ms),
        statement: Some(Duration::from_millis(settings.statement_timeout_ms)),
    };
    Ok(r2d2::Pool::builder()
        .max_size(settings.pool_size)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_millis(settings.connection_timeout_ms))
        .error_handler(Box::new(LogConnectionErrors))
        .build_unchecked(ConnectionManager::new(url.clone()).with_waits(waits)))
}

#[derive(Debug)]
struct LogConnectionErrors;

impl r2d2::HandleError<DbError> for LogConnectionErrors {
    fn handle_error(&self, error: DbError) {
        tracing::warn!(error = %error, "database connection failed");
    }
}

/// Runs blocking database work off the async workers, with one pooled connection, inside
/// the caller's tracing span. Every handler reaches the database through this.
pub async fn run<T, F>(pool: &DbPool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await?
}

/// Like [`run`], inside one transaction.
///
/// On SQLite the transaction takes the write lock before its first read: a deferred
/// transaction that reads and then writes cannot wait for another writer (WAL answers
/// SQLITE_BUSY at once), so every read-then-write would fail under concurrency. A write
/// that matches no row is enough to take the lock, and it waits out `busy_timeout`.
pub async fn transaction<T, F>(pool: &DbPool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    run(pool, move |conn| {
        conn.transaction(|tx| {
            if let DbConnection::Sqlite(_) = tx {
                tx.batch_execute("UPDATE users SET id = id WHERE 0")?;
            }
            work(tx)
        })
    })
    .await
}

/// Like [`run`], reading from one snapshot of the database: a read-only transaction, which
/// on PostgreSQL is REPEATABLE READ (every query sees the same commits; its default, READ
/// COMMITTED, gives each query its own), and on SQLite a deferred one (WAL keeps a reader's
/// snapshot until it ends). For work that must be consistent across many queries, such as a
/// monthly release, without holding SQLite's write lock while it computes.
pub async fn snapshot<T, F>(pool: &DbPool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    run(pool, move |conn| {
        conn.transaction(|tx| {
            if let DbConnection::Postgres(_) = tx {
                tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
            }
            work(tx)
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@h/db"),
            Ok(DatabaseUrl::Postgres("postgres://u:p@h/db".into()))
        );
        assert_eq!(DatabaseUrl::parse("data/x.db"), Ok(DatabaseUrl::Sqlite("data/x.db".into())));
        assert_eq!(DatabaseUrl::parse("sqlite:///tmp/x.db"), Ok(DatabaseUrl::Sqlite("/tmp/x.db".into())));
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("").is_err());
    }

    #[test]
    fn passwords_never_reach_messages() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db:5432/x").unwrap();
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/x");
    }
}
