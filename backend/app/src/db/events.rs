//! The outbox: events, partner endpoints, deliveries and notices.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::DbConnection;
use super::schema::{deliveries, event_head, events, notices, partners};
use crate::domain::page::Seek;
use crate::ids::UserId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub seq: i64,
    pub id: String,
    pub event_type: String,
    pub at: NaiveDateTime,
    pub subject_key: String,
    pub subject: String,
    pub data: String,
    pub identity: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = partners)]
pub struct PartnerRow {
    pub id: String,
    pub name: String,
    pub url: String,
    pub event_types: String,
    pub secret: String,
    pub key_hash: String,
    pub permit_authority: bool,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
    pub removed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub partner_id: String,
    pub event_seq: i64,
    pub subject_key: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub retry_since: NaiveDateTime,
    pub claim: Option<String>,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notices)]
pub struct NoticeRow {
    pub id: String,
    /// The event it tells of; none for a notice that carries a one-time code.
    pub event_seq: Option<i64>,
    /// The one-time code it carries (its body holds `codes::CODE_PLACEHOLDER` where the sender
    /// puts the code).
    pub code_id: Option<String>,
    pub channel: String,
    pub recipient: String,
    pub language: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claim: Option<String>,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The next event number, taken without a lock that lasts: on PostgreSQL from a sequence (so
/// numbers need not commit in order; the feed pages by the position [`place`] gives), on
/// SQLite from the head's row (its writers take turns anyway).
pub fn next_seq(conn: &mut DbConnection) -> QueryResult<i64> {
    match conn {
        DbConnection::Postgres(pg) => {
            let next: Number = diesel::sql_query("SELECT nextval('event_numbers') AS n").get_result(pg)?;
            Ok(next.n)
        }
        DbConnection::Sqlite(_) => diesel::update(event_head::table.find(1))
            .set(event_head::seq.eq(event_head::seq + 1))
            .returning(event_head::seq)
            .get_result(conn),
    }
}

pub fn insert(conn: &mut DbConnection, row: &EventRow) -> QueryResult<()> {
    diesel::insert_into(events::table).values(row).execute(conn).map(drop)
}

/// Whether any committed event waits for its place in the feed.
pub fn any_unplaced(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(events::table.filter(events::position.is_null()))).get_result(conn)
}

/// Gives up to `limit` committed events without a position the next positions of the feed,
/// in the order of their numbers, holding the head's lock to the commit; call inside a
/// transaction. How many it placed.
pub fn place(conn: &mut DbConnection, limit: i64) -> QueryResult<usize> {
    let last: i64 = diesel::update(event_head::table.find(1))
        .set(event_head::position.eq(event_head::position))
        .returning(event_head::position)
        .get_result(conn)?;
    let waiting: Vec<i64> = events::table
        .filter(events::position.is_null())
        .order(events::seq)
        .limit(limit)
        .select(events::seq)
        .load(conn)?;
    for (position, seq) in (last + 1..).zip(&waiting) {
        diesel::update(events::table.find(seq)).set(events::position.eq(position)).execute(conn)?;
    }
    let placed = i64::try_from(waiting.len()).unwrap_or(i64::MAX);
    diesel::update(event_head::table.find(1)).set(event_head::position.eq(last + placed)).execute(conn)?;
    Ok(waiting.len())
}

/// Up to `limit` events after the feed's position `after`, in the feed's order, of `types`
/// when given; with their positions.
pub fn page(
    conn: &mut DbConnection,
    after: i64,
    types: Option<&[String]>,
    limit: i64,
) -> QueryResult<Vec<(i64, EventRow)>> {
    let mut query = events::table.filter(events::position.gt(after)).into_boxed();
    if let Some(types) = types {
        query = query.filter(events::event_type.eq_any(types));
    }
    query
        .order(events::position)
        .limit(limit)
        .select((events::position.assume_not_null(), EventRow::as_select()))
        .load(conn)
}

/// The feed's position of the event `id`, once placed.
pub fn position_of(conn: &mut DbConnection, id: &str) -> QueryResult<Option<i64>> {
    events::table
        .filter(events::id.eq(id))
        .select(events::position)
        .first::<Option<i64>>(conn)
        .optional()
        .map(Option::flatten)
}

pub fn insert_partner(conn: &mut DbConnection, row: &PartnerRow) -> QueryResult<()> {
    diesel::insert_into(partners::table).values(row).execute(conn).map(drop)
}

/// The partners not removed, oldest first.
pub fn active_partners(conn: &mut DbConnection) -> QueryResult<Vec<PartnerRow>> {
    partners::table
        .filter(partners::removed_at.is_null())
        .order((partners::created_at, partners::id))
        .select(PartnerRow::as_select())
        .load(conn)
}

pub fn find_partner(conn: &mut DbConnection, id: &str) -> QueryResult<PartnerRow> {
    partners::table
        .find(id)
        .filter(partners::removed_at.is_null())
        .select(PartnerRow::as_select())
        .first(conn)
}

pub fn partner_by_key_hash(conn: &mut DbConnection, key_hash: &str) -> QueryResult<Option<PartnerRow>> {
    partners::table
        .filter(partners::key_hash.eq(key_hash).and(partners::removed_at.is_null()))
        .select(PartnerRow::as_select())
        .first(conn)
        .optional()
}

/// Removes a partner: it receives nothing more, and its pending deliveries are dropped.
pub fn remove_partner(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    let removed = diesel::update(partners::table.find(id).filter(partners::removed_at.is_null()))
        .set(partners::removed_at.eq(at))
        .execute(conn)?;
    diesel::delete(
        deliveries::table.filter(deliveries::partner_id.eq(id).and(deliveries::status.eq("pending"))),
    )
    .execute(conn)?;
    Ok(removed)
}

pub fn insert_deliveries(conn: &mut DbConnection, rows: &[DeliveryRow]) -> QueryResult<()> {
    for row in rows {
        diesel::insert_into(deliveries::table).values(row).execute(conn)?;
    }
    Ok(())
}

pub fn insert_notices(conn: &mut DbConnection, rows: &[NoticeRow]) -> QueryResult<()> {
    for row in rows {
        diesel::insert_into(notices::table).values(row).execute(conn)?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Sets `claim` until `until` on up to `limit` rows of `table` that `due` selects (a query
/// of `alias.id` with `{now}` and `{limit}` in it); returns their ids. On PostgreSQL rows
/// another instance is claiming are skipped (`FOR UPDATE … SKIP LOCKED`) and a claim
/// re-checks the row it locks; SQLite has one writer at a time.
#[allow(clippy::too_many_arguments)]
fn claim_rows(
    conn: &mut DbConnection,
    table: &str,
    alias: &str,
    due: &str,
    claim: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let claimed: Vec<Claimed> = match conn {
        DbConnection::Postgres(pg) => {
            let due = due.replace("{now}", "$2").replace("{limit}", "$3");
            diesel::sql_query(format!(
                "UPDATE {table} SET claim = $1, claimed_until = $4 \
                 WHERE id IN ({due} FOR UPDATE OF {alias} SKIP LOCKED) RETURNING id"
            ))
            .bind::<Text, _>(claim)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .bind::<Timestamp, _>(until)
            .load(pg)?
        }
        DbConnection::Sqlite(sqlite) => {
            let due = due.replace("{now}", "?2").replace("{limit}", "?3");
            diesel::sql_query(format!(
                "UPDATE {table} SET claim = ?1, claimed_until = ?4 WHERE id IN ({due}) RETURNING id"
            ))
            .bind::<Text, _>(claim)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .bind::<Timestamp, _>(until)
            .load(sqlite)?
        }
    };
    Ok(claimed.into_iter().map(|c| c.id).collect())
}

/// Claims up to `limit` due deliveries for `claim` until `until`: pending, due, not held by
/// another dispatcher, to a partner not removed, and the oldest undelivered one of their
/// partner and subject, so one subject's events reach a partner in order.
pub fn claim_deliveries(
    conn: &mut DbConnection,
    claim: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(DeliveryRow, EventRow, PartnerRow)>> {
    const DUE: &str = "SELECT d.id FROM deliveries d JOIN partners p ON p.id = d.partner_id \
        WHERE p.removed_at IS NULL AND d.status = 'pending' AND d.next_attempt_at <= {now} \
        AND (d.claimed_until IS NULL OR d.claimed_until < {now}) \
        AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.partner_id = d.partner_id \
            AND e.subject_key = d.subject_key AND e.event_seq < d.event_seq AND e.status = 'pending') \
        ORDER BY d.event_seq LIMIT {limit}";
    let ids = claim_rows(conn, "deliveries", "d", DUE, claim, now, until, limit)?;
    deliveries::table
        .inner_join(events::table)
        .inner_join(partners::table)
        .filter(deliveries::id.eq_any(&ids))
        .order(events::seq)
        .select((DeliveryRow::as_select(), EventRow::as_select(), PartnerRow::as_select()))
        .load(conn)
}

/// Claims up to `limit` due notices, as [`claim_deliveries`] does.
pub fn claim_notices(
    conn: &mut DbConnection,
    claim: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<NoticeRow>> {
    const DUE: &str = "SELECT n.id FROM notices n WHERE n.status = 'pending' AND n.next_attempt_at <= {now} \
        AND (n.claimed_until IS NULL OR n.claimed_until < {now}) ORDER BY n.created_at, n.id LIMIT {limit}";
    let ids = claim_rows(conn, "notices", "n", DUE, claim, now, until, limit)?;
    notices::table
        .filter(notices::id.eq_any(&ids))
        .order((notices::created_at, notices::id))
        .select(NoticeRow::as_select())
        .load(conn)
}

/// What became of one attempt.
pub struct Outcome {
    pub status: &'static str,
    pub http_status: Option<i32>,
    pub error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

/// Records an attempt on a delivery this dispatcher still holds; 0 if it lost the claim.
pub fn finish_delivery(
    conn: &mut DbConnection,
    id: &str,
    claim: &str,
    outcome: &Outcome,
) -> QueryResult<usize> {
    diesel::update(deliveries::table.find(id).filter(deliveries::claim.eq(claim)))
        .set((
            deliveries::status.eq(outcome.status),
            deliveries::attempts.eq(deliveries::attempts + 1),
            deliveries::last_status.eq(outcome.http_status),
            deliveries::last_error.eq(&outcome.error),
            deliveries::next_attempt_at.eq(outcome.next_attempt_at),
            deliveries::finished_at.eq(outcome.finished_at),
            deliveries::claim.eq(None::<String>),
            deliveries::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// A partner's deliveries of `status` (all when `None`), newest first.
/// A page of the partner's deliveries, newest event first (one delivery per event and
/// partner), with `status` when given.
pub fn deliveries_of(
    conn: &mut DbConnection,
    partner_id: &str,
    status: Option<&str>,
    seek: &Seek<i64>,
) -> QueryResult<Vec<(DeliveryRow, EventRow)>> {
    let mut query = deliveries::table
        .inner_join(events::table)
        .filter(deliveries::partner_id.eq(partner_id))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(deliveries::status.eq(status));
    }
    if let Some((seq, id)) = &seek.after {
        query = query.filter(
            deliveries::event_seq
                .lt(*seq)
                .or(deliveries::event_seq.eq(*seq).and(deliveries::id.lt(id.clone()))),
        );
    }
    query
        .order((deliveries::event_seq.desc(), deliveries::id.desc()))
        .limit(seek.fetch)
        .select((DeliveryRow::as_select(), EventRow::as_select()))
        .load(conn)
}

pub fn find_delivery(conn: &mut DbConnection, id: &str) -> QueryResult<(DeliveryRow, EventRow)> {
    deliveries::table
        .inner_join(events::table)
        .filter(deliveries::id.eq(id))
        .select((DeliveryRow::as_select(), EventRow::as_select()))
        .first(conn)
}

/// Puts a dead delivery back in the queue, due now, with a fresh retry period.
pub fn redeliver(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(deliveries::table.find(id).filter(deliveries::status.eq("dead")))
        .set((
            deliveries::status.eq("pending"),
            deliveries::next_attempt_at.eq(now),
            deliveries::retry_since.eq(now),
            deliveries::finished_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// Records an attempt on a notice this dispatcher still holds.
pub fn finish_notice(
    conn: &mut DbConnection,
    id: &str,
    claim: &str,
    outcome: &Outcome,
) -> QueryResult<usize> {
    diesel::update(notices::table.find(id).filter(notices::claim.eq(claim)))
        .set((
            notices::status.eq(outcome.status),
            notices::attempts.eq(notices::attempts + 1),
            notices::last_error.eq(&outcome.error),
            notices::next_attempt_at.eq(outcome.next_attempt_at),
            notices::finished_at.eq(outcome.finished_at),
            notices::claim.eq(None::<String>),
            notices::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// The newest notices, of `status` when given.
pub fn recent_notices(
    conn: &mut DbConnection,
    status: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<NoticeRow>> {
    let mut query = notices::table.into_boxed();
    if let Some(status) = status {
        query = query.filter(notices::status.eq(status));
    }
    query
        .order((notices::created_at.desc(), notices::id.desc()))
        .limit(limit)
        .select(NoticeRow::as_select())
        .load(conn)
}

/// The outbox's backlog: pending deliveries and notices, and the oldest one's creation.
pub fn backlog(conn: &mut DbConnection) -> QueryResult<(i64, i64, Option<NaiveDateTime>)> {
    let pending_deliveries =
        deliveries::table.filter(deliveries::status.eq("pending")).count().get_result(conn)?;
    let pending_notices = notices::table.filter(notices::status.eq("pending")).count().get_result(conn)?;
    let oldest_delivery: Option<NaiveDateTime> = deliveries::table
        .filter(deliveries::status.eq("pending"))
        .select(diesel::dsl::min(deliveries::created_at))
        .first(conn)?;
    let oldest_notice: Option<NaiveDateTime> = notices::table
        .filter(notices::status.eq("pending"))
        .select(diesel::dsl::min(notices::created_at))
        .first(conn)?;
    let oldest = match (oldest_delivery, oldest_notice) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Ok((pending_deliveries, pending_notices, oldest))
}

/// Deletes, at most `batch` of each at a time, what is older than `before` and settled:
/// delivered and dead deliveries, sent and failed notices, then events that no delivery or
/// notice refers to any more. Returns how many events it deleted; call again while it
/// deletes some.
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime, batch: i64) -> QueryResult<usize> {
    let old_deliveries = deliveries::table
        .select(deliveries::id)
        .filter(deliveries::status.ne("pending").and(deliveries::created_at.lt(before)))
        .limit(batch)
        .load::<String>(conn)?;
    diesel::delete(deliveries::table.filter(deliveries::id.eq_any(&old_deliveries))).execute(conn)?;
    let old_notices = notices::table
        .select(notices::id)
        .filter(notices::status.ne("pending").and(notices::created_at.lt(before)))
        .limit(batch)
        .load::<String>(conn)?;
    diesel::delete(notices::table.filter(notices::id.eq_any(&old_notices))).execute(conn)?;
    let unreferenced = events::table
        .select(events::seq)
        .filter(events::at.lt(before).and(events::position.is_not_null()))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            deliveries::table.filter(deliveries::event_seq.eq(events::seq)),
        )))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            notices::table.filter(notices::event_seq.eq(events::seq.nullable())),
        )))
        .order(events::seq)
        .limit(batch)
        .load::<i64>(conn)?;
    diesel::delete(events::table.filter(events::seq.eq_any(&unreferenced))).execute(conn)
}

/// Marks `mark` as done for `subject_key`; false if it was already.
pub fn mark(conn: &mut DbConnection, mark: &str, subject_key: &str, at: NaiveDateTime) -> QueryResult<bool> {
    const INSERT: &str =
        "INSERT INTO event_marks (mark, subject_key, at) VALUES ({1}, {2}, {3}) ON CONFLICT DO NOTHING";
    let inserted = match conn {
        DbConnection::Postgres(pg) => {
            diesel::sql_query(INSERT.replace("{1}", "$1").replace("{2}", "$2").replace("{3}", "$3"))
                .bind::<Text, _>(mark)
                .bind::<Text, _>(subject_key)
                .bind::<Timestamp, _>(at)
                .execute(pg)?
        }
        DbConnection::Sqlite(sqlite) => {
            diesel::sql_query(INSERT.replace("{1}", "?1").replace("{2}", "?2").replace("{3}", "?3"))
                .bind::<Text, _>(mark)
                .bind::<Text, _>(subject_key)
                .bind::<Timestamp, _>(at)
                .execute(sqlite)?
        }
    };
    Ok(inserted == 1)
}

/// How to reach an account, and in which language.
#[derive(Debug, Clone, Queryable)]
pub struct AccountContact {
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The language its user chose for notices.
    pub language: Option<String>,
    /// Whether its user set its own password (see `users.activated_at`).
    pub activated: bool,
}

/// The accounts that act for `org_id` in `role`, oldest first.
pub fn accounts_of(conn: &mut DbConnection, role: &str, org_id: &str) -> QueryResult<Vec<AccountContact>> {
    use super::schema::users;
    users::table
        .filter(users::role.eq(role).and(users::org_id.eq(org_id)))
        .order(users::created_at)
        .select((users::email, users::phone, users::language, users::activated_at.is_not_null()))
        .load(conn)
}

/// How to reach a worker: its own e-mail and phone as registered.
pub fn worker_contact(
    conn: &mut DbConnection,
    worker_id: &str,
) -> QueryResult<Option<(Option<String>, Option<String>)>> {
    use super::schema::workers;
    workers::table.find(worker_id).select((workers::email, workers::phone)).first(conn).optional()
}
