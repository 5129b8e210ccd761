//! How placements are read: whose they are (the reader's [`Scope`]), how a placement, its
//! contract versions and its permit are loaded and shown to each party. Every action above
//! loads through here, so another tenant's placement is not found anywhere.
//!
//! An agency whose licence is revoked keeps its placements in view, for winding down, but
//! reads nothing personal there: each worker by initials, and no contract (403
//! `licence_inactive`), which names the worker and its birth date.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::model::{
    AcceptanceRecord, BorderCrossing, ChecklistEntry, ContractRef, ContractVersion, DepartureChecklist,
    InsuranceState, NextSteps, Orientation, Permit, PlacedWorker, Placement, PlacementPage, TimelineEntry,
};
use crate::actor::{Actor, Scope};
use crate::db::placements::{
    self as store, AcceptanceRow, BorderEventRow, ContractRow, FullPlacement, PermitRow, PlacementRow,
};
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::authority::Country;
use crate::domain::calendar::china_day;
use crate::domain::contract::Terms;
use crate::domain::licence::LicenceStatus;
use crate::domain::page::{Page, PageRequest};
use crate::domain::pay_period::Period;
use crate::domain::placement::{Action, Checklist, Status, next, permit_state};
use crate::domain::worker as worker_domain;
use crate::error::AppError;
use crate::ids::PlacementId;
use crate::services::accounts::invalid;
use crate::services::agencies;
use crate::services::authorities::{require_side, scope_in};
use crate::services::compliance;
use crate::services::reference::Reference;
use crate::state::AppState;

/// Whose placements `actor` reads: a regulator those its authority oversees, anyone else its
/// own organisation's; an account without an organisation is refused.
fn scope_of(conn: &mut DbConnection, actor: &Actor) -> Result<Scope, AppError> {
    match scope_in(conn, actor)? {
        Scope::Public => Err(AppError::forbidden()),
        scope => Ok(scope),
    }
}

pub(super) fn status_of(row: &PlacementRow) -> Result<Status, AppError> {
    Status::parse(&row.status)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored placement status {:?}", row.status)))
}

/// The placement if `actor` may see it; 404 for every other tenant, and for a regulator
/// outside what its authority oversees.
pub(super) fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
) -> Result<FullPlacement, AppError> {
    let scope = scope_of(conn, actor)?;
    load_in(conn, &scope, id)
}

/// [`load`] for a reader whose scope is resolved.
fn load_in(conn: &mut DbConnection, scope: &Scope, id: &PlacementId) -> Result<FullPlacement, AppError> {
    store::find(conn, id)?.filter(|p| p.visible_to(scope)).ok_or_else(AppError::not_found)
}

/// Ok when `actor` may see the placement; 404 for every other tenant.
pub fn require_visible(conn: &mut DbConnection, actor: &Actor, id: &PlacementId) -> Result<(), AppError> {
    load(conn, actor, id).map(drop)
}

pub(super) fn permit_view(row: PermitRow, with_code: bool) -> Permit {
    Permit {
        permit_number: row.number,
        check_code: with_code.then_some(row.check_code),
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        status: row.status,
    }
}

/// Where a permit stands on `day` ([`permit_state`]).
pub(super) fn permit_status(permit: &PermitRow, day: NaiveDate) -> &'static str {
    permit_state(&permit.status, permit.valid_from, permit.valid_until, day)
}

/// A stored contract version and its terms.
pub(super) fn contract_version(
    conn: &mut DbConnection,
    id: &PlacementId,
    version: i32,
) -> Result<(ContractRow, Terms), AppError> {
    let contract = store::contract(conn, id, version)?;
    let terms: Terms = serde_json::from_str(&contract.terms)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored contract terms: {e}")))?;
    Ok((contract, terms))
}

pub(super) fn current_terms(
    conn: &mut DbConnection,
    row: &PlacementRow,
) -> Result<(ContractRow, Terms), AppError> {
    contract_version(conn, &row.id, row.contract_version)
}

/// An employer sees a worker pseudonymously until the worker has accepted its offer.
fn employer_before_acceptance(scope: &Scope, status: Status) -> bool {
    matches!(scope, Scope::Employer(_))
        && matches!(status, Status::Offered | Status::Declined | Status::Withdrawn)
}

/// Whether the reader is an agency whose licence is revoked: it reads nothing personal of
/// the workers it placed.
fn revoked_agency(conn: &mut DbConnection, scope: &Scope) -> Result<bool, AppError> {
    match scope {
        Scope::Agency(agency_id) => agencies::is_revoked(conn, agency_id),
        _ => Ok(false),
    }
}

/// Whether the reader sees the placement's worker by initials only: an employer before the
/// worker accepts its offer, and an agency whose licence is revoked.
fn pseudonymous(scope: &Scope, status: Status, revoked: bool) -> bool {
    revoked || employer_before_acceptance(scope, status)
}

/// What a placement is shown with besides its row, read for many placements at once.
struct Parts {
    contracts: HashMap<(PlacementId, i32), String>,
    acceptances: HashMap<(PlacementId, i32), AcceptanceRow>,
    permits: HashMap<PlacementId, PermitRow>,
    crossings: HashMap<PlacementId, Vec<BorderEventRow>>,
    pay_missing: HashMap<PlacementId, Vec<Period>>,
}

impl Parts {
    /// The current contract's hash, its acceptance, the latest permit, the crossings and the
    /// missing pay periods of every placement in `placements`: five statements, however many
    /// placements.
    fn of(conn: &mut DbConnection, placements: &[FullPlacement]) -> Result<Parts, AppError> {
        let ids: Vec<PlacementId> = placements.iter().map(|p| p.row.id.clone()).collect();
        let current: HashSet<(PlacementId, i32)> =
            placements.iter().map(|p| (p.row.id.clone(), p.row.contract_version)).collect();
        let contracts = store::contract_hashes_of(conn, &ids)?
            .into_iter()
            .filter_map(|(id, version, sha256)| {
                let key = (id, version);
                current.contains(&key).then_some((key, sha256))
            })
            .collect();
        let mut acceptances = HashMap::new();
        // The first acceptance of the current version is the one shown.
        for a in store::acceptances_of(conn, &ids)? {
            let key = (a.placement_id.clone(), a.version);
            if current.contains(&key) {
                acceptances.entry(key).or_insert(a);
            }
        }
        let mut permits = HashMap::new();
        // Newest issue first: the first seen of each placement is its latest.
        for permit in store::permits_of(conn, &ids)? {
            permits.entry(permit.placement_id.clone()).or_insert(permit);
        }
        let mut crossings: HashMap<PlacementId, Vec<BorderEventRow>> = HashMap::new();
        for event in store::border_events_of(conn, &ids)? {
            crossings.entry(event.placement_id.clone()).or_default().push(event);
        }
        let mut pay_missing: HashMap<PlacementId, Vec<Period>> = HashMap::new();
        for gap in crate::db::compliance::open_pay_gaps_of(conn, &ids)? {
            pay_missing
                .entry(gap.placement_id)
                .or_default()
                .push(Period::new(gap.period_start, gap.period_end));
        }
        Ok(Parts { contracts, acceptances, permits, crossings, pay_missing })
    }
}

/// The placements as `scope` reads them, in the order given, in a bounded number of
/// statements ([`Parts::of`]).
fn views(
    conn: &mut DbConnection,
    scope: &Scope,
    revoked: bool,
    placements: Vec<FullPlacement>,
) -> Result<Vec<Placement>, AppError> {
    let mut parts = Parts::of(conn, &placements)?;
    placements.into_iter().map(|p| view_with(conn, scope, revoked, p, &mut parts, false)).collect()
}

fn view(
    conn: &mut DbConnection,
    scope: &Scope,
    revoked: bool,
    p: FullPlacement,
    timeline: bool,
) -> Result<Placement, AppError> {
    let mut parts = Parts::of(conn, std::slice::from_ref(&p))?;
    view_with(conn, scope, revoked, p, &mut parts, timeline)
}

fn view_with(
    conn: &mut DbConnection,
    scope: &Scope,
    revoked: bool,
    p: FullPlacement,
    parts: &mut Parts,
    timeline: bool,
) -> Result<Placement, AppError> {
    let status = status_of(&p.row)?;
    let key = (p.row.id.clone(), p.row.contract_version);
    let sha256 = parts.contracts.remove(&key).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("placement {} has no contract version {}", key.0, key.1))
    })?;
    let acceptance = parts.acceptances.remove(&key);
    let accepted = acceptance.is_some();
    let acceptance =
        acceptance.filter(|_| matches!(scope, Scope::Authority(_) | Scope::Worker(_))).map(|a| {
            AcceptanceRecord {
                version: a.version,
                sha256: a.sha256,
                language: a.language,
                accepted_at: a.accepted_at.and_utc(),
                auth_method: a.auth_method,
                authenticated_at: a.authenticated_at.map(|at| at.and_utc()),
            }
        });
    let name = if pseudonymous(scope, status, revoked) {
        worker_domain::initials(&p.worker_name)
    } else {
        p.worker_name.clone()
    };
    let sees_code = !matches!(scope, Scope::Employer(_));
    let insurance = if timeline { insurance_state(conn, &p.row)? } else { None };
    let timeline = if timeline {
        store::events(conn, &p.row.id)?
            .into_iter()
            .map(|e| TimelineEntry {
                from_status: e.from_status,
                to_status: e.to_status,
                note: e.note,
                at: e.at.and_utc(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Placement {
        status,
        permit: parts.permits.remove(&p.row.id).map(|row| permit_view(row, sees_code)),
        crossings: parts
            .crossings
            .remove(&p.row.id)
            .unwrap_or_default()
            .into_iter()
            .map(|e| BorderCrossing { kind: e.kind, crossing_code: e.crossing_code, at: e.at.and_utc() })
            .collect(),
        contract: ContractRef { version: p.row.contract_version, sha256, accepted },
        pay_missing: parts.pay_missing.remove(&p.row.id).unwrap_or_default(),
        acceptance,
        worker: PlacedWorker { id: p.row.worker_id.clone(), name },
        timeline,
        insurance,
        id: p.row.id,
        vacancy_id: p.row.vacancy_id,
        vacancy_title: p.vacancy_title,
        season_start: p.season_start,
        season_end: p.season_end,
        employer_id: p.row.employer_id,
        employer_name: p.employer_name,
        agency_id: p.row.agency_id,
        agency_name: p.agency_name,
        created_at: p.row.created_at.and_utc(),
        updated_at: p.row.updated_at.and_utc(),
    })
}

/// One placement with its timeline, for a party of it (404 for everyone else).
pub async fn find(state: &AppState, actor: &Actor, id: &PlacementId) -> Result<Placement, AppError> {
    let (actor, id) = (actor.clone(), id.clone());
    db::run(&state.pool, move |conn| find_in(conn, &actor, &id)).await
}

/// [`find`] inside the caller's transaction: what every action answers with.
pub(super) fn find_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
) -> Result<Placement, AppError> {
    let scope = scope_of(conn, actor)?;
    shown(conn, &scope, id)
}

/// [`find_in`] for a reader whose scope is resolved.
fn shown(conn: &mut DbConnection, scope: &Scope, id: &PlacementId) -> Result<Placement, AppError> {
    let placement = load_in(conn, scope, id)?;
    let revoked = revoked_agency(conn, scope)?;
    view(conn, scope, revoked, placement, true)
}

/// The list name a placement cursor carries.
const LIST: &str = "placements";

/// A page of the caller's placements, newest first: an agency's, an employer's, a worker's
/// own; for a regulator, those its authority oversees. `status` narrows the list. However
/// long the page, it is read in a fixed number of statements.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<Placement>, AppError> {
    if let Some(s) = status
        && Status::parse(s).is_none()
    {
        return Err(invalid("status", "a placement status such as offered or departed"));
    }
    let (actor, status) = (actor.clone(), status.map(str::to_owned));
    db::run(&state.pool, move |conn| list_in(conn, &actor, status.as_deref(), &page)).await
}

/// [`list`] on the caller's connection (`status` already checked): the reader's scope and
/// licence, the page's rows with their names, then [`Parts::of`] — the same few statements
/// whether the page holds one placement or five hundred.
pub fn list_in(
    conn: &mut DbConnection,
    actor: &Actor,
    status: Option<&str>,
    page: &PageRequest,
) -> Result<Page<Placement>, AppError> {
    let seek = page.seek(LIST)?;
    let scope = scope_of(conn, actor)?;
    let revoked = revoked_agency(conn, &scope)?;
    let rows = store::list(conn, &scope, status, &seek)?;
    let page = seek.page(LIST, rows, |p| (p.row.created_at, p.row.id.to_string()));
    let next = page.next;
    Ok(Page { items: views(conn, &scope, revoked, page.items)?, next })
}

/// A contract version (the current one by default) for a party of the placement.
pub async fn contract(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
    version: Option<i32>,
) -> Result<ContractVersion, AppError> {
    let (actor, id) = (actor.clone(), id.clone());
    db::run(&state.pool, move |conn| contract_in(conn, &actor, &id, version)).await
}

/// [`contract`] inside the caller's transaction. An agency whose licence is revoked reads no
/// contract: 403 `licence_inactive` (another tenant's placement is still 404).
pub fn contract_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &PlacementId,
    version: Option<i32>,
) -> Result<ContractVersion, AppError> {
    let scope = scope_of(conn, actor)?;
    let placement = load_in(conn, &scope, id)?;
    if revoked_agency(conn, &scope)? {
        return Err(agencies::licence_inactive(LicenceStatus::Revoked));
    }
    version_of(conn, &scope, placement, version, false)
}

/// A contract version of a placement the reader may see, with the worker by initials where
/// the reader sees it so ([`pseudonymous`]).
fn version_of(
    conn: &mut DbConnection,
    scope: &Scope,
    placement: FullPlacement,
    version: Option<i32>,
    revoked: bool,
) -> Result<ContractVersion, AppError> {
    let id = &placement.row.id;
    let version = version.unwrap_or(placement.row.contract_version);
    let (row, terms) = contract_version(conn, id, version)?;
    let accepted = store::acceptance(conn, id, version)?.is_some();
    let status = status_of(&placement.row)?;
    let pseudonymous = pseudonymous(scope, status, revoked);
    Ok(ContractVersion {
        version,
        sha256: row.sha256,
        terms,
        accepted,
        pseudonymous,
        status,
        employer_id: placement.row.employer_id,
    })
}

/// A placement with its current contract, read together (the printable contract); 404 for
/// anyone but its parties and regulators.
pub async fn with_contract(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
) -> Result<(Placement, ContractVersion), AppError> {
    let (actor, id) = (actor.clone(), id.clone());
    db::run(&state.pool, move |conn| Ok((find_in(conn, &actor, &id)?, contract_in(conn, &actor, &id, None)?)))
        .await
}

/// One placement as its page shows it, read at once: with its current contract, the
/// crossings to choose from, its payslips, and what `actor` may do next. 404 for anyone but
/// its parties and regulators.
pub async fn page(state: &AppState, actor: &Actor, id: &PlacementId) -> Result<PlacementPage, AppError> {
    let (actor, id) = (actor.clone(), id.clone());
    let (grace, now) = (state.settings.rules.pay_grace_days, state.clock.now());
    db::run(&state.pool, move |conn| {
        let scope = scope_of(conn, &actor)?;
        let placement = shown(conn, &scope, &id)?;
        // A revoked agency's page shows the contract with the worker by initials; the
        // contract itself ([`contract_in`]) is refused to it.
        let revoked = revoked_agency(conn, &scope)?;
        let loaded = load_in(conn, &scope, &id)?;
        let worksite = loaded.region_code.clone();
        let checklist = checklist_in(conn, &loaded.row, china_day(now))?;
        let contract = version_of(conn, &scope, loaded, None, revoked)?;
        let payslips = compliance::payslips_in(conn, &actor, &id)?;
        let pay_periods = compliance::pay_periods_in(conn, &actor, &id, grace, now)?;
        // Permits are China's side's, in its region: anyone else is not offered them.
        let permits =
            actor.role == Role::Regulator && require_side(conn, &actor, Country::CN, Some(&worksite)).is_ok();
        let orients = match actor.role {
            Role::Agency => true,
            Role::Regulator => require_side(conn, &actor, Country::VN, None).is_ok(),
            _ => false,
        };
        let next = NextSteps::of(&actor, &placement, permits, orients);
        let next_vacancies = match next.name_worker {
            true => crate::db::vacancies::not_closed(conn, &placement.employer_id)?
                .into_iter()
                .filter(|(v, _)| v != &placement.vacancy_id)
                .collect(),
            false => Vec::new(),
        };
        Ok(PlacementPage {
            next_vacancies,
            checklist,
            placement,
            contract,
            reference: Reference::load(conn)?,
            payslips,
            pay_periods,
            next,
        })
    })
    .await
}

impl NextSteps {
    /// What `actor` may do next on `p`: its role may take the action, and the placement's
    /// status allows it; the permit's actions only if `permits` (a regulator of China's side).
    pub fn of(actor: &Actor, p: &Placement, permits: bool, orients: bool) -> NextSteps {
        let role = actor.role;
        let may = |action: Action| action.roles().contains(&role) && next(p.status, action).is_some();
        let permit_valid = p.permit.as_ref().is_some_and(|permit| permit.status == "valid");
        NextSteps {
            accept: may(Action::Accept),
            decline: may(Action::Decline),
            withdraw: may(Action::Withdraw),
            permit: permits && may(Action::IssuePermit) && p.contract.accepted,
            revoke: permits && role == Role::Regulator && permit_valid,
            depart: may(Action::Depart),
            complete: may(Action::Complete),
            terminate: may(Action::Terminate),
            record_return: may(Action::Return { late: true }),
            report_payslip: role == Role::Employer && p.status.has_worked(),
            record_orientation: orients && before_departure(p.status),
            amend: may(Action::Amend),
            name_worker: role == Role::Employer && p.status == Status::Returned,
        }
    }
}

/// Whether a placement in `status` has yet to cross: its orientation may still be recorded.
pub(super) fn before_departure(status: Status) -> bool {
    matches!(status, Status::Offered | Status::Accepted | Status::Permitted)
}

/// The insurance the placement's current contract states, and whether the permit desk
/// verified it (by its hash); `None` when the contract states none.
pub(super) fn insurance_state(
    conn: &mut DbConnection,
    row: &PlacementRow,
) -> Result<Option<InsuranceState>, AppError> {
    let Some(stated) = current_terms(conn, row)?.1.insurance else { return Ok(None) };
    let verified = store::insurance_verified(conn, &row.id, &stated.sha256())?;
    Ok(Some(InsuranceState { stated, verified }))
}

/// The placement's departure checklist on `day` (China's): the current version accepted, a
/// permit valid that day, the contract's insurance verified, the orientation attended.
pub(super) fn checklist_in(
    conn: &mut DbConnection,
    row: &PlacementRow,
    day: NaiveDate,
) -> Result<DepartureChecklist, AppError> {
    let contract_accepted = store::acceptance(conn, &row.id, row.contract_version)?.is_some();
    let permit_valid =
        store::latest_permit(conn, &row.id)?.is_some_and(|p| permit_status(&p, day) == "valid");
    let insurance_verified = insurance_state(conn, row)?.is_some_and(|state| state.verified);
    let orientation = store::orientation(conn, &row.id)?;
    let list = Checklist {
        contract_accepted,
        permit_valid,
        insurance_verified,
        orientation_attended: orientation.is_some(),
    };
    Ok(DepartureChecklist {
        items: list.items().into_iter().map(|(item, done)| ChecklistEntry { item, done }).collect(),
        ready: list.open().is_empty(),
        orientation: orientation.map(|o| Orientation { attended_on: o.attended_on, place: o.place }),
    })
}

/// A placement's departure checklist today, for a party of it.
pub async fn checklist(
    state: &AppState,
    actor: &Actor,
    id: &PlacementId,
) -> Result<DepartureChecklist, AppError> {
    let (actor, id, today) = (actor.clone(), id.clone(), state.clock.today());
    db::run(&state.pool, move |conn| {
        let placement = load(conn, &actor, &id)?;
        checklist_in(conn, &placement.row, today)
    })
    .await
}
