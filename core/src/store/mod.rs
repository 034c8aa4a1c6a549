//! Persistence on SQLite and PostgreSQL (sea-orm): migrations, entities and tenant-scoped repositories.
//!
//! The one way to a commune's rows is a [`TenantTx`], a transaction opened for a [`TenantScope`]: every
//! repository function takes one and filters by its tenant, and on PostgreSQL the transaction also sets
//! `jamaa.tenant_id` so that row-level security holds even if a query forgot its filter.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    QuerySelect, Select, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use secrecy::{ExposeSecret, SecretString};

use crate::error::Error;
use crate::model::ids::TenantId;

pub(crate) mod audit;
pub(crate) mod cache;
pub(crate) mod catalog;
pub(crate) mod citizen;
pub(crate) mod communes;
pub(crate) mod complaints;
pub(crate) mod config;
pub(crate) mod documents;
mod entity;
pub mod fanout;
pub(crate) mod files;
pub(crate) mod idempotency;
pub(crate) mod indicators;
pub(crate) mod keys;
mod migration;
pub(crate) mod notifications;
pub(crate) mod opinions;
pub(crate) mod portable;
pub(crate) mod requests;
pub(crate) mod shared;
pub(crate) mod templates;
pub(crate) mod timers;
pub(crate) mod tokens;
pub(crate) mod training;
pub(crate) mod users;

/// Permission to touch one commune's rows, handed out by the use cases after they checked the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TenantScope {
    tenant_id: TenantId,
}

impl TenantScope {
    /// Only core's use cases create scopes, after authorization.
    pub(crate) fn new(tenant_id: TenantId) -> Self {
        Self { tenant_id }
    }

    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }
}

/// A transaction bound to one commune.
pub struct TenantTx {
    tx: DatabaseTransaction,
    scope: TenantScope,
    /// Changes to announce once committed.
    notices: std::sync::Mutex<Vec<notifications::Notice>>,
    announcer: tokio::sync::broadcast::Sender<notifications::Notice>,
    /// Set when the transaction changed the commune's current services: its commit raises the generation.
    catalog_changed: std::sync::atomic::AtomicBool,
    /// Set when the transaction changed the commune's website origins: its commit tells the other servers.
    site_origins_changed: std::sync::atomic::AtomicBool,
    cache: std::sync::Arc<cache::CatalogCache>,
    /// The server's id, in the signals its commits send to the others ([`fanout`]).
    server: uuid::Uuid,
    /// Opened by a use case whose call's idempotency key is pending: what [`idempotency::watch`] read, so
    /// that its commit marks the key's work done when it wrote.
    watched: Option<i64>,
    /// A write transaction: its commit may have changed a commune's row, which the communes this server holds
    /// then no longer show ([`cache::CommuneStates`]).
    writes: bool,
}

impl TenantTx {
    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }

    pub(crate) fn tenant_uuid(&self) -> uuid::Uuid {
        self.scope.tenant_id.as_uuid()
    }

    pub(crate) fn backend(&self) -> DbBackend {
        self.tx.get_database_backend()
    }

    /// Claims the rows `query` finds: on PostgreSQL they stay locked until the transaction ends, and those another
    /// transaction holds are skipped (`FOR UPDATE SKIP LOCKED`), so that two schedulers never take the same row.
    pub(crate) fn claim<E: EntityTrait>(&self, query: Select<E>) -> Select<E> {
        if self.backend() == DbBackend::Postgres {
            query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        } else {
            query
        }
    }

    /// Queues a notice for the subscribers, sent when (and only if) the transaction commits.
    pub(crate) fn announce(&self, notice: notifications::Notice) {
        if let Ok(mut notices) = self.notices.lock() {
            notices.push(notice);
        }
    }

    /// The published services this server holds in memory.
    pub(crate) fn cache(&self) -> &cache::CatalogCache {
        &self.cache
    }

    /// Records that the commune's current services changed: the commit raises its catalog generation, so that
    /// every server reads them again.
    pub(crate) fn catalog_changed(&self) {
        self.catalog_changed.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Records that the commune's website origins changed: the commit tells the other servers.
    pub(crate) fn site_origins_changed(&self) {
        self.site_origins_changed.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether this transaction changed the commune's current services (then what it reads of them is not
    /// committed yet, and is not kept in memory).
    pub(crate) fn has_changed_catalog(&self) -> bool {
        self.catalog_changed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Ends the transaction writing nothing (what it took, as a counter's number, is given back).
    pub async fn rollback(self) -> Result<(), Error> {
        self.tx.rollback().await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<(), Error> {
        idempotency::mark_done(&self.tx, Some(self.tenant_uuid()), self.watched).await?;
        if self.has_changed_catalog() {
            communes::raise_catalog_generation(&self.tx, self.scope.tenant_id).await?;
        }
        let notices = self.notices.into_inner().unwrap_or_default();
        if self.tx.get_database_backend() == DbBackend::Postgres {
            // Told to the other servers in the same transaction: PostgreSQL delivers them on commit only.
            let mut signals: Vec<fanout::Signal> =
                notices.iter().map(|notice| fanout::Signal::of_notice(self.server, notice)).collect();
            if self.site_origins_changed.load(std::sync::atomic::Ordering::Relaxed) {
                signals.push(fanout::Signal {
                    server: self.server,
                    commune: self.scope.tenant_id.as_uuid(),
                    change: fanout::Change::SiteOrigins,
                });
            }
            for signal in signals {
                self.tx
                    .execute_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "SELECT pg_notify($1, $2)",
                        [fanout::CHANNEL.into(), signal.payload().into()],
                    ))
                    .await?;
            }
        }
        self.tx.commit().await?;
        if self.writes {
            self.cache.communes.changed();
        }
        for notice in notices {
            // No subscriber is not an error.
            let _ = self.announcer.send(notice);
        }
        Ok(())
    }
}

/// A write transaction on the platform's tables.
pub(crate) struct PlatformTx {
    tx: DatabaseTransaction,
    watched: Option<i64>,
    cache: std::sync::Arc<cache::CatalogCache>,
}

impl std::ops::Deref for PlatformTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

impl PlatformTx {
    pub(crate) async fn commit(self) -> Result<(), Error> {
        idempotency::mark_done(&self.tx, None, self.watched).await?;
        self.tx.commit().await?;
        self.cache.communes.changed();
        Ok(())
    }

    pub(crate) async fn rollback(self) -> Result<(), Error> {
        self.tx.rollback().await?;
        Ok(())
    }
}

/// The database, SQLite or PostgreSQL, chosen by the URL.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    /// Where reads go: on SQLite a pool of read-only connections beside the one writer (WAL lets them read
    /// while it writes); on PostgreSQL the same pool as `db`.
    reader: DatabaseConnection,
    cache: std::sync::Arc<cache::CatalogCache>,
    /// Committed changes of requests, for this process's subscribers (those it committed, and on PostgreSQL
    /// those the other servers committed: [`fanout`]).
    announcer: tokio::sync::broadcast::Sender<notifications::Notice>,
    /// This server's id among the servers sharing the database.
    server: uuid::Uuid,
    /// Where the listener of the other servers' changes connects (PostgreSQL), or the watch of what other
    /// processes commit to the file (SQLite); none for an in-memory SQLite database.
    listen_url: Option<SecretString>,
}

/// The state of the connection pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Connections open.
    pub size: u32,
    /// Of them, idle.
    pub idle: usize,
}

/// How to reach the database.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// `sqlite://path/to/jamaa.db` or `postgres://user@host/db`.
    pub url: SecretString,
    pub max_connections: u32,
    /// The longest a use case waits for the database before it answers UNAVAILABLE ([`DEFAULT_ACQUIRE_TIMEOUT`]):
    /// on PostgreSQL for a connection of the pool; on SQLite for the file's lock while another process holds it
    /// (the busy timeout). SQLite's one writing connection of this process is a queue, not an outage: a use case
    /// waits up to 30 s for it.
    pub acquire_timeout: Duration,
    /// When SQLite holds a commit for durable (PostgreSQL's `synchronous_commit` is the operator's, in its own
    /// configuration).
    pub sqlite_synchronous: SqliteSynchronous,
}

/// How long a use case waits for a PostgreSQL connection, unless configured (`JAMAA_DB_ACQUIRE_TIMEOUT_SECONDS`).
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// SQLite's `synchronous` setting for the writer, in WAL mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    /// The WAL is flushed to disk at every commit: an acknowledged commit survives a power loss (the default:
    /// civil registers and receipts must not vanish).
    #[default]
    Full,
    /// The WAL is flushed at checkpoints only: faster commits, but a power loss (not a crash of the process) may
    /// undo the last acknowledged ones.
    Normal,
}

impl Store {
    /// Connects. SQLite files are created when missing, in WAL mode, with foreign keys on; SQLite gets a
    /// single writing connection, since it writes one transaction at a time anyway and this rules out busy
    /// errors, and beside it a pool of read-only connections (`max_connections` of them), so that reads never
    /// wait for a write.
    pub async fn connect(config: &StoreConfig) -> Result<Self, Error> {
        let url = config.url.expose_secret();
        let sqlite = url.starts_with("sqlite:");
        let synchronous = match config.sqlite_synchronous {
            SqliteSynchronous::Full => sea_orm::sqlx::sqlite::SqliteSynchronous::Full,
            SqliteSynchronous::Normal => sea_orm::sqlx::sqlite::SqliteSynchronous::Normal,
        };
        let acquire = if sqlite { Duration::from_secs(30) } else { config.acquire_timeout };
        let busy = config.acquire_timeout;
        let options = |read_only: bool| {
            let mut options = ConnectOptions::new(url.to_owned());
            options
                .sqlx_logging(false)
                .connect_timeout(acquire.min(Duration::from_secs(10)))
                .acquire_timeout(acquire)
                .map_sqlx_sqlite_opts(move |opts| {
                    let opts = opts.foreign_keys(true).busy_timeout(busy);
                    if read_only {
                        // The writer made the file and set WAL, which is a property of the file.
                        opts.read_only(true)
                    } else {
                        opts.create_if_missing(true)
                            .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                            .synchronous(synchronous)
                    }
                });
            options
        };
        let mut writer = options(false);
        if sqlite {
            writer.max_connections(1).min_connections(1);
        } else {
            writer.max_connections(config.max_connections.max(1));
        }
        let db = Database::connect(writer).await?;
        let reader = if sqlite && !in_memory(url) {
            let mut reader = options(true);
            reader.max_connections(config.max_connections.max(1)).min_connections(1);
            Database::connect(reader).await?
        } else {
            db.clone()
        };
        let (announcer, _) = tokio::sync::broadcast::channel(NOTICE_BUFFER);
        // On PostgreSQL the listener's connection, on SQLite the watch of the file ([`fanout`]).
        let listen_url = (!in_memory(url)).then(|| config.url.clone());
        Ok(Self { db, reader, cache: std::sync::Arc::default(), announcer, server: uuid::Uuid::now_v7(), listen_url })
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// The communes that have work due at `now`, read before any tenant is set. On PostgreSQL through `function`
    /// (a name of ours, never a caller's text), which reveals the commune ids and nothing else; elsewhere the
    /// distinct `tenant` column of the rows `due` finds.
    pub(crate) async fn tenants_with_due<E: EntityTrait>(
        &self,
        function: &'static str,
        now: DateTime<Utc>,
        due: Select<E>,
        tenant: E::Column,
    ) -> Result<Vec<TenantId>, Error> {
        let ids: Vec<uuid::Uuid> = match self.backend() {
            DbBackend::Postgres => {
                let rows = self
                    .conn()
                    .query_all_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        format!("SELECT {function} AS tenant_id FROM {function}($1)"),
                        [now.into()],
                    ))
                    .await?;
                rows.iter().map(|row| row.try_get::<uuid::Uuid>("", "tenant_id")).collect::<Result<_, _>>()?
            }
            _ => due.select_only().column(tenant).distinct().into_tuple::<uuid::Uuid>().all(self.conn()).await?,
        };
        Ok(ids.into_iter().map(TenantId::from_uuid).collect())
    }

    /// Applies pending migrations; on PostgreSQL, also grants `app_role` what it needs.
    pub async fn migrate(&self, app_role: Option<&str>) -> Result<(), Error> {
        migration::Migrator::up(&self.db, None).await?;
        if let Some(role) = app_role {
            migration::grant_app_role(&self.db, role).await?;
        }
        Ok(())
    }

    /// The schema version this build migrates to: the name of its last migration.
    pub fn schema_version() -> String {
        migration::schema_version()
    }

    /// The connection pool's open and idle connections (for `/metrics`).
    pub fn pool_stats(&self) -> PoolStats {
        match self.db.get_database_backend() {
            DbBackend::Sqlite => {
                let pool = self.db.get_sqlite_connection_pool();
                PoolStats { size: pool.size(), idle: pool.num_idle() }
            }
            DbBackend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                PoolStats { size: pool.size(), idle: pool.num_idle() }
            }
            _ => PoolStats::default(),
        }
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), Error> {
        self.db.ping().await.map_err(Into::into)
    }

    /// Opens a transaction for one commune.
    pub(crate) async fn tenant_tx(&self, scope: TenantScope) -> Result<TenantTx, Error> {
        // On SQLite the transaction takes the write lock at once: a transaction that reads and then writes
        // would otherwise fail when another connection wrote in between.
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let tx = self.db.begin_with_options(options).await?;
        if tx.get_database_backend() == DbBackend::Postgres {
            tx.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config('jamaa.tenant_id', $1, true)",
                [scope.tenant_id.to_string().into()],
            ))
            .await?;
        }
        let watched = idempotency::watch(&tx).await?;
        let mut tx = self.wrap(tx, scope);
        tx.watched = watched;
        tx.writes = true;
        Ok(tx)
    }

    /// Opens a write transaction on the platform's tables (a commune's rows go through [`Store::tenant_tx`]);
    /// [`PlatformTx::commit`] marks the pending idempotency key of an operator's call, as a commune's does.
    pub(crate) async fn platform_tx(&self) -> Result<PlatformTx, Error> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let tx = self.db.begin_with_options(options).await?;
        let watched = idempotency::watch(&tx).await?;
        Ok(PlatformTx { tx, watched, cache: self.cache.clone() })
    }

    /// Opens a read-only transaction for one commune: on SQLite on a reading connection (it never waits for
    /// the writer), on PostgreSQL `READ ONLY`, with the tenant setting sent in the same round trip.
    pub(crate) async fn tenant_read_tx(&self, scope: TenantScope) -> Result<TenantTx, Error> {
        let tx = self.reader.begin().await?;
        if tx.get_database_backend() == DbBackend::Postgres {
            // A UUID is only hex digits and dashes: nothing to escape.
            tx.execute_unprepared(&format!(
                "SET TRANSACTION READ ONLY; SELECT set_config('jamaa.tenant_id', '{}', true)",
                scope.tenant_id.as_uuid().hyphenated()
            ))
            .await?;
        }
        Ok(self.wrap(tx, scope))
    }

    fn wrap(&self, tx: DatabaseTransaction, scope: TenantScope) -> TenantTx {
        TenantTx {
            tx,
            scope,
            notices: std::sync::Mutex::default(),
            announcer: self.announcer.clone(),
            catalog_changed: std::sync::atomic::AtomicBool::new(false),
            site_origins_changed: std::sync::atomic::AtomicBool::new(false),
            cache: self.cache.clone(),
            server: self.server,
            watched: None,
            writes: false,
        }
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The connection for platform reads outside a transaction (communes, templates): on SQLite the reading
    /// pool.
    pub(crate) fn reader(&self) -> &DatabaseConnection {
        &self.reader
    }

    pub(crate) fn cache(&self) -> &cache::CatalogCache {
        &self.cache
    }

    /// The committed changes of requests from now on (a subscriber that falls behind by more than
    /// [`NOTICE_BUFFER`] misses some and is told so).
    pub fn notices(&self) -> tokio::sync::broadcast::Receiver<notifications::Notice> {
        self.announcer.subscribe()
    }
}

/// Whether a SQLite URL names an in-memory database (which a second pool would not see).
fn in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// How many notices a slow subscriber may fall behind.
pub const NOTICE_BUFFER: usize = 1024;

/// Storage failures are internal: the caller learns nothing of the inside. A failure a use case tells apart
/// (a unique key a concurrent insert took: [`is_unique_violation`]) is looked at before it turns into this. A
/// database that cannot be reached ([`is_unavailable`]) is UNAVAILABLE: the caller may send the call again.
impl From<DbErr> for Error {
    fn from(error: DbErr) -> Self {
        if is_unavailable(&error) { Error::Unavailable(Box::new(error)) } else { Error::internal(error) }
    }
}

/// Whether a storage error means that the database cannot serve the call now, rather than that a statement
/// failed: no connection free within the pool's acquire timeout, a connection lost or refused, PostgreSQL
/// shutting down or starting (SQLSTATE class 08, 57P01–57P03), PostgreSQL ending the transaction to break a
/// deadlock or a serialization conflict with another (40P01, 40001: nothing of it was written), or the SQLite file
/// locked by another process beyond the busy timeout (SQLITE_BUSY and its extended codes).
pub(crate) fn is_unavailable(error: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx};
    let runtime = match error {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let RuntimeErr::SqlxError(error) = runtime else { return false };
    match error.as_ref() {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(database) if database.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() => {
            // An extended result code: its low byte is the primary code, 5 for SQLITE_BUSY.
            database.code().and_then(|code| code.parse::<i32>().ok()).is_some_and(|code| code & 0xff == 5)
        }
        sqlx::Error::Database(database) => database.code().is_some_and(|code| {
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "40P01" | "40001")
        }),
        _ => false,
    }
}

/// A storage failure as a core error: `?` does it (kept for code written before `From<DbErr>`).
#[allow(dead_code)]
pub(crate) fn db_error(error: DbErr) -> Error {
    error.into()
}

/// Whether a storage error is a unique-key violation (a concurrent insert won).
pub(crate) fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer's `PRAGMA synchronous`: 2 is FULL, 1 NORMAL.
    async fn synchronous(config: StoreConfig) -> i32 {
        let store = Store::connect(&config).await.unwrap();
        let row = store
            .db
            .query_one_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA synchronous"))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i32>(0).unwrap()
    }

    #[tokio::test]
    async fn sqlite_is_durable_by_default_and_normal_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let url = |name: &str| SecretString::from(format!("sqlite://{}?mode=rwc", dir.path().join(name).display()));
        let default = StoreConfig {
            url: url("a.db"),
            max_connections: 1,
            acquire_timeout: DEFAULT_ACQUIRE_TIMEOUT,
            sqlite_synchronous: Default::default(),
        };
        assert_eq!(synchronous(default).await, 2);
        let normal = StoreConfig {
            url: url("b.db"),
            max_connections: 1,
            acquire_timeout: DEFAULT_ACQUIRE_TIMEOUT,
            sqlite_synchronous: SqliteSynchronous::Normal,
        };
        assert_eq!(synchronous(normal).await, 1);
    }
}
