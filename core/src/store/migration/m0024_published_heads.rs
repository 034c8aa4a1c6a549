//! The public chain of the audit trail and its published heads. Each event gets its content hash and its link
//! (`model::audit::link`: the hash of the previous link and the content hash), computed here for the events
//! already recorded, in order, so that existing chains go on verifying; each head gets its link; and
//! `audit_published_heads` holds the heads the scheduler publishes, one a day at most per commune (a tenant
//! table with row-level security, to which the application may only append).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::tables::{add_columns, col, nullable};

use crate::model::audit::{GENESIS_HASH, content_hash, link};
use crate::model::ids::TenantId;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Events read and updated per round trip.
const PAGE: u64 = 1_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in ["content_hash", "link"] {
            add_columns(
                manager,
                "audit_events",
                vec![ColumnDef::new(column).string().not_null().default("").to_owned()],
            )
            .await?;
        }
        add_columns(manager, "audit_heads", vec![col("link").string().default(GENESIS_HASH).to_owned()]).await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_published_heads")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("day").date())
                    .col(col("sequence").big_integer())
                    .col(col("hash").string())
                    .col(col("link").string())
                    .col(nullable("recorded_at").timestamp_with_time_zone())
                    .col(col("published_at").timestamp_with_time_zone())
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
        backfill(db).await?;
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(&["audit_published_heads"])).await?;
        }
        Ok(())
    }
}

/// Computes the content hash and link of every recorded event, commune by commune in sequence order, and each
/// head's link.
async fn backfill(db: &impl ConnectionTrait) -> Result<(), DbErr> {
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
            Query::update().table("audit_heads").value("link", prev_link).and_where(Expr::col("tenant_id").eq(tenant)),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder};
    use secrecy::SecretString;

    use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
    use crate::model::ids::{RequestId, TenantId};
    use crate::store::entity::{audit_event, commune};
    use crate::store::{Store, StoreConfig, TenantScope, audit};

    /// Events recorded before the migration get the links they would have had, and the chain verifies.
    #[tokio::test]
    async fn events_recorded_before_get_their_links() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("a.db").display());
        let config = StoreConfig {
            url: SecretString::from(url),
            max_connections: 1,
            acquire_timeout: crate::store::DEFAULT_ACQUIRE_TIMEOUT,
            sqlite_synchronous: Default::default(),
        };
        let store = Store::connect(&config).await.unwrap();
        store.migrate(None).await.unwrap();
        let tenant = TenantId::new();
        let json = |v: serde_json::Value| sea_orm::ActiveValue::Set(v);
        commune::Entity::insert(commune::ActiveModel {
            id: Set(tenant.as_uuid()),
            slug: Set("oujda".into()),
            name: json(serde_json::json!({"fr": "Oujda"})),
            country: Set(crate::model::commune::Country::Morocco),
            official_code: Set(None),
            region: Set(None),
            province: Set(None),
            population: Set(None),
            default_locale: Set(crate::model::i18n::Locale::Fr),
            locales: json(serde_json::json!(["fr"])),
            time_zone: Set("Africa/Casablanca".into()),
            currency: Set(crate::model::commune::Currency::parse("MAD").unwrap()),
            tracking_prefix: Set("OUJ".into()),
            calendar_hash: Set(String::new()),
            status: Set(crate::model::commune::CommuneStatus::Active),
            template_name: Set(None),
            template_version: Set(None),
            created_at: Set(Utc::now()),
            catalog_generation: Set(0),
            site_origins: json(serde_json::json!([])),
            training_source: Set(None),
            training_reset: Set(None),
            training_reset_at: Set(None),
            roles_hash: Set(String::new()),
        })
        .exec_without_returning(store.conn())
        .await
        .unwrap();
        let tx = store.tenant_tx(TenantScope::new(tenant)).await.unwrap();
        let mut recorded = Vec::new();
        for n in 0..5 {
            let event = NewEvent::new(
                "system",
                AuditKind::RequestSubmitted,
                AuditSubject::Request(RequestId::new()),
                serde_json::json!({"n": n}),
            );
            recorded.push(audit::append(&tx, event, Utc::now()).await.unwrap());
        }
        tx.commit().await.unwrap();

        // As before the migration: no content hash, no link.
        store
            .conn()
            .execute_unprepared(
                "UPDATE audit_events SET content_hash = '', link = ''; UPDATE audit_heads SET link = ''",
            )
            .await
            .unwrap();
        super::backfill(store.conn()).await.unwrap();

        let rows =
            audit_event::Entity::find().order_by_asc(audit_event::Column::Sequence).all(store.conn()).await.unwrap();
        let links: Vec<(String, String)> = rows.into_iter().map(|r| (r.content_hash, r.link)).collect();
        let expected: Vec<(String, String)> =
            recorded.iter().map(|e| (e.content_hash.clone(), e.link.clone())).collect();
        assert_eq!(links, expected);
        let tx = store.tenant_tx(TenantScope::new(tenant)).await.unwrap();
        let report = audit::verify(&tx).await.unwrap();
        let head = audit::head(&tx).await.unwrap();
        tx.commit().await.unwrap();
        assert!(report.valid, "{report:?}");
        assert_eq!(head.link, recorded[4].link);
    }
}
