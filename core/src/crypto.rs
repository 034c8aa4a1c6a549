//! Personal data at rest: AES-256-GCM under a data key per commune, wrapped by a master key from the
//! environment; and blind indexes (keyed hashes) for exact look-ups, so that a leaked database shows neither
//! national ids nor the means to test a guess against them.
//!
//! The master keys form a [`Keyring`]: the current key wraps new data keys; previous keys still unwrap the
//! data keys they wrapped, until `jamaa keys rotate` has re-wrapped them under the current one.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// A 256-bit key, kept out of logs and zeroed when dropped.
pub type Key = SecretBox<[u8; 32]>;

/// The master keys: the current one first.
#[derive(Debug)]
pub struct Keyring {
    keys: Vec<(String, Key)>,
}

/// Why a key could not be read.
#[derive(Debug, thiserror::Error)]
#[error("a master key is 32 bytes in base64 (44 characters), e.g. from `openssl rand -base64 32`")]
pub struct InvalidKey;

/// A key from its base64 text (32 bytes): a master key, or the key of a commune's archive.
pub fn parse_key(text: &SecretString) -> Result<Key, InvalidKey> {
    let bytes = BASE64.decode(text.expose_secret().trim()).map_err(|_| InvalidKey)?;
    let key: [u8; 32] = bytes.try_into().map_err(|_| InvalidKey)?;
    Ok(SecretBox::new(Box::new(key)))
}

/// A key's public name: the first 16 hex digits of its SHA-256, never the key.
pub fn key_id(key: &Key) -> String {
    hex::encode(&Sha256::digest(key.expose_secret())[..8])
}

impl Keyring {
    /// The current master key and the previous ones (base64, 32 bytes each).
    pub fn new(current: &SecretString, previous: &[SecretString]) -> Result<Self, InvalidKey> {
        let mut keys = Vec::with_capacity(1 + previous.len());
        for text in std::iter::once(current).chain(previous) {
            let key = parse_key(text)?;
            keys.push((key_id(&key), key));
        }
        Ok(Self { keys })
    }

    /// A fresh random master key, base64: for a new installation's key file.
    pub fn generate_master_key() -> SecretString {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        SecretString::from(BASE64.encode(bytes))
    }

    pub fn current_id(&self) -> &str {
        self.keys.first().map(|(id, _)| id.as_str()).unwrap_or("")
    }

    fn current(&self) -> Result<&Key, Error> {
        self.keys.first().map(|(_, key)| key).ok_or_else(|| Error::internal("no master key"))
    }

    fn by_id(&self, id: &str) -> Result<&Key, Error> {
        self.keys
            .iter()
            .find(|(key_id, _)| key_id == id)
            .map(|(_, key)| key)
            .ok_or_else(|| Error::internal(format!("master key {id} is not in the keyring")))
    }

    /// A new data key, and its wrapped form (under the current master key) with that key's id.
    pub fn new_data_key(&self, tenant: uuid::Uuid) -> Result<(Key, String, String), Error> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let key: Key = SecretBox::new(Box::new(bytes));
        let wrapped = seal(self.current()?, key.expose_secret(), tenant.as_bytes())?;
        Ok((key, wrapped, self.current_id().to_owned()))
    }

    /// Unwraps a data key wrapped under master key `master_id`.
    pub fn unwrap_data_key(&self, tenant: uuid::Uuid, wrapped: &str, master_id: &str) -> Result<Key, Error> {
        let bytes = open(self.by_id(master_id)?, wrapped, tenant.as_bytes())?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| Error::internal("a data key is not 32 bytes"))?;
        Ok(SecretBox::new(Box::new(key)))
    }

    /// Wraps a data key (read from elsewhere, as an archive) under the current master key: the wrapped form
    /// and that key's id.
    pub fn wrap_data_key(&self, tenant: uuid::Uuid, key: &Key) -> Result<(String, String), Error> {
        Ok((seal(self.current()?, key.expose_secret(), tenant.as_bytes())?, self.current_id().to_owned()))
    }

    /// Seals what belongs to the platform rather than to a commune (the answers of operators' keyed calls)
    /// under the current master key, bound to `context`: the sealed text and that key's id.
    pub fn seal_platform(&self, plaintext: &[u8], context: &[u8]) -> Result<(String, String), Error> {
        Ok((seal(self.current()?, plaintext, &platform_context(context))?, self.current_id().to_owned()))
    }

    /// Opens what [`Keyring::seal_platform`] sealed under master key `master_id`.
    pub fn open_platform(&self, sealed: &str, master_id: &str, context: &[u8]) -> Result<Vec<u8>, Error> {
        open(self.by_id(master_id)?, sealed, &platform_context(context))
    }

    /// Re-wraps a data key under the current master key.
    pub fn rewrap(&self, tenant: uuid::Uuid, wrapped: &str, master_id: &str) -> Result<(String, String), Error> {
        let key = self.unwrap_data_key(tenant, wrapped, master_id)?;
        Ok((seal(self.current()?, key.expose_secret(), tenant.as_bytes())?, self.current_id().to_owned()))
    }
}

/// The context of a platform seal: never 16 bytes alone, the context of a wrapped data key (a tenant's id).
fn platform_context(context: &[u8]) -> Vec<u8> {
    let mut bound = b"jamaa-platform\0".to_vec();
    bound.extend_from_slice(context);
    bound
}

/// Encrypts with AES-256-GCM under a random nonce, binding `context` (the row it belongs to): base64 of
/// nonce ‖ ciphertext.
pub fn seal(key: &Key, plaintext: &[u8], context: &[u8]) -> Result<String, Error> {
    let cipher = Aes256Gcm::new_from_slice(key.expose_secret()).map_err(|_| Error::internal("bad key length"))?;
    let mut nonce = [0u8; 12];
    rand::rng().fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(&Nonce::from(nonce), Payload { msg: plaintext, aad: context })
        .map_err(|_| Error::internal("encryption failed"))?;
    let mut out = nonce.to_vec();
    out.extend(ciphertext);
    Ok(BASE64.encode(out))
}

/// Decrypts what [`seal`] made with the same key and context; anything else is an error.
pub fn open(key: &Key, sealed: &str, context: &[u8]) -> Result<Vec<u8>, Error> {
    let bytes = BASE64.decode(sealed).map_err(|_| Error::internal("sealed data is not base64"))?;
    if bytes.len() < 12 {
        return Err(Error::internal("sealed data is too short"));
    }
    let (nonce, ciphertext) = bytes.split_at(12);
    let nonce: [u8; 12] = nonce.try_into().map_err(|_| Error::internal("sealed data is too short"))?;
    let cipher = Aes256Gcm::new_from_slice(key.expose_secret()).map_err(|_| Error::internal("bad key length"))?;
    cipher
        .decrypt(&Nonce::from(nonce), Payload { msg: ciphertext, aad: context })
        .map_err(|_| Error::internal("decryption failed: wrong key, or the data was changed"))
}

/// The blind index of a value of a field: HMAC-SHA256 under a key derived from the commune's data key, so
/// the same value has the same index within a commune and an unrelated one elsewhere.
pub fn blind_index(data_key: &Key, field: &str, value: &str) -> Result<String, Error> {
    let hkdf = hkdf::Hkdf::<Sha256>::new(None, data_key.expose_secret());
    let mut index_key = [0u8; 32];
    hkdf.expand(b"jamaa blind index v1", &mut index_key).map_err(|_| Error::internal("key derivation failed"))?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&index_key).map_err(|_| Error::internal("bad key length"))?;
    mac.update(field.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    Ok(hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyring() -> (Keyring, SecretString) {
        let key = Keyring::generate_master_key();
        (Keyring::new(&key, &[]).unwrap(), key)
    }

    #[test]
    fn sealed_data_opens_only_with_its_key_and_context() {
        let (ring, _) = keyring();
        let tenant = uuid::Uuid::now_v7();
        let (key, _, _) = ring.new_data_key(tenant).unwrap();
        let sealed = seal(&key, b"AB123456", b"request-1").unwrap();
        assert!(!sealed.contains("AB123456"));
        assert_eq!(open(&key, &sealed, b"request-1").unwrap(), b"AB123456");
        assert!(open(&key, &sealed, b"request-2").is_err(), "bound to its row");
        let (other, _, _) = ring.new_data_key(tenant).unwrap();
        assert!(open(&other, &sealed, b"request-1").is_err());
        assert_ne!(seal(&key, b"AB123456", b"request-1").unwrap(), sealed, "fresh nonces");
    }

    #[test]
    fn data_keys_survive_a_master_key_rotation() {
        let (old_ring, old_key) = keyring();
        let tenant = uuid::Uuid::now_v7();
        let (key, wrapped, old_id) = old_ring.new_data_key(tenant).unwrap();
        let new_key = Keyring::generate_master_key();
        let rotated = Keyring::new(&new_key, &[old_key]).unwrap();
        let (rewrapped, new_id) = rotated.rewrap(tenant, &wrapped, &old_id).unwrap();
        assert_ne!(new_id, old_id);
        let unwrapped = Keyring::new(&new_key, &[]).unwrap().unwrap_data_key(tenant, &rewrapped, &new_id).unwrap();
        assert_eq!(unwrapped.expose_secret(), key.expose_secret());
        assert!(Keyring::new(&new_key, &[]).unwrap().unwrap_data_key(tenant, &wrapped, &old_id).is_err());
    }

    #[test]
    fn blind_indexes_match_equal_values_only() {
        let (ring, _) = keyring();
        let (a, _, _) = ring.new_data_key(uuid::Uuid::now_v7()).unwrap();
        let (b, _, _) = ring.new_data_key(uuid::Uuid::now_v7()).unwrap();
        let index = blind_index(&a, "cin", "AB123456").unwrap();
        assert_eq!(index, blind_index(&a, "cin", "AB123456").unwrap());
        assert_ne!(index, blind_index(&a, "cin", "AB123457").unwrap());
        assert_ne!(index, blind_index(&a, "phone", "AB123456").unwrap());
        assert_ne!(index, blind_index(&b, "cin", "AB123456").unwrap(), "each commune its own index");
        assert!(Keyring::new(&SecretString::from("short"), &[]).is_err());
    }
}
