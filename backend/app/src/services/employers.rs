//! Employers register themselves and are verified by a regulator.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{DbConnection, employers, reference};
use crate::domain::account::Role;
use crate::error::{AppError, ErrorCode};
use crate::services::accounts::{self, NewAccount, invalid};
use crate::services::audit;
use crate::services::reference::is_receiving;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    #[schema(example = "Ningming Sugar Co.")]
    pub name: String,
    /// The unified social credit code (统一社会信用代码) or another registration number.
    pub registration_no: String,
    #[schema(example = "451422")]
    pub region_code: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Employer {
    pub id: String,
    pub name: String,
    pub registration_no: String,
    pub region_code: String,
    /// "pending" or "verified".
    pub status: String,
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<employers::EmployerRow> for Employer {
    fn from(row: employers::EmployerRow) -> Self {
        Employer {
            id: row.id,
            name: row.name,
            registration_no: row.registration_no,
            region_code: row.region_code,
            status: row.status,
            verified_at: row.verified_at.map(|t| t.and_utc()),
            created_at: row.created_at.and_utc(),
        }
    }
}

/// Registers an employer (pending) with its first account.
pub fn register(
    conn: &mut DbConnection,
    input: Registration,
    now: DateTime<Utc>,
) -> Result<Employer, AppError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid("name", "give the employer's name (at most 200 characters)"));
    }
    let registration_no = input.registration_no.trim();
    if registration_no.is_empty() || registration_no.len() > 64 {
        return Err(invalid("registration_no", "give the registration number (at most 64 characters)"));
    }
    let region = reference::region_chain(conn, &input.region_code)?;
    if region.first().is_none_or(|r| !is_receiving(&r.country, &r.level)) {
        return Err(invalid("region_code", "a Chinese prefecture or county"));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let account = NewAccount::parse(&input.email, &input.password, Role::Employer, Some(id.clone()))?;
    if employers::registration_taken(conn, registration_no)? {
        return Err(
            AppError::new(ErrorCode::Conflict).with_detail("this registration number is already registered")
        );
    }
    let row = employers::EmployerRow {
        id,
        name: name.to_owned(),
        registration_no: registration_no.to_owned(),
        region_code: input.region_code,
        status: "pending".into(),
        verified_at: None,
        verified_by: None,
        created_at: now.naive_utc(),
    };
    employers::insert(conn, &row)?;
    let user = accounts::create_user(conn, &account, now)?;
    let detail = serde_json::json!({"region_code": row.region_code});
    audit::record(conn, Some(&user.id), "employer.registered", ("employer", &row.id), detail, now)?;
    Ok(row.into())
}

pub fn verify(conn: &mut DbConnection, id: &str, by: &str, now: DateTime<Utc>) -> Result<Employer, AppError> {
    let employer = employers::find(conn, id)?;
    if employer.status != "verified" {
        employers::verify(conn, id, by, now.naive_utc())?;
        audit::record(conn, Some(by), "employer.verified", ("employer", id), serde_json::json!({}), now)?;
    }
    Ok(employers::find(conn, id)?.into())
}
