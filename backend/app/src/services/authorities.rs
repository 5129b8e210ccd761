//! The authorities of the scheme's two sides, and what each side may decide.
//!
//! China's side verifies employers, keeps the wage floors and issues and revokes work
//! permits; Viet Nam's side licenses, suspends, reinstates and revokes Vietnamese agencies
//! (a Chinese agency, China's side). Both read placements, cases, the audit log, notices and
//! partners. A regulator acts for its authority (`users.org_id`); [`require_side`] is the
//! one check, at the service boundary, of a decision reserved to one side.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::db::authorities::{self, AuthorityRow};
use crate::db::{self, DbConnection, reference};
use crate::domain::account::Role;
use crate::error::AppError;
use crate::ids::AuthorityId;
use crate::services::accounts::invalid;
use crate::services::audit;
use crate::state::AppState;

/// A side of the scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Country {
    /// China: the employers' side.
    CN,
    /// Viet Nam: the workers' side.
    VN,
}

impl Country {
    pub fn as_str(self) -> &'static str {
        match self {
            Country::CN => "CN",
            Country::VN => "VN",
        }
    }

    /// "CN" or "VN"; anything else is none.
    pub fn parse(text: &str) -> Option<Country> {
        match text {
            "CN" => Some(Country::CN),
            "VN" => Some(Country::VN),
            _ => None,
        }
    }

    /// The side, in words, for a refusal's detail.
    fn side(self) -> &'static str {
        match self {
            Country::CN => "China's side",
            Country::VN => "Viet Nam's side",
        }
    }
}

/// The Chinese national authority the migration made; every regulator account older than
/// authorities acts for it.
pub const CN_NATIONAL: &str = "00000000-0000-7000-8000-000000000086";
/// The Vietnamese national authority the migration made.
pub const VN_NATIONAL: &str = "00000000-0000-7000-8000-000000000084";

/// An authority, as regulators see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Authority {
    pub id: AuthorityId,
    #[schema(example = "Viet Nam — national authority")]
    pub name: String,
    /// "CN" or "VN": the side it decides for.
    #[schema(example = "VN")]
    pub country: String,
    /// A provincial authority's region; none for a national one.
    pub region_code: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<AuthorityRow> for Authority {
    fn from(row: AuthorityRow) -> Self {
        Authority {
            id: row.id,
            name: row.name,
            country: row.country,
            region_code: row.region_code,
            created_at: row.created_at.and_utc(),
        }
    }
}

/// A regulator adds an authority.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAuthority {
    #[schema(example = "Lạng Sơn Department of Labour, Invalids and Social Affairs")]
    pub name: String,
    /// "CN" or "VN".
    #[schema(example = "VN")]
    pub country: String,
    /// A province (or lower region) of that country, for a provincial authority.
    #[schema(example = "VN-09")]
    pub region_code: Option<String>,
}

/// The authority the actor acts for, if it is of `country`'s side; anyone else is refused
/// (403 `forbidden`, saying which side decides).
pub fn require_side(
    conn: &mut DbConnection,
    actor: &Actor,
    country: Country,
) -> Result<AuthorityRow, AppError> {
    let id = actor.authority_id().map_err(|e| {
        if actor.role == Role::Regulator {
            AppError::forbidden().with_detail("this regulator account acts for no authority")
        } else {
            e
        }
    })?;
    let authority = authorities::find(conn, &id)?
        .ok_or_else(|| AppError::forbidden().with_detail("this regulator account acts for no authority"))?;
    if authority.country != country.as_str() {
        return Err(AppError::forbidden().with_detail(format!("only {} decides this", country.side())));
    }
    Ok(authority)
}

/// [`require_side`] for the side named by stored text (an agency's country).
pub fn require_side_of(
    conn: &mut DbConnection,
    actor: &Actor,
    country: &str,
) -> Result<AuthorityRow, AppError> {
    let country = Country::parse(country)
        .ok_or_else(|| AppError::forbidden().with_detail(format!("no side decides for {country}")))?;
    require_side(conn, actor, country)
}

/// Every authority (regulators).
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Authority>, AppError> {
    actor.require(Role::Regulator)?;
    let rows = db::run(&state.pool, move |conn| Ok(authorities::list(conn)?)).await?;
    Ok(rows.into_iter().map(Authority::from).collect())
}

/// The authority a regulator acts for; none for anyone else (or an account without one).
pub async fn own(state: &AppState, actor: &Actor) -> Result<Option<Authority>, AppError> {
    let Ok(id) = actor.authority_id() else { return Ok(None) };
    let row = db::run(&state.pool, move |conn| Ok(authorities::find(conn, &id)?)).await?;
    Ok(row.map(Authority::from))
}

/// A regulator adds an authority of either side (audited).
pub async fn create(state: &AppState, actor: &Actor, input: NewAuthority) -> Result<Authority, AppError> {
    let (actor, now) = (actor.clone(), state.clock.now());
    let created = db::transaction(&state.pool, move |conn| create_in(conn, &actor, input, now)).await?;
    tracing::info!(authority_id = %created.id, country = %created.country, "authority added");
    Ok(created)
}

fn create_in(
    conn: &mut DbConnection,
    actor: &Actor,
    input: NewAuthority,
    now: DateTime<Utc>,
) -> Result<Authority, AppError> {
    actor.require(Role::Regulator)?;
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid("name", "give the authority's name (at most 200 characters)"));
    }
    let country = Country::parse(&input.country).ok_or_else(|| invalid("country", "CN or VN"))?;
    let region_code = input.region_code.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if let Some(code) = &region_code {
        match reference::region_chain(conn, code)?.first() {
            None => return Err(invalid("region_code", "unknown region")),
            Some(region) if region.country != country.as_str() => {
                return Err(invalid("region_code", "a region of the authority's own country"));
            }
            Some(_) => {}
        }
    }
    let row = insert_in(conn, name, country, region_code, now.naive_utc())?;
    let detail =
        serde_json::json!({"name": row.name, "country": row.country, "region_code": row.region_code});
    audit::record(
        conn,
        Some(&actor.user_id),
        "authority.created",
        ("authority", row.id.as_str()),
        detail,
        now,
    )?;
    Ok(row.into())
}

fn insert_in(
    conn: &mut DbConnection,
    name: &str,
    country: Country,
    region_code: Option<String>,
    at: NaiveDateTime,
) -> Result<AuthorityRow, AppError> {
    let row = AuthorityRow {
        id: AuthorityId::generate(),
        name: name.to_owned(),
        country: country.as_str().to_owned(),
        region_code,
        created_at: at,
    };
    authorities::insert(conn, &row)?;
    Ok(row)
}

/// One authority by id; an unknown one is a 422 on `field`.
pub fn find_in(conn: &mut DbConnection, id: &AuthorityId, field: &str) -> Result<AuthorityRow, AppError> {
    authorities::find(conn, id)?.ok_or_else(|| invalid(field, "unknown authority"))
}

/// A country's national authority, made (for the command line's first regulator) if there is
/// none.
pub fn national_in(
    conn: &mut DbConnection,
    country: Country,
    now: DateTime<Utc>,
) -> Result<AuthorityRow, AppError> {
    if let Some(row) = authorities::national(conn, country.as_str())? {
        return Ok(row);
    }
    let name = match country {
        Country::CN => "China — national authority",
        Country::VN => "Viet Nam — national authority",
    };
    insert_in(conn, name, country, None, now.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_cn_or_vn() {
        assert_eq!(Country::parse("CN"), Some(Country::CN));
        assert_eq!(Country::parse("VN").map(Country::as_str), Some("VN"));
        assert_eq!(Country::parse("vn"), None);
        assert_eq!(Country::parse("TH"), None);
    }
}
