//! The decisions given in cases.

use sea_orm::entity::prelude::*;

use crate::modules::disputes::model::Outcome;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "dispute_decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub decided_on: Date,
    pub outcome: Outcome,
    pub awarded_centimes: i64,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub appeal_deadline: Date,
    pub recorded_at: DateTimeUtc,
    pub recorded_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
