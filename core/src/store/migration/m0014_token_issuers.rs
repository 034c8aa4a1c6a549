//! Who issued each API token (`issued_by`: the issuer as the audit trail names it, `operator:…`, `user:…`,
//! `staff:…` or `platform`), so that a token's origin is known without searching the communes' trails.

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, "api_tokens", vec![col("issued_by").string().default("platform").to_owned()]).await
    }
}
