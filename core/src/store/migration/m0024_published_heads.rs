//! The public chain of the audit trail and its published heads. Each event gets its content hash and its link
//! (`model::audit::link`: the hash of the previous link and the content hash), computed here for the events
//! already recorded, in order, so that existing chains go on verifying; each head gets its link; and
//! `audit_published_heads` holds the heads the scheduler publishes, one a day at most per commune (a tenant
//! table with row-level security, to which the application may only append).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use crate::model::audit::{GENESIS_HASH, content_hash, link};
use crate::model::ids::TenantId;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0024_published_heads"
    }
}

/// Events read and updated per round trip.
const PAGE: u64 = 1_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in ["content_hash", "link"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("audit_events")
                        .add_column(ColumnDef::new(column).string().not_null().default(""))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("audit_heads")
                    .add_column(ColumnDef::new("link").string().not_null().default(GENESIS_HASH))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_published_heads")
                    .if_not_exists()
                    .col(ColumnDef::new("tenant_id").uuid().not_null())
                    .col(ColumnDef::new("day").date().not_null())
                    .col(ColumnDef::new("sequence").big_integer().not_null())
                    .col(ColumnDef::new("hash").string().not_null())
                    .col(ColumnDef::new("link").string().not_null())
                    .col(ColumnDef::new("recorded_at").timestamp_with_time_zone().null())
                    .col(ColumnDef::new("published_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("tenant_id").col("day"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("audit_published_heads", "tenant_id")
                            .to("communes", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let tenants = db
            .query_all(Query::select().column("tenant_id").from("audit_heads"))
            .await?
            .into_iter()
            .map(|row| row.try_get::<uuid::Uuid>("", "tenant_id"))
            .collect::<Result<Vec<_>, _>>()?;
        for tenant in tenants {
            let mut prev_link = GENESIS_HASH.to_owned();
            let mut after = 0i64;
            loop {
                let rows = db
                    .query_all(
                        Query::select()
                            .columns(["sequence", "occurred_at", "actor", "kind", "subject", "payload"])
                            .from("audit_events")
                            .and_where(Expr::col("tenant_id").eq(tenant))
                            .and_where(Expr::col("sequence").gt(after))
                            .order_by("sequence", Order::Asc)
                            .limit(PAGE),
                    )
                    .await?;
                let full_page = rows.len() as u64 == PAGE;
                for row in rows {
                    let sequence: i64 = row.try_get("", "sequence")?;
                    let occurred_at: DateTime<Utc> = row.try_get("", "occurred_at")?;
                    let text = |column: &str| row.try_get::<String>("", column);
                    let content = content_hash(
                        TenantId::from_uuid(tenant),
                        sequence,
                        &occurred_at,
                        &text("actor")?,
                        &text("kind")?,
                        &text("subject")?,
                        &text("payload")?,
                    );
                    let linked = link(&prev_link, &content);
                    db.execute(
                        Query::update()
                            .table("audit_events")
                            .value("content_hash", content)
                            .value("link", linked.clone())
                            .and_where(Expr::col("tenant_id").eq(tenant))
                            .and_where(Expr::col("sequence").eq(sequence)),
                    )
                    .await?;
                    prev_link = linked;
                    after = sequence;
                }
                if !full_page {
                    break;
                }
            }
            db.execute(
                Query::update()
                    .table("audit_heads")
                    .value("link", prev_link)
                    .and_where(Expr::col("tenant_id").eq(tenant)),
            )
            .await?;
        }

        if backend == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(&["audit_published_heads"])).await?;
        }
        Ok(())
    }
}
