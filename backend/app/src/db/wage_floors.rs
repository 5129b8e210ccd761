//! Wage floor rules and the guard row that serialises floor-checked writes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{wage_floor_guard, wage_floor_rules};
use crate::domain::money::Fen;
use crate::ids::{RuleId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = wage_floor_rules)]
pub struct RuleRow {
    pub id: RuleId,
    pub region_code: String,
    pub occupation_code: Option<String>,
    pub kind: String,
    pub hourly_fen: Fen,
    pub monthly_fen: Option<Fen>,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub source: String,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

/// Takes the floor guard alone for the rest of the transaction: a rule's write calls it first,
/// so that no floor-checked write interleaves with it. On PostgreSQL it locks the row for
/// update; on SQLite the transaction already holds the write lock.
pub fn take_guard(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(wage_floor_guard::table.find(1))
        .set(wage_floor_guard::writes.eq(wage_floor_guard::writes + 1))
        .execute(conn)
        .map(drop)
}

/// Shares the floor guard for the rest of the transaction: every write checked against the
/// floor calls it first. Checked writes run side by side (PostgreSQL's `FOR SHARE`) and wait
/// only for a rule's write, which waits for them; on SQLite the transaction already holds
/// the write lock.
pub fn share_guard(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Postgres(_) => {
            conn.batch_execute("SELECT 1 FROM wage_floor_guard WHERE id = 1 FOR SHARE")
        }
        DbConnection::Sqlite(_) => Ok(()),
    }
}

pub fn insert(conn: &mut DbConnection, row: &RuleRow) -> QueryResult<()> {
    diesel::insert_into(wage_floor_rules::table).values(row).execute(conn).map(drop)
}

pub fn find(conn: &mut DbConnection, id: &RuleId) -> QueryResult<RuleRow> {
    wage_floor_rules::table.find(id).select(RuleRow::as_select()).first(conn)
}

pub fn set_effective_to(conn: &mut DbConnection, id: &RuleId, to: NaiveDate) -> QueryResult<usize> {
    diesel::update(wage_floor_rules::table.find(id))
        .set(wage_floor_rules::effective_to.eq(Some(to)))
        .execute(conn)
}

/// Every rule of these regions, oldest first.
pub fn for_regions(conn: &mut DbConnection, region_codes: &[String]) -> QueryResult<Vec<RuleRow>> {
    wage_floor_rules::table
        .filter(wage_floor_rules::region_code.eq_any(region_codes))
        .order((wage_floor_rules::effective_from, wage_floor_rules::id))
        .select(RuleRow::as_select())
        .load(conn)
}

/// Every rule, newest first, optionally of one region only.
pub fn list(conn: &mut DbConnection, region_code: Option<&str>) -> QueryResult<Vec<RuleRow>> {
    let mut query = wage_floor_rules::table.select(RuleRow::as_select()).into_boxed();
    if let Some(region) = region_code {
        query = query.filter(wage_floor_rules::region_code.eq(region.to_owned()));
    }
    query.order((wage_floor_rules::effective_from.desc(), wage_floor_rules::region_code)).load(conn)
}

pub fn find_many(conn: &mut DbConnection, ids: &[RuleId]) -> QueryResult<Vec<RuleRow>> {
    wage_floor_rules::table.filter(wage_floor_rules::id.eq_any(ids)).select(RuleRow::as_select()).load(conn)
}
