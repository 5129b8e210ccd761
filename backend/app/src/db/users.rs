//! Users and their login sessions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{sessions, users};
use crate::ids::{OrgId, SessionId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub org_id: Option<OrgId>,
    pub created_at: NaiveDateTime,
    /// The language chosen for notices.
    pub language: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: SessionId,
    pub user_id: UserId,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert_user(conn: &mut DbConnection, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table).values(row).execute(conn).map(drop)
}

pub fn find_user_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::email.eq(email)).select(UserRow::as_select()).first(conn).optional()
}

pub fn find_user(conn: &mut DbConnection, id: &UserId) -> QueryResult<UserRow> {
    users::table.find(id).select(UserRow::as_select()).first(conn)
}

pub fn count_users_with_role(conn: &mut DbConnection, role: &str) -> QueryResult<i64> {
    users::table.filter(users::role.eq(role)).count().get_result(conn)
}

pub fn insert_session(conn: &mut DbConnection, row: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(sessions::table).values(row).execute(conn).map(drop)
}

/// The session with its user, if both exist.
pub fn find_session(conn: &mut DbConnection, id: &SessionId) -> QueryResult<Option<(SessionRow, UserRow)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(id))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()
}

/// Marks a session revoked; returns whether it was live.
pub fn revoke_session(conn: &mut DbConnection, id: &SessionId, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(sessions::table.filter(sessions::id.eq(id)).filter(sessions::revoked_at.is_null()))
        .set(sessions::revoked_at.eq(at))
        .execute(conn)
        .map(|n| n > 0)
}

/// Sets the language a user chose for its notices (none: the role's).
pub fn set_language(conn: &mut DbConnection, id: &UserId, language: Option<&str>) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(users::language.eq(language)).execute(conn)
}
