//! Open data: public downloads of a commune's published records and figures as JSON and CSV, under
//! `/opendata/{commune}/…`. Each module adds its files; this one merges their routers and shares the
//! answers.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;

mod audit;
mod council;
mod fees;
mod finance;
mod indicators;
mod projects;

/// Every open-data route (counted against the client's limits, like every API route).
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(audit::router())
        .merge(council::router())
        .merge(finance::router())
        .merge(indicators::router())
        .merge(projects::router())
        .merge(fees::router())
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

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first)
/// gets a leading apostrophe, so that it is shown as the text it is; numbers (`-12.50`) are left as they are.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = {
        let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    if formula && !number { std::borrow::Cow::Owned(format!("'{cell}")) } else { std::borrow::Cow::Borrowed(cell) }
}

/// Writes a CSV record with every cell [neutralized](neutralize): the one way open data writes CSV rows.
pub(crate) fn write_row<W: std::io::Write, S: AsRef<str>>(
    writer: &mut ::csv::Writer<W>,
    row: impl IntoIterator<Item = S>,
) -> ::csv::Result<()> {
    writer.write_record(row.into_iter().map(|cell| neutralize(cell.as_ref()).into_owned()))
}

/// A CSV file (UTF-8, header line first), readable from any origin.
pub(crate) fn csv(header_line: &[&str], rows: impl IntoIterator<Item = Vec<String>>, name: &str) -> Response {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let written = writer
        .write_record(header_line)
        .and_then(|()| rows.into_iter().try_for_each(|row| write_row(&mut writer, &row)))
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
        tracing::error!(error = %crate::schema::error::error_chain(&error), "internal error");
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
