//! API token and session token strings: `jm_<kind>_<id>_<secret>`.

use std::fmt;

use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

use crate::model::ids::TokenId;

/// The kinds of API tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Operator,
    Staff,
    Partner,
    /// A user's login session (issued by `login`, ended by `logout`).
    Session,
}

impl TokenKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenKind::Operator => "op",
            TokenKind::Staff => "staff",
            TokenKind::Partner => "partner",
            TokenKind::Session => "session",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "op" => Some(TokenKind::Operator),
            "staff" => Some(TokenKind::Staff),
            "partner" => Some(TokenKind::Partner),
            "session" => Some(TokenKind::Session),
            _ => None,
        }
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token split into its parts; the secret stays wrapped.
#[derive(Debug)]
pub struct ParsedToken {
    pub kind: TokenKind,
    pub id: TokenId,
    pub secret: SecretString,
}

/// Splits a presented token; `None` when it is not shaped like one of ours.
pub fn parse(token: &SecretString) -> Option<ParsedToken> {
    let raw = token.expose_secret();
    let rest = raw.strip_prefix("jm_")?;
    let (kind, rest) = rest.split_once('_')?;
    let (id, secret) = rest.split_once('_')?;
    let kind = TokenKind::parse(kind)?;
    let id = uuid::Uuid::try_parse(id).ok().map(TokenId::from_uuid)?;
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(ParsedToken { kind, id, secret: SecretString::from(secret.to_owned()) })
}

/// A new token of `kind`: its id, the full token to show once, and the secret part to hash.
pub fn generate(kind: TokenKind) -> (TokenId, SecretString, SecretString) {
    let id = TokenId::new();
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let token = format!("jm_{kind}_{}_{secret}", id.as_uuid().simple());
    (id, SecretString::from(token), SecretString::from(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_parse_back() {
        let (id, token, secret) = generate(TokenKind::Staff);
        let parsed = parse(&token).unwrap();
        assert_eq!(parsed.id, id);
        assert_eq!(parsed.kind, TokenKind::Staff);
        assert_eq!(parsed.secret.expose_secret(), secret.expose_secret());
        assert!(token.expose_secret().starts_with("jm_staff_"));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let (_, token, _) = generate(TokenKind::Partner);
        let good = token.expose_secret().to_owned();
        let cases = [
            String::new(),
            "Bearer x".to_owned(),
            good.replacen("jm_", "xx_", 1),
            good.replacen("partner", "admin", 1),
            good[..good.len() - 1].to_owned(),
            format!("{good}0"),
            good.replace('a', "g"),
        ];
        for case in cases {
            assert!(parse(&SecretString::from(case.clone())).is_none(), "{case}");
        }
    }
}
