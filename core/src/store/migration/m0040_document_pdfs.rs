//! An issued document's PDF, rendered once when it is issued: its bytes sealed under the commune's data key
//! (they hold what the text holds) and their SHA-256, which `/verify` compares with a presented PDF. Documents
//! issued before keep none (both null): they verify by their text, as before.

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, nullable};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            "issued_documents",
            vec![nullable("pdf_fingerprint").string().to_owned(), nullable("sealed_pdf").text().to_owned()],
        )
        .await
    }
}
