//! The documents of a commune's disputes (pleadings, judgments, expert reports): their facts (title, kind, file
//! name, the media type detected, size, SHA-256) and their content sealed under the commune's data key. A tenant
//! table with row-level security on PostgreSQL.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0038_dispute_documents"
    }
}

fn col(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    def.not_null();
    def
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dispute_documents")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("case_id").uuid())
                    .col(col("title").string())
                    .col(col("kind").string())
                    .col(col("file_name").string())
                    // Detected from the content, not taken from the client.
                    .col(col("media_type").string())
                    .col(col("size_bytes").big_integer())
                    .col(col("sha256").string())
                    // AES-256-GCM under the commune's data key, bound to the case and document ids.
                    .col(col("content").text())
                    .col(col("data_key_id").uuid())
                    .col(col("added_at").timestamp_with_time_zone())
                    .col(col("added_by").string())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("dispute_documents", "tenant_id")
                            .to("communes", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl("dispute_documents")
                            .from_col("tenant_id")
                            .from_col("case_id")
                            .to_tbl("dispute_cases")
                            .to_col("tenant_id")
                            .to_col("id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dispute_documents_case")
                    .table("dispute_documents")
                    .col("tenant_id")
                    .col("case_id")
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(&["dispute_documents"])).await?;
        }
        Ok(())
    }
}
