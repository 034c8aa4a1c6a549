//! The council's published decisions as open data: `/opendata/{commune}/decisions.json` (with the roll calls)
//! and `/opendata/{commune}/decisions.csv` (one line per decision, with the counts), `?year=` optional.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

use super::YearFilter;
use crate::app::AppState;
use crate::edge::PathCommune;
use crate::schema::council::{CouncilDecision, decisions};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/opendata/{commune}/decisions.json", get(decisions_json))
        .route("/opendata/{commune}/decisions.csv", get(decisions_csv))
}

/// The columns of `decisions.csv`.
pub const COLUMNS: &[&str] = &[
    "session_date",
    "session_kind",
    "session_title_ar",
    "session_title_fr",
    "number",
    "text_ar",
    "text_fr",
    "outcome",
    "members_in_office",
    "present",
    "for",
    "against",
    "abstain",
    "absent",
    "published_at",
];

async fn published(state: &AppState, at: &PathCommune, year: Option<i32>) -> Result<Vec<CouncilDecision>, Response> {
    state.jamaa.council_decisions(&at.commune, year).await.map(decisions).map_err(super::error)
}

async fn decisions_json(State(state): State<AppState>, at: PathCommune, Query(filter): Query<YearFilter>) -> Response {
    match published(&state, &at, filter.year).await {
        Ok(decisions) => {
            super::json(&serde_json::json!({ "commune": at.commune.spec.slug.as_str(), "decisions": decisions }))
        }
        Err(response) => response,
    }
}

fn text(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

async fn decisions_csv(State(state): State<AppState>, at: PathCommune, Query(filter): Query<YearFilter>) -> Response {
    let decisions = match published(&state, &at, filter.year).await {
        Ok(decisions) => decisions,
        Err(response) => return response,
    };
    let rows = decisions.into_iter().map(|d| {
        vec![
            d.session_date.to_string(),
            text(&d.session_kind),
            d.session_title_ar,
            d.session_title_fr,
            d.number.to_string(),
            d.text_ar,
            d.text_fr,
            text(&d.count.outcome),
            d.count.members_in_office.to_string(),
            d.count.present.to_string(),
            d.count.votes_for.to_string(),
            d.count.against.to_string(),
            d.count.abstain.to_string(),
            d.count.absent.to_string(),
            d.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ]
    });
    super::csv(COLUMNS, rows, &format!("{}-decisions.csv", at.commune.spec.slug))
}
