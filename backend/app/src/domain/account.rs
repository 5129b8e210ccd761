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
    /// Where an employer's registration stands: only a verified employer opens vacancies and
    /// receives offers. A suspended one (the employer's equivalent of a suspended licence)
    /// keeps the placements it has, and takes no new ones until it is reinstated.
    EmployerStatus {
        Pending => "pending",
        Verified => "verified",
        Suspended => "suspended",
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

/// A phone number as an account signs in with it: E.164 (`+84912345678`). Spaces, dashes,
/// dots and brackets are dropped; a Vietnamese number written the local way (`0912 345 678`)
/// or without its `+` (`84912…`) is read as Viet Nam's, the country every worker comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let raw = raw.trim();
        if !raw.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) || raw.len() > 25 {
            return Err("not a phone number");
        }
        // A `+` before the first digit, brackets allowed: `(+86) 138 …`.
        let plus = raw.chars().find(|c| c.is_ascii_digit() || *c == '+') == Some('+');
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let international = if plus {
            digits
        } else if let Some(national) = digits.strip_prefix('0') {
            format!("84{national}")
        } else if digits.starts_with("84") {
            digits
        } else {
            return Err("a phone number with its country code (+84 …) or Viet Nam's leading 0");
        };
        if !(8..=15).contains(&international.len()) || international.starts_with('0') {
            return Err("not a phone number");
        }
        Ok(Phone(format!("+{international}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a person signs in with: its e-mail address, or (a worker) its phone number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    Email(Email),
    Phone(Phone),
}

impl SignIn {
    /// An address with an `@` is an e-mail address; anything else must be a phone number.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if raw.contains('@') {
            Email::parse(raw).map(SignIn::Email)
        } else {
            Phone::parse(raw).map(SignIn::Phone)
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            SignIn::Email(email) => email.as_str(),
            SignIn::Phone(phone) => phone.as_str(),
        }
    }

    /// The address with most of it hidden, to tell a person where a code went: `h…@example.vn`,
    /// `+84 … 678`.
    pub fn masked(&self) -> String {
        match self {
            SignIn::Email(email) => {
                let (local, domain) = email.as_str().split_once('@').unwrap_or((email.as_str(), ""));
                let first: String = local.chars().take(1).collect();
                format!("{first}…@{domain}")
            }
            SignIn::Phone(phone) => {
                let text = phone.as_str();
                let tail: String = text.chars().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect();
                format!("{} … {tail}", &text[..3.min(text.len())])
            }
        }
    }
}

/// Passwords people pick first, at least [`NewPassword::MIN_CHARS`] long (shorter ones are
/// refused anyway): lists of leaked passwords' most common, with Vietnamese and Chinese
/// favourites. Compared without case.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// A new password: long enough to resist guessing, short enough to hash cheaply, not one
/// everybody tries first.
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
        if is_common(raw) {
            return Err("this password is among the first ones anybody tries; choose another");
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// On the list, or made of one or two characters repeated, or of a run of digits or
/// letters up or down (`1234567890`, `9876543210`, `abcdefghij`).
fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.lines().map(str::trim).any(|common| !common.is_empty() && common == lower) {
        return true;
    }
    let chars: Vec<char> = lower.chars().collect();
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let steps: Vec<i64> =
        chars.windows(2).map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0]))).collect();
    let run = steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == -1);
    distinct.len() <= 2 || run
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
    fn phones_are_read_as_e164_with_viet_nam_by_default() {
        for (raw, expected) in [
            ("+84 912 345 678", "+84912345678"),
            ("0912-345-678", "+84912345678"),
            ("84912345678", "+84912345678"),
            ("(+86) 138 0013 8000", "+8613800138000"),
        ] {
            assert_eq!(Phone::parse(raw).map(|p| p.0), Ok(expected.to_owned()), "{raw}");
        }
        for bad in ["", "912345678", "+12", "0912a45678", "+0912345678", &"9".repeat(30)] {
            assert!(Phone::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn sign_in_is_an_email_or_a_phone_and_masks_itself() {
        let email = SignIn::parse(" Hoa@Example.VN ").unwrap();
        assert_eq!(email.as_str(), "hoa@example.vn");
        assert_eq!(email.masked(), "h…@example.vn");
        let phone = SignIn::parse("0912 345 678").unwrap();
        assert_eq!(phone.as_str(), "+84912345678");
        assert_eq!(phone.masked(), "+84 … 678");
        assert!(SignIn::parse("hoa").is_err());
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        for common in [
            "1234567890",
            "Password123",
            "matkhau123",
            "qwertyuiop",
            "aaaaaaaaaaaa",
            "ababababab",
            "9876543210",
            "abcdefghijk",
            "woaini1314520",
        ] {
            assert!(NewPassword::parse(common).is_err(), "{common} accepted");
        }
        assert!(NewPassword::parse("mía ngọt Ninh Minh").is_ok());
        assert!(NewPassword::parse("correct horse battery").is_ok());
    }

    #[test]
    fn passwords_have_bounds_and_hide_in_debug() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"x".repeat(257)).is_err());
        let ok = NewPassword::parse("mật khẩu dài đủ").unwrap();
        assert_eq!(format!("{ok:?}"), "NewPassword(***)");
    }
}
