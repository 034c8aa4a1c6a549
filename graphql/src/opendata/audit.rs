//! `/opendata/{commune}/audit-head.json`: the commune's audit chain head (sequence, hash, time), for anyone to
//! keep: a chain rewritten behind it no longer holds this hash at this sequence. The GraphQL `auditHead`.
//! `/opendata/{commune}/audit-heads.json`: every head the commune published, the latest first, as the GraphQL
//! `auditHeads`.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::app::AppState;
use crate::edge::PathCommune;
use crate::schema::types::{AuditHead, PublishedAuditHead};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/opendata/{commune}/audit-head.json", get(head))
        .route("/opendata/{commune}/audit-heads.json", get(heads))
}

/// The published heads one download lists: one a day for more than twenty-seven years.
const HEADS_AT_MOST: u64 = 10_000;

async fn heads(State(state): State<AppState>, at: PathCommune) -> Response {
    match state.jamaa.audit_heads(&at.commune, None, HEADS_AT_MOST).await {
        Ok(page) => {
            let slug = at.commune.spec.slug.as_str();
            let heads: Vec<serde_json::Value> = page
                .items
                .into_iter()
                .map(|head| {
                    let head = PublishedAuditHead::new(slug, head);
                    // Times and days as the GraphQL scalars write them.
                    serde_json::json!({
                        "commune": head.commune,
                        "day": head.day.to_string(),
                        "sequence": head.sequence,
                        "hash": head.hash,
                        "link": head.link,
                        "recordedAt": head.recorded_at.map(|t| t.to_rfc3339()),
                        "publishedAt": head.published_at.to_rfc3339(),
                    })
                })
                .collect();
            super::json(&serde_json::json!({ "commune": slug, "heads": heads }))
        }
        Err(error) => super::error(error),
    }
}

async fn head(State(state): State<AppState>, at: PathCommune) -> Response {
    match state.jamaa.audit_head(&at.commune).await {
        Ok(head) => {
            let head = AuditHead::from(head);
            // The time as the GraphQL scalar writes it.
            let recorded_at = head.recorded_at.map(|t| t.to_rfc3339());
            let head = serde_json::json!({
                "sequence": head.sequence,
                "hash": head.hash,
                "link": head.link,
                "recordedAt": recorded_at,
            });
            super::json(&serde_json::json!({ "commune": at.commune.spec.slug.as_str(), "head": head }))
        }
        Err(error) => super::error(error),
    }
}
