//! Pay terms of a vacancy (and later of a contract): the hourly equivalent, the deduction
//! cap and the floor check, in integer fen (docs/api.md, Hourly equivalent).

use serde::{Deserialize, Serialize};

use crate::domain::money::Fen;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PayBasis {
    Hourly,
    Monthly,
    /// Paid by the piece, with a guaranteed hourly rate: the worker gets the higher.
    Piece,
}

impl PayBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            PayBasis::Hourly => "hourly",
            PayBasis::Monthly => "monthly",
            PayBasis::Piece => "piece",
        }
    }

    pub fn parse(s: &str) -> Option<PayBasis> {
        [PayBasis::Hourly, PayBasis::Monthly, PayBasis::Piece].into_iter().find(|b| b.as_str() == s)
    }
}

/// An itemised monthly deduction (housing, meals, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Deduction {
    pub kind: String,
    pub fen_per_month: Fen,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayTerms {
    pub basis: PayBasis,
    /// Per hour, per month, or per piece unit, by `basis`.
    pub wage_fen: Fen,
    /// Required for piece rates.
    pub guaranteed_hourly_fen: Option<Fen>,
    pub hours_per_week: i64,
    pub deductions: Vec<Deduction>,
}

/// Hours in a month as a fraction (numerator, denominator): China's convention of
/// 21.75 days × 8 h = 174 h at 40 h a week (劳社部发〔2008〕3号), else hours × 52 ÷ 12.
pub fn monthly_hours(hours_per_week: i64) -> (i64, i64) {
    if hours_per_week == 40 { (174, 1) } else { (hours_per_week * 52, 12) }
}

/// What the pay terms amount to, per hour and per month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PayFigures {
    /// Rounded down, so an offer never looks better than it is.
    pub hourly_equivalent_fen: Fen,
    pub gross_monthly_fen: Fen,
    pub deductions_monthly_fen: Fen,
    /// Pay per hour after deductions, rounded down.
    pub net_hourly_fen: Fen,
}

impl PayTerms {
    /// The figures; `None` when they cannot be worked out (an amount too large to hold, or
    /// no hours in the month).
    pub fn figures(&self) -> Option<PayFigures> {
        let (num, den) = monthly_hours(self.hours_per_week);
        let hourly = match self.basis {
            PayBasis::Hourly => self.wage_fen,
            PayBasis::Monthly => self.wage_fen.checked_mul(den)?.checked_div(num)?,
            PayBasis::Piece => self.guaranteed_hourly_fen.unwrap_or(Fen::ZERO),
        };
        let gross = match self.basis {
            PayBasis::Monthly => self.wage_fen,
            PayBasis::Hourly | PayBasis::Piece => hourly.checked_mul(num)?.checked_div(den)?,
        };
        let deductions = Fen::checked_sum(self.deductions.iter().map(|d| d.fen_per_month))?;
        Some(PayFigures {
            hourly_equivalent_fen: hourly,
            gross_monthly_fen: gross,
            deductions_monthly_fen: deductions,
            net_hourly_fen: gross.checked_sub(deductions)?.checked_mul(den)?.checked_div(num)?,
        })
    }

    /// Checks the terms against the floor and the deduction cap (a share of gross pay).
    pub fn check(&self, floor_hourly_fen: Fen, cap_percent: i64) -> Result<PayFigures, PayViolation> {
        let f = self.figures().ok_or(PayViolation::Incalculable)?;
        let short = |offered: Fen| floor_hourly_fen.checked_sub(offered).ok_or(PayViolation::Incalculable);
        if f.hourly_equivalent_fen < floor_hourly_fen {
            return Err(PayViolation::BelowFloor {
                offered_hourly_fen: f.hourly_equivalent_fen,
                shortfall_fen: short(f.hourly_equivalent_fen)?,
                after_deductions: false,
            });
        }
        let cap_fen = f
            .gross_monthly_fen
            .checked_mul(cap_percent)
            .and_then(|c| c.checked_div(100))
            .ok_or(PayViolation::Incalculable)?;
        if f.deductions_monthly_fen > cap_fen {
            return Err(PayViolation::DeductionsOverCap {
                cap_fen,
                deductions_fen: f.deductions_monthly_fen,
            });
        }
        if f.net_hourly_fen < floor_hourly_fen {
            return Err(PayViolation::BelowFloor {
                offered_hourly_fen: f.net_hourly_fen,
                shortfall_fen: short(f.net_hourly_fen)?,
                after_deductions: true,
            });
        }
        Ok(f)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayViolation {
    BelowFloor {
        offered_hourly_fen: Fen,
        shortfall_fen: Fen,
        after_deductions: bool,
    },
    DeductionsOverCap {
        cap_fen: Fen,
        deductions_fen: Fen,
    },
    /// The figures cannot be worked out: an amount too large to hold, or no hours.
    Incalculable,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(basis: PayBasis, wage: i64, hours: i64) -> PayTerms {
        PayTerms {
            basis,
            wage_fen: Fen::new(wage),
            guaranteed_hourly_fen: None,
            hours_per_week: hours,
            deductions: vec![],
        }
    }

    fn housing(fen: i64) -> Vec<Deduction> {
        vec![Deduction { kind: "housing".into(), fen_per_month: Fen::new(fen) }]
    }

    #[test]
    fn monthly_pay_converts_by_the_174_hour_convention_at_40_hours() {
        // 3,236.40 CNY a month at 40 h is exactly 18.60 CNY an hour.
        assert_eq!(
            terms(PayBasis::Monthly, 323_640, 40).figures().unwrap().hourly_equivalent_fen,
            Fen::new(1860)
        );
        assert_eq!(
            terms(PayBasis::Monthly, 323_639, 40).figures().unwrap().hourly_equivalent_fen,
            Fen::new(1859),
            "rounded down"
        );
        // 48 h a week: 208 h a month.
        assert_eq!(
            terms(PayBasis::Monthly, 416_000, 48).figures().unwrap().hourly_equivalent_fen,
            Fen::new(2000)
        );
    }

    #[test]
    fn floor_boundaries_are_exact() {
        assert!(terms(PayBasis::Hourly, 1860, 40).check(Fen::new(1860), 20).is_ok());
        assert_eq!(
            terms(PayBasis::Hourly, 1859, 40).check(Fen::new(1860), 20),
            Err(PayViolation::BelowFloor {
                offered_hourly_fen: Fen::new(1859),
                shortfall_fen: Fen::new(1),
                after_deductions: false
            })
        );
    }

    #[test]
    fn piece_rates_are_judged_by_their_guarantee() {
        let mut piece = terms(PayBasis::Piece, 12_500, 48);
        piece.guaranteed_hourly_fen = Some(Fen::new(2000));
        assert_eq!(piece.figures().unwrap().hourly_equivalent_fen, Fen::new(2000));
        assert!(piece.check(Fen::new(2000), 20).is_ok());
        assert!(matches!(
            piece.check(Fen::new(2001), 20),
            Err(PayViolation::BelowFloor { shortfall_fen, .. }) if shortfall_fen == Fen::new(1)
        ));
    }

    #[test]
    fn deductions_are_capped_and_may_not_push_pay_below_the_floor() {
        // 25 CNY/h × 174 h = 4,350 CNY gross; the 20 % cap is 870 CNY.
        let mut hourly = terms(PayBasis::Hourly, 2500, 40);
        hourly.deductions = housing(87_000);
        assert!(hourly.check(Fen::new(2000), 20).is_ok());
        hourly.deductions = housing(87_001);
        assert_eq!(
            hourly.check(Fen::new(2000), 20),
            Err(PayViolation::DeductionsOverCap {
                cap_fen: Fen::new(87_000),
                deductions_fen: Fen::new(87_001)
            })
        );
        // Under the cap, but net pay falls below a floor of 21 CNY: (435,000 − 80,000) / 174 = 2040.
        hourly.deductions = housing(80_000);
        assert_eq!(
            hourly.check(Fen::new(2100), 20),
            Err(PayViolation::BelowFloor {
                offered_hourly_fen: Fen::new(2040),
                shortfall_fen: Fen::new(60),
                after_deductions: true
            })
        );
    }

    #[test]
    fn pay_that_cannot_be_worked_out_is_refused_not_wrapped() {
        assert_eq!(terms(PayBasis::Monthly, 323_640, 0).figures(), None, "no hours in the month");
        assert_eq!(terms(PayBasis::Hourly, i64::MAX / 100, 40).figures(), None, "gross pay too large");
        let mut hourly = terms(PayBasis::Hourly, 2500, 40);
        hourly.deductions = [housing(i64::MAX), housing(1)].concat();
        assert_eq!(hourly.check(Fen::new(2000), 20), Err(PayViolation::Incalculable));
    }
}
