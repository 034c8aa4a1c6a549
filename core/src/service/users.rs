//! User accounts: one identity per person with memberships in any number of communes, password login
//! (argon2id) and sessions that end at their expiry or at logout.

use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::auth::tokens::{self as token_format, ParsedToken, TokenKind};
use crate::auth::{self, Membership, Permission, Principal, passwords};
use crate::error::{Error, FieldErrorCode};
use crate::model::access::{check_password, normalize_login};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::ids::{SessionId, TenantId, UserId};
use crate::model::keys::RoleKey;
use crate::store::users::{self, UserRecord};
use crate::store::{TenantScope, audit, catalog};

use super::Jamaa;

/// A user account to create.
#[derive(Debug)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub password: SecretString,
    /// A national operator: the platform's rights in every commune.
    pub operator: bool,
}

/// A session just opened: `token` is shown once and never stored.
#[derive(Debug)]
pub struct IssuedSession {
    pub id: SessionId,
    pub token: SecretString,
    pub expires_at: DateTime<Utc>,
}

/// Who a user is, and where it works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserView {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub operator: bool,
    /// Where the user works: each commune, the roles there and what they allow.
    pub memberships: Vec<MembershipView>,
}

/// A user's place in one commune.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipView {
    pub commune: String,
    pub roles: Vec<RoleKey>,
    /// What the roles allow there, from the commune's role definitions.
    pub permissions: Vec<Permission>,
}

/// A member of a commune, as its administrators see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommuneUser {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub disabled: bool,
    /// The roles in this commune only.
    pub roles: Vec<RoleKey>,
}

/// A member to create in a commune, with roles there.
#[derive(Debug)]
pub struct NewCommuneUser {
    pub login: String,
    pub display_name: String,
    pub password: SecretString,
    pub roles: Vec<RoleKey>,
}

/// Hashes off the async runtime: argon2 takes tens of milliseconds on purpose.
pub(crate) async fn hash_password(password: &SecretString) -> Result<String, Error> {
    let password = password.clone();
    tokio::task::spawn_blocking(move || passwords::hash(&password)).await.map_err(Error::internal)?
}

async fn verify_password(password: &SecretString, stored: Option<String>) -> Result<bool, Error> {
    let password = password.clone();
    tokio::task::spawn_blocking(move || passwords::verify(&password, stored.as_deref())).await.map_err(Error::internal)
}

impl Jamaa {
    /// Creates a user (operators). The login is unique; the password is only kept as its argon2id hash.
    pub async fn create_user(&self, principal: &Principal, new: NewUser) -> Result<UserId, Error> {
        self.create_user_hashed(principal, new, None).await
    }

    /// [`Jamaa::create_user`], with the password's hash made already (`hashed`, of `new.password`) when given:
    /// the demo gives its many logins one known password, hashed once.
    pub(crate) async fn create_user_hashed(
        &self,
        principal: &Principal,
        new: NewUser,
        hashed: Option<&str>,
    ) -> Result<UserId, Error> {
        require_operator(principal)?;
        let mut errors = Vec::new();
        let login = normalize_login(&new.login).map_err(|e| errors.push(e)).ok();
        if let Err(e) = check_password(secrecy::ExposeSecret::expose_secret(&new.password)) {
            errors.push(e);
        }
        let display_name = new.display_name.trim().to_owned();
        if display_name.is_empty() || display_name.chars().count() > 200 {
            errors.push(crate::error::FieldError::new(
                "displayName",
                FieldErrorCode::Required,
                messages::display_name_length(),
            ));
        }
        let Some(login) = login.filter(|_| errors.is_empty()) else { return Err(Error::Validation(errors)) };
        let record = UserRecord {
            id: UserId::new(),
            login,
            display_name,
            password_hash: match hashed {
                Some(hash) => hash.to_owned(),
                None => hash_password(&new.password).await?,
            },
            disabled: false,
            operator: new.operator,
        };
        if !users::insert(self.store.conn(), &record, self.now()).await? {
            return Err(Error::Conflict("this login is taken".into()));
        }
        tracing::info!(user = %record.id, "user created");
        Ok(record.id)
    }

    /// Sets a user's password (operators); every open session of the user ends.
    pub async fn set_password(&self, principal: &Principal, login: &str, password: SecretString) -> Result<(), Error> {
        self.set_password_hashed(principal, login, password, None).await
    }

    /// [`Jamaa::set_password`], with the password's hash made already when given (see
    /// [`Jamaa::create_user_hashed`]).
    pub(crate) async fn set_password_hashed(
        &self,
        principal: &Principal,
        login: &str,
        password: SecretString,
        hashed: Option<&str>,
    ) -> Result<(), Error> {
        require_operator(principal)?;
        check_password(secrecy::ExposeSecret::expose_secret(&password)).map_err(|e| Error::Validation(vec![e]))?;
        let user = self.user_by_login(login).await?;
        let hash = match hashed {
            Some(hash) => hash.to_owned(),
            None => hash_password(&password).await?,
        };
        users::update(self.store.conn(), user.id, Some(&hash), None).await?;
        users::end_sessions(self.store.conn(), None, user.id, self.now()).await?;
        Ok(())
    }

    /// Disables or enables a user (operators); disabling ends every open session at once.
    pub async fn set_user_disabled(&self, principal: &Principal, login: &str, disabled: bool) -> Result<(), Error> {
        require_operator(principal)?;
        let user = self.user_by_login(login).await?;
        users::update(self.store.conn(), user.id, None, Some(disabled)).await?;
        if disabled {
            users::end_sessions(self.store.conn(), None, user.id, self.now()).await?;
        }
        Ok(())
    }

    /// Gives a user roles in a commune (replacing those it had there): operators, or the commune's holders
    /// of `ManageAccess`. The roles must be the commune's; the grant is an audit event of the commune.
    pub async fn grant_membership(
        &self,
        principal: &Principal,
        login: &str,
        commune: &Commune,
        roles: Vec<RoleKey>,
    ) -> Result<(), Error> {
        let scope = self.access_scope(principal, commune.id)?;
        let user = self.user_by_login(login).await?;
        let tx = self.store.tenant_tx(scope).await?;
        let known = catalog::role_keys(&tx).await?;
        let unknown: Vec<&RoleKey> = roles.iter().filter(|r| !known.contains(r)).collect();
        if roles.is_empty() || !unknown.is_empty() {
            let listed = unknown.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
            return Err(Error::field("roles", FieldErrorCode::NotAnOption, messages::unknown_roles(&listed)));
        }
        users::set_membership(tx.conn(), user.id, commune.id, &roles, self.now()).await?;
        let event = NewEvent::new(
            principal.actor(),
            AuditKind::AccessGranted,
            AuditSubject::User(user.id),
            serde_json::json!({ "roles": roles }),
        );
        audit::append(&tx, event, self.now()).await?;
        tx.commit().await
    }

    /// Takes back a user's roles in a commune: operators, or the commune's holders of `ManageAccess`.
    pub async fn revoke_membership(&self, principal: &Principal, login: &str, commune: &Commune) -> Result<(), Error> {
        let scope = self.access_scope(principal, commune.id)?;
        let user = self.user_by_login(login).await?;
        let tx = self.store.tenant_tx(scope).await?;
        if !users::remove_membership(tx.conn(), user.id, commune.id).await? {
            return Err(Error::NotFound("membership"));
        }
        let event = NewEvent::new(
            principal.actor(),
            AuditKind::AccessRevoked,
            AuditSubject::User(user.id),
            serde_json::json!({}),
        );
        audit::append(&tx, event, self.now()).await?;
        tx.commit().await
    }

    /// Opens a session for a login and password. Unknown logins, wrong passwords and disabled accounts all
    /// get the same UNAUTHENTICATED, after the same password work.
    pub async fn login(&self, login: &str, password: &SecretString) -> Result<IssuedSession, Error> {
        let user = match normalize_login(login) {
            Ok(login) => users::by_login(self.store.conn(), &login).await?,
            Err(_) => None,
        };
        let stored = user.as_ref().map(|u| u.password_hash.clone());
        let matches = verify_password(password, stored).await?;
        let Some(user) = user.filter(|u| matches && !u.disabled) else { return Err(Error::Unauthenticated) };
        let (id, token, secret) = token_format::generate(TokenKind::Session);
        let id = SessionId::from_uuid(id.as_uuid());
        let now = self.now();
        let expires_at = now + self.session_ttl;
        users::insert_session(self.store.conn(), id, user.id, &auth::hash_secret(&secret), now, expires_at).await?;
        tracing::info!(user = %user.id, session = %id, "logged in");
        Ok(IssuedSession { id, token, expires_at })
    }

    /// Ends the caller's session at once: the token is UNAUTHENTICATED from now on.
    pub async fn logout(&self, principal: &Principal) -> Result<(), Error> {
        let (Principal::User { user, .. }, Some(session)) = (principal, principal.session()) else {
            return Err(match principal {
                Principal::Anonymous => Error::Unauthenticated,
                _ => Error::Forbidden("only a login session ends by logging out; API tokens are revoked".into()),
            });
        };
        users::end_sessions(self.store.conn(), Some(session), *user, self.now()).await?;
        Ok(())
    }

    /// The logged-in user and its memberships.
    pub async fn me(&self, principal: &Principal) -> Result<UserView, Error> {
        let Principal::User { user, .. } = principal else {
            return Err(match principal {
                Principal::Anonymous => Error::Unauthenticated,
                _ => Error::Forbidden("only a logged-in user has an account".into()),
            });
        };
        let record = users::by_id(self.store.conn(), *user).await?.ok_or(Error::Unauthenticated)?;
        let mut memberships = Vec::new();
        for m in users::memberships(self.store.conn(), *user).await? {
            let commune = self.commune_by_id(m.tenant_id).await?.spec.slug.to_string();
            let permissions = self.membership(m.tenant_id, m.roles.clone()).await?.permissions;
            memberships.push(MembershipView { commune, roles: m.roles, permissions });
        }
        Ok(UserView {
            id: record.id,
            login: record.login,
            display_name: record.display_name,
            operator: record.operator,
            memberships,
        })
    }

    /// Resolves a session token: unknown, ended and expired sessions, and disabled users, are UNAUTHENTICATED.
    pub(crate) async fn authenticate_session(&self, parsed: &ParsedToken) -> Result<Principal, Error> {
        let id = SessionId::from_uuid(parsed.id.as_uuid());
        let record = users::session(self.store.conn(), id).await?.ok_or(Error::Unauthenticated)?;
        let live = record.ended_at.is_none() && record.expires_at > self.now();
        if !(auth::secret_matches(&parsed.secret, &record.secret_hash) && live) {
            return Err(Error::Unauthenticated);
        }
        let user = users::by_id(self.store.conn(), record.user_id).await?.ok_or(Error::Unauthenticated)?;
        if user.disabled {
            return Err(Error::Unauthenticated);
        }
        let mut memberships = Vec::new();
        for m in users::memberships(self.store.conn(), user.id).await? {
            memberships.push(self.membership(m.tenant_id, m.roles).await?);
        }
        Ok(Principal::User { user: user.id, session: id, operator: user.operator, memberships })
    }

    /// A membership with the permissions the commune's role definitions give `roles`. Reading them is the
    /// platform resolving its caller, before any use case: the scope serves that read only.
    pub(crate) async fn membership(&self, tenant: TenantId, roles: Vec<RoleKey>) -> Result<Membership, Error> {
        let tx = self.store.tenant_tx(TenantScope::new(tenant)).await?;
        let permissions = catalog::permissions_of(&tx, &roles).await?;
        tx.commit().await?;
        Ok(Membership { tenant, roles, permissions })
    }

    async fn user_by_login(&self, login: &str) -> Result<UserRecord, Error> {
        let login = normalize_login(login).map_err(|e| Error::Validation(vec![e]))?;
        users::by_login(self.store.conn(), &login).await?.ok_or(Error::NotFound("user"))
    }

    /// Operators anywhere; elsewhere, `ManageAccess` in the commune.
    fn access_scope(&self, principal: &Principal, tenant: TenantId) -> Result<TenantScope, Error> {
        if principal.is_operator() {
            return Ok(TenantScope::new(tenant));
        }
        principal.authorize(tenant, Permission::ManageAccess)
    }
}

/// The checks of a new account: every failure at once.
fn check_new_account(login: &str, display_name: &str, password: &SecretString) -> Result<(String, String), Error> {
    let mut errors = Vec::new();
    let login = normalize_login(login).map_err(|e| errors.push(e)).ok();
    if let Err(e) = check_password(secrecy::ExposeSecret::expose_secret(password)) {
        errors.push(e);
    }
    let display_name = display_name.trim().to_owned();
    if display_name.is_empty() || display_name.chars().count() > 200 {
        errors.push(crate::error::FieldError::new(
            "displayName",
            FieldErrorCode::Required,
            messages::display_name_length(),
        ));
    }
    match login.filter(|_| errors.is_empty()) {
        Some(login) => Ok((login, display_name)),
        None => Err(Error::Validation(errors)),
    }
}

fn unknown_roles(path: &str, unknown: &[&RoleKey]) -> Error {
    let listed = unknown.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
    Error::field(path, FieldErrorCode::NotAnOption, messages::unknown_roles(&listed))
}

impl Jamaa {
    /// The members of a commune and their roles there: operators, or the commune's holders of `ManageAccess`.
    pub async fn commune_users(&self, principal: &Principal, commune: &Commune) -> Result<Vec<CommuneUser>, Error> {
        let scope = self.access_scope(principal, commune.id)?;
        let tx = self.store.tenant_tx(scope).await?;
        let members = users::members_of(tx.conn(), commune.id).await?;
        tx.commit().await?;
        Ok(members.into_iter().map(|(user, roles)| commune_user(&user, roles)).collect())
    }

    /// Creates an account that works in the commune with `roles` there: operators, or the commune's holders of
    /// `ManageAccess`. The account, its membership and the audit events (`user.created`, `access.granted`)
    /// commit together.
    pub async fn create_commune_user(
        &self,
        principal: &Principal,
        commune: &Commune,
        new: NewCommuneUser,
    ) -> Result<CommuneUser, Error> {
        let scope = self.access_scope(principal, commune.id)?;
        let (login, display_name) = check_new_account(&new.login, &new.display_name, &new.password)?;
        let password_hash = hash_password(&new.password).await?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let known = catalog::role_keys(&tx).await?;
        let unknown: Vec<&RoleKey> = new.roles.iter().filter(|r| !known.contains(r)).collect();
        if new.roles.is_empty() || !unknown.is_empty() {
            return Err(unknown_roles("input.roles", &unknown));
        }
        let mut roles = new.roles.clone();
        roles.sort();
        roles.dedup();
        let record =
            UserRecord { id: UserId::new(), login, display_name, password_hash, disabled: false, operator: false };
        if !users::insert(tx.conn(), &record, now).await? {
            return Err(Error::Conflict("this login is taken".into()));
        }
        users::set_membership(tx.conn(), record.id, commune.id, &roles, now).await?;
        let subject = AuditSubject::User(record.id);
        let created = serde_json::json!({ "login": record.login });
        audit::append(&tx, NewEvent::new(principal.actor(), AuditKind::UserCreated, subject.clone(), created), now)
            .await?;
        let granted = serde_json::json!({ "roles": roles });
        audit::append(&tx, NewEvent::new(principal.actor(), AuditKind::AccessGranted, subject, granted), now).await?;
        tx.commit().await?;
        tracing::info!(user = %record.id, commune = %commune.spec.slug, "user created in a commune");
        Ok(commune_user(&record, roles))
    }

    /// Adds a role of the commune to a member's roles there: operators (who may also make any user a member),
    /// or the commune's holders of `ManageAccess`. Roles elsewhere are untouched.
    pub async fn grant_role(
        &self,
        principal: &Principal,
        commune: &Commune,
        user_id: UserId,
        role: &RoleKey,
    ) -> Result<CommuneUser, Error> {
        let scope = self.access_scope(principal, commune.id)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let user = users::by_id(tx.conn(), user_id).await?.ok_or(Error::NotFound("user"))?;
        let role = role.clone();
        if !catalog::role_keys(&tx).await?.contains(&role) {
            return Err(unknown_roles("role", &[&role]));
        }
        let roles = users::membership_in(tx.conn(), user_id, commune.id).await?;
        // A commune's administrators give roles to its members (made with `createUser`); drawing a member of
        // other communes in is the operators'.
        if roles.is_none() && !principal.is_operator() {
            return Err(Error::NotFound("user"));
        }
        let mut roles = roles.unwrap_or_default();
        if !roles.contains(&role) {
            roles.push(role.clone());
            roles.sort();
            users::set_membership(tx.conn(), user_id, commune.id, &roles, now).await?;
            let payload = serde_json::json!({ "roles": roles, "granted": role });
            let event =
                NewEvent::new(principal.actor(), AuditKind::AccessGranted, AuditSubject::User(user_id), payload);
            audit::append(&tx, event, now).await?;
        }
        tx.commit().await?;
        Ok(commune_user(&user, roles))
    }

    /// Takes a role of the commune back from a member (the membership ends with its last role): operators, or
    /// the commune's holders of `ManageAccess`. A user who is no member of the commune is NOT_FOUND.
    pub async fn revoke_role(
        &self,
        principal: &Principal,
        commune: &Commune,
        user_id: UserId,
        role: &RoleKey,
    ) -> Result<CommuneUser, Error> {
        let scope = self.access_scope(principal, commune.id)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let (user, mut roles) = self.member(&tx, user_id, commune.id).await?;
        if roles.iter().any(|r| r == role) {
            roles.retain(|r| r != role);
            if roles.is_empty() {
                users::remove_membership(tx.conn(), user_id, commune.id).await?;
            } else {
                users::set_membership(tx.conn(), user_id, commune.id, &roles, now).await?;
            }
            let payload = serde_json::json!({ "roles": roles, "revoked": role });
            let event =
                NewEvent::new(principal.actor(), AuditKind::AccessRevoked, AuditSubject::User(user_id), payload);
            audit::append(&tx, event, now).await?;
        }
        tx.commit().await?;
        Ok(commune_user(&user, roles))
    }

    /// Disables or enables a member's account (disabling ends its sessions at once): operators, or the
    /// commune's holders of `ManageAccess` for an account that works in their commune only and is no
    /// operator's.
    pub async fn set_member_disabled(
        &self,
        principal: &Principal,
        commune: &Commune,
        user_id: UserId,
        disabled: bool,
    ) -> Result<CommuneUser, Error> {
        let scope = self.access_scope(principal, commune.id)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let (user, roles) = self.member(&tx, user_id, commune.id).await?;
        self.may_manage_account(&tx, principal, &user).await?;
        if user.disabled != disabled {
            users::update(tx.conn(), user_id, None, Some(disabled)).await?;
            if disabled {
                users::end_sessions(tx.conn(), None, user_id, now).await?;
            }
            let kind = if disabled { AuditKind::UserDisabled } else { AuditKind::UserEnabled };
            let event = NewEvent::new(principal.actor(), kind, AuditSubject::User(user_id), serde_json::json!({}));
            audit::append(&tx, event, now).await?;
        }
        tx.commit().await?;
        Ok(commune_user(&UserRecord { disabled, ..user }, roles))
    }

    /// Sets a member's password (every open session of the account ends): the same callers as
    /// [`Jamaa::set_member_disabled`]. The password is never logged nor audited, only the act.
    pub async fn reset_member_password(
        &self,
        principal: &Principal,
        commune: &Commune,
        user_id: UserId,
        password: SecretString,
    ) -> Result<(), Error> {
        let scope = self.access_scope(principal, commune.id)?;
        check_password(secrecy::ExposeSecret::expose_secret(&password)).map_err(|e| Error::Validation(vec![e]))?;
        let hash = hash_password(&password).await?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let (user, _) = self.member(&tx, user_id, commune.id).await?;
        self.may_manage_account(&tx, principal, &user).await?;
        users::update(tx.conn(), user_id, Some(&hash), None).await?;
        users::end_sessions(tx.conn(), None, user_id, now).await?;
        let event = NewEvent::new(
            principal.actor(),
            AuditKind::UserPasswordReset,
            AuditSubject::User(user_id),
            serde_json::json!({}),
        );
        audit::append(&tx, event, now).await?;
        tx.commit().await
    }

    /// A member of the commune and its roles there; anyone else is NOT_FOUND.
    async fn member(
        &self,
        tx: &crate::store::TenantTx,
        user_id: UserId,
        tenant: TenantId,
    ) -> Result<(UserRecord, Vec<RoleKey>), Error> {
        let roles = users::membership_in(tx.conn(), user_id, tenant).await?.ok_or(Error::NotFound("user"))?;
        let user = users::by_id(tx.conn(), user_id).await?.ok_or(Error::NotFound("user"))?;
        Ok((user, roles))
    }

    /// A commune's administrator changes only accounts that work in that commune alone and are no operator's:
    /// an account of several communes, or an operator's, is the operators' to change.
    async fn may_manage_account(
        &self,
        tx: &crate::store::TenantTx,
        principal: &Principal,
        user: &UserRecord,
    ) -> Result<(), Error> {
        if principal.is_operator() {
            return Ok(());
        }
        if user.operator || users::membership_count(tx.conn(), user.id).await? > 1 {
            return Err(Error::Forbidden(
                "this account works in other communes too (or is an operator's): only operators change it".into(),
            ));
        }
        Ok(())
    }
}

fn commune_user(user: &UserRecord, roles: Vec<RoleKey>) -> CommuneUser {
    CommuneUser {
        id: user.id,
        login: user.login.clone(),
        display_name: user.display_name.clone(),
        disabled: user.disabled,
        roles,
    }
}

fn require_operator(principal: &Principal) -> Result<(), Error> {
    match principal {
        _ if principal.is_operator() => Ok(()),
        Principal::Anonymous => Err(Error::Unauthenticated),
        _ => Err(Error::Forbidden("only platform operators manage user accounts".into())),
    }
}
