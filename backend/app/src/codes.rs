//! Codes that people read and type: a permit's number and check code, a complaint's
//! reference. Drawn from an alphabet without the letters and digits that are easily mixed
//! up (no I, O, 0 or 1).

use rand::Rng;

/// The prefix of a partner system's feed key, which tells it from a login token.
pub const PARTNER_KEY_PREFIX: &str = "slp_";

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// `len` random characters of the code alphabet.
pub fn random_code(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_has_its_length_and_only_unambiguous_characters() {
        let code = random_code(32);
        assert_eq!(code.len(), 32);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        assert!(!code.contains(['I', 'O', '0', '1']));
    }
}
