//! The origins of each commune's own website (`communes.site_origins`, a JSON list of `https://host[:port]`):
//! set by the commune's administrators or operators, allowed by the API's CORS layer with the deployment's own.
//! A platform column, not a tenant table: the CORS layer reads every commune's before any commune is known.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_site_origins"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("communes")
                    .add_column(ColumnDef::new("site_origins").json_binary().not_null().default(Expr::cust("'[]'")))
                    .to_owned(),
            )
            .await
    }
}
