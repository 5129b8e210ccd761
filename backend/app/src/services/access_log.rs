//! The worker's access log: who read its record. Each time an agency's user reads a worker's
//! full record (the one worker, or the registry's list), the read is kept, once per worker,
//! user and day in China; reading again that day adds nothing. The worker reads its own
//! log, regulators any worker's; nobody else learns that it exists (404).
//!
//! A read is not a change of anything: it goes to this log, not to the audit chain (which
//! records changes, and would grow by a row per worker for each list an agency opens).

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::actor::{Actor, Scope};
use crate::db::access_log::{self as store, AccessRow};
use crate::db::{self, DbConnection, workers};
use crate::domain::calendar::china_day;
use crate::error::AppError;
use crate::ids::{AgencyId, UserId, WorkerId};
use crate::services::authorities::scope_in;
use crate::state::AppState;

/// One day on which one agency user read the worker's record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccessEntry {
    /// The first read of that day.
    pub at: DateTime<Utc>,
    /// The day in China (Asia/Shanghai) the entry stands for.
    pub day: NaiveDate,
    pub agency_id: AgencyId,
    pub agency_name: String,
    /// The account that read the record: enough for a worker to tell two readers apart and
    /// to name one in a complaint.
    pub user_id: UserId,
    /// The account's e-mail: for regulators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
}

/// Reads with `read` from one snapshot, then records the reads of the workers it names by an
/// agency's user that the log does not hold yet (the first of the day), in a short
/// transaction of their own: a record read again that day takes no write lock. A regulator's
/// or the worker's own reads are not kept. A read that cannot be recorded is not answered.
pub async fn read_recorded<T, F>(
    state: &AppState,
    actor: &Actor,
    now: DateTime<Utc>,
    read: F,
) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<(T, Vec<WorkerId>), AppError> + Send + 'static,
    T: Send + 'static,
{
    let reader = actor.clone();
    let (value, unrecorded) = db::snapshot(&state.pool, move |conn| {
        let (value, read_ids) = read(conn)?;
        Ok((value, unrecorded_in(conn, &reader, read_ids, now)?))
    })
    .await?;
    if !unrecorded.is_empty() {
        db::transaction(&state.pool, move |conn| Ok(store::insert_new(conn, &unrecorded)?)).await?;
    }
    Ok(value)
}

/// The log rows `actor`'s reads of `workers` at `now` add: none unless it reads for an
/// agency, and none for a worker whose read by this user is already kept for the day.
fn unrecorded_in(
    conn: &mut DbConnection,
    actor: &Actor,
    workers: Vec<WorkerId>,
    now: DateTime<Utc>,
) -> Result<Vec<AccessRow>, AppError> {
    let Ok(agency_id) = actor.agency_id() else {
        return Ok(Vec::new());
    };
    let (at, day) = (now.naive_utc(), china_day(now));
    let kept: HashSet<WorkerId> = store::kept_on(conn, &actor.user_id, day, &workers)?.into_iter().collect();
    Ok(workers
        .into_iter()
        .filter(|id| !kept.contains(id))
        .map(|worker_id| AccessRow {
            worker_id,
            user_id: actor.user_id.clone(),
            agency_id: agency_id.clone(),
            at,
            china_day: day,
        })
        .collect())
}

/// A worker's access log, newest first: for the worker itself, and for regulators (with
/// each reader's e-mail). Anyone else, and an unknown worker: 404.
pub async fn access_log(
    state: &AppState,
    actor: &Actor,
    worker_id: &WorkerId,
) -> Result<Vec<AccessEntry>, AppError> {
    let (actor, worker_id) = (actor.clone(), worker_id.clone());
    db::run(&state.pool, move |conn| {
        let regulator = match scope_in(conn, &actor)? {
            // A worker the reader's authority does not oversee is not found.
            Scope::Authority(within) if workers::overseen(conn, &worker_id, &within)? => true,
            Scope::Worker(own) if own == worker_id => false,
            _ => return Err(AppError::not_found()),
        };
        if !store::worker_exists(conn, &worker_id)? {
            return Err(AppError::not_found());
        }
        Ok(store::of_worker(conn, &worker_id)?
            .into_iter()
            .map(|(row, agency_name, email)| AccessEntry {
                at: row.at.and_utc(),
                day: row.china_day,
                agency_id: row.agency_id,
                agency_name,
                user_id: row.user_id,
                user_email: email.filter(|_| regulator),
            })
            .collect())
    })
    .await
}

/// The signed-in worker's own access log (a worker account only).
pub async fn own_access_log(state: &AppState, actor: &Actor) -> Result<Vec<AccessEntry>, AppError> {
    let worker_id = actor.worker_id()?;
    access_log(state, actor, &worker_id).await
}
