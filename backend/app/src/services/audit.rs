//! The audit log: every state change by any role is appended with the hash of the entry
//! before it, so that editing, inserting or deleting a stored entry breaks the chain, and
//! [`verify`] names the first entry that no longer fits.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::db::audit::{self, EntryRow};
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::error::AppError;
use crate::ids::UserId;
use crate::services::accounts::invalid;
use crate::state::AppState;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as regulators read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Entry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The user who acted; absent for the system's own jobs (the overstay sweeper) and for an
    /// anonymous complaint.
    pub actor_user_id: Option<UserId>,
    #[schema(example = "placement.accepted")]
    pub action: String,
    #[schema(example = "placement")]
    pub subject_kind: String,
    pub subject_id: String,
    /// What changed, as JSON: ids, states and amounts, never personal data.
    pub detail: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Verification {
    pub ok: bool,
    pub entries: i64,
    /// The sequence number of the first entry that does not fit the chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_id: Option<i64>,
}

/// What is hashed: every stored field but the hash itself, in a fixed order.
fn hash_of(row: &EntryRow) -> String {
    let mut hasher = Sha256::new();
    for part in [
        row.seq.to_string().as_str(),
        &row.at.and_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        row.actor_user_id.as_ref().map_or("", UserId::as_str),
        &row.action,
        &row.subject_kind,
        &row.subject_id,
        &row.detail,
        &row.prev_hash,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    format!("{:x}", hasher.finalize())
}

/// Appends one entry; call inside the transaction of the change it records.
pub fn record(
    conn: &mut DbConnection,
    actor_user_id: Option<&UserId>,
    action: &str,
    subject: (&str, &str),
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (seq, prev_hash) = audit::lock_head(conn)?;
    // Stored instants keep microseconds on both backends: hash what is stored.
    let at = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now).naive_utc();
    let mut row = EntryRow {
        seq: seq + 1,
        at,
        actor_user_id: actor_user_id.cloned(),
        action: action.to_owned(),
        subject_kind: subject.0.to_owned(),
        subject_id: subject.1.to_owned(),
        detail: detail.to_string(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = hash_of(&row);
    audit::append(conn, &row)?;
    Ok(())
}

fn view(row: EntryRow) -> Entry {
    Entry {
        seq: row.seq,
        at: row.at.and_utc(),
        actor_user_id: row.actor_user_id,
        action: row.action,
        subject_kind: row.subject_kind,
        subject_id: row.subject_id,
        detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::String(row.detail)),
        prev_hash: row.prev_hash,
        hash: row.hash,
    }
}

/// Up to `limit` (1 to 1,000) entries after `after`, oldest first (regulators).
pub async fn list(state: &AppState, actor: &Actor, after: i64, limit: i64) -> Result<Vec<Entry>, AppError> {
    actor.require(Role::Regulator)?;
    if !(1..=1000).contains(&limit) {
        return Err(invalid("limit", "between 1 and 1000"));
    }
    db::run(&state.pool, move |conn| Ok(audit::page(conn, after, limit)?.into_iter().map(view).collect()))
        .await
}

/// The entries about one subject, oldest first.
pub fn of_subject(conn: &mut DbConnection, kind: &str, id: &str) -> Result<Vec<Entry>, AppError> {
    Ok(audit::of_subject(conn, kind, id)?.into_iter().map(view).collect())
}

/// A regulator checks the chain, as it stood when the check began: in one snapshot, so that
/// entries appended while it pages through are neither half-seen nor taken for tampering.
pub async fn verify(state: &AppState, actor: &Actor) -> Result<Verification, AppError> {
    actor.require(Role::Regulator)?;
    db::snapshot(&state.pool, verify_chain).await
}

/// Walks the chain from the first entry: each must follow the one before (its sequence
/// number and `prev_hash`) and hash to its stored `hash`; the last must be the head.
fn verify_chain(conn: &mut DbConnection) -> Result<Verification, AppError> {
    const PAGE: i64 = 5_000;
    let (head_seq, head_hash) = audit::head(conn)?;
    let (mut seq, mut hash) = (0i64, GENESIS.to_owned());
    loop {
        let rows = audit::page(conn, seq, PAGE)?;
        let done = (rows.len() as i64) < PAGE;
        for row in rows {
            if row.seq != seq + 1 || row.prev_hash != hash || hash_of(&row) != row.hash {
                return Ok(Verification { ok: false, entries: seq, first_bad_id: Some(seq + 1) });
            }
            (seq, hash) = (row.seq, row.hash);
        }
        if done {
            break;
        }
    }
    if seq != head_seq || hash != head_hash {
        // Entries after `seq` were deleted, or the head was moved.
        return Ok(Verification { ok: false, entries: seq, first_bad_id: Some(seq + 1) });
    }
    Ok(Verification { ok: true, entries: seq, first_bad_id: None })
}
