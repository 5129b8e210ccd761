//! The checks on a payslip: the arithmetic that must add up before it is stored, and the
//! findings that a stored payslip may raise. Pure integer fen and minutes: exactly at the
//! floor passes, one fen below fails.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::contract::Terms;
use crate::domain::pay::PayBasis;

/// A payslip line taken from gross pay.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayslipDeduction {
    pub kind: String,
    pub fen: i64,
}

/// What an employer reports it paid for one period.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Payslip {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub minutes_worked: i64,
    pub gross_fen: i64,
    #[serde(default)]
    pub deductions: Vec<PayslipDeduction>,
    pub net_fen: i64,
    pub paid_on: NaiveDate,
}

/// The longest pay period: pay at least twice a month.
pub const MAX_PERIOD_DAYS: i64 = 16;

/// Why a payslip cannot be stored: it does not add up (422, nothing written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inconsistency {
    /// net ≠ gross − deductions.
    NetMismatch {
        expected_net_fen: i64,
    },
    PeriodEndsBeforeStart,
    /// Paid before the period began.
    PaidBeforePeriod,
    Negative(&'static str),
    /// Outside the placement's season.
    OutsideSeason,
}

/// One failed check: a code and the amounts that show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    /// below_floor, below_floor_after_deductions, deductions_over_cap,
    /// deduction_not_in_contract, deduction_above_contract, piece_rate_not_topped_up,
    /// paid_less_than_twice_a_month.
    pub code: String,
    /// What the rule required, in fen (or days for the pay period).
    pub required: i64,
    /// What the payslip shows.
    pub actual: i64,
    /// How much the worker is owed because of it, in fen (0 where no amount follows).
    pub owed_fen: i64,
}

fn finding(code: &str, required: i64, actual: i64, owed_fen: i64) -> Finding {
    Finding { code: code.to_owned(), required, actual, owed_fen }
}

/// `per_hour` × minutes ÷ 60, rounded up: what the minutes must pay at least.
fn due_for(per_hour_fen: i64, minutes: i64) -> i64 {
    (per_hour_fen * minutes + 59) / 60
}

impl Payslip {
    pub fn deductions_fen(&self) -> i64 {
        self.deductions.iter().map(|d| d.fen).sum()
    }

    pub fn period_days(&self) -> i64 {
        (self.period_end - self.period_start).num_days() + 1
    }

    /// Whether the payslip can be stored at all.
    pub fn consistency(&self, season: (NaiveDate, NaiveDate)) -> Result<(), Inconsistency> {
        for (field, value) in [("minutes_worked", self.minutes_worked), ("gross_fen", self.gross_fen)] {
            if value < 0 {
                return Err(Inconsistency::Negative(field));
            }
        }
        if self.deductions.iter().any(|d| d.fen < 0) {
            return Err(Inconsistency::Negative("deductions"));
        }
        if self.period_end < self.period_start {
            return Err(Inconsistency::PeriodEndsBeforeStart);
        }
        if self.paid_on < self.period_start {
            return Err(Inconsistency::PaidBeforePeriod);
        }
        if self.period_start < season.0 || self.period_end > season.1 {
            return Err(Inconsistency::OutsideSeason);
        }
        let expected_net_fen = self.gross_fen - self.deductions_fen();
        if self.net_fen != expected_net_fen {
            return Err(Inconsistency::NetMismatch { expected_net_fen });
        }
        Ok(())
    }

    /// Every check a stored payslip must pass, against the contract's terms, the floor in
    /// force over its period and the deduction cap. Empty when compliant.
    pub fn findings(&self, terms: &Terms, floor_hourly_fen: i64, cap_percent: i64) -> Vec<Finding> {
        let mut found = Vec::new();
        let minutes = self.minutes_worked;
        let floor_due = due_for(floor_hourly_fen, minutes);
        if self.gross_fen < floor_due {
            found.push(finding("below_floor", floor_due, self.gross_fen, floor_due - self.gross_fen));
        }
        if self.net_fen < floor_due && self.gross_fen >= floor_due {
            found.push(finding(
                "below_floor_after_deductions",
                floor_due,
                self.net_fen,
                floor_due - self.net_fen,
            ));
        }
        let deductions = self.deductions_fen();
        if deductions * 100 > self.gross_fen * cap_percent {
            let cap = self.gross_fen * cap_percent / 100;
            found.push(finding("deductions_over_cap", cap, deductions, deductions - cap));
        }
        let days = self.period_days();
        for deduction in &self.deductions {
            match terms.deductions.iter().find(|c| c.kind == deduction.kind) {
                None => found.push(finding("deduction_not_in_contract", 0, deduction.fen, deduction.fen)),
                Some(agreed) => {
                    // The contract's monthly amount, for the days of this period (30-day month).
                    let allowed = agreed.fen_per_month * days.min(30) / 30;
                    if deduction.fen > allowed {
                        found.push(finding(
                            "deduction_above_contract",
                            allowed,
                            deduction.fen,
                            deduction.fen - allowed,
                        ));
                    }
                }
            }
        }
        if terms.pay_basis == PayBasis::Piece
            && let Some(guaranteed) = terms.guaranteed_hourly_fen
        {
            let guaranteed_due = due_for(guaranteed, minutes);
            if self.gross_fen < guaranteed_due {
                found.push(finding(
                    "piece_rate_not_topped_up",
                    guaranteed_due,
                    self.gross_fen,
                    guaranteed_due - self.gross_fen,
                ));
            }
        }
        if days > MAX_PERIOD_DAYS {
            found.push(finding("paid_less_than_twice_a_month", MAX_PERIOD_DAYS, days, 0));
        }
        found
    }
}

/// The least a season must pay for under the H-2A three-fourths rule: three quarters of its
/// guaranteed hours, in minutes (rounded down). The contract states it; the check holds to it.
pub fn minimum_paid_minutes(guaranteed_hours_season: i64) -> i64 {
    guaranteed_hours_season * 60 * 3 / 4
}

/// The H-2A three-fourths rule over a season: paid minutes below three quarters of the
/// guaranteed hours owe the difference at the contract's hourly rate. `None` when met.
pub fn hours_shortfall(guaranteed_hours_season: i64, paid_minutes: i64, hourly_fen: i64) -> Option<Finding> {
    let required_minutes = minimum_paid_minutes(guaranteed_hours_season);
    (paid_minutes < required_minutes).then(|| {
        let owed = due_for(hourly_fen, required_minutes - paid_minutes);
        finding("hours_guarantee", required_minutes, paid_minutes, owed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contract::{FloorRef, Holder, Named, Party, contacts};
    use crate::domain::pay::Deduction;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn terms(basis: PayBasis) -> Terms {
        let named =
            |code: &str| Named { code: code.into(), zh: code.into(), vi: code.into(), en: code.into() };
        Terms {
            placement_id: "p".into(),
            version: 1,
            employer: Party { id: "e".into(), name: "e".into() },
            agency: Party { id: "a".into(), name: "a".into() },
            agency_licence_number: "L".into(),
            worker: Holder { id: "w".into(), full_name: "W".into(), date_of_birth: d("1990-01-01") },
            occupation: named("o"),
            worksite: named("r"),
            crossing: named("c"),
            season_start: d("2026-12-01"),
            season_end: d("2027-03-31"),
            hours_per_week: 40,
            guaranteed_hours_per_week: 35,
            guaranteed_hours_season: 600,
            pay_basis: basis,
            wage_fen: 1800,
            piece_unit: None,
            guaranteed_hourly_fen: (basis == PayBasis::Piece).then_some(1800),
            hourly_equivalent_fen: 1800,
            floor: FloorRef {
                hourly_fen: 1700,
                rule_id: "r".into(),
                kind: "statutory_minimum".into(),
                source: "s".into(),
            },
            deductions: vec![Deduction { kind: "housing".into(), fen_per_month: 30_000 }],
            deductions_cap_percent: 20,
            housing_provided: true,
            worker_paid_fees_fen: 0,
            return_by: d("2027-04-14"),
            contacts: contacts(),
        }
    }

    /// Fifteen days, 80 hours, at exactly 17.00 CNY an hour, nothing deducted.
    fn at_the_floor() -> Payslip {
        Payslip {
            period_start: d("2026-12-01"),
            period_end: d("2026-12-15"),
            minutes_worked: 80 * 60,
            gross_fen: 80 * 1700,
            deductions: vec![],
            net_fen: 80 * 1700,
            paid_on: d("2026-12-16"),
        }
    }

    fn codes(found: &[Finding]) -> Vec<&str> {
        found.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn exactly_at_the_floor_passes_and_one_fen_below_fails() {
        let t = terms(PayBasis::Hourly);
        assert!(at_the_floor().findings(&t, 1700, 20).is_empty());
        let mut short = at_the_floor();
        short.gross_fen -= 1;
        short.net_fen -= 1;
        let found = short.findings(&t, 1700, 20);
        assert_eq!(found, vec![finding("below_floor", 136_000, 135_999, 1)]);
        // Odd minutes round the due amount up: 61 minutes at 17.00 is 17.29 (1728.33…).
        let mut odd = at_the_floor();
        odd.minutes_worked = 61;
        (odd.gross_fen, odd.net_fen) = (1729, 1729);
        assert!(odd.findings(&t, 1700, 20).is_empty());
        (odd.gross_fen, odd.net_fen) = (1728, 1728);
        assert_eq!(codes(&odd.findings(&t, 1700, 20)), ["below_floor"]);
    }

    #[test]
    fn deductions_may_not_take_pay_below_the_floor_nor_over_the_cap_nor_beyond_the_contract() {
        let t = terms(PayBasis::Hourly);
        let mut slip = at_the_floor();
        slip.gross_fen = 80 * 2000;
        // Housing at the contract's half-month amount leaves exactly the floor: passes.
        slip.deductions = vec![PayslipDeduction { kind: "housing".into(), fen: 15_000 }];
        slip.net_fen = slip.gross_fen - 15_000;
        assert!(slip.net_fen >= 136_000);
        assert!(slip.findings(&t, 1700, 20).is_empty(), "{:?}", slip.findings(&t, 1700, 20));
        // One fen more than the contract allows for fifteen days.
        slip.deductions[0].fen = 15_001;
        slip.net_fen = slip.gross_fen - 15_001;
        assert_eq!(codes(&slip.findings(&t, 1700, 20)), ["deduction_above_contract"]);
        // A kind the contract never named, that also takes net pay under the floor and
        // the deductions over a fifth of gross.
        slip.deductions = vec![PayslipDeduction { kind: "uniform".into(), fen: 40_000 }];
        slip.net_fen = slip.gross_fen - 40_000;
        assert_eq!(
            codes(&slip.findings(&t, 1700, 20)),
            ["below_floor_after_deductions", "deductions_over_cap", "deduction_not_in_contract"]
        );
    }

    #[test]
    fn a_piece_rate_is_topped_up_to_its_guaranteed_hourly_rate() {
        let t = terms(PayBasis::Piece);
        let mut slip = at_the_floor();
        (slip.gross_fen, slip.net_fen) = (80 * 1800, 80 * 1800);
        assert!(slip.findings(&t, 1700, 20).is_empty());
        (slip.gross_fen, slip.net_fen) = (80 * 1800 - 1, 80 * 1800 - 1);
        assert_eq!(
            slip.findings(&t, 1700, 20),
            vec![finding("piece_rate_not_topped_up", 144_000, 143_999, 1)]
        );
    }

    #[test]
    fn pay_comes_at_least_twice_a_month() {
        let t = terms(PayBasis::Hourly);
        let mut slip = at_the_floor();
        slip.period_end = d("2026-12-16");
        assert!(slip.findings(&t, 1700, 20).is_empty(), "sixteen days is half a month");
        slip.period_end = d("2026-12-17");
        assert_eq!(codes(&slip.findings(&t, 1700, 20)), ["paid_less_than_twice_a_month"]);
    }

    #[test]
    fn a_payslip_that_does_not_add_up_is_refused() {
        let season = (d("2026-12-01"), d("2027-03-31"));
        assert_eq!(at_the_floor().consistency(season), Ok(()));
        let mut slip = at_the_floor();
        slip.net_fen += 1;
        assert_eq!(slip.consistency(season), Err(Inconsistency::NetMismatch { expected_net_fen: 136_000 }));
        let mut early = at_the_floor();
        early.period_start = d("2026-11-30");
        assert_eq!(early.consistency(season), Err(Inconsistency::OutsideSeason));
        let mut negative = at_the_floor();
        negative.minutes_worked = -1;
        assert_eq!(negative.consistency(season), Err(Inconsistency::Negative("minutes_worked")));
    }

    #[test]
    fn three_quarters_of_the_guaranteed_hours_or_the_difference_is_owed() {
        // 600 guaranteed hours: 450 must be paid.
        assert_eq!(hours_shortfall(600, 450 * 60, 1800), None);
        let short = hours_shortfall(600, 450 * 60 - 1, 1800).unwrap();
        assert_eq!((short.required, short.actual, short.owed_fen), (27_000, 26_999, 30));
        assert_eq!(hours_shortfall(600, 0, 1800).unwrap().owed_fen, 450 * 1800);
    }
}
