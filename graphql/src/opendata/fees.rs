//! Fees collected as open data: `/opendata/{commune}/collected-fees.json` and `.csv`, per procedure and month,
//! net of cancellations (`?year=` optional). Aggregates only: never a payer, a request or an agent.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use jamaa_core::modules::finance::model::format_centimes;

use super::YearFilter;
use crate::app::AppState;
use crate::edge::PathCommune;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/opendata/{commune}/collected-fees.json", get(fees_json))
        .route("/opendata/{commune}/collected-fees.csv", get(fees_csv))
}

async fn fees_json(State(state): State<AppState>, at: PathCommune, Query(filter): Query<YearFilter>) -> Response {
    match state.jamaa.collected_fees(&at.commune, filter.year).await {
        Ok(months) => super::json(&serde_json::json!({
            "commune": at.commune.spec.slug.as_str(),
            "currency": at.commune.spec.currency,
            "collectedFees": months.iter().map(|m| serde_json::json!({
                "year": m.year,
                "month": m.month,
                "serviceCode": m.service_code,
                "currency": m.currency,
                "payments": m.payments,
                "amount": format_centimes(m.amount),
            })).collect::<Vec<_>>(),
        })),
        Err(error) => super::error(error),
    }
}

async fn fees_csv(State(state): State<AppState>, at: PathCommune, Query(filter): Query<YearFilter>) -> Response {
    let months = match state.jamaa.collected_fees(&at.commune, filter.year).await {
        Ok(months) => months,
        Err(error) => return super::error(error),
    };
    let rows = months.into_iter().map(|m| {
        vec![
            m.year.to_string(),
            m.month.to_string(),
            m.service_code.into(),
            m.currency.into(),
            m.payments.to_string(),
            format_centimes(m.amount),
        ]
    });
    super::csv(
        &["year", "month", "service_code", "currency", "payments", "amount"],
        rows,
        &format!("{}-collected-fees.csv", at.commune.spec.slug),
    )
}
