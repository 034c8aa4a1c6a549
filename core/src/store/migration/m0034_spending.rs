//! Expenditures and revenues recorded in the commune (the GID and GIR shapes): commitments against an
//! expense budget line, their approval by the authorising officer, payment orders and payments; revenue
//! titles by type and their collections; counter-entries that correct them. One append-only table: an entry
//! is never edited nor deleted. Numbers run per commune, year and series without gaps (the `counters` table).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::tables::{col, nullable, tenant_index, tenant_table};

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["finance_entries"];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("finance_entries")
                    .col(col("year").integer())
                    // The series (`commitment`, `payment`, …) and the rank in it, per commune and year.
                    .col(col("kind").string())
                    .col(col("number").big_integer())
                    // The budget line, checked by the use case: a year that has entries is never re-imported,
                    // so the line stays (no foreign key: a training commune's reset clears the lines first).
                    .col(col("line_id").uuid())
                    // The commitment, payment order or title the entry is made against, or the entry a
                    // counter-entry corrects.
                    .col(nullable("parent_id").uuid())
                    // Centimes; a counter-entry's amount is what it takes back.
                    .col(col("amount").big_integer())
                    .col(nullable("object").text())
                    .col(nullable("party").text())
                    .col(nullable("revenue_type").string())
                    .col(nullable("reason").text())
                    .col(col("recorded_by").string())
                    .col(col("recorded_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index("finance_entries_number", "finance_entries", &["year", "kind", "number"], true))
            .await?;
        manager.create_index(tenant_index("finance_entries_line", "finance_entries", &["line_id"], false)).await?;
        let db = manager.get_connection();
        let mut sql = String::new();
        if db.get_database_backend() == DbBackend::Postgres {
            sql.push_str(&super::row_level_security(TABLES));
            // Never changed; removed only from a training commune, by the function that clears its registers.
            sql.push_str(
                "CREATE TRIGGER finance_entries_append_only BEFORE UPDATE OR DELETE ON finance_entries\n\
                 FOR EACH ROW EXECUTE FUNCTION jamaa_refuse_change();\n\
                 CREATE OR REPLACE FUNCTION jamaa_clear_training_registers(tenant uuid) RETURNS bigint\n\
                 LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS\n\
                 $$ DECLARE gone bigint := 0; n bigint;\n\
                 BEGIN\n\
                   IF NOT EXISTS (SELECT 1 FROM communes WHERE id = tenant AND status = 'training') THEN\n\
                     RAISE EXCEPTION 'only a training commune''s registers are cleared';\n\
                   END IF;\n\
                   DELETE FROM civil_mentions WHERE tenant_id = tenant; GET DIAGNOSTICS n = ROW_COUNT; gone := gone + n;\n\
                   DELETE FROM civil_acts WHERE tenant_id = tenant; GET DIAGNOSTICS n = ROW_COUNT; gone := gone + n;\n\
                   DELETE FROM finance_entries WHERE tenant_id = tenant; GET DIAGNOSTICS n = ROW_COUNT; gone := gone + n;\n\
                   DELETE FROM audit_published_heads WHERE tenant_id = tenant; GET DIAGNOSTICS n = ROW_COUNT; gone := gone + n;\n\
                   DELETE FROM audit_events WHERE tenant_id = tenant; GET DIAGNOSTICS n = ROW_COUNT; gone := gone + n;\n\
                   RETURN gone;\n\
                 END $$;\n\
                 REVOKE ALL ON FUNCTION jamaa_clear_training_registers(uuid) FROM PUBLIC;\n",
            );
        } else {
            for action in ["UPDATE", "DELETE"] {
                let lower = action.to_lowercase();
                let guard = if action == "DELETE" {
                    "WHEN (SELECT status FROM communes WHERE id = OLD.tenant_id) IS NOT 'training'\n"
                } else {
                    ""
                };
                sql.push_str(&format!(
                    "CREATE TRIGGER IF NOT EXISTS finance_entries_no_{lower} BEFORE {action} ON finance_entries\n\
                     {guard}BEGIN SELECT RAISE(ABORT, 'finance_entries rows are never changed or removed: add a counter-entry'); END;\n"
                ));
            }
        }
        db.execute_unprepared(&sql).await?;
        Ok(())
    }
}
