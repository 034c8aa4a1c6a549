//! Replication: the template registry, each commune's lineage, and the configuration that is neither a
//! service nor a role.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{add_columns, col, nullable, on_postgres};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("templates")
                    .if_not_exists()
                    .col(col("name").string())
                    .col(col("version").integer())
                    .col(col("content_hash").string())
                    .col(col("bundle").text())
                    .col(col("published_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("name").col("version"))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        add_columns(
            manager,
            "communes",
            vec![nullable("template_name").string().to_owned(), nullable("template_version").integer().to_owned()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("commune_configs")
                    .if_not_exists()
                    .col(col("tenant_id").uuid().primary_key())
                    .col(col("categories").json_binary())
                    .col(col("id_formats").json_binary())
                    .col(col("settings").json_binary())
                    .col(col("translations").json_binary())
                    .foreign_key(ForeignKey::create().from("commune_configs", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        on_postgres(manager, &row_level_security(&["commune_configs"])).await?;
        Ok(())
    }
}
