//! Settings: defaults, an optional TOML file, then `JAMAA_*` environment variables (figment), then command-line
//! flags; the keys are written once, in [`Keys`]. Secrets (the database URL, master keys) are `SecretString`s
//! and never logged.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format as _, Serialized, Toml};
use jamaa_core::store::SqliteSynchronous;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Everything the server needs, passed explicitly to [`crate::Application::build`].
#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://…` (the default: `jamaa.db` in the data directory) or `postgres://…`.
    pub database_url: SecretString,
    /// A URL for migrations as the tables' owner, when the server connects as a role that does not own
    /// them (PostgreSQL). Without it, migrations run over `database_url`.
    pub admin_database_url: Option<SecretString>,
    /// The role to grant the application's privileges to after migrating (PostgreSQL).
    pub app_role: Option<String>,
    pub bind: SocketAddr,
    pub max_connections: u32,
    /// SQLite's durability: `full` (the default) or `normal`.
    pub sqlite_synchronous: SqliteSynchronous,
    /// How often the scheduler looks for due timers.
    pub scheduler_interval: Duration,
    /// How long a call waits for the database before it answers UNAVAILABLE: for a PostgreSQL connection, or for
    /// the SQLite file's lock held by another process (`JAMAA_DB_ACQUIRE_TIMEOUT_SECONDS`, default 3).
    pub db_acquire_timeout: Duration,
    /// How long an idempotency key and its answer are kept (`JAMAA_IDEMPOTENCY_HOURS`, default 24).
    pub idempotency_ttl: Duration,
    /// Load the demo communes at start-up.
    pub demo: bool,
    /// Most GraphQL requests a minute per token and per client address (`JAMAA_RATE_LIMIT_PER_MINUTE`);
    /// 0 for no limit.
    pub rate_limit_per_minute: u32,
    /// The reverse proxies whose `X-Forwarded-For` is believed (`JAMAA_TRUSTED_PROXIES`, comma-separated
    /// networks such as `10.0.0.0/8` or addresses); none by default.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How long a login session lasts, in hours (`JAMAA_SESSION_HOURS`, default 12).
    pub session_hours: u32,
    /// The master key that wraps the communes' data keys (`JAMAA_MASTER_KEY`, base64 of 32 bytes); without
    /// it, a key file `jamaa.key` in the data directory (made on first start) — keep it apart from the
    /// database in production.
    pub master_key: Option<SecretString>,
    /// Where the SQLite file and, without `JAMAA_MASTER_KEY`, the key file live.
    pub data_dir: PathBuf,
    /// Earlier master keys (`JAMAA_PREVIOUS_MASTER_KEYS`, comma-separated), still able to unwrap the data keys
    /// they wrapped until `jamaa keys rotate` has run.
    pub previous_master_keys: Vec<SecretString>,
    /// The static commune website served at `/`, the SDK package at `/sdk/` and the back office at
    /// `/office/`: on in demo mode or when a site directory is given.
    pub site: Option<SiteDirs>,
    /// The notification dispatcher: poll interval, retries and back-off, lease, timeouts.
    pub notifications: crate::dispatcher::NotifySettings,
    /// Whether the schema answers introspection (`JAMAA_INTROSPECTION`, default true; false for a hardened
    /// deployment).
    pub introspection: bool,
    /// The origins allowed to call the API from a browser besides the communes' own site origins
    /// (`JAMAA_CORS_ORIGINS`, comma-separated; `*` for any origin, then without credentials).
    pub cors_origins: Vec<String>,
    /// Whether `/metrics` answers (Prometheus text; `JAMAA_METRICS`, default true).
    pub metrics: bool,
    /// How long clients may take to send a request's head and body (`JAMAA_HEADER_TIMEOUT_SECONDS`,
    /// `JAMAA_BODY_GRACE_SECONDS`, `JAMAA_BODY_MIN_BYTES_PER_SECOND`).
    pub slow_clients: crate::connections::SlowClients,
    /// How long a stopping server (SIGTERM, Ctrl-C) waits for the requests under way, the scheduler's and the
    /// dispatcher's current item (`JAMAA_SHUTDOWN_SECONDS`, default 10).
    pub shutdown: Duration,
    /// The server's address as payment providers and citizens' browsers reach it (`JAMAA_PUBLIC_URL`,
    /// `https://jamaa.example.ma`): the providers' callback and return URLs are under it. Without it, the
    /// address the server is bound to.
    pub public_url: Option<String>,
    /// The communes' online payment providers by commune slug (`[payment_providers.<slug>]` in the file:
    /// `gateway_url`, `client_id`, `store_key`); the store key only here, never in the database.
    pub payment_providers: std::collections::BTreeMap<String, jamaa_core::modules::payments::provider::HostedPage>,
}

/// A commune's account at its payment provider, as the settings' file gives it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ProviderKeys {
    pub gateway_url: String,
    pub client_id: String,
    pub store_key: String,
}

/// Where the static files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteDirs {
    /// The website, served at `/` (`examples/commune-site`).
    pub site: PathBuf,
    /// The built npm package `jamaa-sdk`, served at `/sdk/` (`sdk-wasm/pkg`, made by `scripts/build-sdk`).
    pub sdk: PathBuf,
    /// The back office, served at `/office/` when found (`office/app`).
    pub office: Option<PathBuf>,
}

/// The places a static directory is looked for, in order, when not named: under the working directory (a
/// checkout), under the data directory (a deployment: `site/`, `sdk/`, `office/`), then under the directories
/// that hold the running binary (a binary in a checkout's `target/`). Never a path fixed at compile time.
struct Candidates {
    in_checkout: &'static [&'static str],
    in_data_dir: &'static str,
    /// A file the directory must hold.
    marker: &'static str,
}

const SITE: Candidates =
    Candidates { in_checkout: &["examples/commune-site"], in_data_dir: "site", marker: "index.html" };
const SDK: Candidates = Candidates { in_checkout: &["sdk-wasm/pkg"], in_data_dir: "sdk", marker: "package.json" };
const OFFICE: Candidates = Candidates { in_checkout: &["office/app"], in_data_dir: "office", marker: "index.html" };

impl Candidates {
    fn find(&self, data_dir: &Path) -> Option<PathBuf> {
        let cwd = std::env::current_dir().ok();
        let exe = std::env::current_exe().ok();
        let mut places: Vec<PathBuf> = Vec::new();
        places.extend(cwd.iter().flat_map(|cwd| self.in_checkout.iter().map(move |rel| cwd.join(rel))));
        places.push(data_dir.join(self.in_data_dir));
        let ancestors = exe.iter().flat_map(|exe| exe.ancestors().skip(1).take(4));
        places.extend(ancestors.flat_map(|dir| self.in_checkout.iter().map(move |rel| dir.join(rel))));
        places.into_iter().find(|dir| dir.join(self.marker).is_file())
    }
}

impl SiteDirs {
    /// The directories found from the working directory, the data directory or the binary's place, each
    /// named one taken as it is. The SDK's place is kept even when it is not built yet (the server says so).
    pub fn find(data_dir: &Path, site: Option<PathBuf>, sdk: Option<PathBuf>, office: Option<PathBuf>) -> Self {
        let sdk = sdk.or_else(|| SDK.find(data_dir)).unwrap_or_else(|| data_dir.join(SDK.in_data_dir));
        let site = site.or_else(|| SITE.find(data_dir)).unwrap_or_else(|| data_dir.join(SITE.in_data_dir));
        Self { site, sdk, office: office.or_else(|| OFFICE.find(data_dir)) }
    }

    /// Whether the SDK package is built where it is looked for.
    pub fn sdk_is_built(&self) -> bool {
        self.sdk.join("index.js").is_file() || self.sdk.join("jamaa_sdk.js").is_file()
    }
}

/// The settings' keys, written once: each is a key of the TOML file (`--config`, `JAMAA_CONFIG`) and, upper
/// case after `JAMAA_`, an environment variable (`JAMAA_CORS_ORIGINS`); the command line's flags come last.
/// Every key is optional; the defaults are in [`Keys::default`].
#[derive(Debug, Deserialize, Serialize)]
#[serde(default)]
pub struct Keys {
    pub database_url: Option<String>,
    pub admin_database_url: Option<String>,
    pub app_role: Option<String>,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub max_connections: u32,
    /// `full` (the default: every acknowledged commit survives a power loss) or `normal` (faster commits; a power
    /// loss may undo the last ones). SQLite only.
    pub sqlite_synchronous: SqliteSynchronous,
    pub scheduler_interval_seconds: u64,
    pub db_acquire_timeout_seconds: u64,
    pub idempotency_hours: u32,
    pub rate_limit_per_minute: u32,
    pub session_hours: u32,
    pub master_key: Option<String>,
    #[serde(deserialize_with = "list")]
    pub previous_master_keys: Vec<String>,
    pub site_dir: Option<PathBuf>,
    pub sdk_dir: Option<PathBuf>,
    pub office_dir: Option<PathBuf>,
    pub notify_interval_ms: u64,
    pub notify_retry_base_ms: u64,
    pub notify_retry_max_ms: u64,
    pub notify_max_attempts: u32,
    pub notify_lease_seconds: u64,
    pub introspection: bool,
    #[serde(deserialize_with = "list")]
    pub cors_origins: Vec<String>,
    pub metrics: bool,
    #[serde(deserialize_with = "list")]
    pub trusted_proxies: Vec<String>,
    #[serde(deserialize_with = "list")]
    pub outbound_allow: Vec<String>,
    pub header_timeout_seconds: u64,
    pub body_grace_seconds: u64,
    pub body_min_bytes_per_second: u64,
    pub shutdown_seconds: u64,
    /// `text` (the default) or `json`: one JSON object a line.
    pub log_format: LogFormat,
    pub public_url: Option<String>,
    pub payment_providers: std::collections::BTreeMap<String, ProviderKeys>,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl Default for Keys {
    fn default() -> Self {
        let notify = crate::dispatcher::NotifySettings::default();
        let millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Self {
            database_url: None,
            admin_database_url: None,
            app_role: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("."),
            max_connections: 16,
            sqlite_synchronous: SqliteSynchronous::Full,
            scheduler_interval_seconds: 30,
            db_acquire_timeout_seconds: jamaa_core::store::DEFAULT_ACQUIRE_TIMEOUT.as_secs(),
            idempotency_hours: DEFAULT_IDEMPOTENCY_HOURS,
            rate_limit_per_minute: DEFAULT_RATE_LIMIT_PER_MINUTE,
            session_hours: DEFAULT_SESSION_HOURS,
            master_key: None,
            previous_master_keys: Vec::new(),
            site_dir: None,
            sdk_dir: None,
            office_dir: None,
            notify_interval_ms: millis(notify.interval),
            notify_retry_base_ms: millis(notify.retry.base),
            notify_retry_max_ms: millis(notify.retry.max),
            notify_max_attempts: notify.retry.max_attempts,
            notify_lease_seconds: notify.lease.as_secs(),
            introspection: true,
            cors_origins: Vec::new(),
            metrics: true,
            trusted_proxies: Vec::new(),
            outbound_allow: Vec::new(),
            header_timeout_seconds: crate::connections::DEFAULT_HEADER_TIMEOUT_SECONDS,
            body_grace_seconds: crate::connections::DEFAULT_BODY_GRACE_SECONDS,
            body_min_bytes_per_second: crate::connections::DEFAULT_BODY_MIN_BYTES_PER_SECOND,
            shutdown_seconds: crate::connections::DEFAULT_SHUTDOWN_SECONDS,
            log_format: LogFormat::Text,
            public_url: None,
            payment_providers: std::collections::BTreeMap::new(),
        }
    }
}

/// A list given as a TOML array or as one comma-separated string (an environment variable).
fn list<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        One(String),
        Many(Vec<String>),
    }
    let items = match Either::deserialize(deserializer)? {
        Either::One(text) => text.split(',').map(str::to_owned).collect(),
        Either::Many(items) => items,
    };
    Ok(items.into_iter().map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()).collect())
}

/// What the command line may override.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub bind: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub demo: bool,
    pub site_dir: Option<PathBuf>,
    pub sdk_dir: Option<PathBuf>,
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// How long a login session lasts, unless configured.
pub const DEFAULT_SESSION_HOURS: u32 = 12;

/// How long an idempotency key is kept, unless configured.
pub const DEFAULT_IDEMPOTENCY_HOURS: u32 = 24;

/// Requests a minute per token and per client address, unless configured.
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 600;

impl Keys {
    /// The defaults, then the file (if named; an unknown key there is an error), then the `JAMAA_*`
    /// variables of the keys.
    pub fn load(config: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Keys::default()));
        if let Some(path) = config {
            let text =
                std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            // The file's keys must all be known (a misspelt key is an error, not a silent default).
            let table = toml::from_str::<toml::Table>(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            let names = Keys::names();
            if let Some(unknown) = table.keys().find(|key| !names.contains(key)) {
                anyhow::bail!("{}: unknown key `{unknown}` (known: {})", path.display(), names.join(", "));
            }
            figment = figment.merge(Toml::file(path));
        }
        // Only the variables named after a key: JAMAA_LOG, JAMAA_CONFIG or JAMAA_PASSWORD are read elsewhere.
        let known: Vec<String> = Keys::names();
        figment = figment.merge(Env::prefixed("JAMAA_").filter(move |key| known.iter().any(|k| key == k.as_str())));
        figment.extract::<Keys>().map_err(|e| anyhow::anyhow!("settings: {e}"))
    }

    /// The keys' names, from the struct itself.
    pub fn names() -> Vec<String> {
        match serde_json::to_value(Keys::default()) {
            Ok(serde_json::Value::Object(keys)) => keys.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

impl Settings {
    /// Reads the file (if named), then the environment, then the overrides.
    pub fn load(overrides: &Overrides) -> anyhow::Result<Self> {
        let keys = Keys::load(overrides.config.as_deref())?;
        let data_dir = overrides.data_dir.clone().unwrap_or(keys.data_dir);
        let database_url = keys.database_url.unwrap_or_else(|| sqlite_url(&data_dir));
        let site_dir = overrides.site_dir.clone().or(keys.site_dir);
        let sdk_dir = overrides.sdk_dir.clone().or(keys.sdk_dir);
        let site = (overrides.demo || site_dir.is_some())
            .then(|| SiteDirs::find(&data_dir, site_dir, sdk_dir, keys.office_dir));
        let notifications = crate::dispatcher::NotifySettings {
            interval: Duration::from_millis(keys.notify_interval_ms.max(10)),
            retry: jamaa_core::model::notifications::RetryPolicy {
                base: Duration::from_millis(keys.notify_retry_base_ms),
                max: Duration::from_millis(keys.notify_retry_max_ms),
                max_attempts: keys.notify_max_attempts.max(1),
            },
            lease: Duration::from_secs(keys.notify_lease_seconds),
            timeout: crate::dispatcher::NotifySettings::default().timeout,
            outbound: crate::outbound::OutboundPolicy::allowing(networks("outbound_allow", &keys.outbound_allow)?),
        };
        Ok(Self {
            database_url: SecretString::from(database_url),
            admin_database_url: keys.admin_database_url.map(SecretString::from),
            app_role: keys.app_role,
            bind: overrides.bind.unwrap_or(keys.bind),
            max_connections: keys.max_connections,
            sqlite_synchronous: keys.sqlite_synchronous,
            scheduler_interval: Duration::from_secs(keys.scheduler_interval_seconds.max(1)),
            db_acquire_timeout: Duration::from_secs(keys.db_acquire_timeout_seconds.max(1)),
            idempotency_ttl: Duration::from_secs(u64::from(keys.idempotency_hours.max(1)) * 3600),
            demo: overrides.demo,
            rate_limit_per_minute: keys.rate_limit_per_minute,
            trusted_proxies: networks("trusted_proxies", &keys.trusted_proxies)?,
            session_hours: keys.session_hours.max(1),
            master_key: keys.master_key.filter(|k| !k.is_empty()).map(SecretString::from),
            data_dir,
            previous_master_keys: keys.previous_master_keys.into_iter().map(SecretString::from).collect(),
            site,
            notifications,
            introspection: keys.introspection,
            cors_origins: keys.cors_origins,
            metrics: keys.metrics,
            slow_clients: crate::connections::SlowClients {
                header_timeout: Duration::from_secs(keys.header_timeout_seconds.max(1)),
                body_grace: Duration::from_secs(keys.body_grace_seconds.max(1)),
                body_min_bytes_per_second: keys.body_min_bytes_per_second,
            },
            shutdown: Duration::from_secs(keys.shutdown_seconds),
            public_url: keys.public_url.map(|u| u.trim_end_matches('/').to_owned()).filter(|u| !u.is_empty()),
            payment_providers: keys
                .payment_providers
                .into_iter()
                .map(|(slug, p)| {
                    let page = jamaa_core::modules::payments::provider::HostedPage {
                        gateway_url: p.gateway_url,
                        client_id: p.client_id,
                        store_key: SecretString::from(p.store_key),
                    };
                    (slug, page)
                })
                .collect(),
        })
    }

    /// The keyring of the master keys: `JAMAA_MASTER_KEY`, or the key file of the data directory (made when
    /// missing).
    pub fn keyring(&self) -> anyhow::Result<jamaa_core::crypto::Keyring> {
        let current = match &self.master_key {
            Some(key) => key.clone(),
            None => key_file(&self.data_dir)?,
        };
        Ok(jamaa_core::crypto::Keyring::new(&current, &self.previous_master_keys)?)
    }

    /// `sqlite` or `postgres`, for logs: never the URL itself.
    pub fn backend_name(&self) -> &'static str {
        if self.database_url.expose_secret().starts_with("postgres") { "postgres" } else { "sqlite" }
    }
}

/// Networks (`10.0.0.0/8`) or single addresses, from a list of the settings (`key` names it in errors).
fn networks(key: &str, list: &[String]) -> anyhow::Result<Vec<ipnet::IpNet>> {
    list.iter()
        .map(|n| {
            n.parse::<ipnet::IpNet>()
                .or_else(|_| n.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|e| anyhow::anyhow!("{key} `{n}`: {e}"))
        })
        .collect()
}

/// The master key kept in `dir/jamaa.key`, made (readable by its owner only) when missing.
fn key_file(dir: &Path) -> anyhow::Result<SecretString> {
    let path = dir.join("jamaa.key");
    match std::fs::read_to_string(&path) {
        Ok(key) => Ok(SecretString::from(key.trim().to_owned())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)?;
            let key = jamaa_core::crypto::Keyring::generate_master_key();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            std::io::Write::write_all(&mut options.open(&path)?, key.expose_secret().as_bytes())?;
            tracing::warn!(path = %path.display(), "no JAMAA_MASTER_KEY: a master key was made in this file; keep it apart from the database in production");
            Ok(key)
        }
        Err(error) => Err(anyhow::anyhow!("cannot read {}: {error}", path.display())),
    }
}

/// The SQLite file `jamaa.db` in `dir`, created when missing.
pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("jamaa.db").display())
}
