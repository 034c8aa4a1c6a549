//! [`TestApp`]: one server per test, with its own database, stopped when the test ends.

use std::collections::HashMap;
use std::net::SocketAddr;

use anyhow::{Context as _, Result, bail};
use jamaa_graphql::server::Application;
use jamaa_graphql::settings::{Settings, SiteDirs};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::pg::{PgDatabase, PgServer};

/// Which database the server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server with the demo communes, and the tokens the demo issued.
pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub operator: String,
    /// Staff tokens by commune slug (every role of the commune).
    pub staff: HashMap<String, String>,
    /// The demo's provincial agent (Oujda and Chefchaouen): login and password.
    pub agent: (String, String),
    pub backend: Backend,
    /// The PostgreSQL database, to look at it directly (RLS tests).
    pub pg: Option<(PgServer, PgDatabase)>,
    /// The SQLite file's directory.
    pub dir: tempfile::TempDir,
    /// The master key the server runs with.
    pub master_key: SecretString,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<Result<()>>>,
}

impl TestApp {
    /// Starts a server with the demo on a fresh database of `backend`.
    pub async fn spawn(backend: Backend) -> Result<Self> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts a server with the demo that also serves a static website and SDK package.
    pub async fn spawn_with_site(backend: Backend, site: Option<SiteDirs>) -> Result<Self> {
        Self::spawn_with(backend, |settings| settings.site = site).await
    }

    /// Like [`TestApp::spawn`], with settings changed by `tweak` first.
    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> Result<Self> {
        Self::spawn_full(backend, tweak, None).await
    }

    /// Like [`TestApp::spawn`], with the server's use cases reading the time from `clock`.
    pub async fn spawn_with_clock(backend: Backend, clock: jamaa_core::service::Clock) -> Result<Self> {
        Self::spawn_full(backend, |_| {}, Some(clock)).await
    }

    /// Like [`TestApp::spawn`] on PostgreSQL, on a server of the test's own (`PgServer::start`) that the test may
    /// stop and restart; `tweak` changes the settings first.
    pub async fn spawn_on_own_postgres(tweak: impl FnOnce(&mut Settings)) -> Result<Self> {
        let server = PgServer::start()?;
        let database = migrated_database(&server).await?;
        let mut settings =
            settings(database.app_url.clone(), Some(database.owner_url.clone()), Some("jamaa_app".to_owned()));
        tweak(&mut settings);
        Self::spawn_from(Backend::Postgres, tempfile::tempdir()?, settings, Some((server, database)), None).await
    }

    /// Like [`TestApp::spawn_with`], the use cases and the dispatcher reading the time from `clock`.
    pub async fn spawn_full(
        backend: Backend,
        tweak: impl FnOnce(&mut Settings),
        clock: Option<jamaa_core::service::Clock>,
    ) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        // The settings are known before the database is chosen: with the demo loaded at the current time and the
        // usual key, the server starts from the run's demo snapshot, and its own load of the demo only issues
        // fresh tokens.
        let mut settings = settings(String::new(), None, None);
        let key = settings.master_key.clone();
        tweak(&mut settings);
        let from_snapshot = settings.demo
            && clock.is_none()
            && settings.previous_master_keys.is_empty()
            && settings.master_key.as_ref().map(ExposeSecret::expose_secret)
                == key.as_ref().map(ExposeSecret::expose_secret);
        if from_snapshot {
            settings.master_key = Some(SecretString::from(SNAPSHOT_KEY));
        }
        let pg = match backend {
            Backend::Sqlite => {
                settings.database_url = SecretString::from(jamaa_graphql::settings::sqlite_url(dir.path()));
                if from_snapshot {
                    std::fs::copy(sqlite_demo_snapshot().await?, dir.path().join("jamaa.db"))
                        .context("the demo snapshot does not copy")?;
                }
                None
            }
            Backend::Postgres => {
                let server = PgServer::for_tests()?;
                let database =
                    if from_snapshot { demo_database(&server).await? } else { migrated_database(&server).await? };
                settings.database_url = SecretString::from(database.app_url.clone());
                settings.admin_database_url = Some(SecretString::from(database.owner_url.clone()));
                settings.app_role = Some(crate::pg::APP_ROLE.to_owned());
                Some((server, database))
            }
        };
        Self::spawn_from(backend, dir, settings, pg, clock).await
    }

    async fn spawn_from(
        backend: Backend,
        dir: tempfile::TempDir,
        settings: Settings,
        pg: Option<(PgServer, PgDatabase)>,
        clock: Option<jamaa_core::service::Clock>,
    ) -> Result<Self> {
        let master_key = settings.master_key.clone().context("a test server has its master key")?;
        let mut app = Application::build(&settings).await.context("the server does not start")?;
        if let Some(clock) = clock {
            app = app.with_clock(clock);
        }
        let address = app.local_addr()?;
        let tokens = app.demo_tokens.as_ref().context("the demo was not loaded")?;
        let operator = tokens.operator.expose_secret().to_owned();
        let staff = tokens.staff.iter().map(|(slug, t)| (slug.clone(), t.expose_secret().to_owned())).collect();
        let agent = (tokens.agent.login.clone(), tokens.agent.password.expose_secret().to_owned());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Ok(Self {
            address,
            client: reqwest::Client::new(),
            operator,
            staff,
            agent,
            backend,
            pg,
            dir,
            master_key,
            stop: Some(stop),
            server: Some(server),
        })
    }

    /// A second server on this one's database, as behind a load balancer: same master key, the demo already
    /// loaded (its tokens are this server's). It keeps no database of its own: on SQLite its [`TestApp::dir`] is
    /// empty, and it leaves the PostgreSQL database to this server.
    pub async fn spawn_beside(&self) -> Result<Self> {
        let (url, admin, role) = match &self.pg {
            Some((_, database)) => {
                (database.app_url.clone(), Some(database.owner_url.clone()), Some(crate::pg::APP_ROLE.to_owned()))
            }
            None => (jamaa_graphql::settings::sqlite_url(self.dir.path()), None, None),
        };
        let mut settings = settings(url, admin, role);
        settings.demo = false;
        settings.master_key = Some(self.master_key.clone());
        let app = Application::build(&settings).await.context("the second server does not start")?;
        let address = app.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Ok(Self {
            address,
            client: reqwest::Client::new(),
            operator: self.operator.clone(),
            staff: self.staff.clone(),
            agent: self.agent.clone(),
            backend: self.backend,
            pg: None,
            dir: tempfile::tempdir()?,
            master_key: self.master_key.clone(),
            stop: Some(stop),
            server: Some(server),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// The staff token of a demo commune.
    pub fn staff(&self, slug: &str) -> &str {
        self.staff.get(slug).map(String::as_str).unwrap_or("")
    }

    /// Posts a GraphQL operation and returns the whole response (`data` and `errors`).
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Result<Value> {
        let mut request =
            self.client.post(self.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await?;
        let status = response.status();
        let body: Value = response.json().await.with_context(|| format!("HTTP {status}: not JSON"))?;
        Ok(body)
    }

    /// Like [`TestApp::graphql`], but fails on any error and returns `data`.
    pub async fn data(&self, token: Option<&str>, query: &str, variables: Value) -> Result<Value> {
        let body = self.graphql(token, query, variables).await?;
        if let Some(errors) = body.get("errors") {
            bail!("GraphQL errors: {errors}");
        }
        Ok(body["data"].clone())
    }

    /// Logs in and returns the session token.
    pub async fn login(&self, login: &str, password: &str) -> Result<String> {
        let query = "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }";
        let data = self.data(None, query, json!({ "l": login, "p": password })).await?;
        data["login"]["token"].as_str().map(str::to_owned).context("no session token")
    }

    /// A database handle of the same store (scheduler runs, direct checks).
    pub async fn jamaa(&self) -> Result<jamaa_core::service::Jamaa> {
        let url = match &self.pg {
            Some((_, database)) => database.app_url.clone(),
            None => jamaa_graphql::settings::sqlite_url(self.dir.path()),
        };
        let store = jamaa_core::store::Store::connect(&jamaa_core::store::StoreConfig {
            url: SecretString::from(url),
            max_connections: 4,
            acquire_timeout: jamaa_core::store::DEFAULT_ACQUIRE_TIMEOUT,
            sqlite_synchronous: jamaa_core::store::SqliteSynchronous::Normal,
        })
        .await?;
        let keyring = jamaa_core::crypto::Keyring::new(&self.master_key, &[])?;
        Ok(jamaa_core::service::Jamaa::new(store, keyring))
    }

    /// Every byte the database keeps, as text: the SQLite files, or a dump of the PostgreSQL database.
    pub fn database_bytes(&self) -> Result<String> {
        if let Some((server, database)) = &self.pg {
            let output = std::process::Command::new(server.bin_dir().join("pg_dump"))
                .args(["-h", &server.socket_dir().display().to_string(), "-p", &server.port().to_string()])
                .args(["-U", "postgres", "--no-owner", &database.name])
                .output()?;
            anyhow::ensure!(output.status.success(), "pg_dump: {}", String::from_utf8_lossy(&output.stderr));
            return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
        }
        let mut all = String::new();
        for entry in std::fs::read_dir(self.dir.path())? {
            let path = entry?.path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("jamaa.db")) {
                all.push_str(&String::from_utf8_lossy(&std::fs::read(&path)?));
            }
        }
        Ok(all)
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await??;
        }
        Ok(())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
        // The run's server outlives the test: its database goes now (a server of the test's own goes whole).
        if let Some((server, database)) = &self.pg
            && server.is_shared()
            && let Err(error) = server.drop_database(&database.name)
        {
            eprintln!("jamaa-tests: {error:#}");
        }
    }
}

/// The database every PostgreSQL test starts from: made by `jamaa_owner`'s migrations, with the grants to
/// `jamaa_app`, as the server does in production; marked a template and closed to connections.
const TEMPLATE: &str = "jamaa_migrated";

/// A fresh database for one test: a copy of the server's migrated template ([`TEMPLATE`]), which the first test
/// to need it makes while the others wait. The server's own migration then finds nothing to do, and loads the demo.
/// Whoever asked drops it when done, on the run's shared server (`PgServer::drop_database`; `TestApp` does).
pub async fn migrated_database(server: &PgServer) -> Result<PgDatabase> {
    make_migrated_template(server).await?;
    let name = format!("jamaa_{}", uuid::Uuid::now_v7().simple());
    server.clone_database(TEMPLATE, &name)
}

/// Makes [`TEMPLATE`] unless it is made.
async fn make_migrated_template(server: &PgServer) -> Result<()> {
    let ready = format!("SELECT count(*) FROM pg_database WHERE datname = '{TEMPLATE}' AND datistemplate");
    if server.psql("postgres", &ready)? != "1" {
        let lock = server.lock("template")?;
        if server.psql("postgres", &ready)? != "1" {
            // Left half made by a test that failed while making it: make it again.
            server.drop_database(TEMPLATE)?;
            let template = server.create_database(TEMPLATE)?;
            let settings = settings(template.app_url, Some(template.owner_url), Some(crate::pg::APP_ROLE.to_owned()));
            let store = jamaa_graphql::server::open_store(&settings).await.context("the template does not migrate")?;
            // Its connections close below, if they are still open.
            drop(store);
            close_as_template(server, TEMPLATE)?;
        }
        drop(lock);
    }
    Ok(())
}

/// The master key of the run's demo snapshots ([`sqlite_demo_snapshot`], [`demo_database`]): a key of test
/// databases only, which the servers started from them run with.
const SNAPSHOT_KEY: &str = "dGVzdCBkYXRhYmFzZXMgb25seTogZGVtbyBrZXkgMDE=";

/// The PostgreSQL template with the demo loaded, cloned for each test that starts from the demo.
const DEMO_TEMPLATE: &str = "jamaa_demo";

/// Settings that load the demo into a snapshot: the test servers' with the snapshots' key.
fn snapshot_settings(url: String, admin: Option<String>, app_role: Option<String>) -> Settings {
    let mut settings = settings(url, admin, app_role);
    settings.master_key = Some(SecretString::from(SNAPSHOT_KEY));
    settings
}

/// Loads the demo as a server's start-up does, and closes the server.
async fn load_demo(settings: &Settings) -> Result<()> {
    let app = Application::build(settings).await.context("the demo does not load into its snapshot")?;
    drop(app);
    Ok(())
}

/// The run's SQLite database with the demo loaded, made by the first test that needs it while the others wait
/// (the run is cargo-nextest's, or the test process). Loading the demo takes a server over a second; copying the
/// file, a few milliseconds. The snapshots of runs over a day old are removed when a run makes its own.
async fn sqlite_demo_snapshot() -> Result<std::path::PathBuf> {
    let run = std::env::var("NEXTEST_RUN_ID").unwrap_or_else(|_| format!("process-{}", std::process::id()));
    let dir = std::env::temp_dir().join(format!("jamaa-demo-{run}"));
    let snapshot = dir.join("jamaa.db");
    if snapshot.exists() {
        return Ok(snapshot);
    }
    std::fs::create_dir_all(&dir)?;
    let lock = std::fs::File::create(dir.join("lock"))?;
    lock.lock().context("the demo snapshot's lock")?;
    if snapshot.exists() {
        return Ok(snapshot);
    }
    remove_old_snapshots();
    let work = tempfile::tempdir_in(&dir)?;
    let url = jamaa_graphql::settings::sqlite_url(work.path());
    load_demo(&snapshot_settings(url.clone(), None, None)).await?;
    // One consistent file, without the write-ahead log; renamed into place whole.
    let partial = dir.join("jamaa.db.partial");
    let _ = std::fs::remove_file(&partial);
    let db = sea_orm::Database::connect(url).await?;
    sea_orm::ConnectionTrait::execute_unprepared(&db, &format!("VACUUM INTO '{}'", partial.display())).await?;
    db.close().await?;
    std::fs::rename(&partial, &snapshot)?;
    drop(lock);
    Ok(snapshot)
}

/// Removes the demo snapshots of runs over a day old.
fn remove_old_snapshots() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let old = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if entry.file_name().to_string_lossy().starts_with("jamaa-demo-")
            && old.is_some_and(|age| age > std::time::Duration::from_secs(24 * 3600))
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A fresh database for one test with the demo loaded: a copy of [`DEMO_TEMPLATE`], which the first test to need
/// it makes from the migrated template while the others wait.
pub async fn demo_database(server: &PgServer) -> Result<PgDatabase> {
    let ready = format!("SELECT count(*) FROM pg_database WHERE datname = '{DEMO_TEMPLATE}' AND datistemplate");
    if server.psql("postgres", &ready)? != "1" {
        let lock = server.lock("demo-template")?;
        if server.psql("postgres", &ready)? != "1" {
            server.drop_database(DEMO_TEMPLATE)?;
            make_migrated_template(server).await?;
            let template = server.clone_database(TEMPLATE, DEMO_TEMPLATE)?;
            load_demo(&snapshot_settings(
                template.app_url,
                Some(template.owner_url),
                Some(crate::pg::APP_ROLE.to_owned()),
            ))
            .await?;
            close_as_template(server, DEMO_TEMPLATE)?;
        }
        drop(lock);
    }
    let name = format!("jamaa_{}", uuid::Uuid::now_v7().simple());
    server.clone_database(DEMO_TEMPLATE, &name)
}

/// Closes the database `name` to connections and marks it a template.
fn close_as_template(server: &PgServer, name: &str) -> Result<()> {
    server.psql(
        "postgres",
        &format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS false;\n\
             SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{name}';\n\
             ALTER DATABASE {name} IS_TEMPLATE true;\n"
        ),
    )?;
    Ok(())
}

fn settings(url: String, admin: Option<String>, app_role: Option<String>) -> Settings {
    Settings {
        database_url: SecretString::from(url),
        admin_database_url: admin.map(SecretString::from),
        app_role,
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        max_connections: 8,
        // A test's database needs no durability across power losses; `store::tests::sqlite_is_durable_by_default_and_normal_when_asked`
        // checks the production default.
        sqlite_synchronous: jamaa_core::store::SqliteSynchronous::Normal,
        scheduler_interval: std::time::Duration::from_secs(3600),
        db_acquire_timeout: jamaa_core::store::DEFAULT_ACQUIRE_TIMEOUT,
        idempotency_ttl: std::time::Duration::from_secs(24 * 3600),
        demo: true,
        // Tests make many requests quickly from one address; the limits have their own test.
        rate_limit_per_minute: 0,
        trusted_proxies: Vec::new(),
        session_hours: 12,
        master_key: Some(jamaa_core::crypto::Keyring::generate_master_key()),
        data_dir: std::env::temp_dir(),
        previous_master_keys: Vec::new(),
        site: None,
        notifications: Default::default(),
        introspection: true,
        cors_origins: Vec::new(),
        metrics: true,
        slow_clients: Default::default(),
        // A test stops its server as soon as it is done: a webhook still in flight (some tests hang one on
        // purpose) need not hold it for the production deadline. The shutdown test sets its own.
        shutdown: std::time::Duration::from_secs(2),
        public_url: None,
        payment_providers: Default::default(),
    }
}

/// The `extensions.code` of each error of a GraphQL response.
pub fn error_codes(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| errors.iter().map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

/// The `(path, code)` of each field error of the first error of a GraphQL response (a `VALIDATION_FAILED`).
pub fn field_errors(body: &Value) -> Vec<(String, String)> {
    body["errors"][0]["extensions"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| (f["path"].as_str().unwrap_or("").to_owned(), f["code"].as_str().unwrap_or("").to_owned()))
        .collect()
}

/// The path of each field error of the first error of a GraphQL response.
pub fn field_paths(body: &Value) -> Vec<String> {
    field_errors(body).into_iter().map(|(path, _)| path).collect()
}

/// The entity's id in an `id` of the API, which ends with the locale of the object's text (`…@fr`).
pub fn entity_id(id: &str) -> &str {
    id.split_once('@').map_or(id, |(entity, _)| entity)
}
