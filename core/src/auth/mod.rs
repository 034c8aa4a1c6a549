//! Who is calling (principals), what they may do (permissions), and API tokens.
//!
//! Tokens look like `jm_<kind>_<id>_<secret>`. The secret is 256 random bits, stored only as its SHA-256
//! (a slow hash adds nothing for a secret of that entropy), held as a `SecretString`, and compared in
//! constant time.

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::Error;
use crate::model::ids::{TenantId, TokenId};
use crate::store::TenantScope;

pub mod tokens;

/// The caller of a use case, resolved once at the edge from the `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// A citizen or a visitor, with no token.
    Anonymous,
    /// A platform operator: onboards communes, publishes configuration, checks audit trails; does not read
    /// citizens' files.
    Operator { token: TokenId },
    /// Staff of one commune, with roles there.
    Staff { token: TokenId, tenant: TenantId, roles: Vec<String> },
    /// A partner application, allowed to submit to the communes it is scoped to.
    Partner { token: TokenId, communes: Vec<TenantId> },
    /// The platform itself, acting through its command line by whoever holds the database: an operator.
    Platform,
}

/// What a use case needs the caller to be allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    ReadCatalog,
    SubmitRequest,
    ReadRequests,
    ActOnRequests,
    PublishService,
    VerifyAudit,
    /// Register civil-status acts, add marginal mentions, read full records, issue extracts and copies.
    ManageCivilStatus,
    /// Prepare council sessions, agendas, votes and publish decisions.
    ManageCouncil,
    /// Register incoming and outgoing mail and route it.
    ManageCourier,
    /// Import and publish budget, commitments, payments and revenues.
    ManageFinance,
    /// Read the commune's indicators: counts, durations and shares without personal data, public like the
    /// catalog (the national view, over every commune, is the operators').
    ReadIndicators,
}

/// The roles of the commune standard that grant each module permission; commune administrators hold them all.
fn module_roles(permission: Permission) -> &'static [&'static str] {
    match permission {
        Permission::ManageCivilStatus => &["civil_registrar"],
        Permission::ManageCouncil => &["council_secretary", "president"],
        Permission::ManageCourier => &["counter_agent", "head_of_service"],
        Permission::ManageFinance => &["head_of_service", "president"],
        _ => &[],
    }
}

/// The role that administers a commune's configuration.
pub const COMMUNE_ADMIN: &str = "commune_admin";

impl Principal {
    /// How the caller appears in the audit trail: never a secret, never personal data.
    pub fn actor(&self) -> String {
        match self {
            Principal::Anonymous => "anonymous".to_owned(),
            Principal::Operator { token } => format!("operator:{token}"),
            Principal::Staff { token, .. } => format!("staff:{token}"),
            Principal::Partner { token, .. } => format!("partner:{token}"),
            Principal::Platform => "platform".to_owned(),
        }
    }

    /// Checks that the caller may do `permission` in `tenant`, and hands out the scope to do it with.
    pub fn authorize(&self, tenant: TenantId, permission: Permission) -> Result<TenantScope, Error> {
        use Permission::*;
        let allowed = match (self, permission) {
            // A commune's indicators are aggregates without personal data: public, like its catalog.
            (_, ReadCatalog | ReadIndicators) => true,
            (Principal::Anonymous, SubmitRequest) => true,
            (Principal::Anonymous, _) => return Err(Error::Unauthenticated),
            (Principal::Operator { .. } | Principal::Platform, PublishService | VerifyAudit) => true,
            (Principal::Operator { .. } | Principal::Platform, _) => false,
            (Principal::Staff { tenant: own, roles, .. }, permission) => {
                *own == tenant
                    && match permission {
                        SubmitRequest | ReadRequests | ActOnRequests => true,
                        PublishService | VerifyAudit => roles.iter().any(|r| r == COMMUNE_ADMIN),
                        ReadCatalog | ReadIndicators => true,
                        ManageCivilStatus | ManageCouncil | ManageCourier | ManageFinance => {
                            roles.iter().any(|r| r == COMMUNE_ADMIN || module_roles(permission).contains(&r.as_str()))
                        }
                    }
            }
            (Principal::Partner { communes, .. }, SubmitRequest) => communes.contains(&tenant),
            (Principal::Partner { .. }, _) => false,
        };
        if allowed {
            Ok(TenantScope::new(tenant))
        } else {
            Err(Error::Forbidden(format!("{permission:?} is not allowed to this caller in this commune")))
        }
    }

    /// The caller's roles in `tenant`: none for anyone but that commune's staff.
    pub fn roles_in(&self, tenant: TenantId) -> &[String] {
        match self {
            Principal::Staff { tenant: own, roles, .. } if *own == tenant => roles,
            _ => &[],
        }
    }

    /// Whether the caller holds `role` in `tenant`.
    pub fn has_role(&self, tenant: TenantId, role: &str) -> bool {
        self.roles_in(tenant).iter().any(|r| r == role)
    }

    /// The commune a staff caller works for when a request names none.
    pub fn home_commune(&self) -> Option<TenantId> {
        match self {
            Principal::Staff { tenant, .. } => Some(*tenant),
            _ => None,
        }
    }

    pub fn is_operator(&self) -> bool {
        matches!(self, Principal::Operator { .. } | Principal::Platform)
    }
}

/// SHA-256 of a secret, hex.
pub(crate) fn hash_secret(secret: &SecretString) -> String {
    hex::encode(Sha256::digest(secret.expose_secret().as_bytes()))
}

/// Whether `secret` hashes to `stored_hash`, in time independent of where they differ.
pub(crate) fn secret_matches(secret: &SecretString, stored_hash: &str) -> bool {
    let computed = hash_secret(secret);
    computed.as_bytes().ct_eq(stored_hash.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_table() {
        let oujda = TenantId::new();
        let chefchaouen = TenantId::new();
        let token = TokenId::new();
        let staff = |roles: &[&str]| Principal::Staff {
            token,
            tenant: oujda,
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        };
        let partner = Principal::Partner { token, communes: vec![oujda] };
        let operator = Principal::Operator { token };
        use Permission::*;
        type Case = (&'static str, Principal, TenantId, Permission, Result<(), &'static str>);
        let cases: Vec<Case> = vec![
            ("anyone reads a catalog", Principal::Anonymous, chefchaouen, ReadCatalog, Ok(())),
            ("a citizen submits", Principal::Anonymous, oujda, SubmitRequest, Ok(())),
            ("a citizen has no inbox", Principal::Anonymous, oujda, ReadRequests, Err("UNAUTHENTICATED")),
            ("staff read their inbox", staff(&["counter_agent"]), oujda, ReadRequests, Ok(())),
            ("staff act at home", staff(&["counter_agent"]), oujda, ActOnRequests, Ok(())),
            ("staff do not read elsewhere", staff(&["counter_agent"]), chefchaouen, ReadRequests, Err("FORBIDDEN")),
            ("staff do not act elsewhere", staff(&[COMMUNE_ADMIN]), chefchaouen, ActOnRequests, Err("FORBIDDEN")),
            ("only admins publish", staff(&["counter_agent"]), oujda, PublishService, Err("FORBIDDEN")),
            ("admins publish", staff(&[COMMUNE_ADMIN]), oujda, PublishService, Ok(())),
            ("admins verify audit", staff(&[COMMUNE_ADMIN]), oujda, VerifyAudit, Ok(())),
            ("partners submit in scope", partner.clone(), oujda, SubmitRequest, Ok(())),
            ("partners do not submit elsewhere", partner.clone(), chefchaouen, SubmitRequest, Err("FORBIDDEN")),
            ("partners read no inbox", partner, oujda, ReadRequests, Err("FORBIDDEN")),
            ("operators publish", operator.clone(), chefchaouen, PublishService, Ok(())),
            ("operators verify audit", operator.clone(), chefchaouen, VerifyAudit, Ok(())),
            ("operators read no files", operator.clone(), chefchaouen, ReadRequests, Err("FORBIDDEN")),
            ("operators read indicators", operator.clone(), chefchaouen, ReadIndicators, Ok(())),
            ("operators keep no registry", operator, chefchaouen, ManageCivilStatus, Err("FORBIDDEN")),
            ("registrars register", staff(&["civil_registrar"]), oujda, ManageCivilStatus, Ok(())),
            ("counter agents do not", staff(&["counter_agent"]), oujda, ManageCivilStatus, Err("FORBIDDEN")),
            ("registrars only at home", staff(&["civil_registrar"]), chefchaouen, ManageCivilStatus, Err("FORBIDDEN")),
            ("secretaries run the council", staff(&["council_secretary"]), oujda, ManageCouncil, Ok(())),
            ("agents register mail", staff(&["counter_agent"]), oujda, ManageCourier, Ok(())),
            ("agents keep no budget", staff(&["counter_agent"]), oujda, ManageFinance, Err("FORBIDDEN")),
            ("staff read their indicators", staff(&["counter_agent"]), oujda, ReadIndicators, Ok(())),
            ("anyone reads indicators", Principal::Anonymous, chefchaouen, ReadIndicators, Ok(())),
        ];
        for (name, principal, tenant, permission, expected) in cases {
            let got = principal.authorize(tenant, permission);
            match (got, expected) {
                (Ok(scope), Ok(())) => assert_eq!(scope.tenant_id(), tenant, "{name}"),
                (Err(error), Err(code)) => assert_eq!(error.code(), code, "{name}"),
                (got, expected) => panic!("{name}: got {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn secrets_compare_by_hash() {
        let secret = SecretString::from("s3cret");
        let hash = hash_secret(&secret);
        assert!(secret_matches(&secret, &hash));
        assert!(!secret_matches(&SecretString::from("s3cres"), &hash));
        assert!(!hash.contains("s3cret"));
    }
}
