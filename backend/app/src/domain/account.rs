//! Accounts: roles and the values a user is made of, parsed once at the edge.

use std::fmt;
use std::str::FromStr;

/// What a user may do is decided by its role (docs/domain.md, Roles).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Employer,
    Agency,
    Worker,
    Regulator,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Employer, Role::Agency, Role::Worker, Role::Regulator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employer => "employer",
            Role::Agency => "agency",
            Role::Worker => "worker",
            Role::Regulator => "regulator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| format!("unknown role {s:?}"))
    }
}

text_enum!(
    /// Where an employer's registration stands: only a verified employer opens vacancies.
    EmployerStatus {
        Pending => "pending",
        Verified => "verified",
    }
);

/// An e-mail address, trimmed and lower-cased; checked for shape, not deliverability.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        let (local, domain) = email.split_once('@').ok_or("an e-mail address needs an @")?;
        let shape_ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && email.len() <= 254
            && !email.chars().any(char::is_whitespace);
        if !shape_ok || domain.contains('@') {
            return Err("not an e-mail address");
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: long enough to resist guessing, short enough to hash cheaply.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_BYTES: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if raw.chars().count() < Self::MIN_CHARS {
            return Err("a password needs at least 10 characters");
        }
        if raw.len() > Self::MAX_BYTES {
            return Err("a password may have at most 256 bytes");
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Ana@Example.VN ").map(|e| e.0), Ok("ana@example.vn".into()));
        for bad in ["", "ana", "@x.vn", "ana@", "ana@x", "ana@.vn", "ana@x.", "a b@x.vn", "a@b@x.vn"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn passwords_have_bounds_and_hide_in_debug() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"x".repeat(257)).is_err());
        let ok = NewPassword::parse("mật khẩu dài đủ").unwrap();
        assert_eq!(format!("{ok:?}"), "NewPassword(***)");
    }
}
