//! Mutations.

use async_graphql::{Context, ID, Object, Result};
use jamaa_core::model::ids::RequestId;
use jamaa_core::model::request::SubmittedDocument;
use jamaa_core::model::workflow::Actor;
use jamaa_core::service::SubmitRequest;
use secrecy::{ExposeSecret, SecretString};

use super::error::to_graphql;
use super::query::{commune_and_lang, viewer_of};
use super::types::{Receipt, Request, SubmitRequestInput, SubmitRequestPayload};
use super::{jamaa, request_context};

#[derive(Default)]
pub struct RequestMutation;

#[Object]
impl RequestMutation {
    /// Submits a request. Every invalid field is reported at once (VALIDATION_FAILED with the paths), and
    /// nothing is written then. Returns the request, its receipt and the citizen's secret, shown once.
    async fn submit_request(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        input: SubmitRequestInput,
        locale: Option<String>,
    ) -> Result<SubmitRequestPayload> {
        let (commune, lang) = commune_and_lang(ctx, commune, locale).await?;
        let principal = &request_context(ctx).principal;
        let input = SubmitRequest {
            service_code: input.service_code,
            data: input.data.0,
            documents: input
                .documents
                .into_iter()
                .map(|d| SubmittedDocument {
                    code: d.code,
                    file_name: d.file_name,
                    media_type: d.media_type,
                    size_bytes: d.size_bytes,
                    sha256: d.sha256,
                })
                .collect(),
        };
        let submission = jamaa(ctx)
            .submit_request_in(principal, commune.spec.slug.as_str(), input, Some(lang.locale))
            .await
            .map_err(|e| to_graphql(e, lang.locale))?;
        Ok(SubmitRequestPayload {
            request: Request {
                details: submission.request,
                history: None,
                messages: None,
                viewer: Actor::Applicant,
                lang: lang.clone(),
            },
            receipt: Receipt { receipt: submission.receipt, lang },
            secret: submission.secret.expose_secret().to_owned(),
        })
    }

    /// Takes a workflow action on a request, as staff (with their roles) or as the applicant (with the
    /// request's `secret`). `expectedVersion` is the version the caller saw: if the request has moved on, the
    /// action is refused with CONFLICT.
    #[allow(clippy::too_many_arguments)]
    async fn act_on_request(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        action: String,
        expected_version: i64,
        comment: Option<String>,
        secret: Option<String>,
        locale: Option<String>,
    ) -> Result<Request> {
        let (commune, lang) = commune_and_lang(ctx, commune, locale).await?;
        let principal = &request_context(ctx).principal;
        let Ok(id) = super::entity_id(&id).parse::<RequestId>() else {
            return Err(to_graphql(jamaa_core::Error::NotFound("request"), lang.locale));
        };
        let applicant = secret.is_some();
        let details = jamaa(ctx)
            .act_on_request(
                principal,
                commune.spec.slug.as_str(),
                id,
                &action,
                expected_version,
                comment,
                secret.map(SecretString::from),
            )
            .await
            .map_err(|e| to_graphql(e, lang.locale))?;
        let viewer = if applicant { Actor::Applicant } else { viewer_of(principal, commune.id) };
        Ok(Request { details, history: None, messages: None, viewer, lang })
    }
}
