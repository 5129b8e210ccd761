//! What placements look like: the inputs of their actions, the views their parties read,
//! and the rules that come from config. No logic but the shapes; everything above reads
//! these.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::contract::{Insurance, Terms};
use crate::domain::money::Fen;
use crate::domain::pay::{Deduction, PayBasis};
use crate::domain::pay_period::Period;
use crate::domain::payslip::PayRules;
use crate::domain::placement::{ChecklistItem, Status};
use crate::ids::{AgencyId, EmployerId, PlacementId, VacancyId, WorkerId};
use crate::services::compliance::{PayPeriod, PayslipView};
use crate::services::reference::Reference;

/// What the service needs from the settings.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    pub permit_grace_days: i64,
    pub deductions_cap_percent: i64,
    pub pay_grace_days: i64,
}

impl Rules {
    pub fn of(settings: &crate::config::Settings) -> Rules {
        Rules {
            permit_grace_days: settings.placements.permit_grace_days,
            deductions_cap_percent: settings.rules.deductions_cap_percent,
            pay_grace_days: settings.rules.pay_grace_days,
        }
    }

    /// The rules a payslip is checked under.
    pub fn pay(self) -> PayRules {
        PayRules { deductions_cap_percent: self.deductions_cap_percent, pay_grace_days: self.pay_grace_days }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    pub vacancy_id: VacancyId,
    pub worker_id: WorkerId,
}

/// Changes an employer makes to a contract. Absent fields keep their value.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    pub pay_basis: Option<PayBasis>,
    pub wage_fen: Option<Fen>,
    pub piece_unit: Option<String>,
    pub guaranteed_hourly_fen: Option<Fen>,
    pub hours_per_week: Option<i32>,
    pub guaranteed_hours_per_week: Option<i32>,
    pub deductions: Option<Vec<Deduction>>,
    pub housing_provided: Option<bool>,
    /// The work-injury and return insurance the contract states from this version on.
    pub insurance: Option<Insurance>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentRequest {
    pub changes: Amendment,
    /// Why the terms change, for the worker and the audit log.
    pub reason: Option<String>,
}

/// The worker's consent to one version, read in one language.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    pub version: i32,
    pub sha256: String,
    /// vi, zh-CN or en: the language the worker read.
    pub lang: String,
}

/// A reason, required where an action ends something early.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub reason: Option<String>,
}

impl Reason {
    /// The reason trimmed, or `None` when none was given.
    pub(super) fn given(self) -> Option<String> {
        self.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty())
    }
}

/// A border crossing, out or back, as the agency records it. Named `CrossingRecord` in the
/// document: `Crossing` is the reference data's crossing point, and one name would hide the
/// other.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = CrossingRecord)]
#[serde(deny_unknown_fields)]
pub struct Crossing {
    pub crossing_code: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractRef {
    pub version: i32,
    pub sha256: String,
    /// Whether the worker accepted this version.
    pub accepted: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Permit {
    pub permit_number: String,
    /// For the holder, its agency and regulators: with the number, it opens the public check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// valid or revoked.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BorderCrossing {
    /// departure or return.
    pub kind: String,
    pub crossing_code: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// The worker as the viewer may see it: the employer sees initials until the worker has
/// accepted an offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlacedWorker {
    pub id: WorkerId,
    /// The full name, or initials for an employer before acceptance.
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Placement {
    pub id: PlacementId,
    pub status: Status,
    pub vacancy_id: VacancyId,
    pub vacancy_title: String,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub employer_id: EmployerId,
    pub employer_name: String,
    pub agency_id: AgencyId,
    pub agency_name: String,
    pub worker: PlacedWorker,
    pub contract: ContractRef,
    /// The worker's acceptance of the current version: for the worker itself and regulators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<AcceptanceRecord>,
    pub permit: Option<Permit>,
    pub crossings: Vec<BorderCrossing>,
    /// Pay periods unreported past the grace period (`rules.pay_grace_days`): missing pay,
    /// each a finding on a case against the employer, until a payslip covers it.
    pub pay_missing: Vec<Period>,
    /// Oldest first; only in the answer for one placement.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<TimelineEntry>,
    /// The insurance the current contract states, and whether the permit desk verified it;
    /// only in the answer for one placement, and only when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insurance: Option<InsuranceState>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The insurance a contract states, as the permit desk left it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InsuranceState {
    pub stated: Insurance,
    pub verified: bool,
}

/// The worker's informed consent to one contract version: what it accepted, in which
/// language, and how it proved it was itself.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AcceptanceRecord {
    pub version: i32,
    pub sha256: String,
    /// The language the worker read: vi, zh-CN or en.
    pub language: String,
    pub accepted_at: DateTime<Utc>,
    /// How the worker's session was authenticated: password, activation (a one-time code
    /// from its own channel, then its own password) or reset; absent for acceptances
    /// recorded before this was kept.
    pub auth_method: Option<String>,
    /// When that session began.
    pub authenticated_at: Option<DateTime<Utc>>,
}

/// What anyone may learn from a permit's number and check code.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPermit {
    pub valid: bool,
    /// valid, revoked, expired or not_yet_valid.
    pub status: String,
    pub holder_initials: String,
    pub employer_name: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Alert {
    /// overstay.
    pub kind: String,
    pub placement_id: PlacementId,
    pub raised_at: DateTime<Utc>,
}

/// One version of a placement's contract: its terms and their hash.
#[derive(Debug, Clone)]
pub struct ContractVersion {
    pub version: i32,
    pub sha256: String,
    pub terms: Terms,
    /// Whether the worker accepted this version.
    pub accepted: bool,
    /// An employer before the worker's acceptance: the holder is shown by initials only,
    /// and the terms are not handed out (the hash is).
    pub pseudonymous: bool,
    /// Where the placement stands, and whose it is.
    pub status: Status,
    pub employer_id: EmployerId,
}

/// What a party may do next on a placement, given its role and the placement's status: the
/// actions its page offers. The actions themselves check again.
#[derive(Debug, Clone, Copy, Default)]
pub struct NextSteps {
    pub accept: bool,
    pub decline: bool,
    pub withdraw: bool,
    pub permit: bool,
    pub revoke: bool,
    pub depart: bool,
    pub complete: bool,
    pub terminate: bool,
    pub record_return: bool,
    /// The employer reports payslips once the worker has worked.
    pub report_payslip: bool,
    /// The agency, or an authority of Viet Nam's side, records the pre-departure orientation.
    pub record_orientation: bool,
    /// The employer amends the contract (before the permit).
    pub amend: bool,
    /// The employer names the worker, home on time, for one of its next vacancies.
    pub name_worker: bool,
}

/// The pre-departure orientation as recorded: the day it was attended (in China's days, as
/// every day the scheme counts) and where.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Orientation {
    pub attended_on: NaiveDate,
    #[schema(example = "Sở Nội vụ tỉnh Lạng Sơn, 9 Hoàng Văn Thụ")]
    pub place: String,
}

/// One item of the departure checklist.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistEntry {
    pub item: ChecklistItem,
    pub done: bool,
}

/// A placement's departure checklist on a day: the items in the order the departure checks
/// them, whether the worker may cross, and the orientation if recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartureChecklist {
    pub items: Vec<ChecklistEntry>,
    /// Every item done.
    pub ready: bool,
    pub orientation: Option<Orientation>,
}

/// One placement as its page shows it, read together: the placement with its timeline, its
/// current contract, the border crossings to choose from, its payslips, and what the reader
/// may do next.
#[derive(Debug, Clone)]
pub struct PlacementPage {
    pub placement: Placement,
    pub contract: ContractVersion,
    pub reference: Reference,
    pub payslips: Vec<PayslipView>,
    /// Where each pay period stands, as far as today.
    pub pay_periods: Vec<PayPeriod>,
    pub next: NextSteps,
    pub checklist: DepartureChecklist,
    /// Where the employer may name the worker for next season: its vacancies not closed
    /// (empty unless `next.name_worker`).
    pub next_vacancies: Vec<(VacancyId, String)>,
}
