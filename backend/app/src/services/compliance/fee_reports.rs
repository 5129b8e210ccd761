//! Fee reports: a worker reports a recruitment fee it paid (none is ever allowed), which
//! opens a case against the agency and counts on the agency's public record.
//!
//! So that a report cannot be used as a weapon against an agency, a worker reports only an
//! agency it has dealt with (the one that registered it, or one it was placed through),
//! and one report at a time: while its report against an agency waits for a regulator, it
//! files no other against the same agency (409 `fee_report_open`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{MAX_TEXT, open_case, text};
use crate::actor::Actor;
use crate::db::compliance::{self as store, FeeReportRow};
use crate::db::{self, DbConnection};
use crate::domain::calendar::china_day;
use crate::domain::case::{CaseKind, SubjectKind};
use crate::domain::money::Fen;
use crate::error::{AppError, ErrorCode};
use crate::ids::{AgencyId, CaseId, FeeReportId};
use crate::services::accounts::invalid;
use crate::state::AppState;

/// A worker reports a fee it paid.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeReportInput {
    /// The agency that charged it, or that recruited the worker: one that registered the
    /// worker or placed it (any other is refused as not valid, known or not).
    pub agency_id: AgencyId,
    pub amount_fen: Fen,
    pub paid_on: NaiveDate,
    /// To whom, if the worker can say: a name, a role ("the agency's recruiter in Lạng Sơn").
    #[serde(default)]
    pub paid_to: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Opened {
    pub id: FeeReportId,
    pub case_id: CaseId,
}

/// A worker reports a fee: a case against the agency, counted on its public record. Only
/// against an agency the worker dealt with (else 422 on `agency_id`), and not while its
/// last report against it is open (409 `fee_report_open`).
pub async fn report_fee(state: &AppState, actor: &Actor, input: FeeReportInput) -> Result<Opened, AppError> {
    let (actor, now) = (actor.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| report_fee_in(conn, &actor, input, now)).await
}

/// [`report_fee`] inside the caller's transaction.
pub fn report_fee_in(
    conn: &mut DbConnection,
    actor: &Actor,
    input: FeeReportInput,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let worker_id = actor.worker_id()?;
    if !(Fen::new(1)..=Fen::new(100_000_000)).contains(&input.amount_fen) {
        return Err(invalid("amount_fen", "between 1 and 100000000 fen"));
    }
    if input.paid_on > china_day(now) {
        return Err(invalid("paid_on", "a fee already paid"));
    }
    // Not every worker knows to whom it paid: an empty answer is no answer.
    let paid_to = match input.paid_to.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(given) => text("paid_to", given, 200)?,
        None => String::new(),
    };
    let description = text("description", &input.description, MAX_TEXT)?;
    // The same answer for an agency that does not exist and one the worker never dealt
    // with: a worker learns nothing of the registry by trying ids.
    if !store::dealt_with(conn, &worker_id, &input.agency_id)? {
        return Err(invalid("agency_id", "an agency that registered or placed you"));
    }
    // The agency's row lock orders reports against it, so two sent at once cannot both find
    // no open report (on SQLite the transaction holds the write lock already).
    crate::db::agencies::find_locked(conn, &input.agency_id)?;
    if store::open_fee_report(conn, &worker_id, &input.agency_id)? {
        return Err(AppError::new(ErrorCode::FeeReportOpen)
            .with_detail("your report against this agency is still open; a regulator will answer it first"));
    }
    let case_id = open_case(
        conn,
        CaseKind::Fee,
        (SubjectKind::Agency, Some(input.agency_id.as_str())),
        None,
        None,
        input.amount_fen,
        Some(&actor.user_id),
        now,
    )?;
    let id = FeeReportId::generate();
    store::insert_fee_report(
        conn,
        &FeeReportRow {
            id: id.clone(),
            worker_id,
            agency_id: input.agency_id,
            amount_fen: input.amount_fen,
            paid_on: input.paid_on,
            paid_to,
            description,
            case_id: case_id.clone(),
            created_at: now.naive_utc(),
        },
    )?;
    Ok(Opened { id, case_id })
}

/// The agency that recruited the signed-in worker: the one its fee report names unless it
/// says otherwise (workers only).
pub async fn own_agency(state: &AppState, actor: &Actor) -> Result<AgencyId, AppError> {
    let worker_id = actor.worker_id()?;
    db::run(&state.pool, move |conn| {
        let worker = crate::db::workers::find(conn, &worker_id)?.ok_or_else(AppError::not_found)?;
        Ok(worker.row.agency_id)
    })
    .await
}
