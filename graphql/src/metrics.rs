//! Prometheus metrics at `/metrics` (the `metrics` facade, rendered by `metrics-exporter-prometheus`):
//! - `jamaa_http_requests_total{method,area,status}` and `jamaa_http_request_duration_seconds{method,area}`,
//!   the area being the first segment of the path (`graphql`, `sdk`, `open311`, …: a bounded set);
//! - `jamaa_graphql_field_total{field,outcome}` and `jamaa_graphql_field_duration_seconds{field}` for each root
//!   field of a query or mutation (the schema's operations: a bounded set, unlike client-chosen names);
//! - `jamaa_db_pool_connections` and `jamaa_db_pool_idle_connections`, read when scraped;
//! - `jamaa_scheduler_runs_total{outcome}`, `jamaa_scheduler_timers_total{result}` and
//!   `jamaa_scheduler_last_due` (timers due at the last run: the scheduler's backlog);
//!   `jamaa_dispatcher_attempts_total` and `jamaa_dispatcher_last_attempts` (deliveries attempted by the last
//!   pass: the dispatcher's backlog).

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo};
use async_graphql::{ServerResult, Value};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// The process's recorder, installed on first use: one per process, however many servers it runs (tests).
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
            match PrometheusBuilder::new().set_buckets(&buckets).and_then(PrometheusBuilder::install_recorder) {
                Ok(handle) => Some(handle),
                Err(error) => {
                    tracing::warn!(%error, "no metrics recorder: /metrics stays empty");
                    None
                }
            }
        })
        .as_ref()
}

/// `GET /metrics`: the Prometheus text format.
pub async fn render(store: jamaa_core::store::Store) -> Response {
    let Some(handle) = handle() else { return StatusCode::NOT_FOUND.into_response() };
    let pool = store.pool_stats();
    metrics::gauge!("jamaa_db_pool_connections").set(f64::from(pool.size));
    metrics::gauge!("jamaa_db_pool_idle_connections").set(pool.idle as f64);
    handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle.render()).into_response()
}

/// Counts and times every HTTP request.
pub async fn track_http(request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let area = area(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("jamaa_http_requests_total", "method" => method.clone(), "area" => area, "status" => status)
        .increment(1);
    metrics::histogram!("jamaa_http_request_duration_seconds", "method" => method, "area" => area)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The first segment of a path, among the server's own; `site` for every other (the static website).
pub fn area(path: &str) -> &'static str {
    const AREAS: [&str; 13] = [
        "graphql",
        "sdk",
        "office",
        "graphiql",
        "submissions",
        "open311",
        "opendata",
        "receipts",
        "verify",
        "files",
        "healthz",
        "readyz",
        "metrics",
    ];
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    AREAS.into_iter().find(|a| *a == first).unwrap_or("site")
}

/// The scheduler's pass: how many timers fired and were dropped.
pub fn scheduler_run(result: Result<(u64, u64), ()>) {
    match result {
        Ok((fired, dropped)) => {
            metrics::counter!("jamaa_scheduler_runs_total", "outcome" => "ok").increment(1);
            metrics::counter!("jamaa_scheduler_timers_total", "result" => "fired").increment(fired);
            metrics::counter!("jamaa_scheduler_timers_total", "result" => "dropped").increment(dropped);
            metrics::gauge!("jamaa_scheduler_last_due").set((fired + dropped) as f64);
        }
        Err(()) => metrics::counter!("jamaa_scheduler_runs_total", "outcome" => "error").increment(1),
    }
}

/// The dispatcher's pass: how many deliveries it attempted.
pub fn dispatcher_pass(attempts: usize) {
    metrics::counter!("jamaa_dispatcher_attempts_total").increment(attempts as u64);
    metrics::gauge!("jamaa_dispatcher_last_attempts").set(attempts as f64);
}

/// Counts and times the root fields of each operation.
pub struct RootFieldMetrics;

impl ExtensionFactory for RootFieldMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RootFieldMetrics)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for RootFieldMetrics {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.path_node.parent.is_some() || info.is_for_introspection {
            return next.run(ctx, info).await;
        }
        let field = info.name.to_owned();
        let started = Instant::now();
        let result = next.run(ctx, info).await;
        let outcome = if result.is_ok() { "ok" } else { "error" };
        metrics::counter!("jamaa_graphql_field_total", "field" => field.clone(), "outcome" => outcome).increment(1);
        metrics::histogram!("jamaa_graphql_field_duration_seconds", "field" => field)
            .record(started.elapsed().as_secs_f64());
        result
    }
}
