//! Employers: registered by themselves, verified by a regulator.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::employers;
use super::{Backend, DbConnection};
use crate::domain::page::Seek;
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

/// The names of the employers `ids`, by id (those that exist).
pub fn names_of(
    conn: &mut DbConnection,
    ids: &[EmployerId],
) -> QueryResult<std::collections::HashMap<EmployerId, String>> {
    let mut names = std::collections::HashMap::with_capacity(ids.len());
    // In chunks: SQLite binds at most 32,766 values in one statement.
    for chunk in ids.chunks(10_000) {
        let rows: Vec<(EmployerId, String)> = employers::table
            .filter(employers::id.eq_any(chunk))
            .select((employers::id, employers::name))
            .load(conn)?;
        names.extend(rows);
    }
    Ok(names)
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
    query.order((employers::created_at, employers::id)).load(conn)
}

/// The employers a list reads: those with `status`, in `regions` (a provincial authority's).
fn selected(status: Option<&str>, regions: Option<&[String]>) -> employers::BoxedQuery<'static, Backend> {
    let mut query = employers::table.into_boxed();
    if let Some(status) = status {
        query = query.filter(employers::status.eq(status.to_owned()));
    }
    if let Some(regions) = regions {
        query = query.filter(employers::region_code.eq_any(regions.to_vec()));
    }
    query
}

/// A page of employers, oldest first (then by id), with `status`, in `regions` when given.
pub fn page(
    conn: &mut DbConnection,
    status: Option<&str>,
    regions: Option<&[String]>,
    seek: &Seek<NaiveDateTime>,
) -> QueryResult<Vec<EmployerRow>> {
    let mut query = selected(status, regions);
    if let Some((at, id)) = &seek.after {
        let id = EmployerId::from(id.clone());
        query = query.filter(
            employers::created_at.gt(*at).or(employers::created_at.eq(*at).and(employers::id.gt(id))),
        );
    }
    query
        .order((employers::created_at, employers::id))
        .limit(seek.fetch)
        .select(EmployerRow::as_select())
        .load(conn)
}

/// A page of employers, pending before verified ("pending" sorts first), each oldest first:
/// the regulator's desk, in `regions` when given.
pub fn page_pending_first(
    conn: &mut DbConnection,
    regions: Option<&[String]>,
    seek: &Seek<(String, NaiveDateTime)>,
) -> QueryResult<Vec<EmployerRow>> {
    let mut query = selected(None, regions);
    if let Some(((status, at), id)) = &seek.after {
        let id = EmployerId::from(id.clone());
        query =
            query.filter(employers::status.gt(status.clone()).or(employers::status.eq(status.clone()).and(
                employers::created_at.gt(*at).or(employers::created_at.eq(*at).and(employers::id.gt(id))),
            )));
    }
    query
        .order((employers::status, employers::created_at, employers::id))
        .limit(seek.fetch)
        .select(EmployerRow::as_select())
        .load(conn)
}

/// Suspends a verified employer (`suspended`) or reinstates a suspended one (`verified`):
/// the rows changed, 0 when it was not in the status `from`.
pub fn set_status(conn: &mut DbConnection, id: &EmployerId, from: &str, to: &str) -> QueryResult<usize> {
    diesel::update(employers::table.find(id).filter(employers::status.eq(from)))
        .set(employers::status.eq(to))
        .execute(conn)
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
