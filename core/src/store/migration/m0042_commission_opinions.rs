//! Commissions: the opinions the bodies a state consults give on a request, one per body and stay in the state
//! (`round`, the request's version while there), a silence counted after a body's delay included. A tenant table
//! with row-level security on PostgreSQL.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, nullable, on_postgres, tenant_fk, tenant_index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("request_opinions")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("request_id").uuid())
                    .col(col("round").big_integer())
                    .col(col("state").string())
                    .col(col("body").string())
                    .col(col("opinion").string())
                    .col(col("silent").boolean())
                    .col(nullable("reasons").text())
                    .col(col("given_by").string())
                    .col(col("given_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_fk("request_opinions", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        // One opinion per body and stay in the state: a second one is refused by the database too.
        manager
            .create_index(tenant_index(
                "request_opinions_body",
                "request_opinions",
                &["request_id", "round", "body"],
                true,
            ))
            .await?;
        on_postgres(manager, &row_level_security(&["request_opinions"])).await?;
        Ok(())
    }
}
