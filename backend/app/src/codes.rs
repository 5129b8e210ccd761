//! Codes that people read and type: a permit's number and check code, a complaint's
//! reference (drawn from an alphabet without the letters and digits that are easily mixed
//! up: no I, O, 0 or 1), and the one-time codes that let a person set its own password.

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

/// Where a notice's body holds a one-time code: what regulators read; the sender puts the
/// code itself in, as [`one_time_code`] makes it.
pub const CODE_PLACEHOLDER: &str = "••••••••";

/// The one-time code a code row stands for: eight digits (typed on any phone's keypad),
/// derived from the row's id under the server's key, so the code is never stored and the
/// server that sends it need not be the one that made it.
pub fn one_time_code(key: &[u8], code_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(b"one-time-code:");
    mac.update(code_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    format!("{:08}", u64::from_be_bytes(first) % 100_000_000)
}

/// The prefix of a partner system's feed key, which tells it from a login token.
pub const PARTNER_KEY_PREFIX: &str = "slp_";

/// The letters and digits of codes people type: no 0/O, 1/I.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// `len` random characters of the code alphabet.
pub fn random_code(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_time_code_is_eight_digits_fixed_by_key_and_id() {
        let code = one_time_code(b"key", "id-1");
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
        assert_eq!(code, one_time_code(b"key", "id-1"));
        assert_ne!(code, one_time_code(b"key", "id-2"));
        assert_ne!(code, one_time_code(b"other key", "id-1"));
        assert_eq!(CODE_PLACEHOLDER.chars().count(), code.len());
    }

    #[test]
    fn a_code_has_its_length_and_only_unambiguous_characters() {
        let code = random_code(32);
        assert_eq!(code.len(), 32);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        assert!(!code.contains(['I', 'O', '0', '1']));
    }
}
