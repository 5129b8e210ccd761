//! The seasons the scheme recorded for a worker, and the share of them it gave out.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{employers, placements, vacancies, work_history_shares, worker_returns, workers};
use crate::ids::{EmployerId, PlacementId, WorkerId};

/// A recorded season with its employer's name.
#[derive(Debug, Clone, Queryable)]
pub struct Recorded {
    pub placement_id: Option<PlacementId>,
    pub employer_id: Option<EmployerId>,
    pub employer_name: Option<String>,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub returned_on: Option<NaiveDate>,
    pub returned_on_time: bool,
}

/// A recorded season, with the occupation of the vacancy it was worked on.
#[derive(Debug, Clone)]
pub struct SeasonRow {
    pub recorded: Recorded,
    pub occupation_code: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = work_history_shares)]
pub struct ShareRow {
    pub worker_id: WorkerId,
    pub number: String,
    pub code: String,
    pub shared_at: NaiveDateTime,
}

/// The worker's recorded seasons, oldest first.
pub fn seasons(conn: &mut DbConnection, worker_id: &WorkerId) -> QueryResult<Vec<SeasonRow>> {
    let rows: Vec<Recorded> = worker_returns::table
        .left_join(employers::table)
        .filter(worker_returns::worker_id.eq(worker_id))
        .order((worker_returns::season_start, worker_returns::id))
        .select((
            worker_returns::placement_id,
            worker_returns::employer_id,
            employers::name.nullable(),
            worker_returns::season_start,
            worker_returns::season_end,
            worker_returns::returned_on,
            worker_returns::returned_on_time,
        ))
        .load(conn)?;
    let placed: Vec<PlacementId> = rows.iter().filter_map(|r| r.placement_id.clone()).collect();
    let occupations: std::collections::HashMap<PlacementId, String> = placements::table
        .inner_join(vacancies::table)
        .filter(placements::id.eq_any(&placed))
        .select((placements::id, vacancies::occupation_code))
        .load(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|recorded| SeasonRow {
            occupation_code: recorded.placement_id.as_ref().and_then(|p| occupations.get(p).cloned()),
            recorded,
        })
        .collect())
}

/// The seasons the worker's agency declared (`seasons_worked`), if there is such a worker.
pub fn declared_seasons(conn: &mut DbConnection, worker_id: &WorkerId) -> QueryResult<Option<i32>> {
    workers::table.find(worker_id).select(workers::seasons_worked).first(conn).optional()
}

/// Whether the scheme recorded any season of the worker.
pub fn has_seasons(conn: &mut DbConnection, worker_id: &WorkerId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(worker_returns::table.filter(worker_returns::worker_id.eq(worker_id))))
        .get_result(conn)
}

/// The worker's share, if it gave one out.
pub fn share_of(conn: &mut DbConnection, worker_id: &WorkerId) -> QueryResult<Option<ShareRow>> {
    work_history_shares::table.find(worker_id).select(ShareRow::as_select()).first(conn).optional()
}

/// A share by its number, with its holder's full name.
pub fn share_by_number(conn: &mut DbConnection, number: &str) -> QueryResult<Option<(ShareRow, String)>> {
    work_history_shares::table
        .inner_join(workers::table)
        .filter(work_history_shares::number.eq(number))
        .select((ShareRow::as_select(), workers::full_name))
        .first(conn)
        .optional()
}

pub fn insert_share(conn: &mut DbConnection, share: &ShareRow) -> QueryResult<usize> {
    diesel::insert_into(work_history_shares::table).values(share).execute(conn)
}

/// Withdraws the worker's share; the number of rows deleted (0 when there was none).
pub fn delete_share(conn: &mut DbConnection, worker_id: &WorkerId) -> QueryResult<usize> {
    diesel::delete(work_history_shares::table.find(worker_id)).execute(conn)
}
