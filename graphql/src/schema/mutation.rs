//! Mutations.

use async_graphql::{Context, ID, Object, Result};
use jamaa_core::model::ids::RequestId;
use jamaa_core::model::request::SubmittedDocument;
use jamaa_core::model::workflow::Actor;
use jamaa_core::service::SubmitRequest;
use secrecy::{ExposeSecret, SecretString};

use super::call::{InCommune, InLang, idempotency, subject_id};
use super::query::viewer_of;
use super::types::{Receipt, Request, SubmitRequestInput, SubmitRequestPayload};

#[derive(Default)]
pub struct RequestMutation;

#[Object]
impl RequestMutation {
    /// Submits a request. Every invalid field is reported at once (VALIDATION_FAILED with the paths), and
    /// nothing is written then. Returns the request, its receipt and the citizen's secret, shown once.
    /// `idempotencyKey` (or the `Idempotency-Key` header): a retry with the same key and arguments returns
    /// the first answer and files nothing; the key with other arguments is IDEMPOTENCY_KEY_REUSED.
    async fn submit_request(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        input: SubmitRequestInput,
        locale: Option<String>,
        idempotency_key: Option<String>,
    ) -> Result<SubmitRequestPayload> {
        let idempotency = idempotency(ctx, idempotency_key);
        let call = InCommune::new(ctx, commune, locale).await?;
        let idempotency = idempotency.in_lang(&call)?;
        let principal = call.principal;
        let input = SubmitRequest {
            service_code: input.service_code.into(),
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
        let submission = call
            .jamaa
            .submit_request_in(principal, &call.commune, input, Some(call.locale()), idempotency.as_ref())
            .await
            .in_lang(&call)?;
        Ok(SubmitRequestPayload {
            request: Request {
                details: submission.request,
                history: None,
                messages: None,
                fees: None,
                viewer: Actor::Applicant,
                lang: call.lang.clone(),
            },
            receipt: Receipt { receipt: submission.receipt, lang: call.lang.clone() },
            secret: submission.secret.expose_secret().to_owned(),
        })
    }

    /// Takes a workflow action on a request, as staff (with their roles) or as the applicant (with the
    /// request's `secret`). `expectedVersion` is the version the caller saw: if the request has moved on, the
    /// action is refused with CONFLICT. `form`: the values of the action's staff form (`availableActions.formSchema`),
    /// checked as a citizen's form is (VALIDATION_FAILED at `form.<key>`), its personal fields sealed.
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
        form: Option<async_graphql::Json<serde_json::Value>>,
    ) -> Result<Request> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let principal = call.principal;
        let id: RequestId = subject_id(&id, "request").in_lang(&call)?;
        let applicant = secret.is_some();
        let details = call
            .jamaa
            .act_on_request(
                principal,
                &call.commune,
                id,
                &action,
                expected_version,
                comment,
                secret.map(SecretString::from),
                form.map(|form| form.0),
            )
            .await
            .in_lang(&call)?;
        let viewer = if applicant { Actor::Applicant } else { viewer_of(principal, call.commune.id) };
        Ok(Request { details, history: None, messages: None, fees: None, viewer, lang: call.lang.clone() })
    }
}
