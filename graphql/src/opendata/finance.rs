//! Budget execution as open data: `/opendata/{commune}/budget-execution.csv` (the lines, in the columns of
//! the import file with the year first: the figures as imported) and `/opendata/{commune}/budget-execution.json`
//! (the lines and the aggregates, as the `budgetExecution` query answers), `?year=` optional.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use jamaa_core::modules::finance::model::COLUMNS;

use super::YearFilter;
use crate::app::AppState;
use crate::edge::PathCommune;
use crate::schema::finance::BudgetExecution;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/opendata/{commune}/budget-execution.json", get(execution_json))
        .route("/opendata/{commune}/budget-execution.csv", get(execution_csv))
}

async fn execution_json(State(state): State<AppState>, at: PathCommune, Query(filter): Query<YearFilter>) -> Response {
    match state.jamaa.budget_execution(&at.commune, filter.year).await {
        Ok(execution) => super::json(
            &serde_json::json!({ "commune": at.commune.spec.slug.as_str(), "budget": BudgetExecution::from(execution) }),
        ),
        Err(error) => super::error(error),
    }
}

async fn execution_csv(State(state): State<AppState>, at: PathCommune, Query(filter): Query<YearFilter>) -> Response {
    let execution = match state.jamaa.budget_execution(&at.commune, filter.year).await {
        Ok(execution) => execution,
        Err(error) => return super::error(error),
    };
    let header: Vec<&str> = std::iter::once("year").chain(COLUMNS.iter().copied()).collect();
    let rows = execution.lines.iter().map(|(year, line)| {
        let mut row = vec![year.to_string()];
        row.extend(line.to_row());
        row
    });
    super::csv(&header, rows, &format!("{}-budget-execution.csv", at.commune.spec.slug))
}
