//! Settings: an optional TOML file, then `JAMAA_*` environment variables, then command-line flags. Secrets
//! (the database URL) are `SecretString`s and never logged.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

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
    /// How often the scheduler looks for due timers.
    pub scheduler_interval: Duration,
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
    /// The static commune website served at `/` and the SDK package at `/sdk/`: on in demo mode or when a site
    /// directory is given.
    pub site: Option<SiteDirs>,
    /// The notification dispatcher: poll interval, retries and back-off, lease, timeouts.
    pub notifications: crate::dispatcher::NotifySettings,
}

/// Where the static files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteDirs {
    /// The website, served at `/` (`examples/commune-site` of the repository by default).
    pub site: PathBuf,
    /// The built npm package `jamaa-sdk`, served at `/sdk/` (`sdk-wasm/pkg`, made by `scripts/build-sdk`).
    pub sdk: PathBuf,
    /// The back office, served at `/office/` (`office/app` of the repository by default).
    pub office: PathBuf,
}

impl SiteDirs {
    /// The example site and the SDK package of the repository this server was built from.
    pub fn repository() -> Self {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        Self {
            site: repository.join("examples/commune-site"),
            sdk: repository.join("sdk-wasm/pkg"),
            office: repository.join("office/app"),
        }
    }
}

/// The file form of the settings: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    admin_database_url: Option<String>,
    app_role: Option<String>,
    bind: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    max_connections: Option<u32>,
    scheduler_interval_seconds: Option<u64>,
    rate_limit_per_minute: Option<u32>,
    trusted_proxies: Option<Vec<String>>,
    session_hours: Option<u32>,
    site_dir: Option<PathBuf>,
    sdk_dir: Option<PathBuf>,
    office_dir: Option<PathBuf>,
    notify_interval_ms: Option<u64>,
    notify_retry_base_ms: Option<u64>,
    notify_retry_max_ms: Option<u64>,
    notify_max_attempts: Option<u32>,
    notify_lease_seconds: Option<u64>,
    outbound_allow: Option<Vec<String>>,
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

/// Requests a minute per token and per client address, unless configured.
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 600;

impl Settings {
    /// Reads the file (if named), then the environment, then the overrides.
    pub fn load(overrides: &Overrides) -> anyhow::Result<Self> {
        let file = match &overrides.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
                toml::from_str::<FileSettings>(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
            }
            None => FileSettings::default(),
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let data_dir = overrides.data_dir.clone().or(env("JAMAA_DATA_DIR").map(PathBuf::from)).or(file.data_dir);
        let data_dir = data_dir.unwrap_or_else(|| PathBuf::from("."));
        let database_url = env("JAMAA_DATABASE_URL").or(file.database_url).unwrap_or_else(|| sqlite_url(&data_dir));
        let master_key = env("JAMAA_MASTER_KEY").map(SecretString::from);
        let previous_master_keys = env("JAMAA_PREVIOUS_MASTER_KEYS")
            .map(|keys| keys.split(',').map(|k| SecretString::from(k.trim().to_owned())).collect())
            .unwrap_or_default();
        let bind = match overrides.bind {
            Some(bind) => bind,
            None => match env("JAMAA_BIND") {
                Some(bind) => bind.parse().map_err(|e| anyhow::anyhow!("JAMAA_BIND `{bind}`: {e}"))?,
                None => file.bind.unwrap_or(DEFAULT_BIND.parse()?),
            },
        };
        let max_connections = match env("JAMAA_MAX_CONNECTIONS") {
            Some(n) => n.parse().map_err(|e| anyhow::anyhow!("JAMAA_MAX_CONNECTIONS: {e}"))?,
            None => file.max_connections.unwrap_or(16),
        };
        let rate_limit_per_minute = match env("JAMAA_RATE_LIMIT_PER_MINUTE") {
            Some(n) => n.parse().map_err(|e| anyhow::anyhow!("JAMAA_RATE_LIMIT_PER_MINUTE: {e}"))?,
            None => file.rate_limit_per_minute.unwrap_or(DEFAULT_RATE_LIMIT_PER_MINUTE),
        };
        let trusted_proxies =
            networks("JAMAA_TRUSTED_PROXIES", env("JAMAA_TRUSTED_PROXIES"), file.trusted_proxies.clone())?;
        let session_hours = match env("JAMAA_SESSION_HOURS") {
            Some(n) => n.parse().map_err(|e| anyhow::anyhow!("JAMAA_SESSION_HOURS: {e}"))?,
            None => file.session_hours.unwrap_or(DEFAULT_SESSION_HOURS),
        };
        let scheduler_seconds = match env("JAMAA_SCHEDULER_INTERVAL_SECONDS") {
            Some(n) => n.parse().map_err(|e| anyhow::anyhow!("JAMAA_SCHEDULER_INTERVAL_SECONDS: {e}"))?,
            None => file.scheduler_interval_seconds.unwrap_or(30),
        };
        let number = |name: &str, from_file: Option<u64>, default: u64| -> anyhow::Result<u64> {
            match env(name) {
                Some(n) => n.parse().map_err(|e| anyhow::anyhow!("{name}: {e}")),
                None => Ok(from_file.unwrap_or(default)),
            }
        };
        let defaults = crate::dispatcher::NotifySettings::default();
        let millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let notifications = crate::dispatcher::NotifySettings {
            interval: Duration::from_millis(
                number("JAMAA_NOTIFY_INTERVAL_MS", file.notify_interval_ms, millis(defaults.interval))?.max(10),
            ),
            retry: jamaa_core::model::notifications::RetryPolicy {
                base: Duration::from_millis(number(
                    "JAMAA_NOTIFY_RETRY_BASE_MS",
                    file.notify_retry_base_ms,
                    millis(defaults.retry.base),
                )?),
                max: Duration::from_millis(number(
                    "JAMAA_NOTIFY_RETRY_MAX_MS",
                    file.notify_retry_max_ms,
                    millis(defaults.retry.max),
                )?),
                max_attempts: u32::try_from(number(
                    "JAMAA_NOTIFY_MAX_ATTEMPTS",
                    file.notify_max_attempts.map(u64::from),
                    u64::from(defaults.retry.max_attempts),
                )?)?
                .max(1),
            },
            lease: Duration::from_secs(number(
                "JAMAA_NOTIFY_LEASE_SECONDS",
                file.notify_lease_seconds,
                defaults.lease.as_secs(),
            )?),
            timeout: defaults.timeout,
            outbound: crate::outbound::OutboundPolicy::allowing(networks(
                "JAMAA_OUTBOUND_ALLOW",
                env("JAMAA_OUTBOUND_ALLOW"),
                file.outbound_allow,
            )?),
        };
        let site_dir = overrides.site_dir.clone().or(env("JAMAA_SITE_DIR").map(PathBuf::from)).or(file.site_dir);
        let sdk_dir = overrides.sdk_dir.clone().or(env("JAMAA_SDK_DIR").map(PathBuf::from)).or(file.sdk_dir);
        let office_dir = env("JAMAA_OFFICE_DIR").map(PathBuf::from).or(file.office_dir);
        let site = (overrides.demo || site_dir.is_some()).then(|| {
            let defaults = SiteDirs::repository();
            SiteDirs {
                site: site_dir.unwrap_or(defaults.site),
                sdk: sdk_dir.unwrap_or(defaults.sdk),
                office: office_dir.unwrap_or(defaults.office),
            }
        });
        Ok(Self {
            database_url: SecretString::from(database_url),
            admin_database_url: env("JAMAA_ADMIN_DATABASE_URL").or(file.admin_database_url).map(SecretString::from),
            app_role: env("JAMAA_APP_ROLE").or(file.app_role),
            bind,
            max_connections,
            scheduler_interval: Duration::from_secs(scheduler_seconds.max(1)),
            demo: overrides.demo,
            rate_limit_per_minute,
            trusted_proxies,
            session_hours: session_hours.max(1),
            master_key,
            data_dir,
            previous_master_keys,
            site,
            notifications,
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

/// Networks (`10.0.0.0/8`) or single addresses, from a comma-separated variable or the file's list.
fn networks(name: &str, variable: Option<String>, file: Option<Vec<String>>) -> anyhow::Result<Vec<ipnet::IpNet>> {
    let list = match variable {
        Some(list) => list.split(',').map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).collect(),
        None => file.unwrap_or_default(),
    };
    list.iter()
        .map(|n| {
            n.parse::<ipnet::IpNet>()
                .or_else(|_| n.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|e| anyhow::anyhow!("{name} `{n}`: {e}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_is_served_in_demo_mode_or_when_named() {
        let plain = Settings::load(&Overrides::default()).unwrap();
        assert_eq!(plain.site, None);

        let demo = Settings::load(&Overrides { demo: true, ..Overrides::default() }).unwrap();
        let site = demo.site.unwrap();
        assert!(site.site.join("index.html").is_file(), "{}", site.site.display());
        assert!(site.sdk.ends_with("sdk-wasm/pkg"));
        assert!(site.office.join("index.html").is_file(), "{}", site.office.display());

        let named = Overrides { site_dir: Some(PathBuf::from("/srv/site")), ..Overrides::default() };
        let site = Settings::load(&named).unwrap().site.unwrap();
        assert_eq!(site.site, PathBuf::from("/srv/site"));
        assert_eq!(site.sdk, SiteDirs::repository().sdk);
    }
}
