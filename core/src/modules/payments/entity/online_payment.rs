//! A payment started online: the order sent to the provider and its outcome.

use sea_orm::entity::prelude::*;

use crate::modules::payments::reconcile::IntentStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "online_payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: String,
    pub demand_id: Uuid,
    pub request_id: Uuid,
    pub amount: i64,
    pub currency: String,
    pub status: IntentStatus,
    pub provider_reference: Option<String>,
    pub refusal_code: Option<String>,
    pub started_by: String,
    pub started_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub settled_at: Option<DateTimeUtc>,
    pub settled_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
