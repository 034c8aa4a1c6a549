//! The per-commune hash chain of events.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sequence: i64,
    pub occurred_at: DateTimeUtc,
    pub actor: String,
    pub kind: String,
    pub subject: String,
    /// Canonical JSON text, hashed byte for byte.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
    /// The hash of the content alone (m0024).
    pub content_hash: String,
    /// The event's link in the public chain (m0024).
    pub link: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
