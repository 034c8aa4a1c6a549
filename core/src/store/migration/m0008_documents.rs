//! Documents a commune issues (extracts, decisions): their verification codes, fingerprints and sealed texts.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, on_postgres, tenant_index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("issued_documents")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("code").string())
                    .col(col("kind").string())
                    .col(col("subject").string())
                    .col(col("title").json())
                    .col(col("fingerprint").string())
                    .col(col("sealed_text").text())
                    .col(col("data_key_id").uuid())
                    .col(col("issued_by").string())
                    .col(col("issued_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(ForeignKey::create().from("issued_documents", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(tenant_index("issued_documents_code", "issued_documents", &["code"], true)).await?;
        manager.create_index(tenant_index("issued_documents_subject", "issued_documents", &["subject"], false)).await?;
        on_postgres(manager, &row_level_security(&["issued_documents"])).await?;
        Ok(())
    }
}
