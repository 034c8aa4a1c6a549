//! Fees owed and paid: `payment_demands` (what a request owes, fixed at submission: one per request) and
//! `payments` (payments against a demand, at the counter or online, and the counter-entries that cancel them).
//! Neither is ever changed nor deleted (triggers; a training commune's rows go at its reset). A payment is
//! recorded once: its rank among its demand's payments is unique, a cancellation cancels one payment once, an
//! online provider's reference is unique in the commune, and numbers run per commune, year and kind without
//! gaps (the `counters` table).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::tables::{col, create_tenant_indexes, nullable, tenant_table};

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["payment_demands", "payments"];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("payment_demands")
                    .col(col("request_id").uuid())
                    // The request's tracking code, as the counter agent reads it on the receipt.
                    .col(col("tracking_code").string())
                    .col(col("service_code").string())
                    .col(col("currency").string())
                    // Centimes.
                    .col(col("total").big_integer())
                    // [{label, amount, basis}]: each line's basis, a law or the commune's decision.
                    .col(col("lines").json_binary())
                    .col(col("created_at").timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        create_tenant_indexes(
            manager,
            "payment_demands",
            &[
                ("payment_demands_request", &["request_id"], true),
                ("payment_demands_tracking", &["tracking_code"], true),
            ],
        )
        .await?;
        manager
            .create_table(
                tenant_table("payments")
                    .col(col("demand_id").uuid())
                    .col(col("request_id").uuid())
                    // `payment` or `cancellation`.
                    .col(col("kind").string())
                    // The payment a cancellation cancels.
                    .col(nullable("cancels").uuid())
                    // A payment's rank among its demand's payments; a cancellation's is its payment's.
                    .col(col("rank").integer())
                    // `cash`, `card` or `online`.
                    .col(col("channel").string())
                    // Centimes; a cancellation's amount is what it takes back.
                    .col(col("amount").big_integer())
                    .col(col("currency").string())
                    .col(col("year").integer())
                    .col(col("number").big_integer())
                    // The day recorded, in the commune's time zone (the day's report of an agent).
                    .col(col("day").date())
                    // A card at the counter: the terminal slip's number only, never card data.
                    .col(nullable("terminal_slip").string())
                    // Online: the provider and its reference of the payment.
                    .col(nullable("provider").string())
                    .col(nullable("provider_ref").string())
                    // The verification code of the quittance (or the cancellation) issued.
                    .col(nullable("document_code").string())
                    .col(nullable("reason").text())
                    .col(col("recorded_by").string())
                    .col(col("recorded_at").timestamp_with_time_zone())
                    .foreign_key(
                        ForeignKey::create()
                            .from("payments", ("tenant_id", "demand_id"))
                            .to("payment_demands", ("tenant_id", "id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        create_tenant_indexes(
            manager,
            "payments",
            &[
                // Gap-free numbers per commune, year and kind.
                ("payments_number", &["year", "kind", "number"], true),
                // A demand's payment of each rank once, and its cancellation once.
                ("payments_rank", &["demand_id", "kind", "rank"], true),
                ("payments_cancels", &["cancels"], true),
                // An online provider's payment recorded once.
                ("payments_provider_ref", &["provider", "provider_ref"], true),
                ("payments_day", &["day"], false),
            ],
        )
        .await?;
        let db = manager.get_connection();
        let mut sql = String::new();
        if db.get_database_backend() == DbBackend::Postgres {
            sql.push_str(&super::row_level_security(TABLES));
            // Never changed; deleted only with a training commune's files (jamaa_refuse_change, m0029).
            for table in TABLES {
                sql.push_str(&format!(
                    "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}\n\
                     FOR EACH ROW EXECUTE FUNCTION jamaa_refuse_change();\n"
                ));
            }
        } else {
            for table in TABLES {
                sql.push_str(&format!(
                    "CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}\n\
                     BEGIN SELECT RAISE(ABORT, '{table} rows are never changed or removed: add a counter-entry'); END;\n\
                     CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}\n\
                     WHEN (SELECT status FROM communes WHERE id = OLD.tenant_id) IS NOT 'training'\n\
                     BEGIN SELECT RAISE(ABORT, '{table} rows are never changed or removed: add a counter-entry'); END;\n"
                ));
            }
        }
        db.execute_unprepared(&sql).await?;
        Ok(())
    }
}
