//! The documents of a commune's disputes (pleadings, judgments, expert reports): their facts (title, kind, file
//! name, the media type detected, size, SHA-256) and their content sealed under the commune's data key. A tenant
//! table with row-level security on PostgreSQL.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, on_postgres, tenant_fk, tenant_index, tenant_table};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("dispute_documents")
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
                    .foreign_key(&mut tenant_fk("dispute_documents", "case_id", "dispute_cases"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(tenant_index("dispute_documents_case", "dispute_documents", &["case_id"], false)).await?;
        on_postgres(manager, &row_level_security(&["dispute_documents"])).await?;
        Ok(())
    }
}
