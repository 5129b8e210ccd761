//! Who is acting: the user, its role and the organisation it acts for. Every service takes an
//! [`Actor`] (or, for reads open to the public, an optional one) and checks role, tenancy and
//! licence itself, once; the HTTP layers only build it from a token or a session cookie.
//! Nothing here knows about HTTP.

use crate::domain::account::Role;
use crate::error::AppError;
use crate::ids::{AgencyId, AuthorityId, EmployerId, OrgId, UserId, WorkerId};

/// A signed-in user as the services see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
    /// The employer, agency, worker or authority the user acts for (which of them, `role`
    /// says; a regulator's is its authority). Read it typed, through [`Actor::employer_id`]
    /// and its kin, or as a scope through `services::authorities::scope_in`.
    pub org_id: Option<OrgId>,
}

impl Actor {
    /// Refuses (403) an actor whose role is not `role`.
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        self.require_any(&[role])
    }

    pub fn require_any(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::forbidden().with_detail(format!("not allowed for the {} role", self.role)))
        }
    }

    /// The organisation the actor acts for if it has `role` (its employer, agency or worker
    /// record); an account without one is refused.
    fn org_for(&self, role: Role) -> Result<&str, AppError> {
        self.require(role)?;
        self.org_id.as_ref().map(OrgId::as_str).ok_or_else(AppError::forbidden)
    }

    /// The employer the actor acts for; anyone else, or an employer account without one, is
    /// refused (403).
    pub fn employer_id(&self) -> Result<EmployerId, AppError> {
        self.org_for(Role::Employer).map(EmployerId::from)
    }

    /// The agency the actor acts for; anyone else, or an agency account without one, is
    /// refused (403).
    pub fn agency_id(&self) -> Result<AgencyId, AppError> {
        self.org_for(Role::Agency).map(AgencyId::from)
    }

    /// The worker the actor is; anyone else, or a worker account without its record, is
    /// refused (403).
    pub fn worker_id(&self) -> Result<WorkerId, AppError> {
        self.org_for(Role::Worker).map(WorkerId::from)
    }

    /// The authority the actor acts for (China's or Viet Nam's side); anyone else, or a
    /// regulator account without one, is refused (403). What each side may decide,
    /// `services::authorities::require_side` checks.
    pub fn authority_id(&self) -> Result<AuthorityId, AppError> {
        self.org_for(Role::Regulator).map(AuthorityId::from)
    }
}

/// Whose records a reader may see. The queries filter on it, so another tenant's record is
/// simply not found. The services take it from `services::authorities::scope_in`, once per
/// use case: a regulator's depends on its authority's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A regulator: what its authority oversees.
    Authority(Jurisdiction),
    /// An employer: its own vacancies and placements.
    Employer(EmployerId),
    /// An agency: its own workers and placements.
    Agency(AgencyId),
    /// A worker: itself and its own placements.
    Worker(WorkerId),
    /// Anyone, signed in or not: what is public.
    Public,
}

/// What a regulator's authority oversees. A national authority oversees every record; a
/// provincial one those within its region, measured as its side measures: China's side by
/// the worksite (a vacancy's or an employer's region: a prefecture or a county), Viet Nam's by
/// the home province of the worker a record concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Jurisdiction {
    /// A national authority (or a regulator account older than authorities): everything.
    National,
    /// A provincial authority of China's side: its region's code and every code below it.
    Worksites(Vec<String>),
    /// A provincial authority of Viet Nam's side: its province's code (and any below it).
    HomeProvinces(Vec<String>),
}

impl Jurisdiction {
    /// Whether a record lies within: `worksite` is where its work is (a placement's vacancy
    /// region, a case's region, an employer's), `home_province` the home province of the
    /// worker it concerns; none where it has none. A provincial authority oversees only what
    /// it can place within its region by its side's measure.
    pub fn covers(&self, worksite: Option<&str>, home_province: Option<&str>) -> bool {
        let within =
            |regions: &[String], code: Option<&str>| code.is_some_and(|c| regions.iter().any(|r| r == c));
        match self {
            Jurisdiction::National => true,
            Jurisdiction::Worksites(regions) => within(regions, worksite),
            Jurisdiction::HomeProvinces(regions) => within(regions, home_province),
        }
    }

    /// The worksite regions a Chinese provincial authority oversees; none otherwise.
    pub fn worksites(&self) -> Option<&[String]> {
        match self {
            Jurisdiction::Worksites(regions) => Some(regions),
            _ => None,
        }
    }

    /// The home provinces a Vietnamese provincial authority oversees; none otherwise.
    pub fn home_provinces(&self) -> Option<&[String]> {
        match self {
            Jurisdiction::HomeProvinces(regions) => Some(regions),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, org: Option<&str>) -> Actor {
        Actor { user_id: "u".into(), role, org_id: org.map(OrgId::from) }
    }

    #[test]
    fn a_provincial_authority_covers_what_lies_within_by_its_sides_measure() {
        let chongzuo = Jurisdiction::Worksites(vec!["451400".into(), "451422".into()]);
        assert!(chongzuo.covers(Some("451422"), Some("VN-04")));
        assert!(!chongzuo.covers(Some("451000"), Some("VN-09")), "Baise is another prefecture");
        assert!(!chongzuo.covers(None, Some("VN-09")), "no worksite: not within");
        let lang_son = Jurisdiction::HomeProvinces(vec!["VN-09".into()]);
        assert!(lang_son.covers(Some("451000"), Some("VN-09")));
        assert!(!lang_son.covers(Some("451422"), Some("VN-04")));
        assert!(!lang_son.covers(Some("451422"), None), "no worker: not within");
        assert!(Jurisdiction::National.covers(None, None));
        assert_eq!(chongzuo.worksites().map(<[String]>::len), Some(2));
        assert!(chongzuo.home_provinces().is_none() && lang_son.worksites().is_none());
    }

    #[test]
    fn a_role_guard_refuses_other_roles_and_accounts_without_an_organisation() {
        assert!(actor(Role::Regulator, None).require(Role::Regulator).is_ok());
        assert_eq!(
            actor(Role::Employer, Some("e")).require(Role::Regulator).unwrap_err().code.as_str(),
            "forbidden"
        );
        assert_eq!(actor(Role::Agency, Some("a")).org_for(Role::Agency).unwrap(), "a");
        assert!(actor(Role::Agency, None).org_for(Role::Agency).is_err());
        assert!(actor(Role::Worker, Some("w")).org_for(Role::Agency).is_err());
        assert_eq!(actor(Role::Regulator, Some("cn")).authority_id().unwrap().as_str(), "cn");
        assert!(actor(Role::Regulator, None).authority_id().is_err());
        assert!(actor(Role::Agency, Some("a")).authority_id().is_err());
    }
}
