//! The commune's disputes: cases (parties sealed, a number unique per commune), hearings (their reminder's time and
//! when the scheduler recorded it), decisions and appeals. Tenant tables with row-level security on PostgreSQL,
//! and the function through which the scheduler learns which communes have a hearing reminder due.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["dispute_cases", "dispute_hearings", "dispute_decisions", "dispute_appeals"];

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0032_disputes"
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

/// A tenant table keyed by `(tenant_id, id)`.
fn tenant_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .if_not_exists()
        .col(col("tenant_id").uuid())
        .col(col("id").uuid())
        .primary_key(Index::create().col("tenant_id").col("id"))
        .foreign_key(
            ForeignKey::create().from(name, "tenant_id").to("communes", "id").on_delete(ForeignKeyAction::Restrict),
        )
        .to_owned()
}

fn tenant_fk(from: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(from)
        .from_col("tenant_id")
        .from_col(column)
        .to_tbl(to)
        .to_col("tenant_id")
        .to_col("id")
        .to_owned()
}

fn index(name: &'static str, table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).col("tenant_id");
    for column in columns {
        index.col(*column);
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("dispute_cases")
                    .col(col("number").string())
                    .col(col("case_type").string())
                    .col(col("subject").string())
                    .col(col("court_name").string())
                    .col(col("court_city").string())
                    .col(col("position").string())
                    // The parties, sealed (AES-256-GCM under the commune's data key, bound to the id).
                    .col(col("parties").text())
                    .col(col("data_key_id").uuid())
                    .col(nullable("lawyer_name").string())
                    .col(nullable("lawyer_bar").string())
                    .col(col("stakes_centimes").big_integer())
                    // A request or complaint of the commune, checked by the use case (no foreign key: a training
                    // commune's reset empties the requests and keeps no case pointing at them).
                    .col(nullable("request_id").uuid())
                    .col(nullable("request_code").string())
                    .col(col("status").string())
                    .col(col("opened_on").date())
                    .col(nullable("responsible_user_id").uuid())
                    .col(col("created_at").timestamp_with_time_zone())
                    .col(col("updated_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("dispute_cases_number", "dispute_cases", &["number"], true)).await?;
        manager.create_index(index("dispute_cases_status", "dispute_cases", &["status"], false)).await?;
        manager
            .create_table(
                tenant_table("dispute_hearings")
                    .col(col("case_id").uuid())
                    .col(col("scheduled_at").timestamp_with_time_zone())
                    .col(nullable("room").string())
                    .col(col("object").string())
                    .col(nullable("outcome").text())
                    .col(col("reminder_due_at").timestamp_with_time_zone())
                    .col(nullable("reminded_at").timestamp_with_time_zone())
                    .col(col("recorded_at").timestamp_with_time_zone())
                    .col(col("recorded_by").string())
                    .foreign_key(&mut tenant_fk("dispute_hearings", "case_id", "dispute_cases"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("dispute_hearings_case", "dispute_hearings", &["case_id", "scheduled_at"], false))
            .await?;
        manager.create_index(index("dispute_hearings_at", "dispute_hearings", &["scheduled_at"], false)).await?;
        manager
            .create_index(
                Index::create()
                    .name("dispute_hearings_reminders")
                    .table("dispute_hearings")
                    .col("reminder_due_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("dispute_decisions")
                    .col(col("case_id").uuid())
                    .col(col("decided_on").date())
                    .col(col("outcome").string())
                    .col(col("awarded_centimes").big_integer())
                    .col(col("summary").text())
                    .col(col("appeal_deadline").date())
                    .col(col("recorded_at").timestamp_with_time_zone())
                    .col(col("recorded_by").string())
                    .foreign_key(&mut tenant_fk("dispute_decisions", "case_id", "dispute_cases"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("dispute_decisions_case", "dispute_decisions", &["case_id"], false)).await?;
        manager
            .create_table(
                tenant_table("dispute_appeals")
                    .col(col("case_id").uuid())
                    .col(col("decision_id").uuid())
                    .col(col("lodged_on").date())
                    .col(col("court_name").string())
                    .col(col("court_city").string())
                    .col(col("deadline").date())
                    .col(col("recorded_at").timestamp_with_time_zone())
                    .col(col("recorded_by").string())
                    .foreign_key(&mut tenant_fk("dispute_appeals", "case_id", "dispute_cases"))
                    .foreign_key(&mut tenant_fk("dispute_appeals", "decision_id", "dispute_decisions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("dispute_appeals_case", "dispute_appeals", &["case_id"], false)).await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            let mut sql = super::row_level_security(TABLES);
            // The scheduler learns which communes have a hearing reminder due, and nothing else, without a
            // tenant scope.
            sql.push_str(
                "CREATE FUNCTION jamaa_tenants_with_due_hearing_reminders(due timestamptz) RETURNS SETOF uuid\n\
                 LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS\n\
                 $$ SELECT DISTINCT tenant_id FROM dispute_hearings WHERE reminded_at IS NULL AND reminder_due_at <= due $$;\n\
                 REVOKE ALL ON FUNCTION jamaa_tenants_with_due_hearing_reminders(timestamptz) FROM PUBLIC;\n",
            );
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
