//! The checks on a payslip: the arithmetic that must add up before it is stored, and the
//! findings that a stored payslip may raise. Whole fen and minutes: exactly at the floor
//! passes, one fen below fails; an amount too large to work out is [`Overflow`], never a
//! wrapped sum.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::contract::Terms;
use crate::domain::money::Fen;
use crate::domain::pay::PayBasis;
use crate::domain::pay_period::Period;

/// A payslip line taken from gross pay.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayslipDeduction {
    pub kind: String,
    pub fen: Fen,
}

/// What an employer reports it paid for one period.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Payslip {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub minutes_worked: i64,
    pub gross_fen: Fen,
    #[serde(default)]
    pub deductions: Vec<PayslipDeduction>,
    pub net_fen: Fen,
    pub paid_on: NaiveDate,
}

/// The longest pay period: pay at least twice a month.
pub const MAX_PERIOD_DAYS: i64 = 16;

/// The rules of pay that come from config (`[rules]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct PayRules {
    /// Deductions (housing, meals, …) may take at most this share of gross pay
    /// (《工资支付暂行规定》 art. 16).
    pub deductions_cap_percent: i64,
    /// Days after a period's end that its pay may come: later is `paid_late`, and a period
    /// still unreported then is missing.
    pub pay_grace_days: i64,
}

/// The longest a payslip may report pay coming after its period: a year.
pub const MAX_PAY_DELAY_DAYS: i64 = 366;

/// Why a payslip cannot be stored: it does not add up (422, nothing written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inconsistency {
    /// net ≠ gross − deductions.
    NetMismatch {
        expected_net_fen: Fen,
    },
    PeriodEndsBeforeStart,
    /// Paid before the period began.
    PaidBeforePeriod,
    Negative(&'static str),
    /// Outside the placement's season.
    OutsideSeason,
    /// The period has not ended yet: pay for it is reported once it has.
    NotEnded,
    /// Paid on a day that has not come yet.
    PaidInFuture,
    /// Paid more than [`MAX_PAY_DELAY_DAYS`] after the period ended: a typing slip, not pay.
    PaidTooLongAfter,
    /// The deductions take more than the gross pay.
    DeductionsOverGross,
    /// An amount too large to add up.
    TooLarge(&'static str),
}

/// An amount too large to work out: the payslip's figures are beyond any pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

/// One failed check: a code and the amounts that show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    /// below_floor, below_floor_after_deductions, deductions_over_cap,
    /// deduction_not_in_contract, deduction_above_contract, piece_rate_not_topped_up,
    /// paid_less_than_twice_a_month, paid_late (days: the grace allowed, the days after the
    /// period's end), pay_missing (days: the period's, those reported), hours_guarantee.
    pub code: String,
    /// What the rule required, in fen (or days for the pay period).
    pub required: i64,
    /// What the payslip shows.
    pub actual: i64,
    /// How much the worker is owed because of it, in fen (0 where no amount follows).
    pub owed_fen: Fen,
}

fn finding(code: &str, required: i64, actual: i64, owed_fen: Fen) -> Finding {
    Finding { code: code.to_owned(), required, actual, owed_fen }
}

/// A finding about amounts: what was required, what was paid, and the difference owed.
fn shortfall(code: &str, required: Fen, actual: Fen) -> Result<Finding, Overflow> {
    let owed = required.checked_sub(actual).ok_or(Overflow)?;
    Ok(finding(code, required.get(), actual.get(), owed))
}

/// `per_hour` × minutes ÷ 60, rounded up: what the minutes must pay at least.
fn due_for(per_hour: Fen, minutes: i64) -> Result<Fen, Overflow> {
    per_hour
        .checked_mul(minutes)
        .and_then(|f| f.checked_add(Fen::new(59)))
        .and_then(|f| f.checked_div(60))
        .ok_or(Overflow)
}

impl Payslip {
    /// The deductions added up; `None` when they are too large to.
    pub fn deductions_fen(&self) -> Option<Fen> {
        Fen::checked_sum(self.deductions.iter().map(|d| d.fen))
    }

    pub fn period_days(&self) -> i64 {
        (self.period_end - self.period_start).num_days() + 1
    }

    /// Its period.
    pub fn period(&self) -> Period {
        Period::new(self.period_start, self.period_end)
    }

    /// Whether the payslip can be stored at all, on `today` (China's day).
    pub fn consistency(&self, season: (NaiveDate, NaiveDate), today: NaiveDate) -> Result<(), Inconsistency> {
        for (field, value) in [("minutes_worked", self.minutes_worked), ("gross_fen", self.gross_fen.get())] {
            if value < 0 {
                return Err(Inconsistency::Negative(field));
            }
        }
        if self.deductions.iter().any(|d| d.fen.is_negative()) {
            return Err(Inconsistency::Negative("deductions"));
        }
        if self.period_end < self.period_start {
            return Err(Inconsistency::PeriodEndsBeforeStart);
        }
        if self.paid_on < self.period_start {
            return Err(Inconsistency::PaidBeforePeriod);
        }
        if (self.paid_on - self.period_end).num_days() > MAX_PAY_DELAY_DAYS {
            return Err(Inconsistency::PaidTooLongAfter);
        }
        if self.period_start < season.0 || self.period_end > season.1 {
            return Err(Inconsistency::OutsideSeason);
        }
        if self.period_end > today {
            return Err(Inconsistency::NotEnded);
        }
        if self.paid_on > today {
            return Err(Inconsistency::PaidInFuture);
        }
        let deductions = self.deductions_fen().ok_or(Inconsistency::TooLarge("deductions"))?;
        if deductions > self.gross_fen {
            return Err(Inconsistency::DeductionsOverGross);
        }
        let expected_net_fen =
            self.gross_fen.checked_sub(deductions).ok_or(Inconsistency::TooLarge("deductions"))?;
        if self.net_fen != expected_net_fen {
            return Err(Inconsistency::NetMismatch { expected_net_fen });
        }
        Ok(())
    }

    /// Every check a stored payslip must pass, against the contract's terms, the floor in
    /// force over its period, the deduction cap and the days pay may come after its period
    /// ends. Empty when compliant.
    pub fn findings(
        &self,
        terms: &Terms,
        floor_hourly_fen: Fen,
        rules: PayRules,
    ) -> Result<Vec<Finding>, Overflow> {
        let cap_percent = rules.deductions_cap_percent;
        let mut found = Vec::new();
        let minutes = self.minutes_worked;
        let floor_due = due_for(floor_hourly_fen, minutes)?;
        if self.gross_fen < floor_due {
            found.push(shortfall("below_floor", floor_due, self.gross_fen)?);
        }
        if self.net_fen < floor_due && self.gross_fen >= floor_due {
            found.push(shortfall("below_floor_after_deductions", floor_due, self.net_fen)?);
        }
        let deductions = self.deductions_fen().ok_or(Overflow)?;
        let times = |amount: Fen, n: i64| amount.checked_mul(n).ok_or(Overflow);
        if times(deductions, 100)? > times(self.gross_fen, cap_percent)? {
            let cap = times(self.gross_fen, cap_percent)?.checked_div(100).ok_or(Overflow)?;
            let over = deductions.checked_sub(cap).ok_or(Overflow)?;
            found.push(finding("deductions_over_cap", cap.get(), deductions.get(), over));
        }
        let days = self.period_days();
        for deduction in &self.deductions {
            match terms.deductions.iter().find(|c| c.kind == deduction.kind) {
                None => {
                    found.push(finding("deduction_not_in_contract", 0, deduction.fen.get(), deduction.fen))
                }
                Some(agreed) => {
                    // The contract's monthly amount, for the days of this period (30-day month).
                    let allowed =
                        times(agreed.fen_per_month, days.min(30))?.checked_div(30).ok_or(Overflow)?;
                    if deduction.fen > allowed {
                        let over = deduction.fen.checked_sub(allowed).ok_or(Overflow)?;
                        found.push(finding(
                            "deduction_above_contract",
                            allowed.get(),
                            deduction.fen.get(),
                            over,
                        ));
                    }
                }
            }
        }
        if terms.pay_basis == PayBasis::Piece
            && let Some(guaranteed) = terms.guaranteed_hourly_fen
        {
            let guaranteed_due = due_for(guaranteed, minutes)?;
            if self.gross_fen < guaranteed_due {
                found.push(shortfall("piece_rate_not_topped_up", guaranteed_due, self.gross_fen)?);
            }
        }
        if days > MAX_PERIOD_DAYS {
            found.push(finding("paid_less_than_twice_a_month", MAX_PERIOD_DAYS, days, Fen::ZERO));
        }
        let after_end = (self.paid_on - self.period_end).num_days();
        if after_end > rules.pay_grace_days {
            found.push(finding("paid_late", rules.pay_grace_days, after_end, Fen::ZERO));
        }
        Ok(found)
    }
}

/// The least a season must pay for under the H-2A three-fourths rule: three quarters of its
/// guaranteed hours, in minutes (rounded down). The contract states it; the check holds to it.
pub fn minimum_paid_minutes(guaranteed_hours_season: i64) -> i64 {
    guaranteed_hours_season * 60 * 3 / 4
}

/// The least a placement must pay for when it ends: three quarters of the season's guaranteed
/// hours ([`minimum_paid_minutes`]) over the `offered_days` of its `season_days` that work
/// was offered — the whole season when it ran its course, pro-rated from the season's first
/// day to the day it ended early (H-2A: the time elapsed before the contract ended).
pub fn minimum_paid_minutes_over(guaranteed_hours_season: i64, offered_days: i64, season_days: i64) -> i64 {
    let season_days = season_days.max(1);
    minimum_paid_minutes(guaranteed_hours_season) * offered_days.clamp(0, season_days) / season_days
}

/// The H-2A three-fourths rule: paid minutes below the `required_minutes`
/// ([`minimum_paid_minutes_over`]) owe the difference at the contract's hourly rate. `None`
/// when met.
pub fn hours_shortfall(
    required_minutes: i64,
    paid_minutes: i64,
    hourly_fen: Fen,
) -> Result<Option<Finding>, Overflow> {
    if paid_minutes >= required_minutes {
        return Ok(None);
    }
    let owed = due_for(hourly_fen, required_minutes - paid_minutes)?;
    Ok(Some(finding("hours_guarantee", required_minutes, paid_minutes, owed)))
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
            wage_fen: Fen::new(1800),
            piece_unit: None,
            guaranteed_hourly_fen: (basis == PayBasis::Piece).then_some(Fen::new(1800)),
            hourly_equivalent_fen: Fen::new(1800),
            floor: FloorRef {
                hourly_fen: Fen::new(1700),
                rule_id: "r".into(),
                kind: "statutory_minimum".into(),
                source: "s".into(),
            },
            deductions: vec![Deduction { kind: "housing".into(), fen_per_month: Fen::new(30_000) }],
            deductions_cap_percent: 20,
            housing_provided: true,
            worker_paid_fees_fen: Fen::ZERO,
            return_by: d("2027-04-14"),
            contacts: contacts(),
            insurance: None,
            salt: None,
        }
    }

    /// Fifteen days, 80 hours, at exactly 17.00 CNY an hour, nothing deducted.
    fn at_the_floor() -> Payslip {
        Payslip {
            period_start: d("2026-12-01"),
            period_end: d("2026-12-15"),
            minutes_worked: 80 * 60,
            gross_fen: Fen::new(80 * 1700),
            deductions: vec![],
            net_fen: Fen::new(80 * 1700),
            paid_on: d("2026-12-16"),
        }
    }

    const RULES: PayRules = PayRules { deductions_cap_percent: 20, pay_grace_days: 7 };
    /// A day long after the fixture's periods: every one of them has ended.
    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2028, 1, 1).unwrap();

    fn codes(found: &[Finding]) -> Vec<&str> {
        found.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn exactly_at_the_floor_passes_and_one_fen_below_fails() {
        let t = terms(PayBasis::Hourly);
        assert!(at_the_floor().findings(&t, Fen::new(1700), RULES).unwrap().is_empty());
        let mut short = at_the_floor();
        (short.gross_fen, short.net_fen) = (Fen::new(80 * 1700 - 1), Fen::new(80 * 1700 - 1));
        let found = short.findings(&t, Fen::new(1700), RULES).unwrap();
        assert_eq!(found, vec![finding("below_floor", 136_000, 135_999, Fen::new(1))]);
        // Odd minutes round the due amount up: 61 minutes at 17.00 is 17.29 (1728.33…).
        let mut odd = at_the_floor();
        odd.minutes_worked = 61;
        (odd.gross_fen, odd.net_fen) = (Fen::new(1729), Fen::new(1729));
        assert!(odd.findings(&t, Fen::new(1700), RULES).unwrap().is_empty());
        (odd.gross_fen, odd.net_fen) = (Fen::new(1728), Fen::new(1728));
        assert_eq!(codes(&odd.findings(&t, Fen::new(1700), RULES).unwrap()), ["below_floor"]);
    }

    #[test]
    fn deductions_may_not_take_pay_below_the_floor_nor_over_the_cap_nor_beyond_the_contract() {
        let t = terms(PayBasis::Hourly);
        let mut slip = at_the_floor();
        slip.gross_fen = Fen::new(80 * 2000);
        // Housing at the contract's half-month amount leaves exactly the floor: passes.
        slip.deductions = vec![PayslipDeduction { kind: "housing".into(), fen: Fen::new(15_000) }];
        slip.net_fen = Fen::new(80 * 2000 - 15_000);
        assert!(slip.net_fen >= Fen::new(136_000));
        assert!(
            slip.findings(&t, Fen::new(1700), RULES).unwrap().is_empty(),
            "{:?}",
            slip.findings(&t, Fen::new(1700), RULES).unwrap()
        );
        // One fen more than the contract allows for fifteen days.
        slip.deductions[0].fen = Fen::new(15_001);
        slip.net_fen = Fen::new(80 * 2000 - 15_001);
        assert_eq!(codes(&slip.findings(&t, Fen::new(1700), RULES).unwrap()), ["deduction_above_contract"]);
        // A kind the contract never named, that also takes net pay under the floor and
        // the deductions over a fifth of gross.
        slip.deductions = vec![PayslipDeduction { kind: "uniform".into(), fen: Fen::new(40_000) }];
        slip.net_fen = Fen::new(80 * 2000 - 40_000);
        assert_eq!(
            codes(&slip.findings(&t, Fen::new(1700), RULES).unwrap()),
            ["below_floor_after_deductions", "deductions_over_cap", "deduction_not_in_contract"]
        );
    }

    #[test]
    fn a_piece_rate_is_topped_up_to_its_guaranteed_hourly_rate() {
        let t = terms(PayBasis::Piece);
        let mut slip = at_the_floor();
        (slip.gross_fen, slip.net_fen) = (Fen::new(80 * 1800), Fen::new(80 * 1800));
        assert!(slip.findings(&t, Fen::new(1700), RULES).unwrap().is_empty());
        (slip.gross_fen, slip.net_fen) = (Fen::new(80 * 1800 - 1), Fen::new(80 * 1800 - 1));
        assert_eq!(
            slip.findings(&t, Fen::new(1700), RULES).unwrap(),
            vec![finding("piece_rate_not_topped_up", 144_000, 143_999, Fen::new(1))]
        );
    }

    #[test]
    fn pay_comes_at_least_twice_a_month() {
        let t = terms(PayBasis::Hourly);
        let mut slip = at_the_floor();
        slip.period_end = d("2026-12-16");
        assert!(slip.findings(&t, Fen::new(1700), RULES).unwrap().is_empty(), "sixteen days is half a month");
        slip.period_end = d("2026-12-17");
        assert_eq!(
            codes(&slip.findings(&t, Fen::new(1700), RULES).unwrap()),
            ["paid_less_than_twice_a_month"]
        );
    }

    #[test]
    fn a_payslip_that_does_not_add_up_is_refused() {
        let season = (d("2026-12-01"), d("2027-03-31"));
        assert_eq!(at_the_floor().consistency(season, TODAY), Ok(()));
        let mut slip = at_the_floor();
        slip.net_fen = Fen::new(80 * 1700 + 1);
        assert_eq!(
            slip.consistency(season, TODAY),
            Err(Inconsistency::NetMismatch { expected_net_fen: Fen::new(136_000) })
        );
        let mut early = at_the_floor();
        early.period_start = d("2026-11-30");
        assert_eq!(early.consistency(season, TODAY), Err(Inconsistency::OutsideSeason));
        let mut negative = at_the_floor();
        negative.minutes_worked = -1;
        assert_eq!(negative.consistency(season, TODAY), Err(Inconsistency::Negative("minutes_worked")));
        let mut over = at_the_floor();
        over.deductions = vec![PayslipDeduction {
            kind: "housing".into(),
            fen: over.gross_fen.checked_add(Fen::new(1)).unwrap(),
        }];
        over.net_fen = Fen::new(-1);
        assert_eq!(over.consistency(season, TODAY), Err(Inconsistency::DeductionsOverGross));
        let mut late = at_the_floor();
        late.paid_on = late.period_end + chrono::Duration::days(MAX_PAY_DELAY_DAYS);
        assert_eq!(late.consistency(season, TODAY), Ok(()));
        late.paid_on = late.paid_on.succ_opt().unwrap();
        assert_eq!(late.consistency(season, TODAY), Err(Inconsistency::PaidTooLongAfter));
    }

    #[test]
    fn pay_for_a_period_is_reported_once_it_has_ended_and_paid() {
        let season = (d("2026-12-01"), d("2027-03-31"));
        let slip = at_the_floor();
        assert_eq!(slip.consistency(season, d("2026-12-16")), Ok(()));
        assert_eq!(slip.consistency(season, d("2026-12-14")), Err(Inconsistency::NotEnded));
        let mut on_the_last_day = at_the_floor();
        on_the_last_day.paid_on = d("2026-12-15");
        assert_eq!(on_the_last_day.consistency(season, d("2026-12-15")), Ok(()));
        assert_eq!(slip.consistency(season, d("2026-12-15")), Err(Inconsistency::PaidInFuture));
    }

    #[test]
    fn pay_after_the_grace_period_is_paid_late_by_its_days() {
        let t = terms(PayBasis::Hourly);
        let mut slip = at_the_floor();
        slip.paid_on = d("2026-12-22");
        assert!(slip.findings(&t, Fen::new(1700), RULES).unwrap().is_empty(), "seven days after is in time");
        slip.paid_on = d("2026-12-23");
        assert_eq!(
            slip.findings(&t, Fen::new(1700), RULES).unwrap(),
            vec![finding("paid_late", 7, 8, Fen::ZERO)]
        );
    }

    #[test]
    fn three_quarters_of_the_guaranteed_hours_or_the_difference_is_owed() {
        // 600 guaranteed hours: 450 must be paid.
        let season = minimum_paid_minutes_over(600, 120, 120);
        assert_eq!(season, 450 * 60);
        assert_eq!(hours_shortfall(season, 450 * 60, Fen::new(1800)), Ok(None));
        let short = hours_shortfall(season, 450 * 60 - 1, Fen::new(1800)).unwrap().unwrap();
        assert_eq!((short.required, short.actual, short.owed_fen), (27_000, 26_999, Fen::new(30)));
        assert_eq!(
            hours_shortfall(season, 0, Fen::new(1800)).unwrap().unwrap().owed_fen,
            Fen::new(450 * 1800)
        );
    }

    #[test]
    fn an_early_end_pro_rates_the_guarantee_to_the_days_before_it() {
        // A third of a 120-day season: a third of 450 hours.
        assert_eq!(minimum_paid_minutes_over(600, 40, 120), 150 * 60);
        // Rounded down to the minute; never more than the season's, never below nothing.
        assert_eq!(minimum_paid_minutes_over(600, 1, 120), 27_000 / 120);
        assert_eq!(minimum_paid_minutes_over(600, 500, 120), 27_000);
        assert_eq!(minimum_paid_minutes_over(600, -3, 120), 0);
    }

    #[test]
    fn amounts_too_large_to_add_up_are_refused_not_wrapped() {
        let season = (d("2026-12-01"), d("2027-03-31"));
        let mut slip = at_the_floor();
        slip.deductions = vec![
            PayslipDeduction { kind: "housing".into(), fen: Fen::new(i64::MAX) },
            PayslipDeduction { kind: "meals".into(), fen: Fen::new(1) },
        ];
        assert_eq!(slip.consistency(season, TODAY), Err(Inconsistency::TooLarge("deductions")));
        // Deductions may not take more than the gross…
        slip.deductions.truncate(1);
        slip.net_fen = Fen::new(80 * 1700 - i64::MAX);
        assert_eq!(slip.consistency(season, TODAY), Err(Inconsistency::DeductionsOverGross));
        // …and when they add up within it, a hundred times them may still not fit.
        slip.gross_fen = Fen::new(i64::MAX);
        slip.net_fen = Fen::ZERO;
        assert_eq!(slip.consistency(season, TODAY), Ok(()));
        assert_eq!(slip.findings(&terms(PayBasis::Hourly), Fen::new(1700), RULES), Err(Overflow));
        assert_eq!(hours_shortfall(27_000, 0, Fen::new(i64::MAX)), Err(Overflow));
    }
}
