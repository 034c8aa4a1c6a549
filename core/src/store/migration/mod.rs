//! Versioned schema migrations for SQLite and PostgreSQL, and the PostgreSQL-only defenses: row-level
//! security on every tenant table and the grants of the application's role.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};
use sea_orm_migration::prelude::*;

mod m0001_initial;
mod m0002_templates;
mod m0003_personal_data;
mod m0004_identities;
mod m0005_complaints;
mod m0006_citizen;
mod m0007_outbox;
mod m0008_documents;
mod m0009_registries;
mod m0010_council_finance;
mod m0011_assignment;
mod m0013_catalog;
mod m0014_token_issuers;
mod m0015_site_origins;
mod m0020_shared_definitions;
mod m0021_complaint_moderation;
mod m0023_request_deadlines;
mod m0024_published_heads;
mod m0026_idempotency_keys;
mod m0027_shared_settings;
mod m0028_webhook_limits;
mod m0029_training_communes;
mod m0030_idempotency_done;
mod m0031_hr;
mod m0032_disputes;
mod m0033_projects;
mod m0034_spending;
mod m0035_step_deadlines;
mod m0036_payments;
mod m0037_online_payments;
mod m0038_dispute_documents;
mod m0039_document_withdrawals;
mod m0040_document_pdfs;
mod m0041_staff_forms;
mod m0042_commission_opinions;
mod m0043_roles_by_address;
mod m0044_commune_changes;
mod tables;

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
    "complaints",
    "issued_documents",
    "request_files",
    "request_messages",
    "petition_signatures",
    "publications",
    // m0010_council_finance
    "council_members",
    "council_sessions",
    "council_agenda_items",
    "council_deliberations",
    "council_votes",
    "budget_lines",
    "civil_acts",
    "civil_mentions",
    "courier_items",
    "courier_history",
    "outbox_events",
    "webhook_endpoints",
    "smtp_settings",
    "notification_deliveries",
    // m0024_published_heads
    "audit_published_heads",
    // m0026_idempotency_keys
    "idempotency_keys",
    // m0031_hr
    "hr_departments",
    "hr_staff",
    // m0033_projects
    "projects",
    "project_budget_lines",
    "project_milestones",
    "project_updates",
    "hr_leaves",
    // m0032_disputes
    "dispute_cases",
    "dispute_hearings",
    "dispute_decisions",
    "dispute_appeals",
    // m0034_spending
    "finance_entries",
    // m0036_payments
    "payment_demands",
    "payments",
    // m0037_online_payments
    "online_payments",
    "payment_statements",
    "payment_refunds",
    // m0038_dispute_documents
    "dispute_documents",
    // m0042_commission_opinions
    "request_opinions",
];

/// Tenant tables the application may only read and append to: the audit trail, its published heads and the
/// civil-status registers, and the recorded expenditures and revenues.
pub(crate) const APPEND_ONLY_TABLES: &[&str] =
    &["audit_events", "audit_published_heads", "civil_acts", "civil_mentions", "finance_entries"];

/// Content shared by communes, addressed by its hash (m0020: definitions; m0027: also calendars and
/// configurations): read and added to, never changed.
pub(crate) const SHARED_CONTENT_TABLES: &[&str] = &["definitions"];

/// Tables of the platform itself.
pub(crate) const PLATFORM_TABLES: &[&str] =
    &["communes", "api_tokens", "templates", "users", "memberships", "sessions", "platform_idempotency_keys"];

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
            Box::new(m0004_identities::Migration),
            Box::new(m0005_complaints::Migration),
            Box::new(m0006_citizen::Migration),
            Box::new(m0007_outbox::Migration),
            Box::new(m0008_documents::Migration),
            Box::new(m0009_registries::Migration),
            Box::new(m0010_council_finance::Migration),
            Box::new(m0011_assignment::Migration),
            Box::new(m0013_catalog::Migration),
            Box::new(m0014_token_issuers::Migration),
            Box::new(m0015_site_origins::Migration),
            Box::new(m0020_shared_definitions::Migration),
            Box::new(m0021_complaint_moderation::Migration),
            Box::new(m0023_request_deadlines::Migration),
            Box::new(m0024_published_heads::Migration),
            Box::new(m0026_idempotency_keys::Migration),
            Box::new(m0027_shared_settings::Migration),
            Box::new(m0028_webhook_limits::Migration),
            Box::new(m0029_training_communes::Migration),
            Box::new(m0030_idempotency_done::Migration),
            Box::new(m0031_hr::Migration),
            Box::new(m0032_disputes::Migration),
            Box::new(m0033_projects::Migration),
            Box::new(m0034_spending::Migration),
            Box::new(m0035_step_deadlines::Migration),
            Box::new(m0036_payments::Migration),
            Box::new(m0037_online_payments::Migration),
            Box::new(m0038_dispute_documents::Migration),
            Box::new(m0039_document_withdrawals::Migration),
            Box::new(m0040_document_pdfs::Migration),
            Box::new(m0041_staff_forms::Migration),
            Box::new(m0042_commission_opinions::Migration),
            Box::new(m0043_roles_by_address::Migration),
            Box::new(m0044_commune_changes::Migration),
        ]
    }
}

/// The schema's version: the name of the last migration (an archive of a commune is restored only at the
/// version it was made at).
pub(crate) fn schema_version() -> String {
    Migrator::migrations().last().map(|m| m.name().to_owned()).unwrap_or_default()
}

/// Grants the application's role what it needs and nothing more: no DDL, and only SELECT and INSERT on the
/// audit trail and its published heads, the civil-status registers and the shared definitions, so that even the
/// application cannot rewrite history or a definition others hold. Idempotent.
pub(crate) async fn grant_app_role(db: &DatabaseConnection, role: &str) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    if role.is_empty() || !role.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return Err(DbErr::Custom(format!("invalid role name `{role}`")));
    }
    let mut sql = format!("GRANT USAGE ON SCHEMA public TO {role};\n");
    for table in PLATFORM_TABLES.iter().chain(TENANT_TABLES).filter(|t| !APPEND_ONLY_TABLES.contains(t)) {
        sql.push_str(&format!("GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {role};\n"));
    }
    for table in APPEND_ONLY_TABLES.iter().chain(SHARED_CONTENT_TABLES) {
        sql.push_str(&format!("GRANT SELECT, INSERT ON {table} TO {role};\n"));
    }
    sql.push_str(&format!("GRANT EXECUTE ON FUNCTION jamaa_tenants_with_due_timers(timestamptz) TO {role};\n"));
    sql.push_str(&format!("GRANT EXECUTE ON FUNCTION jamaa_tenants_with_due_deliveries(timestamptz) TO {role};\n"));
    sql.push_str(&format!("GRANT EXECUTE ON FUNCTION jamaa_purge_idempotency_keys(timestamptz) TO {role};\n"));
    sql.push_str(&format!("GRANT EXECUTE ON FUNCTION jamaa_clear_training_registers(uuid) TO {role};\n"));
    sql.push_str(&format!(
        "GRANT EXECUTE ON FUNCTION jamaa_tenants_with_due_hearing_reminders(timestamptz) TO {role};\n"
    ));
    db.execute_unprepared(&sql).await?;
    Ok(())
}
