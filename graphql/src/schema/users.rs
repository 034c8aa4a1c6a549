//! User accounts over GraphQL: password login (a session token, shown once), logout, and who is logged in.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use super::call::{Call, InLang, keys};

/// A session just opened: send `token` as `Authorization: Bearer <token>`. It is shown this once.
#[derive(SimpleObject)]
pub struct LoginSession {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// A user's roles in one commune.
#[derive(SimpleObject)]
pub struct UserMembership {
    /// The commune's slug.
    pub commune: String,
    pub roles: Vec<String>,
    /// What the roles allow there (`read_requests`, `assign_requests`, `manage_access`, …), so that a client
    /// offers only what is allowed.
    pub permissions: Vec<String>,
}

/// The logged-in user.
#[derive(SimpleObject)]
pub struct Me {
    pub id: ID,
    pub login: String,
    pub display_name: String,
    /// A national operator.
    pub operator: bool,
    pub memberships: Vec<UserMembership>,
}

#[derive(Default)]
pub struct UsersQuery;

#[Object]
impl UsersQuery {
    /// The logged-in user and the communes it works in (a login session only).
    async fn me(&self, ctx: &Context<'_>) -> Result<Me> {
        let call = Call::new(ctx);
        let user = call.jamaa.me(call.principal).await.in_lang(&call)?;
        Ok(Me {
            id: ID(user.id.to_string()),
            login: user.login,
            display_name: user.display_name,
            operator: user.operator,
            memberships: user
                .memberships
                .into_iter()
                .map(|m| UserMembership {
                    commune: m.commune,
                    roles: keys(m.roles),
                    permissions: m.permissions.iter().map(|p| p.as_str().to_owned()).collect(),
                })
                .collect(),
        })
    }
}

#[derive(Default)]
pub struct UsersMutation;

#[Object]
impl UsersMutation {
    /// Logs in with a login and a password. A wrong password and an unknown login get the same
    /// UNAUTHENTICATED.
    async fn login(&self, ctx: &Context<'_>, login: String, password: String) -> Result<LoginSession> {
        let call = Call::new(ctx);
        let password = SecretString::from(password);
        // Failed logins delay the next attempts at this account from this address only.
        let backoff = ctx.data_opt::<std::sync::Arc<crate::limits::EdgeLimits>>().map(|limits| &limits.logins);
        let address = ctx.data_opt::<crate::limits::ClientAddress>().map(|c| c.0);
        let guard = backoff.zip(address);
        if let Some((backoff, address)) = guard
            && let Some(wait) = backoff.wait(&login, address)
        {
            return Err(crate::limits::rate_limited_resolver_error(wait.as_secs().max(1)));
        }
        let session = match call.jamaa.login(&login, &password).await {
            Ok(session) => session,
            Err(error) => {
                if let (Some((backoff, address)), jamaa_core::Error::Unauthenticated) = (guard, &error) {
                    backoff.failed(&login, address);
                }
                return Err(error).in_lang(&call);
            }
        };
        if let Some((backoff, address)) = guard {
            backoff.succeeded(&login, address);
        }
        Ok(LoginSession { token: session.token.expose_secret().to_owned(), expires_at: session.expires_at })
    }

    /// Ends the caller's login session at once.
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        let call = Call::new(ctx);
        call.jamaa.logout(call.principal).await.in_lang(&call)?;
        Ok(true)
    }
}
