//! GraphQL over HTTP as the GraphQL-over-HTTP specification and the common clients expect it:
//! - `POST /graphql` with a JSON body; `GET /graphql?query=…&variables=…&operationName=…` for queries (urql and
//!   Apollo's `useGETForQueries`), a mutation over GET refused with 405 and `Allow: POST`; GraphiQL only for a
//!   GET without a query from a browser asking for `text/html`;
//! - the media type asked for in `Accept`: `application/graphql-response+json` with the specification's status
//!   codes (400 for a document that does not parse or validate, 401 for a refused token, 200 once execution
//!   started; 503 with `Retry-After` when an error is UNAVAILABLE: the database cannot be reached), else
//!   `application/json` with 200 (the legacy watershed);
//! - introspection documents routed to the introspection schema ([`crate::schema::introspection`]).

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::response_cache::Answer;
use crate::schema::introspection;

/// The media type of the GraphQL-over-HTTP specification.
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// The parameters of a GET request, as the specification names them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub operation_name: Option<String>,
    /// JSON text.
    #[serde(default)]
    pub variables: Option<String>,
    /// JSON text.
    #[serde(default)]
    pub extensions: Option<String>,
}

impl GetParams {
    /// The query string's parameters; an undecodable one is a request error.
    pub fn parse(query_string: &str) -> Result<Self, String> {
        serde_urlencoded::from_str(query_string).map_err(|e| format!("the query string does not decode: {e}"))
    }

    /// The GraphQL request the parameters make (`variables` and `extensions` are JSON texts).
    pub fn into_request(self) -> Result<async_graphql::Request, String> {
        let query = self.query.unwrap_or_default();
        let mut request = async_graphql::Request::new(query);
        request.operation_name = self.operation_name.filter(|n| !n.is_empty());
        if let Some(variables) = self.variables.filter(|v| !v.trim().is_empty()) {
            let value: serde_json::Value =
                serde_json::from_str(&variables).map_err(|e| format!("`variables` is not JSON: {e}"))?;
            request.variables = async_graphql::Variables::from_json(value);
        }
        if let Some(extensions) = self.extensions.filter(|v| !v.trim().is_empty()) {
            request.extensions =
                serde_json::from_str(&extensions).map_err(|e| format!("`extensions` is not a JSON object: {e}"))?;
        }
        Ok(request)
    }
}

/// Which response format the client accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `application/graphql-response+json`: status codes as the specification says.
    GraphqlResponse,
    /// `application/json` (or no `Accept`): always 200 once the request was understood.
    Json,
}

impl Format {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
        let accepts = |media: &str| {
            accept.split(',').any(|part| {
                let mut pieces = part.split(';').map(str::trim);
                let type_matches = pieces.next().is_some_and(|t| t.eq_ignore_ascii_case(media));
                let refused = pieces.any(|p| p.replace(' ', "").eq_ignore_ascii_case("q=0"));
                type_matches && !refused
            })
        };
        if accepts(GRAPHQL_RESPONSE_JSON) { Format::GraphqlResponse } else { Format::Json }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::GraphqlResponse => GRAPHQL_RESPONSE_JSON,
            Format::Json => "application/json",
        }
    }
}

/// Whether a GET without a query comes from a browser that wants a page (GraphiQL).
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| accept.contains("text/html"))
}

/// The parsed document, when it is needed to route the request: always over GET (to refuse mutations), and
/// over POST when the text may be introspection. `None` when it does not parse: execution reports that.
pub fn parse_for_routing(request: &async_graphql::Request, over_get: bool) -> Option<ExecutableDocument> {
    if !over_get && !introspection::may_be_introspection(&request.query) {
        return None;
    }
    async_graphql::parser::parse_query(&request.query).ok()
}

/// The type of the operation the request names (or of its only operation).
pub fn operation_type(document: &ExecutableDocument, operation_name: Option<&str>) -> Option<OperationType> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some(operation.node.ty),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// 405 for a mutation or subscription over GET, as the specification says.
pub fn method_not_allowed(format: Format) -> Response {
    let error = error_with_code("mutations and subscriptions are sent with POST, not GET", "METHOD_NOT_ALLOWED");
    let mut response = respond(async_graphql::Response::from_errors(vec![error]), format);
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

/// 400 for a request that is not a GraphQL request (no query, undecodable parameters), in either format.
pub fn bad_request(message: &str, format: Format) -> Response {
    let error = error_with_code(message, "BAD_REQUEST");
    let mut response = respond(async_graphql::Response::from_errors(vec![error]), format);
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}

/// A POST body that is not a GraphQL request (not JSON, `variables` not an object, …): 400 `BAD_REQUEST`, or
/// 413 `PAYLOAD_TOO_LARGE`, shaped like every other error and saying nothing of the parser's inside.
pub fn unreadable_body(error: &async_graphql::ParseRequestError, format: Format) -> Response {
    if let async_graphql::ParseRequestError::PayloadTooLarge = error {
        let error = error_with_code("the body is larger than the server accepts", "PAYLOAD_TOO_LARGE");
        let mut response = respond(async_graphql::Response::from_errors(vec![error]), format);
        *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return response;
    }
    bad_request(
        "the body is not a GraphQL request: a JSON object with `query` (a string), and `variables` (an object) \
         and `operationName` if any",
        format,
    )
}

/// A GraphQL error with `extensions.code`.
pub fn error_with_code(message: &str, code: &str) -> async_graphql::ServerError {
    let mut error = async_graphql::ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
    error
}

/// The HTTP response of a GraphQL response in the format asked for: see [`answer`].
pub fn respond(response: async_graphql::Response, format: Format) -> Response {
    answer(response, format).into_response()
}

/// The status, headers and body of a GraphQL response in the format asked for. A response whose errors all came
/// before execution (no `path`, no data: parse, validation, a refused token) is a request error: in the
/// specification's format it has no `data` entry and a 4xx status.
pub fn answer(response: async_graphql::Response, format: Format) -> Answer {
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let code_of = |e: &async_graphql::ServerError| {
        e.extensions.as_ref().and_then(|x| x.get("code")).and_then(|v| match v {
            async_graphql::Value::String(s) => Some(s.clone()),
            _ => None,
        })
    };
    let unavailable = response.errors.iter().any(|e| code_of(e).as_deref() == Some("UNAVAILABLE"));
    let status = match format {
        Format::Json => StatusCode::OK,
        // The database cannot be reached: the client may send the same request again shortly.
        Format::GraphqlResponse if unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Format::GraphqlResponse if request_error => {
            if response.errors.iter().any(|e| code_of(e).as_deref() == Some("UNAUTHENTICATED")) {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::BAD_REQUEST
            }
        }
        Format::GraphqlResponse => StatusCode::OK,
    };
    let body = if request_error && format == Format::GraphqlResponse {
        serde_json::to_value(&response).and_then(|mut body| {
            if let Some(object) = body.as_object_mut() {
                object.remove("data");
            }
            serde_json::to_vec(&body)
        })
    } else {
        serde_json::to_vec(&response)
    };
    let body = match body {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "a GraphQL response does not serialize");
            return Answer {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                headers: HeaderMap::new(),
                body: Default::default(),
            };
        }
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if response.is_ok()
        && let Some(value) = response.cache_control.value().and_then(|v| HeaderValue::from_str(&v).ok())
    {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.extend(response.http_headers);
    if unavailable {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    Answer { status, headers, body: body.into() }
}
