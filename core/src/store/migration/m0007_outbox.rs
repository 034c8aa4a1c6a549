//! Notifications: the outbox of events written with each change of a request, the communes' webhook endpoints
//! and SMTP settings, and the deliveries the dispatcher works through (leased, retried, dead-lettered).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_outbox"
    }
}

fn uuid(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).uuid().not_null().to_owned()
}

fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).string().not_null().to_owned()
}

fn at(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().not_null().to_owned()
}

fn tenant_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, "tenant_id").to("communes", "id").to_owned()
}

fn request_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(table)
        .from_col("tenant_id")
        .from_col("request_id")
        .to_tbl("requests")
        .to_col("tenant_id")
        .to_col("id")
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The language the citizen submitted in, for the e-mails about the request.
        manager
            .alter_table(
                Table::alter().table("requests").add_column(ColumnDef::new("locale").string().null()).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("outbox_events")
                    .if_not_exists()
                    .col(uuid("tenant_id"))
                    .col(uuid("id"))
                    .col(uuid("request_id"))
                    .col(ColumnDef::new("sequence").big_integer().not_null())
                    .col(text("kind"))
                    .col(ColumnDef::new("payload").json_binary().not_null())
                    .col(at("created_at"))
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut request_fk("outbox_events"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_events_request_sequence")
                    .table("outbox_events")
                    .col("tenant_id")
                    .col("request_id")
                    .col("sequence")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhook_endpoints")
                    .if_not_exists()
                    .col(uuid("tenant_id"))
                    .col(uuid("id"))
                    .col(text("url"))
                    .col(ColumnDef::new("events").json_binary().not_null())
                    .col(ColumnDef::new("secret").text().not_null())
                    .col(uuid("data_key_id"))
                    .col(ColumnDef::new("active").boolean().not_null())
                    .col(at("created_at"))
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_fk("webhook_endpoints"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("smtp_settings")
                    .if_not_exists()
                    .col(uuid("tenant_id"))
                    .col(text("host"))
                    .col(ColumnDef::new("port").integer().not_null())
                    .col(text("tls"))
                    .col(ColumnDef::new("username").string().null())
                    .col(ColumnDef::new("password").text().null())
                    .col(ColumnDef::new("data_key_id").uuid().null())
                    .col(text("from_address"))
                    .col(at("updated_at"))
                    .primary_key(Index::create().col("tenant_id"))
                    .foreign_key(&mut tenant_fk("smtp_settings"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notification_deliveries")
                    .if_not_exists()
                    .col(uuid("tenant_id"))
                    .col(uuid("id"))
                    .col(uuid("event_id"))
                    .col(uuid("request_id"))
                    .col(ColumnDef::new("sequence").big_integer().not_null())
                    .col(text("channel"))
                    .col(ColumnDef::new("endpoint_id").uuid().null())
                    .col(text("status"))
                    .col(ColumnDef::new("attempts").integer().not_null())
                    .col(at("next_attempt_at"))
                    .col(ColumnDef::new("lease_owner").string().null())
                    .col(ColumnDef::new("lease_until").timestamp_with_time_zone().null())
                    .col(ColumnDef::new("last_error").string().null())
                    .col(ColumnDef::new("delivered_at").timestamp_with_time_zone().null())
                    .col(at("created_at"))
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl("notification_deliveries")
                            .from_col("tenant_id")
                            .from_col("event_id")
                            .to_tbl("outbox_events")
                            .to_col("tenant_id")
                            .to_col("id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notification_deliveries_open")
                    .table("notification_deliveries")
                    .col("tenant_id")
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            let mut sql = super::row_level_security(&[
                "outbox_events",
                "webhook_endpoints",
                "smtp_settings",
                "notification_deliveries",
            ]);
            // The dispatcher learns which communes have deliveries to make, and nothing else, without a scope.
            sql.push_str(
                "CREATE FUNCTION jamaa_tenants_with_due_deliveries(due timestamptz) RETURNS SETOF uuid\n\
                 LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS\n\
                 $$ SELECT DISTINCT tenant_id FROM notification_deliveries WHERE status = 'pending'\n\
                    AND next_attempt_at <= due AND (lease_until IS NULL OR lease_until <= due) $$;\n\
                 REVOKE ALL ON FUNCTION jamaa_tenants_with_due_deliveries(timestamptz) FROM PUBLIC;\n",
            );
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
