//! Which day an instant falls on, where it matters in China.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc};

/// China's offset from UTC: eight hours all year (Asia/Shanghai has kept no summer time
/// since 1991).
const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

/// The years a date the scheme counts (a season, an availability, a pay period) may fall in:
/// far inside chrono's range, so that adding a grace period or a permit's validity to any
/// accepted date cannot overflow, and a typing slip (year 0, 9999) is refused, not stored.
pub const SCHEME_YEARS: RangeInclusive<i32> = 2000..=2099;

/// Whether `day` falls in [`SCHEME_YEARS`].
pub fn within_scheme_years(day: NaiveDate) -> bool {
    SCHEME_YEARS.contains(&day.year())
}

/// The day in China (Asia/Shanghai) that `at` falls on: from 16:00 UTC it is the next day.
pub fn china_day(at: DateTime<Utc>) -> NaiveDate {
    FixedOffset::east_opt(CHINA_OFFSET_SECONDS)
        .map_or_else(|| at.date_naive(), |zone| at.with_timezone(&zone).date_naive())
}

/// `at` as a clock in China reads it: what a form's `datetime-local` field shows.
pub fn china_clock(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + Duration::seconds(CHINA_OFFSET_SECONDS.into())
}

/// The instant a clock in China reads as `local` (a form's `datetime-local` value).
pub fn from_china_clock(local: NaiveDateTime) -> DateTime<Utc> {
    (local - Duration::seconds(CHINA_OFFSET_SECONDS.into())).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_typed_in_china_is_eight_hours_ahead_of_utc() {
        let local = "2026-12-01T09:30:00".parse::<NaiveDateTime>().unwrap();
        assert_eq!(from_china_clock(local), at("2026-12-01T01:30:00Z"));
        assert_eq!(china_clock(at("2026-12-01T01:30:00Z")), local);
        let late = "2026-12-01T07:00:00".parse::<NaiveDateTime>().unwrap();
        assert_eq!(from_china_clock(late), at("2026-11-30T23:00:00Z"), "the day before, in UTC");
    }

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_chinese_day_runs_from_16_00_utc_to_16_00_utc() {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        assert_eq!(china_day(at("2026-11-29T15:59:59Z")), day("2026-11-29"));
        assert_eq!(china_day(at("2026-11-29T16:00:00Z")), day("2026-11-30"));
        assert_eq!(china_day(at("2026-11-30T00:00:00Z")), day("2026-11-30"));
        assert_eq!(china_day(at("2026-12-31T16:30:00Z")), day("2027-01-01"), "a new year in Beijing");
    }

    #[test]
    fn scheme_years_run_from_2000_to_2099_inclusive() {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        assert!(within_scheme_years(day("2000-01-01")) && within_scheme_years(day("2099-12-31")));
        assert!(!within_scheme_years(day("1999-12-31")) && !within_scheme_years(day("2100-01-01")));
        assert!(!within_scheme_years(day("0000-01-01")) && !within_scheme_years(day("9999-12-31")));
    }
}
