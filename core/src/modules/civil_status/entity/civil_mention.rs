//! Marginal mentions of civil-status acts: append-only; their text is sealed.

use sea_orm::entity::prelude::*;

use crate::modules::civil_status::model::MentionKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "civil_mentions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub act_id: Uuid,
    pub sequence: i64,
    pub kind: MentionKind,
    pub reference: Option<String>,
    pub effective_on: Date,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub data_key_id: Uuid,
    pub recorded_at: DateTimeUtc,
    pub recorded_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
