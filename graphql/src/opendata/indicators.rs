//! `/opendata/{commune}/indicators.json` and `.csv`: a commune's indicators over a period (`?from=&to=`,
//! dates `YYYY-MM-DD`, the current year by default), for anyone. The JSON is the GraphQL `indicators`
//! answer; the CSV has one figure a row. Errors are GraphQL-shaped (`errors[].extensions.code`) with the
//! HTTP status of their code.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use jamaa_core::Error;
use jamaa_core::auth::Principal;
use jamaa_core::error::FieldErrorCode;
use jamaa_core::model::i18n::Locale;
use serde::Deserialize;

use crate::app::AppState;
use crate::edge::{AcceptLanguage, PathCommune, Rejection};
use crate::schema::PLATFORM_LOCALE;
use crate::schema::error::to_graphql;
use crate::schema::indicators::Indicators;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/opendata/{commune}/indicators.json", get(json))
        .route("/opendata/{commune}/indicators.csv", get(csv))
}

/// The query string: the period and the language of the names.
#[derive(Deserialize)]
struct Params {
    from: Option<String>,
    to: Option<String>,
    locale: Option<String>,
}

async fn json(
    state: State<AppState>,
    at: Result<PathCommune, Rejection>,
    params: Query<Params>,
    language: AcceptLanguage,
) -> Response {
    match indicators(&state, at, &params, language).await {
        Ok((found, _)) => Json(found).into_response(),
        Err(Rejection { error, locale }) => error_response(error, locale),
    }
}

async fn csv(
    state: State<AppState>,
    at: Result<PathCommune, Rejection>,
    params: Query<Params>,
    language: AcceptLanguage,
) -> Response {
    let (found, locale) = match indicators(&state, at, &params, language).await {
        Ok(found) => found,
        Err(Rejection { error, locale }) => return error_response(error, locale),
    };
    match to_csv(&found) {
        Ok(body) => {
            let file = format!("attachment; filename=\"{}-indicators-{}-{}.csv\"", found.commune, found.from, found.to);
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, file)], body)
                .into_response()
        }
        Err(error) => error_response(error, locale),
    }
}

/// The commune's indicators as the anonymous public sees them, and the language of their names. The period is checked before the commune is.
async fn indicators(
    state: &AppState,
    at: Result<PathCommune, Rejection>,
    params: &Params,
    language: AcceptLanguage,
) -> Result<(Indicators, Locale), Rejection> {
    let asked = params.locale.as_deref().and_then(|l| l.parse::<Locale>().ok()).or(language.0);
    let refuse = |error: Error| Rejection { error, locale: asked.unwrap_or(PLATFORM_LOCALE) };
    let from = date(params.from.as_deref(), "from").map_err(refuse)?;
    let to = date(params.to.as_deref(), "to").map_err(refuse)?;
    let PathCommune { commune, lang } = at?;
    let refuse = |error: Error| Rejection { error, locale: lang.locale };
    let principal = Principal::Anonymous;
    let found = state.jamaa.indicators(&principal, &commune, from, to).await.map_err(refuse)?;
    let services = state.jamaa.services(&principal, commune.spec.slug.as_str()).await.map_err(refuse)?;
    let names: HashMap<String, String> = services
        .iter()
        .map(|s| (s.service.definition.code.to_string(), lang.text(&s.service.definition.name)))
        .collect();
    Ok((Indicators::new(&found, &lang, &names), lang.locale))
}

fn date(value: Option<&str>, path: &str) -> Result<Option<NaiveDate>, Error> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                Error::field(path, FieldErrorCode::InvalidDate, jamaa_core::model::form::messages::invalid_date())
            })
        })
        .transpose()
}

/// One figure a row: `indicator`, then the service and the key (state, outcome, age bucket) it is about.
fn to_csv(found: &Indicators) -> Result<Vec<u8>, Error> {
    let mut rows: Vec<(&str, String, String, String)> = Vec::new();
    let f = &found.figures;
    let number = |n: u64| n.to_string();
    let decimal = |x: Option<f64>| x.map(|x| format!("{x:.6}")).unwrap_or_default();
    rows.push(("submitted", String::new(), String::new(), number(f.submitted)));
    let o = &f.by_outcome;
    for (key, n) in [
        ("open", o.open),
        ("approved", o.approved),
        ("rejected", o.rejected),
        ("withdrawn", o.withdrawn),
        ("closed", o.closed),
    ] {
        rows.push(("requests_by_outcome", String::new(), key.to_owned(), number(n)));
    }
    for s in &f.by_service {
        rows.push(("service_submitted", s.service_code.clone(), String::new(), number(s.submitted)));
        for state in &s.by_state {
            rows.push(("requests_by_state", s.service_code.clone(), state.state.clone(), number(state.count)));
        }
        rows.push(("service_decided", s.service_code.clone(), String::new(), number(s.decided)));
        rows.push((
            "service_decided_within_deadline",
            s.service_code.clone(),
            String::new(),
            number(s.decided_within_deadline),
        ));
        for step in &s.steps {
            rows.push(("service_steps_measured", s.service_code.clone(), step.state.clone(), number(step.measured)));
            rows.push((
                "service_steps_within_sla",
                s.service_code.clone(),
                step.state.clone(),
                number(step.within_sla),
            ));
        }
    }
    rows.push(("decided", String::new(), String::new(), number(f.decided)));
    rows.push(("decided_within_deadline", String::new(), String::new(), number(f.decided_within_deadline)));
    rows.push(("within_deadline_share", String::new(), String::new(), decimal(f.within_deadline_share)));
    rows.push(("median_processing_seconds", String::new(), String::new(), decimal(f.median_processing_seconds)));
    for b in &f.backlog.buckets {
        let key = match b.max_days {
            Some(max) => format!("{}-{max}", b.min_days),
            None => format!("{}+", b.min_days),
        };
        rows.push(("backlog_by_age_days", String::new(), key, number(b.count)));
    }
    rows.push(("complaints_received", String::new(), String::new(), number(f.complaints.received)));
    rows.push(("complaints_reopened", String::new(), String::new(), number(f.complaints.reopened)));
    rows.push(("complaints_ratings", String::new(), String::new(), number(f.complaints.ratings)));
    rows.push(("complaints_satisfaction", String::new(), String::new(), decimal(f.complaints.satisfaction)));
    rows.push(("disputes_open", String::new(), String::new(), number(f.disputes.open)));
    rows.push(("disputes_stakes_centimes", String::new(), String::new(), f.disputes.stakes_centimes.clone()));

    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let (from, to, as_of) = (found.from.to_string(), found.to.to_string(), found.as_of.to_rfc3339());
    writer
        .write_record(["commune", "from", "to", "as_of", "indicator", "service", "key", "value"])
        .map_err(Error::internal)?;
    for (indicator, service, key, value) in rows {
        super::write_row(&mut writer, [found.commune.as_str(), &from, &to, &as_of, indicator, &service, &key, &value])
            .map_err(Error::internal)?;
    }
    writer.into_inner().map_err(|e| Error::internal(e.to_string()))
}

/// A core error as a GraphQL-shaped body with the status of its code.
fn error_response(error: Error, locale: Locale) -> Response {
    let status = match error.code() {
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "VALIDATION_FAILED" => StatusCode::BAD_REQUEST,
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let error = to_graphql(error, locale);
    let body = serde_json::json!({ "errors": [{ "message": error.message, "extensions": error.extensions }] });
    (status, Json(body)).into_response()
}
