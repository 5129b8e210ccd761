//! Which day an instant falls on, where it matters in China.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// China's offset from UTC: eight hours all year (Asia/Shanghai has kept no summer time
/// since 1991).
const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

/// The day in China (Asia/Shanghai) that `at` falls on: from 16:00 UTC it is the next day.
pub fn china_day(at: DateTime<Utc>) -> NaiveDate {
    FixedOffset::east_opt(CHINA_OFFSET_SECONDS)
        .map_or_else(|| at.date_naive(), |zone| at.with_timezone(&zone).date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
