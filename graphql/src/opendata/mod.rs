//! Open data: a commune's public figures as files to download, under `/opendata/{commune}/`. Each file's
//! routes live in their own module; this one merges them, behind the API's per-address rate limit.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;

use crate::app::{AppState, rate_limited};

mod indicators;

/// The open-data routes, merged into the API's router.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new().merge(indicators::router()).route_layer(from_fn_with_state(state.clone(), limit))
}

/// Downloads count against the client's address like GraphQL requests do: each one runs queries.
async fn limit(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    match &state.rate_limits {
        Some(limits) if !limits.allow(client.ip(), None) => rate_limited(),
        _ => next.run(request).await,
    }
}
