//! The report of a run, as Markdown.

use std::fmt::Write as _;

use crate::drive::{Measurement, Scenario};
use crate::machine::Machine;
use crate::{Backend, Config};

/// One scenario's figures.
#[derive(Clone, Debug)]
pub struct ScenarioReport {
    pub scenario: Scenario,
    pub concurrency: usize,
    pub measurement: Measurement,
}

/// Everything a run measured.
#[derive(Clone, Debug)]
pub struct Report {
    pub config: Config,
    pub machine: Machine,
    /// `SQLite 3.46.0`, `PostgreSQL 15.8`.
    pub database: String,
    /// Requests submitted before the scenarios.
    pub seeded: usize,
    /// The GraphQL API over HTTP.
    pub over_http: Vec<ScenarioReport>,
    /// The use cases on the database, without HTTP.
    pub direct: Vec<ScenarioReport>,
}

impl Report {
    /// Failed calls, over HTTP and directly.
    pub fn errors(&self) -> u64 {
        self.over_http.iter().chain(&self.direct).map(|s| s.measurement.errors).sum()
    }

    /// The first failure of each scenario that had any.
    pub fn failures(&self) -> Vec<String> {
        let http = self.over_http.iter().map(|s| ("HTTP", s));
        let direct = self.direct.iter().map(|s| ("direct", s));
        http.chain(direct)
            .filter(|(_, s)| s.measurement.errors > 0)
            .map(|(target, s)| {
                format!(
                    "{target} {}: {} errors, the first: {}",
                    s.scenario.name(),
                    s.measurement.errors,
                    s.measurement.first_error.as_deref().unwrap_or("?")
                )
            })
            .collect()
    }

    pub fn markdown(&self) -> String {
        let config = &self.config;
        let machine = &self.machine;
        let mut out = String::new();
        let _ = writeln!(out, "### Load: {} ({})\n", config.backend, chrono::Utc::now().format("%Y-%m-%d"));
        let _ = writeln!(out, "- machine: {}", machine.describe());
        if let Some(load) = &machine.load_average {
            let _ = writeln!(out, "- load average at start: {load}");
        }
        let database = match config.backend {
            Backend::Sqlite => format!("{}, one connection (writes serialized), WAL", self.database),
            Backend::Postgres => format!(
                "{}, pool of {} connections, throwaway server (fsync off, synchronous_commit off)",
                self.database, config.max_connections
            ),
        };
        let _ = writeln!(out, "- backend: {database}");
        let _ = writeln!(
            out,
            "- build: {}; server and clients in one process on 127.0.0.1, HTTP/1.1 keep-alive",
            machine.profile
        );
        let _ = writeln!(
            out,
            "- {} s per scenario, concurrency {}, {} requests seeded over {} commune(s)\n",
            config.duration.as_secs_f64(),
            config.concurrency,
            self.seeded,
            1 + config.communes
        );
        table(&mut out, "GraphQL over HTTP", "req/s", &self.over_http);
        let _ = writeln!(out);
        table(&mut out, "Use cases on the database, no HTTP", "tx/s", &self.direct);
        out
    }
}

fn table(out: &mut String, title: &str, rate: &str, rows: &[ScenarioReport]) {
    let _ = writeln!(out, "{title}:\n");
    let _ = writeln!(out, "| scenario | concurrency | {rate} | p50 ms | p99 ms | max ms | errors |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let m = &row.measurement;
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            row.scenario.name(),
            row.concurrency,
            m.rate(),
            m.quantile_ms(0.5),
            m.quantile_ms(0.99),
            m.max_ms(),
            m.errors
        );
    }
}
