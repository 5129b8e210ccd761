//! Licensed agencies: a regulator creates one with its licence and first account, and
//! suspends, reinstates or revokes the licence, each change recorded with who and why.
//! An agency acts only while its licence is active on the day ([`require_active_licence`]);
//! what it still reads of its workers after that, its licence's status decides
//! ([`reading_in`], [`is_revoked`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::db::agencies::{self, AgencyRow, LicenceEventRow};
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::authority::Country;
use crate::domain::calendar::china_day;
use crate::domain::event::EventType;
use crate::domain::licence::{LicenceAction, LicenceState, LicenceStatus, Reading, status_on};
use crate::domain::page::{Page, PageRequest, Seek};
use crate::domain::rating::RatingSubject;
use crate::error::{AppError, ErrorCode};
use crate::ids::{AgencyId, UserId};
use crate::services::accounts::{self, NewAccount, invalid};
use crate::services::audit;
use crate::services::authorities::{require_side, require_side_of};
use crate::services::events::{self, NewEvent, Subject};
use crate::state::AppState;

/// A regulator licenses an agency and opens its first account (role agency).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyInput {
    #[schema(example = "Lạng Sơn Labour Cooperation JSC")]
    pub name: String,
    /// "CN" or "VN": the country that licensed the agency.
    #[schema(example = "VN")]
    pub country: String,
    /// Unique; upper-cased and trimmed.
    #[schema(example = "VN-LS-2026-0001")]
    pub licence_number: String,
    pub licence_valid_from: NaiveDate,
    pub licence_valid_until: NaiveDate,
    pub email: String,
    pub password: String,
}

/// A licence decision: why it is taken. Required for suspend and revoke.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceDecision {
    pub reason: Option<String>,
}

/// One change of a licence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LicenceEvent {
    /// created, suspended, reinstated or revoked.
    pub event: String,
    pub reason: Option<String>,
    /// The regulator's user id.
    pub by_user_id: Option<UserId>,
    pub at: DateTime<Utc>,
}

/// An agency with its licence, as regulators and the agency itself see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Agency {
    pub id: AgencyId,
    pub name: String,
    pub country: String,
    pub licence_number: String,
    pub licence_valid_from: NaiveDate,
    pub licence_valid_until: NaiveDate,
    /// The regulator's decision: active, suspended or revoked.
    pub licence_state: LicenceState,
    /// Where the licence stands today: active, suspended, revoked or expired (outside its
    /// dates, before `licence_valid_from` included).
    pub licence_status: LicenceStatus,
    pub created_at: DateTime<Utc>,
    /// Oldest first.
    pub licence_events: Vec<LicenceEvent>,
}

/// What anyone may learn about a licence by its number.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicLicence {
    pub agency_name: String,
    pub country: String,
    /// active, suspended, revoked or expired ("expired" also before `valid_from`).
    pub status: LicenceStatus,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// Fees workers reported paying to this agency (none is ever allowed): every report
    /// received, whatever a regulator made of it.
    pub fee_reports: i64,
    /// The reports among them that a regulator upheld on resolving their case.
    pub fee_reports_upheld: i64,
    /// What the workers it placed said of it after their return.
    pub rating: crate::services::ratings::RatingSummary,
}

fn state_of(row: &AgencyRow) -> Result<LicenceState, AppError> {
    LicenceState::parse(&row.licence_state)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored licence state {:?}", row.licence_state)))
}

/// The licence's status on `today`.
pub fn status(row: &AgencyRow, today: NaiveDate) -> Result<LicenceStatus, AppError> {
    Ok(status_on(state_of(row)?, row.licence_valid_from, row.licence_valid_until, today))
}

fn view(row: AgencyRow, events: Vec<LicenceEventRow>, today: NaiveDate) -> Result<Agency, AppError> {
    Ok(Agency {
        licence_state: state_of(&row)?,
        licence_status: status(&row, today)?,
        id: row.id,
        name: row.name,
        country: row.country,
        licence_number: row.licence_number,
        licence_valid_from: row.licence_valid_from,
        licence_valid_until: row.licence_valid_until,
        created_at: row.created_at.and_utc(),
        licence_events: events
            .into_iter()
            .map(|e| LicenceEvent {
                event: e.event,
                reason: e.reason,
                by_user_id: e.by_user_id,
                at: e.at.and_utc(),
            })
            .collect(),
    })
}

/// A licence number as stored and looked up: trimmed, upper case.
pub fn normalise_licence_number(raw: &str) -> String {
    raw.trim().to_uppercase()
}

fn record(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    event: &str,
    reason: Option<String>,
    by: &UserId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    agencies::insert_event(
        conn,
        &LicenceEventRow {
            id: uuid::Uuid::now_v7().to_string(),
            agency_id: agency_id.clone(),
            event: event.to_owned(),
            reason,
            by_user_id: Some(by.clone()),
            at: now.naive_utc(),
        },
    )?;
    Ok(())
}

/// A regulator licenses an agency: the agency, its licence's first event and its first
/// account (role agency).
pub async fn create(state: &AppState, actor: &Actor, input: AgencyInput) -> Result<Agency, AppError> {
    let (actor, now) = (actor.clone(), state.clock.now());
    let account = NewAccount::parse(&input.email, &input.password, Role::Agency, None).await?;
    let agency =
        db::transaction(&state.pool, move |conn| create_in(conn, &actor, input, account, now)).await?;
    tracing::info!(agency_id = %agency.id, "agency licensed");
    Ok(agency)
}

/// [`create`] inside the caller's transaction.
pub fn create_in(
    conn: &mut DbConnection,
    actor: &Actor,
    input: AgencyInput,
    account: NewAccount,
    now: DateTime<Utc>,
) -> Result<Agency, AppError> {
    actor.require(Role::Regulator)?;
    let by = &actor.user_id;
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid("name", "give the agency's name (at most 200 characters)"));
    }
    if !matches!(input.country.as_str(), "CN" | "VN") {
        return Err(invalid("country", "CN or VN"));
    }
    // Viet Nam's side licenses Vietnamese agencies; China's side, Chinese ones.
    require_side_of(conn, actor, &input.country, None)?;
    let licence_number = normalise_licence_number(&input.licence_number);
    if !(3..=64).contains(&licence_number.len())
        || !licence_number.chars().all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
    {
        return Err(invalid("licence_number", "3 to 64 letters, digits and - . _"));
    }
    if input.licence_valid_until < input.licence_valid_from {
        return Err(invalid("licence_valid_until", "the licence ends before it starts"));
    }
    let id = AgencyId::generate();
    let account = NewAccount { org_id: Some(id.clone().into()), ..account };
    if agencies::find_by_licence_number(conn, &licence_number)?.is_some() {
        return Err(
            AppError::new(ErrorCode::Conflict).with_detail("this licence number is already registered")
        );
    }
    let row = AgencyRow {
        id: id.clone(),
        name: name.to_owned(),
        country: input.country,
        licence_number,
        licence_valid_from: input.licence_valid_from,
        licence_valid_until: input.licence_valid_until,
        licence_state: LicenceState::Active.as_str().to_owned(),
        created_by: Some(by.clone()),
        created_at: now.naive_utc(),
        updated_at: now.naive_utc(),
    };
    agencies::insert(conn, &row)?;
    record(conn, &id, "created", None, by, now)?;
    let detail = serde_json::json!({"licence_number": row.licence_number, "country": row.country});
    audit::record(conn, Some(by), "licence.created", ("agency", id.as_str()), detail, now)?;
    accounts::create_user(conn, &account, now)?;
    view_of(conn, &id, china_day(now))
}

/// A regulator suspends, reinstates or revokes a licence. Revocation is final (409
/// afterwards).
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: &AgencyId,
    action: LicenceAction,
    decision: LicenceDecision,
) -> Result<Agency, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    let agency =
        db::transaction(&state.pool, move |conn| decide_in(conn, &actor, &id, action, decision, now)).await?;
    tracing::info!(agency_id = %agency.id, event = action.event(), "licence decision");
    Ok(agency)
}

/// [`decide`] inside the caller's transaction.
pub fn decide_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &AgencyId,
    action: LicenceAction,
    decision: LicenceDecision,
    now: DateTime<Utc>,
) -> Result<Agency, AppError> {
    actor.require(Role::Regulator)?;
    let by = &actor.user_id;
    let reason = decision.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 2000) {
        return Err(invalid("reason", "at most 2000 characters"));
    }
    if reason.is_none() && action != LicenceAction::Reinstate {
        return Err(invalid("reason", "say why the licence is suspended or revoked"));
    }
    let row = agencies::find(conn, id)?.ok_or_else(AppError::not_found)?;
    require_side_of(conn, actor, &row.country, None)?;
    let row = agencies::find_locked(conn, id)?.ok_or_else(AppError::not_found)?;
    let next =
        action.apply(state_of(&row)?).map_err(|why| AppError::new(ErrorCode::Conflict).with_detail(why))?;
    agencies::set_state(conn, id, next.as_str(), now.naive_utc())?;
    let detail = serde_json::json!({"to": next.as_str(), "reason": reason});
    audit::record(
        conn,
        Some(by),
        &format!("licence.{}", action.event()),
        ("agency", id.as_str()),
        detail,
        now,
    )?;
    let event_type = match action {
        LicenceAction::Suspend => EventType::LicenceSuspended,
        LicenceAction::Reinstate => EventType::LicenceReinstated,
        LicenceAction::Revoke => EventType::LicenceRevoked,
    };
    let subject = Subject { agency_id: Some(id.clone()), ..Subject::default() };
    let data = serde_json::json!({"licence_number": row.licence_number, "state": next.as_str()});
    // The regulator's reason is for the agency's notice, not for partners.
    let private = serde_json::json!({"reason": reason});
    events::record(conn, NewEvent { private, ..NewEvent::new(event_type, subject, data) }, now)?;
    record(conn, id, action.event(), reason, by, now)?;
    view_of(conn, id, china_day(now))
}

/// One agency with its licence history: for regulators, and for the agency itself (anyone
/// else: 404).
pub async fn find(state: &AppState, actor: &Actor, id: &AgencyId) -> Result<Agency, AppError> {
    // An agency has no region: every regulator reads every agency.
    let visible = actor.role == Role::Regulator || actor.agency_id().is_ok_and(|own| &own == id);
    if !visible {
        return Err(AppError::not_found());
    }
    let (id, today) = (id.clone(), state.clock.today());
    db::run(&state.pool, move |conn| view_of(conn, &id, today)).await
}

fn view_of(conn: &mut DbConnection, id: &AgencyId, today: NaiveDate) -> Result<Agency, AppError> {
    let row = agencies::find(conn, id)?.ok_or_else(AppError::not_found)?;
    let events =
        agencies::events_of(conn, std::slice::from_ref(&row.id))?.remove(&row.id).unwrap_or_default();
    view(row, events, today)
}

/// One agency as a regulator's page shows it: the agency, and whether the reader decides on
/// its licence (the side of its country does; the other reads it).
#[derive(Debug, Clone)]
pub struct AgencyPage {
    pub agency: Agency,
    pub decides: bool,
}

/// [`find`] with whether the reader decides on the agency's licence.
pub async fn page(state: &AppState, actor: &Actor, id: &AgencyId) -> Result<AgencyPage, AppError> {
    let agency = find(state, actor, id).await?;
    let (actor, country) = (actor.clone(), agency.country.clone());
    let decides = actor.role == Role::Regulator
        && db::run(&state.pool, move |conn| Ok(require_side_of(conn, &actor, &country, None).is_ok()))
            .await?;
    Ok(AgencyPage { agency, decides })
}

/// The agency desk as a regulator's page shows it: every agency, and the country whose
/// agencies the reader licenses (its side's; none for an account that acts for no authority).
#[derive(Debug, Clone)]
pub struct AgencyDesk {
    pub agencies: Page<Agency>,
    pub licenses: Option<Country>,
}

/// The list name an agency cursor carries.
const LIST: &str = "agencies";

/// [`list`] with the country whose agencies the reader licenses (regulators).
pub async fn desk(state: &AppState, actor: &Actor, page: PageRequest) -> Result<AgencyDesk, AppError> {
    actor.require(Role::Regulator)?;
    let seek = page.seek(LIST)?;
    let (actor, today) = (actor.clone(), state.clock.today());
    db::run(&state.pool, move |conn| {
        let mut licenses = None;
        for country in [Country::VN, Country::CN] {
            if require_side(conn, &actor, country, None).is_ok() {
                licenses = Some(country);
            }
        }
        Ok(AgencyDesk { agencies: page_in(conn, &seek, today)?, licenses })
    })
    .await
}

/// A page of the agencies, oldest first, each with its licence and the licence's history
/// (regulators).
pub async fn list(state: &AppState, actor: &Actor, page: PageRequest) -> Result<Page<Agency>, AppError> {
    actor.require(Role::Regulator)?;
    let seek = page.seek(LIST)?;
    let today = state.clock.today();
    db::run(&state.pool, move |conn| page_in(conn, &seek, today)).await
}

/// A page of the agencies, for a caller already allowed to see them all: two statements.
fn page_in(
    conn: &mut DbConnection,
    seek: &Seek<NaiveDateTime>,
    today: NaiveDate,
) -> Result<Page<Agency>, AppError> {
    let rows = agencies::page(conn, seek)?;
    let page = seek.page(LIST, rows, |r| (r.created_at, r.id.to_string()));
    let ids: Vec<AgencyId> = page.items.iter().map(|r| r.id.clone()).collect();
    let mut events = agencies::events_of(conn, &ids)?;
    page.try_map(|row| {
        let own = events.remove(&row.id).unwrap_or_default();
        view(row, own, today)
    })
}

/// The public check of a licence by its number; an unknown number is a plain 404.
pub async fn public_licence(state: &AppState, number: &str) -> Result<PublicLicence, AppError> {
    let (number, today) = (normalise_licence_number(number), state.clock.today());
    let fresh_for = std::time::Duration::from_millis(state.settings.server.public_answer_ms);
    let key = (today, number);
    if let Some(answer) = state.licences.recent(&key, fresh_for) {
        return answer.ok_or_else(AppError::not_found);
    }
    let asked = key.1.clone();
    let answer = db::run(&state.pool, move |conn| match public_licence_in(conn, &asked, today) {
        Err(err) if err.code == ErrorCode::NotFound => Ok(None),
        found => found.map(Some),
    })
    .await?;
    if !fresh_for.is_zero() {
        state.licences.keep(key, answer.clone());
    }
    answer.ok_or_else(AppError::not_found)
}

/// The public licence checks answered in the last `server.public_answer_ms` (an unknown
/// number's too), by China's day and number: a border post or a crawler asking again and again
/// is answered from memory, and a licence decision shows in the check within that time on
/// every server. Each server keeps its own, at most [`LicenceAnswers::MOST`] answers.
#[derive(Clone, Default)]
pub struct LicenceAnswers(Arc<Mutex<Answers>>);

/// Each answer (none for an unknown number) by day and number, with when it was read.
type Answers = HashMap<(NaiveDate, String), (Instant, Option<PublicLicence>)>;

impl LicenceAnswers {
    const MOST: usize = 10_000;

    fn recent(
        &self,
        key: &(NaiveDate, String),
        fresh_for: std::time::Duration,
    ) -> Option<Option<PublicLicence>> {
        let kept = self.kept();
        let (at, answer) = kept.get(key)?;
        (at.elapsed() < fresh_for).then(|| answer.clone())
    }

    fn keep(&self, key: (NaiveDate, String), answer: Option<PublicLicence>) {
        let mut kept = self.kept();
        if kept.len() >= Self::MOST {
            // Numbers asked once each (a scan of made-up numbers) fill it: start again.
            kept.clear();
        }
        kept.insert(key, (Instant::now(), answer));
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Answers> {
        // A panic while holding the map leaves it whole: every entry is replaced at once.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn public_licence_in(
    conn: &mut DbConnection,
    number: &str,
    today: NaiveDate,
) -> Result<PublicLicence, AppError> {
    let row = agencies::find_by_licence_number(conn, number)?.ok_or_else(AppError::not_found)?;
    let (fee_reports, fee_reports_upheld) = crate::db::compliance::fee_reports_against(conn, &row.id)?;
    let rating = crate::services::ratings::summary_in(conn, RatingSubject::Agency, row.id.as_str())?;
    Ok(PublicLicence {
        rating,
        fee_reports,
        fee_reports_upheld,
        status: status(&row, today)?,
        agency_name: row.name,
        country: row.country,
        valid_from: row.licence_valid_from,
        valid_until: row.licence_valid_until,
    })
}

/// The agency, if its licence is active on `today` (its row locked for the rest of the
/// transaction, so a suspension cannot slip in between the check and the write); else 403
/// `licence_inactive`. An account whose agency does not exist is refused as forbidden.
pub fn require_active_licence(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    today: NaiveDate,
) -> Result<AgencyRow, AppError> {
    let row = agencies::find_locked(conn, agency_id)?.ok_or_else(AppError::forbidden)?;
    let status = status(&row, today)?;
    if status != LicenceStatus::Active {
        return Err(licence_inactive(status));
    }
    Ok(row)
}

/// 403 `licence_inactive`, naming the licence's status.
pub fn licence_inactive(status: LicenceStatus) -> AppError {
    AppError::new(ErrorCode::LicenceInactive)
        .with_detail(format!("the agency's licence is {} today", status.as_str()))
        .with("licence_status", status.as_str())
}

/// What the agency may read of the workers it registered and placed on `today`
/// ([`LicenceStatus::reading`]), with its licence's status. An account whose agency does not
/// exist is refused as forbidden.
pub fn reading_in(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    today: NaiveDate,
) -> Result<(Reading, LicenceStatus), AppError> {
    let row = agencies::find(conn, agency_id)?.ok_or_else(AppError::forbidden)?;
    let status = status(&row, today)?;
    Ok((status.reading(), status))
}

/// Whether the agency's licence is revoked: a revocation is final and wins over the dates,
/// so no day is needed. An agency that does not exist has no licence to revoke (and no
/// records to read).
pub fn is_revoked(conn: &mut DbConnection, agency_id: &AgencyId) -> Result<bool, AppError> {
    let state = agencies::find(conn, agency_id)?.map(|row| state_of(&row)).transpose()?;
    Ok(state == Some(LicenceState::Revoked))
}
