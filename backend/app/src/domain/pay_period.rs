//! The pay periods the scheme expects. Pay comes at least twice a month, so every month of
//! work holds two periods, the 1st–15th and the 16th–last, clipped to the days worked. A
//! payslip may cover any days; a period is paid when every one of its days lies in some
//! payslip's period, and missing when it is not paid a grace period after it ended. Days are
//! China's (Asia/Shanghai). Pure: no clock, no storage.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A run of days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Period {
        Period { start, end }
    }

    pub fn days(self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// Whether the two share a day.
    pub fn overlaps(self, other: Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// How many days the two share, if any.
    pub fn shared_days(self, other: Period) -> Option<i64> {
        self.overlaps(other).then(|| Period::new(self.start.max(other.start), self.end.min(other.end)).days())
    }
}

/// The half-months holding the days from `first` to `last` (inclusive), each clipped to
/// them, in order; none when `last` is before `first`.
pub fn half_months(first: NaiveDate, last: NaiveDate) -> Vec<Period> {
    let mut periods = Vec::new();
    let mut start = first;
    while start <= last {
        let end = half_month_end(start).min(last);
        periods.push(Period::new(start, end));
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    periods
}

/// The last day of the half-month holding `day`: the 15th, or the month's last day.
fn half_month_end(day: NaiveDate) -> NaiveDate {
    if day.day() <= 15 {
        return day.with_day(15).unwrap_or(day);
    }
    let first_of_next = if day.month() == 12 {
        NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
    };
    first_of_next.and_then(|d| d.pred_opt()).unwrap_or(day)
}

/// Whether every day of `period` lies in one of `reported`.
pub fn covered(period: Period, reported: &[Period]) -> bool {
    let mut sorted: Vec<Period> = reported.iter().copied().filter(|r| r.overlaps(period)).collect();
    sorted.sort();
    // The first day not yet known to be paid.
    let mut day = period.start;
    for r in sorted {
        if r.start > day {
            return false;
        }
        if r.end >= period.end {
            return true;
        }
        day = day.max(r.end.succ_opt().unwrap_or(r.end));
    }
    false
}

/// Where an expected period stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    /// Every day is in a reported payslip.
    Reported,
    /// Not over yet.
    Running,
    /// Over, not yet reported, within the grace period.
    Due,
    /// Over for longer than the grace period and not reported: a finding.
    Missing,
}

impl PeriodState {
    /// `period` on `today`, with pay allowed `grace_days` after the period's end.
    pub fn of(period: Period, reported: &[Period], today: NaiveDate, grace_days: i64) -> PeriodState {
        if covered(period, reported) {
            PeriodState::Reported
        } else if today <= period.end {
            PeriodState::Running
        } else if (today - period.end).num_days() <= grace_days {
            PeriodState::Due
        } else {
            PeriodState::Missing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn p(start: &str, end: &str) -> Period {
        Period::new(d(start), d(end))
    }

    #[test]
    fn a_season_splits_into_half_months_clipped_to_the_days_worked() {
        assert_eq!(
            half_months(d("2026-12-10"), d("2027-02-20")),
            [
                p("2026-12-10", "2026-12-15"),
                p("2026-12-16", "2026-12-31"),
                p("2027-01-01", "2027-01-15"),
                p("2027-01-16", "2027-01-31"),
                p("2027-02-01", "2027-02-15"),
                p("2027-02-16", "2027-02-20"),
            ]
        );
        // February of a leap year ends on the 29th; a single day is a period.
        assert_eq!(
            half_months(d("2028-02-16"), d("2028-03-01")),
            [p("2028-02-16", "2028-02-29"), p("2028-03-01", "2028-03-01")]
        );
        assert!(half_months(d("2027-01-02"), d("2027-01-01")).is_empty());
    }

    #[test]
    fn a_period_is_paid_when_every_day_is_in_some_payslip() {
        let period = p("2026-12-01", "2026-12-15");
        assert!(covered(period, &[p("2026-12-01", "2026-12-15")]));
        // Fortnights that do not follow the half-months still cover it, in any order.
        assert!(covered(period, &[p("2026-12-08", "2026-12-21"), p("2026-11-24", "2026-12-07")]));
        assert!(!covered(period, &[p("2026-12-01", "2026-12-14")]), "the 15th is unpaid");
        assert!(!covered(period, &[p("2026-12-01", "2026-12-07"), p("2026-12-09", "2026-12-15")]), "a hole");
        assert!(!covered(period, &[]));
    }

    #[test]
    fn an_unpaid_period_is_due_through_the_grace_then_missing() {
        let period = p("2026-12-01", "2026-12-15");
        let state = |today: &str| PeriodState::of(period, &[], d(today), 7);
        assert_eq!(state("2026-12-15"), PeriodState::Running);
        assert_eq!(state("2026-12-16"), PeriodState::Due);
        assert_eq!(state("2026-12-22"), PeriodState::Due);
        assert_eq!(state("2026-12-23"), PeriodState::Missing);
        assert_eq!(PeriodState::of(period, &[period], d("2027-06-01"), 7), PeriodState::Reported);
    }

    #[test]
    fn periods_overlap_when_they_share_a_day() {
        assert!(p("2026-12-01", "2026-12-15").overlaps(p("2026-12-15", "2026-12-31")));
        assert!(!p("2026-12-01", "2026-12-15").overlaps(p("2026-12-16", "2026-12-31")));
        assert_eq!(p("2026-12-01", "2026-12-15").shared_days(p("2026-12-10", "2026-12-31")), Some(6));
        assert_eq!(p("2026-12-01", "2026-12-15").shared_days(p("2026-12-16", "2026-12-31")), None);
    }
}
