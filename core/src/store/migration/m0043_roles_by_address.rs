//! A commune's roles by address: the role set a commune is onboarded with (its template's, the same for every
//! commune onboarded from it) is stored once in `definitions` and named by `communes.roles_hash`; the `roles`
//! table keeps what a commune defines or changes itself, which overrides the set's role of the same key. Communes
//! created before keep their roles in `roles` (and an empty `roles_hash`).

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, "communes", vec![col("roles_hash").string().default("").to_owned()]).await
    }
}
