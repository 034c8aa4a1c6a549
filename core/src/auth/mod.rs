//! Who is calling (principals), what they may do (permissions), and API tokens.
//!
//! Tokens look like `jm_<kind>_<id>_<secret>`. The secret is 256 random bits, stored only as its SHA-256
//! (a slow hash adds nothing for a secret of that entropy), held as a `SecretString`, and compared in
//! constant time.

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::Error;
use crate::model::ids::{SessionId, TenantId, TokenId, UserId};
use crate::model::keys::RoleKey;
use crate::store::TenantScope;

pub use crate::model::access::Permission;

pub mod passwords;
pub mod tokens;

/// A caller's place in one commune: its roles there, and what the commune's template says they allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub tenant: TenantId,
    pub roles: Vec<RoleKey>,
    /// The permissions the roles grant, read from the commune's role definitions when the caller was
    /// authenticated.
    pub permissions: Vec<Permission>,
}

impl Membership {
    pub fn allows(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// The caller of a use case, resolved once at the edge from the `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// A citizen or a visitor, with no token.
    Anonymous,
    /// A platform operator: onboards communes, publishes configuration, checks audit trails; does not read
    /// citizens' files.
    Operator { token: TokenId },
    /// A staff API token of one commune, with roles there.
    Staff { token: TokenId, membership: Membership },
    /// A person logged in with a password: roles in any number of communes, and the operator's rights when
    /// the account is an operator's.
    User { user: UserId, session: SessionId, operator: bool, memberships: Vec<Membership> },
    /// A partner application, allowed to submit to the communes it is scoped to.
    Partner { token: TokenId, communes: Vec<TenantId> },
    /// The platform itself, acting through its command line by whoever holds the database: an operator.
    Platform,
}

/// The role that administers a commune's configuration.
pub const COMMUNE_ADMIN: &str = "commune_admin";

/// What operators may do in any commune.
const OPERATOR_PERMISSIONS: &[Permission] =
    &[Permission::PublishService, Permission::VerifyAudit, Permission::ReadIndicators];

impl Principal {
    /// How the caller appears in the audit trail: never a secret, never personal data.
    pub fn actor(&self) -> String {
        match self {
            Principal::Anonymous => "anonymous".to_owned(),
            Principal::Operator { token } => format!("operator:{token}"),
            Principal::Staff { token, .. } => format!("staff:{token}"),
            Principal::User { user, .. } => format!("user:{user}"),
            Principal::Partner { token, .. } => format!("partner:{token}"),
            Principal::Platform => "platform".to_owned(),
        }
    }

    /// The caller's membership in `tenant`, if it has one.
    pub fn membership(&self, tenant: TenantId) -> Option<&Membership> {
        match self {
            Principal::Staff { membership, .. } => Some(membership).filter(|m| m.tenant == tenant),
            Principal::User { memberships, .. } => memberships.iter().find(|m| m.tenant == tenant),
            _ => None,
        }
    }

    /// Checks that the caller may do `permission` in `tenant`, and hands out the scope to do it with. Staff
    /// and users are answered from their membership in that commune and the permissions its template gives
    /// their roles; nothing of one commune counts in another.
    pub fn authorize(&self, tenant: TenantId, permission: Permission) -> Result<TenantScope, Error> {
        let allowed = match (self, permission) {
            // A commune's indicators are aggregates without personal data: public, like its catalog.
            (_, Permission::ReadCatalog | Permission::ReadIndicators) => true,
            (Principal::Anonymous, Permission::SubmitRequest) => true,
            (Principal::Anonymous, _) => return Err(Error::Unauthenticated),
            // The command line, run by whoever holds the database, configures a commune's notifications.
            (Principal::Platform, Permission::ManageNotifications) => true,
            (Principal::Partner { communes, .. }, Permission::SubmitRequest) => communes.contains(&tenant),
            (Principal::Partner { .. }, _) => false,
            _ => {
                (self.is_operator() && OPERATOR_PERMISSIONS.contains(&permission))
                    || self.membership(tenant).is_some_and(|m| m.allows(permission))
            }
        };
        if allowed {
            Ok(TenantScope::new(tenant))
        } else {
            Err(Error::Forbidden(format!("{permission:?} is not allowed to this caller in this commune")))
        }
    }

    /// The caller's roles in `tenant`: none for anyone without a membership there.
    pub fn roles_in(&self, tenant: TenantId) -> &[RoleKey] {
        self.membership(tenant).map(|m| m.roles.as_slice()).unwrap_or(&[])
    }

    /// Whether the caller holds `role` in `tenant`.
    pub fn has_role(&self, tenant: TenantId, role: &str) -> bool {
        self.roles_in(tenant).iter().any(|r| r == role)
    }

    /// The commune a caller works for when a request names none: a staff token's, or a user's only one. A
    /// user with memberships in several communes must name the commune.
    pub fn home_commune(&self) -> Option<TenantId> {
        match self {
            Principal::Staff { membership, .. } => Some(membership.tenant),
            Principal::User { memberships, .. } => match memberships.as_slice() {
                [only] => Some(only.tenant),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn is_operator(&self) -> bool {
        matches!(self, Principal::Operator { .. } | Principal::Platform | Principal::User { operator: true, .. })
    }

    /// The session the caller logged in with, if it did.
    pub fn session(&self) -> Option<SessionId> {
        match self {
            Principal::User { session, .. } => Some(*session),
            _ => None,
        }
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
        let standard = crate::model::standard::moroccan_roles().unwrap();
        let membership = |tenant: TenantId, roles: &[&str]| Membership {
            tenant,
            roles: roles.iter().map(|r| RoleKey::from(*r)).collect(),
            permissions: standard
                .iter()
                .filter(|def| roles.contains(&def.key.as_str()))
                .flat_map(|def| def.permissions.iter().copied())
                .collect(),
        };
        let staff = |roles: &[&str]| Principal::Staff { token, membership: membership(oujda, roles) };
        let kaedi = TenantId::new();
        let agent = Principal::User {
            user: UserId::new(),
            session: SessionId::new(),
            operator: false,
            memberships: vec![membership(oujda, &["counter_agent"]), membership(chefchaouen, &["civil_registrar"])],
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
            ("staff without roles do nothing", staff(&[]), oujda, ReadRequests, Err("FORBIDDEN")),
            ("admins manage access", staff(&[COMMUNE_ADMIN]), oujda, ManageAccess, Ok(())),
            ("agents do not", staff(&["counter_agent"]), oujda, ManageAccess, Err("FORBIDDEN")),
            ("a user acts in one commune", agent.clone(), oujda, ActOnRequests, Ok(())),
            ("and in another", agent.clone(), chefchaouen, ActOnRequests, Ok(())),
            ("with the roles held there", agent.clone(), chefchaouen, ManageCivilStatus, Ok(())),
            ("not those held elsewhere", agent.clone(), oujda, ManageCivilStatus, Err("FORBIDDEN")),
            ("and nothing where it has none", agent.clone(), kaedi, ReadRequests, Err("FORBIDDEN")),
            ("a user is no operator", agent, kaedi, VerifyAudit, Err("FORBIDDEN")),
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
    fn roles_and_home_commune_follow_memberships() {
        let (oujda, chefchaouen) = (TenantId::new(), TenantId::new());
        let member = |tenant, role: &str| Membership { tenant, roles: vec![role.into()], permissions: vec![] };
        let user = |memberships| Principal::User {
            user: UserId::new(),
            session: SessionId::new(),
            operator: false,
            memberships,
        };
        let one = user(vec![member(oujda, "president")]);
        assert_eq!(one.home_commune(), Some(oujda));
        assert!(one.has_role(oujda, "president") && !one.has_role(chefchaouen, "president"));
        let two = user(vec![member(oujda, "president"), member(chefchaouen, "counter_agent")]);
        assert_eq!(two.home_commune(), None);
        assert_eq!(two.roles_in(chefchaouen), ["counter_agent"]);
        assert!(two.session().is_some() && two.actor().starts_with("user:"));
        let national =
            Principal::User { user: UserId::new(), session: SessionId::new(), operator: true, memberships: vec![] };
        assert!(national.is_operator());
        assert!(national.authorize(oujda, Permission::VerifyAudit).is_ok());
        assert!(national.authorize(oujda, Permission::ReadRequests).is_err());
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
