//! The commune's action-plan projects (organic law 113.14, arts 78–82): projects (a code unique per commune,
//! titles and descriptions in the commune's languages, status, progress, place, publication), the budget
//! lines each plans to spend on (centimes), milestones, and the dated notes of progress. Tenant tables with
//! row-level security on PostgreSQL.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["projects", "project_budget_lines", "project_milestones", "project_updates"];

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0033_projects"
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

/// A project's row in `table`, of the same commune.
fn of_project(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(table)
        .from_col("tenant_id")
        .from_col("project_id")
        .to_tbl("projects")
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
        manager.create_index(index("projects_code", "projects", &["code"], true)).await?;
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
                    .foreign_key(&mut of_project("project_budget_lines"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("project_budget_lines_project", "project_budget_lines", &["project_id"], false))
            .await?;
        manager
            .create_table(
                tenant_table("project_milestones")
                    .col(col("project_id").uuid())
                    .col(col("title").json_binary())
                    .col(col("due_on").date())
                    .col(nullable("done_on").date())
                    .col(col("updated_at").timestamp_with_time_zone())
                    .foreign_key(&mut of_project("project_milestones"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("project_milestones_project", "project_milestones", &["project_id", "due_on"], false))
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
                    .foreign_key(&mut of_project("project_updates"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("project_updates_project", "project_updates", &["project_id", "on_date"], false))
            .await?;
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&super::row_level_security(TABLES)).await?;
        }
        Ok(())
    }
}
