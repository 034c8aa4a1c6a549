//! Deliberations of a council session: the decision's text, the count of its votes and its outcome.

use sea_orm::entity::prelude::*;

use crate::modules::council::model::Outcome;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "council_deliberations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub agenda_item_id: Option<Uuid>,
    pub number: i32,
    pub text: Json,
    pub members_in_office: i32,
    pub present: i32,
    pub votes_for: i32,
    pub against: i32,
    pub abstain: i32,
    pub absent: i32,
    pub outcome: Outcome,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
