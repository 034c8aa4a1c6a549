//! The abuse limits of every transport, decided in one place: requests a minute per client address and per
//! token, for every HTTP request of the API (GraphQL, Open311, pages, `/verify`, open data, submissions) by
//! one middleware ([`limit`]), and for every operation that a WebSocket carries by one schema extension
//! ([`OperationLimit`]); and the growing delay after failed logins, per account and client address
//! ([`LoginBackoff`]), which an attacker elsewhere cannot turn against the account's owner.
//!
//! The client's address is the peer's, unless the peer is a trusted proxy (`JAMAA_TRUSTED_PROXIES`): then it
//! is the last address of `X-Forwarded-For` that is not a trusted proxy. A client that is not a trusted proxy
//! cannot choose its address by sending the header.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest};
use async_graphql::{ErrorExtensionValues, Request, ServerError, ServerResult};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;

use crate::app::AppState;

/// The limits of one server.
pub struct EdgeLimits {
    /// Requests a minute per address and per token; none when unlimited.
    per_minute: Option<DefaultKeyedRateLimiter<String>>,
    proxies: Vec<IpNet>,
    pub logins: LoginBackoff,
}

impl std::fmt::Debug for EdgeLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EdgeLimits")
            .field("limited", &self.per_minute.is_some())
            .field("proxies", &self.proxies)
            .finish()
    }
}

impl EdgeLimits {
    /// `per_minute` requests a minute (in bursts of as many; 0: no limit), with these trusted proxies.
    pub fn new(per_minute: u32, proxies: Vec<IpNet>) -> Arc<Self> {
        let per_minute = NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)));
        Arc::new(Self { per_minute, proxies, logins: LoginBackoff::default() })
    }

    /// Whether another request of this client address and this token (its public id) fits. Both are
    /// counted: a token does not buy an address a fresh budget, nor an address a token's.
    pub fn allow(&self, address: IpAddr, token: Option<&str>) -> bool {
        let Some(limiter) = &self.per_minute else { return true };
        let by_address = limiter.check_key(&format!("addr:{address}")).is_ok();
        let by_token = token.is_none_or(|t| limiter.check_key(&format!("token:{t}")).is_ok());
        by_address && by_token
    }

    /// The client's address: the peer's, or, from a trusted proxy, the last untrusted `X-Forwarded-For` hop.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusted(peer) {
            return peer;
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(address) if self.trusted(canonical(address)) => continue,
                Ok(address) => return canonical(address),
                // A hop that is not an address: nothing before it can be believed.
                Err(_) => return peer,
            }
        }
        peer
    }

    fn trusted(&self, address: IpAddr) -> bool {
        self.proxies.iter().any(|net| net.contains(&address))
    }

    /// Forgets clients not seen lately, so that the tables do not grow without bound.
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.per_minute {
            limiter.retain_recent();
        }
        self.logins.forget_idle();
    }
}

/// An IPv4 address carried as IPv6 (`::ffff:a.b.c.d`) is the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        IpAddr::V4(_) => address,
    }
}

/// The client's address as the edge resolved it, for handlers and resolvers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// The middleware of every API route: resolves the client's address (kept in the request's extensions) and
/// counts the request against its address and its token (a bearer token, or Open311's `api_key`).
pub async fn limit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: axum::extract::Request,
    next: Next,
) -> Response {
    let address = state.limits.client_address(peer.ip(), request.headers());
    request.extensions_mut().insert(ClientAddress(address));
    let token = token_id(request.headers(), request.uri().query());
    if !state.limits.allow(address, token.as_deref()) {
        return refusal(request.uri().path());
    }
    next.run(request).await
}

/// The public id of the request's token, never its secret.
fn token_id(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_owned());
    let api_key = || {
        serde_urlencoded::from_str::<Vec<(String, String)>>(query?)
            .ok()?
            .into_iter()
            .find_map(|(key, value)| (key == "api_key").then_some(value))
    };
    let token = bearer.or_else(api_key)?;
    jamaa_core::auth::tokens::parse(&secrecy::SecretString::from(token)).map(|parsed| parsed.id.to_string())
}

/// The message of a refusal, in the four languages of the platform.
pub const SLOW_DOWN: [(&str, &str); 4] = [
    ("ar", "طلبات كثيرة جدا: تمهل وأعد المحاولة بعد قليل"),
    ("fr", "trop de requêtes : ralentissez et réessayez dans un instant"),
    ("tzm", "ⵜⵓⵜⵜⵔⴰ ⴰⵟⵟⴰⵚ: ⵙⵙⵏⵓⵔⵏⵓ ⵜⴰⵍⵙⵜ ⴰⵔ ⵢⴰⵏ ⵡⴰⴽⵓⴷ"),
    ("en", "too many requests: slow down and try again shortly"),
];

/// 429, shaped as its transport expects: the Open311 error list (JSON or XML), an HTML page, or a GraphQL
/// error coded `RATE_LIMITED`.
fn refusal(path: &str) -> Response {
    let mut response = if path.starts_with("/open311/") {
        let description = SLOW_DOWN[3].1;
        if path.ends_with(".xml") {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><errors><error><code>429</code><description>{description}</description></error></errors>"
            );
            ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
        } else {
            axum::Json(serde_json::json!([{ "code": 429, "description": description }])).into_response()
        }
    } else if path.starts_with("/receipts") || path.starts_with("/verify") || path.starts_with("/projects/") {
        let items: String = SLOW_DOWN
            .iter()
            .map(|(lang, text)| {
                let dir = if *lang == "ar" { "rtl" } else { "ltr" };
                format!("<p lang=\"{lang}\" dir=\"{dir}\">{text}</p>")
            })
            .collect();
        let body = format!(
            "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><title>429</title></head><body>{items}</body></html>"
        );
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
    } else {
        return crate::app::rate_limited();
    };
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    response
}

/// What a WebSocket connection counts its operations against: its client's address and token.
#[derive(Clone)]
pub struct OperationBudget {
    pub limits: Arc<EdgeLimits>,
    pub address: IpAddr,
    pub token: Option<String>,
}

/// The schema extension that counts each operation a WebSocket carries, like an HTTP request. Operations
/// over HTTP were counted by [`limit`] and carry no budget.
pub struct OperationLimit;

impl ExtensionFactory for OperationLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationLimit)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for OperationLimit {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let Some(budget) = ctx.data_opt::<OperationBudget>()
            && !budget.limits.allow(budget.address, budget.token.as_deref())
        {
            return Err(rate_limited_error(60));
        }
        next.run(ctx, request).await
    }
}

/// A GraphQL error coded `RATE_LIMITED`, with the seconds to wait.
pub fn rate_limited_error(retry_after: u64) -> ServerError {
    let mut error = ServerError::new(SLOW_DOWN[3].1, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", "RATE_LIMITED");
    extensions.set("retryAfter", retry_after);
    error.extensions = Some(extensions);
    error
}

/// The same, as a resolver's error.
pub fn rate_limited_resolver_error(retry_after: u64) -> async_graphql::Error {
    use async_graphql::ErrorExtensions as _;
    async_graphql::Error::new(SLOW_DOWN[3].1).extend_with(|_, extensions| {
        extensions.set("code", "RATE_LIMITED");
        extensions.set("retryAfter", retry_after);
    })
}

/// Failed logins allowed per account and address before the delay starts.
pub const FREE_LOGIN_FAILURES: u32 = 5;
/// The first delay; it doubles with each further failure.
pub const FIRST_LOGIN_DELAY: Duration = Duration::from_secs(1);
/// The longest delay.
pub const MAX_LOGIN_DELAY: Duration = Duration::from_secs(15 * 60);

/// The growing delay after failed logins, per account and client address: after
/// [`FREE_LOGIN_FAILURES`] failures, the next attempt from that address waits 1 s, then 2 s, 4 s… up to
/// 15 minutes; a success forgets the failures. Attempts during the delay are refused without trying the
/// password. The owner logging in from another address is not delayed by an attacker's failures.
#[derive(Default)]
pub struct LoginBackoff {
    failures: Mutex<HashMap<(String, IpAddr), Failures>>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    until: Instant,
}

impl LoginBackoff {
    /// The time left to wait before this account may be tried from this address, if any.
    pub fn wait(&self, login: &str, address: IpAddr) -> Option<Duration> {
        let failures = self.failures.lock().ok()?;
        let entry = failures.get(&(login.trim().to_lowercase(), address))?;
        entry.until.checked_duration_since(Instant::now()).filter(|left| !left.is_zero())
    }

    /// Records a failed attempt.
    pub fn failed(&self, login: &str, address: IpAddr) {
        let Ok(mut failures) = self.failures.lock() else { return };
        let now = Instant::now();
        let entry = failures.entry((login.trim().to_lowercase(), address)).or_insert(Failures { count: 0, until: now });
        entry.count = entry.count.saturating_add(1);
        if let Some(beyond) = entry.count.checked_sub(FREE_LOGIN_FAILURES) {
            let delay = FIRST_LOGIN_DELAY.saturating_mul(2u32.saturating_pow(beyond.min(20))).min(MAX_LOGIN_DELAY);
            entry.until = now + delay;
        }
    }

    /// Forgets the failures after a successful login.
    pub fn succeeded(&self, login: &str, address: IpAddr) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&(login.trim().to_lowercase(), address));
        }
    }

    /// Forgets the accounts whose delay ended long ago.
    fn forget_idle(&self) {
        if let Ok(mut failures) = self.failures.lock() {
            let now = Instant::now();
            failures.retain(|_, f| f.until + MAX_LOGIN_DELAY > now);
        }
    }
}
