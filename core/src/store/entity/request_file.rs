//! The sealed content of a document uploaded with a request.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "request_files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    /// The document type, one of the procedure's.
    pub code: String,
    pub file_name: String,
    /// Detected from the content, not taken from the client.
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// AES-256-GCM under the commune's data key, bound to the request and file ids.
    pub content: String,
    pub data_key_id: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
