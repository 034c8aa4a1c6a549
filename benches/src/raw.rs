//! The database's own transaction rate for the rows of a use case: a loop of plain SQL statements over the same
//! driver (sqlx), without Jamaa's code, on the same database, with as many tasks as wrk has connections.
//!
//! - `submitRequest`: the rows one submission writes, copied from a submission Jamaa made: the tracking counter
//!   raised, the request (new id and tracking code), every row of a table with a `request_id` (history, timers,
//!   look-ups, outbox events, deliveries) with the new request's id, and one audit event appended to the
//!   commune's chain (the head raised and rewritten).
//! - `trackRequest`: the reads of a tracking that asks for no personal field, message nor fee (as the benchmark's
//!   query): the commune by tracking prefix, then in a read-only transaction the request by code and its history.
//!
//! On PostgreSQL each transaction sets `jamaa.tenant_id` as Jamaa does and runs as the same unprivileged role
//! under row-level security; on SQLite writes go through one connection with `BEGIN IMMEDIATE`, in WAL with
//! `synchronous=NORMAL`, as Jamaa's.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait, Value,
};
use secrecy::ExposeSecret as _;

use crate::server::Server;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scenario {
    Track,
    Submit,
}

impl Scenario {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scenario::Track => "trackRequest",
            Scenario::Submit => "submitRequest",
        }
    }
}

/// What every transaction copies or reads: one request Jamaa submitted.
#[derive(Clone, Debug)]
struct Template {
    tenant: uuid::Uuid,
    request: uuid::Uuid,
    tracking_code: String,
    prefix: String,
    /// The tables holding rows of the request, with their columns.
    children: Vec<(String, Vec<String>)>,
    request_columns: Vec<String>,
    audit_columns: Vec<String>,
    /// The audit event of the template's submission.
    audit_event: uuid::Uuid,
    counter: String,
    /// An SQL expression of a fresh id, stored as Jamaa stores ids.
    fresh_id: String,
}

/// Transactions a second over `duration` with `tasks` tasks.
pub(crate) async fn rate(server: &Server, scenario: Scenario, tasks: usize, duration: Duration) -> Result<f64> {
    let url = server.database_url().expose_secret().to_owned();
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .max_connections(if sqlite { 1 } else { u32::try_from(tasks).unwrap_or(16) })
        // As Jamaa's writer: WAL, a sync at checkpoints rather than at every commit.
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
        });
    let db = Database::connect(options).await?;
    let template = Arc::new(template(&db).await?);
    let done = Arc::new(AtomicU64::new(0));
    let serial = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..tasks {
        let (db, template, done, serial) = (db.clone(), template.clone(), done.clone(), serial.clone());
        workers.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let n = serial.fetch_add(1, Ordering::Relaxed);
                match scenario {
                    Scenario::Submit => submit(&db, &template, n).await?,
                    Scenario::Track => track(&db, &template).await?,
                }
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for worker in workers {
        worker.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    db.close().await?;
    Ok(done.load(Ordering::Relaxed) as f64 / elapsed)
}

/// A placeholder: `$n` on PostgreSQL, `?` on SQLite (values bound in order).
fn p(backend: DbBackend, n: usize) -> String {
    if backend == DbBackend::Postgres { format!("${n}") } else { "?".to_owned() }
}

async fn columns(db: &DatabaseConnection, table: &str) -> Result<Vec<String>> {
    let backend = db.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 \
         ORDER BY ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info(?)"
    };
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, [table.into()])).await?;
    rows.iter().map(|row| row.try_get_by_index::<String>(0).map_err(Into::into)).collect()
}

async fn template(db: &DatabaseConnection) -> Result<Template> {
    let backend = db.get_database_backend();
    // The submissions are Oujda's; any one of them will do. On PostgreSQL the tenant must be known before the
    // tenant tables can be read: the commune's row is not under row-level security.
    let commune = db
        .query_one_raw(Statement::from_string(backend, "SELECT id, tracking_prefix FROM communes WHERE slug = 'oujda'"))
        .await?
        .context("no Oujda")?;
    let tenant: uuid::Uuid = commune.try_get_by_index(0)?;
    let prefix: String = commune.try_get_by_index(1)?;
    let tx = begin(db, tenant, false).await?;
    let request = tx
        .query_one_raw(Statement::from_string(backend, "SELECT id, tracking_code FROM requests ORDER BY id LIMIT 1"))
        .await?
        .context("no request to copy")?;
    let (request_id, tracking_code): (uuid::Uuid, String) =
        (request.try_get_by_index(0)?, request.try_get_by_index(1)?);
    let audit = tx
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT id FROM audit_events WHERE subject = {} ORDER BY sequence LIMIT 1", p(backend, 1)),
            [format!("request:{request_id}").into()],
        ))
        .await?
        .context("no audit event of the submission")?;
    let audit_event: uuid::Uuid = audit.try_get_by_index(0)?;
    let counter = tx
        .query_one_raw(Statement::from_string(backend, "SELECT name FROM counters ORDER BY value DESC LIMIT 1"))
        .await?
        .context("no counter")?
        .try_get_by_index::<String>(0)?;
    let fresh_id = if backend == DbBackend::Postgres {
        "gen_random_uuid()".to_owned()
    } else {
        let stored = tx
            .query_one_raw(Statement::from_string(backend, "SELECT typeof(id) FROM requests LIMIT 1"))
            .await?
            .context("no request")?
            .try_get_by_index::<String>(0)?;
        if stored == "blob" { "randomblob(16)".to_owned() } else { "lower(hex(randomblob(16)))".to_owned() }
    };
    tx.commit().await?;

    let tables_sql = if backend == DbBackend::Postgres {
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'request_id' \
         ORDER BY table_name"
    } else {
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'request_id' \
         ORDER BY m.name"
    };
    let mut children = Vec::new();
    for row in db.query_all_raw(Statement::from_string(backend, tables_sql)).await? {
        let table: String = row.try_get_by_index(0)?;
        let columns = columns(db, &table).await?;
        children.push((table, columns));
    }
    Ok(Template {
        tenant,
        request: request_id,
        tracking_code,
        prefix,
        children,
        request_columns: columns(db, "requests").await?,
        audit_columns: columns(db, "audit_events").await?,
        audit_event,
        counter,
        fresh_id,
    })
}

async fn begin(db: &DatabaseConnection, tenant: uuid::Uuid, write: bool) -> Result<sea_orm::DatabaseTransaction> {
    let options = TransactionOptions {
        sqlite_transaction_mode: write.then_some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    let tx = db.begin_with_options(options).await?;
    if tx.get_database_backend() == DbBackend::Postgres {
        tx.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT set_config('jamaa.tenant_id', $1, true)",
            [tenant.to_string().into()],
        ))
        .await?;
    }
    Ok(tx)
}

/// What a copied row gets instead of a column's value.
enum Replace {
    Value(Value),
    /// An SQL expression, evaluated for each row (a fresh id).
    Sql(String),
}

/// `INSERT INTO table (columns) SELECT <each column, or its replacement> FROM table WHERE tenant_id = tenant AND
/// key = value`: the rows of one request (or one event) copied with some columns replaced.
fn copy(
    backend: DbBackend,
    table: &str,
    columns: &[String],
    replace: &[(&str, Replace)],
    tenant: uuid::Uuid,
    key: (&str, uuid::Uuid),
) -> Statement {
    let mut values: Vec<Value> = Vec::new();
    let mut select = Vec::with_capacity(columns.len());
    // PostgreSQL numbers the placeholders, SQLite binds them in order of appearance: both are satisfied by
    // binding in the order of the text.
    for column in columns {
        match replace.iter().find(|(name, _)| name == column) {
            Some((_, Replace::Value(value))) => {
                values.push(value.clone());
                select.push(p(backend, values.len()));
            }
            Some((_, Replace::Sql(sql))) => select.push(sql.clone()),
            None => select.push(format!("\"{column}\"")),
        }
    }
    let sql = format!(
        "INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE tenant_id = {} AND {} = {}",
        columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
        select.join(", "),
        p(backend, values.len() + 1),
        key.0,
        p(backend, values.len() + 2),
    );
    values.push(tenant.into());
    values.push(key.1.into());
    Statement::from_sql_and_values(backend, sql, values)
}

async fn submit(db: &DatabaseConnection, t: &Template, n: u64) -> Result<()> {
    let backend = db.get_database_backend();
    let tx = begin(db, t.tenant, true).await?;
    tx.execute_raw(Statement::from_sql_and_values(
        backend,
        format!(
            "UPDATE counters SET value = value + 1 WHERE tenant_id = {} AND name = {}",
            p(backend, 1),
            p(backend, 2)
        ),
        [t.tenant.into(), t.counter.clone().into()],
    ))
    .await?;
    let id = uuid::Uuid::now_v7();
    let code = format!("{}-RAW-{n:09}-{}", t.prefix, id.simple());
    let replace = [("id", Replace::Value(id.into())), ("tracking_code", Replace::Value(code.clone().into()))];
    tx.execute_raw(copy(backend, "requests", &t.request_columns, &replace, t.tenant, ("id", t.request))).await?;
    for (table, columns) in &t.children {
        // Tables with several rows per request (look-ups) get a fresh id for each; a row naming the request by
        // its tracking code (its payment demand) gets the new one, which is unique.
        let replace = [
            ("request_id", Replace::Value(id.into())),
            ("id", Replace::Sql(t.fresh_id.clone())),
            ("tracking_code", Replace::Value(code.clone().into())),
        ];
        tx.execute_raw(copy(backend, table, columns, &replace, t.tenant, ("request_id", t.request)))
            .await
            .with_context(|| format!("copying {table}"))?;
    }
    append_audit(&tx, t, &format!("request:{id}")).await?;
    tx.commit().await?;
    Ok(())
}

async fn append_audit(tx: &sea_orm::DatabaseTransaction, t: &Template, subject: &str) -> Result<()> {
    let backend = tx.get_database_backend();
    let head = tx
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "UPDATE audit_heads SET sequence = sequence + 1 WHERE tenant_id = {} RETURNING sequence, hash",
                p(backend, 1)
            ),
            [t.tenant.into()],
        ))
        .await?
        .ok_or_else(|| anyhow!("no audit head"))?;
    let sequence: i64 = head.try_get_by_index(0)?;
    let hash = format!("{:064x}", u128::from(sequence as u64));
    let replace = [
        ("id", Replace::Value(uuid::Uuid::now_v7().into())),
        ("sequence", Replace::Value(sequence.into())),
        ("subject", Replace::Value(subject.to_owned().into())),
        ("hash", Replace::Value(hash.clone().into())),
    ];
    tx.execute_raw(copy(backend, "audit_events", &t.audit_columns, &replace, t.tenant, ("id", t.audit_event))).await?;
    tx.execute_raw(Statement::from_sql_and_values(
        backend,
        format!("UPDATE audit_heads SET hash = {} WHERE tenant_id = {}", p(backend, 1), p(backend, 2)),
        [hash.into(), t.tenant.into()],
    ))
    .await?;
    Ok(())
}

async fn track(db: &DatabaseConnection, t: &Template) -> Result<()> {
    let backend = db.get_database_backend();
    let commune = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT * FROM communes WHERE tracking_prefix = {}", p(backend, 1)),
            [t.prefix.clone().into()],
        ))
        .await?;
    if commune.is_none() {
        bail!("no commune");
    }
    let tx = begin(db, t.tenant, false).await?;
    let request = tx
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT * FROM requests WHERE tenant_id = {} AND tracking_code = {}", p(backend, 1), p(backend, 2)),
            [t.tenant.into(), t.tracking_code.clone().into()],
        ))
        .await?;
    if request.is_none() {
        bail!("no request");
    }
    tx.query_all_raw(Statement::from_sql_and_values(
        backend,
        format!(
            "SELECT * FROM request_transitions WHERE tenant_id = {} AND request_id = {}",
            p(backend, 1),
            p(backend, 2)
        ),
        [t.tenant.into(), t.request.into()],
    ))
    .await?;
    tx.commit().await?;
    Ok(())
}
