//! Staff records: their personal data sealed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "hr_staff")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub full_name: String,
    pub grade: String,
    pub position: String,
    pub department_id: Option<Uuid>,
    pub entered_on: Date,
    pub left_on: Option<Date>,
    pub user_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub personal: String,
    pub data_key_id: Uuid,
    pub national_id_digest: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
