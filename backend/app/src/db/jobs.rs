//! Claims of the periodic jobs' periods, shared by every server on the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::job_runs;

/// Claims `period` of `job` for `instance`: true if this claim is the one stored (the server
/// runs the job), false if another server's came first.
pub fn claim(
    conn: &mut DbConnection,
    job: &str,
    period: i64,
    instance: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let row = (
        job_runs::job.eq(job),
        job_runs::period.eq(period),
        job_runs::instance.eq(instance),
        job_runs::started_at.eq(at),
    );
    let stored = match conn {
        DbConnection::Postgres(pg) => {
            diesel::insert_into(job_runs::table).values(row).on_conflict_do_nothing().execute(pg)?
        }
        DbConnection::Sqlite(sqlite) => {
            diesel::insert_into(job_runs::table).values(row).on_conflict_do_nothing().execute(sqlite)?
        }
    };
    Ok(stored == 1)
}

/// Forgets the claims made before `before`; how many. (A few thousand a day at most: one
/// per job and period.)
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(job_runs::table.filter(job_runs::started_at.lt(before))).execute(conn)
}
