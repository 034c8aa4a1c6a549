//! The origins of each commune's own website (`communes.site_origins`, a JSON list of `https://host[:port]`):
//! set by the commune's administrators or operators, allowed by the API's CORS layer with the deployment's own.
//! A platform column, not a tenant table: the CORS layer reads every commune's before any commune is known.

use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager, "communes", vec![col("site_origins").json_binary().default(Expr::cust("'[]'")).to_owned()])
            .await
    }
}
