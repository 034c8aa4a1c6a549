//! The documents of cases: their facts, their content sealed.

use sea_orm::entity::prelude::*;

use crate::modules::disputes::model::DocumentKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "dispute_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub title: String,
    pub kind: DocumentKind,
    pub file_name: String,
    /// Detected from the content, not taken from the client.
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// AES-256-GCM under the commune's data key, bound to the case and document ids.
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub data_key_id: Uuid,
    pub added_at: DateTimeUtc,
    pub added_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
