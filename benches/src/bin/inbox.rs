//! `inbox`: the back office's inbox of a commune holding many requests. Starts the server with the demo on
//! SQLite or PostgreSQL, files `--requests` complaints in Oujda through the use case, then times the inbox's
//! first page (`requests(first: 20)` with its total) and its counts (`inboxCounts`) over HTTP as a head of
//! service, and prints the median and the slowest of `--rounds` calls.
//!
//! ```text
//! cargo run --release -p jamaa-benches --bin inbox -- --backend sqlite --requests 10000
//! ```

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use clap::Parser;
use jamaa_core::auth::Principal;
use jamaa_core::service::SubmitRequest;
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp};
use serde_json::json;

#[derive(Debug, Parser)]
#[command(name = "inbox", about = "Time the first page and the counts of a large commune's inbox")]
struct Args {
    /// `sqlite` or `postgres`.
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Requests filed in Oujda before timing.
    #[arg(long, default_value_t = 10_000)]
    requests: usize,
    /// Calls timed per query.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
}

const PAGE: &str = "{ requests(commune: \"oujda\", first: 20) { totalCount
    nodes { id trackingCode serviceName stateLabel decisionDue assignee { login } } pageInfo { endCursor } } }";
const MINE: &str = "{ requests(commune: \"oujda\", first: 20, assignment: UNASSIGNED, overdue: false) { totalCount
    nodes { id trackingCode decisionDue } } }";
const COUNTS: &str = "{ inboxCounts(commune: \"oujda\") { total overdue mine unassigned byState { state count } } }";

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let backend = if args.backend == "postgres" { Backend::Postgres } else { Backend::Sqlite };
    let app = TestApp::spawn(backend).await?;
    let jamaa = app.jamaa().await?;
    let oujda = jamaa.commune("oujda").await?;
    let started = Instant::now();
    for i in 0..args.requests {
        let input = SubmitRequest {
            service_code: "reclamation".into(),
            data: json!({ "subject": "roads", "description": format!("Chaussée dégradée, rue n° {i} du quartier.") }),
            documents: Vec::new(),
        };
        jamaa.submit_request(&Principal::Anonymous, &oujda, input).await?;
    }
    println!("filed {} requests in {:.1} s", args.requests, started.elapsed().as_secs_f64());
    let head = app.login("oujda.head_of_service", DEMO_PASSWORD).await?;
    for (name, query) in [("first page", PAGE), ("unassigned, not overdue", MINE), ("counts", COUNTS)] {
        let mut times = Vec::with_capacity(args.rounds);
        for _ in 0..args.rounds {
            let started = Instant::now();
            let body = app.graphql(Some(&head), query, json!({})).await?;
            times.push(started.elapsed());
            ensure!(body.get("errors").is_none(), "{body}");
        }
        times.sort();
        let median = times[times.len() / 2];
        let slowest = times.last().copied().unwrap_or(Duration::ZERO);
        println!(
            "| {} | {name} | {:.1} ms | {:.1} ms |",
            args.backend,
            median.as_secs_f64() * 1000.0,
            slowest.as_secs_f64() * 1000.0
        );
    }
    app.stop().await
}
