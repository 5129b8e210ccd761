//! The audit log: every state change by any role is appended with the keyed hash (an HMAC)
//! of the entry before it, so that editing, inserting or deleting a stored entry breaks the
//! chain, and [`verify`] names the first entry that no longer fits. The key (`audit.key`)
//! lives outside the database, so one who can write the tables cannot recompute the chain;
//! the head is exported, signed, to a folder outside the database ([`export_head`], a job of
//! every serving process), so that truncating the chain is found too.
//!
//! An entry is written in the transaction of its change without taking a lock ([`record`]),
//! so that changes commit side by side; the sealer ([`seal`]: every server, every
//! `audit.seal_interval_ms`, and every reader of the chain first) chains the committed
//! entries under the head's lock, a batch at a time. Until it is sealed, an entry is in the
//! log but not yet in the chain: what tampering the chain finds, it finds from the seal on.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::config::AuditSettings;
use crate::db::audit::{self, EntryRow, Fields, Head, Unsealed};
use crate::db::{self, DbConnection, DbPool};
use crate::domain::account::Role;
use crate::error::AppError;
use crate::ids::UserId;
use crate::services::accounts::invalid;
use crate::state::AppState;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The key used where none is configured (never in production, which refuses to start
/// without one): published here, so it protects nothing.
pub const DEVELOPMENT_KEY: &str = "seasonlink development audit key: published, protects nothing";

/// The chain's key: the one value of the process not passed along, as every append (deep in
/// the transactions of every service) needs it. Installed from the settings at start
/// ([`install_key`]); the development key until then.
static KEY: OnceLock<Box<[u8]>> = OnceLock::new();

/// Installs the chain's key from the settings, once per process: a second, different key is
/// an error (one process writes one chain).
pub fn install_key(settings: &AuditSettings) -> Result<(), anyhow::Error> {
    let wanted = settings.key.as_deref().unwrap_or(DEVELOPMENT_KEY).as_bytes();
    if settings.key.is_none() {
        tracing::warn!("no audit.key configured: the audit chain is keyed by the published development key");
    }
    let installed = KEY.get_or_init(|| wanted.into());
    anyhow::ensure!(**installed == *wanted, "one process keys one audit chain: a second audit.key was given");
    Ok(())
}

fn key() -> &'static [u8] {
    KEY.get().map_or(DEVELOPMENT_KEY.as_bytes(), |key| key)
}

/// The parts as they are hashed: each followed by 0x1f.
fn joined<S: AsRef<str>>(parts: impl IntoIterator<Item = S>) -> Vec<u8> {
    let mut bytes = Vec::new();
    for part in parts {
        bytes.extend_from_slice(part.as_ref().as_bytes());
        bytes.push(0x1f);
    }
    bytes
}

/// The HMAC-SHA256 of `bytes` under the chain's key, in hex.
fn keyed_hash(bytes: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key()).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(bytes);
    format!("{:x}", mac.finalize().into_bytes())
}

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
    /// The sequence number of the first entry that does not fit the chain (or, when the chain
    /// parts from the exported head, the entry at or before which it does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_id: Option<i64>,
    /// The last head exported outside the database, which the chain was checked against;
    /// absent when none was exported yet where this server keeps them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exported_head: Option<HeadCheck>,
}

/// How the chain compares with the last head exported.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeadCheck {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The export is authentic (its signature holds) and the chain still holds it: the same
    /// entry at `seq`, keyed from the same entry.
    pub matches: bool,
}

/// A head exported outside the database: the chain's last entry when it was written, signed
/// with the chain's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedHead {
    pub seq: i64,
    pub hash: String,
    pub keyed_from: i64,
    pub at: DateTime<Utc>,
    pub signature: String,
}

impl ExportedHead {
    fn signed(head: &Head, at: DateTime<Utc>) -> ExportedHead {
        let mut export = ExportedHead {
            seq: head.seq,
            hash: head.hash.clone(),
            keyed_from: head.keyed_from,
            at,
            signature: String::new(),
        };
        export.signature = export.expected_signature();
        export
    }

    fn expected_signature(&self) -> String {
        let at = self.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        keyed_hash(&joined([
            "seasonlink audit head",
            &self.seq.to_string(),
            &self.hash,
            &self.keyed_from.to_string(),
            &at,
        ]))
    }

    /// What a file that does not read as a head counts as: a head whose signature fails.
    fn unreadable() -> ExportedHead {
        ExportedHead {
            seq: -1,
            hash: String::new(),
            keyed_from: -1,
            at: DateTime::UNIX_EPOCH,
            signature: String::new(),
        }
    }

    fn authentic(&self) -> bool {
        self.signature == self.expected_signature()
    }
}

/// What is hashed: every stored field but the hash itself, in a fixed order; keyed (HMAC)
/// from the head's `keyed_from` on, plain SHA-256 before (entries older than the key).
fn hash_of(row: &EntryRow, keyed: bool) -> String {
    let bytes = joined(fields(row));
    if keyed { keyed_hash(&bytes) } else { format!("{:x}", Sha256::digest(&bytes)) }
}

fn fields(row: &EntryRow) -> [String; 8] {
    [
        row.seq.to_string(),
        row.at.and_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        row.actor_user_id.as_ref().map_or("", UserId::as_str).to_owned(),
        row.action.clone(),
        row.subject_kind.clone(),
        row.subject_id.clone(),
        row.detail.clone(),
        row.prev_hash.clone(),
    ]
}

/// Appends one entry; call inside the transaction of the change it records. The entry is
/// written unsealed and takes no lock; [`seal`] chains it once it has committed.
pub fn record(
    conn: &mut DbConnection,
    actor_user_id: Option<&UserId>,
    action: &str,
    subject: (&str, &str),
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Stored instants keep microseconds on both backends: hash what is stored.
    let at = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now).naive_utc();
    let entry = Fields {
        at,
        actor_user_id: actor_user_id.cloned(),
        action: action.to_owned(),
        subject_kind: subject.0.to_owned(),
        subject_id: subject.1.to_owned(),
        detail: detail.to_string(),
    };
    Ok(audit::insert(conn, &entry)?)
}

/// The most entries one seal chains: a seal holds the head's lock, so it stays short.
const SEAL_BATCH: i64 = 1_000;

/// Chains up to [`SEAL_BATCH`] committed, unsealed entries after the head, in the order they
/// were written, holding the head's lock; call inside a transaction. How many it sealed.
pub fn seal(conn: &mut DbConnection) -> Result<usize, AppError> {
    let Head { mut seq, mut hash, .. } = audit::lock_head(conn)?;
    let waiting = audit::unsealed(conn, SEAL_BATCH)?;
    for Unsealed { id, entry } in &waiting {
        let mut link = EntryRow {
            seq: seq + 1,
            at: entry.at,
            actor_user_id: entry.actor_user_id.clone(),
            action: entry.action.clone(),
            subject_kind: entry.subject_kind.clone(),
            subject_id: entry.subject_id.clone(),
            detail: entry.detail.clone(),
            prev_hash: hash,
            hash: String::new(),
        };
        // Always keyed: the head's `keyed_from` only says where older, unkeyed entries end.
        link.hash = hash_of(&link, true);
        audit::seal(conn, *id, &link)?;
        (seq, hash) = (link.seq, link.hash);
    }
    if !waiting.is_empty() {
        audit::move_head(conn, seq, &hash)?;
    }
    Ok(waiting.len())
}

/// Seals every entry committed so far, a batch per transaction; how many. The sealer job
/// calls it every `audit.seal_interval_ms`, and every reader of the chain before it reads,
/// so a reader sees every entry committed before it asked, chained. Asking whether any
/// waits takes no lock, so a reader finding none writes nothing.
pub async fn seal_committed(pool: &DbPool) -> Result<usize, AppError> {
    if !db::run(pool, |conn| Ok(audit::any_unsealed(conn)?)).await? {
        return Ok(0);
    }
    let mut sealed = 0;
    loop {
        let batch = db::transaction(pool, seal).await?;
        sealed += batch;
        // A batch not full sealed all there was: what commits meanwhile waits for the next.
        if batch < SEAL_BATCH as usize {
            return Ok(sealed);
        }
    }
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
    seal_committed(&state.pool).await?;
    db::run(&state.pool, move |conn| Ok(audit::page(conn, after, limit)?.into_iter().map(view).collect()))
        .await
}

/// A regulator checks the chain, as it stood when the check began, against the last head
/// this server exported.
pub async fn verify(state: &AppState, actor: &Actor) -> Result<Verification, AppError> {
    actor.require(Role::Regulator)?;
    check(&state.pool, state.settings.audit.head_dir.clone()).await
}

/// Checks the chain in one snapshot, so that entries appended while it pages through are
/// neither half-seen nor taken for tampering; then against the last head exported to
/// `head_dir` (the command line's `seasonlink audit verify`, and [`verify`]). The export is
/// read first, holding no connection: one written after the snapshot began could name
/// entries the snapshot does not see.
pub async fn check(pool: &DbPool, head_dir: PathBuf) -> Result<Verification, AppError> {
    let exported = actix_web::web::block(move || last_export(&head_dir)).await??;
    seal_committed(pool).await?;
    db::snapshot(pool, move |conn| verify_chain(conn, exported.as_ref())).await
}

/// Walks the chain from the first entry: each must follow the one before (its sequence
/// number and `prev_hash`) and hash to its stored `hash`; the last must be the head; and the
/// exported head, if any, must be authentic and still in the chain.
fn verify_chain(conn: &mut DbConnection, exported: Option<&ExportedHead>) -> Result<Verification, AppError> {
    const PAGE: i64 = 5_000;
    let head = audit::head(conn)?;
    let (mut seq, mut hash) = (0i64, GENESIS.to_owned());
    let mut at_export = None;
    let broken =
        |seq: i64| Verification { ok: false, entries: seq, first_bad_id: Some(seq + 1), exported_head: None };
    loop {
        let rows = audit::page(conn, seq, PAGE)?;
        let done = (rows.len() as i64) < PAGE;
        for row in rows {
            if row.seq != seq + 1
                || row.prev_hash != hash
                || hash_of(&row, row.seq >= head.keyed_from) != row.hash
            {
                return Ok(broken(seq));
            }
            (seq, hash) = (row.seq, row.hash);
            if exported.is_some_and(|e| e.seq == seq) {
                at_export = Some(hash.clone());
            }
        }
        if done {
            break;
        }
    }
    if seq != head.seq || hash != head.hash {
        // Entries after `seq` were deleted, or the head was moved.
        return Ok(broken(seq));
    }
    let Some(export) = exported else {
        return Ok(Verification { ok: true, entries: seq, first_bad_id: None, exported_head: None });
    };
    let authentic = export.authentic();
    let first_bad_id = if !authentic {
        None
    } else if export.keyed_from != head.keyed_from {
        // Keyed from elsewhere: the entries between the two were hashed anew without the key.
        Some(export.keyed_from.min(head.keyed_from))
    } else if export.seq > seq {
        // Entries the export saw are gone.
        Some(seq + 1)
    } else if export.seq > 0 && at_export.as_deref() != Some(export.hash.as_str()) {
        Some(export.seq)
    } else {
        None
    };
    let matches = authentic && first_bad_id.is_none();
    let check = HeadCheck { seq: export.seq, at: export.at, matches };
    Ok(Verification { ok: matches, entries: seq, first_bad_id, exported_head: Some(check) })
}

/// Exports the chain's head, signed, to `audit.head_dir` (a file per export, named by its
/// sequence number and instant); what was written.
pub async fn export_head(state: &AppState) -> Result<ExportedHead, AppError> {
    let now = state.clock.now();
    seal_committed(&state.pool).await?;
    let head = db::run(&state.pool, |conn| Ok(audit::head(conn)?)).await?;
    let export = ExportedHead::signed(&head, now);
    // Written holding no connection.
    let (dir, written) = (state.settings.audit.head_dir.clone(), export.clone());
    actix_web::web::block(move || write_export(&dir, &written)).await??;
    Ok(export)
}

fn write_export(dir: &Path, export: &ExportedHead) -> Result<(), AppError> {
    std::fs::create_dir_all(dir).map_err(AppError::internal)?;
    let name = format!("head-{:015}-{}.json", export.seq, export.at.format("%Y%m%dT%H%M%S%.6fZ"));
    let body = serde_json::to_vec_pretty(export).map_err(AppError::internal)?;
    // Written whole under another name, then renamed: a reader never sees half a head.
    let partial = dir.join(format!(".{name}.partial"));
    std::fs::write(&partial, body).map_err(AppError::internal)?;
    std::fs::rename(&partial, dir.join(name)).map_err(AppError::internal)
}

/// The last head exported to `dir` (the highest sequence number, then the latest), if any.
/// A file that does not read as a head is a head that does not match.
fn last_export(dir: &Path) -> Result<Option<ExportedHead>, AppError> {
    let names = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.starts_with("head-") && name.ends_with(".json"))
            .collect::<Vec<_>>(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(AppError::internal(err)),
    };
    let Some(last) = names.into_iter().max() else { return Ok(None) };
    let text = std::fs::read(dir.join(&last)).map_err(AppError::internal)?;
    Ok(Some(serde_json::from_slice(&text).unwrap_or_else(|_| ExportedHead::unreadable())))
}
