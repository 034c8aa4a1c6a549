//! `sidebyside`: Jamaa (on PostgreSQL and on SQLite) beside PostGraphile v4 on the same PostgreSQL, driven by
//! wrk; prints one Markdown table of req/s, p50 and p99 with the ratios, and the database's own transaction rate
//! for the rows of trackRequest and submitRequest. Exits with status 1 when any response carried GraphQL errors
//! or was not a 200.
//!
//! ```text
//! cargo run --release -p jamaa-benches --bin sidebyside -- --seconds 5 --rounds 3
//! ```

use anyhow::{Result, bail};
use clap::Parser;
use jamaa_benches::sidebyside::{self, SideBySide};

#[derive(Debug, Parser)]
#[command(name = "sidebyside", about = "Jamaa beside PostGraphile on the same PostgreSQL, driven by wrk")]
struct Args {
    /// Seconds of each target in each round.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Rounds; each runs every target once, in an order rotated each round.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// wrk's connections.
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// wrk's threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Requests submitted to each Jamaa before tracking.
    #[arg(long, default_value_t = 200)]
    requests: usize,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if args.seconds > 600 {
        bail!("--seconds is at most 600");
    }
    let options = SideBySide {
        connections: args.connections,
        threads: args.threads,
        seconds: args.seconds,
        rounds: args.rounds,
        requests: args.requests,
    };
    let comparison = sidebyside::run(&options).await?;
    println!("{}", comparison.markdown());
    if comparison.errors() > 0 {
        if let Some(error) = &comparison.first_error {
            eprintln!("first failure: {error}");
        }
        bail!("{} responses were not a 200 without GraphQL errors", comparison.errors());
    }
    Ok(())
}
