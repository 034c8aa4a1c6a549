//! Complaints: the facts of each complaint that its public listing filters on (category, place, whether the
//! applicant made it public) and the applicant's satisfaction rating.

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
                    .table("complaints")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("request_id").uuid())
                    .col(col("tracking_code").string())
                    .col(col("service_code").string())
                    .col(nullable("category").string())
                    .col(col("public").boolean())
                    .col(nullable("latitude").double())
                    .col(nullable("longitude").double())
                    .col(nullable("address").text())
                    .col(col("submitted_at").timestamp_with_time_zone())
                    .col(nullable("rating").small_integer())
                    .col(nullable("rated_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("request_id"))
                    .foreign_key(&mut tenant_fk("complaints", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("complaints_public_submitted", "complaints", &["public", "submitted_at"], false))
            .await?;
        manager.create_index(tenant_index("complaints_tracking_code", "complaints", &["tracking_code"], true)).await?;
        on_postgres(manager, &row_level_security(&["complaints"])).await?;
        Ok(())
    }
}
