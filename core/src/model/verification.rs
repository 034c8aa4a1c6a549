//! Verifiable documents: the verification code printed on a document a commune issues, and the fingerprint
//! of its text that shows whether it was changed since.
//!
//! A code reads `CHF-7K3M-9XQ2-HT4P`: the issuing commune's tracking prefix (so that the code finds its commune
//! without a global table), then twelve characters of the citizen-secret alphabet (about 59 bits: not
//! guessable), in groups of four. The fingerprint is the SHA-256 of the document's text, after line endings
//! and trailing spaces are normalized, so that a text copied from a screen or a printout still matches.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::commune::{InvalidValue, TrackingPrefix};

/// The characters of a code: no 0/O, 1/I/L or U, so that codes can be read out and typed.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How many random characters a code carries.
pub const CODE_LENGTH: usize = 12;

/// The code printed on an issued document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VerificationCode {
    prefix: String,
    random: String,
}

impl VerificationCode {
    /// A code of `prefix` from `CODE_LENGTH` characters of [`CODE_ALPHABET`] (the caller draws them).
    pub fn new(prefix: &TrackingPrefix, random: &str) -> Result<Self, InvalidValue> {
        Self::parse(&format!("{}-{random}", prefix.as_str()))
    }

    /// Parses a code as someone types it: case, spaces and dashes inside the random part do not matter.
    pub fn parse(value: &str) -> Result<Self, InvalidValue> {
        let invalid =
            || InvalidValue::new("verification code", value, "PREFIX-XXXX-XXXX-XXXX, e.g. CHF-7K3M-9XQ2-HT4P");
        let upper = value.trim().to_ascii_uppercase();
        let (prefix, rest) = upper.split_once('-').ok_or_else(invalid)?;
        let prefix = TrackingPrefix::parse(prefix).map_err(|_| invalid())?;
        let random: String = rest.chars().filter(|c| *c != '-' && !c.is_whitespace()).collect();
        if random.len() != CODE_LENGTH || !random.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
            return Err(invalid());
        }
        Ok(Self { prefix: prefix.as_str().to_owned(), random })
    }

    /// The issuing commune's tracking prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

impl fmt::Display for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> = (0..self.random.len()).step_by(4).filter_map(|i| self.random.get(i..i + 4)).collect();
        write!(f, "{}-{}", self.prefix, groups.join("-"))
    }
}

impl TryFrom<String> for VerificationCode {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<VerificationCode> for String {
    fn from(code: VerificationCode) -> String {
        code.to_string()
    }
}

/// The text as it is fingerprinted: `\r\n` and `\r` become `\n`, trailing spaces of each line and trailing
/// empty lines are dropped.
pub fn normalize_text(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim_end_matches('\n').to_owned()
}

/// The fingerprint of a document's text: SHA-256 of the normalized text, hex.
pub fn fingerprint(text: &str) -> String {
    hex::encode(Sha256::digest(normalize_text(text).as_bytes()))
}

/// The fingerprint as printed on a document: its first 16 hex digits in groups of four.
pub fn short_fingerprint(fingerprint: &str) -> String {
    let head = fingerprint.get(..16).unwrap_or(fingerprint);
    let groups: Vec<&str> = (0..head.len()).step_by(4).filter_map(|i| head.get(i..i + 4)).collect();
    groups.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix() -> TrackingPrefix {
        TrackingPrefix::parse("CHF").unwrap()
    }

    #[test]
    fn codes_print_in_groups_and_parse_back_as_typed() {
        let code = VerificationCode::new(&prefix(), "7K3M9XQ2HT4P").unwrap();
        assert_eq!(code.to_string(), "CHF-7K3M-9XQ2-HT4P");
        assert_eq!(VerificationCode::parse(" chf-7k3m 9xq2-ht4p ").unwrap(), code);
        assert_eq!(code.prefix(), "CHF");
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(serde_json::from_str::<VerificationCode>(&json).unwrap(), code);
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in ["", "CHF", "CHF-7K3M-9XQ2", "CHF-7K3M-9XQ2-HT4P-2", "CHF-7K3M-9XQ2-HT4O", "C-7K3M-9XQ2-HT4P"] {
            assert!(VerificationCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fingerprints_ignore_line_endings_and_trailing_spaces_only() {
        let text = "Extrait d'acte de naissance\nN° 12/2026\n";
        assert_eq!(fingerprint(text), fingerprint("Extrait d'acte de naissance  \r\nN° 12/2026\r\n\r\n"));
        assert_ne!(fingerprint(text), fingerprint("Extrait d'acte de naissance\nN° 13/2026\n"));
        assert_eq!(fingerprint(text).len(), 64);
        assert_eq!(short_fingerprint(&fingerprint(text)).len(), 19);
    }
}
