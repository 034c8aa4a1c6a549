//! Idempotency keys: a creating call may carry a key chosen by its client (`Idempotency-Key`, or the
//! `idempotencyKey` argument), so that a retry of the same call gets the first answer and never a second
//! record. A key names one call: the same key with another request is refused (`IDEMPOTENCY_KEY_REUSED`).
//! What is compared is the request's hash: the operation and its arguments, as canonical JSON.

use sha2::{Digest as _, Sha256};

use crate::error::{Error, FieldErrorCode};

/// Shortest key: long enough that a random key (a UUID has 36 characters) cannot be guessed by another
/// anonymous caller of the commune.
pub const MIN_KEY_LEN: usize = 16;
/// Longest key.
pub const MAX_KEY_LEN: usize = 128;

/// A well-formed key: 16 to 128 characters among ASCII letters, digits and `-_.:`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Reads a key; a malformed one is INVALID_VALUE at `path`.
    pub fn parse(path: &str, raw: &str) -> Result<Self, Error> {
        let key = raw.trim();
        let well_formed = (MIN_KEY_LEN..=MAX_KEY_LEN).contains(&key.len())
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
        if !well_formed {
            return Err(Error::field(
                path,
                FieldErrorCode::InvalidValue,
                crate::model::form::messages::invalid_idempotency_key(),
            ));
        }
        Ok(Self(key.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A creating call's key and the hash of its request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Idempotency {
    pub key: IdempotencyKey,
    /// The operation (`submitRequest`, `POST /submissions`), recorded with the key.
    pub operation: String,
    /// Hex SHA-256 of the operation and its arguments ([`request_hash`]).
    pub request_hash: String,
}

impl Idempotency {
    /// The key of a call of `operation` with `arguments` (the key itself left out of them).
    pub fn new(key: IdempotencyKey, operation: &str, arguments: &serde_json::Value) -> Self {
        Self { key, operation: operation.to_owned(), request_hash: request_hash(operation, arguments) }
    }
}

/// Hex SHA-256 of `operation` and `arguments` written as canonical JSON (object keys sorted), so that the
/// order a client writes its fields in does not matter.
pub fn request_hash(operation: &str, arguments: &serde_json::Value) -> String {
    let mut text = String::new();
    canonical(arguments, &mut text);
    let mut hasher = Sha256::new();
    hasher.update(operation.as_bytes());
    hasher.update([0]);
    hasher.update(text.as_bytes());
    hex::encode(hasher.finalize())
}

fn canonical(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (rank, (name, value)) in entries.into_iter().enumerate() {
                if rank > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(name.clone()).to_string());
                out.push(':');
                canonical(value, out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (rank, item) in items.iter().enumerate() {
                if rank > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::i18n::Locale;

    #[test]
    fn keys_are_checked() {
        assert!(IdempotencyKey::parse("k", "4f1c2b9e-8a7d-4c3b-9e2f-1a2b3c4d5e6f").is_ok());
        for bad in ["", "short", "a key with spaces!", &"x".repeat(129), "clé-accentuée-longue-assez"] {
            let error = IdempotencyKey::parse("idempotencyKey", bad).unwrap_err();
            let Error::Validation(fields) = error else { panic!("{bad}") };
            assert_eq!(fields[0].path, "idempotencyKey");
        }
    }

    #[test]
    fn the_hash_ignores_the_order_of_fields_but_not_their_values() {
        let a = serde_json::json!({ "input": { "a": 1, "b": [1, { "y": 2, "x": 1 }] }, "commune": "oujda" });
        let b = serde_json::json!({ "commune": "oujda", "input": { "b": [1, { "x": 1, "y": 2 }], "a": 1 } });
        let c = serde_json::json!({ "commune": "oujda", "input": { "b": [1, { "x": 1, "y": 3 }], "a": 1 } });
        assert_eq!(request_hash("submitRequest", &a), request_hash("submitRequest", &b));
        assert_ne!(request_hash("submitRequest", &a), request_hash("submitRequest", &c));
        assert_ne!(request_hash("submitRequest", &a), request_hash("fileComplaint", &a));
        for text in [
            crate::error::reused_message(),
            crate::error::done_message(),
            crate::error::unavailable_message(),
            crate::model::form::messages::invalid_idempotency_key(),
        ] {
            for locale in [Locale::Ar, Locale::Fr, Locale::En, Locale::Tzm] {
                assert!(text.exact(locale).is_some(), "{locale:?}");
            }
        }
    }
}
