//! The hearings of cases, with their reminders.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "dispute_hearings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub scheduled_at: DateTimeUtc,
    pub room: Option<String>,
    pub object: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub outcome: Option<String>,
    pub reminder_due_at: DateTimeUtc,
    pub reminded_at: Option<DateTimeUtc>,
    pub recorded_at: DateTimeUtc,
    pub recorded_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
