//! Open data: public downloads of a commune's published records and figures as JSON and CSV, under
//! `/opendata/{commune}/…`. Each module adds its files; this one merges their routers behind the API's
//! per-address rate limit, and shares the answers.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};

use crate::app::{AppState, rate_limited};

mod council;
mod finance;
mod indicators;

/// Every open-data route.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(council::router())
        .merge(finance::router())
        .merge(indicators::router())
        .route_layer(from_fn_with_state(state.clone(), limit))
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

/// Which years a download covers: `?year=2025`, or every year.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct YearFilter {
    pub year: Option<i32>,
}

/// A JSON document, readable from any origin.
pub(crate) fn json(value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec_pretty(value) {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json"), (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")], body)
            .into_response(),
        Err(error) => internal(&error),
    }
}

/// A CSV file (UTF-8, header line first), readable from any origin.
pub(crate) fn csv(header_line: &[&str], rows: impl IntoIterator<Item = Vec<String>>, name: &str) -> Response {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let written = writer
        .write_record(header_line)
        .and_then(|()| rows.into_iter().try_for_each(|row| writer.write_record(&row)))
        .map_err(|e| e.to_string())
        .and_then(|()| writer.into_inner().map_err(|e| e.to_string()));
    match written {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
            ],
            body,
        )
            .into_response(),
        Err(error) => internal(&error),
    }
}

/// A core error as an HTTP answer: `{"code", "message"}` with the status that fits.
pub(crate) fn error(error: jamaa_core::Error) -> Response {
    let status = match error.code() {
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "VALIDATION_FAILED" => StatusCode::BAD_REQUEST,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %error_chain(&error), "internal error");
        "internal error".to_owned()
    } else {
        error.to_string()
    };
    (status, axum::Json(serde_json::json!({ "code": error.code(), "message": message }))).into_response()
}

fn internal(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "open data could not be written");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(serde_json::json!({ "code": "INTERNAL", "message": "internal error" })),
    )
        .into_response()
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
