//! Personal data at rest: each commune's wrapped data keys, the sealed personal fields of requests, and
//! their blind indexes.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{add_columns, col, nullable, on_postgres, tenant_fk, tenant_index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("data_keys")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("wrapped").string())
                    .col(col("master_key_id").string())
                    .col(col("created_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(ForeignKey::create().from("data_keys", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        add_columns(
            manager,
            "requests",
            vec![nullable("personal").text().to_owned(), nullable("data_key_id").uuid().to_owned()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("request_lookups")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("request_id").uuid())
                    .col(col("field").string())
                    .col(col("digest").string())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_fk("request_lookups", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("request_lookups_digest", "request_lookups", &["field", "digest"], false))
            .await?;
        on_postgres(manager, &row_level_security(&["data_keys", "request_lookups"])).await?;
        Ok(())
    }
}
