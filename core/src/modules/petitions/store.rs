//! The register of petition signatures (one per person and petition, by the blind index of their national id),
//! each sealed with the commune's data key.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use super::entity::petition_signature;
use crate::error::Error;
use crate::model::ids::RequestId;
use crate::store::TenantTx;

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
