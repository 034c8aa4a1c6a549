//! Idempotency keys that hold across a crash, and keys of the platform's calls (`store::idempotency`).
//!
//! `idempotency_keys.work_done`: set by the transaction of a call's use case, before it commits, when the key
//! was claimed apart from it (the API's layer), so that a key whose work committed is never claimed again,
//! even when its answer was never recorded. `platform_idempotency_keys`: the keys of operators' calls that name
//! no commune (onboarding, templates, training communes, operator tokens), per caller; a platform table (no
//! tenant, so no row-level policy: the application's role reads and writes it as the other platform tables),
//! its answers sealed under the master key.

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col, nullable};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, "idempotency_keys", vec![col("work_done").boolean().default(false).to_owned()]).await?;
        manager
            .create_table(
                Table::create()
                    .table("platform_idempotency_keys")
                    .if_not_exists()
                    .col(col("caller").string())
                    .col(col("key").string())
                    .col(col("operation").string())
                    .col(col("request_hash").string())
                    .col(nullable("answer").text())
                    .col(nullable("master_key_id").string())
                    .col(col("work_done").boolean().default(false))
                    .col(col("created_at").timestamp_with_time_zone())
                    .col(col("expires_at").timestamp_with_time_zone())
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
