//! Placements: an offer, the contract the worker reads and accepts, the permit, the border
//! crossings and the return. Every action is one transaction that checks role, tenancy and
//! licence, moves the state by `domain::placement::next`, and appends to the audit log.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::actor::{Actor, Scope};
use crate::db::DbConnection;
use crate::db::placements::{
    self as store, AcceptanceRow, BorderEventRow, ContractRow, EventRow, FullPlacement, Owner, PermitRow,
    PlacementRow,
};
use crate::db::reference as reference_db;
use crate::domain::account::Role;
use crate::domain::contract::{self, FloorRef, Holder, Named, Party, Terms};
use crate::domain::pay::{Deduction, PayBasis};
use crate::domain::placement::{Action, Status, next};
use crate::domain::{scoring, worker as worker_domain};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::services::accounts::invalid;
use crate::services::agencies::require_active_licence;
use crate::services::reference::Reference;
use crate::services::vacancies::{self, Vacancy};
use crate::services::{audit, workers};

/// The rules of placements that come from config.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct PlacementSettings {
    /// Days after the season's end that a permit stays valid: the time to come home.
    pub permit_grace_days: i64,
    /// How often the overstay sweeper runs.
    pub sweep_interval_seconds: u64,
}

/// What the service needs from the settings.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    pub permit_grace_days: i64,
    pub deductions_cap_percent: i64,
}

impl Rules {
    pub fn of(settings: &crate::config::Settings) -> Rules {
        Rules {
            permit_grace_days: settings.placements.permit_grace_days,
            deductions_cap_percent: settings.rules.deductions_cap_percent,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    pub vacancy_id: String,
    pub worker_id: String,
}

/// Changes an employer makes to a contract. Absent fields keep their value.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    pub pay_basis: Option<PayBasis>,
    pub wage_fen: Option<i64>,
    pub piece_unit: Option<String>,
    pub guaranteed_hourly_fen: Option<i64>,
    pub hours_per_week: Option<i32>,
    pub guaranteed_hours_per_week: Option<i32>,
    pub deductions: Option<Vec<Deduction>>,
    pub housing_provided: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentRequest {
    pub changes: Amendment,
    /// Why the terms change, for the worker and the audit log.
    pub reason: Option<String>,
}

/// The worker's consent to one version, read in one language.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    pub version: i32,
    pub sha256: String,
    /// vi, zh-CN or en: the language the worker read.
    pub lang: String,
}

/// A reason, required where an action ends something early.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub reason: Option<String>,
}

/// A border crossing, out or back.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Crossing {
    pub crossing_code: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractRef {
    pub version: i32,
    pub sha256: String,
    /// Whether the worker accepted this version.
    pub accepted: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Permit {
    pub permit_number: String,
    /// For the holder, its agency and regulators: with the number, it opens the public check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// valid or revoked.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BorderCrossing {
    /// departure or return.
    pub kind: String,
    pub crossing_code: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// The worker as the viewer may see it: the employer sees initials until the worker has
/// accepted an offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlacedWorker {
    pub id: String,
    /// The full name, or initials for an employer before acceptance.
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Placement {
    pub id: String,
    pub status: Status,
    pub vacancy_id: String,
    pub vacancy_title: String,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub employer_id: String,
    pub employer_name: String,
    pub agency_id: String,
    pub agency_name: String,
    pub worker: PlacedWorker,
    pub contract: ContractRef,
    pub permit: Option<Permit>,
    pub crossings: Vec<BorderCrossing>,
    /// Oldest first; only in the answer for one placement.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<TimelineEntry>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What anyone may learn from a permit's number and check code.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPermit {
    pub valid: bool,
    /// valid, revoked, expired or not_yet_valid.
    pub status: String,
    pub holder_initials: String,
    pub employer_name: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Alert {
    /// overstay.
    pub kind: String,
    pub placement_id: String,
    pub raised_at: DateTime<Utc>,
}

fn owner_of(user: &Actor) -> Result<Owner, AppError> {
    Ok(match user.role {
        Role::Regulator => Owner::All,
        Role::Agency => Owner::Agency(user.org_for(Role::Agency)?),
        Role::Employer => Owner::Employer(user.org_for(Role::Employer)?),
        Role::Worker => Owner::Worker(user.org_for(Role::Worker)?),
    })
}

fn owns(owner: &Owner, row: &PlacementRow) -> bool {
    match owner {
        Owner::All => true,
        Owner::Agency(id) => &row.agency_id == id,
        Owner::Employer(id) => &row.employer_id == id,
        Owner::Worker(id) => &row.worker_id == id,
    }
}

fn status_of(row: &PlacementRow) -> Result<Status, AppError> {
    Status::parse(&row.status)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored placement status {:?}", row.status)))
}

/// The placement if `user` may see it; 404 for every other tenant.
fn load(conn: &mut DbConnection, user: &Actor, id: &str) -> Result<FullPlacement, AppError> {
    let owner = owner_of(user)?;
    store::find(conn, id)?.filter(|p| owns(&owner, &p.row)).ok_or_else(AppError::not_found)
}

/// Ok when `user` may see the placement; 404 for every other tenant.
pub fn require_visible(conn: &mut DbConnection, user: &Actor, id: &str) -> Result<(), AppError> {
    load(conn, user, id).map(drop)
}

fn refused(from: Status, action: Action) -> AppError {
    AppError::new(ErrorCode::TransitionNotAllowed)
        .with_detail(format!("a placement that is {} does not allow {}", from.as_str(), action.name()))
        .with("status", from.as_str())
}

/// Moves the placement by `action`: the state machine, the seat, the timeline and the audit
/// log, in the caller's transaction.
fn apply(
    conn: &mut DbConnection,
    placement: &PlacementRow,
    action: Action,
    by: Option<&str>,
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
    audit::record(conn, by, action.name(), ("placement", id), detail, now)?;
    Ok(to)
}

/// One line of the placement's timeline.
fn add_to_timeline(
    conn: &mut DbConnection,
    id: &str,
    from: Option<Status>,
    to: Status,
    by: Option<&str>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::insert_event(
        conn,
        &EventRow {
            id: uuid::Uuid::now_v7().to_string(),
            placement_id: id.to_owned(),
            from_status: from.map(|s| s.as_str().to_owned()),
            to_status: to.as_str().to_owned(),
            by_user_id: by.map(str::to_owned),
            note,
            at: now.naive_utc(),
        },
    )?;
    Ok(())
}

/// Refuses, as 409 `contract_not_accepted`, a placement whose current contract version the
/// worker has not accepted (an amendment makes a new version that needs a new acceptance).
fn require_accepted(conn: &mut DbConnection, placement: &PlacementRow, why: &str) -> Result<(), AppError> {
    if store::acceptance(conn, &placement.id, placement.contract_version)?.is_none() {
        return Err(AppError::new(ErrorCode::ContractNotAccepted).with_detail(why.to_owned()));
    }
    Ok(())
}

/// Checks that `user` may take `action` on a placement it can see.
fn authorise(user: &Actor, action: Action) -> Result<(), AppError> {
    user.require_any(action.roles())
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
fn terms_for(
    conn: &mut DbConnection,
    placement_id: &str,
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
        placement_id: placement_id.to_owned(),
        version,
        employer: Party { id: vacancy.employer_id.clone(), name: vacancy.employer_name.clone() },
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
        worker_paid_fees_fen: 0,
        return_by: input.season_end + Duration::days(rules.permit_grace_days),
        contacts: contract::contacts(),
    })
}

fn store_contract(conn: &mut DbConnection, terms: &Terms, now: DateTime<Utc>) -> Result<(), AppError> {
    store::insert_contract(
        conn,
        &ContractRow {
            placement_id: terms.placement_id.clone(),
            version: terms.version,
            terms: terms.canonical(),
            sha256: terms.sha256(),
            created_at: now.naive_utc(),
        },
    )?;
    Ok(())
}

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
pub fn offer(
    conn: &mut DbConnection,
    user: &Actor,
    input: OfferInput,
    rules: Rules,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let agency_id = user.org_for(Role::Agency)?;
    let agency = require_active_licence(conn, &agency_id, now.date_naive())?;
    crate::db::wage_floors::take_guard(conn)?;
    let worker = workers::find_visible(conn, &input.worker_id, &workers::Viewer::Agency(agency_id.clone()))
        .map_err(|e| {
        if e.code == ErrorCode::NotFound { invalid("worker_id", "not one of your workers") } else { e }
    })?;
    let vacancy = vacancies::find_visible(conn, &input.vacancy_id, &Scope::Public).map_err(|e| {
        if e.code == ErrorCode::NotFound { invalid("vacancy_id", "not an open vacancy") } else { e }
    })?;
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
    let id = uuid::Uuid::now_v7().to_string();
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
        },
    )
    .map_err(unique_means_placed)?;
    let holder = Holder {
        id: worker.id.clone(),
        full_name: worker.full_name.clone(),
        date_of_birth: worker.date_of_birth,
    };
    let agency_party =
        (Party { id: agency.id.clone(), name: agency.name.clone() }, agency.licence_number.clone());
    let terms = terms_for(conn, &id, 1, &vacancy, holder, agency_party, vacancy.as_input(), rules)?;
    store_contract(conn, &terms, now)?;
    add_to_timeline(conn, &id, None, Status::Offered, Some(&user.user_id), None, now)?;
    audit::record(
        conn,
        Some(&user.user_id),
        "placement.offered",
        ("placement", &id),
        json!({"vacancy_id": vacancy.id, "worker_id": worker.id, "agency_id": agency_id, "sha256": terms.sha256()}),
        now,
    )?;
    find(conn, user, &id)
}

/// A stored contract version and its terms.
fn contract_version(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
) -> Result<(ContractRow, Terms), AppError> {
    let contract = store::contract(conn, id, version)?;
    let terms: Terms = serde_json::from_str(&contract.terms)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored contract terms: {e}")))?;
    Ok((contract, terms))
}

fn current_terms(conn: &mut DbConnection, row: &PlacementRow) -> Result<(ContractRow, Terms), AppError> {
    contract_version(conn, &row.id, row.contract_version)
}

/// What the worker agreed to, as the input the floor check reads; the vacancy gives what a
/// contract does not carry (title, headcount, required skills, descriptions).
fn agreed_input(terms: &Terms, vacancy: &Vacancy) -> vacancies::VacancyInput {
    vacancies::VacancyInput {
        occupation_code: terms.occupation.code.clone(),
        region_code: terms.worksite.code.clone(),
        crossing_code: terms.crossing.code.clone(),
        season_start: terms.season_start,
        season_end: terms.season_end,
        hours_per_week: terms.hours_per_week,
        guaranteed_hours_per_week: terms.guaranteed_hours_per_week,
        pay_basis: terms.pay_basis,
        wage_fen: terms.wage_fen,
        piece_unit: terms.piece_unit.clone(),
        guaranteed_hourly_fen: terms.guaranteed_hourly_fen,
        deductions: terms.deductions.clone(),
        housing_provided: terms.housing_provided,
        ..vacancy.as_input()
    }
}

/// The employer changes the terms: a new contract version, checked against the floor again,
/// that the worker must accept again.
pub fn amend(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    request: AmendmentRequest,
    rules: Rules,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, user, id)?;
    authorise(user, Action::Amend)?;
    crate::db::wage_floors::take_guard(conn)?;
    let from = status_of(&placement.row)?;
    next(from, Action::Amend).ok_or_else(|| refused(from, Action::Amend))?;
    let (_, old) = current_terms(conn, &placement.row)?;
    let vacancy = vacancies::find_visible(
        conn,
        &placement.row.vacancy_id,
        &Scope::Employer(placement.row.employer_id.clone()),
    )?;
    // The changes apply to what was agreed, not to the vacancy as it may have been edited since.
    let c = request.changes;
    let mut pay = agreed_input(&old, &vacancy);
    pay.pay_basis = c.pay_basis.unwrap_or(pay.pay_basis);
    pay.wage_fen = c.wage_fen.unwrap_or(pay.wage_fen);
    pay.piece_unit = c.piece_unit.or(pay.piece_unit);
    pay.guaranteed_hourly_fen = c.guaranteed_hourly_fen.or(pay.guaranteed_hourly_fen);
    pay.hours_per_week = c.hours_per_week.unwrap_or(pay.hours_per_week);
    pay.guaranteed_hours_per_week = c.guaranteed_hours_per_week.unwrap_or(pay.guaranteed_hours_per_week);
    pay.deductions = c.deductions.unwrap_or(pay.deductions);
    pay.housing_provided = c.housing_provided.unwrap_or(pay.housing_provided);
    let version = old.version + 1;
    let terms = terms_for(
        conn,
        id,
        version,
        &vacancy,
        old.worker.clone(),
        (old.agency.clone(), old.agency_licence_number.clone()),
        pay,
        rules,
    )?;
    if same_work_and_pay(&old, &terms) {
        return Err(invalid("changes", "nothing changes"));
    }
    store_contract(conn, &terms, now)?;
    store::set_contract_version(conn, id, version)?;
    let reason = request.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    apply(
        conn,
        &placement.row,
        Action::Amend,
        Some(&user.user_id),
        reason,
        json!({"version": version, "sha256": terms.sha256()}),
        now,
    )?;
    find(conn, user, id)
}

fn same_work_and_pay(a: &Terms, b: &Terms) -> bool {
    a.pay() == b.pay()
        && a.piece_unit == b.piece_unit
        && a.guaranteed_hours_per_week == b.guaranteed_hours_per_week
        && a.housing_provided == b.housing_provided
}

/// One version of a placement's contract: its terms and their hash.
#[derive(Debug, Clone)]
pub struct ContractVersion {
    pub version: i32,
    pub sha256: String,
    pub terms: Terms,
    /// Whether the worker accepted this version.
    pub accepted: bool,
    /// An employer before the worker's acceptance: the holder is shown by initials only,
    /// and the terms are not handed out (the hash is).
    pub pseudonymous: bool,
    /// Where the placement stands, and whose it is.
    pub status: Status,
    pub employer_id: String,
}

/// A contract version (the current one by default) for a party of the placement.
pub fn contract(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    version: Option<i32>,
) -> Result<ContractVersion, AppError> {
    let placement = load(conn, user, id)?;
    let version = version.unwrap_or(placement.row.contract_version);
    let (row, terms) = contract_version(conn, id, version)?;
    let accepted = store::acceptance(conn, id, version)?.is_some();
    let status = status_of(&placement.row)?;
    let pseudonymous = employer_before_acceptance(&owner_of(user)?, status);
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

/// The worker accepts the current version, as read: the version and hash must be the
/// current ones (409 `contract_outdated` otherwise).
pub fn accept(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    acceptance: Acceptance,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, user, id)?;
    authorise(user, Action::Accept)?;
    let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == acceptance.lang) else {
        return Err(invalid("lang", "vi, zh-CN or en"));
    };
    let from = status_of(&placement.row)?;
    next(from, Action::Accept).ok_or_else(|| refused(from, Action::Accept))?;
    let (current, _) = current_terms(conn, &placement.row)?;
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
            placement_id: id.to_owned(),
            version: current.version,
            sha256: current.sha256.clone(),
            language: lang.tag().to_owned(),
            by_user_id: user.user_id.clone(),
            accepted_at: now.naive_utc(),
        },
    )?;
    apply(
        conn,
        &placement.row,
        Action::Accept,
        Some(&user.user_id),
        None,
        json!({"version": current.version, "sha256": current.sha256, "lang": lang.tag()}),
        now,
    )?;
    find(conn, user, id)
}

/// The worker declines, or the agency or employer withdraws, before departure; a valid
/// permit is revoked with it.
pub fn end_before_departure(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    action: Action,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, user, id)?;
    authorise(user, action)?;
    if user.role == Role::Agency {
        require_active_licence(conn, &placement.row.agency_id, now.date_naive())?;
    }
    let reason = reason.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    apply(conn, &placement.row, action, Some(&user.user_id), reason.clone(), json!({}), now)?;
    if let Some(permit) = store::latest_permit(conn, id)?.filter(|p| p.status == "valid") {
        let why = format!("placement {}", if action == Action::Decline { "declined" } else { "withdrawn" });
        store::revoke_permit(conn, &permit.number, &user.user_id, &why, now.naive_utc())?;
    }
    find(conn, user, id)
}

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

pub fn random_code(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// A regulator issues the permit of an accepted placement: valid from the season's start
/// to its end plus the grace period.
pub fn issue_permit(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    rules: Rules,
    now: DateTime<Utc>,
) -> Result<Permit, AppError> {
    let placement = load(conn, user, id)?;
    authorise(user, Action::IssuePermit)?;
    require_accepted(conn, &placement.row, "the worker has not accepted the current contract version")?;
    // Bound to the season the worker agreed to, which a later edit of the vacancy does not move.
    let (_, terms) = current_terms(conn, &placement.row)?;
    let row = PermitRow {
        number: format!("SL-{}-{}", terms.season_start.format("%Y"), random_code(8)),
        placement_id: id.to_owned(),
        check_code: random_code(6),
        valid_from: terms.season_start,
        valid_until: terms.season_end + Duration::days(rules.permit_grace_days),
        status: "valid".to_owned(),
        issued_by: user.user_id.clone(),
        issued_at: now.naive_utc(),
        revoked_by: None,
        revoked_at: None,
        revoked_reason: None,
    };
    apply(
        conn,
        &placement.row,
        Action::IssuePermit,
        Some(&user.user_id),
        None,
        json!({"permit_number": row.number}),
        now,
    )?;
    store::insert_permit(conn, &row)?;
    Ok(permit_view(row, true))
}

/// A regulator revokes a permit, at once. Before departure the placement goes back to
/// accepted; after it, the worker is expected home and the sweeper watches the dates.
pub fn revoke_permit(
    conn: &mut DbConnection,
    user: &Actor,
    number: &str,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<Permit, AppError> {
    user.require(Role::Regulator)?;
    let reason = reason.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    let Some(reason) = reason else { return Err(invalid("reason", "say why the permit is revoked")) };
    let permit = store::permit(conn, number)?.ok_or_else(AppError::not_found)?;
    if store::revoke_permit(conn, number, &user.user_id, &reason, now.naive_utc())? == 0 {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("the permit is already revoked"));
    }
    let placement = load(conn, user, &permit.placement_id)?;
    if status_of(&placement.row)? == Status::Permitted {
        apply(
            conn,
            &placement.row,
            Action::RevokePermit,
            Some(&user.user_id),
            Some(reason),
            json!({"permit_number": number}),
            now,
        )?;
    } else {
        audit::record(
            conn,
            Some(&user.user_id),
            Action::RevokePermit.name(),
            ("placement", &placement.row.id),
            json!({"permit_number": number}),
            now,
        )?;
    }
    let permit = store::permit(conn, number)?.ok_or_else(AppError::not_found)?;
    Ok(permit_view(permit, true))
}

fn permit_view(row: PermitRow, with_code: bool) -> Permit {
    Permit {
        permit_number: row.number,
        check_code: with_code.then_some(row.check_code),
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        status: row.status,
    }
}

/// Where a permit stands on `day`: valid, revoked, expired or not_yet_valid. The one rule
/// behind the public check and the departure.
fn permit_status(permit: &PermitRow, day: NaiveDate) -> &'static str {
    if permit.status == "revoked" {
        "revoked"
    } else if day < permit.valid_from {
        "not_yet_valid"
    } else if day > permit.valid_until {
        "expired"
    } else {
        "valid"
    }
}

/// The public check by number and code. A wrong code answers exactly as an unknown number.
pub fn check_permit(
    conn: &mut DbConnection,
    number: &str,
    code: &str,
    today: NaiveDate,
) -> Result<PublicPermit, AppError> {
    use subtle::ConstantTimeEq;
    let number = number.trim().to_uppercase();
    let permit = store::permit(conn, &number)?
        .filter(|p| bool::from(p.check_code.as_bytes().ct_eq(code.trim().to_uppercase().as_bytes())))
        .ok_or_else(AppError::not_found)?;
    let placement = store::find(conn, &permit.placement_id)?.ok_or_else(AppError::not_found)?;
    let status = permit_status(&permit, today);
    Ok(PublicPermit {
        valid: status == "valid",
        status: status.to_owned(),
        holder_initials: worker_domain::initials(&placement.worker_name),
        employer_name: placement.employer_name,
        valid_from: permit.valid_from,
        valid_until: permit.valid_until,
    })
}

fn check_crossing(conn: &mut DbConnection, crossing: &Crossing, now: DateTime<Utc>) -> Result<(), AppError> {
    if reference_db::find_crossing(conn, &crossing.crossing_code)?.is_none() {
        return Err(invalid("crossing_code", "unknown border crossing"));
    }
    if crossing.at > now + Duration::minutes(10) {
        return Err(invalid("at", "a crossing is recorded after it happens"));
    }
    Ok(())
}

fn record_crossing(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    kind: &str,
    crossing: &Crossing,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::insert_border_event(
        conn,
        &BorderEventRow {
            id: uuid::Uuid::now_v7().to_string(),
            placement_id: id.to_owned(),
            kind: kind.to_owned(),
            crossing_code: crossing.crossing_code.clone(),
            at: crossing.at.naive_utc(),
            recorded_by: user.user_id.clone(),
            recorded_at: now.naive_utc(),
        },
    )?;
    Ok(())
}

/// The agency records the departure: only with the current contract accepted and a permit
/// valid on the day of crossing.
pub fn depart(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    crossing: Crossing,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, user, id)?;
    authorise(user, Action::Depart)?;
    require_active_licence(conn, &placement.row.agency_id, now.date_naive())?;
    check_crossing(conn, &crossing, now)?;
    require_accepted(conn, &placement.row, "no departure before the worker accepts the current contract")?;
    let day = crossing.at.date_naive();
    let permit = store::latest_permit(conn, id)?.filter(|p| permit_status(p, day) == "valid");
    let Some(permit) = permit else {
        return Err(AppError::new(ErrorCode::PermitInvalid)
            .with_detail("no departure without a permit valid on the day of crossing"));
    };
    apply(
        conn,
        &placement.row,
        Action::Depart,
        Some(&user.user_id),
        None,
        json!({"crossing_code": crossing.crossing_code, "permit_number": permit.number}),
        now,
    )?;
    record_crossing(conn, user, id, "departure", &crossing, now)?;
    find(conn, user, id)
}

/// The employer records the end of the season, or an early end with its reason.
pub fn finish(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    action: Action,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, user, id)?;
    authorise(user, action)?;
    let reason = reason.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if action == Action::Terminate && reason.is_none() {
        return Err(invalid("reason", "say why the placement ends early"));
    }
    apply(conn, &placement.row, action, Some(&user.user_id), reason, json!({}), now)?;
    if action == Action::Complete {
        let (_, terms) = current_terms(conn, &placement.row)?;
        let employer = placement.row.employer_id.clone();
        crate::services::compliance::check_hours_guarantee(conn, id, &employer, &terms, &user.user_id, now)?;
    }
    find(conn, user, id)
}

/// The agency records the return: on time when on or before the permit's last day. Either
/// way it enters the worker's history; on time, it earns the next season.
pub fn record_return(
    conn: &mut DbConnection,
    user: &Actor,
    id: &str,
    crossing: Crossing,
    now: DateTime<Utc>,
) -> Result<Placement, AppError> {
    let placement = load(conn, user, id)?;
    authorise(user, Action::Return { late: false })?;
    require_active_licence(conn, &placement.row.agency_id, now.date_naive())?;
    check_crossing(conn, &crossing, now)?;
    let from = status_of(&placement.row)?;
    let day = crossing.at.date_naive();
    let departed_at =
        store::border_events(conn, id)?.into_iter().find(|e| e.kind == "departure").map(|e| e.at);
    if departed_at.is_some_and(|d| crossing.at.naive_utc() < d) {
        return Err(invalid("at", "the return is before the departure"));
    }
    let valid_until = store::latest_permit(conn, id)?.map(|p| p.valid_until);
    let late = from == Status::Overstayed || valid_until.is_none_or(|until| day > until);
    apply(
        conn,
        &placement.row,
        Action::Return { late },
        Some(&user.user_id),
        None,
        json!({"crossing_code": crossing.crossing_code, "on_time": !late}),
        now,
    )?;
    record_crossing(conn, user, id, "return", &crossing, now)?;
    let (_, terms) = current_terms(conn, &placement.row)?;
    let season = (terms.season_start, terms.season_end);
    store::record_return(conn, &placement.row, season, day, !late, now.naive_utc())?;
    find(conn, user, id)
}

/// The sweeper: every placement abroad whose permit ended before today without a return is
/// marked overstayed and raised to regulators. Safe to run on several servers at once: a
/// placement another run moved first is skipped. Returns how many it marked.
pub fn sweep(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut marked = 0;
    for (row, valid_until) in store::overdue(conn, now.date_naive())? {
        let moved = apply(
            conn,
            &row,
            Action::Overstay,
            None,
            Some(format!("permit expired on {valid_until}; no return recorded")),
            json!({"permit_valid_until": valid_until.to_string()}),
            now,
        );
        match moved {
            Ok(_) => {
                store::insert_alert(conn, "overstay", &row.id, now.naive_utc())?;
                marked += 1;
            }
            Err(e) if e.code == ErrorCode::Conflict || e.code == ErrorCode::TransitionNotAllowed => {}
            Err(e) => return Err(e),
        }
    }
    Ok(marked)
}

pub fn alerts(conn: &mut DbConnection, user: &Actor) -> Result<Vec<Alert>, AppError> {
    user.require(Role::Regulator)?;
    Ok(store::alerts(conn)?
        .into_iter()
        .map(|(kind, placement_id, raised_at)| Alert { kind, placement_id, raised_at: raised_at.and_utc() })
        .collect())
}

/// An employer names, for its vacancy, a worker who came home on time from it before.
pub fn name_worker(
    conn: &mut DbConnection,
    user: &Actor,
    vacancy_id: &str,
    worker_id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let employer_id = user.org_for(Role::Employer)?;
    let vacancy = vacancies::find_visible(conn, vacancy_id, &Scope::Employer(employer_id.clone()))?;
    if vacancy.status == "closed" {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("the vacancy is closed"));
    }
    if !store::returned_on_time_from(conn, worker_id, &employer_id)? {
        return Err(invalid("worker_id", "only a worker who came home on time from one of your placements"));
    }
    if store::insert_named_request(conn, vacancy_id, worker_id, &user.user_id, now.naive_utc())? > 0 {
        audit::record(
            conn,
            Some(&user.user_id),
            "vacancy.named_request",
            ("vacancy", vacancy_id),
            json!({"worker_id": worker_id}),
            now,
        )?;
    }
    Ok(())
}

/// An employer sees a worker pseudonymously until the worker has accepted its offer.
fn employer_before_acceptance(owner: &Owner, status: Status) -> bool {
    matches!(owner, Owner::Employer(_))
        && matches!(status, Status::Offered | Status::Declined | Status::Withdrawn)
}

fn view(
    conn: &mut DbConnection,
    owner: &Owner,
    p: FullPlacement,
    timeline: bool,
) -> Result<Placement, AppError> {
    let status = status_of(&p.row)?;
    let contract = store::contract(conn, &p.row.id, p.row.contract_version)?;
    let accepted = store::acceptance(conn, &p.row.id, p.row.contract_version)?.is_some();
    let name = if employer_before_acceptance(owner, status) {
        worker_domain::initials(&p.worker_name)
    } else {
        p.worker_name.clone()
    };
    let sees_code = !matches!(owner, Owner::Employer(_));
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
        permit: store::latest_permit(conn, &p.row.id)?.map(|row| permit_view(row, sees_code)),
        crossings: store::border_events(conn, &p.row.id)?
            .into_iter()
            .map(|e| BorderCrossing { kind: e.kind, crossing_code: e.crossing_code, at: e.at.and_utc() })
            .collect(),
        contract: ContractRef { version: contract.version, sha256: contract.sha256, accepted },
        worker: PlacedWorker { id: p.row.worker_id.clone(), name },
        timeline,
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
pub fn find(conn: &mut DbConnection, user: &Actor, id: &str) -> Result<Placement, AppError> {
    let owner = owner_of(user)?;
    let placement = load(conn, user, id)?;
    view(conn, &owner, placement, true)
}

/// The caller's placements, newest first.
pub fn list(conn: &mut DbConnection, user: &Actor, status: Option<&str>) -> Result<Vec<Placement>, AppError> {
    if let Some(s) = status
        && Status::parse(s).is_none()
    {
        return Err(invalid("status", "a placement status such as offered or departed"));
    }
    let owner = owner_of(user)?;
    store::list(conn, &owner, status)?.into_iter().map(|p| view(conn, &owner, p, false)).collect()
}
