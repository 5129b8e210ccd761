//! A regulator's correction of who a worker is: the only way while the worker's identity is
//! in use, and its permits issued again to the corrected holder.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::registry::{already_registered, changed_fields, field_errors, to_row, unique_means_registered};
use super::{Worker, context, find_visible};
use crate::actor::Actor;
use crate::db::workers;
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::calendar::china_day;
use crate::domain::worker::{self as rules, Draft};
use crate::error::AppError;
use crate::ids::WorkerId;
use crate::services::accounts::invalid;
use crate::services::audit;
use crate::services::authorities::scope_in;
use crate::state::AppState;

/// A regulator's correction of who a worker is.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityCorrection {
    pub full_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub id_document_number: Option<String>,
    /// Why, for the audit log: the document seen, the error found.
    pub reason: String,
}

/// What a correction changed, and the permits it reissued.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Corrected {
    pub worker: Worker,
    pub fields: Vec<String>,
    /// The permits revoked for the old identity and issued again for the new one.
    pub reissued_permits: Vec<crate::services::placements::Permit>,
}

/// A regulator corrects a worker's name, birth date or document number, with a reason, at
/// any time: every valid permit of the worker is revoked and issued again (new number and
/// check code) to the corrected holder, and the audit log says who, what and why.
pub async fn correct_identity(
    state: &AppState,
    actor: &Actor,
    id: &WorkerId,
    correction: IdentityCorrection,
) -> Result<Corrected, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| correct_identity_in(conn, &actor, &id, correction, now)).await
}

fn correct_identity_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &WorkerId,
    correction: IdentityCorrection,
    now: DateTime<Utc>,
) -> Result<Corrected, AppError> {
    actor.require(Role::Regulator)?;
    let reason = correction.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(invalid("reason", "say why, in at most 500 characters"));
    }
    let today = china_day(now);
    // A worker the reader's authority does not oversee is not found.
    let scope = scope_in(conn, actor)?;
    find_visible(conn, id, &scope)?;
    let current = workers::find(conn, id)?.ok_or_else(AppError::not_found)?;
    let ctx = context(conn, today)?;
    let r = &current.row;
    let draft = Draft {
        full_name: correction.full_name.unwrap_or_else(|| r.full_name.clone()),
        date_of_birth: Some(correction.date_of_birth.unwrap_or(r.date_of_birth)),
        gender: r.gender.clone(),
        id_document_number: correction.id_document_number.unwrap_or_else(|| r.id_document_number.clone()),
        home_province_code: r.home_province_code.clone(),
        phone: r.phone.clone(),
        email: r.email.clone(),
        languages: current.languages.clone(),
        skills: current.skills.clone(),
        available_from: Some(r.available_from),
        available_until: Some(r.available_until),
        seasons_worked: Some(r.seasons_worked),
    };
    let valid = rules::validate(draft, &ctx).map_err(field_errors)?;
    let fields = changed_fields(&current, &valid);
    if fields.is_empty() {
        return Err(invalid("full_name", "nothing to correct: give the name, birth date or document number"));
    }
    if !workers::registered_documents(conn, std::slice::from_ref(&valid.id_document_number), Some(id))?
        .is_empty()
    {
        return Err(already_registered());
    }
    let updated = to_row(id.clone(), r.agency_id.clone(), &valid, r.created_at.and_utc(), now);
    workers::update(conn, &updated).map_err(unique_means_registered)?;
    let reissued = crate::services::placements::reissue_permits_in(conn, actor, id, &reason, now)?;
    audit::record(
        conn,
        Some(&actor.user_id),
        "worker.identity_corrected",
        ("worker", id.as_str()),
        json!({"fields": fields, "reason": reason,
               "permits": reissued.iter().map(|p| p.permit_number.clone()).collect::<Vec<_>>()}),
        now,
    )?;
    Ok(Corrected {
        worker: find_visible(conn, id, &scope)?,
        fields: fields.into_iter().map(str::to_owned).collect(),
        reissued_permits: reissued,
    })
}
