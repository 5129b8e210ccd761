//! What the compliance use cases share: how a case is opened and its findings stored, and
//! how a free text is checked. Every other file of the area imports from here, never from
//! each other.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::actor::Actor;
use crate::db::DbConnection;
use crate::db::compliance::{self as store, CaseRow, FindingRow};
use crate::domain::authority::Country;
use crate::domain::case::{CaseKind, CaseStatus, SubjectKind, routed_to};
use crate::domain::event::EventType;
use crate::domain::money::Fen;
use crate::domain::pay_period::{Period, covered};
use crate::domain::payslip::Finding;
use crate::error::AppError;
use crate::ids::{AgencyId, CaseId, EmployerId, PayslipId, PlacementId, UserId};
use crate::services::accounts::invalid;
use crate::services::audit;
use crate::services::events::{self, NewEvent, Subject};

/// The longest text of a complaint, a note or a description.
pub(super) const MAX_TEXT: usize = 5000;

/// A required text, trimmed, of at most `max` characters.
pub(super) fn text(field: &'static str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(invalid(field, "required, and not too long"));
    }
    Ok(value.to_owned())
}

/// An optional text, trimmed: none when absent or blank, else at most `max` characters.
pub(super) fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(value) if value.chars().count() > max => {
            Err(invalid(field, &format!("at most {max} characters")))
        }
        value => Ok(value.map(str::to_owned)),
    }
}

/// The languages a report from the public is written in.
pub(super) const LANGUAGES: [&str; 3] = ["vi", "zh-CN", "en"];

/// A language of [`LANGUAGES`] (422 on `language` otherwise).
pub(super) fn language(value: &str) -> Result<String, AppError> {
    if LANGUAGES.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(invalid("language", "vi, zh-CN or en"))
    }
}

/// How to reach whoever reports, if it wishes (at most 200 characters). Without one, a report
/// from the public is anonymous: see [`reporter`].
pub(super) fn contact(value: Option<&str>) -> Result<Option<String>, AppError> {
    optional_text("contact", value, 200)
}

/// The account a report from the public is kept with: a signed-in reporter's only when it
/// gave a contact. Without one the report is anonymous, as the forms promise — kept neither
/// with the report nor as the actor of its audit entry.
pub(super) fn reporter<'a>(actor: Option<&'a Actor>, contact: Option<&String>) -> Option<&'a UserId> {
    actor.filter(|_| contact.is_some()).map(|a| &a.user_id)
}

/// A new reference for a report from the public, which follows it without an account:
/// `prefix`, a dash and ten characters people can read back (`C-7KQ2MX9WPA`).
pub(super) fn new_reference(prefix: &str) -> String {
    format!("{prefix}-{}", crate::codes::random_code(10))
}

/// A reference as typed: trimmed, in capitals.
pub(super) fn typed_reference(reference: &str) -> String {
    reference.trim().to_uppercase()
}

/// Where a report's case stands: its status and when it was resolved, if it was.
pub(super) fn standing(
    conn: &mut DbConnection,
    case_id: &CaseId,
) -> Result<(CaseStatus, Option<DateTime<Utc>>), AppError> {
    let case = store::find_case(conn, case_id)?.ok_or_else(AppError::not_found)?;
    let status = CaseStatus::parse(&case.status)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored case status {:?}", case.status)))?;
    Ok((status, case.resolved_at.map(|r| r.and_utc())))
}

/// Opens a case, routed to the side of the party it concerns ([`routed_to`]); returns its id.
#[allow(clippy::too_many_arguments)]
pub(super) fn open_case(
    conn: &mut DbConnection,
    kind: CaseKind,
    subject: (SubjectKind, Option<&str>),
    region_code: Option<&str>,
    placement_id: Option<&PlacementId>,
    owed: Fen,
    by: Option<&UserId>,
    now: DateTime<Utc>,
) -> Result<CaseId, AppError> {
    let id = CaseId::generate();
    let agency_country = match subject {
        (SubjectKind::Agency, Some(agency)) => {
            crate::db::agencies::find(conn, &AgencyId::from(agency))?.and_then(|a| Country::parse(&a.country))
        }
        _ => None,
    };
    let side = routed_to(subject.0, agency_country);
    store::insert_case(
        conn,
        &CaseRow {
            id: id.clone(),
            kind: kind.as_str().to_owned(),
            subject_kind: subject.0.as_str().to_owned(),
            subject_id: subject.1.map(str::to_owned),
            region_code: region_code.map(str::to_owned),
            placement_id: placement_id.cloned(),
            status: CaseStatus::Open.as_str().to_owned(),
            assigned_to: None,
            amount_owed_fen: owed,
            outcome: None,
            amount_recovered_fen: None,
            opened_at: now.naive_utc(),
            resolved_at: None,
            upheld: None,
            routed_to: side.as_str().to_owned(),
        },
    )?;
    let detail = json!({"kind": kind.as_str(), "subject_kind": subject.0.as_str(), "subject_id": subject.1,
                        "owed_fen": owed, "routed_to": side.as_str()});
    audit::record(conn, by, "case.opened", ("case", id.as_str()), detail, now)?;
    let subject = Subject {
        case_id: Some(id.clone()),
        placement_id: placement_id.cloned(),
        employer_id: subject.1.filter(|_| subject.0 == SubjectKind::Employer).map(EmployerId::from),
        agency_id: subject.1.filter(|_| subject.0 == SubjectKind::Agency).map(AgencyId::from),
        ..Subject::default()
    };
    let data = json!({"kind": kind.as_str(), "region_code": region_code, "owed_fen": owed});
    events::record(conn, NewEvent::new(EventType::CaseOpened, subject, data), now)?;
    Ok(id)
}

/// Resolves a case (`by` a regulator, or by the system when the cause went away): stored,
/// audited, and announced to partners, who read only that it is resolved.
pub(super) fn resolve_case(
    conn: &mut DbConnection,
    case: &CaseRow,
    by: Option<&UserId>,
    (outcome, recovered, upheld): (&str, Fen, bool),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::resolve(conn, &case.id, outcome, recovered, upheld, now.naive_utc())?;
    let detail = json!({"outcome": outcome, "amount_recovered_fen": recovered, "upheld": upheld});
    audit::record(conn, by, "case.resolved", ("case", case.id.as_str()), detail, now)?;
    let against = |kind: SubjectKind| case.subject_id.clone().filter(|_| case.subject_kind == kind.as_str());
    let subject = Subject {
        case_id: Some(case.id.clone()),
        placement_id: case.placement_id.clone(),
        employer_id: against(SubjectKind::Employer).map(EmployerId::from),
        agency_id: against(SubjectKind::Agency).map(AgencyId::from),
        ..Subject::default()
    };
    events::record(conn, NewEvent::new(EventType::CaseResolved, subject, json!({"kind": case.kind})), now)?;
    Ok(())
}

/// The outcome of a missing-pay case whose every period came to be reported.
pub(super) const PAY_REPORTED: &str = "The missing pay was reported.";

/// Settles the placement's pay gaps whose days `reported` now covers; a case left with no open
/// gap, and nothing else found, is resolved by the system: the pay was reported.
pub(super) fn settle_pay_gaps(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
    reported: &[Period],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let gaps = store::pay_gaps_of(conn, Some(std::slice::from_ref(placement_id)), None)?;
    let mut cases = Vec::new();
    for gap in gaps.iter().filter(|g| g.settled_at.is_none()) {
        if covered(Period::new(gap.period_start, gap.period_end), reported) {
            store::settle_pay_gap(conn, placement_id, gap.period_start, now.naive_utc())?;
            if !cases.contains(&gap.case_id) {
                cases.push(gap.case_id.clone());
            }
        }
    }
    for case_id in cases {
        let Some(case) = store::find_case(conn, &case_id)? else { continue };
        let only_missing_pay = store::findings_of_case(conn, &case_id)?.iter().all(|f| f.code == PAY_MISSING);
        if case.status != CaseStatus::Resolved.as_str()
            && only_missing_pay
            && store::open_pay_gaps_of_case(conn, &case_id)? == 0
        {
            resolve_case(conn, &case, None, (PAY_REPORTED, Fen::ZERO, true), now)?;
        }
    }
    Ok(())
}

/// The finding of a pay period unreported past its grace period.
pub(super) const PAY_MISSING: &str = "pay_missing";

/// Stores a case's findings, each tied to the placement (and the payslip that raised it).
pub(super) fn store_findings(
    conn: &mut DbConnection,
    case_id: &CaseId,
    payslip_id: Option<&PayslipId>,
    placement_id: &PlacementId,
    found: &[Finding],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for f in found {
        store::insert_finding(
            conn,
            &FindingRow {
                id: uuid::Uuid::now_v7().to_string(),
                case_id: case_id.clone(),
                payslip_id: payslip_id.cloned(),
                placement_id: Some(placement_id.clone()),
                code: f.code.clone(),
                required: f.required,
                actual: f.actual,
                owed_fen: f.owed_fen,
                created_at: now.naive_utc(),
            },
        )?;
    }
    Ok(())
}

/// A stored finding as the domain states it.
pub(super) fn finding(row: FindingRow) -> Finding {
    Finding { code: row.code, required: row.required, actual: row.actual, owed_fen: row.owed_fen }
}
