//! Published service versions; the current one of each code is the one citizens see.

use sea_orm::entity::prelude::*;

use crate::model::keys::ServiceCode;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: ServiceCode,
    pub version: i32,
    pub is_current: bool,
    pub workflow_id: Uuid,
    /// The whole definition but its workflow (which `workflows` holds), by its address in `definitions`.
    pub definition_hash: String,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
