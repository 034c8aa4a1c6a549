//! Messages to applicants, petition signatures and proactive publications.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::TenantTx;
use super::entity::{petition_signature, publication, request, request_message, service};
use super::requests::{RequestRecord, from_model};
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

/// A signature to record.
pub(crate) struct NewSignature {
    pub id: uuid::Uuid,
    pub request_id: RequestId,
    pub digest: String,
    pub sealed: String,
    pub data_key_id: uuid::Uuid,
    pub signed_at: DateTime<Utc>,
}

/// Records a signature; false when this person (by digest) has already signed this petition.
pub(crate) async fn insert_signature(tx: &TenantTx, signature: NewSignature) -> Result<bool, Error> {
    let inserted = petition_signature::Entity::insert(petition_signature::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(signature.id),
        request_id: Set(signature.request_id.as_uuid()),
        digest: Set(signature.digest),
        sealed: Set(signature.sealed),
        data_key_id: Set(signature.data_key_id),
        signed_at: Set(signature.signed_at),
    })
    .on_conflict(
        OnConflict::columns([
            petition_signature::Column::TenantId,
            petition_signature::Column::RequestId,
            petition_signature::Column::Digest,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(tx.conn())
    .await?;
    Ok(inserted == 1)
}

/// How many people signed a petition.
pub(crate) async fn signature_count(tx: &TenantTx, request_id: RequestId) -> Result<u64, Error> {
    petition_signature::Entity::find()
        .filter(petition_signature::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(petition_signature::Column::RequestId.eq(request_id.as_uuid()))
        .count(tx.conn())
        .await
        .map_err(Into::into)
}

/// How many people signed each of several petitions, in one query (petitions nobody signed are absent).
pub(crate) async fn signature_counts(
    tx: &TenantTx,
    request_ids: &[RequestId],
) -> Result<std::collections::HashMap<RequestId, u64>, Error> {
    if request_ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(uuid::Uuid, i64)> = petition_signature::Entity::find()
        .select_only()
        .column(petition_signature::Column::RequestId)
        .column_as(petition_signature::Column::RequestId.count(), "signatures")
        .filter(petition_signature::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(petition_signature::Column::RequestId.is_in(request_ids.iter().map(|id| id.as_uuid())))
        .group_by(petition_signature::Column::RequestId)
        .into_tuple()
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(|(id, count)| (RequestId::from_uuid(id), u64::try_from(count).unwrap_or(0))).collect())
}

/// The requests of every version of the service `code` that are in one of `states`, in submission order.
pub(crate) async fn requests_of_service(
    tx: &TenantTx,
    code: &str,
    states: &[&str],
    limit: Option<u64>,
) -> Result<Vec<RequestRecord>, Error> {
    let service_ids: Vec<uuid::Uuid> = service::Entity::find()
        .select_only()
        .column(service::Column::Id)
        .filter(service::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(service::Column::Code.eq(code))
        .into_tuple::<uuid::Uuid>()
        .all(tx.conn())
        .await?;
    let rows = request::Entity::find()
        .filter(request::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request::Column::ServiceId.is_in(service_ids))
        .filter(request::Column::State.is_in(states.iter().copied()))
        .order_by_asc(request::Column::Id)
        .limit(limit)
        .all(tx.conn())
        .await?;
    rows.into_iter().map(from_model).collect()
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
