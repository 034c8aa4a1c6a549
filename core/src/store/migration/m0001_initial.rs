//! The first schema: communes, tokens, roles, services and workflows, requests and their history, timers,
//! the audit chain and counters.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

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

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_initial"
    }
}

fn col(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    def.not_null();
    def
}

fn nullable(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    def.null();
    def
}

/// A tenant table: `tenant_id` first, and a primary key led by it.
fn tenant_table(name: &'static str, key: &[&'static str]) -> TableCreateStatement {
    let mut table = Table::create();
    table.table(name).if_not_exists().col(col("tenant_id").uuid());
    let mut pk = Index::create();
    pk.col("tenant_id");
    for column in key {
        pk.col(*column);
    }
    table.primary_key(&mut pk);
    table
        .foreign_key(
            ForeignKey::create().from(name, "tenant_id").to("communes", "id").on_delete(ForeignKeyAction::Restrict),
        )
        .to_owned()
}

fn tenant_fk(from: &'static str, columns: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(from)
        .from_col("tenant_id")
        .from_col(columns)
        .to_tbl(to)
        .to_col("tenant_id")
        .to_col("id")
        .to_owned()
}

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
                tenant_table("roles", &["key"]).col(col("key").string()).col(col("label").json_binary()).to_owned(),
            )
            .await?;

        manager
            .create_table(
                tenant_table("workflows", &["id"])
                    .col(col("id").uuid())
                    .col(col("service_code").string())
                    .col(col("version").integer())
                    .col(col("definition").json_binary())
                    .col(col("published_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("workflows_code_version")
                    .table("workflows")
                    .col("tenant_id")
                    .col("service_code")
                    .col("version")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                tenant_table("services", &["id"])
                    .col(col("id").uuid())
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
        manager
            .create_index(
                Index::create()
                    .name("services_code_version")
                    .table("services")
                    .col("tenant_id")
                    .col("code")
                    .col("version")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                tenant_table("requests", &["id"])
                    .col(col("id").uuid())
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
        manager
            .create_index(
                Index::create()
                    .name("requests_tracking_code")
                    .table("requests")
                    .col("tenant_id")
                    .col("tracking_code")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("requests_inbox")
                    .table("requests")
                    .col("tenant_id")
                    .col("state")
                    .col("id")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                tenant_table("request_transitions", &["id"])
                    .col(col("id").uuid())
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
            .create_index(
                Index::create()
                    .name("request_transitions_request")
                    .table("request_transitions")
                    .col("tenant_id")
                    .col("request_id")
                    .col("id")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                tenant_table("timers", &["id"])
                    .col(col("id").uuid())
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
                tenant_table("audit_events", &["id"])
                    .col(col("id").uuid())
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
        manager
            .create_index(
                Index::create()
                    .name("audit_events_sequence")
                    .table("audit_events")
                    .col("tenant_id")
                    .col("sequence")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                tenant_table("audit_heads", &[])
                    .col(col("sequence").big_integer())
                    .col(col("hash").string())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("counters", &["name"])
                    .col(col("name").string())
                    .col(col("value").big_integer())
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            let mut sql = super::row_level_security(TABLES);
            // The scheduler learns which communes have due timers, and nothing else, without a tenant scope.
            sql.push_str(
                "CREATE FUNCTION jamaa_tenants_with_due_timers(due timestamptz) RETURNS SETOF uuid\n\
                 LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS\n\
                 $$ SELECT DISTINCT tenant_id FROM timers WHERE status = 'pending' AND due_at <= due $$;\n\
                 REVOKE ALL ON FUNCTION jamaa_tenants_with_due_timers(timestamptz) FROM PUBLIC;\n",
            );
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
