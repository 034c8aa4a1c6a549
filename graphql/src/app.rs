//! The HTTP surface: `/graphql` (POST for operations, GET for GraphiQL), `/submissions` (a submission with its
//! documents' files, multipart), `/files/…` (a request's uploaded file, for its staff), `/healthz`, `/readyz`, Open311 at `/open311/v2/`, the open data at `/opendata/`, the pages (`/receipts`,
//! `/verify`), and the static commune website and SDK when asked for. The principal, the locale and the commune
//! header are resolved here, once per request.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use jamaa_core::auth::Principal;
use jamaa_core::model::i18n::Locale;
use jamaa_core::service::Jamaa;
use secrecy::SecretString;

use crate::schema::{JamaaSchema, RequestContext, error::request_error};
use crate::settings::SiteDirs;

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub jamaa: Jamaa,
    pub schema: JamaaSchema,
    /// Per token and per client address; none when unlimited.
    pub rate_limits: Option<Arc<RateLimits>>,
}

/// GraphQL requests a minute, counted per token and per client address.
pub struct RateLimits {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl RateLimits {
    /// `per_minute` requests a minute, in bursts of as many; `None` for 0 (no limit).
    pub fn per_minute(per_minute: u32) -> Option<Arc<Self>> {
        let per_minute = NonZeroU32::new(per_minute)?;
        Some(Arc::new(Self { limiter: RateLimiter::keyed(Quota::per_minute(per_minute)) }))
    }

    /// Whether another request of this client and this token fits.
    pub(crate) fn allow(&self, address: IpAddr, token: Option<&str>) -> bool {
        let by_address = self.limiter.check_key(&format!("addr:{address}")).is_ok();
        let by_token = token.is_none_or(|t| self.limiter.check_key(&format!("token:{t}")).is_ok());
        by_address && by_token
    }

    /// Forgets clients not seen lately, so that the table does not grow without bound.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

/// The router, built apart from the server so that tests can drive it.
pub fn router(state: AppState) -> Router {
    // Submissions with files get a larger body than the rest.
    let uploads = Router::new()
        .route("/submissions", axum::routing::post(crate::uploads::submit))
        .layer(axum::extract::DefaultBodyLimit::max(crate::uploads::MAX_UPLOAD_BODY_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(crate::uploads::MAX_UPLOAD_BODY_BYTES));
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/graphql/ws", get(graphql_ws))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/files/{commune}/{request}/{file}", get(crate::files::download))
        .merge(crate::pages::routes())
        .nest("/open311/v2", crate::open311::routes())
        .merge(crate::opendata::router(&state))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(uploads)
        .with_state(state)
}

/// The router with the static files: the SDK package at `/sdk/`, the back office at `/office/` and the website
/// at `/` (every path the API does not answer). Files only: no directory listings.
pub fn with_site(router: Router, site: &SiteDirs) -> Router {
    router
        .nest_service("/sdk", tower_http::services::ServeDir::new(&site.sdk))
        .nest_service("/office", tower_http::services::ServeDir::new(&site.office))
        .fallback_service(tower_http::services::ServeDir::new(&site.site))
}

/// Who calls, and in which language: resolved once per HTTP request.
pub(crate) struct Caller {
    pub principal: Principal,
    pub locale: Option<Locale>,
}

/// Counts the request against the rate limits and resolves its bearer token; the response to send instead
/// when it is limited or its token is refused.
pub(crate) async fn resolve_caller(
    state: &AppState,
    client: SocketAddr,
    headers: &HeaderMap,
) -> Result<Caller, Response> {
    let accept_language =
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language);
    if let Some(limits) = &state.rate_limits {
        // Counted by the token's id (its public part), never by its secret.
        let token = bearer(headers)
            .ok()
            .flatten()
            .and_then(|t| jamaa_core::auth::tokens::parse(&t))
            .map(|parsed| parsed.id.to_string());
        if !limits.allow(client.ip(), token.as_deref()) {
            return Err(rate_limited());
        }
    }
    let principal = match bearer(headers) {
        Ok(None) => Principal::Anonymous,
        Ok(Some(token)) => match state.jamaa.authenticate(&token).await {
            Ok(principal) => principal,
            Err(error) => return Err(graphql_error(error, accept_language.unwrap_or(Locale::Fr))),
        },
        Err(()) => {
            return Err(graphql_error(jamaa_core::Error::Unauthenticated, accept_language.unwrap_or(Locale::Fr)));
        }
    };
    Ok(Caller { principal, locale: accept_language })
}

async fn graphql(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> Response {
    let Caller { principal, locale: accept_language } = match resolve_caller(&state, client, &headers).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let commune_header = headers.get("x-commune").and_then(|v| v.to_str().ok()).map(|s| s.trim().to_owned());
    let context = RequestContext { principal, accept_language, commune_header };
    GraphQLResponse::from(state.schema.execute(request.into_inner().data(context)).await).into_response()
}

/// Subscriptions over graphql-ws (`graphql-transport-ws`, and the older `graphql-ws`). The caller is who the
/// `connection_init` payload's `token` (or `Authorization: Bearer …`) says, resolved once per connection.
async fn graphql_ws(State(state): State<AppState>, protocol: GraphQLProtocol, upgrade: WebSocketUpgrade) -> Response {
    let jamaa = state.jamaa.clone();
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, state.schema.clone(), protocol)
                .on_connection_init(move |payload| connection_init(jamaa, payload))
                .serve()
        })
        .into_response()
}

/// The principal and locale of a WebSocket connection, from its `connection_init` payload.
async fn connection_init(jamaa: Jamaa, payload: serde_json::Value) -> async_graphql::Result<async_graphql::Data> {
    let field = |name: &str| payload.get(name).and_then(serde_json::Value::as_str);
    let token = field("token")
        .or_else(|| field("Authorization").or_else(|| field("authorization")).map(|v| v.trim_start_matches("Bearer ")));
    let principal = match token.map(str::trim).filter(|t| !t.is_empty()) {
        None => Principal::Anonymous,
        Some(token) => jamaa
            .authenticate(&SecretString::from(token.to_owned()))
            .await
            .map_err(|_| async_graphql::Error::new("UNAUTHENTICATED: the token is unknown, expired or revoked"))?,
    };
    let accept_language = field("locale").and_then(|l| l.parse::<Locale>().ok());
    let mut data = async_graphql::Data::default();
    data.insert(RequestContext { principal, accept_language, commune_header: None });
    Ok(data)
}

/// The bearer token, if any; an `Authorization` header that is not a bearer token is an error.
fn bearer(headers: &HeaderMap) -> Result<Option<SecretString>, ()> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let value = value.to_str().map_err(|_| ())?;
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")).ok_or(())?;
    Ok(Some(SecretString::from(token.trim().to_owned())))
}

/// 429 with a GraphQL error coded RATE_LIMITED.
pub(crate) fn rate_limited() -> Response {
    let mut error = async_graphql::ServerError::new("too many requests: slow down and try again shortly", None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "RATE_LIMITED");
    error.extensions = Some(extensions);
    let body = GraphQLResponse::from(async_graphql::Response::from_errors(vec![error]));
    (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "60")], body).into_response()
}

/// An error before execution (authentication), shaped like any GraphQL error response.
fn graphql_error(error: jamaa_core::Error, locale: Locale) -> Response {
    let response = async_graphql::Response::from_errors(vec![request_error(error, locale)]);
    GraphQLResponse::from(response).into_response()
}

async fn graphiql() -> impl IntoResponse {
    Html(GraphiQLSource::build().endpoint("/graphql").title("Jamaa GraphQL").finish())
}

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.jamaa.store().ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        Err(error) => {
            tracing::warn!(%error, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable" }))).into_response()
        }
    }
}
