//! Rate limits: fixed-window counters kept in the database, so every server counts the same
//! hits and a restart forgets none. A hit is counted in its own transaction, before the work
//! it guards: a refused try counts as much as an accepted one.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::db::{self, DbConnection, credentials as store};
use crate::error::{AppError, ErrorCode, RETRY_AFTER};
use crate::state::AppState;

/// At most `max` hits in each window of `window`, per subject.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// What is limited: names the counter, with the subject.
    pub name: &'static str,
    pub max: i32,
    pub window: Duration,
}

impl Limit {
    pub fn hourly(name: &'static str, max: i32) -> Limit {
        Limit { name, max, window: Duration::hours(1) }
    }

    pub fn daily(name: &'static str, max: i32) -> Limit {
        Limit { name, max, window: Duration::days(1) }
    }

    /// The counter's key: the subject (an address, a client, an agency) is hashed, so no
    /// personal data is kept in the counters.
    fn key(&self, subject: &str) -> String {
        let digest = Sha256::digest(subject.as_bytes());
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        format!("{}:{hex}", self.name)
    }

    /// The window `now` falls in: its start, and the seconds left of it.
    fn window_at(&self, now: DateTime<Utc>) -> (chrono::NaiveDateTime, i64) {
        let length = self.window.num_seconds().max(1);
        let start = now.timestamp().div_euclid(length) * length;
        let start_at = DateTime::from_timestamp(start, 0).unwrap_or(now).naive_utc();
        (start_at, start + length - now.timestamp())
    }

    fn refusal(&self, retry_after: i64) -> AppError {
        AppError::new(ErrorCode::RateLimited)
            .with_detail(format!("too many tries ({}); wait and try again", self.name))
            .with(RETRY_AFTER, retry_after.max(1))
    }
}

/// `limit` counted per client address, when the address is known.
pub fn per_client(limit: Limit, client: Option<std::net::IpAddr>) -> Vec<(Limit, String)> {
    client.map(|ip| (limit, ip.to_string())).into_iter().collect()
}

/// Counts a hit on every (limit, subject), committed at once; 429 `rate_limited` when one of
/// them is over its limit.
pub async fn hit(state: &AppState, hits: Vec<(Limit, String)>) -> Result<(), AppError> {
    let now = state.clock.now();
    db::transaction(&state.pool, move |conn| hit_in(conn, &hits, now)).await?
}

/// [`hit`] on the caller's connection; returns the refusal rather than failing, so that the
/// caller's transaction commits the count either way.
pub fn hit_in(
    conn: &mut DbConnection,
    hits: &[(Limit, String)],
    now: DateTime<Utc>,
) -> Result<Result<(), AppError>, AppError> {
    let mut refused = None;
    for (limit, subject) in hits {
        let (start, left) = limit.window_at(now);
        if store::hit(conn, &limit.key(subject), start)? > limit.max && refused.is_none() {
            refused = Some(limit.refusal(left));
        }
    }
    Ok(refused.map_or(Ok(()), Err))
}

/// Refuses (429) when `subject` has fewer than `needed` hits of `limit` left, without
/// counting any.
pub fn check(
    conn: &mut DbConnection,
    limit: Limit,
    subject: &str,
    needed: usize,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (start, left) = limit.window_at(now);
    let room = usize::try_from(limit.max - store::hits(conn, &limit.key(subject), start)?).unwrap_or(0);
    if room < needed {
        return Err(limit.refusal(left));
    }
    Ok(())
}

/// Forgets the counters of windows that started two days ago or more (the longest window is
/// a day): run by the pruning job. Returns how many it deleted.
pub async fn prune(state: &AppState) -> Result<usize, AppError> {
    const BATCH: i64 = 1000;
    let before = (state.clock.now() - Duration::days(2)).naive_utc();
    let mut pruned = 0;
    loop {
        let deleted =
            db::transaction(&state.pool, move |conn| Ok(store::prune_counters(conn, before, BATCH)?)).await?;
        pruned += deleted;
        if deleted < BATCH as usize {
            return Ok(pruned);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_fixed_and_keys_hide_their_subject() {
        let limit = Limit::hourly("activate", 3);
        let now = DateTime::parse_from_rfc3339("2026-11-30T10:59:30Z").unwrap().with_timezone(&Utc);
        let (start, left) = limit.window_at(now);
        assert_eq!(start.to_string(), "2026-11-30 10:00:00");
        assert_eq!(left, 30);
        let key = limit.key("+84912345678");
        assert!(key.starts_with("activate:") && !key.contains("912345678"), "{key}");
        assert_eq!(key, limit.key("+84912345678"));
        assert_ne!(key, limit.key("+84912345679"));
    }
}
