//! API tokens over GraphQL: issuing (shown once) and revoking; the origins of a commune's website, which CORS
//! allows.

use super::call::{Call, InCommune, InLang, keys, subject_id};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use jamaa_core::model::ids::TokenId;
use jamaa_core::service::NewApiToken;
use secrecy::ExposeSecret;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum TokenKind {
    Operator,
    Staff,
    Partner,
}

/// A token to issue.
#[derive(InputObject)]
pub struct CreateApiTokenInput {
    pub kind: TokenKind,
    /// Staff: the one commune; partner: the communes it may act on.
    #[graphql(default)]
    pub communes: Vec<String>,
    /// Staff: the roles in the commune.
    #[graphql(default)]
    pub roles: Vec<String>,
    pub label: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A token just issued: `token` is shown this once and never stored.
#[derive(SimpleObject)]
pub struct IssuedApiToken {
    pub id: ID,
    pub token: String,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct AccessMutation;

#[Object]
impl AccessMutation {
    /// Issues an API token: operators any; a commune's administrators staff and partner tokens for their
    /// commune.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        input: CreateApiTokenInput,
    ) -> Result<IssuedApiToken> {
        let call = Call::new(ctx);
        let jamaa = call.jamaa;
        // The caller first, then its input: one look-up per distinct commune.
        let principal = call.principal;
        let mut slugs: Vec<&String> = input.communes.iter().collect();
        slugs.sort();
        slugs.dedup();
        jamaa_core::service::check_issuer(principal, input.kind == TokenKind::Operator, slugs.len()).in_lang(&call)?;
        let mut communes = Vec::new();
        for slug in slugs {
            communes.push(jamaa.commune(slug).await.in_lang(&call)?.id);
        }
        let new = match input.kind {
            TokenKind::Operator => NewApiToken::Operator,
            TokenKind::Staff => match communes.as_slice() {
                [tenant] => NewApiToken::Staff { tenant: *tenant, roles: keys(input.roles) },
                _ => {
                    return Err(jamaa_core::Error::field(
                        "input.communes",
                        jamaa_core::error::FieldErrorCode::InvalidValue,
                        jamaa_core::model::i18n::LocalizedText::new()
                            .with(jamaa_core::model::i18n::Locale::En, "a staff token belongs to exactly one commune")
                            .with(
                                jamaa_core::model::i18n::Locale::Fr,
                                "un jeton d'agent appartient à une seule commune",
                            ),
                    ))
                    .in_lang(&call);
                }
            },
            TokenKind::Partner => NewApiToken::Partner { communes },
        };
        let issued =
            jamaa.create_api_token(call.principal, new, &input.label, input.expires_at).await.in_lang(&call)?;
        Ok(IssuedApiToken {
            id: ID(issued.id.to_string()),
            token: issued.token.expose_secret().to_owned(),
            expires_at: input.expires_at,
        })
    }

    /// Revokes an API token: from this moment on it is UNAUTHENTICATED.
    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let call = Call::new(ctx);
        let id: TokenId = subject_id(&id, "token").in_lang(&call)?;
        call.jamaa.revoke_api_token(call.principal, id).await.in_lang(&call)?;
        Ok(true)
    }

    /// Replaces the origins of the commune's own website (`https://host[:port]`, at most 10): the browser
    /// pages of those origins may then call the API and import `/sdk/` (CORS), on this server at once. The
    /// commune's administrators (`manage_access`) or operators; refused origins are `INVALID_ORIGIN` at
    /// `origins[i]`. Returns the origins as kept (lower case, each once).
    async fn set_site_origins(&self, ctx: &Context<'_>, commune: String, origins: Vec<String>) -> Result<Vec<String>> {
        let call = InCommune::new(ctx, Some(commune), None).await?;
        call.jamaa.set_site_origins(call.principal, &call.commune, &origins).await.in_lang(&call)
    }
}

#[derive(Default)]
pub struct AccessQuery;

#[Object]
impl AccessQuery {
    /// The origins of the commune's own website, which the API's CORS layer allows (anyone may read them).
    async fn site_origins(&self, ctx: &Context<'_>, commune: String) -> Result<Vec<String>> {
        let call = InCommune::new(ctx, Some(commune), None).await?;
        call.jamaa.site_origins(&call.commune).await.in_lang(&call)
    }
}
