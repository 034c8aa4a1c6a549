//! The HTTP surface: `/graphql` (POST for operations, GET for queries and for GraphiQL: see
//! [`crate::graphql_http`]), `/graphiql/` (its files), `/metrics`, `/submissions` (a submission with its
//! documents' files, multipart), `/files/…` (a request's uploaded file, for its staff), `/disputes/{commune}/{case}/documents…` (the documents
//! of a case file, attached and opened: [`crate::dispute_files`]), `/healthz`, `/readyz`,
//! Open311 at `/open311/v2/`, the open data at `/opendata/`, the pages (`/receipts`,
//! `/verify`), and the static commune website and SDK when asked for. The principal, the locale and the commune
//! header are resolved here, once per request.

use std::sync::Arc;

use async_graphql::parser::types::OperationType;
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use futures_util::{SinkExt as _, StreamExt as _};
use jamaa_core::auth::Principal;
use jamaa_core::model::i18n::Locale;
use jamaa_core::service::Jamaa;
use secrecy::SecretString;
use tower_http::services::{ServeDir, ServeFile};

use crate::graphql_http::{self, Format, GetParams};
use crate::limits::{ClientAddress, EdgeLimits, OperationBudget};
use crate::response_cache;
use crate::schema::PLATFORM_LOCALE;
use crate::schema::{JamaaSchema, RequestContext, error::request_error, introspection};
use crate::settings::SiteDirs;

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub jamaa: Jamaa,
    pub schema: JamaaSchema,
    /// Answers introspection documents under their own bounds; none when introspection is off.
    pub introspection: Option<JamaaSchema>,
    /// Requests a minute per token and per client address, trusted proxies, login delays.
    pub limits: Arc<EdgeLimits>,
    /// The database's health, probed in the background (`/readyz`).
    pub health: Arc<crate::health::Health>,
    /// The server's stop, which closes the WebSocket sessions.
    pub shutdown: crate::connections::Shutdown,
    /// Answers to anonymous reads of the catalog ([`response_cache`]).
    pub responses: Arc<response_cache::ResponseCache>,
}

/// The router, built apart from the server so that tests can drive it.
pub fn router(state: AppState) -> Router {
    // Submissions with files get a larger body than the rest.
    let uploads = Router::new()
        .route("/submissions", axum::routing::post(crate::uploads::submit))
        .route("/disputes/{commune}/{case}/documents", axum::routing::post(crate::dispute_files::upload))
        .layer(axum::extract::DefaultBodyLimit::max(crate::uploads::MAX_UPLOAD_BODY_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(crate::uploads::MAX_UPLOAD_BODY_BYTES));
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphql/ws", get(graphql_ws))
        .route("/files/{commune}/{request}/{file}", get(crate::files::download))
        .route("/documents/{commune}/{file}", get(crate::document_pdfs::download))
        .route("/disputes/{commune}/{case}/documents/{document}", get(crate::dispute_files::download))
        .merge(crate::pages::routes())
        .nest("/open311/v2", crate::open311::routes())
        .merge(crate::opendata::router())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(uploads)
        // Every route above counts against the client's limits; health probes and static files do not.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), crate::limits::limit))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(crate::graphiql::routes())
        .with_state(state)
}

/// The router with the static files: the SDK package at `/sdk/` (usable from other origins: CORS applies to
/// it as to the API), the back office at `/office/` when found, and the website at `/` (every path the API does
/// not answer). Files only, no directory listings; `Cache-Control: no-cache` (revalidated by `Last-Modified`),
/// as their names carry no version. When the SDK is not built, `/` says how to build it.
pub fn with_site(router: Router, site: &SiteDirs) -> Router {
    let revalidate = || {
        tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        )
    };
    let sdk = tower::ServiceBuilder::new().layer(revalidate()).service(ServeDir::new(&site.sdk));
    let mut router = router.nest_service("/sdk", sdk);
    if let Some(office) = &site.office {
        // A single-page application: paths it routes itself get its index.
        let files = ServeDir::new(office).fallback(ServeFile::new(office.join("index.html")));
        let policy = tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            office_policy(office),
        );
        router = router
            .nest_service("/office", tower::ServiceBuilder::new().layer(revalidate()).layer(policy).service(files));
    }
    if !site.sdk_is_built() {
        tracing::warn!(
            sdk = %site.sdk.display(),
            "the SDK is not built: the website at / cannot work until `./scripts/build-sdk` has run (or give --sdk-dir)"
        );
        router = router.route("/", get(sdk_missing)).route("/index.html", get(sdk_missing));
    }
    router.fallback_service(tower::ServiceBuilder::new().layer(revalidate()).service(ServeDir::new(&site.site)))
}

/// The content security policy of the back office: the site's, with its one inline script, the import map that
/// names the vendored modules, allowed by its hash (read from its `index.html` when the server starts; without
/// it, the site's policy).
fn office_policy(office: &std::path::Path) -> HeaderValue {
    use base64::Engine as _;
    use sha2::Digest as _;
    const OPEN: &str = "<script type=\"importmap\">";
    let import_map = std::fs::read_to_string(office.join("index.html")).ok().and_then(|page| {
        let start = page.find(OPEN)? + OPEN.len();
        let end = start + page.get(start..)?.find("</script>")?;
        page.get(start..end).map(str::to_owned)
    });
    let policy = match import_map {
        Some(map) => {
            let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(map.as_bytes()));
            CONTENT_SECURITY_POLICY.replacen("script-src 'self'", &format!("script-src 'self' 'sha256-{hash}'"), 1)
        }
        None => CONTENT_SECURITY_POLICY.to_owned(),
    };
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static(CONTENT_SECURITY_POLICY))
}

/// The page at `/` while the SDK is not built, in the four languages of the platform.
async fn sdk_missing() -> Response {
    let texts = [
        (
            "ar",
            "rtl",
            "حزمة SDK غير مبنية بعد: شغّل ./scripts/build-sdk في المستودع ثم أعد تشغيل الخادم (أو حدّد --sdk-dir).",
        ),
        (
            "fr",
            "ltr",
            "Le SDK n’est pas encore construit : lancez ./scripts/build-sdk dans le dépôt puis relancez le serveur (ou indiquez --sdk-dir).",
        ),
        (
            "tzm",
            "ltr",
            "ⴰⵙⴷⴽ (SDK) ⵓⵔ ⵜⵜⵓⵙⴽⴰ ⴰⵔ ⴷⵖⵉ: ⵙⴽⵔ ./scripts/build-sdk ⴳ ⵓⵙⵎⵉⵍ, ⴰⵙⵉⵏⵏ ⴰⵍⵙ ⴰⵙⵙⴽⵔ ⵏ ⵓⵙⵏⴼⴰⵔ (ⵏⵖ --sdk-dir).",
        ),
        (
            "en",
            "ltr",
            "The SDK is not built yet: run ./scripts/build-sdk in the repository, then restart the server (or give --sdk-dir).",
        ),
    ];
    let html = maud::html! {
        (maud::DOCTYPE)
        html lang="fr" {
            head { meta charset="utf-8"; title { "Jamaa" } }
            body {
                @for (lang, dir, text) in texts { p lang=(lang) dir=(dir) { (text) } }
            }
        }
    };
    (StatusCode::SERVICE_UNAVAILABLE, [(header::CACHE_CONTROL, "no-store")], axum::response::Html(html.into_string()))
        .into_response()
}

/// The layers around every route: a request id (`x-request-id`, made when absent, returned, and in the span
/// of every log line), the trace span of each request, metrics, CORS, and gzip/brotli compression.
/// `/metrics` is there when `metrics` names the store whose pool it reports.
pub fn with_edge(
    router: Router,
    cors: tower_http::cors::CorsLayer,
    metrics: Option<jamaa_core::store::Store>,
) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let trace = tower_http::trace::TraceLayer::new_for_http()
        .make_span_with(|request: &axum::http::Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
        })
        .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::DEBUG));
    let router = match metrics {
        Some(store) => router
            .route("/metrics", get(move || crate::metrics::render(store.clone())))
            .layer(axum::middleware::from_fn(crate::metrics::track_http)),
        None => router,
    };
    router.layer(
        tower::ServiceBuilder::new()
            .layer(tower_http::request_id::SetRequestIdLayer::new(
                request_id.clone(),
                tower_http::request_id::MakeRequestUuid,
            ))
            .layer(trace)
            .layer(tower_http::request_id::PropagateRequestIdLayer::new(request_id))
            .layer(axum::middleware::from_fn(crate::cors::no_content_preflight))
            .layer(cors)
            .layer(tower_http::compression::CompressionLayer::new()),
    )
}

/// The content security policy of every answer: scripts, styles, images and connections from this origin
/// only (WebAssembly compiled from it: the SDK), no plug-ins, never framed, forms posted here only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The longest a request may take to arrive and be answered: a client sending its body a byte a second is
/// cut off (408) rather than held open. Subscriptions live on after their upgrade and are not bounded.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// The one layer that gives every answer (API, pages, static site, SDK) its security headers and bounds the
/// time of each request.
pub fn with_security_headers(router: Router) -> Router {
    use axum::http::HeaderValue;
    use tower_http::set_header::SetResponseHeaderLayer;
    let header = |name: &'static str, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(
            axum::http::HeaderName::from_static(name),
            HeaderValue::from_static(value),
        )
    };
    router
        .layer(header("content-security-policy", CONTENT_SECURITY_POLICY))
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("x-frame-options", "DENY"))
        .layer(header("referrer-policy", "no-referrer"))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
}

/// Who calls, and in which language: resolved once per HTTP request.
pub(crate) struct Caller {
    pub principal: Principal,
    pub locale: Option<Locale>,
}

/// Resolves the request's bearer token (the request was counted against the limits by
/// [`crate::limits::limit`]); the response to send instead when its token is refused.
pub(crate) async fn resolve_caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    let accept_language =
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language);
    let principal = match bearer(headers) {
        Ok(None) => Principal::Anonymous,
        Ok(Some(token)) => match state.jamaa.authenticate(&token).await {
            Ok(principal) => principal,
            Err(error) => return Err(graphql_error(error, accept_language.unwrap_or(PLATFORM_LOCALE), headers)),
        },
        Err(()) => {
            return Err(graphql_error(
                jamaa_core::Error::Unauthenticated,
                accept_language.unwrap_or(PLATFORM_LOCALE),
                headers,
            ));
        }
    };
    Ok(Caller { principal, locale: accept_language })
}

async fn graphql_post(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    request: Result<GraphQLRequest, async_graphql_axum::rejection::GraphQLRejection>,
) -> Response {
    match request {
        Ok(request) => execute(&state, client, &headers, request.into_inner(), false).await,
        Err(rejection) => graphql_http::unreadable_body(&rejection.0, Format::from_headers(&headers)),
    }
}

/// `GET /graphql`: a query from its parameters, or GraphiQL for a browser that sends none.
async fn graphql_get(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let format = Format::from_headers(&headers);
    let params = match GetParams::parse(uri.query().unwrap_or_default()) {
        Ok(params) => params,
        Err(message) => return graphql_http::bad_request(&message, format),
    };
    if params.query.as_deref().is_none_or(|q| q.trim().is_empty()) {
        if graphql_http::wants_html(&headers) {
            return crate::graphiql::page();
        }
        return graphql_http::bad_request("no query: send `query` in the URL (GET) or a JSON body (POST)", format);
    }
    match params.into_request() {
        Ok(request) => execute(&state, client, &headers, request, true).await,
        Err(message) => graphql_http::bad_request(&message, format),
    }
}

/// Runs one GraphQL request (POST, or a query over GET) for the caller its headers name.
async fn execute(
    state: &AppState,
    client: ClientAddress,
    headers: &HeaderMap,
    request: async_graphql::Request,
    over_get: bool,
) -> Response {
    let format = Format::from_headers(headers);
    let document = graphql_http::parse_for_routing(&request, over_get);
    let operation = request.operation_name.as_deref();
    if over_get
        && let Some(document) = &document
        && matches!(
            graphql_http::operation_type(document, operation),
            Some(OperationType::Mutation | OperationType::Subscription)
        )
    {
        return graphql_http::method_not_allowed(format);
    }
    let introspection = document.as_ref().is_some_and(|d| introspection::is_introspection_only(d, operation));
    let schema = match &state.introspection {
        Some(schema) if introspection => schema,
        _ => &state.schema,
    };
    let Caller { principal, locale: accept_language } = match resolve_caller(state, headers).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let commune_header = headers.get("x-commune").and_then(|v| v.to_str().ok()).map(|s| s.trim().to_owned());
    let idempotency_key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let context = RequestContext { principal, accept_language, commune_header, idempotency_key };
    // An anonymous read of the catalog is answered as it was last, when nothing it read has changed.
    let key = (!introspection).then(|| response_cache::Key::of(&request, &context, format, over_get)).flatten();
    let Some(key) = key else {
        return graphql_http::respond(schema.execute(request.data(context).data(client)).await, format);
    };
    if let Some(answer) = state.responses.answer(&state.jamaa, &key).await {
        return answer.into_response();
    }
    let reads = Arc::new(response_cache::CatalogReads::default());
    let response = schema.execute(request.data(context).data(client).data(reads.clone())).await;
    // An error may be passing (the database unreachable for a moment): only whole answers are kept.
    let whole = response.errors.is_empty();
    let answer = graphql_http::answer(response, format);
    if whole {
        state.responses.keep(key, &reads, &answer);
    }
    answer.into_response()
}

/// Subscriptions over graphql-ws (`graphql-transport-ws`, and the older `graphql-ws`). The caller is who the
/// `connection_init` payload's `token` (or `Authorization: Bearer …`) says, resolved once per connection; each
/// operation the connection carries counts against the limits of its address and token.
async fn graphql_ws(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddress>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let jamaa = state.jamaa.clone();
    let limits = state.limits.clone();
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let held = state.shutdown.hold();
            let told = state.shutdown.told();
            let (mut sink, stream) = socket.split();
            // The session writes through a queue, so that the server's stop can close the socket after it.
            let (queue, mut queued) = tokio::sync::mpsc::channel::<Message>(16);
            let out = futures_util::sink::unfold(queue, |queue, message: Message| async move {
                queue.send(message).await.map_err(axum::Error::new)?;
                Ok::<_, axum::Error>(queue)
            });
            let session = GraphQLWebSocket::new_with_pair(out, stream, state.schema.clone(), protocol)
                .on_connection_init(move |payload| connection_init(jamaa, limits, client, payload))
                .serve();
            let (mut session, mut told) = (std::pin::pin!(session), std::pin::pin!(told));
            let mut served = false;
            loop {
                tokio::select! {
                    () = &mut session, if !served => served = true,
                    message = queued.recv() => match message {
                        // graphql-transport-ws closes a refused connection_init with 4403 Forbidden.
                        Some(message) => if sink.send(forbidden_close(message)).await.is_err() { break },
                        None => break,
                    },
                    () = &mut told => {
                        // The server stops: a close frame (1001 Going Away), not a dropped connection.
                        let frame = CloseFrame { code: 1001, reason: SHUTTING_DOWN.into() };
                        let _ = sink.send(Message::Close(Some(frame))).await;
                        break;
                    }
                }
            }
            drop(held);
        })
        .into_response()
}

/// The principal and locale of a WebSocket connection, from its `connection_init` payload, and the budget
/// its operations count against.
async fn connection_init(
    jamaa: Jamaa,
    limits: Arc<EdgeLimits>,
    client: ClientAddress,
    payload: serde_json::Value,
) -> async_graphql::Result<async_graphql::Data> {
    let field = |name: &str| payload.get(name).and_then(serde_json::Value::as_str);
    let token = field("token")
        .or_else(|| field("Authorization").or_else(|| field("authorization")).map(|v| v.trim_start_matches("Bearer ")));
    let token = token.map(str::trim).filter(|t| !t.is_empty());
    let token_id = token
        .and_then(|t| jamaa_core::auth::tokens::parse(&SecretString::from(t.to_owned())))
        .map(|parsed| parsed.id.to_string());
    let budget = OperationBudget { limits, address: client.0, token: token_id };
    // The connection's authentication is an operation too.
    if !budget.limits.allow(budget.address, budget.token.as_deref()) {
        return Err(async_graphql::Error::new("RATE_LIMITED: too many requests"));
    }
    let principal = match token {
        None => Principal::Anonymous,
        Some(token) => jamaa
            .authenticate(&SecretString::from(token.to_owned()))
            .await
            .map_err(|_| async_graphql::Error::new(REFUSED_TOKEN))?,
    };
    let accept_language = field("locale").and_then(|l| l.parse::<Locale>().ok());
    let mut data = async_graphql::Data::default();
    // A key over a WebSocket is an argument of its mutation.
    data.insert(RequestContext { principal, accept_language, commune_header: None, idempotency_key: None });
    data.insert(client);
    data.insert(budget);
    Ok(data)
}

/// The reason of the close frame a stopping server sends to each WebSocket session.
pub const SHUTTING_DOWN: &str = "the server is shutting down";

/// Why a connection_init was refused.
const REFUSED_TOKEN: &str = "UNAUTHENTICATED: the token is unknown, expired or revoked";

/// async-graphql closes a refused connection_init with 1002; the protocol's code is 4403 (Forbidden).
fn forbidden_close(message: Message) -> Message {
    match message {
        Message::Close(Some(frame)) if frame.code == 1002 && frame.reason.as_str() == REFUSED_TOKEN => {
            Message::Close(Some(CloseFrame { code: 4403, reason: "Forbidden".into() }))
        }
        other => other,
    }
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

/// An error before execution (authentication), shaped like any GraphQL error response, in the format the
/// client accepts.
fn graphql_error(error: jamaa_core::Error, locale: Locale, headers: &HeaderMap) -> Response {
    let response = async_graphql::Response::from_errors(vec![request_error(error, locale)]);
    graphql_http::respond(response, Format::from_headers(headers))
}

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the last probe of the database (at most a few seconds old) succeeded: answered at once from it.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.health.is_ready() {
        Json(serde_json::json!({ "status": "ready" })).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            Json(serde_json::json!({ "status": "unavailable" })),
        )
            .into_response()
    }
}
