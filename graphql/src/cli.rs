//! The `jamaa` command line: the server, migrations, audit verification, templates, communes (one, or a
//! whole country from a CSV file), and publishing a service from a file. Commands that change
//! configuration act as the platform itself: whoever runs them holds the database.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand};
use jamaa_core::auth::Principal;
use jamaa_core::model::commune::{Country, Slug, TrackingPrefix, TrainingReset, unique_tracking_prefix};
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::model::keys::RoleKey;
use jamaa_core::model::notifications::DeliveryStatus;
use jamaa_core::model::template::{ContentOverrides, Resolution, Side, TemplateBundle, TemplateRef};
use jamaa_core::service::{
    CommuneIdentity, Jamaa, MAX_PAGE_SIZE, NewApiToken, NewTrainingCommune, NewUser, OnboardCommune, OnboardSource,
};
use secrecy::{ExposeSecret, SecretString};

use crate::server::{Application, open_store, shutdown_signal};
use crate::settings::{Keys, LogFormat, Overrides, Settings};

#[derive(Parser)]
#[command(name = "jamaa", version, about = "Digital services of communes: the Jamaa server and command line")]
pub struct Cli {
    /// A TOML settings file; its keys, and the JAMAA_* variables named after them, are listed in the README
    /// (Settings) and in graphql/src/settings.rs (`Keys`).
    #[arg(long, global = true, env = "JAMAA_CONFIG")]
    config: Option<PathBuf>,
    /// Log lines as `text` or `json` (one object a line); else the `log_format` setting.
    #[arg(long, global = true, value_parser = ["text", "json"])]
    log_format: Option<String>,
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
    /// Templates: list, show, export, import, diff.
    Template {
        #[command(subcommand)]
        command: TemplateCommand,
    },
    /// Communes: list, onboard (one, or every row of a CSV file), upgrade.
    Commune {
        #[command(subcommand)]
        command: CommuneCommand,
    },
    /// A commune's webhook endpoints and their deliveries (dead letters, replay).
    Webhook {
        #[command(subcommand)]
        command: WebhookCommand,
    },
    /// Services: show a definition, publish one from a JSON file.
    Service {
        #[command(subcommand)]
        command: ServiceCommand,
    },
    /// Master keys: re-wrap every commune's data keys under the current `JAMAA_MASTER_KEY` (the old key in
    /// `JAMAA_PREVIOUS_MASTER_KEYS`).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// API tokens: create (printed once) and revoke.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// User accounts: create (the password from JAMAA_PASSWORD or the first line of stdin, never an
    /// argument), grant and revoke roles in a commune, reset a password, disable and enable.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Calendars: set the dated (lunar) holidays of a year for a country or a commune.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
    /// The translations of the shipped standard (core/data/i18n).
    Translations {
        #[command(subcommand)]
        command: TranslationsCommand,
    },
}

#[derive(Subcommand)]
enum TranslationsCommand {
    /// List the machine translations awaiting review by a fluent reader (tab-separated: language, French
    /// text, translation), in one language or all.
    Review {
        /// `tzm`, `en` or `es`; every language when absent.
        #[arg(long)]
        locale: Option<String>,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Replace the dated holidays of a year, for every commune of a country or for one commune, from a JSON
    /// file: a list of `{"date": "2027-03-10", "name": {"ar": …, "fr": …, "tzm": …, "en": …}, "source": …,
    /// "estimated": false}`. Open requests whose decision date a new holiday pushes back get the later date,
    /// with a step in their history; no date is brought forward.
    SetHolidays {
        /// The country (MA, MR) whose communes all take these holidays.
        #[arg(long, conflicts_with = "commune", required_unless_present = "commune")]
        country: Option<String>,
        /// One commune (its slug).
        #[arg(long)]
        commune: Option<String>,
        #[arg(long)]
        year: i32,
        /// The JSON file of the year's holidays.
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the password is read from JAMAA_PASSWORD, else from the first line of stdin.
    Create {
        #[arg(long)]
        login: String,
        /// The name shown to colleagues and in the interface.
        #[arg(long)]
        name: String,
        /// A national operator: the platform's rights in every commune.
        #[arg(long)]
        operator: bool,
    },
    /// Give a user roles in a commune (replacing those it had there).
    Grant {
        #[arg(long)]
        login: String,
        #[arg(long)]
        commune: String,
        #[arg(long, value_delimiter = ',', required = true)]
        roles: Vec<RoleKey>,
    },
    /// Take back a user's roles in a commune.
    Revoke {
        #[arg(long)]
        login: String,
        #[arg(long)]
        commune: String,
    },
    /// Set a new password (JAMAA_PASSWORD or stdin); the user's open sessions end.
    Password {
        #[arg(long)]
        login: String,
    },
    /// Disable a user: its sessions end and it can no longer log in.
    Disable {
        #[arg(long)]
        login: String,
    },
    /// Enable a disabled user again.
    Enable {
        #[arg(long)]
        login: String,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Re-wrap the data keys under the current master key; the server may keep running meanwhile.
    Rotate,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issue a token and print it (it is shown this once).
    Create {
        /// operator, staff or partner.
        #[arg(long)]
        kind: String,
        /// The commune of a staff token, or the communes of a partner token (repeat or separate by commas).
        #[arg(long = "commune", value_delimiter = ',')]
        communes: Vec<String>,
        /// The roles of a staff token.
        #[arg(long, value_delimiter = ',')]
        roles: Vec<RoleKey>,
        #[arg(long, default_value = "")]
        label: String,
        /// The token stops working after this many days.
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
    /// Revoke a token by id (the part after `jm_<kind>_`): it stops working at once.
    Revoke { id: String },
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

#[derive(Subcommand)]
enum TemplateCommand {
    /// The templates of the registry.
    List,
    /// Print a template bundle (JSON).
    Show { reference: String },
    /// Export a commune's configuration as template NAME (next version unless --version).
    Export {
        #[arg(long)]
        commune: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        version: Option<u32>,
        /// Also write the bundle to this file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import a bundle file into the registry (checked: format, hash, content).
    Import { file: PathBuf },
    /// The changes from one template version to another.
    Diff { from: String, to: String },
}

#[derive(Subcommand)]
enum CommuneCommand {
    /// The communes of the platform, with their lineage.
    List,
    /// Onboard a commune from a template (or another commune), or every commune of a CSV file.
    Onboard(Box<OnboardArgs>),
    /// Upgrade a commune to a newer template version by 3-way merge, keeping its local changes.
    Upgrade {
        commune: String,
        /// The template version to upgrade to, `name@version`.
        #[arg(long)]
        to: String,
        /// Resolve a conflict at PATH by taking the template's side.
        #[arg(long = "take-theirs", value_name = "PATH")]
        take_theirs: Vec<String>,
        /// Resolve a conflict at PATH by keeping the commune's side.
        #[arg(long = "take-ours", value_name = "PATH")]
        take_ours: Vec<String>,
        /// Show what would change, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write one commune's whole data to an archive (README, "Move a commune"): its rows, the definitions they
    /// refer to and its data keys re-wrapped under the archive key.
    Export {
        #[arg(long)]
        commune: String,
        /// The archive to write (refused if it exists).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        key: ArchiveKey,
    },
    /// Restore a commune from an archive into this deployment, in one transaction.
    Import {
        #[arg(long = "in", value_name = "FILE")]
        input: PathBuf,
        /// Import under this slug rather than the archive's.
        #[arg(long = "as", value_name = "NEW_SLUG")]
        as_slug: Option<String>,
        #[command(flatten)]
        key: ArchiveKey,
    },
    /// Training communes: a copy of a commune's configuration with fictitious files, for staff to practise.
    Training {
        #[command(subcommand)]
        command: TrainingCommand,
    },
}

#[derive(Subcommand)]
enum TrainingCommand {
    /// Make a training commune from a real one: its configuration, a login per role (`<slug>.<role>`, one
    /// password printed once), a staff token, and fictitious files.
    Create {
        /// The commune whose configuration it copies.
        #[arg(long)]
        from: String,
        /// Its slug (default `<from>-training`).
        #[arg(long)]
        slug: Option<String>,
        /// When it is set back to its starting point besides `reset`: `nightly` (default) or `manual`.
        #[arg(long, default_value = "nightly")]
        reset: String,
    },
    /// Set a training commune back to its starting point: its files, registers and audit trail are deleted
    /// (the chain restarts) and the fictitious files filed again; accounts and tokens stay.
    Reset { commune: String },
}

/// The archive key: 32 bytes in base64 (`openssl rand -base64 32`), from a file or the environment.
#[derive(Args)]
struct ArchiveKey {
    /// A file holding the archive key; else the variable JAMAA_ARCHIVE_KEY.
    #[arg(long)]
    key_file: Option<PathBuf>,
    #[arg(long = "archive-key", env = "JAMAA_ARCHIVE_KEY", hide_env_values = true, hide = true)]
    from_env: Option<String>,
}

impl ArchiveKey {
    fn read(&self) -> anyhow::Result<SecretString> {
        match (&self.key_file, &self.from_env) {
            (Some(path), _) => Ok(SecretString::from(read(path)?.trim().to_owned())),
            (None, Some(key)) => Ok(SecretString::from(key.trim().to_owned())),
            (None, None) => bail!("an archive key is needed: --key-file FILE, or JAMAA_ARCHIVE_KEY"),
        }
    }
}

#[derive(Args)]
struct OnboardArgs {
    /// The template, `name@version`.
    #[arg(long, conflicts_with = "from_commune")]
    from: Option<String>,
    /// Or another commune's current configuration.
    #[arg(long)]
    from_commune: Option<String>,
    /// Onboard every row of this CSV (columns code, slug, name_fr, name_ar, region_code, province_code,
    /// population_2024); communes that exist are skipped, so it can be run again.
    #[arg(long, requires = "from", conflicts_with_all = ["slug", "from_commune"])]
    csv: Option<PathBuf>,
    #[arg(long, required_unless_present = "csv")]
    slug: Option<String>,
    #[arg(long)]
    name_ar: Option<String>,
    #[arg(long)]
    name_fr: Option<String>,
    #[arg(long, required_unless_present = "csv")]
    tracking_prefix: Option<String>,
    #[arg(long)]
    official_code: Option<String>,
    #[arg(long)]
    region: Option<String>,
    #[arg(long)]
    province: Option<String>,
    #[arg(long)]
    population: Option<u64>,
    /// Overrides: country (MA, MR, ES), languages, currency, time zone.
    #[arg(long)]
    country: Option<String>,
    #[arg(long)]
    default_locale: Option<String>,
    #[arg(long, value_delimiter = ',')]
    locales: Option<Vec<String>>,
    #[arg(long)]
    currency: Option<String>,
    #[arg(long)]
    time_zone: Option<String>,
    #[arg(long)]
    drop_legal_references: bool,
    #[arg(long)]
    drop_fees: bool,
}

#[derive(Subcommand)]
enum WebhookCommand {
    /// Add an endpoint; prints its signing secret, this once.
    Create {
        #[arg(long)]
        commune: String,
        #[arg(long)]
        url: String,
        /// An event kind to send (request.submitted, request.state_changed, request.message, request.assigned,
        /// request.deadline); none for all.
        #[arg(long = "event")]
        events: Vec<String>,
    },
    /// The commune's endpoints.
    List {
        #[arg(long)]
        commune: String,
    },
    /// The commune's deliveries, newest first (`--status dead`: the dead letters).
    Deliveries {
        #[arg(long)]
        commune: String,
        #[arg(long, value_parser = delivery_status)]
        status: Option<DeliveryStatus>,
    },
    /// Put a dead delivery back in line.
    Replay {
        #[arg(long)]
        commune: String,
        id: uuid::Uuid,
    },
}

#[derive(Subcommand)]
enum ServiceCommand {
    /// Print the current definition of a service (JSON), as `service publish` reads it.
    Show {
        #[arg(long)]
        commune: String,
        code: String,
    },
    /// Publish a service definition (JSON) as the next version of that service in a commune.
    Publish {
        #[arg(long)]
        commune: String,
        file: PathBuf,
    },
}

impl Cli {
    /// How log lines are written: the flag, else the setting (file, `JAMAA_LOG_FORMAT`).
    pub fn log_format(&self) -> anyhow::Result<LogFormat> {
        Ok(match self.log_format.as_deref() {
            Some("json") => LogFormat::Json,
            Some(_) => LogFormat::Text,
            None => Keys::load(self.config.as_deref())?.log_format,
        })
    }
}

/// The stack of each worker thread. The futures of nested resolvers are large in an unoptimised build (the one
/// `scripts/demo` runs, and the tests'), and tokio's default of 2 MiB leaves them little room; 8 MiB is the main
/// thread's.
const WORKER_STACK_BYTES: usize = 8 << 20;

/// The `jamaa` program on its runtime: the `jamaa` binary is this, and so is the copy the end-to-end tests start
/// and kill (jamaa-tests' `jamaa-under-test`), with the same worker stacks.
pub fn program() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()?
        .block_on(main())
}

/// The `jamaa` program: parses the process's arguments, sets up the logs (stderr; `JAMAA_LOG` filters them,
/// `info` by default) and runs the command.
pub async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("JAMAA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match cli.log_format()? {
        // One JSON object a line, with the fields of the spans it is in (the request id among them).
        LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
        LogFormat::Text => logs.init(),
    }
    run(cli).await
}

/// Runs a command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut overrides = Overrides { config: cli.config, data_dir: cli.data_dir, ..Overrides::default() };
    if let Command::Serve { bind, demo, site_dir, sdk_dir } = &cli.command {
        overrides.bind = *bind;
        overrides.demo = *demo;
        overrides.site_dir.clone_from(site_dir);
        overrides.sdk_dir.clone_from(sdk_dir);
    }
    let settings = Settings::load(&overrides)?;
    match cli.command {
        Command::Serve { .. } => serve(&settings).await,
        Command::Migrate => {
            open_store(&settings).await?;
            println!("migrations applied ({})", settings.backend_name());
            Ok(())
        }
        Command::Schema => {
            print!("{}", crate::schema::sdl());
            Ok(())
        }
        Command::Translations { command: TranslationsCommand::Review { locale } } => {
            let locale = locale.map(|l| l.parse::<Locale>()).transpose()?;
            let pending = jamaa_core::model::translations::awaiting_review(locale)?;
            for entry in &pending {
                let clean = |s: &str| s.replace(['\t', '\n'], " ");
                println!("{}\t{}\t{}", entry.locale, clean(&entry.source), clean(&entry.text));
            }
            eprintln!("{} translation(s) awaiting review", pending.len());
            Ok(())
        }
        Command::Audit { command: AuditCommand::Verify { commune } } => {
            audit_verify(&jamaa(&settings).await?, commune).await
        }
        Command::Template { command } => template(&jamaa(&settings).await?, command).await,
        Command::Commune { command } => commune(&jamaa(&settings).await?, command).await,
        Command::Keys { command: KeysCommand::Rotate } => {
            let count = jamaa(&settings).await?.rotate_master_key().await?;
            println!("{count} data key(s) re-wrapped under master key {}", settings.keyring()?.current_id());
            Ok(())
        }
        Command::Token { command } => token(&jamaa(&settings).await?, command).await,
        Command::User { command } => user(&jamaa(&settings).await?, command).await,
        Command::Webhook { command } => webhook(&jamaa(&settings).await?, command).await,
        Command::Calendar { command: CalendarCommand::SetHolidays { country, commune, year, file } } => {
            let target = match (country, commune) {
                (Some(country), _) => jamaa_core::service::HolidayTarget::Country(
                    country.parse::<Country>().map_err(|e| anyhow::anyhow!("--country: {e}"))?,
                ),
                (None, Some(commune)) => jamaa_core::service::HolidayTarget::Commune(commune),
                (None, None) => bail!("name --country or --commune"),
            };
            let holidays = serde_json::from_str(&read(&file)?).with_context(|| format!("{}", file.display()))?;
            let update = jamaa(&settings)
                .await?
                .set_dated_holidays(&Principal::Platform, &target, year, holidays)
                .await
                .map_err(explain)?;
            println!(
                "{year}: {} commune calendar(s) changed, {} open request(s) moved",
                update.communes, update.requests_moved
            );
            Ok(())
        }
        Command::Service { command: ServiceCommand::Show { commune, code } } => {
            let view = jamaa(&settings).await?.service(&Principal::Platform, &commune, &code).await.map_err(explain)?;
            println!("{}", serde_json::to_string_pretty(&view.service.definition)?);
            Ok(())
        }
        Command::Service { command: ServiceCommand::Publish { commune, file } } => {
            let jamaa = jamaa(&settings).await?;
            let text = read(&file)?;
            let definition = serde_json::from_str(&text).with_context(|| format!("{}", file.display()))?;
            let published = jamaa
                .publish_service(&Principal::Platform, &jamaa.commune(&commune).await.map_err(explain)?, definition)
                .await
                .map_err(explain)?;
            println!("{commune}: {} version {}", published.definition.code, published.version);
            Ok(())
        }
    }
}

async fn webhook(jamaa: &Jamaa, command: WebhookCommand) -> anyhow::Result<()> {
    let platform = &Principal::Platform;
    match command {
        WebhookCommand::Create { commune, url, events } => {
            let created = jamaa
                .create_webhook_endpoint(
                    platform,
                    &jamaa.commune(&commune).await.map_err(explain)?,
                    &url,
                    &events,
                    jamaa_core::service::EndpointLimits::default(),
                )
                .await
                .map_err(explain)?;
            println!("{} {}", created.endpoint.id, created.endpoint.url);
            println!("secret {}", secrecy::ExposeSecret::expose_secret(&created.secret));
        }
        WebhookCommand::List { commune } => {
            for endpoint in jamaa
                .webhook_endpoints(platform, &jamaa.commune(&commune).await.map_err(explain)?)
                .await
                .map_err(explain)?
            {
                let events = if endpoint.events.is_empty() { "all".to_owned() } else { endpoint.events.join(",") };
                let state = if endpoint.active { "active" } else { "off" };
                println!("{} {state} {} {events}", endpoint.id, endpoint.url);
            }
        }
        WebhookCommand::Deliveries { commune, status } => {
            let commune = jamaa.commune(&commune).await.map_err(explain)?;
            let mut after = None;
            loop {
                let page = jamaa
                    .notification_deliveries(platform, &commune, status, after, MAX_PAGE_SIZE)
                    .await
                    .map_err(explain)?;
                after = page.items.last().map(|d| d.id);
                for d in page.items {
                    let error = d.last_error.unwrap_or_default();
                    println!(
                        "{} {} {} request {} #{} after {} attempt(s) {error}",
                        d.id,
                        d.status.as_str(),
                        d.channel.as_str(),
                        d.request_id,
                        d.sequence,
                        d.attempts
                    );
                }
                if !page.has_next {
                    break;
                }
            }
        }
        WebhookCommand::Replay { commune, id } => {
            let record = jamaa
                .replay_delivery(platform, &jamaa.commune(&commune).await.map_err(explain)?, id)
                .await
                .map_err(explain)?;
            println!("{} {}", record.id, record.status.as_str());
        }
    }
    Ok(())
}

async fn token(jamaa: &Jamaa, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create { kind, communes, roles, label, expires_in_days } => {
            let mut tenants = Vec::new();
            for slug in &communes {
                tenants.push(jamaa.commune(slug).await.map_err(explain)?.id);
            }
            let new = match (kind.as_str(), tenants.as_slice()) {
                ("operator", []) => NewApiToken::Operator,
                ("staff", [tenant]) => NewApiToken::Staff { tenant: *tenant, roles },
                ("partner", [_, ..]) => NewApiToken::Partner { communes: tenants },
                _ => bail!("--kind operator (no commune), staff (one --commune and --roles) or partner (--commune …)"),
            };
            let expires_at = expires_in_days.map(|days| chrono::Utc::now() + chrono::Duration::days(days));
            let issued =
                jamaa.create_api_token(&Principal::Platform, new, &label, expires_at).await.map_err(explain)?;
            println!("{}", issued.token.expose_secret());
            Ok(())
        }
        TokenCommand::Revoke { id } => {
            let id = id.parse().map_err(|_| anyhow::anyhow!("`{id}` is not a token id"))?;
            jamaa.revoke_api_token(&Principal::Platform, id).await.map_err(explain)?;
            println!("revoked");
            Ok(())
        }
    }
}

/// A password from `JAMAA_PASSWORD`, else the first line of stdin: never from the command line, where
/// other users of the machine and the shell's history would see it.
fn read_password() -> anyhow::Result<SecretString> {
    if let Some(password) = std::env::var("JAMAA_PASSWORD").ok().filter(|p| !p.is_empty()) {
        return Ok(SecretString::from(password));
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("cannot read the password from stdin")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("give the password in JAMAA_PASSWORD or on stdin");
    }
    Ok(SecretString::from(password))
}

async fn user(jamaa: &Jamaa, command: UserCommand) -> anyhow::Result<()> {
    let platform = &Principal::Platform;
    match command {
        UserCommand::Create { login, name, operator } => {
            let new = NewUser { login, display_name: name, password: read_password()?, operator };
            let id = jamaa.create_user(platform, new).await.map_err(explain)?;
            println!("user {id} created");
        }
        UserCommand::Grant { login, commune, roles } => {
            jamaa
                .grant_membership(platform, &login, &jamaa.commune(&commune).await.map_err(explain)?, roles)
                .await
                .map_err(explain)?;
            println!("granted");
        }
        UserCommand::Revoke { login, commune } => {
            jamaa
                .revoke_membership(platform, &login, &jamaa.commune(&commune).await.map_err(explain)?)
                .await
                .map_err(explain)?;
            println!("revoked");
        }
        UserCommand::Password { login } => {
            jamaa.set_password(platform, &login, read_password()?).await.map_err(explain)?;
            println!("password changed; the user's sessions ended");
        }
        UserCommand::Disable { login } => {
            jamaa.set_user_disabled(platform, &login, true).await.map_err(explain)?;
            println!("disabled; the user's sessions ended");
        }
        UserCommand::Enable { login } => {
            jamaa.set_user_disabled(platform, &login, false).await.map_err(explain)?;
            println!("enabled");
        }
    }
    Ok(())
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await.context("cannot start the server")?;
    let address = app.local_addr()?;
    tracing::info!(%address, database = settings.backend_name(), "serving GraphQL at http://{address}/graphql");
    if let Some(tokens) = &app.demo_tokens {
        println!("operator {}", tokens.operator.expose_secret());
        for (slug, token) in &tokens.staff {
            println!("{slug} {}", token.expose_secret());
        }
        println!("chefchaouen/civil_registrar {}", tokens.civil_registrar.expose_secret());
        println!(
            "log in as the provincial agent (Oujda and Chefchaouen): mutation {{ login(login: \"{}\", password: \"{}\") {{ token }} }}",
            tokens.agent.login,
            tokens.agent.password.expose_secret()
        );
        for staff in &tokens.staff_logins {
            println!(
                "{}/{} login {} password {}",
                staff.commune,
                staff.role,
                staff.login,
                jamaa_core::service::demo::DEMO_PASSWORD
            );
        }
        println!(
            "the sample files' citizen secrets (demo only): {}-1 legalisation, -2 complaint, -3 building permit; \
             e.g. query {{ trackRequest(trackingCode: \"OUJ-{}-000001\", secret: \"{}\") {{ state }} }}",
            jamaa_core::service::demo::demo_secret("<commune>", 0).trim_end_matches("-0"),
            chrono::Datelike::year(&chrono::Utc::now()),
            jamaa_core::service::demo::demo_secret("oujda", 1),
        );
    }
    app.run_until(shutdown_signal()).await
}

async fn jamaa(settings: &Settings) -> anyhow::Result<Jamaa> {
    let jamaa = Jamaa::new(open_store(settings).await?, settings.keyring()?)
        .with_session_ttl(chrono::Duration::hours(i64::from(settings.session_hours)));
    jamaa.install_shipped_templates().await.context("the shipped templates do not load")?;
    Ok(jamaa)
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A core error with every field error spelled out, for a person at a terminal.
fn explain(error: jamaa_core::Error) -> anyhow::Error {
    match &error {
        jamaa_core::Error::Validation(fields) => {
            let lines: Vec<String> = fields
                .iter()
                .map(|f| format!("  {} {}: {}", f.path, f.code.as_str(), f.message_in(Locale::En)))
                .collect();
            anyhow::anyhow!("{} ({}):\n{}", error, error.code(), lines.join("\n"))
        }
        _ => anyhow::anyhow!("{error} ({})", error.code()),
    }
}

/// A delivery status as `--status` names it (`pending`, `delivered`, `skipped`, `dead`).
fn delivery_status(value: &str) -> anyhow::Result<DeliveryStatus> {
    value.parse().map_err(|_| anyhow::anyhow!("not a delivery status: pending, delivered, skipped or dead"))
}

fn reference(value: &str) -> anyhow::Result<TemplateRef> {
    TemplateRef::parse(value).map_err(|e| anyhow::anyhow!("{e}"))
}

async fn audit_verify(jamaa: &Jamaa, commune: Option<String>) -> anyhow::Result<()> {
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
        bail!("no commune `{commune}`");
    }
    if broken > 0 {
        bail!("{broken} audit chain(s) broken");
    }
    Ok(())
}

async fn template(jamaa: &Jamaa, command: TemplateCommand) -> anyhow::Result<()> {
    match command {
        TemplateCommand::List => {
            for template in jamaa.templates().await? {
                println!(
                    "{}  {}  {}",
                    template.reference,
                    template.content_hash,
                    template.published_at.format("%Y-%m-%d")
                );
            }
        }
        TemplateCommand::Show { reference: r } => {
            println!("{}", jamaa.template(&reference(&r)?).await.map_err(explain)?.to_json_pretty()?);
        }
        TemplateCommand::Export { commune, name, version, out } => {
            let bundle = jamaa
                .export_template(
                    &Principal::Platform,
                    &jamaa.commune(&commune).await.map_err(explain)?,
                    &name,
                    version,
                    LocalizedText::new(),
                )
                .await
                .map_err(explain)?;
            if let Some(out) = out {
                std::fs::write(&out, bundle.to_json_pretty()?).with_context(|| format!("{}", out.display()))?;
            }
            println!("{} {} ({} services)", bundle.reference(), bundle.content_hash, bundle.content.services.len());
        }
        TemplateCommand::Import { file } => {
            let bundle = jamaa.import_template(&Principal::Platform, &read(&file)?).await.map_err(explain)?;
            println!("{} {}", bundle.reference(), bundle.content_hash);
        }
        TemplateCommand::Diff { from, to } => {
            let changes = jamaa.template_diff(&reference(&from)?, &reference(&to)?).await.map_err(explain)?;
            for change in &changes {
                println!("{}", change.summary());
            }
            println!("{} change(s)", changes.len());
        }
    }
    Ok(())
}

async fn training(jamaa: &Jamaa, command: TrainingCommand) -> anyhow::Result<()> {
    match command {
        TrainingCommand::Create { from, slug, reset } => {
            let reset = TrainingReset::parse(&reset).map_err(|e| anyhow::anyhow!("--reset: {e}"))?;
            let made = jamaa
                .create_training_commune(&Principal::Platform, NewTrainingCommune { from, slug, reset })
                .await
                .map_err(explain)?;
            let slug = &made.commune.spec.slug;
            println!(
                "training commune {slug} ({}), reset {}",
                made.commune.spec.tracking_prefix.as_str(),
                reset.as_str()
            );
            println!("password of every login: {}", made.password.expose_secret());
            for (role, login) in &made.logins {
                println!("  {login}  ({role})");
            }
            println!("staff token (every role): {}", made.token.expose_secret());
            Ok(())
        }
        TrainingCommand::Reset { commune } => {
            let commune = jamaa.commune(&commune).await.map_err(explain)?;
            let report = jamaa.reset_training_commune(&Principal::Platform, &commune).await.map_err(explain)?;
            println!(
                "{}: set back to its starting point, {} fictitious request(s) filed",
                report.slug, report.requests
            );
            Ok(())
        }
    }
}

async fn commune(jamaa: &Jamaa, command: CommuneCommand) -> anyhow::Result<()> {
    match command {
        CommuneCommand::List => {
            for commune in jamaa.all_communes().await? {
                let lineage = commune.lineage.as_ref().map(ToString::to_string).unwrap_or_else(|| "-".into());
                println!(
                    "{}  {}  {}  {}",
                    commune.spec.slug,
                    commune.spec.tracking_prefix.as_str(),
                    commune.spec.country.code(),
                    lineage
                );
            }
            Ok(())
        }
        CommuneCommand::Training { command } => training(jamaa, command).await,
        CommuneCommand::Onboard(args) => match args.csv.clone() {
            Some(csv) => onboard_csv(jamaa, &args, &csv).await,
            None => onboard_one(jamaa, *args).await,
        },
        CommuneCommand::Export { commune, out, key } => {
            let key = key.read()?;
            let commune = jamaa.commune(&commune).await.map_err(explain)?;
            let (manifest, archive) =
                jamaa.export_commune(&Principal::Platform, &commune, &key).await.map_err(explain)?;
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            std::io::Write::write_all(&mut file, &archive)?;
            file.sync_all()?;
            let rows: u64 = manifest.parts.iter().map(|p| p.rows).sum();
            println!(
                "exported {} ({} rows, schema {}, key {}) to {}",
                manifest.commune.slug,
                rows,
                manifest.schema_version,
                manifest.key_id,
                out.display()
            );
            Ok(())
        }
        CommuneCommand::Import { input, as_slug, key } => {
            let key = key.read()?;
            let slug = as_slug.as_deref().map(Slug::parse).transpose().map_err(|e| anyhow::anyhow!("--as: {e}"))?;
            let archive = std::fs::read(&input).with_context(|| format!("cannot read {}", input.display()))?;
            let (commune, manifest) =
                jamaa.import_commune(&Principal::Platform, &archive, &key, slug).await.map_err(explain)?;
            let rows: u64 = manifest.parts.iter().map(|p| p.rows).sum();
            println!(
                "imported {} as {} ({} rows, exported {})",
                manifest.commune.slug, commune.spec.slug, rows, manifest.exported_at
            );
            Ok(())
        }
        CommuneCommand::Upgrade { commune, to, take_theirs, take_ours, dry_run } => {
            let resolutions: Vec<Resolution> = take_theirs
                .into_iter()
                .map(|path| Resolution { path, take: Side::Theirs })
                .chain(take_ours.into_iter().map(|path| Resolution { path, take: Side::Ours }))
                .collect();
            let report = jamaa
                .upgrade_commune(
                    &Principal::Platform,
                    &jamaa.commune(&commune).await.map_err(explain)?,
                    &reference(&to)?,
                    &resolutions,
                    dry_run,
                )
                .await
                .map_err(explain)?;
            let from = report.from.as_ref().map(ToString::to_string).unwrap_or_default();
            println!("{commune}: {from} → {}", report.to);
            for change in &report.changes {
                println!("  change  {}", change.summary());
            }
            for change in &report.local_changes {
                println!("  local   {}", change.summary());
            }
            for conflict in &report.conflicts {
                let resolved =
                    if report.unresolved.iter().any(|u| u.path == conflict.path) { "UNRESOLVED" } else { "resolved" };
                let show = |v: &Option<serde_json::Value>| {
                    v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "(absent)".into())
                };
                println!(
                    "  conflict {} ({resolved}): base {} / theirs {} / ours {}",
                    conflict.path,
                    show(&conflict.base),
                    show(&conflict.theirs),
                    show(&conflict.ours)
                );
            }
            if report.upgraded {
                println!(
                    "upgraded: {} service(s) published, {} retired",
                    report.services_published.len(),
                    report.services_retired.len()
                );
                Ok(())
            } else if dry_run {
                println!("dry run: nothing written");
                Ok(())
            } else {
                bail!(
                    "{} unresolved conflict(s): choose a side with --take-theirs PATH or --take-ours PATH",
                    report.unresolved.len()
                )
            }
        }
    }
}

fn content_overrides(args: &OnboardArgs) -> anyhow::Result<ContentOverrides> {
    let locale = |l: &String| l.parse::<Locale>().map_err(|e| anyhow::anyhow!("{e}"));
    Ok(ContentOverrides {
        country: args.country.as_deref().map(str::parse::<Country>).transpose().map_err(|e| anyhow::anyhow!("{e}"))?,
        default_locale: args.default_locale.as_ref().map(locale).transpose()?,
        locales: args.locales.as_ref().map(|list| list.iter().map(locale).collect()).transpose()?,
        currency: args.currency.clone(),
        time_zone: args.time_zone.clone(),
        calendar: None,
        drop_legal_references: args.drop_legal_references,
        drop_fees: args.drop_fees,
    })
}

async fn onboard_one(jamaa: &Jamaa, args: OnboardArgs) -> anyhow::Result<()> {
    let source = match (&args.from, &args.from_commune) {
        (Some(from), None) => OnboardSource::Template(reference(from)?),
        (None, Some(commune)) => OnboardSource::Commune(commune.clone()),
        _ => bail!("name the source: --from NAME@VERSION or --from-commune SLUG"),
    };
    let mut name = LocalizedText::new();
    if let Some(ar) = &args.name_ar {
        name = name.with(Locale::Ar, ar.clone());
    }
    if let Some(fr) = &args.name_fr {
        name = name.with(Locale::Fr, fr.clone());
    }
    let identity = CommuneIdentity {
        slug: Slug::parse(args.slug.as_deref().unwrap_or_default()).map_err(|e| anyhow::anyhow!("{e}"))?,
        name,
        official_code: args.official_code.clone(),
        region: args.region.clone(),
        province: args.province.clone(),
        population: args.population,
        tracking_prefix: TrackingPrefix::parse(args.tracking_prefix.as_deref().unwrap_or_default())
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    let overrides = content_overrides(&args)?;
    let commune = jamaa
        .onboard_commune(&Principal::Platform, OnboardCommune { source, identity, overrides })
        .await
        .map_err(explain)?;
    let lineage = commune.lineage.as_ref().map(ToString::to_string).unwrap_or_default();
    println!("{} onboarded from {lineage}", commune.spec.slug);
    Ok(())
}

/// How often a long CSV onboarding writes a progress line when its output is not a terminal.
const PROGRESS_LINE_EVERY: Duration = Duration::from_secs(5);

/// One row of the national list of communes.
#[derive(Debug, serde::Deserialize)]
struct CsvCommune {
    code: String,
    slug: String,
    name_fr: String,
    name_ar: String,
    #[serde(default)]
    region_code: Option<String>,
    #[serde(default)]
    province_code: Option<String>,
    #[serde(default)]
    population_2024: Option<u64>,
}

/// Onboards every commune of the file that is not there yet, each in its own transaction.
async fn onboard_csv(jamaa: &Jamaa, args: &OnboardArgs, path: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let from = reference(args.from.as_deref().unwrap_or_default())?;
    let bundle: TemplateBundle = jamaa.template(&from).await.map_err(explain)?;
    let overrides = content_overrides(args)?;
    // The template's services checked and its shared content stored once, for every commune of the file.
    let prepared = jamaa.prepare_onboarding(&Principal::Platform, &bundle, &overrides).await.map_err(explain)?;
    let rows: Vec<CsvCommune> = csv::Reader::from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .deserialize()
        .collect::<Result<_, _>>()
        .with_context(|| format!("{}", path.display()))?;

    let mut prefixes: HashSet<String> =
        jamaa.all_communes().await?.into_iter().map(|c| c.spec.tracking_prefix.as_str().to_owned()).collect();

    let total = rows.len();
    let progress = indicatif::ProgressBar::new(total as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // The bar draws only on a terminal; in a log (CI, nohup, a pipe) a line every few seconds says the same.
    let log_lines = !std::io::stderr().is_terminal();
    let mut last_line = Instant::now();
    let (mut onboarded, mut skipped, mut failed) = (0u64, 0u64, Vec::new());
    let (mut checking, mut writing) = (Duration::ZERO, Duration::ZERO);
    for (done, row) in rows.into_iter().enumerate() {
        progress.set_message(row.slug.clone());
        progress.inc(1);
        if log_lines && last_line.elapsed() >= PROGRESS_LINE_EVERY {
            last_line = Instant::now();
            eprintln!(
                "{done}/{total} rows: {onboarded} onboarded, {skipped} already there, {} failed, {:.0} s",
                failed.len(),
                started.elapsed().as_secs_f64()
            );
        }
        let check = Instant::now();
        let exists =
            jamaa.commune_by_official_code(&row.code).await?.is_some() || jamaa.commune(&row.slug).await.is_ok();
        checking += check.elapsed();
        if exists {
            skipped += 1;
            continue;
        }
        let prefix = unique_tracking_prefix(&row.slug, &prefixes);
        let identity = match (Slug::parse(&row.slug), TrackingPrefix::parse(&prefix)) {
            (Ok(slug), Ok(tracking_prefix)) => CommuneIdentity {
                slug,
                name: LocalizedText::ar_fr(row.name_ar.clone(), row.name_fr.clone()),
                official_code: Some(row.code.clone()),
                region: row.region_code.clone(),
                province: row.province_code.clone(),
                population: row.population_2024,
                tracking_prefix,
            },
            (slug, prefix) => {
                failed.push(format!("{}: {:?} {:?}", row.slug, slug.err(), prefix.err()));
                continue;
            }
        };
        let write = Instant::now();
        let result = jamaa.onboard_prepared(&Principal::Platform, &prepared, identity).await;
        writing += write.elapsed();
        match result {
            Ok(_) => {
                prefixes.insert(prefix);
                onboarded += 1;
            }
            Err(error) => failed.push(format!("{}: {}", row.slug, explain(error))),
        }
    }
    progress.finish_and_clear();
    let elapsed = started.elapsed();
    println!(
        "{onboarded} onboarded, {skipped} already there, {} failed, in {:.1} s",
        failed.len(),
        elapsed.as_secs_f64()
    );
    // Where the time went: reading the file and the template, looking for existing communes, onboarding.
    println!(
        "time: {:.1} s reading the file and the template, {:.1} s looking for existing communes, {:.1} s onboarding{}",
        (elapsed.saturating_sub(checking + writing)).as_secs_f64(),
        checking.as_secs_f64(),
        writing.as_secs_f64(),
        if onboarded > 0 {
            format!(" ({:.1} ms a commune)", writing.as_secs_f64() * 1000.0 / onboarded as f64)
        } else {
            String::new()
        }
    );
    for failure in &failed {
        println!("  {failure}");
    }
    if failed.is_empty() { Ok(()) } else { bail!("{} commune(s) failed", failed.len()) }
}
