//! Passwords: argon2id (the argon2 crate's defaults: 19 MiB, 2 passes, one lane) in PHC strings, each with
//! its own random salt. Verifying against an unknown login costs the same as against a known one.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

use crate::error::Error;

/// The PHC string (`$argon2id$v=19$…`) of `password`, under a fresh random salt.
pub fn hash(password: &SecretString) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|_| Error::internal("salt encoding"))?;
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| Error::internal("password hashing failed"))
}

/// Whether `password` matches the stored PHC string. With no stored hash (an unknown login), a dummy one is
/// verified so that the answer takes as long, and is false.
pub fn verify(password: &SecretString, stored: Option<&str>) -> bool {
    let (stored, known) = match stored {
        Some(stored) => (stored, true),
        None => match dummy() {
            Some(dummy) => (dummy, false),
            None => return false,
        },
    };
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    let matches = Argon2::default().verify_password(password.expose_secret().as_bytes(), &parsed).is_ok();
    matches && known
}

/// A hash of a random password nobody knows, made once.
fn dummy() -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let mut secret = [0u8; 32];
            rand::rng().fill_bytes(&mut secret);
            hash(&SecretString::from(hex::encode(secret))).ok()
        })
        .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_password_hashes_twice_differently_and_verifies() {
        let password = SecretString::from("correct horse battery staple");
        let (a, b) = (hash(&password).unwrap(), hash(&password).unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(!a.contains("correct horse"));
        assert!(verify(&password, Some(&a)) && verify(&password, Some(&b)));
        assert!(!verify(&SecretString::from("correct horse battery stapler"), Some(&a)));
        assert!(!verify(&password, None));
        assert!(!verify(&password, Some("not a hash")));
    }
}
