//! `onboard`: the national onboarding as an operator runs it, then the memory of a server holding it. Runs the
//! release build of `jamaa` (`target/release/jamaa`, or `JAMAA_BIN`): `commune onboard --from ma-commune@1
//! --csv` over the 1,503 Moroccan communes, on a fresh SQLite data directory or a throwaway PostgreSQL (a
//! database owned by `jamaa_owner`, used by `jamaa_app` under row-level security, as the tests make it), and
//! prints the command's own lines (its time and where it went), the wall time and, on SQLite, the file's size.
//! Then it serves that database, reads every commune's catalog once over HTTP and prints the server's resident
//! set size before and after.
//!
//! ```text
//! cargo build --release --bin jamaa
//! cargo run --release -p jamaa-benches --bin onboard -- --backend sqlite
//! cargo run --release -p jamaa-benches --bin onboard -- --backend postgres
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail, ensure};
use clap::Parser;
use jamaa_tests::pg::{APP_ROLE, PgServer};
use serde_json::json;

#[derive(Debug, Parser)]
#[command(name = "onboard", about = "Time the national onboarding and measure a server holding it")]
struct Args {
    /// `sqlite` or `postgres`.
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// The list of communes.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Skip serving the database and reading every catalog.
    #[arg(long)]
    no_serve: bool,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The resident set size of a process, in kB.
fn rss_kb(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).context("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).context("VmRSS")?.parse()?)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let binary = std::env::var_os("JAMAA_BIN").map_or_else(|| workspace().join("target/release/jamaa"), PathBuf::from);
    ensure!(binary.exists(), "{} is missing: cargo build --release --bin jamaa", binary.display());
    let csv = args.csv.clone().unwrap_or_else(|| workspace().join("examples/national-onboarding/ma_communes.csv"));
    let dir = tempfile::tempdir()?;
    let master_key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    let mut env: Vec<(&str, String)> = vec![("JAMAA_MASTER_KEY", master_key.to_owned())];
    let pg = if args.backend == "postgres" {
        let server = PgServer::start()?;
        let database = server.create_database("national")?;
        env.push(("JAMAA_DATABASE_URL", database.app_url.clone()));
        env.push(("JAMAA_ADMIN_DATABASE_URL", database.owner_url.clone()));
        env.push(("JAMAA_APP_ROLE", APP_ROLE.to_owned()));
        Some((server, database))
    } else {
        None
    };
    println!("- backend: {}; load average at start: {}", args.backend, load_average());
    let jamaa = |args: &[&str]| {
        let mut command = Command::new(&binary);
        command.arg("--data-dir").arg(dir.path()).args(args).envs(env.iter().map(|(k, v)| (*k, v)));
        command
    };
    // The schema first, so that the onboarding's time is the onboarding's.
    let migrated = jamaa(&["migrate"]).stdout(Stdio::null()).stderr(Stdio::null()).status()?;
    ensure!(migrated.success(), "jamaa migrate failed");
    let started = Instant::now();
    let csv_arg = csv.to_string_lossy().into_owned();
    let output = jamaa(&["commune", "onboard", "--from", "ma-commune@1", "--csv", &csv_arg])
        .stderr(Stdio::inherit())
        .output()?;
    let wall = started.elapsed();
    print!("{}", String::from_utf8_lossy(&output.stdout));
    ensure!(output.status.success(), "the onboarding failed");
    println!("- wall time: {:.1} s; load average at end: {}", wall.as_secs_f64(), load_average());
    if pg.is_none() {
        // The command has closed the database: what is left is the file and, if any, its WAL.
        let mut files: Vec<(String, u64)> = std::fs::read_dir(dir.path())?
            .filter_map(Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().starts_with("jamaa.db"))
            .map(|entry| (entry.file_name().to_string_lossy().into_owned(), entry.metadata().map_or(0, |m| m.len())))
            .collect();
        files.sort();
        let each: Vec<String> =
            files.iter().map(|(name, size)| format!("{name} {:.1} MB", *size as f64 / 1e6)).collect();
        println!("- SQLite files: {}", each.join(", "));
    }
    if args.no_serve {
        return Ok(());
    }

    // Serve it, read every catalog once, and measure the server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let bind = format!("127.0.0.1:{port}");
    let mut server = jamaa(&["serve", "--bind", &bind])
        .env("JAMAA_RATE_LIMIT_PER_MINUTE", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let client = reqwest::Client::new();
    let url = format!("http://{bind}");
    let mut ready = false;
    for _ in 0..300 {
        if client.get(format!("{url}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let result = async {
        ensure!(ready, "the server did not start");
        let pid = server.id();
        println!("- server RSS once started: {:.1} MB", rss_kb(pid)? as f64 / 1024.0);
        let text = std::fs::read_to_string(&csv)?;
        let slugs: Vec<&str> = text.lines().skip(1).filter_map(|line| line.split(',').nth(2)).collect();
        let started = Instant::now();
        for slug in &slugs {
            let query = format!(
                "{{ services(commune: \"{slug}\", locale: \"fr\", first: 50) {{ nodes {{ code name category }} }} }}"
            );
            let answer: serde_json::Value =
                client.post(format!("{url}/graphql")).json(&json!({ "query": query })).send().await?.json().await?;
            if answer.get("errors").is_some() {
                bail!("the catalog of {slug}: {answer}");
            }
        }
        println!(
            "- every catalog read once: {} communes in {:.1} s; server RSS then: {:.1} MB",
            slugs.len(),
            started.elapsed().as_secs_f64(),
            rss_kb(pid)? as f64 / 1024.0
        );
        Ok(())
    }
    .await;
    let _ = server.kill();
    let _ = server.wait();
    drop(pg);
    result
}
