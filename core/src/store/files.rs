//! The sealed contents of uploaded documents (a tenant table).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::TenantTx;
use super::entity::request_file;
use crate::error::Error;
use crate::model::ids::RequestId;
use crate::model::request::SubmittedDocument;

/// A stored file, without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileRecord {
    pub id: uuid::Uuid,
    pub document: SubmittedDocument,
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert(
    tx: &TenantTx,
    id: uuid::Uuid,
    request: RequestId,
    document: &SubmittedDocument,
    sealed: String,
    data_key_id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let model = request_file::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(id),
        request_id: Set(request.as_uuid()),
        code: Set(document.code.clone()),
        file_name: Set(document.file_name.clone()),
        media_type: Set(document.media_type.clone()),
        size_bytes: Set(i64::try_from(document.size_bytes).map_err(Error::internal)?),
        sha256: Set(document.sha256.clone().unwrap_or_default()),
        content: Set(sealed),
        data_key_id: Set(data_key_id),
        created_at: Set(now),
    };
    request_file::Entity::insert(model).exec_without_returning(tx.conn()).await?;
    Ok(())
}

/// The files of a request, in upload order.
pub(crate) async fn of_request(tx: &TenantTx, request: RequestId) -> Result<Vec<FileRecord>, Error> {
    let rows = request_file::Entity::find()
        .filter(request_file::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request_file::Column::RequestId.eq(request.as_uuid()))
        .order_by_asc(request_file::Column::Id)
        .all(tx.conn())
        .await?;
    rows.into_iter().map(|row| sealed_from(row).map(|(record, _, _)| record)).collect()
}

/// One file of a request with its sealed content and the data key it is sealed under.
pub(crate) async fn sealed(
    tx: &TenantTx,
    request: RequestId,
    id: uuid::Uuid,
) -> Result<Option<(FileRecord, String, uuid::Uuid)>, Error> {
    let row = request_file::Entity::find()
        .filter(request_file::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(request_file::Column::RequestId.eq(request.as_uuid()))
        .filter(request_file::Column::Id.eq(id))
        .one(tx.conn())
        .await?;
    row.map(sealed_from).transpose()
}

/// A row as a file record, with its sealed content and the data key it is sealed under.
fn sealed_from(row: request_file::Model) -> Result<(FileRecord, String, uuid::Uuid), Error> {
    let record = FileRecord {
        id: row.id,
        document: SubmittedDocument {
            code: row.code,
            file_name: row.file_name,
            media_type: row.media_type,
            size_bytes: u64::try_from(row.size_bytes).map_err(Error::internal)?,
            sha256: Some(row.sha256),
        },
    };
    Ok((record, row.content, row.data_key_id))
}
