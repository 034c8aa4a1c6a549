//! The chain heads each commune published, one a day at most: append-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "audit_published_heads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// The day (UTC) of the publication.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub sequence: i64,
    pub hash: String,
    pub link: String,
    pub recorded_at: Option<DateTimeUtc>,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
