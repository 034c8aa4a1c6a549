//! Idempotency keys (m0026): a creating call claims its key in its own transaction before it creates
//! anything, and records its answer (sealed under the commune's data key: it may hold a citizen's secret)
//! before it commits. The primary key (commune, caller, key) admits one claim: on PostgreSQL a concurrent claim
//! of the same key waits for the first transaction, then finds its committed answer (or, if it rolled back,
//! claims the key itself); SQLite serializes writers anyway.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};

use super::entity::idempotency_key;
use super::{Store, TenantTx};
use crate::error::Error;
use crate::model::idempotency::Idempotency;

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
            // A committed claim always holds its answer; this one is being answered by a transaction that
            // committed without recording it, which no use case does.
            _ => Err(Error::Conflict("a call with this idempotency key is still being answered".into())),
        };
    }
    Err(Error::Conflict("a call with this idempotency key is still being answered".into()))
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

/// Gives back a key claimed without an answer (its call failed): the key is free again.
pub(crate) async fn release(tx: &TenantTx, caller: &str, idempotency: &Idempotency) -> Result<(), Error> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(idempotency_key::Column::Caller.eq(caller))
        .filter(idempotency_key::Column::Key.eq(idempotency.key.as_str()))
        .filter(idempotency_key::Column::Answer.is_null())
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Deletes the keys of every commune that expired at `now`; returns how many. On PostgreSQL through a
/// function that deletes them without a tenant scope and reveals only the count.
pub(crate) async fn purge(store: &Store, now: DateTime<Utc>) -> Result<u64, Error> {
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
