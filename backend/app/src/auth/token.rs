//! Login tokens: HS256 JWTs that name a server-side session, so logging out ends them.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::domain::account::Role;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The session id (the row that logout revokes).
    pub sid: String,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid,
}

/// The signing key, shared by tokens and CSRF tokens.
#[derive(Clone)]
pub struct TokenKeys {
    secret: Vec<u8>,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        TokenKeys {
            secret: secret.to_vec(),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    /// A key made at random, for development when none is configured.
    pub fn random() -> Self {
        use rand::RngCore;
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        TokenKeys::new(&secret)
    }

    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    pub fn issue(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
    }

    /// Checks signature, algorithm and expiry at `now` (no leeway).
    pub fn check(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false; // checked below against `now`, so tests can move the clock
        validation.set_required_spec_claims(&["exp", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?
            .claims;
        if claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims { sub: "u".into(), sid: "s".into(), role: Role::Worker, iat: 0, exp }
    }

    #[test]
    fn tokens_check_signature_and_expiry() {
        let keys = TokenKeys::new(b"k1");
        let now = DateTime::from_timestamp(1_795_000_000, 0).unwrap();
        let token = keys.issue(&claims(now.timestamp() + 60)).unwrap();
        assert_eq!(keys.check(&token, now).unwrap().sid, "s");
        assert_eq!(keys.check(&token, now + chrono::Duration::seconds(61)), Err(TokenError::Expired));
        assert_eq!(TokenKeys::new(b"k2").check(&token, now), Err(TokenError::Invalid));
        let mut tampered = token.clone();
        tampered.insert(tampered.len() / 2, 'x');
        assert_eq!(keys.check(&tampered, now), Err(TokenError::Invalid));
        assert_eq!(keys.check("", now), Err(TokenError::Invalid));
    }
}
