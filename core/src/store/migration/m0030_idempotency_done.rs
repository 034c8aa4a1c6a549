//! Idempotency keys that hold across a crash, and keys of the platform's calls (`store::idempotency`).
//!
//! `idempotency_keys.work_done`: set by the transaction of a call's use case, before it commits, when the key
//! was claimed apart from it (the API's layer), so that a key whose work committed is never claimed again,
//! even when its answer was never recorded. `platform_idempotency_keys`: the keys of operators' calls that name
//! no commune (onboarding, templates, training communes, operator tokens), per caller; a platform table (no
//! tenant, so no row-level policy: the application's role reads and writes it as the other platform tables),
//! its answers sealed under the master key.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0030_idempotency_done"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("idempotency_keys")
                    .add_column(ColumnDef::new("work_done").boolean().not_null().default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("platform_idempotency_keys")
                    .if_not_exists()
                    .col(ColumnDef::new("caller").string().not_null())
                    .col(ColumnDef::new("key").string().not_null())
                    .col(ColumnDef::new("operation").string().not_null())
                    .col(ColumnDef::new("request_hash").string().not_null())
                    .col(ColumnDef::new("answer").text().null())
                    .col(ColumnDef::new("master_key_id").string().null())
                    .col(ColumnDef::new("work_done").boolean().not_null().default(false))
                    .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new("expires_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("caller").col("key"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("platform_idempotency_keys_expiry")
                    .table("platform_idempotency_keys")
                    .col("expires_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
