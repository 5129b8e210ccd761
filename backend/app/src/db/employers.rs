//! Employers: registered by themselves, verified by a regulator.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::employers;
use crate::ids::{EmployerId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = employers, treat_none_as_default_value = false)]
pub struct EmployerRow {
    pub id: EmployerId,
    pub name: String,
    pub registration_no: String,
    pub region_code: String,
    pub status: String,
    pub verified_at: Option<NaiveDateTime>,
    pub verified_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &EmployerRow) -> QueryResult<()> {
    diesel::insert_into(employers::table).values(row).execute(conn).map(drop)
}

pub fn find(conn: &mut DbConnection, id: &EmployerId) -> QueryResult<EmployerRow> {
    employers::table.find(id).select(EmployerRow::as_select()).first(conn)
}

pub fn registration_taken(conn: &mut DbConnection, registration_no: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        employers::table.filter(employers::registration_no.eq(registration_no)),
    ))
    .get_result(conn)
}

pub fn list(conn: &mut DbConnection, status: Option<&str>) -> QueryResult<Vec<EmployerRow>> {
    let mut query = employers::table.select(EmployerRow::as_select()).into_boxed();
    if let Some(status) = status {
        query = query.filter(employers::status.eq(status.to_owned()));
    }
    query.order(employers::created_at).load(conn)
}

pub fn verify(
    conn: &mut DbConnection,
    id: &EmployerId,
    by: &UserId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(employers::table.find(id))
        .set((
            employers::status.eq("verified"),
            employers::verified_at.eq(Some(at)),
            employers::verified_by.eq(Some(by)),
        ))
        .execute(conn)
}
