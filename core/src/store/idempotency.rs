//! Idempotency keys (m0026): a creating call claims its key in its own transaction before it creates
//! anything, and records its answer (sealed under the commune's data key: it may hold a citizen's secret)
//! before it commits. The primary key (commune, caller, key) admits one claim: on PostgreSQL a concurrent claim
//! of the same key waits for the first transaction, then finds its committed answer (or, if it rolled back,
//! claims the key itself); SQLite serializes writers anyway.
//!
//! A key claimed apart from its use case (the API's layer of creating calls) is [`Pending`] while the use case
//! runs, in a task-local: every write transaction that use case commits marks the key `work_done` in the same
//! transaction ([`mark_done`], from [`TenantTx::commit`] and the platform's write transactions), so that a key
//! whose work committed is never claimed anew, even when the server stopped before recording its answer: a
//! retry is then IDEMPOTENCY_KEY_DONE. Keys of operators' calls that name no commune are kept per caller in
//! `platform_idempotency_keys` (m0030), their answers sealed under the master key.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};

use super::entity::{idempotency_key, platform_idempotency_key};
use super::{Store, TenantTx};
use crate::error::Error;
use crate::model::idempotency::Idempotency;
use crate::model::ids::TenantId;

/// Where a key is kept: in a commune, or in the platform (operators' calls that name no commune).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyScope {
    Commune(TenantId),
    Platform,
}

/// A key claimed apart from its use case, while the use case runs: whose, and until when it is kept once
/// the use case committed.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub(crate) scope: KeyScope,
    pub(crate) caller: String,
    pub(crate) key: String,
    pub(crate) expires_at: DateTime<Utc>,
}

tokio::task_local! {
    static PENDING: Pending;
}

/// Runs `work` (a use case) with its call's key pending: the write transactions it commits mark the key.
pub(crate) async fn pending<F: std::future::Future>(pending: Pending, work: F) -> F::Output {
    PENDING.scope(pending, work).await
}

fn current() -> Option<Pending> {
    PENDING.try_with(Clone::clone).ok()
}

/// What a write transaction opened under a pending key reads first, to tell at its commit whether it wrote:
/// `None` when no key is pending (nothing to mark). On SQLite the connection's count of changed rows; on
/// PostgreSQL nothing (the transaction's id says it).
pub(crate) async fn watch(conn: &impl ConnectionTrait) -> Result<Option<i64>, Error> {
    if current().is_none() {
        return Ok(None);
    }
    if conn.get_database_backend() == DbBackend::Postgres {
        return Ok(Some(0));
    }
    Ok(Some(changes(conn).await?))
}

async fn changes(conn: &impl ConnectionTrait) -> Result<i64, Error> {
    let row =
        conn.query_one_raw(Statement::from_string(DbBackend::Sqlite, "SELECT total_changes() AS changes")).await?;
    Ok(match row {
        Some(row) => row.try_get::<i64>("", "changes")?,
        None => 0,
    })
}

/// Marks the pending key's work done in the transaction about to commit, if that transaction wrote (`watched`
/// is what [`watch`] read when it opened) and belongs to the key's commune (`tenant`; any for a platform key).
pub(crate) async fn mark_done(
    conn: &impl ConnectionTrait,
    tenant: Option<uuid::Uuid>,
    watched: Option<i64>,
) -> Result<(), Error> {
    let (Some(pending), Some(before)) = (current(), watched) else { return Ok(()) };
    if let KeyScope::Commune(commune) = pending.scope
        && tenant != Some(commune.as_uuid())
    {
        return Ok(());
    }
    let wrote = match conn.get_database_backend() {
        DbBackend::Postgres => {
            let row = conn
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT txid_current_if_assigned() IS NOT NULL AS wrote",
                ))
                .await?;
            match row {
                Some(row) => row.try_get::<bool>("", "wrote")?,
                None => false,
            }
        }
        _ => changes(conn).await? > before,
    };
    if !wrote {
        return Ok(());
    }
    match pending.scope {
        KeyScope::Commune(commune) => {
            idempotency_key::Entity::update_many()
                .col_expr(idempotency_key::Column::WorkDone, Expr::value(true))
                .col_expr(idempotency_key::Column::ExpiresAt, Expr::value(pending.expires_at))
                .filter(idempotency_key::Column::TenantId.eq(commune.as_uuid()))
                .filter(idempotency_key::Column::Caller.eq(pending.caller.as_str()))
                .filter(idempotency_key::Column::Key.eq(pending.key.as_str()))
                .filter(idempotency_key::Column::WorkDone.eq(false))
                .exec(conn)
                .await?;
        }
        KeyScope::Platform => {
            platform_idempotency_key::Entity::update_many()
                .col_expr(platform_idempotency_key::Column::WorkDone, Expr::value(true))
                .col_expr(platform_idempotency_key::Column::ExpiresAt, Expr::value(pending.expires_at))
                .filter(platform_idempotency_key::Column::Caller.eq(pending.caller.as_str()))
                .filter(platform_idempotency_key::Column::Key.eq(pending.key.as_str()))
                .filter(platform_idempotency_key::Column::WorkDone.eq(false))
                .exec(conn)
                .await?;
        }
    }
    Ok(())
}

const STILL_ANSWERED: &str = "a call with this idempotency key is still being answered";

/// What a claim found.
#[derive(Debug)]
pub(crate) enum Claim {
    /// The key is this call's: create, then [`record`] the answer in the same transaction.
    New,
    /// The same request was answered before: its sealed answer and the data key that sealed it.
    Replay { answer: String, data_key_id: uuid::Uuid },
}

/// Claims `idempotency.key` for `caller` in the transaction's commune. The same key with another operation or
/// other arguments is IDEMPOTENCY_KEY_REUSED; an expired key is claimed anew.
pub(crate) async fn claim(
    tx: &TenantTx,
    caller: &str,
    idempotency: &Idempotency,
    now: DateTime<Utc>,
    ttl: chrono::Duration,
) -> Result<Claim, Error> {
    for _ in 0..2 {
        let inserted = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
            tenant_id: Set(tx.tenant_uuid()),
            caller: Set(caller.to_owned()),
            key: Set(idempotency.key.as_str().to_owned()),
            operation: Set(idempotency.operation.clone()),
            request_hash: Set(idempotency.request_hash.clone()),
            answer: Set(None),
            data_key_id: Set(None),
            work_done: Set(false),
            created_at: Set(now),
            expires_at: Set(now + ttl),
        })
        .on_conflict(
            OnConflict::columns([
                idempotency_key::Column::TenantId,
                idempotency_key::Column::Caller,
                idempotency_key::Column::Key,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(tx.conn())
        .await?;
        if inserted == 1 {
            return Ok(Claim::New);
        }
        let found = idempotency_key::Entity::find_by_id((
            tx.tenant_uuid(),
            caller.to_owned(),
            idempotency.key.as_str().to_owned(),
        ))
        .one(tx.conn())
        .await?;
        let Some(found) = found else { continue };
        if found.expires_at <= now {
            // Kept past its time (the purge runs at the scheduler's pace): the key is free again.
            idempotency_key::Entity::delete_by_id((tx.tenant_uuid(), found.caller, found.key)).exec(tx.conn()).await?;
            continue;
        }
        if found.operation != idempotency.operation || found.request_hash != idempotency.request_hash {
            return Err(Error::IdempotencyKeyReused);
        }
        return match (found.answer, found.data_key_id) {
            (Some(answer), Some(data_key_id)) => Ok(Claim::Replay { answer, data_key_id }),
            // Its use case committed, and its answer was never recorded (the server stopped in between).
            _ if found.work_done => Err(Error::IdempotencyKeyDone),
            // Claimed apart from its use case, which is still running (or stopped before it committed: the
            // key is free again when the claim expires).
            _ => Err(Error::Conflict(STILL_ANSWERED.into())),
        };
    }
    Err(Error::Conflict(STILL_ANSWERED.into()))
}

/// Records the sealed answer of the call that claimed the key, in its transaction; `expires_at` keeps the key
/// until then (a claim made apart from its use case is held briefly until its answer is recorded).
pub(crate) async fn record(
    tx: &TenantTx,
    caller: &str,
    idempotency: &Idempotency,
    answer: String,
    data_key_id: uuid::Uuid,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(), Error> {
    let mut update = idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::Answer, sea_orm::sea_query::Expr::value(answer))
        .col_expr(idempotency_key::Column::DataKeyId, sea_orm::sea_query::Expr::value(data_key_id));
    if let Some(expires_at) = expires_at {
        update = update.col_expr(idempotency_key::Column::ExpiresAt, sea_orm::sea_query::Expr::value(expires_at));
    }
    update
        .filter(idempotency_key::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(idempotency_key::Column::Caller.eq(caller))
        .filter(idempotency_key::Column::Key.eq(idempotency.key.as_str()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Gives back a key claimed without an answer (its call failed) unless its work was done: whether it was.
pub(crate) async fn release(tx: &TenantTx, caller: &str, idempotency: &Idempotency) -> Result<bool, Error> {
    let released = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(idempotency_key::Column::Caller.eq(caller))
        .filter(idempotency_key::Column::Key.eq(idempotency.key.as_str()))
        .filter(idempotency_key::Column::Answer.is_null())
        .filter(idempotency_key::Column::WorkDone.eq(false))
        .exec(tx.conn())
        .await?;
    Ok(released.rows_affected == 1)
}

/// What the claim of a platform key found.
#[derive(Debug)]
pub(crate) enum PlatformClaim {
    New,
    /// The answer sealed under master key `master_key_id`.
    Replay {
        answer: String,
        master_key_id: String,
    },
}

/// Claims `idempotency.key` for `caller` in the platform, in a transaction of its own; held until
/// `pending_until` unless its use case marks it done, as [`claim`] does in a commune.
pub(crate) async fn claim_platform(
    store: &Store,
    caller: &str,
    idempotency: &Idempotency,
    now: DateTime<Utc>,
    pending_until: DateTime<Utc>,
) -> Result<PlatformClaim, Error> {
    let tx = store.platform_tx().await?;
    let claimed = claim_platform_in(&tx, caller, idempotency, now, pending_until).await;
    match claimed {
        Ok(claimed) => {
            tx.commit().await?;
            Ok(claimed)
        }
        Err(error) => {
            tx.rollback().await?;
            Err(error)
        }
    }
}

async fn claim_platform_in(
    tx: &sea_orm::DatabaseTransaction,
    caller: &str,
    idempotency: &Idempotency,
    now: DateTime<Utc>,
    pending_until: DateTime<Utc>,
) -> Result<PlatformClaim, Error> {
    for _ in 0..2 {
        let inserted = platform_idempotency_key::Entity::insert(platform_idempotency_key::ActiveModel {
            caller: Set(caller.to_owned()),
            key: Set(idempotency.key.as_str().to_owned()),
            operation: Set(idempotency.operation.clone()),
            request_hash: Set(idempotency.request_hash.clone()),
            answer: Set(None),
            master_key_id: Set(None),
            work_done: Set(false),
            created_at: Set(now),
            expires_at: Set(pending_until),
        })
        .on_conflict(
            OnConflict::columns([platform_idempotency_key::Column::Caller, platform_idempotency_key::Column::Key])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(tx)
        .await?;
        if inserted == 1 {
            return Ok(PlatformClaim::New);
        }
        let found =
            platform_idempotency_key::Entity::find_by_id((caller.to_owned(), idempotency.key.as_str().to_owned()))
                .one(tx)
                .await?;
        let Some(found) = found else { continue };
        if found.expires_at <= now {
            platform_idempotency_key::Entity::delete_by_id((found.caller, found.key)).exec(tx).await?;
            continue;
        }
        if found.operation != idempotency.operation || found.request_hash != idempotency.request_hash {
            return Err(Error::IdempotencyKeyReused);
        }
        return match (found.answer, found.master_key_id) {
            (Some(answer), Some(master_key_id)) => Ok(PlatformClaim::Replay { answer, master_key_id }),
            _ if found.work_done => Err(Error::IdempotencyKeyDone),
            _ => Err(Error::Conflict(STILL_ANSWERED.into())),
        };
    }
    Err(Error::Conflict(STILL_ANSWERED.into()))
}

/// Records the sealed answer of a platform key's call, and keeps the key until `expires_at`.
pub(crate) async fn record_platform(
    store: &Store,
    caller: &str,
    idempotency: &Idempotency,
    (answer, master_key_id): (String, String),
    expires_at: DateTime<Utc>,
) -> Result<(), Error> {
    platform_idempotency_key::Entity::update_many()
        .col_expr(platform_idempotency_key::Column::Answer, Expr::value(answer))
        .col_expr(platform_idempotency_key::Column::MasterKeyId, Expr::value(master_key_id))
        .col_expr(platform_idempotency_key::Column::ExpiresAt, Expr::value(expires_at))
        .filter(platform_idempotency_key::Column::Caller.eq(caller))
        .filter(platform_idempotency_key::Column::Key.eq(idempotency.key.as_str()))
        .exec(store.conn())
        .await?;
    Ok(())
}

/// Frees a platform key whose call failed before its use case committed anything: whether it did.
pub(crate) async fn release_platform(store: &Store, caller: &str, idempotency: &Idempotency) -> Result<bool, Error> {
    let released = platform_idempotency_key::Entity::delete_many()
        .filter(platform_idempotency_key::Column::Caller.eq(caller))
        .filter(platform_idempotency_key::Column::Key.eq(idempotency.key.as_str()))
        .filter(platform_idempotency_key::Column::Answer.is_null())
        .filter(platform_idempotency_key::Column::WorkDone.eq(false))
        .exec(store.conn())
        .await?;
    Ok(released.rows_affected == 1)
}

/// Deletes the keys of every commune and of the platform that expired at `now`; returns how many. On
/// PostgreSQL the communes' through a function that deletes them without a tenant scope and reveals only the
/// count.
pub(crate) async fn purge(store: &Store, now: DateTime<Utc>) -> Result<u64, Error> {
    let conn = store.conn();
    let platform = platform_idempotency_key::Entity::delete_many()
        .filter(platform_idempotency_key::Column::ExpiresAt.lte(now))
        .exec(conn)
        .await?
        .rows_affected;
    Ok(platform + purge_communes(store, now).await?)
}

async fn purge_communes(store: &Store, now: DateTime<Utc>) -> Result<u64, Error> {
    let conn = store.conn();
    match store.backend() {
        DbBackend::Postgres => {
            let row = conn
                .query_one_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT jamaa_purge_idempotency_keys($1) AS purged",
                    [now.into()],
                ))
                .await?;
            let purged = match row {
                Some(row) => row.try_get::<i64>("", "purged")?,
                None => 0,
            };
            Ok(u64::try_from(purged).unwrap_or_default())
        }
        _ => {
            let result = idempotency_key::Entity::delete_many()
                .filter(idempotency_key::Column::ExpiresAt.lte(now))
                .exec(conn)
                .await?;
            Ok(result.rows_affected)
        }
    }
}
