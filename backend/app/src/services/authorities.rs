//! The authorities of the scheme's two sides, and what each side may decide.
//!
//! China's side verifies employers, keeps the wage floors and issues and revokes work
//! permits; Viet Nam's side licenses, suspends, reinstates and revokes Vietnamese agencies
//! (a Chinese agency, China's side). Both read placements, cases, the audit log, notices and
//! partners. A regulator acts for its authority (`users.org_id`); [`require_side`] is the
//! one check, at the service boundary, of a decision reserved to one side.
//!
//! A provincial authority (one with a region) oversees its region only: [`scope_in`] gives
//! every service the reader's [`Scope`], a regulator's read from its authority's row, and the
//! queries filter on it; [`require_side`] refuses a decision on a thing whose region lies
//! outside.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actor::{Actor, Jurisdiction, Scope};
use crate::db::authorities::{self, AuthorityRow};
use crate::db::{self, DbConnection, reference};
use crate::domain::account::Role;
use crate::domain::authority::Country;
use crate::error::AppError;
use crate::ids::AuthorityId;
use crate::services::accounts::invalid;
use crate::services::audit;
use crate::state::AppState;

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

/// The authority the actor acts for, if it is of `country`'s side and, where the thing decided
/// has a region (`region`: an employer's, a floor's, a placement's worksite), a provincial
/// authority's region holds it. Anyone else is refused (403 `forbidden`, saying why).
pub fn require_side(
    conn: &mut DbConnection,
    actor: &Actor,
    country: Country,
    region: Option<&str>,
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
    if let (Some(own), Some(region)) = (&authority.region_code, region)
        && !reference::region_and_below(conn, own)?.iter().any(|r| r == region)
    {
        return Err(AppError::forbidden()
            .with_detail(format!("region {region} lies outside this authority's region {own}")));
    }
    Ok(authority)
}

/// [`require_side`] for the side named by stored text (an agency's country).
pub fn require_side_of(
    conn: &mut DbConnection,
    actor: &Actor,
    country: &str,
    region: Option<&str>,
) -> Result<AuthorityRow, AppError> {
    let country = Country::parse(country)
        .ok_or_else(|| AppError::forbidden().with_detail(format!("no side decides for {country}")))?;
    require_side(conn, actor, country, region)
}

/// Whose records `actor` reads: the one way a service takes a [`Scope`]. A regulator reads
/// what its authority oversees ([`jurisdiction_in`]); an employer, an agency or a worker its
/// own; an account without its organisation, what is public.
pub fn scope_in(conn: &mut DbConnection, actor: &Actor) -> Result<Scope, AppError> {
    Ok(match actor.role {
        Role::Regulator => Scope::Authority(jurisdiction_in(conn, actor)?),
        Role::Employer => actor.employer_id().map_or(Scope::Public, Scope::Employer),
        Role::Agency => actor.agency_id().map_or(Scope::Public, Scope::Agency),
        Role::Worker => actor.worker_id().map_or(Scope::Public, Scope::Worker),
    })
}

/// [`scope_in`] for a reader who may not be signed in: a visitor reads what is public.
pub fn scope_of_in(conn: &mut DbConnection, actor: Option<&Actor>) -> Result<Scope, AppError> {
    actor.map_or(Ok(Scope::Public), |actor| scope_in(conn, actor))
}

/// What a regulator's authority oversees: everything for a national one; for a provincial
/// one, its region and every region below it, by its side's measure. A regulator account
/// older than authorities, which acts for none, reads as it always did (it decides nothing:
/// [`require_side`]).
fn jurisdiction_in(conn: &mut DbConnection, actor: &Actor) -> Result<Jurisdiction, AppError> {
    let Ok(id) = actor.authority_id() else { return Ok(Jurisdiction::National) };
    let Some(authority) = authorities::find(conn, &id)? else { return Ok(Jurisdiction::National) };
    let Some(region) = authority.region_code else { return Ok(Jurisdiction::National) };
    let regions = reference::region_and_below(conn, &region)?;
    match Country::parse(&authority.country) {
        Some(Country::CN) => Ok(Jurisdiction::Worksites(regions)),
        Some(Country::VN) => Ok(Jurisdiction::HomeProvinces(regions)),
        None => Err(AppError::internal(anyhow::anyhow!("stored authority country {:?}", authority.country))),
    }
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
