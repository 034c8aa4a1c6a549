//! Documents a commune issues (extracts, decisions): their verification codes, fingerprints and sealed texts.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_documents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("issued_documents")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("id").uuid().not_null())
                    .col(ColumnDef::new("code").string().not_null())
                    .col(ColumnDef::new("kind").string().not_null())
                    .col(ColumnDef::new("subject").string().not_null())
                    .col(ColumnDef::new("title").json().not_null())
                    .col(ColumnDef::new("fingerprint").string().not_null())
                    .col(ColumnDef::new("sealed_text").text().not_null())
                    .col(ColumnDef::new("data_key_id").uuid().not_null())
                    .col(ColumnDef::new("issued_by").string().not_null())
                    .col(ColumnDef::new("issued_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(ForeignKey::create().from("issued_documents", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("issued_documents_code")
                    .table("issued_documents")
                    .col("tenant_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("issued_documents_subject")
                    .table("issued_documents")
                    .col("tenant_id")
                    .col("subject")
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(&["issued_documents"])).await?;
        }
        Ok(())
    }
}
