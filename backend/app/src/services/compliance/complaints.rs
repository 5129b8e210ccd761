//! Complaints: anyone files one, signed in or not, about an agency, an employer or neither;
//! it opens a case, and its reference lets the complainant follow the case without an
//! account.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{
    MAX_TEXT, contact, language, new_reference, open_case, reporter, standing, text, typed_reference,
};
use crate::actor::Actor;
use crate::db::compliance::{self as store, ComplaintRow};
use crate::db::{self, DbConnection};
use crate::domain::account::EmployerStatus;
use crate::domain::case::{CaseKind, CaseStatus, SubjectKind};
use crate::domain::money::Fen;
use crate::error::AppError;
use crate::ids::{AgencyId, ComplaintId, EmployerId};
use crate::services::accounts::invalid;
use crate::services::limits::{self, Limit};
use crate::state::AppState;

pub const CATEGORIES: [&str; 7] =
    ["fees", "wages", "documents_withheld", "housing", "safety", "violence", "other"];

/// A complaint, from anyone.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintInput {
    /// fees, wages, documents_withheld, housing, safety, violence or other.
    pub category: String,
    pub agency_id: Option<AgencyId>,
    pub employer_id: Option<EmployerId>,
    pub text: String,
    /// vi, zh-CN or en.
    pub language: String,
    /// How to reach the complainant, if it wishes; never shown to the employer or agency.
    /// Without one the complaint is anonymous, even from a signed-in account.
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintReceipt {
    /// With it, the complainant follows the complaint without logging in.
    #[schema(example = "C-7KQ2MX9WPA")]
    pub reference: String,
}

/// What a complainant may learn by its reference: where the complaint stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintStatus {
    pub reference: String,
    pub category: String,
    pub status: CaseStatus,
    pub filed_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// Files a complaint. Without a contact it is anonymous, as the complaint form promises: the
/// account of a signed-in complainant is kept neither with the complaint nor as the actor of
/// its audit entry. With a contact, the signed-in account is kept too; only regulators read
/// either.
///
/// Each client address files at most `limits.complaints_per_client_hourly` an hour.
pub async fn file_complaint(
    state: &AppState,
    client: Option<IpAddr>,
    actor: Option<&Actor>,
    input: ComplaintInput,
) -> Result<ComplaintReceipt, AppError> {
    // Every try counts, a refused one too: in its own transaction, before the work.
    let limit = Limit::hourly("complaints-client", state.settings.limits.complaints_per_client_hourly);
    limits::hit(state, limits::per_client(limit, client)).await?;
    let (actor, now) = (actor.cloned(), state.clock.now());
    db::transaction(&state.pool, move |conn| file_complaint_in(conn, actor.as_ref(), input, now)).await
}

/// [`file_complaint`] inside the caller's transaction.
pub fn file_complaint_in(
    conn: &mut DbConnection,
    actor: Option<&Actor>,
    input: ComplaintInput,
    now: DateTime<Utc>,
) -> Result<ComplaintReceipt, AppError> {
    if !CATEGORIES.contains(&input.category.as_str()) {
        return Err(invalid(
            "category",
            "fees, wages, documents_withheld, housing, safety, violence or other",
        ));
    }
    let language = language(&input.language)?;
    let body = text("text", &input.text, MAX_TEXT)?;
    let contact = contact(input.contact.as_deref())?;
    let agency = input.agency_id.filter(|a| !a.as_str().is_empty());
    let employer = input.employer_id.filter(|e| !e.as_str().is_empty());
    if let Some(a) = &agency
        && crate::db::agencies::find(conn, a)?.is_none()
    {
        return Err(invalid("agency_id", "unknown agency"));
    }
    let mut region = None;
    if let Some(e) = &employer {
        let row =
            crate::db::employers::find(conn, e).map_err(|_| invalid("employer_id", "unknown employer"))?;
        region = Some(row.region_code);
    }
    let subject = match (&employer, &agency) {
        (Some(e), _) => (SubjectKind::Employer, Some(e.as_str())),
        (None, Some(a)) => (SubjectKind::Agency, Some(a.as_str())),
        (None, None) => (SubjectKind::None, None),
    };
    let by = reporter(actor, contact.as_ref());
    let case_id = open_case(conn, CaseKind::Complaint, subject, region.as_deref(), None, Fen::ZERO, by, now)?;
    let reference = new_reference("C");
    store::insert_complaint(
        conn,
        &ComplaintRow {
            id: ComplaintId::generate(),
            reference: reference.clone(),
            category: input.category,
            agency_id: agency,
            employer_id: employer,
            text: body,
            language,
            contact,
            filed_by: by.cloned(),
            case_id,
            created_at: now.naive_utc(),
        },
    )?;
    Ok(ComplaintReceipt { reference })
}

/// Where a complaint stands, by its reference; an unknown reference is 404.
pub async fn complaint_status(state: &AppState, reference: &str) -> Result<ComplaintStatus, AppError> {
    let reference = reference.to_owned();
    db::run(&state.pool, move |conn| complaint_status_in(conn, &reference)).await
}

fn complaint_status_in(conn: &mut DbConnection, reference: &str) -> Result<ComplaintStatus, AppError> {
    let complaint =
        store::complaint_by_reference(conn, &typed_reference(reference))?.ok_or_else(AppError::not_found)?;
    let (status, resolved_at) = standing(conn, &complaint.case_id)?;
    Ok(ComplaintStatus {
        reference: complaint.reference,
        category: complaint.category,
        status,
        filed_at: complaint.created_at.and_utc(),
        resolved_at,
    })
}

/// An agency or an employer a complaint may name.
#[derive(Debug, Clone)]
pub struct ComplaintSubject {
    pub id: String,
    pub name: String,
    /// An agency's licence number; none for an employer.
    pub licence_number: Option<String>,
}

/// Whom the complaint form offers to name: every agency, and every verified employer, each
/// oldest first. Public.
#[derive(Debug, Clone)]
pub struct ComplaintSubjects {
    pub agencies: Vec<ComplaintSubject>,
    pub employers: Vec<ComplaintSubject>,
}

/// What the complaint form needs (anyone, signed in or not).
pub async fn complaint_subjects(state: &AppState) -> Result<ComplaintSubjects, AppError> {
    db::run(&state.pool, move |conn| {
        let agencies = crate::db::agencies::list(conn)?
            .into_iter()
            .map(|a| ComplaintSubject {
                id: a.id.into_string(),
                name: a.name,
                licence_number: Some(a.licence_number),
            })
            .collect();
        let employers = crate::db::employers::list(conn, Some(EmployerStatus::Verified.as_str()))?
            .into_iter()
            .map(|e| ComplaintSubject { id: e.id.into_string(), name: e.name, licence_number: None })
            .collect();
        Ok(ComplaintSubjects { agencies, employers })
    })
    .await
}
