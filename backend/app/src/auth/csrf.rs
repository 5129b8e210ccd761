//! CSRF protection for the HTML forms: a signed double-submit token.
//!
//! A random nonce lives in an HttpOnly, SameSite=Strict cookie; every form carries
//! `nonce.signature`, where the signature is an HMAC of the nonce under the server key.
//! A POST is accepted only when the form's token is validly signed and names the cookie's
//! nonce, compared in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub const COOKIE: &str = "sl_csrf";
pub const FIELD: &str = "csrf_token";

pub fn new_nonce() -> String {
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn signature(key: &[u8], nonce: &str) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return Vec::new(),
    };
    mac.update(b"csrf:");
    mac.update(nonce.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The token a form carries for the cookie's nonce.
pub fn token_for(key: &[u8], nonce: &str) -> String {
    format!("{nonce}.{}", URL_SAFE_NO_PAD.encode(signature(key, nonce)))
}

/// Whether the submitted token belongs to the cookie's nonce; constant time in the secret parts.
pub fn verify(key: &[u8], cookie_nonce: &str, submitted: &str) -> bool {
    let Some((nonce, sig)) = submitted.split_once('.') else {
        return false;
    };
    let Ok(sig) = URL_SAFE_NO_PAD.decode(sig) else {
        return false;
    };
    let expected = signature(key, nonce);
    let nonce_ok = nonce.as_bytes().ct_eq(cookie_nonce.as_bytes());
    let sig_ok = sig.as_slice().ct_eq(expected.as_slice());
    !cookie_nonce.is_empty() && bool::from(nonce_ok & sig_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_to_nonce_and_key() {
        let nonce = new_nonce();
        let token = token_for(b"key", &nonce);
        assert!(verify(b"key", &nonce, &token));
        assert!(!verify(b"other", &nonce, &token));
        assert!(!verify(b"key", &new_nonce(), &token));
        assert!(!verify(b"key", &nonce, &nonce));
        assert!(!verify(b"key", "", &token_for(b"key", "")));
        assert!(!verify(b"key", &nonce, ""));
    }
}
