//! The history of a mail item: its registration, routings and follow-up changes.

use sea_orm::entity::prelude::*;

use crate::modules::courier::model::{FollowUp, MailStep};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "courier_history")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    pub kind: MailStep,
    pub department: String,
    pub state: FollowUp,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub occurred_at: DateTimeUtc,
    pub actor: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
