//! Users and their login sessions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{sessions, users};
use crate::ids::{OrgId, SessionId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct UserRow {
    pub id: UserId,
    /// One of the two a person signs in with: an e-mail address, or a phone number (E.164).
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password_hash: String,
    pub role: String,
    pub org_id: Option<OrgId>,
    pub created_at: NaiveDateTime,
    /// The language chosen for notices.
    pub language: Option<String>,
    /// When the person set its own password; a worker's account made with a password its
    /// agency chose has none until the worker activates it.
    pub activated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: SessionId,
    pub user_id: UserId,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    /// How the user proved who it is: password, activation or reset.
    pub auth_method: String,
}

pub fn insert_user(conn: &mut DbConnection, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table).values(row).execute(conn).map(drop)
}

pub fn find_user_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::email.eq(email)).select(UserRow::as_select()).first(conn).optional()
}

pub fn find_user_by_phone(conn: &mut DbConnection, phone: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::phone.eq(phone)).select(UserRow::as_select()).first(conn).optional()
}

/// The account of a worker record, if it has one.
pub fn find_worker_account(conn: &mut DbConnection, worker_id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::role.eq("worker").and(users::org_id.eq(worker_id)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Sets the account's own password, and what it signs in with; `activated_at` is when the
/// person itself chose it.
pub fn set_credentials(
    conn: &mut DbConnection,
    id: &UserId,
    password_hash: &str,
    sign_in: (Option<&str>, Option<&str>),
    activated_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::email.eq(sign_in.0),
            users::phone.eq(sign_in.1),
            users::activated_at.eq(activated_at),
        ))
        .execute(conn)
}

pub fn set_password(conn: &mut DbConnection, id: &UserId, password_hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(users::password_hash.eq(password_hash)).execute(conn)
}

/// Ends every live session of the user but `keep`.
pub fn revoke_sessions_of(
    conn: &mut DbConnection,
    user_id: &UserId,
    keep: Option<&SessionId>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let mut query = diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .into_boxed();
    if let Some(keep) = keep {
        query = query.filter(sessions::id.ne(keep.clone()));
    }
    query.set(sessions::revoked_at.eq(at)).execute(conn)
}

pub fn find_session_row(conn: &mut DbConnection, id: &SessionId) -> QueryResult<SessionRow> {
    sessions::table.find(id).select(SessionRow::as_select()).first(conn)
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
