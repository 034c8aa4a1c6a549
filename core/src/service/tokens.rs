//! Resolving API tokens to principals, and issuing and revoking them.

use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::auth::tokens::{self as token_format, TokenKind};
use crate::auth::{self, Principal};
use crate::error::Error;
use crate::model::ids::{TenantId, TokenId};
use crate::store::tokens::{self, NewToken};

use super::Jamaa;

/// What a new token is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewApiToken {
    Operator,
    Staff { tenant: TenantId, roles: Vec<String> },
    Partner { communes: Vec<TenantId> },
}

/// A token just issued: the whole token is shown once and never stored.
#[derive(Debug)]
pub struct IssuedToken {
    pub id: TokenId,
    pub token: SecretString,
}

impl Jamaa {
    /// Resolves a bearer token. Unknown, malformed, revoked and expired tokens are all UNAUTHENTICATED.
    pub async fn authenticate(&self, bearer: &SecretString) -> Result<Principal, Error> {
        let parsed = token_format::parse(bearer).ok_or(Error::Unauthenticated)?;
        let record = tokens::by_id(self.store.conn(), parsed.id).await?.ok_or(Error::Unauthenticated)?;
        let now = self.now();
        let kind_matches = record.kind == parsed.kind.as_str();
        let live = record.revoked_at.is_none() && record.expires_at.is_none_or(|at| at > now);
        if !(auth::secret_matches(&parsed.secret, &record.secret_hash) && kind_matches && live) {
            return Err(Error::Unauthenticated);
        }
        tokens::touch(self.store.conn(), record.id, now).await?;
        match parsed.kind {
            TokenKind::Operator => Ok(Principal::Operator { token: record.id }),
            TokenKind::Staff => Ok(Principal::Staff {
                token: record.id,
                tenant: record.tenant_id.ok_or_else(|| Error::internal("staff token without a commune"))?,
                roles: record.roles,
            }),
            TokenKind::Partner => Ok(Principal::Partner { token: record.id, communes: record.scopes }),
        }
    }

    /// Issues a token. Only operators issue tokens for now (and the CLI, which holds the database).
    pub async fn create_api_token(
        &self,
        principal: &Principal,
        new: NewApiToken,
        label: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<IssuedToken, Error> {
        if !principal.is_operator() {
            return Err(Error::Forbidden("only platform operators issue tokens".into()));
        }
        self.issue_token(new, label, expires_at).await
    }

    /// Issues a token without a caller: for the CLI and the demo, which act as the platform itself.
    pub async fn issue_token(
        &self,
        new: NewApiToken,
        label: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<IssuedToken, Error> {
        let (kind, tenant_id, roles, scopes) = match new {
            NewApiToken::Operator => (TokenKind::Operator, None, Vec::new(), Vec::new()),
            NewApiToken::Staff { tenant, roles } => (TokenKind::Staff, Some(tenant), roles, Vec::new()),
            NewApiToken::Partner { communes } => (TokenKind::Partner, None, Vec::new(), communes),
        };
        let (id, token, secret) = token_format::generate(kind);
        let hash = auth::hash_secret(&secret);
        tokens::insert(
            self.store.conn(),
            NewToken {
                id,
                kind: kind.as_str(),
                tenant_id,
                roles: &roles,
                scopes: &scopes,
                label,
                secret_hash: &hash,
                expires_at,
            },
            self.now(),
        )
        .await?;
        Ok(IssuedToken { id, token })
    }

    /// Revokes a token at once.
    pub async fn revoke_api_token(&self, principal: &Principal, id: TokenId) -> Result<(), Error> {
        if !principal.is_operator() {
            return Err(Error::Forbidden("only platform operators revoke tokens".into()));
        }
        if tokens::revoke(self.store.conn(), id, self.now()).await? { Ok(()) } else { Err(Error::NotFound("token")) }
    }
}
