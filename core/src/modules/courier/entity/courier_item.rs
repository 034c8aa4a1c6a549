//! Items of the courier registry.

use sea_orm::entity::prelude::*;

use crate::modules::courier::model::{Direction, FollowUp};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "courier_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub direction: Direction,
    pub year: i32,
    pub number: i64,
    pub reference: String,
    pub correspondent: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    pub mail_date: Date,
    pub department: String,
    pub due_on: Option<Date>,
    pub state: FollowUp,
    pub request_code: Option<String>,
    pub deliberation_id: Option<Uuid>,
    pub registered_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
