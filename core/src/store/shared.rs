//! Content shared by every commune that holds the same: service and workflow definitions, calendars and
//! configurations, role sets, each stored once in `definitions` under the SHA-256 of its JSON text.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::entity::definition;
use crate::error::Error;

/// The address of a definition: the hex SHA-256 of its JSON text (serde_json writes an object's keys in order,
/// so the same definition always has the same text).
pub(crate) fn address(body: &serde_json::Value) -> Result<String, DbErr> {
    let text = serde_json::to_vec(body).map_err(|e| DbErr::Json(e.to_string()))?;
    Ok(hex::encode(Sha256::digest(&text)))
}

/// Stores each body in `definitions` under its address (services, workflows, calendars, configurations), unless
/// it is there already; the addresses, in order. A stored body is never changed: other content gets another
/// address.
pub(crate) async fn put_shared(
    conn: &impl ConnectionTrait,
    bodies: Vec<serde_json::Value>,
) -> Result<Vec<String>, DbErr> {
    let mut rows = Vec::with_capacity(bodies.len());
    let mut addresses = Vec::with_capacity(bodies.len());
    for body in bodies {
        let hash = address(&body)?;
        addresses.push(hash.clone());
        rows.push(definition::ActiveModel { hash: Set(hash), body: Set(body) });
    }
    let inserted = definition::Entity::insert_many(rows)
        .on_conflict(OnConflict::column(definition::Column::Hash).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await;
    match inserted {
        Ok(_) | Err(DbErr::RecordNotInserted) => Ok(addresses),
        Err(error) => Err(error),
    }
}

/// The stored bodies of these addresses, in one query (an address with no body is absent from the answer).
pub(crate) async fn shared_bodies(
    conn: &impl ConnectionTrait,
    hashes: impl IntoIterator<Item = String>,
) -> Result<std::collections::HashMap<String, serde_json::Value>, Error> {
    Ok(definition::Entity::find()
        .filter(definition::Column::Hash.is_in(hashes))
        .all(conn)
        .await?
        .into_iter()
        .map(|stored| (stored.hash, stored.body))
        .collect())
}
