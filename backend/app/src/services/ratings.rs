//! Ratings that count: after its return, a worker rates its agency and its employer, once
//! each per placement, so that every rating stands on a verified placement. The public reads
//! the mean and the count, and the texts a regulator approved; nobody outside the regulators
//! reads a text before that, and nobody reads who rated.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::db::ratings::{self as store, RatingRow};
use crate::db::{self, DbConnection, employers};
use crate::domain::account::{EmployerStatus, Role};
use crate::domain::calendar::china_day;
use crate::domain::placement::Status;
pub use crate::domain::rating::RatingSubject;
use crate::error::{AppError, ErrorCode};
use crate::ids::{EmployerId, PlacementId};
use crate::services::accounts::invalid;
use crate::services::audit;
use crate::state::AppState;

/// A worker's rating of one party of its placement.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    /// 1 (bad) to 5 (good).
    pub score: i32,
    /// In any of the scheme's languages; shown to the public once a regulator approved it.
    pub text: Option<String>,
    /// The agency (the default) or the employer.
    #[serde(default)]
    pub subject: Option<RatingSubject>,
}

/// A rating as its author and regulators read it (never who wrote it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rating {
    pub id: String,
    pub placement_id: PlacementId,
    pub subject: RatingSubject,
    pub subject_id: String,
    pub score: i32,
    pub text: Option<String>,
    /// none (no text), pending, approved or rejected.
    pub text_status: String,
    pub created_at: DateTime<Utc>,
}

/// What the public reads of a party's ratings.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct RatingSummary {
    /// Ratings from verified placements: one per placement at most.
    pub count: i64,
    /// The mean score, to one decimal; absent without ratings.
    pub mean: Option<f64>,
    /// The texts a regulator approved, newest first (at most 20), without their authors.
    pub texts: Vec<RatingText>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RatingText {
    pub score: i32,
    pub text: String,
    /// The day it was written, in China.
    pub written_on: NaiveDate,
}

/// A regulator's decision on a rating's text.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Moderation {
    pub approve: bool,
}

/// An employer as anyone may read it: its name, region, and its workers' ratings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicEmployer {
    pub id: EmployerId,
    pub name: String,
    pub region_code: String,
    /// verified, or suspended (it takes no new workers until reinstated).
    pub status: EmployerStatus,
    pub rating: RatingSummary,
}

/// The longest text a rating carries.
const MAX_TEXT_CHARS: usize = 2000;

fn view(row: RatingRow) -> Result<Rating, AppError> {
    let subject = RatingSubject::parse(&row.subject_kind)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored rating subject {:?}", row.subject_kind)))?;
    Ok(Rating {
        id: row.id,
        placement_id: row.placement_id,
        subject,
        subject_id: row.subject_id,
        score: row.score,
        text: row.text,
        text_status: row.text_status,
        created_at: row.created_at.and_utc(),
    })
}

/// The worker rates the agency or the employer of its placement, once each, after its return
/// (409 before it, and for a second rating); anyone else is refused.
pub async fn rate(
    state: &AppState,
    actor: &Actor,
    placement_id: &PlacementId,
    input: RatingInput,
) -> Result<Rating, AppError> {
    actor.require(Role::Worker)?;
    let worker_id = actor.worker_id()?;
    let (actor, placement_id, now) = (actor.clone(), placement_id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        let placement = crate::db::placements::find(conn, &placement_id)?
            .filter(|p| p.row.worker_id == worker_id)
            .ok_or_else(AppError::not_found)?;
        if !(1..=5).contains(&input.score) {
            return Err(invalid("score", "from 1 to 5"));
        }
        let text = input.text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        if text.as_ref().is_some_and(|t| t.chars().count() > MAX_TEXT_CHARS) {
            return Err(invalid("text", "at most 2000 characters"));
        }
        let status = Status::parse(&placement.row.status)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored status {:?}", placement.row.status)))?;
        if !matches!(status, Status::Returned | Status::ReturnedLate) {
            return Err(
                AppError::new(ErrorCode::Conflict).with_detail("a placement is rated after the return")
            );
        }
        let subject = input.subject.unwrap_or(RatingSubject::Agency);
        let subject_id = match subject {
            RatingSubject::Agency => placement.row.agency_id.to_string(),
            RatingSubject::Employer => placement.row.employer_id.to_string(),
        };
        let row = RatingRow {
            id: uuid::Uuid::now_v7().to_string(),
            placement_id: placement_id.clone(),
            subject_kind: subject.as_str().to_owned(),
            subject_id,
            score: input.score,
            text_status: if text.is_some() { "pending" } else { "none" }.to_owned(),
            text,
            created_at: now.naive_utc(),
            moderated_by: None,
            moderated_at: None,
        };
        store::insert(conn, &row).map_err(|e| match e {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                AppError::new(ErrorCode::Conflict).with_detail("this placement already rated it")
            }
            other => other.into(),
        })?;
        audit::record(
            conn,
            Some(&actor.user_id),
            "rating.given",
            ("placement", placement_id.as_str()),
            json!({"subject": subject.as_str(), "subject_id": row.subject_id, "score": row.score}),
            now,
        )?;
        view(row)
    })
    .await
}

/// The texts waiting for a regulator, oldest first (regulators of either side).
pub async fn pending(state: &AppState, actor: &Actor) -> Result<Vec<Rating>, AppError> {
    actor.require(Role::Regulator)?;
    db::run(&state.pool, |conn| store::pending(conn, 200)?.into_iter().map(view).collect()).await
}

/// A regulator approves a rating's text for the public, or rejects it (409 unless pending).
pub async fn moderate(
    state: &AppState,
    actor: &Actor,
    id: &str,
    decision: Moderation,
) -> Result<Rating, AppError> {
    actor.require(Role::Regulator)?;
    let (actor, id, now) = (actor.clone(), id.to_owned(), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        store::find(conn, &id)?.ok_or_else(AppError::not_found)?;
        let status = if decision.approve { "approved" } else { "rejected" };
        if store::moderate(conn, &id, status, &actor.user_id, now.naive_utc())? == 0 {
            return Err(AppError::new(ErrorCode::Conflict).with_detail("only a pending text is moderated"));
        }
        audit::record(
            conn,
            Some(&actor.user_id),
            "rating.moderated",
            ("rating", id.as_str()),
            json!({"text_status": status}),
            now,
        )?;
        view(store::find(conn, &id)?.ok_or_else(AppError::not_found)?)
    })
    .await
}

/// What the public reads of a party's ratings.
pub fn summary_in(
    conn: &mut DbConnection,
    subject: RatingSubject,
    subject_id: &str,
) -> Result<RatingSummary, AppError> {
    let (count, sum) = store::summary(conn, subject.as_str(), subject_id)?;
    // Means of at most 5 over counts that fit an i64: exact to one decimal in an f64.
    let mean = (count > 0).then(|| ((sum * 10 + count / 2) / count) as f64 / 10.0);
    let texts = store::approved_texts(conn, subject.as_str(), subject_id, 20)?
        .into_iter()
        .filter_map(|r| {
            let written_on = china_day(r.created_at.and_utc());
            r.text.map(|text| RatingText { score: r.score, text, written_on })
        })
        .collect();
    Ok(RatingSummary { count, mean, texts })
}

/// A verified (or suspended) employer's public card; 404 for one not verified yet.
pub async fn public_employer(state: &AppState, id: &EmployerId) -> Result<PublicEmployer, AppError> {
    let id = id.clone();
    db::run(&state.pool, move |conn| {
        let row = employers::find(conn, &id).map_err(|e| match e {
            diesel::result::Error::NotFound => AppError::not_found(),
            other => other.into(),
        })?;
        let status = EmployerStatus::parse(&row.status)
            .filter(|s| *s != EmployerStatus::Pending)
            .ok_or_else(AppError::not_found)?;
        let rating = summary_in(conn, RatingSubject::Employer, row.id.as_str())?;
        Ok(PublicEmployer { id: row.id, name: row.name, region_code: row.region_code, status, rating })
    })
    .await
}
