//! Who read a worker's record: one row per worker, reader and day in China.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{access_log, agencies, users, workers};
use crate::ids::{AgencyId, UserId, WorkerId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = access_log)]
pub struct AccessRow {
    pub worker_id: WorkerId,
    pub user_id: UserId,
    pub agency_id: AgencyId,
    pub at: NaiveDateTime,
    pub china_day: NaiveDate,
}

/// Rows per multi-row INSERT on PostgreSQL (5 parameters each, under its 65,535 limit).
const BATCH: usize = 1_000;

/// Records reads, keeping the row already there for a worker, reader and day (the first
/// read of the day): `ON CONFLICT DO NOTHING`, through each backend's own connection (the
/// MultiConnection takes no conflict clause). PostgreSQL gets multi-row INSERTs, a thousand
/// rows each; SQLite, in-process, row by row (diesel's SQLite batch insert takes no
/// conflict clause either).
pub fn insert_new(conn: &mut DbConnection, rows: &[AccessRow]) -> QueryResult<()> {
    match conn {
        DbConnection::Postgres(pg) => {
            for chunk in rows.chunks(BATCH) {
                diesel::insert_into(access_log::table).values(chunk).on_conflict_do_nothing().execute(pg)?;
            }
        }
        DbConnection::Sqlite(sqlite) => {
            for row in rows {
                diesel::insert_into(access_log::table)
                    .values(row)
                    .on_conflict_do_nothing()
                    .execute(sqlite)?;
            }
        }
    }
    Ok(())
}

/// Which of `workers` already have a read by `user_id` kept for `day` (China's).
pub fn kept_on(
    conn: &mut DbConnection,
    user_id: &UserId,
    day: NaiveDate,
    workers: &[WorkerId],
) -> QueryResult<Vec<WorkerId>> {
    let mut kept = Vec::new();
    for chunk in workers.chunks(BATCH) {
        kept.extend(
            access_log::table
                .filter(access_log::user_id.eq(user_id))
                .filter(access_log::china_day.eq(day))
                .filter(access_log::worker_id.eq_any(chunk))
                .select(access_log::worker_id)
                .load::<WorkerId>(conn)?,
        );
    }
    Ok(kept)
}

/// A worker's log, newest first, each read with its agency's name and its reader's e-mail.
pub fn of_worker(
    conn: &mut DbConnection,
    worker_id: &WorkerId,
) -> QueryResult<Vec<(AccessRow, String, Option<String>)>> {
    access_log::table
        .inner_join(agencies::table)
        .inner_join(users::table)
        .filter(access_log::worker_id.eq(worker_id))
        .order((access_log::at.desc(), access_log::user_id))
        .select((AccessRow::as_select(), agencies::name, users::email))
        .load(conn)
}

/// Whether a worker of this id is registered.
pub fn worker_exists(conn: &mut DbConnection, worker_id: &WorkerId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(workers::table.filter(workers::id.eq(worker_id)))).get_result(conn)
}
