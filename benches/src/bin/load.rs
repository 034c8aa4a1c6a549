//! `load`: the load driver. Starts the server on 127.0.0.1 with the demo, seeds requests, runs each scenario
//! over HTTP and then directly on the database, prints a Markdown report, stops everything and exits; the exit
//! status is 1 when any call failed.
//!
//! ```text
//! cargo run --release -p jamaa-benches --bin load -- --backend postgres --concurrency 16 --duration 10
//! ```

use std::time::Duration;

use anyhow::{Result, bail};
use clap::Parser;
use jamaa_benches::{Backend, Config};

#[derive(Debug, Parser)]
#[command(name = "load", about = "Load the Jamaa API and database, and report throughput and latency")]
struct Args {
    /// The database the server runs on.
    #[arg(long, value_enum, default_value_t = Backend::Sqlite)]
    backend: Backend,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Requests submitted before tracking.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Communes created besides the demo's, to spread the seeded requests over.
    #[arg(long, default_value_t = 0)]
    communes: usize,
    /// The server's connection pool (PostgreSQL; SQLite has one connection).
    #[arg(long, default_value_t = 16)]
    max_connections: u32,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if !(args.duration.is_finite() && args.duration > 0.0 && args.duration <= 3600.0) {
        bail!("--duration is in seconds, more than 0 and at most 3600");
    }
    let config = Config {
        backend: args.backend,
        concurrency: args.concurrency,
        duration: Duration::from_secs_f64(args.duration),
        requests: args.requests,
        communes: args.communes,
        max_connections: args.max_connections,
    };
    let report = jamaa_benches::run(&config).await?;
    println!("{}", report.markdown());
    let failures = report.failures();
    if !failures.is_empty() {
        for failure in &failures {
            eprintln!("{failure}");
        }
        bail!("{} calls failed", report.errors());
    }
    Ok(())
}
