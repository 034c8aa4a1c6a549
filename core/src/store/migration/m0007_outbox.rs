//! Notifications: the outbox of events written with each change of a request, the communes' webhook endpoints
//! and SMTP settings, and the deliveries the dispatcher works through (leased, retried, dead-lettered).

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{add_columns, col, create_tenant_indexes, nullable, on_postgres, tenant_fk};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// `table.tenant_id` refers to a commune (these tables came before the communes' keys restricted deletion).
fn commune_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, "tenant_id").to("communes", "id").to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The language the citizen submitted in, for the e-mails about the request.
        add_columns(manager, "requests", vec![nullable("locale").string().to_owned()]).await?;
        manager
            .create_table(
                Table::create()
                    .table("outbox_events")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("request_id").uuid())
                    .col(col("sequence").big_integer())
                    .col(col("kind").string())
                    .col(col("payload").json_binary())
                    .col(col("created_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_fk("outbox_events", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        create_tenant_indexes(
            manager,
            "outbox_events",
            &[("outbox_events_request_sequence", &["request_id", "sequence"], true)],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhook_endpoints")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("url").string())
                    .col(col("events").json_binary())
                    .col(col("secret").text())
                    .col(col("data_key_id").uuid())
                    .col(col("active").boolean())
                    .col(col("created_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut commune_fk("webhook_endpoints"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("smtp_settings")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("host").string())
                    .col(col("port").integer())
                    .col(col("tls").string())
                    .col(nullable("username").string())
                    .col(nullable("password").text())
                    .col(nullable("data_key_id").uuid())
                    .col(col("from_address").string())
                    .col(col("updated_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id"))
                    .foreign_key(&mut commune_fk("smtp_settings"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notification_deliveries")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
                    .col(col("event_id").uuid())
                    .col(col("request_id").uuid())
                    .col(col("sequence").big_integer())
                    .col(col("channel").string())
                    .col(nullable("endpoint_id").uuid())
                    .col(col("status").string())
                    .col(col("attempts").integer())
                    .col(col("next_attempt_at").timestamp_with_time_zone())
                    .col(nullable("lease_owner").string())
                    .col(nullable("lease_until").timestamp_with_time_zone())
                    .col(nullable("last_error").string())
                    .col(nullable("delivered_at").timestamp_with_time_zone())
                    .col(col("created_at").timestamp_with_time_zone())
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_fk("notification_deliveries", "event_id", "outbox_events"))
                    .to_owned(),
            )
            .await?;
        create_tenant_indexes(
            manager,
            "notification_deliveries",
            &[("notification_deliveries_open", &["status", "next_attempt_at"], false)],
        )
        .await?;
        let mut sql =
            row_level_security(&["outbox_events", "webhook_endpoints", "smtp_settings", "notification_deliveries"]);
        // The dispatcher learns which communes have deliveries to make, and nothing else, without a scope.
        sql.push_str(
            "CREATE FUNCTION jamaa_tenants_with_due_deliveries(due timestamptz) RETURNS SETOF uuid\n\
             LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS\n\
             $$ SELECT DISTINCT tenant_id FROM notification_deliveries WHERE status = 'pending'\n\
                AND next_attempt_at <= due AND (lease_until IS NULL OR lease_until <= due) $$;\n\
             REVOKE ALL ON FUNCTION jamaa_tenants_with_due_deliveries(timestamptz) FROM PUBLIC;\n",
        );
        on_postgres(manager, &sql).await
    }
}
