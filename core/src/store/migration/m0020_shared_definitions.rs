//! Definitions stored once, whoever publishes them: `definitions(hash, body)` holds each published service
//! definition (without its workflow) and each workflow once, under the hex SHA-256 of its JSON text; `services`
//! and `workflows` keep the address (`definition_hash`) instead of a copy. The 1,503 communes onboarded from one
//! template share 48 rows instead of holding 72,000 copies. Existing rows are moved, then the copies dropped. No
//! tenant owns a row of `definitions`, so it has no row-level policy: on PostgreSQL the application's role may
//! only read and add rows (`grant_app_role`), never change one.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col};
use sha2::{Digest, Sha256};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// The tables that referred to a definition by holding it.
const HOLDERS: [&str; 2] = ["services", "workflows"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("definitions")
                    .col(col("hash").string().primary_key())
                    .col(col("body").json_binary())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for table in HOLDERS {
            add_columns(manager, table, vec![col("definition_hash").string().default("").to_owned()]).await?;
            let rows = db
                .query_all(&Query::select().columns(["tenant_id", "id", "definition"]).from(table).to_owned())
                .await?;
            for row in rows {
                let tenant: uuid::Uuid = row.try_get("", "tenant_id")?;
                let id: uuid::Uuid = row.try_get("", "id")?;
                let body: serde_json::Value = row.try_get("", "definition")?;
                let text = serde_json::to_vec(&body).map_err(|e| DbErr::Custom(e.to_string()))?;
                let hash = hex::encode(Sha256::digest(&text));
                db.execute(
                    &Query::insert()
                        .into_table("definitions")
                        .columns(["hash", "body"])
                        .values([hash.clone().into(), body.into()])
                        .map_err(|e| DbErr::Custom(e.to_string()))?
                        .on_conflict(OnConflict::column("hash").do_nothing().to_owned())
                        .to_owned(),
                )
                .await?;
                db.execute(
                    &Query::update()
                        .table(table)
                        .value("definition_hash", hash)
                        .and_where(Expr::col("tenant_id").eq(tenant))
                        .and_where(Expr::col("id").eq(id))
                        .to_owned(),
                )
                .await?;
            }
            manager.alter_table(Table::alter().table(table).drop_column("definition").to_owned()).await?;
        }
        Ok(())
    }
}
