//! Partner systems (the counterpart ministry, border posts, insurers): regulators register
//! their endpoints; each receives the event types it subscribes to, signed, and may read the
//! same events from the pull feed with its key. Deliveries that kept failing for the retry
//! period are dead: listed here, and sent again on a regulator's word.

use std::net::{IpAddr, ToSocketAddrs};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::key_hash;
use crate::actor::Actor;
use crate::db::events::{self as store, DeliveryRow, EventRow, PartnerRow};
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::event::{EventType, MIN_SECRET_BYTES, is_public};
use crate::domain::page::{Page, PageRequest};
use crate::error::{AppError, ErrorCode};
use crate::services::accounts::invalid;
use crate::services::audit;
use crate::state::AppState;

/// A partner endpoint to register.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    pub name: String,
    /// Where deliveries are POSTed: http or https.
    #[schema(example = "https://dolab.molisa.gov.vn/seasonlink/events")]
    pub url: String,
    /// The event types it receives (`permit.issued`, …).
    pub event_types: Vec<String>,
    /// The key deliveries are signed with (HMAC-SHA256): at least 32 bytes.
    pub secret: String,
    /// The permit authority also receives the holder's identity with permit and border
    /// events. Default false.
    #[serde(default)]
    pub permit_authority: bool,
}

/// A registered partner endpoint. Its secret is never shown again.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub url: String,
    pub event_types: Vec<String>,
    pub permit_authority: bool,
    pub created_at: DateTime<Utc>,
}

/// A partner just registered, with the key it reads the pull feed with (shown once).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RegisteredPartner {
    #[serde(flatten)]
    pub partner: Partner,
    /// `Authorization: Bearer <key>` on `GET /api/v1/events`. Shown only now.
    pub key: String,
}

pub(super) fn types_of(row: &PartnerRow) -> Vec<String> {
    serde_json::from_str(&row.event_types).unwrap_or_default()
}

pub(super) fn subscribes(row: &PartnerRow, event_type: EventType) -> bool {
    types_of(row).iter().any(|t| t == event_type.as_str())
}

fn view(row: PartnerRow) -> Partner {
    Partner {
        event_types: types_of(&row),
        id: row.id,
        name: row.name,
        url: row.url,
        permit_authority: row.permit_authority,
        created_at: row.created_at.and_utc(),
    }
}

const NOT_PUBLIC: &str = "a loopback or private address: not allowed here";

/// Parses a delivery target without looking its name up: http(s), a host, no credentials,
/// and, unless private targets are allowed, not a private IP address written out (decimal,
/// IPv6 and mapped forms included: the URL parser normalises them). A name is checked when
/// it is resolved: at registration ([`check_target`]) and, at delivery, by the dispatcher's
/// resolver, which connects only to public addresses.
pub(super) fn parse_target(url: &str, allow_private: bool) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "not a URL".to_owned())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("only http and https URLs".into());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("no credentials in the URL: deliveries are signed instead".into());
    }
    let literal = match parsed.host() {
        None => return Err("the URL has no host".into()),
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
    };
    if !allow_private && literal.is_some_and(|ip| !is_public(ip)) {
        return Err(NOT_PUBLIC.into());
    }
    Ok(parsed)
}

/// [`parse_target`], and, unless private targets are allowed, every address the name
/// resolves to now must be public (registration).
fn check_target(url: &str, allow_private: bool) -> Result<reqwest::Url, String> {
    let parsed = parse_target(url, allow_private)?;
    if allow_private {
        return Ok(parsed);
    }
    if let Some(url::Host::Domain(name)) = parsed.host() {
        let port = parsed.port_or_known_default().unwrap_or(443);
        let addresses: Vec<_> =
            (name, port).to_socket_addrs().map_err(|_| "the host does not resolve".to_owned())?.collect();
        if addresses.is_empty() || addresses.iter().any(|a| !is_public(a.ip())) {
            return Err(NOT_PUBLIC.into());
        }
    }
    Ok(parsed)
}

impl PartnerInput {
    fn check(&self, allow_private: bool) -> Result<(), AppError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(invalid("name", "give the partner's name (at most 200 characters)"));
        }
        if self.url.len() > 2000 {
            return Err(invalid("url", "at most 2000 characters"));
        }
        if let Err(problem) = check_target(&self.url, allow_private) {
            return Err(AppError::new(ErrorCode::TargetNotAllowed)
                .with_detail(format!("url: {problem}"))
                .with("field", "url"));
        }
        if self.event_types.is_empty() {
            return Err(invalid("event_types", "subscribe to at least one event type"));
        }
        if let Some(unknown) = self.event_types.iter().find(|t| EventType::parse(t).is_none()) {
            return Err(invalid("event_types", "an unknown event type").with("value", unknown.as_str()));
        }
        if self.secret.len() < MIN_SECRET_BYTES {
            return Err(invalid("secret", "at least 32 bytes"));
        }
        if self.secret.len() > 512 {
            return Err(invalid("secret", "at most 512 bytes"));
        }
        Ok(())
    }
}

/// A regulator registers a partner endpoint (201), with the key for its pull feed.
pub async fn register_partner(
    state: &AppState,
    actor: &Actor,
    input: PartnerInput,
) -> Result<RegisteredPartner, AppError> {
    actor.require(Role::Regulator)?;
    let allow_private = state.settings.events.allow_private_targets;
    // Resolving the host blocks: off the async workers.
    let input = actix_web::web::block(move || input.check(allow_private).map(|()| input))
        .await
        .map_err(AppError::internal)??;
    let (actor, now) = (actor.clone(), state.clock.now());
    let key = format!("{}{}", crate::codes::PARTNER_KEY_PREFIX, crate::codes::random_code(40));
    let mut types = input.event_types.clone();
    types.sort();
    types.dedup();
    let row = PartnerRow {
        id: uuid::Uuid::now_v7().to_string(),
        name: input.name.trim().to_owned(),
        url: input.url.trim().to_owned(),
        event_types: serde_json::to_string(&types).map_err(AppError::internal)?,
        secret: input.secret,
        key_hash: key_hash(&key),
        permit_authority: input.permit_authority,
        created_by: actor.user_id.clone(),
        created_at: now.naive_utc(),
        removed_at: None,
    };
    let partner = db::transaction(&state.pool, move |conn| {
        store::insert_partner(conn, &row)?;
        let detail = json!({"name": row.name, "url": row.url, "event_types": types, "permit_authority": row.permit_authority});
        audit::record(conn, Some(&actor.user_id), "partner.registered", ("partner", &row.id), detail, now)?;
        Ok(view(row))
    })
    .await?;
    tracing::info!(partner_id = %partner.id, "partner registered");
    Ok(RegisteredPartner { partner, key })
}

/// Every partner endpoint (regulators).
pub async fn list_partners(state: &AppState, actor: &Actor) -> Result<Vec<Partner>, AppError> {
    actor.require(Role::Regulator)?;
    let rows = db::run(&state.pool, |conn| Ok(store::active_partners(conn)?)).await?;
    Ok(rows.into_iter().map(view).collect())
}

/// A regulator removes a partner: nothing more is sent to it and its key stops working.
pub async fn remove_partner(state: &AppState, actor: &Actor, id: &str) -> Result<(), AppError> {
    actor.require(Role::Regulator)?;
    let (actor, id, now) = (actor.clone(), id.to_owned(), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        if store::remove_partner(conn, &id, now.naive_utc())? == 0 {
            return Err(AppError::not_found());
        }
        audit::record(conn, Some(&actor.user_id), "partner.removed", ("partner", &id), json!({}), now)
    })
    .await
}

/// One delivery of an event to a partner.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    pub id: String,
    pub partner_id: String,
    pub event_id: String,
    pub event_type: String,
    /// pending, delivered or dead
    pub status: String,
    pub attempts: i32,
    /// The receiver's last HTTP status, if it answered.
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

fn delivery_view((row, event): (DeliveryRow, EventRow)) -> Delivery {
    Delivery {
        id: row.id,
        partner_id: row.partner_id,
        event_id: event.id,
        event_type: event.event_type,
        status: row.status,
        attempts: row.attempts,
        last_status: row.last_status,
        last_error: row.last_error,
        next_attempt_at: row.next_attempt_at.and_utc(),
        created_at: row.created_at.and_utc(),
        finished_at: row.finished_at.map(|at| at.and_utc()),
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// pending, delivered or dead (all when absent)
    pub status: Option<String>,
    /// Rows per page: 1 to 500 (default 100); else 422 `invalid_limit`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Where the page starts: the cursor in the previous page's `Link` (rel="next");
    /// absent, the first page. Anything else is 422 `invalid_cursor`.
    pub after: Option<String>,
}

/// The list name a delivery cursor carries.
const DELIVERIES: &str = "deliveries";

/// A page of a partner's deliveries, newest first (regulators): `status=dead` is the
/// dead-letter list.
pub async fn deliveries(
    state: &AppState,
    actor: &Actor,
    partner_id: &str,
    query: DeliveryQuery,
) -> Result<Page<Delivery>, AppError> {
    actor.require(Role::Regulator)?;
    let seek = PageRequest::parse(query.limit.as_deref(), query.after.as_deref())?.seek(DELIVERIES)?;
    if let Some(status) = &query.status
        && !["pending", "delivered", "dead"].contains(&status.as_str())
    {
        return Err(invalid("status", "pending, delivered or dead"));
    }
    let partner_id = partner_id.to_owned();
    let rows = db::run(&state.pool, move |conn| {
        store::find_partner(conn, &partner_id)?;
        let rows = store::deliveries_of(conn, &partner_id, query.status.as_deref(), &seek)?;
        Ok(seek.page(DELIVERIES, rows, |(d, _)| (d.event_seq, d.id.clone())))
    })
    .await?;
    Ok(rows.map(delivery_view))
}

/// A regulator sends a dead delivery again: it is due now, with a fresh retry period
/// (202). One that is not dead answers 409.
pub async fn redeliver(state: &AppState, actor: &Actor, id: &str) -> Result<Delivery, AppError> {
    actor.require(Role::Regulator)?;
    let (actor, id, now) = (actor.clone(), id.to_owned(), state.clock.now());
    db::transaction(&state.pool, move |conn| redeliver_in(conn, &actor, &id, now)).await
}

fn redeliver_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Delivery, AppError> {
    let (row, _) = store::find_delivery(conn, id)?;
    store::find_partner(conn, &row.partner_id)?;
    if store::redeliver(conn, id, now.naive_utc())? == 0 {
        return Err(AppError::new(ErrorCode::Conflict)
            .with_detail(format!("only a dead delivery is sent again; this one is {}", row.status))
            .with("status", row.status));
    }
    audit::record(conn, Some(&actor.user_id), "delivery.redelivered", ("delivery", id), json!({}), now)?;
    Ok(delivery_view(store::find_delivery(conn, id)?))
}
