//! Signatures of petitions: one per person and petition (the blind index of the national id), sealed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "petition_signatures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The petition (a request of the `petition` service).
    pub request_id: Uuid,
    /// The blind index of the signatory's national id.
    pub digest: String,
    /// The signatory's name and national id, sealed under `data_key_id`.
    #[sea_orm(column_type = "Text")]
    pub sealed: String,
    pub data_key_id: Uuid,
    pub signed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
