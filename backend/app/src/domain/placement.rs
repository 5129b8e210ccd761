//! The journey of one placement (docs/domain.md), written once: which action moves
//! which state where, and who may take it. Pure: no clock, no storage.
//!
//! ```text
//! offered ─accept─▶ accepted ─permit─▶ permitted ─depart─▶ departed ─complete─▶ completed
//!    │ decline/withdraw (before departure)                     │ terminate          │ return
//!    ▼                                                         ▼                    ▼
//! declined / withdrawn                                     terminated ─return─▶ returned
//! departed, completed, terminated ─(sweeper: permit expired, no return)─▶ overstayed ─return─▶ returned_late
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::account::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Offered,
    Accepted,
    Permitted,
    Departed,
    Completed,
    Terminated,
    Overstayed,
    Declined,
    Withdrawn,
    Returned,
    ReturnedLate,
}

impl Status {
    pub const ALL: [Status; 11] = [
        Status::Offered,
        Status::Accepted,
        Status::Permitted,
        Status::Departed,
        Status::Completed,
        Status::Terminated,
        Status::Overstayed,
        Status::Declined,
        Status::Withdrawn,
        Status::Returned,
        Status::ReturnedLate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Offered => "offered",
            Status::Accepted => "accepted",
            Status::Permitted => "permitted",
            Status::Departed => "departed",
            Status::Completed => "completed",
            Status::Terminated => "terminated",
            Status::Overstayed => "overstayed",
            Status::Declined => "declined",
            Status::Withdrawn => "withdrawn",
            Status::Returned => "returned",
            Status::ReturnedLate => "returned_late",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// Active: the placement holds the worker and a seat of the vacancy. The unique index
    /// `placements_one_active_per_worker` (migrations) lists the same four final states.
    pub fn is_active(self) -> bool {
        !matches!(self, Status::Declined | Status::Withdrawn | Status::Returned | Status::ReturnedLate)
    }

    /// The active statuses, for queries.
    pub fn active() -> impl Iterator<Item = Status> {
        Status::ALL.into_iter().filter(|s| s.is_active())
    }

    /// The worker has crossed to work, so pay is due and payslips are reported.
    pub fn has_worked(self) -> bool {
        self.is_abroad() || matches!(self, Status::Returned | Status::ReturnedLate)
    }

    /// The worker is (or may be) abroad: a return can be recorded.
    pub fn is_abroad(self) -> bool {
        matches!(self, Status::Departed | Status::Completed | Status::Terminated | Status::Overstayed)
    }
}

/// What someone does to a placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// The worker accepts the current contract version.
    Accept,
    /// The worker declines, before departure.
    Decline,
    /// The agency or the employer withdraws the offer, before departure.
    Withdraw,
    /// The employer amends the contract: a new version the worker must accept again.
    Amend,
    /// A regulator issues the permit.
    IssuePermit,
    /// A regulator revokes the permit before departure: back to accepted.
    RevokePermit,
    /// The agency records the departure across the border.
    Depart,
    /// The employer records the end of the season.
    Complete,
    /// The employer ends the placement early.
    Terminate,
    /// The agency records the return; `late` when after the permit's validity.
    Return { late: bool },
    /// The sweeper: the permit expired and no return is recorded.
    Overstay,
}

impl Action {
    /// The role that may take this action; `None` for the system's own (the sweeper).
    pub fn roles(self) -> &'static [Role] {
        match self {
            Action::Accept | Action::Decline => &[Role::Worker],
            Action::Withdraw => &[Role::Agency, Role::Employer],
            Action::Amend | Action::Complete | Action::Terminate => &[Role::Employer],
            Action::IssuePermit | Action::RevokePermit => &[Role::Regulator],
            Action::Depart | Action::Return { .. } => &[Role::Agency],
            Action::Overstay => &[],
        }
    }

    /// The audit log's name for the action.
    pub fn name(self) -> &'static str {
        match self {
            Action::Accept => "placement.accepted",
            Action::Decline => "placement.declined",
            Action::Withdraw => "placement.withdrawn",
            Action::Amend => "placement.amended",
            Action::IssuePermit => "permit.issued",
            Action::RevokePermit => "permit.revoked",
            Action::Depart => "placement.departed",
            Action::Complete => "placement.completed",
            Action::Terminate => "placement.terminated",
            Action::Return { late: false } => "placement.returned",
            Action::Return { late: true } => "placement.returned_late",
            Action::Overstay => "placement.overstayed",
        }
    }
}

/// Where `action` takes a placement in `from`, or `None` when it may not.
pub fn next(from: Status, action: Action) -> Option<Status> {
    use Status::*;
    match (action, from) {
        (Action::Accept, Offered) => Some(Accepted),
        (Action::Decline, Offered | Accepted | Permitted) => Some(Declined),
        (Action::Withdraw, Offered | Accepted | Permitted) => Some(Withdrawn),
        (Action::Amend, Offered | Accepted) => Some(Offered),
        (Action::IssuePermit, Accepted) => Some(Permitted),
        (Action::RevokePermit, Permitted) => Some(Accepted),
        (Action::Depart, Permitted) => Some(Departed),
        (Action::Complete, Departed) => Some(Completed),
        (Action::Terminate, Departed) => Some(Terminated),
        (Action::Return { late: false }, Departed | Completed | Terminated) => Some(Returned),
        (Action::Return { late: true }, Departed | Completed | Terminated | Overstayed) => Some(ReturnedLate),
        (Action::Overstay, Departed | Completed | Terminated) => Some(Overstayed),
        _ => None,
    }
}

/// Where a permit stands on `day`: valid, revoked, expired or not_yet_valid. The one rule
/// behind the public check, the departure and the placement page.
pub fn permit_state(
    stored_status: &str,
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    day: NaiveDate,
) -> &'static str {
    if stored_status == "revoked" {
        "revoked"
    } else if day < valid_from {
        "not_yet_valid"
    } else if day > valid_until {
        "expired"
    } else {
        "valid"
    }
}

text_enum! {
    /// An item of the departure checklist, in the order the departure checks them.
    ChecklistItem {
        ContractAccepted => "contract_accepted",
        PermitValid => "permit_valid",
        InsuranceVerified => "insurance_verified",
        OrientationAttended => "orientation_attended",
    }
}

/// Where each item of a placement's departure checklist stands: no departure while one is
/// open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Checklist {
    pub contract_accepted: bool,
    pub permit_valid: bool,
    pub insurance_verified: bool,
    pub orientation_attended: bool,
}

impl Checklist {
    /// Each item with whether it is done, in the order the departure checks them.
    pub fn items(&self) -> [(ChecklistItem, bool); 4] {
        [
            (ChecklistItem::ContractAccepted, self.contract_accepted),
            (ChecklistItem::PermitValid, self.permit_valid),
            (ChecklistItem::InsuranceVerified, self.insurance_verified),
            (ChecklistItem::OrientationAttended, self.orientation_attended),
        ]
    }

    /// The items still open, in that order: empty when the worker may cross.
    pub fn open(&self) -> Vec<ChecklistItem> {
        self.items().into_iter().filter(|(_, done)| !done).map(|(item, _)| item).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn the_checklist_names_every_open_item_in_the_order_departure_checks_them() {
        let done = Checklist {
            contract_accepted: true,
            permit_valid: true,
            insurance_verified: true,
            orientation_attended: true,
        };
        assert!(done.open().is_empty());
        let two = Checklist { permit_valid: false, orientation_attended: false, ..done };
        assert_eq!(two.open(), [ChecklistItem::PermitValid, ChecklistItem::OrientationAttended]);
        assert_eq!(Checklist::default().open().len(), 4);
        assert_eq!(ChecklistItem::OrientationAttended.as_str(), "orientation_attended");
    }

    const ACTIONS: [Action; 12] = [
        Action::Accept,
        Action::Decline,
        Action::Withdraw,
        Action::Amend,
        Action::IssuePermit,
        Action::RevokePermit,
        Action::Depart,
        Action::Complete,
        Action::Terminate,
        Action::Return { late: false },
        Action::Return { late: true },
        Action::Overstay,
    ];

    /// Every allowed transition, listed by hand from DESIGN.md; everything else is refused.
    const ALLOWED: &[(Status, Action, Status)] = &[
        (Offered, Action::Accept, Accepted),
        (Offered, Action::Decline, Declined),
        (Accepted, Action::Decline, Declined),
        (Permitted, Action::Decline, Declined),
        (Offered, Action::Withdraw, Withdrawn),
        (Accepted, Action::Withdraw, Withdrawn),
        (Permitted, Action::Withdraw, Withdrawn),
        (Offered, Action::Amend, Offered),
        (Accepted, Action::Amend, Offered),
        (Accepted, Action::IssuePermit, Permitted),
        (Permitted, Action::RevokePermit, Accepted),
        (Permitted, Action::Depart, Departed),
        (Departed, Action::Complete, Completed),
        (Departed, Action::Terminate, Terminated),
        (Departed, Action::Return { late: false }, Returned),
        (Completed, Action::Return { late: false }, Returned),
        (Terminated, Action::Return { late: false }, Returned),
        (Departed, Action::Return { late: true }, ReturnedLate),
        (Completed, Action::Return { late: true }, ReturnedLate),
        (Terminated, Action::Return { late: true }, ReturnedLate),
        (Overstayed, Action::Return { late: true }, ReturnedLate),
        (Departed, Action::Overstay, Overstayed),
        (Completed, Action::Overstay, Overstayed),
        (Terminated, Action::Overstay, Overstayed),
    ];

    #[test]
    fn every_allowed_transition_is_allowed_and_every_other_refused() {
        let mut allowed = 0;
        for from in Status::ALL {
            for action in ACTIONS {
                let expected =
                    ALLOWED.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
                assert_eq!(next(from, action), expected, "{from:?} --{action:?}-->");
                allowed += usize::from(expected.is_some());
            }
        }
        assert_eq!(allowed, ALLOWED.len());
    }

    #[test]
    fn final_states_admit_nothing_and_are_the_inactive_ones() {
        for from in [Declined, Withdrawn, Returned, ReturnedLate] {
            assert!(!from.is_active());
            assert!(ACTIONS.iter().all(|a| next(from, *a).is_none()), "{from:?}");
        }
        assert_eq!(Status::active().count(), 7);
    }

    #[test]
    fn no_departure_before_a_permit_and_no_return_before_departure() {
        for from in [Offered, Accepted] {
            assert_eq!(next(from, Action::Depart), None);
        }
        for from in [Offered, Accepted, Permitted] {
            assert_eq!(next(from, Action::Return { late: false }), None);
            assert_eq!(next(from, Action::Overstay), None);
        }
        // An overstay can only end late.
        assert_eq!(next(Overstayed, Action::Return { late: false }), None);
    }

    #[test]
    fn pay_is_due_from_departure_on() {
        let worked: Vec<Status> = Status::ALL.into_iter().filter(|s| s.has_worked()).collect();
        assert_eq!(worked, [Departed, Completed, Terminated, Overstayed, Returned, ReturnedLate]);
    }

    #[test]
    fn names_round_trip_and_only_the_sweeper_has_no_role() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("lost"), None);
        for action in ACTIONS {
            assert_eq!(action.roles().is_empty(), action == Action::Overstay, "{action:?}");
        }
    }
}
