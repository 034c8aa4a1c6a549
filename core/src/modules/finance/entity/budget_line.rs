//! A commune's budget lines by year: appropriations, commitments and payments, or planned and collected revenue.

use sea_orm::entity::prelude::*;

use crate::modules::finance::model::LineKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "budget_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year: i32,
    pub position: i32,
    pub kind: LineKind,
    pub chapter: String,
    pub article: String,
    pub paragraph: String,
    pub label: Json,
    pub revenue_type: Option<String>,
    pub appropriated: Option<i64>,
    pub committed: Option<i64>,
    pub paid: Option<i64>,
    pub planned: Option<i64>,
    pub collected: Option<i64>,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
