//! Jamaa's load driver: starts the server in this process on 127.0.0.1 with the demo communes (on a fresh SQLite
//! file or on a throwaway PostgreSQL), seeds requests through the API, then drives each scenario with concurrent
//! clients over real HTTP for a fixed time, and afterwards runs the same use cases directly on the database,
//! without HTTP. [`run`] returns a [`Report`] whose [`Report::markdown`] is ready to paste.
//!
//! The scenarios:
//! - `catalog`: `services(commune: "oujda", locale: "fr")`, a read-only transaction;
//! - `submitRequest`: a légalisation de signature, the write path (form validation, numbering, history, audit
//!   chain) in one transaction;
//! - `trackRequest`: a seeded request by tracking code and secret, chosen at random.
//!
//! Every response is checked: an HTTP error, a body that is not JSON, or any GraphQL `errors` counts as a
//! failure, reported apart from the successes (which alone make the rates and latencies).

mod drive;
mod machine;
mod raw;
mod report;
mod server;
pub mod sidebyside;

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};

pub use drive::{Measurement, Scenario};
pub use machine::Machine;
pub use report::{Report, ScenarioReport};

/// Which database the server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    /// A fresh SQLite file in a temporary directory (one connection: writes are serialized).
    Sqlite,
    /// A throwaway PostgreSQL server started from the machine's binaries.
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    pub backend: Backend,
    /// Concurrent clients (HTTP) or tasks (directly on the database).
    pub concurrency: usize,
    /// How long each scenario runs.
    pub duration: Duration,
    /// Requests submitted before the scenarios, for tracking.
    pub requests: usize,
    /// Communes created besides the demo's three, each with the standard's procedures; the seeded requests are
    /// spread over Oujda and them.
    pub communes: usize,
    /// The size of the server's connection pool (PostgreSQL; SQLite always has one connection).
    pub max_connections: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            backend: Backend::Sqlite,
            concurrency: 16,
            duration: Duration::from_secs(10),
            requests: 200,
            communes: 0,
            max_connections: 16,
        }
    }
}

/// The commune every scenario reads from and submits to.
pub const COMMUNE: &str = "oujda";

/// Runs everything [`Config`] asks for and stops the server (and the PostgreSQL it started), also on failure.
pub async fn run(config: &Config) -> Result<Report> {
    if config.concurrency == 0 {
        bail!("the concurrency must be at least 1");
    }
    if config.requests == 0 {
        bail!("at least one request must be seeded, for tracking");
    }
    if config.duration.is_zero() {
        bail!("the duration must be positive");
    }
    let machine = Machine::probe();
    let mut server = server::Server::start(config).await?;
    eprintln!("server on http://{} ({})", server.address, config.backend);

    let http = drive::Http::new(&server, config.concurrency)?;
    let seeds = Arc::new(server::seed_requests(&http, &server.communes, config.requests, config.concurrency).await?);
    eprintln!("seeded {} requests over {} commune(s)", seeds.len(), server.communes.len());

    let mut over_http = Vec::new();
    for scenario in Scenario::ALL {
        let target = drive::Target::Http(http.clone());
        let measurement = drive::drive(target, scenario, seeds.clone(), config.concurrency, config.duration).await?;
        eprintln!("HTTP {}: {}", scenario.name(), measurement.summary());
        over_http.push(ScenarioReport { scenario, concurrency: config.concurrency, measurement });
    }
    server.stop_http().await?;

    let jamaa = server.jamaa(config.max_connections).await?;
    let mut direct = Vec::new();
    for scenario in Scenario::ALL {
        let target = drive::Target::Direct(jamaa.clone());
        let measurement = drive::drive(target, scenario, seeds.clone(), config.concurrency, config.duration).await?;
        eprintln!("direct {}: {}", scenario.name(), measurement.summary());
        direct.push(ScenarioReport { scenario, concurrency: config.concurrency, measurement });
    }
    drop(jamaa);
    let database = server.database_version().await;
    server.shutdown().await?;

    Ok(Report { config: config.clone(), machine, database, seeded: seeds.len(), over_http, direct })
}
