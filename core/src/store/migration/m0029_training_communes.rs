//! Training communes: a copy of a commune's configuration with fictitious files, for staff to practise on.
//! `communes` records where a training commune came from (`training_source`, the source's slug), whether it is
//! set back to its starting point every night (`training_reset`: `nightly` or `manual`) and when it last was
//! (`training_reset_at`). Setting one back deletes its files and registers and restarts its audit chain: the
//! civil-status registers and the audit trail refuse deletion by trigger for every commune but a training one,
//! and on PostgreSQL only `jamaa_clear_training_registers`, a `SECURITY DEFINER` function that checks the
//! commune's status, may delete their rows (the application's role still may only read and append to them).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::tables::{add_columns, nullable};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// The civil-status registers, whose triggers refuse changes.
const REGISTERS: [&str; 2] = ["civil_acts", "civil_mentions"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            "communes",
            vec![
                nullable("training_source").string().to_owned(),
                nullable("training_reset").string().to_owned(),
                nullable("training_reset_at").timestamp_with_time_zone().to_owned(),
            ],
        )
        .await?;
        let db = manager.get_connection();
        let mut sql = String::new();
        if db.get_database_backend() == DbBackend::Postgres {
            // Deletion stays refused, except of a training commune's rows; updates stay refused for all.
            sql.push_str(
                "CREATE OR REPLACE FUNCTION jamaa_refuse_change() RETURNS trigger LANGUAGE plpgsql AS\n\
                 $$ BEGIN\n\
                   IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM communes WHERE id = OLD.tenant_id AND status = 'training') THEN\n\
                     RETURN OLD;\n\
                   END IF;\n\
                   RAISE EXCEPTION '% rows are never changed or removed: add a marginal mention', TG_TABLE_NAME;\n\
                 END $$;\n\
                 CREATE FUNCTION jamaa_clear_training_registers(tenant uuid) RETURNS bigint\n\
                 LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS\n\
                 $$ DECLARE gone bigint := 0; n bigint;\n\
                 BEGIN\n\
                   IF NOT EXISTS (SELECT 1 FROM communes WHERE id = tenant AND status = 'training') THEN\n\
                     RAISE EXCEPTION 'only a training commune''s registers are cleared';\n\
                   END IF;\n\
                   DELETE FROM civil_mentions WHERE tenant_id = tenant; GET DIAGNOSTICS n = ROW_COUNT; gone := gone + n;\n\
                   DELETE FROM civil_acts WHERE tenant_id = tenant; GET DIAGNOSTICS n = ROW_COUNT; gone := gone + n;\n\
                   DELETE FROM audit_published_heads WHERE tenant_id = tenant; GET DIAGNOSTICS n = ROW_COUNT; gone := gone + n;\n\
                   DELETE FROM audit_events WHERE tenant_id = tenant; GET DIAGNOSTICS n = ROW_COUNT; gone := gone + n;\n\
                   RETURN gone;\n\
                 END $$;\n\
                 REVOKE ALL ON FUNCTION jamaa_clear_training_registers(uuid) FROM PUBLIC;\n",
            );
        } else {
            for table in REGISTERS {
                sql.push_str(&format!(
                    "DROP TRIGGER IF EXISTS {table}_no_delete;\n\
                     CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}\n\
                     WHEN (SELECT status FROM communes WHERE id = OLD.tenant_id) IS NOT 'training'\n\
                     BEGIN SELECT RAISE(ABORT, '{table} rows are never changed or removed: add a marginal mention'); END;\n"
                ));
            }
        }
        db.execute_unprepared(&sql).await?;
        Ok(())
    }
}
