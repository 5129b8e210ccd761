//! Ratings of agencies and employers by the workers they placed or employed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::ratings;
use crate::ids::{PlacementId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ratings, treat_none_as_default_value = false)]
pub struct RatingRow {
    pub id: String,
    pub placement_id: PlacementId,
    /// agency or employer.
    pub subject_kind: String,
    pub subject_id: String,
    pub score: i32,
    pub text: Option<String>,
    /// none (no text), pending, approved or rejected.
    pub text_status: String,
    pub created_at: NaiveDateTime,
    pub moderated_by: Option<UserId>,
    pub moderated_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, row: &RatingRow) -> QueryResult<usize> {
    diesel::insert_into(ratings::table).values(row).execute(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<RatingRow>> {
    ratings::table.find(id).select(RatingRow::as_select()).first(conn).optional()
}

/// How many ratings the subject has, and the sum of their scores.
pub fn summary(conn: &mut DbConnection, kind: &str, subject_id: &str) -> QueryResult<(i64, i64)> {
    let (count, sum): (i64, Option<i64>) = ratings::table
        .filter(ratings::subject_kind.eq(kind))
        .filter(ratings::subject_id.eq(subject_id))
        .select((diesel::dsl::count_star(), diesel::dsl::sum(ratings::score)))
        .first(conn)?;
    Ok((count, sum.unwrap_or(0)))
}

/// The subject's ratings whose text a regulator approved, newest first, at most `limit`.
pub fn approved_texts(
    conn: &mut DbConnection,
    kind: &str,
    subject_id: &str,
    limit: i64,
) -> QueryResult<Vec<RatingRow>> {
    ratings::table
        .filter(ratings::subject_kind.eq(kind))
        .filter(ratings::subject_id.eq(subject_id))
        .filter(ratings::text_status.eq("approved"))
        .order((ratings::created_at.desc(), ratings::id.desc()))
        .limit(limit)
        .select(RatingRow::as_select())
        .load(conn)
}

/// The texts waiting for a regulator, oldest first, at most `limit`.
pub fn pending(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<RatingRow>> {
    ratings::table
        .filter(ratings::text_status.eq("pending"))
        .order((ratings::created_at, ratings::id))
        .limit(limit)
        .select(RatingRow::as_select())
        .load(conn)
}

/// Decides a pending text; 0 rows when it was not pending.
pub fn moderate(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    by: &UserId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(ratings::table.find(id).filter(ratings::text_status.eq("pending")))
        .set((ratings::text_status.eq(status), ratings::moderated_by.eq(by), ratings::moderated_at.eq(at)))
        .execute(conn)
}
