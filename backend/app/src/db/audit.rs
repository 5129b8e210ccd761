//! The hash-chained audit log and its head. An entry is written unsealed, in the
//! transaction of the change it records and without a lock; the sealer numbers and chains
//! the committed ones under the head's lock ([`lock_head`], [`seal`]).

use chrono::NaiveDateTime;
use diesel::dsl::{AssumeNotNull, exists};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{audit_head, audit_log};
use crate::ids::UserId;

/// What an entry records: what is written, unsealed, with the change.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct Fields {
    pub at: NaiveDateTime,
    pub actor_user_id: Option<UserId>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub detail: String,
}

/// An entry waiting for the sealer: its id says its turn.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct Unsealed {
    pub id: i64,
    #[diesel(embed)]
    pub entry: Fields,
}

/// A sealed entry: a link of the chain.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct EntryRow {
    #[diesel(select_expression = audit_log::seq.assume_not_null())]
    #[diesel(select_expression_type = AssumeNotNull<audit_log::seq>)]
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_user_id: Option<UserId>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub detail: String,
    #[diesel(select_expression = audit_log::prev_hash.assume_not_null())]
    #[diesel(select_expression_type = AssumeNotNull<audit_log::prev_hash>)]
    pub prev_hash: String,
    #[diesel(select_expression = audit_log::hash.assume_not_null())]
    #[diesel(select_expression_type = AssumeNotNull<audit_log::hash>)]
    pub hash: String,
}

/// The chain's last entry, and the first entry whose hash is keyed.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_head)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
    pub keyed_from: i64,
}

/// Writes an entry, unsealed. Takes no lock: appends from many transactions commit at once.
pub fn insert(conn: &mut DbConnection, entry: &Fields) -> QueryResult<()> {
    diesel::insert_into(audit_log::table).values(entry).execute(conn).map(drop)
}

/// Whether any committed entry waits for the sealer.
pub fn any_unsealed(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(exists(audit_log::table.filter(audit_log::seq.is_null()))).get_result(conn)
}

/// The chain's head, read after taking its row's write lock (a no-op update): seals happen
/// one after the other, on every backend and across server instances.
pub fn lock_head(conn: &mut DbConnection) -> QueryResult<Head> {
    diesel::update(audit_head::table.find(1)).set(audit_head::seq.eq(audit_head::seq)).execute(conn)?;
    head(conn)
}

pub fn head(conn: &mut DbConnection) -> QueryResult<Head> {
    audit_head::table.find(1).select(Head::as_select()).first(conn)
}

/// Up to `limit` unsealed entries, in the order they were written.
pub fn unsealed(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Unsealed>> {
    audit_log::table
        .filter(audit_log::seq.is_null())
        .order(audit_log::id)
        .limit(limit)
        .select(Unsealed::as_select())
        .load(conn)
}

/// Seals the entry `id` as `link`. Call with the head locked, then [`move_head`].
pub fn seal(conn: &mut DbConnection, id: i64, link: &EntryRow) -> QueryResult<()> {
    diesel::update(audit_log::table.find(id))
        .set((
            audit_log::seq.eq(link.seq),
            audit_log::prev_hash.eq(&link.prev_hash),
            audit_log::hash.eq(&link.hash),
        ))
        .execute(conn)
        .map(drop)
}

/// Moves the head to the last link sealed.
pub fn move_head(conn: &mut DbConnection, seq: i64, hash: &str) -> QueryResult<()> {
    diesel::update(audit_head::table.find(1))
        .set((audit_head::seq.eq(seq), audit_head::hash.eq(hash)))
        .execute(conn)
        .map(drop)
}

/// Up to `limit` sealed entries after `after_seq`, oldest first.
pub fn page(conn: &mut DbConnection, after_seq: i64, limit: i64) -> QueryResult<Vec<EntryRow>> {
    audit_log::table
        .filter(audit_log::seq.gt(after_seq))
        .order(audit_log::seq)
        .limit(limit)
        .select(EntryRow::as_select())
        .load(conn)
}
