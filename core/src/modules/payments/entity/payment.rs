//! A payment against a demand, or the counter-entry that cancels one. Never changed nor deleted.

use sea_orm::entity::prelude::*;

use crate::modules::payments::model::{Channel, PaymentKind};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub demand_id: Uuid,
    pub request_id: Uuid,
    pub kind: PaymentKind,
    pub cancels: Option<Uuid>,
    pub rank: i32,
    pub channel: Channel,
    pub amount: i64,
    pub currency: crate::model::commune::Currency,
    pub year: i32,
    pub number: i64,
    pub day: Date,
    pub terminal_slip: Option<String>,
    pub provider: Option<String>,
    pub provider_ref: Option<String>,
    pub document_code: Option<String>,
    pub reason: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
