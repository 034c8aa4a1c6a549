//! Idempotency keys (`store::idempotency`): what a creating call answered, under the key its caller sent, so
//! that a retry gets the same answer and never a second record. A tenant table; the row is written in the
//! transaction of the record it answers for, and its primary key (commune, caller, key) lets one retry in,
//! never two. Expired keys are purged by the scheduler, on PostgreSQL through a function that deletes them
//! for every commune and reveals nothing.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, nullable, on_postgres, tenant_index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("caller").string())
                    .col(col("key").string())
                    .col(col("operation").string())
                    .col(col("request_hash").string())
                    .col(nullable("answer").text())
                    .col(nullable("data_key_id").uuid())
                    .col(col("created_at").timestamp_with_time_zone())
                    .col(col("expires_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("caller").col("key"))
                    .foreign_key(ForeignKey::create().from("idempotency_keys", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("idempotency_keys_expiry", "idempotency_keys", &["expires_at"], false))
            .await?;
        let mut sql = row_level_security(&["idempotency_keys"]);
        sql.push_str(
            "CREATE FUNCTION jamaa_purge_idempotency_keys(due timestamptz) RETURNS bigint\n\
             LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS\n\
             $$ WITH gone AS (DELETE FROM idempotency_keys WHERE expires_at <= due RETURNING 1)\n\
                SELECT count(*) FROM gone $$;\n\
             REVOKE ALL ON FUNCTION jamaa_purge_idempotency_keys(timestamptz) FROM PUBLIC;\n",
        );
        on_postgres(manager, &sql).await
    }
}
