//! The council (members, sessions, agenda items, deliberations and their votes) and finance transparency
//! (budget lines with their appropriations, commitments, payments and revenues).

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, nullable, on_postgres, tenant_fk, tenant_index, tenant_table, tenant_table_keyed};

/// The tenant tables this migration creates.
const TABLES: &[&str] = &[
    "council_members",
    "council_sessions",
    "council_agenda_items",
    "council_deliberations",
    "council_votes",
    "budget_lines",
];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// A foreign key within the commune: `(tenant_id, column)` → `to(tenant_id, id)`.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("council_members")
                    .col(col("name_ar").string())
                    .col(col("name_latin").string())
                    .col(col("party").string())
                    .col(col("role").string())
                    .col(col("mandate_start").date())
                    .col(nullable("mandate_end").date())
                    .col(col("created_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("council_sessions")
                    .col(col("kind").string())
                    .col(col("starts_on").date())
                    .col(col("title").json_binary())
                    .col(nullable("published_at").timestamp_with_time_zone())
                    .col(col("created_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("council_agenda_items")
                    .col(col("session_id").uuid())
                    .col(col("position").integer())
                    .col(col("title").json_binary())
                    .col(nullable("request_id").uuid())
                    .foreign_key(&mut tenant_fk("council_agenda_items", "session_id", "council_sessions"))
                    .foreign_key(&mut tenant_fk("council_agenda_items", "request_id", "requests"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("council_deliberations")
                    .col(col("session_id").uuid())
                    .col(nullable("agenda_item_id").uuid())
                    .col(col("number").integer())
                    .col(col("text").json_binary())
                    .col(col("members_in_office").integer())
                    .col(col("present").integer())
                    .col(col("votes_for").integer())
                    .col(col("against").integer())
                    .col(col("abstain").integer())
                    .col(col("absent").integer())
                    .col(col("outcome").string())
                    .col(col("decided_at").timestamp_with_time_zone())
                    .foreign_key(&mut tenant_fk("council_deliberations", "session_id", "council_sessions"))
                    .foreign_key(&mut tenant_fk("council_deliberations", "agenda_item_id", "council_agenda_items"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table_keyed("council_votes", &["deliberation_id", "member_id"])
                    .col(col("deliberation_id").uuid())
                    .col(col("member_id").uuid())
                    .col(col("choice").string())
                    .foreign_key(&mut tenant_fk("council_votes", "deliberation_id", "council_deliberations"))
                    .foreign_key(&mut tenant_fk("council_votes", "member_id", "council_members"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("budget_lines")
                    .col(col("year").integer())
                    .col(col("position").integer())
                    .col(col("kind").string())
                    .col(col("chapter").string())
                    .col(col("article").string())
                    .col(col("paragraph").string())
                    .col(col("label").json_binary())
                    .col(nullable("revenue_type").string())
                    .col(nullable("appropriated").big_integer())
                    .col(nullable("committed").big_integer())
                    .col(nullable("paid").big_integer())
                    .col(nullable("planned").big_integer())
                    .col(nullable("collected").big_integer())
                    .col(col("imported_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        for (name, table, columns) in [
            ("council_agenda_items_position", "council_agenda_items", &["session_id", "position"][..]),
            ("council_deliberations_number", "council_deliberations", &["session_id", "number"][..]),
            ("budget_lines_code", "budget_lines", &["year", "kind", "chapter", "article", "paragraph"][..]),
        ] {
            manager.create_index(tenant_index(name, table, columns, true)).await?;
        }
        on_postgres(manager, &row_level_security(TABLES)).await?;
        Ok(())
    }
}
