//! A commune's webhook endpoints: where events are POSTed, which ones, and the signing secret, sealed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub url: String,
    /// The event kinds sent there; empty for all.
    pub events: Json,
    /// The signing secret, sealed under `data_key_id`.
    #[sea_orm(column_type = "Text")]
    pub secret: String,
    pub data_key_id: Uuid,
    pub active: bool,
    /// The most deliveries in flight to it at once (m0028).
    pub max_in_flight: i32,
    /// How long it may take to answer a delivery, in seconds (m0028).
    pub timeout_seconds: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
