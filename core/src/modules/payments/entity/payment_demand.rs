//! What a request owes, fixed at submission: its fee lines (label, amount, basis) and their total. Never
//! changed.

use sea_orm::entity::prelude::*;

use crate::model::keys::ServiceCode;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "payment_demands")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    pub tracking_code: String,
    pub service_code: ServiceCode,
    pub currency: crate::model::commune::Currency,
    pub total: i64,
    pub lines: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
