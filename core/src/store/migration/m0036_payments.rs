//! Fees owed and paid: `payment_demands` (what a request owes, fixed at submission: one per request) and
//! `payments` (payments against a demand, at the counter or online, and the counter-entries that cancel them).
//! Neither is ever changed nor deleted (triggers; a training commune's rows go at its reset). A payment is
//! recorded once: its rank among its demand's payments is unique, a cancellation cancels one payment once, an
//! online provider's reference is unique in the commune, and numbers run per commune, year and kind without
//! gaps (the `counters` table).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// The tenant tables this migration creates.
const TABLES: &[&str] = &["payment_demands", "payments"];

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0036_payments"
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

fn tenant_key(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, "tenant_id").to("communes", "id").on_delete(ForeignKeyAction::Restrict).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("payment_demands")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
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
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_key("payment_demands"))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("payment_demands_request", &["tenant_id", "request_id"][..]),
            ("payment_demands_tracking", &["tenant_id", "tracking_code"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("payment_demands").unique();
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("payments")
                    .if_not_exists()
                    .col(col("tenant_id").uuid())
                    .col(col("id").uuid())
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
                    .primary_key(Index::create().col("tenant_id").col("id"))
                    .foreign_key(&mut tenant_key("payments"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("payments", ("tenant_id", "demand_id"))
                            .to("payment_demands", ("tenant_id", "id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            // Gap-free numbers per commune, year and kind.
            ("payments_number", &["tenant_id", "year", "kind", "number"][..]),
            // A demand's payment of each rank once, and its cancellation once.
            ("payments_rank", &["tenant_id", "demand_id", "kind", "rank"][..]),
            ("payments_cancels", &["tenant_id", "cancels"][..]),
            // An online provider's payment recorded once.
            ("payments_provider_ref", &["tenant_id", "provider", "provider_ref"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("payments").unique();
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_index(Index::create().name("payments_day").table("payments").col("tenant_id").col("day").to_owned())
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
