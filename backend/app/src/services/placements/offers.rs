//! Offers and their answers: an agency offers its worker a seat, the worker accepts the
//! contract as read or declines, the agency or the employer withdraws before departure; and
//! an employer's named request for a worker who came home on time.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::model::{Acceptance, OfferInput, Placement, Reason, Rules};
use super::steps::{add_to_timeline, apply, authorise, placement_event, refused, store_contract, terms_for};
use super::views::{current_terms, find_in, load, status_of};
use crate::actor::{Actor, Scope};
use crate::db::placements::{self as store, AcceptanceRow, PlacementRow};
use crate::db::{self, DbConnection, users};
use crate::domain::account::{EmployerStatus, Role};
use crate::domain::calendar::china_day;
use crate::domain::contract::{Holder, Party};
use crate::domain::event::EventType;
use crate::domain::placement::{Action, Status, next};
use crate::domain::scoring;
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::ids::{PlacementId, SessionId, VacancyId, WorkerId};
use crate::services::accounts::invalid;
use crate::services::agencies::require_active_licence;
use crate::services::events::{self, NewEvent, Subject};
use crate::services::vacancies;
use crate::services::{audit, workers};
use crate::state::AppState;

/// A unique violation on insert is the one-active-placement index: another request placed
/// the worker first.
fn unique_means_placed(err: diesel::result::Error) -> AppError {
    match err {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            already_placed()
        }
        other => other.into(),
    }
}

fn already_placed() -> AppError {
    AppError::new(ErrorCode::WorkerAlreadyPlaced).with_detail("the worker already has an active placement")
}

/// An agency offers its worker a seat of an open vacancy: the placement, its first contract
/// version, and the seat are written together, or nothing is.
pub async fn offer(state: &AppState, actor: &Actor, input: OfferInput) -> Result<Placement, AppError> {
    let (actor, rules, now) = (actor.clone(), Rules::of(&state.settings), state.clock.now());
    let placement =
        db::transaction(&state.pool, move |conn| offer_in(conn, &actor, input, rules, now)).await?;
    tracing::info!(placement_id = %placement.id, "offer made");
    Ok(placement)
}

/// [`offer`] inside the caller's transaction (the demo loader, the matching's offers).
pub fn offer_in(
    conn: &mut DbConnection,
    actor: &Actor,
    input: OfferInput,
    rules: Rules,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let agency_id = actor.agency_id()?;
    let agency = require_active_licence(conn, &agency_id, china_day(now))?;
    crate::db::wage_floors::share_guard(conn)?;
    let worker =
        workers::find_visible(conn, &input.worker_id, &Scope::Agency(agency_id.clone())).map_err(|e| {
            if e.code == ErrorCode::NotFound { invalid("worker_id", "not one of your workers") } else { e }
        })?;
    let vacancy = vacancies::find_visible(conn, &input.vacancy_id, &Scope::Public).map_err(|e| {
        if e.code == ErrorCode::NotFound { invalid("vacancy_id", "not an open vacancy") } else { e }
    })?;
    if crate::db::employers::find(conn, &vacancy.employer_id)?.status != EmployerStatus::Verified.as_str() {
        return Err(AppError::new(ErrorCode::EmployerNotVerified)
            .with_detail("the employer is suspended: its vacancies take no offer"));
    }
    if let Some(day) = vacancy.open_to_agencies_on.filter(|day| china_day(now) < *day) {
        return Err(AppError::new(ErrorCode::LocalWindowOpen)
            .with_detail("the vacancy is shown to local job-seekers first")
            .with("open_to_agencies_on", day.to_string()));
    }
    if !scoring::eligible(
        (worker.available_from, worker.available_until),
        (vacancy.season_start, vacancy.season_end),
        worker.skills.iter().map(String::as_str),
        &vacancy.required_skills,
    ) {
        return Err(invalid(
            "worker_id",
            "the worker is not available over the season or lacks a required skill",
        ));
    }
    if store::has_active(conn, &worker.id)? {
        return Err(already_placed());
    }
    if store::take_seat(conn, &vacancy.id)? == 0 {
        return Err(AppError::new(ErrorCode::VacancyFull).with_detail("every seat of this vacancy is taken"));
    }
    let id = PlacementId::generate();
    store::insert(
        conn,
        &PlacementRow {
            id: id.clone(),
            vacancy_id: vacancy.id.clone(),
            worker_id: worker.id.clone(),
            agency_id: agency_id.clone(),
            employer_id: vacancy.employer_id.clone(),
            status: Status::Offered.as_str().to_owned(),
            contract_version: 1,
            created_at: now.naive_utc(),
            updated_at: now.naive_utc(),
            first_accepted_at: None,
            first_accepted_version: None,
            agreed_hourly_fen: None,
            agreed_floor_hourly_fen: None,
        },
    )
    .map_err(unique_means_placed)?;
    let holder = Holder {
        id: worker.id.to_string(),
        full_name: worker.full_name.clone(),
        date_of_birth: worker.date_of_birth,
    };
    let agency_party =
        (Party { id: agency.id.to_string(), name: agency.name.clone() }, agency.licence_number.clone());
    let terms = terms_for(conn, &id, 1, &vacancy, holder, agency_party, vacancy.as_input(), rules)?;
    store_contract(conn, &terms, now)?;
    add_to_timeline(conn, &id, None, Status::Offered, Some(&actor.user_id), None, now)?;
    audit::record(
        conn,
        Some(&actor.user_id),
        "placement.offered",
        ("placement", id.as_str()),
        json!({"vacancy_id": vacancy.id, "worker_id": worker.id, "agency_id": agency_id, "sha256": terms.sha256()}),
        now,
    )?;
    let subject = Subject {
        placement_id: Some(id.clone()),
        vacancy_id: Some(vacancy.id.clone()),
        worker_id: Some(worker.id.clone()),
        agency_id: Some(agency_id.clone()),
        employer_id: Some(vacancy.employer_id.clone()),
        case_id: None,
    };
    let data = json!({"contract_version": 1, "season_start": vacancy.season_start, "season_end": vacancy.season_end});
    events::record(conn, NewEvent::new(EventType::PlacementOffered, subject, data), now)?;
    find_in(conn, actor, &id)
}

/// The worker accepts the current version, as read: the version and hash must be the
/// current ones (409 `contract_outdated` otherwise). Only the worker itself, signed in to
/// an account it activated (403 `account_not_activated`); the acceptance records how its
/// session was authenticated, and when. Anyone else's try is refused (403) and audited.
pub async fn accept(
    state: &AppState,
    actor: &Actor,
    session: &SessionId,
    id: &PlacementId,
    acceptance: Acceptance,
) -> Result<Placement, AppError> {
    let (actor, session, id, now) = (actor.clone(), session.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        if actor.role != Role::Worker {
            load(conn, &actor, &id)?;
            audit::record(
                conn,
                Some(&actor.user_id),
                "placement.accept_refused",
                ("placement", id.as_str()),
                json!({"role": actor.role.as_str()}),
                now,
            )?;
            return Ok(Err(AppError::forbidden().with_detail("only the worker accepts its own contract")));
        }
        accept_in(conn, &actor, &session, &id, acceptance, now).map(Ok)
    })
    .await?
}

/// [`accept`] inside the caller's transaction (the demo loader): the worker's own acceptance,
/// with the same checks; another role's try is refused without the audit entry [`accept`]
/// writes for it.
pub fn accept_in(
    conn: &mut DbConnection,
    actor: &Actor,
    session: &SessionId,
    id: &PlacementId,
    acceptance: Acceptance,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, actor, id)?;
    authorise(actor, Action::Accept)?;
    if users::find_user(conn, &actor.user_id)?.activated_at.is_none() {
        return Err(AppError::new(ErrorCode::AccountNotActivated).with_detail(
            "activate your own account first, with the code your agency or the authority gives you",
        ));
    }
    let session = users::find_session_row(conn, session)?;
    let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == acceptance.lang) else {
        return Err(invalid("lang", "vi, zh-CN or en"));
    };
    let from = status_of(&placement.row)?;
    next(from, Action::Accept).ok_or_else(|| refused(from, Action::Accept))?;
    let (current, terms) = current_terms(conn, &placement.row)?;
    if acceptance.version != current.version || !acceptance.sha256.eq_ignore_ascii_case(&current.sha256) {
        return Err(AppError::new(ErrorCode::ContractOutdated)
            .with_detail("this is not the current version of the contract; read it again")
            .with("version", current.version)
            .with("sha256", current.sha256));
    }
    store::insert_acceptance(
        conn,
        &AcceptanceRow {
            id: uuid::Uuid::now_v7().to_string(),
            placement_id: id.clone(),
            version: current.version,
            sha256: current.sha256.clone(),
            language: lang.tag().to_owned(),
            by_user_id: actor.user_id.clone(),
            accepted_at: now.naive_utc(),
            auth_method: Some(session.auth_method.clone()),
            authenticated_at: Some(session.created_at),
        },
        (terms.hourly_equivalent_fen, terms.floor.hourly_fen),
    )?;
    apply(
        conn,
        &placement.row,
        Action::Accept,
        Some(&actor.user_id),
        None,
        json!({"version": current.version, "sha256": current.sha256, "lang": lang.tag(),
               "auth_method": session.auth_method, "authenticated_at": session.created_at.and_utc()}),
        now,
    )?;
    find_in(conn, actor, id)
}

/// The worker declines ([`Action::Decline`]), or the agency or employer withdraws
/// ([`Action::Withdraw`]), before departure; a valid permit is revoked with it.
pub async fn end_before_departure(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
    action: Action,
    reason: Reason,
) -> Result<Placement, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| end_before_departure_in(conn, &actor, &id, action, reason, now))
        .await
}

/// [`end_before_departure`] inside the caller's transaction (the demo loader).
pub fn end_before_departure_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    action: Action,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, actor, id)?;
    authorise(actor, action)?;
    if actor.role == Role::Agency {
        require_active_licence(conn, &placement.row.agency_id, china_day(now))?;
    }
    let reason = reason.given();
    apply(conn, &placement.row, action, Some(&actor.user_id), reason, json!({}), now)?;
    if let Some(permit) = store::latest_permit(conn, id)?.filter(|p| p.status == "valid") {
        let why = format!("placement {}", if action == Action::Decline { "declined" } else { "withdrawn" });
        store::revoke_permit(conn, &permit.number, &actor.user_id, &why, now.naive_utc())?;
        let data = json!({"permit_number": permit.number, "reason": why});
        let event = placement_event(conn, &placement.row, EventType::PermitRevoked, data)?;
        events::record(conn, event, now)?;
    }
    find_in(conn, actor, id)
}

/// An employer names, for its vacancy, a worker who came home on time from it before.
pub async fn name_worker(
    state: &AppState,
    actor: &Actor,
    vacancy_id: &VacancyId,
    worker_id: &WorkerId,
) -> Result<(), AppError> {
    let (actor, now) = (actor.clone(), state.clock.now());
    let (vacancy_id, worker_id) = (vacancy_id.clone(), worker_id.clone());
    db::transaction(&state.pool, move |conn| name_worker_in(conn, &actor, &vacancy_id, &worker_id, now)).await
}

fn name_worker_in(
    conn: &mut DbConnection,
    actor: &Actor,
    vacancy_id: &VacancyId,
    worker_id: &WorkerId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let employer_id = actor.employer_id()?;
    let vacancy = vacancies::find_visible(conn, vacancy_id, &Scope::Employer(employer_id.clone()))?;
    if vacancy.status == "closed" {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("the vacancy is closed"));
    }
    if !store::returned_on_time_from(conn, worker_id, &employer_id)? {
        return Err(invalid("worker_id", "only a worker who came home on time from one of your placements"));
    }
    if store::insert_named_request(conn, vacancy_id, worker_id, &actor.user_id, now.naive_utc())? > 0 {
        audit::record(
            conn,
            Some(&actor.user_id),
            "vacancy.named_request",
            ("vacancy", vacancy_id.as_str()),
            json!({"worker_id": worker_id}),
            now,
        )?;
    }
    Ok(())
}
