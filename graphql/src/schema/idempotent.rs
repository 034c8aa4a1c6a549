//! The idempotency of the API's creating mutations, in one layer: a mutation of [`KEYED`] sent with a key (its
//! `idempotencyKey` argument, else the request's `Idempotency-Key` header) claims the key in the commune before
//! it runs (`Jamaa::claim_call_key`), and records its answer (the field's value as resolved, sealed) after it
//! succeeded, or frees the key when it failed. A retry with the same key and the same arguments and selection
//! gets the recorded answer and creates nothing; with others, IDEMPOTENCY_KEY_REUSED; while the first is being
//! answered, CONFLICT. The key is the caller's in one commune, in the table of the submissions' keys (m0026);
//! an operator's call that names no commune keeps it in the platform's (m0030).
//!
//! The use case runs with its key pending (`Jamaa::run_claimed`): the transaction that commits its work marks
//! the key done in the same commit, so that a server stopped before the answer was recorded leaves a key that
//! never creates again: its retry is IDEMPOTENCY_KEY_DONE (the record exists; the client reads it). A call that
//! failed after part of its work committed keeps its key, its failure recorded as its answer.
//!
//! Submissions (`submitRequest`), `registerMail` and `registerCivilAct` claim their key inside their use case's
//! transaction instead ([`OWN_CLAIM`]), for they number what they create.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextResolve, ResolveInfo,
};
use async_graphql::{PathSegment, Request, ServerError, ServerResult, Value, Variables};
use jamaa_core::model::i18n::Locale;
use jamaa_core::model::idempotency::{Idempotency, IdempotencyKey};
use jamaa_core::service::{CallClaim, Jamaa, KeyScope};

use super::RequestContext;
use super::error::to_graphql;

/// The creating mutations whose key this layer claims.
pub const KEYED: &[&str] = &[
    "createApiToken",
    "createUser",
    "createWebhookEndpoint",
    "publishService",
    "issueRequestDecision",
    "issueTacitAcceptanceCertificate",
    "issueCivilDocument",
    "issueCivilRequest",
    "addCivilMention",
    "signPetition",
    "markPublished",
    "addCouncilMember",
    "scheduleCouncilSession",
    "addAgendaItem",
    "recordDeliberation",
    "importBudget",
    "onboardCommune",
    "importTemplate",
    "exportTemplate",
    "createTrainingCommune",
    "createStaffRecord",
    "recordLeave",
    "addDepartment",
    "createProject",
    "addProjectMilestone",
    "recordProjectProgress",
    "openDisputeCase",
    "setDisputeHearing",
    "recordDisputeDecision",
    "lodgeDisputeAppeal",
    "recordCommitment",
    "approveCommitment",
    "orderPayment",
    "recordPayment",
    "recordRevenueTitle",
    "recordCollection",
    "correctFinanceEntry",
    "recordCounterPayment",
    "cancelPayment",
    "importPaymentStatement",
    "startOnlinePayment",
    "requestRefund",
    "decideRefund",
    "giveOpinion",
];

/// The fault point of the crash tests: with this variable set to `exit-before-answer`, the server stops dead
/// (abort) after a keyed call's use case succeeded and before its answer is recorded.
pub const FAULT_VARIABLE: &str = "JAMAA_TEST_FAULT";

/// The creating mutations that claim their key in their own use case.
pub const OWN_CLAIM: &[&str] = &["submitRequest", "registerMail", "registerCivilAct"];

/// The layer (one instance per request, which keeps the request's variables).
pub struct IdempotentCalls;

impl ExtensionFactory for IdempotentCalls {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Layer { variables: Mutex::default() })
    }
}

struct Layer {
    variables: Mutex<Variables>,
}

/// A keyed call: where its key is kept, its key and hash, and the language of its errors.
struct Keyed {
    scope: KeyScope,
    idempotency: Idempotency,
    locale: Locale,
}

#[async_graphql::async_trait::async_trait]
impl Extension for Layer {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        *self.variables.lock().unwrap_or_else(|e| e.into_inner()) = request.variables.clone();
        next.run(ctx, request).await
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.path_node.parent.is_some() || info.parent_type != "MutationRoot" || !KEYED.contains(&info.name) {
            return next.run(ctx, info).await;
        }
        let path = vec![PathSegment::Field(info.alias.unwrap_or(info.name).to_owned())];
        let fail = |error: jamaa_core::Error, locale: Locale| {
            let mut error: ServerError = to_graphql(error, locale).into_server_error(Default::default());
            error.locations.clear();
            error.path = path.clone();
            error
        };
        let (Some(jamaa), Some(request)) = (ctx.data_opt::<Jamaa>(), ctx.data_opt::<RequestContext>()) else {
            return next.run(ctx, info).await;
        };
        let keyed = match self.keyed(jamaa, request, &info).await {
            Ok(Some(keyed)) => keyed,
            Ok(None) => return next.run(ctx, info).await,
            Err((error, locale)) => return Err(fail(error, locale)),
        };
        let principal = &request.principal;
        let pending = match jamaa.claim_call_key(principal, keyed.scope, &keyed.idempotency).await {
            Ok(CallClaim::Replay(mut answer)) => {
                // A call that failed after part of its work committed answers its failure again.
                if let Some(failure) = answer.get_mut(FAILED).map(serde_json::Value::take) {
                    let mut error: ServerError = serde_json::from_value(failure)
                        .map_err(|e| fail(jamaa_core::Error::internal(e), keyed.locale))?;
                    error.path = path.clone();
                    return Err(error);
                }
                return serde_json::from_value(answer)
                    .map(Some)
                    .map_err(|e| fail(jamaa_core::Error::internal(e), keyed.locale));
            }
            Ok(CallClaim::New(pending)) => pending,
            Err(error) => return Err(fail(error, keyed.locale)),
        };
        let result = jamaa.run_claimed(&pending, next.run(ctx, info)).await;
        if result.is_ok() && std::env::var(FAULT_VARIABLE).is_ok_and(|fault| fault == "exit-before-answer") {
            tracing::error!("{FAULT_VARIABLE}: stopping before the answer is recorded");
            std::process::abort();
        }
        let recorded = match &result {
            Ok(value) => match serde_json::to_value(value) {
                Ok(answer) => jamaa.record_call_answer(principal, keyed.scope, &keyed.idempotency, &answer).await,
                Err(e) => Err(jamaa_core::Error::internal(e)),
            },
            Err(error) => match jamaa.release_call_key(principal, keyed.scope, &keyed.idempotency).await {
                // Part of its work committed before it failed: the retry answers the same failure, unless the
                // failure says to retry (then IDEMPOTENCY_KEY_DONE: the work is not done twice).
                Ok(false) if !retryable(error) => match serde_json::to_value(error) {
                    Ok(failure) => {
                        let answer = serde_json::json!({ FAILED: failure });
                        jamaa.record_call_answer(principal, keyed.scope, &keyed.idempotency, &answer).await
                    }
                    Err(e) => Err(jamaa_core::Error::internal(e)),
                },
                released => released.map(|_| ()),
            },
        };
        if let Err(error) = recorded {
            // The call itself went through: its answer stands; a retry in the next minutes is CONFLICT.
            tracing::error!(error = %error, code = error.code(), field = info_name(&path), "an idempotency key was not recorded");
        }
        result
    }
}

/// Where a recorded answer holds a failure instead of a value (no field's value has a member named so: a
/// GraphQL name never begins with `@`).
const FAILED: &str = "@failed";

fn retryable(error: &ServerError) -> bool {
    error.extensions.as_ref().and_then(|e| e.get("retryable")).is_some_and(|v| *v == Value::Boolean(true))
}

fn info_name(path: &[PathSegment]) -> String {
    match path.first() {
        Some(PathSegment::Field(name)) => name.clone(),
        _ => String::new(),
    }
}

impl Layer {
    /// The call's key, where it is kept, and its hash; None without a key, or when the call names no commune
    /// the layer finds (the resolver then says what is wrong), or names none and is not an operator's.
    async fn keyed(
        &self,
        jamaa: &Jamaa,
        request: &RequestContext,
        info: &ResolveInfo<'_>,
    ) -> Result<Option<Keyed>, (jamaa_core::Error, Locale)> {
        let variables = self.variables.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut arguments = serde_json::Map::new();
        let mut key = None;
        let mut commune = None;
        let mut locale = None;
        for (name, value) in &info.field.arguments {
            let value = value
                .node
                .clone()
                .into_const_with(|name| variables.get(&name).cloned().ok_or(()))
                .unwrap_or(Value::Null);
            let json = value.into_json().map_err(|e| (jamaa_core::Error::internal(e), super::PLATFORM_LOCALE))?;
            match name.node.as_str() {
                "idempotencyKey" => key = json.as_str().map(str::to_owned),
                "locale" => locale = json.as_str().and_then(|l| l.parse::<Locale>().ok()),
                other => {
                    if other == "commune" {
                        commune = json.as_str().map(str::to_owned);
                    }
                    // A token names its communes in its input: the key is kept in the one a staff token is for.
                    if other == "input"
                        && commune.is_none()
                        && let Some([only]) = json["communes"].as_array().map(Vec::as_slice)
                    {
                        commune = only.as_str().map(str::to_owned);
                    }
                    arguments.insert(other.to_owned(), json);
                }
            }
        }
        let locale = locale.or(request.accept_language);
        let Some(raw) = key.or_else(|| request.idempotency_key.clone()) else { return Ok(None) };
        let speaks = locale.unwrap_or(super::PLATFORM_LOCALE);
        let key = IdempotencyKey::parse("idempotencyKey", &raw).map_err(|e| (e, speaks))?;
        // A retry must ask for the same answer: the selection is part of the request.
        arguments.insert("@selection".to_owned(), serde_json::Value::String(format!("{:?}", info.field.selection_set)));
        let idempotency = Idempotency::new(key, info.name, &serde_json::Value::Object(arguments));
        let found = match (commune.or_else(|| request.commune_header.clone()), request.principal.home_commune()) {
            (Some(slug), _) => jamaa.commune(&slug).await,
            (None, Some(tenant)) => jamaa.commune_by_id(tenant).await,
            // An operator's call that names no commune: the key is the operator's in the platform.
            (None, None) if request.principal.is_operator() => {
                return Ok(Some(Keyed { scope: KeyScope::Platform, idempotency, locale: speaks }));
            }
            (None, None) => return Ok(None),
        };
        let Ok(commune) = found else { return Ok(None) };
        Ok(Some(Keyed {
            scope: KeyScope::Commune(commune.id),
            idempotency,
            locale: locale.unwrap_or(commune.spec.default_locale),
        }))
    }
}
