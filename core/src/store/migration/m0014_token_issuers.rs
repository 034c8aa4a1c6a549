//! Who issued each API token (`issued_by`: the issuer as the audit trail names it, `operator:…`, `user:…`,
//! `staff:…` or `platform`), so that a token's origin is known without searching the communes' trails.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_token_issuers"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("api_tokens")
                    .add_column(ColumnDef::new("issued_by").string().not_null().default("platform"))
                    .to_owned(),
            )
            .await
    }
}
