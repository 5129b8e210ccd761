//! Agency licences: the regulator's decision (active, suspended, revoked) and the dates
//! decide, together with the day, whether an agency may act.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a regulator decided about a licence; stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LicenceState {
    Active,
    Suspended,
    Revoked,
}

impl LicenceState {
    pub fn as_str(self) -> &'static str {
        match self {
            LicenceState::Active => "active",
            LicenceState::Suspended => "suspended",
            LicenceState::Revoked => "revoked",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        [LicenceState::Active, LicenceState::Suspended, LicenceState::Revoked]
            .into_iter()
            .find(|s| s.as_str() == stored)
    }
}

/// Where a licence stands on a given day; derived, never stored.
///
/// `expired` covers both sides of the validity dates: after `valid_until` and before
/// `valid_from` (not yet valid). Either way the agency may not act; `valid_from` and
/// `valid_until`, shown next to the status, tell which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    Active,
    Suspended,
    Revoked,
    Expired,
}

impl LicenceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LicenceStatus::Active => "active",
            LicenceStatus::Suspended => "suspended",
            LicenceStatus::Revoked => "revoked",
            LicenceStatus::Expired => "expired",
        }
    }
}

/// What an agency may still read of the people it registered and placed, by its licence's
/// status. While the licence is active, everything; suspended or expired, what winding down
/// needs (its workers and their placements) but no identity-document numbers; revoked,
/// nothing personal (a placement shows its worker by initials, and no contract is read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    Full,
    WithoutDocuments,
    NothingPersonal,
}

impl LicenceStatus {
    /// What an agency whose licence has this status may read ([`Reading`]).
    pub fn reading(self) -> Reading {
        match self {
            LicenceStatus::Active => Reading::Full,
            LicenceStatus::Suspended | LicenceStatus::Expired => Reading::WithoutDocuments,
            LicenceStatus::Revoked => Reading::NothingPersonal,
        }
    }
}

/// The status on `today`: a revocation or suspension wins over the dates; the dates are
/// inclusive at both ends.
pub fn status_on(
    state: LicenceState,
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> LicenceStatus {
    match state {
        LicenceState::Revoked => LicenceStatus::Revoked,
        LicenceState::Suspended => LicenceStatus::Suspended,
        LicenceState::Active if today < valid_from || today > valid_until => LicenceStatus::Expired,
        LicenceState::Active => LicenceStatus::Active,
    }
}

/// A regulator's action on a licence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LicenceAction {
    Suspend,
    Reinstate,
    Revoke,
}

impl LicenceAction {
    /// The event recorded for the action.
    pub fn event(self) -> &'static str {
        match self {
            LicenceAction::Suspend => "suspended",
            LicenceAction::Reinstate => "reinstated",
            LicenceAction::Revoke => "revoked",
        }
    }

    /// The state after the action, or why it is refused. Revocation is final.
    pub fn apply(self, from: LicenceState) -> Result<LicenceState, &'static str> {
        match (self, from) {
            (_, LicenceState::Revoked) => Err("the licence is revoked; revocation is final"),
            (LicenceAction::Suspend, LicenceState::Active) => Ok(LicenceState::Suspended),
            (LicenceAction::Suspend, LicenceState::Suspended) => Err("the licence is already suspended"),
            (LicenceAction::Reinstate, LicenceState::Suspended) => Ok(LicenceState::Active),
            (LicenceAction::Reinstate, LicenceState::Active) => Err("the licence is not suspended"),
            (LicenceAction::Revoke, _) => Ok(LicenceState::Revoked),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_agency_reads_less_as_its_licence_stops() {
        assert_eq!(LicenceStatus::Active.reading(), Reading::Full);
        assert_eq!(LicenceStatus::Suspended.reading(), Reading::WithoutDocuments);
        assert_eq!(LicenceStatus::Expired.reading(), Reading::WithoutDocuments);
        assert_eq!(LicenceStatus::Revoked.reading(), Reading::NothingPersonal);
        // Revoked on any day, whatever the dates: revocation is final.
        let (from, until) = (d("2026-01-01"), d("2026-12-31"));
        for day in ["2025-06-01", "2026-06-01", "2027-06-01"] {
            let status = status_on(LicenceState::Revoked, from, until, d(day));
            assert_eq!(status.reading(), Reading::NothingPersonal, "{day}");
        }
    }

    #[test]
    fn the_dates_are_inclusive_and_decisions_win() {
        let (from, until) = (d("2026-01-01"), d("2026-12-31"));
        let on = |state, day| status_on(state, from, until, d(day));
        assert_eq!(on(LicenceState::Active, "2025-12-31"), LicenceStatus::Expired);
        assert_eq!(on(LicenceState::Active, "2026-01-01"), LicenceStatus::Active);
        assert_eq!(on(LicenceState::Active, "2026-12-31"), LicenceStatus::Active);
        assert_eq!(on(LicenceState::Active, "2027-01-01"), LicenceStatus::Expired);
        assert_eq!(on(LicenceState::Suspended, "2026-06-01"), LicenceStatus::Suspended);
        assert_eq!(on(LicenceState::Revoked, "2027-06-01"), LicenceStatus::Revoked);
    }

    #[test]
    fn revocation_is_final() {
        for action in [LicenceAction::Suspend, LicenceAction::Reinstate, LicenceAction::Revoke] {
            assert!(action.apply(LicenceState::Revoked).is_err());
        }
        assert_eq!(LicenceAction::Suspend.apply(LicenceState::Active), Ok(LicenceState::Suspended));
        assert_eq!(LicenceAction::Reinstate.apply(LicenceState::Suspended), Ok(LicenceState::Active));
        assert!(LicenceAction::Reinstate.apply(LicenceState::Active).is_err());
        assert_eq!(LicenceAction::Revoke.apply(LicenceState::Suspended), Ok(LicenceState::Revoked));
    }
}
