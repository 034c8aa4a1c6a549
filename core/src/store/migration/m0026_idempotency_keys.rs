//! Idempotency keys (`store::idempotency`): what a creating call answered, under the key its caller sent, so
//! that a retry gets the same answer and never a second record. A tenant table; the row is written in the
//! transaction of the record it answers for, and its primary key (commune, caller, key) lets one retry in,
//! never two. Expired keys are purged by the scheduler, on PostgreSQL through a function that deletes them
//! for every commune and reveals nothing.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0026_idempotency_keys"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("caller").string().not_null())
                    .col(ColumnDef::new("key").string().not_null())
                    .col(ColumnDef::new("operation").string().not_null())
                    .col(ColumnDef::new("request_hash").string().not_null())
                    .col(ColumnDef::new("answer").text().null())
                    .col(ColumnDef::new("data_key_id").uuid().null())
                    .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new("expires_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("tenant_id").col("caller").col("key"))
                    .foreign_key(ForeignKey::create().from("idempotency_keys", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idempotency_keys_expiry")
                    .table("idempotency_keys")
                    .col("tenant_id")
                    .col("expires_at")
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            let mut sql = super::row_level_security(&["idempotency_keys"]);
            sql.push_str(
                "CREATE FUNCTION jamaa_purge_idempotency_keys(due timestamptz) RETURNS bigint\n\
                 LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS\n\
                 $$ WITH gone AS (DELETE FROM idempotency_keys WHERE expires_at <= due RETURNING 1)\n\
                    SELECT count(*) FROM gone $$;\n\
                 REVOKE ALL ON FUNCTION jamaa_purge_idempotency_keys(timestamptz) FROM PUBLIC;\n",
            );
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
