//! Platform users: one identity per person, whatever the communes they work in.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lower-case, unique.
    pub login: String,
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub disabled: bool,
    /// A national operator: the platform's rights in every commune.
    pub operator: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
