//! Messages to applicants and proactive publications.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::TenantTx;
use super::entity::{publication, request_message};
use crate::error::Error;
use crate::model::ids::RequestId;

/// A message to the applicant of a request: the comment of an action that the workflow sends them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRecord {
    /// The action whose comment it is (`extend`, `refuse_not_held`).
    pub action: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) async fn insert_message(tx: &TenantTx, request_id: RequestId, message: &MessageRecord) -> Result<(), Error> {
    request_message::Entity::insert(request_message::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(uuid::Uuid::now_v7()),
        request_id: Set(request_id.as_uuid()),
        action: Set(message.action.clone()),
        body: Set(message.body.clone()),
        created_at: Set(message.created_at),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// The messages to a request's applicant, oldest first.
pub(crate) async fn messages(tx: &TenantTx, request_id: RequestId) -> Result<Vec<MessageRecord>, Error> {
    let rows = request_message::Entity::find()
        .filter(request_message::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request_message::Column::RequestId.eq(request_id.as_uuid()))
        .order_by_asc(request_message::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| MessageRecord { action: row.action, body: row.body, created_at: row.created_at })
        .collect())
}

/// An item of the proactive-publication list that the commune has published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicationRecord {
    pub item_key: String,
    pub location: String,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

pub(crate) async fn publications(tx: &TenantTx) -> Result<Vec<PublicationRecord>, Error> {
    let rows = publication::Entity::find()
        .filter(publication::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(publication::Column::ItemKey)
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| PublicationRecord {
            item_key: row.item_key,
            location: row.location,
            published_at: row.published_at,
            published_by: row.published_by,
        })
        .collect())
}

/// Records where an item is published (replacing an earlier location).
pub(crate) async fn put_publication(tx: &TenantTx, record: &PublicationRecord) -> Result<(), Error> {
    publication::Entity::insert(publication::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        item_key: Set(record.item_key.clone()),
        location: Set(record.location.clone()),
        published_at: Set(record.published_at),
        published_by: Set(record.published_by.clone()),
    })
    .on_conflict(
        OnConflict::columns([publication::Column::TenantId, publication::Column::ItemKey])
            .update_columns([
                publication::Column::Location,
                publication::Column::PublishedAt,
                publication::Column::PublishedBy,
            ])
            .to_owned(),
    )
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}
