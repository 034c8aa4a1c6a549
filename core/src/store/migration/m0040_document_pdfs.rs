//! An issued document's PDF, rendered once when it is issued: its bytes sealed under the commune's data key
//! (they hold what the text holds) and their SHA-256, which `/verify` compares with a presented PDF. Documents
//! issued before keep none (both null): they verify by their text, as before.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0040_document_pdfs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::add_columns(
            manager,
            "issued_documents",
            vec![
                ColumnDef::new("pdf_fingerprint").string().null().to_owned(),
                ColumnDef::new("sealed_pdf").text().null().to_owned(),
            ],
        )
        .await
    }
}
