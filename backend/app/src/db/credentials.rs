//! One-time codes (activation and reset) and the counters behind the rate limits.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use super::DbConnection;
use super::schema::{account_codes, rate_limits};
use crate::ids::{UserId, WorkerId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = account_codes)]
pub struct CodeRow {
    pub id: String,
    /// activation or reset.
    pub purpose: String,
    pub worker_id: Option<WorkerId>,
    pub user_id: Option<UserId>,
    /// email, sms or in_person.
    pub channel: String,
    /// The e-mail address or phone number the person signs in with.
    pub address: String,
    pub code_hash: String,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub attempts: i32,
    pub ended_at: Option<NaiveDateTime>,
    /// used, replaced or exhausted.
    pub ended_as: Option<String>,
}

pub fn insert_code(conn: &mut DbConnection, row: &CodeRow) -> QueryResult<()> {
    diesel::insert_into(account_codes::table).values(row).execute(conn).map(drop)
}

/// Ends the live codes of `purpose` for a worker or an account: a newer one replaces them.
pub fn replace_codes(
    conn: &mut DbConnection,
    purpose: &str,
    owner: (Option<&WorkerId>, Option<&UserId>),
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let live = account_codes::table
        .filter(account_codes::purpose.eq(purpose))
        .filter(account_codes::ended_at.is_null());
    let ended = (account_codes::ended_at.eq(at), account_codes::ended_as.eq("replaced"));
    match owner {
        (Some(worker), _) => {
            diesel::update(live.filter(account_codes::worker_id.eq(worker))).set(ended).execute(conn)
        }
        (None, Some(user)) => {
            diesel::update(live.filter(account_codes::user_id.eq(user))).set(ended).execute(conn)
        }
        (None, None) => Ok(0),
    }
}

/// The live, unexpired codes of `purpose` for an address, newest first.
pub fn live_codes(
    conn: &mut DbConnection,
    purpose: &str,
    address: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<CodeRow>> {
    account_codes::table
        .filter(account_codes::purpose.eq(purpose))
        .filter(account_codes::address.eq(address))
        .filter(account_codes::ended_at.is_null())
        .filter(account_codes::expires_at.gt(now))
        .order(account_codes::created_at.desc())
        .limit(5)
        .select(CodeRow::as_select())
        .load(conn)
}

/// Counts a wrong try on each code; a code tried `max` times ends as exhausted.
pub fn count_wrong_try(
    conn: &mut DbConnection,
    ids: &[String],
    max: i32,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(account_codes::table.filter(account_codes::id.eq_any(ids)))
        .set(account_codes::attempts.eq(account_codes::attempts + 1))
        .execute(conn)?;
    diesel::update(
        account_codes::table
            .filter(account_codes::id.eq_any(ids))
            .filter(account_codes::attempts.ge(max))
            .filter(account_codes::ended_at.is_null()),
    )
    .set((account_codes::ended_at.eq(at), account_codes::ended_as.eq("exhausted")))
    .execute(conn)
    .map(drop)
}

/// Ends a code as used; 0 if it had ended meanwhile (another request used it first).
pub fn use_code(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(account_codes::table.find(id).filter(account_codes::ended_at.is_null()))
        .set((account_codes::ended_at.eq(at), account_codes::ended_as.eq("used")))
        .execute(conn)
}

/// Counts one hit on `key` in the window that starts at `window_start`; returns the hits
/// in that window so far, this one included. One upsert, so two servers counting the first
/// hit of a window at once both count (an update-then-insert would let one of them fail on
/// the key).
pub fn hit(conn: &mut DbConnection, key: &str, window_start: NaiveDateTime) -> QueryResult<i32> {
    #[derive(QueryableByName)]
    struct Hits {
        #[diesel(sql_type = Integer)]
        hits: i32,
    }
    const UPSERT: &str = "INSERT INTO rate_limits (key, window_start, hits) VALUES ({1}, {2}, 1) \
        ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits";
    let counted: Hits = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(UPSERT.replace("{1}", "$1").replace("{2}", "$2"))
            .bind::<Text, _>(key)
            .bind::<Timestamp, _>(window_start)
            .get_result(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(UPSERT.replace("{1}", "?1").replace("{2}", "?2"))
            .bind::<Text, _>(key)
            .bind::<Timestamp, _>(window_start)
            .get_result(sqlite)?,
    };
    Ok(counted.hits)
}

/// The hits on `key` in the window that starts at `window_start`, without counting one.
pub fn hits(conn: &mut DbConnection, key: &str, window_start: NaiveDateTime) -> QueryResult<i32> {
    rate_limits::table
        .find((key, window_start))
        .select(rate_limits::hits)
        .first(conn)
        .optional()
        .map(Option::unwrap_or_default)
}

/// Forgets the counters of windows that started before `before`, at most `batch` of them.
pub fn prune_counters(conn: &mut DbConnection, before: NaiveDateTime, batch: i64) -> QueryResult<usize> {
    let old: Vec<(String, NaiveDateTime)> = rate_limits::table
        .filter(rate_limits::window_start.lt(before))
        .select((rate_limits::key, rate_limits::window_start))
        .limit(batch)
        .load(conn)?;
    let mut removed = 0;
    for (key, start) in old {
        removed += diesel::delete(rate_limits::table.find((key, start))).execute(conn)?;
    }
    Ok(removed)
}
