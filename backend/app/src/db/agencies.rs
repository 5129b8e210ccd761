//! Licensed agencies and the history of their licences.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{agencies, licence_events};
use crate::domain::page::Seek;
use crate::ids::{AgencyId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = agencies, treat_none_as_default_value = false)]
pub struct AgencyRow {
    pub id: AgencyId,
    pub name: String,
    pub country: String,
    pub licence_number: String,
    pub licence_valid_from: NaiveDate,
    pub licence_valid_until: NaiveDate,
    pub licence_state: String,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = licence_events, treat_none_as_default_value = false)]
pub struct LicenceEventRow {
    pub id: String,
    pub agency_id: AgencyId,
    pub event: String,
    pub reason: Option<String>,
    pub by_user_id: Option<UserId>,
    pub at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &AgencyRow) -> QueryResult<()> {
    diesel::insert_into(agencies::table).values(row).execute(conn).map(drop)
}

pub fn insert_event(conn: &mut DbConnection, row: &LicenceEventRow) -> QueryResult<()> {
    diesel::insert_into(licence_events::table).values(row).execute(conn).map(drop)
}

pub fn find(conn: &mut DbConnection, id: &AgencyId) -> QueryResult<Option<AgencyRow>> {
    agencies::table.find(id).select(AgencyRow::as_select()).first(conn).optional()
}

/// Reads the agency after taking its row's write lock (a no-op update), so that a licence
/// decision and an agency's action on the same licence happen one after the other.
pub fn find_locked(conn: &mut DbConnection, id: &AgencyId) -> QueryResult<Option<AgencyRow>> {
    diesel::update(agencies::table.find(id))
        .set(agencies::licence_state.eq(agencies::licence_state))
        .execute(conn)?;
    find(conn, id)
}

pub fn find_by_licence_number(conn: &mut DbConnection, number: &str) -> QueryResult<Option<AgencyRow>> {
    agencies::table
        .filter(agencies::licence_number.eq(number))
        .select(AgencyRow::as_select())
        .first(conn)
        .optional()
}

/// The number a trigger moves with every change of the agency's workers.
pub fn registry_stamp(conn: &mut DbConnection, id: &AgencyId) -> QueryResult<i64> {
    agencies::table.find(id).select(agencies::registry_stamp).first(conn)
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<AgencyRow>> {
    agencies::table.order((agencies::created_at, agencies::id)).select(AgencyRow::as_select()).load(conn)
}

/// A page of the agencies, oldest first (then by id).
pub fn page(conn: &mut DbConnection, seek: &Seek<NaiveDateTime>) -> QueryResult<Vec<AgencyRow>> {
    let mut query = agencies::table.into_boxed();
    if let Some((at, id)) = &seek.after {
        let id = AgencyId::from(id.clone());
        query = query
            .filter(agencies::created_at.gt(*at).or(agencies::created_at.eq(*at).and(agencies::id.gt(id))));
    }
    query
        .order((agencies::created_at, agencies::id))
        .limit(seek.fetch)
        .select(AgencyRow::as_select())
        .load(conn)
}

pub fn set_state(
    conn: &mut DbConnection,
    id: &AgencyId,
    state: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(agencies::table.find(id))
        .set((agencies::licence_state.eq(state), agencies::updated_at.eq(at)))
        .execute(conn)
}

/// The licence events of the given agencies, oldest first, by agency.
pub fn events_of(
    conn: &mut DbConnection,
    ids: &[AgencyId],
) -> QueryResult<HashMap<AgencyId, Vec<LicenceEventRow>>> {
    let rows: Vec<LicenceEventRow> = licence_events::table
        .filter(licence_events::agency_id.eq_any(ids))
        .order((licence_events::agency_id, licence_events::at, licence_events::id))
        .select(LicenceEventRow::as_select())
        .load(conn)?;
    let mut by_agency: HashMap<AgencyId, Vec<LicenceEventRow>> = HashMap::new();
    for row in rows {
        by_agency.entry(row.agency_id.clone()).or_default().push(row);
    }
    Ok(by_agency)
}
