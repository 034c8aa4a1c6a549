//! Setting a training commune back to its starting point (m0029): its files, registers, audit trail and
//! counters go, in the tenant's transaction; its configuration (roles, workflows, services, settings, data key,
//! webhooks) stays. On PostgreSQL the registers and the audit trail, which the application's role may not
//! delete from, are cleared by `jamaa_clear_training_registers`, which refuses any commune not in training.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::TenantTx;
use crate::error::Error;

/// The tables of a commune's files and what hangs on them, children before parents.
const FILES: &[&str] = &[
    "idempotency_keys",
    "notification_deliveries",
    "outbox_events",
    "courier_history",
    "courier_items",
    "council_votes",
    "council_deliberations",
    "council_agenda_items",
    "council_sessions",
    "council_members",
    "budget_lines",
    "publications",
    "petition_signatures",
    "request_opinions",
    "request_messages",
    "request_files",
    "issued_documents",
    "complaints",
    "request_lookups",
    "timers",
    "request_transitions",
    "requests",
    "counters",
    "hr_leaves",
    "hr_staff",
    "hr_departments",
    "project_updates",
    "project_milestones",
    "project_budget_lines",
    "projects",
    "dispute_documents",
    "dispute_appeals",
    "dispute_decisions",
    "dispute_hearings",
    "dispute_cases",
    "payment_refunds",
    "payment_statements",
    "online_payments",
    "payments",
    "payment_demands",
];

/// The registers and the audit trail, which only a training commune may see emptied.
const REGISTERS: &[&str] =
    &["civil_mentions", "civil_acts", "audit_published_heads", "audit_events", "finance_entries"];

/// Deletes a training commune's files, registers and audit trail (its chain restarts at its next event).
/// The caller checks that the commune is a training one; the database checks it again for the registers.
pub(crate) async fn clear(tx: &TenantTx) -> Result<(), Error> {
    let backend = tx.backend();
    let tenant = tx.tenant_uuid();
    let delete = |table: &str| {
        let placeholder = if backend == DbBackend::Postgres { "$1" } else { "?" };
        Statement::from_sql_and_values(
            backend,
            format!("DELETE FROM {table} WHERE tenant_id = {placeholder}"),
            [tenant.into()],
        )
    };
    let on_postgres = |sql: &str| Statement::from_sql_and_values(backend, sql, [tenant.into()]);
    if backend == DbBackend::Postgres {
        // The commune's requests' rows first, as every change of a request takes them before its timers and the
        // rest (ARCHITECTURE.md, the one lock order): a scheduler run holding one is waited for, never the
        // other way around.
        tx.conn().execute_raw(on_postgres("SELECT 1 FROM requests WHERE tenant_id = $1 FOR UPDATE")).await?;
    }
    for table in FILES {
        tx.conn().execute_raw(delete(table)).await?;
    }
    if backend == DbBackend::Postgres {
        tx.conn().execute_raw(on_postgres("SELECT jamaa_clear_training_registers($1)")).await?;
    } else {
        for table in REGISTERS {
            tx.conn().execute_raw(delete(table)).await?;
        }
    }
    tx.conn().execute_raw(delete("audit_heads")).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{FILES, REGISTERS};

    /// What a reset keeps: the configuration, the data key, the notification settings (`audit_heads` goes
    /// apart, after the trail).
    const KEPT: &[&str] =
        &["roles", "workflows", "services", "commune_configs", "data_keys", "webhook_endpoints", "smtp_settings"];

    #[test]
    fn every_tenant_table_is_cleared_or_kept() {
        for table in crate::store::migration::TENANT_TABLES {
            let placed = FILES.contains(table) || REGISTERS.contains(table) || KEPT.contains(table);
            assert!(placed || *table == "audit_heads", "{table}: neither cleared by a reset nor kept");
        }
    }
}
