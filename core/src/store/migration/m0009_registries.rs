//! The registries: civil-status acts and their marginal mentions (append-only: the store refuses any update
//! or deletion of them, on both backends), and the courier registry with its history.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::tables::{col, nullable, tenant_fk, tenant_index, tenant_table};

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["civil_acts", "civil_mentions", "courier_items", "courier_history"];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("civil_acts")
                    .col(col("kind").string())
                    .col(col("office").string())
                    .col(col("year").integer())
                    .col(col("number").big_integer())
                    .col(col("event_date").date())
                    // The event, the sex, a birth date as known: in clear.
                    .col(col("details").json_binary())
                    // Names, national ids, parents and declarant: sealed under `data_key_id`.
                    .col(col("persons").text())
                    .col(col("data_key_id").uuid())
                    // Blind index of the subject's national id, if any.
                    .col(nullable("subject_digest").string())
                    .col(col("registered_on").date())
                    .col(col("registered_at").timestamp_with_time_zone())
                    .col(col("registered_by").string())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("civil_acts_number", "civil_acts", &["office", "year", "number"], true))
            .await?;
        manager.create_index(tenant_index("civil_acts_subject", "civil_acts", &["subject_digest"], false)).await?;
        manager
            .create_table(
                tenant_table("civil_mentions")
                    .col(col("act_id").uuid())
                    .col(col("sequence").big_integer())
                    .col(col("kind").string())
                    .col(nullable("reference").string())
                    .col(col("effective_on").date())
                    // The mention's text, which may name persons: sealed under `data_key_id`.
                    .col(col("text").text())
                    .col(col("data_key_id").uuid())
                    .col(col("recorded_at").timestamp_with_time_zone())
                    .col(col("recorded_by").string())
                    .foreign_key(&mut tenant_fk("civil_mentions", "act_id", "civil_acts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("civil_mentions_act", "civil_mentions", &["act_id", "sequence"], true))
            .await?;
        manager
            .create_table(
                tenant_table("courier_items")
                    .col(col("direction").string())
                    .col(col("year").integer())
                    .col(col("number").big_integer())
                    .col(col("reference").string())
                    .col(col("correspondent").string())
                    .col(col("subject").text())
                    .col(col("mail_date").date())
                    .col(col("department").string())
                    .col(nullable("due_on").date())
                    .col(col("state").string())
                    .col(nullable("request_code").string())
                    .col(nullable("deliberation_id").uuid())
                    .col(col("registered_at").timestamp_with_time_zone())
                    .col(col("updated_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("courier_items_number", "courier_items", &["direction", "year", "number"], true))
            .await?;
        manager
            .create_index(tenant_index("courier_items_department", "courier_items", &["department", "id"], false))
            .await?;
        manager.create_index(tenant_index("courier_items_due", "courier_items", &["state", "due_on"], false)).await?;
        manager
            .create_table(
                tenant_table("courier_history")
                    .col(col("item_id").uuid())
                    // `registered`, `routed`, `answered`, `closed`, `reopened`.
                    .col(col("kind").string())
                    .col(col("department").string())
                    .col(col("state").string())
                    .col(nullable("note").text())
                    .col(col("occurred_at").timestamp_with_time_zone())
                    .col(col("actor").string())
                    .foreign_key(&mut tenant_fk("courier_history", "item_id", "courier_items"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("courier_history_item", "courier_history", &["item_id", "id"], false))
            .await?;

        // An act's (or any subject's) audit trail is read by subject.
        manager
            .create_index(tenant_index("audit_events_subject", "audit_events", &["subject", "sequence"], false))
            .await?;

        let db = manager.get_connection();
        let mut sql = String::new();
        if db.get_database_backend() == DbBackend::Postgres {
            sql.push_str(&super::row_level_security(TABLES));
            sql.push_str(
                "CREATE FUNCTION jamaa_refuse_change() RETURNS trigger LANGUAGE plpgsql AS\n\
                 $$ BEGIN RAISE EXCEPTION '% rows are never changed or removed: add a marginal mention', TG_TABLE_NAME; END $$;\n",
            );
            for table in super::APPEND_ONLY_TABLES.iter().filter(|t| t.starts_with("civil_")) {
                sql.push_str(&format!(
                    "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}\n\
                     FOR EACH ROW EXECUTE FUNCTION jamaa_refuse_change();\n"
                ));
            }
        } else {
            for table in super::APPEND_ONLY_TABLES.iter().filter(|t| t.starts_with("civil_")) {
                for action in ["UPDATE", "DELETE"] {
                    let lower = action.to_lowercase();
                    sql.push_str(&format!(
                        "CREATE TRIGGER IF NOT EXISTS {table}_no_{lower} BEFORE {action} ON {table}\n\
                         BEGIN SELECT RAISE(ABORT, '{table} rows are never changed or removed: add a marginal mention'); END;\n"
                    ));
                }
            }
        }
        db.execute_unprepared(&sql).await?;
        Ok(())
    }
}
