//! The steps every placement action shares, below the actions and above the views: the
//! state machine's move (with the seat, the timeline and the audit log), the checks that
//! open an action, and a contract version's terms made and stored.

use chrono::{DateTime, Duration, Utc};

use super::model::Rules;
use super::views::status_of;
use crate::actor::Actor;
use crate::db::DbConnection;
use crate::db::placements::{self as store, ContractRow, EventRow, PlacementRow};
use crate::domain::contract::{self, FloorRef, Holder, Named, Party, Terms};
use crate::domain::event::EventType;
use crate::domain::money::Fen;
use crate::domain::placement::{Action, Status, next};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::ids::{PlacementId, UserId};
use crate::services::audit;
use crate::services::events::{self, NewEvent, Subject};
use crate::services::reference::Reference;
use crate::services::vacancies::{self, Vacancy};

pub(super) fn refused(from: Status, action: Action) -> AppError {
    AppError::new(ErrorCode::TransitionNotAllowed)
        .with_detail(format!("a placement that is {} does not allow {}", from.as_str(), action.name()))
        .with("status", from.as_str())
}

/// Moves the placement by `action`: the state machine, the seat, the timeline and the audit
/// log, in the caller's transaction.
pub(super) fn apply(
    conn: &mut DbConnection,
    placement: &PlacementRow,
    action: Action,
    by: Option<&UserId>,
    note: Option<String>,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Status, AppError> {
    let from = status_of(placement)?;
    let to = next(from, action).ok_or_else(|| refused(from, action))?;
    let id = &placement.id;
    if store::set_status(conn, id, from, to, now.naive_utc())? == 0 {
        return Err(
            AppError::new(ErrorCode::Conflict).with_detail("the placement changed meanwhile; reload it")
        );
    }
    if from.is_active() && !to.is_active() {
        store::free_seat(conn, &placement.vacancy_id)?;
    }
    add_to_timeline(conn, id, Some(from), to, by, note, now)?;
    let mut detail = detail;
    if let Some(map) = detail.as_object_mut() {
        map.insert("from".into(), from.as_str().into());
        map.insert("to".into(), to.as_str().into());
    }
    audit::record(conn, by, action.name(), ("placement", id.as_str()), detail.clone(), now)?;
    let event = placement_event(conn, placement, event_of(action), detail)?;
    events::record(conn, event, now)?;
    Ok(to)
}

/// The event an action makes.
fn event_of(action: Action) -> EventType {
    match action {
        Action::Accept => EventType::ContractAccepted,
        Action::Decline => EventType::PlacementDeclined,
        Action::Withdraw => EventType::PlacementWithdrawn,
        Action::Amend => EventType::ContractAmended,
        Action::IssuePermit => EventType::PermitIssued,
        Action::RevokePermit => EventType::PermitRevoked,
        Action::Depart => EventType::PlacementDeparted,
        Action::Complete => EventType::PlacementCompleted,
        Action::Terminate => EventType::PlacementTerminated,
        Action::Return { .. } => EventType::PlacementReturned,
        Action::Overstay => EventType::PlacementOverstayed,
    }
}

/// An event about a placement. Permit and border events carry the holder's identity, which
/// only regulators and the permit authority read.
pub(super) fn placement_event(
    conn: &mut DbConnection,
    placement: &PlacementRow,
    event_type: EventType,
    data: serde_json::Value,
) -> Result<NewEvent, AppError> {
    use EventType as T;
    let mut event = NewEvent::new(event_type, Subject::placement(placement), data);
    if matches!(
        event_type,
        T::PermitIssued
            | T::PermitRevoked
            | T::PlacementDeparted
            | T::PlacementReturned
            | T::PlacementOverstayed
    ) && let Some(worker) = crate::db::workers::find(conn, &placement.worker_id)?
    {
        event.identity = Some(serde_json::json!({
            "full_name": worker.row.full_name,
            "date_of_birth": worker.row.date_of_birth,
            "id_document_number": worker.row.id_document_number,
        }));
    }
    Ok(event)
}

/// One line of the placement's timeline.
pub(super) fn add_to_timeline(
    conn: &mut DbConnection,
    id: &PlacementId,
    from: Option<Status>,
    to: Status,
    by: Option<&UserId>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::insert_event(
        conn,
        &EventRow {
            id: uuid::Uuid::now_v7().to_string(),
            placement_id: id.clone(),
            from_status: from.map(|s| s.as_str().to_owned()),
            to_status: to.as_str().to_owned(),
            by_user_id: by.cloned(),
            note,
            at: now.naive_utc(),
        },
    )?;
    Ok(())
}

/// Refuses, as 409 `contract_not_accepted`, a placement whose current contract version the
/// worker has not accepted (an amendment makes a new version that needs a new acceptance).
pub(super) fn require_accepted(
    conn: &mut DbConnection,
    placement: &PlacementRow,
    why: &str,
) -> Result<(), AppError> {
    if store::acceptance(conn, &placement.id, placement.contract_version)?.is_none() {
        return Err(AppError::new(ErrorCode::ContractNotAccepted).with_detail(why.to_owned()));
    }
    Ok(())
}

/// Checks that `actor` may take `action` on a placement it can see.
pub(super) fn authorise(actor: &Actor, action: Action) -> Result<(), AppError> {
    actor.require_any(action.roles())
}

fn named(reference: &Reference, code: &str) -> Named {
    Named {
        code: code.to_owned(),
        zh: reference.name(code, Lang::ZhCn).to_owned(),
        vi: reference.name(code, Lang::Vi).to_owned(),
        en: reference.name(code, Lang::En).to_owned(),
    }
}

/// The terms of a new contract version: the vacancy's (or the amended) pay, checked against
/// the floor in force now.
#[allow(clippy::too_many_arguments)]
pub(super) fn terms_for(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
    version: i32,
    vacancy: &Vacancy,
    holder: Holder,
    agency: (Party, String),
    pay: vacancies::VacancyInput,
    rules: Rules,
) -> Result<Terms, AppError> {
    let (input, floor, figures) = vacancies::check_terms(conn, pay, rules.deductions_cap_percent)?;
    let reference = Reference::load(conn)?;
    Ok(Terms {
        placement_id: placement_id.to_string(),
        version,
        employer: Party { id: vacancy.employer_id.to_string(), name: vacancy.employer_name.clone() },
        agency: agency.0,
        agency_licence_number: agency.1,
        worker: holder,
        occupation: named(&reference, &input.occupation_code),
        worksite: named(&reference, &input.region_code),
        crossing: named(&reference, &input.crossing_code),
        season_start: input.season_start,
        season_end: input.season_end,
        hours_per_week: input.hours_per_week,
        guaranteed_hours_per_week: input.guaranteed_hours_per_week,
        guaranteed_hours_season: contract::guaranteed_hours(
            input.season_start,
            input.season_end,
            input.guaranteed_hours_per_week,
        ),
        pay_basis: input.pay_basis,
        wage_fen: input.wage_fen,
        piece_unit: input.piece_unit,
        guaranteed_hourly_fen: input.guaranteed_hourly_fen,
        hourly_equivalent_fen: figures.hourly_equivalent_fen,
        floor: FloorRef {
            hourly_fen: floor.hourly_fen,
            rule_id: floor.binding.id.clone(),
            kind: floor.binding.kind.as_str().to_owned(),
            source: floor.binding.source.clone(),
        },
        deductions: input.deductions,
        deductions_cap_percent: rules.deductions_cap_percent,
        housing_provided: input.housing_provided,
        worker_paid_fees_fen: Fen::ZERO,
        return_by: input.season_end + Duration::days(rules.permit_grace_days),
        contacts: contract::contacts(),
        insurance: input.insurance,
        salt: Some(contract::new_salt()),
    })
}

pub(super) fn store_contract(
    conn: &mut DbConnection,
    terms: &Terms,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::insert_contract(
        conn,
        &ContractRow {
            placement_id: terms.placement_id.as_str().into(),
            version: terms.version,
            terms: terms.canonical(),
            sha256: terms.sha256(),
            created_at: now.naive_utc(),
        },
    )?;
    Ok(())
}
