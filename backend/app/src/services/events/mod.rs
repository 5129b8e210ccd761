//! Events leave the system through a transactional outbox. A change that matters outside
//! calls [`record`] inside its own transaction: the event, one delivery per partner that
//! subscribes to its type, and one notice per person to tell are written with the change or
//! not at all. The dispatcher ([`Dispatcher`]) sends them afterwards, so a partner or a mail
//! server that is down delays a message but never fails the action.
//!
//! Partners read the same events from the pull feed ([`feed`]) or receive them signed by
//! webhook ([`partners`]); what each may read is decided here, once: only regulators and the
//! permit authority see the holder's identity.

mod dispatch;
pub(crate) mod notices;
mod partners;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::actor::Actor;
use crate::db::events::{self as store, DeliveryRow, EventRow};
use crate::db::placements::PlacementRow;
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::event::EventType;
use crate::error::{AppError, ErrorCode};
use crate::ids::{AgencyId, CaseId, EmployerId, PlacementId, VacancyId, WorkerId};
use crate::services::accounts::invalid;
use crate::state::AppState;

pub use dispatch::{Dispatcher, Round, prune};
pub use notices::{Notice, NoticeQuery, list_notices};
pub use partners::{
    Delivery, DeliveryQuery, Partner, PartnerInput, RegisteredPartner, deliveries, list_partners, redeliver,
    register_partner, remove_partner,
};

/// The ids an event is about.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Subject {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement_id: Option<PlacementId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vacancy_id: Option<VacancyId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_id: Option<WorkerId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_id: Option<AgencyId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer_id: Option<EmployerId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<CaseId>,
}

impl Subject {
    /// A placement and its parties.
    pub fn placement(row: &PlacementRow) -> Subject {
        Subject {
            placement_id: Some(row.id.clone()),
            vacancy_id: Some(row.vacancy_id.clone()),
            worker_id: Some(row.worker_id.clone()),
            agency_id: Some(row.agency_id.clone()),
            employer_id: Some(row.employer_id.clone()),
            case_id: None,
        }
    }

    /// What orders deliveries: a partner receives one subject's events in the order they
    /// happened. The most specific id names the subject.
    fn key(&self) -> String {
        fn named(kind: &str, id: Option<&impl std::fmt::Display>) -> Option<String> {
            id.map(|id| format!("{kind}:{id}"))
        }
        named("placement", self.placement_id.as_ref())
            .or_else(|| named("case", self.case_id.as_ref()))
            .or_else(|| named("vacancy", self.vacancy_id.as_ref()))
            .or_else(|| named("agency", self.agency_id.as_ref()))
            .or_else(|| named("employer", self.employer_id.as_ref()))
            .or_else(|| named("worker", self.worker_id.as_ref()))
            .unwrap_or_else(|| "none".to_owned())
    }
}

/// An event to record.
pub struct NewEvent {
    pub event_type: EventType,
    pub subject: Subject,
    /// What every subscriber may read: no personal data.
    pub data: Value,
    /// The holder's identity (name, birth date, document number), for regulators and the
    /// permit authority only.
    pub identity: Option<Value>,
    /// What only the notices to the people concerned say (a regulator's reason, say): an
    /// object merged into `data` for them; never stored with the event nor sent to partners.
    pub private: Value,
}

impl NewEvent {
    pub fn new(event_type: EventType, subject: Subject, data: Value) -> NewEvent {
        NewEvent { event_type, subject, data, identity: None, private: Value::Null }
    }
}

/// Records `event` in the caller's transaction, with its deliveries and notices. It takes no
/// lock: the event gets its number at once and its place in the feed once it has committed
/// ([`place_committed`]).
pub fn record(conn: &mut DbConnection, event: NewEvent, now: DateTime<Utc>) -> Result<(), AppError> {
    let seq = store::next_seq(conn)?;
    let at = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now).naive_utc();
    let row = EventRow {
        seq,
        id: uuid::Uuid::now_v7().to_string(),
        event_type: event.event_type.as_str().to_owned(),
        at,
        subject_key: event.subject.key(),
        subject: serde_json::to_string(&event.subject).map_err(AppError::internal)?,
        data: event.data.to_string(),
        identity: event.identity.map(|identity| identity.to_string()),
    };
    store::insert(conn, &row)?;
    let deliveries: Vec<DeliveryRow> = store::active_partners(conn)?
        .into_iter()
        .filter(|partner| partners::subscribes(partner, event.event_type))
        .map(|partner| DeliveryRow {
            id: uuid::Uuid::now_v7().to_string(),
            partner_id: partner.id,
            event_seq: seq,
            subject_key: row.subject_key.clone(),
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: at,
            retry_since: at,
            claim: None,
            claimed_until: None,
            last_status: None,
            last_error: None,
            created_at: at,
            finished_at: None,
        })
        .collect();
    store::insert_deliveries(conn, &deliveries)?;
    let mut told = event.data;
    if let (Some(map), Value::Object(private)) = (told.as_object_mut(), event.private) {
        map.extend(private);
    }
    let notices = notices::for_event(conn, event.event_type, &event.subject, &told, seq, at)?;
    store::insert_notices(conn, &notices)?;
    Ok(())
}

/// [`record`], once for `mark` and the event's subject, ever: a job that several servers run
/// (a reminder, a flag) tells each subject once. Returns whether it recorded.
pub fn record_once(
    conn: &mut DbConnection,
    mark: &str,
    event: NewEvent,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if !store::mark(conn, mark, &event.subject.key(), now.naive_utc())? {
        return Ok(false);
    }
    record(conn, event, now)?;
    Ok(true)
}

/// The most events one placing gives positions to: it holds the feed head's lock.
const PLACE_BATCH: i64 = 1_000;

/// Gives every event committed so far its position in the feed, in the order of their
/// numbers, a batch per transaction; how many. The sealer job calls it every
/// `audit.seal_interval_ms`, and the feed before every page, so a page holds every event
/// committed before it was asked for, and no event committed later is ever placed before one
/// a reader has seen. Asking whether any waits takes no lock.
pub async fn place_committed(pool: &db::DbPool) -> Result<usize, AppError> {
    if !db::run(pool, |conn| Ok(store::any_unplaced(conn)?)).await? {
        return Ok(0);
    }
    let mut placed = 0;
    loop {
        let batch = db::transaction(pool, |conn| Ok(store::place(conn, PLACE_BATCH)?)).await?;
        placed += batch;
        // A batch not full placed all there was: what commits meanwhile waits for the next.
        if batch < PLACE_BATCH as usize {
            return Ok(placed);
        }
    }
}

/// One event as partners read it, in the feed and in a delivery's body.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Event {
    /// Unique: receivers drop an event whose id they have seen.
    pub id: String,
    #[serde(rename = "type")]
    #[schema(example = "permit.issued")]
    pub event_type: String,
    pub at: DateTime<Utc>,
    /// The ids the event is about.
    #[schema(value_type = Object)]
    pub subject: Value,
    /// What happened. The permit authority's and regulators' copies of permit and border
    /// events also carry `holder`: the worker's name, birth date and document number.
    #[schema(value_type = Object)]
    pub data: Value,
}

impl Event {
    /// The event as a reader sees it, with the holder's identity only if `with_identity`.
    pub(crate) fn view(row: &EventRow, with_identity: bool) -> Event {
        let mut data: Value = serde_json::from_str(&row.data).unwrap_or(Value::Null);
        if with_identity && let (Some(identity), Some(map)) = (&row.identity, data.as_object_mut()) {
            map.insert("holder".into(), serde_json::from_str(identity).unwrap_or(Value::Null));
        }
        Event {
            id: row.id.clone(),
            event_type: row.event_type.clone(),
            at: row.at.and_utc(),
            subject: serde_json::from_str(&row.subject).unwrap_or(Value::Null),
            data,
        }
    }
}

/// Who reads the feed: a regulator, or a partner by its key.
pub enum Reader<'a> {
    User(&'a Actor),
    PartnerKey(&'a str),
}

/// A page of the feed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventPage {
    pub events: Vec<Event>,
    /// Pass it as `after` for the next page; it stays the same while nothing new happened.
    pub next_after: String,
}

/// The most a page of the feed holds, and what it holds when not told.
pub const FEED_MAX: i64 = 1000;
pub const FEED_DEFAULT: i64 = 100;

/// The events after the position `after` (from the first when absent), in the order they
/// were placed (seen committed):
/// every event for a regulator; a partner's subscribed types for a partner.
pub async fn feed(
    state: &AppState,
    reader: Reader<'_>,
    after: Option<String>,
    limit: Option<i64>,
) -> Result<EventPage, AppError> {
    let limit = limit.unwrap_or(FEED_DEFAULT);
    if !(1..=FEED_MAX).contains(&limit) {
        return Err(invalid("limit", "from 1 to 1000"));
    }
    let key_hash = match reader {
        Reader::User(actor) => {
            actor.require(Role::Regulator)?;
            None
        }
        Reader::PartnerKey(key) => Some(key_hash(key)),
    };
    place_committed(&state.pool).await?;
    db::run(&state.pool, move |conn| {
        let (types, with_identity) = match key_hash {
            None => (None, true),
            Some(hash) => {
                let partner = store::partner_by_key_hash(conn, &hash)?
                    .ok_or_else(|| AppError::new(ErrorCode::TokenInvalid))?;
                (Some(partners::types_of(&partner)), partner.permit_authority)
            }
        };
        // A position in the feed: the `next_after` of a page (which stays valid after old
        // events are pruned), or the id of an event still kept.
        let after = match after.as_deref() {
            None => 0,
            Some(cursor) => match cursor.parse::<i64>() {
                Ok(position) if position >= 0 => position,
                _ => store::position_of(conn, cursor)?.ok_or_else(|| {
                    invalid("after", "not a position: pass the next_after of the last page, or omit it")
                })?,
            },
        };
        let rows = store::page(conn, after, types.as_deref(), limit)?;
        let next_after = rows.last().map_or(after, |(position, _)| *position).to_string();
        let events = rows.iter().map(|(_, row)| Event::view(row, with_identity)).collect();
        Ok(EventPage { events, next_after })
    })
    .await
}

/// The stored form of a partner's feed key.
fn key_hash(key: &str) -> String {
    format!("{:x}", Sha256::digest(key.as_bytes()))
}
