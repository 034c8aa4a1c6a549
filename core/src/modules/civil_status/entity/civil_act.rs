//! Civil-status acts: append-only; the persons they name are sealed.

use sea_orm::entity::prelude::*;

use crate::modules::civil_status::model::ActKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "civil_acts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: ActKind,
    pub office: String,
    pub year: i32,
    pub number: i64,
    pub event_date: Date,
    pub details: Json,
    #[sea_orm(column_type = "Text")]
    pub persons: String,
    pub data_key_id: Uuid,
    pub subject_digest: Option<String>,
    pub registered_on: Date,
    pub registered_at: DateTimeUtc,
    pub registered_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
