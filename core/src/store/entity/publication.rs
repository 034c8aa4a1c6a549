//! The items of the proactive-publication list (law 31.13, art. 10) that a commune has published.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "publications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// The key of the item in the commune's list.
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_key: String,
    /// Where it is published: an address on the web or a place (the commune's notice board).
    pub location: String,
    pub published_at: DateTimeUtc,
    pub published_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
