//! Resolving API tokens to principals, and issuing and revoking them.

use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::auth::tokens::{self as token_format, TokenKind};
use crate::auth::{self, Permission, Principal};
use crate::error::Error;
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::ids::{TenantId, TokenId};
use crate::model::keys::RoleKey;
use crate::store::audit;
use crate::store::tokens::{self, NewToken};

use super::Jamaa;

/// What a new token is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewApiToken {
    Operator,
    Staff { tenant: TenantId, roles: Vec<RoleKey> },
    Partner { communes: Vec<TenantId> },
}

/// A token just issued: the whole token is shown once and never stored.
#[derive(Debug)]
pub struct IssuedToken {
    pub id: TokenId,
    pub token: SecretString,
}

/// Whether the caller may issue tokens at all (an operator token: operators only; staff and partner tokens:
/// also the holders of `ManageAccess` somewhere): the check made before anything of the request's input is
/// looked up, so that a caller without the right costs nothing. [`Jamaa::create_api_token`] then checks the
/// commune itself.
pub fn check_issuer(principal: &Principal, operator_token: bool, communes: usize) -> Result<(), Error> {
    if principal == &Principal::Anonymous {
        return Err(Error::Unauthenticated);
    }
    if principal.is_operator() {
        return Ok(());
    }
    let administers = match principal {
        Principal::Staff { membership, .. } => membership.allows(Permission::ManageAccess),
        Principal::User { memberships, .. } => memberships.iter().any(|m| m.allows(Permission::ManageAccess)),
        _ => false,
    };
    if operator_token || !administers || communes > 1 {
        return Err(Error::Forbidden("tokens are issued by operators, or by a commune's administrators for it".into()));
    }
    Ok(())
}

impl Jamaa {
    /// Resolves a bearer token. Unknown, malformed, revoked and expired tokens are all UNAUTHENTICATED.
    pub async fn authenticate(&self, bearer: &SecretString) -> Result<Principal, Error> {
        let parsed = token_format::parse(bearer).ok_or(Error::Unauthenticated)?;
        if parsed.kind == TokenKind::Session {
            return self.authenticate_session(&parsed).await;
        }
        let record = tokens::by_id(self.store.conn(), parsed.id).await?.ok_or(Error::Unauthenticated)?;
        let now = self.now();
        let kind_matches = record.kind == parsed.kind;
        let live = record.revoked_at.is_none() && record.expires_at.is_none_or(|at| at > now);
        if !(auth::secret_matches(&parsed.secret, &record.secret_hash) && kind_matches && live) {
            return Err(Error::Unauthenticated);
        }
        tokens::touch(self.store.conn(), record.id, now).await?;
        match parsed.kind {
            TokenKind::Operator => Ok(Principal::Operator { token: record.id }),
            TokenKind::Staff => {
                let tenant = record.tenant_id.ok_or_else(|| Error::internal("staff token without a commune"))?;
                Ok(Principal::Staff { token: record.id, membership: self.membership(tenant, record.roles).await? })
            }
            TokenKind::Partner => Ok(Principal::Partner { token: record.id, communes: record.scopes }),
            TokenKind::Session => Err(Error::Unauthenticated),
        }
    }

    /// Issues a token. Operators issue any token; a commune's administrators issue staff and partner tokens
    /// for their own commune only. Staff roles must be roles of the commune.
    pub async fn create_api_token(
        &self,
        principal: &Principal,
        new: NewApiToken,
        label: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<IssuedToken, Error> {
        let communes: Vec<TenantId> = match &new {
            NewApiToken::Operator => Vec::new(),
            NewApiToken::Staff { tenant, .. } => vec![*tenant],
            NewApiToken::Partner { communes } => communes.clone(),
        };
        if principal == &Principal::Anonymous {
            return Err(Error::Unauthenticated);
        }
        // Operators issue any token; the holders of `ManageAccess` in one commune, its staff and partner
        // tokens.
        let allowed = principal.is_operator()
            || (!matches!(new, NewApiToken::Operator)
                && matches!(communes.as_slice(), [tenant] if principal.authorize(*tenant, Permission::ManageAccess).is_ok()));
        if !allowed {
            return Err(Error::Forbidden(
                "tokens are issued by operators, or by a commune's administrators for it".into(),
            ));
        }
        if expires_at.is_some_and(|at| at <= self.now()) {
            return Err(Error::field(
                "input.expiresAt",
                crate::error::FieldErrorCode::OutOfRange,
                crate::model::form::messages::expiry_in_past(),
            ));
        }
        for tenant in &communes {
            self.commune_by_id(*tenant).await?;
        }
        if let NewApiToken::Staff { tenant, roles } = &new {
            let scope = crate::store::TenantScope::new(*tenant);
            let tx = self.store.tenant_tx(scope).await?;
            let known = crate::store::catalog::role_keys(&tx).await?;
            tx.commit().await?;
            if let Some(unknown) = roles.iter().find(|r| !known.contains(r)) {
                return Err(Error::field(
                    "input.roles",
                    crate::error::FieldErrorCode::NotAnOption,
                    crate::model::i18n::LocalizedText::new()
                        .with(crate::model::i18n::Locale::En, format!("`{unknown}` is not a role of the commune"))
                        .with(crate::model::i18n::Locale::Fr, format!("`{unknown}` n'est pas un rôle de la commune")),
                ));
            }
        }
        self.insert_token(new, label, expires_at, &principal.actor()).await
    }

    /// Issues a token without a caller: for the demo, which sets the platform up (issuer `platform`, no
    /// audit event).
    pub async fn issue_token(
        &self,
        new: NewApiToken,
        label: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<IssuedToken, Error> {
        let minted = Minted::new(new);
        tokens::insert(self.store.conn(), minted.record(label, expires_at, "platform"), self.now()).await?;
        Ok(minted.issued)
    }

    /// Stores a token with its issuer, and a `token.issued` event in the trail of each commune it acts in
    /// (a staff token's commune, a partner's communes): the token and the first commune's event commit
    /// together. An operator token acts in no commune: its issue is logged.
    async fn insert_token(
        &self,
        new: NewApiToken,
        label: &str,
        expires_at: Option<DateTime<Utc>>,
        issuer: &str,
    ) -> Result<IssuedToken, Error> {
        let minted = Minted::new(new);
        let record = minted.record(label, expires_at, issuer);
        let (id, kind) = (minted.issued.id, minted.kind);
        let communes: Vec<TenantId> = minted.tenant_id.into_iter().chain(minted.scopes.iter().copied()).collect();
        if communes.is_empty() {
            let tx = self.store.platform_tx().await?;
            tokens::insert(&*tx, record, self.now()).await?;
            tx.commit().await?;
            tracing::info!(token.id = %id, issuer, kind = kind.as_str(), "operator token issued");
            return Ok(minted.issued);
        }
        let payload = serde_json::json!({
            "kind": kind.as_str(), "roles": minted.roles, "label": label, "expiresAt": expires_at
        });
        for (i, tenant) in communes.iter().enumerate() {
            let tx = self.store.tenant_tx(crate::store::TenantScope::new(*tenant)).await?;
            if i == 0 {
                tokens::insert(tx.conn(), record.clone(), self.now()).await?;
            }
            let event = NewEvent::new(issuer, AuditKind::TokenIssued, AuditSubject::Token(id), payload.clone());
            audit::append(&tx, event, self.now()).await?;
            tx.commit().await?;
        }
        Ok(minted.issued)
    }

    /// Revokes a token at once: operators any, a commune's administrators those of their commune. Each
    /// commune the token acted in gets a `token.revoked` event naming who revoked it.
    pub async fn revoke_api_token(&self, principal: &Principal, id: TokenId) -> Result<(), Error> {
        let record = tokens::by_id(self.store.conn(), id).await?.ok_or(Error::NotFound("token"))?;
        if principal == &Principal::Anonymous {
            return Err(Error::Unauthenticated);
        }
        let commune = record.tenant_id.or(match record.scopes.as_slice() {
            [only] => Some(*only),
            _ => None,
        });
        let allowed = principal.is_operator()
            || commune.is_some_and(|tenant| principal.authorize(tenant, Permission::ManageAccess).is_ok());
        if !allowed {
            // Tokens of other communes are not told apart from unknown ones.
            return Err(Error::NotFound("token"));
        }
        let communes: Vec<TenantId> = record.tenant_id.into_iter().chain(record.scopes.iter().copied()).collect();
        if communes.is_empty() {
            if !tokens::revoke(self.store.conn(), id, self.now()).await? {
                return Err(Error::NotFound("token"));
            }
            tracing::info!(token.id = %id, revoker = principal.actor(), "operator token revoked");
            return Ok(());
        }
        for (i, tenant) in communes.iter().enumerate() {
            let tx = self.store.tenant_tx(crate::store::TenantScope::new(*tenant)).await?;
            if i == 0 && !tokens::revoke(tx.conn(), id, self.now()).await? {
                return Err(Error::NotFound("token"));
            }
            let event = NewEvent::new(
                principal.actor(),
                AuditKind::TokenRevoked,
                AuditSubject::Token(id),
                serde_json::json!({}),
            );
            audit::append(&tx, event, self.now()).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// The API tokens of a commune (its staff tokens and the partner tokens scoped to it), without their
    /// secrets: operators, or the commune's holders of `ManageAccess`.
    pub async fn api_tokens(
        &self,
        principal: &Principal,
        commune: &Commune,
    ) -> Result<Vec<crate::store::tokens::TokenSummary>, Error> {
        if !principal.is_operator() {
            principal.authorize(commune.id, Permission::ManageAccess)?;
        }
        tokens::of_commune(self.store.conn(), commune.id).await
    }
}

/// A new token's kind, commune, roles and scopes.
/// A token made and not yet stored: what it is for, the whole token (shown once) and its secret's hash.
struct Minted {
    kind: TokenKind,
    tenant_id: Option<TenantId>,
    roles: Vec<RoleKey>,
    scopes: Vec<TenantId>,
    issued: IssuedToken,
    secret_hash: String,
}

impl Minted {
    /// Generates a token for `new`.
    fn new(new: NewApiToken) -> Self {
        let (kind, tenant_id, roles, scopes) = match new {
            NewApiToken::Operator => (TokenKind::Operator, None, Vec::new(), Vec::new()),
            NewApiToken::Staff { tenant, roles } => (TokenKind::Staff, Some(tenant), roles, Vec::new()),
            NewApiToken::Partner { communes } => (TokenKind::Partner, None, Vec::new(), communes),
        };
        let (id, token, secret) = token_format::generate(kind);
        let secret_hash = auth::hash_secret(&secret);
        Self { kind, tenant_id, roles, scopes, issued: IssuedToken { id, token }, secret_hash }
    }

    /// The row that stores it, issued by `issued_by`.
    fn record<'a>(&'a self, label: &'a str, expires_at: Option<DateTime<Utc>>, issued_by: &'a str) -> NewToken<'a> {
        NewToken {
            id: self.issued.id,
            kind: self.kind,
            tenant_id: self.tenant_id,
            roles: &self.roles,
            scopes: &self.scopes,
            label,
            secret_hash: &self.secret_hash,
            expires_at,
            issued_by,
        }
    }
}
