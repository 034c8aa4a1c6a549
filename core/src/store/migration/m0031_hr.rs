//! The commune's human resources: departments (the organisation chart, a tree with its heads), staff records
//! (personal data sealed, the national id's blind index, the linked user account, unique per commune) and
//! leave. Tenant tables with row-level security on PostgreSQL.

use sea_orm_migration::prelude::*;

use super::row_level_security;
use super::tables::{col, nullable, on_postgres, tenant_fk, tenant_index, tenant_table};

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["hr_departments", "hr_staff", "hr_leaves"];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("hr_departments")
                    .col(col("name").string())
                    // The parent and the head are checked by the use case (a tree; a record of the commune).
                    .col(nullable("parent_id").uuid())
                    .col(nullable("head_staff_id").uuid())
                    .col(col("updated_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table("hr_staff")
                    .col(col("full_name").string())
                    .col(col("grade").string())
                    .col(col("position").string())
                    .col(nullable("department_id").uuid())
                    .col(col("entered_on").date())
                    .col(nullable("left_on").date())
                    .col(nullable("user_id").uuid())
                    // The personal data, sealed (AES-256-GCM under the commune's data key, bound to the id).
                    .col(col("personal").text())
                    .col(col("data_key_id").uuid())
                    .col(nullable("national_id_digest").string())
                    .col(col("created_at").timestamp_with_time_zone())
                    .col(col("updated_at").timestamp_with_time_zone())
                    .foreign_key(&mut tenant_fk("hr_staff", "department_id", "hr_departments"))
                    .to_owned(),
            )
            .await?;
        // One record per user account in a commune (NULLs are distinct on both backends).
        manager.create_index(tenant_index("hr_staff_user", "hr_staff", &["user_id"], true)).await?;
        manager.create_index(tenant_index("hr_staff_national_id", "hr_staff", &["national_id_digest"], false)).await?;
        manager
            .create_table(
                tenant_table("hr_leaves")
                    .col(col("staff_id").uuid())
                    .col(col("kind").string())
                    .col(col("starts_on").date())
                    .col(col("ends_on").date())
                    .col(nullable("note").text())
                    .col(col("recorded_at").timestamp_with_time_zone())
                    .col(col("recorded_by").string())
                    .foreign_key(&mut tenant_fk("hr_leaves", "staff_id", "hr_staff"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(tenant_index("hr_leaves_staff", "hr_leaves", &["staff_id", "starts_on"], false)).await?;
        manager.create_index(tenant_index("hr_leaves_days", "hr_leaves", &["ends_on", "starts_on"], false)).await?;
        on_postgres(manager, &row_level_security(TABLES)).await?;
        Ok(())
    }
}
