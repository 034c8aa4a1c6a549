//! `/opendata/{commune}/audit-head.json`: the commune's audit chain head (sequence, hash, time), for anyone to
//! keep: a chain rewritten behind it no longer holds this hash at this sequence. The GraphQL `auditHead`.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use crate::app::AppState;
use crate::schema::types::AuditHead;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/opendata/{commune}/audit-head.json", get(head))
}

async fn head(State(state): State<AppState>, Path(commune): Path<String>) -> Response {
    match state.jamaa.audit_head(&commune).await {
        Ok(head) => {
            let head = AuditHead::from(head);
            // The time as the GraphQL scalar writes it.
            let recorded_at = head.recorded_at.map(|t| t.to_rfc3339());
            let head = serde_json::json!({ "sequence": head.sequence, "hash": head.hash, "recordedAt": recorded_at });
            super::json(&serde_json::json!({ "commune": commune, "head": head }))
        }
        Err(error) => super::error(error),
    }
}
