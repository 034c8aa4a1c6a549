//! What a webhook endpoint takes: the most deliveries in flight to it at once (`max_in_flight`, 4 unless the
//! commune sets another, 1–16) and how long it may take to answer one (`timeout_seconds`, 10 unless the commune
//! sets another, 1–30). Existing endpoints get the defaults.

use sea_orm_migration::prelude::*;

use super::tables::col;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("webhook_endpoints")
                    .add_column(col("max_in_flight").integer().default(4))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("webhook_endpoints")
                    .add_column(col("timeout_seconds").integer().default(10))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
