//! Core errors as GraphQL errors: `extensions.code` carries the stable code, and VALIDATION_FAILED carries
//! every field path with its code and message. Internal errors are logged here, once, with their chain, and
//! say nothing of the inside to the caller. UNAVAILABLE (the database cannot be reached) says so in the
//! caller's language, with `extensions.retryable: true`.

use async_graphql::{ErrorExtensions, Value};
use jamaa_core::Error;
use jamaa_core::model::i18n::Locale;

/// Converts a core error for the caller, with messages in `locale`.
pub fn to_graphql(error: Error, locale: Locale) -> async_graphql::Error {
    let code = error.code();
    match error {
        Error::Validation(fields) => {
            let list: Vec<Value> = fields
                .iter()
                .map(|field| {
                    let mut object = async_graphql::indexmap::IndexMap::new();
                    object.insert(async_graphql::Name::new("path"), Value::from(field.path.clone()));
                    object.insert(async_graphql::Name::new("code"), Value::from(field.code.as_str()));
                    object.insert(async_graphql::Name::new("message"), Value::from(field.message_in(locale)));
                    Value::Object(object)
                })
                .collect();
            let summary = match fields.as_slice() {
                [only] => format!("validation failed: {} ({})", only.path, only.code.as_str()),
                _ => format!("validation failed on {} fields", fields.len()),
            };
            async_graphql::Error::new(summary).extend_with(|_, extensions| {
                extensions.set("code", code);
                extensions.set("fields", Value::List(list.clone()));
            })
        }
        Error::Unavailable(source) => {
            tracing::warn!(error = %error_chain(source.as_ref()), "database unavailable");
            let message = crate_message(&Error::Unavailable(source), locale);
            async_graphql::Error::new(message).extend_with(|_, e| {
                e.set("code", code);
                e.set("retryable", true);
            })
        }
        Error::IdempotencyKeyReused | Error::IdempotencyKeyDone => {
            let message = crate_message(&error, locale);
            async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code))
        }
        Error::Internal(source) => {
            let chain = error_chain(source.as_ref());
            tracing::error!(error = %chain, "internal error");
            async_graphql::Error::new("internal error").extend_with(|_, e| e.set("code", code))
        }
        other => {
            let message = other.to_string();
            async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code))
        }
    }
}

/// The message of an error that carries one in every language, in `locale`.
fn crate_message(error: &Error, locale: Locale) -> String {
    match error.localized_message() {
        Some(text) => text.get(locale, &[Locale::Fr, Locale::Ar]).to_owned(),
        None => error.to_string(),
    }
}

/// A core error that refuses the whole request before any field runs (authentication, an upload): shaped like
/// every other error, without `locations`, since it is about no place in the document (a resolver's error
/// carries the location of its field, set by the executor).
pub fn request_error(error: Error, locale: Locale) -> async_graphql::ServerError {
    let mut server = to_graphql(error, locale).into_server_error(async_graphql::Pos::default());
    server.locations.clear();
    server
}

/// An error and its causes on one line, for the log.
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Gives every error of a response a stable `extensions.code`, for those that async-graphql makes itself: a
/// document that does not parse (`GRAPHQL_PARSE_FAILED`) or validate, variables of the wrong type included
/// (`GRAPHQL_VALIDATION_FAILED`), an argument that cannot be read at execution (`BAD_USER_INPUT`). Errors of
/// the use cases and of the limits carry their own code already and are left as they are.
pub struct ErrorCodes;

/// The codes [`ErrorCodes`] gives.
pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";

fn with_code(mut error: async_graphql::ServerError, code: &str) -> async_graphql::ServerError {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code);
    }
    error
}

impl async_graphql::extensions::ExtensionFactory for ErrorCodes {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(ErrorCodes)
    }
}

#[async_graphql::async_trait::async_trait]
impl async_graphql::extensions::Extension for ErrorCodes {
    /// The limits parse the document while the request is prepared: a codeless error there is the parser's.
    async fn prepare_request(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        request: async_graphql::Request,
        next: async_graphql::extensions::NextPrepareRequest<'_>,
    ) -> async_graphql::ServerResult<async_graphql::Request> {
        next.run(ctx, request).await.map_err(|error| with_code(error, PARSE_FAILED))
    }

    async fn parse_query(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        query: &str,
        variables: &async_graphql::Variables,
        next: async_graphql::extensions::NextParseQuery<'_>,
    ) -> async_graphql::ServerResult<async_graphql::parser::types::ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|error| with_code(error, PARSE_FAILED))
    }

    async fn validation(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        next: async_graphql::extensions::NextValidation<'_>,
    ) -> Result<async_graphql::ValidationResult, Vec<async_graphql::ServerError>> {
        next.run(ctx)
            .await
            .map_err(|errors| errors.into_iter().map(|error| with_code(error, VALIDATION_FAILED)).collect())
    }

    async fn execute(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: async_graphql::extensions::NextExecute<'_>,
    ) -> async_graphql::Response {
        let mut response = next.run(ctx, operation_name).await;
        response.errors =
            std::mem::take(&mut response.errors).into_iter().map(|error| with_code(error, BAD_USER_INPUT)).collect();
        response
    }
}
