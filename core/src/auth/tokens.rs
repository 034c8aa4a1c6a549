//! API token and session token strings: `jm_<kind>_<id>_<secret>`.

use rand::RngCore;
use sea_orm::{DeriveActiveEnum, EnumIter};
use secrecy::{ExposeSecret, SecretString};

use crate::model::ids::TokenId;

/// The kinds of API tokens, by the name a token string and the `api_tokens` table give them (`op`, `staff`, …).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    DeriveActiveEnum,
    EnumIter,
)]
#[strum(serialize_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
pub enum TokenKind {
    #[strum(serialize = "op")]
    #[sea_orm(string_value = "op")]
    Operator,
    Staff,
    Partner,
    /// A user's login session (issued by `login`, ended by `logout`).
    Session,
}

impl TokenKind {
    /// The stored name (`op`, `staff`, `partner`, `session`).
    pub fn as_str(self) -> &'static str {
        self.into()
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
    let kind: TokenKind = kind.parse().ok()?;
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
    use sea_orm::ActiveEnum;

    use super::*;

    #[test]
    fn a_kind_keeps_its_stored_name() {
        for (kind, name) in [
            (TokenKind::Operator, "op"),
            (TokenKind::Staff, "staff"),
            (TokenKind::Partner, "partner"),
            (TokenKind::Session, "session"),
        ] {
            assert_eq!((kind.as_str(), kind.to_value(), name.parse()), (name, name.to_owned(), Ok(kind)));
        }
    }

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
