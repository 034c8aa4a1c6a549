//! The commune's disputes: cases (parties sealed, a number unique per commune), hearings (their reminder's time and
//! when the scheduler recorded it), decisions and appeals. Tenant tables with row-level security on PostgreSQL,
//! and the function through which the scheduler learns which communes have a hearing reminder due.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, nullable, on_postgres, tenant_fk, tenant_index, tenant_table};

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["dispute_cases", "dispute_hearings", "dispute_decisions", "dispute_appeals"];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

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
        manager.create_index(tenant_index("dispute_cases_number", "dispute_cases", &["number"], true)).await?;
        manager.create_index(tenant_index("dispute_cases_status", "dispute_cases", &["status"], false)).await?;
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
            .create_index(tenant_index(
                "dispute_hearings_case",
                "dispute_hearings",
                &["case_id", "scheduled_at"],
                false,
            ))
            .await?;
        manager.create_index(tenant_index("dispute_hearings_at", "dispute_hearings", &["scheduled_at"], false)).await?;
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
        manager.create_index(tenant_index("dispute_decisions_case", "dispute_decisions", &["case_id"], false)).await?;
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
        manager.create_index(tenant_index("dispute_appeals_case", "dispute_appeals", &["case_id"], false)).await?;
        let mut sql = row_level_security(TABLES);
        // The scheduler learns which communes have a hearing reminder due, and nothing else, without a
        // tenant scope.
        sql.push_str(
            "CREATE FUNCTION jamaa_tenants_with_due_hearing_reminders(due timestamptz) RETURNS SETOF uuid\n\
             LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS\n\
             $$ SELECT DISTINCT tenant_id FROM dispute_hearings WHERE reminded_at IS NULL AND reminder_due_at <= due $$;\n\
             REVOKE ALL ON FUNCTION jamaa_tenants_with_due_hearing_reminders(timestamptz) FROM PUBLIC;\n",
        );
        on_postgres(manager, &sql).await
    }
}
