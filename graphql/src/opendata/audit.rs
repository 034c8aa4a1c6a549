//! `/opendata/{commune}/audit-head.json`: the commune's audit chain head (sequence, hash, time), for anyone to
//! keep: a chain rewritten behind it no longer holds this hash at this sequence. The GraphQL `auditHead`.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::app::AppState;
use crate::edge::PathCommune;
use crate::schema::types::AuditHead;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/opendata/{commune}/audit-head.json", get(head))
}

async fn head(State(state): State<AppState>, at: PathCommune) -> Response {
    match state.jamaa.audit_head(&at.commune).await {
        Ok(head) => {
            let head = AuditHead::from(head);
            // The time as the GraphQL scalar writes it.
            let recorded_at = head.recorded_at.map(|t| t.to_rfc3339());
            let head = serde_json::json!({ "sequence": head.sequence, "hash": head.hash, "recordedAt": recorded_at });
            super::json(&serde_json::json!({ "commune": at.commune.spec.slug.as_str(), "head": head }))
        }
        Err(error) => super::error(error),
    }
}
