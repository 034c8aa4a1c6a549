//! Versioned schema migrations for SQLite and PostgreSQL, and the PostgreSQL-only defenses: row-level
//! security on every tenant table and the grants of the application's role.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};
use sea_orm_migration::prelude::*;

mod m0001_initial;
mod m0002_templates;
mod m0003_personal_data;
mod m0007_outbox;

/// Tables that belong to one commune: each has `tenant_id` and row-level security on PostgreSQL.
pub(crate) const TENANT_TABLES: &[&str] = &[
    "roles",
    "workflows",
    "services",
    "requests",
    "request_transitions",
    "timers",
    "audit_events",
    "audit_heads",
    "counters",
    "commune_configs",
    "data_keys",
    "request_lookups",
    "outbox_events",
    "webhook_endpoints",
    "smtp_settings",
    "notification_deliveries",
];

/// Tables of the platform itself.
pub(crate) const PLATFORM_TABLES: &[&str] = &["communes", "api_tokens", "templates"];

/// `ALTER TABLE … ENABLE ROW LEVEL SECURITY` and the tenant policy, for each table.
pub(crate) fn row_level_security(tables: &[&str]) -> String {
    tables
        .iter()
        .map(|table| {
            format!(
                "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n\
                 CREATE POLICY tenant_isolation ON {table}\n\
                 USING (tenant_id = NULLIF(current_setting('jamaa.tenant_id', true), '')::uuid)\n\
                 WITH CHECK (tenant_id = NULLIF(current_setting('jamaa.tenant_id', true), '')::uuid);\n"
            )
        })
        .collect()
}

pub(crate) struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_initial::Migration),
            Box::new(m0002_templates::Migration),
            Box::new(m0003_personal_data::Migration),
            Box::new(m0007_outbox::Migration),
        ]
    }
}

/// Grants the application's role what it needs and nothing more: no DDL, and only SELECT and INSERT on the
/// audit trail, so that even the application cannot rewrite history. Idempotent.
pub(crate) async fn grant_app_role(db: &DatabaseConnection, role: &str) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    if role.is_empty() || !role.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return Err(DbErr::Custom(format!("invalid role name `{role}`")));
    }
    let mut sql = format!("GRANT USAGE ON SCHEMA public TO {role};\n");
    for table in PLATFORM_TABLES.iter().chain(TENANT_TABLES).filter(|t| **t != "audit_events") {
        sql.push_str(&format!("GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {role};\n"));
    }
    sql.push_str(&format!("GRANT SELECT, INSERT ON audit_events TO {role};\n"));
    sql.push_str(&format!("GRANT EXECUTE ON FUNCTION jamaa_tenants_with_due_timers(timestamptz) TO {role};\n"));
    sql.push_str(&format!("GRANT EXECUTE ON FUNCTION jamaa_tenants_with_due_deliveries(timestamptz) TO {role};\n"));
    db.execute_unprepared(&sql).await?;
    Ok(())
}
