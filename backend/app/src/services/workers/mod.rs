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

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actor::{Actor, Scope};
use crate::db::workers::{self, FullWorker, WorkerRow};
use crate::db::{self, DbConnection, reference};
use crate::domain::account::Role;
use crate::domain::calendar::china_day;
use crate::domain::licence::Reading;
use crate::domain::page::{Page, PageRequest, Seek};
use crate::domain::worker::{self as rules, Context};
use crate::error::AppError;
use crate::ids::{AgencyId, EmployerId, PlacementId, WorkerId};
use crate::services::access_log;
use crate::services::agencies;
use crate::services::authorities::scope_in;
use crate::state::AppState;

mod identity;
mod registry;

pub use identity::{Corrected, IdentityCorrection, correct_identity};
pub use registry::{create, import, may_import, register_many, update};

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

/// A whole worker as a patch: every field given (what the agency's edit page sends). Fields
/// that did not change are not changes: an identity frozen by an accepted contract may be
/// sent as it is.
impl From<WorkerInput> for WorkerPatch {
    fn from(input: WorkerInput) -> WorkerPatch {
        WorkerPatch {
            full_name: Some(input.full_name),
            date_of_birth: Some(input.date_of_birth),
            gender: Some(input.gender),
            id_document_number: Some(input.id_document_number),
            home_province_code: Some(input.home_province_code),
            phone: input.phone,
            email: input.email,
            languages: Some(input.languages),
            skills: Some(input.skills),
            available_from: Some(input.available_from),
            available_until: Some(input.available_until),
            seasons_worked: input.seasons_worked,
        }
    }
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
    /// Seasons the agency declared the worker worked before the scheme recorded any: shown
    /// as "declared", apart from the recorded ones.
    pub seasons_worked: i32,
    /// Seasons the scheme recorded: a return per placement (`return_history`'s length).
    pub seasons_verified: i64,
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
    /// Declared by the agency.
    pub seasons_worked: i32,
    /// Recorded by the scheme.
    pub seasons_verified: i64,
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
            seasons_verified: worker.seasons_verified,
            returned_on_time_count: worker.returned_on_time_count,
        }
    }
}

/// Whether a reader of `scope` may see this worker: an agency its own, a regulator those its
/// authority oversees (a Chinese provincial one, the workers placed in its region; a
/// Vietnamese provincial one, those from its province), a worker itself; nobody else.
fn may_see(conn: &mut DbConnection, scope: &Scope, row: &WorkerRow) -> Result<bool, AppError> {
    Ok(match scope {
        Scope::Agency(agency) => &row.agency_id == agency,
        Scope::Authority(within) => workers::overseen(conn, &row.id, within)?,
        Scope::Worker(id) => &row.id == id,
        Scope::Employer(_) | Scope::Public => false,
    })
}

/// The worker's own agency and regulators read the identity-document number; the worker
/// does not need it shown.
fn sees_document(scope: &Scope) -> bool {
    matches!(scope, Scope::Agency(_) | Scope::Authority(_))
}

/// The scope of the workers' registry for a reader: a regulator, or an agency (its own).
/// Everyone else is answered as if there were no such worker.
fn registry_scope(conn: &mut DbConnection, actor: &Actor) -> Result<Scope, AppError> {
    match scope_in(conn, actor)? {
        scope @ (Scope::Authority(_) | Scope::Agency(_)) => Ok(scope),
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
        seasons_verified: return_history.len() as i64,
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

/// One worker of the registry, for a regulator or its own agency (anyone else: 404), read
/// as the agency's licence allows today; an agency's read goes to the worker's access log.
pub async fn find(state: &AppState, actor: &Actor, id: &WorkerId) -> Result<Worker, AppError> {
    let (reader, id, now) = (actor.clone(), id.clone(), state.clock.now());
    access_log::read_recorded(state, actor, now, move |conn| {
        let scope = registry_scope(conn, &reader)?;
        let reading = registry_reading(conn, &scope, china_day(now))?;
        let worker = as_read(find_visible(conn, &id, &scope)?, reading);
        let read = vec![worker.id.clone()];
        Ok((worker, read))
    })
    .await
}

/// The worker registered with a document number, as an authority officer finds it with the
/// document in its hand (regulators; none when its authority does not oversee the worker).
pub async fn find_by_document(
    state: &AppState,
    actor: &Actor,
    number: &str,
) -> Result<Option<Worker>, AppError> {
    actor.require(Role::Regulator)?;
    let (actor, number) = (actor.clone(), rules::normalise_document_number(number));
    db::run(&state.pool, move |conn| {
        let scope = scope_in(conn, &actor)?;
        let Some(found) = workers::find_by_document(conn, &number)? else { return Ok(None) };
        Ok(may_see(conn, &scope, &found.row)?.then(|| view(found, &scope)))
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
    let found = workers::find(conn, id)?.ok_or_else(AppError::not_found)?;
    if !may_see(conn, scope, &found.row)? {
        return Err(AppError::not_found());
    }
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

/// The list name a worker cursor carries.
const LIST: &str = "workers";

/// A page of the registry as the reader may see it, oldest registration first: a regulator
/// the workers its authority oversees, an agency its own as its licence allows today (anyone
/// else: 404). An agency's read goes to the access log of each worker on the page.
pub async fn list(state: &AppState, actor: &Actor, page: PageRequest) -> Result<Page<Worker>, AppError> {
    let seek = page.seek(LIST)?;
    let (reader, now) = (actor.clone(), state.clock.now());
    access_log::read_recorded(state, actor, now, move |conn| {
        let scope = registry_scope(conn, &reader)?;
        let reading = registry_reading(conn, &scope, china_day(now))?;
        let rows = read_in(conn, &scope, Some(&seek))?;
        let listed = seek.page(LIST, rows, |w| (w.created_at.naive_utc(), w.id.to_string()));
        let listed = listed.map(|w| as_read(w, reading));
        let read = listed.items.iter().map(|w| w.id.clone()).collect();
        Ok((listed, read))
    })
    .await
}

/// Every worker a reader of `scope` may see, unpaged: for the server's own work (the demo),
/// never for a client's list.
pub fn list_in(conn: &mut DbConnection, scope: &Scope) -> Result<Vec<Worker>, AppError> {
    read_in(conn, scope, None)
}

fn read_in(
    conn: &mut DbConnection,
    scope: &Scope,
    seek: Option<&Seek<NaiveDateTime>>,
) -> Result<Vec<Worker>, AppError> {
    let rows = match scope {
        Scope::Agency(agency) => workers::list(conn, Some(agency), seek)?,
        Scope::Authority(within) => workers::within(conn, within, seek)?,
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
            seasons_verified: 0,
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
