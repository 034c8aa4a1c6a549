//! CORS: the origins whose pages may call the API (`/graphql`, `/submissions`, Open311, open data) and import
//! the SDK (`/sdk/`) from a browser. The operator lists them (`cors_origins`, `JAMAA_CORS_ORIGINS`), and each
//! commune lists its own website's (`setSiteOrigins`, kept in memory by [`SiteOrigins`]); `*` allows any
//! origin, and then never with credentials. A preflight is answered 204 with the allowed methods and
//! headers, cached by the browser for an hour.

use std::collections::HashSet;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use jamaa_core::service::SiteOrigins;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The CORS layer for the deployment's allowed origins and the communes' sites (as `sites` holds them at each
/// request).
pub fn layer(origins: &[String], sites: SiteOrigins) -> CorsLayer {
    let base = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            HeaderName::from_static("x-commune"),
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([HeaderName::from_static("x-request-id"), header::RETRY_AFTER, header::CONTENT_DISPOSITION])
        .max_age(Duration::from_secs(3600));
    if origins.iter().any(|o| o == "*") {
        return base.allow_origin(AllowOrigin::any());
    }
    let allowed: HashSet<String> = origins.iter().map(|o| normalize(o)).collect();
    base.allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
        origin.to_str().is_ok_and(|origin| {
            let origin = normalize(origin);
            allowed.contains(&origin) || sites.contains(&origin)
        })
    }))
    .allow_credentials(true)
}

/// An origin as browsers send it: scheme, host and port, lower case, no trailing slash.
fn normalize(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// Answers a preflight with 204 No Content (tower-http's CORS layer answers 200).
pub async fn no_content_preflight(request: Request, next: Next) -> Response {
    let preflight =
        request.method() == Method::OPTIONS && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = next.run(request).await;
    if preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}
