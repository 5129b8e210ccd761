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
    /// and its kin, or through [`Actor::scope`].
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

    /// Whose records this actor may read.
    pub fn scope(&self) -> Scope {
        match (self.role, &self.org_id) {
            (Role::Regulator, _) => Scope::All,
            (Role::Employer, Some(id)) => Scope::Employer(id.as_str().into()),
            (Role::Agency, Some(id)) => Scope::Agency(id.as_str().into()),
            (Role::Worker, Some(id)) => Scope::Worker(id.as_str().into()),
            (_, None) => Scope::Public,
        }
    }
}

/// Whose records a reader may see. The queries filter on it, so another tenant's record is
/// simply not found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A regulator: everything.
    All,
    /// An employer: its own vacancies and placements.
    Employer(EmployerId),
    /// An agency: its own workers and placements.
    Agency(AgencyId),
    /// A worker: itself and its own placements.
    Worker(WorkerId),
    /// Anyone, signed in or not: what is public.
    Public,
}

impl Scope {
    /// The scope of an optional actor: a visitor sees what is public.
    pub fn of(actor: Option<&Actor>) -> Scope {
        actor.map_or(Scope::Public, Actor::scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, org: Option<&str>) -> Actor {
        Actor { user_id: "u".into(), role, org_id: org.map(OrgId::from) }
    }

    #[test]
    fn each_role_reads_its_own_scope() {
        assert_eq!(actor(Role::Regulator, None).scope(), Scope::All);
        assert_eq!(actor(Role::Employer, Some("e")).scope(), Scope::Employer("e".into()));
        assert_eq!(actor(Role::Agency, Some("a")).scope(), Scope::Agency("a".into()));
        assert_eq!(actor(Role::Worker, Some("w")).scope(), Scope::Worker("w".into()));
        assert_eq!(actor(Role::Agency, None).scope(), Scope::Public, "an agency account without an agency");
        assert_eq!(Scope::of(None), Scope::Public);
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
