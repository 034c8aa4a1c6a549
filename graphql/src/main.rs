//! `jamaa`: the server and the command line of the platform.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use jamaa_graphql::server::{Application, open_store, shutdown_signal};
use jamaa_graphql::settings::{Overrides, Settings};
use secrecy::ExposeSecret;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "jamaa", version, about = "Digital services of communes: the Jamaa server and command line")]
struct Cli {
    /// A TOML settings file (keys: database_url, admin_database_url, app_role, bind, data_dir,
    /// max_connections, scheduler_interval_seconds, site_dir, sdk_dir).
    #[arg(long, global = true, env = "JAMAA_CONFIG")]
    config: Option<PathBuf>,
    /// Where the SQLite file `jamaa.db` lives when no database URL is given.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (GraphQL at /graphql).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080, or JAMAA_BIND).
        #[arg(long)]
        bind: Option<SocketAddr>,
        /// Load the demo communes (Oujda, Chefchaouen, Kaédi) and print their tokens; serves the example
        /// commune website at / and the SDK at /sdk/.
        #[arg(long)]
        demo: bool,
        /// Serve this static website at / (default in demo mode: the repository's examples/commune-site).
        #[arg(long)]
        site_dir: Option<PathBuf>,
        /// Serve this built SDK package at /sdk/ (default: the repository's sdk-wasm/pkg).
        #[arg(long)]
        sdk_dir: Option<PathBuf>,
    },
    /// Apply database migrations.
    Migrate,
    /// Audit trail commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify every commune's hash chain (or one commune's); exits non-zero if any is broken.
    Verify {
        /// Only this commune (slug).
        #[arg(long)]
        commune: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("JAMAA_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let mut overrides = Overrides { config: cli.config, data_dir: cli.data_dir, ..Overrides::default() };
    match cli.command {
        Command::Serve { bind, demo, site_dir, sdk_dir } => {
            overrides.bind = bind;
            overrides.demo = demo;
            overrides.site_dir = site_dir;
            overrides.sdk_dir = sdk_dir;
            let settings = Settings::load(&overrides)?;
            let app = Application::build(&settings).await.context("cannot start the server")?;
            let address = app.local_addr()?;
            tracing::info!(%address, database = settings.backend_name(), "serving GraphQL at http://{address}/graphql");
            if let Some(site) = &settings.site {
                if !site.sdk.join("index.js").is_file() {
                    tracing::warn!(dir = %site.sdk.display(), "no SDK package to serve at /sdk/: run scripts/build-sdk");
                }
                tracing::info!(site = %site.site.display(), "serving the commune website at http://{address}/");
            }
            if let Some(tokens) = &app.demo_tokens {
                println!("operator {}", tokens.operator.expose_secret());
                for (slug, token) in &tokens.staff {
                    println!("{slug} {}", token.expose_secret());
                }
            }
            app.run_until(shutdown_signal()).await
        }
        Command::Migrate => {
            let settings = Settings::load(&overrides)?;
            open_store(&settings).await?;
            println!("migrations applied ({})", settings.backend_name());
            Ok(())
        }
        Command::Audit { command: AuditCommand::Verify { commune } } => {
            let settings = Settings::load(&overrides)?;
            let jamaa = jamaa_core::service::Jamaa::new(open_store(&settings).await?);
            let reports = jamaa.verify_all_audit().await?;
            let mut broken = 0;
            let mut checked = 0;
            for (slug, report) in reports.iter().filter(|(slug, _)| commune.as_ref().is_none_or(|c| c == slug)) {
                checked += 1;
                if report.valid {
                    println!("ok      {slug}: {} events, head {}", report.events_checked, report.head_hash);
                } else {
                    broken += 1;
                    println!(
                        "BROKEN  {slug}: at event #{} — {}",
                        report.first_broken_sequence.unwrap_or_default(),
                        report.problem.as_deref().unwrap_or("")
                    );
                }
            }
            if let Some(commune) = commune.filter(|_| checked == 0) {
                anyhow::bail!("no commune `{commune}`");
            }
            if broken > 0 {
                anyhow::bail!("{broken} audit chain(s) broken");
            }
            Ok(())
        }
        Command::Schema => {
            print!("{}", jamaa_graphql::schema::sdl());
            Ok(())
        }
    }
}
