//! Personal data at rest: each commune's wrapped data keys, the sealed personal fields of requests, and
//! their blind indexes.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_personal_data"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("data_keys")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("id").uuid().not_null())
                    .col(ColumnDef::new("wrapped").string().not_null())
                    .col(ColumnDef::new("master_key_id").string().not_null())
                    .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(ForeignKey::create().from("data_keys", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        for column in [
            ColumnDef::new("personal").text().null().to_owned(),
            ColumnDef::new("data_key_id").uuid().null().to_owned(),
        ] {
            manager.alter_table(Table::alter().table("requests").add_column(column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("request_lookups")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("id").uuid().not_null())
                    .col(ColumnDef::new("request_id").uuid().not_null())
                    .col(ColumnDef::new("field").string().not_null())
                    .col(ColumnDef::new("digest").string().not_null())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl("request_lookups")
                            .from_col("tenant_id")
                            .from_col("request_id")
                            .to_tbl("requests")
                            .to_col("tenant_id")
                            .to_col("id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("request_lookups_digest")
                    .table("request_lookups")
                    .col("tenant_id")
                    .col("field")
                    .col("digest")
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(&["data_keys", "request_lookups"])).await?;
        }
        Ok(())
    }
}
