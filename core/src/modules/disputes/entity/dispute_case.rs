//! A commune's court cases: their parties sealed.

use sea_orm::entity::prelude::*;

use crate::modules::disputes::model::{Position, Status};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "dispute_cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub case_type: String,
    pub subject: String,
    pub court_name: String,
    pub court_city: String,
    pub position: Position,
    #[sea_orm(column_type = "Text")]
    pub parties: String,
    pub data_key_id: Uuid,
    pub lawyer_name: Option<String>,
    pub lawyer_bar: Option<String>,
    pub stakes_centimes: i64,
    pub request_id: Option<Uuid>,
    pub request_code: Option<String>,
    pub status: Status,
    pub opened_on: Date,
    pub responsible_user_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
