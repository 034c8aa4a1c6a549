//! The server under load: started in this process on 127.0.0.1:0 with the demo, on SQLite or on a throwaway
//! PostgreSQL, with extra communes when asked, and stopped (with its PostgreSQL) when done or dropped.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use jamaa_core::model::commune::{Slug, TrackingPrefix};
use jamaa_core::model::i18n::LocalizedText;
use jamaa_core::model::template::{ContentOverrides, TemplateRef};
use jamaa_core::service::{CommuneIdentity, Jamaa, OnboardCommune, OnboardSource};
use jamaa_core::store::{Store, StoreConfig};
use jamaa_graphql::server::Application;
use jamaa_graphql::settings::Settings;
use jamaa_tests::pg::{APP_ROLE, PgDatabase, PgServer};
use sea_orm::{ConnectionTrait as _, Database, Statement};
use secrecy::{ExposeSecret as _, SecretString};
use serde_json::json;
use tokio::sync::oneshot;

use crate::drive::{Http, Seed};
use crate::{Backend, COMMUNE, Config};

/// A running server and the database behind it.
pub(crate) struct Server {
    pub(crate) address: SocketAddr,
    /// The communes that get seeded requests: Oujda, then the extra ones.
    pub(crate) communes: Vec<String>,
    backend: Backend,
    /// The URL the application connects with.
    database_url: SecretString,
    /// The master key the server seals personal data with.
    master_key: SecretString,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<()>>>,
    // Dropped after the server task is stopped: the PostgreSQL server (stopped on drop), the SQLite directory.
    pg: Option<(PgServer, PgDatabase)>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts PostgreSQL when asked, builds the application (migrations, demo), creates the extra communes, and
    /// serves on a free port of 127.0.0.1.
    pub(crate) async fn start(config: &Config) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let (settings, pg) = match config.backend {
            Backend::Sqlite => {
                let url = jamaa_graphql::settings::sqlite_url(dir.path());
                (settings(url, None, None, config.max_connections), None)
            }
            Backend::Postgres => {
                let server = PgServer::start()?;
                let database = server.create_database("jamaa")?;
                let settings = settings(
                    database.app_url.clone(),
                    Some(database.owner_url.clone()),
                    Some(APP_ROLE.to_owned()),
                    config.max_connections,
                );
                (settings, Some((server, database)))
            }
        };
        let master_key = settings.master_key.clone().context("the load server has its master key")?;
        let app = Application::build(&settings).await.context("the server does not start")?;
        let address = app.local_addr()?;
        let operator = app.demo_tokens.as_ref().context("the demo was not loaded")?.operator.clone();

        let mut communes = vec![COMMUNE.to_owned()];
        if config.communes > 0 {
            let jamaa = connect(&settings.database_url, &master_key, 2).await?;
            communes.extend(create_communes(&jamaa, &operator, config.communes).await?);
        }

        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Ok(Self {
            address,
            communes,
            backend: config.backend,
            database_url: settings.database_url,
            master_key,
            stop: Some(stop),
            task: Some(task),
            pg,
            _dir: dir,
        })
    }

    /// Stops serving HTTP and waits for the server; the database stays.
    pub(crate) async fn stop_http(&mut self) -> Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(30), task)
                .await
                .map_err(|_| anyhow!("the server did not stop within 30 s"))???;
        }
        Ok(())
    }

    /// The PostgreSQL server the application runs on, if it does.
    pub(crate) fn pg(&self) -> Option<&PgServer> {
        self.pg.as_ref().map(|(server, _)| server)
    }

    /// The URL the application connects with.
    pub(crate) fn database_url(&self) -> &SecretString {
        &self.database_url
    }

    /// The use cases on the same database, with a pool of `max_connections` (one connection on SQLite).
    pub(crate) async fn jamaa(&self, max_connections: u32) -> Result<Jamaa> {
        connect(&self.database_url, &self.master_key, max_connections).await
    }

    /// `SQLite 3.x.y` or `PostgreSQL 15.x`, as the database reports it.
    pub(crate) async fn database_version(&self) -> String {
        let (name, sql) = match self.backend {
            Backend::Sqlite => ("SQLite", "SELECT sqlite_version()"),
            Backend::Postgres => ("PostgreSQL", "SELECT current_setting('server_version')"),
        };
        let version = async {
            let db = Database::connect(self.database_url.expose_secret()).await?;
            let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
            let version = row.map(|row| row.try_get_by_index::<String>(0)).transpose()?;
            db.close().await?;
            Ok::<_, sea_orm::DbErr>(version)
        }
        .await;
        match version {
            Ok(Some(version)) => format!("{name} {version}"),
            _ => name.to_owned(),
        }
    }

    /// Stops the server, then the PostgreSQL it started, and removes the files.
    pub(crate) async fn shutdown(mut self) -> Result<()> {
        self.stop_http().await?;
        // PostgreSQL stops when dropped (`pg_ctl stop`, a blocking call).
        let pg = self.pg.take();
        tokio::task::spawn_blocking(move || drop(pg)).await?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn settings(url: String, admin: Option<String>, app_role: Option<String>, max_connections: u32) -> Settings {
    Settings {
        database_url: SecretString::from(url),
        admin_database_url: admin.map(SecretString::from),
        app_role,
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        max_connections,
        sqlite_synchronous: Default::default(),
        // The scheduler finds no due timer during a run; it stays out of the measurements.
        scheduler_interval: Duration::from_secs(3600),
        db_acquire_timeout: jamaa_core::store::DEFAULT_ACQUIRE_TIMEOUT,
        idempotency_ttl: Duration::from_secs(24 * 3600),
        demo: true,
        // The driver is one client making thousands of requests a second.
        rate_limit_per_minute: 0,
        trusted_proxies: Vec::new(),
        session_hours: 12,
        site: None,
        notifications: Default::default(),
        master_key: Some(jamaa_core::crypto::Keyring::generate_master_key()),
        data_dir: std::env::temp_dir(),
        previous_master_keys: Vec::new(),
        // As deployed by default.
        introspection: true,
        cors_origins: Vec::new(),
        metrics: true,
        slow_clients: Default::default(),
        shutdown: std::time::Duration::from_secs(jamaa_graphql::connections::DEFAULT_SHUTDOWN_SECONDS),
        public_url: None,
        payment_providers: Default::default(),
    }
}

async fn connect(url: &SecretString, master_key: &SecretString, max_connections: u32) -> Result<Jamaa> {
    let store = Store::connect(&StoreConfig {
        url: url.clone(),
        max_connections,
        acquire_timeout: jamaa_core::store::DEFAULT_ACQUIRE_TIMEOUT,
        sqlite_synchronous: Default::default(),
    })
    .await?;
    Ok(Jamaa::new(store, jamaa_core::crypto::Keyring::new(master_key, &[])?))
}

/// Onboards `count` communes from Oujda's template (`bench-1`, `bench-2`, …, tracking prefixes `BXAAAA`,
/// `BXAAAB`, …), through the same use case as the demo.
async fn create_communes(jamaa: &Jamaa, operator: &SecretString, count: usize) -> Result<Vec<String>> {
    let operator = jamaa.authenticate(operator).await?;
    let source = TemplateRef::parse("oujda@1").map_err(|e| anyhow!("{e}"))?;
    let mut slugs = Vec::with_capacity(count);
    for n in 1..=count {
        let slug = format!("bench-{n}");
        let identity = CommuneIdentity {
            slug: Slug::parse(&slug)?,
            name: LocalizedText::ar_fr(format!("جماعة {n}"), format!("Commune {n}")),
            official_code: None,
            region: None,
            province: None,
            population: None,
            tracking_prefix: TrackingPrefix::parse(&tracking_prefix(n)?)?,
        };
        let onboarding = OnboardCommune {
            source: OnboardSource::Template(source.clone()),
            identity,
            overrides: ContentOverrides::default(),
        };
        jamaa.onboard_commune(&operator, onboarding).await?;
        slugs.push(slug);
    }
    Ok(slugs)
}

/// `BX` and `n` in four base-26 letters: `BXAAAB` for 1.
fn tracking_prefix(n: usize) -> Result<String> {
    const LETTERS: usize = 4;
    if n >= 26usize.pow(LETTERS as u32) {
        bail!("at most {} extra communes", 26usize.pow(LETTERS as u32) - 1);
    }
    let mut letters = [b'A'; LETTERS];
    let mut rest = n;
    for letter in letters.iter_mut().rev() {
        *letter = b'A' + (rest % 26) as u8;
        rest /= 26;
    }
    Ok(format!("BX{}", String::from_utf8_lossy(&letters)))
}

/// Submits `count` légalisations through the API, spread over `communes`, with `concurrency` clients, and
/// returns their tracking codes and secrets. Any error stops the run.
pub(crate) async fn seed_requests(
    http: &Http,
    communes: &[String],
    count: usize,
    concurrency: usize,
) -> Result<Vec<Seed>> {
    let next = Arc::new(AtomicUsize::new(0));
    let communes = Arc::new(communes.to_vec());
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency.min(count) {
        let (http, next, communes) = (http.clone(), next.clone(), communes.clone());
        workers.push(tokio::spawn(async move {
            let mut seeds = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    return Ok::<_, anyhow::Error>(seeds);
                }
                let commune = communes.get(n % communes.len()).map(String::as_str).unwrap_or(COMMUNE);
                let data = http.submit(commune, n as u64).await.map_err(|error| anyhow!("seeding: {error}"))?;
                let submitted = &data["submitRequest"];
                let (Some(code), Some(secret)) =
                    (submitted["request"]["trackingCode"].as_str(), submitted["secret"].as_str())
                else {
                    bail!("seeding: no tracking code or secret in {}", json!(submitted));
                };
                seeds.push(Seed { code: code.to_owned(), secret: secret.to_owned() });
            }
        }));
    }
    let mut seeds = Vec::with_capacity(count);
    for worker in workers {
        seeds.extend(worker.await??);
    }
    Ok(seeds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_prefixes_are_distinct_capitals() {
        assert_eq!(tracking_prefix(1).unwrap(), "BXAAAB");
        assert_eq!(tracking_prefix(26).unwrap(), "BXAABA");
        assert_eq!(tracking_prefix(26usize.pow(4) - 1).unwrap(), "BXZZZZ");
        assert!(tracking_prefix(26usize.pow(4)).is_err());
        for n in [1, 27, 9999] {
            assert!(TrackingPrefix::parse(&tracking_prefix(n).unwrap()).is_ok());
        }
    }
}
