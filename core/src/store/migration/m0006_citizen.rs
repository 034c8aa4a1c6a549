//! Citizens' rights: messages to applicants (law 31.13 notices and reasons), petition signatures (organic law
//! 113.14), and the commune's proactive publications (law 31.13, art. 10).

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, on_postgres, tenant_fk, tenant_index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("request_messages")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("request_id").uuid())
                    .col(col("action").string())
                    .col(col("body").text())
                    .col(col("created_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_fk("request_messages", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("request_messages_request", "request_messages", &["request_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("petition_signatures")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("request_id").uuid())
                    .col(col("digest").string())
                    .col(col("sealed").text())
                    .col(col("data_key_id").uuid())
                    .col(col("signed_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_fk("petition_signatures", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        // One signature per person and petition, enforced by the database too.
        manager
            .create_index(tenant_index(
                "petition_signatures_once",
                "petition_signatures",
                &["request_id", "digest"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("publications")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("item_key").string())
                    .col(col("location").string())
                    .col(col("published_at").timestamp_with_time_zone())
                    .col(col("published_by").string())
                    .primary_key(Index::create().col("tenant_id").col("item_key"))
                    .foreign_key(ForeignKey::create().from("publications", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        on_postgres(manager, &row_level_security(&["request_messages", "petition_signatures", "publications"])).await
    }
}
