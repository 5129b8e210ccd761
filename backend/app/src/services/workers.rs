//! Workers: registered and edited by their agency while its licence is active, one
//! registration per identity document across all agencies. The document number is shown
//! only to the worker's agency and regulators and never logged; employers see a
//! [`PseudonymousWorker`] only.
//!
//! An agency reads its registry by its licence ([`Reading`]): in full while the licence is
//! active, without the document numbers while it is suspended or expired, and not at all
//! once it is revoked (403 `licence_inactive`). Each read of a worker's record by an
//! agency's user is kept in the worker's access log ([`access_log`]).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::actor::{Actor, Scope};
use crate::db::placements;
use crate::db::workers::{self, FullWorker, NewWorker, WorkerRow};
use crate::db::{self, DbConnection, reference};
use crate::domain::account::Role;
use crate::domain::licence::Reading;
use crate::domain::worker::{self as rules, Context, Draft, FieldError, ValidWorker};
use crate::error::{AppError, ErrorCode};
use crate::ids::{AgencyId, EmployerId, PlacementId, WorkerId};
use crate::services::access_log;
use crate::services::accounts::invalid;
use crate::services::agencies::{self, require_active_licence};
use crate::services::audit;
use crate::services::limits::{self, Limit};
use crate::services::worker_import::{self, RowError};
use crate::state::AppState;

/// A worker as its agency registers it. The agency never sets the worker's password: the
/// worker activates its own account with a one-time code (POST /workers/{id}/activation).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkerInput {
    #[schema(example = "Nguyễn Thị Hoa")]
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    /// female, male or other.
    pub gender: String,
    /// Passport or identity-card number; unique across agencies.
    #[schema(example = "C1234567")]
    pub id_document_number: String,
    /// A province of Viet Nam (ISO 3166-2:VN).
    #[schema(example = "VN-09")]
    pub home_province_code: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Ignored: accepted so that older clients keep working, but an agency no longer sets its
    /// worker's password. The worker activates its own account.
    #[schema(deprecated)]
    pub password: Option<String>,
    /// ISO 639 codes: vi, zh, en, tyz (Tày), nut (Nùng), …
    #[serde(default)]
    pub languages: Vec<String>,
    /// Codes of GET /api/v1/reference/skills.
    #[serde(default)]
    pub skills: Vec<String>,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    /// Seasons worked abroad before (default 0).
    pub seasons_worked: Option<i32>,
}

/// Changes to a worker: the fields given replace the stored ones, and are checked again.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkerPatch {
    pub full_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Option<String>,
    pub id_document_number: Option<String>,
    pub home_province_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub languages: Option<Vec<String>>,
    pub skills: Option<Vec<String>>,
    pub available_from: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
    pub seasons_worked: Option<i32>,
}

/// One past placement and whether the worker came home on time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnRecord {
    pub placement_id: Option<PlacementId>,
    pub employer_id: Option<EmployerId>,
    pub employer_name: Option<String>,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub returned_on: Option<NaiveDate>,
    pub returned_on_time: bool,
}

/// A worker's record in full: for its agency and regulators (and, without the document
/// number, for the worker itself). The profile matching reads: skills, seasons worked,
/// availability, languages, home province and return history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Worker {
    pub id: WorkerId,
    pub agency_id: AgencyId,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub gender: String,
    /// Only for the worker's agency and regulators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_document_number: Option<String>,
    pub home_province_code: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub seasons_worked: i32,
    /// Oldest first; filled as returns are recorded.
    pub return_history: Vec<ReturnRecord>,
    pub returned_on_time_count: i64,
    /// In good standing: its last season ended with a return on time. It earns a higher
    /// score, and its former employer may name it for the next season.
    pub good_standing: bool,
    /// Whether the worker can log in.
    pub has_account: bool,
    /// Whether the worker activated its own account (set its own password): until then it
    /// accepts no contract.
    pub activated: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an employer may see of a worker before it accepts an offer: no name, no document,
/// no contact, no birth date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PseudonymousWorker {
    pub id: WorkerId,
    #[schema(example = "N.T.H.")]
    pub initials: String,
    #[schema(example = "25-34")]
    pub age_band: String,
    pub home_province_code: String,
    pub skills: Vec<String>,
    pub languages: Vec<String>,
    pub seasons_worked: i32,
    pub returned_on_time_count: i64,
}

impl PseudonymousWorker {
    pub fn of(worker: &Worker, today: NaiveDate) -> Self {
        PseudonymousWorker {
            id: worker.id.clone(),
            initials: rules::initials(&worker.full_name),
            age_band: rules::age_band(worker.date_of_birth, today).to_owned(),
            home_province_code: worker.home_province_code.clone(),
            skills: worker.skills.clone(),
            languages: worker.languages.clone(),
            seasons_worked: worker.seasons_worked,
            returned_on_time_count: worker.returned_on_time_count,
        }
    }
}

/// Whether a reader of `scope` may see this worker: an agency its own, a regulator all, a
/// worker itself; nobody else.
fn may_see(scope: &Scope, row: &WorkerRow) -> bool {
    match scope {
        Scope::Agency(agency) => &row.agency_id == agency,
        Scope::All => true,
        Scope::Worker(id) => &row.id == id,
        Scope::Employer(_) | Scope::Public => false,
    }
}

/// The worker's own agency and regulators read the identity-document number; the worker
/// does not need it shown.
fn sees_document(scope: &Scope) -> bool {
    matches!(scope, Scope::Agency(_) | Scope::All)
}

/// The scope of the workers' registry for a reader: a regulator, or an agency (its own).
/// Everyone else is answered as if there were no such worker.
fn registry_scope(actor: &Actor) -> Result<Scope, AppError> {
    match actor.scope() {
        scope @ (Scope::All | Scope::Agency(_)) => Ok(scope),
        _ => Err(AppError::not_found()),
    }
}

/// What a registry reader of `scope` may read today: a regulator everything; an agency what
/// its licence allows ([`Reading`]), and nothing once it is revoked (403 `licence_inactive`).
fn registry_reading(conn: &mut DbConnection, scope: &Scope, today: NaiveDate) -> Result<Reading, AppError> {
    let Scope::Agency(agency_id) = scope else {
        return Ok(Reading::Full);
    };
    match agencies::reading_in(conn, agency_id, today)? {
        (Reading::NothingPersonal, status) => Err(agencies::licence_inactive(status)),
        (reading, _) => Ok(reading),
    }
}

/// A worker as read under `reading`: the identity-document number only in full.
fn as_read(mut worker: Worker, reading: Reading) -> Worker {
    if reading != Reading::Full {
        worker.id_document_number = None;
    }
    worker
}

fn view(full: FullWorker, viewer: &Scope) -> Worker {
    let r = full.row;
    let return_history: Vec<ReturnRecord> = full
        .returns
        .into_iter()
        .map(|(ret, employer_name)| ReturnRecord {
            placement_id: ret.placement_id,
            employer_id: ret.employer_id,
            employer_name,
            season_start: ret.season_start,
            season_end: ret.season_end,
            returned_on: ret.returned_on,
            returned_on_time: ret.returned_on_time,
        })
        .collect();
    Worker {
        returned_on_time_count: return_history.iter().filter(|r| r.returned_on_time).count() as i64,
        good_standing: return_history.last().is_some_and(|r| r.returned_on_time),
        return_history,
        id_document_number: sees_document(viewer).then_some(r.id_document_number),
        id: r.id,
        agency_id: r.agency_id,
        full_name: r.full_name,
        date_of_birth: r.date_of_birth,
        gender: r.gender,
        home_province_code: r.home_province_code,
        phone: r.phone,
        email: r.email,
        languages: full.languages,
        skills: full.skills,
        available_from: r.available_from,
        available_until: r.available_until,
        seasons_worked: r.seasons_worked,
        has_account: full.has_account,
        activated: full.activated,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    }
}

/// What validation needs from the reference data.
pub fn context(conn: &mut DbConnection, today: NaiveDate) -> Result<Context, AppError> {
    let skills: HashSet<String> = reference::skills(conn)?.into_iter().map(|s| s.code).collect();
    let provinces: HashSet<String> = reference::regions(conn)?
        .into_iter()
        .filter(|r| r.country == "VN" && r.level == "province")
        .map(|r| r.code)
        .collect();
    Ok(Context { today, skills, provinces })
}

/// The first refused field as the 422 answer, with every refused field listed.
fn field_errors(errors: Vec<FieldError>) -> AppError {
    let Some(first) = errors.first() else {
        return AppError::new(ErrorCode::ValidationFailed);
    };
    invalid(first.field, first.message)
        .with("reason", first.code)
        .with("errors", serde_json::to_value(&errors).unwrap_or_default())
}

fn already_registered() -> AppError {
    // Names no agency: who holds a registration is not the asker's business.
    AppError::new(ErrorCode::WorkerAlreadyRegistered)
        .with_detail("a worker with this identity document is already registered")
}

fn to_row(
    id: WorkerId,
    agency_id: AgencyId,
    w: &ValidWorker,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> NewWorker {
    NewWorker {
        row: WorkerRow {
            id,
            agency_id,
            full_name: w.full_name.clone(),
            date_of_birth: w.date_of_birth,
            gender: w.gender.clone(),
            id_document_number: w.id_document_number.clone(),
            home_province_code: w.home_province_code.clone(),
            phone: w.phone.clone(),
            email: w.email.clone(),
            available_from: w.available_from,
            available_until: w.available_until,
            seasons_worked: w.seasons_worked,
            created_at: created_at.naive_utc(),
            updated_at: now.naive_utc(),
        },
        skills: w.skills.clone(),
        languages: w.languages.clone(),
    }
}

/// A unique violation on insert is another request registering the same document first.
fn unique_means_registered(err: diesel::result::Error) -> AppError {
    match err {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            already_registered()
        }
        other => other.into(),
    }
}

/// An agency registers a worker, checked against its licence on the day; registrations are
/// rate-limited per agency, and so are the "already registered" answers that probing
/// document numbers would collect.
pub async fn create(state: &AppState, actor: &Actor, input: WorkerInput) -> Result<Worker, AppError> {
    let (agency_id, now) = (actor.agency_id()?, state.clock.now());
    registry_write(state, &agency_id).await?;
    let (actor, conflicts) = (actor.clone(), conflict_limit(state));
    let created =
        db::transaction(&state.pool, move |conn| create_in(conn, &actor, input, conflicts, now)).await;
    let worker = count_conflicts(state, &agency_id, created).await?;
    tracing::info!(worker_id = %worker.id, agency_id = %worker.agency_id, "worker registered");
    Ok(worker)
}

/// Counts a write to the registry against the agency's hourly limit.
async fn registry_write(state: &AppState, agency_id: &AgencyId) -> Result<(), AppError> {
    let limit = Limit::hourly("worker-writes", state.settings.limits.worker_writes_per_agency_hourly);
    limits::hit(state, vec![(limit, agency_id.to_string())]).await
}

/// How many "already registered" answers an agency may get a day.
fn conflict_limit(state: &AppState) -> Limit {
    Limit::daily("registry-conflicts", state.settings.limits.registry_conflicts_per_agency_daily)
}

/// An "already registered" answer costs the agency one of its daily allowance, counted
/// after the refused transaction.
async fn count_conflicts<T>(
    state: &AppState,
    agency_id: &AgencyId,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    if let Err(refused) = &result {
        let rows = match refused.code {
            ErrorCode::WorkerAlreadyRegistered => 1,
            ErrorCode::ValidationFailed => refused
                .extra
                .get("errors")
                .and_then(serde_json::Value::as_array)
                .map_or(0, |errors| errors.iter().filter(|e| e["code"] == "already_registered").count()),
            _ => 0,
        };
        let hits = vec![(conflict_limit(state), agency_id.to_string()); rows];
        if !hits.is_empty() {
            // Over the allowance, this answer still stands: the check before it let it through.
            let _ = limits::hit(state, hits).await;
        }
    }
    result
}

/// Refuses to say "already registered" to an agency that has used its allowance today.
fn may_reveal(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    conflicts: Limit,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    limits::check(conn, conflicts, agency_id.as_str(), now)
}

fn create_in(
    conn: &mut DbConnection,
    actor: &Actor,
    input: WorkerInput,
    conflicts: Limit,
    now: DateTime<Utc>,
) -> Result<Worker, AppError> {
    let agency_id = actor.agency_id()?;
    let today = now.date_naive();
    require_active_licence(conn, &agency_id, today)?;
    let ctx = context(conn, today)?;
    let draft = Draft {
        full_name: input.full_name,
        date_of_birth: Some(input.date_of_birth),
        gender: input.gender,
        id_document_number: input.id_document_number,
        home_province_code: input.home_province_code,
        phone: input.phone,
        email: input.email,
        languages: input.languages,
        skills: input.skills,
        available_from: Some(input.available_from),
        available_until: Some(input.available_until),
        seasons_worked: input.seasons_worked,
    };
    let valid = rules::validate(draft, &ctx).map_err(field_errors)?;
    if !workers::registered_documents(conn, std::slice::from_ref(&valid.id_document_number), None)?.is_empty()
    {
        may_reveal(conn, &agency_id, conflicts, now)?;
        return Err(already_registered());
    }
    let id = WorkerId::generate();
    let new = to_row(id.clone(), agency_id.clone(), &valid, now, now);
    workers::insert_many(conn, std::slice::from_ref(&new)).map_err(unique_means_registered)?;
    audit::record(
        conn,
        Some(&actor.user_id),
        "worker.registered",
        ("worker", id.as_str()),
        json!({"agency_id": agency_id}),
        now,
    )?;
    find_visible(conn, &id, &Scope::Agency(agency_id))
}

/// The fields that say who the worker is: a permit is issued to them.
const IDENTITY: [&str; 3] = ["full_name", "date_of_birth", "id_document_number"];

/// The fields whose values differ between the stored worker and the checked draft.
fn changed_fields(current: &FullWorker, valid: &ValidWorker) -> Vec<&'static str> {
    let r = &current.row;
    [
        ("full_name", r.full_name != valid.full_name),
        ("date_of_birth", r.date_of_birth != valid.date_of_birth),
        ("gender", r.gender != valid.gender),
        ("id_document_number", r.id_document_number != valid.id_document_number),
        ("home_province_code", r.home_province_code != valid.home_province_code),
        ("phone", r.phone != valid.phone),
        ("email", r.email != valid.email),
        ("languages", current.languages != valid.languages),
        ("skills", current.skills != valid.skills),
        ("available_from", r.available_from != valid.available_from),
        ("available_until", r.available_until != valid.available_until),
        ("seasons_worked", r.seasons_worked != valid.seasons_worked),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect()
}

/// The agency edits its worker; every field is checked again, the licence too. Who the
/// worker is (name, birth date, document) cannot change while it holds an active placement
/// or a valid permit: 409 `identity_frozen`; a regulator corrects it then.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: &WorkerId,
    patch: WorkerPatch,
) -> Result<Worker, AppError> {
    let (agency_id, now) = (actor.agency_id()?, state.clock.now());
    registry_write(state, &agency_id).await?;
    let (actor, id, conflicts) = (actor.clone(), id.clone(), conflict_limit(state));
    let updated =
        db::transaction(&state.pool, move |conn| update_in(conn, &actor, &id, patch, conflicts, now)).await;
    let worker = count_conflicts(state, &agency_id, updated).await?;
    tracing::info!(worker_id = %worker.id, "worker edited");
    Ok(worker)
}

fn update_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &WorkerId,
    patch: WorkerPatch,
    conflicts: Limit,
    now: DateTime<Utc>,
) -> Result<Worker, AppError> {
    let agency_id = actor.agency_id()?;
    let today = now.date_naive();
    require_active_licence(conn, &agency_id, today)?;
    let viewer = Scope::Agency(agency_id.clone());
    let current =
        workers::find(conn, id)?.filter(|w| may_see(&viewer, &w.row)).ok_or_else(AppError::not_found)?;
    let ctx = context(conn, today)?;
    let r = &current.row;
    let draft = Draft {
        full_name: patch.full_name.unwrap_or_else(|| r.full_name.clone()),
        date_of_birth: Some(patch.date_of_birth.unwrap_or(r.date_of_birth)),
        gender: patch.gender.unwrap_or_else(|| r.gender.clone()),
        id_document_number: patch.id_document_number.unwrap_or_else(|| r.id_document_number.clone()),
        home_province_code: patch.home_province_code.unwrap_or_else(|| r.home_province_code.clone()),
        phone: patch.phone.or_else(|| r.phone.clone()),
        email: patch.email.or_else(|| r.email.clone()),
        languages: patch.languages.unwrap_or_else(|| current.languages.clone()),
        skills: patch.skills.unwrap_or_else(|| current.skills.clone()),
        available_from: Some(patch.available_from.unwrap_or(r.available_from)),
        available_until: Some(patch.available_until.unwrap_or(r.available_until)),
        seasons_worked: Some(patch.seasons_worked.unwrap_or(r.seasons_worked)),
    };
    let valid = rules::validate(draft, &ctx).map_err(field_errors)?;
    let changed = changed_fields(&current, &valid);
    let identity: Vec<&str> = changed.iter().copied().filter(|f| IDENTITY.contains(f)).collect();
    if !identity.is_empty() && identity_in_use(conn, id, today)? {
        return Err(AppError::new(ErrorCode::IdentityFrozen)
            .with_detail(
                "the worker holds an active placement or a valid permit: a regulator corrects its identity",
            )
            .with("fields", identity));
    }
    if !workers::registered_documents(conn, std::slice::from_ref(&valid.id_document_number), Some(id))?
        .is_empty()
    {
        may_reveal(conn, &agency_id, conflicts, now)?;
        return Err(already_registered());
    }
    let updated = to_row(id.clone(), agency_id.clone(), &valid, r.created_at.and_utc(), now);
    workers::update(conn, &updated).map_err(unique_means_registered)?;
    if !changed.is_empty() {
        audit::record(
            conn,
            Some(&actor.user_id),
            "worker.edited",
            ("worker", id.as_str()),
            json!({"fields": changed}),
            now,
        )?;
    }
    find_visible(conn, id, &viewer)
}

/// Whether the worker's identity is in use: it holds an active placement, or a permit valid
/// on `today` or later.
fn identity_in_use(conn: &mut DbConnection, id: &WorkerId, today: NaiveDate) -> Result<bool, AppError> {
    Ok(placements::has_active(conn, id)? || placements::has_valid_permit(conn, id, today)?)
}

/// A regulator's correction of who a worker is.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityCorrection {
    pub full_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub id_document_number: Option<String>,
    /// Why, for the audit log: the document seen, the error found.
    pub reason: String,
}

/// What a correction changed, and the permits it reissued.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Corrected {
    pub worker: Worker,
    pub fields: Vec<String>,
    /// The permits revoked for the old identity and issued again for the new one.
    pub reissued_permits: Vec<crate::services::placements::Permit>,
}

/// A regulator corrects a worker's name, birth date or document number, with a reason, at
/// any time: every valid permit of the worker is revoked and issued again (new number and
/// check code) to the corrected holder, and the audit log says who, what and why.
pub async fn correct_identity(
    state: &AppState,
    actor: &Actor,
    id: &WorkerId,
    correction: IdentityCorrection,
) -> Result<Corrected, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| correct_identity_in(conn, &actor, &id, correction, now)).await
}

fn correct_identity_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &WorkerId,
    correction: IdentityCorrection,
    now: DateTime<Utc>,
) -> Result<Corrected, AppError> {
    actor.require(Role::Regulator)?;
    let reason = correction.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(invalid("reason", "say why, in at most 500 characters"));
    }
    let today = now.date_naive();
    let current = workers::find(conn, id)?.ok_or_else(AppError::not_found)?;
    let ctx = context(conn, today)?;
    let r = &current.row;
    let draft = Draft {
        full_name: correction.full_name.unwrap_or_else(|| r.full_name.clone()),
        date_of_birth: Some(correction.date_of_birth.unwrap_or(r.date_of_birth)),
        gender: r.gender.clone(),
        id_document_number: correction.id_document_number.unwrap_or_else(|| r.id_document_number.clone()),
        home_province_code: r.home_province_code.clone(),
        phone: r.phone.clone(),
        email: r.email.clone(),
        languages: current.languages.clone(),
        skills: current.skills.clone(),
        available_from: Some(r.available_from),
        available_until: Some(r.available_until),
        seasons_worked: Some(r.seasons_worked),
    };
    let valid = rules::validate(draft, &ctx).map_err(field_errors)?;
    let fields = changed_fields(&current, &valid);
    if fields.is_empty() {
        return Err(invalid("full_name", "nothing to correct: give the name, birth date or document number"));
    }
    if !workers::registered_documents(conn, std::slice::from_ref(&valid.id_document_number), Some(id))?
        .is_empty()
    {
        return Err(already_registered());
    }
    let updated = to_row(id.clone(), r.agency_id.clone(), &valid, r.created_at.and_utc(), now);
    workers::update(conn, &updated).map_err(unique_means_registered)?;
    let reissued = crate::services::placements::reissue_permits_in(conn, actor, id, &reason, now)?;
    audit::record(
        conn,
        Some(&actor.user_id),
        "worker.identity_corrected",
        ("worker", id.as_str()),
        json!({"fields": fields, "reason": reason,
               "permits": reissued.iter().map(|p| p.permit_number.clone()).collect::<Vec<_>>()}),
        now,
    )?;
    Ok(Corrected {
        worker: find_visible(conn, id, &Scope::All)?,
        fields: fields.into_iter().map(str::to_owned).collect(),
        reissued_permits: reissued,
    })
}

/// Whether the actor may import workers at all (an agency's account): asked before a
/// file is read, so nobody else gets to upload one.
pub fn may_import(actor: &Actor) -> Result<AgencyId, AppError> {
    actor.agency_id()
}

/// An agency imports a CSV file of workers: every row or none. 422 `validation_failed` lists
/// every faulty row, document numbers already registered (to any agency) included.
pub async fn import(state: &AppState, actor: &Actor, csv: Vec<u8>) -> Result<usize, AppError> {
    let (agency_id, now) = (may_import(actor)?, state.clock.now());
    registry_write(state, &agency_id).await?;
    let (actor, conflicts) = (actor.clone(), conflict_limit(state));
    let imported = db::transaction(&state.pool, move |conn| {
        let agency_id = actor.agency_id()?;
        let today = now.date_naive();
        require_active_licence(conn, &agency_id, today)?;
        let ctx = context(conn, today)?;
        let parsed = worker_import::read(&csv, &ctx);
        Ok(insert_parsed(conn, &actor, parsed, Some(conflicts), now)?.len())
    })
    .await;
    let created = count_conflicts(state, &agency_id, imported).await?;
    tracing::info!(agency_id = %agency_id, created, "workers imported");
    Ok(created)
}

/// Registers many workers at once, every one or none, the way [`import`] does a file's
/// rows: for drafts built by code (the demo data). A faulty draft is reported as a row
/// counted from 1. Returns the new workers' ids, in the drafts' order.
pub fn register_many(
    conn: &mut DbConnection,
    actor: &Actor,
    drafts: Vec<Draft>,
    now: DateTime<Utc>,
) -> Result<Vec<WorkerId>, AppError> {
    let agency_id = actor.agency_id()?;
    let today = now.date_naive();
    require_active_licence(conn, &agency_id, today)?;
    let ctx = context(conn, today)?;
    let mut parsed = worker_import::Parsed::default();
    let mut documents = HashSet::new();
    for (index, draft) in drafts.into_iter().enumerate() {
        let row = index + 1;
        let error = |field: &str, code: &str| RowError { row, field: field.into(), code: code.into() };
        match rules::validate(draft, &ctx) {
            Ok(worker) if !documents.insert(worker.id_document_number.clone()) => {
                parsed.errors.push(error("id_document_number", "duplicate_in_file"));
            }
            Ok(worker) => parsed.rows.push(worker_import::ParsedRow { row, worker }),
            Err(errors) => parsed.errors.extend(errors.iter().map(|e| error(e.field, e.code))),
        }
    }
    insert_parsed(conn, actor, parsed, None, now)
}

/// The bulk path: inserts every row read, or answers 422 `validation_failed` listing every
/// faulty row. The registry is consulted only for a file without other faults, so a file
/// that fails anyway tells nothing of which numbers are registered; and, with `conflicts`,
/// only while the agency has "already registered" answers left today.
fn insert_parsed(
    conn: &mut DbConnection,
    actor: &Actor,
    parsed: worker_import::Parsed,
    conflicts: Option<Limit>,
    now: DateTime<Utc>,
) -> Result<Vec<WorkerId>, AppError> {
    let agency_id = actor.agency_id()?;
    let worker_import::Parsed { rows, mut errors } = parsed;
    if errors.is_empty() {
        let numbers: Vec<String> = rows.iter().map(|r| r.worker.id_document_number.clone()).collect();
        let taken: HashSet<String> =
            workers::registered_documents(conn, &numbers, None)?.into_iter().collect();
        if !taken.is_empty()
            && let Some(conflicts) = conflicts
        {
            may_reveal(conn, &agency_id, conflicts, now)?;
        }
        for row in rows.iter().filter(|r| taken.contains(&r.worker.id_document_number)) {
            errors.push(RowError {
                row: row.row,
                field: "id_document_number".into(),
                code: "already_registered".into(),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        let faulty: HashSet<usize> = errors.iter().map(|e| e.row).collect();
        return Err(AppError::new(ErrorCode::ValidationFailed)
            .with_detail(format!("{} rows have errors; nothing was imported", faulty.len()))
            .with("errors", serde_json::to_value(&errors).unwrap_or_default()));
    }
    let new: Vec<NewWorker> =
        rows.iter().map(|r| to_row(WorkerId::generate(), agency_id.clone(), &r.worker, now, now)).collect();
    workers::insert_many(conn, &new).map_err(unique_means_registered)?;
    let ids: Vec<WorkerId> = new.into_iter().map(|w| w.row.id).collect();
    let detail = json!({"agency_id": agency_id, "via": "import"});
    for id in &ids {
        audit::record(
            conn,
            Some(&actor.user_id),
            "worker.registered",
            ("worker", id.as_str()),
            detail.clone(),
            now,
        )?;
    }
    Ok(ids)
}

/// One worker of the registry, for a regulator or its own agency (anyone else: 404), read
/// as the agency's licence allows today; an agency's read goes to the worker's access log.
pub async fn find(state: &AppState, actor: &Actor, id: &WorkerId) -> Result<Worker, AppError> {
    let (scope, actor, id, now) = (registry_scope(actor)?, actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        let reading = registry_reading(conn, &scope, now.date_naive())?;
        let worker = as_read(find_visible(conn, &id, &scope)?, reading);
        access_log::record_in(conn, &actor, std::slice::from_ref(&worker.id), now)?;
        Ok(worker)
    })
    .await
}

/// The worker registered with a document number, as an authority officer finds it with the
/// document in its hand (regulators only).
pub async fn find_by_document(
    state: &AppState,
    actor: &Actor,
    number: &str,
) -> Result<Option<Worker>, AppError> {
    actor.require(Role::Regulator)?;
    let number = rules::normalise_document_number(number);
    db::run(&state.pool, move |conn| {
        Ok(workers::find_by_document(conn, &number)?.map(|found| view(found, &Scope::All)))
    })
    .await
}

/// The signed-in worker's own record (a worker account only).
pub async fn me(state: &AppState, actor: &Actor) -> Result<Worker, AppError> {
    actor.require(Role::Worker)?;
    let id = actor.org_id.as_ref().map(|org| WorkerId::from(org.as_str())).ok_or_else(AppError::not_found)?;
    db::run(&state.pool, move |conn| find_visible(conn, &id, &Scope::Worker(id.clone()))).await
}

/// One worker, if a reader of `scope` may see it (else 404).
pub fn find_visible(conn: &mut DbConnection, id: &WorkerId, scope: &Scope) -> Result<Worker, AppError> {
    let found =
        workers::find(conn, id)?.filter(|w| may_see(scope, &w.row)).ok_or_else(AppError::not_found)?;
    Ok(view(found, scope))
}

/// How the agency's workers among `ids` look to someone ranking them, by id; other
/// agencies' workers and unknown ids are left out.
pub fn pseudonyms(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    ids: &[WorkerId],
    today: NaiveDate,
) -> Result<HashMap<WorkerId, PseudonymousWorker>, AppError> {
    let viewer = Scope::Agency(agency_id.clone());
    Ok(workers::find_many(conn, agency_id, ids)?
        .into_iter()
        .map(|w| {
            let shown = PseudonymousWorker::of(&view(w, &viewer), today);
            (shown.id.clone(), shown)
        })
        .collect())
}

/// The registry as the reader may see it: a regulator every worker, an agency its own as
/// its licence allows today (anyone else: 404). An agency's read goes to each listed
/// worker's access log.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Worker>, AppError> {
    let (scope, actor, now) = (registry_scope(actor)?, actor.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        let reading = registry_reading(conn, &scope, now.date_naive())?;
        let listed: Vec<Worker> = list_in(conn, &scope)?.into_iter().map(|w| as_read(w, reading)).collect();
        let ids: Vec<WorkerId> = listed.iter().map(|w| w.id.clone()).collect();
        access_log::record_in(conn, &actor, &ids, now)?;
        Ok(listed)
    })
    .await
}

/// The workers a reader of `scope` may see, filtered by the query.
pub fn list_in(conn: &mut DbConnection, scope: &Scope) -> Result<Vec<Worker>, AppError> {
    let rows = match scope {
        Scope::Agency(agency) => workers::list(conn, Some(agency))?,
        Scope::All => workers::list(conn, None)?,
        Scope::Worker(id) => workers::find(conn, id)?.into_iter().collect(),
        Scope::Employer(_) | Scope::Public => Vec::new(),
    };
    Ok(rows.into_iter().map(|w| view(w, scope)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pseudonymous_view_carries_no_personal_field() {
        let worker = Worker {
            id: "0193a0f0-0000-7000-8000-000000000001".into(),
            agency_id: "agency".into(),
            full_name: "Nguyễn Thị Hoa".into(),
            date_of_birth: "1990-05-01".parse().unwrap(),
            gender: "female".into(),
            id_document_number: Some("C1234567".into()),
            home_province_code: "VN-09".into(),
            phone: Some("+84 912 345 678".into()),
            email: Some("hoa@example.vn".into()),
            languages: vec!["vi".into(), "zh".into()],
            skills: vec!["cane_knife".into()],
            available_from: "2026-11-01".parse().unwrap(),
            available_until: "2027-04-30".parse().unwrap(),
            seasons_worked: 3,
            return_history: vec![],
            returned_on_time_count: 2,
            good_standing: false,
            has_account: true,
            activated: true,
            created_at: DateTime::from_timestamp(1_795_000_000, 0).unwrap(),
            updated_at: DateTime::from_timestamp(1_795_000_000, 0).unwrap(),
        };
        let shown = PseudonymousWorker::of(&worker, "2026-11-26".parse().unwrap());
        let json = serde_json::to_value(&shown).unwrap();
        let text = json.to_string();
        for personal in ["Nguyễn", "Hoa", "C1234567", "912", "hoa@example.vn", "1990", "05-01"] {
            assert!(!text.contains(personal), "{personal} leaks in {text}");
        }
        for field in ["full_name", "id_document_number", "phone", "email", "date_of_birth"] {
            assert!(json.get(field).is_none(), "{field} in {text}");
        }
        assert_eq!(json["initials"], "N.T.H.");
        assert_eq!(json["age_band"], "35-44");
        assert_eq!(json["returned_on_time_count"], 2);
        assert_eq!(json["seasons_worked"], 3);
    }
}
