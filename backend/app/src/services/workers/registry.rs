//! Writes to the registry by an agency: a worker registered, edited or imported, each audited,
//! with the limits that make probing document numbers costly, and the identity a placement
//! or a permit freezes.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::{Worker, WorkerInput, WorkerPatch, context, find_visible, may_see};
use crate::actor::{Actor, Scope};
use crate::db::placements;
use crate::db::workers::{self, FullWorker, NewWorker, WorkerRow};
use crate::db::{self, DbConnection};
use crate::domain::calendar::china_day;
use crate::domain::worker::{self as rules, Draft, FieldError, ValidWorker};
use crate::error::{AppError, ErrorCode};
use crate::ids::{AgencyId, WorkerId};
use crate::services::accounts::invalid;
use crate::services::agencies::require_active_licence;
use crate::services::audit;
use crate::services::limits::{self, Limit};
use crate::services::worker_import::{self, RowError};
use crate::state::AppState;

/// The first refused field as the 422 answer, with every refused field listed.
pub(super) fn field_errors(errors: Vec<FieldError>) -> AppError {
    let Some(first) = errors.first() else {
        return AppError::new(ErrorCode::ValidationFailed);
    };
    invalid(first.field, first.message)
        .with("reason", first.code)
        .with("errors", serde_json::to_value(&errors).unwrap_or_default())
}

pub(super) fn already_registered() -> AppError {
    // Names no agency: who holds a registration is not the asker's business.
    AppError::new(ErrorCode::WorkerAlreadyRegistered)
        .with_detail("a worker with this identity document is already registered")
}

pub(super) fn to_row(
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
pub(super) fn unique_means_registered(err: diesel::result::Error) -> AppError {
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

/// Refuses to say "already registered" `times` to an agency without that many answers left
/// of its allowance today.
fn may_reveal(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    conflicts: Limit,
    times: usize,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    limits::check(conn, conflicts, agency_id.as_str(), times, now)
}

fn create_in(
    conn: &mut DbConnection,
    actor: &Actor,
    input: WorkerInput,
    conflicts: Limit,
    now: DateTime<Utc>,
) -> Result<Worker, AppError> {
    let agency_id = actor.agency_id()?;
    let today = china_day(now);
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
        may_reveal(conn, &agency_id, conflicts, 1, now)?;
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
pub(super) fn changed_fields(current: &FullWorker, valid: &ValidWorker) -> Vec<&'static str> {
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
    let today = china_day(now);
    require_active_licence(conn, &agency_id, today)?;
    let viewer = Scope::Agency(agency_id.clone());
    let current = workers::find(conn, id)?.ok_or_else(AppError::not_found)?;
    if !may_see(conn, &viewer, &current.row)? {
        return Err(AppError::not_found());
    }
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
        may_reveal(conn, &agency_id, conflicts, 1, now)?;
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
    let (actor, conflicts, today) = (actor.clone(), conflict_limit(state), china_day(now));
    // The file is read on a thread that may block, holding no connection; only its rows are
    // written in the transaction.
    let ctx = db::run(&state.pool, move |conn| context(conn, today)).await?;
    let parsed = actix_web::web::block(move || worker_import::read(&csv, &ctx)).await?;
    let imported = db::transaction(&state.pool, move |conn| {
        require_active_licence(conn, &actor.agency_id()?, today)?;
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
    let today = china_day(now);
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
            may_reveal(conn, &agency_id, conflicts, taken.len(), now)?;
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
