//! Citizens' rights: messages to applicants (law 31.13 notices and reasons), petition signatures (organic law
//! 113.14), and the commune's proactive publications (law 31.13, art. 10).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_citizen"
    }
}

fn request_foreign_key(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(table)
        .from_col("tenant_id")
        .from_col("request_id")
        .to_tbl("requests")
        .to_col("tenant_id")
        .to_col("id")
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("request_messages")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("id").uuid().not_null())
                    .col(ColumnDef::new("request_id").uuid().not_null())
                    .col(ColumnDef::new("action").string().not_null())
                    .col(ColumnDef::new("body").text().not_null())
                    .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut request_foreign_key("request_messages"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("request_messages_request")
                    .table("request_messages")
                    .col("tenant_id")
                    .col("request_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("petition_signatures")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("id").uuid().not_null())
                    .col(ColumnDef::new("request_id").uuid().not_null())
                    .col(ColumnDef::new("digest").string().not_null())
                    .col(ColumnDef::new("sealed").text().not_null())
                    .col(ColumnDef::new("data_key_id").uuid().not_null())
                    .col(ColumnDef::new("signed_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut request_foreign_key("petition_signatures"))
                    .to_owned(),
            )
            .await?;
        // One signature per person and petition, enforced by the database too.
        manager
            .create_index(
                Index::create()
                    .name("petition_signatures_once")
                    .table("petition_signatures")
                    .col("tenant_id")
                    .col("request_id")
                    .col("digest")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("publications")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("item_key").string().not_null())
                    .col(ColumnDef::new("location").string().not_null())
                    .col(ColumnDef::new("published_at").timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new("published_by").string().not_null())
                    .primary_key(Index::create().col("tenant_id").col("item_key"))
                    .foreign_key(ForeignKey::create().from("publications", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(&[
                "request_messages",
                "petition_signatures",
                "publications",
            ]))
            .await?;
        }
        Ok(())
    }
}
