//! A recorded expenditure or revenue entry: a commitment, its approval, a payment order, a payment, a revenue
//! title, a collection, or a counter-entry that corrects one of them. Never changed nor deleted.

use sea_orm::entity::prelude::*;

use crate::modules::finance::entries::EntryKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "finance_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year: i32,
    pub kind: EntryKind,
    pub number: i64,
    pub line_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub amount: i64,
    pub object: Option<String>,
    pub party: Option<String>,
    pub revenue_type: Option<String>,
    pub reason: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
