//! The catalog's generation: a number on each commune's row, raised in the transaction of every change of its
//! current services (publish, retire, onboarding, upgrade, import). Servers keep a commune's current catalog in
//! memory under the generation they read it at, and answer from memory only while the row still shows it.

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, "communes", vec![col("catalog_generation").big_integer().default(0).to_owned()]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("communes").drop_column("catalog_generation").to_owned()).await
    }
}
