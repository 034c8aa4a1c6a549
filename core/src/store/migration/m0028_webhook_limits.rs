//! What a webhook endpoint takes: the most deliveries in flight to it at once (`max_in_flight`, 4 unless the
//! commune sets another, 1–16) and how long it may take to answer one (`timeout_seconds`, 10 unless the commune
//! sets another, 1–30). Existing endpoints get the defaults.

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            "webhook_endpoints",
            vec![
                col("max_in_flight").integer().default(4).to_owned(),
                col("timeout_seconds").integer().default(10).to_owned(),
            ],
        )
        .await?;
        Ok(())
    }
}
