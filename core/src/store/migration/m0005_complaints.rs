//! Complaints: the facts of each complaint that its public listing filters on (category, place, whether the
//! applicant made it public) and the applicant's satisfaction rating.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_complaints"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("complaints")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("request_id").uuid().not_null())
                    .col(ColumnDef::new("tracking_code").string().not_null())
                    .col(ColumnDef::new("service_code").string().not_null())
                    .col(ColumnDef::new("category").string().null())
                    .col(ColumnDef::new("public").boolean().not_null())
                    .col(ColumnDef::new("latitude").double().null())
                    .col(ColumnDef::new("longitude").double().null())
                    .col(ColumnDef::new("address").text().null())
                    .col(ColumnDef::new("submitted_at").timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new("rating").small_integer().null())
                    .col(ColumnDef::new("rated_at").timestamp_with_time_zone().null())
                    .primary_key(Index::create().col("tenant_id").col("request_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl("complaints")
                            .from_col("tenant_id")
                            .from_col("request_id")
                            .to_tbl("requests")
                            .to_col("tenant_id")
                            .to_col("id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("complaints_public_submitted")
                    .table("complaints")
                    .col("tenant_id")
                    .col("public")
                    .col("submitted_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("complaints_tracking_code")
                    .table("complaints")
                    .col("tenant_id")
                    .col("tracking_code")
                    .unique()
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(&["complaints"])).await?;
        }
        Ok(())
    }
}
