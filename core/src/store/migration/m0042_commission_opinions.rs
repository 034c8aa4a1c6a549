//! Commissions: the opinions the bodies a state consults give on a request, one per body and stay in the state
//! (`round`, the request's version while there), a silence counted after a body's delay included. A tenant table
//! with row-level security on PostgreSQL.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0042_commission_opinions"
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
                    .table("request_opinions")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("request_id").uuid())
                    .col(col("round").big_integer())
                    .col(col("state").string())
                    .col(col("body").string())
                    .col(col("opinion").string())
                    .col(col("silent").boolean())
                    .col(ColumnDef::new("reasons").text().null())
                    .col(col("given_by").string())
                    .col(col("given_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl("request_opinions")
                            .from_col("tenant_id")
                            .from_col("request_id")
                            .to_tbl("requests")
                            .to_col("tenant_id")
                            .to_col("id"),
                    )
                    .to_owned(),
            )
            .await?;
        // One opinion per body and stay in the state: a second one is refused by the database too.
        manager
            .create_index(
                Index::create()
                    .name("request_opinions_body")
                    .table("request_opinions")
                    .col("tenant_id")
                    .col("request_id")
                    .col("round")
                    .col("body")
                    .unique()
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(&["request_opinions"])).await?;
        }
        Ok(())
    }
}
