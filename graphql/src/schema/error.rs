//! Core errors as GraphQL errors: `extensions.code` carries the stable code, and VALIDATION_FAILED carries
//! every field path with its code and message. Internal errors are logged here, once, with their chain, and
//! say nothing of the inside to the caller.

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

/// A core error that refuses the whole request before any field runs (authentication, an upload): shaped like
/// every other error, without `locations`, since it is about no place in the document (a resolver's error
/// carries the location of its field, set by the executor).
pub fn request_error(error: Error, locale: Locale) -> async_graphql::ServerError {
    let mut server = to_graphql(error, locale).into_server_error(async_graphql::Pos::default());
    server.locations.clear();
    server
}

fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
