//! What a webhook endpoint takes: the most deliveries in flight to it at once (`max_in_flight`, 4 unless the
//! commune sets another, 1–16) and how long it may take to answer one (`timeout_seconds`, 10 unless the commune
//! sets another, 1–30). Existing endpoints get the defaults.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0028_webhook_limits"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("webhook_endpoints")
                    .add_column(ColumnDef::new("max_in_flight").integer().not_null().default(4))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("webhook_endpoints")
                    .add_column(ColumnDef::new("timeout_seconds").integer().not_null().default(10))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
