//! Employers register themselves and are verified by a regulator.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actor::{Actor, Jurisdiction, Scope};
use crate::db::employers::EmployerRow;
use crate::db::{self, DbConnection, employers, reference};
use crate::domain::account::{EmployerStatus, Role};
use crate::domain::authority::Country;
use crate::domain::event::EventType;
use crate::domain::page::{Page, PageRequest};
use crate::error::{AppError, ErrorCode};
use crate::ids::EmployerId;
use crate::services::accounts::{self, NewAccount, invalid};
use crate::services::audit;
use crate::services::authorities::{require_side, scope_in};
use crate::services::events::{self, NewEvent, Subject};
use crate::services::limits::{self, Limit};
use crate::services::reference::is_receiving;
use crate::state::AppState;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    #[schema(example = "Ningming Sugar Co.")]
    pub name: String,
    /// The unified social credit code (统一社会信用代码) or another registration number.
    pub registration_no: String,
    #[schema(example = "451422")]
    pub region_code: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Employer {
    pub id: EmployerId,
    pub name: String,
    pub registration_no: String,
    pub region_code: String,
    pub status: EmployerStatus,
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<employers::EmployerRow> for Employer {
    type Error = AppError;
    fn try_from(row: employers::EmployerRow) -> Result<Self, AppError> {
        let status = EmployerStatus::parse(&row.status)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored employer status {:?}", row.status)))?;
        Ok(Employer {
            id: row.id,
            name: row.name,
            registration_no: row.registration_no,
            region_code: row.region_code,
            status,
            verified_at: row.verified_at.map(|t| t.and_utc()),
            created_at: row.created_at.and_utc(),
        })
    }
}

/// An employer registers itself (pending) with its first account; anyone may, at most
/// `limits.employer_signups_per_client_hourly` times an hour from one client address.
pub async fn register(
    state: &AppState,
    client: Option<IpAddr>,
    input: Registration,
) -> Result<Employer, AppError> {
    let now = state.clock.now();
    let limit =
        Limit::hourly("employer-signups-client", state.settings.limits.employer_signups_per_client_hourly);
    // Every try counts, a refused one too: in its own transaction, before the work.
    limits::hit(state, limits::per_client(limit, client)).await?;
    let account = NewAccount::parse(&input.email, &input.password, Role::Employer, None).await?;
    let employer = db::transaction(&state.pool, move |conn| register_in(conn, input, account, now)).await?;
    tracing::info!(employer_id = %employer.id, "employer registered");
    Ok(employer)
}

/// [`register`] inside the caller's transaction.
pub fn register_in(
    conn: &mut DbConnection,
    input: Registration,
    account: NewAccount,
    now: DateTime<Utc>,
) -> Result<Employer, AppError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid("name", "give the employer's name (at most 200 characters)"));
    }
    let registration_no = input.registration_no.trim();
    if registration_no.is_empty() || registration_no.len() > 64 {
        return Err(invalid("registration_no", "give the registration number (at most 64 characters)"));
    }
    let region = reference::region_chain(conn, &input.region_code)?;
    if region.first().is_none_or(|r| !is_receiving(&r.country, &r.level)) {
        return Err(invalid("region_code", "a Chinese prefecture or county"));
    }
    let id = EmployerId::generate();
    let account = NewAccount { org_id: Some(id.clone().into()), ..account };
    if employers::registration_taken(conn, registration_no)? {
        return Err(
            AppError::new(ErrorCode::Conflict).with_detail("this registration number is already registered")
        );
    }
    let row = employers::EmployerRow {
        id,
        name: name.to_owned(),
        registration_no: registration_no.to_owned(),
        region_code: input.region_code,
        status: EmployerStatus::Pending.as_str().to_owned(),
        verified_at: None,
        verified_by: None,
        created_at: now.naive_utc(),
    };
    employers::insert(conn, &row)?;
    let user = accounts::create_user(conn, &account, now)?;
    let detail = serde_json::json!({"region_code": row.region_code});
    audit::record(conn, Some(&user.id), "employer.registered", ("employer", row.id.as_str()), detail, now)?;
    row.try_into()
}

/// A regulator verifies an employer, which may then open vacancies. Verifying a verified
/// employer changes nothing.
pub async fn verify(state: &AppState, actor: &Actor, id: &EmployerId) -> Result<Employer, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    let employer = db::transaction(&state.pool, move |conn| verify_in(conn, &actor, &id, now)).await?;
    tracing::info!(employer_id = %employer.id, "employer verified");
    Ok(employer)
}

/// [`verify`] inside the caller's transaction.
pub fn verify_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &EmployerId,
    now: DateTime<Utc>,
) -> Result<Employer, AppError> {
    actor.require(Role::Regulator)?;
    let employer = employers::find(conn, id)?;
    require_side(conn, actor, Country::CN, Some(&employer.region_code))?;
    let by = &actor.user_id;
    if employer.status == EmployerStatus::Suspended.as_str() {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("the employer is suspended: reinstate it"));
    }
    if employer.status != EmployerStatus::Verified.as_str() {
        employers::verify(conn, id, by, now.naive_utc())?;
        audit::record(
            conn,
            Some(by),
            "employer.verified",
            ("employer", id.as_str()),
            serde_json::json!({}),
            now,
        )?;
        let subject = Subject { employer_id: Some(id.clone()), ..Subject::default() };
        let data = serde_json::json!({"name": employer.name, "region_code": employer.region_code});
        events::record(conn, NewEvent::new(EventType::EmployerVerified, subject, data), now)?;
    }
    employers::find(conn, id)?.try_into()
}

/// Why a regulator suspends (or reinstates) an employer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// Required to suspend; at most 2,000 characters.
    pub reason: Option<String>,
}

/// What a regulator decides about a verified employer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmployerDecision {
    /// It opens no vacancy and receives no offer until reinstated; its placements go on.
    Suspend,
    Reinstate,
}

impl EmployerDecision {
    /// The status it moves from and to, and its event (whose name is also its audit action).
    fn change(self) -> (EmployerStatus, EmployerStatus, EventType) {
        match self {
            EmployerDecision::Suspend => {
                (EmployerStatus::Verified, EmployerStatus::Suspended, EventType::EmployerSuspended)
            }
            EmployerDecision::Reinstate => {
                (EmployerStatus::Suspended, EmployerStatus::Verified, EventType::EmployerReinstated)
            }
        }
    }
}

/// A regulator of China's side overseeing the employer's region suspends a verified employer
/// (a reason is required) or reinstates a suspended one; 409 when it is in neither state.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: &EmployerId,
    decision: EmployerDecision,
    input: DecisionInput,
) -> Result<Employer, AppError> {
    let (actor, id, now, reason) = (actor.clone(), id.clone(), state.clock.now(), input.reason);
    let employer = db::transaction(&state.pool, move |conn| {
        actor.require(Role::Regulator)?;
        let employer = employers::find(conn, &id)?;
        require_side(conn, &actor, Country::CN, Some(&employer.region_code))?;
        let reason = reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
        if reason.as_ref().is_some_and(|r| r.chars().count() > 2000) {
            return Err(invalid("reason", "at most 2000 characters"));
        }
        if reason.is_none() && decision == EmployerDecision::Suspend {
            return Err(invalid("reason", "say why the employer is suspended"));
        }
        let (from, to, event) = decision.change();
        if employers::set_status(conn, &id, from.as_str(), to.as_str())? == 0 {
            return Err(AppError::new(ErrorCode::Conflict).with_detail(format!(
                "the employer is {}, not {}",
                employer.status,
                from.as_str()
            )));
        }
        let detail = serde_json::json!({"reason": reason});
        audit::record(
            conn,
            Some(&actor.user_id),
            event.as_str(),
            ("employer", id.as_str()),
            detail.clone(),
            now,
        )?;
        // Partners and the employer itself (told why, in its language) learn it at once.
        let subject = Subject { employer_id: Some(id.clone()), ..Subject::default() };
        let data =
            serde_json::json!({"name": employer.name, "region_code": employer.region_code, "reason": reason});
        events::record(conn, NewEvent::new(event, subject, data), now)?;
        Employer::try_from(employers::find(conn, &id)?)
    })
    .await?;
    tracing::info!(employer_id = %employer.id, status = employer.status.as_str(), "employer decision");
    Ok(employer)
}

/// The list names employer cursors carry: the API's list, and the desk's.
const LIST: &str = "employers";
const DESK: &str = "employer_desk";

/// The worksite regions a regulator's employers lie in: `None` for every region (a national
/// authority), and an empty list for an authority of Viet Nam's provinces (an employer has
/// no home province). Anyone else is refused.
fn overseen_regions(conn: &mut DbConnection, actor: &Actor) -> Result<Option<Vec<String>>, AppError> {
    match scope_in(conn, actor)? {
        Scope::Authority(Jurisdiction::National) => Ok(None),
        Scope::Authority(Jurisdiction::Worksites(regions)) => Ok(Some(regions)),
        Scope::Authority(Jurisdiction::HomeProvinces(_)) => Ok(Some(Vec::new())),
        _ => Err(AppError::forbidden()),
    }
}

/// A page of the employers the reader's authority oversees, oldest first, or those with
/// `status` (regulators).
pub async fn list(
    state: &AppState,
    actor: &Actor,
    status: Option<String>,
    page: PageRequest,
) -> Result<Page<Employer>, AppError> {
    actor.require(Role::Regulator)?;
    let seek = page.seek(LIST)?;
    let actor = actor.clone();
    let rows = db::run(&state.pool, move |conn| {
        let regions = overseen_regions(conn, &actor)?;
        let rows = employers::page(conn, status.as_deref(), regions.as_deref(), &seek)?;
        Ok(seek.page(LIST, rows, |e| (e.created_at, e.id.to_string())))
    })
    .await?;
    rows.try_map(Employer::try_from)
}

/// A page of the regulator's desk: the employers its authority oversees, those waiting for
/// verification first, each group oldest first.
pub async fn desk(state: &AppState, actor: &Actor, page: PageRequest) -> Result<Page<Employer>, AppError> {
    actor.require(Role::Regulator)?;
    let seek = page.seek(DESK)?;
    let actor = actor.clone();
    let rows = db::run(&state.pool, move |conn| {
        let regions = overseen_regions(conn, &actor)?;
        let rows = employers::page_pending_first(conn, regions.as_deref(), &seek)?;
        Ok(seek.page(DESK, rows, |e| ((e.status.clone(), e.created_at), e.id.to_string())))
    })
    .await?;
    rows.try_map(Employer::try_from)
}

/// Whether a reader of `scope` may see the employer: a regulator if its authority oversees
/// the employer's region, the employer itself; nobody else.
fn visible(scope: &Scope, row: &EmployerRow) -> bool {
    match scope {
        Scope::Authority(within) => within.covers(Some(row.region_code.as_str()), None),
        Scope::Employer(own) => own == &row.id,
        _ => false,
    }
}

/// One employer: for regulators whose authority oversees its region, and for the employer
/// itself (anyone else: 404).
pub async fn find(state: &AppState, actor: &Actor, id: &EmployerId) -> Result<Employer, AppError> {
    let (actor, id) = (actor.clone(), id.clone());
    let row = db::run(&state.pool, move |conn| {
        let scope = scope_in(conn, &actor)?;
        let row = employers::find(conn, &id)?;
        if visible(&scope, &row) { Ok(row) } else { Err(AppError::not_found()) }
    })
    .await?;
    row.try_into()
}
