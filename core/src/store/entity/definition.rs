//! Published definitions, content-addressed: a service's definition without its workflow, a workflow, a
//! commune's working calendar or its configuration (categories, id formats, settings, texts). `hash`
//! is the hex SHA-256 of `body`'s JSON text; every commune that holds the same definition (all the communes
//! onboarded from one template) refers to the one row. No tenant owns a row: the application may only read and
//! add them (PostgreSQL grants), and a body never changes under its hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "definitions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub hash: String,
    pub body: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
