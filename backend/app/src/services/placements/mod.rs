//! Placements: an offer, the contract the worker reads and accepts, the permit, the border
//! crossings and the return. Every action is one transaction that checks role, tenancy and
//! licence with the [`Actor`](crate::actor::Actor), moves the state by
//! `domain::placement::next`, and appends to the audit log.
//!
//! Built in floors, each using only those below it:
//! - `model`: what a placement, a contract version, a permit and a crossing look like;
//! - `views`: how they are loaded and shown to each party (the reader's scope);
//! - `steps`: what every action shares (the state machine's move, a contract's terms);
//! - the actions, one file per group, never calling each other: `offers` (offers and their
//!   answers, named requests), `contracts` (amendments), `permits` (and the insurance they
//!   need), `orientation`, `crossings` (departure, the season's end, the return, the
//!   overstay sweeper).

mod contracts;
mod crossings;
mod model;
mod offers;
mod orientation;
mod permits;
mod steps;
mod views;

pub use contracts::amend;
pub use crossings::{alerts, depart, depart_in, finish, finish_in, record_return, record_return_in, sweep};
pub use model::{
    Acceptance, Alert, Amendment, AmendmentRequest, BorderCrossing, ChecklistEntry, ContractRef,
    ContractVersion, Crossing, DepartureChecklist, NextSteps, OfferInput, Orientation, Permit, PlacedWorker,
    Placement, PlacementPage, PublicPermit, Reason, Rules, TimelineEntry,
};
pub use offers::{
    accept, accept_in, end_before_departure, end_before_departure_in, name_worker, offer, offer_in,
};
pub use orientation::{record_orientation, record_orientation_in};
pub use permits::{
    check_permit, issue_permit, issue_permit_in, reissue_permits_in, revoke_permit, verify_insurance,
    verify_insurance_in,
};
pub use views::{
    checklist, contract, contract_in, find, list, list_in, page, require_visible, with_contract,
};
