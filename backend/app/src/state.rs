//! What every handler gets: the pool, the settings, the signing key, the clock, the
//! metrics, the profiles ranking keeps and the public licence checks answered a moment ago.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::auth::token::TokenKeys;
use crate::config::Settings;
use crate::db::DbPool;
use crate::services::agencies::LicenceAnswers;
use crate::services::matching::ProfileCache;
use crate::telemetry::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub keys: TokenKeys,
    pub clock: Clock,
    pub metrics: Metrics,
    /// The agencies' workers as ranking reads them, kept between requests.
    pub profiles: ProfileCache,
    /// The public licence checks answered a moment ago.
    pub licences: LicenceAnswers,
}

/// The server's idea of now. [`Clock::system`] follows the wall clock; [`Clock::at`] starts at
/// a fixed instant and runs on in real time from there, so a test sees the same dates on any
/// day. Either can be moved forward with [`Clock::advance`], and every copy moves with it.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// The instant this clock started at, and when (by the monotonic clock) it did; `None`
    /// for the wall clock.
    origin: Option<(DateTime<Utc>, Instant)>,
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// The wall clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `start` now and runs forward from there.
    pub fn at(start: DateTime<Utc>) -> Clock {
        Clock { origin: Some((start, Instant::now())), offset_seconds: Arc::default() }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let base = match self.origin {
            None => Utc::now(),
            Some((start, started)) => {
                start + Duration::from_std(started.elapsed()).unwrap_or_else(|_| Duration::zero())
            }
        };
        base + Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Today in China (Asia/Shanghai): the day the scheme counts.
    pub fn today(&self) -> NaiveDate {
        crate::domain::calendar::china_day(self.now())
    }

    /// Moves this clock (and every copy of it) forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.offset_seconds.fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_at_an_instant_starts_there_and_moves_with_its_copies() {
        let start = DateTime::parse_from_rfc3339("2030-02-03T04:05:06Z").unwrap().with_timezone(&Utc);
        let clock = Clock::at(start);
        let copy = clock.clone();
        let read = clock.now();
        assert!(read >= start && read < start + Duration::seconds(5), "{read}");
        clock.advance(Duration::days(2));
        assert_eq!(copy.now().date_naive().to_string(), "2030-02-05");
    }
}
