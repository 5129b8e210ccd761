//! The authorities of the scheme's two sides, which regulators act for.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::authorities;
use crate::ids::AuthorityId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = authorities)]
pub struct AuthorityRow {
    pub id: AuthorityId,
    pub name: String,
    pub country: String,
    pub region_code: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &AuthorityRow) -> QueryResult<()> {
    diesel::insert_into(authorities::table).values(row).execute(conn).map(drop)
}

pub fn find(conn: &mut DbConnection, id: &AuthorityId) -> QueryResult<Option<AuthorityRow>> {
    authorities::table.find(id).select(AuthorityRow::as_select()).first(conn).optional()
}

/// Every authority, China's first, the national one before the provincial ones.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<AuthorityRow>> {
    authorities::table
        .order((
            authorities::country,
            authorities::region_code.is_not_null(),
            authorities::created_at,
            authorities::id,
        ))
        .select(AuthorityRow::as_select())
        .load(conn)
}

/// A country's national authority (the oldest, if there were several).
pub fn national(conn: &mut DbConnection, country: &str) -> QueryResult<Option<AuthorityRow>> {
    authorities::table
        .filter(authorities::country.eq(country))
        .filter(authorities::region_code.is_null())
        .order((authorities::created_at, authorities::id))
        .select(AuthorityRow::as_select())
        .first(conn)
        .optional()
}
