//! Open data: a commune's public figures as files to download, under `/opendata/{commune}/`. Each file's
//! routes live in their own module; this one only merges them.

use axum::Router;

use crate::app::AppState;

mod indicators;

/// The open-data routes, merged into the API's router.
pub fn router() -> Router<AppState> {
    Router::new().merge(indicators::router())
}
