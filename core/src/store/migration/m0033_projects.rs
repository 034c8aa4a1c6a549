//! The commune's action-plan projects (organic law 113.14, arts 78–82): projects (a code unique per commune,
//! titles and descriptions in the commune's languages, status, progress, place, publication), the budget
//! lines each plans to spend on (centimes), milestones, and the dated notes of progress. Tenant tables with
//! row-level security on PostgreSQL.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, nullable, on_postgres, tenant_fk, tenant_index, tenant_table};

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["projects", "project_budget_lines", "project_milestones", "project_updates"];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("projects")
                    .col(col("code").string())
                    .col(col("title").json_binary())
                    .col(col("description").json_binary())
                    .col(col("category").string())
                    .col(col("period_from").integer())
                    .col(col("period_to").integer())
                    .col(col("status").string())
                    .col(col("progress").integer())
                    .col(nullable("starts_on").date())
                    .col(nullable("ends_on").date())
                    .col(col("place").string())
                    .col(nullable("latitude").double())
                    .col(nullable("longitude").double())
                    .col(col("published").boolean())
                    .col(col("created_at").timestamp_with_time_zone())
                    .col(col("updated_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager.create_index(tenant_index("projects_code", "projects", &["code"], true)).await?;
        manager
            .create_table(
                tenant_table("project_budget_lines")
                    .col(col("project_id").uuid())
                    .col(col("position").integer())
                    .col(col("year").integer())
                    .col(col("chapter").string())
                    .col(col("article").string())
                    .col(col("paragraph").string())
                    .col(col("planned").big_integer())
                    .foreign_key(&mut tenant_fk("project_budget_lines", "project_id", "projects"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("project_budget_lines_project", "project_budget_lines", &["project_id"], false))
            .await?;
        manager
            .create_table(
                tenant_table("project_milestones")
                    .col(col("project_id").uuid())
                    .col(col("title").json_binary())
                    .col(col("due_on").date())
                    .col(nullable("done_on").date())
                    .col(col("updated_at").timestamp_with_time_zone())
                    .foreign_key(&mut tenant_fk("project_milestones", "project_id", "projects"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index(
                "project_milestones_project",
                "project_milestones",
                &["project_id", "due_on"],
                false,
            ))
            .await?;
        manager
            .create_table(
                tenant_table("project_updates")
                    .col(col("project_id").uuid())
                    .col(col("on_date").date())
                    .col(col("progress").integer())
                    .col(col("note").json_binary())
                    .col(col("recorded_at").timestamp_with_time_zone())
                    .col(col("recorded_by").string())
                    .foreign_key(&mut tenant_fk("project_updates", "project_id", "projects"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("project_updates_project", "project_updates", &["project_id", "on_date"], false))
            .await?;
        on_postgres(manager, &row_level_security(TABLES)).await?;
        Ok(())
    }
}
