//! The hash-chained audit log and its head.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{audit_head, audit_log};
use crate::ids::UserId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct EntryRow {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_user_id: Option<UserId>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub detail: String,
    pub prev_hash: String,
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

/// The chain's head, read after taking its row's write lock (a no-op update): appends
/// happen one after the other, on every backend and across server instances.
pub fn lock_head(conn: &mut DbConnection) -> QueryResult<Head> {
    diesel::update(audit_head::table.find(1)).set(audit_head::seq.eq(audit_head::seq)).execute(conn)?;
    head(conn)
}

pub fn head(conn: &mut DbConnection) -> QueryResult<Head> {
    audit_head::table.find(1).select(Head::as_select()).first(conn)
}

pub fn append(conn: &mut DbConnection, entry: &EntryRow) -> QueryResult<()> {
    diesel::insert_into(audit_log::table).values(entry).execute(conn)?;
    diesel::update(audit_head::table.find(1))
        .set((audit_head::seq.eq(entry.seq), audit_head::hash.eq(&entry.hash)))
        .execute(conn)
        .map(drop)
}

/// Up to `limit` entries after `after_seq`, oldest first.
pub fn page(conn: &mut DbConnection, after_seq: i64, limit: i64) -> QueryResult<Vec<EntryRow>> {
    audit_log::table
        .filter(audit_log::seq.gt(after_seq))
        .order(audit_log::seq)
        .limit(limit)
        .select(EntryRow::as_select())
        .load(conn)
}

/// The entries about one subject, oldest first.
pub fn of_subject(conn: &mut DbConnection, kind: &str, id: &str) -> QueryResult<Vec<EntryRow>> {
    audit_log::table
        .filter(audit_log::subject_kind.eq(kind).and(audit_log::subject_id.eq(id)))
        .order(audit_log::seq)
        .select(EntryRow::as_select())
        .load(conn)
}
