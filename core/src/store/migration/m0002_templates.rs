//! Replication: the template registry, each commune's lineage, and the configuration that is neither a
//! service nor a role.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_templates"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("templates")
                    .if_not_exists()
                    .col(ColumnDef::new("name").string().not_null())
                    .col(ColumnDef::new("version").integer().not_null())
                    .col(ColumnDef::new("content_hash").string().not_null())
                    .col(ColumnDef::new("bundle").text().not_null())
                    .col(ColumnDef::new("published_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("name").col("version"))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new("template_name").string().null().to_owned(),
            ColumnDef::new("template_version").integer().null().to_owned(),
        ] {
            manager.alter_table(Table::alter().table("communes").add_column(column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("commune_configs")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null().primary_key())
                    .col(ColumnDef::new("categories").json_binary().not_null())
                    .col(ColumnDef::new("id_formats").json_binary().not_null())
                    .col(ColumnDef::new("settings").json_binary().not_null())
                    .col(ColumnDef::new("translations").json_binary().not_null())
                    .foreign_key(ForeignKey::create().from("commune_configs", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(&["commune_configs"])).await?;
        }
        Ok(())
    }
}
