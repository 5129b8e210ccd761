//! A work history the worker owns: after each return the scheme has a season record (the
//! employer, the occupation, the dates, whether the worker came home on time). The worker
//! reads it, and may share it: a number and a code, behind a QR code, that let anyone read
//! that record and nothing else, until the worker withdraws the share.
//!
//! The public check is rate-limited per client and per number, and answers a wrong code
//! exactly as an unknown number (404).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::codes::random_code;
use crate::db::work_history::{self as store, SeasonRow, ShareRow};
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::worker as worker_domain;
use crate::error::{AppError, ErrorCode};
use crate::ids::{EmployerId, WorkerId};
use crate::services::audit;
use crate::services::limits::{self, Limit};
use crate::state::AppState;

/// Checks of shared histories per client address, per hour.
const CHECKS_PER_CLIENT: i32 = 60;
/// Checks of one number, per hour, from anywhere: a code cannot be guessed from many addresses.
const CHECKS_PER_NUMBER: i32 = 20;

/// One season the scheme recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Season {
    pub employer_id: Option<EmployerId>,
    pub employer_name: Option<String>,
    /// A code of GET /api/v1/reference/occupations.
    pub occupation_code: Option<String>,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    /// The day (China's) the worker crossed home.
    pub returned_on: Option<NaiveDate>,
    pub returned_on_time: bool,
}

impl From<SeasonRow> for Season {
    fn from(row: SeasonRow) -> Season {
        let r = row.recorded;
        Season {
            employer_id: r.employer_id,
            employer_name: r.employer_name,
            occupation_code: row.occupation_code,
            season_start: r.season_start,
            season_end: r.season_end,
            returned_on: r.returned_on,
            returned_on_time: r.returned_on_time,
        }
    }
}

/// The worker's share: who holds the number and the code reads the record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Share {
    #[schema(example = "WH-7KQ2M9XA")]
    pub number: String,
    #[schema(example = "R4T8PZ2C")]
    pub code: String,
    pub shared_at: DateTime<Utc>,
    /// The public page that reads it (where the QR code points), on this server.
    #[schema(example = "/work-history/WH-7KQ2M9XA?code=R4T8PZ2C")]
    pub link: String,
}

impl From<ShareRow> for Share {
    fn from(s: ShareRow) -> Share {
        Share {
            link: link(&s.number, &s.code),
            number: s.number,
            code: s.code,
            shared_at: s.shared_at.and_utc(),
        }
    }
}

/// The public page of a share.
pub fn link(number: &str, code: &str) -> String {
    format!("/work-history/{number}?code={code}")
}

/// The worker's own history: the seasons the scheme recorded, the seasons its agency
/// declared apart from them, and its share if it gave one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkHistory {
    /// Oldest first.
    pub seasons: Vec<Season>,
    pub seasons_verified: i64,
    /// What the agency typed as seasons worked before (`seasons_worked`): nobody verified it.
    pub seasons_declared: i32,
    pub returned_on_time_count: i64,
    /// The last recorded season ended with a return on time.
    pub good_standing: bool,
    pub share: Option<Share>,
}

/// What a shared history shows: the recorded seasons, and whose they are by initials only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicWorkHistory {
    pub number: String,
    #[schema(example = "N.T.H.")]
    pub holder_initials: String,
    /// Oldest first.
    pub seasons: Vec<Season>,
    pub returned_on_time_count: i64,
    pub good_standing: bool,
}

fn counts(seasons: &[Season]) -> (i64, bool) {
    (
        seasons.iter().filter(|s| s.returned_on_time).count() as i64,
        seasons.last().is_some_and(|s| s.returned_on_time),
    )
}

fn seasons_of(conn: &mut DbConnection, worker_id: &WorkerId) -> Result<Vec<Season>, AppError> {
    Ok(store::seasons(conn, worker_id)?.into_iter().map(Season::from).collect())
}

/// The signed-in worker's history (anyone else: 403).
pub async fn own(state: &AppState, actor: &Actor) -> Result<WorkHistory, AppError> {
    actor.require(Role::Worker)?;
    let worker_id = actor.worker_id()?;
    db::run(&state.pool, move |conn| {
        let declared = store::declared_seasons(conn, &worker_id)?.ok_or_else(AppError::not_found)?;
        let seasons = seasons_of(conn, &worker_id)?;
        let (returned_on_time_count, good_standing) = counts(&seasons);
        Ok(WorkHistory {
            seasons_verified: seasons.len() as i64,
            seasons_declared: declared,
            returned_on_time_count,
            good_standing,
            share: store::share_of(conn, &worker_id)?.map(Share::from),
            seasons,
        })
    })
    .await
}

/// The worker shares its history: a new number and code, or the share it already gave
/// (`false`). Refused while the scheme recorded no season (409 `conflict`).
pub async fn share(state: &AppState, actor: &Actor) -> Result<(Share, bool), AppError> {
    actor.require(Role::Worker)?;
    let worker_id = actor.worker_id()?;
    let (user_id, now) = (actor.user_id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        if let Some(given) = store::share_of(conn, &worker_id)? {
            return Ok((Share::from(given), false));
        }
        if !store::has_seasons(conn, &worker_id)? {
            return Err(
                AppError::new(ErrorCode::Conflict).with_detail("no season is recorded yet: nothing to share")
            );
        }
        let share = ShareRow {
            worker_id: worker_id.clone(),
            number: format!("WH-{}", random_code(8)),
            code: random_code(8),
            shared_at: now.naive_utc(),
        };
        store::insert_share(conn, &share)?;
        audit::record(
            conn,
            Some(&user_id),
            "work_history.shared",
            ("worker", worker_id.as_str()),
            json!({"number": share.number}),
            now,
        )?;
        Ok((Share::from(share), true))
    })
    .await
}

/// The worker withdraws its share: its number and code read nothing from now on (404 when
/// there is none).
pub async fn withdraw(state: &AppState, actor: &Actor) -> Result<(), AppError> {
    actor.require(Role::Worker)?;
    let worker_id = actor.worker_id()?;
    let (user_id, now) = (actor.user_id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        let given = store::share_of(conn, &worker_id)?.ok_or_else(AppError::not_found)?;
        store::delete_share(conn, &worker_id)?;
        audit::record(
            conn,
            Some(&user_id),
            "work_history.withdrawn",
            ("worker", worker_id.as_str()),
            json!({"number": given.number}),
            now,
        )?;
        Ok(())
    })
    .await
}

/// Anyone reads a shared history by its number and code. A wrong code, an unknown number
/// and a withdrawn share all answer 404; too many tries, 429 `rate_limited`.
pub async fn check(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    number: &str,
    code: &str,
) -> Result<PublicWorkHistory, AppError> {
    let number = number.trim().to_uppercase();
    let code = code.trim().to_uppercase();
    let mut hits = limits::per_client(Limit::hourly("work_history_check", CHECKS_PER_CLIENT), client);
    hits.push((Limit::hourly("work_history_number", CHECKS_PER_NUMBER), number.clone()));
    limits::hit(state, hits).await?;
    db::run(&state.pool, move |conn| {
        use subtle::ConstantTimeEq;
        let (share, holder) = store::share_by_number(conn, &number)?
            .filter(|(s, _)| bool::from(s.code.as_bytes().ct_eq(code.as_bytes())))
            .ok_or_else(AppError::not_found)?;
        let seasons = seasons_of(conn, &share.worker_id)?;
        let (returned_on_time_count, good_standing) = counts(&seasons);
        Ok(PublicWorkHistory {
            number: share.number,
            holder_initials: worker_domain::initials(&holder),
            seasons,
            returned_on_time_count,
            good_standing,
        })
    })
    .await
}
