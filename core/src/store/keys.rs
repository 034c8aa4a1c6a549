//! Each commune's data keys: made on first need, unwrapped with the keyring, re-wrapped on rotation.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::TenantTx;
use super::entity::data_key;
use crate::crypto::{Key, Keyring};
use crate::error::Error;

/// The commune's current data key (the newest), made now if it has none.
pub(crate) async fn current(tx: &TenantTx, keyring: &Keyring, now: DateTime<Utc>) -> Result<(uuid::Uuid, Key), Error> {
    if let Some(row) = newest(tx).await? {
        return Ok((row.id, keyring.unwrap_data_key(tx.tenant_uuid(), &row.wrapped, &row.master_key_id)?));
    }
    let (key, wrapped, master_key_id) = keyring.new_data_key(tx.tenant_uuid())?;
    let id = uuid::Uuid::now_v7();
    data_key::Entity::insert(data_key::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(id),
        wrapped: Set(wrapped),
        master_key_id: Set(master_key_id),
        created_at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok((id, key))
}

/// The commune's current data key, if it has one.
pub(crate) async fn existing(tx: &TenantTx, keyring: &Keyring) -> Result<Option<Key>, Error> {
    newest(tx).await?.map(|row| keyring.unwrap_data_key(tx.tenant_uuid(), &row.wrapped, &row.master_key_id)).transpose()
}

async fn newest(tx: &TenantTx) -> Result<Option<data_key::Model>, Error> {
    data_key::Entity::find()
        .filter(data_key::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_desc(data_key::Column::Id)
        .one(tx.conn())
        .await
        .map_err(Into::into)
}

/// A data key of the commune by id.
pub(crate) async fn by_id(tx: &TenantTx, keyring: &Keyring, id: uuid::Uuid) -> Result<Key, Error> {
    let row = data_key::Entity::find_by_id((tx.tenant_uuid(), id))
        .one(tx.conn())
        .await?
        .ok_or_else(|| Error::internal(format!("data key {id} is missing")))?;
    keyring.unwrap_data_key(tx.tenant_uuid(), &row.wrapped, &row.master_key_id)
}

/// Re-wraps under the current master key every data key of the commune wrapped under another one; returns
/// how many.
pub(crate) async fn rewrap(tx: &TenantTx, keyring: &Keyring) -> Result<u64, Error> {
    let rows = data_key::Entity::find()
        .filter(data_key::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(data_key::Column::MasterKeyId.ne(keyring.current_id()))
        .all(tx.conn())
        .await?;
    let mut count = 0;
    for row in rows {
        let (wrapped, master_key_id) = keyring.rewrap(tx.tenant_uuid(), &row.wrapped, &row.master_key_id)?;
        data_key::Entity::update_many()
            .col_expr(data_key::Column::Wrapped, Expr::value(wrapped))
            .col_expr(data_key::Column::MasterKeyId, Expr::value(master_key_id))
            .filter(data_key::Column::TenantId.eq(tx.tenant_uuid()))
            .filter(data_key::Column::Id.eq(row.id))
            .exec(tx.conn())
            .await?;
        count += 1;
    }
    Ok(count)
}
