//! The first schema: communes, tokens, roles, services and workflows, requests and their history, timers,
//! the audit chain and counters.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, nullable, on_postgres, tenant_fk, tenant_index, tenant_table, tenant_table_keyed};

/// The tenant tables this migration creates.
const TABLES: &[&str] = &[
    "roles",
    "workflows",
    "services",
    "requests",
    "request_transitions",
    "timers",
    "audit_events",
    "audit_heads",
    "counters",
];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("communes")
                    .if_not_exists()
                    .col(col("id").uuid().primary_key())
                    .col(col("slug").string().unique_key())
                    .col(col("name").json_binary())
                    .col(col("country").string())
                    .col(nullable("official_code").string().unique_key())
                    .col(nullable("region").string())
                    .col(nullable("province").string())
                    .col(nullable("population").big_integer())
                    .col(col("default_locale").string())
                    .col(col("locales").json_binary())
                    .col(col("time_zone").string())
                    .col(col("currency").string())
                    .col(col("tracking_prefix").string().unique_key())
                    .col(col("calendar").json_binary())
                    .col(col("status").string())
                    .col(col("created_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("api_tokens")
                    .if_not_exists()
                    .col(col("id").uuid().primary_key())
                    .col(col("kind").string())
                    .col(nullable("tenant_id").uuid())
                    .col(col("roles").json_binary())
                    .col(col("scopes").json_binary())
                    .col(col("label").string())
                    .col(col("secret_hash").string())
                    .col(col("created_at").timestamp_with_time_zone())
                    .col(nullable("expires_at").timestamp_with_time_zone())
                    .col(nullable("revoked_at").timestamp_with_time_zone())
                    .col(nullable("last_used_at").timestamp_with_time_zone())
                    .foreign_key(ForeignKey::create().from("api_tokens", "tenant_id").to("communes", "id"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                tenant_table_keyed("roles", &["key"])
                    .col(col("key").string())
                    .col(col("label").json_binary())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                tenant_table("workflows")
                    .col(col("service_code").string())
                    .col(col("version").integer())
                    .col(col("definition").json_binary())
                    .col(col("published_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("workflows_code_version", "workflows", &["service_code", "version"], true))
            .await?;

        manager
            .create_table(
                tenant_table("services")
                    .col(col("code").string())
                    .col(col("version").integer())
                    .col(col("is_current").boolean())
                    .col(col("workflow_id").uuid())
                    .col(col("definition").json_binary())
                    .col(col("published_at").timestamp_with_time_zone())
                    .foreign_key(&mut tenant_fk("services", "workflow_id", "workflows"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(tenant_index("services_code_version", "services", &["code", "version"], true)).await?;

        manager
            .create_table(
                tenant_table("requests")
                    .col(col("service_id").uuid())
                    .col(col("workflow_id").uuid())
                    .col(col("tracking_code").string())
                    .col(col("state").string())
                    .col(nullable("outcome").string())
                    .col(col("version").big_integer())
                    .col(col("data").json_binary())
                    .col(col("documents").json_binary())
                    .col(col("secret_hash").string())
                    .col(col("submitted_at").timestamp_with_time_zone())
                    .col(col("decision_due").date())
                    .col(col("updated_at").timestamp_with_time_zone())
                    .col(nullable("closed_at").timestamp_with_time_zone())
                    .foreign_key(&mut tenant_fk("requests", "service_id", "services"))
                    .foreign_key(&mut tenant_fk("requests", "workflow_id", "workflows"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(tenant_index("requests_tracking_code", "requests", &["tracking_code"], true)).await?;
        manager.create_index(tenant_index("requests_inbox", "requests", &["state", "id"], false)).await?;

        manager
            .create_table(
                tenant_table("request_transitions")
                    .col(col("request_id").uuid())
                    .col(nullable("from_state").string())
                    .col(col("to_state").string())
                    .col(col("action").string())
                    .col(col("actor").string())
                    .col(nullable("comment").text())
                    .col(col("occurred_at").timestamp_with_time_zone())
                    .foreign_key(&mut tenant_fk("request_transitions", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index(
                "request_transitions_request",
                "request_transitions",
                &["request_id", "id"],
                false,
            ))
            .await?;

        manager
            .create_table(
                tenant_table("timers")
                    .col(col("request_id").uuid())
                    .col(col("request_version").big_integer())
                    .col(col("action").string())
                    .col(col("due_at").timestamp_with_time_zone())
                    .col(col("status").string())
                    .col(nullable("fired_at").timestamp_with_time_zone())
                    .foreign_key(&mut tenant_fk("timers", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("timers_due")
                    .table("timers")
                    .col("status")
                    .col("due_at")
                    .col("tenant_id")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                tenant_table("audit_events")
                    .col(col("sequence").big_integer())
                    .col(col("occurred_at").timestamp_with_time_zone())
                    .col(col("actor").string())
                    .col(col("kind").string())
                    .col(col("subject").string())
                    .col(col("payload").text())
                    .col(col("prev_hash").string())
                    .col(col("hash").string())
                    .to_owned(),
            )
            .await?;
        manager.create_index(tenant_index("audit_events_sequence", "audit_events", &["sequence"], true)).await?;

        manager
            .create_table(
                tenant_table_keyed("audit_heads", &[])
                    .col(col("sequence").big_integer())
                    .col(col("hash").string())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table_keyed("counters", &["name"])
                    .col(col("name").string())
                    .col(col("value").big_integer())
                    .to_owned(),
            )
            .await?;

        let mut sql = row_level_security(TABLES);
        // The scheduler learns which communes have due timers, and nothing else, without a tenant scope.
        sql.push_str(
            "CREATE FUNCTION jamaa_tenants_with_due_timers(due timestamptz) RETURNS SETOF uuid\n\
             LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS\n\
             $$ SELECT DISTINCT tenant_id FROM timers WHERE status = 'pending' AND due_at <= due $$;\n\
             REVOKE ALL ON FUNCTION jamaa_tenants_with_due_timers(timestamptz) FROM PUBLIC;\n",
        );
        on_postgres(manager, &sql).await
    }
}
